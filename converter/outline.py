"""A page's headings as HTML, with the anchors and table of contents Python-Markdown's ``toc`` would give them.

Report pages are written as HTML directly (Python-Markdown took most of the
build's time on them), yet their headings must keep the anchors readers have
linked to and the table of contents the theme shows. So each heading gets the
id the site's ``toc`` extension makes (``pymdownx.slugs.slugify`` with
``case: lower``: whitespace collapsed, tags dropped, NFC, lower case, only
word characters, ``-`` and spaces kept, spaces as ``-``; a repeat gets ``_1``, ``_2``), the
permalink the site configures, and a table-of-contents entry, nested as
Python-Markdown nests them. The tests hold this equal to Python-Markdown's
output for every heading of the seeds and samples.
"""

from __future__ import annotations

import re
import unicodedata

from .render import escape_html

PERMALINK_TITLE = "本节链接"  # mkdocs.yml: markdown_extensions.toc.permalink_title
_TAGS = re.compile(r"</?[^>]*>")
_NOT_SLUG = re.compile(r"[^\w\- ]")
_COUNTED = re.compile(r"^(.*)_([0-9]+)$")


def slugify(text: str) -> str:
    """A heading's anchor from its plain text, as ``pymdownx.slugs.slugify(case="lower")`` makes it."""
    slug = _TAGS.sub("", unicodedata.normalize("NFC", text)).strip().lower()
    return _NOT_SLUG.sub("", slug).replace(" ", "-")


def _plain(text: str) -> str:
    """A heading's text as Python-Markdown names it: its whitespace collapsed."""
    return " ".join(text.split())


class Outline:
    """The headings of one page, in order: each gets a unique id and a table-of-contents entry."""

    def __init__(self, reserved: tuple[str, ...] = ()) -> None:
        self.ids: set[str] = set(reserved)
        self.flat: list[dict] = []

    def unique(self, wanted: str) -> str:
        """``wanted``, or with ``_1``, ``_2`` … when taken or empty (Python-Markdown's ``toc.unique``)."""
        ident = self.free(wanted)
        self.ids.add(ident)
        return ident

    def free(self, wanted: str) -> str:
        """The id ``unique`` would give ``wanted`` now, without taking it."""
        ident = wanted
        if ident in self.ids or not ident:
            m = _COUNTED.match(ident)
            base, count = (m.group(1), int(m.group(2))) if m else (ident, 0)
            count += 1
            while f"{base}_{count}" in self.ids:
                count += 1
            ident = f"{base}_{count}"
        return ident

    def next_id(self, text: str) -> str:
        """The id a heading of plain ``text`` added now would get (``heading``), without adding it."""
        return self.free(slugify(_plain(text)))

    def heading(self, level: int, text: str, inner_html: str | None = None, ident: str | None = None) -> str:
        """An ``<hN>`` for plain ``text`` (shown as ``inner_html`` when given), with its anchor and permalink.

        ``ident`` fixes the anchor (``cite``, ``notes``): reserve it when making the outline.
        """
        plain = _plain(text)
        ident = ident if ident is not None else self.unique(slugify(plain))
        self.flat.append({"level": level, "id": ident, "name": escape_html(plain)})
        shown = inner_html if inner_html is not None else escape_html(text)
        return (f'<h{level} id="{ident}">{shown}<a class="headerlink" href="#{ident}" '
                f'title="{PERMALINK_TITLE}">&para;</a></h{level}>')

    def toc(self) -> list[dict]:
        """The entries nested by level: each heading under the nearest heading before it of a higher level."""
        roots: list[dict] = []
        stack: list[dict] = []
        for flat in self.flat:
            token = {**flat, "children": []}
            while stack and stack[-1]["level"] >= token["level"]:
                stack.pop()
            (stack[-1]["children"] if stack else roots).append(token)
            stack.append(token)
        return roots
