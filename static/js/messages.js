// A refused form's error summary (templates/includes/_form_errors.html), else a confirmation
// drawn beside the step or button the learner used (templates/includes/_placed_messages.html),
// takes the focus, so a screen reader reads it and Tab goes on from there (to the summary's
// links to each field). These pages open at a #fragment, and on load the browser clears the
// focus for a fragment target that cannot take it (and ignores autofocus): hence after the
// load event. Without JavaScript the summary or confirmation is still in view.
(function () {
  "use strict";
  var placed = document.querySelector("[data-error-summary], .placed-messages");
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
