"""Human annotations beside a report: ``<report>.yml`` adds or corrects metadata.

The raw report is never edited; a sidecar holds the source address, the
retrieval date, notes and corrected fields. It is validated against
``SCHEMA``: an unknown key or a bad value is an error naming the file, the key,
its line and the fix, and every problem is found at once. Reading a sidecar
never raises: whatever a contributor wrote comes back as valid values and
problems, so one bad sidecar cannot stop the archive.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any, Callable

import yaml

from .annotations.entries import read_entries
from .decode import line_at
from .errors import ReportError
from .slug import SLUG_PATTERN
from .values import NOTE_MAX_CHARS, checked_text, date, one_line, optional_text, url

LEVELS = ("乡", "镇", "街道", "苏木", "县", "区", "市", "旗", "州", "盟")
PLACE_KEYS = ("unit", "town", "level", "county", "city", "province")


class _Loader(yaml.SafeLoader):
    """Safe YAML that keeps a date as the text written, so a bad date is a value to check, not a crash."""


_Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


def _year(value: Any) -> int | None:
    if value is None or (isinstance(value, int) and not isinstance(value, bool) and 1990 <= value <= 2100):
        return value
    raise ValueError("必须是年份，如 2023")


def _level(value: Any) -> str | None:
    if value is None or value in LEVELS:
        return value
    raise ValueError("必须是下列之一：" + "、".join(LEVELS))


def _province(value: Any) -> str | None:
    from .gazetteer import provinces

    if value is None or (isinstance(value, str) and value in provinces()):
        return value
    raise ValueError("必须是省级地区的正式全称，如 重庆市、宁夏回族自治区")


def _slug(value: Any) -> str:
    if isinstance(value, str) and SLUG_PATTERN.match(value):
        return value
    raise ValueError("必须由小写英文字母和数字组成、用连字符连接，如 chongqing-dazu-shiwanzhen-2022")


def _slugs(value: Any) -> list[str]:
    values = [value] if isinstance(value, str) else value
    if isinstance(values, list) and values and all(isinstance(v, str) and SLUG_PATTERN.match(v) for v in values):
        return values
    raise ValueError("必须是以前用过的网址名的列表，每个由小写英文字母和数字组成、用连字符连接")


def _notes(value: Any) -> list[str]:
    if isinstance(value, list) and value:
        return [checked_text(v, NOTE_MAX_CHARS, lines=True) for v in value]
    return [checked_text(value, NOTE_MAX_CHARS, lines=True)]


def _issuers(value: Any) -> list[str]:
    if isinstance(value, list):
        return [one_line(v) for v in value]
    raise ValueError("必须是发文机关名称的列表")


SCHEMA: dict[str, tuple[Callable[[Any], Any], str]] = {
    "source_url": (url, "原始网页地址"),
    "retrieved": (date, "复制网页的日期"),
    "notes": (_notes, "给读者的说明"),
    "title": (optional_text, "更正的标题"),
    "unit": (optional_text, "更正的报告单位"),
    "town": (optional_text, "更正的乡镇（街道）"),
    "level": (_level, "更正的级别"),
    "county": (optional_text, "更正的县（区）"),
    "city": (optional_text, "更正的地级市"),
    "province": (_province, "更正的省级地区"),
    "year": (_year, "更正的报告年度"),
    "date": (date, "更正的成文日期"),
    "published": (date, "更正的网页发布日期"),
    "issuers": (_issuers, "更正的发文机关"),
    "slug": (_slug, "固定的网址名"),
    "former_slugs": (_slugs, "以前用过的网址名（会跳转到现在的网址）"),
    "annotations": (list, "注释"),  # read item by item by annotations.entries, which knows each item's line
}


def sidecar_path(report_path: str | Path) -> Path:
    return Path(report_path).with_suffix(".yml")


def unknown_key_fix(key: str) -> str:
    """The fix for a key the schema does not know: the nearest known key first, then all of them."""
    near = difflib.get_close_matches(key, SCHEMA, n=1, cutoff=0.6)
    known = "、".join(SCHEMA)
    return (f"是不是要写“{near[0]}”？可用的键：{known}" if near else f"可用的键：{known}")


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:79] + "…"


def _mapping(path: Path, text: str) -> tuple[list[tuple[yaml.Node, yaml.Node]], _Loader | None, list[ReportError]]:
    """The sidecar's key and value nodes, or the problem that the file is not a YAML mapping."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return [], None, [ReportError(str(path), f"不是有效的 YAML（{getattr(exc, 'problem', None) or exc}）",
                                      "每行写一个“键: 值”，参照 CONTRIBUTING.md",
                                      line=mark.line + 1 if mark else None)]
    if node is None:
        return [], None, []
    if not isinstance(node, yaml.MappingNode):
        return [], None, [ReportError(str(path), "必须是“键: 值”的映射",
                                      "每行写一个“键: 值”", line=node.start_mark.line + 1)]
    return node.value, loader, []


def read_sidecar(path: str | Path) -> tuple[dict[str, Any], list[ReportError]]:
    """The valid annotations and every problem found, so a contributor sees them all at once."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}, []
    except OSError as exc:
        return {}, [ReportError(str(path), f"无法读取旁注文件（{exc.strerror}）", "检查文件的读取权限")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return {}, [ReportError(str(path), "旁注文件不是 UTF-8 文本", "把 .yml 文件另存为 UTF-8",
                                line=line_at(raw, exc.start))]
    pairs, loader, problems = _mapping(path, text)
    out: dict[str, Any] = {}
    seen: dict[str, int] = {}
    for key_node, value_node in pairs:
        line = key_node.start_mark.line + 1
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if not isinstance(key, str) or key not in SCHEMA:
            shown = key if isinstance(key, str) else "（不是名字）"
            problems.append(ReportError(str(path), f"未知的键“{shown}”", unknown_key_fix(shown), line=line,
                                        key=shown))
            continue
        if key in seen:
            problems.append(ReportError(str(path), f"“{key}”写了两次（第一次在第 {seen[key]} 行）",
                                        f"只保留一行“{key}:”", line=line, key=key))
            continue
        seen[key] = line
        if key == "annotations":
            entries, wrong = read_entries(path, value_node, loader)
            out[key] = entries
            problems.extend(wrong)
            continue
        check, meaning = SCHEMA[key]
        try:
            value = loader.construct_object(value_node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError) as exc:
            problems.append(ReportError(str(path), f"{meaning}的值无法读取（{exc}）",
                                        f"把“{key}”写成普通文字，参照 CONTRIBUTING.md", line=line, key=key))
            continue
        try:
            out[key] = check(value)
        except ValueError as exc:
            problems.append(ReportError(str(path), f"{meaning}的值 {_shown(value)} 不合格", f"“{key}”{exc}",
                                        line=value_node.start_mark.line + 1, key=key))
    if loader is not None:
        loader.dispose()
    return out, problems
