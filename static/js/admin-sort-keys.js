// Keyboard reordering for the admin's sortable inlines (roadmap steps, responsibilities,
// employers hiring, day-in-the-life entries, FAQs). django-admin-sortable2 moves rows by
// dragging, or with two icons (to first, to last) that are not focusable: an editor on the
// keyboard could not reorder at all. Each saved row gets "Move up" and "Move down" buttons
// and the two icons become buttons too; a move keeps focus on the pressed button and is
// announced. Positions are written into the same inputs a drag writes, in page order (number
// boxes without JavaScript, hidden here).
"use strict";
(function () {
  const ROWS = "tr.has_original, .inline-related.has_original";

  function renumber(group) {
    const rows = Array.from(group.querySelectorAll(ROWS));
    const reversed = group.classList.contains("reversed");
    rows.forEach(function (row, index) {
      const input = row.querySelector("input._reorder_");
      if (input) input.value = String(reversed ? rows.length - index : index + 1);
    });
    return rows;
  }

  function announce(group, row) {
    const rows = renumber(group);
    const status = group.querySelector(".sort-keys-status");
    if (status) status.textContent = "Moved to position " + (rows.indexOf(row) + 1) + " of " + rows.length + ".";
  }

  function move(button, where) {
    const group = button.closest("fieldset.sortable");
    const row = button.closest(ROWS);
    if (!group || !row) return;
    const rows = Array.from(group.querySelectorAll(ROWS));
    const index = rows.indexOf(row);
    if (where === "up" && index > 0) rows[index - 1].before(row);
    else if (where === "down" && index < rows.length - 1) rows[index + 1].after(row);
    else if (where === "first" && index > 0) rows[0].before(row);
    else if (where === "last" && index < rows.length - 1) rows[rows.length - 1].after(row);
    else return;
    button.focus();
    announce(group, row);
  }

  function makeButton(label, where, text) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "sort-step";
    button.dataset.move = where;
    button.setAttribute("aria-label", label);
    button.title = label;
    button.textContent = text;
    return button;
  }

  // The position boxes are for editors without JavaScript (careers/admin/formsets.py,
  // KeepsPositionsFormSet): here rows are dragged or moved, and the box is filled in.
  function hidePositionBoxes(group) {
    group.querySelectorAll("input._reorder_").forEach(function (input) {
      input.type = "hidden";
      const cell = input.closest("td, .form-row");
      if (cell) cell.classList.add("hidden");
      const name = input.name.slice(input.name.lastIndexOf("-") + 1);
      group.querySelectorAll("th.column-" + name).forEach(function (th) {
        th.classList.add("hidden");
      });
    });
  }

  function enhance(group) {
    hidePositionBoxes(group);
    const status = document.createElement("p");
    status.className = "sort-keys-status visually-hidden";
    status.setAttribute("role", "status");
    group.appendChild(status);
    group.querySelectorAll(".sort").forEach(function (sort) {
      sort.querySelectorAll("i.move-begin, i.move-end").forEach(function (icon) {
        icon.tabIndex = 0;
        icon.dataset.move = icon.classList.contains("move-begin") ? "first" : "last";
      });
      sort.prepend(makeButton("Move up", "up", "↑"), makeButton("Move down", "down", "↓"));
    });
    group.addEventListener("click", function (event) {
      const control = event.target.closest(".sort [data-move]");
      if (!control) return;
      // adminsortable2 handles its own icons' clicks; this only follows the focus and speaks.
      if (control.tagName === "BUTTON") move(control, control.dataset.move);
      else window.setTimeout(function () { control.focus(); announce(group, control.closest(ROWS)); });
    });
    group.addEventListener("keydown", function (event) {
      const icon = event.target.closest(".sort i[data-move]");
      if (icon && (event.key === "Enter" || event.key === " ")) {
        event.preventDefault();
        icon.click();
      }
    });
  }

  window.addEventListener("load", function () {
    document.querySelectorAll("fieldset.sortable").forEach(enhance);
  });
})();
