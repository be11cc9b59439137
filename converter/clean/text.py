"""Rules for debris inside the text, wherever it stands: Word bookmarks, invisible characters, stray marks."""

from __future__ import annotations

from collections import Counter
from typing import Sequence

from .. import patterns as P
from ..model import Line
from .scan import Cut, inline

PDF_LINE_MIN_CHARS = 200  # a paragraph of a real report is rarely longer; an extracted page always is
PDF_MIN_BREAKS = 8
PDF_MIN_WIDTH = 15  # characters of a printed line; a phrase between a writer's spaces is shorter
PDF_MIN_FULL_SHARE = 0.5
PDF_FULL_LINE = 0.9  # wrapped lines are justified to the full width; a paragraph's last line is shorter

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


def join_pdf_line_breaks(lines: Sequence[Line]) -> list[Cut]:
    """Remove the spaces a PDF text extractor leaves where a printed line wrapped (法治政府 建设).

    Extracted text comes as a few very long lines, with a space wherever the
    printed page started a new line. Where a line was full (the page's width,
    measured from the text itself), the space only wraps a paragraph and is
    removed; where the printed line was short, a paragraph or heading ended
    there, and the space is kept so the structure stage can split the text.
    Only long lines with many such spaces count as extracted text; short lines
    keep every space (issuing bodies side by side, a signature).
    """
    cuts: list[Cut] = []
    for i, line in enumerate(lines):
        if len(line.text) < PDF_LINE_MIN_CHARS or not P.SENTENCE_PUNCT_INSIDE.search(line.text):
            continue
        breaks = list(P.PDF_BREAK_SPACE.finditer(line.text))
        if len(breaks) < PDF_MIN_BREAKS:
            continue
        starts = [0] + [m.end() for m in breaks]
        widths = [m.start() - start for m, start in zip(breaks, starts)]
        page_width = Counter(widths).most_common(1)[0][0]
        # A printed page is regular: Chinese type sets most of its lines to exactly the page's width. Spaces
        # a writer put between phrases fall at irregular places, and are left alone.
        regular = sum(1 for w in widths if abs(w - page_width) <= 1)
        if page_width < PDF_MIN_WIDTH or regular < PDF_MIN_FULL_SHARE * len(widths):
            continue
        cuts.extend(Cut(i, m.span()) for m, start in zip(breaks, starts)
                    if m.start() - start >= PDF_FULL_LINE * page_width)
    return cuts
