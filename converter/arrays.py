"""Array idioms the stages that work on the whole archive at once share (the search index, shared passages).

Each takes and gives numpy arrays; none holds more than its answer and one temporary of the same length.
"""

from __future__ import annotations

from typing import Callable

import numpy as np


def index_type(count: int) -> type:
    """The narrowest integer type that numbers ``count`` things: half the memory of numpy's default below 2³¹."""
    return np.int32 if count < 2 ** 31 else np.int64


def bounds(sizes: np.ndarray) -> np.ndarray:
    """0, then the running totals of ``sizes``: consecutive group ``i`` is ``bounds[i]:bounds[i + 1]``."""
    return np.concatenate(([0], np.cumsum(sizes, dtype=np.int64))).astype(np.int64)


def starts(sizes: np.ndarray) -> np.ndarray:
    """Where each of consecutive groups of ``sizes`` begins: ``bounds`` without the total."""
    return bounds(sizes)[:-1]


def ranges(first: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """The concatenation of ``range(first[i], first[i] + sizes[i])`` for each ``i``, as one array."""
    if not len(sizes) or not sizes.sum():
        return np.zeros(0, dtype=np.int64)
    return np.repeat(first - starts(sizes), sizes) + np.arange(int(sizes.sum()), dtype=np.int64)


def slices(count: int, size: int) -> list[slice]:
    """``range(count)`` cut into slices of ``size`` (the last one shorter): temporaries made a slice at a time."""
    return [slice(lo, min(lo + size, count)) for lo in range(0, count, size)]


def batches(sizes: np.ndarray, size: int) -> list[slice]:
    """Consecutive runs of items whose ``sizes`` add up to ``size`` or less (an item larger than ``size`` makes
    a run of its own): work on many items of uneven size, a bounded amount at a time."""
    runs, lo, held = [], 0, 0
    for i, n in enumerate(sizes.tolist()):
        if held and held + n > size:
            runs.append(slice(lo, i))
            lo, held = i, 0
        held += n
    if lo < len(sizes):
        runs.append(slice(lo, len(sizes)))
    return runs


def nonzero(mask: np.ndarray, dtype: type = np.int64, size: int = 1 << 22) -> np.ndarray:
    """``np.flatnonzero(mask)`` as ``dtype``, found ``size`` at a time: the whole answer in int64 and then its
    conversion held 12 bytes a hit where 4 do (0.5 GB for the search index's 42 million characters)."""
    out = np.empty(int(np.count_nonzero(mask)), dtype=dtype)
    at = 0
    for piece in slices(len(mask), size):
        hits = np.flatnonzero(mask[piece])
        out[at:at + len(hits)] = hits + piece.start
        at += len(hits)
    return out


def changes(*columns: np.ndarray) -> np.ndarray:
    """True at the first row and at each row where any of ``columns`` differs from the row before: where each
    run of equal rows begins, in rows sorted by those columns."""
    count = len(columns[0])
    out = np.ones(count, dtype=bool)
    if count:
        out[1:] = columns[0][1:] != columns[0][:-1]
        for column in columns[1:]:
            out[1:] |= column[1:] != column[:-1]
    return out


def changes_by(count: int, rows: Callable[[int, int], np.ndarray], size: int) -> np.ndarray:
    """``changes`` of a column too large to make whole: ``rows(lo, hi)`` makes its rows ``lo:hi``, which are made
    ``size`` (and the one before them) at a time."""
    out = np.ones(count, dtype=bool)
    for piece in slices(count, size):
        lo = max(piece.start, 1)
        column = rows(lo - 1, piece.stop)
        out[lo:piece.stop] = column[1:] != column[:-1]
    return out
