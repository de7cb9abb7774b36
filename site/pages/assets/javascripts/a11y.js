// A region that scrolls sideways (a wide table or code block on a phone) can be reached and scrolled with the
// keyboard: it gets a tab stop and a name, only while it actually overflows (WCAG 2.1.1; axe: scrollable-region-focusable).
(function () {
  "use strict";
  function mark() {
    var number = 0;
    document.querySelectorAll(".md-typeset__scrollwrap, .md-typeset pre > code").forEach(function (region) {
      number += 1;  /* landmarks need names of their own: the n-th table or code block of the page */
      var scrolls = region.scrollWidth > region.clientWidth + 1;
      if (scrolls && !region.hasAttribute("tabindex")) {
        region.setAttribute("tabindex", "0");
        region.setAttribute("role", "region");
        region.setAttribute("aria-label", "第 " + number + " 个" + (region.tagName === "CODE" ? "代码块" : "表格") + "（可横向滚动）");
        region.dataset.beianScroll = "1";
      } else if (!scrolls && region.dataset.beianScroll) {
        ["tabindex", "role", "aria-label", "data-beian-scroll"].forEach(function (name) { region.removeAttribute(name); });
      }
    });
  }
  var pending = null;
  window.addEventListener("resize", function () { clearTimeout(pending); pending = setTimeout(mark, 200); });
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(function () { setTimeout(mark, 0); });
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mark);
  else mark();
})();
