// Full-text search over the archive: exact substring matching, index fetched piece by piece.
// The index format is written by converter/search_index.py; read its docstring first.
// Three roles: the search box in the header (every page), the search page, and highlighting
// the searched words on a report page reached from a result (?h=...).
(function () {
  "use strict";

  var TITLE = 128, HEADING = 64, TF = 63;
  var PAGE = 10;
  var FORMAT = 3;   // converter/search_index.py FORMAT

  function siteBase() {
    var config = document.getElementById("__config");
    var base = config ? JSON.parse(config.textContent).base : ".";
    return new URL(base.replace(/\/?$/, "/"), location.href);
  }

  // --- fetching ------------------------------------------------------------------------

  // The promise ``make()`` gives for ``key``, made once and kept in ``map``; one that fails is forgotten, so that
  // the next ask tries again (a fetch that failed once may work now).
  function remembered(map, key, make) {
    if (!map.has(key)) map.set(key, make().catch(function (err) { map.delete(key); throw err; }));
    return map.get(key);
  }

  function Index(root) {
    this.root = root;
    this.cache = new Map();
    this.manifest = null;
    this.paths = { posting: 0, verify: 0, align: 0, none: 0, head: 0 };   // how terms were answered, for tests
  }

  Index.prototype.bytes = function (path) {
    var self = this;
    return remembered(this.cache, path, function () {
      var url = new URL(path, self.root);
      if (self.manifest) url.search = "v=" + self.manifest.version;
      return fetch(url).then(function (r) {
        if (!r.ok) throw new Error(path + ": " + r.status);
        return r.arrayBuffer();
      }).then(function (buf) {
        var data = new Uint8Array(buf);
        if (data[0] !== 0x1f || data[1] !== 0x8b) return data;   // a server already inflated it
        var stream = new Blob([data]).stream().pipeThrough(new DecompressionStream("gzip"));
        return new Response(stream).arrayBuffer().then(function (b) { return new Uint8Array(b); });
      });
    });
  };

  // Parsed once per file: ten results from one block of records share one parse.
  Index.prototype.json = function (path) {
    var self = this;
    if (!this.parsed) this.parsed = new Map();
    return remembered(this.parsed, path, function () {
      return self.bytes(path).then(function (b) { return JSON.parse(new TextDecoder().decode(b)); });
    });
  };

  Index.prototype.load = function () {
    var self = this;
    if (!this.ready) {
      this.ready = fetch(new URL("manifest.json", this.root)).then(function (r) { return r.json(); })
        .then(function (m) {
          if (m.format !== FORMAT) throw new Error("索引格式 " + m.format + "，本页面读取格式 " + FORMAT);
          self.manifest = m;
          return self.bytes("fold.bin");
        }).then(function (b) {
          var pairs = Array.from(new TextDecoder().decode(b));
          self.fold = new Map();
          for (var i = 0; i + 1 < pairs.length; i += 2) self.fold.set(pairs[i], pairs[i + 1]);
          return self;
        });
    }
    return this.ready;
  };

  Index.prototype.foldText = function (text) {
    var out = "";
    for (var ch of text) out += this.fold.get(ch) || ch;
    return out;
  };

  // --- binary decoding -----------------------------------------------------------------

  function Reader(bytes) { this.b = bytes; this.i = 0; }
  Reader.prototype.varint = function () {
    var value = 0, shift = 0, byte;
    do { byte = this.b[this.i++]; value += (byte & 0x7f) * Math.pow(2, shift); shift += 7; } while (byte & 0x80);
    return value;
  };
  Reader.prototype.take = function (n) { var s = this.b.subarray(this.i, this.i + n); this.i += n; return s; };

  function decodePosting(bytes, df) {
    var r = new Reader(bytes), docs = new Int32Array(df), doc = 0;
    for (var k = 0; k < df; k++) { doc += r.varint(); docs[k] = doc; }
    return { docs: docs, scores: r.take(df) };
  }

  // Per report, each occurrence's place as one number, line * LINE + index in the line: a window k characters
  // on is at place + k, as it never crosses a line (converter/search_grams.py, Grams.positions).
  var LINE = 4294967296;
  function decodePositions(bytes) {
    var r = new Reader(bytes), map = new Map(), doc = 0;
    while (r.i < bytes.length) {
      doc += r.varint();
      var count = r.varint(), at = new Array(count), line = 0, index = 0;
      for (var k = 0; k < count; k++) {
        var gap = r.varint();
        index = gap ? r.varint() : index + r.varint();
        line += gap;
        at[k] = line * LINE + index;
      }
      map.set(doc, at);
    }
    return map;
  }

  function fnv1a(text) {
    var bytes = new TextEncoder().encode(text), h = 0x811c9dc5;
    for (var k = 0; k < bytes.length; k++) { h ^= bytes[k]; h = Math.imul(h, 0x01000193) >>> 0; }
    return h;
  }

  Index.prototype.bucket = function (b) {
    var self = this;
    if (!this.buckets) this.buckets = new Map();
    return remembered(this.buckets, b, function () {
      return self.bytes("b/" + b + ".bin").then(function (bytes) {
        var r = new Reader(bytes), n = r.varint(), grams = new Map(), decoder = new TextDecoder();
        for (var i = 0; i < n; i++) {
          var key = decoder.decode(r.take(r.varint()));
          var entry = { bucket: b, slot: i, df: r.varint(), mode: 0 };
          entry.mode = r.varint();
          if (entry.mode & 4) entry.head = r.take(r.varint());
          if (!(entry.mode & 1)) entry.raw = r.take(r.varint());
          grams.set(key, entry);
        }
        return grams;
      });
    });
  };

  // A gram's entry in its bucket (its report count, df, and how its posting is stored), or null when
  // the index does not hold it. Deciding how to answer a term needs only entries; postings are
  // fetched for the grams that answer it.
  Index.prototype.entry = function (gram) {
    return this.bucket(fnv1a(gram) % this.manifest.buckets).then(function (grams) { return grams.get(gram) || null; });
  };

  Index.prototype.posting = function (entry) {
    var self = this;
    if (!this.postings) this.postings = new WeakMap();   // by bucket entry: decoded once
    return remembered(this.postings, entry, function () {
      return (entry.raw ? Promise.resolve(entry.raw) : self.bytes("p/" + entry.bucket + "-" + entry.slot + ".bin"))
        .then(function (raw) { return decodePosting(raw, entry.df); });
    }).then(function (p) { return { df: entry.df, docs: p.docs, scores: p.scores, entry: entry }; });
  };

  // A large posting's best reports, best first, as search() would rank them: [{doc, rank}].
  function decodeHead(bytes) {
    var r = new Reader(bytes), n = r.varint(), docs = [];
    for (var k = 0; k < n; k++) docs.push(r.varint());
    var scores = r.take(n);
    return docs.map(function (doc, k) { return { doc: doc, rank: rank(scores[k]) }; });
  }

  Index.prototype.positions = function (entry) {
    var self = this;
    return this.bytes("x/" + entry.bucket + ".bin").then(function (bytes) {
      var r = new Reader(bytes);
      while (r.i < bytes.length) {
        var slot = r.varint(), len = r.varint();
        if (slot === entry.slot) {
          return len ? r.take(len) : self.bytes("x/" + entry.bucket + "-" + entry.slot + ".bin");
        }
        r.i += len;
      }
      throw new Error("no positions for " + entry.bucket + "-" + entry.slot);
    }).then(decodePositions);
  };

  // A report's lines (l), their kinds (k), and the lines folded (f) once for matching and snippets.
  Index.prototype.text = function (doc) {
    var self = this;
    return this.json("t/" + doc + ".bin").then(function (text) {
      if (!text.f) text.f = text.l.map(function (line) { return self.foldText(line); });
      return text;
    });
  };

  Index.prototype.record = function (doc) {
    var size = this.manifest.metaBlock;
    return this.json("m/" + Math.floor(doc / size) + ".bin").then(function (block) {
      var r = block[doc % size];
      return { slug: r[0], title: r[1], unit: r[2], town: r[3], province: r[4], year: r[5], level: r[6] };
    });
  };

  Index.prototype.facets = function () { return this.bytes("facets.bin"); };

  // --- matching ----------------------------------------------------------------------

  // A term's hits: Map report id → score byte (occurrences, capped, | heading | title flags).
  function fromPosting(p) {
    var hits = new Map();
    for (var k = 0; k < p.docs.length; k++) hits.set(p.docs[k], p.scores[k]);
    return hits;
  }

  // Occurrences of a folded term in a report's text, counted as the index counts them (overlapping).
  Index.prototype.scoreText = function (text, term) {
    var tf = 0, flags = 0;
    for (var n = 0; n < text.l.length; n++) {
      var line = text.f[n], at = line.indexOf(term), found = 0;
      while (at !== -1) { found++; at = line.indexOf(term, at + 1); }
      if (found) {
        tf += found;
        if (text.k[n] === "t") flags |= TITLE;
        if (text.k[n] === "h") flags |= HEADING;
      }
    }
    return tf ? Math.min(tf, TF) | flags : 0;
  };

  Index.prototype.verify = function (term, docs) {
    var self = this;
    return Promise.all(Array.from(docs, function (d) { return self.text(d); })).then(function (texts) {
      var hits = new Map();
      texts.forEach(function (text, k) {
        var score = self.scoreText(text, term);
        if (score) hits.set(docs[k], score);
      });
      return hits;
    });
  };

  // `part` is the entry of a gram with fewer than rareBelow reports (its posting is in its bucket).
  Index.prototype.verifyOrNone = function (term, part) {
    if (!part) { this.paths.none++; return Promise.resolve(new Map()); }
    this.paths.verify++;
    var self = this;
    return this.posting(part).then(function (p) { return self.verify(term, p.docs); });
  };

  // The entry of a gram with fewer than rareBelow reports that every report holding `chars` is in, or
  // null when `chars` provably occurs nowhere. Called only for a gram the index does not hold.
  Index.prototype.rarePart = function (chars) {
    var self = this, rare = this.manifest.rareBelow;
    var parts = [chars.slice(0, -1), chars.slice(1)];
    return Promise.all(parts.map(function (p) { return self.entry(p.join("")); })).then(function (found) {
      for (var k = 0; k < 2; k++) if (found[k] && found[k].df < rare) return found[k];
      for (k = 0; k < 2; k++) {
        if (!found[k]) return parts[k].length <= self.manifest.minGram ? null : self.rarePart(parts[k]);
      }
      return null;   // both parts are common, so the index would hold this gram if it occurred
    });
  };

  Index.prototype.matchTerm = function (term) {
    var self = this, m = this.manifest, chars = Array.from(term), K = m.maxGram;
    if (chars.length <= K) {
      return this.entry(term).then(function (e) {
        if (e) { self.paths.posting++; return self.posting(e).then(fromPosting); }
        return self.rarePart(chars).then(function (part) { return self.verifyOrNone(term, part); });
      });
    }
    var starts = [];
    for (var s = 0; s + K <= chars.length; s++) starts.push(s);
    var windows = starts.map(function (s) { return chars.slice(s, s + K); });
    return Promise.all(windows.map(function (w) { return self.entry(w.join("")); })).then(function (found) {
      for (var k = 0; k < found.length; k++) {
        if (!found[k]) {
          return self.rarePart(windows[k]).then(function (part) { return self.verifyOrNone(term, part); });
        }
      }
      var rarest = found.reduce(function (a, b) { return b.df < a.df ? b : a; });
      if (rarest.df < m.rareBelow) return self.verifyOrNone(term, rarest);
      self.paths.align++;
      return Promise.all(found.map(function (e) { return self.posting(e); })).then(function (postings) {
        return self.alignWindows(chars.length, starts, postings);
      });
    });
  };

  // Every window is common: the reports holding all windows, checked by the windows' offsets.
  Index.prototype.alignWindows = function (length, starts, found) {
    var K = this.manifest.maxGram, chosen = [];
    for (var s = 0; s < length - K; s += K) chosen.push(s);
    chosen.push(length - K);
    var hits = fromPosting(found[0]);
    for (var k = 1; k < found.length; k++) hits = intersect(hits, fromPosting(found[k]), function (a, b) { return a & b; });
    var self = this;
    return Promise.all(chosen.map(function (s) { return self.positions(found[s].entry); })).then(function (lists) {
      var out = new Map();
      hits.forEach(function (score, doc) {
        var first = lists[0].get(doc), sets = lists.map(function (l) { return new Set(l.get(doc)); }), tf = 0;
        for (var p of first) {
          var ok = true;
          for (var j = 1; j < chosen.length && ok; j++) ok = sets[j].has(p + chosen[j]);
          if (ok) tf++;
        }
        if (tf) out.set(doc, Math.min(tf, TF) | (score & (TITLE | HEADING)));
      });
      return out;
    });
  };

  function intersect(a, b, combine) {
    var out = new Map();
    a.forEach(function (v, k) { if (b.has(k)) out.set(k, combine(v, b.get(k))); });
    return out;
  }

  function rank(score) {
    return (score & TITLE ? 100000 : 0) + (score & HEADING ? 1000 : 0) + (score & TF);
  }

  // What the search page shows first: the number of reports matching, the best of them ([{doc, rank}],
  // best first) and, when those are not all, more() for every one (search()'s answer). A single term
  // the index holds with a head, unfiltered, needs only its bucket: its count is its df and its head is
  // search()'s first PAGE, so the first answer costs the same at any size of archive.
  Index.prototype.first = function (terms, filters) {
    var self = this, m = this.manifest;
    function all() {
      return self.search(terms, filters).then(function (hits) { return { count: hits.length, hits: hits, more: null }; });
    }
    if (terms.length !== 1 || this.wanted(filters).filtering || Array.from(terms[0]).length > m.maxGram) return all();
    return this.entry(terms[0]).then(function (e) {
      if (!e || !e.head) return all();
      self.paths.head++;
      var hits = decodeHead(e.head);
      return { count: e.df, hits: hits, more: hits.length < e.df ? function () { return self.search(terms, filters); } : null };
    });
  };

  // The filters as facets.bin codes (a province or level below 0, a year below 1: any), and whether any applies.
  Index.prototype.wanted = function (filters) {
    var m = this.manifest;
    var wanted = {
      province: filters.province ? m.provinces.indexOf(filters.province) : -1,
      year: filters.year ? m.years.indexOf(Number(filters.year)) + 1 : -1,
      level: filters.level ? m.levels.indexOf(filters.level) : -1
    };
    wanted.filtering = wanted.province >= 0 || wanted.year >= 1 || wanted.level >= 0;
    return wanted;
  };

  // Every report matching all terms and filters, best first: [{doc, rank}].
  Index.prototype.search = function (terms, filters) {
    var self = this, m = this.manifest, wanted = this.wanted(filters), filtering = wanted.filtering;
    var facets = filtering ? this.facets() : Promise.resolve(null);
    var matched = terms.length
      ? Promise.all(terms.map(function (t) { return self.matchTerm(t); })).then(function (maps) {
        var ranks = new Map();
        maps[0].forEach(function (s, d) { ranks.set(d, rank(s)); });
        for (var k = 1; k < maps.length; k++) {
          ranks = intersect(ranks, maps[k], function (r, s) { return r + rank(s); });
        }
        return ranks;
      })
      : Promise.resolve(null);
    return Promise.all([matched, facets]).then(function (both) {
      var ranks = both[0], f = both[1], out = [];
      function keep(d) {
        if (!f) return true;
        return (wanted.province < 0 || f[3 * d] === wanted.province) && (wanted.year < 1 || f[3 * d + 1] === wanted.year) &&
          (wanted.level < 0 || f[3 * d + 2] === wanted.level);
      }
      if (ranks) ranks.forEach(function (r, d) { if (keep(d)) out.push({ doc: d, rank: r }); });
      else if (filtering) for (var d = 0; d < m.reports; d++) if (keep(d)) out.push({ doc: d, rank: 0 });
      out.sort(function (a, b) { return b.rank - a.rank || a.doc - b.doc; });
      return out;
    });
  };

  // The query's terms as typed: words split at spaces; a phrase wrapped whole in quotes ("…", “…”, 「…」)
  // is one term, its spaces dropped (the index never matches across a space). A quote mark inside a word
  // is part of it, as in the text it was copied from (部“定时).
  var TOKEN = /\s*(?:["“「『]([^"“”「」『』]*)["”」』](?=\s|$)|(\S+))/g;
  function typedTerms(query) {
    var out = [], m;
    TOKEN.lastIndex = 0;
    while ((m = TOKEN.exec(query)) && m[0]) {
      var term = m[1] !== undefined ? m[1].replace(/\s+/g, "") : m[2];
      if (term) out.push(term);
    }
    return out;
  }

  // The query's terms, folded, each once.
  Index.prototype.terms = function (query) {
    var self = this;
    return typedTerms(query).map(function (t) { return self.foldText(t); })
      .filter(function (t, k, all) { return all.indexOf(t) === k; });
  };

  // How many times the terms occur in a report's text (each term counted as the index counts it).
  Index.prototype.matches = function (text, folded) {
    var self = this;
    return folded.reduce(function (sum, term) {
      var n = 0;
      text.f.forEach(function (line) { for (var at = line.indexOf(term); at !== -1; at = line.indexOf(term, at + 1)) n++; });
      return sum + n;
    }, 0);
  };

  // --- snippets ----------------------------------------------------------------------

  // The first line of the body holding a term (the title only when the body holds none), cut around the
  // first hit, as [text, isMatch] pieces.
  Index.prototype.snippet = function (text, folded, width) {
    var order = text.l.map(function (_, n) { return n; });
    order.sort(function (a, b) { return (text.k[a] === "t") - (text.k[b] === "t") || a - b; });
    for (var o = 0; o < order.length; o++) {
      var n = order[o];
      var line = text.l[n], lf = text.f[n], first = -1;
      folded.forEach(function (t) { var at = lf.indexOf(t); if (at !== -1 && (first === -1 || at < first)) first = at; });
      if (first === -1) continue;
      var from = Math.max(0, first - width), to = Math.min(line.length, first + width * 2);
      var marks = new Array(to - from).fill(false);
      folded.forEach(function (t) {
        for (var at = lf.indexOf(t, from); at !== -1 && at < to; at = lf.indexOf(t, at + 1)) {
          for (var c = at; c < Math.min(at + t.length, to); c++) marks[c - from] = true;
        }
      });
      var pieces = [], k = from;
      while (k < to) {
        var end = k;
        while (end < to && marks[end - from] === marks[k - from]) end++;
        pieces.push([line.slice(k, end), marks[k - from]]);
        k = end;
      }
      return { pieces: pieces, before: from > 0, after: to < line.length, kind: text.k[n] };
    }
    return null;
  };

  // --- the search page ---------------------------------------------------------------

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function readParams() {
    var p = new URLSearchParams(location.search);
    return { q: p.get("q") || "", province: p.get("province") || "", year: p.get("year") || "", level: p.get("level") || "" };
  }

  function writeParams(state) {
    var p = new URLSearchParams();
    ["q", "province", "year", "level"].forEach(function (k) { if (state[k]) p.set(k, state[k]); });
    var qs = p.toString();
    history.replaceState(null, "", location.pathname + (qs ? "?" + qs : ""));
  }

  function searchPage(root, index, base) {
    var state = readParams();
    root.textContent = "";
    var form = el("form", { "class": "search-form", role: "search", "aria-label": "全文检索" });
    var input = el("input", { type: "search", name: "q", id: "search-query", autocomplete: "off",
      placeholder: "输入词语，如 三重一大；多个词用空格分开", "aria-label": "检索词" });
    input.value = state.q;
    form.appendChild(input);
    var filters = el("div", { "class": "search-filters" });
    form.appendChild(filters);
    root.appendChild(form);
    var status = el("p", { "class": "search-status", role: "status", "aria-live": "polite" });
    var list = el("ol", { "class": "search-results" });
    var more = el("button", { type: "button", "class": "md-button search-more", hidden: "" }, "显示更多结果");
    root.appendChild(status);
    root.appendChild(list);
    root.appendChild(more);
    var m = index.manifest;

    function select(name, label, values, counts) {
      var wrap = el("label", {}, label + " ");
      var s = el("select", { name: name });
      s.appendChild(el("option", { value: "" }, "全部"));
      values.forEach(function (v) {
        s.appendChild(el("option", { value: String(v) }, v + "（" + (counts[String(v)] || 0) + "）"));
      });
      s.value = state[name];
      s.addEventListener("change", function () { state[name] = s.value; run(); });
      wrap.appendChild(s);
      filters.appendChild(wrap);
    }
    select("province", "省份", m.provinces, m.counts.province);
    select("year", "年度", m.years, m.counts.year);
    select("level", "级别", m.levels, m.counts.level);

    // results: the hits known so far, best first; count: how many match; rest: fetches them all (first()).
    var timer = null, generation = 0, results = [], count = 0, rest = null, shown = 0, folded = [];
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { state.q = input.value.trim(); run(); }, 200);
    });
    form.addEventListener("submit", function (e) { e.preventDefault(); clearTimeout(timer); state.q = input.value.trim(); run(); });
    more.addEventListener("click", function () { showMore(generation); });

    function run() {
      writeParams(state);
      var mine = ++generation;
      folded = index.terms(state.q);
      var short = folded.filter(function (t) { return Array.from(t).length < m.minGram; });
      list.textContent = "";
      more.hidden = true;
      more.disabled = false;   // a fetch of more results for the previous query may still be pending
      if (short.length) { status.textContent = "每个检索词至少两个字：" + short.join("、"); return; }
      if (!folded.length && !state.province && !state.year && !state.level) {
        status.textContent = "共 " + m.reports + " 份报告。输入检索词，或选择省份、年度、级别。";
        return;
      }
      status.textContent = "正在检索……";
      var started = performance.now();
      index.first(folded, state).then(function (found) {
        if (mine !== generation) return;
        results = found.hits;
        count = found.count;
        rest = found.more;
        shown = 0;
        root.setAttribute("data-ms", String(Math.round(performance.now() - started)));
        var typed = typedTerms(state.q);   // echoed as the reader typed them, not folded
        status.textContent = count ? "找到 " + count + " 份报告" + (typed.length ? "包含“" + typed.join("”和“") + "”" : "") + "。"
          : "没有找到" + (typed.length ? "包含“" + typed.join("”和“") + "”的" : "符合条件的") + "报告。";
        return showMore(mine);
      }).catch(function (err) {
        if (mine === generation) status.textContent = "检索出错：" + err.message;
      });
    }

    function showMore(mine) {
      if (rest && shown + PAGE > results.length) {   // past the head: every hit, once
        var fetching = rest;
        rest = null;
        more.disabled = true;
        return fetching().then(function (all) {
          if (mine !== generation) return;
          results = all;
          count = all.length;   // the head's df, counted again
          more.disabled = false;
          return showMore(mine);
        }).catch(function (err) {
          if (mine !== generation) return;
          rest = fetching;
          more.disabled = false;
          status.textContent = "检索出错：" + err.message;
        });
      }
      var page = results.slice(shown, shown + PAGE);
      shown += page.length;
      more.hidden = shown >= count;
      return Promise.all(page.map(function (hit) {
        return Promise.all([index.record(hit.doc), folded.length ? index.text(hit.doc) : null]);
      })).then(function (rows) {
        if (mine !== generation) return;
        rows.forEach(function (row) { list.appendChild(resultItem(row[0], row[1])); });
        root.setAttribute("data-state", "done");
      });
    }

    function resultItem(rec, text) {
      var li = el("li", { "class": "search-result" });
      var href = new URL("reports/" + rec.slug + "/", base);
      if (folded.length) href.search = "h=" + encodeURIComponent(folded.join(" "));
      var a = el("a", { href: href.href, "class": "search-result__title" }, rec.title);
      li.appendChild(a);
      var facts = [rec.province, rec.town || rec.unit, rec.year ? rec.year + " 年" : "", rec.level,
                   text ? index.matches(text, folded) + " 处匹配" : ""].filter(Boolean);
      li.appendChild(el("div", { "class": "search-result__meta" }, facts.join(" · ")));
      if (text) {
        var snip = index.snippet(text, folded, 40);
        if (snip) {
          var p = el("p", { "class": "search-result__snippet" });
          if (snip.kind === "n") p.appendChild(el("span", { "class": "search-result__kind" }, "整理者注："));
          if (snip.before) p.appendChild(document.createTextNode("…"));
          snip.pieces.forEach(function (piece) {
            p.appendChild(piece[1] ? el("mark", {}, piece[0]) : document.createTextNode(piece[0]));
          });
          if (snip.after) p.appendChild(document.createTextNode("…"));
          li.appendChild(p);
        }
      }
      return li;
    }

    run();
  }

  // --- highlighting on a report page -------------------------------------------------

  // Annotation furniture (a note's number and tooltip) and heading permalinks are not the report's text.
  var NOT_TEXT = ".ann-ref, .ann-tip, .headerlink, script, style";
  var BLOCK = "p, li, h1, h2, h3, h4, h5, h6, td, th, dd, dt, pre, summary";

  // Matches are found in each block's text as a whole, so a match that runs across a note's mark or any
  // other inline element is still found; each matched piece of each text node is then wrapped.
  function highlight(index, words) {
    var article = document.querySelector(".md-content article");
    if (!article) return;
    var walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        var parent = node.parentElement;
        return parent && !parent.closest(NOT_TEXT) ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT;
      }
    });
    var groups = new Map(), node;
    while ((node = walker.nextNode())) {
      var block = node.parentElement.closest(BLOCK) || article;
      if (!groups.has(block)) groups.set(block, []);
      groups.get(block).push(node);
    }
    var marks = [];
    groups.forEach(function (nodes) {
      var folded = nodes.map(function (n) { return index.foldText(n.data); }).join(""), cuts = [];
      words.forEach(function (w) {
        for (var at = folded.indexOf(w); at !== -1; at = folded.indexOf(w, at + w.length)) cuts.push([at, at + w.length]);
      });
      if (!cuts.length) return;
      cuts.sort(function (a, b) { return a[0] - b[0]; });
      var kept = [], reach = 0;
      cuts.forEach(function (c) { if (c[0] >= reach) { kept.push(c); reach = c[1]; } });
      var offset = 0;
      nodes.forEach(function (n) {
        var from = offset, to = offset + n.data.length, pieces = [];
        offset = to;
        kept.forEach(function (c) {
          var a = Math.max(c[0], from), b = Math.min(c[1], to);
          if (a < b) pieces.push([a - from, b - from]);
        });
        if (!pieces.length) return;
        var frag = document.createDocumentFragment(), k = 0;
        pieces.forEach(function (c) {
          frag.appendChild(document.createTextNode(n.data.slice(k, c[0])));
          var mark = el("mark", { "class": "search-hit" }, n.data.slice(c[0], c[1]));
          frag.appendChild(mark);
          marks.push(mark);
          k = c[1];
        });
        frag.appendChild(document.createTextNode(n.data.slice(k)));
        n.parentNode.replaceChild(frag, n);
      });
    });
    if (marks.length) {
      marks[0].setAttribute("tabindex", "-1");
      marks[0].scrollIntoView({ block: "center" });
      marks[0].focus({ preventScroll: true });
    }
    document.body.setAttribute("data-search-hits", String(marks.length));
  }

  function start() {
    var base = siteBase();
    var index = new Index(new URL("search-data/", base));
    var root = document.getElementById("archive-search");
    if (root) {
      index.load().then(function () { searchPage(root, index, base); }).catch(function (err) {
        root.textContent = "检索索引加载失败：" + err.message;
      });
    }
    var h = new URLSearchParams(location.search).get("h");
    if (h && !root) {
      index.load().then(function () { highlight(index, index.terms(h)); }).catch(function () {
        document.body.setAttribute("data-search-hits", "0");   // the page reads as it is, unmarked
      });
    }
    window.archiveSearch = index;   // for the browser tests and the benchmark
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
