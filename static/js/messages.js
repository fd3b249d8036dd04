// A refused form's error summary (templates/includes/_form_errors.html), else a confirmation
// drawn beside the step or button the learner used (templates/includes/_placed_messages.html),
// else the messages at the page's top (includes/_messages.html: "Your settings are saved.")
// take the focus, so a screen reader reads them and Tab goes on from there (to the summary's
// links to each field). A status region that is already on the page when it loads is not
// read out by screen readers: the focus makes them say it. Some pages open at a #fragment, and
// on load the browser clears the focus for a fragment target that cannot take it (and ignores
// autofocus): hence after the load event. Without JavaScript the summary or confirmation is
// still in view.
(function () {
  "use strict";
  var placed = null;
  var kinds = ["[data-error-summary]", ".placed-messages", "[data-messages]"];
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
