"""Key figures (``annotations.figures``): the table on each report's page, a page per category comparing
reports, and ``data/figures.json``."""

from __future__ import annotations

import html
from collections import defaultdict

from ..annotations.figures import CATEGORIES, CATEGORY_NAMES
from ..annotations.model import of_kind
from .entry import Entry, json_list

CATEGORY_ROWS = 1000  # rows on a category's page (the most recent years first); data/figures.json holds all
PAGE_FIGURES = 60     # figures in a report page's table and marks (a pasted-together file has hundreds)


def _figures(entry: Entry):
    return of_kind(entry.annotations, "figure")


def beyond_page(entry: Entry) -> set[str]:
    """The ids of the figures a report's page leaves out of its table (and so does not mark)."""
    return {a.id for a in _figures(entry)[PAGE_FIGURES:]}


def shown_value(value: float, unit: str, approx: bool) -> str:
    number = f"{value:,.0f}" if value == int(value) else f"{value:,.2f}".rstrip("0").rstrip(".")
    return ("约 " if approx else "") + number + ("" if unit == "%" else " ") + unit


def figures_table(entry: Entry, drawn_ids: set[str]) -> str:
    """The report's figures as a small table, each linked to its clause in the text (when the page shows it)."""
    rows = []
    figures = _figures(entry)
    for a in figures[:PAGE_FIGURES]:
        f = a.body
        label = html.escape(f.label)
        if a.id in drawn_ids:
            label = f'<a href="#ann-ref-{a.id}">{label}</a>'
        rows.append(f'<tr><td>{html.escape(f.name)}</td><td class="figure-value">'
                    f"{html.escape(shown_value(f.value, f.unit, f.approx))}</td><td>{label}</td></tr>")
    if not rows:
        return ""
    return ('<table class="figure-table"><thead><tr><th>类别</th><th>数值</th><th>原文</th></tr></thead><tbody>'
            + "".join(rows) + "</tbody></table>"
            + (f"<p>另有 {len(figures) - PAGE_FIGURES} 项未列出，见 data/figures.json。</p>"
               if len(figures) > PAGE_FIGURES else "")
            + '<p class="term-note">数据由程序从正文中摘出，只取能确定类别、单位和年度的数字；'
            '带“约”的为原文写作“余”“近”“约”“万”等的概数。各类数据的比较见<a href="../../figures/">主要数据</a>。</p>')


def figures_data(entries: list[Entry]) -> str:
    """``data/figures.json``: every figure, with the sentence it came from and that sentence's position."""
    out = []
    for e in entries:
        for a in _figures(e):
            f = a.body
            out.append({"slug": e.slug, "category": f.name, "category_id": f.category, "label": f.label,
                        "value": f.value, "unit": f.unit, "approx": f.approx, "sentence": f.sentence,
                        "start": f.sentence_start, "end": f.sentence_end})
    return json_list(out)


def figures_pages(entries: list[Entry]) -> dict[str, str]:
    """``figures/index.md`` (the categories, with how many reports give each) and a page per category."""
    by_category: dict[str, list] = defaultdict(list)
    for e in entries:
        for a in _figures(e):
            by_category[a.body.category].append((e, a))
    lines = ["# 主要数据", "",
             "程序从每份报告的正文中摘出的数字，按类别列出，便于比较各地的工作量。只取能确定类别、单位和所属年度的数字："
             "写明其他年度、累计数、同比增减或百分点的句子不取，同一小句里有两个数的也不取，宁缺毋滥。"
             "每个数字都链接到它在报告中的原句；全部数据见 [data/figures.json](../data/figures.json)。", "",
             "| 类别 | 报告数 | 数字数 |", "|---|---|---|"]
    files = {}
    for ident, name, _, _ in CATEGORIES:
        items = by_category.get(ident, [])
        reports = len({e.slug for e, _ in items})
        lines.append(f"| [{name}]({ident}.md) | {reports} | {len(items)} |")
        files[f"figures/{ident}.md"] = category_page(ident, items)
    files["figures/index.md"] = "\n".join(lines) + "\n"
    return files


def category_page(ident: str, items: list) -> str:
    """One category: every report's figure, sortable by any column (``assets/sort.js``), newest year first."""
    name = CATEGORY_NAMES[ident]
    items = sorted(items, key=lambda ea: (-(ea[0].meta.year or 0), -ea[1].body.value, ea[0].slug))
    rows = []
    for e, a in items[:CATEGORY_ROWS]:
        f = a.body
        place = html.escape(" ".join(p for p in (e.meta.province, e.meta.city, e.meta.county) if p))
        rows.append(f'<tr><td><a href="../../reports/{e.slug}/#ann-ref-{a.id}">{html.escape(e.meta.unit or e.display_title)}'
                    f'</a></td><td data-sort="{e.meta.year or 0}">{e.meta.year or "不详"}</td><td>{place}</td>'
                    f'<td data-sort="{f.value}" class="figure-value">{html.escape(shown_value(f.value, f.unit, f.approx))}</td>'
                    f"<td>{html.escape(f.label)}</td></tr>")
    more = (f"\n\n共 {len(items):,} 个数字，这里列出最近年度的 {CATEGORY_ROWS:,} 个；全部见 data/figures.json。"
            if len(items) > CATEGORY_ROWS else "")
    table = ('<div class="figure-scroll"><table class="figure-table sortable"><thead><tr><th>报告单位</th><th>年度</th><th>地区</th><th>数值</th>'
             "<th>原文</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table></div>") if rows else "暂无报告给出这一类数字。"
    return ("---\nscripts: [sort]\n---\n\n"
            f"# 主要数据：{name}\n\n[← 全部类别](index.md)\n\n"
            "点击表头可按该列排序。概数（原文写作“余”“近”“约”“万”等）标有“约”。\n\n" + table + more + "\n")
