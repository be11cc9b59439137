"""Work spread over forked processes gives exactly what one process gives: the same results, the same site."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from converter.workers import MIN_PARALLEL, fork_map, spans


def test_spans_cover_every_item_once_in_order():
    for count in (0, 1, 5, 63, 64, 1000, 1001):
        for pieces in (1, 2, 8, 3000):
            cut = spans(count, pieces)
            assert [i for a, b in cut for i in range(a, b)] == list(range(count))
            assert all(b > a for a, b in cut)


def test_fork_map_is_the_serial_map_closures_and_returned_faults_included():
    offset = 7  # a closure: forked workers inherit it, nothing is pickled on the way there

    def work(n: int):
        return ValueError(f"第{n}项") if n % 13 == 0 else (n + offset, "报告" * (n % 3))

    items = list(range(MIN_PARALLEL * 3 + 5))
    serial = [work(n) for n in items]
    parallel = fork_map(work, items, jobs=2)
    assert [repr(r) for r in parallel] == [repr(r) for r in serial]


def test_a_site_built_on_two_cores_is_byte_identical_to_one_built_on_one(tmp_path, caplog, monkeypatch):
    """Enough reports that report pages are made and put through the theme by forked workers; on two cores,
    the data files are written into the site as they are made (as a large archive's are), on one they are not."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from corpus import generate
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from mkdocs_archive import plugin
    from sitebuild import make_project

    project = make_project(tmp_path)
    generate(project / "seeds", MIN_PARALLEL + 6)

    def site(jobs: int, name: str) -> dict[str, bytes]:
        config = load_config(str(project / "mkdocs.yml"), site_dir=str(project / name))
        config.plugins["archive"].config.jobs = jobs
        config.plugins["archive"].config.cache_dir = "off"
        plugin.QUIET.built.clear()
        build(config)
        out = project / name
        return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}

    from converter import pages

    spilled: list[str] = []
    spill = pages._spilled

    def spilling(site_dir, made):
        out = spill(site_dir, made)
        spilled.extend(path for path, content in out.items() if isinstance(content, Path))
        return out

    page_workers: list[int] = []
    forked = pages.fork_map

    def counting(work, items, jobs, *args, **kwargs):  # how many workers make the report pages
        page_workers.append(jobs)
        return forked(work, items, jobs, *args, **kwargs)

    from converter import sitedir

    copied: list[set[str]] = []

    class Copying(sitedir.Copying):  # what the other process copied while the theme was built
        def finish(self) -> set[str]:
            copied.append(super().finish())
            return copied[-1]

    caplog.set_level(logging.INFO, logger="mkdocs")
    monkeypatch.setattr(sitedir, "Copying", Copying)
    monkeypatch.setattr(pages, "SPILL_FROM", 1000)
    monkeypatch.setattr(pages, "_spilled", spilling)
    monkeypatch.setattr(pages, "fork_map", counting)
    three = site(3, "three")
    two = site(2, "two")
    # The search index has a core of its own: the report pages are made on the others (two, then this process).
    assert page_workers == [2, 1]
    originals = {path for path in two if path.startswith("originals/") and not path.endswith(".utf8.txt")}
    assert len(originals) >= MIN_PARALLEL + 6 and len(copied) == 2
    assert {Path(p).relative_to(project / "two").as_posix() for p in copied[1]} >= originals, "copied meanwhile"
    assert {"data/reports.json", "data/texts.jsonl", "data/terms.json"} <= set(spilled)
    monkeypatch.setattr(pages, "SPILL_FROM", 1 << 60)
    by_workers = set(plugin.QUIET.built)
    assert not [r for r in caplog.records if r.getMessage().startswith("Page skipped")], "built, not skipped"
    assert [r for r in caplog.records if r.getMessage().startswith("Documentation built")], "the log was caught"
    one = site(1, "one")
    assert len(by_workers) >= MIN_PARALLEL, "the pages went through the theme in the workers"
    assert {"index.md", "terms/index.md", "contribute.md"} <= by_workers, "the Markdown pages as well as the reports'"
    assert sum(uri.startswith("reports/") for uri in by_workers) >= MIN_PARALLEL
    assert two.keys() == one.keys() == three.keys()
    assert [path for path in one if two[path] != one[path] or three[path] != one[path]] == []
    assert b"archive/already-built" not in b"".join(two.values())


@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_a_fault_in_a_worker_is_that_reports_alone(jobs, tmp_path, monkeypatch):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from corpus import generate
    from converter import pages
    from converter.collection import convert_paths

    generate(tmp_path / "seeds", MIN_PARALLEL + 6)
    reports, _ = convert_paths([str(tmp_path / "seeds")], jobs=2)
    entries = [pages.Entry.of(r) for r in reports]
    doomed = entries[3].slug
    real = pages.report_body

    def trap(entry, *args, **kwargs):
        if entry.slug == doomed:
            raise RuntimeError("页面生成失败")
        return real(entry, *args, **kwargs)

    monkeypatch.setattr(pages, "report_body", trap)
    failed: list = []
    built = pages.build(entries, failed=failed, jobs=jobs)
    assert f"reports/{doomed}.md" not in built
    assert len([p for p in built if p.startswith("reports/") and p.endswith(".md")]) == len(entries) - 1
    assert len(failed) == 1 and "页面生成失败" in str(failed[0])


def test_a_problem_reaches_the_build_whole_from_a_worker(tmp_path, monkeypatch):
    import pickle

    from converter import collection
    from converter.errors import ReportError

    problem = ReportError("seeds/x.txt", "年度不明", "在旁注文件中写明 year", line=3, key="year")
    back = pickle.loads(pickle.dumps(problem))
    assert (back.path, back.problem, back.fix, back.line, back.key, str(back)) == \
        (problem.path, problem.problem, problem.fix, problem.line, problem.key, str(problem))

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from corpus import generate

    paths = generate(tmp_path / "seeds", 60)
    doomed = paths[7].name
    real = collection.convert_file

    def trap(path, *args, **kwargs):
        if path.endswith(doomed):
            raise KeyError("意外")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(collection, "convert_file", trap)
    reports, problems = collection.convert_paths([str(tmp_path / "seeds")], jobs=2)
    assert len(reports) == 59
    assert len(problems) == 1 and problems[0].path.endswith(doomed) and "KeyError" in problems[0].problem


def test_background_work_gives_its_value_or_its_fault():
    from converter.workers import Background

    table = {"法治": list(range(1000))}  # inherited, not sent
    job = Background(lambda: {k: sum(v) for k, v in table.items()})
    assert job.result() == {"法治": 499500}
    assert job.elsewhere
    here = Background(lambda: "同一进程", enabled=False)
    assert not here.elsewhere and here.result() == "同一进程"

    def fails():
        raise KeyError("缺少的键")

    with pytest.raises(RuntimeError, match="KeyError"):
        Background(fails).result()
    stopped = Background(lambda: __import__("time").sleep(60))
    stopped.cancel()
    assert stopped.process is None


def test_fresh_background_work_runs_in_a_new_interpreter_from_any_script(tmp_path):
    import operator
    import subprocess
    import time

    from converter.workers import Background

    assert Background(os.getpid, fresh=True).result() != os.getpid()
    assert Background(sorted, args=([3, 1, 2],), fresh=True).result() == [1, 2, 3]
    assert Background(print, args=("说的话进日志，不进结果",), fresh=True).result() is None
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        Background(operator.truediv, args=(1, 0), fresh=True).result()
    stopped = Background(time.sleep, args=(60,), fresh=True)
    started = time.perf_counter()
    stopped.cancel()
    assert stopped.fresh is None and time.perf_counter() - started < 10
    # A script without a ``__main__`` guard (multiprocessing's spawn would run it again in the child).
    script = tmp_path / "unguarded.py"
    script.write_text("from converter.workers import Background\n"
                      "print(Background(sum, args=([1, 2, 3],), fresh=True).result())\n", encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.stdout.strip() == "6", done.stderr[-2000:]


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_search_index_its_own_process_writes_is_the_one_build_returns(jobs, tmp_path):
    """Written to the site by the process that makes it (the plugin's way), the index is byte for byte the one
    returned otherwise; it replaces a previous index whole, and what a stopped writer left is cleared."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from corpus import generate
    from converter import pages
    from converter.collection import convert_paths

    generate(tmp_path / "seeds", MIN_PARALLEL + 6)
    reports, _ = convert_paths([str(tmp_path / "seeds")], jobs=2)
    entries = [pages.Entry.of(r) for r in reports]
    returned = pages.build(entries, jobs=jobs)
    index = {path: content for path, content in returned.items() if path.startswith("search-data/")}
    assert len(index) > 10

    site = tmp_path / "site"
    (site / "search-data" / "p").mkdir(parents=True)
    (site / "search-data" / "p" / "stale.bin").write_bytes(b"a previous index")
    (site / pages.SEARCH_PARTIAL / "search-data").mkdir(parents=True)
    (site / pages.SEARCH_PARTIAL / "search-data" / "half.bin").write_bytes(b"a stopped writer's")
    later: list = []
    deferred = pages.build(entries, jobs=jobs, site_dir=site, later=later)
    assert len(later) == 1
    later.pop().finish()
    as_text = {path: str(content) for path, content in returned.items() if path not in index}
    # The rest is returned as before; a data file written piece by piece is in the site, with the same text.
    streamed = {path: content for path, content in deferred.items() if isinstance(content, Path)}
    assert streamed == {"data/passages.json": site / "data" / "passages.json"}
    assert {path: content.read_text(encoding="utf-8") if isinstance(content, Path) else str(content)
            for path, content in deferred.items()} == as_text
    written = {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}
    assert {path: content for path, content in written.items() if path not in streamed} == index
    assert not (site / pages.SEARCH_PARTIAL).exists()


def test_a_rebuild_updates_the_search_index_in_a_fork_and_makes_it_whole_afresh_when_it_must(tmp_path, monkeypatch):
    """After one report changed, the last build's search index is updated by a forked process (it starts at once,
    with the documents it inherits), data/passages.json is written by another, and the pages and data files across
    reports are made by others while the build works out the shared passages and the report pages; so too after
    another site folder (a ``serve`` session's) had its index made in between. Beside a process too large to fork
    cheaply, fresh processes update the index and write the file, and the rest is made here. After more reports
    changed than an update takes on, the fork makes nothing and a fresh process makes the index whole. Each time the site is the one a cold build makes, byte for byte."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from corpus import change_text, generate
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from converter import pages, search_update
    from converter.pages import sitefiles
    from converter import workers
    from converter.workers import Background
    from mkdocs_archive import plugin
    from sitebuild import make_project

    project = make_project(tmp_path)
    seeds = sorted(generate(project / "seeds", MIN_PARALLEL + 6))
    started: list[tuple[str, str]] = []  # (work, "fresh" or "fork") of each process started beside the build

    def recording(work, enabled=True, *, args=(), fresh=False):
        job = Background(work, enabled, args=args, fresh=fresh)
        if job.elsewhere:
            started.append((work.__name__, "fresh" if fresh else "fork"))
        return job

    monkeypatch.setattr(sitefiles, "Background", recording)
    monkeypatch.setattr(pages, "Background", recording)
    monkeypatch.setattr(workers, "FORK_BESIDE_MAX", 1 << 40)  # however large this test's process has grown

    def site(name: str, cache: str) -> dict[str, bytes]:
        """``mkdocs build`` as its command runs it (the plugin told the command, with a clean site)."""
        config = load_config(str(project / "mkdocs.yml"), site_dir=str(project / name))
        config.plugins["archive"].config.jobs = 2
        config.plugins["archive"].config.cache_dir = cache
        plugin.QUIET.built.clear()
        config.plugins.on_startup(command="build", dirty=False)
        build(config)
        out = project / name
        return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}

    def same_as_cold(built: dict[str, bytes]) -> None:
        cold = site("cold", "off")
        assert built.keys() == cold.keys()
        assert [path for path in cold if built[path] != cold[path]] == []

    cache = str(tmp_path / "cache")
    site("site", cache)
    assert ("search_files", "fresh") in started, "the first index is made whole by a fresh process"
    assert not {"_across_pages", "_data_files"} & {work for work, _ in started}, "beside a whole index, no more"
    started.clear()
    change_text(seeds[len(seeds) // 2], "本年度另有一项工作需要说明。")
    updated = site("site", cache)
    assert ("search_files", "fork") in started and ("search_files", "fresh") not in started
    assert {("_passages_file", "fork"), ("_across_pages", "fork"), ("_data_files", "fork")} <= set(started)
    same_as_cold(updated)

    # A site folder of its own in between (a ``serve`` session's): the site's index is still updated from its own
    # state, not made whole because another index was made last.
    started.clear()
    change_text(seeds[1], "预览时另有一项工作需要说明。")
    site("preview", cache)
    assert ("search_files", "fresh") in started, "a new site folder's index is made whole"
    started.clear()
    change_text(seeds[2], "本年度另有第二项工作需要说明。")
    again = site("site", cache)
    assert ("search_files", "fork") in started and ("search_files", "fresh") not in started
    same_as_cold(again)

    # A contributor's hostile text, cited in two reports, reaches pages the forks make (a document's page, the
    # laws' index): shown there as text, as a cold build shows it.
    started.clear()
    hostile = "本年度学习了《<script>alert(1)</script>条例》和《\"><img src=x onerror=alert(2)>办法》。"
    for seed in seeds[4:6]:
        change_text(seed, hostile)
    shown = site("site", cache)
    assert ("_across_pages", "fork") in started
    laws = b"".join(data for path, data in shown.items() if path.startswith("laws/") and path.endswith(".html"))
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in laws and b"&lt;img src=x onerror=alert(2)&gt;" in laws
    assert not [path for path, data in shown.items() if path.endswith(".html")
                and (b"<script>alert(1)" in data or b"<img src=x" in data)]
    same_as_cold(shown)

    # Beside a large build's process a fork would copy what it reads: fresh processes update and write.
    monkeypatch.setattr(workers, "FORK_BESIDE_MAX", 0)
    started.clear()
    change_text(seeds[3], "本年度另有第三项工作需要说明。")
    large = site("site", cache)
    assert ("search_files", "fresh") in started and ("_passages_file", "fresh") in started
    assert not [work for work, how in started if how == "fork"]
    same_as_cold(large)
    monkeypatch.setattr(workers, "FORK_BESIDE_MAX", 1 << 40)

    started.clear()
    for n, seed in enumerate(seeds[:search_update.MOST_CHANGED + 2]):
        change_text(seed, f"本年度另有第{n + 1}项工作需要说明。")
    remade = site("site", cache)
    searching = [how for work, how in started if work == "search_files"]
    assert searching == ["fork", "fresh"], "the update gave up, and the index was made whole afresh"
    same_as_cold(remade)


def test_work_is_forked_beside_a_process_only_while_it_is_small(monkeypatch):
    """``forking_is_cheap`` reads this process's resident memory as it is now, and says no above the bound."""
    from converter import workers

    before = workers.resident_bytes()
    grown = bytearray(256 << 20)
    grown[::4096] = b"\1" * len(grown[::4096])  # each page written, so resident
    assert before is not None and workers.resident_bytes() > before + (200 << 20)
    monkeypatch.setattr(workers, "FORK_BESIDE_MAX", workers.resident_bytes() + (64 << 20))
    assert workers.forking_is_cheap()
    del grown
    monkeypatch.setattr(workers, "FORK_BESIDE_MAX", workers.resident_bytes() - (1 << 20))
    assert not workers.forking_is_cheap()
    monkeypatch.setattr(workers, "resident_bytes", lambda: None)  # where it cannot be told: a fresh process
    monkeypatch.setattr(workers, "FORK_BESIDE_MAX", 1 << 40)
    assert not workers.forking_is_cheap()
