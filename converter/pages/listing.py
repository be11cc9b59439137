"""Reports that share something (a term, a cited document), listed by year and province on one bounded page.

Up to LIST_MAX reports are listed one by one, by year (newest first) and
province. Beyond that a list would grow with the archive, so the page gives
the counts by year and province, the most recent reports, and links into the
full-text search (which lists every report with the words, filtered by
province and year) — one page per term or document, however large the archive.
"""

from __future__ import annotations

from collections import Counter
from typing import Callable, Sequence, Union
from urllib.parse import urlencode

from ..gazetteer import province_order
from ..render import escape_label as esc
from .entry import UNKNOWN, Entry, by_province, group_by

LIST_MAX = 200  # reports listed one by one on a page
RECENT = 30  # reports listed on a page whose list is too long to show

# A report and what to say of it after its link (Markdown), or what makes that: a long list shows few of its rows.
# A number says how often the report has the thing ("3 处"), made only for the rows shown.
Row = tuple[Entry, Union[str, int, Callable[[], str]]]


def _line(row: Row, up: str) -> str:
    e, said = row
    if callable(said):
        said = said()
    elif isinstance(said, int):
        said = f"{said} 处"
    return f"- [{esc(e.display_title)}]({up}reports/{e.slug}.md)" + (f"：{said}" if said else "")


def year_label(year: int | None) -> str:
    return f"{year} 年度" if year else "年度不详"


def _by_year(rows: Sequence[Row]) -> dict[int | None, list[Row]]:
    return dict(sorted(group_by(rows, lambda r: r[0].meta.year).items(), key=lambda kv: -(kv[0] or 0)))


def search_link(words: str, up: str, label: str | None = None) -> str:
    """A link into the full-text search for ``words`` (raw HTML: the query is no page MkDocs could check)."""
    from html import escape

    return f'<a href="{up}search/?{escape(urlencode({"q": words}), quote=True)}">{escape(label or words)}</a>'


def listing(rows: Sequence[Row], up: str, searches: Sequence[str] = ()) -> list[str]:
    """The lines listing ``rows`` (under the page's own heading); ``searches``: words that find them in search.

    ``rows`` come in the archive's order (``sort_key``), as ``term_usage`` and ``citation_usage`` give them.
    """
    if not rows:
        return ["目前档案中没有报告。", ""]
    lines: list[str] = []
    if len(rows) <= LIST_MAX:
        for year, group in _by_year(rows).items():
            lines += [f"### {year_label(year)}（{len(group)}）", ""]
            lines += by_province(group, "####", lambda r: _line(r, up), lambda r: r[0])
        return lines
    years = _by_year(rows)
    lines += [f"报告较多（{len(rows):,} 份），这里按年度和省份列出份数和最近的 {RECENT} 份；"
              "全部报告见 data 目录中的数据文件，或在全文检索中查找（可按省份、年度筛选）："
              + " · ".join(search_link(w, up) for w in searches), "",
              "### 按年度和省份", "", "| 年度 | 报告 | 各省份 |", "|---|---|---|"]
    for year, group in years.items():
        counts = Counter(r[0].meta.province for r in group)
        shown = "、".join(f"{esc(p or UNKNOWN)} {n}" for p, n in sorted(counts.items(), key=lambda kv: province_order(kv[0])))
        lines.append(f"| {year_label(year)} | {len(group)} | {shown} |")
    recent: list[Row] = []
    for group in years.values():  # newest year first; each year's rows in the archive's order, as all rows are
        recent += group[:RECENT - len(recent)]
        if len(recent) >= RECENT:
            break
    lines += ["", f"### 最近的 {RECENT} 份", ""] + [_line(r, up) for r in recent] + [""]
    return lines
