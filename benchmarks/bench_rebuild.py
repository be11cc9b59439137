"""Benchmark (issue 16): a cold build, a warm rebuild, a rebuild after one change, peak memory, `check`.

    python benchmarks/bench_rebuild.py --counts 1000 10000

For each size, on a generated archive, each step a separate `mkdocs build` process, as CI and a
contributor run it:

* cold: no cache (``.cache/archive`` deleted), every report converted;
* warm: nothing changed since, every report and page read from the cache;
* one changed: one report gains a sentence, then the build again;
* peak memory: the largest resident set of the build process or any of its workers (``ru_maxrss``), and the
  peak of all of them together, shared pages counted once (``footprint``: summed PSS);
* check: ``python -m converter check`` of one new report against the archive.

Targets (issue 16): cold build of 10,000 reports under 2 minutes on 2 cores; the rebuild after one
change under 10 % of the cold build; peak memory under 2 GB at 10,000 reports; ``check`` under 2 s.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import footprint  # noqa: E402
from corpus import cached, counts_arguments, site_project  # noqa: E402

# The project's own cache, beside its mkdocs.yml, whatever this shell says.
ENV = {**{k: v for k, v in os.environ.items() if k != "ARCHIVE_CACHE"}, "NO_MKDOCS_2_WARNING": "1"}


def timed(args: list[str], cwd: Path) -> tuple[float, float, float]:
    """Seconds, the peak resident set (GB) of the largest process among this run's, and the peak of all its
    processes' summed proportional sets (GB: what the machine needs, shared pages counted once)."""
    return footprint.measured(args, cwd, ENV, accepted=(0, 1))  # check exits 1 when it has findings


def main() -> None:
    args = counts_arguments(__doc__)
    build = [sys.executable, "-m", "mkdocs", "build", "--quiet"]
    for count in args.counts:
        project = site_project(Path(args.work) / f"rebuild-{count}", cached(Path(args.work), count))
        cold, peak, pss = timed(build, project)
        warm, *_ = timed(build, project)
        changed = sorted((project / "seeds").glob("*.txt"))[count // 2]
        changed.write_bytes(changed.read_bytes() + "本年度另有一项工作需要说明。\n".encode())
        one, *_ = timed(build, project)
        newcomer = Path(args.work) / "newcomer.txt"
        shutil.copy(ROOT / "seeds" / "002_c10955fb4422cdc5.txt", newcomer)
        check, *_ = timed([sys.executable, "-m", "converter", "check", str(newcomer), "--archive", "seeds"], project)
        print(f"{count:>6} reports: cold build {cold:.1f} s (largest process {peak:.2f} GB, all processes together "
              f"{pss:.2f} GB); warm {warm:.1f} s "
              f"({warm / cold:.0%}); one report changed {one:.1f} s ({one / cold:.0%}); check {check:.1f} s")


if __name__ == "__main__":
    main()
