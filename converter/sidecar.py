"""Human annotations beside a report: ``<report>.yml`` adds or corrects metadata.

The raw report is never edited; a sidecar holds the source address, the
retrieval date, notes and corrected fields. It is validated against
``SCHEMA``: an unknown key or a bad value is an error naming the file, the key,
its line and the fix, and every problem is found at once. Reading a sidecar
never raises: whatever a contributor wrote comes back as valid values and
problems, so one bad sidecar cannot stop the archive.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlsplit

import yaml

from .decode import line_at
from .errors import ReportError
from .slug import SLUG_PATTERN

LEVELS = ("乡", "镇", "街道", "苏木", "县", "区", "市", "旗", "州", "盟")
PLACE_KEYS = ("unit", "town", "level", "county", "city", "province")
TEXT_MAX_CHARS = 200
NOTE_MAX_CHARS = 5000
URL_MAX_CHARS = 2000
FIRST_DATE, LAST_DATE = dt.date(1990, 1, 1), dt.date(2100, 12, 31)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Characters RFC 3986 never allows unencoded in an address: they are how a link is broken out of.
_URL_FORBIDDEN = re.compile(r'[\s"<>\\^`{|}\x00-\x1f\x7f]')
_HOST = re.compile(r"^(?:[\w-]+\.)*[\w-]+\.?$|^\[[0-9a-f:.]+\]$", re.IGNORECASE)


class _Loader(yaml.SafeLoader):
    """Safe YAML that keeps a date as the text written, so a bad date is a value to check, not a crash."""


_Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


def _controls(text: str, allow_newlines: bool) -> str | None:
    """The first invisible control or direction character in ``text``, if any.

    Direction overrides (U+202E …) make a title read differently from what it
    says, and control characters break the one-line fields they land in.
    """
    for ch in text:
        if allow_newlines and ch == "\n":
            continue
        if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp"):
            return f"U+{ord(ch):04X}"
    return None


def _checked_text(value: Any, limit: int, lines: bool = False) -> str:
    """Non-empty text within ``limit`` characters, without invisible characters; line breaks only if ``lines``."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError("必须是非空的文字")
    bad = _controls(value, allow_newlines=lines)
    if bad:
        kind = "不可见字符" if lines else "换行或不可见字符"
        raise ValueError(f"必须是{'文字' if lines else '一行文字'}，不能含{kind}（发现 {bad}）")
    if len(value) > limit:
        raise ValueError(f"最多 {limit} 个字（现有 {len(value)} 个）")
    return value


def _one_line(value: Any, limit: int = TEXT_MAX_CHARS) -> str:
    return _checked_text(value, limit)


def _text(value: Any) -> str | None:
    return None if value is None else _one_line(value)


def _url(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("必须是以 http:// 或 https:// 开头的网址")
    bad = _URL_FORBIDDEN.search(value)
    if bad:
        shown = {" ": "空格"}.get(bad.group(), f"“{bad.group()}”")
        raise ValueError(f"含有{shown}，网址里不能直接出现：请从浏览器地址栏复制网址，或把它编码"
                         f"（空格写作 %20，\" 写作 %22，< 写作 %3C，> 写作 %3E）")
    if len(value) > URL_MAX_CHARS:
        raise ValueError(f"最多 {URL_MAX_CHARS} 个字符")
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        raise ValueError(f"不是有效的网址（{exc}）") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc.startswith(parts.netloc.lstrip("/")):
        raise ValueError("必须是以 http:// 或 https:// 开头的网址")
    if not parts.hostname or not _HOST.match(parts.hostname) or "@" in parts.netloc:
        raise ValueError("必须在 http:// 或 https:// 后写出网站名，如 www.example.gov.cn")
    return value


def _date(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.date):  # a date built by other code than the loader
        value = value.isoformat()[:10]
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError("不是日历上真有的一天：请写成 YYYY-MM-DD 格式的真实日期") from None
        if FIRST_DATE <= day <= LAST_DATE:
            return day.isoformat()
    raise ValueError("必须是 YYYY-MM-DD 格式的日期，如 2023-02-10")


def _year(value: Any) -> int | None:
    if value is None or (isinstance(value, int) and not isinstance(value, bool) and 1990 <= value <= 2100):
        return value
    raise ValueError("必须是年份，如 2023")


def _level(value: Any) -> str | None:
    if value is None or value in LEVELS:
        return value
    raise ValueError("必须是下列之一：" + "、".join(LEVELS))


def _province(value: Any) -> str | None:
    from .gazetteer import load

    if value is None or (isinstance(value, str) and value in load().provinces):
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
        return [_checked_text(v, NOTE_MAX_CHARS, lines=True) for v in value]
    return [_checked_text(value, NOTE_MAX_CHARS, lines=True)]


def _issuers(value: Any) -> list[str]:
    if isinstance(value, list):
        return [_one_line(v) for v in value]
    raise ValueError("必须是发文机关名称的列表")


SCHEMA: dict[str, tuple[Callable[[Any], Any], str]] = {
    "source_url": (_url, "原始网页地址"),
    "retrieved": (_date, "复制网页的日期"),
    "notes": (_notes, "给读者的说明"),
    "title": (_text, "更正的标题"),
    "unit": (_text, "更正的报告单位"),
    "town": (_text, "更正的乡镇（街道）"),
    "level": (_level, "更正的级别"),
    "county": (_text, "更正的县（区）"),
    "city": (_text, "更正的地级市"),
    "province": (_province, "更正的省级地区"),
    "year": (_year, "更正的报告年度"),
    "date": (_date, "更正的成文日期"),
    "published": (_date, "更正的网页发布日期"),
    "issuers": (_issuers, "更正的发文机关"),
    "slug": (_slug, "固定的网址名"),
    "former_slugs": (_slugs, "以前用过的网址名（会跳转到现在的网址）"),
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
