"""Benchmark: convert a generated corpus with the real command line and report throughput.

    python benchmarks/bench_convert.py --count 10000 --jobs 2

Target (issue #2): 10,000 reports in under 30 s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpus import cached  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--work", default=str(ROOT / "benchmarks/out"))
    args = parser.parse_args()
    work = Path(args.work)
    corpus, out = cached(work, args.count), work / f"converted-{args.count}"
    shutil.rmtree(out, ignore_errors=True)
    size = sum(p.stat().st_size for p in corpus.glob("*.txt"))
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "converter", "convert", str(corpus), "--out", str(out),
                             "--jobs", str(args.jobs), "--quiet"], cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        print(result.stderr[-2000:], file=sys.stderr)
        raise SystemExit("conversion failed")
    written = len(list((out / "reports").glob("*.md")))
    print(f"reports: {args.count}  input: {size / 1e6:.1f} MB  jobs: {args.jobs}")
    print(f"time: {elapsed:.1f} s  ->  {args.count / elapsed:.0f} reports/s, {size / 1e6 / elapsed:.2f} MB/s")
    print(f"written: {written} Markdown files  target: < 30 s for 10,000 -> {'met' if elapsed < 30 else 'MISSED'}")


if __name__ == "__main__":
    main()
