"""Work over many items on every core, in forked processes that already hold what the work reads.

``fork_map`` is for work that reads large shared state (every report, the
nav, the theme): forked workers inherit it instead of receiving it pickled,
and the work may be any callable, a closure included. Only the results travel
back. Where ``fork`` is not available (not Linux or macOS), or the work is
small, it runs in this process, with the same results in the same order.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import multiprocessing
import os
import pickle
import subprocess
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Callable, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_PARALLEL = 64  # fewer items than this are not worth starting workers for

_work: tuple[Callable, Sequence] | None = None  # what the forked workers read: set just before they start


def _run(span: tuple[int, int]) -> list:
    work, items = _work
    return [work(items[i]) for i in range(*span)]


def spans(count: int, pieces: int) -> list[tuple[int, int]]:
    """``range(count)`` cut into ``pieces`` runs of nearly equal length, in order."""
    pieces = max(1, min(pieces, count))
    edges = [count * k // pieces for k in range(pieces + 1)]
    return [(a, b) for a, b in zip(edges, edges[1:]) if b > a]


def release_freed_memory() -> bool:
    """Give the heap's free pages back to the system (glibc's ``malloc_trim``); whether it could.

    Arrays of a few megabytes that numpy frees between the search index's levels stay in the heap between
    small objects that live on, and count against the process until trimmed: 0.3 GB at 10,000 reports.
    Elsewhere than glibc this does nothing.
    """
    global _trim
    if _trim is None:
        name = ctypes.util.find_library("c")
        try:
            _trim = getattr(ctypes.CDLL(name), "malloc_trim", False) if name else False
        except OSError:
            _trim = False
    if not _trim:
        return False
    _trim(0)
    return True


_trim = None  # glibc's malloc_trim, once looked up; False where there is none


# A process this large starts no long work in a fork beside itself. A fork shares the parent's pages until either
# writes to one, and Python writes to every object it reads (its reference count): a fork that reads the reports
# holds its own copy of their pages. Beside a 10,000-report rebuild the search index's update in a fork took the
# processes together from 1.83 to 2.15 GB (the build's process held 0.75 GB when it forked, 1.5 GB later), and
# making the cross-report pages in another from there to 2.57 GB; beside a 1,000-report one (0.2 GB) they cost a
# few MB and save the second a fresh interpreter spends importing the converter and reading what it is given.
FORK_BESIDE_MAX = 512 << 20


def resident_bytes() -> int | None:
    """This process's resident memory now (Linux's ``/proc/self/statm``); None where it cannot be read."""
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        return None


def forking_is_cheap() -> bool:
    """Whether work that reads much of this process (the reports, the search documents) may run in a fork beside
    it: where processes fork, and while this one holds less than ``FORK_BESIDE_MAX``."""
    size = resident_bytes()
    return can_fork() and size is not None and size < FORK_BESIDE_MAX


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def fork_map(work: Callable[[T], R], items: Sequence[T], jobs: int, minimum: int = MIN_PARALLEL) -> list[R]:
    """``[work(item) for item in items]`` on ``jobs`` forked processes (when there are ``minimum`` items or
    more); ``work`` should return, not raise, a fault of one item (an exception ends the whole map, as it
    would here)."""
    global _work
    if jobs <= 1 or len(items) < max(minimum, 2) or not can_fork():
        return [work(item) for item in items]
    _work = (work, items)
    owner = gc.get_freeze_count() == 0  # a caller that froze the heap itself unfreezes it
    gc.freeze()  # the workers' collector then leaves the inherited objects' pages unwritten, so they stay shared
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            return [result for part in pool.map(_run, spans(len(items), jobs * 4)) for result in part]
    finally:
        _work = None
        if owner:
            gc.unfreeze()


def _send_result(sender, work: Callable, args: tuple) -> None:
    # Every inherited object out of the collector's reach: a collection here would write into each one's header,
    # and so take a private copy of nearly every page of the parent's heap (0.45 GB at 10,000 reports).
    gc.freeze()
    try:
        sender.send((True, work(*args)))
    except BaseException as exc:  # noqa: BLE001 - every fault goes back to the parent, which raises it
        sender.send((False, f"{type(exc).__name__}: {exc}"))
    finally:
        sender.close()


class Background:
    """``work(*args)`` running in another process while this one goes on; ``result()`` waits for its value.

    The process is forked, so it inherits what ``work`` reads; or, with ``fresh``, a new interpreter
    (``_Fresh``) given ``work`` (a module's function) and ``args`` pickled. A forked process holds on to every
    page it inherited, and takes a private copy of each one this process writes to meanwhile: for long work
    beside a large and busy parent (the search index: over a minute, its parent at 2.5 GB and rewriting its
    heap) a fresh process holds only what it is given. Without ``fork`` (or with ``enabled`` false) the work
    simply runs when its result is asked for. A fault in the work is raised again here, by ``result()``, as a
    RuntimeError naming the original exception.
    """

    def __init__(self, work: Callable[..., R], enabled: bool = True, *, args: tuple = (), fresh: bool = False) -> None:
        self.work, self.args = work, args
        self.process = self.fresh = None
        if enabled and fresh:
            self.fresh = _Fresh(work, args)
            self.args = ()  # pickled now: this process need not hold them (the search documents: 0.2 GB)
        elif enabled and can_fork():
            context = multiprocessing.get_context("fork")
            self.receiver, sender = context.Pipe(duplex=False)
            self.process = context.Process(target=_send_result, args=(sender, work, args), daemon=True)
            self.process.start()
            sender.close()

    @property
    def elsewhere(self) -> bool:
        """Whether the work is done in another process (not here, when its result is asked for)."""
        return self.fresh is not None or self.process is not None

    def result(self) -> R:
        if self.fresh is not None:
            ok, value = self.fresh.result()
        elif self.process is None:
            return self.work(*self.args)
        else:
            try:
                ok, value = self.receiver.recv()
            except EOFError:
                ok, value = False, f"the worker ended without a result (exit code {self.process.exitcode})"
            finally:
                self.receiver.close()
                self.process.join()
        if not ok:
            raise RuntimeError(f"background work failed: {value}")
        return value

    def cancel(self) -> None:
        """Stop the work: its result is not wanted."""
        if self.fresh is not None:
            self.fresh.cancel()
            self.fresh = None
        if self.process is not None:
            self.process.terminate()
            self.process.join()
            self.receiver.close()
            self.process = None


class _Fresh:
    """``work(*args)`` in a new interpreter (``python -m converter.workers FILE``), given them pickled in a file
    and answering on its standard output. Not multiprocessing's ``spawn``: that imports this program's main
    module again in the child, which a script without a ``__main__`` guard cannot survive."""

    def __init__(self, work: Callable, args: tuple) -> None:
        fd, self.file = tempfile.mkstemp(prefix="archive-work-", suffix=".pickle")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump((work, args), handle, protocol=pickle.HIGHEST_PROTOCOL)
        package_root = str(Path(__file__).resolve().parent.parent)  # the child imports this very converter
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")]))}
        self.process = subprocess.Popen([sys.executable, "-m", "converter.workers", self.file], env=env,
                                        stdout=subprocess.PIPE)

    def result(self) -> tuple[bool, object]:
        out, _ = self.process.communicate()
        try:
            return pickle.loads(out)
        except Exception:  # noqa: BLE001 - whatever it printed, it did not finish
            return False, f"the worker ended without a result (exit code {self.process.returncode})"
        finally:
            self._remove()

    def cancel(self) -> None:
        self.process.kill()
        self.process.communicate()
        self._remove()

    def _remove(self) -> None:
        try:
            os.unlink(self.file)
        except OSError:
            pass


def _fresh_main(file: str) -> None:
    """The new interpreter's side of ``_Fresh``: the answer, pickled, is all it writes to its standard output."""
    out = sys.stdout.buffer
    sys.stdout = sys.stderr  # anything the work prints goes to the build's log, not into the answer
    try:
        with open(file, "rb") as handle:
            work, args = pickle.load(handle)
        answer = (True, work(*args))
    except BaseException as exc:  # noqa: BLE001 - every fault goes back to the parent, which raises it
        answer = (False, f"{type(exc).__name__}: {exc}")
    out.write(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))
    out.flush()


if __name__ == "__main__":
    _fresh_main(sys.argv[1])
