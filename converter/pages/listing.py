"""Reports that share something (a term, a cited document), listed by year and province on bounded pages.

A list short enough is one page. A longer one gets a page per year (newest
first), and a year still too long a page per province of that year, so no
page grows with the archive: the main page then shows the counts and links
to the parts.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Callable, Sequence

from ..gazetteer import province_order
from ..render import escape_markdown as esc
from .entry import UNKNOWN, Entry, province_slug, sort_key

PAGE_ROWS = 300  # reports listed on one page before the list is split

Row = tuple[Entry, str]  # a report and what to say of it after its link (Markdown)


def _line(row: Row, up: str) -> str:
    e, said = row
    label = esc(e.display_title)
    return f"- [{label}]({up}reports/{e.slug}.md)" + (f"：{said}" if said else "")


def _by_province(rows: Sequence[Row], up: str, level: str) -> list[str]:
    groups: dict[str | None, list[Row]] = defaultdict(list)
    for row in rows:
        groups[row[0].meta.province].append(row)
    out: list[str] = []
    for province in sorted(groups, key=province_order):
        out += [f"{level} {esc(province or UNKNOWN)}（{len(groups[province])}）", ""]
        out += [_line(r, up) for r in sorted(groups[province], key=lambda r: sort_key(r[0]))] + [""]
    return out


def year_label(year: int | None) -> str:
    return f"{year} 年度" if year else "年度不详"


def listing(base: str, head: Callable[[str], list[str]], rows: Sequence[Row]) -> dict[str, str]:
    """Pages under ``base`` (a folder: ``base/index.md`` and its parts) listing ``rows``.

    ``head(up)`` gives the lines that open the main page (its title and what
    the list is), with ``up`` the way from the page to the site's top.
    """
    up = "../" * (base.count("/") + 1)
    by_year: dict[int | None, list[Row]] = defaultdict(list)
    for row in rows:
        by_year[row[0].meta.year].append(row)
    years = sorted(by_year, key=lambda y: -(y or 0))
    lines = head(up)
    if not rows:
        return {f"{base}/index.md": "\n".join(lines + ["目前档案中没有报告。", ""])}
    if len(rows) <= PAGE_ROWS:
        for year in years:
            lines += [f"### {year_label(year)}（{len(by_year[year])}）", ""]
            lines += _by_province(by_year[year], up, "####")
        return {f"{base}/index.md": "\n".join(lines)}
    files: dict[str, str] = {}
    lines += ["报告较多，按年度分页：", "", "| 年度 | 报告 |", "|---|---|"]
    title = lines[0].lstrip("# ")
    for year in years:
        part = str(year or "unknown")
        lines.append(f"| [{year_label(year)}]({part}.md) | {len(by_year[year])} |")
        files.update(_year_pages(base, part, title, year, by_year[year], up))
    files[f"{base}/index.md"] = "\n".join(lines + [""])
    return files


def _year_pages(base: str, part: str, title: str, year: int | None, rows: list[Row], up: str) -> dict[str, str]:
    head = [f"# {title}：{year_label(year)}", "", f"[全部年度](index.md) › {year_label(year)}", "",
            f"共 {len(rows)} 份报告。", ""]
    if len(rows) <= PAGE_ROWS:
        return {f"{base}/{part}.md": "\n".join(head + _by_province(rows, up, "##"))}
    groups: dict[str | None, list[Row]] = defaultdict(list)
    for row in rows:
        groups[row[0].meta.province].append(row)
    files: dict[str, str] = {}
    head += ["| 省（区、市） | 报告 |", "|---|---|"]
    for province in sorted(groups, key=province_order):
        name = f"{part}-{province_slug(province)}"
        head.append(f"| [{esc(province or UNKNOWN)}]({name}.md) | {len(groups[province])} |")
        page = [f"# {title}：{year_label(year)}，{esc(province or UNKNOWN)}", "",
                f"[全部年度](index.md) › [{year_label(year)}]({part}.md) › {esc(province or UNKNOWN)}", ""]
        page += [_line(r, up) for r in sorted(groups[province], key=lambda r: sort_key(r[0]))]
        files[f"{base}/{name}.md"] = "\n".join(page + [""])
    files[f"{base}/{part}.md"] = "\n".join(head + [""])
    return files
