"""Hostile contributions in a real browser: no dialog, no console error, nothing blocked by the CSP.

Every page of a site built from hostile reports and sidecars is opened in
Chromium; a script that ran would call alert() (a dialog), and one that the
Content-Security-Policy stopped would be reported. The theme's own scripts,
search, the table and citations must all still work under the policy.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

import hostile
from browser import Watch, require_browser, serve
from sitebuild import build, make_project

# Reports every violation the browser sees, whatever the page's own scripts do.
CSP_REPORTER = ("document.addEventListener('securitypolicyviolation', e => "
                "console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI))")


def _open_every_page(browser, site, width: int) -> int:
    pages = sorted(site.rglob("*.html"))
    with serve(site) as url:
        context = browser.new_context(viewport={"width": width, "height": 900})
        context.add_init_script(CSP_REPORTER)
        page = context.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        watch = Watch(page, url)
        for path in pages:
            rel = path.relative_to(site).as_posix()
            page.goto(f"{url}/{rel}", wait_until="load")
            page.locator("body").hover()  # an injected onmouseover would fire now
            assert not dialogs, (rel, dialogs)
            watch.check()
        context.close()
    return len(pages)


@settings(max_examples=1, deadline=None, database=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                 HealthCheck.data_too_large])
@given(st.lists(hostile.contribution(), min_size=hostile.REPORTS, max_size=hostile.REPORTS))
@example([hostile.ISSUE_EXAMPLE] * hostile.REPORTS)
def test_no_hostile_value_runs_on_any_page(chromium, tmp_path_factory, contributions):
    site = hostile.write_site(tmp_path_factory.mktemp("browse-hostile"), contributions, harmless_twin=False)
    assert _open_every_page(chromium, site, 1280) >= 15  # reports, indexes, fixed pages, problems


def test_search_results_and_their_highlights_show_hostile_text_as_text(chromium, tmp_path_factory):
    site = hostile.write_site(tmp_path_factory.mktemp("search-hostile"), [hostile.ISSUE_EXAMPLE], harmless_twin=False)
    with serve(site) as url:
        page = chromium.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        watch = Watch(page, url)
        page.goto(url + "/search/?q=onerror")  # the query is in the report's text: <img src=x onerror=alert(12)>
        page.locator(".search-status", has_text=re.compile("^找到")).wait_for()
        result = page.locator(".search-result").first
        assert "<img src=x onerror=alert(12)>" in result.inner_text()
        result.locator("a").first.click()  # the report opens with the match highlighted
        page.wait_for_url("**/reports/hostile-a-2023/**")
        assert page.locator("mark.search-hit").first.inner_text() == "onerror"
        page.locator("mark.search-hit").first.hover()
        assert not dialogs, dialogs
        watch.check()
        page.close()


@pytest.fixture(scope="module")
def seeds_site(tmp_path_factory):
    require_browser()
    project = make_project(tmp_path_factory.mktemp("csp"))
    result = build(project, strict=True)
    assert result.returncode == 0, result.stderr[-2000:]
    return project / "site"


def test_every_page_of_the_archive_runs_under_its_policy_at_both_widths(chromium, seeds_site):
    for width in (1280, 375):
        _open_every_page(chromium, seeds_site, width)


def test_the_policy_stops_an_injected_inline_script_and_the_theme_still_works(chromium, seeds_site):
    with serve(seeds_site) as url:
        page = chromium.new_page()
        blocked: list[str] = []
        page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
        page.goto(url + "/reports/jiangxi-ganzhou-quannan-dajishanzhen-2022/")
        # A script that slipped past every escape would be an inline script like this one.
        page.evaluate("""() => { const s = document.createElement('script');
                                 s.textContent = 'window.__ran = true'; document.body.append(s); }""")
        assert page.evaluate("() => window.__ran") is None
        assert blocked, "the browser reported no CSP refusal"
        # Material's inline scripts are allowed by their hashes: the palette toggle works and is remembered.
        scheme = lambda: page.evaluate("() => document.body.getAttribute('data-md-color-scheme')")  # noqa: E731
        before = scheme()
        changed = page.locator(f'body:not([data-md-color-scheme="{before}"])')  # waits; no string eval under CSP
        page.locator("form[data-md-component=palette] label:visible").first.click()
        changed.wait_for(state="attached")
        page.reload()
        changed.wait_for(state="attached")
        assert scheme() not in (before, None)
        # The citation script ran: the reader's date is filled in.
        assert dt.date.today().isoformat() in page.locator(".citation pre code").first.inner_text()
        page.close()


def test_a_report_title_with_markup_reads_as_text_in_the_header_and_tab(chromium, tmp_path_factory):
    site = hostile.write_site(tmp_path_factory.mktemp("title"), [hostile.ISSUE_EXAMPLE], harmless_twin=False)
    with serve(site) as url:
        page = chromium.new_page()
        page.goto(url + "/reports/hostile-a-2023/")
        title = hostile.ISSUE_EXAMPLE["sidecar"]["title"]
        assert page.title() == f"{title} - 法治政府建设报告档案"
        assert page.locator(".md-header__topic").last.inner_text().strip() == title
        assert page.locator("dl.report-meta a", has_text=re.compile("^https://x.gov.cn/")).get_attribute("href") \
            == hostile.ISSUE_EXAMPLE["sidecar"]["source_url"]
        page.close()
