"""Benchmark: extracting key figures (issue 15), at 1,000 and 10,000 generated reports.

    python benchmarks/bench_figures.py --counts 1000 10000

Converts a generated archive, then times ``annotations.figures.find`` over every
report on one core (the build runs it inside conversion, on every core), and
counts the figures by category and the size of ``data/figures.json``.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpus import converted, counts_arguments  # noqa: E402

from converter import pages  # noqa: E402
from converter.annotations import figures  # noqa: E402
from converter.pages.figures import figures_data  # noqa: E402


def main() -> None:
    args = counts_arguments(__doc__)
    for count in args.counts:
        reports = converted(Path(args.work), count)
        start = time.perf_counter()
        found = [figures.find(r.structure.text(), r.metadata.year) for r in reports]
        elapsed = time.perf_counter() - start
        by_category = Counter(f.category for fs in found for f in fs)
        data = figures_data([pages.Entry.of(r) for r in reports])
        total = sum(by_category.values())
        print(f"{count:>6} reports: {total:,} figures in {elapsed:.1f} s on one core "
              f"({elapsed / count * 1000:.2f} ms a report); data/figures.json {len(data.encode()) / 1e6:.1f} MB; "
              f"top categories: {', '.join(f'{k} {v:,}' for k, v in by_category.most_common(5))}")


if __name__ == "__main__":
    main()
