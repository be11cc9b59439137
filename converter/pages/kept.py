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

Kept zlib-packed in a ``cache.Store`` beside the converted reports. A report
that came without a cache key (no cache) is always made.
"""

from __future__ import annotations

import hashlib
import pickle
import zlib
from pathlib import Path
from typing import Sequence

from ..annotations.model import Annotation
from ..cache import Store, converter_version
from .entry import Entry
from .report import PageBody

PACK_LEVEL = 1


def documents_digest(other_pages: frozenset[str]) -> str:
    """The unregistered documents that have a page, as one digest (worked out once per build)."""
    return hashlib.sha256("\0".join(sorted(other_pages)).encode("utf-8", "surrogatepass")).hexdigest()


class KeptPages:
    """Report pages' bodies on disk, by ``key``."""

    def __init__(self, root: str | Path) -> None:
        self.store = Store(Path(root), converter_version())
        self.used: set[str] = set()

    @staticmethod
    def key(entry: Entry, marks: Sequence[Annotation], documents: str, site_url: str | None,
            repo_url: str | None) -> str | None:
        if entry.report is None or entry.report.key is None:
            return None
        text = "\0".join([converter_version(), entry.report.key, repr(entry.meta), repr(tuple(marks)), documents,
                          repr(site_url), repr(repo_url)])
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()

    def get(self, key: str | None) -> PageBody | None:
        if key is None:
            return None
        self.used.add(key)
        packed = self.store.load(key)
        if not isinstance(packed, bytes):
            return None
        try:
            body = pickle.loads(zlib.decompress(packed))
        except (zlib.error, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            return None
        return body if isinstance(body, PageBody) else None

    def put(self, key: str | None, body: PageBody) -> None:
        if key is not None:
            self.store.put(key, zlib.compress(pickle.dumps(body, protocol=pickle.HIGHEST_PROTOCOL), PACK_LEVEL))

    def prune(self) -> None:
        self.store.prune(self.used)
