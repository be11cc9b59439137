"""The last build's site, moved out of the new build's way and deleted while the build goes on.

Before each build MkDocs empties the site's folder one file at a time
(``mkdocs.utils.clean_directory``): at 10,000 reports about 80,000 files, 27–33 s
on this machine's disk before the first page is made. ``set_aside`` moves each
of the folder's entries first, one rename each, into a hidden folder inside it.
MkDocs finds the folder empty, and leaves the hidden one alone, as it leaves
every hidden entry (a ``.git`` kept there, say). A small process of its own
(its own session, so that Ctrl-C for the build does not cut it short) deletes
it meanwhile. ``Deleting.finish`` waits for it at the build's end and deletes
whatever it left; what even that cannot delete is named, for the build to
report. A folder set aside by a build that was stopped goes with the next one.

Before the deleting starts, the build takes back what it would only write
again alike (``Aside.take_back``): a finished page the cache holds, an
original or a theme file copied unchanged. Each build leaves a record of what
it wrote (``Written``: each file's identity — the finished page's key, or the
copied file's path, size and modification time — and the size and
modification time the file had when the build ended). A file set aside is
taken back, one rename, only when the new build would write it with the same
identity and the file still has the size and time recorded: a file edited or
replaced in the site since is written again.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

from .cache import read_pickle, write_pickle

ASIDE_PREFIX = ".archive-old-"
# Where the search index is written before it takes its place (``pages.sitefiles.write_tree``): hidden, so MkDocs
# leaves it, and a stopped writer's is set aside with the rest.
SEARCH_PARTIAL = ".search-data.partial"
RECORDS_KEPT = 8  # records of the site folders built most recently (a serve --clean session has a folder of its own)
TREE = "folder"  # what a record notes instead of a file's size, for a folder taken back whole
# Python without site packages or this project: deleting needs nothing else, and starts in a few milliseconds.
_DELETE = "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"


class Deleting:
    """A folder being deleted by another process (or by nobody yet, when that process could not start)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        try:
            self.process: subprocess.Popen | None = subprocess.Popen(
                [sys.executable, "-I", "-S", "-c", _DELETE, str(folder)], stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        except OSError:  # no process to be had: finish() deletes it here
            self.process = None

    def finish(self) -> Path | None:
        """Wait for the deleting; delete here what it left. The folder, if even that could not delete it."""
        if self.process is not None:
            self.process.wait()
        if self.folder.exists():
            shutil.rmtree(self.folder, ignore_errors=True)
        return self.folder if self.folder.exists() else None


# Copies each source to its target, given as NUL-separated pairs on standard input; names the targets it could not
# write. Shutil alone: it starts in a few milliseconds, and holds nothing of the build's.
_COPY = r"""import os, shutil, sys
words = sys.stdin.buffer.read().split(b"\0")
made = set()
for source, target in zip(words[0::2], words[1::2]):
    try:
        folder = os.path.dirname(target)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        shutil.copyfile(source, target)
    except OSError:
        sys.stdout.buffer.write(target + b"\0")
"""


class Copying:
    """Files copied into the site by another process, while this one does other work: at 10,000 reports MkDocs
    copied the originals one by one after the theme, 3 s of a cold build with one core idle."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self.pairs = pairs
        try:
            self.process: subprocess.Popen | None = subprocess.Popen(
                [sys.executable, "-I", "-S", "-c", _COPY], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL)
        except OSError:
            self.process = None
            return
        # One write: the process reads all of it before it copies anything.
        words = [os.fsencode(path) for pair in pairs for path in pair]
        try:
            self.process.stdin.write(b"\0".join(words))
            self.process.stdin.close()
        except OSError:  # it ended already: ``finish`` finds it copied nothing
            pass

    def finish(self) -> set[str]:
        """Wait for the copying; the targets it copied (none, when it could not start or did not end well)."""
        if self.process is None:
            return set()
        failed = self.process.stdout.read()
        if self.process.wait() != 0:
            return set()
        missed = {os.fsdecode(word) for word in failed.split(b"\0") if word}
        return {target for _, target in self.pairs if target not in missed}


class Aside:
    """The last build's site, set aside in ``folder`` inside ``site``; ``last``, that build's record of what it
    wrote. Files are taken back until ``delete`` starts deleting the rest; ``finish`` waits for that."""

    def __init__(self, site: Path, folder: Path, last: dict[str, tuple]) -> None:
        self.site, self.folder, self.last = site, folder, last
        self.deleting: Deleting | None = None
        self.taken = 0
        self.made: set[Path] = set()  # folders made in the site to take back into

    def take_back(self, relative: str, identity: str) -> bool:
        """Move ``relative`` (a path in the site) back into place, if the last build wrote it as ``identity`` and
        it is still the file that build left; whether it did."""
        return self._move_back(relative, identity, file_state)

    def take_back_tree(self, relative: str, identity: str) -> bool:
        """Move the folder ``relative`` back into place, if the last build wrote it whole as ``identity`` and every
        file in it still has the size and time it had then (``tree_state``); whether it did."""
        return self._move_back(relative, identity, tree_state)

    def _move_back(self, relative: str, identity: str, state: Callable[[Path], tuple]) -> bool:
        recorded = self.last.get(relative)
        if self.deleting is not None or recorded is None or recorded[0] != identity:
            return False
        source = self.folder / relative
        try:
            if recorded[1:] != state(source):  # the state ``Written.save`` noted, taken the same way
                return False
            target = self.site / relative
            if target.parent not in self.made:
                if self._folder_moved(source, target):
                    self.taken += 1
                    return True
                self._make(target.parent)
            os.rename(source, target)
        except OSError:
            return False
        self.taken += 1
        return True

    def _folder_moved(self, source: Path, target: Path) -> bool:
        """Move ``source``'s folder whole into place as ``target``'s, when it holds ``source`` alone and the site
        has no such folder yet: a report page's (``reports/<slug>/index.html``). One rename where a folder made
        in the site and one deleted from the last build's cost two writes to the disk (at 10,000 reports the
        folders made took 2–3.5 s a build). Whether it did."""
        folder = target.parent
        if folder == self.site or folder.exists() or os.listdir(source.parent) != [source.name]:
            return False
        self._make(folder.parent)
        os.rename(source.parent, folder)
        self.made.add(folder)
        return True

    def _make(self, folder: Path) -> None:
        """Make ``folder`` in the site, once: one mkdir per folder, not per file (4,600 calls at 1,000 reports)."""
        if folder not in self.made:
            folder.mkdir(parents=True, exist_ok=True)
            self.made.add(folder)

    def identity_of(self, relative: str) -> str | None:
        """The identity the last build recorded for ``relative`` (None: it recorded none)."""
        recorded = self.last.get(relative)
        return recorded[0] if recorded is not None else None

    def state_of(self, relative: str) -> tuple | None:
        """The state the last build recorded for ``relative``, which a file or folder taken back still has."""
        recorded = self.last.get(relative)
        return tuple(recorded[1:]) if recorded is not None else None

    def delete(self) -> None:
        """Start deleting what was not taken back (by another process); nothing is taken back after."""
        if self.deleting is None:
            self.deleting = Deleting(self.folder)

    def finish(self) -> Path | None:
        """Wait for the deleting (started now, if it was not); the folder, if even that could not delete it."""
        self.delete()
        return self.deleting.finish()


def set_aside(site_dir: Path, last: dict[str, tuple] | None = None) -> Aside | None:
    """Move ``site_dir``'s entries (all but the hidden ones MkDocs keeps) into a hidden folder there; None when
    there was nothing to move. ``last``: the record the last build left (``Written.load``).

    Whatever cannot be moved stays where it is, for MkDocs to delete as it always does.
    """
    try:
        entries = sorted(os.listdir(site_dir))
    except OSError:  # no site yet
        return None
    movable = [e for e in entries if not e.startswith(".") or e.startswith(ASIDE_PREFIX) or e == SEARCH_PARTIAL]
    if not movable:
        return None
    aside = site_dir / f"{ASIDE_PREFIX}{os.getpid()}-{time.time_ns()}"  # never one a stopped build's deleter is in
    try:
        aside.mkdir()
    except OSError:
        return None
    for entry in movable:
        if entry == aside.name:
            continue
        try:
            os.rename(site_dir / entry, aside / entry)
        except OSError:
            continue
    return Aside(site_dir, aside, last or {})


class Written:
    """What a build wrote into the site: each file's identity, and its state as it was left (``file_state``, or
    ``tree_state`` for a folder written whole).

    Kept in ``record`` (in the cache's folder: one record per site folder), or only in memory when ``record`` is
    None (``mkdocs serve``, whose site folder lives as long as the process); ``save`` notes the files as they
    are then. A record that cannot be read is an empty one: nothing is taken back.
    """

    def __init__(self, record: Path | None) -> None:
        self.record = record
        self.added: dict[str, tuple[str, Callable[[Path], tuple]]] = {}

    def add(self, relative: str, identity: str) -> None:
        self.added[relative] = (identity, file_state)

    def add_tree(self, relative: str, identity: str, as_taken: tuple | None = None) -> None:
        """A folder written whole (the search index): taken back whole, or not at all. ``as_taken``: its state,
        when it was taken back as the last record says (``Aside.state_of``) and so is not walked again."""
        self.added[relative] = (identity, tree_state if as_taken is None else lambda _path: as_taken)

    def load(self) -> dict[str, tuple]:
        found = read_pickle(self.record) if self.record is not None else None
        return found if isinstance(found, dict) else {}

    def save(self, site: Path) -> dict[str, tuple]:
        """Record every added file as it is now in ``site`` (one that is not there is left out); the record."""
        noted: dict[str, tuple] = {}
        for relative, (identity, state) in self.added.items():
            try:
                noted[relative] = (identity, *state(site / relative))
            except OSError:
                continue
        # No record is no harm: the next build writes every file, as it would without one.
        if self.record is None or not write_pickle(self.record, noted):
            return noted
        try:
            others = sorted(self.record.parent.glob("*.pickle"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
            for old in others[RECORDS_KEPT:]:
                old.unlink()
        except OSError:
            pass
        return noted


def file_state(path: Path) -> tuple[int, int]:
    """A file's size and modification time: a file written since has another (OSError when it is not there)."""
    seen = os.stat(path)
    return seen.st_size, seen.st_mtime_ns


def tree_state(folder: Path) -> tuple[str, str]:
    """A folder's state: ``TREE`` and its ``tree_fingerprint`` (OSError when it is not a folder)."""
    if not folder.is_dir():
        raise NotADirectoryError(folder)
    return TREE, tree_fingerprint(folder)


def tree_fingerprint(folder: Path) -> str:
    """Every file under ``folder`` by its path there, size and modification time, as one digest: a folder's
    files in name order, then its folders in name order, each in turn (what ``os.walk`` gives, sorted).

    Read with ``os.scandir`` and paths joined by hand: the search index's folder holds 65,000 files at 10,000
    reports, and ``os.walk`` with ``os.stat`` and ``os.path.relpath`` for each took 1.9 s a build (two a build).
    """
    digest = hashlib.sha256()

    def visit(path: str, prefix: str) -> None:
        with os.scandir(path) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
        folders = []
        for entry in entries:
            if entry.is_dir():
                folders.append(entry)
                continue
            seen = entry.stat()
            digest.update(f"{prefix}{entry.name}\0{seen.st_size}\0{seen.st_mtime_ns}\n"
                          .encode("utf-8", "surrogateescape"))
        for entry in folders:
            if not entry.is_symlink():  # as ``os.walk``: a link to a folder is listed, not followed
                visit(entry.path, f"{prefix}{entry.name}/")

    visit(os.fspath(folder), "")
    return digest.hexdigest()


def copied_identity(source: str) -> str | None:
    """A copied file's identity: its source's path, size and modification time (None when it cannot be read)."""
    try:
        seen = os.stat(source)
    except OSError:
        return None
    return f"copy\0{source}\0{seen.st_size}\0{seen.st_mtime_ns}"
