"""Benchmark: finding the passages reports share (issue 15: at 10,000 reports within 60 s and 4 GB).

    python benchmarks/bench_passages.py --counts 1000 10000

Converts a generated archive (recombined real sentences: template text at its
densest, the worst case), then times ``annotations.passages.find_columns`` (the
passages, as columns, and the shares of shared text) on the cleaned texts, then
runs it again under tracemalloc (which sees numpy's arrays) for its peak
memory. Last, it times the whole producer as the build runs it
(``pages.passages.find_shared``: finding, then the columns of every report
page's marks, which each page makes into annotations when it is made).
"""

from __future__ import annotations

import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpus import converted, counts_arguments  # noqa: E402

from converter import pages  # noqa: E402
from converter.annotations import passages  # noqa: E402
from converter.pages.passages import find_shared  # noqa: E402


def main() -> None:
    args = counts_arguments(__doc__)
    for count in args.counts:
        reports = converted(Path(args.work), count)
        texts = [r.structure.text() for r in reports]
        chars = sum(len(t) for t in texts)
        start = time.perf_counter()
        found, shares = passages.find_columns(texts)
        found_s = time.perf_counter() - start
        del found, shares
        tracemalloc.start()
        found, shares = passages.find_columns(texts)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        places, passage_count = len(found.report), len(found)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        del found
        start = time.perf_counter()
        find_shared([pages.Entry.of(r) for r in reports])
        shared_s = time.perf_counter() - start
        print(f"{count:>6} reports, {chars / 1e6:.1f} M characters: {passage_count:,} passages at {places:,} places "
              f"in {found_s:.1f} s with the shares (target ≤ 60 s); "
              f"peak {peak / 1e9:.2f} GB while finding (target ≤ 4 GB), process peak RSS {rss / 1024:.2f} GB; "
              f"median share {sorted(shares)[len(shares) // 2]:.0%}; with every page's marks {shared_s:.1f} s")


if __name__ == "__main__":
    main()
