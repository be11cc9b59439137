"""Shared passages worked out again only where a few reports changed, not found anew in the whole archive.

``passages.find_in`` sees passages as *chains*: a window's hash group joins the
next when the two always occur together, and a chain's windows hold the same
text wherever its first window occurs. Whether a hash is shared, and whether
it joins the next, depends on where that hash and its neighbours occur. Where a
report's text changed, only the hashes of its old and new windows (``H``)
changed where they occur; the other windows of the archive, in unchanged
reports, stand where they stood. So a chain that holds no hash of ``H``, and
whose neighbouring chains did not join it or leave it, is the same before and
after; those chains are kept as they were.

What is looked at again (``_Closure``): a set ``M`` of hashes, ``H`` to begin
with, grown until (1) every chain the new texts make through a hash of ``M``
lies wholly in ``M`` (each hash's unanimous neighbour is added when the two
join) and (2) every passage of the last build that holds a hash of ``M`` in an
unchanged report lies wholly in ``M``. Then every window whose hash is in
``M`` is given to ``find_in`` (a mask holding every window of its hashes, so
their groups are what the whole archive makes); the passages it finds replace
the last build's passages that held any hash of ``M``. Under (1) and (2), a
chain outside ``M`` joined nothing in ``H`` on either side, in the old texts or
the new, and is the same chain: the result equals a whole ``find_columns``, as
``tests/test_passages_update.py`` checks against it on drawn edits.

Where every window occurs is read from an index written by the last whole
build (``Base``: every window's hash, sorted, with its place; memory-mapped,
so a lookup reads a few pages). Reports whose text differs from the base's are
read from their own compared forms (``State.overrides``), kept in the small
state; past ``OVERRIDES_MOST`` of them, or when more than ``CHANGED_MOST``
changed since the last build, or the reports are not the same in number, the
passages are found whole, and the base is written again.
"""

from __future__ import annotations

import os
from bisect import bisect_left
from pathlib import Path
from typing import Sequence

import numpy as np

from .. import arrays
from ..cache import read_pickle, write_pickle
from . import passages
from .compared import compared_all
from .passages import Found
from .passages_state import Base, Piece, State, digests_name, open_base, piece_of, spliced, state_of, text_digest

CHANGED_MOST = 16     # reports changed since the last build that are worked out in place
OVERRIDES_MOST = 64   # reports that differ from the base's text before the base is written again
STATE = "state.pickle"


def find(texts: Sequence[str], folder: Path | None, min_chars: int = passages.MIN_CHARS,
         digests: list[bytes] | None = None) -> tuple[Found, list[float]]:
    """``passages.find_columns(texts)``, worked out again from the last build's (kept in ``folder``) where
    that can be done, and found whole where not; what the next build needs is kept in ``folder``.
    ``digests``: each text's ``text_digest``, when they were made already."""
    if folder is None:
        return passages.find_columns(texts, min_chars)
    last = read_pickle(folder / STATE)
    digests = [text_digest(t) for t in texts] if digests is None else list(digests)
    try:
        if isinstance(last, State) and last.min_chars == min_chars:
            if last.digests == digests:
                return last.found, last.shares()
            state = update(texts, digests, last, folder)
            if state is not None:
                write_pickle(folder / STATE, state)
                return state.found, state.shares()
        state = whole(texts, digests, folder, min_chars)
    except OSError:  # a base that cannot be read or written is no reason to fail a build: found without one
        return passages.find_columns(texts, min_chars)
    return state.found, state.shares()


def whole(texts: Sequence[str], digests: list[bytes], folder: Path, min_chars: int) -> State:
    """The passages found whole, the base written beside them, and the state kept."""
    ids, lengths, solid = compared_all(texts)
    offsets = arrays.bounds(lengths)
    name = digests_name(digests)
    folder.mkdir(parents=True, exist_ok=True)
    at_type = np.uint32 if len(ids) < 1 << 32 else np.uint64
    written = {"hash": folder / f"{name}.hash.part", "at": folder / f"{name}.at.part"}
    with open(written["hash"], "wb") as hashes, open(written["at"], "wb") as places:
        def sink(h: np.ndarray, windows: np.ndarray) -> None:
            h.tofile(hashes)
            windows.astype(at_type).tofile(places)
        found, at, to = passages.find_in(ids, offsets, solid, min_chars, sink=sink)
    windows = os.path.getsize(written["hash"]) // 8
    ids.tofile(folder / f"{name}.ids.part")
    base = Base(name, windows, ids.dtype.str, np.dtype(at_type).str, offsets, solid.run_at, solid.run_origin,
                digests)
    for part, path in base.files(folder).items():
        os.replace(path.with_name(path.name + ".part"), path)
    starts = offsets[found.report]
    state = state_of(min_chars, base, solid.alphabet, digests, {}, found, at - starts, to - starts, lengths,
                     passages.covered_by(found.report, at, to, len(lengths)))
    write_pickle(folder / STATE, state)
    for other in folder.iterdir():  # earlier bases, and what a stopped build left
        if other.name != STATE and not other.name.startswith(name + "."):
            other.unlink(missing_ok=True)
    return state


def update(texts: Sequence[str], digests: list[bytes], last: State, folder: Path) -> State | None:
    """The state after the texts changed from ``last``'s, worked out in place; ``None`` when it cannot be."""
    if len(digests) != len(last.digests):
        return None
    changed = [r for r, (now, then) in enumerate(zip(digests, last.digests)) if now != then]
    if len(changed) > CHANGED_MOST:
        return None
    base = last.base
    opened = open_base(folder, base)
    if opened is None:
        return None
    width = last.min_chars
    fresh_ids, fresh_lengths, fresh_solid = compared_all([texts[r] for r in changed], last.alphabet)
    fresh_offsets = arrays.bounds(fresh_lengths)
    fresh = {r: piece_of(fresh_ids, fresh_offsets, fresh_solid.run_at, fresh_solid.run_origin, i)
             for i, r in enumerate(changed)}
    overrides = {r: p for r, p in last.overrides.items() if r not in fresh}
    overrides.update((r, p) for r, p in fresh.items() if digests[r] != base.digests[r])
    if len(overrides) > OVERRIDES_MOST:
        return None
    overrides = dict(sorted(overrides.items()))
    old = [last.overrides[r] if r in last.overrides else base.piece(opened["ids"], r) for r in changed]
    ids, offsets, solid = spliced(base, opened["ids"], overrides, fresh_solid.alphabet)
    lengths = np.diff(offsets)
    seeds = arrays.distinct(np.concatenate([passages.window_hashes(p.ids, width) for p in old + list(fresh.values())]
                                     + [np.zeros(0, np.uint64)]))
    where = _Where(base, opened, overrides, ids, offsets, width)
    closure = _Closure(where, ids, offsets, width)
    closure.grow(seeds)
    hit, windows = _hit_passages(last, closure, changed, ids, offsets, width)
    real = np.zeros(max(len(ids) - width + 1, 0), dtype=bool)
    real[windows] = True
    made, at, to = passages.find_in(ids, offsets, solid, width, real)
    del real
    found, places_at, places_to = _merged(last, hit, made, at - offsets[made.report], to - offsets[made.report])
    touched = np.zeros(len(texts), dtype=bool)
    touched[changed] = True
    touched[np.searchsorted(offsets, windows, side="right") - 1] = True
    touched[last.found.report[_places_of(last.found, hit)]] = True
    covered = last.covered.copy()
    mine = touched[found.report]
    starts = offsets[found.report[mine]]
    covered[touched] = passages.covered_by(found.report[mine], places_at[mine] + starts, places_to[mine] + starts,
                                           len(texts))[touched]
    return state_of(width, base, solid.alphabet, digests, overrides, found, places_at, places_to, lengths, covered)


class _Where:
    """Where each hash's windows are now: the base's index, but for overridden reports, whose windows are
    hashed here (they are few)."""

    def __init__(self, base: Base, opened, overrides: dict[int, Piece], ids, offsets, width: int) -> None:
        self.base, self.hash, self.at = base, opened["hash"], opened["at"]
        self.offsets, self.width = offsets, width
        self.gone = np.zeros(len(offsets) - 1, dtype=bool)
        self.gone[list(overrides)] = True
        own_at = [np.arange(int(offsets[r]), int(offsets[r + 1]) - width + 1, dtype=np.int64) for r in overrides]
        own_at = np.concatenate(own_at + [np.zeros(0, np.int64)])
        own_hash = passages.window_hashes(ids, width, own_at) if len(own_at) else np.zeros(0, np.uint64)
        order = np.lexsort((own_at, own_hash))
        self.own_hash, self.own_at = own_hash[order], own_at[order]

    def of(self, hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each window whose hash is in ``hashes`` (sorted, distinct): the hash's number there, and where
        the window begins now; ordered by hash, then place."""
        lo, hi = np.searchsorted(self.hash, hashes, "left"), np.searchsorted(self.hash, hashes, "right")
        taken = arrays.ranges(lo, hi - lo)
        which = np.repeat(np.arange(len(hashes)), hi - lo)
        at = np.asarray(self.at[taken]).astype(np.int64) if len(taken) else np.zeros(0, np.int64)
        report = np.searchsorted(self.base.offsets, at, side="right") - 1
        keep = ~self.gone[report]
        which, at = which[keep], at[keep] - self.base.offsets[report[keep]] + self.offsets[report[keep]]
        lo, hi = np.searchsorted(self.own_hash, hashes, "left"), np.searchsorted(self.own_hash, hashes, "right")
        own = arrays.ranges(lo, hi - lo)
        which = np.concatenate([which, np.repeat(np.arange(len(hashes)), hi - lo)])
        at = np.concatenate([at, self.own_at[own]])
        order = arrays.lexsort((at, which))
        return which[order], at[order]


class _Closure:
    """The hashes looked at again (``members``), grown along the joins of the new texts: for each hash looked
    up, whether two or more reports hold it, how many windows, and its unanimous neighbours (the hash after
    every one of its windows, and before every one; ``None`` where they differ or a text ends)."""

    def __init__(self, where: _Where, ids: np.ndarray, offsets: np.ndarray, width: int) -> None:
        self.where, self.ids, self.offsets, self.width = where, ids, offsets, width
        self.info: dict[int, tuple[bool, int, int | None, int | None]] = {}
        self.members: set[int] = set()
        self.found: list[tuple[np.ndarray, np.ndarray]] = []  # each window looked up: its hash, where it begins

    def look(self, wanted) -> None:
        hashes = arrays.distinct(np.array([h for h in wanted if h not in self.info], dtype=np.uint64))
        if not len(hashes):
            return
        which, at = self.where.of(hashes)
        self.found.append((hashes[which], at))
        report = np.searchsorted(self.offsets, at, side="right") - 1
        size = np.bincount(which, minlength=len(hashes))
        held = np.bincount(which, weights=arrays.changes(which, report), minlength=len(hashes))
        own = hashes[which]  # each window's own hash, which its neighbours' are rolled from
        after = self._neighbours(at, own, at + 1 + self.width <= self.offsets[report + 1], 1)
        before = self._neighbours(at, own, at - 1 >= self.offsets[report], -1)
        firsts = np.flatnonzero(arrays.changes(which)) if len(which) else np.zeros(0, np.int64)
        follower, predecessor = self._unanimous(after, firsts), self._unanimous(before, firsts)
        for h in hashes.tolist():
            self.info[h] = (False, 0, None, None)
        for i, j in enumerate(which[firsts].tolist()):
            self.info[int(hashes[j])] = (bool(held[j] >= 2), int(size[j]), follower[i], predecessor[i])

    def _neighbours(self, at: np.ndarray, own: np.ndarray, there: np.ndarray,
                    step: int) -> tuple[np.ndarray, np.ndarray]:
        """The hash of the window ``step`` after each window at ``at`` (whose hashes are ``own``), where
        ``there`` says it is in the same report; 0 elsewhere."""
        hashes = np.zeros(len(at), dtype=np.uint64)
        if there.any():
            hashes[there] = passages.next_hashes(own[there], self.ids, self.width, at[there], step)
        return hashes, there

    @staticmethod
    def _unanimous(neighbours: tuple[np.ndarray, np.ndarray], firsts: np.ndarray) -> list[int | None]:
        hashes, there = neighbours
        if not len(firsts):
            return []
        every = np.minimum.reduceat(there.astype(np.uint8), firsts) == 1
        low, high = np.minimum.reduceat(hashes, firsts), np.maximum.reduceat(hashes, firsts)
        return [int(lo) if ok else None for lo, ok in zip(low.tolist(), (every & (low == high)).tolist())]

    def grow(self, seeds) -> None:
        """Add ``seeds`` to the members, then every hash a member joins, or that joins a member, in turn."""
        pending = [h for h in dict.fromkeys(int(h) for h in seeds) if h not in self.members]
        self.members.update(pending)
        while pending:
            self.look(pending)
            self.look([n for h in pending if self.info[h][0] for n in self.info[h][2:] if n is not None])
            joined = []
            for h in pending:
                shared, size, after, before = self.info[h]
                if not shared:
                    continue
                if after is not None and after not in self.members:
                    if self.info[after][:2] == (True, size):
                        joined.append(after)
                        self.members.add(after)
                if before is not None and before not in self.members:
                    if self.info[before][:3] == (True, size, h):
                        joined.append(before)
                        self.members.add(before)
            pending = joined

    def windows(self) -> np.ndarray:
        """Every window whose hash is a member, where it begins now, in order."""
        if not self.found:
            return np.zeros(0, np.int64)
        hashes = np.concatenate([h for h, _ in self.found])
        at = np.concatenate([a for _, a in self.found])
        members = np.array(sorted(self.members), dtype=np.uint64)
        return np.sort(at[arrays.among(hashes, members)])


def _places_of(found: Found, chosen: np.ndarray) -> np.ndarray:
    return arrays.ranges(found.bounds[chosen], np.diff(found.bounds)[chosen])


def _hit_passages(last: State, closure: _Closure, changed: list[int], ids, offsets,
                  width: int) -> tuple[np.ndarray, np.ndarray]:
    """The last build's passages that hold a member of the closure in an unchanged report, or that a changed
    report held, as the closure grows with every hash of each (so that no chain of the last build is cut); and
    the closure's windows once it has stopped growing (``_Closure.windows``)."""
    found = last.found
    passage_of = np.repeat(np.arange(len(found)), np.diff(found.bounds))
    is_changed = np.zeros(len(offsets) - 1, dtype=bool)
    is_changed[changed] = True
    order = last.place_order
    keys = (found.report[order].astype(np.int64) << 32) | last.at[order].astype(np.int64)
    hit = np.zeros(len(found), dtype=bool)
    new = arrays.distinct(passage_of[is_changed[found.report]])
    while True:
        hit[new] = True
        starts = []
        for p in new.tolist():  # one place in an unchanged report holds all of the passage's windows
            places = np.arange(found.bounds[p], found.bounds[p + 1])
            places = places[~is_changed[found.report[places]]]
            if len(places):
                j = int(places[0])
                r = int(found.report[j])
                starts.append(np.arange(int(last.at[j]), int(last.to[j]) - width + 1, dtype=np.int64) + int(offsets[r]))
        if starts:  # the closure of them all at once is the closure grown from each in turn: hashed and looked up once
            closure.grow(passages.window_hashes(ids, width, np.concatenate(starts)).tolist())
        windows = closure.windows()
        if not len(order):  # the last build had no passages: none to hit
            return np.flatnonzero(hit), windows
        report = np.searchsorted(offsets, windows, side="right") - 1
        looked, report = windows[~is_changed[report]], report[~is_changed[report]]
        local = looked - offsets[report]
        j = np.searchsorted(keys, (report.astype(np.int64) << 32) | local, side="right") - 1
        inside = (j >= 0)
        place = order[np.maximum(j, 0)]
        inside &= (found.report[place] == report) & (local + width <= last.to[place])
        new = arrays.distinct(passage_of[place[inside]])
        new = new[~hit[new]]
        if not len(new):
            return np.flatnonzero(hit), windows


def _merged(last: State, hit: np.ndarray, made: Found, made_at: np.ndarray,
            made_to: np.ndarray) -> tuple[Found, np.ndarray, np.ndarray]:
    """The last build's passages but those ``hit``, and those ``made``, in the order ``find`` gives (most
    widely held first, then by text); with each place's compared start and stop in its report."""
    old = last.found
    kept = np.ones(len(old), dtype=bool)
    kept[hit] = False
    kept = np.flatnonzero(kept)
    kept_keys = [old.keys[i] for i in kept.tolist()]
    fewer = -old.reports[kept].astype(np.int64)  # ascending, as the passages are ordered
    lo = np.searchsorted(fewer, -made.reports.astype(np.int64), "left")
    hi = np.searchsorted(fewer, -made.reports.astype(np.int64), "right")
    into = [bisect_left(kept_keys, key, a, b) for key, a, b in zip(made.keys, lo.tolist(), hi.tolist())]
    slots = np.concatenate([2 * np.arange(len(kept)) + 1, 2 * np.array(into, dtype=np.int64)])
    order = np.argsort(slots, kind="stable")
    held = len(old.report)
    first = np.concatenate([old.bounds[kept], held + made.bounds[:-1]])[order]
    sizes = np.concatenate([np.diff(old.bounds)[kept], np.diff(made.bounds)])[order]
    take = arrays.ranges(first, sizes)
    keys = kept_keys + made.keys
    columns = [np.concatenate([a, b])[take] for a, b in ((old.report, made.report), (old.start, made.start),
                                                         (old.end, made.end), (last.at, made_at), (last.to, made_to))]
    found = Found(keys=[keys[i] for i in order.tolist()],
                  reports=np.concatenate([old.reports[kept], made.reports])[order].astype(np.int32),
                  bounds=arrays.bounds(sizes), report=columns[0].astype(np.int32), start=columns[1].astype(np.int32),
                  end=columns[2].astype(np.int32))
    return found, columns[3].astype(np.int64), columns[4].astype(np.int64)
