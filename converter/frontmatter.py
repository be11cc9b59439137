"""A small, fast YAML writer for front matter, whose output ``yaml.safe_load`` reads back exactly.

PyYAML's emitter is pure Python and was a fifth of the conversion time. Front
matter only holds strings, integers, nulls, and lists and mappings of them, so
this writer emits those: plain where YAML would read the same string back,
double-quoted (JSON escapes, which YAML accepts) everywhere else.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

_RESOLVER = yaml.resolver.Resolver()
_STR_TAG = "tag:yaml.org,2002:str"
# Plain scalars: no indicator first, no ': ' or ' #', no quotes, no surrounding spaces.
_PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`][^\n\r\t]*(?<![\s:])$")
_UNSAFE_INSIDE = re.compile(r": | #|[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff'\"\\]")
_YAML_ONLY_ESCAPES = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


def scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if (_PLAIN.match(text) and not _UNSAFE_INSIDE.search(text)
            and _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) == _STR_TAG):
        return text
    quoted = json.dumps(text, ensure_ascii=False)
    return _YAML_ONLY_ESCAPES.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def _lines(value: Any, indent: str) -> list[str]:
    """The lines that follow 'key:' for a list or mapping value."""
    out: list[str] = []
    if isinstance(value, dict):
        for k, v in value.items():
            out.extend(_entry(scalar(k), v, indent))
    else:
        for item in value:
            if isinstance(item, dict) and item:
                first, *rest = list(item.items())
                head = _entry(scalar(first[0]), first[1], indent + "  ")
                out.append(indent + "- " + head[0].lstrip())
                out.extend(head[1:])
                for k, v in rest:
                    out.extend(_entry(scalar(k), v, indent + "  "))
            else:
                out.append(f"{indent}- {scalar(item)}")
    return out


def _entry(key: str, value: Any, indent: str) -> list[str]:
    if isinstance(value, (list, dict)):
        if not value:
            return [f"{indent}{key}: {'[]' if isinstance(value, list) else '{}'}"]
        return [f"{indent}{key}:"] + _lines(value, indent + ("" if isinstance(value, list) else "  "))
    return [f"{indent}{key}: {scalar(value)}"]


def dump(data: dict[str, Any]) -> str:
    lines: list[str] = []
    for key, value in data.items():
        lines.extend(_entry(scalar(key), value, ""))
    return "\n".join(lines) + "\n"
