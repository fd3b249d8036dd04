// Names the admin's search-as-you-type boxes (select2: a certification's Successor and
// Prerequisites, a roadmap row's Certification, an employer hiring, the salary list's career
// filter) for a screen reader. select2 hides the <select> its <label> names and draws a
// combobox named by the value shown only: an empty Successor was read as "combobox", a
// roadmap row's as the certification it holds, and the Prerequisites search box as "search",
// never the field. Each now says its field, then what it holds: the <label> of the select,
// its aria-label (the list filter's, a table row's cell: careers/admin/formsets.py), or the
// heading of its table column.
"use strict";
(function () {
  function fieldName(select) {
    const label = select.id && document.querySelector('label[for="' + CSS.escape(select.id) + '"]');
    if (label) return label.textContent.trim().replace(/:$/, "");
    if (select.getAttribute("aria-label")) return select.getAttribute("aria-label");
    const cell = select.closest("td");
    const table = cell && cell.closest("table");
    const heading = table && table.tHead && table.tHead.rows[0].cells[cell.cellIndex];
    return heading ? heading.textContent.trim() : "";
  }

  function nameBox(select) {
    const box = select.nextElementSibling;
    if (!box || !box.classList.contains("select2") || box.querySelector(".field-name")) return;
    const name = fieldName(select);
    if (!name) return;
    const said = document.createElement("span");
    said.className = "field-name visually-hidden";
    said.id = "field-name-" + select.id;
    said.textContent = name;
    box.prepend(said);
    const shown = box.querySelector(".select2-selection__rendered");
    const both = said.id + (shown && shown.id ? " " + shown.id : "");
    const combobox = box.querySelector(".select2-selection[role=combobox]");
    if (combobox) combobox.setAttribute("aria-labelledby", both);
    if (shown && shown.getAttribute("role") === "textbox") shown.setAttribute("aria-labelledby", both);
    const search = box.querySelector(".select2-search__field");
    if (search) search.setAttribute("aria-labelledby", said.id);  // Prerequisites: one per box
  }

  // Each box as Django's autocomplete.js draws it: on jQuery's ready, which may come after
  // the page's load event, and in each row added ("Add another Roadmap step").
  new MutationObserver(function (changes) {
    changes.forEach(function (change) {
      change.addedNodes.forEach(function (node) {
        const select = node.previousElementSibling;
        if (node.classList && node.classList.contains("select2") && select && select.matches("select.admin-autocomplete")) {
          nameBox(select);
        }
      });
    });
  }).observe(document.documentElement, { childList: true, subtree: true });
  document.querySelectorAll("select.admin-autocomplete").forEach(nameBox);  // drawn already
})();
