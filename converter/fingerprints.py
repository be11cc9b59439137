"""What ``check`` compares a new report with, kept on disk so it need not convert the archive each time.

``check`` asks three things of every report already in the archive: its
words' fingerprint, its unit and year, and the addresses it holds. These are
small, so after one survey they are kept in one file per converter version
(``<cache root>/<version>/fingerprints.json``), each under a key of the
report's file name, its bytes and its sidecar's bytes. The next survey hashes
the files, reads what it knows, and converts only what it does not: a report
added, changed or renamed, or one whose sidecar changed. A converter change
is another version, so nothing of the old one is ever read. The answer is the
same as converting everything, exactly; only the time differs.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .cache import converter_version, replace_file, report_key
from .fold import fold_lines
from .model import Structure

FILE = "fingerprints.json"
FORMAT = 1
_SPACE = re.compile(r"\s+")


def words_fingerprint(structure: Structure) -> str:
    """A report's words, whatever page or file they were copied from.

    Headings and paragraphs only, in simplified half-width form without
    whitespace: a second copy from another site differs in its chrome,
    title line and line breaks, not in these. Each block is folded apart
    (the folds its conversion has made already), so no phrase of the script
    conversion reaches from one block into the next.
    """
    blocks = [b.text for b in structure.blocks if b.kind in ("heading", "paragraph")]
    blocks = blocks or [b.text for b in structure.blocks]
    return hashlib.sha256(_SPACE.sub("", fold_lines(blocks)).encode("utf-8")).hexdigest()


@dataclass
class Held:
    """One archived report as ``check`` sees it; the field names are ``Metadata``'s, so slugs settle the same way."""

    name: str  # the report's file name in the archive
    text: str  # check.text_fingerprint
    unit_year: tuple | None
    slug_base: str | None
    slug: str | None
    sha256: str | None
    aliases: tuple[str, ...]
    source: str = ""  # the path shown in check's messages (``make_slugs_unique`` orders by its name)
    sources: dict = field(default_factory=dict)

    def row(self) -> list:
        return [self.name, self.text, list(self.unit_year) if self.unit_year else None, self.slug_base, self.slug,
                self.sha256, list(self.aliases)]

    @classmethod
    def of_row(cls, row: list) -> "Held":
        name, text, unit_year, slug_base, slug, sha256, aliases = row
        return cls(name, text, tuple(unit_year) if unit_year else None, slug_base, slug, sha256, tuple(aliases))


def key_of(path: str) -> str:
    """A report's key here: its file name (not the path it was reached by), its bytes and its sidecar's bytes."""
    return report_key(path, name=Path(path).name)


class FingerprintIndex:
    """The fingerprints of one converter version's surveys, by ``key_of``."""

    def __init__(self, root: str | os.PathLike, version: str | None = None) -> None:
        self.file = Path(root) / (version or converter_version()) / FILE

    def load(self) -> dict[str, Held]:
        """What the last survey kept; nothing, if the file is missing, damaged or of another format."""
        try:
            stored = json.loads(self.file.read_text(encoding="utf-8"))
            if stored.get("format") != FORMAT:
                return {}
            return {key: Held.of_row(row) for key, row in stored["reports"].items()}
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return {}

    def save(self, held: dict[str, Held]) -> None:
        """Keep ``held`` (only it: what left the archive goes); an unwritable cache is no reason to fail a check."""
        body = {"format": FORMAT, "reports": {k: held[k].row() for k in sorted(held)}}
        text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
        replace_file(self.file, lambda handle: handle.write(text.encode("utf-8")))


def known_and_unknown(index: FingerprintIndex | None, files: Iterable[str]) -> tuple[dict[str, str], dict[str, Held],
                                                                                      list[str]]:
    """Each file's key, what the index knows of them, and the files it does not know (to convert)."""
    keys = {f: key_of(f) for f in files}
    stored = index.load() if index is not None else {}
    known = {k: stored[k] for k in keys.values() if k in stored}
    return keys, known, [f for f, k in keys.items() if k not in known]
