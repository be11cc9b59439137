"""Command line: ``python -m converter meta|convert|check PATH...``.

Other tools parse this output, so its form is fixed: ``meta`` prints one JSON
object per input file, one per line, in input order; problems go to stderr,
and the exit status is 1 when any file could not be converted. ``check``
exits 0 only when every report it was given is ready for a pull request.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Sequence

from .cache import collector_for_builds
from .errors import ReportError
from .model import Metadata, Report
from . import pages
from .collection import convert_or_error, run_all
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
    record["warnings"] = [w.message for w in m.warnings]
    record["problems"] = [str(p) for p in report.problems]
    return record


@dataclass(frozen=True)
class Converted:
    """What a worker sends back: small, so parallel runs do not drown in pickling."""

    path: str
    metadata: Metadata
    text: str
    kinds: tuple[str, ...]
    removed: int
    restored: int
    problems: tuple[ReportError, ...] = ()
    annotations: tuple = ()


def _write(report: Report, reports_dir: Path) -> None:
    (reports_dir / f"{report.metadata.slug}.md").write_text(to_markdown(report), encoding="utf-8")


def _convert_and_write(path: str, reports_dir: Path) -> Converted | ReportError:
    """Convert one report and write its Markdown under its slug (workers write in parallel)."""
    report = convert_or_error(path)
    if isinstance(report, ReportError):
        return report
    _write(report, reports_dir)
    return Converted(path, report.metadata, pages.plain_text(report), pages.line_kinds(report),
                     len(report.cleaned.removals),
                     len(report.structure.restorations), report.problems, report.annotations)


def _meta_one(path: str) -> dict | ReportError:
    report = convert_or_error(path)
    return report if isinstance(report, ReportError) else meta_record(report)


def cmd_meta(args: argparse.Namespace) -> int:
    status = 0
    for result in run_all(_meta_one, expand_paths(args.paths), args.jobs):
        if isinstance(result, ReportError):
            print(f"错误：{result}", file=sys.stderr)
            status = 1
        else:
            print(json.dumps(result, ensure_ascii=False))
    return status


def cmd_convert(args: argparse.Namespace) -> int:
    out = Path(args.out)
    reports_dir = out / "reports"
    reports_dir.mkdir(parents=True, exist_ok=True)
    status = 0
    done: list[Converted] = []
    results = run_all(partial(_convert_and_write, reports_dir=reports_dir), expand_paths(args.paths), args.jobs)
    for result in results:
        if isinstance(result, ReportError):
            print(f"错误：{result}", file=sys.stderr)
            status = 1
        else:
            done.append(result)
            for problem in result.problems:
                print(f"警告：{problem}", file=sys.stderr)
    first_slugs = {c.path: c.metadata.slug for c in done}
    make_slugs_unique(c.metadata for c in done)
    # Rare: reports that share a place and year overwrote each other's file; write each again.
    clashing = {first_slugs[c.path] for c in done if c.metadata.slug != first_slugs[c.path]}
    for c in done:
        if first_slugs[c.path] in clashing:
            report = convert_file(c.path)
            report.metadata.slug = c.metadata.slug
            report.metadata.sources.update(c.metadata.sources)
            _write(report, reports_dir)
        if not args.quiet:
            print(f"{c.path} -> {reports_dir / (c.metadata.slug + '.md')}（删除 {c.removed} 处，"
                  f"补全 {c.restored} 处，待核实 {len(c.metadata.warnings)} 处）")
    problems = [r for r in results if isinstance(r, ReportError)]
    files = pages.build([pages.Entry(c.metadata, c.text, c.kinds, annotations=c.annotations) for c in done], problems)
    pages.write_files(out, files)  # a report's page as front matter, then its HTML
    print(f"已把 {len(done)} 份报告转换到 {out}，另写出 {len(files)} 个索引与数据文件"
          + ("；有文件未能转换，见上" if status else ""))
    return status


def cmd_check(args: argparse.Namespace) -> int:
    from .cache import default_root
    from .check import changed_reports, check_paths, in_git
    from .check_output import as_markdown, as_text, summary

    archive_dir = Path(args.archive)
    paths = list(args.paths)
    try:
        if args.changed_since:
            paths += [p for p in changed_reports(archive_dir, args.changed_since) if p not in paths]
    except ReportError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    # A report already published keeps its address; only a new one is asked to take the suggested name.
    published = in_git(args.changed_since or "HEAD")
    # The archive's fingerprints are kept where the site keeps its conversions (beside the archive's folder).
    results = check_paths(expand_paths(paths), archive_dir, jobs=args.jobs, published=published,
                          cache_root=default_root(archive_dir.resolve().parent))
    for checked in results:
        print(as_text(checked), end="\n\n")
    if args.markdown:
        with open(args.markdown, "a", encoding="utf-8") as step_summary:
            step_summary.write(as_markdown(results) + "\n")
    print(summary(results))
    return 0 if all(c.ready for c in results) else 1


def cmd_annotations_import(args: argparse.Namespace) -> int:
    from .annotations.importer import import_file

    try:
        outcome = import_file(Path(args.file), Path(args.seeds), dry_run=args.dry_run)
    except (OSError, ValueError) as exc:  # an unreadable file, bad JSON, a sidecar that cannot take more
        print(f"错误：{args.file}：{exc}", file=sys.stderr)
        return 2
    verb = "将写入" if args.dry_run else "已写入"
    for side, entry in outcome.written:
        print(f"{verb} {side}：“{entry.quote}”" + (f"（prefix“{entry.prefix}”）" if entry.prefix else "")
              + (f"（suffix“{entry.suffix}”）" if entry.suffix else ""))
    for label, why in outcome.skipped:
        print(f"未导入 {label}：{why}")
    print(f"导入 {len(outcome.written)} 条注释，{len(outcome.skipped)} 条未能导入"
          + ("（试运行，没有改动文件）" if args.dry_run else ""))
    return 0 if not outcome.skipped else 1


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
    check = sub.add_parser("check", help="say whether reports are ready for a pull request, and what to fix")
    check.add_argument("paths", nargs="*", metavar="PATH", help="report files, or directories of them")
    check.add_argument("--archive", default="seeds", help="the archive's report folder to compare with (default seeds)")
    check.add_argument("--changed-since", metavar="GIT_REF",
                       help="also check every report added or changed since this commit (and uncommitted ones)")
    check.add_argument("--markdown", metavar="FILE", help="append the findings as Markdown to FILE "
                       "(in GitHub Actions: $GITHUB_STEP_SUMMARY)")
    check.add_argument("--jobs", type=int, default=None, help="worker processes for reading the archive "
                       "(default: one per core)")
    check.set_defaults(func=cmd_check)
    notes = sub.add_parser("annotations", help="notes: import W3C Web Annotations into the sidecars")
    notes_sub = notes.add_subparsers(dest="action", required=True)
    imp = notes_sub.add_parser("import", help="anchor each annotation in its report and add it to the sidecar")
    imp.add_argument("file", metavar="FILE.jsonld", help="W3C annotations: one, a list, or a collection "
                     "(a Hypothesis export works too)")
    imp.add_argument("--seeds", default="seeds", help="the archive's report folder (default seeds)")
    imp.add_argument("--dry-run", action="store_true", help="say what would be written, write nothing")
    imp.set_defaults(func=cmd_annotations_import)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        with collector_for_builds():
            status = args.func(args)
        sys.stdout.flush()  # inside the try: output still buffered at exit would otherwise fail outside it
        return status
    except BrokenPipeError:
        # The reader went away (``… | head``): stop quietly, as other command-line tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
