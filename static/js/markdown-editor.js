// The policy editor: EasyMDE over the Markdown textarea, with a toolbar and a preview rendered by
// the portal itself (the same Markdown and sanitising as the published page). Without this script
// the plain textarea works as before.
(function () {
  "use strict";
  if (typeof window.EasyMDE !== "function") return;

  function csrfToken(form) {
    var field = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function showPreview(preview, data) {
    var problems = (data.problems || []).map(function (text) {
      var p = document.createElement("p");
      p.className = "alert alert-danger";
      p.textContent = text;
      return p.outerHTML;
    }).join("");
    preview.innerHTML = problems + data.html;  // the portal's own sanitised HTML
  }

  function previewer(url, form) {
    var timer = null, lastText = null;
    return function (text, preview) {
      preview.setAttribute("role", "region");
      preview.setAttribute("aria-label", "Preview, as it will be published");
      preview.setAttribute("aria-live", "polite");
      if (!preview.innerHTML) preview.textContent = "Preparing the preview…";
      if (text === lastText) return null;
      clearTimeout(timer);
      timer = setTimeout(function () {
        lastText = text;
        var body = new URLSearchParams();
        body.append("text", text);
        fetch(url, {
          method: "POST", body: body, credentials: "same-origin",
          headers: {"X-CSRFToken": csrfToken(form), "X-Requested-With": "fetch"},
        }).then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        }).then(function (data) {
          showPreview(preview, data);
        }).catch(function () {
          lastText = null;
          preview.textContent = "The preview could not be loaded. Your text is safe: save the draft to see it.";
        });
      }, 300);
      return null;  // keep what is shown until the portal answers
    };
  }

  function button(name, action, text, title) {
    return {name: name, action: action, text: text, title: title};
  }

  document.querySelectorAll("textarea[data-markdown-editor]").forEach(function (textarea) {
    var form = textarea.form;
    var E = window.EasyMDE;
    var editor = new E({
      element: textarea,
      autoDownloadFontAwesome: false,
      spellChecker: false,
      nativeSpellcheck: true,
      forceSync: true,
      status: ["lines", "words"],
      minHeight: "24rem",
      sideBySideFullscreen: false,
      previewClass: ["editor-preview", "policy-body"],
      previewRender: previewer(textarea.dataset.previewUrl, form),
      toolbar: [
        button("heading-2", E.toggleHeading2, "Heading", "Heading"),
        button("heading-3", E.toggleHeading3, "Subheading", "Subheading"),
        button("bold", E.toggleBold, "Bold", "Bold"),
        button("italic", E.toggleItalic, "Italic", "Italic"),
        "|",
        button("unordered-list", E.toggleUnorderedList, "• List", "Bulleted list"),
        button("ordered-list", E.toggleOrderedList, "1. List", "Numbered list"),
        button("quote", E.toggleBlockquote, "Quote", "Quote"),
        button("link", E.drawLink, "Link", "Link"),
        button("table", E.drawTable, "Table", "Table"),
        "|",
        button("preview", E.togglePreview, "Preview", "Preview as published"),
        button("side-by-side", E.toggleSideBySide, "Side by side", "Text and preview side by side"),
      ],
    });
    var cm = editor.codemirror;
    var label = document.querySelector('label[for="' + textarea.id + '"]');
    var name = (label ? label.textContent.replace("*", "").trim() : "Text") + " (Markdown)";
    cm.setOption("screenReaderLabel", name);
    // Tab moves on to the next field, as everywhere else in the portal: no keyboard trap.
    cm.setOption("extraKeys", Object.assign({}, cm.getOption("extraKeys"), {Tab: false, "Shift-Tab": false}));
    if (label) label.addEventListener("click", function () { cm.focus(); });
    // The textarea is hidden: the browser could not show it as missing, the server says so instead.
    textarea.removeAttribute("required");
    var toolbar = editor.gui.toolbar;
    if (toolbar) {
      toolbar.setAttribute("role", "toolbar");
      toolbar.setAttribute("aria-label", "Formatting");
      toolbar.querySelectorAll("button").forEach(function (b) { b.tabIndex = 0; });
    }
    var hint = document.getElementById("editor-keys");
    if (hint) hint.hidden = false;
  });
})();
