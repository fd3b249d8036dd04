// Every form that changes something (method="post") is sent once: a second press of its button
// (or Enter in a field) while the first answer is on its way is ignored, and a button with
// data-sending-label says what is happening. Pressed twice, "Create account" otherwise made
// the account, then answered the second press "An account already uses this e-mail address",
// signed out; "Delete my account for good" sent a second request with the session the first
// one ended; a roadmap step's Save said its confirmation twice, or not at all. Without
// JavaScript the server answers a second press of "Delete my account for good" as it
// answered the first (careerportal.middleware.LoginRequiredMiddleware).
(function () {
  "use strict";
  var forms = document.querySelectorAll('form[method="post" i]');
  for (var i = 0; i < forms.length; i++) {
    forms[i].addEventListener("submit", function (event) {
      var form = event.currentTarget;
      if (form.hasAttribute("data-sent")) {
        event.preventDefault();
        return;
      }
      form.setAttribute("data-sent", "");
      var button = form.querySelector("[data-sending-label]");
      if (button) {
        button.setAttribute("data-label", button.textContent);
        button.textContent = button.getAttribute("data-sending-label");
        button.setAttribute("aria-disabled", "true");
      }
    });
  }
  // Signing out (a form marked data-signs-out) leaves in this tab no progress draft
  // (static/js/form-draft.js) for the next person at a shared computer to read.
  var signOuts = document.querySelectorAll("form[data-signs-out]");
  for (var s = 0; s < signOuts.length; s++) {
    signOuts[s].addEventListener("submit", function () {
      try {
        for (var k = window.sessionStorage.length - 1; k >= 0; k--) {
          var name = window.sessionStorage.key(k);
          if (name && name.indexOf("draft:") === 0) {
            window.sessionStorage.removeItem(name);
          }
        }
      } catch (error) {
        // storage turned off: no draft was kept
      }
    });
  }
  // Back to the page from the browser's history (its back-forward cache keeps the page as it
  // was left): the form may be sent again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) {
      return;
    }
    for (var i = 0; i < forms.length; i++) {
      forms[i].removeAttribute("data-sent");
      var button = forms[i].querySelector("[data-sending-label]");
      if (button && button.hasAttribute("data-label")) {
        button.textContent = button.getAttribute("data-label");
        button.removeAttribute("aria-disabled");
      }
    }
  });
})();
