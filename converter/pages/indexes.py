"""Indexes across reports: by place, year, level and the pinyin of the unit's name.

Every page is bounded: long lists are split per province, year or letter, so
pages stay small at tens of thousands of reports.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from urllib.parse import quote

from .. import charts
from ..gazetteer import MUNICIPALITIES, province_order
from ..render import escape_label as esc
from ..slug import pinyin_word
from .entry import (LEVEL_SLUGS, UNKNOWN, Entry, by_province, group_by, level_rank, link, sort_key, town_key, initial,
                    province_slug)

def _count_line(label: str, n: int) -> str:
    return f"{label}（{n}）"


def crumbs(parent: tuple[str, str], here: str) -> str:
    """Where a sub-index page stands: its index, then itself (a paragraph styled as a trail)."""
    label, target = parent
    return f"[{esc(label)}]({target}) › {esc(here)}\n{{ .archive-crumbs }}"


def places_pages(entries: list[Entry]) -> dict[str, str]:
    by_province = group_by(entries, lambda e: e.meta.province)
    provinces = sorted(by_province, key=province_order)
    index = ["# 按地区浏览", "", "各省级地区的地级市、县（区）、报告单位和报告的数目；点击省名，逐级查看市、县和乡镇。", "",
             "| 省（区、市） | 地级市 | 县（区） | 单位 | 报告 |", "|---|---|---|---|---|"]
    pages: dict[str, str] = {}
    for p in provinces:
        group = sorted(by_province[p], key=sort_key)
        slug = province_slug(p)
        name = p or UNKNOWN
        cities = {e.meta.city for e in group if e.meta.city}
        counties = {(e.meta.city, e.meta.county) for e in group if e.meta.county}
        units = {town_key(e.meta) for e in group}
        city_count = "—" if p in MUNICIPALITIES else str(len(cities))  # a 直辖市 has districts, no cities
        index.append(f"| [{esc(name)}]({slug}.md) | {city_count} | {len(counties)} | {len(units)} | {len(group)} |")
        # A plain HTML link: the filter is a URL fragment that MkDocs would check as a heading anchor.
        table_link = f'<a href="../../table/#province={quote(name)}">在全部报告表中查看</a>'
        lines = [f"# {esc(name)}", "", crumbs(("按地区浏览", "index.md"), name), "",
                 f"共 {len(group)} 份报告，括号内为报告数。{table_link}", ""]
        tree: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
        for e in group:
            tree[e.meta.city or ""][e.meta.county or ""][e.meta.unit or UNKNOWN].append(e)
        for city in sorted(tree, key=pinyin_word):
            if city:
                n = sum(len(v) for c in tree[city].values() for v in c.values())
                lines += [f"## {esc(_count_line(city, n))}", ""]
            for county in sorted(tree[city], key=pinyin_word):
                if county:
                    n = sum(len(v) for v in tree[city][county].values())
                    # Under a city its counties are h3; a 直辖市's districts stand directly under the province.
                    lines += [f"{'###' if city else '##'} {esc(_count_line(county, n))}", ""]
                for unit in sorted(tree[city][county], key=pinyin_word):
                    reps = sorted(tree[city][county][unit], key=lambda e: (e.meta.year or 0, e.slug))
                    links = "、".join(f"[{e.meta.year or '年份不详'}](../reports/{e.slug}.md)" for e in reps)
                    lines.append(f"- {esc(unit)}（{len(reps)}）：{links}")
                lines.append("")
        pages[f"places/{slug}.md"] = "\n".join(lines)
    pages["places/index.md"] = "\n".join(index) + "\n"
    return pages


def years_pages(entries: list[Entry]) -> dict[str, str]:
    by_year = group_by(entries, lambda e: e.meta.year)
    years = sorted((y for y in by_year if y), reverse=True)
    counts = [(str(y), len(by_year[y])) for y in years]  # newest first, as the table below
    index = ["# 按年份浏览", "", "报告年度指报告所总结的年份，而非发布年份。", "",
             charts.bar_chart(counts, title="各年度报告数", unit="份"), "",
             "| 年度 | 报告数 |", "|---|---|"]
    pages: dict[str, str] = {}
    for y in years + ([None] if None in by_year else []):
        key = str(y) if y else "unknown"
        label = f"{y} 年" if y else "年份不详"
        index.append(f"| [{label}]({key}.md) | {len(by_year[y])} |")
        lines = [f"# {label}", "", crumbs(("按年份浏览", "index.md"), label), "", f"共 {len(by_year[y])} 份报告。", ""]
        lines += by_province(by_year[y], "##", lambda e: f"- {link(e, '../')}")
        pages[f"years/{key}.md"] = "\n".join(lines)
    pages["years/index.md"] = "\n".join(index) + "\n"
    return pages


def levels_pages(entries: list[Entry]) -> dict[str, str]:
    by_level = group_by(entries, lambda e: e.meta.level)
    index = ["# 按级别浏览", "", "乡、镇、街道、苏木为乡级；县、区、旗、县级市为县级；市为地级。", "",
             "| 级别 | 报告数 |", "|---|---|"]
    pages: dict[str, str] = {}
    for level in sorted(by_level, key=level_rank):
        slug = LEVEL_SLUGS.get(level, pinyin_word(level or "") or "unknown")
        label = level or "级别不详"
        index.append(f"| [{label}]({slug}.md) | {len(by_level[level])} |")
        # Counts per province and links into the filtered table: a full list would grow without bound.
        by_prov = Counter(e.meta.province for e in by_level[level])
        lines = [f"# 级别：{label}", "", crumbs(("按级别浏览", "index.md"), label), "",
                 f"共 {len(by_level[level])} 份报告。", "",
                 "| 省（区、市） | 报告数 | 列表 |", "|---|---|---|"]
        for p in sorted(by_prov, key=province_order):
            table = f'<a href="../../table/#province={quote(p or UNKNOWN)}&amp;level={quote(level or "不详")}">查看</a>'
            lines.append(f"| [{esc(p or UNKNOWN)}](../places/{province_slug(p)}.md) | {by_prov[p]} | {table} |")
        pages[f"levels/{slug}.md"] = "\n".join(lines) + "\n"
    pages["levels/index.md"] = "\n".join(index) + "\n"
    return pages


def towns_pages(entries: list[Entry]) -> dict[str, str]:
    by_letter: dict[str, dict[str, list[Entry]]] = defaultdict(lambda: defaultdict(list))
    for e in entries:
        name = e.meta.unit or UNKNOWN
        by_letter[initial(name)][name].append(e)
    letters = sorted(by_letter)
    index = ["# 单位名称拼音索引", "", "按报告单位名称的汉语拼音排序。", "",
             " · ".join(f"[{l.upper() if l != '0' else '其他'}]({l}.md)" for l in letters), "",
             "| 首字母 | 单位数 | 报告数 |", "|---|---|---|"]
    pages: dict[str, str] = {}
    for letter in letters:
        names = sorted(by_letter[letter], key=lambda n: (pinyin_word(n), n))
        total = sum(len(by_letter[letter][n]) for n in names)
        label = letter.upper() if letter != "0" else "其他"
        index.append(f"| [{label}]({letter}.md) | {len(names)} | {total} |")
        title = f"拼音 {label}" if letter != "0" else "拼音：其他"
        lines = [f"# {title}", "", crumbs(("单位名称拼音索引", "index.md"), label), ""]
        for name in names:
            reps = sorted(by_letter[letter][name], key=lambda e: (e.place, e.meta.year or 0))
            links = "；".join(f"[{esc(e.place)} {e.meta.year or ''}](../reports/{e.slug}.md)" for e in reps)
            lines.append(f"- **{esc(name)}**（{pinyin_word(name)}）：{links}")
        pages[f"towns/{letter}.md"] = "\n".join(lines) + "\n"
    pages["towns/index.md"] = "\n".join(index) + "\n"
    return pages
