"""A note's Markdown as inert HTML, in two forms: a block for the list of notes, inline for its tooltip.

Notes are written by contributors, so they are untrusted like every contributed
value: Python-Markdown parses them with raw HTML switched off (``<b>`` shows as
text), and the HTML is written here from the parsed tree by an allow-list —
paragraphs, lists, quotes, code, emphasis, line breaks, and links to
``http(s)`` addresses only (``javascript:`` and the like keep their text and
lose the link). Images become links, since the site loads nothing from other
hosts; headings become bold paragraphs, since they would join the page's
table of contents.

The inline form is the tooltip: spans instead of blocks, in the report page's
HTML (written directly, so escaped for HTML only and never read as Markdown).
The block form also goes into the notes page, a Markdown page, as a raw HTML block.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

import markdown
from markdown.treeprocessors import Treeprocessor


# Block elements of a note, and the class of the <span> that stands for each inside a paragraph.
INLINE_CLASS = {"p": "ann-p", "ul": "ann-ul", "ol": "ann-ol", "li": "ann-li", "blockquote": "ann-bq",
                "pre": "ann-pre"}
KEPT = {"p", "ul", "ol", "li", "blockquote", "pre", "code", "em", "strong", "br", "a"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


@dataclass(frozen=True)
class NoteHTML:
    block: str    # for a raw HTML block (the list of notes at the end of the page)
    inline: str   # for inside a paragraph of the report's text (the tooltip)
    text: str     # plain text, for search and the data files


class _Keep(Treeprocessor):
    def run(self, root: ET.Element) -> None:
        self.md.note_tree = root  # type: ignore[attr-defined]


class _NoRawHTML(markdown.Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        md.preprocessors.deregister("html_block")
        for name in ("html", "entity", "automail"):
            md.inlinePatterns.deregister(name)
        md.treeprocessors.register(_Keep(md), "keep_note_tree", -10)


@lru_cache(maxsize=1)
def _parser() -> markdown.Markdown:
    return markdown.Markdown(extensions=[_NoRawHTML()])


@lru_cache(maxsize=4096)
def render_note(text: str) -> NoteHTML:
    md = _parser()
    md.reset()
    md.convert(text)
    root = md.note_tree  # type: ignore[attr-defined]
    return NoteHTML(block="".join(_write(child, inline=False) for child in root),
                    inline="".join(_write(child, inline=True) for child in root),
                    text=" ".join(_plain(root).split()))


def _plain(el: ET.Element) -> str:
    return _own_text(el, el.text) + "".join(_plain(c) + (c.tail or "") for c in el)


def safe_href(href: str | None) -> str | None:
    """The address when it is an absolute http(s) one with a host; None otherwise."""
    if not href:
        return None
    try:
        parts = urlsplit(href.strip())
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.hostname and not re.search(r"[\s<>\"']", href):
        return href.strip()
    return None


def text_for(value: str, inline: bool) -> str:
    """Text that shows as itself in HTML: in a tooltip (``inline``), or in a raw HTML block of the Markdown."""
    if inline:
        return html.escape(value.replace("\n", " "), quote=False)
    return html.escape(value, quote=False).replace("\n", "&#10;")  # a raw HTML block must not hold a blank line


def attribute(value: str, inline: bool) -> str:
    """An attribute value that stays one value (the same in a tooltip and in a raw HTML block)."""
    return html.escape(value, quote=True)


def _own_text(el: ET.Element, text: str | None) -> str:
    """Text as written: Python-Markdown stores code already HTML-escaped."""
    return html.unescape(text or "") if el.tag == "code" else text or ""


def _children(el: ET.Element, inline: bool) -> str:
    out = text_for(_own_text(el, el.text), inline)
    for child in el:
        out += _write(child, inline) + text_for(child.tail or "", inline)
    return out


def _write(el: ET.Element, inline: bool) -> str:
    tag = el.tag if isinstance(el.tag, str) else ""
    inner = _children(el, inline)
    if tag in HEADINGS:
        tag, inner = "p", f"<strong>{inner}</strong>"
    if tag == "img":
        href = safe_href(el.get("src"))
        label = text_for(el.get("alt") or "图片", inline)
        return f'<a href="{attribute(href, inline)}" rel="nofollow noopener">［图片：{label}］</a>' if href else label
    if tag == "a":
        href = safe_href(el.get("href"))
        return f'<a href="{attribute(href, inline)}" rel="nofollow noopener">{inner}</a>' if href else inner
    if tag == "hr":
        return "" if inline else "<hr>"
    if tag == "br":
        return "<br>"
    if tag not in KEPT:
        return inner
    if inline and tag in INLINE_CLASS:
        return f'<span class="{INLINE_CLASS[tag]}">{inner}</span>'
    return f"<{tag}>{inner}</{tag}>"
