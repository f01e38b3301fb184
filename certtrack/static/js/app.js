// Small enhancements; every page works without them.
document.addEventListener("DOMContentLoaded", () => {
  const lang = document.getElementById("lang-select");
  if (lang) {
    lang.addEventListener("change", () => lang.form.submit());
    const button = lang.form.querySelector("button");
    if (button) button.hidden = true;
  }
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
});
