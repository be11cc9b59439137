"""How ``check`` reports its verdicts: plain text for a terminal, Markdown for a CI run's summary.

In Chinese, as contributors read it; each field shows the sidecar key that
corrects it, since that is what a contributor writes.
"""

from __future__ import annotations

import html
from typing import Sequence

from .check import Checked
from .errors import ReportError
from .slug import address

SHOWN_FIELDS = ("title", "unit", "town", "level", "county", "city", "province", "year", "date", "published",
                "issuers", "slug")
LABELS = {"title": "标题", "unit": "报告单位", "town": "乡镇", "level": "级别", "county": "县（区）", "city": "地级市",
          "province": "省级地区", "year": "报告年度", "date": "成文日期", "published": "发布日期", "issuers": "发文机关",
          "slug": "网址"}
REMOVED_TEXT_CHARS = 60


def _value(checked: Checked, key: str) -> str:
    m = checked.report.metadata
    value = getattr(m, key)
    if key == "slug":
        value = address(value) + (f"（旧网址：{'、'.join(m.aliases)}）" if m.aliases else "")
    if isinstance(value, list):
        value = "、".join(value)
    return "—" if value in (None, "") else str(value)


def _label(key: str) -> str:
    return f"{LABELS[key]} {key}"


def _where(p: ReportError) -> str:
    parts = []
    if p.line is not None:
        parts.append(f"第 {p.line} 行")
    if p.key is not None:
        parts.append(f"键 {p.key}")
    return "，".join(parts)


def _short(text: str) -> str:
    text = text.strip() or "（空白）"
    return text if len(text) <= REMOVED_TEXT_CHARS else text[:REMOVED_TEXT_CHARS - 1] + "…"


STATUS = {"exact": "已定位", "changed": "原文已变化", "ambiguous": "有多处符合，未定位", "orphan": "找不到，未定位"}


def note_lines(checked: Checked) -> list[str]:
    """Every note and where it anchored: the report's line and the characters, or why it did not."""
    report = checked.report
    notes = [a for a in report.annotations if a.kind == "note"] if report is not None else []
    out = []
    for a in notes:
        e = a.body
        where = (f"报告第 {report.structure.line_of(a.start)} 行，第 {a.start}–{a.end} 字" if a.placed else "")
        status = STATUS.get(a.anchor.status if a.anchor else "orphan", "")
        out.append(f"第 {e.number} 条（旁注第 {e.line} 行）“{_short(e.quote)}” → {status}"
                   + (f"：{where}" if where else ""))
    return out


def verdict(checked: Checked) -> str:
    return "可以提交" if checked.ready else f"尚不能提交（{len(checked.problems)} 个问题）"


def summary(results: Sequence[Checked]) -> str:
    ready = sum(c.ready for c in results)
    return f"{ready}/{len(results)} 份报告可以提交" if results else "没有要检查的报告"


def as_text(checked: Checked) -> str:
    lines = [f"{checked.path}：{verdict(checked)}"]
    if checked.problems:
        lines.append("  问题：")
        lines += [f"    {i}. {p}" for i, p in enumerate(checked.problems, 1)]
    report = checked.report
    if report is not None:
        m = report.metadata
        lines.append(f"  元数据（按 {m.encoding} 读取；值 <- 来源）：")
        for key in SHOWN_FIELDS:
            source = m.sources.get(key, "未找到" if getattr(m, key) in (None, "", []) else "")
            lines.append(f"    {_label(key):<12} {_value(checked, key)}" + (f"  <- {source}" if source else ""))
        removed = report.cleaned.removals
        lines.append(f"  清理删除：{len(removed)} 处")
        lines += [f"    第 {r.line:>4} 行  {r.rule:<28} {_short(r.text)}" for r in removed]
        restored = report.structure.restorations
        if restored:
            lines.append(f"  补全：{len(restored)} 处")
            lines += [f"    第 {r.line:>4} 行  {r.text}（{r.reason}）" for r in restored]
        notes = note_lines(checked)
        if notes:
            lines.append(f"  注释：{len(notes)} 条")
            lines += [f"    {n}" for n in notes]
    if checked.notes:
        lines.append("  提示：")
        lines += [f"    - {n}" for n in checked.notes]
    return "\n".join(lines)


def _md(text: str) -> str:
    return html.escape(text, quote=False).replace("|", "&#124;").replace("\n", " ")


def as_markdown(results: Sequence[Checked]) -> str:
    out = [f"## 报告检查：{summary(results)}", ""]
    if not results:
        out += ["没有新增或修改的报告文件。", ""]
    for checked in results:
        mark = "✅" if checked.ready else "❌"
        out += [f"### {mark} `{_md(checked.path)}`：{verdict(checked)}", ""]
        for p in checked.problems:
            where = _where(p)
            out.append(f"- **{_md(p.path)}{'，' + where if where else ''}**：{_md(p.problem)}。"
                       f"**修正：**{_md(p.fix)}")
        if checked.problems:
            out.append("")
        report = checked.report
        if report is not None:
            m = report.metadata
            out += ["| 字段 | 值 | 来源 |", "|---|---|---|"]
            out += [f"| {_label(k)} | {_md(_value(checked, k))} | {_md(m.sources.get(k, ''))} |"
                    for k in SHOWN_FIELDS]
            removed = report.cleaned.removals
            out += ["", f"<details><summary>清理删除：{len(removed)} 处</summary>", "",
                    "| 行 | 规则 | 内容 |", "|---|---|---|"]
            out += [f"| {r.line} | `{r.rule}` | {_md(_short(r.text))} |" for r in removed]
            out += ["", "</details>", ""]
            notes = note_lines(checked)
            if notes:
                out += [f"注释 {len(notes)} 条：", ""] + [f"- {_md(n)}" for n in notes] + [""]
        out += [f"- {_md(n)}" for n in checked.notes]
        out.append("")
    return "\n".join(out)
