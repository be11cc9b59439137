"""Full-text search in a real headless browser, checked against Ctrl-F over the report texts.

Two sites are built from the same 32 reports (seeds, labelled samples and a traditional-script,
full-width copy of a seed): one with the index's default settings, and one with settings
small enough that 32 reports reach every way the browser answers a query (a stored posting,
a rare part checked against texts, windows aligned by their positions).
"""

from __future__ import annotations

import re

import pytest

from browser import Watch, serve
from converter import search_index
from converter.searchfold import fold_chars
from searchcorpus import (POLICY_TERMS, TRADITIONAL_NAME, random_substrings, report_files, search_docs, truth)
from sitebuild import build, make_project

SMALL = {"search_max_gram": 3, "search_rare_below": 2, "search_own_file_from": 16}

RUN_QUERIES = """async (queries) => {
  const index = window.archiveSearch;
  await index.load();
  const out = [];
  for (const q of queries) {
    const hits = await index.search(index.terms(q), {});
    const records = await Promise.all(hits.map((h) => index.record(h.doc)));
    out.push(records.map((r) => r.slug));
  }
  return { results: out, paths: index.paths };
}"""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("reports")
    files = report_files(folder)
    return files, search_index.order(search_docs(folder))


def _site(tmp_path_factory, files, options: dict):
    sidecars = [f.with_suffix(".yml") for f in files if f.with_suffix(".yml").exists()]  # notes are searched too
    project = make_project(tmp_path_factory.mktemp("search"), seeds=files + sidecars)
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    extra = "".join(f"      {k}: {v}\n" for k, v in options.items())
    config = config.replace("  - archive:\n      seeds: seeds\n", "  - archive:\n      seeds: seeds\n" + extra)
    assert extra == "" or extra in config
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    result = build(project, strict=True)
    assert result.returncode == 0, result.stderr[-2000:]
    return project / "site"


@pytest.fixture(scope="module")
def browser(chromium):
    return chromium


@pytest.fixture(scope="module", params=[{}, SMALL], ids=["default", "small"])
def site(request, tmp_path_factory, corpus, browser):
    files, docs = corpus
    site_dir = _site(tmp_path_factory, files, request.param)
    with serve(site_dir) as url:
        yield url, docs, request.param


@pytest.fixture(scope="module")
def default_site(tmp_path_factory, corpus, browser):
    files, docs = corpus
    with serve(_site(tmp_path_factory, files, {})) as url:
        yield url, docs


def run_queries(browser, url: str, queries: list[str]) -> dict:
    """Each query through the page's own search code: result slugs in rank order, and the paths taken."""
    page = browser.new_page()
    watch = Watch(page, url)
    page.goto(url + "/search/")
    page.wait_for_selector(".search-status")
    got = page.evaluate(RUN_QUERIES, queries)
    watch.check()
    page.close()
    return got


def query_set(docs) -> list[str]:
    traditional = [d for d in docs if d.title.startswith("腴地鄉")]
    queries = list(POLICY_TERMS)
    queries += random_substrings(docs, 120, (2, 5), seed=4)
    queries += random_substrings(docs, 20, (6, 12), seed=5)
    queries += ["法治政府 三重一大", "行政复议 人民调解", "依法行政 民法典 普法", "老兵调解室 行政复议"]
    queries += ["腴地乡", "腴地鄉", "２０２３", "2023年法治政府建设", "關於２０２３年", "不存在的词语组合"]
    assert traditional, f"the traditional-script copy ({TRADITIONAL_NAME}) is in the corpus"
    return queries


def test_every_query_returns_exactly_the_reports_that_contain_it(site, browser):
    url, docs, options = site
    queries = query_set(docs)
    got = run_queries(browser, url, queries)
    found = expected = correct = 0
    wrong = []
    for q, slugs in zip(queries, got["results"]):
        want = truth(q, docs)
        assert len(slugs) == len(set(slugs)), q
        found += len(slugs)
        expected += len(want)
        correct += len(want & set(slugs))
        if set(slugs) != want:
            wrong.append((q, sorted(set(slugs) - want), sorted(want - set(slugs))))
    assert not wrong, wrong[:5]
    recall, precision = correct / expected, correct / found
    assert (recall, precision) == (1.0, 1.0)
    assert expected > 300, "the query set finds something"
    paths = got["paths"]
    assert paths["posting"] > 0 and paths["verify"] > 0
    if options:
        assert paths["align"] > 0, "long queries over common windows were answered by positions"


def test_script_and_width_variants_match_each_other(site, browser):
    url, docs, _ = site
    got = run_queries(browser, url, ["腴地乡人民政府", "腴地鄉人民政府", "2023年法治政府建设", "２０２３年法治政府建設"])
    simplified, traditional, half, full = (set(r) for r in got["results"])
    assert simplified == traditional and half == full
    assert any(s.endswith("ac4a0adb") or "-2023-" in s for s in simplified)
    assert len(simplified) >= 2, "the seed and its traditional, full-width copy"


def test_results_are_ranked_titles_then_headings_then_occurrences(site, browser):
    url, docs, _ = site
    queries = ["法治政府", "行政执法", "普法", "依法行政"]
    got = run_queries(browser, url, queries)
    by_slug = {d.slug: d for d in docs}
    order = {d.slug: i for i, d in enumerate(docs)}
    for q, slugs in zip(queries, got["results"]):
        term = fold_chars(q)

        def key(slug):
            d = by_slug[slug]
            lines = [fold_chars(line) for line in d.lines]
            tf = sum(_overlapping(line, term) for line in lines)
            title = any(term in line for line, k in zip(lines, d.kinds) if k == "title")
            heading = any(term in line for line, k in zip(lines, d.kinds) if k == "heading")
            return (-(title * 100000 + heading * 1000 + min(tf, 63)), order[slug])

        assert slugs == sorted(slugs, key=key), q


FIRST_THEN_ALL = """async (queries) => {
  const index = window.archiveSearch;
  await index.load();
  const firsts = [];
  for (const q of queries) firsts.push(await index.first(index.terms(q), {}));
  const fetched = Array.from(index.cache.keys());
  const out = [];
  for (let k = 0; k < queries.length; k++) {
    const all = await index.search(index.terms(queries[k]), {});
    out.push({ count: firsts[k].count, first: firsts[k].hits, more: !!firsts[k].more, all: all });
  }
  return { out: out, fetched: fetched, heads: index.paths.head };
}"""


def test_the_first_page_is_the_start_of_every_result_and_costs_no_large_posting(site, browser):
    """A one-term query the index holds with a head shows its count and first page from the bucket
    alone; they are exactly the count and the start of the full answer, which "more" fetches."""
    url, docs, options = site
    page = browser.new_page()
    watch = Watch(page, url)
    page.goto(url + "/search/")
    page.wait_for_selector(".search-status")
    # Terms no longer than the index's grams (longer ones are answered from their windows' postings).
    max_gram = options.get("search_max_gram", search_index.MAX_GRAM)
    short = [q for q in POLICY_TERMS if len(q) <= max_gram]
    got = page.evaluate(FIRST_THEN_ALL, short)
    assert not [path for path in got["fetched"] if path.startswith("p/")], "no posting file before more is asked for"
    if options:
        assert got["heads"] >= 2, "the small settings give frequent terms a head"
    else:
        assert got["heads"] == 0, "32 reports make no posting large enough for a file of its own"
    page.reload()
    page.wait_for_selector(".search-status")
    got = page.evaluate(FIRST_THEN_ALL, POLICY_TERMS)
    for q, r in zip(POLICY_TERMS, got["out"]):
        assert r["count"] == len(r["all"]) == len(truth(q, docs)), q
        assert r["first"] == r["all"][:len(r["first"])], q
        assert r["more"] == (len(r["first"]) < len(r["all"])), q

    # On the page: the first ten from the head, then every result in the full answer's order.
    term = max(short, key=lambda q: len(truth(q, docs)))
    assert len(truth(term, docs)) > 10, "a second page to ask for"
    want = truth(term, docs)
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url))
    page.route("**/search-data/p/**", lambda route: route.abort())  # the network fails once the head is shown
    page.goto(url + "/search/?q=" + term)
    page.wait_for_selector("#archive-search[data-state=done]")
    assert f"找到 {len(want)} 份报告" in page.locator(".search-status").inner_text()
    assert page.locator(".search-result").count() == 10
    if options:
        assert not [u for u in fetched if "/search-data/p/" in u], "the first page came from the head"
        more = page.locator(".search-more")
        more.click()
        page.locator(".search-status", has_text="检索出错").wait_for()
        assert more.is_enabled() and page.locator(".search-result").count() == 10
        assert watch.errors == ["console error: Failed to load resource: net::ERR_FAILED"], "only the failure made here"
        watch.errors.clear()
    page.unroute("**/search-data/p/**")  # and works again: "more" is tried afresh
    more = page.locator(".search-more")
    while more.is_visible():
        shown = page.locator(".search-result").count()
        more.click()
        page.wait_for_function("n => document.querySelectorAll('.search-result').length > n", arg=shown)
    links = page.locator(".search-result__title").evaluate_all("els => els.map(a => a.pathname)")
    order = next(r["all"] for q, r in zip(POLICY_TERMS, got["out"]) if q == term)
    slugs = [link.rstrip("/").rsplit("/", 1)[-1] for link in links]
    by_id = {i: d.slug for i, d in enumerate(docs)}
    assert slugs == [by_id[h["doc"]] for h in order]
    watch.check()
    page.close()


def _overlapping(line: str, term: str) -> int:
    return sum(1 for i in range(len(line) - len(term) + 1) if line.startswith(term, i))


def test_reader_searches_from_the_header_filters_and_lands_on_the_match(default_site, browser):
    url, docs = default_site
    page = browser.new_page()
    watch = Watch(page, url)
    page.goto(url + "/")
    page.keyboard.press("/")
    box = page.get_by_role("searchbox", name="全文检索（按 / 键聚焦）")
    assert box.evaluate("el => el === document.activeElement")
    box.type("行政复议")
    box.press("Enter")
    page.wait_for_selector("#archive-search[data-state=done]")
    results = page.locator(".search-result")
    want = truth("行政复议", docs)
    assert f"找到 {len(want)} 份报告" in page.locator(".search-status").inner_text()
    assert results.count() == min(len(want), 10)
    assert "行政复议" in results.first.locator("mark").first.inner_text()
    assert results.first.locator(".search-result__meta").inner_text().strip()

    # A filter narrows the results and lives in the address; without a query it lists reports.
    province = next(d.province for d in docs if d.slug in want)
    page.get_by_label("省份").select_option(province)
    page.locator(".search-status", has_text=re.compile("^找到")).wait_for()  # no string eval: the CSP forbids it
    expected = {s for s in want if next(d for d in docs if d.slug == s).province == province}
    assert f"找到 {len(expected)} 份报告" in page.locator(".search-status").inner_text()
    assert "province=" in page.url
    page.get_by_role("searchbox", name="检索词").fill("")
    page.get_by_label("年度").select_option("2023")
    page.locator(".search-status", has_text=re.compile("^找到")).wait_for()  # no string eval: the CSP forbids it
    listed = [d for d in docs if d.province == province and d.year == 2023]
    assert f"找到 {len(listed)} 份报告" in page.locator(".search-status").inner_text()

    # Back to the query; keyboard to the first result; the report opens at the highlighted match.
    page.goto(url + "/search/?q=老兵调解室")
    page.wait_for_selector("#archive-search[data-state=done]")
    page.locator(".search-result__title").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("mark.search-hit")
    assert int(page.get_attribute("body", "data-search-hits")) >= 1
    mark = page.locator("mark.search-hit").first
    assert mark.inner_text() == "老兵调解室"
    assert mark.evaluate("el => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }")
    watch.check()
    page.close()


def test_search_works_on_a_phone(default_site, browser):
    url, _ = default_site
    page = browser.new_page(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    watch = Watch(page, url)
    page.goto(url + "/search/?q=依法行政")
    page.wait_for_selector("#archive-search[data-state=done]")
    assert page.locator(".search-result").count() > 0
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    assert page.locator(".archive-search input").is_visible()
    watch.check()
    page.close()
