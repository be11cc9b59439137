// Citations on a report page: the access date is the reader's own day, and
// without a configured site address the archive's address is this page's own.
(function () {
  "use strict";
  const PLACEHOLDER = "YYYY-MM-DD";

  function today() {
    const d = new Date();
    const pad = (n) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  }

  function fill() {
    const boxes = document.querySelectorAll(".citation");
    if (!boxes.length) return;
    const date = today();
    for (const box of boxes) {
      const relative = box.dataset.archivePath;
      const absolute = relative ? location.origin + location.pathname : null;
      for (const code of box.querySelectorAll("pre code")) {
        const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          let text = node.nodeValue.split(PLACEHOLDER).join(date);
          if (relative) text = text.split(relative).join(absolute);
          if (text !== node.nodeValue) node.nodeValue = text;
        }
      }
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fill);
  else fill();
})();
