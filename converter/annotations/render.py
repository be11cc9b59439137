"""One renderer for every kind of annotation: marks in the text, tooltips, and the list of notes.

``inserts`` turns the spans that fall in one block of text into HTML to put
between its characters, so that any spans — nested, overlapping, crossing
block ends — come out as well-nested ``<mark>`` elements: where spans
overlap, the later one is closed and opened again around the overlap. After
the last piece of a span comes what its kind draws there (a note's number and
its tooltip). The text itself is escaped by ``render.with_inserts``, which
takes these inserts, so annotations never change a character of it.

Inside headings only the marks are drawn: a number or tooltip there would
enter the table of contents and the heading's anchor.
"""

from __future__ import annotations

import html
from bisect import bisect_right
from dataclasses import dataclass
from typing import Callable, Sequence

from .anchoring import difference
from .body import attribute, render_note, text_for
from ..render import admonition_html
from .model import Annotation, of_kind

KIND_LABEL = {"note": "注", "shared": "另见"}  # a shared passage: "also in n other reports"
ATOMIC = ("term", "law")  # drawn as one link each: never split, never in a heading, nothing else begins inside


@dataclass(slots=True)  # not frozen: a page draws hundreds, and a frozen dataclass is slow to make
class Drawn:
    """An annotation as the page draws it: its span, its number, the tooltip's inline HTML, and for a link its target.

    ``flag`` is inline HTML shown after a link (a repealed law's notice).
    ``tip_of``: for a term or document linked again, the id of its first link
    on the page, whose tooltip describes this one too (the page carries it once).
    """

    ann: Annotation
    number: int
    tip: str
    href: str = ""
    flag: str = ""
    tip_of: str = ""
    ref: bool = True  # a marked passage: whether its number and tooltip follow it here

    @property
    def id(self) -> str:
        return self.ann.id


def _order(a: Drawn) -> tuple:
    return (a.ann.start, -a.ann.end, a.ann.kind, a.id)


def number_notes(annotations: Sequence[Annotation]) -> list[Annotation]:
    """Notes in reading order: the placed ones as they occur in the text, then those that could not be placed."""
    notes = of_kind(annotations, "note")
    return sorted((a for a in notes if a.placed), key=lambda a: (a.start, a.end, a.id)) + \
        [a for a in notes if not a.placed]


def drawable(annotations: Sequence[Annotation], inside: Callable[[int, int], bool],
             links: Callable[[Annotation], Drawn | None] = lambda a: None,
             links_inside: Callable[[int, int], bool] | None = None) -> list[Drawn]:
    """The annotations that lie wholly in text the page draws (``inside``), each with its number and tooltip.

    Notes are numbered in reading order. Terms and citations are drawn by
    ``links`` (None: not drawn), where ``links_inside`` says (never in a
    heading: it would enter the table of contents), and only where no other
    span begins or ends inside them, so that each stays one link.
    """
    links_inside = links_inside or inside
    out = []
    for number, a in enumerate(number_notes(annotations), 1):
        if a.placed and inside(a.start, a.end):
            out.append(Drawn(a, number, note_tip(a)))
    for a in annotations:
        if a.kind == "figure" and inside(a.start, a.end):
            out.append(Drawn(a, 0, "", ref=False))  # marked for the page's table of figures to point at
        if a.kind == "shared" and inside(a.start, a.end):
            out.append(Drawn(a, a.body.others, a.body.tip, a.body.href, ref=a.body.ref))
    edges = sorted({p for d in out for p in (d.ann.start, d.ann.end)})
    for a in annotations:
        if a.kind in ATOMIC and a.placed and links_inside(a.start, a.end):
            i = bisect_right(edges, a.start)
            if i < len(edges) and edges[i] < a.end:
                continue
            d = links(a)
            if d is not None:
                out.append(d)
    return out


def inserts(drawn: Sequence[Drawn], block_start: int, block_text: str, heading: bool) -> list[tuple[int, str]]:
    """HTML to insert into one block's text, as (offset in the block, html), in order."""
    block_end = block_start + len(block_text)
    here = [d for d in drawn if d.ann.start < block_end and d.ann.end > block_start
            and not (heading and d.ann.kind in ATOMIC)]
    if not here:
        return []
    here.sort(key=_order)
    # Spans are named by their place in ``here``: a page draws thousands, and indices compare and hash at once.
    starts = [max(d.ann.start, block_start) - block_start for d in here]
    ends = [min(d.ann.end, block_end) - block_start for d in here]
    # Edges in order: at each, what ends or must reopen around a later span closes (innermost first), what
    # ends here says what follows it, and what covers the stretch to the next edge opens, in ``_order``.
    points = sorted(set(starts).union(ends))
    starting: dict[int, list[int]] = {}
    for i, at in enumerate(starts):
        starting.setdefault(at, []).append(i)
    ending_here: dict[int, list[Drawn]] = {}
    if not heading:
        for d in here:
            if d.ann.end <= block_end and d.ref and d.ann.kind not in ATOMIC:
                ending_here.setdefault(d.ann.end - block_start, []).append(d)
    out: list[tuple[int, str]] = []
    stack: list[int] = []
    opened: set[str] = set()
    covering: list[int] = []  # the spans over the stretch from this edge to the next, in ``_order``
    for at in points:
        if covering:
            covering = [i for i in covering if ends[i] > at]
        # What starts here comes after what started before (``_order`` is by start first), so appending keeps the order.
        covering += [i for i in starting.get(at, ()) if ends[i] > at]
        keep, most = 0, min(len(stack), len(covering))
        while keep < most and stack[keep] == covering[keep]:
            keep += 1
        while len(stack) > keep:
            out.append((at, _close(here[stack.pop()])))
        for d in ending_here.get(at, ()):
            out.append((at, after(d)))
        for i in covering[keep:]:
            d = here[i]
            kind, ident = d.ann.kind, d.ann.id
            # A note in a heading (its only place) and a figure (the table of figures links to it) carry an id.
            first = ident not in opened and (heading and kind == "note" or kind == "figure")
            opened.add(ident)
            out.append((at, _open(d, first)))
            stack.append(i)
    return out


def _open(d: Drawn, with_id: bool) -> str:
    if d.ann.kind in ATOMIC:
        # Kept short: a long report links hundreds of terms.
        shared = f' data-tip="ann-tip-{d.tip_of}"' if d.tip_of else ""
        return (f'<span class="ann-anchor ann-anchor--{d.ann.kind}"><a class="ann-{d.ann.kind}" href="{d.href}"'
                f'{shared} aria-describedby="ann-tip-{d.tip_of or d.id}">')
    anchor = f' id="ann-ref-{d.id}"' if with_id else ""
    return f'<mark class="ann ann-{d.ann.kind}" data-ann="{d.id}"{anchor}>'


def _close(d: Drawn) -> str:
    if d.ann.kind in ATOMIC and d.tip_of:
        return f"</a>{d.flag}</span>"
    if d.ann.kind in ATOMIC:
        return f'</a>{d.flag}<span class="ann-tip" role="tooltip" id="ann-tip-{d.id}">{d.tip}</span></span>'
    return "</mark>"


def after(d: Drawn) -> str:
    """What follows a span in running text: its number, linking to the list of notes, and its tooltip."""
    label = f"{KIND_LABEL.get(d.ann.kind, '')}{d.number}"
    href = d.href or f"#ann-{d.id}"  # a note's number leads to the list of notes; a shared passage's to its source
    shared = d.ann.kind == "shared"
    return (f'<span class="ann-anchor{" ann-anchor--shared" if shared else ""}">'
            f'<a class="ann-ref{" ann-ref--shared" if shared else ""}" id="ann-ref-{d.id}" href="{href}" '
            f'aria-describedby="ann-tip-{d.id}">{label}</a>'
            f'<span class="ann-tip" role="tooltip" id="ann-tip-{d.id}">{d.tip}</span></span>')


def _changed(a: Annotation, inline: bool) -> str:
    """The "原文已变化" notice: what the note quoted, with the change to what the report says now."""
    quoted = a.body.quote
    if a.anchor is None or a.anchor.status != "changed":
        return ""
    runs = difference(quoted, a.anchor.found)
    shown = "".join({"=": "{}", "-": "<del>{}</del>", "+": "<ins>{}</ins>"}[op].format(text_for(t, inline))
                    for op, t in runs)
    tag = "span" if inline else "p"
    return (f'<{tag} class="ann-changed"><strong>原文已变化</strong>：注释所引原文与报告现在的文字不同'
            f'（删去的<del>划线</del>，新增的<ins>下划线</ins>）：{shown}</{tag}>')


def _byline(a: Annotation, inline: bool) -> str:
    entry = a.body
    parts = [text_for(entry.author, inline) if entry.author else "", entry.created or ""]
    if entry.tags:
        parts.append("标签：" + "、".join(f'<span class="ann-tag">{text_for(t, inline)}</span>' for t in entry.tags))
    if entry.link:
        parts.append(f'<a href="{attribute(entry.link, inline)}" rel="nofollow noopener">相关链接</a>')
    shown = " · ".join(p for p in parts if p)
    tag = "span" if inline else "p"
    return f'<{tag} class="ann-byline">{shown}</{tag}>' if shown else ""


def note_tip(a: Annotation) -> str:
    """A note's tooltip, as inline HTML."""
    return ('<span class="ann-tip__head">整理者注</span>' + _changed(a, True)
            + render_note(a.body.note).inline + _byline(a, True))


def notes_section(annotations: Sequence[Annotation], drawn: Sequence[Drawn], full_text: str | None) -> str:
    """The notes at the end of the page, in reading order, with links both ways, as HTML (its heading is the page's).

    Printed and read without script, this is where every note is. Notes that
    could not be placed stay here, under a warning, so none is ever lost.
    """
    notes = number_notes(annotations)
    if not notes:
        return ""
    shown = {d.id for d in drawn}
    placed = [a for a in notes if a.placed]
    lost = [a for a in notes if not a.placed]
    parts = []
    if placed:
        parts.append('<ol class="ann-list">' + "".join(_item(a, a.id in shown, full_text) for a in placed) + "</ol>")
    if lost:
        parts += [admonition_html("warning", "未能定位的注释",
                                  "<p>下面的注释所引的原文在报告现在的文字里找不到，或有几处同样符合，无法确定指哪一处；"
                                  "注释照旧保留，等待整理者核对。</p>"),
                  f'<ol class="ann-list ann-list--lost" start="{len(placed) + 1}">'
                  + "".join(_item(a, False, full_text) for a in lost) + "</ol>"]
    return "\n".join(parts)


def _item(a: Annotation, in_text: bool, full_text: str | None) -> str:
    entry = a.body
    quote = html.escape(" ".join(entry.quote.split()), quote=False)
    if in_text:
        back = f'<a class="ann-back" href="#ann-ref-{a.id}" aria-label="回到正文中的位置">↑ 回到正文</a>'
    elif a.placed and full_text:
        back = f'<span class="ann-where">（所注文字在本页未显示的部分，见<a href="{full_text}">完整正文</a>）</span>'
    elif a.placed:
        back = '<span class="ann-where">（所注文字在标题、落款中，或跨过了标题，未在正文中标出）</span>'
    elif a.anchor is not None and a.anchor.status == "ambiguous":
        back = f'<span class="ann-where">（原文在报告中有 {len(a.anchor.places)} 处同样符合，无法确定指哪一处）</span>'
    else:
        back = '<span class="ann-where">（原文在报告中找不到）</span>'
    return (f'<li id="ann-{a.id}"><p class="ann-quote">“{quote}” {back}</p>' + _changed(a, False)
            + render_note(entry.note).block + _byline(a, False) + "</li>")
