// Warn before leaving a page whose form (marked data-warn-unsaved) has changes that were not sent.
// Compares what the form would send now with what it held when the page loaded, so typing and
// deleting again is no change; submitting the form (any of its buttons) never warns.
document.addEventListener("DOMContentLoaded", () => {
  const snapshot = (form) => new URLSearchParams(new FormData(form)).toString();
  const watched = [...document.querySelectorAll("form[data-warn-unsaved]")].map((form) => {
    const entry = { form, saved: snapshot(form), sending: false };
    form.addEventListener("submit", () => { entry.sending = true; });
    return entry;
  });
  if (!watched.length) return;
  window.addEventListener("beforeunload", (event) => {
    if (watched.some((entry) => !entry.sending && snapshot(entry.form) !== entry.saved)) {
      event.preventDefault();
      event.returnValue = "";  // older browsers show their own text; none shows ours
    }
  });
});
