"""Report pages kept between builds (``converter.pages.kept``): made again exactly when one of their inputs
changed, including the inputs that come from other reports, and always equal to a page made afresh."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import SAMPLES, archive_copy
from converter import pages
from converter.cache import ReportCache
from converter.collection import convert_paths
from converter.pages import kept as kept_module
from converter.pages import report


@pytest.fixture
def made(monkeypatch):
    """The reports whose page bodies were really made (not taken from the kept ones)."""
    calls: list[str] = []
    real = report.report_body

    def counting(entry, *args, **kwargs):
        calls.append(entry.slug)
        return real(entry, *args, **kwargs)

    monkeypatch.setattr(pages, "report_body", counting)
    return calls


def _pages(seeds: Path, tmp: Path, keep: bool) -> dict[str, str]:
    reports, problems = convert_paths([str(seeds)], jobs=1, disk=ReportCache(tmp / "cache"), prune=True)
    assert not problems
    kept = kept_module.KeptPages(tmp / "cache" / "site" / "reports") if keep else None
    built = pages.build([pages.Entry.of(r) for r in reports], jobs=1, kept=kept)
    return {path: str(page) if isinstance(page, pages.ReportPage) else page for path, page in built.items()}


def _report_pages(built: dict) -> dict:
    return {path: page for path, page in built.items() if path.startswith("reports/") and path.endswith(".md")}


def test_kept_pages_are_used_until_an_input_changes_and_always_equal_fresh_ones(tmp_path, made, monkeypatch):
    real_find_shared = pages.find_shared
    seeds = archive_copy(tmp_path)
    first = _pages(seeds, tmp_path, keep=True)
    assert len(made) == len(_report_pages(first)) == 5
    made.clear()
    found = []
    monkeypatch.setattr(pages, "find_shared",
                        lambda entries, folder=None: found.append(1) or real_find_shared(entries, folder))
    assert _pages(seeds, tmp_path, keep=True) == first, "every file of the archive, the search index included"
    assert made == [] and found == [], "nothing changed: every page body and the shared passages are kept"

    # Two reports share a passage; a change to one of them changes the other's marks.
    shared = "主体明确、权责统一、运转协调、廉洁高效"
    holders = [p for p in sorted(seeds.glob("*.txt")) if shared in p.read_text(encoding="utf-8")]
    assert len(holders) >= 2
    changed = holders[-1]
    changed.write_text(changed.read_text(encoding="utf-8").replace(shared, "职责清楚"), encoding="utf-8")
    made.clear()
    after = _pages(seeds, tmp_path, keep=True)
    fresh_made = list(made)
    assert after == _pages(seeds, tmp_path, keep=False), "a kept build equals a fresh one"
    assert 2 <= len(fresh_made) < 5, "the changed report and the one whose shared passage changed, not all"
    assert found, "a changed text: the shared passages are found again"
    others = {p for p in _report_pages(after) if after[p] != first[p]}
    assert len(others) >= 2

    # A sidecar that renames a report: its page moves, and every page that links to it follows.
    sidecar = seeds / "004_5e0d0e6190e313b8.yml"
    sidecar.write_text(sidecar.read_text(encoding="utf-8").replace("slug: ", "slug: renamed-"), encoding="utf-8")
    made.clear()
    renamed = _pages(seeds, tmp_path, keep=True)
    assert renamed == _pages(seeds, tmp_path, keep=False)
    assert any(path.startswith("reports/renamed-") for path in renamed)

    # A new report that claims the same address and sorts first: the old one's address changes, not its files.
    slug = next(p for p in renamed if p.startswith("reports/renamed-"))[len("reports/"):-len(".md")]
    (seeds / "0000_new.txt").write_bytes((SAMPLES / "s004.txt").read_bytes())  # shares no passage with them
    (seeds / "0000_new.yml").write_text(f"slug: {slug}\n", encoding="utf-8")
    made.clear()
    clashed = _pages(seeds, tmp_path, keep=True)
    assert len(made) == 2, "the new report's page, and the page of the one whose address it took"
    assert clashed == _pages(seeds, tmp_path, keep=False)
    moved = [p for p in clashed if p.startswith(f"reports/{slug}-")]
    assert moved and f"{slug}-" in clashed[moved[0]], "the page of the report that moved says its new address"


def test_a_report_without_a_cache_key_is_always_made(tmp_path, made):
    seeds = archive_copy(tmp_path)
    reports, _ = convert_paths([str(seeds)], jobs=1)
    assert all(r.key is None for r in reports)
    kept = kept_module.KeptPages(tmp_path / "kept")
    pages.build([pages.Entry.of(r) for r in reports], jobs=1, kept=kept)
    made.clear()
    pages.build([pages.Entry.of(r) for r in reports], jobs=1, kept=kept)
    assert len(made) == 5
    assert not list((tmp_path / "kept" / "bodies").rglob("*.pickle")), "no page body is kept without its key"


def test_a_damaged_kept_page_is_made_again(tmp_path, made):
    seeds = archive_copy(tmp_path)
    first = _pages(seeds, tmp_path, keep=True)
    for entry in (tmp_path / "cache" / "site" / "reports").rglob("*.pickle"):
        entry.write_bytes(entry.read_bytes()[:50])
    made.clear()
    assert _pages(seeds, tmp_path, keep=True) == first
    assert len(made) == 5


def _report_pages_built(tmp_path: Path):
    """Where the pages of a copy of the archive are kept, and a build of its report pages that keeps them there."""
    seeds = archive_copy(tmp_path)
    reports, _ = convert_paths([str(seeds)], jobs=1, disk=ReportCache(tmp_path / "cache"), prune=True)
    root = tmp_path / "cache" / "site" / "reports"

    def build() -> dict:
        built = pages.build([pages.Entry.of(r) for r in reports], jobs=1, kept=kept_module.KeptPages(root))
        return {path: page for path, page in built.items() if isinstance(page, pages.ReportPage)}
    return root, build


def test_a_kept_page_is_finished_from_its_head_and_its_body_read_only_when_its_html_is_asked_for(tmp_path, made,
                                                                                                 monkeypatch):
    """At 10,000 reports the kept bodies are 0.3 GB packed that a build which writes its pages from the finished
    pages' cache never needs: a kept page is finished from its small head, and says what it is by a digest."""
    root, build = _report_pages_built(tmp_path)
    first = build()
    assert all(not page.deferred and page.digest for page in first.values())
    read: list[str] = []
    real_get = kept_module.KeptPages.get
    monkeypatch.setattr(kept_module.KeptPages, "get", lambda self, key: read.append(key) or real_get(self, key))
    heads: list[str] = []
    real_read = report.KeptHead.read
    monkeypatch.setattr(report.KeptHead, "read", lambda self: heads.append(self.related_id) or real_read(self))
    made.clear()
    second = build()
    assert made == [] and read == [], "finished from their heads: no body made, none read"
    assert all(page.deferred for page in second.values())
    assert {p: page.digest for p, page in second.items()} == {p: page.digest for p, page in first.items()}, \
        "a page kept says it is the same page as when it was made: its finished file is found again"
    assert heads == [], "nor any head read: the digest needs only the related reports' heading id"
    assert [page.title for page in second.values()] == [page.title for page in first.values()]
    assert len(heads) == len(second) and read == [], "a head is read when a part is asked for, the body is not"
    assert {p: (page.html, page.toc, page.meta, page.title, page.anchors()) for p, page in second.items()} == \
           {p: (page.html, page.toc, page.meta, page.title, page.anchors()) for p, page in first.items()}
    assert len(read) == len(second), "each body read once its HTML was asked for"

    for body in (root / "bodies").rglob("*.pickle"):  # gone or damaged after the heads were read
        body.write_bytes(b"")
    third = build()
    made.clear()
    assert {p: page.html for p, page in third.items()} == {p: page.html for p, page in first.items()}
    assert len(made) == len(third), "a body gone from the cache is made again, the same, when its HTML is asked for"
    made.clear()
    assert {p: page.html for p, page in build().items()} == {p: page.html for p, page in first.items()}
    assert made == [], "and kept again"


def test_a_head_that_cannot_be_read_is_taken_from_the_body(tmp_path, made):
    """The book is read whole but each head only when asked for: one damaged then is the kept body's own head."""
    root, build = _report_pages_built(tmp_path)
    def parts(built: dict) -> dict:
        return {p: (page.html, page.toc, page.meta, page.title, page.anchors(), page.digest)
                for p, page in built.items()}

    first = parts(build())
    (book,) = (root / "heads").rglob("*.pickle")
    version, heads = kept_module.read_pickle(book)
    kept_module.write_pickle(book, (version, {key: (related_id, pickled[:40]) for key, (related_id, pickled)
                                              in heads.items()}))
    made.clear()
    assert parts(build()) == first
    assert made == [], "the bodies were kept: none made again"


def test_no_head_is_kept_for_a_body_that_could_not_be(tmp_path, monkeypatch):
    """A head without its body would promise a page whose HTML is then missing (a full disk, say)."""
    seeds = archive_copy(tmp_path)
    reports, _ = convert_paths([str(seeds)], jobs=1, disk=ReportCache(tmp_path / "cache"), prune=True)
    kept = kept_module.KeptPages(tmp_path / "kept")
    monkeypatch.setattr(kept.store, "put", lambda key, value: False)
    pages.build([pages.Entry.of(r) for r in reports], jobs=1, kept=kept)
    assert not list((tmp_path / "kept" / "heads").rglob("*.pickle"))
    monkeypatch.undo()
    pages.build([pages.Entry.of(r) for r in reports], jobs=1, kept=kept)
    books = list((tmp_path / "kept" / "heads").rglob("*.pickle"))
    assert len(books) == 1 and len(kept_module.read_pickle(books[0])[1]) == 5, "one book, with the five heads"


def test_each_pair_of_addresses_has_its_book_of_heads_the_latest_few_kept(tmp_path, made):
    """A ``serve`` session's pages (another site address) keep their heads in a book of their own, so the built
    site's next build still finishes every page from its heads; only the ``BOOKS_KEPT`` books written last stay."""
    seeds = archive_copy(tmp_path)
    reports, _ = convert_paths([str(seeds)], jobs=1, disk=ReportCache(tmp_path / "cache"), prune=True)
    root = tmp_path / "kept"

    times = iter(range(1, 100))

    def build(site_url: str) -> None:
        kept = kept_module.KeptPages(root, keep_pages=True)
        pages.build([pages.Entry.of(r) for r in reports], jobs=1, kept=kept, site_url=site_url)
        at = next(times) * 10**9
        os.utime(kept.book_path, ns=(at, at))  # written one after another, whatever the clock's grain

    build("https://example.org/archive/")
    build("http://127.0.0.1:8000/")  # a preview
    made.clear()
    build("https://example.org/archive/")
    assert made == [], "the built site's heads were not replaced by the preview's"
    for n in range(kept_module.BOOKS_KEPT + 1):
        build(f"http://127.0.0.1:{9000 + n}/")
    assert len(list(root.glob("heads/*/*.pickle"))) == kept_module.BOOKS_KEPT
    made.clear()
    build("https://example.org/archive/")
    assert len(made) == 5, "the oldest book went: its pages are made again"


def test_a_book_read_and_still_right_counts_as_used_when_the_oldest_are_pruned(tmp_path, made):
    """The built site's book, read by a build that changed nothing, is the latest used: previews written after it
    was first written do not push it out."""
    seeds = archive_copy(tmp_path)
    reports, _ = convert_paths([str(seeds)], jobs=1, disk=ReportCache(tmp_path / "cache"), prune=True)
    root = tmp_path / "kept"

    def build(site_url: str, at: int | None = None) -> None:
        kept = kept_module.KeptPages(root, keep_pages=True)
        pages.build([pages.Entry.of(r) for r in reports], jobs=1, kept=kept, site_url=site_url)
        if at is not None:
            os.utime(kept.book_path, ns=(at * 10**9, at * 10**9))  # long ago, one after another

    build("https://example.org/archive/", at=1)
    for n in range(kept_module.BOOKS_KEPT - 1):
        build(f"http://127.0.0.1:{9000 + n}/", at=2 + n)
    build("https://example.org/archive/")  # nothing changed: the book is not written, only marked as used
    build("http://127.0.0.1:8999/")  # one book too many: the oldest used goes
    assert len(list(root.glob("heads/*/*.pickle"))) == kept_module.BOOKS_KEPT
    made.clear()
    build("https://example.org/archive/")
    assert made == [], "the book used last was pruned as if it were the oldest"


def test_search_states_are_kept_by_key_the_latest_few_and_only_this_converters(tmp_path, monkeypatch):
    """Each site folder's search index is updated from its own state: states are kept by the key of the index,
    the last ``SEARCH_STATES_KEPT`` of them; another converter's state, a state kept under another key and a
    cut-off file read as none."""
    import os

    kept = kept_module.KeptPages(tmp_path)
    for n in range(kept_module.SEARCH_STATES_KEPT + 2):
        kept.keep_search(f"key{n}", {"state": n})
        path = kept.search_states / f"key{n}.pickle"
        os.utime(path, ns=(n * 10**9, n * 10**9))  # kept one after another, whatever the clock's grain
    # Each keeping prunes: the two kept first are gone by the time the last is kept.
    assert kept.search_state("key0") is None and kept.search_state("key1") is None
    assert [kept.search_state(f"key{n}") for n in range(2, kept_module.SEARCH_STATES_KEPT + 2)] == \
        [{"state": n} for n in range(2, kept_module.SEARCH_STATES_KEPT + 2)]
    last = kept.search_states / f"key{kept_module.SEARCH_STATES_KEPT + 1}.pickle"
    (kept.search_states / "other.pickle").write_bytes(last.read_bytes())  # the state of another key
    assert kept.search_state("other") is None
    last.write_bytes(last.read_bytes()[:20])
    assert kept.search_state(f"key{kept_module.SEARCH_STATES_KEPT + 1}") is None
    kept.keep_search("mine", {"state": "mine"})
    monkeypatch.setattr(kept_module, "converter_version", lambda: "another converter")
    assert kept.search_state("mine") is None
