"""Reading a reference file: a YAML list of mappings, each checked key by key with its line.

Read from the YAML nodes, as the sidecars are, so that a fault names the line
of the entry or value. The reference files are the project's own data, reviewed
in pull requests: a fault stops the load with every problem listed, and the
test suite loads each file, so a bad edit never reaches the site.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, Callable

import yaml

from ..errors import ReportError
from ..values import checked_text

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_LOOSE_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")

Schema = dict[str, tuple[Callable[[Any], Any], str]]


class ReferenceDataError(ValueError):
    """A reference file has faults; ``problems`` names each one's line, key and fix."""

    def __init__(self, problems: list[ReportError]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def ident(value: Any) -> str:
    if not isinstance(value, str) or not ID_PATTERN.match(value) or len(value) > 60:
        raise ValueError("必须是小写拼音字母、数字和连字符组成的名字（最多 60 个字符），如 sanzhong-yida")
    return value


def text(limit: int) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        return checked_text(value, limit)
    return check


def text_list(limit: int) -> Callable[[Any], tuple[str, ...]]:
    def check(value: Any) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            raise ValueError("必须是列表，如 [甲, 乙]")
        return tuple(checked_text(v, limit) for v in value)
    return check


def loose_date(value: Any) -> str:
    """A date as precise as it is known: 2021, 2021-08 or 2021-08-11 (unquoted dates are read as such too)."""
    if isinstance(value, dt.date):
        return value.isoformat()[:10]
    if isinstance(value, int) and 1900 <= value <= 2100:
        return str(value)
    if isinstance(value, str) and _LOOSE_DATE.match(value):
        return value
    raise ValueError("必须是日期，写作 '2021-08-11'、'2021-08' 或 '2021'")


def one_of(*allowed: str) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if value not in allowed:
            raise ValueError("必须是以下之一：" + "、".join(allowed))
        return value
    return check


# libyaml's composer where PyYAML has it (a third of a second saved on each of the big files); the nodes and
# their line marks are the same either way, and values are still built by the safe constructor below.
COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_list(path: Path, schema: Schema, required: tuple[str, ...]) -> list[dict[str, Any]]:
    """The entries of ``path``, each a dict of checked values plus ``line``; raises ReferenceDataError."""
    problems: list[ReportError] = []
    name = str(path)
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=COMPOSER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ReferenceDataError([ReportError(name, f"不是有效的 YAML（{getattr(exc, 'problem', exc)}）",
                                              "对照相邻条目的写法改正缩进与引号",
                                              line=mark.line + 1 if mark else None)]) from None
    if not isinstance(root, yaml.SequenceNode):
        raise ReferenceDataError([ReportError(name, "文件必须是列表，每个条目以“- id:”开头", "照文件开头的说明写")])
    loader = yaml.SafeLoader("")
    out = []
    for item in root.value:
        line = item.start_mark.line + 1
        if not isinstance(item, yaml.MappingNode):
            problems.append(ReportError(name, "这个条目不是“键: 值”的映射", "照相邻条目的写法写", line=line))
            continue
        values: dict[str, Any] = {"line": line}
        for key_node, value_node in item.value:
            key = key_node.value
            at = value_node.start_mark.line + 1
            if key not in schema:
                problems.append(ReportError(name, f"未知的键“{key}”", "可用的键：" + "、".join(schema),
                                            line=at, key=key))
                continue
            if key in values:
                problems.append(ReportError(name, f"“{key}”写了两次", f"只保留一个“{key}:”", line=at, key=key))
                continue
            check, meaning = schema[key]
            try:
                values[key] = check(loader.construct_object(value_node, deep=True))
            except (yaml.YAMLError, ValueError, TypeError) as exc:
                problems.append(ReportError(name, f"{meaning}不合格", f"“{key}”{exc}", line=at, key=key))
        for key in required:
            if key not in values and not any(p.line and p.key == key and p.line >= line for p in problems):
                problems.append(ReportError(name, f"条目缺少“{key}”（{schema[key][1]}）",
                                            "每个条目都要写：" + "、".join(required), line=line, key=key))
        out.append(values)
    unique_ids(name, out, problems)
    if problems:
        raise ReferenceDataError(problems)
    return out


def unique_ids(name: str, entries: list[dict[str, Any]], problems: list[ReportError]) -> None:
    seen: dict[str, int] = {}
    for e in entries:
        if "id" in e and e["id"] in seen:
            problems.append(ReportError(name, f"id “{e['id']}”已用于第 {seen[e['id']]} 行的条目",
                                        "给这个条目另起一个 id", line=e["line"], key="id"))
        seen.setdefault(e.get("id", ""), e["line"])
