"""Command line: ``python -m converter meta|convert PATH...``.

Other tools parse this output, so its form is fixed: ``meta`` prints one JSON
object per input file, one per line, in input order; problems go to stderr,
and the exit status is 1 when any file could not be converted.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Sequence

from .errors import ReportError
from .model import Report
from .pipeline import convert_file, make_slugs_unique, to_markdown
from .read import expand_paths

META_KEYS = ("source", "title", "unit", "town", "level", "county", "city", "province", "year", "date",
             "published", "slug", "encoding", "sha256")


def meta_record(report: Report) -> dict:
    m = report.metadata
    record = {key: getattr(m, key) for key in META_KEYS}
    record["issuers"] = m.issuers
    record.update(m.annotations)
    record["provenance"] = dict(sorted(m.sources.items()))
    record["warnings"] = m.warnings
    return record


def _convert_or_error(path: str) -> Report | ReportError:
    try:
        return convert_file(path)
    except ReportError as exc:
        return exc


def convert_all(paths: Sequence[str], jobs: int = 1) -> list[Report | ReportError]:
    """Convert ``paths`` in order, in ``jobs`` worker processes."""
    if jobs <= 1 or len(paths) < 2:
        return [_convert_or_error(p) for p in paths]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(_convert_or_error, paths, chunksize=max(1, len(paths) // (jobs * 8))))


def cmd_meta(args: argparse.Namespace) -> int:
    status = 0
    for result in convert_all(expand_paths(args.paths), args.jobs):
        if isinstance(result, ReportError):
            print(f"error: {result}", file=sys.stderr)
            status = 1
        else:
            print(json.dumps(meta_record(result), ensure_ascii=False, sort_keys=False))
    return status


def cmd_convert(args: argparse.Namespace) -> int:
    out = Path(args.out)
    reports_dir = out / "reports"
    reports_dir.mkdir(parents=True, exist_ok=True)
    status = 0
    reports: list[Report] = []
    for result in convert_all(expand_paths(args.paths), args.jobs):
        if isinstance(result, ReportError):
            print(f"error: {result}", file=sys.stderr)
            status = 1
        else:
            reports.append(result)
    make_slugs_unique(reports)
    for report in reports:
        target = reports_dir / f"{report.metadata.slug}.md"
        target.write_text(to_markdown(report), encoding="utf-8")
        if not args.quiet:
            print(f"{report.path} -> {target} ({len(report.cleaned.removals)} removed, "
                  f"{len(report.structure.restorations)} restored, {len(report.metadata.warnings)} warnings)")
    print(f"converted {len(reports)} report(s) into {out}" + (f"; {status and 'some files failed'}" if status else ""))
    return status


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m converter",
                                     description="Convert 法治政府建设 reports to Markdown with metadata.")
    sub = parser.add_subparsers(dest="command", required=True)
    default_jobs = 1
    meta = sub.add_parser("meta", help="print one JSON object of metadata per report")
    meta.add_argument("paths", nargs="+", metavar="PATH", help="report files, or directories of them")
    meta.add_argument("--jobs", type=int, default=default_jobs, help="worker processes (default 1)")
    meta.set_defaults(func=cmd_meta)
    conv = sub.add_parser("convert", help="write cleaned Markdown for each report")
    conv.add_argument("paths", nargs="+", metavar="PATH", help="report files, or directories of them")
    conv.add_argument("--out", required=True, help="output directory")
    conv.add_argument("--jobs", type=int, default=default_jobs,
                      help=f"worker processes (default 1; this machine has {os.cpu_count()} cores)")
    conv.add_argument("--quiet", action="store_true", help="print only the summary")
    conv.set_defaults(func=cmd_convert)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)
