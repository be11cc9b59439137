"""Producer: the human notes of a report's sidecar, anchored in its cleaned text.

Every note becomes an annotation of kind ``note``, placed or not: a note
whose passage changed or vanished is still shown (at its close match, or at
the end of the page), and is a problem for ``check`` and ``build --strict``
until a contributor looks at it.
"""

from __future__ import annotations

import hashlib
from typing import Callable, Sequence

from ..errors import ReportError
from .anchoring import Text, anchor, difference_text, squeeze
from .entries import where
from .model import Annotation, NoteEntry

KIND = "note"
SHOWN_CHARS = 60


def note_id(entry: NoteEntry, taken: set[str]) -> str:
    """A short name for the note's place on the page, stable while its quote and context are."""
    key = "\0".join(squeeze(x) for x in (entry.quote, entry.prefix, entry.suffix))
    base = "n" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:8]
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    taken.add(name)
    return name


def record(a: Annotation) -> dict:
    """A note as the converted Markdown's front matter and ``check`` show it: the entry, and where it landed."""
    out = {"id": a.id, **a.body.as_dict(), "status": a.anchor.status if a.anchor else "orphan"}
    if a.placed:
        out["start"], out["end"] = a.start, a.end
    if a.anchor is not None and a.anchor.found and a.anchor.status != "exact":
        out["text_now"] = a.anchor.found
    return out


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS - 1] + "…"


def annotate(entries: Sequence[NoteEntry], text: str, sidecar: str,
             line_of: Callable[[int], int]) -> tuple[list[Annotation], list[ReportError]]:
    """Anchor each note; ``line_of`` maps a position of the text to the report file's line, for messages."""
    view = Text(text)
    taken: set[str] = set()
    out: list[Annotation] = []
    problems: list[ReportError] = []
    for entry in entries:
        found = anchor(view, entry.quote, entry.prefix, entry.suffix)
        out.append(Annotation(KIND, found.start, found.end, note_id(entry, taken), entry, found))
        problem = _problem(entry, found, sidecar, line_of)
        if problem is not None:
            problems.append(problem)
    return out, problems


def _problem(entry: NoteEntry, found, sidecar: str, line_of: Callable[[int], int]) -> ReportError | None:
    quote = _short(entry.quote)
    key = where(entry.number, "quote")
    if found.status == "changed":
        diff = difference_text(squeeze(entry.quote), squeeze(found.found))
        now = f"报告第 {line_of(found.start)} 行现在是“{_short(found.found)}”"
        if squeeze(entry.quote) == squeeze(found.found):
            what = f"注释所引原文“{quote}”前后的文字（prefix/suffix）已变化；{now}"
        else:
            what = f"注释所引的原文已变化：注释引的是“{quote}”，{now}，差异：{_short(diff)}"
        return ReportError(sidecar, what, "核对报告：注释仍然成立，就把 quote（以及 prefix、suffix）改成现在的文字；"
                           "不再成立，就修改或删除这条注释", line=entry.line, key=key)
    if found.status == "ambiguous":
        lines = "、".join(str(n) for n in list(dict.fromkeys(line_of(p) for p in found.places))[:10])
        return ReportError(sidecar, f"注释所引的原文“{quote}”在报告中有 {len(found.places)} 处同样符合（第 {lines} 行），"
                           "无法确定指哪一处", "加上 prefix（原文前紧挨的几个字）或 suffix（原文后紧挨的几个字），"
                           "使它只对应一处", line=entry.line, key=key)
    if found.status == "orphan":
        near = (f"；最接近的是报告第 {line_of(found.places[0])} 行附近的“{_short(found.found)}”"
                if found.found else "")
        return ReportError(sidecar, f"注释所引的原文“{quote}”在报告中找不到，也没有相近的文字{near}",
                           "从网站上的报告页面逐字复制原文写进 quote；原文已删去的话，删除或改写这条注释",
                           line=entry.line, key=key)
    return None
