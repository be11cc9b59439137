"""``check`` keeps the archive's fingerprints on disk: a second check converts only what changed, and says the same."""

from __future__ import annotations

import os
import shutil

import pytest

from converter import collection
from converter.cache import ReportCache
from converter.check import check_paths
from converter.fingerprints import FILE, FingerprintIndex
from conftest import SAMPLES, SEEDS, archive_copy

NEW_NAME = "chongqing-chengkou-jimingxiang-2025.txt"  # sample s002: 重庆市城口县鸡鸣乡, 2025


@pytest.fixture
def archive(tmp_path):
    folder = archive_copy(tmp_path)
    shutil.copy(SAMPLES / "s002.txt", folder / NEW_NAME)
    return folder


@pytest.fixture
def converted(monkeypatch):
    """The files the survey converts (it converts through ``collection.convert_or_error``)."""
    seen: list[str] = []
    real = collection.convert_or_error

    def counting(path):
        seen.append(path)
        return real(path)

    monkeypatch.setattr(collection, "convert_or_error", counting)
    return seen


def verdicts(archive, cache_root=None):
    results = check_paths([str(archive / NEW_NAME)], archive, jobs=1, cache_root=cache_root)
    return [(c.path, [str(p) for p in c.problems], c.notes) for c in results]


def test_a_second_check_reads_the_archive_from_its_fingerprints_and_says_the_same(archive, tmp_path, converted):
    cache = tmp_path / "cache"
    plain = verdicts(archive)
    assert len(converted) == len(list(SEEDS.glob("*.txt")))
    converted.clear()
    assert verdicts(archive, cache) == plain
    assert len(converted) == len(list(SEEDS.glob("*.txt")))  # the first time, every report
    assert list(cache.glob(f"*/{FILE}"))
    converted.clear()
    assert verdicts(archive, cache) == plain
    assert converted == []  # the second time, none
    # The site's build (which names the archive's folder by its absolute path, and keeps reports lean) finds them
    # converted too.
    collection.convert_paths([os.path.abspath(archive)], jobs=1, disk=ReportCache(cache), lean=True)
    assert converted == [os.path.abspath(archive / NEW_NAME)]  # the one checked, not surveyed


def test_a_changed_report_sidecar_or_name_is_surveyed_again_and_a_deleted_one_is_gone(archive, tmp_path, converted):
    cache = tmp_path / "cache"
    verdicts(archive, cache)
    seeds = sorted(p for p in archive.glob("*.txt") if p.name != NEW_NAME)

    # An archived report now holds the new report's words: the new one is a copy of it.
    seeds[0].write_bytes((archive / NEW_NAME).read_bytes())
    converted.clear()
    now = verdicts(archive, cache)
    assert converted == [os.path.abspath(seeds[0])]
    assert now == verdicts(archive) and any("已有同样的正文" in p and seeds[0].name in p for p in now[0][1])

    # It is deleted: the copy is gone with it.
    seeds[0].unlink()
    now = verdicts(archive, cache)
    assert now == verdicts(archive) and not any("已有同样的正文" in p for p in now[0][1])

    # A sidecar gives an archived report the new report's address.
    sidecar = seeds[1].with_suffix(".yml")
    before = sidecar.read_text(encoding="utf-8") if sidecar.exists() else ""
    sidecar.write_text(before + "\nformer_slugs: [chongqing-chengkou-jimingxiang-2025]\n", encoding="utf-8")
    converted.clear()
    now = verdicts(archive, cache)
    assert converted == [os.path.abspath(seeds[1])]
    assert now == verdicts(archive) and any("已被" in p and seeds[1].name in p for p in now[0][1])

    # Renamed, a report is another report: its address may change with its name.
    seeds[2].rename(archive / "renamed.txt")
    converted.clear()
    now = verdicts(archive, cache)
    assert converted == [os.path.abspath(archive / "renamed.txt")]
    assert now == verdicts(archive)


def test_another_converter_version_reads_nothing_and_a_damaged_index_is_rebuilt(archive, tmp_path, converted):
    cache = tmp_path / "cache"
    verdicts(archive, cache)
    [stored] = cache.glob(f"*/{FILE}")
    assert FingerprintIndex(cache, version="another").load() == {}
    assert len(FingerprintIndex(cache).load()) == len(list(SEEDS.glob("*.txt")))
    stored.write_text('{"format": 1, "reports": {"x": [1]', encoding="utf-8")  # cut off mid-write
    plain = verdicts(archive)
    converted.clear()
    assert verdicts(archive, cache) == plain
    assert converted == []  # what the index lost, the site's report cache beside it still held
    assert len(FingerprintIndex(cache).load()) == len(list(SEEDS.glob("*.txt")))


def test_a_hostile_archived_name_read_back_from_the_fingerprints_is_shown_literally(archive, tmp_path):
    """A file name is a contributor's value: kept in the index and read back, it still prints as text."""
    from converter.check_output import as_markdown, as_text

    hostile = '<img src=x onerror=alert(1)>|**b** `c`.txt'
    (archive / hostile).write_bytes((archive / NEW_NAME).read_bytes())
    cache = tmp_path / "cache"
    check_paths([str(archive / NEW_NAME)], archive, jobs=1, cache_root=cache)  # the survey keeps the name
    [checked] = check_paths([str(archive / NEW_NAME)], archive, jobs=1, cache_root=cache)  # and reads it back
    assert any(str(archive / hostile) in str(p) for p in checked.problems)  # found as a copy, under its name
    assert str(archive / hostile) in as_text(checked)
    summary = as_markdown([checked])
    assert "<img" not in summary and "&lt;img src=x onerror=alert(1)&gt;&#124;" in summary


def test_a_site_build_leaves_the_archive_surveyed_so_the_first_check_converts_nothing(archive, tmp_path, converted,
                                                                                       monkeypatch):
    from sitebuild import build, make_project

    project = make_project(tmp_path, sorted(archive.iterdir()))
    plain = verdicts(project / "seeds")
    cache = tmp_path / "cache"
    monkeypatch.setenv("ARCHIVE_CACHE", str(cache))
    result = build(project, strict=False)
    monkeypatch.delenv("ARCHIVE_CACHE")
    assert result.returncode == 0, result.stderr[-2000:]
    held = FingerprintIndex(cache).load()
    assert len(held) == len(list(archive.glob("*.txt")))  # every report the build converted
    converted.clear()
    assert verdicts(project / "seeds", cache) == plain
    assert converted == []

    # The next build with nothing changed leaves the kept file as it is; a changed report is surveyed again.
    from converter import check
    from converter.collection import convert_paths

    fingerprinted: list[str] = []
    real_held_of = check.held_of
    monkeypatch.setattr(check, "held_of", lambda report: fingerprinted.append(report.path) or real_held_of(report))
    reports, _ = convert_paths([str(project / "seeds")], jobs=1, disk=ReportCache(cache))
    assert check.remember(reports, cache) is False
    assert fingerprinted == []  # nothing changed: no report's words are read again
    changed = sorted((project / "seeds").glob("*.txt"))[0]
    changed.write_bytes(changed.read_bytes() + "\n补充一句。\n".encode("utf-8"))
    reports, _ = convert_paths([str(project / "seeds")], jobs=1, disk=ReportCache(cache))
    assert check.remember(reports, cache) is True
    assert fingerprinted == [str(changed)]  # only the changed one
    converted.clear()
    verdicts(project / "seeds", cache)
    assert converted == []
