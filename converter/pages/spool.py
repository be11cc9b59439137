"""Report pages' HTML set aside on disk while the site is built, so that no process holds every page at once.

At 10,000 reports the pages' HTML is 0.7 GB in memory. Each process that makes pages appends them to
a file of its own in the spool's folder (forked workers write side by side, never into one file), and a
page is read back by its place (file, offset, length) with ``os.pread`` on a descriptor opened once:
a file per page cost a file creation and an ``open`` per read, a second per 1,000 pages on this disk.
"""

from __future__ import annotations

import os

Place = tuple[str, str, int, int]  # the spool's folder, the file, the offset and the length in bytes

_open: dict[str, "Spool"] = {}  # by folder: a page unpickled in another process finds this process's spool


class Spool:
    """Pages' HTML in ``folder``: ``put`` appends one and gives its place, ``read`` reads it back."""

    def __init__(self, folder: str | os.PathLike) -> None:
        self.folder = str(folder)
        self._writer: tuple[int, int, str] | None = None  # this process's file: pid, descriptor, name
        self._size = 0
        self._readers: dict[str, int] = {}
        _open[self.folder] = self

    @staticmethod
    def of(folder: str) -> "Spool":
        return _open.get(folder) or Spool(folder)

    def put(self, html: str) -> Place:
        pid = os.getpid()
        if self._writer is None or self._writer[0] != pid:  # first page here, or a worker forked since
            name = f"{pid}.html"
            fd = os.open(os.path.join(self.folder, name), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            self._writer, self._size = (pid, fd, name), os.fstat(fd).st_size
        _, fd, name = self._writer
        encoded = html.encode("utf-8")
        data = memoryview(encoded)
        while data:  # written through at once: the process that asks for it may be another one
            data = data[os.write(fd, data):]
        at, self._size = self._size, self._size + len(encoded)
        return self.folder, name, at, len(encoded)

    def read(self, place: Place) -> str:
        _, name, at, length = place
        fd = self._readers.get(name)
        if fd is None:
            fd = self._readers[name] = os.open(os.path.join(self.folder, name), os.O_RDONLY)
        return os.pread(fd, length, at).decode("utf-8")

    def close(self) -> None:
        """Closes this process's descriptors (the files stay, for whoever deletes the folder)."""
        if self._writer is not None and self._writer[0] == os.getpid():
            os.close(self._writer[1])
        self._writer = None
        for fd in self._readers.values():
            os.close(fd)
        self._readers = {}
        _open.pop(self.folder, None)


def read(place: Place) -> str:
    """The HTML at ``place``, read through the spool of its folder in this process."""
    return Spool.of(place[0]).read(place)
