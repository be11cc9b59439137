"""The search form of text: one character in, one character out.

Search compares a query with report texts after folding both the same way:
traditional characters to simplified, full-width ASCII to half-width, Latin
letters to lower case. Unlike ``fold.fold`` (phrase-aware, for the metadata
patterns), this fold works character by character, so that a position in the
folded text is the same position in the report's own text (snippets and
highlights point at the reader's characters) and so that the browser can apply
the very same fold from a small table shipped with the site.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .fold import HALF_WIDTH, to_simplified

# Ideograph blocks whose traditional forms OpenCC knows: CJK Unified, Extension A, compatibility.
_IDEOGRAPH_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))


def _width_and_case() -> dict[str, str]:
    table = {chr(wide): chr(narrow) for wide, narrow in HALF_WIDTH.items()}
    for upper in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        table[upper] = upper.lower()
    for full, half in list(table.items()):
        if half.isupper():
            table[full] = half.lower()
    return table


@lru_cache(maxsize=1)
def char_table() -> dict[str, str]:
    """Every character the fold changes → what it becomes (one character each)."""
    chars = [chr(cp) for lo, hi in _IDEOGRAPH_RANGES for cp in range(lo, hi + 1)]
    # One conversion call over newline-separated characters: OpenCC cannot join them into phrases.
    converted = to_simplified("\n".join(chars)).split("\n")
    table = {c: s for c, s in zip(chars, converted) if len(s) == 1 and s != c}
    table.update(_width_and_case())
    return dict(sorted(table.items()))


@lru_cache(maxsize=1)
def _changing() -> re.Pattern:
    """One character class of every character the fold changes (a bitmap test per character, in C)."""
    return re.compile("[" + "".join(re.escape(c) for c in char_table()) + "]")


def fold_chars(text: str) -> str:
    """``text`` folded for search; always the same length as ``text``.

    Only the few characters the fold changes are looked up (about one in
    thirty of a report's): ``str.translate`` with a table of 4,000 characters
    looked up every one, and took four times as long.
    """
    table = char_table()
    return _changing().sub(lambda m: table[m.group()], text)


def table_for_browser() -> str:
    """The fold table as one string of pairs (from, to), the form ``search.js`` reads."""
    return "".join(k + v for k, v in char_table().items())
