"""The sidecar's ``annotations`` list: each item checked key by key, with its line.

Read from the YAML nodes (not the loaded values) so that every problem names
the line of the item or of the value at fault, as every sidecar problem does.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any, Callable

import yaml

from ..errors import ReportError
from ..values import NOTE_MAX_CHARS, checked_text, date, one_line, url
from .model import ENTRY_KEYS, NoteEntry

QUOTE_MAX_CHARS = 1000
CONTEXT_MAX_CHARS = 100
TAG_MAX_CHARS = 30
TAGS_MAX = 10


def _quote(value: Any) -> str:
    return checked_text(value, QUOTE_MAX_CHARS)


def _context(value: Any) -> str:
    return checked_text(value, CONTEXT_MAX_CHARS)


def _note(value: Any) -> str:
    return checked_text(value, NOTE_MAX_CHARS, lines=True)


def _tags(value: Any) -> tuple[str, ...]:
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not values or len(values) > TAGS_MAX:
        raise ValueError(f"必须是 1 至 {TAGS_MAX} 个标签的列表，如 [数据存疑]")
    return tuple(one_line(v, TAG_MAX_CHARS) for v in values)


ENTRY_SCHEMA: dict[str, tuple[Callable[[Any], Any], str]] = {
    "quote": (_quote, "所注的原文"),
    "prefix": (_context, "原文前紧挨的文字"),
    "suffix": (_context, "原文后紧挨的文字"),
    "note": (_note, "注释"),
    "author": (one_line, "注释者"),
    "created": (date, "注释日期"),
    "tags": (_tags, "标签"),
    "link": (url, "相关链接"),
}
assert tuple(ENTRY_SCHEMA) == ENTRY_KEYS
REQUIRED = ("quote", "note")
EXAMPLE = ("照 CONTRIBUTING.md 的例子写：annotations 下每条注释以“- quote: 原文”开头，"
           "下一行与 quote 对齐写“note: 注释”")


def where(number: int, key: str | None = None) -> str:
    """How a problem names its item (and key): 'annotations 第 2 条的 quote'."""
    return f"annotations 第 {number} 条" + (f"的 {key}" if key else "")


def read_entries(path: Path, node: yaml.Node, loader: yaml.SafeLoader) -> tuple[list[NoteEntry], list[ReportError]]:
    """The valid note entries of an ``annotations:`` value node, and every problem with the others.

    An item with a problem in ``quote`` or ``note`` is left out (there is
    nothing to anchor or to show); a problem in another key leaves that key out.
    """
    if not isinstance(node, yaml.SequenceNode):
        return [], [ReportError(str(path), "annotations 必须是列表，每条注释以“- quote:”开头",
                                EXAMPLE, line=node.start_mark.line + 1,
                                key="annotations")]
    entries: list[NoteEntry] = []
    problems: list[ReportError] = []
    for number, item in enumerate(node.value, 1):
        entry = _read_item(path, item, loader, number, problems)
        if entry is not None:
            entries.append(entry)
    return entries, problems


def _read_item(path: Path, item: yaml.Node, loader: yaml.SafeLoader, number: int,
               problems: list[ReportError]) -> NoteEntry | None:
    line = item.start_mark.line + 1
    if not isinstance(item, yaml.MappingNode):
        problems.append(ReportError(str(path), "这条注释不是“键: 值”的映射", "每条注释至少写 quote 和 note 两个键",
                                    line=line, key=where(number)))
        return None
    values: dict[str, Any] = {}
    failed: set[str] = set()
    for key_node, value_node in item.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        at = key_node.start_mark.line + 1
        if not isinstance(key, str) or key not in ENTRY_SCHEMA:
            shown = key if isinstance(key, str) else "（不是名字）"
            near = difflib.get_close_matches(shown, ENTRY_SCHEMA, n=1, cutoff=0.6)
            fix = (f"是不是要写“{near[0]}”？" if near else "") + "注释可用的键：" + "、".join(ENTRY_SCHEMA)
            problems.append(ReportError(str(path), f"注释里有未知的键“{shown}”", fix, line=at,
                                        key=where(number, shown)))
            continue
        if key in values or key in failed:
            problems.append(ReportError(str(path), f"这条注释的“{key}”写了两次", f"只保留一个“{key}:”",
                                        line=at, key=where(number, key)))
            continue
        check, meaning = ENTRY_SCHEMA[key]
        try:
            values[key] = check(loader.construct_object(value_node, deep=True))
        except (yaml.YAMLError, ValueError, TypeError) as exc:
            failed.add(key)
            problems.append(ReportError(str(path), f"{meaning}不合格", f"“{key}”{exc}",
                                        line=value_node.start_mark.line + 1, key=where(number, key)))
    missing = [k for k in REQUIRED if k not in values and k not in failed]
    for key in missing:
        problems.append(ReportError(str(path), f"这条注释缺少“{key}”（{ENTRY_SCHEMA[key][1]}）",
                                    "每条注释都要有 quote（逐字复制的原文）和 note（注释的内容）",
                                    line=line, key=where(number, key)))
    if any(k not in values for k in REQUIRED):
        return None
    return NoteEntry(line=line, number=number, **values)
