// Small enhancements; every page works without them.
document.addEventListener("DOMContentLoaded", () => {
  const lang = document.getElementById("lang-select");
  if (lang) {
    lang.addEventListener("change", () => lang.form.submit());
    const button = lang.form.querySelector("button");
    if (button) button.hidden = true;
  }
  // A document being prepared by the task queue: reload until it is ready.
  if (document.querySelector("[data-preparing]")) {
    window.setTimeout(() => window.location.reload(), 3000);
  }
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
});
