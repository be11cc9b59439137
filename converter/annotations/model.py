"""The annotation layer's values: a sidecar's note entry, and a span of the cleaned text with a kind and a body."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# What each note entry may hold, in the order the importer writes them.
ENTRY_KEYS = ("quote", "prefix", "suffix", "note", "author", "created", "tags", "link")


@dataclass(frozen=True)
class NoteEntry:
    """One item of a sidecar's ``annotations`` list, as the contributor wrote it.

    ``line`` is where the item starts in the sidecar and ``number`` its place in
    the list (1-based), so every problem can name both.
    """

    quote: str
    note: str
    prefix: str = ""
    suffix: str = ""
    author: str | None = None
    created: str | None = None
    tags: tuple[str, ...] = ()
    link: str | None = None
    line: int = 0
    number: int = 0

    def as_dict(self) -> dict[str, Any]:
        """The entry as a sidecar holds it: only the keys that have values, in the usual order."""
        out: dict[str, Any] = {}
        for key in ENTRY_KEYS:
            value = getattr(self, key)
            if value:
                out[key] = list(value) if key == "tags" else value
        return out


@dataclass(frozen=True)
class Anchor:
    """Where a quote landed in the cleaned text.

    ``status``: ``exact``; ``changed`` (only a close match: ``found`` is the text
    there now); ``ambiguous`` (several places fit equally: ``places`` are their
    starts); ``orphan`` (nothing close; ``found`` is the nearest text, if any,
    and ``places`` its start).
    ``start``/``end`` are code points of the cleaned text, -1 when not placed.
    """

    status: str
    start: int = -1
    end: int = -1
    found: str = ""
    distance: int = 0
    places: tuple[int, ...] = ()

    @property
    def placed(self) -> bool:
        return self.status in ("exact", "changed")


@dataclass(frozen=True)
class Annotation:
    """A span of a report's cleaned text (code points, end exclusive) with a kind and a body.

    ``start``/``end`` are -1 for an annotation that could not be placed; it is
    still shown, at the end of the page. ``id`` is stable while the anchored
    passage is: it names the annotation's place on the page (``#ann-<id>``).
    """

    kind: str
    start: int
    end: int
    id: str
    body: Any = None
    anchor: Anchor | None = None

    @property
    def placed(self) -> bool:
        return self.start >= 0
