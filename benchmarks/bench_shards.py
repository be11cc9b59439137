"""Benchmark (issue 16): a build spread over runners by shares of the reports (``ARCHIVE_SHARD``).

    python benchmarks/bench_shards.py --counts 1000 10000 --shards 4

For each size, on a generated archive, each step a separate `mkdocs build` process:

* cold: the whole archive, no cache;
* each share (``ARCHIVE_SHARD=k/n``), with a cache of its own, as on its own runner;
* final: the whole archive over the shares' caches laid side by side, as the last runner builds it.

The runners of the shares would work at the same time, so a sharded build would take the slowest share plus the
final build; the cold build is what one runner takes alone. What the final build saves is what sharding buys.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import footprint  # noqa: E402
from corpus import cached, counts_arguments, site_project  # noqa: E402

BASE_ENV = {k: v for k, v in os.environ.items() if k not in ("ARCHIVE_CACHE", "ARCHIVE_SHARD")}


def timed(project: Path, cache: Path | str, site: str, shard: str | None = None) -> tuple[float, float]:
    """Seconds and the peak of all processes' summed proportional sets (GB) of one build into a folder ``site``
    of its own (none of them has a last site to remove)."""
    env = {**BASE_ENV, "NO_MKDOCS_2_WARNING": "1", "ARCHIVE_CACHE": str(cache)}
    if shard is not None:
        env["ARCHIVE_SHARD"] = shard
    elapsed, _largest, pss = footprint.measured(
        [sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", site], project, env)
    return elapsed, pss


def main() -> None:
    args = counts_arguments(__doc__, shards=4)
    for count in args.counts:
        project = site_project(Path(args.work) / f"shards-{count}", cached(Path(args.work), count))
        cold, cold_pss = timed(project, "off", "site-cold")
        merged = project / "merged-cache"
        shares = []
        for number in range(1, args.shards + 1):
            cache = project / f"cache-{number}"
            shares.append(timed(project, cache, f"site-{number}", f"{number}/{args.shards}"))
            shutil.copytree(cache, merged, dirs_exist_ok=True)
            shutil.rmtree(cache)
        final, final_pss = timed(project, merged, "site-final")
        slowest = max(seconds for seconds, _ in shares)
        print(f"{count:>6} reports, {args.shards} shares: cold {cold:.1f} s ({cold_pss:.2f} GB); shares "
              + " / ".join(f"{seconds:.1f}" for seconds, _ in shares)
              + f" s (largest {max(p for _, p in shares):.2f} GB); final {final:.1f} s ({final_pss:.2f} GB); "
              f"sharded {slowest + final:.1f} s = {(slowest + final) / cold:.0%} of cold, "
              f"final alone {final / cold:.0%}")


if __name__ == "__main__":
    main()
