"""A persistent cache of converted reports on disk, so a build converts only what changed.

A converted report depends on three things only: the report's bytes (and the
path it was read from, which it records), its sidecar's bytes, and the
converter itself. The key is a SHA-256 over all three, with the converter
counted as ``converter_version()``: a digest of every file of the converter
package (code and reference data), the versions of the libraries that
conversion calls, and the Python version (pickles are not promised across
versions). Any change to any of them is a new key, so a stale entry can never
be served; it is simply never asked for again, and ``prune`` deletes it.

Entries live under ``<root>/<converter version>/<key[:2]>/<key>.pickle``, written
through a temporary file and renamed, so a reader never sees half an entry and
two builds can share a cache. The directory is outside the built site, ignored
by git and safe to delete at any time: a missing or unreadable entry is a miss.
``Store`` is that layout for any value; the site's page caches (the MkDocs
plugin's ``pagecache``) use it under ``<root>/site/``.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import shutil
import sys
import tempfile
import time
from contextlib import contextmanager
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import BinaryIO, Callable, TypeVar

import zstandard

from .model import Report
from .sidecar import sidecar_path

# The libraries whose results become part of a converted report.
CONVERTER_LIBRARIES = ("charset-normalizer", "jionlp", "pypinyin", "opencc", "numpy", "cn2an", "edlib",
                       "pyahocorasick", "pyyaml", "isal")
PACKAGE = Path(__file__).resolve().parent
ENV_VAR = "ARCHIVE_CACHE"  # where the cache lives, if not beside mkdocs.yml; "off" switches it off


def package_digest(package: Path, libraries: tuple[str, ...] = CONVERTER_LIBRARIES) -> str:
    """A digest of every file under ``package`` (names and bytes), ``libraries``' versions and Python's."""
    digest = hashlib.sha256(f"python {sys.version_info[:3]}\n".encode())
    for name in libraries:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{name} {version}\n".encode())
    for path in sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:20]


@lru_cache(maxsize=1)
def converter_version() -> str:
    """This converter's version for the cache: ``package_digest`` of its own package."""
    return package_digest(PACKAGE)


def bytes_or_none(path: Path) -> bytes | None:
    """A file's bytes, or None when it is not there."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


# A file whose modification and change times are this much older than the moment it is read cannot change again
# within the same times (they advance with a clock that ticks every few milliseconds at worst).
SETTLED_NS = 2_000_000_000
_digests: dict[str, tuple[tuple[int, ...], bytes]] = {}  # path → (its stat stamp, its bytes' SHA-256)
DIGESTS_KEPT = "digests.pickle"  # in the cache's root: a file's digest owes nothing to the converter's version


class _KeptDigests:
    """Where this process's digests are kept for the next (``keep_digests``), and what it asked for since."""

    def __init__(self) -> None:
        self.path: Path | None = None
        self.read: set[str] = set()  # the paths the kept file held
        self.asked: set[str] = set()
        self.added = False


_kept_digests = _KeptDigests()


def keep_digests(path: Path | None) -> None:
    """Take the digests earlier processes kept in ``path`` (each still checked against its file's stamp before it
    is believed), and keep this process's there (``save_digests``); None: keep none.

    A build in a new process would otherwise read and hash every report once more to find its key (0.7 s at
    10,000 reports, and most of ``check``'s time). A stamp holds the change time, which every write moves on
    and no process can set back, and a file is kept only once its times had settled when it was read: a
    digest kept is its file's for as long as the stamp is.
    """
    if path == _kept_digests.path:
        return
    _kept_digests.__init__()
    _kept_digests.path = path
    found = read_pickle(path) if path is not None else None
    if not isinstance(found, dict):
        return
    for key, entry in found.items():
        if isinstance(key, str) and isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[1], bytes) \
                and isinstance(entry[0], tuple) and all(isinstance(x, int) for x in entry[0]):
            _digests.setdefault(key, entry)
            _kept_digests.read.add(key)


def save_digests() -> None:
    """Keep the digests of the files this process asked for (only those: a report gone from the archive goes from
    the file), where ``keep_digests`` said, when they differ from what was read there."""
    kept = _kept_digests
    if kept.path is None or (not kept.added and kept.read <= kept.asked):
        return
    if write_pickle(kept.path, {key: _digests[key] for key in sorted(kept.asked) if key in _digests}):
        kept.read, kept.added = set(kept.asked), False


def file_digest(path: str | os.PathLike) -> bytes | None:
    """The SHA-256 of a file's bytes, or None when it is not there; read once per process while the file stays as
    it was read.

    A build needs each report's digest three times (its cache key, its fingerprint's key, the check that the
    original copied to the site is the one converted): reading and hashing every report each time took 2 s of a
    10,000-report build. The digest is taken again whenever the file's stamp (size, modification and change
    times, inode, device) differs from the one it was read with; the change time moves with every write, and no
    process can set it back. A file changed too lately to know whether its times would move again is read each
    time it is asked for, and so is any file the first time in a process.
    """
    key = os.path.abspath(path)  # as a build (absolute paths) and ``check`` (as given) both find it
    try:
        st = os.stat(key)
    except FileNotFoundError:
        return None
    _kept_digests.asked.add(key)
    stamp = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)
    found = _digests.get(key)
    if found is not None and found[0] == stamp:
        return found[1]
    data = bytes_or_none(Path(key))
    if data is None:
        return None
    digest = hashlib.sha256(data).digest()
    if len(data) == st.st_size and time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) > SETTLED_NS:
        _digests[key] = (stamp, digest)
        _kept_digests.added = True
    elif _digests.pop(key, None) is not None:
        _kept_digests.added = True  # what was kept for it is not its digest any more
    return digest


def report_key(path: str, name: str | None = None) -> str:
    """The key of ``path``'s conversion: its path, its bytes and its sidecar's bytes (or their absence).

    ``name``: what stands for the path in the key, when less of it matters (``fingerprints`` keeps the file name).
    """
    digest = hashlib.sha256(os.fsencode(path if name is None else name) + b"\0")
    for part in (file_digest(path), file_digest(sidecar_path(path))):
        digest.update(b"-" if part is None else b"+" + part)
    return digest.hexdigest()


def replace_file(target: Path, write: Callable[[BinaryIO], None]) -> bool:
    """``target`` written by ``write`` whole or not at all: into a temporary file beside it, then renamed, so that
    a reader never sees half of it. A cache that cannot be written is no reason to fail: nothing is written then.
    Whether it was written."""
    temporary = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            write(handle)
        os.replace(temporary, target)
        temporary = None
    except OSError:
        return False
    finally:
        if temporary is not None:
            try:
                os.unlink(temporary)
            except OSError:
                pass
    return True


# What reading a pickle that is missing, cut off, or written by other code can raise: each is a miss.
UNREADABLE = (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, IndexError, TypeError, ValueError)


@contextmanager
def collector_paused(keep: bool = False):
    """Python's cyclic collector off while many kept values are read back. Each unpickled value makes objects by
    the hundred, and every so many the collector walks all the objects made so far: reading 10,000 reports
    back took 3.6 s with it and 1.7 s without. What is read holds no cycles that need collecting meanwhile.

    With ``keep``, what was read is to live until the process is done with it (the reports and page heads of a
    build): every object is frozen when the pause ends (``gc.freeze``). Left young, the objects read would all be
    walked by the first collection after the pause and again by the next full one: 0.5 s and 0.6 s after 10,000
    reports were read. Frozen objects are still freed when nothing refers to them; the plugin thaws them when
    its build ends (``gc.unfreeze``)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if keep:
            gc.freeze()
        if enabled:
            gc.enable()


# Allocations between two young collections while a build runs (Python's default: 700).
BUILD_YOUNG_COLLECTION = 10_000


@contextmanager
def collector_for_builds():
    """Python's cyclic collector looks at young objects less often while a build runs.

    A build makes objects by the million and keeps most of them until it ends (reports, pages, MkDocs' files),
    with few cycles among them. At Python's default the collector ran some 420 times in a 1,000-report build
    where nothing had changed, three of them over the whole heap: 0.5 s of a 3.4 s build, and 0.9 s of a
    4.5 s rebuild under ``mkdocs serve``, whose heap is larger. Every 10,000 allocations instead, it took
    0.15–0.3 s in either; garbage cycles are still collected, only later. The thresholds are the caller's
    again afterwards.
    """
    earlier = gc.get_threshold()
    gc.set_threshold(max(earlier[0], BUILD_YOUNG_COLLECTION), *earlier[1:])
    try:
        yield
    finally:
        gc.set_threshold(*earlier)


def read_pickle(path: Path) -> object | None:
    """The value pickled in ``path``, or None when there is none to be read (``UNREADABLE``).

    The collector is paused meanwhile (``collector_paused``): one kept value here is large (the gazetteer's
    34,000 towns, the passages' state), and under ``mkdocs serve`` a collection while it is read walks the
    whole server's heap too: converting the one changed report in a serve rebuild at 1,000 reports took 0.9 s,
    most of it such collections while the gazetteer was read, and 0.2 s with the collector paused.
    """
    try:
        with open(path, "rb") as handle, collector_paused():
            return pickle.load(handle)
    except UNREADABLE:
        return None


def write_pickle(path: Path, value: object) -> bool:
    """``value`` pickled into ``path`` whole or not at all (``replace_file``); whether it was written."""
    return replace_file(path, lambda handle: pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL))


T = TypeVar("T")
_parsed_in: Path | None = None  # where ``kept_or_made`` keeps what it makes (``keep_parsed``)


def keep_parsed(folder: Path | None) -> None:
    """Keep what the converter parses from its reference data in ``folder`` (None: nowhere), for every later
    process to read rather than parse (``kept_or_made``).

    The converter's cache gives its version's folder, whose name is a digest of the converter's files (the
    reference data among them) and its libraries' versions: what is kept there is never what another release
    parsed. A build that converts one changed report read the gazetteer, parsed the registry and imported cn2an
    for it: 0.45 s of the 0.52 it took at 1,000 reports.
    """
    global _parsed_in
    _parsed_in = folder


def parsed_folder() -> Path | None:
    """``keep_parsed``'s folder (None: none was given)."""
    return _parsed_in


def parsed_path(name: str) -> Path | None:
    """Where the file ``name`` of ``keep_parsed``'s folder is, if a folder was given."""
    return _parsed_in / name if _parsed_in is not None else None


def kept_or_made(name: str, usable: Callable[[object], bool], make: Callable[[], T]) -> T:
    """What ``make()`` makes, read from the file ``name`` of ``keep_parsed``'s folder where it was kept there and
    is ``usable``; otherwise made and kept there (no folder: made, kept nowhere). A file not kept yet, cut off or
    of another shape is made again and kept anew."""
    path = parsed_path(name)
    if path is not None:
        found = read_pickle(path)
        if usable(found):
            return found  # type: ignore[return-value]
    made = make()
    if path is not None:
        write_pickle(path, made)
    return made


class Store:
    """Values pickled on disk by key, for one version: ``<root>/<version>/<key[:2]>/<key>.pickle``.

    Written through a temporary file and renamed, so a reader never sees half an
    entry; a missing, cut-off or foreign entry reads as a miss. A ``packed`` store
    packs each pickle with Zstandard (level 1: a page shrinks to a quarter, packed and unpacked three times as
    fast as by zlib's fastest level).
    Every key looked for is ``used``: what ``prune`` keeps unless told otherwise.
    """

    PACK_LEVEL = 1

    def __init__(self, root: str | os.PathLike, version: str, packed: bool = False) -> None:
        self.root = Path(root)
        self.version = version
        self.folder = self.root / self.version
        self.packed = packed
        self.used: set[str] = set()

    def _file(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.pickle"

    def load(self, key: str) -> object | None:
        self.used.add(key)
        try:
            with open(self._file(key), "rb") as handle:
                return pickle.loads(zstandard.decompress(handle.read())) if self.packed else pickle.load(handle)
        except (*UNREADABLE, zstandard.ZstdError):
            return None

    def put(self, key: str, value: object) -> bool:
        """Store ``value`` under ``key``; a cache that cannot be written is no reason to fail a build. Whether it
        was stored."""
        def write(handle: BinaryIO) -> None:
            if self.packed:
                handle.write(zstandard.compress(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), self.PACK_LEVEL))
            else:  # streamed: a whole search index need not be held twice
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)

        return replace_file(self._file(key), write)

    def prune(self, kept: set[str] | None = None, spared: frozenset[str] = frozenset()) -> int:
        """Delete every entry but ``kept`` (by default, those ``used``), and every other version's folder under
        the root but ``spared``; how many entries went."""
        kept = self.used if kept is None else kept
        gone = 0
        if self.root.is_dir():
            for other in self.root.iterdir():
                if other.is_dir() and other.name != self.version and other.name not in spared:
                    shutil.rmtree(other, ignore_errors=True)
        if self.folder.is_dir():
            for entry in self.folder.glob("*/*"):
                if entry.stem not in kept or entry.suffix != ".pickle":
                    entry.unlink(missing_ok=True)
                    gone += 1
        return gone


# The site's page caches live in this folder of the root, beside the converter's versions.
SITE_FOLDER = "site"


class ReportCache(Store):
    """Converted reports on disk, by ``report_key``, for one converter version."""

    def __init__(self, root: str | os.PathLike, version: str | None = None) -> None:
        super().__init__(root, version or converter_version())

    def get(self, key: str) -> Report | None:
        """The report stored under ``key`` (it carries the key: ``Report.key``), or None."""
        report = self.load(key)
        return report if isinstance(report, Report) and report.key == key else None

    def prune(self, kept: set[str], spared: frozenset[str] = frozenset({SITE_FOLDER})) -> int:
        """Delete every entry but ``kept`` and every other converter version's entries; how many went."""
        return super().prune(kept, spared)


def default_root(project: str | os.PathLike) -> Path | None:
    """The cache's folder for the project in ``project``: ``$ARCHIVE_CACHE``, else ``.cache/archive`` there.

    ``ARCHIVE_CACHE=off`` switches the cache off (None).
    """
    chosen = os.environ.get(ENV_VAR)
    if chosen == "off":
        return None
    return Path(chosen) if chosen else Path(project) / ".cache" / "archive"
