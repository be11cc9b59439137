"""Passages shared across reports (``annotations.passages``): the marks on each report's page, the page of
the most widely shared passages, ``data/passages.json``, and each report's share of text found elsewhere."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

from ..annotations import passages
from ..annotations.model import Anchor, Annotation
from ..model import blocks_reached
from .entry import Entry, short_link
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

    passage: int
    others: int
    tip: str
    href: str
    ref: bool = True  # whether "另见" and the tooltip follow this piece (the passage's last piece in running text)


@dataclass
class Shared:
    found: list[passages.Passage]
    orders: list[list[int]]          # per passage: its places, earliest report first
    holders: list[list[int]]         # per passage: the reports that hold it, earliest first, each once
    share: dict[str, float]          # slug → share of its text also found in another report
    marks: dict[str, list[Annotation]]


def _earliest(entries: list[Entry]):
    return lambda r: (entries[r].meta.year or 9999, entries[r].slug)


def find_shared(entries: list[Entry]) -> Shared:
    """The passages the entries share, ordered as the pages show them, with each report's marks.

    Passages overlap where reports copied different amounts of the same text, so
    a report's page marks each run of overlapping passages once: with the
    longest passage in it, its reports and its likely source.
    """
    found, shares = passages.find_all([e.text for e in entries])
    # Each report's place in time (then by address), worked out once rather than for each of millions of places.
    rank = [0] * len(entries)
    for at, r in enumerate(sorted(range(len(entries)), key=_earliest(entries))):
        rank[r] = at
    orders = [sorted(range(len(p.places)), key=lambda i, p=p: (rank[p.places[i][0]], p.places[i][1])) for p in found]
    holders = [list(dict.fromkeys(p.places[i][0] for i in order)) for p, order in zip(found, orders)]
    held: dict[int, list[tuple[int, int, int]]] = {}
    for n, p in enumerate(found):
        for r, start, end in p.places:
            held.setdefault(r, []).append((start, end, n))
    marks: dict[str, list[Annotation]] = {}
    for r, spans in held.items():
        spans.sort()
        runs: list[list] = []  # [start, end, its passages]
        for span in spans:
            if runs and span[0] < runs[-1][1]:
                runs[-1][1] = max(runs[-1][1], span[1])
                runs[-1][2].append(span)
            else:
                runs.append([span[0], span[1], [span]])
        marks[entries[r].slug] = [_mark(entries, found, holders, r, run) for run in runs]
    return Shared(found, orders, holders, {e.slug: s for e, s in zip(entries, shares)}, marks)


def _mark(entries, found, holders, r: int, run) -> Annotation:
    """One run of overlapping passages of report ``r``, described by its longest passage."""
    start, end, spans = run
    s, e, n = max(spans, key=lambda span: (span[1] - span[0], found[span[2]].reports))
    count = len(holders[n]) - 1  # the other reports: every holder but this one
    others = [o for o in holders[n][:TIP_REPORTS + 1] if o != r][:TIP_REPORTS]  # the earliest, named
    named = "、".join(report_link(entries[o]) for o in others)
    more = "等" if count > TIP_REPORTS else ""
    head = (f"另见于 {count} 份报告" if (s, e) == (start, end)
            else f"其中 {e - s} 字另见于 {count} 份报告，其余部分另见于其他报告")
    tip = (f'<span class="ann-tip__head">{head}</span>{named}{more}'
           '<span class="ann-tip__more">按年度排列，最早的可能是来源</span>')
    body = SharedHere(n, count, tip, f"../{entries[others[0]].slug}/")
    return Annotation("shared", start, end, f"s{n}-{start}", body, Anchor("exact", start, end))


def passages_data(shared: Shared, entries: list[Entry]) -> str:
    """``data/passages.json``: each passage as the earliest report writes it, and where it is in each report."""
    out = []
    for p, order in zip(shared.found, shared.orders):
        first, start, end = p.places[order[0]]
        out.append({"text": entries[first].text[start:end],
                    "reports": [{"slug": entries[p.places[i][0]].slug, "start": p.places[i][1],
                                 "end": p.places[i][2]} for i in order]})
    return json.dumps(out, ensure_ascii=False, separators=(",", ":")) + "\n"


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
    for rank, (p, order) in enumerate(zip(shared.found[:TOP_PASSAGES], shared.orders), 1):
        first, start, end = p.places[order[0]]
        text = " ".join(entries[first].text[start:end].split())
        quote = text if len(text) <= QUOTE_CHARS else text[:QUOTE_CHARS] + "……"
        reports = shared.holders[rank - 1]
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
