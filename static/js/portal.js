// Small progressive enhancements; every page works without them.
document.addEventListener("DOMContentLoaded", () => {
  // An error summary gets focus, so screen readers announce it and keyboard users start there.
  const summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();

  // Confirm destructive actions (the server still accepts only POST).
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
  // A button that submits a form shared by several rows asks its own question.
  document.querySelectorAll("button[data-confirm]").forEach((button) => {
    button.addEventListener("click", (event) => {
      if (!window.confirm(button.dataset.confirm)) event.preventDefault();
    });
  });
});
