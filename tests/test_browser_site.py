"""What a reader does on the site, in a real headless browser."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from browser import Watch, serve
from conftest import SEEDS
from sitebuild import build, make_project


@pytest.fixture(scope="module")
def site_url(tmp_path_factory, chromium):
    project = make_project(tmp_path_factory.mktemp("browse"))
    sidecar = project / "seeds" / "003_f635664e5ef9ff1d.yml"  # an address that was changed once
    sidecar.write_text(sidecar.read_text(encoding="utf-8") + "former_slugs: [quannan-dajishan-2022]\n",
                       encoding="utf-8")
    result = build(project, strict=True)
    assert result.returncode == 0, result.stderr[-2000:]
    with serve(project / "site") as url:
        yield url, chromium


def test_reader_reaches_a_report_through_the_place_index(site_url):
    url, browser = site_url
    page = browser.new_page()
    watch = Watch(page, url)
    page.goto(url + "/")
    assert "法治政府建设报告档案" in page.title()
    page.get_by_role("navigation").get_by_role("link", name="按地区").first.click()
    page.get_by_role("link", name="江西省").first.click()
    page.locator("article").get_by_role("link", name="2022").first.click()
    assert page.locator("h1").first.inner_text().startswith("关于大吉山镇2022年度")
    assert "全南县" in page.locator("dl.report-meta").inner_text()
    watch.check()
    page.close()


def _table(browser, url, **options):
    """The table page, once its rows are drawn: the page, its watch and its rows."""
    page = browser.new_page(**options)
    watch = Watch(page, url)
    page.goto(url + "/table/")
    rows = page.locator("table.report-table tbody tr")
    rows.first.wait_for()
    return page, watch, rows


def test_table_filters_by_province_and_sorts(site_url):
    url, browser = site_url
    page, watch, rows = _table(browser, url)
    assert rows.count() == 5
    page.get_by_label("省份").select_option("重庆市")
    assert rows.count() == 3
    assert all("重庆市" in rows.nth(i).inner_text() for i in range(3))
    assert "province=" in page.url
    page.get_by_role("button", name="年度").click()
    years = [rows.nth(i).locator("td").nth(5).inner_text() for i in range(3)]
    assert years == sorted(years)
    page.goto(url + "/table/#level=乡")
    page.reload()
    rows.first.wait_for()
    assert rows.count() == 1 and "腴地乡" in rows.first.inner_text()
    watch.check()
    page.close()


def test_original_file_downloads_byte_for_byte(site_url):
    url, browser = site_url
    page = browser.new_page(accept_downloads=True)
    watch = Watch(page, url)
    page.goto(url + "/reports/jiangxi-ganzhou-quannan-dajishanzhen-2022/")
    with page.expect_download() as info:
        page.get_by_role("link", name="下载原始文件").click()
    download = info.value
    assert download.suggested_filename == "jiangxi-ganzhou-quannan-dajishanzhen-2022.txt"  # the address name: no file name can break out
    with open(download.path(), "rb") as fh:
        assert fh.read() == (SEEDS / "003_f635664e5ef9ff1d.txt").read_bytes()
    watch.check()
    page.close()


def test_phone_width_has_no_horizontal_scroll(site_url):
    url, browser = site_url
    page = browser.new_page(viewport={"width": 375, "height": 800})
    watch = Watch(page, url)
    for path in ("/", "/reports/chongqing-dazu-shiwanzhen-2022/", "/table/", "/places/chongqing/"):
        page.goto(url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, (path, overflow)
    watch.check()
    page.close()


def test_citation_carries_todays_date_and_the_absolute_address(site_url):
    url, browser = site_url
    page = browser.new_page()
    watch = Watch(page, url)
    address = url + "/reports/jiangxi-ganzhou-quannan-dajishanzhen-2022/"
    page.goto(address)
    page.get_by_role("link", name="GB/T 7714、BibTeX、CSL-JSON").click()
    assert page.url.endswith("#cite")
    gbt = page.locator(".citation pre code").first
    assert gbt.is_visible()
    today = dt.date.today().isoformat()
    assert gbt.inner_text().strip() == (
        f"中共大吉山镇委员会, 大吉山镇人民政府. 关于大吉山镇2022年度法治政府建设工作情况的报告[EB/OL]. "
        f"(2023-01-09)[{today}]. {address}.")
    page.locator(".citation .tabbed-labels > label", has_text="BibTeX").click()
    bibtex = page.locator(".citation pre code").nth(1)
    assert bibtex.is_visible() and f"urldate  = {{{today}}}" in bibtex.inner_text()
    page.locator(".citation .tabbed-labels > label", has_text="CSL-JSON").click()
    item = json.loads(page.locator(".citation pre code").nth(2).inner_text())
    assert item["accessed"] == {"raw": today} and item["archive_location"] == address
    watch.check()
    page.close()


def test_a_former_address_takes_the_reader_to_the_report(site_url):
    url, browser = site_url
    page = browser.new_page()
    page.goto(url + "/reports/quannan-dajishan-2022/?h=法治#cite")
    page.wait_for_url("**/reports/jiangxi-ganzhou-quannan-dajishanzhen-2022/**")
    assert page.url.endswith("/reports/jiangxi-ganzhou-quannan-dajishanzhen-2022/?h=%E6%B3%95%E6%B2%BB#cite")
    assert page.locator("h1").first.inner_text().startswith("关于大吉山镇2022年度")
    page.close()


def test_table_filter_folds_script_and_width_and_matches_pinyin(site_url):
    url, browser = site_url
    page, watch, rows = _table(browser, url)
    box = page.get_by_role("searchbox", name="名称包含")
    for typed in ("大足區", "ＤＡＺＵ", "dazu", "拾万 2022"):
        box.fill(typed)
        page.locator(".table-status", has_text="共 1 份报告").wait_for()
        assert rows.count() == 1 and "拾万镇" in rows.first.inner_text(), typed
    box.fill("漳州")
    page.locator(".table-status", has_text="共 0 份报告").wait_for()
    watch.check()
    page.close()


def test_table_on_a_phone_is_cards_with_readable_titles(site_url):
    url, browser = site_url
    page = browser.new_page(viewport={"width": 375, "height": 800})
    page.goto(url + "/table/")
    title = page.locator("table.report-table tbody tr td.col-title").first
    title.wait_for()
    assert title.bounding_box()["width"] >= 375 / 2
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
    unit = page.locator("table.report-table tbody tr td.col-unit").first
    assert unit.evaluate("td => getComputedStyle(td, '::before').content") == '"单位："'  # each field labelled
    page.close()


def test_the_rows_a_filter_keeps_download_as_csv(site_url):
    import csv
    import io

    url, browser = site_url
    page = browser.new_page(accept_downloads=True)
    page.goto(url + "/table/#province=重庆市")
    page.locator(".table-status", has_text="共 3 份报告").wait_for()
    with page.expect_download() as info:
        page.get_by_role("button", name="下载这些报告（CSV）").click()
    with open(info.value.path(), encoding="utf-8") as fh:
        text = fh.read()
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert len(rows) == 3 and {r["province"] for r in rows} == {"重庆市"}
    assert all(r["url"].startswith(url + "/reports/") and r["url"].endswith("/") for r in rows)
    page.close()


def _search(page, url, query):
    from urllib.parse import quote

    page.goto(url + "/search/?q=" + quote(query))
    # The status is written before the results are drawn; search.js marks the page done once they are.
    page.locator('#archive-search[data-state="done"]').wait_for(state="attached")
    return page.locator(".search-status").inner_text(), page.locator(".search-result")


def test_search_takes_quoted_phrases_and_single_characters_and_echoes_the_query(site_url):
    url, browser = site_url
    page = browser.new_page()
    watch = Watch(page, url)
    for query in ("腴", "“腴地”", '"腴地"', "「腴地」", "鄉 腴"):
        status, results = _search(page, url, query)
        assert "腴地乡" in results.first.locator(".search-result__title").inner_text(), (query, status)
        # The other: a report whose note (in the seeds' sidecars) names 腴地乡; notes are searched too.
        assert results.count() == 2, (query, status)
        if "鄉" not in query:  # its snippet is the note (with 鄉 too, the first line with 乡 is quoted)
            assert "整理者注" in results.nth(1).inner_text(), (query, status)
    status, _ = _search(page, url, "“腴地”")
    assert "包含“腴地”" in status
    status, _ = _search(page, url, "鄉 腴")  # traditional, as typed: the message shows what the reader typed
    assert "包含“鄉”和“腴”" in status
    status, results = _search(page, url, "法治")
    assert results.count() == 5
    watch.check()
    page.close()


def test_a_result_counts_its_matches_and_quotes_the_body_not_the_title(site_url):
    url, browser = site_url
    page = browser.new_page()
    _, results = _search(page, url, "腴地乡")
    result = results.first
    count = int(re.search(r"(\d+) 处匹配", result.locator(".search-result__meta").inner_text()).group(1))
    text = (SEEDS / "002_c10955fb4422cdc5.txt").read_text(encoding="utf-8")
    assert count == text.count("腴地乡")
    snippet = result.locator(".search-result__snippet").inner_text()
    assert "腴地乡" in snippet and "关于2023年法治政府建设情况的报告" not in snippet  # a body line, not the title
    page.close()
