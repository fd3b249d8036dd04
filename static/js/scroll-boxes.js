// A box that scrolls sideways (a wide table, a salary chart on a narrow screen) is a stop for
// the keyboard, so arrow keys can scroll it; the markup makes every such box focusable, which
// is right without JavaScript. Here a box that has nothing to scroll at this width leaves the
// tab order again, and comes back when the window narrows. A table in an editor's Markdown
// (.prose) scrolls itself, with no markup of ours: it becomes a stop here while it scrolls.
(function () {
  "use strict";
  var boxes = document.querySelectorAll("[data-scroll-box], .prose table");
  if (!boxes.length) {
    return;
  }

  function update() {
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
      } else if (document.activeElement !== box) {
        box.removeAttribute("tabindex");
      }
    }
  }

  update();
  window.addEventListener("resize", update);
})();
