"""Accessibility as axe-core measures it, on the pages readers use most, at desktop and phone widths."""

from __future__ import annotations

import re

import pytest

from browser import serve
from sitebuild import build, make_project

PAGES = {
    "home": "/",
    "report": "/reports/chongqing-dazu-shiwanzhen-2022/",
    "search results": "/search/?q=法治政府",
    "table": "/table/",
    "place": "/places/chongqing/",
    "data": "/data/",
    "contribute": "/contribute/",
    "notes": "/notes/",
    "report, a note open": "/reports/chongqing-dazu-shiwanzhen-2022/",
    "report, a term open": "/reports/jiangxi-ganzhou-quannan-dajishanzhen-2022/",
    "glossary": "/terms/",
    "term": "/terms/sanzhong-yida/",
    "documents": "/laws/",
    "document": "/laws/minfadian/",
    "shared passages": "/passages/",
    "figures": "/figures/",
    "figures of a category": "/figures/xinfang/",
}
# What must be drawn before axe looks: the search's results (search.js marks its root done), the table's rows.
READY = {"search results": ('#archive-search[data-state="done"] .search-result', None),
         "table": ("table.report-table tbody tr", None),
         "figures of a category": ("th .sort-button", None)}


@pytest.fixture(scope="module")
def site(tmp_path_factory, chromium):
    project = make_project(tmp_path_factory.mktemp("a11y"))
    result = build(project, strict=True)
    assert result.returncode == 0, result.stderr[-2000:]
    with serve(project / "site") as url:
        yield url


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("name", list(PAGES))
def test_no_axe_violations(chromium, site, name, width):
    from axe_playwright_python.sync_playwright import Axe

    page = chromium.new_page(viewport={"width": width, "height": 900})
    page.goto(site + PAGES[name])
    if name in READY:
        selector, text = READY[name]
        page.locator(selector, has_text=re.compile(text) if text else None).first.wait_for()
    if name == "report, a note open":  # the seeds' notes: the tooltip is read too, over the page
        page.locator("mark.ann").first.hover()
        page.locator(".ann-anchor.is-open .ann-tip").wait_for()
    if name == "report, a term open":  # a term linked again: its tooltip is a copy of the first one's
        page.locator("a.ann-term[data-tip]").first.focus()
        page.locator(".ann-anchor--term:focus-within .ann-tip").wait_for()
    results = Axe().run(page)
    page.close()
    assert results.violations_count == 0, results.generate_report()
