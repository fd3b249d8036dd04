// The catalogue's "Compare" tick boxes: count the ticks on the buttons, refuse a fourth with a
// message instead of sending the visitor to a page that says so (beside the refused tick, where
// the visitor looks, and in the status line above the results that screen readers announce),
// and carry the ticks in the page links and the address, so ticks made on one page are still
// there on the next.
// Without JavaScript the page links are buttons of the compare form, and the filters and their
// button belong to that form too, so the ticks of this page go to the next page, or along with
// a changed filter; here the page buttons become links again and the filters go back to their
// own form, which the ticks are copied into (so the compare page's address holds them alone).
// The compare page explains what to change.
(function () {
  "use strict";
  var form = document.getElementById("compare-picks");
  if (!form) {
    return;
  }
  var buttons = document.querySelectorAll("[data-compare-button]");
  var status = form.querySelector("[data-compare-status]");
  var label = buttons[0].textContent;
  var boxes = document.querySelectorAll('input[type=checkbox][form="compare-picks"]');
  var most = 3;
  var refusal = "You can compare at most three at a time.";

  var filters = document.querySelector("form[data-keeps-picks]");
  if (filters) {
    var lent = filters.querySelectorAll('[form="compare-picks"]');
    for (var f = 0; f < lent.length; f++) {
      lent[f].removeAttribute("form");
      lent[f].removeAttribute("formaction");
    }
  }

  function picks() {
    var slugs = [];
    for (var j = 0; j < boxes.length; j++) {
      if (boxes[j].checked) {
        slugs.push(boxes[j].value);
      }
    }
    return slugs;
  }

  function keepInFilters(slugs) {
    if (!filters) {
      return;
    }
    var old = filters.querySelectorAll("input[type=hidden][name=certifications]");
    for (var i = 0; i < old.length; i++) {
      old[i].remove();
    }
    for (var j = 0; j < slugs.length; j++) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = "certifications";
      input.value = slugs[j];
      filters.appendChild(input);
    }
  }

  function withPicks(href, slugs) {
    var url = new URL(href, window.location.href);
    url.searchParams.delete("certifications");
    for (var i = 0; i < slugs.length; i++) {
      url.searchParams.append("certifications", slugs[i]);
    }
    return url.pathname + url.search + url.hash;
  }

  function show() {
    var slugs = picks();
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].textContent = slugs.length ? label + " (" + slugs.length + ")" : label;
    }
    var links = document.querySelectorAll(".pagination a.page-link");
    for (var j = 0; j < links.length; j++) {
      links[j].setAttribute("href", withPicks(links[j].getAttribute("href"), slugs));
    }
    window.history.replaceState(window.history.state, "", withPicks(window.location.href, slugs));
    keepInFilters(slugs);
  }

  var pageButtons = document.querySelectorAll(".pagination button.page-link[data-href]");
  for (var p = 0; p < pageButtons.length; p++) {
    var link = document.createElement("a");
    link.className = pageButtons[p].className;
    link.href = pageButtons[p].getAttribute("data-href");
    link.textContent = pageButtons[p].textContent;
    if (pageButtons[p].hasAttribute("data-rel")) {
      link.rel = pageButtons[p].getAttribute("data-rel");
    }
    if (pageButtons[p].hasAttribute("aria-current")) {
      link.setAttribute("aria-current", "page");
    }
    pageButtons[p].replaceWith(link);
  }

  for (var i = 0; i < boxes.length; i++) {
    boxes[i].addEventListener("change", function (event) {
      var notes = document.querySelectorAll("[data-compare-refused]");
      for (var k = 0; k < notes.length; k++) {
        notes[k].hidden = true;
        notes[k].textContent = "";
      }
      if (event.target.checked && picks().length > most) {
        event.target.checked = false;
        status.textContent = refusal;
        var note = document.getElementById(event.target.id + "-refused");
        if (note) {
          note.textContent = refusal;
          note.hidden = false;
        }
      } else {
        status.textContent = "";
      }
      show();
    });
  }
  show(); // ticks the browser kept after going back
})();
