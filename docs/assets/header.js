// On every page: the search box in the header, and the / key that focuses it (or the search page's own box).
// The search itself (assets/search.js) loads only on the search page and on report pages.
(function () {
  "use strict";

  function el(tag, attrs) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  function siteBase() {
    var config = document.getElementById("__config");
    var base = config ? JSON.parse(config.textContent).base : ".";
    return new URL(base.replace(/\/?$/, "/"), location.href);
  }

  function headerBox(base) {
    var inner = document.querySelector(".md-header__inner");
    if (!inner || inner.querySelector(".archive-search")) return;
    var form = el("form", { "class": "archive-search", role: "search", action: new URL("search/", base).href });
    var input = el("input", { type: "search", name: "q", placeholder: "全文检索", "aria-label": "全文检索（按 / 键聚焦）",
      autocomplete: "off" });
    input.value = new URLSearchParams(location.search).get("q") || "";
    form.appendChild(input);
    var source = inner.querySelector(".md-header__source");
    inner.insertBefore(form, source);
    document.addEventListener("keydown", function (e) {
      var target = e.target;
      if (e.key === "/" && !e.ctrlKey && !e.metaKey && !/^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) && !target.isContentEditable) {
        e.preventDefault();
        var page = document.getElementById("search-query");
        (page || input).focus();
      }
    });
  }

  // Material wraps each code block's copy button in a <nav> without a name; several on one page are
  // landmarks a screen reader cannot tell apart. Name each after its block as Material adds it.
  function nameCodeTools() {
    document.querySelectorAll(".md-code__nav:not([aria-label])").forEach(function (nav) {
      var blocks = Array.prototype.slice.call(document.querySelectorAll(".md-code__nav"));
      nav.setAttribute("aria-label", "代码块工具 " + (blocks.indexOf(nav) + 1));
    });
  }

  function start() {
    headerBox(siteBase());
    nameCodeTools();
    new MutationObserver(nameCodeTools).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
