"""Files written into the site as they are made, and the search index's, made beside the build.

``write_files`` writes what ``build`` made; ``write_tree`` writes a folder whole or not at all; ``apply_change``
updates files in place. ``SearchJob`` makes or updates the search index on another core (``search_files``).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .. import search_index, search_update
from ..cache import bytes_or_none, replace_file
from ..sitedir import SEARCH_PARTIAL
from ..workers import Background, forking_is_cheap

if TYPE_CHECKING:
    from .report import ReportPage


def write_files(root: Path, files: dict[str, str | bytes | ReportPage | Path]) -> None:
    """What ``build`` made, written under ``root``: bytes as they are, a page as its file (``str()``) in UTF-8,
    a ``Path`` (a data file already written, or a report's original) copied unless it is there already."""
    made: set[Path] = set()
    for path, content in files.items():
        target = root / path
        if target.parent not in made:  # 47,000 files in a few hundred folders: each folder made once
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        if isinstance(content, Path):
            if content.resolve() != target.resolve():
                shutil.copyfile(content, target)
        elif isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(str(content), encoding="utf-8")


def write_tree(root: Path, files: dict[str, bytes]) -> None:
    """``files`` written under ``root`` whole or not at all: into a folder beside them, then moved into place,
    so that a stopped process leaves no mixture of two indexes (the next one clears what it left)."""
    partial = root / SEARCH_PARTIAL
    shutil.rmtree(partial, ignore_errors=True)
    write_files(partial, files)
    if partial.exists():
        for top in sorted(partial.iterdir()):
            destination = root / top.name
            if destination.is_dir():
                shutil.rmtree(destination)
            os.replace(top, destination)
        partial.rmdir()


def apply_change(root: Path, written: dict[str, bytes], deleted: list[str]) -> None:
    """An update of files under ``root``: each written one replaced whole (``replace_file``: a reader never sees
    half a file), the deleted ones removed. A file that cannot be written fails the build, as a whole index would."""
    for path in deleted:
        (root / path).unlink(missing_ok=True)
    for path, content in written.items():
        if not replace_file(root / path, lambda handle, data=content: handle.write(data)):
            raise OSError(f"搜索索引文件无法写入：{root / path}")


def search_files(docs: list[search_index.SearchDoc], search: dict, kept, site: Path | None, key: str | None,
                 earlier: search_update.State | None = None,
                 whole: bool = True) -> tuple[str | None, dict[str, bytes]] | None:
    """The search index's files, and the key they are kept under (a digest of every report's search document
    and the tuning), when they are kept (``kept``: a ``KeptPages``). With ``site``, the files are written there
    and not returned. With ``earlier``, the state of the last build's index, which is in ``site`` already: it is
    updated there, when only a few texts changed (``search_update``), and made whole otherwise; or, without
    ``whole``, not made: None says it must be."""
    # ``docs`` were made for this alone: the index lets each one's text go once it has used it.
    if kept is None:
        files = search_index.build_index(docs, **search, release_texts=True)
    else:
        if earlier is not None and site is not None:
            change = search_update.update(docs, earlier, lambda path: bytes_or_none(site / path), **search)
            if change is not None:
                apply_change(site, change.written, change.deleted)
                kept.keep_search(key, change.state)
                return key, {}
            if not whole:
                return None

        def made_whole() -> dict[str, bytes]:
            made, state = search_update.build(docs, **search)
            kept.keep_search(key, state)
            return made
        files = kept.whole(key, made_whole)
    if site is None:
        return key, files
    write_tree(site, files)
    return key, {}


class SearchJob:
    """The search index's files (``search_files``), made on another core while the build goes on.

    Made whole (over a minute and 1 GB at 10,000 reports), the index is made by a fresh process, which holds only
    the documents it is given, not a copy of the busy build's memory. Updated (a few texts changed since the last
    build, whose index is in the site), it is a few seconds' work, done by a forked process while the build's is
    small (``forking_is_cheap``): it starts at once with the documents it inherits, where a fresh one spent 0.6 s
    of the other core importing the converter and reading them (at 1,000 reports). An update that finds the index
    must be made whole after all (more than ``search_update.MOST_CHANGED`` texts changed) makes nothing: the
    index is then made whole by a fresh process, from the documents made again (``remake``). A whole index is
    never made in a fork beside the build.
    """

    def __init__(self, docs: list[search_index.SearchDoc], search: dict, kept, site: Path | None,
                 key: str | None, earlier: search_update.State | None, enabled: bool,
                 remake: Callable[[], list[search_index.SearchDoc]]) -> None:
        self.settings, self.enabled, self.remake = (search, kept, site, key), enabled, remake
        if earlier is not None and enabled and forking_is_cheap():
            self.job = Background(search_files, args=(docs, *self.settings, earlier, False))
        else:
            self.job = Background(search_files, enabled, fresh=True, args=(docs, *self.settings, earlier))

    @property
    def elsewhere(self) -> bool:
        return self.job.elsewhere

    def result(self) -> tuple[str | None, dict[str, bytes]]:
        made = self.job.result()
        if made is None:  # the update must be made whole
            self.job = Background(search_files, self.enabled, fresh=True, args=(self.remake(), *self.settings))
            made = self.job.result()
        return made

    def cancel(self) -> None:
        self.job.cancel()
