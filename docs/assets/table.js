// The all-reports table: filter by province, year, level and by words of a name, sort by any column, page
// through, and download the rows a filter keeps as CSV. Reads the compact data/table.json once; the filter
// state lives in the URL hash so it can be shared. Words are folded as the search folds them (script, width,
// case: 大足區 finds 大足区), with the fold map of assets/search.js, and match the names' pinyin too (dazu).
(function () {
  "use strict";
  var PAGE = 100;
  var COLUMNS = [
    { key: "title", label: "报告" }, { key: "unit", label: "单位" }, { key: "province", label: "省（区、市）" },
    { key: "city", label: "市" }, { key: "county", label: "县（区）" }, { key: "year", label: "年度" },
    { key: "level", label: "级别" }, { key: "date", label: "日期" }, { key: "source", label: "来源" },
    { key: "notes", label: "注释" }, { key: "shared", label: "相同文字" }
  ];
  var CSV_FIELDS = ["slug", "title", "unit", "province", "city", "county", "year", "level", "date", "source_url", "notes",
                    "shared", "url"];

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

  // A cell a spreadsheet shows and never runs: text that starts like a formula gets an apostrophe first.
  function csvCell(value) {
    var text = value === undefined || value === null ? "" : String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = "'" + text;
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  function init(root) {
    var base = new URL(root.getAttribute("data-reports"), location.href);
    fetch(root.getAttribute("data-src")).then(function (r) { return r.json(); }).then(function (data) {
      var at = {};
      data.columns.forEach(function (name, i) { at[name] = i; });
      var rows = data.rows.map(function (r, n) {
        return { slug: r[at.slug], title: r[at.title], unit: r[at.unit], province: data.provinces[r[at.province]],
                 city: r[at.city], county: r[at.county], year: r[at.year] || "", level: data.levels[r[at.level]],
                 date: r[at.date], source_url: r[at.source_url], pinyin: r[at.pinyin], notes: r[at.notes] || 0,
                 shared: r[at.shared] || 0, order: n };
      });
      var fold = null;   // the search's fold map, loaded when a word is first typed
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
      var q = el("input", { type: "search", name: "q", placeholder: "乡镇、县或标题中的字，或拼音" });
      q.value = state.q;
      q.addEventListener("input", function () { state.q = q.value.trim(); state.page = 1; withFold(render); });
      qLabel.appendChild(q);
      form.appendChild(qLabel);
      var download = el("button", { type: "button", "class": "table-download" }, "下载这些报告（CSV）");
      form.appendChild(download);
      root.appendChild(form);

      var status = el("p", { "class": "table-status", "aria-live": "polite" });
      root.appendChild(status);
      var scroller = el("div", { "class": "report-table-scroll" });
      var table = el("table", { "class": "report-table" });
      table.appendChild(el("caption", {}, "全部报告"));
      var thead = el("thead");
      var headRow = el("tr");
      var headers = {};
      COLUMNS.forEach(function (col) {
        var th = el("th", { scope: "col", "class": "col-" + col.key });
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

      function foldText(text) {
        if (!fold) return text.toLowerCase();
        var out = "";
        for (var ch of text) out += fold.get(ch) || ch;
        return out;
      }

      // Loads the fold map once (a small file of the search index), folds every row once, then calls back.
      function withFold(then) {
        if (fold || !state.q || !window.archiveSearch) return then();
        window.archiveSearch.load().then(function (index) {
          fold = index.fold;
          rows.forEach(function (r) { r.hay = foldText(r.title + " " + r.unit + " " + r.county + " " + r.city); });
          then();
        }).catch(then);
      }

      function matches(r, words) {
        var hay = r.hay || (r.title + " " + r.unit + " " + r.county + " " + r.city).toLowerCase();
        return words.every(function (w) { return hay.indexOf(w) !== -1 || r.pinyin.indexOf(w) !== -1; });
      }

      function filtered() {
        var words = state.q ? state.q.split(/\s+/).map(foldText) : [];
        var shown = rows.filter(function (r) {
          if (state.province && r.province !== state.province) return false;
          if (state.year && String(r.year) !== state.year) return false;
          if (state.level && r.level !== state.level) return false;
          return matches(r, words);
        });
        var key = state.sort === "source" ? "source_url" : state.sort, sign = state.dir === "desc" ? -1 : 1;
        shown.sort(function (a, b) {
          var x = a[key], y = b[key];
          var c = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y), "zh-CN");
          return sign * c || a.order - b.order;
        });
        return shown;
      }

      function cell(r, col) {
        var td = el("td", { "class": "col-" + col.key, "data-label": col.label });
        if (col.key === "title") {
          td.appendChild(el("a", { href: new URL(r.slug + "/", base).href }, r.title));
        } else if (col.key === "source") {
          if (/^https?:\/\//.test(r.source_url || "")) {
            td.appendChild(el("a", { href: r.source_url, rel: "nofollow noopener" }, "原网页"));
          } else {
            td.textContent = "—";
          }
        } else if (col.key === "shared") {
          // The share of the report's text also found in another report (the marks on its page show where).
          td.textContent = r.shared ? Math.round(r.shared * 100) + "%" : "—";
          if (r.shared) td.setAttribute("title", "报告中与其他报告相同的文字所占比例");
        } else if (col.key === "notes") {
          if (r.notes) td.appendChild(el("a", { href: new URL(r.slug + "/#notes", base).href,
                                               "aria-label": r.notes + " 条注释" }, String(r.notes)));
          else td.textContent = "—";
        } else {
          td.textContent = String(r[col.key] || "—");
        }
        return td;
      }

      function render() {
        var shown = filtered();
        var pages = Math.max(1, Math.ceil(shown.length / PAGE));
        state.page = Math.min(state.page, pages);
        var start = (state.page - 1) * PAGE;
        tbody.textContent = "";
        shown.slice(start, start + PAGE).forEach(function (r) {
          var tr = el("tr");
          COLUMNS.forEach(function (col) { tr.appendChild(cell(r, col)); });
          tbody.appendChild(tr);
        });
        COLUMNS.forEach(function (col) {
          headers[col.key].setAttribute("aria-sort", col.key === state.sort ? (state.dir === "asc" ? "ascending" : "descending") : "none");
        });
        status.textContent = "共 " + shown.length + " 份报告" + (pages > 1 ? "，第 " + state.page + " / " + pages + " 页" : "");
        download.disabled = !shown.length;
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

      download.addEventListener("click", function () {
        var lines = [CSV_FIELDS.join(",")];
        filtered().forEach(function (r) {
          var row = Object.assign({}, r, { url: new URL(r.slug + "/", base).href });
          lines.push(CSV_FIELDS.map(function (f) { return csvCell(row[f]); }).join(","));
        });
        // A byte-order mark, so spreadsheet programs read the file as UTF-8.
        var blob = new Blob(["\ufeff" + lines.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
        var a = el("a", { href: URL.createObjectURL(blob), download: "reports-selection.csv" });
        document.body.appendChild(a);
        a.click();
        setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 0);
      });

      withFold(render);
    }).catch(function (err) {
      root.appendChild(el("p", { "class": "table-error" }, "报告列表加载失败：" + err));
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.getElementById("report-table");
    if (root) init(root);
  });
})();
