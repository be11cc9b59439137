"""Human annotations beside a report: ``<report>.yml`` adds or corrects metadata.

The raw report is never edited; a sidecar holds the source address, the
retrieval date, notes and corrected fields. It is validated against
``SCHEMA``: an unknown key or a bad value is an error naming the file, the key
and its line.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, Callable

import yaml

from .decode import line_at
from .errors import ReportError
from .slug import SLUG_PATTERN

LEVELS = ("乡", "镇", "街道", "苏木", "县", "区", "市", "旗", "州", "盟")
PLACE_KEYS = ("unit", "town", "level", "county", "city", "province")


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, str) and value.strip()):
        return value
    raise ValueError("must be non-empty text (or null)")


def _url(value: Any) -> str:
    if isinstance(value, str) and re.match(r"^https?://[^\s/]+", value):
        return value
    raise ValueError("must be a web address starting with http:// or https://")


def _date(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()[:10]
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            pass
    raise ValueError("must be a date written YYYY-MM-DD")


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

    if value is None or value in load().provinces:
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
    if isinstance(value, str) and value.strip():
        return [value]
    if isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value):
        return value
    raise ValueError("must be text, or a list of texts")


def _issuers(value: Any) -> list[str]:
    if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
        return value
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


def _key_lines(text: str) -> dict[str, int]:
    try:
        node = yaml.compose(text)
    except yaml.YAMLError:
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: k.start_mark.line + 1 for k, _ in node.value if isinstance(k, yaml.ScalarNode)}


def read_sidecar(path: str | Path) -> tuple[dict[str, Any], list[ReportError]]:
    """The valid annotations and every problem found, so a contributor sees them all at once."""
    path = Path(path)
    if not path.exists():
        return {}, []
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        return {}, [ReportError(str(path), "the sidecar is not UTF-8 text", "save the .yml file as UTF-8",
                                line=line_at(path.read_bytes(), exc.start))]
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return {}, [ReportError(str(path), f"not valid YAML ({getattr(exc, 'problem', exc)})",
                                "write one 'key: value' per line, as in CONTRIBUTING.md",
                                line=mark.line + 1 if mark else None)]
    if data is None:
        return {}, []
    if not isinstance(data, dict):
        return {}, [ReportError(str(path), "must be a mapping of keys to values", "write one 'key: value' per line",
                                line=1)]
    lines = _key_lines(text)
    out: dict[str, Any] = {}
    problems: list[ReportError] = []
    for key, value in data.items():
        if key not in SCHEMA:
            known = ", ".join(SCHEMA)
            problems.append(ReportError(str(path), f"unknown key '{key}'", f"use one of: {known}",
                                        line=lines.get(str(key)), key=str(key)))
            continue
        check, meaning = SCHEMA[key]
        try:
            out[key] = check(value)
        except ValueError as exc:
            problems.append(ReportError(str(path), f"bad value {value!r} for {meaning}", f"'{key}' {exc}",
                                        line=lines.get(key), key=key))
    return out, problems


def load_sidecar(path: str | Path) -> dict[str, Any]:
    """The validated annotations, or {} when there is no sidecar; raises the first problem."""
    notes, problems = read_sidecar(path)
    if problems:
        raise problems[0]
    return notes
