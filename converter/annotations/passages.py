"""Passages shared across reports: every stretch of at least ``MIN_CHARS`` characters found in two or more reports.

Texts are compared as search compares them: script, width and case folded
(``searchfold.fold_chars``), whitespace removed. Nothing is compared pairwise:
every window of ``MIN_CHARS`` characters of every report is hashed (numpy, one
pass per character of the window), the hashes are sorted once, and a window is
*shared* when its hash occurs in two or more reports.

Shared windows are then joined into passages. Two neighbouring windows of a
report belong to one passage when they occur in exactly the same places, the
second one character after the first, everywhere: every occurrence of the
first is followed by the second and the two occur equally often. A passage is
therefore maximal for where it occurs: one character more at either end and
it would occur in fewer places. A sentence copied into 500 reports is one
passage listing 500 reports; where three of them also copied the next
sentence, the stretch across the two sentences is a passage of its own,
listing those three. Every shared window lies in exactly one passage, so a
passage's text occurs in each report it lists (its text is compared exactly,
so a hash collision can never list a report wrongly), and every stretch of
``MIN_CHARS`` characters that two reports share lies inside a passage listing
both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ..searchfold import fold_chars

MIN_CHARS = 20
_BASE = np.uint64(0x9E3779B97F4A7C15)  # odd, so that the hash of a window mixes every character
_SPACES = np.array(sorted({c for c in range(0x3001) if chr(c).isspace()} | {0x3000, 0xFEFF}), dtype=np.uint32)


@dataclass(frozen=True)
class Passage:
    """A shared passage: its compared form and where it occurs, as (report index, start, end) in each
    report's own text (code points, end exclusive), in the order of the reports given."""

    key: str
    places: tuple[tuple[int, int, int], ...]
    reports: int  # how many reports hold it (a report may hold it twice)


def compared(text: str) -> tuple[np.ndarray, np.ndarray]:
    """The form passages are compared in (folded, no whitespace), as code points, and where each comes from."""
    points = np.frombuffer(fold_chars(text).encode("utf-32-le"), dtype=np.uint32)
    kept = np.flatnonzero(~np.isin(points, _SPACES)).astype(np.int32)
    return points[kept], kept


def window_hashes(points: np.ndarray, width: int) -> np.ndarray:
    """The polynomial hash (mod 2⁶⁴) of each run of ``width`` code points: ``len(points) - width + 1`` of them."""
    count = len(points) - width + 1
    hashes = np.zeros(max(count, 0), dtype=np.uint64)
    if count <= 0:
        return hashes
    with np.errstate(over="ignore"):
        for j in range(width):
            np.multiply(hashes, _BASE, out=hashes)
            np.add(hashes, points[j:j + count], out=hashes, casting="unsafe")
    return hashes


def find(texts: Sequence[str], min_chars: int = MIN_CHARS) -> list[Passage]:
    """Every passage of at least ``min_chars`` compared characters found in two or more of ``texts``.

    Ordered by how many reports share it (most first), then by its text.
    """
    return find_all(texts, min_chars)[0]


def find_all(texts: Sequence[str], min_chars: int = MIN_CHARS) -> tuple[list[Passage], list[float]]:
    """``find``, and for each text the share of its compared characters that lie in a shared passage."""
    forms = [compared(t) for t in texts]
    lengths = np.array([len(p) for p, _ in forms], dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(lengths)])
    points = np.concatenate([p for p, _ in forms]) if forms else np.zeros(0, dtype=np.uint32)
    hashes = window_hashes(points, min_chars)
    count = len(hashes)
    owner = np.repeat(np.arange(len(forms), dtype=np.int32), lengths)[:count]
    # A window is real when it ends inside the report it starts in.
    real = np.flatnonzero(np.arange(count) + min_chars <= offsets[owner.astype(np.int64) + 1]).astype(np.int32)
    if not len(real):
        return [], [0.0] * len(texts)
    order = real[np.argsort(hashes[real], kind="stable")]  # equal hashes together, in text order
    del real
    sorted_hashes = hashes[order]
    del hashes
    firsts = np.flatnonzero(np.concatenate([[True], sorted_hashes[1:] != sorted_hashes[:-1]]))
    sizes = np.diff(np.concatenate([firsts, [len(order)]]))
    group_of_sorted = np.repeat(np.arange(len(firsts), dtype=np.int32), sizes)
    owners = owner[order]
    new_owner = np.concatenate([[True], (owners[1:] != owners[:-1]) | (group_of_sorted[1:] != group_of_sorted[:-1])])
    shared_group = np.add.reduceat(new_owner.astype(np.int64), firsts) >= 2
    del sorted_hashes, owners, new_owner, owner

    group = np.full(count + 1, -1, dtype=np.int32)  # the group of each window; -1: not shared
    keep = shared_group[group_of_sorted]
    group[order[keep]] = group_of_sorted[keep]
    # Join a window to the next one where the two occur in the same places, one character apart.
    following = group[1:count + 1].copy()
    following[group[:count] < 0] = -1
    next_sorted = following[order]
    low = np.minimum.reduceat(next_sorted, firsts)
    high = np.maximum.reduceat(next_sorted, firsts)
    joins = (low == high) & (low >= 0) & shared_group
    joins &= sizes == sizes[np.where(low >= 0, low, 0)]
    windows = group[:count]
    linked = np.zeros(count, dtype=bool)
    has_group = windows >= 0
    linked[has_group] = joins[windows[has_group]]
    del order, group_of_sorted, next_sorted, following, keep

    starts = np.flatnonzero(has_group & ~np.concatenate([[False], linked[:-1]]))
    ends = np.flatnonzero(has_group & ~linked)  # the last window of each passage, in the same order
    # A character is shared when a shared window starts at most ``min_chars`` - 1 characters before it.
    starting = np.zeros(len(points) + 1, dtype=np.int64)
    starting[1:count + 1] = has_group
    np.cumsum(starting, out=starting)  # starting[i]: shared windows that start before character i
    after = np.arange(1, len(points) + 1)
    covered = np.concatenate([[0], np.cumsum(starting[after] - starting[np.maximum(after - min_chars, 0)] > 0)])
    per_text = covered[offsets[1:]] - covered[offsets[:-1]]
    shares = [float(c) / n if n else 0.0 for c, n in zip(per_text.tolist(), lengths.tolist())]
    return _collect(forms, offsets, points, starts, ends, min_chars), shares


def _collect(forms, offsets, points, starts, ends, min_chars) -> list[Passage]:
    """Group the runs of joined windows by their exact text, keeping the texts two or more reports share."""
    owners = np.searchsorted(offsets, starts, side="right") - 1
    stops = ends + min_chars
    # Where each run starts and ends in its report's own text (the compared form drops spaces).
    where = np.concatenate([w for _, w in forms]) if forms else np.zeros(0, dtype=np.int32)
    firsts = where[starts].tolist()
    lasts = (where[stops - 1] + 1).tolist()
    raw = points.tobytes()
    by_bytes: dict[bytes, list[tuple[int, int, int]]] = {}
    for start, stop, r, first, last in zip(starts.tolist(), stops.tolist(), owners.tolist(), firsts, lasts):
        by_bytes.setdefault(raw[4 * start:4 * stop], []).append((r, first, last))  # grouped by bytes, read once
    by_key = {key.decode("utf-32-le"): places for key, places in by_bytes.items()}
    passages = [Passage(key, tuple(places), reports) for key, places in by_key.items()
                if (reports := len({p[0] for p in places})) >= 2]
    passages.sort(key=lambda p: (-p.reports, p.key))
    return passages
