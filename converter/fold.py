"""The analysis form of text: simplified script, half-width, for matching only.

The report's own characters are never replaced by this form; it only feeds the
patterns, so a traditional-script or full-width report is understood the same
way as a simplified, half-width one.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Iterable

# Full-width ASCII (Ａ, ２, ：, （) to half-width, and wide spaces to a plain space.
# A table, not NFKC: NFKC costs five times more and also rewrites characters
# (① → 1, ㈠ → (一)) that the structure patterns read as they are.
HALF_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
HALF_WIDTH.update({0x3000: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x00A0: 0x20})


@lru_cache(maxsize=1)
def _to_simplified():
    import opencc  # loaded on first use: a converter run that never folds pays nothing

    return opencc.OpenCC("t2s")


CACHED_MAX_CHARS = 200
# A paragraph is folded by several rules of one report's conversion (its year, its place, its fingerprint), a
# report's whole text by none twice: texts up to this long are kept, a report's worth of them at a time.
PARAGRAPH_MAX_CHARS = 4000
PARAGRAPHS_KEPT = 1024


def _fold(text: str) -> str:
    return _to_simplified().convert(text.translate(HALF_WIDTH))


_fold_line = lru_cache(maxsize=16384)(_fold)  # the cleaning rules look at the same header lines several times
_fold_paragraph = lru_cache(maxsize=PARAGRAPHS_KEPT)(_fold)


def fold(text: str) -> str:
    """Simplified-script, half-width copy of ``text`` for pattern matching.

    Lines and paragraphs are cached; whole report bodies are not, since each
    is folded once and caching them would hold every report's text in memory.
    """
    if len(text) <= CACHED_MAX_CHARS:
        return _fold_line(text)
    return _fold_paragraph(text) if len(text) <= PARAGRAPH_MAX_CHARS else _fold(text)


def fold_lines(texts: Iterable[str]) -> str:
    """``fold("\n".join(texts))``, from each text's own (cached) fold.

    The same string: OpenCC converts by the longest phrase of its dictionaries
    at each point, and no phrase holds a line break, so none reaches across one.
    """
    return "\n".join(fold(text) for text in texts)


def to_simplified(text: str) -> str:
    """Simplified-script copy of ``text`` with widths untouched (for names shown to readers)."""
    return _to_simplified().convert(text)
