// A textarea marked data-count-max (a progress form's private notes) says how much of its
// limit is used, "4,980 / 5,000 characters", and how many characters too many past it. It has
// no maxlength: the browser's cut a longer paste at the limit without a word. The server
// refuses a longer text and shows it back whole to shorten, with or without this script.
// Screen readers hear the count when the learner pauses (a polite live region), not at every
// key; the field's description names the count too.
(function () {
  "use strict";
  var number = new Intl.NumberFormat("en-GB");
  var PAUSE = 1000; // milliseconds without typing before the count is announced

  function length(value) {
    // As the server counts: a line break is one character, an emoji one (not two).
    return Array.from(value.replace(/\r\n/g, "\n")).length;
  }

  function describe(field, max) {
    var used = length(field.value);
    var text = number.format(used) + " / " + number.format(max) + " characters";
    if (used > max) {
      text += ": " + number.format(used - max) + " too many, shorten your text to save it";
    }
    return { text: text, over: used > max };
  }

  function setUp(field) {
    var max = parseInt(field.getAttribute("data-count-max"), 10);
    if (!(max > 0)) {
      return;
    }
    var shown = document.createElement("div");
    shown.id = (field.id || field.name) + "_count";
    shown.className = "form-text";
    var heard = document.createElement("div");
    heard.className = "visually-hidden";
    heard.setAttribute("aria-live", "polite");
    field.insertAdjacentElement("afterend", heard);
    field.insertAdjacentElement("afterend", shown);
    var described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", (described ? described + " " : "") + shown.id);

    function show() {
      var now = describe(field, max);
      shown.textContent = now.text;
      shown.classList.toggle("text-danger", now.over);
    }
    var timer = null;
    field.addEventListener("input", function () {
      show();
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        heard.textContent = shown.textContent;
      }, PAUSE);
    });
    if (field.form) {
      // "Discard it" (static/js/form-draft.js) and Cancel put the page's text back.
      field.form.addEventListener("reset", function () {
        window.setTimeout(show, 0);
      });
    }
    show(); // as the page came, or with the draft form-draft.js put back
  }

  var fields = document.querySelectorAll("textarea[data-count-max]");
  for (var i = 0; i < fields.length; i++) {
    setUp(fields[i]);
  }
})();
