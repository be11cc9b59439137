"""Sidecar annotations: validated, applied, and never written into the report."""

from __future__ import annotations

import shutil

import pytest

from converter import convert_file, to_markdown

from conftest import SAMPLES, SEEDS


@pytest.fixture
def report_copy(tmp_path):
    target = tmp_path / "s021.txt"
    shutil.copy(SAMPLES / "s021.txt", target)
    return target


def test_sidecar_adds_provenance_and_corrects_fields(report_copy):
    before = report_copy.read_bytes()
    report_copy.with_suffix(".yml").write_text(
        "source_url: https://www.xjbl.gov.cn/info/2442/100962.htm\n"
        "retrieved: 2026-02-01\n"
        "town: 贝林哈日莫墩乡\n"
        "county: 博乐市\n"
        "notes: 原网页未写明乡名，由博乐市政府网站栏目判断。\n", encoding="utf-8")
    report = convert_file(str(report_copy))
    m = report.metadata
    assert (m.town, m.unit, m.county, m.city, m.province) == (
        "贝林哈日莫墩乡", "贝林哈日莫墩乡", "博乐市", "博尔塔拉蒙古自治州", "新疆维吾尔自治区")
    assert m.sources["town"] == "旁注文件" and "旁注" in m.sources["province"]
    assert m.annotations == {"source_url": "https://www.xjbl.gov.cn/info/2442/100962.htm",
                             "retrieved": "2026-02-01", "notes": ["原网页未写明乡名，由博乐市政府网站栏目判断。"]}
    md = to_markdown(report)
    assert "source_url: https://www.xjbl.gov.cn/info/2442/100962.htm" in md
    assert report_copy.read_bytes() == before


@pytest.mark.parametrize("content, key, line, fix", [
    ("source_url: https://a.gov.cn/x\nsorce: typo\n", "sorce", 2, "是不是要写“source_url”"),
    ("source_url: https://a.gov.cn/x\ncounty_name: 大足区\n", "county_name", 2, "是不是要写“county”"),
    ("year: twenty\n", "year", 1, "必须是年份"),
    ("province: 重庆\n", "province", 1, "正式全称"),
    ("retrieved: 1st May\n", "retrieved", 1, "YYYY-MM-DD"),
    ("notes: ok\nretrieved: 2026-02-30\n", "retrieved", 2, "真实日期"),
    ("notes: ok\n\ndate: 2026-13-45\n", "date", 3, "真实日期"),
    ("published: 20230210\n", "published", 1, "YYYY-MM-DD"),
    ("source_url: www.example.cn\n", "source_url", 1, "http"),
    ("source_url: javascript:alert(1)\n", "source_url", 1, "http"),
    ("source_url: https://x.gov.cn/a?b=1&c=\"><script>alert(9)</script>\n", "source_url", 1, "%22"),
    ("source_url: 'https:///path-only'\n", "source_url", 1, "网站名"),
    ("source_url: https://user@evil.example/\n", "source_url", 1, "网站名"),
    ("title: \"第一行\\n第二行\"\n", "title", 1, "一行文字"),
    ("title: \"法治\\u202e告报\"\n", "title", 1, "U+202E"),
    ("issuers: [某某镇人民政府, \"\"]\n", "issuers", 1, "非空"),
    ("slug: Bad Slug\n", "slug", 1, "小写英文字母"),
    ("level: 村\n", "level", 1, "必须是下列之一"),
    ("year: 2022\nyear: 2023\n", "year", 2, "只保留一行"),
    ("year: !!float twenty\n", "year", 1, "普通文字"),
])
def test_bad_sidecar_names_file_key_line_and_fix(report_copy, content, key, line, fix):
    """A bad key or value is the report's problem, with file, line, key and fix; the report itself still converts."""
    sidecar = report_copy.with_suffix(".yml")
    sidecar.write_text(content, encoding="utf-8")
    report = convert_file(str(report_copy))
    assert len(report.problems) == 1, report.problems
    e = report.problems[0]
    assert e.path == str(sidecar) and e.key == key and e.line == line
    assert str(sidecar) in str(e) and f"第 {line} 行" in str(e) and fix in str(e)
    assert report.metadata.year == 2022  # the text's own year: nothing else was taken from a bad value


def test_every_sidecar_problem_is_found_at_once_and_valid_keys_still_apply(report_copy):
    report_copy.with_suffix(".yml").write_text(
        "sorce_url: x\nretrieved: 2026-02-30\ncounty: 博乐市\nlevle: 乡\n", encoding="utf-8")
    report = convert_file(str(report_copy))
    assert [(p.key, p.line) for p in report.problems] == [("sorce_url", 1), ("retrieved", 2), ("levle", 4)]
    assert report.metadata.county == "博乐市" and report.metadata.sources["county"] == "旁注文件"


def test_broken_yaml_names_the_line(report_copy):
    report_copy.with_suffix(".yml").write_text("notes: ok\nyear: [2022\n", encoding="utf-8")
    report = convert_file(str(report_copy))
    (problem,) = report.problems
    assert "不是有效的 YAML" in str(problem) and problem.line is not None


def test_sidecar_slug_is_kept(tmp_path):
    target = tmp_path / "a.txt"
    shutil.copy(SEEDS / "000_66a8a630a4ee21e1.txt", target)
    target.with_suffix(".yml").write_text("slug: shiwan-2022\n", encoding="utf-8")
    assert convert_file(str(target)).metadata.slug == "shiwan-2022"
