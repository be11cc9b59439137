"""Bytes set aside on disk while a large output is assembled, and read back when their turn comes.

The search index makes its postings level by level but writes them bucket by bucket, once it knows how
many buckets there are: in between, at 10,000 reports, 0.4 GB of postings and positions would wait in
memory as a quarter of a million ``bytes`` objects. A ``Spill`` keeps them in one temporary file instead
(the operating system's page cache holds what fits) and the process only their places in it.
"""

from __future__ import annotations

import mmap
import tempfile


class Spill:
    """An append-only temporary file: ``put`` gives a piece's place, ``get`` reads it back.

    Use it as a context manager, or ``close()`` it: the file is deleted then (or when the process ends).
    """

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(prefix="archive-spill-")
        self._size = 0
        self._map: mmap.mmap | None = None

    def put(self, data: bytes) -> tuple[int, int]:
        """Write ``data`` at the end; its (offset, length)."""
        if self._map is not None:
            raise ValueError("a spill is read once writing has ended")
        self._file.write(data)
        at = self._size
        self._size += len(data)
        return at, len(data)

    def get(self, place: tuple[int, int]) -> bytes:
        """The piece ``put`` stored at ``place``."""
        if self._map is None:
            self._file.flush()
            self._map = mmap.mmap(self._file.fileno(), 0, access=mmap.ACCESS_READ) if self._size else None
            if self._map is None:
                return b""
        at, length = place
        return self._map[at:at + length]

    def close(self) -> None:
        if self._map is not None:
            self._map.close()
            self._map = None
        self._file.close()

    def __enter__(self) -> "Spill":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
