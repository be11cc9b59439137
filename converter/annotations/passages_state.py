"""What a build keeps of the shared passages it found, for the next build to work them out again where reports
changed (``passages_update``): the passages, and every window's hash in an index on disk (``Base``)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .. import arrays
from . import passages
from .compared import Solid
from .passages import Found


def text_digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


@dataclass
class Piece:
    """One report's compared form: its ids, and its runs kept whole (``Solid``), where each begins in the form
    and in the report's text."""

    ids: np.ndarray
    run_at: np.ndarray
    run_origin: np.ndarray


@dataclass
class Base:
    """What a whole build wrote of every report: the compared forms one after another (``<name>.ids``), every
    window's hash, sorted (``<name>.hash``), and beside each where its window begins (``<name>.at``)."""

    name: str
    windows: int
    ids_type: str
    at_type: str
    offsets: np.ndarray     # each report's compared form: ``offsets[r]:offsets[r + 1]`` of the ids
    run_at: np.ndarray
    run_origin: np.ndarray
    digests: list[bytes]

    def files(self, folder: Path) -> dict[str, Path]:
        return {part: folder / f"{self.name}.{part}" for part in ("ids", "hash", "at")}

    def piece(self, ids: np.ndarray, r: int) -> Piece:
        return piece_of(ids, self.offsets, self.run_at, self.run_origin, r)


def piece_of(ids: np.ndarray, offsets: np.ndarray, run_at: np.ndarray, run_origin: np.ndarray, r: int) -> Piece:
    """Report ``r``'s compared form, cut out of forms one after another (``offsets``), with its runs."""
    lo, hi = int(offsets[r]), int(offsets[r + 1])
    a, b = np.searchsorted(run_at, [lo, hi])
    return Piece(np.asarray(ids[lo:hi]), run_at[a:b] - lo, run_origin[a:b])


@dataclass
class State:
    """The last build's passages, and what working them out again needs."""

    min_chars: int
    base: Base
    alphabet: np.ndarray
    digests: list[bytes]
    overrides: dict[int, Piece]  # reports whose text is not the base's
    found: Found
    at: np.ndarray               # each place's compared start and stop, in its own report's form
    to: np.ndarray
    lengths: np.ndarray          # each report's compared length
    covered: np.ndarray          # each report's compared characters in a passage
    place_order: np.ndarray = field(repr=False)  # the places ordered by report, then start

    def shares(self) -> list[float]:
        return passages.shares(self.covered, self.lengths)


def digests_name(digests: list[bytes]) -> str:
    return hashlib.blake2b(b"".join(digests), digest_size=12).hexdigest()


def state_of(min_chars, base, alphabet, digests, overrides, found, at, to, lengths, covered) -> State:
    """The state of ``found``; ``at``/``to``: each place's compared start and stop in its own report's form."""
    order = arrays.lexsort((at, found.report))
    return State(min_chars, base, alphabet, digests, overrides, found, at.astype(np.int32), to.astype(np.int32),
                 np.asarray(lengths, dtype=np.int64), covered, order)


def open_base(folder: Path, base: Base) -> dict[str, np.ndarray] | None:
    """The base's files, memory-mapped; ``None`` when one is missing or not as long as the state says."""
    files = base.files(folder)
    sizes = {"ids": (int(base.offsets[-1]), base.ids_type), "hash": (base.windows, "<u8"),
             "at": (base.windows, base.at_type)}
    opened = {}
    for part, path in files.items():
        count, kind = sizes[part]
        try:
            if path.stat().st_size != count * np.dtype(kind).itemsize:
                return None
        except OSError:
            return None
        opened[part] = np.memmap(path, dtype=kind, mode="r", shape=(count,)) if count else np.zeros(0, kind)
    return opened


def spliced(base: Base, base_ids: np.ndarray, overrides: dict[int, Piece],
             alphabet: np.ndarray) -> tuple[np.ndarray, np.ndarray, Solid]:
    """Every report's compared form now, one after another: the base's, but where a report was overridden."""
    ids, run_at, run_origin = [], [], []
    sizes = np.diff(base.offsets)
    for r, piece in overrides.items():
        sizes[r] = len(piece.ids)
    offsets = arrays.bounds(sizes)
    start = 0
    for r in list(overrides) + [len(sizes)]:
        if r > start:  # the base's reports start..r, shifted to where they stand now
            lo, hi = int(base.offsets[start]), int(base.offsets[r])
            ids.append(np.asarray(base_ids[lo:hi]))
            a, b = np.searchsorted(base.run_at, [lo, hi])
            run_at.append(base.run_at[a:b].astype(np.int64) + (int(offsets[start]) - lo))
            run_origin.append(base.run_origin[a:b].astype(np.int64))
        if r < len(sizes):
            piece = overrides[r]
            ids.append(piece.ids)
            run_at.append(piece.run_at.astype(np.int64) + int(offsets[r]))
            run_origin.append(piece.run_origin.astype(np.int64))
            start = r + 1
    joined = np.concatenate(ids) if ids else np.zeros(0, np.uint16)
    return joined, offsets, Solid(alphabet, np.concatenate(run_at) if run_at else np.zeros(0, np.int64),
                                  np.concatenate(run_origin) if run_origin else np.zeros(0, np.int64))
