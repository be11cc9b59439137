"""The pieces of a report's page around its text, as HTML: the metadata panel, the record of removals, the
citation, the original file and the related reports.

Every value a contributor wrote is escaped here (``text``, ``attr``); links are
written as the site serves them (``use_directory_urls``): a report page is at
``reports/<slug>/``, so the archive's root is ``../../``.
"""

from __future__ import annotations

import html
from itertools import islice
from pathlib import Path
from urllib.parse import quote

from ..cite import cite
from ..gazetteer import MUNICIPALITIES
from ..outline import Outline
from ..render import admonition_html
from ..render import escape_html as text
from ..slug import address
from .entry import Entry, province_slug, short_label, town_key

ROOT = "../../"  # from a report's page to the archive's root
RELATED_LIMIT = 12
BRANCH = "main"  # the repository's branch that the site is built from
RECORD_ROWS = 500  # removals listed on the page; a pasted-together file can have thousands
RULE_NAMES = {
    "strip_word_bookmarks": "Word 书签", "strip_invisible_characters": "不可见字符",
    "drop_accessibility_bar": "网站无障碍栏", "drop_breadcrumb": "面包屑导航", "drop_document_register": "信息公开登记项",
    "drop_unlabelled_register": "无标签登记项", "drop_byline": "来源与访问量", "drop_reading_controls": "字号与打印分享",
    "drop_page_status": "栏目与状态标签", "drop_stray_marks": "孤立符号", "drop_repeated_title": "重复标题",
    "drop_footer": "页脚与相关文章", "drop_page_clock": "网页上的日期时钟", "drop_file_name": "文件名",
    "drop_web_address": "网站名与网址", "drop_menu_rows": "导航栏、工具栏与链接列表",
    "drop_furniture_around_title": "标题前后的网页杂项", "drop_page_bottom": "页面底部的链接与声明",
    "join_pdf_line_breaks": "PDF 换行留下的空格",
}


def attr(value: str) -> str:
    return html.escape(value, quote=True)


def report_link(entry: Entry) -> str:
    """A link from one report's page to another's, labelled with its unit and year."""
    return f'<a href="../{entry.slug}/">{text(short_label(entry))}</a>'


def admonition(kind: str, title: str, body: str) -> str:
    """A boxed remark (Material's admonition): each line of ``body`` shown literally, blank lines between paragraphs."""
    paragraphs = [p for p in body.split("\n\n") if p.strip()]
    shown = "".join(f"<p>{'<br>'.join(text(line.strip()) for line in p.strip().splitlines())}</p>"
                    for p in paragraphs)
    return admonition_html(kind, title, shown)


def panel(entry: Entry, repo_url: str | None = None) -> str:
    """The metadata panel: a definition list, only the fields that have values; then the notes and warnings."""
    m = entry.meta
    place = " › ".join(text(p) for p in (m.province, m.city, m.county, m.town) if p)
    rows = [
        ("地区", f'<a href="{ROOT}places/{province_slug(m.province)}/">{place}</a>' if place else "未能确定（见下方提示）"),
        ("报告单位", text(m.unit) if m.unit else "原文未写明"),
        ("级别", text(m.level or "不详")),
        ("报告年度", str(m.year) if m.year else "不详"),
        ("成文日期", text(m.date or "")), ("网页发布日期", text(m.published or "")),
        ("发文机关", text("、".join(m.issuers)) if m.issuers else None),
        ("主送机关", text(m.addressee) if m.addressee else None),
        ("来源网址", source_link(m.annotations.get("source_url"))),
        ("获取日期", text(str(m.annotations.get("retrieved") or ""))),
        ("引用", '<a href="#cite">GB/T 7714、BibTeX、CSL-JSON</a>'),
        ("纠错 / 补充来源", correction_links(entry, repo_url)),
        ("标题", None if m.title else "原文无标题，页面标题为整理者所拟"),
    ]
    out = '<dl class="report-meta">\n' + "\n".join(f"<dt>{label}</dt>\n<dd>{value}</dd>"
                                                  for label, value in rows if value) + "\n</dl>"
    for note in m.annotations.get("notes") or []:
        out += "\n" + admonition("note", "整理者注", note)
    for warning in m.warnings:
        out += "\n" + admonition("warning", "待核实", warning.message)
    return out


def correction_links(entry: Entry, repo_url: str | None) -> str:
    """Where a reader who found a mistake, or knows the original address, can say so.

    With the repository known: edit (or create) the report's sidecar file on
    GitHub, or open an issue; the site never edits the report itself. Without
    it (a local preview): the contribution guide.
    """
    if not repo_url:
        return f'<a href="{ROOT}contribute/">参与贡献</a>页说明如何更正或补充'
    repo = repo_url.rstrip("/")
    stem = quote((entry.meta.source or entry.slug).replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0])
    has_sidecar = entry.meta.source is not None and Path(entry.meta.source).with_suffix(".yml").exists()
    edit = (f"{repo}/edit/{BRANCH}/seeds/{stem}.yml" if has_sidecar
            else f"{repo}/new/{BRANCH}/seeds?filename={stem}.yml")
    issue = f"{repo}/issues/new?title={quote('纠错：' + entry.slug)}"
    return (f'<a href="{attr(edit)}">修改这份报告的旁注</a>（更正元数据、补充原始网址）'
            f' · <a href="{attr(issue)}">报告问题</a>')


def source_link(url: str | None) -> str | None:
    """The source address as a link: validated by the sidecar schema, and still escaped for the attribute."""
    if not url:
        return None
    return f'<a href="{attr(url)}" rel="nofollow noopener">{text(url)}</a>'


def _table(head: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    """A table of cells already made HTML."""
    return ("<table>\n<thead>\n<tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr>\n</thead>\n<tbody>\n"
            + "\n".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
            + "\n</tbody>\n</table>")


def record_box(entry: Entry) -> str:
    """What the converter removed and restored, with each rule's name, and where each metadata value came from."""
    removed = entry.report.cleaned.removals
    restored = entry.report.structure.restorations
    parts = [f'<details class="info">\n<summary>转换记录：删除 {len(removed)} 处，补全 {len(restored)} 处</summary>']
    if removed:
        parts.append(_table(("原文行", "规则", "删除的内容"), [
            (str(r.line), f"{text(RULE_NAMES.get(r.rule, r.rule))}（<code>{text(r.rule)}</code>）",
             text(r.text) or "（空白字符）") for r in removed[:RECORD_ROWS]]))
        if len(removed) > RECORD_ROWS:
            parts.append(f"<p>另有 {len(removed) - RECORD_ROWS:,} 处删除未列出；全部删除记录见本报告 Markdown 的 "
                         "front matter（<code>removed</code>）。</p>")
    else:
        parts.append("<p>转换器没有删除任何内容。</p>")
    if restored:
        parts.append(_table(("原文行", "补全的文字", "原因"), [
            (str(r.line), text(r.text), "原文标题编号缺失，按同级标题顺序补全") for r in restored]))
    parts.append("<p>每条元数据的来源：</p>\n<ul>\n"
                 + "\n".join(f"<li>{text(k)}：{text(v)}</li>" for k, v in sorted(entry.meta.sources.items()))
                 + "\n</ul>\n</details>")
    return "\n".join(parts)


def download(entry: Entry, outline: Outline, view_path: str) -> str:
    """The original bytes, saved under the report's address name (plain ASCII, so no file name can break out)."""
    m = entry.meta
    name = (m.source or entry.slug).replace("\\", "/").rsplit("/", 1)[-1]
    size = entry.report.size
    return "\n".join([
        outline.heading(2, "原始文件"),
        f'<p><a download="{entry.slug}.txt" href="{ROOT}originals/{entry.slug}.txt">下载原始文件（{text(name)}，'
        f'{size:,} 字节，{text(m.encoding)}）</a> · <a href="{ROOT}{view_path}">在浏览器中查看原文</a></p>',
        f"<p>SHA-256：<code>{text(m.sha256)}</code></p>",
        "<p>原始文件按贡献者提交的字节原样保存；上面的正文经过清理，删除与补全均记录在转换记录中。</p>"])


def _code(code: str) -> str:
    return f'<div class="highlight"><pre><span></span><code>{text(code)}\n</code></pre></div>'


def tabs(panes: list[tuple[str, str]]) -> str:
    """Content tabs as ``pymdownx.tabbed`` (alternate style) draws them: one radio button and label per pane."""
    n = len(panes)
    inputs = "".join(f'<input{" checked" if i == 1 else ""} id="__tabbed_1_{i}" name="__tabbed_1" type="radio">'
                     for i in range(1, n + 1))
    labels = "".join(f'<label for="__tabbed_1_{i}">{text(label)}</label>' for i, (label, _) in enumerate(panes, 1))
    blocks = "\n".join(f'<div class="tabbed-block">\n{body}\n</div>' for _, body in panes)
    return (f'<div class="tabbed-set tabbed-alternate" data-tabs="1:{n}">{inputs}'
            f'<div class="tabbed-labels">{labels}</div>\n<div class="tabbed-content">\n{blocks}\n</div>\n</div>')


def citation(entry: Entry, outline: Outline, site_url: str | None) -> str:
    """How to cite the report: GB/T 7714, BibTeX and CSL-JSON, in tabs (``assets/cite.js`` fills in the date)."""
    c = cite(entry.meta, entry.display_title, address(entry.slug, site_url))
    # Without a configured site address the page's script makes the archive address absolute.
    relative = "" if site_url else f' data-archive-path="{attr(address(entry.slug))}"'
    source = ("，以及原始网页的地址" if entry.meta.annotations.get("source_url")
              else "。原始网页的地址尚不清楚；如果您知道，欢迎按上方“纠错 / 补充来源”告诉我们")
    return "\n".join([
        outline.heading(2, "引用本报告", ident="cite"),
        f"<p>引文包含本档案的稳定网址{source}；访问日期为您打开本页的日期。</p>",
        f'<div class="citation"{relative}>',
        tabs([("GB/T 7714", _code(c.gbt7714)), ("BibTeX", _code(c.bibtex)), ("CSL-JSON", _code(c.csl_json))]),
        "</div>"])


# The heading of a report page's related reports: the one part of a page made from other reports' metadata.
RELATED_TITLE = "相关报告"


def related(entry: Entry, by_town: dict, by_county: dict, by_province: dict) -> str:
    """Other years of the same unit, and reports of the same county and province: at most a dozen each, without
    their heading (``RELATED_TITLE``, which the page's outline names); empty when there are none."""
    m = entry.meta
    sections = []

    def block(title: str, items: list[Entry], more: str | None) -> None:
        # One more than is shown says whether there are more: a province holds thousands of reports.
        others = list(islice((e for e in items if e.slug != entry.slug), RELATED_LIMIT + 1))
        if not others:
            return
        shown = others[:RELATED_LIMIT]
        items_html = [f"<li>{report_link(e)}</li>" for e in shown]
        if more and len(others) > len(shown):
            items_html.append(f"<li>{more}</li>")
        sections.append(f"<p><strong>{title}</strong></p>\n<ul>\n" + "\n".join(items_html) + "\n</ul>")

    places = f"{ROOT}places/{province_slug(m.province)}/"
    block("同一单位其他年份", by_town.get(town_key(m), []), None)
    if m.county:
        block(f"同县（区）：{text(m.county)}", by_county.get((m.province, m.city, m.county), []),
              f'<a href="{places}">{text(m.county)}全部报告</a>')
    if m.province:
        same = "同市" if m.province in MUNICIPALITIES else "同省"  # a 直辖市 is a city at the level of a province
        block(f"{same}：{text(m.province)}", by_province.get(m.province, []),
              f'<a href="{places}">{text(m.province)}全部 {len(by_province[m.province])} 份报告</a>')
    return "\n".join(sections)
