"""Benchmark: how long anchoring a note takes, by outcome, on the seeds' texts (at real report length).

    python benchmarks/bench_annotations.py [--notes 3000]

Exact anchors are a string search; a changed or orphaned quote costs an
approximate search of the whole text (edlib), the dearest case. The numbers
say what a sidecar's notes add to a build: notes are written by people, so an
archive of 10,000 reports might hold a few thousand.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from converter import convert_file  # noqa: E402
from converter.annotations.anchoring import Text, anchor  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notes", type=int, default=3000)
    args = parser.parse_args()
    texts = [convert_file(str(p), use_sidecar=False).structure.text() for p in sorted((ROOT / "seeds").glob("*.txt"))]
    rng = random.Random(7)
    timings: dict[str, list[float]] = {"exact": [], "changed": [], "orphan": []}
    for n in range(args.notes):
        text = rng.choice(texts)
        flat = "".join(text.split())
        start = rng.randrange(0, len(flat) - 40)
        quote = flat[start:start + rng.randint(8, 30)]
        kind = ("exact", "changed", "orphan")[n % 3]
        if kind == "changed":
            at = rng.randrange(len(quote))
            quote = quote[:at] + "〇" + quote[at + 1:]
        elif kind == "orphan":
            quote = "".join(chr(rng.randrange(0x4E00, 0x9FA6)) for _ in range(len(quote)))  # any CJK
        started = time.perf_counter()
        found = anchor(Text(text), quote)
        timings[kind].append(time.perf_counter() - started)
        assert kind != "exact" or found.status in ("exact", "ambiguous")
    mean_chars = statistics.mean(len(t) for t in texts)
    print(f"{args.notes} notes on texts of {mean_chars:,.0f} characters on average:")
    for kind, values in timings.items():
        print(f"  {kind:8} median {statistics.median(values) * 1000:.2f} ms, max {max(values) * 1000:.2f} ms")
    total = sum(sum(v) for v in timings.values())
    print(f"  all: {total:.2f} s, {total / args.notes * 1000:.2f} ms a note")


if __name__ == "__main__":
    main()
