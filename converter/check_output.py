"""How ``check`` reports its verdicts: plain text for a terminal, Markdown for a CI run's summary."""

from __future__ import annotations

import html
from typing import Sequence

from .check import Checked
from .errors import ReportError
from .slug import address

SHOWN_FIELDS = ("title", "unit", "town", "level", "county", "city", "province", "year", "date", "published",
                "issuers", "slug")
LABELS = {"slug": "address"}
REMOVED_TEXT_CHARS = 60


def _value(checked: Checked, key: str) -> str:
    m = checked.report.metadata
    value = getattr(m, key)
    if key == "slug":
        value = address(value) + (f" (also from: {', '.join(m.aliases)})" if m.aliases else "")
    if isinstance(value, list):
        value = "、".join(value)
    return "—" if value in (None, "") else str(value)


def _where(p: ReportError) -> str:
    parts = []
    if p.line is not None:
        parts.append(f"line {p.line}")
    if p.key is not None:
        parts.append(f"key '{p.key}'")
    return ", ".join(parts)


def _short(text: str) -> str:
    text = text.strip() or "(whitespace)"
    return text if len(text) <= REMOVED_TEXT_CHARS else text[:REMOVED_TEXT_CHARS - 1] + "…"


def verdict(checked: Checked) -> str:
    n = len(checked.problems)
    return "ready" if checked.ready else f"NOT READY ({n} problem{'s' if n > 1 else ''})"


def as_text(checked: Checked) -> str:
    lines = [f"{checked.path}: {verdict(checked)}"]
    if checked.problems:
        lines.append("  problems:")
        lines += [f"    {i}. {p}" for i, p in enumerate(checked.problems, 1)]
    report = checked.report
    if report is not None:
        m = report.metadata
        lines.append(f"  metadata (read as {m.encoding}; value <- where it came from):")
        for key in SHOWN_FIELDS:
            source = m.sources.get(key, "not found" if getattr(m, key) in (None, "", []) else "")
            lines.append(f"    {LABELS.get(key, key):<10} {_value(checked, key)}" + (f"  <- {source}" if source else ""))
        removed = report.cleaned.removals
        lines.append(f"  removed by the cleaner: {len(removed)}")
        lines += [f"    line {r.line:>4}  {r.rule:<26} {_short(r.text)}" for r in removed]
        restored = report.structure.restorations
        if restored:
            lines.append(f"  restored: {len(restored)}")
            lines += [f"    line {r.line:>4}  {r.text}  ({r.reason})" for r in restored]
    if checked.notes:
        lines.append("  notes:")
        lines += [f"    - {n}" for n in checked.notes]
    return "\n".join(lines)


def _md(text: str) -> str:
    return html.escape(text, quote=False).replace("|", "&#124;").replace("\n", " ")


def as_markdown(results: Sequence[Checked]) -> str:
    ready = sum(c.ready for c in results)
    out = [f"## Report check: {ready} of {len(results)} ready", ""]
    if not results:
        out += ["No report files were added or changed.", ""]
    for checked in results:
        mark = "✅" if checked.ready else "❌"
        out += [f"### {mark} `{_md(checked.path)}`: {verdict(checked)}", ""]
        for p in checked.problems:
            where = _where(p)
            out.append(f"- **{_md(p.path)}{', ' + where if where else ''}**: {_md(p.problem)}. "
                       f"**Fix:** {_md(p.fix)}")
        if checked.problems:
            out.append("")
        report = checked.report
        if report is not None:
            m = report.metadata
            out += ["| field | value | where it came from |", "|---|---|---|"]
            out += [f"| {LABELS.get(k, k)} | {_md(_value(checked, k))} | {_md(m.sources.get(k, ''))} |"
                    for k in SHOWN_FIELDS]
            removed = report.cleaned.removals
            out += ["", f"<details><summary>Removed by the cleaner: {len(removed)}</summary>", "",
                    "| line | rule | text |", "|---|---|---|"]
            out += [f"| {r.line} | `{r.rule}` | {_md(_short(r.text))} |" for r in removed]
            out += ["", "</details>", ""]
        out += [f"- {_md(n)}" for n in checked.notes]
        out.append("")
    return "\n".join(out)
