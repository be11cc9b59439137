"""Benchmark (issue 16): a cold build, a warm rebuild, a rebuild after one change, peak memory, `check`.

    python benchmarks/bench_rebuild.py --counts 1000 10000

For each size, on a generated archive, each step a separate `mkdocs build` process, as CI and a
contributor run it:

* cold: no cache (``.cache/archive`` deleted), every report converted;
* warm: nothing changed since, every report and page read from the cache;
* one changed: one report gains a sentence in the middle of its text (checked on its page), then the build again;
* peak memory: the largest resident set of the build process or any of its workers (``ru_maxrss``), and the
  peak of all of them together, shared pages counted once (``footprint``: summed PSS); the latter also for the
  warm build and the one after a change, whose workers are forked beside the build;
* check: ``python -m converter check`` of one new report against the archive;
* serve: ``mkdocs serve`` started on the archive (its first build is cold for its pages: a preview's pages differ
  from a built site's), then one report changed, twice: the seconds MkDocs reports for each rebuild.

Targets (issue 16): cold build of 10,000 reports under 2 minutes on 2 cores; the rebuild after one
change under 10 % of the cold build; peak memory under 2 GB at 10,000 reports; ``check`` under 2 s.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import footprint  # noqa: E402
from corpus import cached, change_text, counts_arguments, shown, site_project  # noqa: E402

# The project's own cache, beside its mkdocs.yml, whatever this shell says.
ENV = {**{k: v for k, v in os.environ.items() if k != "ARCHIVE_CACHE"}, "NO_MKDOCS_2_WARNING": "1"}


ADDED = "本年度另有一项工作需要说明。"  # the sentence the one changed report gains


def timed(args: list[str], cwd: Path) -> tuple[float, float, float]:
    """Seconds, the peak resident set (GB) of the largest process among this run's, and the peak of all its
    processes' summed proportional sets (GB: what the machine needs, shared pages counted once)."""
    return footprint.measured(args, cwd, ENV, accepted=(0, 1))  # check exits 1 when it has findings


def serve_rebuilds(project: Path, changed: Path, times: int = 2) -> list[float]:
    """Start ``mkdocs serve`` on ``project``; after its first build, add a sentence to ``changed`` ``times`` times,
    each after the last rebuild: the seconds MkDocs reports for each rebuild."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = project / "serve.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
                                cwd=project, stdout=subprocess.DEVNULL, stderr=out, env=ENV)
    built = re.compile(r"Documentation built in ([\d.]+) seconds")
    try:
        deadline = time.time() + 3600
        for n in range(times + 1):
            # Changed only once serve watches (after its first build) and has taken its last look at the file.
            while len(built.findall(text := log.read_text(encoding="utf-8"))) <= n or "Serving on" not in text:
                if proc.poll() is not None or time.time() > deadline:
                    raise SystemExit(f"mkdocs serve stopped, or did not rebuild within the hour: {log}")
                time.sleep(0.2)
            time.sleep(2)
            if n < times:
                change_text(changed, f"预览时另有第{n + 1}项工作需要说明。")
        return [float(x) for x in built.findall(log.read_text(encoding="utf-8"))[1:]]
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def main() -> None:
    args = counts_arguments(__doc__)
    build = [sys.executable, "-m", "mkdocs", "build", "--quiet"]
    for count in args.counts:
        project = site_project(Path(args.work) / f"rebuild-{count}", cached(Path(args.work), count))
        cold, peak, pss = timed(build, project)
        warm, _, warm_pss = timed(build, project)
        changed = sorted((project / "seeds").glob("*.txt"))[count // 2]
        change_text(changed, ADDED)
        one, _, one_pss = timed(build, project)
        if not shown(project / "site", ADDED):
            raise SystemExit(f"the sentence added to {changed.name} is not on its page: no text changed")
        newcomer = Path(args.work) / "newcomer.txt"
        shutil.copy(ROOT / "seeds" / "002_c10955fb4422cdc5.txt", newcomer)
        check, *_ = timed([sys.executable, "-m", "converter", "check", str(newcomer), "--archive", "seeds"], project)
        served = serve_rebuilds(project, sorted((project / "seeds").glob("*.txt"))[count // 3])
        print(f"{count:>6} reports: cold build {cold:.1f} s (largest process {peak:.2f} GB, all processes together "
              f"{pss:.2f} GB); warm {warm:.1f} s ({warm / cold:.0%}, {warm_pss:.2f} GB); "
              f"one report changed {one:.1f} s ({one / cold:.0%}, {one_pss:.2f} GB); check {check:.1f} s; "
              f"serve, one report changed: " + ", ".join(f"{s:.1f} s ({s / cold:.0%})" for s in served), flush=True)


if __name__ == "__main__":
    main()
