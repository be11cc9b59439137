"""The last build's site, moved out of the new build's way and deleted while the build goes on.

Before each build MkDocs empties the site's folder one file at a time
(``mkdocs.utils.clean_directory``): at 10,000 reports about 80,000 files, 20 s
on a slow disk before the first page is made. ``set_aside`` moves each of the
folder's entries first, one rename each, into a hidden folder inside it. MkDocs
finds the folder empty, and leaves the hidden one alone, as it leaves every
hidden entry (a ``.git`` kept there for publishing, say). Another process
deletes it meanwhile. The build waits for that process at its end, so the site
it leaves holds nothing of the last one. A folder set aside by a build that
was stopped goes with the next one.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from .workers import Background

ASIDE_PREFIX = ".archive-old-"


def _delete(folder: str) -> None:
    shutil.rmtree(folder, ignore_errors=True)


def set_aside(site_dir: Path) -> Background | None:
    """Move ``site_dir``'s entries (all but the hidden ones MkDocs keeps) into a hidden folder there, and delete
    it in another process; that process (``result()`` waits for it), or None when there was nothing to move.

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
    return Background(_delete, fresh=True, args=(str(aside),))
