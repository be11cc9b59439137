"""One bad report never stops the archive: each fault is that report's problem, named with its fix."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import replace

import pytest

from conftest import ROOT, SEEDS, seed_files
from converter import pages
from converter.collection import convert_paths
from converter.limits import LARGE_REPORT_CHARS, PAGE_TEXT_CHARS, oversize, text_chars
from converter.model import Block, Structure
from converter.pages.report import truncated
from converter.pipeline import convert_file
from converter.structure import chinese_to_int, int_to_chinese, parse
from converter.clean import clean
from sitebuild import build, make_project

GOOD = ["000_66a8a630a4ee21e1", "001_d6ab253036f6199f"]
GOOD_SLUGS = ["chongqing-dazu-shiwanzhen-2022", "chongqing-shapingba-qingmuguanzhen-2022"]


def _cli(*args: str, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "converter", *args], cwd=cwd, capture_output=True, text=True,
                          encoding="utf-8")


@pytest.fixture(scope="module")
def troubled(tmp_path_factory):
    """An archive with two good reports and every kind of trouble beside them, built without --strict."""
    project = make_project(tmp_path_factory.mktemp("troubled"), seeds=[SEEDS / f"{n}{e}" for n in GOOD
                                                                       for e in (".txt", ".yml")])
    seeds = project / "seeds"
    shutil.copy(SEEDS / "002_c10955fb4422cdc5.txt", seeds / "chongqing-youyang-yudixiang-2023.txt")
    (seeds / "chongqing-youyang-yudixiang-2023.yml").write_text("retrieved: 2026-02-30\ndate: 2026-13-45\n",
                                                                encoding="utf-8")
    (seeds / "huge.txt").write_bytes(b"".join(p.read_bytes() for p in seed_files()) * 200)
    (seeds / "blank.txt").write_text("\n\n\u3000\n   \n", encoding="utf-8")
    (seeds / "short.txt").write_text("这是一句话。\n", encoding="utf-8")
    result = build(project, strict=False)
    assert result.returncode == 0, result.stderr[-3000:]
    return project, result.stderr


def test_a_bad_date_in_a_sidecar_is_a_problem_with_its_line_and_the_report_still_builds(troubled):
    project, log = troubled
    assert ("chongqing-youyang-yudixiang-2023.yml，第 1 行，键 retrieved：复制网页的日期的值 '2026-02-30' 不合格" in log
            and "YYYY-MM-DD 格式的真实日期" in log)
    assert "chongqing-youyang-yudixiang-2023.yml，第 2 行，键 date" in log
    assert "Traceback" not in log
    page = (project / "site" / "reports" / "chongqing-youyang-yudixiang-2023" / "index.html").read_text("utf-8")
    assert "腴地乡" in page and "2026-02-30" not in page  # the bad value was not used


def test_a_huge_report_is_flagged_and_its_page_stays_small(troubled):
    project, log = troubled
    assert "huge.txt：报告正文有" in log and "每份报告单独保存为一个文件" in log
    site = project / "site"
    page = (site / "reports" / "huge" / "index.html").read_text("utf-8")
    assert len(page.encode("utf-8")) < 600_000, "the page must load fast"
    assert "页面只显示了部分正文" in page and 'href="../../texts/huge.txt"' in page
    full = (site / "texts" / "huge.txt").read_text("utf-8")
    assert len(full) > 100 * LARGE_REPORT_CHARS / 3  # the whole text, for download
    assert (site / "originals" / "huge.txt").stat().st_size == (project / "seeds" / "huge.txt").stat().st_size


def test_blank_and_too_short_files_are_told_apart_from_a_wrong_encoding(troubled):
    _, log = troubled
    assert "blank.txt：文件只有空行和空格。修正：把报告的正文放进文件" in log
    assert "short.txt：文件只有 5 个汉字，不足以成为一份报告" in log
    assert "编码" not in " ".join(line for line in log.splitlines() if "blank.txt" in line or "short.txt" in line)


def test_the_rest_of_the_archive_builds_and_strict_fails(troubled):
    project, _ = troubled
    site = project / "site"
    for slug in GOOD_SLUGS:
        assert (site / "reports" / slug / "index.html").is_file()
    problems = (site / "problems" / "index.html").read_text("utf-8")
    for name in ("blank.txt", "short.txt", "huge.txt", "chongqing-youyang-yudixiang-2023.yml"):
        assert name in problems
    assert build(project, strict=True).returncode != 0


def test_check_reports_each_trouble_without_a_traceback(troubled):
    project, _ = troubled
    seeds = project / "seeds"
    result = _cli("check", "--archive", str(seeds), str(seeds / "chongqing-youyang-yudixiang-2023.yml"),
                  str(seeds / "blank.txt"), str(seeds / "huge.txt"), str(seeds / "nothing.yml"))
    out = result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in out
    # The sidecar stands for its report, which is checked with it.
    assert "chongqing-youyang-yudixiang-2023.txt：尚不能提交" in out and "真实日期" in out
    assert "nothing.yml，第" not in out and "旁边没有报告 nothing.txt" in out
    assert "blank.txt：文件只有空行" in out
    assert f"超过 {LARGE_REPORT_CHARS:,} 字" in out


def test_a_fault_in_one_report_is_that_reports_problem(tmp_path, monkeypatch):
    """An exception the converter did not expect (here a planted IndexError) costs only the report it hit."""
    for name in GOOD:
        shutil.copy(SEEDS / f"{name}.txt", tmp_path)
    shutil.copy(SEEDS / "003_f635664e5ef9ff1d.txt", tmp_path / "trap.txt")
    import converter.pipeline as pipeline

    real_parse = pipeline.parse

    def trap(cleaned):
        if any("大吉山" in line.text for line in cleaned.lines):
            raise IndexError("string index out of range")
        return real_parse(cleaned)

    monkeypatch.setattr(pipeline, "parse", trap)
    reports, problems = convert_paths([str(tmp_path)], jobs=1)
    assert len(reports) == 2
    (problem,) = problems
    assert problem.path.endswith("trap.txt") and "IndexError，位于 test_containment.py:" in problem.problem
    assert "转换器的缺陷" in problem.fix and str(tmp_path) not in problem.problem


def test_a_page_that_cannot_be_made_leaves_the_archive_without_it(monkeypatch):
    reports, _ = convert_paths([str(SEEDS)], jobs=1)
    real = pages.report_body

    def trap(entry, *args, **kwargs):
        if entry.slug == GOOD_SLUGS[0]:
            raise RecursionError("maximum recursion depth exceeded")
        return real(entry, *args, **kwargs)

    monkeypatch.setattr(pages, "report_body", trap)
    failed: list = []
    files = pages.build([pages.Entry.of(r) for r in reports], failed=failed)
    assert [p.path.rsplit("/", 1)[-1] for p in failed] == ["000_66a8a630a4ee21e1.txt"]
    assert f"reports/{GOOD_SLUGS[0]}.md" not in files and f"reports/{GOOD_SLUGS[1]}.md" in files
    assert not any(GOOD_SLUGS[0] in str(content) for path, content in files.items()
                   if path.endswith(".md") and path != "problems.md"), "an index still links to the missing page"
    assert "RecursionError" in files["problems.md"]


def test_numbering_has_no_bound_on_the_count_of_headings():
    for n in range(1, 400):
        assert chinese_to_int(int_to_chinese(n)) == n
    lines = ["某某镇2023年法治政府建设情况的报告", ""]
    for n in range(1, 121):
        marker = int_to_chinese(n) + "、" if n != 120 else "、"  # the 120th lost its number in copying
        lines += [f"{marker}第{n}项工作", "本项工作按照年度计划推进，取得了阶段性成效，群众满意度进一步提高。"]
    structure = parse(clean("\n".join(lines)))
    headings = [b for b in structure.blocks if b.kind == "heading" and b.level == 2]
    assert len(headings) == 120 and headings[-1].display_text == "一百二十、第120项工作"
    assert structure.restorations[-1].text == "一百二十"


def test_meta_into_a_closed_pipe_ends_quietly():
    result = subprocess.run(f"{sys.executable} -m converter meta {SEEDS}/*.txt | head -c 20", shell=True,
                            cwd=ROOT, capture_output=True, text=True, encoding="utf-8")
    assert "Traceback" not in result.stderr and "BrokenPipeError" not in result.stderr
    assert len(result.stdout) == 20


def test_the_page_budget_is_the_flag_limit():
    """A report is cut on its page exactly when check and the build flag it."""
    assert PAGE_TEXT_CHARS == LARGE_REPORT_CHARS


@pytest.mark.parametrize("lengths", [(), (0,), (PAGE_TEXT_CHARS - 1,), (PAGE_TEXT_CHARS,), (PAGE_TEXT_CHARS - 2, 0),
                                     (PAGE_TEXT_CHARS - 3, 1), (PAGE_TEXT_CHARS - 2, 1), (10, PAGE_TEXT_CHARS)])
def test_a_page_is_cut_exactly_where_the_text_passes_the_limit_the_flag_counts(lengths):
    """``truncated`` reads the entry's text; the flag (``oversize``) counts the structure's blocks: the two agree
    at the limit, with no block, an empty one and several."""
    structure = Structure(tuple(Block("paragraph", "字" * n, line=i + 1) for i, n in enumerate(lengths)), ())
    report = convert_file(str(seed_files()[0]))
    entry = pages.Entry.of(replace(report, structure=structure))
    assert entry.text == structure.text()
    assert truncated(entry) == (text_chars(structure) > PAGE_TEXT_CHARS) == (oversize("x", structure) is not None)
