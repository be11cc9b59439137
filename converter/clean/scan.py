"""What the cleaning rules share: the cut they return, and how they see a page's header and prose."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Sequence

from .. import patterns as P
from ..fold import fold
from ..model import Line
from ..title import title_span

# A line this long with clause punctuation is the report's own prose; short
# lines count too when they hold a full sentence mark (hard-wrapped exports).
PROSE_MIN_CHARS = 40
SHORT_PROSE_MIN_CHARS = 16
TITLE_COPIES_WITHIN_LINES = 15
FOOTER_LINE_MAX_CHARS = 60
_PROSE_PUNCT = re.compile(r"[，,。；;]")
_SENTENCE_PUNCT = re.compile(r"[，,。]")


@dataclass(frozen=True)
class Cut:
    """Remove line ``index`` of the current list, or only ``span`` of it."""

    index: int
    span: tuple[int, int] | None = None


Rule = Callable[[Sequence[Line]], list[Cut]]

MENU_MIN_LABELS = 3
MENU_LABEL_MAX_CHARS = 8


def stripped(line: Line) -> str:
    return line.text.strip()


def is_prose(text: str) -> bool:
    if len(text) >= PROSE_MIN_CHARS and _PROSE_PUNCT.search(text):
        return True
    return len(text) >= SHORT_PROSE_MIN_CHARS and bool(_SENTENCE_PUNCT.search(text))


def body_start(lines: Sequence[Line]) -> int:
    """Index of the first line of the report's body: prose, a numbered heading or an addressee."""
    for i, line in enumerate(lines):
        text = fold(stripped(line))
        if not text:
            continue
        if is_prose(text) or P.H2_MARKER.match(text) or P.H3_MARKER.match(text):
            return i
        if P.ADDRESSEE.match(text) and P.ADDRESSEE_WORD.search(text):
            return i
    return len(lines)


def header_lines(lines: Sequence[Line]):
    """(index, folded text) of each non-blank line before the body starts."""
    for i in range(body_start(lines)):
        text = fold(stripped(lines[i]))
        if text:
            yield i, text


def split_tokens(text: str) -> list[str]:
    return [t for t in P.TOKEN_SPLIT.split(P.BULLET_PREFIX.sub("", text).lower()) if t]


def only_tokens(text: str, vocabulary: frozenset[str]) -> bool:
    tokens = split_tokens(text)
    return bool(tokens) and all(t in vocabulary for t in tokens)


def inline(lines: Sequence[Line], pattern: re.Pattern[str]) -> list[Cut]:
    return [Cut(i, m.span()) for i, line in enumerate(lines) for m in pattern.finditer(line.text)]


def is_menu_row(text: str) -> bool:
    """A row of short labels (a navigation bar, a toolbar, a list of links), recognised by its form.

    Three or more labels of at most ``MENU_LABEL_MAX_CHARS`` characters,
    separated by spaces, bars or slashes, none of them a sentence, a date, a
    name of an issuing body or a title.
    """
    if P.SENTENCE_PUNCT_INSIDE.search(text) or title_span(text):
        return False
    labels = [t.strip("【】[]") for t in P.MENU_SPLIT.split(text.strip()) if t.strip("【】[]")]
    return (len(labels) >= MENU_MIN_LABELS and all(len(t) <= MENU_LABEL_MAX_CHARS for t in labels)
            and not any(P.MENU_NOT_A_LABEL.search(t) for t in labels))
