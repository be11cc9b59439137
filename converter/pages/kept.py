"""Report pages kept between builds, so that a build makes only the pages whose inputs changed.

A page's body (``report.PageBody``: all but its related reports) is made from
its report alone, but for three things the whole archive decides: the report's
address (``make_slugs_unique`` may change it), the passages it shares with
other reports (the marks, with the other reports' names and addresses), and
which unregistered documents have a page of their own. Its key is therefore a
digest of the report's cache key (path, bytes, sidecar), the converter's
version, the report's metadata as the archive settled it, its marks, the set
of documents with a page, and the site's and repository's addresses. Nothing
else reaches it. The related reports, made from other reports' metadata, are
added afresh every build (``report.finish_page``).

Kept packed in a ``cache.Store`` beside the converted reports, and its head
(``report.PageHead``: front matter, title, headings, anchors) apart, small: a
build finishes a kept page from its head's related-reports id alone, and reads
the head only if the page's parts are asked for, and the body's HTML only if
the page must be written through the theme again (``report.finish_kept``). A report
that came without a cache key (no cache) is always made. The heads of a build's
pages are kept together, in one file (a *book*) for each pair of site and
repository addresses (a built site's, a ``serve`` session's): a file of its own
per head took 10,000 files to create in a cold build and to open in every
build, 8 s and 1.4 s at 10,000 reports.

What is made from the whole archive at once (the search index, the shared
passages) is kept whole (``whole``), under a digest of every input it reads:
a build that changed no report (a template, a page of ``docs/``, a ``serve``
reload) takes it as it was. After a change of text, each is worked out again
from the last build's, where it can be, from a state kept here
(``search_update``, ``passages_update``).
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from ..cache import Store, converter_version, read_pickle, write_pickle
from .entry import Entry
from .report import KeptHead, PageBody


def documents_digest(other_pages: frozenset[str]) -> str:
    """The unregistered documents that have a page, as one digest (worked out once per build)."""
    return hashlib.sha256("\0".join(sorted(other_pages)).encode("utf-8", "surrogatepass")).hexdigest()


def inputs_digest(parts) -> str:
    """One digest of many texts (each report's metadata and text, say), in order."""
    digest = hashlib.sha256(converter_version().encode())
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()


# The search indexes' states kept: the built site's, and those of a few ``serve`` sessions since.
SEARCH_STATES_KEPT = 4
# The books of heads kept, one per pair of addresses: the built site's, and those of a few ``serve`` sessions.
BOOKS_KEPT = 4


class KeptPages:
    """Report pages' bodies on disk, by ``key``; and what is made from the whole archive, by ``inputs_digest``."""

    def __init__(self, root: str | Path, prune: bool = True, keep_pages: bool = False) -> None:
        self.store = Store(Path(root) / "bodies", converter_version(), packed=True)
        self.books = Path(root) / "heads"  # ``BOOKS_KEPT`` books, in this converter's folder
        self.book_path: Path | None = None
        # Heads pickled, each read when asked for: finishing a page adds to its head's outline, and a book holding
        # the objects would keep what a build added and write it into the next build's pages. Each beside the id
        # of its related reports' heading (``KeptHead``), as a pair.
        self.book: dict[str, tuple[str, bytes]] = {}  # the heads the book held when it was opened
        self.noted: dict[str, tuple[str, bytes]] = {}  # the heads of the bodies kept since
        self.whole_store = Store(Path(root) / "whole", converter_version())
        # The states of the search indexes made last (``search_update``), by key: each site folder's index (a
        # built site's, a ``serve`` session's) is updated from its own, whichever was made last.
        self.search_states = Path(root) / "search-states"
        # The shared passages' state (``passages_update``), this converter's; others' are deleted when pages are pruned.
        self.passages = Path(root) / "passages" / converter_version()
        self.pruning = prune  # False: a build of part of the archive, which must not drop the rest's pages
        # True: a ``serve`` session, whose preview's pages have other keys (serve gives the site its own address):
        # the built site's stay for the next build, which drops the session's.
        self.keep_pages = keep_pages

    def whole(self, key: str, make):
        """What ``make()`` makes from the whole archive, kept under ``key`` (it is made again when not there)."""
        found = self.whole_store.load(key)
        if isinstance(found, tuple) and len(found) == 2 and found[0] == key:
            return found[1]
        value = make()
        self.whole_store.put(key, (key, value))
        return value

    def search_state(self, key: str):
        """The ``search_update.State`` of the search index made from ``key``, if this converter made it lately."""
        found = read_pickle(self.search_states / f"{key}.pickle")
        if isinstance(found, tuple) and len(found) == 3 and found[0] == converter_version() and found[1] == key:
            return found[2]
        return None

    def keep_search(self, key: str, state) -> None:
        """Keep ``state`` under ``key``, and only the ``SEARCH_STATES_KEPT`` states kept last (10 MB each at
        10,000 reports)."""
        if not write_pickle(self.search_states / f"{key}.pickle", (converter_version(), key, state)):
            return
        try:
            kept = sorted(self.search_states.glob("*.pickle"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
            for old in kept[SEARCH_STATES_KEPT:]:
                old.unlink()
        except OSError:  # another build's at the same moment: its own keeping prunes them
            pass

    @staticmethod
    def key(entry: Entry, marks: str, documents: str, site_url: str | None, repo_url: str | None) -> str | None:
        """The key of the entry's page body; ``marks``: all its shared-passage marks are made of
        (``passages.Marks.identity``)."""
        if entry.made_from is None:
            return None
        text = "\0".join([converter_version(), entry.made_from, marks, documents,
                          repr(site_url), repr(repo_url)])
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()

    def get(self, key: str | None) -> PageBody | None:
        if key is None:
            return None
        body = self.store.load(key)
        return body if isinstance(body, PageBody) else None

    def open_book(self, site_url: str | None, repo_url: str | None) -> None:
        """Read the book of heads that the last build with these addresses kept (an empty one when there is none,
        or it cannot be read, or another converter wrote it)."""
        family = hashlib.sha256(repr((site_url, repo_url)).encode("utf-8", "surrogatepass")).hexdigest()[:24]
        path = self.books / converter_version() / f"{family}.pickle"
        if path == self.book_path:
            return
        found = read_pickle(path)
        ok = isinstance(found, tuple) and len(found) == 2 and found[0] == converter_version() \
            and isinstance(found[1], dict)
        self.book_path, self.book, self.noted = path, found[1] if ok else {}, {}

    def head(self, key: str | None) -> KeptHead | None:
        """The head the book holds for ``key``, still pickled (``KeptHead.read``)."""
        found = self.book.get(key) if key is not None else None
        if isinstance(found, tuple) and len(found) == 2 and isinstance(found[0], str) and isinstance(found[1], bytes):
            return KeptHead(*found)
        return None

    def put(self, key: str | None, body: PageBody) -> KeptHead | None:
        """Keep ``body`` (before its page is finished: finishing adds to its outline); its head, when it was kept,
        for ``note``: a head is never kept for a body that could not be."""
        if key is not None and self.store.put(key, body):
            return KeptHead.of(body)
        return None

    def note(self, key: str, head: KeptHead) -> None:
        """The head of a body kept (by this process or a worker), for the book."""
        self.noted[key] = (head.related_id, head.pickled)

    def close_book(self, keys) -> None:
        """Keep the heads of ``keys`` (this build's pages) as the book, when it differs from the one read; the
        ``BOOKS_KEPT`` books used last are kept, and no other converter's."""
        if self.book_path is None:
            return
        book = {}
        for key in keys:
            head = self.noted.get(key) or self.book.get(key)
            if head is not None:
                book[key] = head
        if book.keys() == self.book.keys() and all(self.book[k] == h for k, h in self.noted.items() if k in book):
            self.noted = {}  # the book holds them already: a ``serve`` session's rebuilds would pile them up
            try:  # read and still right: the latest used, which the pruning below must spare over older books
                os.utime(self.book_path)
            except OSError:
                pass
            return
        if not write_pickle(self.book_path, (converter_version(), book)):
            return
        self.book, self.noted = book, {}
        try:
            kept = sorted(self.book_path.parent.glob("*.pickle"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
            for old in kept[BOOKS_KEPT:]:
                old.unlink()
        except OSError:  # another build's at the same moment: its own keeping prunes them
            pass

    def use(self, keys) -> None:
        """Spare these keys' entries when pruning (kept by workers, whose record of them this process never sees)."""
        self.store.used.update(k for k in keys if k is not None)

    def prune(self) -> None:
        if self.pruning:
            if not self.keep_pages:
                self.store.prune()
            if self.books.is_dir():
                for other in self.books.iterdir():
                    if other.name != converter_version():
                        shutil.rmtree(other, ignore_errors=True)
            self.whole_store.prune()
            (self.search_states.parent / "search-state.pickle").unlink(missing_ok=True)  # the one state of old
            if self.passages.parent.is_dir():  # other converters' passage states: hundreds of MB at 10,000 reports
                for other in self.passages.parent.iterdir():
                    if other != self.passages:
                        shutil.rmtree(other, ignore_errors=True)
