// Offer the browser's time zone to the form fields marked data-detect-time-zone: the hidden
// field of the sign-in and sign-up forms, and the account settings' list when no zone is
// saved. The server keeps it only if it is a zone it knows; without JavaScript it stays UTC
// until the learner picks one in their account settings.
(function () {
  "use strict";
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  if (!zone) {
    return;
  }
  var fields = document.querySelectorAll("[data-detect-time-zone]");
  for (var i = 0; i < fields.length; i++) {
    var field = fields[i];
    if (field.value) {
      continue;
    }
    if (field.tagName === "SELECT") {
      for (var j = 0; j < field.options.length; j++) {
        if (field.options[j].value === zone) {
          field.value = zone;
          break;
        }
      }
    } else {
      field.value = zone;
    }
  }
})();
