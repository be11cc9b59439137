"""Stage 7: the archive's pages across reports, as in-memory files.

``build`` turns converted reports into every page of the site: one page per
report (its text with a metadata panel, the record of removals, the original
file and related reports), the indexes by place, year, level and pinyin, the
all-reports table, and the data files for researchers. Paths are relative to
the site's docs directory; the CLI writes them to disk and the MkDocs plugin
hands them to MkDocs as generated files.

Every page is bounded: a report page links to at most ``RELATED_LIMIT``
neighbours, and long lists are split per province, year or letter, so pages
stay small at tens of thousands of reports.
"""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import quote
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Iterable

from . import charts, search_index
from .cite import cite
from .errors import ReportError
from .model import Metadata, Report
from .render import body as render_body
from .render import escape_markdown as esc
from .render import front_matter
from .frontmatter import dump as dump_yaml
from .slug import address, pinyin_word

RELATED_LIMIT = 12
LATEST_LIMIT = 10
UNKNOWN = "未定位"
TOWNSHIP_LEVELS = ("乡", "镇", "街道", "苏木")
LEVEL_SLUGS = {"乡": "xiang", "镇": "zhen", "街道": "jiedao", "苏木": "sumu", "县": "xian", "区": "qu",
               "市": "shi", "旗": "qi", "州": "zhou", "盟": "meng", None: "unknown"}
LEVEL_ORDER = list(LEVEL_SLUGS)
DATA_FIELDS = ("slug", "aliases", "title", "unit", "town", "level", "county", "city", "province", "year", "date",
               "published", "issuers", "source_url", "retrieved", "sha256", "encoding", "source_file")
RULE_NAMES = {
    "strip_word_bookmarks": "Word 书签", "strip_invisible_characters": "不可见字符",
    "drop_accessibility_bar": "网站无障碍栏", "drop_breadcrumb": "面包屑导航", "drop_document_register": "信息公开登记项",
    "drop_unlabelled_register": "无标签登记项", "drop_byline": "来源与访问量", "drop_reading_controls": "字号与打印分享",
    "drop_page_status": "栏目与状态标签", "drop_stray_marks": "孤立符号", "drop_repeated_title": "重复标题",
    "drop_footer": "页脚与相关文章",
}


@dataclass
class Entry:
    """What the archive pages need of one report.

    ``report`` (the full conversion) is needed only for the report's own page;
    the indexes and data files use the metadata and the cleaned text.
    """

    meta: Metadata
    text: str
    kinds: tuple[str, ...]  # the block kind of each line of ``text``
    report: Report | None = None

    @classmethod
    def of(cls, report: Report) -> "Entry":
        return cls(report.metadata, plain_text(report), line_kinds(report), report)

    @property
    def slug(self) -> str:
        return self.meta.slug or ""

    @property
    def display_title(self) -> str:
        m = self.meta
        if m.title:
            return m.title
        return f"{m.unit or '单位不详'}{m.year or ''}{'年' if m.year else ''}法治政府建设报告"

    @property
    def place(self) -> str:
        m = self.meta
        parts = [m.province, m.city, m.county, m.town if m.town != m.unit else None, m.unit]
        return "".join(p for p in parts if p) or UNKNOWN


def plain_text(report: Report) -> str:
    """The cleaned text, one block a line, as readers and the data files get it."""
    return "\n".join(b.display_text for b in report.structure.blocks)


def line_kinds(report: Report) -> tuple[str, ...]:
    """The block kind (title, heading, paragraph …) of each line of ``plain_text``."""
    return tuple(b.kind for b in report.structure.blocks for _ in b.display_text.split("\n"))


def province_slug(province: str | None) -> str:
    if not province:
        return "unknown"
    from .gazetteer import load

    gaz = load()
    alias = gaz.provinces[province].province_alias if province in gaz.provinces else province
    return pinyin_word(alias) or "unknown"


def initial(name: str | None) -> str:
    word = pinyin_word(name or "")
    return word[:1] if word[:1].isalpha() else "0"


def _link(entry: Entry, up: str) -> str:
    return f"[{esc(entry.display_title)}]({up}reports/{entry.slug}.md)"


def _short(entry: Entry, up: str) -> str:
    label = f"{entry.meta.unit or entry.display_title} {entry.meta.year or ''}".strip()
    return f"[{esc(label)}]({up}reports/{entry.slug}.md)"


def _level_rank(level: str | None) -> int:
    return LEVEL_ORDER.index(level) if level in LEVEL_ORDER else len(LEVEL_ORDER)


def _group(entries: Iterable[Entry], key) -> dict:
    groups: dict = defaultdict(list)
    for e in entries:
        groups[key(e)].append(e)
    return groups


def _sort_key(e: Entry):
    m = e.meta
    return (pinyin_word(m.province or "~"), pinyin_word(m.city or ""), pinyin_word(m.county or ""),
            pinyin_word(m.unit or ""), m.year or 0, e.slug)


# --- report pages -----------------------------------------------------------------

def _panel(entry: Entry) -> str:
    """The metadata panel: a definition list, only the fields that have values."""
    m = entry.meta
    ps = province_slug(m.province)
    place = " › ".join(esc(p) for p in (m.province, m.city, m.county, m.town) if p)
    rows = [
        ("地区", f"[{place}](../places/{ps}.md)" if place else "未能确定（见下方提示）"),
        ("报告单位", esc(m.unit) if m.unit else "原文未写明"),
        ("级别", esc(m.level or "不详")),
        ("报告年度", str(m.year) if m.year else "不详"),
        ("成文日期", m.date), ("网页发布日期", m.published),
        ("发文机关", esc("、".join(m.issuers)) if m.issuers else None),
        ("主送机关", esc(m.addressee) if m.addressee else None),
        ("来源网址", f"<{m.annotations['source_url']}>" if m.annotations.get("source_url") else None),
        ("获取日期", m.annotations.get("retrieved")),
        ("引用", "[GB/T 7714、BibTeX、CSL-JSON](#cite)"),
        ("标题", None if m.title else "原文无标题，页面标题为整理者所拟"),
    ]
    lines = ['<dl class="report-meta" markdown>']
    for label, value in rows:
        if value:
            lines += [f"<dt>{label}</dt>", f'<dd markdown="span">{value}</dd>']
    lines.append("</dl>")
    out = "\n".join(lines)
    for note in m.annotations.get("notes") or []:
        out += f"\n\n!!! note \"整理者注\"\n    {esc(note)}"
    for warning in m.warnings:
        out += f"\n\n!!! warning \"待核实\"\n    {esc(warning.message)}"
    return out


def _record_box(entry: Entry) -> str:
    removed = entry.report.cleaned.removals
    restored = entry.report.structure.restorations
    title = f"转换记录：删除 {len(removed)} 处，补全 {len(restored)} 处"
    lines = [f'??? info "{title}"', ""]
    if removed:
        lines += ["    | 原文行 | 规则 | 删除的内容 |", "    |---|---|---|"]
        lines += [f"    | {r.line} | {esc(RULE_NAMES.get(r.rule, r.rule))}（`{r.rule}`） | {esc(r.text) or '（空白字符）'} |"
                  for r in removed]
    else:
        lines.append("    转换器没有删除任何内容。")
    if restored:
        lines += ["", "    | 原文行 | 补全的文字 | 原因 |", "    |---|---|---|"]
        lines += [f"    | {r.line} | {esc(r.text)} | 原文标题编号缺失，按同级标题顺序补全 |" for r in restored]
    lines += ["", "    每条元数据的来源：", ""]
    lines += [f"    - {esc(k)}：{esc(v)}" for k, v in sorted(entry.meta.sources.items())]
    return "\n".join(lines)


def _download(entry: Entry) -> str:
    m = entry.meta
    name = (m.source or entry.slug).replace("\\", "/").rsplit("/", 1)[-1]
    size = len(entry.report.raw)
    return "\n".join([
        "## 原始文件", "",
        f"[下载原始文件（{esc(name)}，{size:,} 字节，{m.encoding}）](../originals/{entry.slug}.txt){{ download=\"{name}\" }}",
        "", f"SHA-256：`{m.sha256}`", "",
        "原始文件按贡献者提交的字节原样保存；上面的正文经过清理，删除与补全均记录在转换记录中。"])


def _fenced(language: str, text: str) -> str:
    return "\n".join([f"    ```{language}"] + [f"    {line}" for line in text.split("\n")] + ["    ```"])


def _citation(entry: Entry, site_url: str | None) -> str:
    c = cite(entry.meta, entry.display_title, address(entry.slug, site_url))
    # Without a configured site address the page's script makes the archive address absolute.
    relative = "" if site_url else f' data-archive-path="{address(entry.slug)}"'
    source = ("，以及原始网页的地址" if entry.meta.annotations.get("source_url")
              else "。原始网页地址不详，欢迎在旁注文件中补充 source_url")
    return "\n".join([
        "## 引用本报告 { #cite }", "",
        f"引文包含本档案的稳定网址{source}；访问日期为您打开本页的日期。", "",
        f'<div class="citation" markdown{relative}>', "",
        '=== "GB/T 7714"', "", _fenced("text", c.gbt7714), "",
        '=== "BibTeX"', "", _fenced("bibtex", c.bibtex), "",
        '=== "CSL-JSON"', "", _fenced("json", c.csl_json), "",
        "</div>"])


def redirect_page(alias: str, slug: str, site_url: str | None) -> str:
    """A former address of a report: sends readers and crawlers on to its present one."""
    target = f"../{slug}/"
    canonical = address(slug, site_url) if site_url else target
    return (f'<!doctype html>\n<html lang="zh">\n<head>\n<meta charset="utf-8">\n'
            f"<title>报告已移至新网址</title>\n"
            f'<meta name="robots" content="noindex">\n<link rel="canonical" href="{canonical}">\n'
            f'<meta http-equiv="refresh" content="0; url={target}">\n'
            f"<script>location.replace({json.dumps(target)} + location.search + location.hash)</script>\n"
            f'</head>\n<body>\n<p>这份报告的网址已改为 <a href="{target}">{address(slug)}</a>（原网址 {address(alias)}）。</p>\n'
            "</body>\n</html>\n")


def _related(entry: Entry, by_town: dict, by_county: dict, by_province: dict) -> str:
    m = entry.meta
    sections = []

    def block(title: str, items: list[Entry], more: str | None) -> None:
        others = [e for e in items if e.slug != entry.slug]
        if not others:
            return
        shown = others[:RELATED_LIMIT]
        lines = [f"**{title}**", ""] + [f"- {_short(e, '../')}" for e in shown]
        if more and len(others) > len(shown):
            lines.append(f"- {more}")
        sections.append("\n".join(lines))

    ps = province_slug(m.province)
    block("同一单位其他年份", by_town.get(_town_key(m), []), None)
    if m.county:
        block(f"同县（区）：{esc(m.county)}", by_county.get((m.province, m.city, m.county), []),
              f"[{esc(m.county)}全部报告](../places/{ps}.md)")
    if m.province:
        block(f"同省：{esc(m.province)}", by_province.get(m.province, []),
              f"[{esc(m.province)}全部 {len(by_province[m.province])} 份报告](../places/{ps}.md)")
    if not sections:
        return ""
    return "## 相关报告\n\n" + "\n\n".join(sections)


def _town_key(m: Metadata):
    return (m.province, m.city, m.county, m.unit, m.level)


def report_page(entry: Entry, by_town, by_county, by_province, site_url: str | None = None) -> str:
    data = front_matter(entry.report)
    markdown_body = render_body(entry.report)
    if markdown_body.startswith("# "):
        heading, _, rest = markdown_body.partition("\n")
    else:
        heading, rest = "# " + esc(entry.display_title), "\n" + markdown_body
    parts = [heading, _panel(entry), rest.strip(), _record_box(entry), _citation(entry, site_url),
             _download(entry), _related(entry, by_town, by_county, by_province)]
    return "---\n" + dump_yaml(data) + "---\n\n" + "\n\n".join(p for p in parts if p) + "\n"


# --- indexes ----------------------------------------------------------------------

def _count_line(label: str, n: int) -> str:
    return f"{label}（{n}）"


def places_pages(entries: list[Entry]) -> dict[str, str]:
    by_province = _group(entries, lambda e: e.meta.province)
    provinces = sorted(by_province, key=lambda p: pinyin_word(p or "~"))
    index = ["# 按地区浏览", "", "省 → 市 → 县 → 乡镇，括号内为报告数。", "",
             "| 省（区、市） | 地级市 | 县（区） | 单位 | 报告 |", "|---|---|---|---|---|"]
    pages: dict[str, str] = {}
    for p in provinces:
        group = sorted(by_province[p], key=_sort_key)
        slug = province_slug(p)
        name = p or UNKNOWN
        cities = {e.meta.city for e in group if e.meta.city}
        counties = {(e.meta.city, e.meta.county) for e in group if e.meta.county}
        units = {_town_key(e.meta) for e in group}
        index.append(f"| [{esc(name)}]({slug}.md) | {len(cities)} | {len(counties)} | {len(units)} | {len(group)} |")
        # A plain HTML link: the filter is a URL fragment that MkDocs would check as a heading anchor.
        table_link = f'<a href="../../table/#province={quote(name)}">在全部报告表中查看</a>'
        lines = [f"# {esc(name)}", "", f"共 {len(group)} 份报告。{table_link}", ""]
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
                    lines += [f"### {esc(_count_line(county, n))}", ""]
                for unit in sorted(tree[city][county], key=pinyin_word):
                    reps = sorted(tree[city][county][unit], key=lambda e: (e.meta.year or 0, e.slug))
                    links = "、".join(f"[{e.meta.year or '年份不详'}](../reports/{e.slug}.md)" for e in reps)
                    lines.append(f"- {esc(unit)}（{len(reps)}）：{links}")
                lines.append("")
        pages[f"places/{slug}.md"] = "\n".join(lines)
    pages["places/index.md"] = "\n".join(index) + "\n"
    return pages


def years_pages(entries: list[Entry]) -> dict[str, str]:
    by_year = _group(entries, lambda e: e.meta.year)
    years = sorted((y for y in by_year if y), reverse=True)
    counts = [(str(y), len(by_year[y])) for y in sorted(years)]
    index = ["# 按年份浏览", "", "报告年度指报告所总结的年份，而非发布年份。", "",
             charts.bar_chart(counts, title="各年度报告数", unit="份"), "",
             "| 年度 | 报告数 |", "|---|---|"]
    pages: dict[str, str] = {}
    for y in years + ([None] if None in by_year else []):
        key = str(y) if y else "unknown"
        label = f"{y} 年" if y else "年份不详"
        index.append(f"| [{label}]({key}.md) | {len(by_year[y])} |")
        lines = [f"# {label}", "", f"共 {len(by_year[y])} 份报告。", ""]
        by_prov = _group(by_year[y], lambda e: e.meta.province)
        for p in sorted(by_prov, key=lambda p: pinyin_word(p or "~")):
            lines += [f"## {esc(_count_line(p or UNKNOWN, len(by_prov[p])))}", ""]
            lines += [f"- {_link(e, '../')}" for e in sorted(by_prov[p], key=_sort_key)]
            lines.append("")
        pages[f"years/{key}.md"] = "\n".join(lines)
    pages["years/index.md"] = "\n".join(index) + "\n"
    return pages


def levels_pages(entries: list[Entry]) -> dict[str, str]:
    by_level = _group(entries, lambda e: e.meta.level)
    index = ["# 按级别浏览", "", "乡、镇、街道、苏木为乡级；县、区、旗、县级市为县级；市为地级。", "",
             "| 级别 | 报告数 |", "|---|---|"]
    pages: dict[str, str] = {}
    for level in sorted(by_level, key=_level_rank):
        slug = LEVEL_SLUGS.get(level, pinyin_word(level or "") or "unknown")
        label = level or "级别不详"
        index.append(f"| [{label}]({slug}.md) | {len(by_level[level])} |")
        # Counts per province and links into the filtered table: a full list would grow without bound.
        by_prov = Counter(e.meta.province for e in by_level[level])
        lines = [f"# {label}", "", f"共 {len(by_level[level])} 份报告。", "",
                 "| 省（区、市） | 报告数 | 列表 |", "|---|---|---|"]
        for p in sorted(by_prov, key=lambda p: pinyin_word(p or "~")):
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
        lines = [f"# {label}", ""]
        for name in names:
            reps = sorted(by_letter[letter][name], key=lambda e: (e.place, e.meta.year or 0))
            links = "；".join(f"[{esc(e.place)} {e.meta.year or ''}](../reports/{e.slug}.md)" for e in reps)
            lines.append(f"- **{esc(name)}**（{pinyin_word(name)}）：{links}")
        pages[f"towns/{letter}.md"] = "\n".join(lines) + "\n"
    pages["towns/index.md"] = "\n".join(index) + "\n"
    return pages


# --- data files ---------------------------------------------------------------

def _record(e: Entry) -> dict:
    m = e.meta
    out = {}
    for key in DATA_FIELDS:
        if key in ("source_url", "retrieved"):
            out[key] = m.annotations.get(key)
        elif key == "source_file":
            out[key] = (m.source or "").replace("\\", "/").rsplit("/", 1)[-1]
        else:
            out[key] = getattr(m, key)
    out["url"] = address(e.slug)
    return out


def data_files(entries: list[Entry]) -> dict[str, str]:
    records = [_record(e) for e in entries]
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(records[0]) if records else list(DATA_FIELDS), lineterminator="\n")
    writer.writeheader()
    for r in records:
        writer.writerow({k: "；".join(v) if isinstance(v, list) else ("" if v is None else v) for k, v in r.items()})
    texts = [json.dumps({"slug": e.slug, "title": e.meta.title, "unit": e.meta.unit,
                         "province": e.meta.province, "year": e.meta.year, "text": e.text}, ensure_ascii=False)
             for e in entries]
    # The table page reads a compact, column-wise file: repeated names are stored once.
    provinces = sorted({e.meta.province or UNKNOWN for e in entries}, key=pinyin_word)
    levels = sorted({e.meta.level or "不详" for e in entries}, key=_level_rank)
    table = {"provinces": provinces, "levels": levels,
             "rows": [[e.slug, e.display_title, e.meta.unit or "", provinces.index(e.meta.province or UNKNOWN),
                       e.meta.city or "", e.meta.county or "", e.meta.year or 0,
                       levels.index(e.meta.level or "不详")] for e in entries]}
    return {
        "data/reports.csv": "\ufeff" + buf.getvalue(),  # the BOM lets spreadsheet programs see UTF-8
        "data/reports.json": json.dumps(records, ensure_ascii=False, indent=1) + "\n",
        "data/texts.jsonl": "\n".join(texts) + ("\n" if texts else ""),
        "data/table.json": json.dumps(table, ensure_ascii=False, separators=(",", ":")),
    }


# --- home and fixed pages ---------------------------------------------------------

def home_page(entries: list[Entry], problems: list[ReportError]) -> str:
    provinces = Counter(e.meta.province or UNKNOWN for e in entries)
    per_year = Counter(e.meta.year for e in entries if e.meta.year)
    years = sorted(per_year)
    latest = sorted(entries, key=lambda e: (str(e.meta.annotations.get("retrieved") or ""),
                                            (e.meta.source or "").rsplit("/", 1)[-1]), reverse=True)[:LATEST_LIMIT]
    year_span = f"{years[0]}–{years[-1]}" if years else "—"
    lines = [
        "# 法治政府建设报告档案", "",
        "这里收集各地乡镇（街道）和县区人民政府每年公开发布的《法治政府建设情况报告》，"
        "保留原始文件，整理出干净的正文和可检索的元数据（地区、级别、年度、成文日期、发文机关），"
        "供研究者、记者、法学学生和基层工作者比较阅读。", "",
        f"<div class=\"archive-counts\" markdown>\n\n"
        f"- **{len(entries)}** 份报告\n- **{len([p for p in provinces if p != UNKNOWN])}** 个省级地区\n"
        f"- **{len(years)}** 个年度（{year_span}）\n\n</div>", "",
        "## 如何使用", "",
        "- [全文检索](search.md)（任何页面按 / 键）：逐字查找含有某个词语的全部报告，可按省份、年度、级别筛选；",
        "- [按地区](places/index.md)：省 → 市 → 县 → 乡镇逐级查找；",
        "- [按年份](years/index.md)、[按级别](levels/index.md)（乡、镇、街道、县、区……）；",
        "- [单位拼音索引](towns/index.md)：按名称拼音首字母查找；",
        "- [全部报告表](table.md)：在浏览器中按省份、年度、级别筛选和排序；",
        "- 每份报告页面列出元数据及其来源、转换时删除的网页杂项、原始文件下载和相关报告。", "",
        "## 数据下载", "",
        "- [reports.csv](data/reports.csv)：全部报告的元数据（UTF-8，可用电子表格打开）；",
        "- [reports.json](data/reports.json)：同上，JSON 格式；",
        "- [texts.jsonl](data/texts.jsonl)：清理后的全文，每行一份报告。",
        "", "详见[数据说明](data.md)。", "",
        "## 分布", "",
        charts.bar_chart(sorted(provinces.items(), key=lambda kv: (-kv[1], pinyin_word(kv[0]))),
                         title="各省级地区报告数", unit="份"), "",
        charts.bar_chart([(str(y), per_year[y]) for y in years],
                         title="各年度报告数", unit="份"), "",
        "## 最新收录", "",
    ]
    lines += [f"- {_link(e, '')}（{esc(e.place)}）" for e in latest]
    lines += ["", "## 参与贡献", "",
              "在政府网站上找到一份报告？把正文保存为文本文件，放进 `seeds/` 目录并提交拉取请求即可，"
              "详见[贡献指南](contribute.md)。"]
    if problems:
        lines += ["", "## 待修正的文件", "", f"以下 {len(problems)} 个文件未能转换，详见[问题列表](problems.md)。"]
    return "\n".join(lines) + "\n"


def problems_page(problems: list[ReportError]) -> str:
    lines = ["# 待修正的文件", "", "这些文件未能转换，没有出现在档案中。每条说明文件、位置和修正方法。", ""]
    for p in problems:
        where = p.path + (f"，第 {p.line} 行" if p.line else "") + (f"，键 `{p.key}`" if p.key else "")
        lines += [f"## {esc(p.path.replace(chr(92), '/').rsplit('/', 1)[-1])}", "",
                  f"- 位置：{esc(where)}", f"- 问题：{esc(p.problem)}", f"- 修正：{esc(p.fix)}", ""]
    return "\n".join(lines)


def search_doc(entry: Entry) -> search_index.SearchDoc:
    m = entry.meta
    return search_index.SearchDoc(slug=entry.slug, title=entry.display_title, lines=tuple(entry.text.split("\n")),
                                  kinds=entry.kinds,
                                  unit=m.unit or "", town=m.town or "", province=m.province or UNKNOWN,
                                  year=m.year or 0, level=m.level or "不详")


def search_page() -> str:
    return "\n".join([
        "---", "search:", "  exclude: true", "---", "",
        "# 全文检索", "",
        "逐字匹配：结果是正文中含有检索词的全部报告，不多不少。繁体与简体、全角与半角视为相同；"
        "多个词用空格分开，表示同时包含。可按省份、年度、级别筛选，也可以不输入检索词只筛选。", "",
        '<div id="archive-search">',
        '<p class="search-loading">正在加载检索……（需要启用 JavaScript；也可下载 '
        '<a href="../data/texts.jsonl">全部正文</a>自行检索）</p>',
        "</div>", ""])


def table_page() -> str:
    return "\n".join([
        "# 全部报告", "",
        "按省份、年度、级别筛选，点击表头排序；筛选条件保存在网址中，可直接分享。", "",
        '<div id="report-table" data-src="../data/table.json" data-reports="../reports/">',
        '<p class="table-loading">正在加载报告列表……（需要启用 JavaScript；也可下载 '
        '<a href="../data/reports.csv">reports.csv</a>）</p>',
        "</div>", ""])


def data_page(count: int) -> str:
    fields = "、".join(f"`{f}`" for f in DATA_FIELDS)
    return "\n".join([
        "# 数据说明", "",
        f"档案共 {count} 份报告。以下文件随网站一同生成，内容与页面一致：", "",
        "| 文件 | 内容 |", "|---|---|",
        "| [reports.csv](data/reports.csv) | 每份报告一行元数据，UTF-8（带 BOM，便于 Excel 识别） |",
        "| [reports.json](data/reports.json) | 同上，JSON 数组 |",
        "| [texts.jsonl](data/texts.jsonl) | 每行一个 JSON 对象：`slug`、标题、单位、省份、年度与清理后的全文 |", "",
        f"元数据字段：{fields}，以及页面地址 `url`。", "",
        "- `year` 是报告所总结的年度；`date` 是报告自身落款或成文日期；`published` 是网页发布日期。",
        "- 乡级报告的 `town` 为乡镇（街道）名；县级、地级报告的 `town` 为空，报告单位见 `unit`。",
        "- 直辖市辖区及省直辖县的 `city` 为空。",
        "- 无法唯一确定的地名留空，原因写在报告页面的“待核实”提示中。", ""])


def build(entries: Iterable[Entry], problems: Iterable[ReportError] = (),
          search: dict | None = None, site_url: str | None = None) -> dict[str, str | bytes]:
    """Every generated file of the archive: path relative to the docs directory → content.

    Report pages and original files are made for the entries that carry their full report.
    ``search`` passes tuning options to ``search_index.build_index``; ``site_url`` is the
    published site's address, for citations.
    """
    entries = sorted(entries, key=_sort_key)
    problems = sorted(problems, key=lambda p: p.path)
    by_town = _group(entries, lambda e: _town_key(e.meta))
    by_county = _group((e for e in entries if e.meta.county), lambda e: (e.meta.province, e.meta.city, e.meta.county))
    by_province = _group((e for e in entries if e.meta.province), lambda e: e.meta.province)
    files: dict[str, str | bytes] = {}
    for e in entries:
        if e.report is not None:
            files[f"reports/{e.slug}.md"] = report_page(e, by_town, by_county, by_province, site_url)
            files[f"originals/{e.slug}.txt"] = e.report.raw
    slugs = {e.slug for e in entries}
    for e in entries:
        for alias in e.meta.aliases:
            if alias not in slugs:  # a present address always wins over a former one
                files.setdefault(f"reports/{alias}/index.html", redirect_page(alias, e.slug, site_url))
    files.update(places_pages(entries))
    files.update(years_pages(entries))
    files.update(levels_pages(entries))
    files.update(towns_pages(entries))
    files.update(data_files(entries))
    files["index.md"] = home_page(entries, problems)
    files["table.md"] = table_page()
    files["search.md"] = search_page()
    files.update(search_index.build_index([search_doc(e) for e in entries], **(search or {})))
    files["data.md"] = data_page(len(entries))
    if problems:
        files["problems.md"] = problems_page(problems)
    return dict(sorted(files.items()))
