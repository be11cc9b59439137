"""Benchmark: finding the passages reports share (issue 15: at 10,000 reports within 60 s and 4 GB).

    python benchmarks/bench_passages.py --counts 1000 10000

Converts a generated archive (recombined real sentences: template text at its
densest, the worst case), then times ``annotations.passages.find`` and
the shares of shared text on the cleaned texts, then runs them again under
tracemalloc (which sees numpy's arrays) for their peak memory: traced, the
millions of small objects of the result take several times longer, so the
time is taken untraced.
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

from converter.annotations import passages  # noqa: E402


def main() -> None:
    args = counts_arguments(__doc__)
    for count in args.counts:
        reports = converted(Path(args.work), count)
        texts = [r.structure.text() for r in reports]
        chars = sum(len(t) for t in texts)
        del reports
        start = time.perf_counter()
        found, shares = passages.find_all(texts)
        found_s = time.perf_counter() - start
        del found, shares
        tracemalloc.start()
        found, shares = passages.find_all(texts)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        places = sum(len(p.places) for p in found)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{count:>6} reports, {chars / 1e6:.1f} M characters: {len(found):,} passages at {places:,} places "
              f"in {found_s:.1f} s with the shares (target ≤ 60 s); "
              f"peak {peak / 1e9:.2f} GB while finding (target ≤ 4 GB), process peak RSS {rss / 1024:.2f} GB; "
              f"median share {sorted(shares)[len(shares) // 2]:.0%}")


if __name__ == "__main__":
    main()
