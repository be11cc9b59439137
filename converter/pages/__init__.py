"""Stage 7: the archive's pages across reports, as in-memory files.

``build`` turns converted reports into every page of the site: one page per
report (``report``), the indexes by place, year, level and pinyin
(``indexes``), the data files for researchers (``datafiles``) and the pages
every archive has once (``fixed``). Paths are relative to the site's docs
directory; the CLI writes them to disk and the MkDocs plugin hands them to
MkDocs as generated files. Given the site's folder, ``build`` writes the
search index and the largest data files there itself, as they are made.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from .. import search_index
from ..spill import Spill
from ..annotations import w3c
from ..cache import collector_paused, file_digest
from ..errors import ReportError, unexpected
from ..sitedir import SEARCH_PARTIAL
from ..workers import MIN_PARALLEL, Background, fork_map, forking_is_cheap
from .datafiles import data_files
from .entry import Entry, group_by, sort_key, town_key, line_kinds, plain_text, search_doc
from .fixed import data_page, home_page, problems_page, search_page, table_page
from .indexes import levels_pages, places_pages, towns_pages, years_pages
from .laws import citation_usage, laws_data, laws_pages, other_pages
from .figures import figures_data, figures_pages
from .notes import notes_page
from .passages import PassagesFile, find_shared, passages_pieces, passages_page
from .terms import term_usage, terms_data, terms_pages
from .kept import KeptPages, documents_digest, inputs_digest
from .sitefiles import SearchJob, write_files
from .report import (KeptHead, PageBody, ReportPage, finish_kept, finish_page, full_text_path, needs_text_view,
                     redirect_page, report_body, text_view, text_view_path, truncated)

__all__ = ["Entry", "Pending", "ReportPage", "build", "line_kinds", "plain_text", "search_doc", "write_files"]


def build(entries: Iterable[Entry], problems: Iterable[ReportError] = (), search: dict | None = None,
          site_url: str | None = None, failed: list[ReportError] | None = None,
          repo_url: str | None = None, jobs: int = 1,
          kept: KeptPages | None = None, site_dir: Path | None = None,
          later: list["Pending"] | None = None,
          spool: Spill | None = None,
          in_place: Callable[[str, str, Callable[[str], bool]], str | None] | None = None,
          ) -> dict[str, str | bytes | ReportPage | Path]:
    """Every generated file of the archive: path relative to the docs directory → content.

    Report pages and original files are made for the entries that carry their full report.
    ``problems`` are the files that could not be converted. A report whose page
    cannot be made joins them (and ``failed``, when given), and the archive is
    made again without it, so a fault in one report never costs the others.
    ``search`` passes tuning options to ``search_index.build_index``;
    ``site_url`` is the published site's address, for citations; ``repo_url``
    the repository's, for each report's correction links. Report pages are
    made as HTML (``ReportPage``), on ``jobs`` processes; every other page as Markdown.
    With ``kept``, a report page whose inputs are unchanged since it was kept there is not made again.

    With ``site_dir`` (the folder the site is written to), the search index's files (47,000 at 10,000
    reports) are written there by the process that makes them, not returned; with ``later`` too, the build
    does not wait for them but adds a ``Pending`` to it, to be finished once the rest of the site is written.
    Data files of ``SPILL_FROM`` or more are written there as they are made too, and returned as their ``Path``.
    With ``spool``, each report page's HTML is set aside there by the process that makes it, and the page
    returned reads it back when asked (``ReportPage.spooled``): no process holds every page at once.
    ``in_place(folder, key, updatable)`` is told the key of the search index's folder in the site, and answers
    the key of the folder it took back from the last build's site: ``key`` itself, which is not written again, or
    the key the last build made it from, when ``updatable(that key)`` says its state is kept (it is then updated
    there, ``search_update``); None when it took back neither.
    """
    entries = sorted(entries, key=sort_key)
    excluded = sorted(problems, key=lambda p: p.path)
    by_town = group_by(entries, lambda e: town_key(e.meta))
    by_county = group_by((e for e in entries if e.meta.county), lambda e: (e.meta.province, e.meta.city, e.meta.county))
    by_province = group_by((e for e in entries if e.meta.province), lambda e: e.meta.province)
    # The search index needs nothing else the build makes: on a second core, it is made meanwhile. Unless the
    # last build wrote it from the same inputs and left it intact: then it is taken back as it is (``in_place``).
    docs = [search_doc(e) for e in entries]
    search_key = inputs_digest([repr(sorted((search or {}).items()))]
                               + [e.made_from or repr(d) for e, d in zip(entries, docs)]) if kept is not None else None
    # Or, when the last build's index is there and its state is kept, it is updated where texts changed.
    states: dict[str, Any] = {}

    def updatable(identity: str) -> bool:
        states[identity] = kept.search_state(identity)
        return states[identity] is not None
    taken = in_place(search_index.FOLDER, search_key, updatable) \
        if search_key is not None and site_dir is not None and in_place is not None else None
    unchanged = taken is not None and taken == search_key
    earlier = None if unchanged else states.get(taken)  # the taken index's state, to update it from
    made_whole = not unchanged and earlier is None  # the search index: made whole beside this build
    parallel = jobs > 1 and len(entries) >= MIN_PARALLEL
    if unchanged:
        search_files = Background(lambda: (search_key, {}), enabled=False)
    else:
        search_files = SearchJob(docs, search or {}, kept, site_dir, search_key, earlier, parallel,
                                 lambda: [search_doc(e) for e in entries])
    del docs  # the search index's process has them, or needs them no more
    cited = citation_usage(entries)
    linked_others = other_pages(cited)
    # The pages across reports that need neither the shared passages nor the report pages are made on the other
    # core meanwhile, when it is free (the search index is not made whole beside this build) and this process is
    # small enough to fork (``forking_is_cheap``: beside a 10,000-report build the fork would copy the reports'
    # pages it reads, 0.4 GB more at the peak). At 1,000 reports they are about a fifth of a rebuild's work.
    flagged = [p for e in entries if e.report is not None for p in e.report.problems]

    def fork_beside() -> bool:
        """Whether work that reads the reports may be forked beside this build now (its size is read now)."""
        return parallel and not made_whole and forking_is_cheap()
    across = Background(_across_pages, fork_beside(), args=(entries, cited, excluded, flagged, site_dir, site_url))
    if kept is not None:  # what find_shared reads of each report: its text, and its metadata for the marks
        shared = kept.whole(inputs_digest(e.made_from or repr(e.meta) + "\0" + e.text for e in entries),
                            lambda: find_shared(entries, kept.passages))
    else:
        shared = find_shared(entries)
    # data/passages.json (240 MB at 10,000 reports) needs nothing the pages make: written meanwhile, too.
    # Forked while this process is small (``forking_is_cheap``) and the search index is not made whole beside it;
    # otherwise a fresh process, which holds only what it is given.
    forked = fork_beside()
    passages_json = Background(_passages_file, parallel, fresh=not forked,
                               args=(site_dir, PassagesFile.of(shared, entries)))
    # The data files need the passages' shares, and nothing the report pages make: forked as the pages above.
    data = Background(_data_files, forked, args=(site_dir, entries, shared.share))
    files: dict[str, str | bytes | ReportPage | Path] = {}
    broken: dict[int, ReportError] = {}

    documents = documents_digest(linked_others)
    shown = [e for e in entries if e.report is not None]
    identities = shared.marks.identities() if kept is not None else {}
    keys = {id(e): kept.key(e, identities[e.slug], documents, site_url, repo_url)
            for e in shown} if kept is not None else {}
    if kept is not None:  # kept by the workers, whose record of it this process never sees: pruning spares it
        kept.use(keys.values())

    def page_or_fault(e: Entry) -> tuple[ReportPage | ReportError, KeptHead | None]:
        """The report's page, made (and its body kept), with its related reports added, and its HTML set aside
        in ``spool`` when one is given; and the head of the body kept, for the book (``KeptPages.note``)."""
        try:
            body = report_body(e, site_url, repo_url, linked_others, shared.marks.get(e.slug, ()))
            head = kept.put(keys[id(e)], body) if kept is not None else None
            page = finish_page(body, e, by_town, by_county, by_province, keys.get(id(e)))
            return (page.spool(spool) if spool is not None else page), head
        except Exception as exc:  # noqa: BLE001 - a fault is this report's alone
            return unexpected(e.meta.source or e.slug, exc), None

    def kept_page(e: Entry, head: KeptHead) -> ReportPage | ReportError:
        """The page of a kept body, finished from its head; the body's HTML is read when the page is written, and
        its head when the page's parts are asked for (the body is made again then, the same, if it has gone from
        the cache meanwhile)."""
        key = keys[id(e)]

        def body() -> PageBody:
            found = kept.get(key)
            if found is None:
                found = report_body(e, site_url, repo_url, linked_others, shared.marks.get(e.slug, ()))
                kept.put(key, found)
            return found
        try:
            return finish_kept(head, key, body, e, by_town, by_county, by_province)
        except Exception as exc:  # noqa: BLE001 - a fault is this report's alone
            return unexpected(e.meta.source or e.slug, exc)

    # A kept page is finished in a millisecond, here: workers would cost more to start and to answer than they
    # save. The bodies to make from their reports are made on every core.
    made_pages: dict[int, ReportPage | ReportError] = {}
    to_make: list[Entry] = []
    with collector_paused(keep=True):  # every kept page finished, to live as long as the build
        if kept is not None:
            kept.open_book(site_url, repo_url)
        for e in shown:
            head = kept.head(keys[id(e)]) if kept is not None else None
            if head is None:
                to_make.append(e)
            else:
                made_pages[id(e)] = kept_page(e, head)
    # The search index's process has a core of its own meanwhile: the pages take the others. One page worker more
    # would only share a core with it, and hold its part of this process's memory (0.6 GB at 10,000 reports).
    page_jobs = max(1, jobs - 1) if search_files.elsewhere else jobs
    for e, (made, head) in zip(to_make, fork_map(page_or_fault, to_make, page_jobs)):
        made_pages[id(e)] = made
        if head is not None:
            kept.note(keys[id(e)], head)
    if kept is not None:
        kept.close_book(keys[id(e)] for e in shown if not isinstance(made_pages[id(e)], ReportError))
    for e in shown:
        made = made_pages.pop(id(e))
        if isinstance(made, ReportError):
            broken[id(e)] = made
            continue
        files[f"reports/{e.slug}.md"] = made
        try:
            files[f"originals/{e.slug}.txt"] = original(e)
        except ReportError as problem:
            broken[id(e)] = problem
            continue
        if needs_text_view(e):  # a GB18030 or UTF-16 original would show as mojibake
            files[text_view_path(e)] = text_view(e)
        if truncated(e):
            files[full_text_path(e)] = e.text + "\n"
    if broken:
        search_files.cancel()
        passages_json.cancel()
        across.cancel()
        data.cancel()
        if site_dir is not None:  # a writer stopped midway: the build made again may take the last index back
            shutil.rmtree(site_dir / SEARCH_PARTIAL, ignore_errors=True)
        if failed is not None:
            failed.extend(broken.values())
        return build([e for e in entries if id(e) not in broken], excluded + list(broken.values()), search, site_url,
                     failed, repo_url, jobs, kept, site_dir, later, spool, in_place)
    slugs = {e.slug for e in entries}
    for e in entries:
        for alias in e.meta.aliases:
            if alias not in slugs:  # a present address always wins over a former one
                files.setdefault(f"reports/{alias}/index.html", redirect_page(alias, e.slug, site_url))
    files["passages.md"] = passages_page(shared, entries)
    files.update(data.result())
    files.update(across.result())
    # Last: everything above is made while the other core still works on these two.
    files.update(passages_json.result())

    def searched(made: tuple[str | None, dict[str, bytes]]) -> None:
        search_key, search_output = made
        files.update(search_output)
        if kept is not None:
            kept.whole_store.used.add(search_key)  # looked for by the process that made it: this one prunes
            kept.prune()

    pending = Pending(search_files, searched)
    if site_dir is not None and later is not None:
        later.append(pending)
    else:
        pending.finish()
    return dict(sorted(files.items()))


def _data_files(site: Path | None, entries: list[Entry], share: dict[str, float]) -> dict[str, str | bytes | Path]:
    return _spilled(site, data_files(entries, share))


def _across_pages(entries: list[Entry], cited: dict, excluded: list[ReportError], flagged: list[ReportError],
                  site: Path | None, site_url: str | None) -> dict[str, str | bytes | Path]:
    """The pages and data files across reports that need neither the shared passages nor the report pages: the
    indexes, the figures, terms and laws with their data files, the notes and the fixed pages (``excluded``: the
    reports left out; ``flagged``: the problems of those shown)."""
    files: dict[str, str | bytes | Path] = {}
    files.update(places_pages(entries))
    files.update(years_pages(entries))
    files.update(levels_pages(entries))
    files.update(towns_pages(entries))
    files["index.md"] = home_page(entries, excluded + flagged)
    files["table.md"] = table_page()
    files["search.md"] = search_page()
    files["data.md"] = data_page(entries, site_url)
    files["notes.md"] = notes_page(entries)
    files.update(figures_pages(entries))
    files.update(_spilled(site, {"data/figures.json": figures_data(entries)}))
    usage = term_usage(entries)
    files.update(terms_pages(usage, {c.name for c in cited.values() if c.document is not None}))
    files.update(_spilled(site, {"data/terms.json": terms_data(usage)}))
    files.update(laws_pages(cited))
    files.update(_spilled(site, {
        "data/laws.json": laws_data(cited),
        "data/annotations.jsonld": w3c.collection(((e.slug, e.notes) for e in entries), site_url)}))
    if excluded or flagged:
        files["problems.md"] = problems_page(excluded, flagged)
    return files


@dataclass
class Pending:
    """Work ``build`` left running: ``finish()`` waits for it and takes its result (raising its fault, if it
    had one); ``cancel()`` stops it."""

    job: Background | SearchJob
    take: Callable[[Any], None]

    def finish(self) -> None:
        self.take(self.job.result())

    def cancel(self) -> None:
        self.job.cancel()


SPILL_FROM = 1 << 20  # a data file this long (characters or bytes) goes to the site as soon as it is made


def _spilled(site: Path | None, made: dict[str, str | bytes]) -> dict[str, str | bytes | Path]:
    """``made``, where each data file of at least ``SPILL_FROM`` is written to ``site`` at once and given as its
    path there: at 10,000 reports the data files are 0.5 GB that would otherwise wait in memory for MkDocs,
    which takes a file already in place as it is (``File.generated`` with it as ``abs_src_path``)."""
    if site is None:
        return made
    out: dict[str, str | bytes | Path] = {}
    for path, content in made.items():
        if not path.endswith(".md") and len(content) >= SPILL_FROM:
            write_files(site, {path: content})
            out[path] = site / path
        else:
            out[path] = content
    return out


def original(e: Entry) -> bytes | Path:
    """The report's original: its bytes, or a lean report's file (copied into the site as it is), once its
    digest shows it is still the file that was converted: the page states its size and SHA-256."""
    if e.report.raw is not None:
        return e.report.raw
    path = Path(e.report.path)
    try:
        digest = file_digest(path)  # read once a build, unless it changed since (its key read it)
        same = digest is not None and digest.hex() == e.meta.sha256  # as the converter stated it
    except OSError:
        same = False
    if not same:
        raise ReportError(e.report.path, "报告文件在转换之后被修改、移走或删除，页面与原始文件已不一致",
                          "重新构建即可（mkdocs serve 发现文件变化后会自动重新构建）")
    return path


def _passages_file(site: Path | None, listed: PassagesFile) -> dict[str, str | Path]:
    return _streamed(site, "data/passages.json", passages_pieces(listed))


def _streamed(site: Path | None, path: str, pieces: Iterable[str]) -> dict[str, str | Path]:
    """A data file made piece by piece: with ``site``, written there as the pieces come and given as its path
    (at 10,000 reports ``data/passages.json`` is 250 MB, and whole it would be held twice while made)."""
    if site is None:
        return {path: "".join(pieces)}
    target = site / path
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "w", encoding="utf-8") as handle:
        handle.writelines(pieces)
    return {path: target}
