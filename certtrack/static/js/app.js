// Small enhancements; every page works without them.
document.addEventListener("DOMContentLoaded", () => {
  const lang = document.getElementById("lang-select");
  restoreTyped();
  if (lang) {
    // A choice made with the mouse switches at once. One browsed with the arrow keys waits
    // for Enter or the button, shown again: each arrow key would reload the page in the
    // next language (WCAG 3.2.2, on input).
    const button = lang.form.querySelector("button");
    let keyed = false;
    if (button) button.hidden = true;
    lang.form.addEventListener("submit", keepTyped);
    lang.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        keepTyped();
        lang.form.submit();
      } else if (event.key !== "Tab") {
        keyed = true;
        if (button) button.hidden = false;
      }
    });
    lang.addEventListener("change", () => {
      if (keyed) return;
      keepTyped();
      lang.form.submit();
    });
  }
  // The menu of a phone: a button that says whether the menu is open replaces the checkbox
  // that folds it without the script; Escape closes it and gives the focus back to the button.
  const menuButton = document.getElementById("menu-button");
  const menu = menuButton && document.getElementById(menuButton.getAttribute("aria-controls"));
  if (menu) {
    document.querySelectorAll("[data-menu-fallback]").forEach((part) => part.remove());
    menuButton.hidden = false;
    const isOpen = () => menuButton.getAttribute("aria-expanded") === "true";
    menuButton.addEventListener("click", () => {
      menuButton.setAttribute("aria-expanded", String(!isOpen()));
    });
    const closeOnEscape = (event) => {
      if (event.key !== "Escape" || !isOpen()) return;
      menuButton.setAttribute("aria-expanded", "false");
      menuButton.focus();
    };
    menuButton.addEventListener("keydown", closeOnEscape);
    menu.addEventListener("keydown", closeOnEscape);
  }
  // A document being prepared by the task queue: reload until it is ready.
  if (document.querySelector("[data-preparing]")) {
    window.setTimeout(() => window.location.reload(), 3000);
  }
  // The error summary takes the focus, so that a screen reader reads it first (GOV.UK).
  const summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
    // A link of the summary opens a folded form and moves to its field.
    summary.querySelectorAll("a[href^='#']").forEach((link) => {
      link.addEventListener("click", (event) => {
        const target = document.getElementById(link.getAttribute("href").slice(1));
        if (!target) return;
        event.preventDefault();
        const details = target.closest("details");
        if (details) details.open = true;
        target.scrollIntoView({ block: "center" });
        target.focus();
      });
    });
  }
  // A long answer typed before another form of the page is sent (an upload) is kept in this
  // tab until its own form is sent: the page that comes back would show it empty.
  document.querySelectorAll("textarea[data-draft]").forEach((box) => {
    // Keyed by where its form posts: the page may come back under another address.
    const key = `draft:${box.form.getAttribute("action")}:${box.dataset.draft}`;
    try {
      const kept = window.sessionStorage.getItem(key);
      if (kept && !box.value) box.value = kept;
      box.addEventListener("input", () => window.sessionStorage.setItem(key, box.value));
      box.form.addEventListener("submit", () => window.sessionStorage.removeItem(key));
    } catch (error) {
      // storage refused (private mode): the box works as before
    }
  });
  // A part of a form that applies to some choices of a list only (the animal products' dates
  // of a veterinary registration): hidden while another is chosen.
  document.querySelectorAll("[data-shown-for]").forEach((part) => {
    const select = document.getElementById(part.dataset.select);
    if (!select) return;
    const values = part.dataset.shownFor.split(" ");
    const update = () => { part.hidden = !values.includes(select.value); };
    select.addEventListener("change", update);
    update();
  });
  // Opening a notification's link marks it read (without the script, its button does).
  document.querySelectorAll("a[data-mark-read]").forEach((link) => {
    link.addEventListener("click", () => {
      const token = document.querySelector("input[name='csrf_token']");
      if (!token) return;
      window.fetch(link.dataset.markRead, {
        method: "POST", credentials: "same-origin", keepalive: true, redirect: "manual",
        body: new URLSearchParams({ csrf_token: token.value }),
      }).catch(() => {});
    });
  });
  // A file larger than the server accepts is said beside its field when it is chosen, and
  // its form is not sent: the server's answer (413) came on a page of its own, and the form's
  // other entries (the document's type) were lost.
  const maxUpload = Number(document.body.dataset.maxUpload || 0);
  const tooLarge = (input) => maxUpload > 0
    && Array.from(input.files || []).some((file) => file.size > maxUpload);
  const showSize = (input) => {
    const id = `${input.id || input.name}-size-error`;
    let note = document.getElementById(id);
    if (tooLarge(input)) {
      if (!note) {
        note = document.createElement("p");
        note.className = "error";
        note.id = id;
        note.textContent = document.body.dataset.tooLarge;
        input.insertAdjacentElement("afterend", note);
      }
      if (!("describedBy" in input.dataset)) {
        input.dataset.describedBy = input.getAttribute("aria-describedby") || "";
      }
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", id);
    } else if (note) {
      note.remove();
      input.removeAttribute("aria-invalid");
      if (input.dataset.describedBy) {
        input.setAttribute("aria-describedby", input.dataset.describedBy);
      } else {
        input.removeAttribute("aria-describedby");
      }
    }
  };
  document.querySelectorAll("input[type='file']").forEach((input) => {
    input.addEventListener("change", () => showSize(input));
    if (!input.form) return;
    input.form.addEventListener("submit", (event) => {
      if (!tooLarge(input)) return;
      event.preventDefault();
      event.stopImmediatePropagation();  // not marked busy: the form is still to be sent
      showSize(input);
      input.focus();
    });
  });
  // A button shows that its action is running and cannot be sent twice.
  const busyText = document.body.dataset.busyText;
  document.querySelectorAll("form[method='post']").forEach((form) => {
    form.addEventListener("submit", (event) => {
      const button = event.submitter;
      if (form.getAttribute("aria-busy") === "true") {
        event.preventDefault();
        return;
      }
      form.setAttribute("aria-busy", "true");
      if (button && button.tagName === "BUTTON" && busyText) {
        button.dataset.label = button.textContent;
        // After this turn, so that the button's own name and value are still sent.
        window.setTimeout(() => {
          button.disabled = true;
          button.textContent = busyText;
        }, 0);
      }
    });
  });
  // A creation form's one-time key comes back with the form when the browser shows it again
  // from its history (Back): the page, which the browser may not keep (no-store), is fetched
  // again with a new key, and the browser gives back only the fields whose value differs
  // from the page's. So the key's value is made to differ: the page's becomes empty.
  document.querySelectorAll("input[name='creation_key']").forEach((key) => {
    const sent = key.value;
    key.value = sent;
    key.defaultValue = "";
  });
  // Back to a page kept by the browser: its buttons work again.
  window.addEventListener("pageshow", () => {
    document.querySelectorAll("form[aria-busy='true']").forEach((form) => {
      form.removeAttribute("aria-busy");
      form.querySelectorAll("button[data-label]").forEach((button) => {
        button.disabled = false;
        button.textContent = button.dataset.label;
      });
    });
  });
});

// Changing the language reloads the page, which came back with its forms as the server wrote
// them: what was typed and not yet sent is kept in this tab and put back into the same fields
// of the same page in the new language. Hidden fields (a form's version, its one-time key),
// passwords and files are neither kept nor put back, nor is a ticked confirmation: a reader
// who changes the language to read a step's consequence ticks it again once it is read.
const TYPED_KEY = "typed-before-language";
const KEPT_TYPES = new Set(["hidden", "password", "file", "submit", "button", "reset"]);

function typedFields() {
  return Array.from(document.querySelectorAll("main form")).flatMap((form, index) =>
    Array.from(form.elements)
      .filter((field) => field.name && field.name !== "confirm" && !KEPT_TYPES.has(field.type))
      .map((field) => ({ form: `${index}:${form.getAttribute("action") || ""}`, field })));
}

function changed(field) {
  if (field.type === "checkbox" || field.type === "radio") {
    return field.checked !== field.defaultChecked;
  }
  if (field.tagName === "SELECT") {
    return Array.from(field.options).some((option) => option.selected !== option.defaultSelected);
  }
  return field.value !== field.defaultValue;
}

function keepTyped() {
  const typed = typedFields().filter(({ field }) => changed(field)).map(({ form, field }) => ({
    form, name: field.name, value: field.value,
    checked: field.type === "checkbox" || field.type === "radio" ? field.checked : null,
    selected: field.tagName === "SELECT"
      ? Array.from(field.selectedOptions).map((option) => option.value) : null,
  }));
  try {
    if (typed.length) {
      window.sessionStorage.setItem(TYPED_KEY, JSON.stringify({
        path: window.location.pathname + window.location.search, typed }));
    }
  } catch (error) {
    // storage refused (private mode): the language changes as before
  }
}

function restoreTyped() {
  let kept = null;
  try {
    kept = JSON.parse(window.sessionStorage.getItem(TYPED_KEY) || "null");
    window.sessionStorage.removeItem(TYPED_KEY);
  } catch (error) {
    return;
  }
  if (!kept || kept.path !== window.location.pathname + window.location.search) return;
  const fields = typedFields();
  kept.typed.forEach((entry) => {
    fields.filter(({ form, field }) => form === entry.form && field.name === entry.name)
      .forEach(({ field }) => {
        if (entry.checked !== null) {
          if (field.value === entry.value) field.checked = entry.checked;
        } else if (entry.selected !== null) {
          Array.from(field.options).forEach((option) => {
            option.selected = entry.selected.includes(option.value);
          });
          field.dispatchEvent(new Event("change"));
        } else {
          field.value = entry.value;
        }
      });
  });
}
