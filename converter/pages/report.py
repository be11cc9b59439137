"""A report's own page: its text with a metadata panel, the record of removals, citations,
the original file and related reports; and the redirect pages of its former addresses."""

from __future__ import annotations

import html
from bisect import bisect_right
from pathlib import Path
from urllib.parse import quote

from ..annotations.links import Linker, laws_section, terms_section
from ..annotations.render import drawable, notes_section
from ..cite import cite, highwire
from ..csp import with_policy
from ..limits import PAGE_TEXT_CHARS, text_chars
from ..render import body as render_body
from ..render import escape_markdown as esc
from ..render import front_matter
from ..frontmatter import dump as dump_yaml
from ..gazetteer import MUNICIPALITIES
from ..slug import address
from .entry import UNKNOWN, Entry, fenced, province_slug, short_link, town_key

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


def _panel(entry: Entry, repo_url: str | None = None) -> str:
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
        ("来源网址", _source_link(m.annotations.get("source_url"))),
        ("获取日期", m.annotations.get("retrieved")),
        ("引用", "[GB/T 7714、BibTeX、CSL-JSON](#cite)"),
        ("纠错 / 补充来源", _correction_links(entry, repo_url)),
        ("标题", None if m.title else "原文无标题，页面标题为整理者所拟"),
    ]
    lines = ['<dl class="report-meta" markdown>']
    for label, value in rows:
        if value:
            lines += [f"<dt>{label}</dt>", f'<dd markdown="span">{value}</dd>']
    lines.append("</dl>")
    out = "\n".join(lines)
    for note in m.annotations.get("notes") or []:
        out += "\n\n" + _admonition("note", "整理者注", note)
    for warning in m.warnings:
        out += "\n\n" + _admonition("warning", "待核实", warning.message)
    return out


def _correction_links(entry: Entry, repo_url: str | None) -> str:
    """Where a reader who found a mistake, or knows the original address, can say so.

    With the repository known: edit (or create) the report's sidecar file on
    GitHub, or open an issue; the site never edits the report itself. Without
    it (a local preview): the contribution guide.
    """
    if not repo_url:
        return "[参与贡献](../contribute.md)页说明如何更正或补充"
    repo = repo_url.rstrip("/")
    stem = quote((entry.meta.source or entry.slug).replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0])
    has_sidecar = entry.meta.source is not None and Path(entry.meta.source).with_suffix(".yml").exists()
    edit = (f"{repo}/edit/{BRANCH}/seeds/{stem}.yml" if has_sidecar
            else f"{repo}/new/{BRANCH}/seeds?filename={stem}.yml")
    issue = f"{repo}/issues/new?title={quote('纠错：' + entry.slug)}"
    return (f'<a href="{html.escape(edit, quote=True)}">修改这份报告的旁注</a>（更正元数据、补充原始网址）'
            f' · <a href="{html.escape(issue, quote=True)}">报告问题</a>')


def _source_link(url: str | None) -> str | None:
    """The source address as a link: validated by the sidecar schema, and still escaped for the attribute."""
    if not url:
        return None
    return f'<a href="{html.escape(url, quote=True)}" rel="nofollow noopener">{esc(url)}</a>'


def _admonition(kind: str, title: str, text: str) -> str:
    """A boxed remark whose every line, however many, stays inside the box, shows literally and keeps its break.

    A line ending in two spaces is Markdown's line break; a blank line starts a new paragraph.
    """
    lines = esc(text).split("\n")
    body = [f"    {line}" + ("  " if line and nxt else "") if line else ""
            for line, nxt in zip(lines, lines[1:] + [""])]
    return f'!!! {kind} "{title}"\n' + "\n".join(body)


def _record_box(entry: Entry) -> str:
    removed = entry.report.cleaned.removals
    restored = entry.report.structure.restorations
    title = f"转换记录：删除 {len(removed)} 处，补全 {len(restored)} 处"
    lines = [f'??? info "{title}"', ""]
    if removed:
        lines += ["    | 原文行 | 规则 | 删除的内容 |", "    |---|---|---|"]
        lines += [f"    | {r.line} | {esc(RULE_NAMES.get(r.rule, r.rule))}（`{r.rule}`） | {esc(r.text) or '（空白字符）'} |"
                  for r in removed[:RECORD_ROWS]]
        if len(removed) > RECORD_ROWS:
            lines += ["", f"    另有 {len(removed) - RECORD_ROWS:,} 处删除未列出；全部删除记录见本报告 Markdown 的 front matter（`removed`）。"]
    else:
        lines.append("    转换器没有删除任何内容。")
    if restored:
        lines += ["", "    | 原文行 | 补全的文字 | 原因 |", "    |---|---|---|"]
        lines += [f"    | {r.line} | {esc(r.text)} | 原文标题编号缺失，按同级标题顺序补全 |" for r in restored]
    lines += ["", "    每条元数据的来源：", ""]
    lines += [f"    - {esc(k)}：{esc(v)}" for k, v in sorted(entry.meta.sources.items())]
    return "\n".join(lines)


def _download(entry: Entry) -> str:
    """The original bytes, saved under the report's address name (plain ASCII, so no file name can break out)."""
    m = entry.meta
    name = (m.source or entry.slug).replace("\\", "/").rsplit("/", 1)[-1]
    size = len(entry.report.raw)
    return "\n".join([
        "## 原始文件", "",
        f"[下载原始文件（{esc(name)}，{size:,} 字节，{m.encoding}）](../originals/{entry.slug}.txt)"
        f"{{ download=\"{entry.slug}.txt\" }}"
        f" · [在浏览器中查看原文](../{text_view_path(entry)})", "",
        f"SHA-256：`{m.sha256}`", "",
        "原始文件按贡献者提交的字节原样保存；上面的正文经过清理，删除与补全均记录在转换记录中。"])


def _citation(entry: Entry, site_url: str | None) -> str:
    c = cite(entry.meta, entry.display_title, address(entry.slug, site_url))
    # Without a configured site address the page's script makes the archive address absolute.
    relative = "" if site_url else f' data-archive-path="{address(entry.slug)}"'
    source = ("，以及原始网页的地址" if entry.meta.annotations.get("source_url")
              else "。原始网页的地址尚不清楚；如果您知道，欢迎按上方“纠错 / 补充来源”告诉我们")
    return "\n".join([
        "## 引用本报告 { #cite }", "",
        f"引文包含本档案的稳定网址{source}；访问日期为您打开本页的日期。", "",
        f'<div class="citation" markdown{relative}>', "",
        '=== "GB/T 7714"', "", fenced("text", c.gbt7714), "",
        '=== "BibTeX"', "", fenced("bibtex", c.bibtex), "",
        '=== "CSL-JSON"', "", fenced("json", c.csl_json), "",
        "</div>"])


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


def _related(entry: Entry, by_town: dict, by_county: dict, by_province: dict) -> str:
    m = entry.meta
    sections = []

    def block(title: str, items: list[Entry], more: str | None) -> None:
        others = [e for e in items if e.slug != entry.slug]
        if not others:
            return
        shown = others[:RELATED_LIMIT]
        lines = [f"**{title}**", ""] + [f"- {short_link(e, '../')}" for e in shown]
        if more and len(others) > len(shown):
            lines.append(f"- {more}")
        sections.append("\n".join(lines))

    ps = province_slug(m.province)
    block("同一单位其他年份", by_town.get(town_key(m), []), None)
    if m.county:
        block(f"同县（区）：{esc(m.county)}", by_county.get((m.province, m.city, m.county), []),
              f"[{esc(m.county)}全部报告](../places/{ps}.md)")
    if m.province:
        same = "同市" if m.province in MUNICIPALITIES else "同省"  # a 直辖市 is a city at the level of a province
        block(f"{same}：{esc(m.province)}", by_province.get(m.province, []),
              f"[{esc(m.province)}全部 {len(by_province[m.province])} 份报告](../places/{ps}.md)")
    if not sections:
        return ""
    return "## 相关报告\n\n" + "\n\n".join(sections)


def text_view_path(entry: Entry) -> str:
    """The original to read in a browser: itself when UTF-8 (the host serves text as UTF-8), else a UTF-8 copy."""
    if needs_text_view(entry):
        return f"originals/{entry.slug}.utf8.txt"
    return f"originals/{entry.slug}.txt"


def needs_text_view(entry: Entry) -> bool:
    return entry.meta.encoding not in ("utf-8", "utf-8-sig")


def text_view(entry: Entry) -> str:
    """The original's text as decoded, with a byte-order mark so every browser reads it as UTF-8."""
    return "\ufeff" + entry.report.decoded.text


def full_text_path(entry: Entry) -> str:
    """Where the whole cleaned text of a report too long for its page is kept (UTF-8)."""
    return f"texts/{entry.slug}.txt"


def truncated(entry: Entry) -> bool:
    """Whether the report's page shows only part of its text (and the whole text gets a file of its own)."""
    return text_chars(entry.report.structure) > PAGE_TEXT_CHARS


def _truncation_notice(entry: Entry) -> str:
    total = text_chars(entry.report.structure)
    return "\n".join([
        '!!! warning "页面只显示了部分正文"',
        f"    这份报告的正文共 {total:,} 字，远超一般报告（1 千至 1.4 万字），可能是几份报告或整个网页被粘贴进了同一个文件。"
        f"为使页面能快速打开，上面只显示了前 {PAGE_TEXT_CHARS:,} 字。",
        "",
        f"    [完整正文（UTF-8 纯文本）](../{full_text_path(entry)})；原始文件见下方“原始文件”。"])


def description(entry: Entry) -> str:
    """One sentence for search engines and link previews: what, where, which year, when signed."""
    m = entry.meta
    where = entry.place if entry.place != UNKNOWN else "地区未定"
    year = f"{m.year}年度" if m.year else "年度不详的"
    signed = f"，成文于{m.date}" if m.date else ""
    return f"{where}{year}法治政府建设情况报告{signed}。{entry.display_title}"


BODY_KINDS = ("addressee", "heading", "paragraph")  # the blocks drawn as Markdown text, where marks can go


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
    return lambda start, stop: stop <= limit and any(a <= start and stop <= b for a, b in runs)


def drawn_body(entry: Entry, other_pages: frozenset[str], stash: list[str]):
    """The annotations the page draws, and its text as Markdown with their HTML deferred into ``stash``."""
    limit = PAGE_TEXT_CHARS if truncated(entry) else None
    starts = entry.report.structure.starts()
    linker = Linker("../../", entry.meta.year, other_pages, lambda at: bisect_right(starts, at))
    drawn = drawable(entry.report.annotations, _drawn_text(entry, limit), linker, _drawn_text(entry, limit, False))
    return drawn, render_body(entry.report, limit, drawn, stash)


def report_page(entry: Entry, by_town, by_county, by_province, site_url: str | None = None,
                repo_url: str | None = None, other_pages: frozenset[str] = frozenset(),
                stash: list[str] | None = None) -> str:
    """The report's page; ``other_pages``: the unregistered documents (by normalised title) that have a page.

    The HTML of its marks, tooltips and lists of terms and documents goes
    into ``stash``, a token in its place (``annotations.render.fill`` puts it into the page's HTML).
    """
    stash = [] if stash is None else stash
    data = front_matter(entry.report, entry.term_counts)
    # What the page's template reads: the scripts it loads, its description, its citation meta tags.
    data["scripts"] = ["search", "cite"]  # search: highlights a search's matches (?h=)
    cut = truncated(entry)
    drawn, markdown_body = drawn_body(entry, other_pages, stash)
    if drawn or entry.notes:
        data["scripts"].append("annotations")  # opens a note or term on tap; hover and focus need no script
    data["description"] = description(entry)
    data["citation"] = [{"name": name, "content": content}
                        for name, content in highwire(entry.meta, entry.display_title, address(entry.slug, site_url))]
    if markdown_body.startswith("# "):
        heading, _, rest = markdown_body.partition("\n")
    else:
        heading, rest = "# " + esc(entry.display_title), "\n" + markdown_body
    # The list of notes stays in the Markdown: MkDocs checks the #ann- anchors the notes page links to.
    notes = notes_section(entry.report.annotations, drawn, f"../{full_text_path(entry)}" if cut else None)
    parts = [heading, _panel(entry, repo_url), rest.strip(), _truncation_notice(entry) if cut else "",
             notes, terms_section(entry.report.annotations, "../../", stash),
             laws_section(entry.report.annotations, "../../", entry.meta.year, other_pages, stash),
             _record_box(entry), _citation(entry, site_url),
             _download(entry), _related(entry, by_town, by_county, by_province)]
    return "---\n" + dump_yaml(data) + "---\n\n" + "\n\n".join(p for p in parts if p) + "\n"
