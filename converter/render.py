"""Stage 6: write the report as Markdown with YAML front matter, and its text as the HTML of its page.

The body holds the report's own words, escaped so that characters Markdown or
HTML treat specially (``*``, ``#``, ``<script>``, ``|``) show literally. The
front matter holds the metadata, where each value came from, what the cleaner
removed and what the parser restored. The site's report pages take the same
blocks straight to HTML (``body_html``), escaped for HTML alone: Python-Markdown
never reads a report's text.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import Any, Mapping, Sequence

from . import frontmatter
from .model import Metadata, Report, blocks_reached

_BACKSLASHED = re.compile(r"([\\`*_{}\[\]#])")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "|": "&#124;", "~": "&#126;"}
_ENTITY_CHARS = re.compile("[&<>|~]")
_BLOCK_START = re.compile(r"^(\d+)([.)])(\s)|^([-+])", re.MULTILINE)
# Line starts the site's extensions read as blocks: !!! admonition, ??? details, === tabs (and a
# setext underline). Not backslash-escapable in Python-Markdown, so written as character references.
_EXTENSION_START = re.compile(r"^[!?=]", re.MULTILINE)
# C0 controls (\x02 and \x03 are Python-Markdown's own placeholder marks) shown as their visible pictures (␃).
_C0_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")
# What ``escape_html`` changes (html.escape without quotes, and the control characters): most text has none.
_ESCAPED = re.compile(r"[&<>\x00-\x08\x0b-\x1f]")


def escape_characters(text: str) -> str:
    """The Markdown escapes that do not depend on where in a line the text is."""
    text = _pictures(text)
    text = _BACKSLASHED.sub(r"\\\1", text)
    return _ENTITY_CHARS.sub(lambda m: _ENTITIES[m.group()], text)


def escape_html(text: str) -> str:
    """Text that shows as itself in HTML; control characters (never let through) as their pictures (␃)."""
    if not _ESCAPED.search(text):
        return text
    return html.escape(_pictures(text), quote=False)


def admonition_html(kind: str, title: str, inner: str) -> str:
    """A boxed remark as Material draws an admonition: ``title`` (text) over ``inner`` (HTML)."""
    return f'<div class="admonition {kind}"><p class="admonition-title">{escape_html(title)}</p>{inner}</div>'


def _pictures(text: str) -> str:
    """Control characters as their visible pictures (␃)."""
    return _C0_CONTROL.sub(lambda m: chr(0x2400 + ord(m.group())), text)


def with_inserts(text: str, inserts: Sequence[tuple[int, str]]) -> str:
    """``text`` escaped for HTML, with ``inserts`` ((offset, HTML) pairs, in order) put between its characters."""
    out, cut = [], 0
    for at, piece in inserts:
        out += [escape_html(text[cut:at]), piece]
        cut = at
    out.append(escape_html(text[cut:]))
    return "".join(out)


def _escape_line_start(text: str) -> str:
    """A line that starts like a list item, a setext underline or an extension's block must not become one."""
    text = _EXTENSION_START.sub(lambda m: f"&#{ord(m.group())};", text)
    return _BLOCK_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}{m.group(3)}" if m.group(1)
                            else "\\" + m.group(4), text)


def escape_markdown(text: str) -> str:
    """Make ``text`` render literally in Python-Markdown with the site's extensions, line by line.

    Spaces at a line's edges are dropped: HTML does not show them, and in
    Markdown they would make an indented code block or a hard line break.
    Control characters, which no report or sidecar lets through, would still
    show as their pictures (␃), never as Markdown's own placeholder marks.
    """
    lines = [escape_characters(line.strip(" \t")) for line in text.split("\n")]
    return "\n".join(_escape_line_start(line) if line else line for line in lines)


@lru_cache(maxsize=1 << 16)
def escape_label(text: str) -> str:
    """``escape_markdown`` of a short text the cross-report pages print again and again (a report's title and
    place on every list that names it: 50,000 times over 1,000 reports), made once per text."""
    return escape_markdown(text)


def _dump(data: dict[str, Any]) -> str:
    return frontmatter.dump(data)


def front_matter(report: Report, term_counts: Mapping[str, int] | None = None) -> dict[str, Any]:
    """The converted report's front matter; ``term_counts`` when already counted (``annotations.terms.counts``)."""
    meta: Metadata = report.metadata
    data: dict[str, Any] = meta.as_dict()
    data.pop("source", None)
    data["source_file"] = report.path.replace("\\", "/").rsplit("/", 1)[-1]
    for key, value in sorted(meta.annotations.items()):
        if key not in data:
            data[key] = value
    data["provenance"] = dict(sorted(meta.sources.items()))
    data["warnings"] = [w.message for w in meta.warnings]
    data["removed"] = [r.as_dict() for r in report.cleaned.removals]
    data["restored"] = [r.as_dict() for r in report.structure.restorations]
    from .annotations.model import of_kind
    from .annotations.notes import record

    notes = [record(a) for a in of_kind(report.annotations, "note")]
    if notes:
        data["annotations"] = notes
    cited = of_kind(report.annotations, "law")
    if cited:
        data["citations"] = [{"cited_as": a.body.cited_as, "document": a.body.document, "start": a.start,
                              "end": a.end} for a in cited]
    if term_counts is None:
        from .annotations.terms import counts

        term_counts = report.term_counts if report.term_counts is not None else counts(report.structure.text())
    used = term_counts
    if used:
        data["terms"] = dict(sorted(used.items()))
    return data


def heading_title(report: Report) -> str:
    """The report's H1: the issuing bodies above its title, then the title ("" for a report without either)."""
    blocks = report.structure.blocks
    issuers = [b.text for b in blocks if b.kind == "issuer"]
    title = next((b.text for b in blocks if b.kind == "title"), "")
    return " ".join(issuers) + title


def body(report: Report) -> str:
    """The report's text as Markdown (what ``convert`` writes): its title as the one H1, its headings, its paragraphs.

    The signature is kept: it says who signed and when.
    """
    blocks = list(report.structure.blocks)
    parts: list[str] = []
    head = heading_title(report)
    if head:
        parts.append("# " + escape_markdown(head))
    for b in blocks:
        if b.kind in ("issuer", "title", "signature"):
            continue
        prefix = "#" * b.level + " " if b.kind == "heading" else ""
        parts.append(prefix + escape_markdown(b.display_text))
    signature = [html.escape(b.text, quote=False).replace("|", "&#124;") for b in blocks if b.kind == "signature"]
    if signature:
        parts.append('<p class="signature">\n' + "<br>\n".join(signature) + "\n</p>")
    return "\n\n".join(parts) + "\n"


def body_html(report: Report, outline: Any, max_chars: int | None = None, drawn: Sequence[Any] = ()) -> str:
    """The report's text below its title as its page's HTML; with ``max_chars``, only its first ``max_chars``
    characters.

    Headings get their anchors from ``outline`` (``outline.Outline``), which
    must hold the page's H1 already (``heading_title``), so that the table of
    contents nests them under it. ``drawn`` are the annotations to draw
    (``annotations.render.drawable``); they must lie wholly in the text shown.
    The signature is kept in either case.
    """
    from .annotations.render import inserts

    blocks = list(report.structure.blocks)
    starts = report.structure.starts()
    # Each block is given only the spans that reach into it: a long report has hundreds of each.
    reaching: list[list[Any]] = [[] for _ in blocks]
    for d in drawn:
        for i in blocks_reached(starts, d.ann.start, d.ann.end):
            reaching[i].append(d)
    parts: list[str] = []
    left = max_chars if max_chars is not None else float("inf")
    for b, start, here in zip(blocks, starts, reaching):
        if b.kind in ("issuer", "title", "signature"):
            continue
        if left <= 0:
            break
        text = b.display_text if len(b.display_text) <= left else b.display_text[:int(left)]
        left -= len(b.display_text) + 1
        heading = b.kind == "heading"
        shown = with_inserts(text, inserts(here, start, text, heading)) if here else escape_html(text)
        parts.append(outline.heading(b.level, text.strip(), shown) if heading else f"<p>{shown}</p>")
    signature = [escape_html(b.text) for b in blocks if b.kind == "signature"]
    if signature:
        parts.append('<p class="signature">' + "<br>\n".join(signature) + "</p>")
    return "\n".join(parts)


def to_markdown(report: Report) -> str:
    return "---\n" + _dump(front_matter(report)) + "---\n\n" + body(report)
