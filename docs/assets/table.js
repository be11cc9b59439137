// The all-reports table: filter by province, year and level, sort by any column, page through.
// Reads the compact data/table.json once; filter state lives in the URL hash so it can be shared.
(function () {
  "use strict";
  var PAGE = 100;
  var COLUMNS = [
    { key: "title", label: "报告" }, { key: "unit", label: "单位" }, { key: "province", label: "省（区、市）" },
    { key: "city", label: "市" }, { key: "county", label: "县（区）" }, { key: "year", label: "年度" },
    { key: "level", label: "级别" }
  ];

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function readState() {
    var state = { province: "", year: "", level: "", q: "", sort: "province", dir: "asc", page: 1 };
    location.hash.replace(/^#/, "").split("&").forEach(function (pair) {
      var kv = pair.split("=");
      if (kv[0] && kv[0] in state) state[kv[0]] = decodeURIComponent(kv.slice(1).join("=") || "");
    });
    state.page = Math.max(1, parseInt(state.page, 10) || 1);
    return state;
  }

  function writeState(state) {
    var parts = [];
    ["province", "year", "level", "q", "sort", "dir", "page"].forEach(function (k) {
      var v = state[k];
      if (v && !(k === "page" && v === 1) && !(k === "sort" && v === "province") && !(k === "dir" && v === "asc")) {
        parts.push(k + "=" + encodeURIComponent(v));
      }
    });
    history.replaceState(null, "", parts.length ? "#" + parts.join("&") : location.pathname);
  }

  function init(root) {
    fetch(root.getAttribute("data-src")).then(function (r) { return r.json(); }).then(function (data) {
      var base = root.getAttribute("data-reports");
      var rows = data.rows.map(function (r) {
        return { slug: r[0], title: r[1], unit: r[2], province: data.provinces[r[3]], city: r[4],
                 county: r[5], year: r[6] || "", level: data.levels[r[7]] };
      });
      var state = readState();
      root.textContent = "";

      var form = el("form", { "class": "table-filters", role: "search", "aria-label": "筛选报告" });
      form.addEventListener("submit", function (e) { e.preventDefault(); });
      function select(name, label, values) {
        var wrap = el("label", {}, label + " ");
        var s = el("select", { name: name });
        s.appendChild(el("option", { value: "" }, "全部"));
        values.forEach(function (v) { s.appendChild(el("option", { value: String(v) }, String(v))); });
        s.value = state[name];
        s.addEventListener("change", function () { state[name] = s.value; state.page = 1; render(); });
        wrap.appendChild(s);
        form.appendChild(wrap);
        return s;
      }
      var years = Array.from(new Set(rows.map(function (r) { return r.year; }).filter(Boolean))).sort().reverse();
      select("province", "省份", data.provinces);
      select("year", "年度", years);
      select("level", "级别", data.levels);
      var qLabel = el("label", {}, "名称包含 ");
      var q = el("input", { type: "search", name: "q", placeholder: "乡镇、县或标题中的字" });
      q.value = state.q;
      q.addEventListener("input", function () { state.q = q.value.trim(); state.page = 1; render(); });
      qLabel.appendChild(q);
      form.appendChild(qLabel);
      root.appendChild(form);

      var status = el("p", { "class": "table-status", "aria-live": "polite" });
      root.appendChild(status);
      var scroller = el("div", { "class": "report-table-scroll" });
      var table = el("table", { "class": "report-table" });
      var caption = el("caption", {}, "全部报告");
      table.appendChild(caption);
      var thead = el("thead");
      var headRow = el("tr");
      var headers = {};
      COLUMNS.forEach(function (col) {
        var th = el("th", { scope: "col" });
        var b = el("button", { type: "button" }, col.label);
        b.addEventListener("click", function () {
          state.dir = state.sort === col.key && state.dir === "asc" ? "desc" : "asc";
          state.sort = col.key;
          render();
        });
        th.appendChild(b);
        headers[col.key] = th;
        headRow.appendChild(th);
      });
      thead.appendChild(headRow);
      table.appendChild(thead);
      var tbody = el("tbody");
      table.appendChild(tbody);
      scroller.appendChild(table);
      root.appendChild(scroller);
      var pager = el("nav", { "class": "table-pager", "aria-label": "分页" });
      root.appendChild(pager);

      function render() {
        var words = state.q ? state.q.split(/\s+/) : [];
        var shown = rows.filter(function (r) {
          if (state.province && r.province !== state.province) return false;
          if (state.year && String(r.year) !== state.year) return false;
          if (state.level && r.level !== state.level) return false;
          var hay = r.title + r.unit + r.county + r.city;
          return words.every(function (w) { return hay.indexOf(w) !== -1; });
        });
        var key = state.sort, sign = state.dir === "desc" ? -1 : 1;
        shown.sort(function (a, b) {
          var x = a[key], y = b[key];
          var c = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y), "zh-CN");
          return sign * c || a.slug.localeCompare(b.slug);
        });
        var pages = Math.max(1, Math.ceil(shown.length / PAGE));
        state.page = Math.min(state.page, pages);
        var start = (state.page - 1) * PAGE;
        tbody.textContent = "";
        shown.slice(start, start + PAGE).forEach(function (r) {
          var tr = el("tr");
          var td = el("td");
          td.appendChild(el("a", { href: base + r.slug + "/" }, r.title));
          tr.appendChild(td);
          ["unit", "province", "city", "county", "year", "level"].forEach(function (k) { tr.appendChild(el("td", {}, String(r[k] || "—"))); });
          tbody.appendChild(tr);
        });
        COLUMNS.forEach(function (col) {
          headers[col.key].setAttribute("aria-sort", col.key === state.sort ? (state.dir === "asc" ? "ascending" : "descending") : "none");
        });
        status.textContent = "共 " + shown.length + " 份报告" + (pages > 1 ? "，第 " + state.page + " / " + pages + " 页" : "");
        pager.textContent = "";
        if (pages > 1) {
          [["上一页", state.page - 1], ["下一页", state.page + 1]].forEach(function (p) {
            var b = el("button", { type: "button" }, p[0]);
            b.disabled = p[1] < 1 || p[1] > pages;
            b.addEventListener("click", function () { state.page = p[1]; render(); root.scrollIntoView(); });
            pager.appendChild(b);
          });
        }
        writeState(state);
      }
      render();
    }).catch(function (err) {
      root.appendChild(el("p", { "class": "table-error" }, "报告列表加载失败：" + err));
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.getElementById("report-table");
    if (root) init(root);
  });
})();
