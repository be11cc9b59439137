"""Work over many items on every core, in forked processes that already hold what the work reads.

``fork_map`` is for work that reads large shared state (every report, the
nav, the theme): forked workers inherit it instead of receiving it pickled,
and the work may be any callable, a closure included. Only the results travel
back. Where ``fork`` is not available (not Linux or macOS), or the work is
small, it runs in this process, with the same results in the same order.
"""

from __future__ import annotations

import gc
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
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


def fork_map(work: Callable[[T], R], items: Sequence[T], jobs: int) -> list[R]:
    """``[work(item) for item in items]`` on ``jobs`` forked processes; ``work`` should return, not raise,
    a fault of one item (an exception ends the whole map, as it would here)."""
    global _work
    if jobs <= 1 or len(items) < MIN_PARALLEL or "fork" not in multiprocessing.get_all_start_methods():
        return [work(item) for item in items]
    _work = (work, items)
    gc.freeze()  # the workers' collector then leaves the inherited objects' pages unwritten, so they stay shared
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            return [result for part in pool.map(_run, spans(len(items), jobs * 4)) for result in part]
    finally:
        _work = None
        gc.unfreeze()
