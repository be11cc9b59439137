"""A directory of reports, converted together: parallel, cached, slugs made unique.

Used by the command line and by the MkDocs plugin. Two caches spare work: a
dict kept between calls (as ``mkdocs serve`` does between rebuilds) holds the
reports whose files have not changed since (by modification time and size),
and a ``cache.ReportCache`` on disk holds them across processes, by their
bytes, their sidecar's and the converter's version.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Callable, Sequence

from . import numerals, slug
from .cache import (DIGESTS_KEPT, ReportCache, collector_paused, keep_digests, keep_parsed, report_key,
                    save_digests)
from .errors import ReportError, unexpected
from .model import Report
from .pipeline import convert_file, make_slugs_unique
from .read import expand_paths
from .reference import registry
from .sidecar import sidecar_path
from .workers import fork_map


def warm_up() -> None:
    """Load the gazetteer and dictionaries once, so forked workers inherit them."""
    from .fold import fold
    from .gazetteer import load
    from .slug import spelled

    load()
    fold("預熱")
    spelled("预热")  # pypinyin itself: a word the kept spellings know would not import it
    registry.load()
    numerals.value("十二")  # the table (or cn2an itself, without a cache)


def kept_beside(disk: ReportCache | None) -> None:
    """What conversion parses or learns from its reference data (pinyin spellings, the gazetteer, the registry,
    the common numerals) is kept beside the cache's entries, for this version only; without a cache, nowhere
    (not where an earlier build's was). A build that converts one changed report reads them back."""
    folder = disk.folder if disk is not None else None
    slug.keep_words(folder / "pinyin.pickle" if folder is not None else None)
    keep_parsed(folder)


IN_WORKERS_FROM = 51  # reports to convert that are worth forking workers for


def run_all(work: Callable, paths: Sequence, jobs: int = 1) -> list:
    """``work`` over ``paths`` in input order, in ``jobs`` forked processes that inherit the loaded dictionaries."""
    if jobs > 1 and len(paths) > 1:
        warm_up()
    return fork_map(work, paths, jobs, minimum=2)


def convert_or_error(path: str) -> Report | ReportError:
    """One report converted, or its problem: nothing one file holds can stop the others."""
    try:
        return convert_file(path)
    except ReportError as exc:
        return exc
    except Exception as exc:  # noqa: BLE001 - any fault is this report's alone
        return unexpected(path, exc)


def _stamp(path: str) -> tuple:
    def one(p: Path) -> tuple:
        try:
            st = p.stat()
            return (st.st_mtime_ns, st.st_size)
        except OSError:
            return ()
    return (one(Path(path)), one(sidecar_path(path)))


def convert_paths(paths: Sequence[str], cache: dict | None = None, jobs: int | None = None,
                  disk: ReportCache | None = None,
                  prune: bool = False, lean: bool = False) -> tuple[list[Report], list[ReportError]]:
    """Convert report files (directories expand to their reports); reuse cached results.

    With ``lean``, the reports come (and are kept, in ``cache`` and on ``disk``) as ``Report.lean`` makes them.

    With ``disk``, a report whose bytes, sidecar and converter are unchanged is read
    from it instead of converted; with ``prune`` too, entries for reports that are
    no longer among ``paths`` (deleted, changed) are removed from it.
    """
    files = expand_paths(list(paths))
    cache = cache if cache is not None else {}  # path → (stamp, result, key on disk or None)
    stamps = {p: _stamp(p) for p in files}
    todo = [p for p in files if cache.get(p, (None,))[0] != stamps[p]]
    jobs = jobs if jobs is not None else (os.cpu_count() or 1)
    if disk is not None:
        keep_digests(disk.root / DIGESTS_KEPT)
    keys = {p: report_key(p) for p in todo} if disk is not None else {}
    # Beside the entries, for this version only; without a cache, nowhere (not where an earlier build's was).
    kept_beside(disk)
    if disk is not None:
        missed = []
        with collector_paused(keep=True):  # the reports live as long as the build
            for path in todo:
                found = disk.get(keys[path])
                if found is None or (found.raw is None and not lean):  # kept lean, but asked for whole
                    missed.append(path)
                else:  # kept by check or the site, whole or lean: a lean caller takes it lean
                    cache[path] = (stamps[path], found.lean() if lean else found, keys[path])
        todo = missed

    def convert(path: str) -> Report | ReportError:
        result = convert_or_error(path)
        if lean and isinstance(result, Report):
            result = result.lean()  # before it is pickled, to the disk and back to the parent
        if disk is not None and isinstance(result, Report):
            result = replace(result, key=keys[path])  # what is made from it alone can be kept under its key
            disk.put(keys[path], result)  # in the worker, so both cores pickle
        return result

    workers = jobs if len(todo) >= IN_WORKERS_FROM else 1
    for path, result in zip(todo, run_all(convert, todo, workers)):
        cache[path] = (stamps[path], result, keys.get(path))
    if disk is not None and workers != 1:
        slug.remember_spellings(r.metadata for p in todo if isinstance(r := cache[p][1], Report))
    for stale in set(cache) - set(files):
        del cache[stale]
    if disk is not None and prune:
        disk.prune({cache[p][2] or report_key(p) for p in files})
    results = [cache[p][1] for p in files]
    reports = [r for r in results if isinstance(r, Report)]
    problems = [r for r in results if isinstance(r, ReportError)]
    make_slugs_unique(r.metadata for r in reports)
    if disk is not None:
        save_digests()
    return reports, problems
