"""The last build's site is moved out of the way and deleted meanwhile (``converter.sitedir``): a build leaves
exactly its own site, keeps the hidden entries MkDocs keeps, and leaves nothing set aside behind."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import SEEDS
from converter.sitedir import ASIDE_PREFIX, RECORDS_KEPT, SEARCH_PARTIAL, Written, copied_identity, set_aside


def _plant(site: Path) -> None:
    (site / "reports" / "a").mkdir(parents=True)
    (site / "reports" / "a" / "index.html").write_text("旧页面", encoding="utf-8")
    (site / "sitemap.xml").write_text("<urlset/>", encoding="utf-8")
    (site / ".git").mkdir()
    (site / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n", encoding="utf-8")
    (site / f"{ASIDE_PREFIX}999999" / "search-data").mkdir(parents=True)  # left by a build that was stopped
    (site / f"{ASIDE_PREFIX}999999" / "search-data" / "x.json").write_text("{}", encoding="utf-8")
    (site / SEARCH_PARTIAL / "search-data").mkdir(parents=True)  # a search index's writer stopped midway
    (site / SEARCH_PARTIAL / "search-data" / "half.bin").write_bytes(b"half")


def test_everything_but_the_hidden_entries_mkdocs_keeps_is_moved_and_deleted(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    _plant(site)
    deleting = set_aside(site)
    assert deleting is not None
    assert sorted(os.listdir(site)) == sorted([".git", deleting.folder.name]), "moved at once, out of MkDocs' way"
    assert deleting.folder.name.startswith(f"{ASIDE_PREFIX}{os.getpid()}-")
    assert deleting.finish() is None, "nothing is left"
    assert sorted(os.listdir(site)) == [".git"]
    assert (site / ".git" / "HEAD").read_text(encoding="utf-8") == "ref: refs/heads/gh-pages\n"


def test_without_a_process_to_delete_it_the_folder_is_deleted_at_the_end(tmp_path, monkeypatch):
    import subprocess as sp

    def no_process(*args, **kwargs):
        raise OSError("no more processes")

    monkeypatch.setattr(sp, "Popen", no_process)
    site = tmp_path / "site"
    site.mkdir()
    _plant(site)
    deleting = set_aside(site)
    assert deleting is not None
    assert deleting.finish() is None and deleting.deleting.process is None
    assert sorted(os.listdir(site)) == [".git"]


def test_a_file_is_taken_back_only_as_the_last_build_left_it_and_only_before_the_deleting_starts(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    _plant(site)
    (site / "reports" / "b").mkdir()
    (site / "reports" / "b" / "index.html").write_text("另一页", encoding="utf-8")
    written = Written(tmp_path / "record.pickle")
    written.add("reports/a/index.html", "key-a")
    written.add("reports/b/index.html", "key-b")
    written.add("sitemap.xml", "key-sitemap")
    written.add("reports/c/index.html", "key-c")  # never written: not recorded
    written.save(site)
    last = written.load()
    assert sorted(last) == ["reports/a/index.html", "reports/b/index.html", "sitemap.xml"]
    (site / "sitemap.xml").write_text("<urlset>edited</urlset>", encoding="utf-8")  # changed after the build
    aside = set_aside(site, last)
    assert not aside.take_back("reports/a/index.html", "another-key"), "written now as something else"
    assert not aside.take_back("sitemap.xml", "key-sitemap"), "edited since it was written"
    assert not aside.take_back("reports/c/index.html", "key-c"), "not there"
    assert aside.take_back("reports/a/index.html", "key-a")
    assert (site / "reports" / "a" / "index.html").read_text(encoding="utf-8") == "旧页面"
    aside.delete()
    assert not aside.take_back("reports/b/index.html", "key-b"), "what is being deleted is not taken from"
    assert aside.finish() is None and aside.taken == 1
    assert sorted(os.listdir(site)) == [".git", "reports"] and os.listdir(site / "reports") == ["a"]
    for n in range(RECORDS_KEPT + 3):  # one record per site folder built: the oldest go
        other = Written(tmp_path / f"site-{n}.pickle")
        other.add("sitemap.xml", "key")
        other.save(site)
        os.utime(other.record, ns=(n + 10**18, n + 10**18))
    assert len(list(tmp_path.glob("*.pickle"))) == RECORDS_KEPT
    assert (tmp_path / f"site-{RECORDS_KEPT + 2}.pickle").exists() and not (tmp_path / "site-0.pickle").exists()
    broken = Written(tmp_path / "broken.pickle")
    broken.record.write_bytes(b"\x80\x05not a pickle")
    assert broken.load() == {}, "a record that cannot be read takes nothing back"


def test_a_copied_file_is_known_by_its_source_path_size_and_time(tmp_path):
    source = tmp_path / "seed.txt"
    source.write_bytes("报告".encode("utf-8"))
    first = copied_identity(str(source))
    assert first == copied_identity(str(source))
    os.utime(source, ns=(1, 1))
    assert copied_identity(str(source)) != first, "touched: copied again"
    assert copied_identity(str(tmp_path / "gone.txt")) is None


def test_files_are_copied_by_another_process_and_those_it_could_not_copy_are_left_out(tmp_path, monkeypatch):
    from converter.sitedir import Copying

    names = ["报告 一.txt", "two\nlines.txt", "三.txt"]
    for name in names[:2]:
        (tmp_path / name).write_bytes(name.encode("gb18030"))
    pairs = [(str(tmp_path / name), str(tmp_path / "site" / "originals" / name)) for name in names]
    copying = Copying(pairs)
    assert copying.finish() == {target for _, target in pairs[:2]}, "the third has no source"
    for name in names[:2]:
        assert (tmp_path / "site" / "originals" / name).read_bytes() == name.encode("gb18030")
    assert not (tmp_path / "site" / "originals" / names[2]).exists()

    import subprocess as sp

    def no_process(*args, **kwargs):
        raise OSError("no more processes")

    monkeypatch.setattr(sp, "Popen", no_process)
    assert Copying(pairs).finish() == set(), "nothing copied: MkDocs copies them all"


def test_nothing_to_move_is_nothing_to_wait_for(tmp_path):
    assert set_aside(tmp_path / "no-site-yet") is None
    (tmp_path / "site" / ".git").mkdir(parents=True)
    assert set_aside(tmp_path / "site") is None
    assert os.listdir(tmp_path / "site") == [".git"]


def _build(project: Path, *options: str) -> None:
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", *options], cwd=project, capture_output=True,
                            text=True, encoding="utf-8",
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "ARCHIVE_CACHE": "off"})
    assert result.returncode == 0, result.stderr[-3000:]


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_build_over_an_old_site_leaves_exactly_the_site_a_fresh_folder_gets(tmp_path):
    from sitebuild import make_project

    project = make_project(tmp_path, sorted(SEEDS.iterdir())[:4])
    site = project / "site"
    site.mkdir()
    _plant(site)
    _build(project)
    _build(project, "--site-dir", "fresh")
    built = _tree(site)
    assert built.pop(".git/HEAD") == b"ref: refs/heads/gh-pages\n", "MkDocs' hidden entries are kept"
    assert built == _tree(project / "fresh"), "nothing of the old site is left, nothing of the new one is missing"
    assert not list(site.glob(f"{ASIDE_PREFIX}*"))

    (site / "stale.html").write_text("上一次构建留下的页面", encoding="utf-8")
    _build(project, "--dirty")  # a dirty build keeps what is there, as MkDocs promises
    assert (site / "stale.html").is_file()


def test_a_folder_taken_back_is_recorded_as_it_was_without_walking_it_again(tmp_path, monkeypatch):
    """The search index's folder (tens of thousands of files) is walked once per build at most: when taken back,
    its state is the one the last record gave, and the next build still finds a change made after that."""
    from converter import sitedir

    site = tmp_path / "site"
    (site / "search-data" / "b").mkdir(parents=True)
    (site / "search-data" / "b" / "0.bin").write_bytes(b"\x01")
    first = Written(tmp_path / "record.pickle")
    first.add_tree("search-data", "index-key")
    first.save(site)
    walks: list[Path] = []
    walk = sitedir.tree_fingerprint
    monkeypatch.setattr(sitedir, "tree_fingerprint", lambda folder: walks.append(folder) or walk(folder))
    aside = set_aside(site, first.load())
    assert aside.take_back_tree("search-data", "index-key") and len(walks) == 1, "walked to check it"
    second = Written(tmp_path / "record.pickle")
    second.add_tree("search-data", "index-key", aside.state_of("search-data"))
    assert second.save(site) == first.load() and len(walks) == 1, "recorded as it was, not walked again"
    aside.finish()
    (site / "search-data" / "b" / "0.bin").write_bytes(b"\x02\x02")  # edited in the site since
    again = set_aside(site, second.load())
    assert not again.take_back_tree("search-data", "index-key"), "an edit after the record is still found"
    again.finish()


def test_a_page_alone_in_its_folder_comes_back_with_its_folder_and_a_shared_folder_is_made_anew(tmp_path):
    """A report page's folder holds the page alone: the folder is moved back whole (nothing made, nothing left to
    delete). Where the folder holds more than what is taken back, only the file comes back, the rest stays
    aside and is deleted; where the site already has the folder, the file moves into it."""
    site = tmp_path / "site"
    for relative, text in {"reports/a/index.html": "甲", "reports/b/index.html": "乙", "reports/b/stale.txt": "旧",
                           "reports/c/index.html": "丙", "reports/c/extra.html": "丁"}.items():
        (site / relative).parent.mkdir(parents=True, exist_ok=True)
        (site / relative).write_text(text, encoding="utf-8")
    written = Written(tmp_path / "record.pickle")
    for relative in ("reports/a/index.html", "reports/b/index.html", "reports/c/index.html", "reports/c/extra.html"):
        written.add(relative, "key-" + relative)
    written.save(site)
    aside = set_aside(site, written.load())
    moved = aside.folder / "reports" / "a"
    inode = os.stat(moved).st_ino
    assert aside.take_back("reports/a/index.html", "key-reports/a/index.html")
    assert os.stat(site / "reports" / "a").st_ino == inode and not moved.exists(), "the folder itself came back"
    assert aside.take_back("reports/b/index.html", "key-reports/b/index.html")
    assert (aside.folder / "reports" / "b" / "stale.txt").exists(), "what the build does not write stays aside"
    (site / "reports" / "c").mkdir()  # the site has this folder already
    assert aside.take_back("reports/c/index.html", "key-reports/c/index.html")
    assert aside.take_back("reports/c/extra.html", "key-reports/c/extra.html")
    assert aside.finish() is None and aside.taken == 4
    files = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    assert files == ["reports/a/index.html", "reports/b/index.html", "reports/c/extra.html", "reports/c/index.html"]
    assert (site / "reports" / "a" / "index.html").read_text(encoding="utf-8") == "甲"
