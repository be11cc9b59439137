"""Benchmark: build the whole site from generated archives and measure page sizes and build time.

    python benchmarks/bench_site.py --counts 1000 10000

A report page must not grow with the archive: the navigation holds only the
index pages, and related-report lists are capped (converter/archive.py).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpus import cached, counts_arguments, site_project  # noqa: E402


def build_once(count: int, work: Path) -> dict:
    project = site_project(work / f"site-{count}", cached(work, count))
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet"], cwd=project,
                            capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(result.stderr[-3000:])
    site = project / "site"
    report_pages = [p / "index.html" for p in (site / "reports").iterdir()]
    sizes = sorted(p.stat().st_size for p in report_pages)
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    index_sizes = {rel: (site / rel).stat().st_size for rel in
                   ("index.html", "places/index.html", "years/index.html", "table/index.html", "data/table.json",
                    "data/reports.json")}
    biggest_index = max((p for p in site.rglob("index.html") if "reports" not in p.parts),
                        key=lambda p: p.stat().st_size)
    return {"count": count, "build_s": elapsed, "median_report_kb": statistics.median(sizes) / 1024,
            "max_report_kb": sizes[-1] / 1024, "site_mb": total / 1e6,
            "index_kb": {k: round(v / 1024, 1) for k, v in index_sizes.items()},
            "biggest_index": f"{biggest_index.relative_to(site)} {biggest_index.stat().st_size / 1024:.0f} KB"}


def main() -> None:
    args = counts_arguments(__doc__)
    for count in args.counts:
        r = build_once(count, Path(args.work))
        print(f"{r['count']:>6} reports: build {r['build_s']:.0f} s, report page median {r['median_report_kb']:.1f} KB "
              f"(max {r['max_report_kb']:.1f} KB), whole site {r['site_mb']:.0f} MB")
        print(f"        index pages (KB): {r['index_kb']}; largest index page: {r['biggest_index']}")


if __name__ == "__main__":
    main()
