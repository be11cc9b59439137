"""Array idioms the stages that work on the whole archive at once share (the search index, shared passages).

Each takes and gives numpy arrays; none holds more than its answer and one temporary of the same length.
"""

from __future__ import annotations

from typing import Callable, Sequence

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


def lexsort(keys: Sequence[np.ndarray]) -> np.ndarray:
    """``np.lexsort(keys)`` for integer (or boolean) keys: the order that sorts by the last key, then the one
    before it, and so on, ties kept in their order.

    Where the keys' ranges fit one 64-bit integer together, each is shifted to start at 0 and packed into one
    key, sorted once (stable); ``np.lexsort`` sorts once per key, and is slower at each sort. The shared
    passages' 2.9 million places at 10,000 reports, by passage, report and start: 0.09 s instead of 1.3 s.
    Keys too wide to pack, or not integers, are given to ``np.lexsort``.
    """
    if not keys or not len(keys[0]) or any(k.dtype.kind not in "biu" for k in keys):
        return np.lexsort(keys)
    spans = [(int(k.min()), int(k.max())) for k in keys]
    widths = [(hi - lo).bit_length() for lo, hi in spans]
    if sum(widths) > 63:
        return np.lexsort(keys)
    packed = np.zeros(len(keys[0]), dtype=np.int64)
    shift = 0
    for key, (lo, _), width in zip(keys, spans, widths):  # the first key least significant, as np.lexsort has it
        if width:
            # Unsigned keys are shifted in their own type (a uint64 may not fit int64 until it is shifted).
            shifted = (key - key.dtype.type(lo)).astype(np.int64) if key.dtype.kind == "u" \
                else key.astype(np.int64) - lo
            packed |= shifted << shift
            shift += width
    return np.argsort(packed, kind="stable")


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


def nonzero(mask: np.ndarray, dtype: type = np.int64, size: int = 1 << 22, end: int | None = None) -> np.ndarray:
    """``np.flatnonzero(mask)`` as ``dtype``, found ``size`` at a time: the whole answer in int64 and then its
    conversion held 12 bytes a hit where 4 do (0.5 GB for the search index's 42 million characters). With
    ``end``, that number follows the hits, in the same array (appended to a copy, it held the hits twice)."""
    count = int(np.count_nonzero(mask))
    out = np.empty(count + (end is not None), dtype=dtype)
    at = 0
    for piece in slices(len(mask), size):
        hits = np.flatnonzero(mask[piece])
        out[at:at + len(hits)] = hits + piece.start
        at += len(hits)
    if end is not None:
        out[count] = end
    return out


def batches_of(sizes: np.ndarray, size: int) -> list[slice]:
    """``batches`` found in numpy, for millions of items: consecutive runs of items, cut where the running total
    of ``sizes`` passes a multiple of ``size``, so that each run's sizes add up to less than ``size`` and its
    first item's together."""
    if not len(sizes):
        return []
    reach = np.cumsum(sizes, dtype=np.int64)
    cuts = np.searchsorted(reach, np.arange(size, int(reach[-1]), size, dtype=np.int64), side="right").tolist()
    edges = sorted({0, *cuts, len(sizes)})
    return [slice(lo, hi) for lo, hi in zip(edges, edges[1:])]


def distinct(values: np.ndarray) -> np.ndarray:
    """``np.unique(values)`` for a plain one-dimensional array: its distinct values, in order. ``np.unique`` asks
    ``numpy.ma`` whether the array is masked, and so imports it, 20–30 ms the first time in every build."""
    ordered = np.sort(values)
    return ordered[changes(ordered)]


def among(values: np.ndarray, choices: np.ndarray) -> np.ndarray:
    """``np.isin(values, choices)`` for ``choices`` sorted and distinct, by binary search: whether each value is
    one of them. (``np.isin`` makes ``choices`` distinct with ``np.unique``, which imports ``numpy.ma``.)"""
    at = np.searchsorted(choices, values)
    found = at < len(choices)
    found[found] = choices[at[found]] == values[found]
    return found


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
