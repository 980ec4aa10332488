// Starts Swagger UI on /api/docs (kept out of the page: the CSP forbids inline script).
window.addEventListener("DOMContentLoaded", function () {
  var el = document.getElementById("swagger-ui");
  if (!el || !window.SwaggerUIBundle) return;
  // deepLinking off: its anchors nest links in buttons (axe: nested-interactive).
  window.SwaggerUIBundle({ url: el.dataset.spec, domNode: el, deepLinking: false, validatorUrl: "none" });
});
