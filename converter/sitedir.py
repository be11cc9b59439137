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
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ASIDE_PREFIX = ".archive-old-"
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


def set_aside(site_dir: Path) -> Deleting | None:
    """Move ``site_dir``'s entries (all but the hidden ones MkDocs keeps) into a hidden folder there, and start
    deleting it; None when there was nothing to move.

    Whatever cannot be moved stays where it is, for MkDocs to delete as it always does.
    """
    try:
        entries = sorted(os.listdir(site_dir))
    except OSError:  # no site yet
        return None
    movable = [e for e in entries if not e.startswith(".") or e.startswith(ASIDE_PREFIX)]
    if not movable:
        return None
    aside = site_dir / f"{ASIDE_PREFIX}{os.getpid()}"
    try:
        aside.mkdir(exist_ok=True)
    except OSError:
        return None
    for entry in movable:
        if entry == aside.name:
            continue
        try:
            os.rename(site_dir / entry, aside / entry)
        except OSError:
            continue
    return Deleting(aside)
