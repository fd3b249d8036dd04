// Offer the browser's time zone to the form fields marked data-detect-time-zone: the hidden
// field of the sign-in and sign-up forms, and the account settings' list when no zone is
// saved. The server keeps it only if it is a zone it knows; without JavaScript it stays UTC
// until the learner picks one in their account settings.
// Browsers built on ICU (Chrome) still name some zones the old way ("Asia/Calcutta"), which
// the list offers by their current name ("Asia/Kolkata"): the page that has the list carries
// the tz database's old names and the listed one each stands for (#time-zone-aliases).
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
  var aliases = document.getElementById("time-zone-aliases");
  if (aliases) {
    try {
      var listed = JSON.parse(aliases.textContent);
      if (Object.prototype.hasOwnProperty.call(listed, zone)) {
        zone = listed[zone];
      }
    } catch (error) {
      // An unreadable map leaves the browser's own name, which the server reads the same way.
    }
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
