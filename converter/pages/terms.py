"""The glossary across the archive: a page listing every term, a page per term with the reports that use it,
and ``data/terms.json``.

A report uses a term when its text contains one of the term's forms, in the
search form of the text (``annotations.terms.counts``), the same test for
the pages and the data file.
"""

from __future__ import annotations

from ..reference import glossary, registry
from ..render import escape_label as esc, escape_markdown  # a sentence quoted: not kept, as a label is
from ..slug import pinyin_word
from .entry import Entry, json_lines, json_text
from .listing import listing

Usage = dict[str, list[tuple[Entry, int]]]


def term_usage(entries: list[Entry]) -> Usage:
    """For each term's id, the reports that use it with how often, in the entries' order."""
    usage: Usage = {t.id: [] for t in glossary.load().terms}
    for e in entries:
        for term, n in e.term_counts.items():
            usage[term].append((e, n))
    return usage


def linked_titles(text: str, pages: set[str], up: str) -> str:
    """``text`` escaped, each 《title》 in it that has a page in the archive linked to that page."""
    from ..annotations.citations import cited_titles

    reg = registry.load()
    out, cut = [], 0
    for start, end, inner in cited_titles(text):
        doc = reg.resolve(inner)
        out.append(escape_markdown(text[cut:start]))
        shown = escape_markdown(text[start:end])
        out.append(f"[{shown}]({up}laws/{doc.id}/index.md)" if doc and doc.id in pages else shown)
        cut = end
    out.append(escape_markdown(text[cut:]))
    return "".join(out)


def _term_page(term: glossary.Term, rows: list[tuple[Entry, int]], law_pages: set[str]) -> str:
    by_id = glossary.load().by_id
    up = "../../"
    lines = [f"# {esc(term.term)}", "", f"[术语表](../index.md) › {esc(term.term)}\n{{ .archive-crumbs }}", "",
             f"**释义**：{esc(term.zh)}", "", f"**English**: {esc(term.en)}", '{ lang="en" }', ""]
    if term.variants:
        lines += ["**其他写法**：" + "、".join(esc(v) for v in term.variants), ""]
    if term.source:
        lines += [f"**出处**：{linked_titles(term.source, law_pages, up)}", ""]
    related = [by_id[r] for r in term.related if r in by_id]
    if related:
        lines += ["**相关术语**：" + "、".join(f"[{esc(r.term)}](../{r.id}/index.md)" for r in related), ""]
    total = sum(n for _, n in rows)
    lines += ["## 使用这一术语的报告", ""]
    if rows:
        lines += [f"{len(rows)} 份报告共使用 {total} 次（繁简、全半角不同的写法算作同一种）。", ""]
    lines += listing(rows, up, (term.term, *term.variants))
    return "\n".join(lines)


def terms_pages(usage: Usage, law_pages: set[str]) -> dict[str, str]:
    """The glossary page and a page per term."""
    terms = sorted(glossary.load().terms, key=lambda t: (pinyin_word(t.term), t.term))
    lines = ["# 术语表", "",
             f"这些报告默认读者熟悉的 {len(terms)} 个政策术语：每个术语的中文释义、英文释义和出处，以及有多少份报告用到它。"
             "在报告页面上，术语下有虚线，鼠标移上、点按或用键盘聚焦即可看到释义。"
             "术语表是本档案自己编写的，欢迎补充与指正（见[参与贡献](../contribute.md)）；"
             "全部术语及使用它们的报告也可以[下载](../data/terms.json)。", "",
             "| 术语 | 释义 | 报告 |", "|---|---|---|"]
    files: dict[str, str] = {}
    for t in terms:
        lines.append(f"| [{esc(t.term)}]({t.id}/index.md) | {esc(t.zh)} | {len(usage.get(t.id, []))} |")
        files[f"terms/{t.id}/index.md"] = _term_page(t, usage.get(t.id, []), law_pages)
    files["terms/index.md"] = "\n".join(lines + [""])
    return files


def terms_data(usage: Usage) -> str:
    """``data/terms.json``: every term, its definitions and forms, and the reports using it (by address name)."""
    # Half a million {"slug", "count"} pairs at 10,000 reports: written as text, each address encoded once,
    # byte for byte what json_list writes of the same items (tests/test_terms_laws.py holds them equal).
    quoted: dict[int, str] = {}
    lines = []
    for t in glossary.load().terms:
        rows = sorted(usage.get(t.id, []), key=lambda r: r[0].slug)
        head = json_text({"id": t.id, "term": t.term, "variants": list(t.variants), "definition_zh": t.zh,
                      "definition_en": t.en, "source": t.source, "related": list(t.related)})
        reports = ",".join(f'{{"slug":{quoted.get(id(e)) or quoted.setdefault(id(e), json_text(e.slug))},"count":{n}}}'
                           for e, n in rows)
        lines.append(f'{head[:-1]},"reports":[{reports}]}}')
    return json_lines(lines)
