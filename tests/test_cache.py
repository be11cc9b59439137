"""The on-disk cache of converted reports can never serve a stale report, and a cached build is a cold one."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import SEEDS, seed_files
from converter import cache, collection
from converter.cache import ReportCache, package_digest


@pytest.fixture
def counted(monkeypatch):
    """convert_file, counting the reports it really converts."""
    calls: list[str] = []
    real = collection.convert_file

    def counting(path, *args, **kwargs):
        calls.append(Path(path).name)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(collection, "convert_file", counting)
    return calls


def _archive(tmp_path: Path) -> Path:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for path in seed_files()[:3]:
        shutil.copy(path, seeds / path.name)
        if path.with_suffix(".yml").exists():
            shutil.copy(path.with_suffix(".yml"), seeds / path.with_suffix(".yml").name)
    return seeds


def _convert(seeds: Path, disk: ReportCache):
    reports, problems = collection.convert_paths([str(seeds)], jobs=1, disk=disk, prune=True)
    assert not problems
    return {Path(r.path).name: r for r in reports}


def test_an_unchanged_archive_is_read_from_disk_not_converted(tmp_path, counted):
    seeds = _archive(tmp_path)
    cold = _convert(seeds, ReportCache(tmp_path / "cache"))
    assert len(counted) == 3
    counted.clear()
    warm = _convert(seeds, ReportCache(tmp_path / "cache"))  # a new process would start just like this
    assert counted == []
    assert {n: r.metadata for n, r in warm.items()} == {n: r.metadata for n, r in cold.items()}
    assert {n: r.structure for n, r in warm.items()} == {n: r.structure for n, r in cold.items()}


def test_a_report_read_back_has_its_text_and_unpacks_its_structure_only_when_it_is_read(tmp_path, counted):
    """The pages read every report's text in every build and the blocks only of the pages they make: a report
    read back from the cache gives its text and line kinds without unpacking its structure, then the structure,
    equal to the converted one, when asked; and it is kept again as it was, read or not."""
    import pickle

    from converter.pages.entry import Entry

    seeds = _archive(tmp_path)
    cold = _convert(seeds, ReportCache(tmp_path / "cache"))
    warm = _convert(seeds, ReportCache(tmp_path / "cache"))
    for name, report in warm.items():
        converted = cold[name]
        entry = Entry.of(report)
        assert "structure" not in vars(report), "the text and kinds came without the blocks"
        assert entry.text == converted.structure.text() and entry.text
        assert entry.kinds == tuple(b.kind for b in converted.structure.blocks
                                    for _ in b.display_text.split("\n"))
        again = pickle.loads(pickle.dumps(report))  # never unpacked, kept again
        assert again.structure == converted.structure and "_packed" not in vars(again)
        assert report.structure == converted.structure and report == converted
        assert pickle.loads(pickle.dumps(report)).structure == converted.structure, "unpacked, kept again"
    assert getattr(warm[next(iter(warm))], "no_such_part", None) is None


def test_the_site_takes_reports_lean_whoever_put_them_in_the_cache(tmp_path, counted):
    """``check`` and the site share the cache: a report kept whole comes out lean for the site, one the site
    converted is kept lean, and either way it is the same report but for what the site never reads."""
    seeds = _archive(tmp_path)
    full = _convert(seeds, ReportCache(tmp_path / "cache"))
    reports, _ = collection.convert_paths([str(seeds)], jobs=1, disk=ReportCache(tmp_path / "cache"), lean=True)
    lean = {Path(r.path).name: r for r in reports}
    assert len(counted) == 3  # the second time, all three came from the cache
    for name, report in lean.items():
        whole = full[name]
        assert whole.raw is not None and report.raw is None and report.size == len(whole.raw) > 0
        assert report.decoded is None and report.cleaned.lines == () and whole.cleaned.lines
        assert (report.structure, report.metadata, report.cleaned.removals) == \
            (whole.structure, whole.metadata, whole.cleaned.removals)
        assert report.lean() is report
    fresh = ReportCache(tmp_path / "fresh")
    collection.convert_paths([str(seeds)], jobs=1, disk=fresh, lean=True)
    assert all(fresh.get(cache.report_key(str(seeds / name))).raw is None for name in lean)
    counted.clear()
    whole_again, _ = collection.convert_paths([str(seeds)], jobs=1, disk=fresh)  # kept lean, asked for whole
    assert len(counted) == 3 and all(r.raw is not None and r.cleaned.lines for r in whole_again)


def test_a_changed_report_is_converted_again_and_only_it(tmp_path, counted):
    seeds = _archive(tmp_path)
    _convert(seeds, ReportCache(tmp_path / "cache"))
    changed = sorted(seeds.glob("*.txt"))[1]
    changed.write_bytes(changed.read_bytes() + "\n本报告另附一句新加的话。\n".encode())
    counted.clear()
    warm = _convert(seeds, ReportCache(tmp_path / "cache"))
    assert counted == [changed.name]
    assert "本报告另附一句新加的话" in warm[changed.name].decoded.text


def test_a_changed_sidecar_converts_its_report_again(tmp_path, counted):
    seeds = _archive(tmp_path)
    report = sorted(seeds.glob("*.txt"))[0]
    sidecar = report.with_suffix(".yml")
    before = _convert(seeds, ReportCache(tmp_path / "cache"))[report.name].metadata.slug
    sidecar.write_text(sidecar.read_text(encoding="utf-8").replace(f"slug: {before}", "slug: a-corrected-slug-2022"),
                       encoding="utf-8")
    counted.clear()
    after = _convert(seeds, ReportCache(tmp_path / "cache"))
    assert counted == [report.name]
    assert after[report.name].metadata.slug == "a-corrected-slug-2022"
    sidecar.unlink()  # a sidecar taken away is a change too
    counted.clear()
    gone = _convert(seeds, ReportCache(tmp_path / "cache"))
    assert counted == [report.name] and gone[report.name].metadata.slug != "a-corrected-slug-2022"


def test_another_converter_version_reads_nothing_of_the_old_one_and_prunes_it(tmp_path, counted):
    seeds = _archive(tmp_path)
    _convert(seeds, ReportCache(tmp_path / "cache", version="old"))
    counted.clear()
    _convert(seeds, ReportCache(tmp_path / "cache", version="new"))
    assert len(counted) == 3
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == ["new"]


def test_a_change_to_any_converter_file_is_a_new_version(tmp_path):
    package = tmp_path / "converter"
    shutil.copytree(Path(cache.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__"))
    first = package_digest(package)
    assert package_digest(package) == first
    rule = package / "clean" / "footer.py"
    rule.write_text(rule.read_text(encoding="utf-8") + "\n# a changed rule\n", encoding="utf-8")
    assert package_digest(package) != first
    data = package / "reference" / "glossary.yaml"
    before_data = package_digest(package)
    data.write_text(data.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert package_digest(package) != before_data
    assert cache.converter_version() == package_digest(Path(cache.__file__).parent)


def test_a_deleted_report_leaves_the_archive_and_the_cache(tmp_path, counted):
    seeds = _archive(tmp_path)
    disk = ReportCache(tmp_path / "cache")
    _convert(seeds, disk)
    entries = sorted(disk.folder.glob("*/*.pickle"))
    assert len(entries) == 3
    deleted = sorted(seeds.glob("*.txt"))[2]
    deleted.unlink()
    counted.clear()
    left = _convert(seeds, ReportCache(tmp_path / "cache"))
    assert deleted.name not in left and len(left) == 2 and counted == []
    assert len(list(disk.folder.glob("*/*.pickle"))) == 2


def test_a_damaged_entry_is_a_miss_and_is_written_again(tmp_path, counted):
    seeds = _archive(tmp_path)
    disk = ReportCache(tmp_path / "cache")
    _convert(seeds, disk)
    for entry in disk.folder.glob("*/*.pickle"):
        entry.write_bytes(entry.read_bytes()[:100])
    counted.clear()
    again = _convert(seeds, ReportCache(tmp_path / "cache"))
    assert len(counted) == 3 and len(again) == 3
    counted.clear()
    _convert(seeds, ReportCache(tmp_path / "cache"))
    assert counted == []


def _site(project: Path, site: str, cache_setting: str) -> Path:
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", site], cwd=project, check=True,
                   env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "ARCHIVE_CACHE": cache_setting})
    return project / site


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_a_cached_build_is_byte_identical_to_a_cold_one(tmp_path):
    from sitebuild import make_project

    project = make_project(tmp_path, sorted(SEEDS.iterdir()))
    store = str(tmp_path / "store")
    cold = _tree(_site(project, "cold", "off"))
    _site(project, "first", store)
    assert list(Path(store).glob("*/*/*.pickle")), "the first build filled the cache"
    warm = _tree(_site(project, "warm", store))
    assert warm.keys() == cold.keys()
    assert [path for path in cold if warm[path] != cold[path]] == []


def test_the_gazetteer_is_kept_parsed_beside_the_cache_entries_and_read_back_as_it_was(tmp_path, monkeypatch):
    """A build that converts one changed report reads the parsed gazetteer from the cache's version folder rather
    than parse 40,000 townships again; what it reads is what parsing gives, and a cut-off file is parsed anew."""
    from converter import gazetteer
    from converter.collection import convert_paths

    seed = tmp_path / "seeds"
    seed.mkdir()
    shutil.copy(SEEDS / "000_66a8a630a4ee21e1.txt", seed)
    disk = ReportCache(tmp_path / "cache")
    monkeypatch.setattr(cache, "_parsed_in", None)
    gazetteer.load.cache_clear()
    try:
        gazetteer.provinces.cache_clear()
        convert_paths([str(seed)], disk=disk, jobs=1)
        kept = disk.folder / gazetteer.GAZETTEER_KEPT
        assert kept.is_file() and cache.parsed_path(gazetteer.GAZETTEER_KEPT) == kept
        listed = gazetteer.provinces()
        assert (disk.folder / gazetteer.PROVINCES_KEPT).is_file() and len(listed) == 34
        gazetteer.provinces.cache_clear()
        with monkeypatch.context() as patched:
            patched.setattr(gazetteer, "_text", lambda: (_ for _ in ()).throw(AssertionError("read again")))
            assert gazetteer.provinces() == listed, "the provinces are read back as kept, not from the text"
        parsed = gazetteer.load()
        gazetteer.load.cache_clear()

        def no_parsing(*args, **kwargs):
            raise AssertionError("parsed again although it was kept")

        monkeypatch.setattr(gazetteer, "parse", no_parsing)
        read = gazetteer.load()
        assert read == parsed and read is not parsed, "read back from the cache, equal to the parse"
        disk.prune(set())
        assert kept.is_file(), "not an entry: pruning the entries leaves it"
        monkeypatch.undo()
        kept.write_bytes(kept.read_bytes()[:1000])  # cut off
        monkeypatch.setattr(cache, "_parsed_in", disk.folder)
        gazetteer.load.cache_clear()
        assert gazetteer.load() == parsed and len(kept.read_bytes()) > 1000, "parsed again and kept whole"
    finally:
        gazetteer.load.cache_clear()
        gazetteer.provinces.cache_clear()


def test_pinyin_spelled_once_is_kept_for_the_next_build_and_read_back_alike(tmp_path, monkeypatch):
    """Lists sort by the pinyin of places and units; a build keeps the words it spelled beside the cache entries,
    and the next one spells nothing it knows (pypinyin is not even imported), with the same spellings."""
    from converter import slug

    monkeypatch.setattr(slug, "_words", slug._Words())
    words = ["石马镇", "重庆市", "长安街道", "乐山市", "行政执法"]
    fresh = [slug.pinyin_word(w) for w in words]
    assert fresh == ["shimazhen", "chongqingshi", "changanjiedao", "leshanshi", "xingzhengzhifa"]
    kept = tmp_path / "pinyin.pickle"
    slug.keep_words(kept)
    assert [slug.pinyin_word(w) for w in words] == fresh
    slug.save_words()
    assert kept.is_file()
    slug.keep_words(None)
    slug.keep_words(kept)  # as a new process would

    def no_spelling(text):
        raise AssertionError(f"spelled again: {text}")

    monkeypatch.setattr(slug, "spelled", no_spelling)
    assert [slug.pinyin_word(w) for w in words] == fresh
    monkeypatch.undo()
    monkeypatch.setattr(slug, "_words", slug._Words())
    kept.write_bytes(b"\x80\x05cut")  # cut off: read as nothing, and spelled again
    slug.keep_words(kept)
    assert slug.pinyin_word("石马镇") == "shimazhen"
    slug.save_words()
    slug.keep_words(None)
    slug.keep_words(kept)
    assert slug._words.load() == {"石马镇": "shimazhen"}


def test_words_spelled_in_conversion_workers_are_kept_by_the_parent(tmp_path, monkeypatch):
    """Reports converted in forked workers spell their slugs there; the parent spells the same words again, so
    that they are kept, and a later build that converts one changed report here needs no pypinyin."""
    from converter import slug

    monkeypatch.setattr(slug, "_words", slug._Words())
    monkeypatch.setattr(collection, "IN_WORKERS_FROM", 2)
    for path in seed_files():
        shutil.copy(path, tmp_path / path.name)
    reports, _ = collection.convert_paths([str(tmp_path)], jobs=2, disk=ReportCache(tmp_path / "cache"))
    spelled = [r.metadata for r in reports if r.metadata.sources.get("slug") == "地名与年度的拼音"]
    assert spelled, "some seeds are named by their place's pinyin"
    known = slug._words.known or {}
    for meta in spelled:
        unit = meta.unit or meta.town
        assert unit in known and known[unit] in meta.slug, unit


def test_the_collector_runs_less_often_during_a_build_and_as_before_after_it(tmp_path, monkeypatch):
    """A build raises the young generation's threshold (``collector_for_builds``) and leaves the process's
    thresholds as it found them: after a build, after one that failed, and under a caller that set its own."""
    import gc

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from converter import pages
    from mkdocs_archive import plugin
    from sitebuild import make_project

    earlier = gc.get_threshold()
    try:
        gc.set_threshold(700, 9, 8)
        with cache.collector_for_builds():
            assert gc.get_threshold() == (cache.BUILD_YOUNG_COLLECTION, 9, 8)
        assert gc.get_threshold() == (700, 9, 8)
        gc.set_threshold(cache.BUILD_YOUNG_COLLECTION * 3, 9, 8)
        with pytest.raises(KeyError), cache.collector_for_builds():
            assert gc.get_threshold() == (cache.BUILD_YOUNG_COLLECTION * 3, 9, 8), "a caller's higher one is kept"
            raise KeyError
        assert gc.get_threshold() == (cache.BUILD_YOUNG_COLLECTION * 3, 9, 8)

        project = make_project(tmp_path, seed_files()[:2])
        during: list[tuple[int, int, int]] = []
        real = pages.build

        def watched(*args, **kwargs):
            during.append(gc.get_threshold())
            if len(during) == 2:
                raise RuntimeError("a build that fails midway")
            return real(*args, **kwargs)

        monkeypatch.setattr(plugin.pages, "build", watched)
        gc.set_threshold(700, 10, 10)
        for outcome in ("built", "failed"):
            config = load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site"))
            config.plugins["archive"].config.cache_dir = "off"
            if outcome == "failed":
                with pytest.raises(RuntimeError):
                    build(config)
            else:
                build(config)
            assert during[-1] == (cache.BUILD_YOUNG_COLLECTION, 10, 10), outcome
            assert gc.get_threshold() == (700, 10, 10), f"the thresholds are the caller's again: {outcome}"
    finally:
        gc.set_threshold(*earlier)


def test_values_read_to_be_kept_are_frozen_when_the_pause_ends_and_others_are_not():
    """``collector_paused(keep=True)`` leaves what was read out of the collector's walks; a plain pause does
    not, and both give the collector back as they found it."""
    import gc

    gc.unfreeze()
    try:
        with cache.collector_paused():
            read = [[n] for n in range(1000)]
            assert not gc.isenabled()
        assert gc.isenabled() and gc.get_freeze_count() == 0 and gc.is_tracked(read[0])
        with cache.collector_paused(keep=True):
            kept = [[n] for n in range(1000)]
        assert gc.isenabled() and gc.get_freeze_count() >= len(kept)
        assert not any(kept[0] is o for o in gc.get_objects()), "frozen: in no generation the collector walks"
        gc.disable()
        with cache.collector_paused(keep=True):
            pass
        assert not gc.isenabled(), "a collector that was off stays off"
    finally:
        gc.enable()
        gc.unfreeze()


def test_a_files_digest_is_read_once_while_it_stays_as_it_was_and_again_once_it_changed(tmp_path, monkeypatch):
    """The digest a build takes of each report three times is read once; any write since (even one that keeps the
    size and sets the modification time back) is seen by the change time, and a file changed too lately to
    trust its times is read every time."""
    import hashlib

    monkeypatch.setattr(cache, "_digests", {})
    reads: list[str] = []
    real = cache.bytes_or_none

    def counted(path):
        reads.append(Path(path).name)
        return real(path)

    monkeypatch.setattr(cache, "bytes_or_none", counted)
    report = tmp_path / "a.txt"
    report.write_bytes("甲乙丙".encode())
    expected = hashlib.sha256("甲乙丙".encode()).digest()
    assert cache.file_digest(report) == cache.file_digest(report) == expected
    assert reads == ["a.txt", "a.txt"], "just written: its times may not move on a second write, so read again"
    monkeypatch.setattr(cache, "SETTLED_NS", 0)  # as if written long ago
    reads.clear()
    assert cache.file_digest(report) == cache.file_digest(report) == cache.file_digest(str(report)) == expected
    monkeypatch.chdir(tmp_path)
    assert cache.file_digest("a.txt") == cache.file_digest(Path("a.txt")) == expected
    assert reads == ["a.txt"], "read once, then known by its stamp, however its path is written"
    first = report_stat = report.stat()
    time.sleep(0.05)  # past the clock's tick: a write a moment after the first is what SETTLED_NS guards against
    report.write_bytes("甲乙丁".encode())  # the same size
    os.utime(report, ns=(first.st_atime_ns, first.st_mtime_ns))  # the modification time set back
    assert (report.stat().st_size, report.stat().st_mtime_ns) == (report_stat.st_size, report_stat.st_mtime_ns)
    assert cache.file_digest(report) == hashlib.sha256("甲乙丁".encode()).digest(), "the change time moved"
    report.unlink()
    assert cache.file_digest(report) is None
    key_without = cache.report_key(str(report))
    report.write_bytes(b"x")
    assert cache.report_key(str(report)) != key_without


def test_digests_are_kept_for_the_next_process_and_believed_only_while_each_files_stamp_holds(tmp_path, monkeypatch):
    """A new process reads the kept digests instead of every report; a file written since is read again, a file
    no longer asked for leaves the kept file, and a cut-off kept file is only a miss."""
    import hashlib

    monkeypatch.setattr(cache, "SETTLED_NS", 0)  # as if every file had been written long ago

    def new_process():
        monkeypatch.setattr(cache, "_digests", {})
        monkeypatch.setattr(cache, "_kept_digests", cache._KeptDigests())

    reads: list[str] = []
    real = cache.bytes_or_none
    monkeypatch.setattr(cache, "bytes_or_none", lambda path: reads.append(Path(path).name) or real(path))
    files = {name: tmp_path / name for name in ("a.txt", "b.txt", "c.txt")}
    for name, path in files.items():
        path.write_text(f"报告{name}", encoding="utf-8")
    kept = tmp_path / "cache" / cache.DIGESTS_KEPT
    new_process()
    cache.keep_digests(kept)
    first = {name: cache.file_digest(path) for name, path in files.items()}
    cache.save_digests()
    assert kept.is_file() and sorted(reads) == ["a.txt", "b.txt", "c.txt"]

    new_process()
    reads.clear()
    cache.keep_digests(kept)
    assert {name: cache.file_digest(path) for name, path in files.items()} == first and reads == []
    time.sleep(0.05)
    files["b.txt"].write_text("报告b.tx!", encoding="utf-8")  # the same length in bytes
    assert cache.file_digest(files["b.txt"]) == hashlib.sha256("报告b.tx!".encode()).digest() and reads == ["b.txt"]
    cache.save_digests()

    new_process()
    reads.clear()
    cache.keep_digests(kept)
    assert cache.file_digest(files["a.txt"]) == first["a.txt"]
    assert cache.file_digest(files["b.txt"]) == hashlib.sha256("报告b.tx!".encode()).digest() and reads == []
    cache.save_digests()  # c.txt was not asked for: it goes
    new_process()
    cache.keep_digests(kept)
    assert set(cache._digests) == {str(files["a.txt"]), str(files["b.txt"])}

    kept.write_bytes(kept.read_bytes()[:20])
    new_process()
    reads.clear()
    cache.keep_digests(kept)
    assert cache.file_digest(files["a.txt"]) == first["a.txt"] and reads == ["a.txt"], "cut off: read again"


def test_a_packed_store_gives_back_what_it_was_given_and_reads_a_damaged_entry_as_a_miss(tmp_path):
    """Kept pages and bodies are packed (Zstandard): what comes back is what went in, the file is smaller than
    its pickle, and an entry cut off, packed another way (zlib, as this cache once did) or not packed reads as a
    miss, never as a fault or a wrong value."""
    import pickle
    import zlib

    store = cache.Store(tmp_path, "v", packed=True)
    value = {"html": "<p>法治政府建设</p>" * 500, "toc": [("一、", 1)], "n": 7}
    assert store.put("ab" * 20, value)
    entry = tmp_path / "v" / "ab" / f"{'ab' * 20}.pickle"
    assert store.load("ab" * 20) == value
    whole = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    assert entry.stat().st_size < len(whole) / 4
    packed = entry.read_bytes()
    for damaged in (packed[:len(packed) // 2], zlib.compress(whole, 1), whole, b""):
        entry.write_bytes(damaged)
        assert store.load("ab" * 20) is None
