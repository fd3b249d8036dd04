// A form marked data-draft (a certification's progress, a roadmap step's) keeps what the
// learner types in this tab's sessionStorage, under its address: a session that ran out while
// they filled in their progress (notes, dates, credential) sends the Save to the sign-in page
// and the server never sees it. Back on a page with the form (after signing in, the exam's),
// what they typed is put back when it differs from what the server shows, with a note and a
// way to discard it. A save the server confirms (its success message beside the form) clears
// it, as does Cancel on the page that refused a save. Without JavaScript, or without storage,
// the form works as it always did.
//
// A draft is the exam's, not the form's: what was typed on a roadmap step is back on the
// exam's own page, and the reverse. Two forms on one page can post to one exam (a retired
// exam's step records the exam that replaced it, which may be a step of the same roadmap):
// what is typed in one is put in the other as it is typed, so each holds the whole draft and
// either Save saves all of it, and each says so once it holds what was typed in the other.
(function () {
  "use strict";
  var store;
  try {
    store = window.sessionStorage;
    store.getItem("draft:");
  } catch (error) {
    return; // storage turned off or full: nothing to keep
  }
  var kept = "input[name]:not([type=hidden]):not([type=submit]):not([type=button])" +
    ":not([type=checkbox]):not([type=radio]):not([type=file]):not([type=password])," +
    "textarea[name],select[name]";

  function shown(field) {
    // What the server put in the field (before anyone typed).
    if (field.tagName === "SELECT") {
      for (var i = 0; i < field.options.length; i++) {
        if (field.options[i].defaultSelected) {
          return field.options[i].value;
        }
      }
      return field.options.length ? field.options[0].value : "";
    }
    return field.defaultValue;
  }

  // The form's record of when the learner's row was saved as the page showed it: kept with
  // the draft, so that a draft typed before a save made elsewhere (another tab, a phone) is
  // told of that save when sent, rather than undo it with the values the page showed then.
  var SEEN = "input[type=hidden][name=seen]";

  // The forms of the page by draft key: more than one where steps post to one exam.
  var groups = {};
  // While a form's values are copied into its twins: the input events sent for their other
  // scripts (the notes' character count) are not typing.
  var mirroring = false;

  function keep(form, key) {
    if (mirroring) {
      return;
    }
    mirror(form, key);
    var fields = form.querySelectorAll(kept);
    // Only what the learner changed: put back over a page saved since (another tab, a
    // phone), a draft must not turn the fields they never touched back to the older values.
    var values = {};
    var changed = false;
    for (var i = 0; i < fields.length; i++) {
      if (fields[i].value !== shown(fields[i])) {
        values[fields[i].name] = fields[i].value;
        changed = true;
      }
    }
    var seen = form.querySelector(SEEN);
    if (seen) {
      values[SEEN] = seen.value;
    }
    try {
      if (changed) {
        store.setItem(key, JSON.stringify(values));
      } else {
        store.removeItem(key);
      }
    } catch (error) {
      // storage full: the form still works, without the draft
    }
  }

  function twins(form, key) {
    return groups[key].filter(function (other) {
      return other !== form;
    });
  }

  function mirror(form, key) {
    // What the learner typed in `form`, put in the other forms for its exam: a draft keeps
    // the fields changed in one form, so what was typed in the other was dropped, and a Save
    // there sent the exam the other's values and forgot the rest.
    var others = twins(form, key);
    var fields = form.querySelectorAll(kept);
    mirroring = true;
    try {
      for (var o = 0; o < others.length; o++) {
        var copied = false;
        for (var i = 0; i < fields.length; i++) {
          var twin = others[o].querySelector(
            "[name=\"" + fields[i].name + "\"]:not([type=hidden])"
          );
          if (twin && twin.value !== fields[i].value) {
            twin.value = fields[i].value;
            twin.dispatchEvent(new Event("input", { bubbles: true }));
            copied = true;
          }
        }
        if (copied && !others[o].draftNote) {
          note(others[o], key, "Not saved yet.");
        }
      }
    } finally {
      mirroring = false;
    }
  }

  function shared(form, key) {
    // " Step 2 records the same exam, …: …" for a form with twins on the page, else "".
    var labels = twins(form, key).map(function (other) {
      return other.getAttribute("data-draft-label") || "Another form";
    });
    if (!labels.length) {
      return "";
    }
    var names = labels.join(" and ");
    var exam = form.getAttribute("data-draft-exam");
    return " " + names.charAt(0).toUpperCase() + names.slice(1) + " " +
      (labels.length > 1 ? "record" : "records") + " the same exam" +
      (exam ? ", " + exam : "") +
      ": what you type here shows there too, and either Save saves it.";
  }

  function discard(key) {
    var forms = groups[key];
    for (var i = 0; i < forms.length; i++) {
      forms[i].reset();
      var seen = forms[i].querySelector(SEEN);
      if (seen) {
        seen.value = forms[i].shownSeen; // reset() leaves a hidden field as it was last set
      }
      if (forms[i].draftNote) {
        forms[i].draftNote.remove();
        forms[i].draftNote = null;
      }
    }
    store.removeItem(key);
  }

  function note(form, key, text) {
    var box = document.createElement("div");
    box.className = "alert alert-info py-2 mb-2";
    box.setAttribute("data-draft-note", "");
    box.appendChild(document.createTextNode(text + shared(form, key) + " "));
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-link p-0 align-baseline";
    button.textContent = "Discard it";
    button.addEventListener("click", function () {
      discard(key);
      var first = form.querySelector(kept);
      if (first) {
        first.focus();
      }
    });
    box.appendChild(button);
    form.parentNode.insertBefore(box, form);
    form.draftNote = box;
  }

  function restore(form, key, values) {
    var fields = form.querySelectorAll(kept);
    var differs = false;
    for (var i = 0; i < fields.length; i++) {
      var name = fields[i].name;
      if (Object.prototype.hasOwnProperty.call(values, name) && values[name] !== shown(fields[i])) {
        fields[i].value = values[name];
        differs = true;
      }
    }
    if (!differs) {
      return;
    }
    var seen = form.querySelector(SEEN);
    if (seen && typeof values[SEEN] === "string") {
      seen.value = values[SEEN];
    }
    // Also after leaving the page unsaved, or going back to it: no sign-in to speak of then.
    note(form, key, "Restored what you typed earlier, which is not saved.");
    // A roadmap step's form, shut under "Update my progress", opens: the step said "Not
    // started" and nothing showed that what was typed had been kept.
    var fold = form.closest("details");
    if (fold) {
      fold.open = true;
    }
  }

  function keyOf(form) {
    // Whose draft it is (data-draft holds the signed-in learner's id): someone else signing in
    // in this tab after a session ran out never sees what the last learner typed.
    return "draft:" + form.getAttribute("data-draft") + ":" +
      new URL(form.getAttribute("action") || "", window.location.href).pathname;
  }

  var forms = document.querySelectorAll("form[data-draft]");
  // A shared computer: the drafts another learner left in this tab when their session ran
  // out (notes, credential) are dropped once someone else is signed in, not kept for
  // whoever opens the browser's tools.
  if (forms.length) {
    var mine = "draft:" + forms[0].getAttribute("data-draft") + ":";
    for (var k = store.length - 1; k >= 0; k--) {
      var name = store.key(k);
      if (name && name.indexOf("draft:") === 0 && name.indexOf(mine) !== 0) {
        store.removeItem(name);
      }
    }
  }
  // The forms the server just saved: their success message is beside them, in their roadmap
  // step (a career page has a form a step) or their section. All are looked for first: two
  // steps can post to one exam, and the later one's save forgets what the earlier would restore.
  var justSaved = {};
  for (var s = 0; s < forms.length; s++) {
    var scope = forms[s].closest(".step-progress, section") || forms[s].parentNode;
    if (scope.querySelector(".placed-messages .alert-success")) {
      justSaved[keyOf(forms[s])] = true;
    }
  }
  for (var g = 0; g < forms.length; g++) {
    var seenField = forms[g].querySelector(SEEN);
    forms[g].shownSeen = seenField ? seenField.value : "";
    (groups[keyOf(forms[g])] = groups[keyOf(forms[g])] || []).push(forms[g]);
  }
  for (var i = 0; i < forms.length; i++) {
    var form = forms[i];
    var key = keyOf(form);
    if (justSaved[key]) {
      store.removeItem(key);
    } else {
      var saved = null;
      try {
        saved = JSON.parse(store.getItem(key));
      } catch (error) {
        store.removeItem(key);
      }
      if (saved && typeof saved === "object") {
        restore(form, key, saved);
      }
    }
    var typed = keep.bind(null, form, key);
    form.addEventListener("input", typed);
    form.addEventListener("change", typed);
    // Cancel on the page that refused a save: what was typed is given up, not put back on
    // the page it leads to.
    var cancels = form.querySelectorAll("[data-draft-discard]");
    for (var j = 0; j < cancels.length; j++) {
      cancels[j].addEventListener("click", store.removeItem.bind(store, key));
    }
  }
})();
