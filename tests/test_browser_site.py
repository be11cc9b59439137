"""What a reader does on the site, in a real headless browser."""

from __future__ import annotations

import pytest

from browser import LAUNCH_ARGS, CHROMIUM, Watch, require_browser, serve
from conftest import SEEDS
from sitebuild import build, make_project


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    sync_api = require_browser()
    project = make_project(tmp_path_factory.mktemp("browse"))
    result = build(project, strict=True)
    assert result.returncode == 0, result.stderr[-2000:]
    with serve(project / "site") as url, sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield url, browser
        browser.close()


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


def test_table_filters_by_province_and_sorts(site_url):
    url, browser = site_url
    page = browser.new_page()
    watch = Watch(page, url)
    page.goto(url + "/table/")
    rows = page.locator("table.report-table tbody tr")
    rows.first.wait_for()
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
    assert download.suggested_filename == "003_f635664e5ef9ff1d.txt"
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
