"""Notes as data: the W3C export (checked by the W3C test suite), the importer, counts, search, check."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from converter import pages
from converter.annotations.importer import append_entries, import_file
from converter.annotations.model import NoteEntry
from converter.check import check_paths
from converter.check_output import as_text
from converter.collection import convert_paths
from converter.sidecar import read_sidecar

from conftest import ROOT, seed_files

VALIDATOR = ROOT / "tests" / "data" / "w3c-annotation-tests" / "validate.py"
SITE_URL = "https://archive.example.org/fazhi/"
REPORT = "chongqing-dazu-shiwanzhen-2022"
NOTES = """annotations:
  - quote: 四议两公开
    note: |
      “四议两公开”：**四议**、两公开。

      第二段，带[链接](https://www.gov.cn/)。
    author: 编者
    created: 2026-11-20
    tags: [术语, 待核实]
    link: https://www.gov.cn/zhengce/
  - quote: 化解率100%
    prefix: 区级交办件4件，
    note: 化解率这个说法没有说明分母。
  - quote: 这句话报告里没有
    note: 留作孤儿。
"""


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    seeds = tmp_path_factory.mktemp("notes") / "seeds"
    seeds.mkdir()
    for path in seed_files():
        shutil.copy(path, seeds / path.name)
        shutil.copy(path.with_suffix(".yml"), seeds / path.with_suffix(".yml").name)
    first = seeds / seed_files()[0].with_suffix(".yml").name
    kept = first.read_text(encoding="utf-8").split("annotations:")[0]
    first.write_text(kept + NOTES, encoding="utf-8")
    return seeds


def build(seeds: Path, site_url: str | None = None) -> dict:
    """The archive's files; a report page as its HTML (what the site shows in the page's content)."""
    reports, problems = convert_paths([str(seeds)], jobs=1)
    files = pages.build([pages.Entry.of(r) for r in reports], problems, site_url=site_url)
    return {path: c.html if isinstance(c, pages.ReportPage) else c for path, c in files.items()}


def exported(archive: Path, tmp_path: Path) -> tuple[Path, Path]:
    """The archive's notes exported as the site publishes them, and a copy of its seeds to import into."""
    export = tmp_path / "export.jsonld"
    export.write_text(build(archive, SITE_URL)["data/annotations.jsonld"], encoding="utf-8")
    seeds = tmp_path / "seeds"
    shutil.copytree(archive, seeds)
    return export, seeds


def validate(tmp_path: Path, text: str) -> subprocess.CompletedProcess:
    path = tmp_path / "annotations.jsonld"
    path.write_text(text, encoding="utf-8")
    return subprocess.run([sys.executable, str(VALIDATOR), str(path)], capture_output=True, text=True)


@pytest.mark.parametrize("site_url", [SITE_URL, None])
def test_the_export_passes_the_w3c_web_annotation_musts(archive, tmp_path, site_url):
    files = build(archive, site_url)
    result = validate(tmp_path, files["data/annotations.jsonld"])
    assert result.returncode == 0, result.stdout
    doc = json.loads(files["data/annotations.jsonld"])
    items = doc["first"]["items"]
    assert doc["total"] == len(items) == 4  # three here, one in the other seed's sidecar
    ours = [a for a in items if "shiwanzhen" in a["target"]["source"] and a["body"][0]["value"].startswith("“四议")][0]
    assert ours["target"]["source"] == (f"{SITE_URL}reports/{REPORT}/" if site_url else
                                        f"urn:fazhi-archive:reports/{REPORT}/")
    quote, position = ours["target"]["selector"]
    assert quote == {"type": "TextQuoteSelector", "exact": "四议两公开"}
    text = json.loads([line for line in files["data/texts.jsonl"].splitlines() if REPORT in line][0])["text"]
    assert text[position["start"]:position["end"]] == "四议两公开"
    assert {"type": "TextualBody", "value": "待核实", "purpose": "tagging"} in ours["body"]
    assert {"id": "https://www.gov.cn/zhengce/", "purpose": "linking"} in ours["body"]
    assert ours["created"] == "2026-11-20T00:00:00Z" and ours["creator"] == {"name": "编者"}
    orphan = [a for a in items if a["target"]["selector"][0]["exact"] == "这句话报告里没有"][0]
    assert [s["type"] for s in orphan["target"]["selector"]] == ["TextQuoteSelector"]  # no position: not placed


def test_the_validator_fails_a_broken_annotation(tmp_path):
    """The suite is live: an annotation without a target, or with a bad selector, fails it."""
    bad = [{"@context": "http://www.w3.org/ns/anno.jsonld", "id": "urn:x:1", "type": "Annotation", "body": "x"},
           {"@context": "http://www.w3.org/ns/anno.jsonld", "id": "urn:x:2", "type": "Annotation",
            "target": {"source": "urn:x:s", "selector": {"type": "TextPositionSelector", "start": -1}}}]
    result = validate(tmp_path, json.dumps(bad))
    assert result.returncode == 1 and "urn:x:1" in result.stdout and "urn:x:2" in result.stdout


def entries(sidecar: Path) -> list[dict]:
    values, problems = read_sidecar(sidecar)
    assert not problems
    return [e.as_dict() for e in values.get("annotations", [])]


def test_the_export_round_trips_through_the_importer_to_the_same_sidecar_entries(archive, tmp_path):
    export, fresh = exported(archive, tmp_path)
    for side in fresh.glob("*.yml"):
        side.write_text(side.read_text(encoding="utf-8").split("annotations:")[0], encoding="utf-8")
    outcome = import_file(export, fresh)
    placed = {str(side.name): entries(side) for side in archive.glob("*.yml")}
    # Every note but the orphan comes back, in the sidecar it came from, exactly as written.
    assert [why for _, why in outcome.skipped] == [f"{seed_files()[0].name}：引文在报告中找不到"]
    for side in fresh.glob("*.yml"):
        want = [e for e in placed[side.name] if e["quote"] != "这句话报告里没有"]
        assert sorted(entries(side), key=str) == sorted(want, key=str), side.name
    # The rest of each sidecar is untouched, comments included.
    first = fresh / seed_files()[0].with_suffix(".yml").name
    assert first.read_text(encoding="utf-8").startswith("# 本档案最初的报告之一")
    again = import_file(export, fresh)
    assert not again.written and all("已有这条注释" in why or "找不到" in why for _, why in again.skipped)


def test_a_hypothesis_export_of_the_government_page_is_anchored_and_its_context_trimmed(archive, tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(archive, seeds)
    side = seeds / seed_files()[0].with_suffix(".yml").name
    side.write_text("source_url: https://www.dazu.gov.cn/bmjz/zhen/swz/zwgk_69835/fdzdgknr/t1.html\n",
                    encoding="utf-8")
    gov = "https://www.dazu.gov.cn/bmjz/zhen/swz/zwgk_69835/fdzdgknr/t1.html"
    hypothesis = {"total": 3, "rows": [
        {"id": "h1", "uri": gov, "text": "这里的**化解率**是怎么算的？", "tags": ["数据存疑"], "created": "2026-11-01T08:00:00.000Z",
         "target": [{"source": gov, "selector": [
             {"type": "RangeSelector", "startContainer": "/div[1]"},
             {"type": "TextQuoteSelector", "exact": "化解率100%",
              "prefix": "打印本页 关闭窗口 区级交办件4件，", "suffix": "。我镇56名调解员，已累计调解矛盾纠纷146"}]}]},
        {"id": "h2", "uri": "https://other.example/", "text": "别处", "target": [{"source": "https://other.example/",
         "selector": [{"type": "TextQuoteSelector", "exact": "化解率100%"}]}]},
        {"id": "h3", "uri": gov, "text": "没有引文", "target": [{"source": gov}]}]}
    path = tmp_path / "h.json"
    path.write_text(json.dumps(hypothesis, ensure_ascii=False), encoding="utf-8")
    outcome = import_file(path, seeds)
    assert [label for label, _ in outcome.skipped] == ["h2", "h3"]
    [(written, entry)] = outcome.written
    assert Path(written) == side
    assert entries(side) == [{"quote": "化解率100%", "note": "这里的**化解率**是怎么算的？", "created": "2026-11-01",
                              "tags": ["数据存疑"]}]  # unique in the text: the page's context is not needed
    assert read_sidecar(side)[0]["source_url"] == gov


def test_appending_keeps_an_existing_list_and_its_indentation(tmp_path):
    side = tmp_path / "r.yml"
    side.write_text("# 注释\nannotations:\n- quote: 甲\n  note: 乙\nslug: a-b\n", encoding="utf-8")
    append_entries(side, [NoteEntry(quote="丙", note="多行\n注释", tags=("x",))])
    values, problems = read_sidecar(side)
    assert not problems and values["slug"] == "a-b"
    assert [e.quote for e in values["annotations"]] == ["甲", "丙"]
    assert values["annotations"][1].note == "多行\n注释"


def test_counts_search_and_the_notes_page(archive):
    files = build(archive)
    records = {r["slug"]: r for r in json.loads(files["data/reports.json"])}
    assert records[REPORT]["notes"] == 3 and sum(r["notes"] for r in records.values()) == 4
    header, *rows = files["data/reports.csv"].lstrip("\ufeff").splitlines()
    column = header.split(",").index("notes")
    assert [r.split(",")[column] for r in rows if REPORT in r] == ["3"]
    table = json.loads(files["data/table.json"])
    row = [r for r in table["rows"] if r[0] == REPORT][0]
    assert row[table["columns"].index("notes")] == 3
    page = files["notes.md"]
    assert "共有 4 条整理者注释，分布在 2 份报告中" in page
    assert f"(reports/{REPORT}.md#ann-" in page and "未能定位：原文已找不到" in page
    assert "[待核实](#tag-daiheshi)（1）" in page


def test_notes_are_in_the_search_index_as_lines_of_their_own(archive):
    reports, _ = convert_paths([str(archive)], jobs=1)
    entry = [pages.Entry.of(r) for r in reports if r.metadata.slug == REPORT][0]
    doc = pages.search_doc(entry)
    notes = [line for line, kind in zip(doc.lines, doc.kinds) if kind == "note"]
    # In reading order: the placed notes as they occur in the text, then the one that could not be placed.
    assert notes == ["化解率这个说法没有说明分母。", "“四议两公开”：四议、两公开。 第二段，带链接。", "留作孤儿。"]


def test_check_shows_where_each_note_anchored_and_fails_on_the_orphan(archive):
    [checked] = check_paths([str(archive / seed_files()[0].name)], archive)
    out = as_text(checked)
    assert not checked.ready
    assert "注释：3 条" in out
    assert "第 1 条（旁注第 4 行）“四议两公开” → 已定位：报告第 13 行，第 1245–1250 字" in out
    assert "第 2 条（旁注第 13 行）“化解率100%” → 已定位：报告第 12 行" in out
    assert "第 3 条（旁注第 16 行）“这句话报告里没有” → 找不到，未定位" in out
    [problem] = checked.problems
    assert problem.line == 16 and problem.key == "annotations 第 3 条的 quote"
    assert problem.path.endswith(".yml") and "找不到" in problem.problem


def test_the_contribution_guides_example_note_is_valid_and_anchors(tmp_path):
    import re

    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(annotations:\n.*?)```", guide, re.S).group(1)
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    report = seed_files()[3]
    shutil.copy(report, seeds / report.name)
    (seeds / report.with_suffix(".yml").name).write_text(example, encoding="utf-8")
    [checked] = check_paths([str(seeds / report.name)], seeds)
    assert [p for p in checked.problems if p.path.endswith(".yml")] == []
    [note] = [a for a in checked.report.annotations if a.kind == "note"]
    assert note.anchor.status == "exact" and note.body.tags == ("数据存疑",)


@pytest.mark.parametrize("before", ["annotations:\n", "annotations: []\nslug: a-b\n", "slug: a-b\r\nannotations:\r\n"])
def test_appending_to_an_empty_list_and_keeping_crlf(tmp_path, before):
    side = tmp_path / "r.yml"
    side.write_bytes(before.encode())
    append_entries(side, [NoteEntry(quote="丙", note="丁")])
    values, problems = read_sidecar(side)
    assert not problems and [e.quote for e in values["annotations"]] == ["丙"]
    raw = side.read_bytes()
    assert (b"\r\n" in raw) == (b"\r\n" in before.encode()) and (b"\n" not in raw.replace(b"\r\n", b"") or b"\r" not in raw)


def test_a_note_across_a_headings_edge_is_listed_not_drawn(archive, tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(archive, seeds)
    side = seeds / seed_files()[0].with_suffix(".yml").name
    side.write_text("annotations:\n  - quote: 压实工作责任。我镇成立\n    note: 跨过标题。\n", encoding="utf-8")
    files = build(seeds)
    page = files[f"reports/{REPORT}.md"]
    [note] = [line for line in page.splitlines() if "跨过标题" in line and "ann-list" in line]
    assert "跨过了标题，未在正文中标出" in note
    note = 'ann-ref-n'  # a note's ids start with n (a figure's with f, a shared passage's with s)
    assert f'<a class="ann-ref" id="{note}' not in page and f'href="#{note}' not in page  # no note's number


def test_a_sidecar_that_cannot_take_more_notes_is_reported_not_a_crash(archive, tmp_path):
    export, seeds = exported(archive, tmp_path)
    first = seeds / seed_files()[0].with_suffix(".yml").name
    first.write_text("annotations: {quote: 甲}\n", encoding="utf-8")  # a mapping: nothing to append to
    outcome = import_file(export, seeds)
    assert first.read_text(encoding="utf-8") == "annotations: {quote: 甲}\n"
    assert any("无法追加" in why for _, why in outcome.skipped)
    assert all(Path(side) != first for side, _ in outcome.written)


HOSTILE = {
    "quote": "<b>粗</b>*星*与[链](javascript:alert(1))",
    "author": "<img src=x onerror=alert(2)>",
    "tag": "</span><script>{:onclick=y}",
    "link": "https://a.com/[x](x/onmouseover=alert(5)//)",
    "note": "**注** <svg onload=alert(6)> [点](javascript:alert(7)) `</code><script>`",
}


def test_every_value_of_a_note_is_shown_literally_on_every_page(archive, tmp_path):
    """Quote, note, author, tags and link, each hostile, through the report page, the notes page and the export."""
    from hostile import parts
    from sitebuild import as_shown

    seeds = tmp_path / "seeds"
    shutil.copytree(archive, seeds)
    report = seeds / seed_files()[0].name
    report.write_text(report.read_text(encoding="utf-8") + f"\n另有{HOSTILE['quote']}之说。\n", encoding="utf-8")
    side = report.with_suffix(".yml")
    side.write_text("annotations:\n  - " + "\n    ".join(
        f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in
        [("quote", HOSTILE["quote"]), ("note", HOSTILE["note"]), ("author", HOSTILE["author"]),
         ("tags", [HOSTILE["tag"]]), ("link", HOSTILE["link"])]) + "\n", encoding="utf-8")
    reports, _ = convert_paths([str(seeds)], jobs=1)
    [ours] = [r for r in reports if r.path == str(report)]
    assert ours.problems == () and ours.annotations[0].anchor.status == "exact"
    files = pages.build([pages.Entry.of(r) for r in reports], site_url=SITE_URL)

    for path in (f"reports/{REPORT}.md", "notes.md"):
        seen = parts(as_shown(files[path]))
        text = "".join(seen.text)
        assert not {"script", "img", "svg", "b"} & seen.tags, path
        assert not [n for n, _ in seen.attrs if n.startswith("on")], path
        assert not [v for n, v in seen.attrs if n == "href" and str(v).startswith("javascript")], path
        assert HOSTILE["quote"] in text, path
        if path.startswith("reports/"):
            for value in (HOSTILE["author"], HOSTILE["tag"]):
                assert value in text
            assert ("href", HOSTILE["link"]) in seen.attrs
            assert "<svg onload=alert(6)>" in text and "</code><script>" in text
    doc = json.loads(files["data/annotations.jsonld"])
    item = [a for a in doc["first"]["items"] if a["target"]["selector"][0]["exact"] == HOSTILE["quote"]][0]
    assert item["body"][0]["value"] == HOSTILE["note"] and item["creator"] == {"name": HOSTILE["author"]}
