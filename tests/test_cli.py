"""The command line other tools rely on: exact form of ``meta`` and ``convert``."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import yaml

from conftest import ROOT, SEEDS

META_KEYS = {"source", "title", "town", "level", "county", "city", "province", "year", "date", "slug"}


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "converter", *args], cwd=cwd, capture_output=True,
                          text=True, encoding="utf-8")


def test_meta_prints_one_json_object_per_file_in_input_order():
    paths = ["seeds/003_f635664e5ef9ff1d.txt", "seeds/000_66a8a630a4ee21e1.txt"]
    result = run("meta", *paths)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["source"] for r in records] == paths
    assert META_KEYS <= set(records[0])
    assert (records[0]["town"], records[0]["city"], records[0]["date"]) == ("大吉山镇", "赣州市", "2023-01-09")
    assert records[1]["city"] is None and records[1]["year"] == 2022


def test_meta_on_a_directory_and_a_bad_file(tmp_path):
    shutil.copy(SEEDS / "000_66a8a630a4ee21e1.txt", tmp_path / "a.txt")
    (tmp_path / "b.txt").write_bytes(b"\x00\x01binary")
    shutil.copy(SEEDS / "004_5e0d0e6190e313b8.txt", tmp_path / "c.txt")
    result = run("meta", str(tmp_path))
    assert result.returncode == 1
    assert [json.loads(l)["town"] for l in result.stdout.splitlines()] == ["拾万镇", "扁担沟镇"]
    assert str(tmp_path / "b.txt") in result.stderr and "二进制" in result.stderr


def test_meta_with_two_jobs_keeps_input_order():
    result = run("meta", "--jobs", "2", "seeds")
    assert result.returncode == 0
    sources = [json.loads(l)["source"] for l in result.stdout.splitlines()]
    assert sources == sorted(sources) and len(sources) == 5


def test_convert_writes_markdown_named_by_slug(tmp_path):
    result = run("convert", "seeds", "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    files = sorted((tmp_path / "out" / "reports").glob("*.md"))
    assert len(files) == 5
    assert "已把 5 份报告转换到" in result.stdout
    for f in files:
        front = yaml.safe_load(f.read_text(encoding="utf-8").split("---\n", 2)[1])
        assert f.stem == front["slug"]
        assert {"title", "town", "level", "county", "city", "province", "year", "date", "encoding", "sha256",
                "slug"} <= set(front)


def test_convert_writes_the_same_search_index_as_the_site(tmp_path):
    from converter import pages
    from converter.collection import convert_paths

    result = run("convert", "seeds", "--out", str(tmp_path / "out"), "--quiet")
    assert result.returncode == 0, result.stderr
    reports, _ = convert_paths([str(SEEDS)])
    site = {p: c for p, c in pages.build([pages.Entry.of(r) for r in reports]).items()
            if p.startswith("search-data/")}
    written = {p.relative_to(tmp_path / "out").as_posix(): p.read_bytes()
               for p in (tmp_path / "out" / "search-data").rglob("*") if p.is_file()}
    assert written == site  # headings and titles rank the same whether the CLI or MkDocs built it


def test_same_place_and_year_get_distinct_slugs(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(SEEDS / "000_66a8a630a4ee21e1.txt", src / "report_a.txt")
    text = (SEEDS / "000_66a8a630a4ee21e1.txt").read_text(encoding="utf-8") + "\n补充一句。"
    (src / "report_b.txt").write_text(text, encoding="utf-8")
    result = run("convert", str(src), "--out", str(tmp_path / "out"), "--quiet")
    assert result.returncode == 0, result.stderr
    names = sorted(p.stem for p in (tmp_path / "out" / "reports").glob("*.md"))
    assert names[0] == "chongqing-dazu-shiwanzhen-2022" and names[1].startswith("chongqing-dazu-shiwanzhen-2022-")
