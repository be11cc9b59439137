"""Key figures: the seeds' figures read by hand, the traps that must give nothing, and the pages and data."""

from __future__ import annotations

import json
import re

import pytest

from conftest import SEEDS
from converter import convert_file, pages
from converter.annotations.figures import find

# Read by eye against the seeds: every figure the extractor takes, and nothing else. Misses are allowed (a
# figure whose clause also speaks of a change, or has no category word); wrong figures are not.
SEED_FIGURES = {
    "000_66a8a630a4ee21e1.txt": [
        ("xuefa", 8, "次", False), ("pufa", 7, "次", False), ("pufa", 3, "场", False),
        ("pufa-materials", 15000, "份", True), ("xinfang", 196, "件", False), ("xinfang", 48, "件", False),
        ("xinfang-rate", 100, "%", False), ("training", 1, "次", False)],
    "001_d6ab253036f6199f.txt": [
        ("xuefa", 5, "次", False), ("review", 60, "次", True), ("adviser", 4, "次", False),
        ("gongkai", 624, "条", False), ("gongkai-requests", 1, "件", False), ("susong", 1, "件", False),
        ("fuyi", 1, "件", False)],
    "002_c10955fb4422cdc5.txt": [
        ("xuefa", 4, "次", False), ("training", 1, "期", False), ("pufa-materials", 200, "份", True),
        ("pufa-materials", 1000, "份", True), ("pufa-people", 200, "人次", True)],
    "003_f635664e5ef9ff1d.txt": [
        ("pufa", 60, "次", True), ("pufa-materials", 24000, "份", True), ("xinfang", 23, "件", False),
        ("xinfang-rate", 100, "%", False), ("tiaojie", 72, "起", False), ("tiaojie-rate", 98.5, "%", False)],
    "004_5e0d0e6190e313b8.txt": [("pufa", 18, "场", False)],
}


@pytest.mark.parametrize("name", sorted(SEED_FIGURES))
def test_the_seeds_figures_are_the_ones_read_by_hand(name):
    report = convert_file(str(SEEDS / name), use_sidecar=False)
    got = [(f.category, f.value, f.unit, f.approx) for f in find(report.structure.text(), report.metadata.year)]
    assert got == SEED_FIGURES[name]


@pytest.mark.parametrize("text", [
    "信访办结率同比提高5%", "调解成功率较上年提高2个百分点", "已累计调解矛盾纠纷146件", "2021年受理信访案件30件",
    "近三年共开展普法活动120场", "自2019年以来共受理行政复议案件12件", "努力做到“三到位”", "调解纠纷30件成功28件",
    "与上年相比，行政诉讼案件减少3件", "组织开展第十二次普法宣传活动", "办理行政复议案件0件", "普法覆盖率达120%",
    "全镇18个村聘请法律顾问", "历年累计发放宣传资料5万份",
])
def test_a_trap_gives_no_figure(text):
    assert find(text, 2022) == []


@pytest.mark.parametrize("text, expected", [
    ("开展普法宣传活动十二场", ("pufa", 12, "场", False)),
    ("接受法律咨询近200人次", ("pufa-people", 200, "人次", True)),
    ("发放宣传资料约1.5万份", ("pufa-materials", 15000, "份", True)),
    ("开展普法活动100场以上", ("pufa", 100, "场", True)),
    ("调处矛盾纠纷两百余起", ("tiaojie", 200, "起", True)),
    ("2022年受理行政复议案件3件", ("fuyi", 3, "件", False)),
    ("共处罚款3.5万元", ("penalty", 35000, "元", True)),
    ("调解成功率达98.5%", ("tiaojie-rate", 98.5, "%", False)),
])
def test_numerals_units_and_approximations_are_read(text, expected):
    [f] = find(text, 2022)
    assert (f.category, f.value, f.unit, f.approx) == expected


@pytest.fixture(scope="module")
def built():
    entries = [pages.Entry.of(convert_file(str(p))) for p in sorted(SEEDS.glob("*.txt"))]
    return entries, pages.build(entries)


def test_every_figure_comes_from_its_sentence_which_holds_its_value(built):
    entries, files = built
    texts = {e.slug: e.text for e in entries}
    data = json.loads(files["data/figures.json"])
    assert len(data) == sum(len(v) for v in SEED_FIGURES.values())
    for f in data:
        assert texts[f["slug"]][f["start"]:f["end"]] == f["sentence"]
        assert f["label"] in f["sentence"]
        number = re.search(r"[0-9.]+|[零〇一二两三四五六七八九十百千]+", f["label"][::-1])  # the last number written
        assert number and number.group()[::-1] in f["sentence"]
        assert set(f) == {"slug", "category", "category_id", "label", "value", "unit", "approx", "sentence", "start",
                          "end"}


def test_the_report_table_and_the_category_pages_link_to_each_figure_in_its_text(built):
    entries, files = built
    for e in entries:
        page = files[f"reports/{e.slug}.md"].html
        for target in re.findall(r'<table class="figure-table">.*?</table>', page, re.S):
            for ident in re.findall(r'href="#(ann-ref-f\d+)"', target):
                assert page.count(f'id="{ident}"') == 1
    category = files["figures/xinfang.md"]
    rows = re.findall(r'href="../../reports/([^/]+)/#(ann-ref-f\d+)"', category)
    assert len(rows) == 3
    for slug, ident in rows:
        assert f'id="{ident}"' in files[f"reports/{slug}.md"].html
    assert "scripts: [sort]" in category and 'class="figure-table sortable"' in category


def test_a_hostile_clause_shows_literally_in_the_table_and_the_category_page(tmp_path):
    path = tmp_path / "chongqing-dazu-shiwanzhen-2022.txt"
    path.write_text("关于2022年法治政府建设情况的报告\n\n一、主要成效\n\n"
                    "全年<script>alert(1)</script>处理信访案件23件，结案率100%。\n", encoding="utf-8")
    entry = pages.Entry.of(convert_file(str(path)))
    files = pages.build([entry])
    for html in (files[f"reports/{entry.slug}.md"].html, files["figures/xinfang.md"]):
        assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;处理信访案件23件" in html


def test_each_figures_mark_is_over_its_own_clause_even_when_an_earlier_one_holds_the_same_words():
    from converter.annotations.figures import annotate

    text = "全年处理信访案件23件，处理信访案件23件。"
    marks = annotate(text, 2022)
    assert [(a.start, a.end) for a in marks] == [(0, 11), (12, 21)]
    assert all(text[a.start:a.end] == a.body.label for a in marks)
