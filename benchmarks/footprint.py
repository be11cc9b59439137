"""How much memory a command's processes hold together, sampled while it runs (Linux ``/proc``).

A build forks: its workers and the search index's process share the pages they inherited, so each one's
resident set counts those again, and the largest of them is not what the machine needs. The sum of
every process's *proportional* set (PSS: each shared page divided among the processes that share it) is.
Both are reported: the largest resident set (``ru_maxrss``) and the peak of the summed PSS.
"""

from __future__ import annotations

import os
import resource
import subprocess
import threading
import time
from pathlib import Path

INTERVAL = 0.2  # seconds between samples: a peak shorter than this may be missed


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            found += [int(p) for p in Path(f"/proc/{pid}/task/{task}/children").read_text().split()]
    except OSError:
        pass
    return found


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def tree_pss_gb(root: int) -> float:
    """The summed PSS of ``root`` and every process under it, in GB."""
    todo, total = [root], 0
    while todo:
        pid = todo.pop()
        total += _pss_kb(pid)
        todo += _children(pid)
    return total / 1024 ** 2


def run(args: list[str], cwd: Path, env: dict) -> tuple[subprocess.CompletedProcess, float, float, float]:
    """Run ``args``; its result, seconds, largest resident set (GB, of it or any descendant) and peak summed PSS
    (GB; NaN where ``/proc`` has no ``smaps_rollup``)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    process = subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0.0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(INTERVAL):
            peak[0] = max(peak[0], tree_pss_gb(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    done.set()
    sampler.join()
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    largest = (after if after > before else float("nan")) / 1024 ** 2
    pss = peak[0] if Path(f"/proc/{os.getpid()}/smaps_rollup").exists() else float("nan")
    return subprocess.CompletedProcess(args, process.returncode, out, err), elapsed, largest, pss


def measured(args: list[str], cwd: Path, env: dict, accepted: tuple[int, ...] = (0,)) -> tuple[float, float, float]:
    """``run``'s seconds, largest resident set and peak summed PSS; a run that exits otherwise than ``accepted``
    stops the benchmark with the end of what it said."""
    result, elapsed, largest, pss = run(args, cwd, env)
    if result.returncode not in accepted:
        raise SystemExit(result.stderr[-3000:])
    return elapsed, largest, pss
