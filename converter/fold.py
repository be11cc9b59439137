"""The analysis form of text: simplified script, half-width, for matching only.

The report's own characters are never replaced by this form; it only feeds the
patterns, so a traditional-script or full-width report is understood the same
way as a simplified, half-width one.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache


@lru_cache(maxsize=1)
def _to_simplified():
    import opencc  # loaded on first use: a converter run that never folds pays nothing

    return opencc.OpenCC("t2s")


def fold(text: str) -> str:
    """Simplified-script, NFKC-normalised copy of ``text`` for pattern matching."""
    return _to_simplified().convert(unicodedata.normalize("NFKC", text))


def to_simplified(text: str) -> str:
    """Simplified-script copy of ``text`` with widths untouched (for names shown to readers)."""
    return _to_simplified().convert(text)
