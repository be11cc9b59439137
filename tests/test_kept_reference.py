"""What conversion parses from its reference data (gazetteer, registry, common numerals) is kept beside the cache
and read back as it was made: a process that converts one changed report parses none of it again, and converts
the report exactly as a process without a cache does."""

from __future__ import annotations

import importlib.util
import json
import pickle
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import cn2an
import pytest

from conftest import ROOT, seed_files
from converter import cache, gazetteer, numerals
from converter.reference import registry


@pytest.fixture
def fresh_numerals(monkeypatch):
    monkeypatch.setattr(cache, "_parsed_in", None)
    numerals._table_in.cache_clear()
    yield
    numerals._table_in.cache_clear()


def test_numerals_answer_as_cn2an_does_from_the_kept_table_and_beyond_it(tmp_path, fresh_numerals, monkeypatch):
    """In the table or not, kept or not, a numeral reads and a number is written exactly as cn2an does it."""
    asked = ["一", "十二", "二十", "一百零五", "九百九十九", "两", "〇", "零", "三千二百", "一万五千", "1.5万", "十二点五"]
    expected = [cn2an.cn2an(n, "smart") for n in asked]
    assert [numerals.value(n) for n in asked] == expected, "without a table: cn2an itself"
    kept = tmp_path / numerals.TABLE_KEPT
    cache.keep_parsed(tmp_path)
    assert [numerals.value(n) for n in asked] == expected
    assert kept.is_file()
    assert [numerals.spelled(n) for n in (0, 7, 12, 115, 999, 1000, 20_301)] == \
        [cn2an.an2cn(n) for n in (0, 7, 12, 115, 999, 1000, 20_301)]
    read, written = pickle.loads(kept.read_bytes())
    assert len(written) == numerals.TABLE_UP_TO and all(read[written[n]] == n for n in written), \
        "every number below the bound reads back as itself"
    for bad in ("百", "○", "千万亿"):  # what cn2an reads as no number, in the table or not
        with pytest.raises(numerals.NoNumber):
            numerals.value(bad)
    kept.write_bytes(kept.read_bytes()[:200])  # cut off: made again
    numerals._table_in.cache_clear()
    assert numerals.value("一百零五") == 105 and len(kept.read_bytes()) > 200


def test_numerals_in_the_kept_table_are_answered_without_cn2an(tmp_path, fresh_numerals, monkeypatch):
    cache.keep_parsed(tmp_path)
    numerals.value("一")  # made and kept
    assert (tmp_path / numerals.TABLE_KEPT).is_file()
    numerals._table_in.cache_clear()  # as a new process would read it

    def no_cn2an():
        raise AssertionError("cn2an asked although the table knows the numeral")

    monkeypatch.setattr(numerals, "_cn2an", no_cn2an)
    assert [numerals.value(n) for n in ("三", "四十七", "八百零六", "〇")] == [3, 47, 806, 0]
    assert numerals.spelled(115) == "一百一十五"
    with pytest.raises(AssertionError):
        numerals.value("三千")  # beyond the table: cn2an is asked


def _towns_of_the_text() -> dict[str, list[tuple[str | None, str | None, str]]]:
    """Town name → (county, county code, town) of every township line of jionlp's file, read here on its own: a
    line indented three tabs, under the county line (two tabs) above it, or under none (a city's own)."""
    spec = importlib.util.find_spec("jionlp")
    with zipfile.ZipFile(Path(spec.submodule_search_locations[0]) / "dictionary" / "china_location.zip") as zf:
        text = zf.read(next(n for n in zf.namelist() if n.endswith(".txt"))).decode("utf-8")
    out: dict[str, list[tuple[str | None, str | None, str]]] = {}
    county: tuple[str | None, str | None] = (None, None)
    for line in text.splitlines():
        tabs = len(line) - len(line.lstrip("\t"))
        fields = line.strip().split("\t")
        if tabs < 2:
            county = (None, None)
        elif tabs == 2:
            county = (None if "直辖" in fields[0] else fields[0], fields[1] if len(fields) > 1 else None)
        elif tabs == 3:
            out.setdefault(fields[0], []).append((*county, fields[0]))
    return out


def test_the_towns_table_gives_every_township_under_its_own_county():
    """Held as counties and indices, each name still gives its townships' places, in the file's order, each with
    the county whose line it was listed under."""
    towns = gazetteer.load().towns
    expected = _towns_of_the_text()
    assert set(towns) == set(expected) and len(towns) == len(expected)
    for name, places in expected.items():
        assert [(p.county, p.county_code, p.town) for p in towns[name]] == places, name
    assert "东城街道" in towns and "不存在的镇" not in towns
    assert len(towns["东城街道"]) == len(expected["东城街道"]) > 20


def test_the_registry_is_kept_parsed_and_only_the_projects_own(tmp_path, monkeypatch):
    kept = tmp_path / registry.REGISTRY_KEPT
    monkeypatch.setattr(cache, "_parsed_in", None)
    registry.load.cache_clear()
    try:
        parsed = registry.load()
        assert not kept.exists()
        cache.keep_parsed(tmp_path)
        registry.load.cache_clear()
        assert registry.load() == parsed and kept.is_file()
        registry.load.cache_clear()
        monkeypatch.setattr(registry, "_merged", lambda files: (_ for _ in ()).throw(AssertionError("parsed")))
        read = registry.load()
        assert read == parsed and read is not parsed
        assert read.resolve("行政处罚法") == parsed.resolve("行政处罚法") is not None
        other = (tmp_path / "other.yaml",)
        with pytest.raises(AssertionError):
            registry.load(other)  # other files are parsed, and never read from the kept file
    finally:
        registry.load.cache_clear()


CONVERT_ONE = r"""
import json, sys
from converter import gazetteer, collection
from converter.reference import registry
from converter.cache import ReportCache
fresh = sys.argv[3] == "fresh"
if fresh:
    def parsed_again(*args, **kwargs):
        raise AssertionError("parsed again although it was kept")
    gazetteer.parse = parsed_again
    registry._merged = parsed_again
disk = ReportCache(sys.argv[2]) if sys.argv[2] != "-" else None
reports, problems = collection.convert_paths([sys.argv[1]], disk=disk, jobs=1)
print(json.dumps({"cn2an": "cn2an" in sys.modules, "problems": [str(p) for p in problems],
                  "reports": {r.path.rsplit("/", 1)[-1]: [r.structure.text(), repr(r.metadata), repr(r.annotations)]
                              for r in reports}}, ensure_ascii=False))
"""


def _convert(seeds: Path, cache: str, mode: str) -> dict:
    done = subprocess.run([sys.executable, "-c", CONVERT_ONE, str(seeds), cache, mode], cwd=ROOT, check=True,
                          capture_output=True, text=True)
    return json.loads(done.stdout)


def test_a_process_converting_one_changed_report_parses_no_reference_data_and_converts_it_alike(tmp_path):
    """The first process parses and keeps; the next, after one report changed, converts it reading what was kept
    (no gazetteer or registry parsed, cn2an not even imported), into the same report a cache-less process makes."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from corpus import change_text
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for path in seed_files()[:3]:
        shutil.copy(path, seeds / path.name)
    cache = str(tmp_path / "cache")
    first = _convert(seeds, cache, "first")
    assert not first["problems"] and len(first["reports"]) == 3
    changed = sorted(seeds.glob("*.txt"))[1]
    change_text(changed, "本年度另有一项工作需要说明。")
    second = _convert(seeds, cache, "fresh")
    assert second["cn2an"] is False, "the changed report's numerals came from the kept table"
    alone = _convert(seeds, "-", "first")
    assert alone["cn2an"] is True, "without a cache, cn2an reads the numerals"
    assert second["reports"] == alone["reports"]
    assert "本年度另有一项工作需要说明。" in second["reports"][changed.name][0]
