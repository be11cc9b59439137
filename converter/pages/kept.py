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
build finishes a kept page from its head and reads the body's HTML only if the
page must be written through the theme again (``report.finish_kept``). A report
that came without a cache key (no cache) is always made.

What is made from the whole archive at once (the search index, the shared
passages) is kept whole (``whole``), under a digest of every input it reads:
a build that changed no report (a template, a page of ``docs/``, a ``serve``
reload) takes it as it was. After a change of text, each is worked out again
from the last build's, where it can be, from a state kept here
(``search_update``, ``passages_update``).
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from ..cache import Store, converter_version, read_pickle, write_pickle
from .entry import Entry
from .report import PageBody, PageHead


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


class KeptPages:
    """Report pages' bodies on disk, by ``key``; and what is made from the whole archive, by ``inputs_digest``."""

    def __init__(self, root: str | Path, prune: bool = True, keep_pages: bool = False) -> None:
        self.store = Store(Path(root) / "bodies", converter_version(), packed=True)
        self.heads = Store(Path(root) / "heads", converter_version())
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

    def head(self, key: str | None) -> PageHead | None:
        if key is None:
            return None
        head = self.heads.load(key)
        return head if isinstance(head, PageHead) else None

    def put(self, key: str | None, body: PageBody) -> None:
        """Keep ``body`` (before its page is finished: finishing adds to its outline), and then its head: a head
        is never kept for a body that could not be."""
        if key is not None and self.store.put(key, body):
            self.heads.put(key, body.head())

    def use(self, keys) -> None:
        """Spare these keys' entries when pruning (kept by workers, whose record of them this process never sees)."""
        keys = {k for k in keys if k is not None}
        self.store.used.update(keys)
        self.heads.used.update(keys)

    def prune(self) -> None:
        if self.pruning:
            if not self.keep_pages:
                self.store.prune()
                self.heads.prune()
            self.whole_store.prune()
            (self.search_states.parent / "search-state.pickle").unlink(missing_ok=True)  # the one state of old
            if self.passages.parent.is_dir():  # other converters' passage states: hundreds of MB at 10,000 reports
                for other in self.passages.parent.iterdir():
                    if other != self.passages:
                        shutil.rmtree(other, ignore_errors=True)
