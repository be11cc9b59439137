"""The analysis form of text: simplified script, half-width, for matching only.

The report's own characters are never replaced by this form; it only feeds the
patterns, so a traditional-script or full-width report is understood the same
way as a simplified, half-width one.
"""

from __future__ import annotations

from functools import lru_cache

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


def _fold(text: str) -> str:
    return _to_simplified().convert(text.translate(HALF_WIDTH))


_fold_line = lru_cache(maxsize=16384)(_fold)  # the cleaning rules look at the same header lines several times


def fold(text: str) -> str:
    """Simplified-script, half-width copy of ``text`` for pattern matching.

    Lines are cached; whole report bodies are not, since each is folded once
    and caching them would hold every report's text in memory.
    """
    return _fold_line(text) if len(text) <= CACHED_MAX_CHARS else _fold(text)


def to_simplified(text: str) -> str:
    """Simplified-script copy of ``text`` with widths untouched (for names shown to readers)."""
    return _to_simplified().convert(text)
