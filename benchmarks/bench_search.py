"""Benchmark: full-text search on generated archives, in headless Chromium.

    python benchmarks/bench_search.py --counts 1000 10000

For each size: generate and convert the reports, build the search index
(timed, with its size and file count), put it behind the real search page of a
site built from the seeds, then run each query as a reader's *first* query (a
fresh browser profile: nothing cached) and as a *later* query on the same
page. Reports the bytes fetched from the index for the query, the time from
submitting it to the complete, ranked result count ("counted"), and to the
first page of results drawn with titles and snippets ("drawn"). search.js itself (loaded with every page) is reported separately.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from corpus import cached, counts_arguments, site_project  # noqa: E402

QUERIES = ["法治政府", "三重一大", "枫桥经验", "老兵调解室", "行政复议", "法治政府建设", "依法行政 民法典",
           "罗店镇", "羅店鎮", "２０２２", "合法性审查全覆盖", "不存在的词语组合"]

TIME_QUERY = """async (q) => {
  const root = document.getElementById("archive-search");
  const input = document.getElementById("search-query");
  const done = new Promise((resolve) => {
    new MutationObserver((_, obs) => {
      const status = document.querySelector(".search-status").textContent;
      if ((root.getAttribute("data-state") === "done" && root.getAttribute("data-q") === q) || status.startsWith("没有")) {
        obs.disconnect(); resolve();
      }
    }).observe(root, { attributes: true, childList: true, subtree: true, characterData: true });
  });
  root.removeAttribute("data-state");
  root.setAttribute("data-q", q);
  const t0 = performance.now();
  input.value = q;
  input.form.requestSubmit();
  await done;
  return { ms: performance.now() - t0, answer: Number(root.getAttribute("data-ms")),
           results: document.querySelector(".search-status").textContent };
}"""


def build_index(count: int, work: Path) -> tuple[Path, dict]:
    from converter import pages
    from converter.collection import convert_paths
    from converter.search_index import build_index as build

    corpus = cached(work, count)
    reports, problems = convert_paths([str(corpus)], jobs=os.cpu_count())
    docs = [pages.search_doc(pages.Entry.of(r)) for r in reports]
    del reports
    start = time.perf_counter()
    files = build(docs, release_texts=True)  # as the build does
    elapsed = time.perf_counter() - start
    site = work / f"search-site-{count}"
    script = site / "assets" / "search.js"
    if not script.exists() or script.read_bytes() != (ROOT / "docs" / "assets" / "search.js").read_bytes():
        shutil.rmtree(site, ignore_errors=True)  # a site from another search.js would measure that one
        project = site_project(work / "search-project", ROOT / "seeds")
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(site)], cwd=project,
                       check=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    shutil.rmtree(site / "search-data")
    for path, content in files.items():
        target = site / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    sizes = [len(c) for c in files.values()]
    return site, {"reports": len(docs), "problems": len(problems), "index_s": elapsed,
                  "index_mb": sum(sizes) / 1e6, "files": len(sizes),
                  "largest_kb": max(sizes) / 1024}


def measure(site: Path) -> list[dict]:
    from browser import CHROMIUM, LAUNCH_ARGS, serve
    from playwright.sync_api import sync_playwright

    rows = []
    with serve(site) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        for i, q in enumerate(QUERIES):
            later = QUERIES[(i + 1) % len(QUERIES)]
            context = browser.new_context()
            page = context.new_page()
            fetched: list = []
            page.on("requestfinished", lambda r: fetched.append(r))
            page.goto(url + "/search/")
            page.wait_for_selector(".search-status")
            page.wait_for_load_state("networkidle")
            script = sum(r.sizes()["responseBodySize"] for r in fetched if r.url.endswith("search.js"))
            fetched.clear()
            first = page.evaluate(TIME_QUERY, q)
            first_parts = _by_kind(fetched)
            fetched.clear()
            second = page.evaluate(TIME_QUERY, later)
            later_kb = sum(_by_kind(fetched).values())
            rows.append({"query": q, "first_kb": sum(first_parts.values()), "first_ms": first["ms"],
                         "status": first["results"], "answer_ms": first["answer"],
                         "parts": first_parts, "later": later, "later_kb": later_kb, "later_ms": second["ms"],
                         "search_js_kb": script / 1024})
            context.close()
        browser.close()
    return rows


def _by_kind(requests) -> dict[str, float]:
    """KB fetched from the index per kind of file: b (buckets), p (own postings), x (positions),
    m (display records), t (report texts), and the fixed files by name."""
    parts: dict[str, float] = {}
    for r in requests:
        if "/search-data/" not in r.url:
            continue
        rest = r.url.split("/search-data/", 1)[1]
        kind = rest.split("/", 1)[0] if "/" in rest else rest.split(".", 1)[0]
        parts[kind] = parts.get(kind, 0) + r.sizes()["responseBodySize"] / 1024
    return dict(sorted(parts.items()))


def main() -> None:
    args = counts_arguments(__doc__)
    for count in args.counts:
        site, built = build_index(count, Path(args.work))
        print(f"{built['reports']:>6} reports: index built in {built['index_s']:.0f} s, {built['index_mb']:.0f} MB "
              f"in {built['files']} files (largest {built['largest_kb']:.0f} KB)")
        rows = measure(site)
        for r in rows:
            print(f"    {r['query']:<12} first {r['first_kb']:6.1f} KB, counted {r['answer_ms']:4.0f} ms, "
                  f"drawn {r['first_ms']:4.0f} ms | "
                  f"then {r['later']:<10} {r['later_kb']:6.1f} KB {r['later_ms']:5.0f} ms | {r['status']}")
            print("        " + ", ".join(f"{k} {v:.1f}" for k, v in r["parts"].items()))
        firsts = [r["first_kb"] for r in rows]
        print(f"    first query: median {statistics.median(firsts):.0f} KB, max {max(firsts):.0f} KB; "
              f"counted in median {statistics.median(r['answer_ms'] for r in rows):.0f} ms "
              f"(max {max(r['answer_ms'] for r in rows):.0f}), first page drawn in median "
              f"{statistics.median(r['first_ms'] for r in rows):.0f} ms (max {max(r['first_ms'] for r in rows):.0f}); "
              f"search.js {rows[0]['search_js_kb']:.1f} KB")
        print(json.dumps({"count": count, **built}, ensure_ascii=False))


if __name__ == "__main__":
    main()
