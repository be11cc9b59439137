"""Benchmark: what the term and citation producers add to a whole `mkdocs build`.

    python benchmarks/bench_producers.py --counts 1000 10000 [--repeat 3]

Builds the same generated archive as it is and with both producers switched
off (they find nothing, so no marks, no term or document pages beyond the
empty indexes), alternately, ``--repeat`` times each, and reports the fastest
and the median build of each, the overhead, and the report pages' sizes. On
this 2-core machine one build varies by ±10 %, so a single pair of builds can
say anything from +5 % to +20 %; the fastest of several is the least disturbed.
The processor time of each build (user and system, the build's process and every
worker it forked) varies far less than its wall time, and is reported beside it.
Target (issue 14): at most 10 % more at 10,000 reports.
The generated reports are recombined real sentences, so they hold terms and
citations as densely as real ones do.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpus import cached, counts_arguments, site_project  # noqa: E402

SWITCHED_OFF = """
from converter.annotations import citations, terms
citations.annotate = lambda text: []
terms.matches = lambda text: []
"""
BUILD = "import sys; sys.argv = ['mkdocs', 'build', '--quiet']; from mkdocs.__main__ import cli; cli()"


def build(project: Path, producers: bool) -> dict:
    shutil.rmtree(project / "site", ignore_errors=True)
    code = BUILD if producers else SWITCHED_OFF + BUILD
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "ARCHIVE_CACHE": "off"})
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # forked workers are waited for, so they count here
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if result.returncode != 0:
        raise SystemExit(result.stderr[-3000:])
    sizes = sorted((p / "index.html").stat().st_size for p in (project / "site/reports").iterdir())
    site = project / "site"
    extra = sum(p.stat().st_size for folder in ("terms", "laws") for p in (site / folder).rglob("*") if p.is_file())
    return {"s": elapsed, "cpu": cpu, "median_kb": statistics.median(sizes) / 1024, "max_kb": sizes[-1] / 1024,
            "pages_mb": extra / 1e6, "terms_json_kb": (site / "data/terms.json").stat().st_size / 1024,
            "laws_json_kb": (site / "data/laws.json").stat().st_size / 1024}


def seconds(runs: list[dict], field: str = "s") -> str:
    return ", ".join(f"{r[field]:.0f}" for r in runs)


def main() -> None:
    args = counts_arguments(__doc__, repeat=3)
    for count in args.counts:
        project = site_project(Path(args.work) / f"producers-{count}", cached(Path(args.work), count))
        offs, ons = [], []
        for _ in range(args.repeat):  # alternately, so that a slow spell of the machine falls on both
            offs.append(build(project, producers=False))
            ons.append(build(project, producers=True))
        off, on = min(offs, key=lambda r: r["s"]), min(ons, key=lambda r: r["s"])
        median_on, median_off = (statistics.median(r["s"] for r in runs) for runs in (ons, offs))
        print(f"{count:>6} reports: fastest build {on['s']:.0f} s with the producers, {off['s']:.0f} s without: "
              f"+{(on['s'] / off['s'] - 1) * 100:.1f} % (target ≤ 10 %); median {median_on:.0f} s and "
              f"{median_off:.0f} s: +{(median_on / median_off - 1) * 100:.1f} %; each of {args.repeat} builds: "
              f"with {seconds(ons)} s, without {seconds(offs)} s")
        cpu_on, cpu_off = (statistics.median(r["cpu"] for r in runs) for runs in (ons, offs))
        print(f"        processor time, median: {cpu_on:.0f} s with, {cpu_off:.0f} s without: "
              f"+{(cpu_on / cpu_off - 1) * 100:.1f} %; each: with {seconds(ons, 'cpu')} s, "
              f"without {seconds(offs, 'cpu')} s")
        print(f"        report page median {on['median_kb']:.1f} KB (without {off['median_kb']:.1f} KB), "
              f"max {on['max_kb']:.1f} KB; term and document pages {on['pages_mb']:.1f} MB; "
              f"terms.json {on['terms_json_kb']:.0f} KB, laws.json {on['laws_json_kb']:.0f} KB")


if __name__ == "__main__":
    main()
