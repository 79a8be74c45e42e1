// Gives the admin's autocomplete boxes (select2, which Django's admin uses for autocomplete_fields)
// the accessible name of their field. select2 labels its combobox by the text of the chosen option
// alone, so an empty box has no name at all (axe: aria-input-field-name). Here the combobox is
// labelled by the field's <label> and the chosen option, and select2's read-only textbox by the label.
// Runs after Django's admin/js/autocomplete.js has set the boxes up: both wait for the document, and
// this file is deferred, so its handlers are registered after Django's.
"use strict";
(function () {
  if (typeof window.django === "undefined" || typeof window.django.jQuery === "undefined") {
    return;
  }
  const $ = window.django.jQuery;

  function name(root) {
    root.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      const label = select.id && document.querySelector('label[for="' + select.id + '"]');
      const box = select.nextElementSibling;
      if (!label || !box || !box.classList.contains("select2")) {
        return;
      }
      label.id = label.id || select.id + "-label";
      const rendered = box.querySelector(".select2-selection__rendered");
      const selection = box.querySelector(".select2-selection");
      if (rendered && rendered.id) {
        rendered.setAttribute("aria-labelledby", label.id);
      }
      if (selection) {
        selection.setAttribute("aria-labelledby", rendered && rendered.id ? label.id + " " + rendered.id : label.id);
      }
    });
  }

  $(function () {
    name(document);
  });
  document.addEventListener("formset:added", function (event) {
    name(event.target);
  });
})();
