"""What a reader and a researcher meet (issue 12): Chinese chrome, ways to correct, lean pages, citable data."""

from __future__ import annotations

import html
import json
import re
import tomllib

import pytest
import yaml

from conftest import ROOT
from converter import dataset
from converter.pages.datafiles import DATA_FIELDS
from sitebuild import build, make_project

REPORT = "reports/chongqing-dazu-shiwanzhen-2022/index.html"
REPO = "https://github.com/example/fazhi-archive"


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """The site as the Pages workflow builds it: with its own address and the repository's."""
    import os

    project = make_project(tmp_path_factory.mktemp("published"))
    env = {"SITE_URL": "https://archive.example.org/", "REPO_URL": REPO, "SOURCE_DATE_EPOCH": "1767225600"}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        result = build(project, strict=True)
    finally:
        for k, v in old.items():
            os.environ.pop(k) if v is None else os.environ.__setitem__(k, v)
    assert result.returncode == 0, result.stderr[-3000:]
    return project / "site", result.stderr


@pytest.fixture(scope="module")
def local(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("local"))
    result = build(project, strict=True)
    assert result.returncode == 0, result.stderr[-3000:]
    return project / "site"


def page(site, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def test_theme_chrome_is_chinese(local):
    home = page(local, "index.html")
    assert "Made with" not in home and "Material for MkDocs" not in home
    assert 'title="本节链接"' in page(local, REPORT) and "Permanent link" not in page(local, REPORT)
    missing = page(local, "404.html")
    assert "找不到这个页面" in missing and "Not found" not in missing


def test_the_build_log_does_not_list_every_report(published):
    _, log = published
    assert "not included in the" not in log and "chongqing-dazu-shiwanzhen-2022.md" not in log


def test_each_page_loads_only_the_scripts_it_uses_and_defers_them(local):
    uses = {"index.html": set(), "table/index.html": {"table", "search"}, "search/index.html": {"search"},
            REPORT: {"search", "cite", "annotations"}, "data/index.html": {"cite"}, "places/chongqing/index.html": set()}
    for rel, wanted in uses.items():
        html = page(local, rel)
        ours = re.findall(r'<script src="[./]*assets/(\w+)\.js"( defer)?></script>', html)
        assert {name for name, _ in ours} == wanted | {"header"}, rel
        assert all(deferred for _, deferred in ours), rel


def test_report_pages_carry_citation_meta_tags_and_a_description(published):
    site, _ = published
    html = page(site, REPORT)
    tags = re.findall(r'<meta name="(citation_\w+)" content="([^"]*)">', html)
    assert ("citation_title", "关于拾万镇2022年法治政府建设情况的报告") in tags
    assert ("citation_author", "重庆市大足区拾万镇人民政府") in tags
    assert ("citation_technical_report_institution", "重庆市大足区拾万镇人民政府") in tags
    assert ("citation_public_url", "https://archive.example.org/reports/chongqing-dazu-shiwanzhen-2022/") in tags
    description = re.search(r'<meta name="description" content="([^"]*)">', html).group(1)
    assert description.startswith("重庆市大足区拾万镇2022年度法治政府建设情况报告")


def test_a_reader_can_correct_a_report_or_add_its_source(published, local):
    site, _ = published
    html = page(site, REPORT)
    assert f'href="{REPO}"' in page(site, "index.html")  # the header links to the repository
    # The first reports have sidecars: edit it; a report without one gets a new file named after it.
    assert f'{REPO}/edit/main/seeds/000_66a8a630a4ee21e1.yml' in html and f"{REPO}/issues/new?title=" in html
    assert "纠错 / 补充来源" in html and "source_url" not in re.sub(r"<pre.*?</pre>", "", html, flags=re.S)
    assert 'href="../../contribute/"' in page(local, REPORT)  # without a repository: the guide


def test_the_contribution_page_does_not_pass_a_local_preview_off_as_the_site(local):
    assert 'href="http://127.0.0.1' not in page(local, "contribute/index.html")


def test_texts_jsonl_carries_every_metadata_field(local):
    records = json.loads(page(local, "data/reports.json"))
    texts = [json.loads(line) for line in page(local, "data/texts.jsonl").splitlines()]
    assert [t["slug"] for t in texts] == [r["slug"] for r in records]
    for record, text in zip(records, texts):
        assert set(DATA_FIELDS) <= set(text) and {k: text[k] for k in record} == record and len(text["text"]) > 1000


def test_the_data_page_states_licence_version_and_how_to_cite_the_archive(published):
    site, _ = published
    html = page(site, "data/index.html")
    version = re.search(r"数据版本 <strong>([^<]+)</strong>，数据截至 (\d{4}-\d{2}-\d{2})", html)
    assert version and version.group(2) == "2026-01-01"  # SOURCE_DATE_EPOCH
    assert version.group(1).startswith(dataset.project_version() + "+")
    assert "著作权法》第五条" in html and "CC BY 4.0" in html
    assert f"版本 {version.group(1)}" in html and "https://archive.example.org/" in html


def test_the_data_version_changes_with_any_report_and_only_then(local, tmp_path):
    from converter import convert_file
    from conftest import seed_files

    metas = [convert_file(str(p)).metadata for p in seed_files()]
    assert dataset.release(metas).version == dataset.release(list(reversed(metas))).version
    assert dataset.release(metas).version != dataset.release(metas[1:]).version


def test_citation_cff_agrees_with_the_project(local):
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert cff["cff-version"] == "1.2.0" and cff["type"] == "dataset"
    assert cff["version"] == project["version"] and cff["license"] == dataset.LICENSE_ID
    assert cff["title"] == dataset.NAME


# English a reader must never meet on the site: theme chrome, the converter's and check's old wording.
ENGLISH_UI = ("Made with", "Permanent link", "Not found", "Fix:", "NOT READY", "gazetteer", "sidecar", "the title",
              "title block", "signature block", "answers to", "names ", "not resolved", "source address", "Skip to",
              "Back to top", "Table of contents", "Copy to clipboard", "Search", "Previous", "Next", "line ",
              "key '", "report(s)", "restored from", "heading number")


class _Readable(__import__("html.parser").parser.HTMLParser):
    """The text a reader sees or hears: text nodes, and titles, labels and placeholders; not scripts or code."""

    SKIP = ("script", "style", "code")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0
        self._english: list[str] = []

    def handle_starttag(self, tag, attrs):
        self._skip += tag in self.SKIP
        if ("lang", "en") in attrs:  # English on purpose (a term's English definition), marked as such
            self._english.append(tag)
            self._skip += 1
        self.parts += [v for k, v in attrs if k in ("title", "aria-label", "placeholder", "alt") and v]

    def handle_endtag(self, tag):
        self._skip -= tag in self.SKIP and self._skip > 0
        if self._english and tag == self._english[-1]:
            self._english.pop()
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def test_no_english_ui_phrase_on_any_page(local):
    found = []
    for path in sorted(local.rglob("*.html")):
        reader = _Readable()
        reader.feed(path.read_text(encoding="utf-8"))
        text = " ".join(reader.parts)
        found += [(str(path.relative_to(local)), phrase) for phrase in ENGLISH_UI if phrase in text]
    assert found == []


OFFICIAL_ORDER = ["江西省", "重庆市", "宁夏回族自治区"]  # GB/T 2260: 36, 50, 64 (pinyin would put 宁夏 first)


def test_provinces_follow_the_official_code_order_everywhere(local):
    def order(text: str) -> list[str]:
        return sorted(OFFICIAL_ORDER, key=lambda p: text.index(p))

    table = json.loads(page(local, "data/table.json"))
    assert table["provinces"] == OFFICIAL_ORDER
    assert json.loads(page(local, "search-data/manifest.json"))["provinces"] == OFFICIAL_ORDER  # the search filter
    places = page(local, "places/index.html")
    assert order(places[places.index("<table"):]) == OFFICIAL_ORDER
    home = page(local, "index.html")
    chart = home[home.index("各省级地区报告数"):]
    assert order(chart[:chart.index("</figure>")]) == OFFICIAL_ORDER


def test_sub_index_pages_have_a_title_and_a_trail(local):
    pinyin = page(local, "towns/d/index.html")
    assert re.search(r"<h1[^>]*>拼音 D<", pinyin) and "<title>拼音 D - " in pinyin  # heading and tab title
    for rel, parent, here in [("towns/d/index.html", "单位名称拼音索引", "D"), ("places/chongqing/index.html", "按地区浏览", "重庆市"),
                              ("years/2022/index.html", "按年份浏览", "2022 年"), ("levels/zhen/index.html", "按级别浏览", "镇")]:
        trail = re.search(r'<p class="archive-crumbs"><a href="../">([^<]+)</a> › ([^<]+)</p>', page(local, rel))
        assert trail and trail.groups() == (parent, here), rel


def test_counts_and_words_are_right_for_a_municipality(local):
    index = page(local, "places/index.html")
    row = re.search(r"重庆市</a></td>\s*<td>([^<]+)</td>", index)
    assert row and row.group(1) == "—"  # a 直辖市 has no 地级市 to count
    assert "括号内为报告数" not in index  # the index is a table: no brackets there
    chongqing = page(local, "places/chongqing/index.html")
    assert "括号内为报告数" in chongqing and re.search(r"<h2[^>]*>大足区（1）", chongqing)
    assert "<strong>同市：重庆市</strong>" in page(local, REPORT) and "同省：重庆市" not in page(local, REPORT)


def test_the_year_chart_runs_the_same_way_as_the_year_table(local):
    years = page(local, "years/index.html")
    chart, table = years[:years.index("</figure>")], years[years.index("<table"):]
    in_chart = re.findall(r">(20\d\d)</text>", chart)
    in_table = re.findall(r">(20\d\d) 年</a>", table)
    assert in_chart == in_table == sorted(in_table, reverse=True) and len(in_table) >= 2


def test_an_original_in_another_encoding_can_be_read_in_the_browser(tmp_path):
    from converter import convert_file
    from converter.pages import Entry, build
    from conftest import SEEDS

    gb = tmp_path / "chongqing-dazu-shiwanzhen-2022.txt"
    gb.write_bytes((SEEDS / "000_66a8a630a4ee21e1.txt").read_text(encoding="utf-8").encode("gb18030"))
    utf8 = convert_file(str(SEEDS / "001_d6ab253036f6199f.txt"))
    files = build([Entry.of(convert_file(str(gb))), Entry.of(utf8)])
    view = files["originals/chongqing-dazu-shiwanzhen-2022.utf8.txt"]
    assert view.startswith("\ufeff") and view[1:] == convert_file(str(gb)).decoded.text  # a BOM, then the text
    assert files["originals/chongqing-dazu-shiwanzhen-2022.txt"] == gb.read_bytes()  # the original, untouched
    assert 'href="../../originals/chongqing-dazu-shiwanzhen-2022.utf8.txt"' in files["reports/chongqing-dazu-shiwanzhen-2022.md"].html
    # A UTF-8 original is its own view: no copy.
    assert not any(p.startswith(f"originals/{utf8.metadata.slug}.utf8") for p in files)
    assert f'href="../../originals/{utf8.metadata.slug}.txt">在浏览器中查看原文' in files[f"reports/{utf8.metadata.slug}.md"].html


def test_lean_reports_make_every_file_full_ones_do_byte_for_byte(tmp_path):
    """The site keeps its reports lean (``Report.lean``: no original bytes, no decoded copy of a UTF-8 original,
    no cleaned lines); every file it makes of them, originals and a GB18030 original's text view included,
    is the one it makes of the whole reports."""
    from converter import convert_file
    from converter.pages import Entry, build, write_files
    from conftest import SEEDS

    gb = tmp_path / "chongqing-dazu-shiwanzhen-2022.txt"
    gb.write_bytes((SEEDS / "000_66a8a630a4ee21e1.txt").read_text(encoding="utf-8").encode("gb18030"))
    sources = [str(gb), str(SEEDS / "001_d6ab253036f6199f.txt")]

    def written(folder: str, lean: bool) -> dict[str, bytes]:
        reports = [convert_file(s) for s in sources]
        if lean:
            reports = [r.lean() for r in reports]
            assert [r.raw for r in reports] == [None, None]
            assert reports[0].decoded is not None and reports[1].decoded is None  # only GB18030 gets a view
        write_files(tmp_path / folder, build([Entry.of(r) for r in reports]))
        return {str(p.relative_to(tmp_path / folder)): p.read_bytes()
                for p in sorted((tmp_path / folder).rglob("*")) if p.is_file()}

    whole, lean = written("whole", False), written("lean", True)
    assert "originals/chongqing-dazu-shiwanzhen-2022.utf8.txt" in lean
    assert lean["originals/chongqing-dazu-shiwanzhen-2022.txt"] == gb.read_bytes()
    assert lean == whole


def test_an_original_changed_after_its_conversion_is_reported_not_copied(tmp_path):
    """A lean report's original is copied from its file: if the file changed since it was converted, the page
    (which states its size and digest) and the file would disagree, so the report is held back and named."""
    from converter import convert_file
    from converter.pages import Entry, build
    from conftest import SEEDS

    path = tmp_path / "report.txt"
    path.write_bytes((SEEDS / "001_d6ab253036f6199f.txt").read_bytes())
    report = convert_file(str(path)).lean()
    slug = report.metadata.slug
    assert f"originals/{slug}.txt" in build([Entry.of(report)])
    path.write_bytes(path.read_bytes() + "补充一句。\n".encode())
    failed: list = []
    files = build([Entry.of(report)], failed=failed)
    assert f"originals/{slug}.txt" not in files and f"reports/{slug}.md" not in files
    assert [p.path for p in failed] == [str(path)] and "转换之后被修改" in str(failed[0])


def test_a_held_back_report_is_named_on_the_problems_page_as_literal_text(tmp_path):
    """The held-back report's file name is the contributor's: the problems page shows it as text, not markup."""
    from converter import convert_file
    from converter.pages import Entry, build
    from conftest import SEEDS
    from sitebuild import site_markdown

    name = '某镇<img src=x onerror="alert(1)">&amp;*粗*[链接](javascript:alert(2)).txt'
    path = tmp_path / name
    path.write_bytes((SEEDS / "001_d6ab253036f6199f.txt").read_bytes())
    report = convert_file(str(path)).lean()
    path.write_bytes(path.read_bytes() + "补充一句。\n".encode())
    files = build([Entry.of(report)])
    page = site_markdown().convert(files["problems.md"])
    assert "<img" not in page and "<em>" not in page and 'href="javascript' not in page, "no markup from the name"
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    assert text.count(name) == 2, "as the heading and as the place, each character as written"
    assert "转换之后被修改" in text


def test_the_repository_states_the_same_data_licence_as_the_site():
    text = (ROOT / "LICENSE-DATA.md").read_text(encoding="utf-8")
    assert "著作权法》第五条" in text and dataset.LICENSE_NAME.split("（")[0] in text and dataset.LICENSE_URL in text
