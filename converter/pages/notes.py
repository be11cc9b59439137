"""The notes across the archive: every human note, by report and by tag, linking to its place in the text."""

from __future__ import annotations

from collections import defaultdict

from ..annotations.body import render_note
from ..render import escape_markdown as esc
from ..slug import pinyin_word
from .entry import Entry

EXCERPT_CHARS = 120
STATUS = {"changed": "原文已变化", "ambiguous": "未能定位：原文有多处", "orphan": "未能定位：原文已找不到"}


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS - 1] + "…"


def tag_anchor(tag: str, taken: dict[str, str]) -> str:
    """An ASCII anchor for a tag (its pinyin), the same however often the page is made."""
    if tag in taken:
        return taken[tag]
    base = "tag-" + (pinyin_word(tag) or "x")
    name, n = base, 2
    while name in taken.values():
        name, n = f"{base}-{n}", n + 1
    taken[tag] = name
    return name


def _line(e: Entry, a, number: int) -> str:
    status = STATUS.get(a.anchor.status if a.anchor else "", "")
    flag = f"（{status}）" if status else ""
    return (f"{number}. [“{esc(_excerpt(a.body.quote))}”](reports/{e.slug}.md#ann-{a.id}){flag}："
            f"{esc(_excerpt(render_note(a.body.note).text))}")


def notes_page(entries: list[Entry]) -> str:
    noted = [e for e in entries if e.notes]
    total = sum(len(e.notes) for e in noted)
    lines = ["# 注释", "",
             f"档案中共有 {total} 条整理者注释，分布在 {len(noted)} 份报告中。注释说明一段原文的背景："
             "数字与其他来源是否一致、所提的机制后来如何、术语是什么意思、文字是否出自上级模板。"
             "在报告页面上，注释所对应的原文有下划线，鼠标移上、点按或用键盘聚焦编号即可看到注释；"
             "每份报告的末尾也按顺序列出全部注释。", "",
             "注释写在报告旁的旁注文件里，人人都可以补充，方法见[参与贡献](contribute.md)。"
             "全部注释也可以按 W3C Web Annotation 格式[下载](data/annotations.jsonld)。", ""]
    if not noted:
        lines.append("目前还没有注释。")
        return "\n".join(lines) + "\n"
    by_tag: dict[str, list[tuple[Entry, object]]] = defaultdict(list)
    for e in noted:
        for a in e.notes:
            for tag in a.body.tags:
                by_tag[tag].append((e, a))
    anchors: dict[str, str] = {}
    tags = sorted(by_tag, key=lambda t: (-len(by_tag[t]), pinyin_word(t), t))
    if tags:
        lines += ["## 按标签", ""]
        lines += ["、".join(f"[{esc(t)}](#{tag_anchor(t, anchors)})（{len(by_tag[t])}）" for t in tags), ""]
    lines += ["## 按报告", ""]
    for e in noted:
        lines += [f"### [{esc(e.display_title)}](reports/{e.slug}.md#notes)", ""]
        lines += [_line(e, a, n) for n, a in enumerate(e.notes, 1)] + [""]
    for t in tags:
        lines += [f"## 标签：{esc(t)} {{ #{tag_anchor(t, anchors)} }}", ""]
        lines += [f"- [“{esc(_excerpt(a.body.quote))}”](reports/{e.slug}.md#ann-{a.id})，"
                  f"见{esc(e.display_title)}" for e, a in by_tag[t]] + [""]
    return "\n".join(lines)
