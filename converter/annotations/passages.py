"""Passages shared across reports: every stretch of at least ``MIN_CHARS`` characters found in two or more reports.

Texts are compared as search compares them: script, width and case folded
(``searchfold.fold_chars``), whitespace removed. Nothing is compared pairwise:
every window of ``MIN_CHARS`` characters of every report is hashed (numpy, one
pass per character of the window), the hashes are sorted (a partition of them
at a time in a large archive, so that memory stays bounded), and a window is
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

from .. import arrays
from .compared import compared_all

MIN_CHARS = 20
_BASE = np.uint64(0x9E3779B97F4A7C15)  # odd, so that the hash of a window mixes every character


@dataclass(frozen=True)
class Passage:
    """A shared passage: its compared form and where it occurs, as (report index, start, end) in each
    report's own text (code points, end exclusive), in the order of the reports given."""

    key: str
    places: tuple[tuple[int, int, int], ...]
    reports: int  # how many reports hold it (a report may hold it twice)


def window_hashes(ids: np.ndarray, width: int, at: np.ndarray | None = None) -> np.ndarray:
    """The polynomial hash (mod 2⁶⁴) of each run of ``width`` character ids: ``len(ids) - width + 1`` of them,
    or with ``at`` only those of the runs starting there (each ``at + width <= len(ids)``)."""
    count = max(len(ids) - width + 1, 0) if at is None else len(at)
    hashes = np.zeros(count, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(width if count else 0):
            np.multiply(hashes, _BASE, out=hashes)
            np.add(hashes, ids[j:j + count] if at is None else ids[at + j], out=hashes, casting="unsafe")
    return hashes


_BASE_INVERSE = np.uint64(pow(int(_BASE), -1, 1 << 64))  # exists as the base is odd


def next_hashes(hashes: np.ndarray, ids: np.ndarray, width: int, at: np.ndarray, step: int) -> np.ndarray:
    """``window_hashes(ids, width, at + step)`` for ``step`` 1 or -1, from ``hashes``, those of the windows at
    ``at``: each rolled by the character it loses and the one it gains, where ``window_hashes`` reads all
    ``width`` again (a twentieth of the work; each neighbour must be there, within ``ids``)."""
    top = np.uint64(pow(int(_BASE), width - 1, 1 << 64))  # the weight of a window's first character
    with np.errstate(over="ignore"):
        if step == 1:
            out = hashes - ids[at].astype(np.uint64) * top
            out *= _BASE
            out += ids[at + width].astype(np.uint64)
        else:
            out = hashes - ids[at + width - 1].astype(np.uint64)
            out *= _BASE_INVERSE
            out += ids[at - 1].astype(np.uint64) * top
    return out


CHUNK = 1 << 22  # elements a temporary is made for at once


def _grouped(hashes: np.ndarray, windows: np.ndarray) -> np.ndarray:
    """``windows`` ordered by hash, equal hashes together in text order: a stable argsort, made fast.

    Each window's number goes into the low bits of its hash's high bits, so one sort of plain integers
    (many times faster than an argsort) orders them; where two hashes agree in the high bits only, their
    windows may interleave, and those few are ordered again by the whole hash.
    """
    bits = max(int(len(hashes)).bit_length(), 1)
    low = np.uint64((1 << bits) - 1)
    # In place, or a slice at a time, wherever it can be: at 10,000 reports each whole temporary is 0.25 GB.
    packed = hashes[windows]
    packed &= ~low
    order = np.empty(len(windows), dtype=arrays.index_type(len(hashes)))
    for part in arrays.slices(len(windows), CHUNK):
        packed[part] |= windows[part].astype(np.uint64)
    packed.sort()
    for part in arrays.slices(len(windows), CHUNK):
        order[part] = packed[part] & low
    high = packed
    high &= ~low
    mixed = high[1:] == high[:-1]
    for part in arrays.slices(len(mixed), CHUNK):
        full = hashes[order[part.start:part.stop + 1]]
        mixed[part] &= full[1:] != full[:-1]
    if mixed.any():  # the runs of equal high bits that hold more than one hash: found in ``high``, which is sorted
        values = arrays.distinct(high[1:][mixed])
        lo, hi = np.searchsorted(high, values, "left"), np.searchsorted(high, values, "right")
        at = arrays.ranges(lo, hi - lo)
        full = hashes[order[at]]
        order[at] = order[at][np.lexsort((order[at], full, high[at]))]
    return order


@dataclass(frozen=True)
class Found:
    """The shared passages as columns, for archives with millions of places: Python objects for each would
    cost more to make, keep and pickle than finding them did.

    Passage ``n`` (most widely held first, then by text) is ``keys[n]``, held by ``reports[n]`` reports; its
    places are ``bounds[n]`` to ``bounds[n + 1]`` of ``report``, ``start`` and ``end`` (each report's own
    text, code points, end exclusive), in the order of the texts given, then of place.
    """

    keys: list[str]
    reports: np.ndarray
    bounds: np.ndarray
    report: np.ndarray
    start: np.ndarray
    end: np.ndarray

    @classmethod
    def empty(cls) -> "Found":
        none = np.zeros(0, dtype=np.int32)
        return cls([], none, np.zeros(1, dtype=np.int64), none, none, none)

    def __len__(self) -> int:
        return len(self.keys)

    def passages(self) -> list[Passage]:
        """The same, as one ``Passage`` each."""
        report, start, end = self.report.tolist(), self.start.tolist(), self.end.tolist()
        bounds = self.bounds.tolist()
        return [Passage(key, tuple(zip(report[lo:hi], start[lo:hi], end[lo:hi])), reports)
                for key, reports, lo, hi in zip(self.keys, self.reports.tolist(), bounds, bounds[1:])]


def find(texts: Sequence[str], min_chars: int = MIN_CHARS) -> list[Passage]:
    """Every passage of at least ``min_chars`` compared characters found in two or more of ``texts``.

    Ordered by how many reports share it (most first), then by its text.
    """
    return find_all(texts, min_chars)[0]


def find_all(texts: Sequence[str], min_chars: int = MIN_CHARS) -> tuple[list[Passage], list[float]]:
    """``find``, and for each text the share of its compared characters that lie in a shared passage."""
    found, shares = find_columns(texts, min_chars)
    return found.passages(), shares


def find_columns(texts: Sequence[str], min_chars: int = MIN_CHARS) -> tuple[Found, list[float]]:
    """``find_all``, with the passages as columns (``Found``)."""
    ids, lengths, solid = compared_all(texts)
    found, at, to = find_in(ids, arrays.bounds(lengths), solid, min_chars)
    return found, shares(covered_by(found.report, at, to, len(lengths)), lengths)


def find_in(ids: np.ndarray, offsets: np.ndarray, solid, min_chars: int, real: np.ndarray | None = None,
            sink=None) -> tuple[Found, np.ndarray, np.ndarray]:
    """The passages of the compared texts ``ids`` (each text ``offsets[i]:offsets[i + 1]``), with each place's
    compared start and stop (``at``, ``to``, among ``ids``).

    ``real``: the windows looked at (by default every one that ends in the text it starts in); a window's
    hash group is made of the windows looked at alone, so a mask must hold every window of each hash it holds
    (``passages_update`` looks again at the few chains of windows a change may touch). ``sink(hashes,
    windows)``: given the windows looked at, ordered by hash, a slice at a time, in order (the update's index).
    """
    count = max(len(ids) - min_chars + 1, 0)
    if real is None:
        real = _real_windows(offsets, count, min_chars)
    if not real.any():
        none = np.zeros(0, dtype=np.int64)
        return Found.empty(), none, none
    group, sizes = _shared_groups(ids, offsets, real, min_chars, sink)
    del real
    joins = _joins(group, sizes)
    windows = group[:count]
    has_group = windows >= 0
    linked = np.zeros(count, dtype=bool)
    linked[has_group] = joins[windows[has_group]]

    index = arrays.index_type(count)
    starts = arrays.nonzero(has_group & ~np.concatenate([[False], linked[:-1]]), index)
    ends = arrays.nonzero(has_group & ~linked, index)  # the last window of each passage, in the same order
    first_group = windows[starts]
    del group, windows, has_group, linked
    return _collect(ids, offsets, solid, first_group, starts, ends, min_chars)


def shares(covered: np.ndarray, lengths: np.ndarray) -> list[float]:
    """For each text, the share of its compared characters that lie in a shared passage (``covered_by``)."""
    return [float(c) / n if n else 0.0 for c, n in zip(covered.tolist(), lengths.tolist())]


def covered_by(report: np.ndarray, at: np.ndarray, to: np.ndarray, texts: int) -> np.ndarray:
    """How many compared characters of each text the places cover, each once. Places of different texts never
    overlap (``at``/``to`` run on from text to text), so one running maximum serves them all."""
    order = np.argsort(at, kind="stable")
    at, to = at[order].astype(np.int64), to[order].astype(np.int64)
    reach = np.maximum.accumulate(to) if len(to) else to
    before = np.concatenate([[0], reach[:-1]])
    covers = np.clip(to - np.maximum(at, before), 0, None)
    return np.bincount(report[order], weights=covers, minlength=texts).astype(np.int64)


def _real_windows(offsets: np.ndarray, count: int, width: int) -> np.ndarray:
    """Whether each window is real: it ends inside the report it starts in (it is not one of a report's last
    ``width - 1``, which run on into the next report)."""
    real = np.ones(count, dtype=bool)
    last = (offsets[1:, None] - np.arange(1, width)[None, :]).ravel()
    real[last[(last >= np.repeat(offsets[:-1], width - 1)) & (last < count)]] = False
    return real


PART_WINDOWS = 1 << 22  # about as many windows as a partition holds: its temporaries stay near 0.1 GB
MAX_PARTS = 256


def _partitions(ids: np.ndarray, width: int, count: int, looked: int) -> tuple[np.ndarray | None, int]:
    """Each window's partition (the top bits of its hash) and how many there are; ``None`` when one will do
    (for ``looked`` windows of the ``count``).

    At 10,000 reports there are 32 million windows: sorting them all at once took 1.2 GB of temporaries.
    Equal windows have equal hashes, so they always fall in the same partition, which is sorted on its own.
    """
    parts = 1
    while parts < MAX_PARTS and looked > parts * PART_WINDOWS:
        parts *= 2
    if parts == 1:
        return None, 1
    shift = np.uint64(64 - (parts.bit_length() - 1))
    part = np.empty(count, dtype=np.uint8)
    for piece in arrays.slices(count, CHUNK):
        part[piece] = window_hashes(ids[piece.start:piece.stop + width - 1], width) >> shift
    return part, parts


def _shared_groups(ids: np.ndarray, offsets: np.ndarray, real: np.ndarray,
                   width: int, sink=None) -> tuple[np.ndarray, np.ndarray]:
    """The shared windows, grouped by hash: a window is shared when its hash occurs in two or more reports.

    ``sink``: see ``find_in``. Returns each window's group (-1: not shared; one more -1 after the last window,
    so that every window has a next one) and each group's size. Groups are numbered partition by partition
    (``_partitions``), and by hash within one; only one partition's windows are sorted at a time.
    """
    count = len(real)
    part, parts = _partitions(ids, width, count, int(np.count_nonzero(real)))
    index = arrays.index_type(count)
    group = np.full(count + 1, -1, dtype=np.int32)
    sizes: list[np.ndarray] = [np.zeros(0, dtype=index)]
    numbered = 0
    for p in range(parts):
        windows = arrays.nonzero(real if part is None else real & (part == p), index)
        if not len(windows):
            continue
        hashes = window_hashes(ids, width, windows)
        owners = (np.searchsorted(offsets, windows, side="right") - 1).astype(np.int32)  # in text order: fast
        order = _grouped(hashes, np.arange(len(windows), dtype=index))
        windows, owners = windows[order], owners[order]
        if sink is not None:
            sink(hashes[order], windows)
        new_hash = arrays.changes(hashes[order])
        del hashes, order
        firsts = np.flatnonzero(new_hash)
        hash_of = np.cumsum(new_hash, dtype=np.int32) - 1  # each sorted window's hash, numbered in this partition
        del new_hash
        shared = np.add.reduceat(arrays.changes(hash_of, owners), firsts, dtype=np.int32) >= 2
        del owners
        keep = shared[hash_of]
        number = np.cumsum(shared, dtype=np.int32) + np.int32(numbered - 1)
        group[windows[keep]] = number[hash_of[keep]]
        sizes.append(np.diff(np.append(firsts, len(windows)))[shared].astype(index))
        numbered += int(shared.sum())
    return group, np.concatenate(sizes)


def _joins(group: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """For each shared group, whether every one of its windows is followed, one character on, by a window of
    one same group, and that group is as large: the two then always occur together, and join.

    The lowest and highest group following each group's windows are found over the windows in text order, a
    piece at a time: a list of the shared windows group by group, to read them in, held 0.25 GB at 10,000
    reports, and twice that while it was put together."""
    if not len(sizes):
        return np.zeros(0, dtype=bool)
    low = np.full(len(sizes), np.iinfo(np.int32).max, dtype=np.int32)
    high = np.full(len(sizes), np.iinfo(np.int32).min, dtype=np.int32)
    for piece in arrays.slices(len(group) - 1, CHUNK):
        this = group[piece]
        shared = this >= 0
        this, following = this[shared], group[piece.start + 1:piece.stop + 1][shared]
        np.minimum.at(low, this, following)
        np.maximum.at(high, this, following)
    return (low == high) & (low >= 0) & (sizes == sizes[np.where(low >= 0, low, 0)])


def _collect(ids, offsets, solid, first_group, starts, ends, min_chars) -> tuple[Found, np.ndarray, np.ndarray]:
    """Group the runs of joined windows by their exact text, keeping the texts two or more reports share; with
    each place's compared start and stop.

    Runs whose first windows share a hash group and that are equally long hold one text (each window of a run
    is followed by the same next one wherever it occurs), unless two texts' hashes collided: runs are grouped
    by both in numpy, then each is compared with its group's first, byte for byte, and a group that holds
    more than one text (a collision, made by chance or on purpose) is split by text.
    """
    if not len(starts):
        none = np.zeros(0, dtype=np.int64)
        return Found.empty(), none, none
    owners = (np.searchsorted(offsets, starts, side="right") - 1).astype(np.int32)
    stops = ends + min_chars
    order = arrays.lexsort((starts, stops - starts, first_group))
    new = arrays.changes(first_group[order], (stops - starts)[order])
    group = np.cumsum(new) - 1
    heads = np.flatnonzero(new)
    del new
    split = _differing(ids, starts[order], (stops - starts)[order], group, heads[group])
    if split:
        raw = memoryview(ids).cast("B")  # not a copy: bytes would be 0.13 GB more at 10,000 reports
        unit = ids.itemsize
        at, to = starts[order].astype(np.int64) * unit, stops[order].astype(np.int64) * unit  # each run in ``raw``
        group = _split_by_text(group, split, raw, at, to)
    # Each text once, its runs in text order (a stable sort keeps the starts' order within a text).
    by_text = np.argsort(group, kind="stable")
    order, group = order[by_text], group[by_text]
    runs_owner = owners[order]
    firsts = np.flatnonzero(arrays.changes(group))
    held_by = np.add.reduceat(arrays.changes(group, runs_owner), firsts, dtype=np.int64)
    kept = np.flatnonzero(held_by >= 2)
    head_runs = order[firsts[kept]]
    keys = solid.spell_all(ids, starts[head_runs], stops[head_runs])
    # Tuples sort faster than a key function makes them (0.9 s at 10,000 reports); the number last keeps ties in
    # their order, as a stable sort would.
    rank = np.array([i for _, _, i in sorted(zip((-held_by[kept]).tolist(), keys, range(len(keys))))],
                    dtype=np.int64)
    # The places, passage by passage in that order, each passage's in text order.
    sizes = np.diff(np.concatenate([firsts, [len(group)]]))[kept][rank]
    take = order[arrays.ranges(firsts[kept][rank], sizes)]
    found = Found(keys=[keys[i] for i in rank.tolist()], reports=held_by[kept][rank].astype(np.int32),
                  bounds=arrays.bounds(sizes),
                  report=owners[take], start=solid.origin(starts[take]).astype(np.int32),
                  end=(solid.origin(stops[take] - 1) + 1).astype(np.int32))
    return found, starts[take].astype(np.int64), stops[take].astype(np.int64)


COMPARED = 1 << 20  # characters compared at once: the temporaries stay near 20 MB


def _differing(ids: np.ndarray, first: np.ndarray, length: np.ndarray, group: np.ndarray,
               head: np.ndarray) -> set[int]:
    """The groups of runs some run of which differs from the group's first, ``head`` (a hash collision):
    each run ``ids[first:first + length]`` compared with its head's character by character, in numpy, runs
    of about ``COMPARED`` characters together. A loop over the runs in Python took 3 s at 10,000 reports."""
    others = np.flatnonzero(head != np.arange(len(head)))  # a head is its own
    if not len(others):
        return set()
    split: set[int] = set()
    for part in arrays.batches_of(length[others], COMPARED):
        runs = others[part]
        sizes = length[runs].astype(np.int64)
        differs = ids[arrays.ranges(first[runs].astype(np.int64), sizes)] \
            != ids[arrays.ranges(first[head[runs]].astype(np.int64), sizes)]
        bad = np.logical_or.reduceat(differs, arrays.starts(sizes))
        split.update(group[runs[bad]].tolist())
    return split


def _split_by_text(group: np.ndarray, split: set[int], raw: memoryview, at: np.ndarray, to: np.ndarray) -> np.ndarray:
    """Groups that hold more than one text (hash collisions) split by text: each text past a group's first
    gets a group of its own."""
    group = group.copy()
    fresh = int(group.max()) + 1
    named: dict[tuple[int, bytes], int] = {}
    for i in np.flatnonzero(arrays.among(group, np.array(sorted(split), dtype=group.dtype))).tolist():
        g, text = int(group[i]), bytes(raw[int(at[i]):int(to[i])])
        if (g, text) not in named:
            named[(g, text)] = g if g not in named.values() else fresh
            fresh += named[(g, text)] == fresh
        group[i] = named[(g, text)]
    return group
