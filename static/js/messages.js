// What the page says about what the visitor just did takes the focus on arrival, so a screen
// reader reads it (a status region already on the page when it loads is not read out) and Tab
// goes on from there. The first there is of: a refused form's error summary, whose links lead
// to each field (templates/includes/_form_errors.html); a note on what a list, search or
// comparison could not use (includes/_notices.html: "We could not find these careers"); a
// confirmation beside the step or button the learner used (includes/_placed_messages.html);
// the messages at the page's top (includes/_messages.html: "Your settings are saved.").
// Some pages open at a #fragment, and on load the browser clears the focus for a fragment
// target that cannot take it (and ignores autofocus): hence after the load event. Without
// JavaScript each is still in view.
(function () {
  "use strict";
  var placed = null;
  var kinds = ["[data-error-summary]", "[data-notices]", ".placed-messages", "[data-messages]"];
  for (var i = 0; i < kinds.length && !placed; i++) {
    placed = document.querySelector(kinds[i]);
  }
  if (!placed) {
    return;
  }
  function focus() {
    window.setTimeout(function () {
      placed.focus(); // scrolls only when out of view: one for a spot the page no longer has
    }, 0);
  }
  if (document.readyState === "complete") {
    focus();
  } else {
    window.addEventListener("load", focus);
  }
})();
