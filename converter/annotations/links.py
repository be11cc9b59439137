"""How terms and citations are drawn: each a link to its page, with a tooltip that works without script.

The tooltip is HTML in the page (the page is written as HTML, so it is
escaped for HTML alone), so hover and keyboard focus need nothing
else; ``annotations.js`` adds taps. The lists at the end of the page give
every term and document once, for print.
"""

from __future__ import annotations

import hashlib
import html
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Sequence

from ..reference import glossary, registry
from .body import text_for
from .citations import Citation
from .model import Annotation, of_kind
from .render import Drawn


@dataclass
class CitedHere:
    """One document as a report cites it: the first citation, the forms written, and how often."""

    first: Annotation
    forms: list[str] = field(default_factory=list)
    count: int = 0


def by_document(annotations: Sequence[Annotation]) -> dict[str, CitedHere]:
    """A report's citations grouped by the cited document's page name, in the order first cited."""
    out: dict[str, CitedHere] = {}
    for a in of_kind(annotations, "law"):
        here = out.setdefault(page_name(a.body), CitedHere(a))
        if a.body.cited_as not in here.forms:
            here.forms.append(a.body.cited_as)
        here.count += 1
    return out


@lru_cache(maxsize=65536)  # citations of one written title are one Citation: each name is hashed once
def page_name(c: Citation) -> str:
    """The address name of a cited document's page: its registry id, or one made from its normalised title."""
    if c.document:
        return c.document
    return "qita-" + hashlib.sha256(c.key.encode("utf-8")).hexdigest()[:10]


def cn_date(value: str | None) -> str:
    """'2021-01-01' → '2021年1月1日'; '2021-08' → '2021年8月'; '2021' → '2021年'."""
    if not value:
        return ""
    parts = value.split("-")
    return "".join(f"{int(p)}{unit}" for p, unit in zip(parts, "年月日"))


def _t(value: str) -> str:
    return text_for(value, True)


@lru_cache(maxsize=4096)  # a term's tooltip is the same on every page: made once per process
def term_tip(term: glossary.Term) -> str:
    return (f'<span class="ann-tip__head">术语：{_t(term.term)}</span>{_t(term.zh)}'
            '<span class="ann-tip__more">点按或回车查看术语详解与英文释义</span>')


def dates(doc: registry.Document) -> str:
    """A document's dates, as known: when it was made, took effect, its current text, its end."""
    parts = []
    if doc.published:
        parts.append(f"{cn_date(doc.published)}公布")
    if doc.effective and doc.effective != doc.published:
        parts.append(f"{cn_date(doc.effective)}施行")
    if doc.version and doc.version != doc.published:
        parts.append(f"现行文本公布于{cn_date(doc.version)}")
    if doc.revised:
        parts.append("修订：" + "、".join(cn_date(r) for r in doc.revised))
    return "，".join(parts)


def ended(doc: registry.Document, reg: registry.Registry) -> str:
    """What the registry knows of a document's end: when it was repealed or replaced, and by what."""
    if not (doc.repealed or doc.superseded_by or doc.status in ("已废止", "已失效", "已被取代")):
        return ""
    by = reg.by_id.get(doc.superseded_by or "")
    when = f"于{cn_date(doc.repealed)}" if doc.repealed else "现已"
    what = f"被《{by.title}》取代" if by else (doc.status if doc.status in ("已失效", "已被取代") else "废止")
    return f"{when}{what}"


def law_tip(doc: registry.Document | None, reg: registry.Registry, late: bool, year: int | None) -> str:
    if doc is None:
        return ('<span class="ann-tip__head">其他文件</span>档案的法规库没有收录这份文件（多为地方或部门的文件）；'
                '<span class="ann-tip__more">点按或回车查看引用它的全部报告</span>')
    lines = [f'<span class="ann-tip__head">{_t(doc.kind)}</span>《{_t(doc.title)}》']
    facts = "，".join(x for x in (_t(doc.issuer or ""), dates(doc)) if x)
    if facts:
        lines.append(f'<span class="ann-tip__line">{facts}</span>')
    end = ended(doc, reg)
    if end:
        warn = f"，早于本报告所述的 {year} 年" if late else ""
        lines.append(f'<span class="ann-tip__line ann-tip__warn">这份文件{_t(end)}{warn}</span>')
    lines.append('<span class="ann-tip__more">点按或回车查看引用它的全部报告</span>')
    return "".join(lines)


# Links one page draws at most: a real report has 20 to 70; a file of pasted-together reports would have
# thousands, and its page must stay small (citations come first, then terms in reading order).
LINKS_MAX = 200
LIST_MAX = 100  # documents listed at the end of one page


class Linker:
    """Draws a page's terms and citations: ``root`` leads from the page to the site's top.

    ``other_pages``: the normalised titles of unregistered documents that have a
    page (those cited by more than one report); other citations are not drawn.
    A term or document carries its tooltip at its first link on the page; its
    later links point to that one (``Drawn.tip_of``): a report that says
    依法行政 forty times carries the definition once, not forty times, and
    ``annotations.js`` shows it at every link (without script, the later links
    still lead to the term's page, and the list of terms ends the page).
    ``block`` numbers the paragraph (or heading) a position is in: a term or
    document is linked once a paragraph, at its first occurrence there, so a
    paragraph that says 普法 five times is not five links.
    """

    def __init__(self, root: str, year: int | None, other_pages: frozenset[str] | set[str] = frozenset(),
                 block: Callable[[int], int] = lambda at: 0) -> None:
        self.root, self.year, self.other_pages, self.block = root, year, other_pages, block
        self.terms = glossary.load().by_id
        self.first: dict[tuple, str] = {}
        self.linked: set[tuple] = set()

    def _shared(self, a: Annotation, what: str) -> str:
        """The id of this thing's first link on the page, when this link is not that one."""
        key = (a.kind, what)
        first = self.first.setdefault(key, a.id)
        return "" if first == a.id else first

    def __call__(self, a: Annotation) -> Drawn | None:
        if len(self.linked) >= LINKS_MAX:
            return None
        what = a.body if a.kind == "term" else page_name(a.body) if a.kind == "law" else None
        here = (self.block(a.start), a.kind, what)
        if what is None or here in self.linked:
            return None
        drawn = self._draw(a, what)
        if drawn is not None:
            self.linked.add(here)
        return drawn

    def _draw(self, a: Annotation, what: str) -> Drawn | None:
        """``what``: the term's id, or the cited document's page name."""
        if a.kind == "term":
            term = self.terms.get(what)
            if term is None:
                return None
            shared = self._shared(a, what)
            return Drawn(a, 0, "" if shared else term_tip(term), f"{self.root}terms/{what}/", tip_of=shared)
        c: Citation = a.body
        reg = registry.load()
        doc = reg.by_id.get(c.document or "")
        if doc is None and c.key not in self.other_pages:
            return None
        late = doc is not None and registry.superseded(doc, self.year)
        flag = '<span class="ann-flag">当时已失效</span>' if late else ""
        shared = self._shared(a, what)
        return Drawn(a, 0, "" if shared else law_tip(doc, reg, late, self.year), f"{self.root}laws/{what}/",
                     flag, shared)


def terms_section(annotations, root: str) -> str:
    """The terms the page marks, each once with its definition: what print and screen readers get in one place."""
    by_id = glossary.load().by_id
    used = list(dict.fromkeys(a.body for a in of_kind(annotations, "term") if a.body in by_id))
    if not used:
        return ""
    items = "".join(f'<dt><a href="{root}terms/{t.id}/">{html.escape(t.term)}</a></dt><dd>{html.escape(t.zh)}</dd>'
                    for t in sorted((by_id[i] for i in used), key=lambda t: t.term))
    listed = (f'<dl class="term-list">{items}</dl>'
              f'<p class="term-note">释义由本档案编写，点击术语可查看英文释义、出处和用到它的其他报告；'
              f'全部术语见<a href="{root}terms/">术语表</a>。</p>')
    return listed


def laws_section(annotations, root: str, year: int | None, other_pages) -> str:
    """Every document the report cites, once each, linked to its page; a repealed one says so."""
    reg = registry.load()
    cited = by_document(annotations)
    if not cited:
        return ""
    rows = []
    for name, here in list(cited.items())[:LIST_MAX]:
        c: Citation = here.first.body
        doc = reg.by_id.get(c.document or "")
        title = doc.title if doc else here.forms[0]
        shown = html.escape(f"《{title}》")
        if doc is not None or c.key in other_pages:
            shown = f'<a href="{root}laws/{name}/">{shown}</a>'
        kind = doc.kind if doc else registry.OTHER
        forms = "、".join(html.escape(f"《{f}》") for f in here.forms if f != title)
        late = doc is not None and registry.superseded(doc, year)
        extra = (f"，引作{forms}" if forms else "") + ('<span class="ann-flag">报告所述年度之前已失效</span>' if late else "")
        rows.append(f"<li>{shown}（{kind}{extra}）</li>")
    more = f"<p>另有 {len(cited) - LIST_MAX} 种文件未列出。</p>" if len(cited) > LIST_MAX else ""
    return f'<ul class="law-list">{"".join(rows)}</ul>{more}'
