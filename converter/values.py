"""Checks for values a contributor writes: one line of text, a note, a web address, a date.

Shared by the sidecar's keys and its annotation entries. Each check returns the
value when it is acceptable and raises ``ValueError`` with the fix, in Chinese,
otherwise.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any
from urllib.parse import urlsplit

TEXT_MAX_CHARS = 200
NOTE_MAX_CHARS = 5000
URL_MAX_CHARS = 2000
FIRST_DATE, LAST_DATE = dt.date(1990, 1, 1), dt.date(2100, 12, 31)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Characters RFC 3986 never allows unencoded in an address: they are how a link is broken out of.
_URL_FORBIDDEN = re.compile(r'[\s"<>\\^`{|}\x00-\x1f\x7f]')
_HOST = re.compile(r"^(?:[\w-]+\.)*[\w-]+\.?$|^\[[0-9a-f:.]+\]$", re.IGNORECASE)


def controls(text: str, allow_newlines: bool) -> str | None:
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


def checked_text(value: Any, limit: int, lines: bool = False) -> str:
    """Non-empty text within ``limit`` characters, without invisible characters; line breaks only if ``lines``."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError("必须是非空的文字")
    bad = controls(value, allow_newlines=lines)
    if bad:
        kind = "不可见字符" if lines else "换行或不可见字符"
        raise ValueError(f"必须是{'文字' if lines else '一行文字'}，不能含{kind}（发现 {bad}）")
    if len(value) > limit:
        raise ValueError(f"最多 {limit} 个字（现有 {len(value)} 个）")
    return value


def one_line(value: Any, limit: int = TEXT_MAX_CHARS) -> str:
    return checked_text(value, limit)


def optional_text(value: Any) -> str | None:
    return None if value is None else one_line(value)


def url(value: Any) -> str:
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


def date(value: Any) -> str | None:
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
