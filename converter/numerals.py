"""Chinese numerals read and written by ``cn2an``, with a table kept between processes for the common ones.

Headings are numbered 一、（二）, figures say 三百二十五 人次, years are written
二〇二三: cn2an reads and writes all of them. Importing it compiles its patterns,
0.13–0.25 s, which a build that converts one changed report would spend on that
report's first heading. So the numerals 0–999 as cn2an writes them, and each
digit alone, are read once by cn2an itself and the answers kept (``cache.keep_parsed``)
in the cache's version folder, whose name is a digest of the converter's files
and of cn2an's version. A numeral in the table is answered from it, exactly as
cn2an answered it; any other is asked of cn2an, as it always was.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

# Every number below it, as cn2an writes it: headings and most figures. Made in 0.05 s (to 10,000: 0.5 s, paid
# by every first build of a converter version, and every test with a cache of its own).
TABLE_UP_TO = 1_000
DIGITS = "〇零○Ｏ一二两三四五六七八九十百千万"  # and these alone, as years and odd numbers are written digit by digit
# ``cn2an`` in "smart" mode: Arabic digits, Chinese numerals, or both mixed (1.5万)
MODE = "smart"


class NoNumber(ValueError):
    """What cn2an could not read as a number."""


def _cn2an():
    import cn2an  # on first use: importing it costs what the table saves

    return cn2an


def _read(numeral: str) -> float | None:
    """cn2an's reading of ``numeral``, or None where it reads none (it raises ValueError or KeyError then)."""
    try:
        return _cn2an().cn2an(numeral, MODE)
    except (ValueError, KeyError):
        return None


def make_table() -> tuple[dict[str, float | None], dict[int, str]]:
    """What cn2an reads each common numeral as, and how it writes each number below ``TABLE_UP_TO``."""
    written = {n: _cn2an().an2cn(n) for n in range(TABLE_UP_TO)}
    read = {numeral: _read(numeral) for numeral in [*written.values(), *DIGITS]}
    return read, written


TABLE_KEPT = "numerals.pickle"


def _table() -> tuple[dict[str, float | None], dict[int, str]] | None:
    """The table, where ``cache.keep_parsed`` gave a folder to keep it in (without one, cn2an is asked each time:
    making the table would cost what it saves)."""
    from .cache import parsed_folder

    # Asked for each numeral (thousands a report): the folder as it was given is the key, not a path made from it
    # each time, whose making and hashing took two thirds of a reading (8.2 µs, now 2.6).
    return _table_in(parsed_folder())


@lru_cache(maxsize=1)
def _table_in(folder: Path | None) -> tuple[dict[str, float | None], dict[int, str]] | None:
    if folder is None:
        return None
    from .cache import kept_or_made

    def usable(found: object) -> bool:
        return isinstance(found, tuple) and len(found) == 2 and all(isinstance(x, dict) for x in found)

    return kept_or_made(TABLE_KEPT, usable, make_table)


def value(numeral: str) -> float:
    """The number ``numeral`` writes, as cn2an reads it; ``NoNumber`` when it reads none."""
    table = _table()
    found = table[0].get(numeral, False) if table is not None else False
    if found is False:  # not in the table: asked of cn2an
        found = _read(numeral)
    if found is None:
        raise NoNumber(numeral)
    return found


def spelled(n: int) -> str:
    """``n`` in Chinese numerals, as cn2an writes it (12 → 十二)."""
    table = _table()
    if table is not None and n in table[1]:
        return table[1][n]
    return _cn2an().an2cn(n)
