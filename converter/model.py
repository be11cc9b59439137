"""The values that flow between pipeline stages.

Every stage takes and returns plain frozen data, so a stage can be tested on
its own and the whole pipeline stays deterministic.
"""

from __future__ import annotations

import pickle
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace
from typing import Any, Mapping, Sequence

from .errors import ReportError


@dataclass(frozen=True)
class Line:
    """One line of the decoded report; ``no`` is its 1-based line number in the file."""

    no: int
    text: str


@dataclass(frozen=True)
class Removal:
    """A piece of the contributor's file that the cleaner took out, and why."""

    rule: str
    line: int
    text: str

    def as_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "line": self.line, "text": self.text}


@dataclass(frozen=True)
class Restoration:
    """Text the parser put back where the report had lost it (heading numbers)."""

    line: int
    text: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "text": self.text, "reason": self.reason}


@dataclass(frozen=True)
class Block:
    """A unit of the report's structure.

    ``kind`` is one of: ``issuer``, ``title``, ``addressee``, ``heading``,
    ``paragraph``, ``signature``. ``text`` is the report's own text, except that
    ``restored`` (when not empty) was prepended by the parser and is recorded.
    """

    kind: str
    text: str
    line: int
    level: int = 0
    restored: str = ""

    @property
    def display_text(self) -> str:
        return self.restored + self.text


# Encodings whose original the site serves to be read as it is; any other gets a decoded UTF-8 copy beside it.
SERVED_AS_IS = ("utf-8", "utf-8-sig")


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


@dataclass(frozen=True)
class Cleaned:
    lines: tuple[Line, ...]
    removals: tuple[Removal, ...]


@dataclass(frozen=True)
class Structure:
    blocks: tuple[Block, ...]
    restorations: tuple[Restoration, ...]

    def of_kind(self, kind: str) -> list[Block]:
        return [b for b in self.blocks if b.kind == kind]

    def text(self) -> str:
        """The cleaned text, one block a line: what readers get, and what annotations count positions in."""
        return "\n".join(b.display_text for b in self.blocks)

    def starts(self) -> list[int]:
        """Where each block starts in ``text()``."""
        out, at = [], 0
        for b in self.blocks:
            out.append(at)
            at += len(b.display_text) + 1
        return out

    def line_of(self, position: int) -> int:
        """The report file's line where the block holding ``position`` of ``text()`` starts."""
        if not self.blocks:
            return 1
        return self.blocks[max(0, bisect_right(self.starts(), position) - 1)].line


@dataclass(frozen=True)
class Doubt:
    """A place the converter could not settle from the text, and the sidecar keys that settle it.

    ``name`` is the place name as the report writes it (or None when the report
    names none); ``candidates`` are the places it could be, each as
    (province, city, county), with "" for a level that does not apply.
    """

    message: str
    keys: tuple[str, ...]
    name: str | None = None
    candidates: tuple[tuple[str, str, str], ...] = ()

    def __str__(self) -> str:
        return self.message


@dataclass
class Metadata:
    """Derived metadata; ``sources`` says where each value came from."""

    title: str | None = None
    unit: str | None = None
    town: str | None = None
    level: str | None = None
    county: str | None = None
    city: str | None = None
    province: str | None = None
    year: int | None = None
    date: str | None = None
    published: str | None = None
    issuers: list[str] = field(default_factory=list)
    addressee: str | None = None
    slug: str | None = None
    slug_base: str | None = None  # the slug before clashes were resolved; not exported
    encoding: str | None = None
    sha256: str | None = None
    source: str | None = None
    sources: dict[str, str] = field(default_factory=dict)
    warnings: list[Doubt] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)  # former URL names that redirect to ``slug``
    annotations: dict[str, Any] = field(default_factory=dict)

    FIELDS = (
        "title", "unit", "town", "level", "county", "city", "province",
        "year", "date", "published", "issuers", "addressee", "slug", "aliases",
        "encoding", "sha256", "source",
    )

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.FIELDS}


@dataclass(frozen=True)
class Report:
    """Everything the converter knows about one report file.

    ``problems`` are what a contributor must still fix although the report
    could be converted (a bad sidecar value, a note whose passage changed, a
    report far too long): the site shows the report and lists them, and a
    strict build fails on them. ``annotations`` are the spans of
    ``structure.text()`` that the page marks (see ``converter.annotations``).
    A report made ``lean`` no longer holds ``raw``, nor ``decoded`` for a UTF-8 original, nor ``cleaned.lines``.
    """

    path: str
    raw: bytes | None
    decoded: Decoded | None
    cleaned: Cleaned
    structure: Structure
    metadata: Metadata
    problems: tuple[ReportError, ...] = ()
    annotations: Sequence[Any] = ()  # a tuple, or ``annotations.model.Spans`` (term marks packed)
    # How often the text uses each glossary term (``annotations.terms.counts``); counted where the
    # report is converted, which runs in parallel, rather than where the pages are made, which does not.
    term_counts: Mapping[str, int] | None = None
    # The key it is cached under (``cache.report_key``: its path, bytes and sidecar), set when it came through
    # the cache on disk; what is made from it alone can be kept under the same key.
    key: str | None = None
    size: int = 0  # the original's length in bytes (taken from ``raw`` when it is given)
    # ``fingerprints.words_fingerprint(structure)``, for ``check``: made where the report is converted, on every
    # core and from the folds its conversion made, rather than for every report in the process that compares them.
    fingerprint: str | None = None
    # ``annotations.passages_state.text_digest`` of ``structure.text()``, by which the shared passages tell the
    # reports whose text changed since the last build: made once, where the report is converted, not every build
    # for every report (0.45 s at 10,000 reports).
    text_digest: bytes | None = None

    def __post_init__(self) -> None:
        if self.raw is not None and self.size != len(self.raw):
            object.__setattr__(self, "size", len(self.raw))

    @property
    def text(self) -> str:
        """``structure.text()``, which a report read back from a pickle has without its structure."""
        return self.__dict__["_text"] if "_text" in self.__dict__ else self.structure.text()

    @property
    def line_kinds(self) -> tuple[str, ...]:
        """The kind of the block each line of ``text`` belongs to."""
        if "_line_kinds" in self.__dict__:
            return self.__dict__["_line_kinds"]
        return tuple(b.kind for b in self.structure.blocks for _ in b.display_text.split("\n"))

    # A report is pickled with its structure packed apart (``_packed``), and its text and line kinds beside it:
    # the archive's pages read the text of every report in every build, and the blocks only of the reports whose
    # pages they make. Unpickling the structures was a third of reading a build's reports back from the cache
    # (0.07 of 0.2 s at 1,000 reports), and the process that holds all reports keeps the packed bytes instead.
    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        if "structure" in state:
            structure = state.pop("structure")
            state["_packed"] = pickle.dumps(structure, protocol=pickle.HIGHEST_PROTOCOL)
            state["_text"] = self.text
            state["_line_kinds"] = self.line_kinds
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)

    def __getattr__(self, name: str):
        """The structure, unpacked when first read (only a report read back from a pickle lacks it)."""
        if name == "structure" and "_packed" in self.__dict__:
            structure = pickle.loads(self.__dict__.pop("_packed"))
            self.__dict__["structure"] = structure
            return structure
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def lean(self) -> "Report":
        """The report as the archive keeps it once converted: without what only conversion and ``check`` read.

        Gone are the original's bytes (the site copies its file at ``path``), the decoded text when the
        original is UTF-8 (only another encoding's original gets a decoded copy on the site), and the cleaned
        lines (``check`` reads those of the report it checks, never of the archive's). At 10,000 reports
        these are 0.2 GB of the 0.53 GB every converted report holds, from the conversion to the last page.
        """
        if self.raw is None:
            return self
        own = self.decoded is not None and self.decoded.encoding in SERVED_AS_IS
        return replace(self, raw=None, decoded=None if own else self.decoded,
                       cleaned=Cleaned((), self.cleaned.removals))


def blocks_reached(starts: Sequence[int], start: int, end: int) -> range:
    """The indexes of the blocks that a span [start, end) of the text reaches into, given where each block starts."""
    return range(max(bisect_right(starts, start) - 1, 0), bisect_left(starts, end))
