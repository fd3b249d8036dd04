// Light or dark theme: the visitor's saved choice, else the system preference. Runs in <head>
// so the page never flashes the wrong theme; without JavaScript the light theme shows.
(function () {
  "use strict";
  var root = document.documentElement;
  var media = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function saved() {
    try {
      return localStorage.getItem("cp-theme");
    } catch (error) {
      return null;
    }
  }

  function preferred() {
    var choice = saved();
    if (choice === "light" || choice === "dark") {
      return choice;
    }
    return media && media.matches ? "dark" : "light";
  }

  function apply(theme) {
    root.setAttribute("data-bs-theme", theme);
    var buttons = document.querySelectorAll("[data-theme-toggle]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-pressed", theme === "dark" ? "true" : "false");
    }
  }

  apply(preferred());
  if (media && media.addEventListener) {
    media.addEventListener("change", function () {
      if (!saved() && !printing()) {
        apply(preferred());
      }
    });
  }

  // Paper is white and a printer leaves out backgrounds: a page printed in the dark theme came
  // out in light grey text (Chromium darkens it only to about 3:1 against white). Print in the
  // light theme, then put the visitor's back. Both the print events and the print media query
  // are watched: not every way of printing sends the events.
  var print = window.matchMedia ? window.matchMedia("print") : null;
  var beforePrint = null;

  function printing() {
    return beforePrint !== null;
  }

  function startPrint() {
    if (!printing()) {
      beforePrint = root.getAttribute("data-bs-theme");
      apply("light");
    }
  }

  function endPrint() {
    if (printing()) {
      var theme = beforePrint;
      beforePrint = null;
      apply(theme);
    }
  }

  window.addEventListener("beforeprint", startPrint);
  window.addEventListener("afterprint", endPrint);
  if (print && print.addEventListener) {
    print.addEventListener("change", function (event) {
      if (event.matches) {
        startPrint();
      } else {
        endPrint();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var buttons = document.querySelectorAll("[data-theme-toggle]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].hidden = false;
      buttons[i].addEventListener("click", function () {
        var next = root.getAttribute("data-bs-theme") === "dark" ? "light" : "dark";
        try {
          localStorage.setItem("cp-theme", next);
        } catch (error) {
          // Private mode: the choice lasts for this page only.
        }
        apply(next);
      });
    }
    apply(root.getAttribute("data-bs-theme"));
  });
})();
