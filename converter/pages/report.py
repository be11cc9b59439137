"""A report's own page: its text with a metadata panel, the record of removals, citations,
the original file and related reports; and the redirect pages of its former addresses.

The page is written as HTML, not Markdown (``ReportPage``): Python-Markdown took
most of the build's time on these pages, and every piece here is simple
(headings, paragraphs, marks, lists, tables). Every contributed value is
escaped for HTML as it is written; headings get the anchors and table of
contents Python-Markdown would give them (``outline``).
"""

from __future__ import annotations

import hashlib
import pickle
import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Callable, Sequence

from ..annotations.links import Linker, laws_section, terms_section
from ..annotations.model import Annotation
from ..annotations.render import drawable, notes_section
from ..cache import UNREADABLE
from ..cite import highwire
from ..csp import with_policy
from ..frontmatter import dump as dump_yaml
from ..limits import PAGE_TEXT_CHARS, text_chars
from ..model import SERVED_AS_IS
from ..outline import Outline
from ..render import admonition_html, body_html, front_matter, heading_title
from ..slug import address
from .entry import UNKNOWN, Entry
from .figures import beyond_page, figures_table
from .. import spill
from .passages import OVERSIZE_MARKS, PAGE_MARKS, by_block
from .report_parts import RELATED_TITLE, ROOT, citation, download, panel, record_box, related

# Anchors the page's own sections keep, whatever the report's headings are called.
FIXED_IDS = ("notes", "figures", "terms", "laws", "cite")
# Every id this module and the theme's Markdown write follows a space; a literal start lets the search skip ahead
# (a tenth of the time of a pattern starting with \b, which also took data-id="…" for an id).
_ID = re.compile(r' id="([^"]+)"')


class ReportPage:
    """A page made as HTML: what the theme needs (``meta``, ``title``, ``toc``) and its content.

    The HTML is held (``html`` given), or was set aside in a ``Spill`` (``spooled``, its place there), or is
    kept from an earlier build (``load``, which reads it); either of the last two is read each time ``html``
    is asked for: at 10,000 reports the pages' HTML is 0.7 GB that a build need not hold at once.
    ``digest``, when given, stands for everything the page is (HTML, title, table of contents, front matter):
    equal digests, equal pages, so a finished page can be found without its HTML being read.
    A page finished from a kept head (``later``) reads its front matter, title, table of contents and ids only
    when one of them is first asked for: a page the last build wrote alike needs none of them.
    ``str()`` gives the page as a file (front matter, then the HTML), as the command line writes it; the
    MkDocs plugin hands the parts to MkDocs as they are.
    """

    def __init__(self, meta: dict, title: str, html: str | None = None, toc: list[dict] | None = None,
                 spooled: spill.Place | None = None, ids: frozenset[str] | None = None,
                 load: Callable[[], str] | None = None, digest: str | None = None) -> None:
        if sum(source is not None for source in (html, spooled, load)) != 1:
            raise ValueError("a report page has its HTML held, spooled or loaded when asked, one of them")
        self._parts: Callable[[], PageParts] | None = None
        self._meta, self._title, self._toc, self._ids = meta, title, toc or [], ids
        self.held, self.spooled, self.load = html, spooled, load
        self.digest = digest

    @classmethod
    def later(cls, parts: Callable[[], "PageParts"], load: Callable[[], str], digest: str | None) -> "ReportPage":
        """A kept page whose parts (``PageParts``) are made by ``parts()`` when first asked for."""
        page = cls({}, "", load=load, digest=digest)
        page._parts = parts
        return page

    def _read(self) -> None:
        if self._parts is not None:
            parts, self._parts = self._parts(), None
            self._meta, self._title, self._toc, self._ids = parts.meta, parts.title, parts.toc, parts.ids

    @property
    def meta(self) -> dict:
        self._read()
        return self._meta

    @property
    def title(self) -> str:
        self._read()
        return self._title

    @property
    def toc(self) -> list[dict]:
        self._read()
        return self._toc

    @property
    def ids(self) -> frozenset[str] | None:
        self._read()
        return self._ids

    @property
    def html(self) -> str:
        if self.held is not None:
            return self.held
        return spill.get(self.spooled).decode("utf-8") if self.spooled is not None else self.load()

    @property
    def deferred(self) -> bool:
        """Whether the HTML is read from elsewhere when asked for (not held)."""
        return self.held is None

    def anchors(self) -> set[str]:
        """Every id on the page, so that links from other pages to its anchors can be checked."""
        return set(self.ids) if self.ids is not None else set(_ID.findall(self.html))

    def spool(self, into: spill.Spill) -> "ReportPage":
        """The same page with its HTML set aside ``into`` the spill (and its ids noted), no longer held."""
        html = self.html
        return ReportPage(self.meta, self.title, toc=self.toc, spooled=into.put(html.encode("utf-8")),
                          ids=frozenset(_ID.findall(html)), digest=self.digest)

    def __str__(self) -> str:
        return "---\n" + dump_yaml(self.meta) + "---\n\n" + self.html + "\n"


@dataclass(frozen=True)
class PageParts:
    """What the theme reads of a report page besides its HTML."""

    meta: dict
    title: str
    toc: list[dict]
    ids: frozenset[str]


def redirect_page(alias: str, slug: str, site_url: str | None) -> str:
    """A former address of a report: sends readers and crawlers on to its present one.

    ``assets/redirect.js`` keeps the query and fragment (a search highlight, #cite);
    without script the refresh still gets the reader there.
    """
    target = f"../{slug}/"
    canonical = address(slug, site_url) if site_url else target
    page = (f'<!doctype html>\n<html lang="zh">\n<head>\n<meta charset="utf-8">\n'
            f"<title>报告已移至新网址</title>\n"
            f'<meta name="robots" content="noindex">\n<link rel="canonical" href="{canonical}">\n'
            f'<meta http-equiv="refresh" content="0; url={target}">\n'
            f'<script src="../../assets/redirect.js" defer></script>\n'
            f'</head>\n<body>\n<p>这份报告的网址已改为 <a id="moved-to" href="{target}">{address(slug)}</a>'
            f"（原网址 {address(alias)}）。</p>\n</body>\n</html>\n")
    return with_policy(page)


def text_view_path(entry: Entry) -> str:
    """The original to read in a browser: itself when UTF-8 (the host serves text as UTF-8), else a UTF-8 copy."""
    if needs_text_view(entry):
        return f"originals/{entry.slug}.utf8.txt"
    return f"originals/{entry.slug}.txt"


def needs_text_view(entry: Entry) -> bool:
    return entry.meta.encoding not in SERVED_AS_IS


def text_view(entry: Entry) -> str:
    """The original's text as decoded, with a byte-order mark so every browser reads it as UTF-8."""
    return "\ufeff" + entry.report.decoded.text


def full_text_path(entry: Entry) -> str:
    """Where the whole cleaned text of a report too long for its page is kept (UTF-8)."""
    return f"texts/{entry.slug}.txt"


def truncated(entry: Entry) -> bool:
    """Whether the report's page shows only part of its text (and the whole text gets a file of its own).

    ``text_chars`` of its structure is the length of ``entry.text`` (its blocks joined by line ends) and one, read
    so rather than summed block by block for every report in every build (0.4 s at 10,000 reports)."""
    return len(entry.text) + 1 > PAGE_TEXT_CHARS


def _truncation_notice(entry: Entry) -> str:
    total = text_chars(entry.report.structure)
    return admonition_html("warning", "页面只显示了部分正文",
                           f"<p>这份报告的正文共 {total:,} 字，远超一般报告（1 千至 1.4 万字），可能是几份报告或整个网页被粘贴进了同一个文件。"
                           f"为使页面能快速打开，上面只显示了前 {PAGE_TEXT_CHARS:,} 字。</p>"
                           f'<p><a href="{ROOT}{full_text_path(entry)}">完整正文（UTF-8 纯文本）</a>；原始文件见下方“原始文件”。</p>')


def description(entry: Entry) -> str:
    """One sentence for search engines and link previews: what, where, which year, when signed."""
    m = entry.meta
    where = entry.place if entry.place != UNKNOWN else "地区未定"
    year = f"{m.year}年度" if m.year else "年度不详的"
    signed = f"，成文于{m.date}" if m.date else ""
    return f"{where}{year}法治政府建设情况报告{signed}。{entry.display_title}"


BODY_KINDS = ("addressee", "heading", "paragraph")  # the blocks drawn as text, where marks can go


def _drawn_text(entry: Entry, max_chars: int | None, headings: bool = True):
    """Whether a span of the cleaned text lies wholly in one heading, or in one run of paragraphs the page draws.

    A span that crosses a heading's edge is listed, not drawn: its pieces would carry its anchor twice.
    Without ``headings``, only runs of paragraphs count (where terms and citations are linked).
    """
    structure = entry.report.structure
    runs: list[tuple[int, int]] = []
    previous = None
    for b, at in zip(structure.blocks, structure.starts()):
        end = at + len(b.display_text)
        if b.kind in BODY_KINDS and (headings or b.kind != "heading"):
            if runs and runs[-1][1] == at - 1 and "heading" not in (b.kind, previous):
                runs[-1] = (runs[-1][0], end)
            else:
                runs.append((at, end))
        previous = b.kind
    limit = max_chars if max_chars is not None else float("inf")
    run_starts = [a for a, _ in runs]

    def inside(start: int, stop: int) -> bool:
        at = bisect_right(run_starts, start) - 1  # runs are in order and apart: only this one can hold it
        return stop <= limit and at >= 0 and stop <= runs[at][1]
    return inside


def drawn_body(entry: Entry, other_pages: frozenset[str], outline: Outline, annotations: Sequence[Annotation],
               shared: Sequence[Annotation] = ()):
    """The annotations the page draws (of the report's own ``annotations``, and ``shared``: its passages other
    reports hold too), and its text as HTML."""
    limit = PAGE_TEXT_CHARS if truncated(entry) else None
    starts = entry.report.structure.starts()
    linker = Linker(ROOT, entry.meta.year, other_pages, lambda at: bisect_right(starts, at))
    pieces = tuple(by_block(shared, entry.report.structure, BODY_KINDS, OVERSIZE_MARKS if limit else PAGE_MARKS))
    left_out = beyond_page(entry)
    own = tuple(a for a in annotations if a.id not in left_out)
    drawn = drawable(own + pieces, _drawn_text(entry, limit), linker,
                     _drawn_text(entry, limit, False))
    return drawn, body_html(entry.report, outline, limit, drawn)


def _section(outline: Outline, title: str, ident: str, content: str) -> str:
    return outline.heading(2, title, ident=ident) + "\n" + content if content else ""


@dataclass
class PageBody:
    """A report's page but its related reports, which are the one part made from other reports' metadata:
    what ``pages.kept`` keeps between builds. ``outline`` holds its headings, for the rest to follow."""

    meta: dict
    title: str
    html: str
    outline: Outline

    def head(self) -> "PageHead":
        """Its head, sharing its outline and meta, which finishing the page adds to: for ``pages.kept`` to pickle
        at once, before the page is finished (a copy of the outline made here took 1.4 s at 10,000 reports, and
        the pickle copies it anyway)."""
        return PageHead(self.meta, self.title, self.outline, frozenset(_ID.findall(self.html)))


@dataclass
class PageHead:
    """A kept body without its HTML (``pages.kept`` keeps it apart, small): enough to finish the page, list its
    anchors and know it again, without reading the HTML until the page has to be written."""

    meta: dict
    title: str
    outline: Outline
    ids: frozenset[str]


@dataclass(frozen=True)
class KeptHead:
    """A kept body's head as the book of heads holds it (``pages.kept``): pickled, and read only when the page's
    parts are asked for (a page the last build wrote alike needs none: reading every head took 0.1 s a build at
    1,000 reports); and the id its related reports' heading takes, which every build needs for the page's digest."""

    related_id: str
    pickled: bytes

    @classmethod
    def of(cls, body: PageBody) -> "KeptHead":
        """``body``'s head, before its page is finished (finishing adds to its outline)."""
        return cls(body.outline.next_id(RELATED_TITLE), pickle.dumps(body.head(), protocol=pickle.HIGHEST_PROTOCOL))

    def read(self) -> PageHead | None:
        """The head, a copy of its own (the caller may add to its outline); None when it cannot be read."""
        try:
            head = pickle.loads(self.pickled)
        except UNREADABLE:
            return None
        return head if isinstance(head, PageHead) else None


def report_body(entry: Entry, site_url: str | None = None, repo_url: str | None = None,
                other_pages: frozenset[str] = frozenset(), shared: Sequence[Annotation] = ()) -> PageBody:
    """Everything of the report's page but its related reports (``finish_page`` adds them).

    ``other_pages``: the unregistered documents (by normalised title) that have a page;
    ``shared``: the marks of its passages that other reports hold too (``pages.passages``).
    """
    data = front_matter(entry.report, entry.term_counts)
    # What the page's template reads: the scripts it loads, its description, its citation meta tags.
    data["scripts"] = ["search", "cite"]  # search: highlights a search's matches (?h=)
    cut = truncated(entry)
    outline = Outline(FIXED_IDS)
    heading = outline.heading(1, heading_title(entry.report) or entry.display_title)  # first: the TOC nests under it
    annotations = tuple(entry.report.annotations)  # its term marks unpacked once, for the text and the sections
    drawn, text_html = drawn_body(entry, other_pages, outline, annotations, shared)
    if drawn or entry.notes:
        data["scripts"].append("annotations")  # opens a note or term on tap; hover and focus need no script
    data["description"] = description(entry)
    data["citation"] = [{"name": name, "content": content}
                        for name, content in highwire(entry.meta, entry.display_title, address(entry.slug, site_url))]
    full_text = f"{ROOT}{full_text_path(entry)}" if cut else None
    parts = [heading, panel(entry, repo_url), text_html, _truncation_notice(entry) if cut else "",
             _section(outline, "注释", "notes", notes_section(annotations, drawn, full_text)),
             _section(outline, "主要数据", "figures", figures_table(entry, {d.id for d in drawn})),
             _section(outline, "本文涉及的术语", "terms", terms_section(annotations, ROOT)),
             _section(outline, "本文引用的法规文件", "laws",
                      laws_section(annotations, ROOT, entry.meta.year, other_pages)),
             record_box(entry), citation(entry, outline, site_url),
             download(entry, outline, text_view_path(entry))]
    return PageBody(data, entry.display_title, "\n".join(p for p in parts if p), outline)


def finish_page(body: PageBody, entry: Entry, by_town, by_county, by_province, key: str | None = None) -> ReportPage:
    """The page: ``body`` (which it uses up) and the report's related reports; ``key``, the body's key in
    ``pages.kept``, makes the page's ``digest``."""
    more = _under_heading(body.outline, body.outline.next_id(RELATED_TITLE),
                          related(entry, by_town, by_county, by_province))
    html = body.html + "\n" + more if more else body.html
    return ReportPage(body.meta, body.title, html, body.outline.toc(), digest=page_digest(key, more))


def finish_kept(head: KeptHead, key: str, load: Callable[[], PageBody], entry: Entry, by_town, by_county,
                by_province) -> ReportPage:
    """The page of a kept body, from its ``head`` alone: its HTML is read (``load``) when it is asked for, and its
    head when its parts are (``ReportPage.later``; a head that cannot be read is taken from the body).

    What the page adds to the body (its related reports) is made now; the same as ``finish_page`` would make.
    """
    sections = related(entry, by_town, by_county, by_province)
    more = _under_heading(Outline(), head.related_id, sections)

    def html() -> str:
        body = load().html
        return body + "\n" + more if more else body

    def parts() -> PageParts:
        read = head.read() or load().head()
        _under_heading(read.outline, head.related_id, sections)  # the related reports' entry in the contents
        return PageParts(read.meta, read.title, read.outline.toc(), read.ids | frozenset(_ID.findall(more)))

    return ReportPage.later(parts, load=html, digest=page_digest(key, more))


def _under_heading(outline: Outline, ident: str, sections: str) -> str:
    """The related reports' ``sections`` under their heading, added to ``outline`` as ``ident``; nothing when
    there are none."""
    return outline.heading(2, RELATED_TITLE, ident=ident) + "\n" + sections if sections else ""


def page_digest(key: str | None, more: str) -> str | None:
    """A page's identity: its body's key (a digest of all the body is made from) and what was added to it."""
    if key is None:
        return None
    return hashlib.sha256(f"{key}\0{more}".encode("utf-8", "surrogatepass")).hexdigest()
