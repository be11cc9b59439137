"""LEB128 varints, the search index's way of writing numbers (``search.js`` reads them back).

A number takes 7 bits a byte, the high bit saying another byte follows; small numbers (the gaps
between sorted report ids or offsets, counts) take one byte. ``varint_array`` encodes a whole
numpy array at once, in batches, for the index's tens of millions of numbers. ``read_varints`` and
``np_varints`` read them back, for an update of the index (``search_update``); the tests keep a decoder
of their own, as search.js does, so that a fault shared by writing and reading here cannot pass them.
"""

from __future__ import annotations

from typing import Iterable

import numpy as np

BATCH = 1 << 20  # numbers encoded at once


def varints(values: Iterable[int]) -> bytes:
    """A few numbers (a bucket's counts and lengths), one at a time."""
    out = bytearray()
    for v in values:
        while v >= 0x80:
            out.append((v & 0x7F) | 0x80)
            v >>= 7
        out.append(v)
    return bytes(out)


def gaps(values: np.ndarray, group_starts: np.ndarray) -> np.ndarray:
    """Each value minus the one before it, restarting at each group (a group's first value stays)."""
    out = values.copy()
    out[1:] -= values[:-1]
    out[group_starts] = values[group_starts]
    return out


def varint_array(values: np.ndarray, group_starts: np.ndarray) -> tuple[bytes, np.ndarray]:
    """LEB128 varints of non-negative ``values``; also the byte offset where each group starts (``group_starts``:
    indices into ``values``, ascending).

    Encoded ``BATCH`` values at a time: the encoding needs some 40 bytes of temporaries a value,
    and a level of the index has tens of millions of them.
    """
    pieces: list[bytes] = []
    at: list[np.ndarray] = []
    done = 0
    for lo in range(0, len(values), BATCH):
        hi = min(lo + BATCH, len(values))
        data, starts = _varints(values[lo:hi])
        groups = group_starts[np.searchsorted(group_starts, lo):np.searchsorted(group_starts, hi)]
        at.append(starts[groups - lo] + done)
        pieces.append(data)
        done += len(data)
    offsets = np.concatenate(at) if at else np.zeros(0, dtype=np.int64)
    if len(offsets) != len(group_starts):
        raise ValueError("group_starts must be ascending indices into values")
    return b"".join(pieces), offsets


def _varints(values: np.ndarray) -> tuple[bytes, np.ndarray]:
    """LEB128 varints of non-negative ``values``, and the byte offset where each begins."""
    values = values.astype(np.uint64)
    length = np.ones(len(values), dtype=np.int8)
    top = int(values.max()) if len(values) else 0
    for k in range(1, 10):
        if top < 1 << (7 * k):  # no value needs another byte (gaps and counts are mostly small)
            break
        length += values >= np.uint64(1 << (7 * k))
    ends = np.cumsum(length, dtype=np.int64)
    starts = ends - length
    out = np.zeros(int(ends[-1]) if len(ends) else 0, dtype=np.uint8)
    for k in range(int(length.max()) if len(length) else 0):
        has = length > k
        byte = (values[has] >> np.uint64(7 * k)) & np.uint64(0x7F)
        more = (length[has] > k + 1).astype(np.uint64) << np.uint64(7)
        out[starts[has] + k] = (byte | more).astype(np.uint8)
    return out.tobytes(), starts


def read_varints(data: bytes, i: int, count: int) -> tuple[list[int], int]:
    """``count`` varints read from ``data`` at ``i``, one at a time; and where they end."""
    out = []
    for _ in range(count):
        value = shift = 0
        while True:
            byte = data[i]
            i += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                break
        out.append(value)
    return out, i


def np_varints(data: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """LEB128 varints filling ``data`` (bytes as uint8), decoded at once: their values and where each starts."""
    ends = np.flatnonzero(data < 0x80)
    starts = np.concatenate((np.zeros(1, dtype=np.int64), ends[:-1] + 1))
    shift = (np.arange(len(data)) - np.repeat(starts, ends - starts + 1)) * 7
    values = np.add.reduceat((data & 0x7F).astype(np.int64) << shift, starts) if len(data) else starts
    return values, starts
