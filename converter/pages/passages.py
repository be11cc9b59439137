"""Passages shared across reports (``annotations.passages``): the marks on each report's page, the page of
the most widely shared passages, ``data/passages.json``, and each report's share of text found elsewhere."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterator

import numpy as np

from .. import arrays
from ..annotations import passages, passages_update
from ..annotations.model import Anchor, Annotation
from ..model import blocks_reached
from ..workers import release_freed_memory
from .entry import Entry, json_text, short_link
from .report_parts import report_link

TOP_PASSAGES = 100   # passages on the page of the most widely shared
SHOWN_REPORTS = 12   # reports listed under each of them
TIP_REPORTS = 2      # reports named in a mark's tooltip (a page may have a hundred of them)
QUOTE_CHARS = 160    # a passage's text on the page is cut after this many characters
PAGE_MARKS = 100     # shared passages marked on one report's page (the first ones in reading order), and on
OVERSIZE_MARKS = 40  # the page of an oversized file (pages.report.truncated), so that it stays small;
                     # data/passages.json lists them all


@dataclass(frozen=True)
class SharedHere:
    """The body of a ``shared`` mark: how many other reports hold the passage, the tooltip, the likely source."""

    # The passage's number orders passages by how widely they are held, so a change anywhere renumbers many:
    # kept out of the mark's identity (its comparison, its repr in a page's cache key) and of the page.
    passage: int = field(compare=False, repr=False)
    others: int
    tip: str
    href: str
    ref: bool = True  # whether "另见" and the tooltip follow this piece (the passage's last piece in running text)


@dataclass
class Shared:
    """The passages the reports share (``found``), as the pages show them.

    ``order`` puts each passage's places earliest report first (``found.bounds`` still delimit them);
    ``holders``/``holder_bounds``: each passage's reports in that order, each once. Kept as columns, as
    ``found`` is: an archive of 10,000 reports shares millions of places.
    """

    found: passages.Found
    order: np.ndarray
    holders: np.ndarray
    holder_bounds: np.ndarray
    share: dict[str, float]          # slug → share of its text also found in another report
    marks: "Marks"

    def places(self, n: int) -> list[tuple[int, int, int]]:
        """Passage ``n``'s places as (report, start, end), earliest report first."""
        f = self.found
        at = self.order[f.bounds[n]:f.bounds[n + 1]]
        return list(zip(f.report[at].tolist(), f.start[at].tolist(), f.end[at].tolist()))

    def holders_of(self, n: int) -> list[int]:
        return self.holders[self.holder_bounds[n]:self.holder_bounds[n + 1]].tolist()


def find_shared(entries: list[Entry], folder: Path | None = None) -> Shared:
    """The passages the entries share, ordered as the pages show them, with each report's marks; worked out
    again where reports changed since the last build, when its state was kept in ``folder``
    (``passages_update``).

    Passages overlap where reports copied different amounts of the same text, so
    a report's page marks each run of overlapping passages once: with the
    longest passage in it, its reports and its likely source.
    """
    found, shares = passages_update.find([e.text for e in entries], folder,
                                         digests=[e.text_digest for e in entries])
    # Each report's place in time (then by address), worked out once rather than for each of millions of places.
    rank = np.zeros(len(entries), dtype=np.int64)
    rank[sorted(range(len(entries)), key=lambda r: (entries[r].meta.year or 9999, entries[r].slug))] = \
        np.arange(len(entries))
    passage = np.repeat(np.arange(len(found), dtype=np.int64), np.diff(found.bounds))
    order = arrays.lexsort((found.start, rank[found.report], passage))  # by passage, then report in time, then place
    in_passage, by = passage[order], found.report[order]
    first_of_report = arrays.changes(in_passage, by)  # a report's places in one passage are neighbours now
    holders = by[first_of_report]
    holder_bounds = arrays.bounds(np.bincount(in_passage[first_of_report], minlength=len(found)))
    marks = Marks.of(found, passage, holders, holder_bounds,
                     [e.slug for e in entries], [report_link(e) for e in entries])
    # The arrays freed on the way leave their pages in the heap between objects that live on (0.2 GB at 10,000
    # reports), where the page workers forked next would inherit them.
    release_freed_memory()
    return Shared(found, order, holders, holder_bounds, {e.slug: s for e, s in zip(entries, shares)}, marks)


class Marks:
    """Each report's marks: one per run of its overlapping passages, described by the longest passage in it.

    Worked out for every report at once (numpy), kept as columns, and made into ``Annotation``s only
    for the report whose page asks (``get``), where the pages are made, on every core.
    """

    def __init__(self, slugs, links, by_report, columns, holders, holder_bounds) -> None:
        self.slugs, self.links = slugs, links
        self.index = {slug: r for r, slug in enumerate(slugs)}
        self.by_report = by_report  # report r's runs are by_report[r]:by_report[r + 1] of the columns
        self.columns = columns      # per run: its start, end, and its longest passage's number, start, end
        self.holders, self.holder_bounds = holders, holder_bounds

    @classmethod
    def of(cls, found: passages.Found, passage, holders, holder_bounds, slugs, links) -> "Marks":
        spans = arrays.lexsort((passage, found.end, found.start, found.report))  # each report's spans in order
        report, start, end, n = found.report[spans], found.start[spans], found.end[spans], passage[spans]
        # A span joins the run before it when it starts before that run ends (the furthest end so far in its report).
        # Positions are offset by report, so that one running maximum serves every report and never crosses one.
        base = report.astype(np.int64) << 32
        span_end = end + base
        reach = np.maximum.accumulate(span_end) if len(span_end) else span_end
        new_run = np.ones(len(spans), dtype=bool)
        new_run[1:] = (report[1:] != report[:-1]) | (start[1:] + base[1:] >= reach[:-1])
        run = np.cumsum(new_run) - 1
        heads = np.flatnonzero(new_run)
        run_end = np.maximum.reduceat(span_end, heads) - base[heads] if len(heads) else np.zeros(0, np.int64)
        # Each run's longest passage; of equally long ones the most widely held, then the first: sorted by run,
        # length and holders with ties in reverse order (the columns sorted reversed), so that the last of each
        # run is that passage, by three keys that pack into one (``arrays.lexsort``).
        reverse = np.arange(len(spans) - 1, -1, -1)
        best = reverse[arrays.lexsort((found.reports[n][reverse], (end - start)[reverse], run[reverse]))]
        last = np.concatenate([np.flatnonzero(run[best][1:] != run[best][:-1]), [len(best) - 1]]) \
            if len(best) else np.zeros(0, np.int64)
        chosen = best[last]
        columns = np.stack([start[heads], run_end, n[chosen], start[chosen], end[chosen]]).astype(np.int64)
        by_report = arrays.bounds(np.bincount(report[heads], minlength=len(slugs)))
        return cls(slugs, links, by_report, columns, holders, holder_bounds)

    def get(self, slug: str, default=()) -> list[Annotation] | tuple:
        r = self.index.get(slug)
        if r is None or self.by_report[r] == self.by_report[r + 1]:
            return default
        rows = self.columns[:, self.by_report[r]:self.by_report[r + 1]].T.tolist()
        return [self._mark(r, *row) for row in rows]

    def identity(self, slug: str) -> str:
        """All that the report's marks (``get``) are made of, as text: equal where they are equal, for a page's
        cache key (``identities``, for one report)."""
        r = self.index.get(slug)
        if r is None:
            return ""
        return self._identities(int(self.by_report[r]), int(self.by_report[r + 1]), np.array([r]))[0]

    def identities(self) -> dict[str, str]:
        """Every report's ``identity``, worked out for all at once: at 10,000 reports, making every report's marks
        to write out their repr took 2.4 s a build; going through them row by row in Python, 0.14 s at 1,000 (now
        0.02 s, and 0.11 s at 10,000)."""
        if not self.slugs:
            return {}
        return dict(zip(self.slugs, self._identities(0, self.columns.shape[1], np.arange(len(self.slugs)))))

    def _identities(self, first: int, last: int, reports: np.ndarray) -> list[str]:
        """The identities of ``reports``, whose runs are columns ``first:last``, in order. Of each run: where it
        and its longest passage start and end, how many other reports hold that passage, the links of the
        earliest two (the tooltip names them; ``_others``) and the address name of the first."""
        start, end, n, s, e = self.columns[:, first:last]
        owner = np.repeat(reports, np.diff(self.by_report[reports[0]:reports[-1] + 2]))
        lo, hi = self.holder_bounds[n], self.holder_bounds[n + 1]
        held = max(len(self.holders) - 1, 0)

        def holder(k: int) -> np.ndarray:
            """Each passage's k-th holder (earliest first), or -1."""
            return np.where(lo + k < hi, self.holders[np.minimum(lo + k, held)], -1)
        # The report itself is one of its passage's holders, at most once: the first two others are the first
        # two of the first three holders that are not it.
        h0, h1, h2 = holder(0), holder(1), holder(2)
        other = np.where(h0 == owner, h1, h0)
        second = np.where((h0 == owner) | (h1 == owner), h2, h1)
        numbers = np.ascontiguousarray(np.stack([start, end, s, e, hi - lo - 1]).T, dtype=np.int64).tobytes()
        links, slugs = np.array(self.links + [""], dtype=object), np.array(self.slugs + [""], dtype=object)
        names = np.stack([links[other], links[second], slugs[other]]).T.ravel()
        bounds = (self.by_report[reports[0]:reports[-1] + 2] - first).tolist()
        row = 5 * 8  # bytes of one run's numbers
        return [numbers[a * row:b * row].hex() + repr(names[3 * a:3 * b].tolist())
                for a, b in zip(bounds, bounds[1:])]

    def _others(self, r: int, n: int) -> tuple[int, tuple[str, ...], str]:
        """How many other reports hold passage ``n``; the links of the earliest (the tooltip names them), and
        the address name of the first."""
        lo, hi = int(self.holder_bounds[n]), int(self.holder_bounds[n + 1])
        holders = self.holders[lo:min(hi, lo + TIP_REPORTS + 1)].tolist()
        others = [o for o in holders if o != r][:TIP_REPORTS]  # the earliest, named
        return hi - lo - 1, tuple(self.links[o] for o in others), self.slugs[others[0]]

    def _mark(self, r: int, start: int, end: int, n: int, s: int, e: int) -> Annotation:
        count, links, first = self._others(r, n)  # the other reports: every holder but this one
        named = "、".join(links)
        more = "等" if count > TIP_REPORTS else ""
        head = (f"另见于 {count} 份报告" if (s, e) == (start, end)
                else f"其中 {e - s} 字另见于 {count} 份报告，其余部分另见于其他报告")
        tip = (f'<span class="ann-tip__head">{head}</span>{named}{more}'
               '<span class="ann-tip__more">按年度排列，最早的可能是来源</span>')
        body = SharedHere(n, count, tip, f"../{first}/")
        # Its id: where it starts, unique on the page (a report's runs do not overlap), and kept by a renumbering.
        return Annotation("shared", start, end, f"s{start}", body, Anchor("exact", start, end))


def passages_data(shared: Shared, entries: list[Entry]) -> str:
    """``data/passages.json``: each passage as the earliest report writes it, and where it is in each report."""
    return "".join(passages_pieces(PassagesFile.of(shared, entries)))


PIECE_PLACES = 1 << 16  # places written at once (a passage held by more is written alone)


@dataclass(frozen=True)
class PassagesFile:
    """What ``data/passages.json`` says, and nothing more: each passage's text as its earliest report writes it,
    and its places (``report``, ``start``, ``end``; passage ``n``'s are ``bounds[n]:bounds[n + 1]``) in the
    order the file lists them, with each report's address name (``slugs``).

    The file is written by a process of its own while the pages are made, and given only this (65 MB pickled at
    10,000 reports): forked instead, it inherited every report and, as the busy parent wrote to the memory
    they share, came to hold a copy of 0.5 GB of it.
    """

    texts: list[str]
    bounds: np.ndarray
    report: np.ndarray
    start: np.ndarray
    end: np.ndarray
    slugs: list[str]

    @classmethod
    def of(cls, shared: Shared, entries: list[Entry]) -> "PassagesFile":
        f, order = shared.found, shared.order
        firsts = order[f.bounds[:-1]]  # each passage's first place, earliest report first
        texts = [entries[r].text[a:b] for r, a, b in
                 zip(f.report[firsts].tolist(), f.start[firsts].tolist(), f.end[firsts].tolist())]
        return cls(texts, f.bounds, f.report[order], f.start[order], f.end[order], [e.slug for e in entries])


def passages_pieces(listed: PassagesFile, size: int = PIECE_PLACES) -> Iterator[str]:
    """``data/passages.json`` piece by piece (what ``json.dumps`` of the list would write, byte for byte), to be
    written as it comes: at 10,000 reports the file is 250 MB and its millions of places, as Python numbers
    all at once, 0.5 GB more. A dictionary for each place would cost more than the rest. A piece holds at
    most ``size`` places, or one passage: the most widely shared passages come first, and 4,096 of them at
    once were a fifth of the file."""
    slugs = [json_text(slug) for slug in listed.slugs]
    yield "["
    for run in arrays.batches(np.diff(listed.bounds), size):
        lo, hi = int(listed.bounds[run.start]), int(listed.bounds[run.stop])
        report, start, end = listed.report[lo:hi].tolist(), listed.start[lo:hi].tolist(), listed.end[lo:hi].tolist()
        bounds = (listed.bounds[run.start:run.stop + 1] - lo).tolist()
        items = []
        for text, a, b in zip(listed.texts[run], bounds, bounds[1:]):
            places = ",".join(f'{{"slug":{slugs[r]},"start":{p},"end":{q}}}'
                              for r, p, q in zip(report[a:b], start[a:b], end[a:b]))
            items.append(f'{{"text":{json_text(text)},"reports":[{places}]}}')
        yield ("," if run.start else "") + ",".join(items)
    yield "]\n"


def passages_page(shared: Shared, entries: list[Entry]) -> str:
    """The most widely shared passages, each with the reports that hold it, earliest first."""
    from ..render import escape_markdown as esc

    total = len(shared.found)
    lines = ["# 报告之间相同的段落", "",
             f"档案中有 {total:,} 段文字同时出现在两份或更多报告里（至少 {passages.MIN_CHARS} 字；比较时忽略空白，"
             "繁简、全半角视为相同）。下面是出现在最多报告里的前 "
             f"{min(total, TOP_PASSAGES)} 段；每段的报告按年度排列，最早的一份可能是来源。"
             "每份报告的页面上，这些文字带有虚线，旁边的“另见”列出其他报告；"
             "全部段落及其在每份报告中的位置见 [data/passages.json](data/passages.json)，"
             "每份报告与其他报告相同的文字所占比例见[全部报告](table.md)和 data/reports.csv。", ""]
    if not total:
        lines.append("目前还没有两份报告共有的段落。")
    for n in range(min(total, TOP_PASSAGES)):
        first, start, end = shared.places(n)[0]
        text = " ".join(entries[first].text[start:end].split())
        quote = text if len(text) <= QUOTE_CHARS else text[:QUOTE_CHARS] + "……"
        reports = shared.holders_of(n)
        rank = n + 1
        links = "、".join(short_link(entries[r], "") for r in reports[:SHOWN_REPORTS])
        more = f" 等 {len(reports)} 份" if len(reports) > SHOWN_REPORTS else ""
        lines += [f"{rank}. “{esc(quote)}”（{len(text)} 字，{len(reports)} 份报告）  ", f"    {links}{more}", ""]
    return "\n".join(lines).rstrip() + "\n"


def by_block(marks, structure, drawn_kinds: tuple[str, ...], limit: int = PAGE_MARKS) -> list[Annotation]:
    """Each shared mark cut at the edges of the blocks it crosses (a passage may run from a heading into
    its paragraph); the pieces keep its id, so hovering any of them opens its one tooltip, which follows
    its last piece in running text. Pieces in blocks the page does not draw as text are dropped."""
    starts = structure.starts()
    blocks = structure.blocks
    out = []
    for a in sorted(marks, key=lambda a: (a.start, a.end))[:limit]:
        pieces = []
        for i in blocks_reached(starts, a.start, a.end):
            at, b = starts[i], blocks[i]
            end = at + len(b.display_text)
            if b.kind in drawn_kinds and at < a.end and a.start < end:
                pieces.append((max(a.start, at), min(a.end, end), b.kind))
        last = max((i for i, (_, _, kind) in enumerate(pieces) if kind != "heading"), default=None)
        for i, (start, end, _) in enumerate(pieces):
            body = a.body if i == last else replace(a.body, ref=False)
            out.append(Annotation(a.kind, start, end, a.id, body, Anchor("exact", start, end)))
    return out
