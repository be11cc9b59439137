"""Benchmark: how long a contributor waits for ``check`` on one new report in a large archive.

    python benchmarks/bench_check.py --count 10000 --jobs 2

``check`` converts every report already in the archive to compare the new one
with them (same text, same unit and year, address taken), so its time grows
with the archive; this measures it with the real command line.
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

NEW_REPORT = ROOT / "tests/data/samples/s002.txt"  # 重庆市城口县鸡鸣乡, 2025
NEW_NAME = "chongqing-chengkou-jimingxiang-2025.txt"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--work", default=str(ROOT / "benchmarks/out"))
    args = parser.parse_args()
    corpus = cached(Path(args.work), args.count)
    new = corpus / NEW_NAME
    shutil.copy(NEW_REPORT, new)
    try:
        start = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "converter", "check", str(new), "--archive", str(corpus),
                                 "--jobs", str(args.jobs)], cwd=ROOT, capture_output=True, text=True)
        elapsed = time.perf_counter() - start
    finally:
        new.unlink()
    verdict = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr[-500:]
    print(f"archive: {args.count} reports  jobs: {args.jobs}")
    print(f"check of one new report: {elapsed:.1f} s  (exit {result.returncode}: {verdict})")


if __name__ == "__main__":
    main()
