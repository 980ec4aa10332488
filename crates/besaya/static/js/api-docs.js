// Starts Swagger UI on /api/docs (kept out of the page: the CSP forbids inline script).
window.addEventListener("DOMContentLoaded", function () {
  var el = document.getElementById("swagger-ui");
  if (!el || !window.SwaggerUIBundle) return;
  window.SwaggerUIBundle({ url: el.dataset.spec, domNode: el, deepLinking: true });
});
