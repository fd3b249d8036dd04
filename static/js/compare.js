// The catalogue's "Compare" tick boxes: count the ticks on the button, and refuse a fourth
// with a message instead of sending the visitor to a page that says so. Without JavaScript
// the form still works: the compare page explains what to change.
(function () {
  "use strict";
  var form = document.getElementById("compare-picks");
  if (!form) {
    return;
  }
  var button = form.querySelector("button[type=submit]");
  var status = form.querySelector("[data-compare-status]");
  var label = button.textContent;
  var boxes = document.querySelectorAll('input[type=checkbox][form="compare-picks"]');
  var most = 3;

  function ticked() {
    var count = 0;
    for (var i = 0; i < boxes.length; i++) {
      if (boxes[i].checked) {
        count += 1;
      }
    }
    return count;
  }

  function show() {
    var count = ticked();
    button.textContent = count ? label + " (" + count + ")" : label;
  }

  for (var i = 0; i < boxes.length; i++) {
    boxes[i].addEventListener("change", function (event) {
      if (event.target.checked && ticked() > most) {
        event.target.checked = false;
        status.textContent = "You can compare at most three at a time.";
      } else {
        status.textContent = "";
      }
      show();
    });
  }
  show(); // ticks the browser kept after going back
})();
