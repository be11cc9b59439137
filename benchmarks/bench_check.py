"""Benchmark: how long a contributor waits for ``check`` on one new report in a large archive.

    python benchmarks/bench_check.py --count 10000 --jobs 2

``check`` compares the new report with every report already in the archive
(same text, same unit and year, address taken). The first time it converts
them all and keeps their fingerprints in the cache; afterwards it only hashes
the files and converts what changed. This measures both, with the real
command line, against a cache of its own. Target (issue 16): under 2 s at
10,000 reports, once the fingerprints are kept.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
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
    cache = Path(tempfile.mkdtemp(prefix="bench-check-", dir=args.work))
    print(f"archive: {args.count} reports  jobs: {args.jobs}")
    try:
        for label in ("first check (converts the archive)", "next check (fingerprints kept)"):
            start = time.perf_counter()
            result = subprocess.run([sys.executable, "-m", "converter", "check", str(new), "--archive", str(corpus),
                                     "--jobs", str(args.jobs)], cwd=ROOT, capture_output=True, text=True,
                                    env={**os.environ, "ARCHIVE_CACHE": str(cache)})
            elapsed = time.perf_counter() - start
            out = result.stdout.strip()
            verdict = out.splitlines()[-1] if out else result.stderr[-500:]
            print(f"{label}: {elapsed:.1f} s  (exit {result.returncode}: {verdict})")
    finally:
        new.unlink()
        shutil.rmtree(cache, ignore_errors=True)


if __name__ == "__main__":
    main()
