"""Rules for debris inside the text, wherever it stands: Word bookmarks, invisible characters, stray marks."""

from __future__ import annotations

from typing import Sequence

from .. import patterns as P
from ..model import Line
from .scan import Cut, inline

def strip_word_bookmarks(lines: Sequence[Line]) -> list[Cut]:
    """Remove ``[bookmark: _GoBack]`` and other bookmark anchors a Word export leaves in the text."""
    return inline(lines, P.WORD_BOOKMARK)


def strip_invisible_characters(lines: Sequence[Line]) -> list[Cut]:
    """Remove zero-width characters, soft hyphens and private-use symbols (Word's bullet fonts).

    They are invisible or render as empty boxes, and they break search and copy-paste.
    """
    return inline(lines, P.INVISIBLE)


def drop_stray_marks(lines: Sequence[Line]) -> list[Cut]:
    """Remove lines made only of bullets, dashes or separators, left behind by list markup and Word."""
    return [Cut(i) for i, line in enumerate(lines) if line.text.strip() and P.STRAY_MARKS.match(line.text)]
