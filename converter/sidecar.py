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
        raise ValueError("must be non-empty text")
    bad = _controls(value, allow_newlines=lines)
    if bad:
        kind = "invisible characters" if lines else "line breaks or invisible characters"
        raise ValueError(f"must be {'text' if lines else 'one line of text'} without {kind} ({bad} found)")
    if len(value) > limit:
        raise ValueError(f"must be at most {limit} characters ({len(value)} given)")
    return value


def _one_line(value: Any, limit: int = TEXT_MAX_CHARS) -> str:
    return _checked_text(value, limit)


def _text(value: Any) -> str | None:
    return None if value is None else _one_line(value)


def _url(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("must be a web address starting with http:// or https://")
    bad = _URL_FORBIDDEN.search(value)
    if bad:
        shown = {" ": "a space"}.get(bad.group(), repr(bad.group()))
        raise ValueError(f"contains {shown}, which a web address cannot hold as it is: copy the address from "
                         f"the browser's address bar, or percent-encode it (a space is %20, \" is %22, "
                         f"< is %3C, > is %3E)")
    if len(value) > URL_MAX_CHARS:
        raise ValueError(f"must be at most {URL_MAX_CHARS} characters")
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        raise ValueError(f"is not a web address ({exc})") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc.startswith(parts.netloc.lstrip("/")):
        raise ValueError("must be a web address starting with http:// or https://")
    if not parts.hostname or not _HOST.match(parts.hostname) or "@" in parts.netloc:
        raise ValueError("must name a web site after http:// or https://, such as www.example.gov.cn")
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
            raise ValueError("is not a day of the calendar: write a real date as YYYY-MM-DD") from None
        if FIRST_DATE <= day <= LAST_DATE:
            return day.isoformat()
    raise ValueError("must be a date written YYYY-MM-DD, such as 2023-02-10")


def _year(value: Any) -> int | None:
    if value is None or (isinstance(value, int) and not isinstance(value, bool) and 1990 <= value <= 2100):
        return value
    raise ValueError("must be a year such as 2023")


def _level(value: Any) -> str | None:
    if value is None or value in LEVELS:
        return value
    raise ValueError("must be one of " + ", ".join(LEVELS))


def _province(value: Any) -> str | None:
    from .gazetteer import load

    if value is None or (isinstance(value, str) and value in load().provinces):
        return value
    raise ValueError("must be a province's full official name, such as 重庆市 or 宁夏回族自治区")


def _slug(value: Any) -> str:
    if isinstance(value, str) and SLUG_PATTERN.match(value):
        return value
    raise ValueError("must be lowercase ASCII words joined by hyphens, such as chongqing-dazu-shiwanzhen-2022")


def _slugs(value: Any) -> list[str]:
    values = [value] if isinstance(value, str) else value
    if isinstance(values, list) and values and all(isinstance(v, str) and SLUG_PATTERN.match(v) for v in values):
        return values
    raise ValueError("must be a list of former URL names, each lowercase ASCII words joined by hyphens")


def _notes(value: Any) -> list[str]:
    if isinstance(value, list) and value:
        return [_checked_text(v, NOTE_MAX_CHARS, lines=True) for v in value]
    return [_checked_text(value, NOTE_MAX_CHARS, lines=True)]


def _issuers(value: Any) -> list[str]:
    if isinstance(value, list):
        return [_one_line(v) for v in value]
    raise ValueError("must be a list of issuing bodies' names")


SCHEMA: dict[str, tuple[Callable[[Any], Any], str]] = {
    "source_url": (_url, "where the report was found"),
    "retrieved": (_date, "the day it was copied from there"),
    "notes": (_notes, "remarks for readers"),
    "title": (_text, "corrected title"),
    "unit": (_text, "corrected reporting unit"),
    "town": (_text, "corrected township (乡/镇/街道/苏木)"),
    "level": (_level, "corrected level"),
    "county": (_text, "corrected county"),
    "city": (_text, "corrected city"),
    "province": (_province, "corrected province"),
    "year": (_year, "corrected year reported on"),
    "date": (_date, "corrected date of the report"),
    "published": (_date, "corrected publication date"),
    "issuers": (_issuers, "corrected issuing bodies"),
    "slug": (_slug, "a fixed URL name"),
    "former_slugs": (_slugs, "URL names the report had before, which redirect to it"),
}


def sidecar_path(report_path: str | Path) -> Path:
    return Path(report_path).with_suffix(".yml")


def unknown_key_fix(key: str) -> str:
    """The fix for a key the schema does not know: the nearest known key first, then all of them."""
    near = difflib.get_close_matches(key, SCHEMA, n=1, cutoff=0.6)
    known = ", ".join(SCHEMA)
    return (f"did you mean '{near[0]}'? The keys are: {known}" if near else f"use one of: {known}")


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
        return [], None, [ReportError(str(path), f"not valid YAML ({getattr(exc, 'problem', None) or exc})",
                                      "write one 'key: value' per line, as in CONTRIBUTING.md",
                                      line=mark.line + 1 if mark else None)]
    if node is None:
        return [], None, []
    if not isinstance(node, yaml.MappingNode):
        return [], None, [ReportError(str(path), "must be a mapping of keys to values",
                                      "write one 'key: value' per line", line=node.start_mark.line + 1)]
    return node.value, loader, []


def read_sidecar(path: str | Path) -> tuple[dict[str, Any], list[ReportError]]:
    """The valid annotations and every problem found, so a contributor sees them all at once."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}, []
    except OSError as exc:
        return {}, [ReportError(str(path), f"cannot read the sidecar ({exc.strerror})", "check the file's permissions")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return {}, [ReportError(str(path), "the sidecar is not UTF-8 text", "save the .yml file as UTF-8",
                                line=line_at(raw, exc.start))]
    pairs, loader, problems = _mapping(path, text)
    out: dict[str, Any] = {}
    seen: dict[str, int] = {}
    for key_node, value_node in pairs:
        line = key_node.start_mark.line + 1
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if not isinstance(key, str) or key not in SCHEMA:
            shown = key if isinstance(key, str) else "(not a name)"
            problems.append(ReportError(str(path), f"unknown key '{shown}'", unknown_key_fix(shown), line=line,
                                        key=shown))
            continue
        if key in seen:
            problems.append(ReportError(str(path), f"'{key}' is given twice (first on line {seen[key]})",
                                        f"keep one '{key}:' line", line=line, key=key))
            continue
        seen[key] = line
        check, meaning = SCHEMA[key]
        try:
            value = loader.construct_object(value_node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError) as exc:
            problems.append(ReportError(str(path), f"the value for {meaning} cannot be read ({exc})",
                                        f"write '{key}' as plain text, as in CONTRIBUTING.md", line=line, key=key))
            continue
        try:
            out[key] = check(value)
        except ValueError as exc:
            problems.append(ReportError(str(path), f"bad value {_shown(value)} for {meaning}", f"'{key}' {exc}",
                                        line=value_node.start_mark.line + 1, key=key))
    if loader is not None:
        loader.dispose()
    return out, problems
