"""A build spread over machines (``ARCHIVE_SHARD``): shares that split the archive, and a whole build that
converts nothing the shares' caches hold and equals a cold build byte for byte."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SEEDS
from converter.shard import ENV_VAR, Shard, chosen


@pytest.mark.parametrize("spec, number, count", [("2/4", 2, 4), ("1/1", 1, 1), (" 3 / 8 ", 3, 8)])
def test_a_share_is_written_number_slash_count(spec, number, count):
    assert Shard.parse(spec) == Shard(number, count)
    assert str(Shard.parse(spec)) == f"{number}/{count}"


@pytest.mark.parametrize("spec", ["0/4", "5/4", "2", "2/0", "二/四", "a/b", "-1/4", "2/4/8"])
def test_a_share_written_otherwise_is_refused_with_how_to_write_it(spec):
    with pytest.raises(ValueError) as refused:
        Shard.parse(spec)
    assert f"“{spec}”" in str(refused.value) and "2/4" in str(refused.value) and ENV_VAR in str(refused.value)


def test_the_setting_comes_first_then_the_environment(monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert chosen(None) is None
    monkeypatch.setenv(ENV_VAR, "1/3")
    assert chosen(None) == Shard(1, 3)
    assert chosen("2/3") == Shard(2, 3)
    monkeypatch.setenv(ENV_VAR, " ")
    assert chosen(None) is None, "an empty variable (a CI matrix entry left blank) is the whole archive"
    assert chosen("1/1") is None, "so is a share of one: it prunes the cache as the whole build does"


def test_a_bad_setting_is_named_where_it_came_from(monkeypatch):
    monkeypatch.setenv(ENV_VAR, "3/2")
    with pytest.raises(ValueError, match=f"环境变量 {ENV_VAR}"):
        chosen(None)
    with pytest.raises(ValueError, match="mkdocs.yml 中 archive 插件的 shard"):
        chosen("0/2")


@pytest.mark.parametrize("count", [1, 2, 3, 7])
def test_every_report_is_in_exactly_one_share_and_shares_are_about_equal(count):
    names = [f"{i:05d}_{i * 7919:08x}.txt" for i in range(2000)]
    shares = [Shard(n, count).select(names) for n in range(1, count + 1)]
    assert sorted(name for share in shares for name in share) == names
    assert all(abs(len(share) - len(names) / count) < 0.15 * len(names) / count for share in shares)


def test_the_file_name_decides_not_the_folder_it_is_in():
    for name in ("000_66a8a630a4ee21e1.txt", "浙江省-某镇-2023.txt"):
        assert len({Shard(n, 5).holds(Path(folder) / name) for n in range(1, 6) for folder in ("/a", "b/c")}) == 2
        assert [n for n in range(1, 6) if Shard(n, 5).holds(Path("/a") / name)] == \
               [n for n in range(1, 6) if Shard(n, 5).holds(Path("elsewhere/deeper") / name)]


def test_a_name_spelt_decomposed_is_in_the_same_share():
    import unicodedata

    for name in ("Zürich-2023.txt", "café_01.txt", "浙江省-某镇-2023.txt"):
        decomposed = unicodedata.normalize("NFD", name)
        assert [Shard(n, 7).holds(name) for n in range(1, 8)] == [Shard(n, 7).holds(decomposed) for n in range(1, 8)]


def _build(project: Path, site: str, cache: Path | str, shard: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "ARCHIVE_CACHE": str(cache)}
    env.pop(ENV_VAR, None)
    if shard is not None:
        env[ENV_VAR] = shard
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--site-dir", site], cwd=project,
                          capture_output=True, text=True, encoding="utf-8", env=env)


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _entries(cache: Path) -> dict[str, tuple[int, int]]:
    """Every converted report in the cache (not the pages), with what changes when it is written again."""
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in cache.glob("*/*/*.pickle")
            if p.parts[-3] != "site"}


def _reports(site: Path) -> set[str]:
    return {p.parent.name for p in (site / "reports").glob("*/index.html")}


def test_shares_built_apart_make_a_whole_build_that_converts_nothing_and_equals_a_cold_one(tmp_path):
    from sitebuild import make_project

    project = make_project(tmp_path, sorted(SEEDS.iterdir()))
    merged = tmp_path / "merged"
    shares = []
    for number in (1, 2):  # as a CI matrix would: each share on its own machine, with its own cache
        cache = tmp_path / f"cache-{number}"
        result = _build(project, f"share-{number}", cache, f"{number}/2")
        assert result.returncode == 0, result.stderr[-3000:]
        assert f"分片构建：第 {number} 份（共 2 份）" in result.stderr
        shares.append(_reports(project / f"share-{number}"))
        shutil.copytree(cache, merged, dirs_exist_ok=True)  # what the final job gathers
    assert all(shares) and not shares[0] & shares[1], "the seeds split 2 + 3, and no report is in both"

    held = _entries(merged)
    assert len(held) == len(list(SEEDS.glob("*.txt")))
    whole = _build(project, "whole", merged)
    assert whole.returncode == 0, whole.stderr[-3000:]
    assert "分片构建" not in whole.stderr
    assert _entries(merged) == held, "every report was taken from the shares' caches, none converted again"
    assert _reports(project / "whole") == shares[0] | shares[1]

    cold = _build(project, "cold", "off")
    assert cold.returncode == 0, cold.stderr[-3000:]
    built, expected = _tree(project / "whole"), _tree(project / "cold")
    assert built.keys() == expected.keys()
    assert [path for path in expected if built[path] != expected[path]] == []


def test_a_share_keeps_what_the_whole_build_cached_and_an_empty_share_builds(tmp_path):
    from sitebuild import make_project

    project = make_project(tmp_path, sorted(SEEDS.iterdir()))
    cache = tmp_path / "cache"
    assert _build(project, "whole", cache).returncode == 0
    before = _entries(cache)
    pages_before = sorted(p.name for p in (cache / "site").rglob("*.pickle"))
    names = sorted(p.name for p in (project / "seeds").glob("*.txt"))
    empty = next(f"{n}/64" for n in range(1, 65) if not Shard(n, 64).select(names))  # 5 reports leave 59 empty
    result = _build(project, "empty", cache, empty)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "0 篇" in result.stderr and _reports(project / "empty") == set()
    assert _entries(cache) == before, "a share prunes nothing of the archive's converted reports"
    assert set(pages_before) <= {p.name for p in (cache / "site").rglob("*.pickle")}, "nor of its pages"


def test_a_share_written_wrong_stops_the_build_saying_how_to_write_it(tmp_path):
    from sitebuild import make_project

    project = make_project(tmp_path, sorted(SEEDS.iterdir())[:2])
    result = _build(project, "site", "off", "3/2")
    assert result.returncode != 0
    assert "“3/2”" in result.stderr and "第几份/共几份" in result.stderr and f"环境变量 {ENV_VAR}" in result.stderr


def test_a_share_is_never_published(tmp_path):
    from sitebuild import make_project

    project = make_project(tmp_path, sorted(SEEDS.iterdir())[:2])
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "ARCHIVE_CACHE": "off", ENV_VAR: "1/2"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "gh-deploy", "--force"], cwd=project,
                            capture_output=True, text=True, encoding="utf-8", env=env)
    assert result.returncode != 0
    assert "只含部分报告" in result.stderr and "不能发布" in result.stderr
    assert not (project / "site").exists(), "refused before anything was built"
