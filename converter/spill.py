"""Bytes set aside on disk while a large output is assembled, and read back by their place when their turn comes.

Two stages make more than a process should hold at once: the search index makes its postings level by
level but writes them bucket by bucket (0.4 GB in between at 10,000 reports, as a quarter of a million
``bytes`` objects), and the site's report pages are made long before MkDocs writes them (0.7 GB of HTML).
A ``Spill`` keeps them in files instead (the operating system's page cache holds what fits) and the
process only their places.

Each process appends to a file of its own in the spill's folder, so forked workers write side by side,
never into one file; a piece is read back by its place (folder, file, offset, length) with ``os.pread``
on a descriptor opened once: a file per piece cost a file creation and an ``open`` per read, a second
per 1,000 report pages on this disk.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from typing import Iterator, NamedTuple


class Place(NamedTuple):
    """Where a piece lies: the spill's folder, the file in it, and the piece's offset and length in bytes."""

    folder: str
    file: str
    offset: int
    length: int


_open: dict[str, "Spill"] = {}  # by folder: a place unpickled in another process finds this process's spill


class Spill:
    """Bytes in files of ``folder``: ``put`` appends a piece and gives its place, ``get`` reads it back.

    ``close()`` closes this process's descriptors; whoever made the folder deletes it (``discard()``).
    """

    def __init__(self, folder: str | os.PathLike) -> None:
        self.folder = str(folder)
        self._writer: tuple[int, int, str] | None = None  # this process's file: pid, descriptor, name
        self._size = 0
        self._readers: dict[str, int] = {}
        _open[self.folder] = self

    @classmethod
    def fresh(cls, parent: str | os.PathLike | None = None, prefix: str = "archive-spill-") -> "Spill":
        """A spill in a new folder (in ``parent``, else the system's temporary folder); ``discard()`` deletes it."""
        return cls(tempfile.mkdtemp(prefix=prefix, dir=parent))

    @staticmethod
    def of(folder: str) -> "Spill":
        return _open.get(folder) or Spill(folder)

    def put(self, data: bytes) -> Place:
        pid = os.getpid()
        if self._writer is None or self._writer[0] != pid:  # first piece here, or a worker forked since
            name = f"{pid}.bin"
            fd = os.open(os.path.join(self.folder, name), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            self._writer, self._size = (pid, fd, name), os.fstat(fd).st_size
        _, fd, name = self._writer
        rest = memoryview(data)
        while rest:  # written through at once: the process that reads it may be another one
            rest = rest[os.write(fd, rest):]
        at, self._size = self._size, self._size + len(data)
        return Place(self.folder, name, at, len(data))

    def get(self, place: Place) -> bytes:
        fd = self._readers.get(place.file)
        if fd is None:
            fd = self._readers[place.file] = os.open(os.path.join(self.folder, place.file), os.O_RDONLY)
        return os.pread(fd, place.length, place.offset)

    def close(self) -> None:
        """Closes this process's descriptors (the files stay, for whoever deletes the folder)."""
        if self._writer is not None and self._writer[0] == os.getpid():
            os.close(self._writer[1])
        self._writer = None
        for fd in self._readers.values():
            os.close(fd)
        self._readers = {}
        _open.pop(self.folder, None)

    def discard(self) -> None:
        """Closes the spill and deletes its folder, with every piece in it."""
        self.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def get(place: Place) -> bytes:
    """The piece at ``place``, read through the spill of its folder in this process."""
    return Spill.of(place.folder).get(place)


@contextmanager
def temporary() -> Iterator[Spill]:
    """A spill in a temporary folder, deleted with everything in it when the block ends."""
    spill = Spill.fresh()
    try:
        yield spill
    finally:
        spill.discard()
