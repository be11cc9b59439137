"""A first-time contributor adds a report, as CONTRIBUTING.md tells them, and finds it everywhere on the site."""

from __future__ import annotations

import csv
import gzip
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SAMPLES
from sitebuild import build, make_project

SITE_URL = "https://archive.example.org/fazhi/"
SOURCE_URL = "https://cqck.gov.cn/jz/jmx/zwgk_70755/zfxxgkml/fzzfndbg/202602/t20260212_15437722.html"
SLUG = "chongqing-chengkou-jimingxiang-2025"  # 重庆市城口县鸡鸣乡, 2025


def check(project: Path, *paths: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "converter", "check", *paths], cwd=project,
                          capture_output=True, text=True, encoding="utf-8")


@pytest.fixture(scope="module")
def contributed(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("contributor"))
    # Saved from a Windows editor: GB18030, CRLF line ends, under whatever name the browser gave it.
    text = (SAMPLES / "s002.txt").read_text(encoding="utf-8")
    raw = text.replace("\n", "\r\n").encode("gb18030")
    report = project / "seeds" / "鸡鸣乡报告.txt"
    report.write_bytes(raw)
    report.with_suffix(".yml").write_text(
        f"source_url: {SOURCE_URL}\nretrieved: 2026-03-01\nnotes: 从城口县人民政府网站复制。\n", encoding="utf-8")

    first = check(project, "seeds/鸡鸣乡报告.txt")
    assert first.returncode == 1, first.stdout
    fix = re.search(r"改名为 ([a-z0-9-]+)\.txt", first.stdout)
    assert fix and fix.group(1) == SLUG, first.stdout
    assert "按 gb18030 读取" in first.stdout

    for suffix in (".txt", ".yml"):
        report.with_suffix(suffix).rename(project / "seeds" / f"{SLUG}{suffix}")
    second = check(project, f"seeds/{SLUG}.txt")
    assert second.returncode == 0, second.stdout
    assert f"seeds/{SLUG}.txt：可以提交" in second.stdout

    os.environ["SITE_URL"] = SITE_URL
    try:
        result = build(project, strict=True)
    finally:
        del os.environ["SITE_URL"]
    assert result.returncode == 0, result.stderr[-3000:]
    return project / "site", raw


def page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def test_report_page_shows_the_report_with_its_provenance_and_citation(contributed):
    site, raw = contributed
    html = page(site, f"reports/{SLUG}")
    assert "城口县鸡鸣乡人民政府2025年法治政府建设情况报告" in html
    assert "鸡鸣乡" in html and "城口县" in html and "重庆市" in html
    assert SOURCE_URL in html and "2026-03-01" in html and "从城口县人民政府网站复制。" in html
    assert f"{SITE_URL}reports/{SLUG}/" in html  # the citation's lasting address
    assert (site / "originals" / f"{SLUG}.txt").read_bytes() == raw  # the contributor's bytes, untouched


@pytest.mark.parametrize("index", ["places/chongqing", "years/2025", "towns/j", "levels/xiang", ""])
def test_every_index_links_to_the_report(contributed, index):
    site, _ = contributed
    html = page(site, index) if index else (site / "index.html").read_text(encoding="utf-8")
    if index == "levels/xiang":  # a count per province (腴地乡 was there before), the table one click away
        assert re.search(r"重庆市</a></td>\s*<td>2</td>", html), html
    else:
        assert f"reports/{SLUG}/" in html, index


def test_the_data_files_hold_the_report(contributed):
    site, _ = contributed
    rows = list(csv.DictReader((site / "data" / "reports.csv").read_text(encoding="utf-8-sig").splitlines()))
    [row] = [r for r in rows if r["slug"] == SLUG]
    assert (row["town"], row["county"], row["province"], row["year"]) == ("鸡鸣乡", "城口县", "重庆市", "2025")
    assert row["source_url"] == SOURCE_URL and row["encoding"] == "gb18030"
    [record] = [r for r in json.loads((site / "data" / "reports.json").read_text(encoding="utf-8"))
                if r["slug"] == SLUG]
    assert record["url"] == f"reports/{SLUG}/" and record["retrieved"] == "2026-03-01"
    texts = [json.loads(line) for line in (site / "data" / "texts.jsonl").read_text(encoding="utf-8").splitlines()]
    [text] = [t for t in texts if t["slug"] == SLUG]
    assert "\r" not in text["text"] and "鸡鸣乡" in text["text"]
    table = json.loads((site / "data" / "table.json").read_text(encoding="utf-8"))
    assert any(row[0] == SLUG for row in table["rows"])


def test_the_search_index_holds_the_report_and_its_text(contributed):
    site, _ = contributed
    data = site / "search-data"
    manifest = json.loads((data / "manifest.json").read_text(encoding="utf-8"))
    records = [r for block in sorted((data / "m").glob("*.bin"), key=lambda p: int(p.stem))
               for r in json.loads(gzip.decompress(block.read_bytes()))]
    doc_id = next(i for i, r in enumerate(records) if r[0] == SLUG)
    assert records[doc_id][4:6] == ["重庆市", 2025]
    text = json.loads(gzip.decompress((data / "t" / f"{doc_id}.bin").read_bytes()))
    assert any("鸡鸣乡" in line for line in text["l"])
    assert manifest["reports"] == len(records)


def test_a_contributor_adds_a_note_and_check_guards_it_when_the_text_changes(tmp_path):
    """CONTRIBUTING.md's steps for a note; then someone edits the report, and check names the note at stake."""
    project = make_project(tmp_path)
    report = project / "seeds" / "003_f635664e5ef9ff1d.txt"
    side = report.with_suffix(".yml")
    side.write_text(side.read_text(encoding="utf-8") + (
        "annotations:\n"
        "  - quote: 全年处理信访案件23件\n"
        "    note: 县信访局的年报记为 25 件，差额原因不明。\n"
        "    author: 编者\n"
        "    created: 2026-11-20\n"
        "    tags: [数据存疑]\n"), encoding="utf-8")
    line = 4  # the note's "- quote:" line in the sidecar
    first = check(project, str(report.relative_to(project)))
    assert first.returncode == 0, first.stdout
    assert "注释：1 条" in first.stdout
    assert f"第 1 条（旁注第 {line} 行）“全年处理信访案件23件” → 已定位：报告第" in first.stdout

    raw = report.read_bytes()
    report.write_bytes(raw.replace("全年处理信访案件23件".encode(), "全年处理信访案件32件".encode()))
    second = check(project, str(report.relative_to(project)))
    assert second.returncode == 1, second.stdout
    problem = [l for l in second.stdout.splitlines() if "键 annotations 第 1 条的 quote" in l]
    assert problem, second.stdout
    assert f"003_f635664e5ef9ff1d.yml，第 {line} 行" in problem[0]
    assert "原文已变化" in problem[0] and "现在是“全年处理信访案件32件”" in problem[0]
    assert "全年处理信访案件[-23-]{+32+}件" in problem[0]
    assert "原文已变化：报告第" in second.stdout
