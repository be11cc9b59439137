"""The annotation layer's values: a sidecar's note entry, and a span of the cleaned text with a kind and a body."""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Sequence
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


TERM = "term"  # the kind ``annotations.terms`` makes: dozens a report, so ``Spans`` keeps them packed


class Spans(Sequence[Annotation]):
    """A report's annotations, with its term marks packed as numbers rather than one object each.

    A report has about 60 term marks and a few other annotations. As objects the
    marks were a third of a converted report's memory (340 MB at 10,000
    reports) and of the time spent pickling reports between processes and into
    the cache; packed, they cost 12 bytes each. They become ``Annotation``s
    only when a page is drawn; ``of_kind`` finds the other kinds without making them.
    Iterates in the order given: ``before``, the terms, ``after``.
    """

    __slots__ = ("before", "_terms", "names", "after")

    def __init__(self, before: Sequence[Annotation] = (), terms: Sequence[tuple[int, int, str]] = (),
                 after: Sequence[Annotation] = ()) -> None:
        self.before, self.after = tuple(before), tuple(after)
        self.names = tuple(dict.fromkeys(term for _, _, term in terms))
        index = {name: i for i, name in enumerate(self.names)}
        self._terms = array("i", [n for start, end, term in terms for n in (start, end, index[term])])

    def terms(self) -> list[Annotation]:
        """The term marks as annotations, in the order given; each is named ``t<start>`` (its place on the page)."""
        packed, names = self._terms, self.names
        return [Annotation(TERM, packed[i], packed[i + 1], f"t{packed[i]}", names[packed[i + 2]])
                for i in range(0, len(packed), 3)]

    def of_kind(self, kind: str) -> list[Annotation]:
        if kind == TERM:
            return [a for a in self.before if a.kind == TERM] + self.terms() + [a for a in self.after if a.kind == TERM]
        return [a for a in self.before + self.after if a.kind == kind]

    def _all(self) -> tuple[Annotation, ...]:
        return self.before + tuple(self.terms()) + self.after

    def __len__(self) -> int:
        return len(self.before) + len(self._terms) // 3 + len(self.after)

    def __iter__(self) -> Iterator[Annotation]:
        return iter(self._all())

    def __getitem__(self, index):
        return self._all()[index]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Spans):
            if (self.before, self.after, self.names, self._terms) == (other.before, other.after, other.names,
                                                                        other._terms):
                return True
            return self._all() == other._all()  # the same annotations, held another way
        if isinstance(other, tuple):
            return self._all() == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._all())

    def __repr__(self) -> str:
        return f"Spans({self._all()!r})"

    def __reduce__(self):
        # The array pickles as its bytes with its item size and byte order, so any machine reads it right.
        return (_unpacked, (self.before, self._terms, self.names, self.after))


def _unpacked(before: tuple, packed: array, names: tuple, after: tuple) -> Spans:
    spans = Spans.__new__(Spans)
    spans.before, spans._terms, spans.names, spans.after = before, packed, names, after
    return spans


def of_kind(annotations: Sequence[Annotation], kind: str) -> list[Annotation]:
    """The annotations of one kind, in order; from ``Spans`` without unpacking its terms unless they are asked for."""
    if isinstance(annotations, Spans):
        return annotations.of_kind(kind)
    return [a for a in annotations if a.kind == kind]
