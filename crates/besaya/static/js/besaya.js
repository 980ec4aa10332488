// Small behaviours of every page (no inline script: the CSP forbids it).
document.addEventListener("DOMContentLoaded", function () {
  // A form that came back with errors: move the focus to its summary, so screen
  // readers announce it and keyboard users start from the list of problems.
  var summary = document.querySelector(".error-summary[tabindex]");
  if (summary) summary.focus();

  // Print buttons (the report): hidden without script, since only script prints.
  document.querySelectorAll("button[data-print]").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () { window.print(); });
  });
});
