"""``python -m converter annotations import FILE.jsonld``: W3C annotations into sidecar entries.

Each annotation is matched to a report (by its archive address, or by the
government page's address in a sidecar's ``source_url``), its quote is
anchored in the report's cleaned text exactly as the site will, and only then
is it appended to the report's sidecar, keeping what the sidecar already says
(comments included). What cannot be anchored is reported, not written: the
importer never adds a note that ``check`` would reject.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from ..sidecar import read_sidecar, sidecar_path
from .anchoring import Text, anchor, occurrences, squeeze
from .entries import ENTRY_SCHEMA
from .model import NoteEntry
from .w3c import URN, annotations_in, read_incoming

_REPORT_PATH = re.compile(r"/reports/([a-z0-9]+(?:-[a-z0-9]+)*)/?$")


@dataclass
class Outcome:
    written: list[tuple[str, NoteEntry]] = field(default_factory=list)     # (sidecar, entry)
    skipped: list[tuple[str, str]] = field(default_factory=list)           # (annotation, why)


def _key(url: str) -> str:
    parts = urlsplit(url.strip())
    return (parts.netloc.lower() + parts.path.rstrip("/") + ("?" + parts.query if parts.query else "")).lower()


def _reports(seeds: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """The archive's reports by address name and by source address (converted, as the site has them)."""
    from ..collection import convert_paths

    reports, _ = convert_paths([str(seeds)])  # every core, as check reads the archive
    by_slug: dict[str, Any] = {}
    by_source: dict[str, Any] = {}
    for r in reports:
        for name in [r.metadata.slug] + r.metadata.aliases:
            by_slug[name] = r
        url = r.metadata.annotations.get("source_url")
        if url:
            by_source[_key(url)] = r
    return by_slug, by_source


def _find(source: str, by_slug: dict, by_source: dict):
    path = source[len(URN):] if source.startswith(URN) else urlsplit(source).path
    m = _REPORT_PATH.search("/" + path.lstrip("/"))
    if m and m.group(1) in by_slug:
        return by_slug[m.group(1)]
    return by_source.get(_key(source)) if source else None


def _valid(entry: NoteEntry) -> str | None:
    """The first value the sidecar schema would refuse, as a message; None when all pass."""
    for key, (check, meaning) in ENTRY_SCHEMA.items():
        value = getattr(entry, key)
        if value in (None, "", ()):
            continue
        try:
            check(list(value) if key == "tags" else value)
        except ValueError as exc:
            return f"{meaning}（{key}）{exc}"
    return None


def fit_context(text: Text, entry: NoteEntry) -> tuple[NoteEntry | None, str]:
    """The entry with a prefix and suffix that hold in this text, or None and why it does not anchor.

    A context that matches as given is kept as given (so the archive's own
    export comes back unchanged). One from another page (Hypothesis quotes 32
    characters of the government page, menus and all) is cut to the part that
    matches the cleaned text, and left out when the quote is unique without it.
    """
    found = anchor(text, entry.quote, entry.prefix, entry.suffix)
    if found.status == "exact":
        return entry, ""
    q, p, s = squeeze(entry.quote), squeeze(entry.prefix), squeeze(entry.suffix)
    hay = text.compact
    scored = []
    for at in occurrences(hay, q):
        before = next((n for n in range(len(p), -1, -1) if hay[max(0, at - n):at] == p[len(p) - n:]), 0)
        after = next((n for n in range(len(s), -1, -1) if hay[at + len(q):at + len(q) + n] == s[:n]), 0)
        scored.append((before + after, before, after))
    if not scored:
        now = anchor(text, entry.quote)
        seen = f"；报告里最接近的是“{now.found}”" if now.found else ""
        return None, f"引文在报告中找不到{seen}"
    best = max(scored)
    if [x[0] for x in scored].count(best[0]) > 1:
        return None, f"引文在报告中有 {len(scored)} 处，前后文也无法区分"
    _, before, after = best
    unique = len(scored) == 1
    prefix = "" if unique or not before else p[len(p) - before:]
    suffix = "" if unique or not after else s[:after]
    return NoteEntry(**{**entry.__dict__, "prefix": prefix, "suffix": suffix}), ""


def import_file(path: Path, seeds: Path, dry_run: bool = False) -> Outcome:
    outcome = Outcome()
    items = annotations_in(json.loads(path.read_text(encoding="utf-8")))
    by_slug, by_source = _reports(seeds)
    pending: dict[Path, list[NoteEntry]] = {}
    for number, item in enumerate(items, 1):
        incoming = read_incoming(item)
        label = incoming.label or f"第 {number} 条"
        if incoming.entry is None:
            outcome.skipped.append((label, incoming.why))
            continue
        report = _find(incoming.source, by_slug, by_source)
        if report is None:
            outcome.skipped.append((label, f"找不到它所注的报告（{incoming.source or '没有 target'}）："
                                    "档案里没有这个网址的报告，也没有哪份报告的 source_url 是它"))
            continue
        bad = _valid(incoming.entry)
        if bad:
            outcome.skipped.append((label, bad))
            continue
        entry, why = fit_context(Text(report.structure.text()), incoming.entry)
        if entry is None:
            outcome.skipped.append((label, f"{Path(report.path).name}：{why}"))
            continue
        side = sidecar_path(report.path)
        existing, _ = read_sidecar(side)
        known = [e.as_dict() for e in existing.get("annotations", [])] + [e.as_dict() for e in pending.get(side, [])]
        if entry.as_dict() in known:
            outcome.skipped.append((label, f"{side.name} 里已有这条注释"))
            continue
        pending.setdefault(side, []).append(entry)
        outcome.written.append((str(side), entry))
    if not dry_run:
        for side, entries in pending.items():
            try:
                append_entries(side, entries)
            except (ValueError, yaml.YAMLError) as exc:  # this sidecar only; the others are still written
                problem = getattr(exc, "problem", None) or exc
                outcome.written = [(s, e) for s, e in outcome.written if s != str(side)]
                outcome.skipped += [(f"“{e.quote}”", f"{side.name} 无法追加：{problem}") for e in entries]
    return outcome


class _Dumper(yaml.SafeDumper):
    pass


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def entries_yaml(entries: list[NoteEntry], indent: int) -> str:
    text = yaml.dump([e.as_dict() for e in entries], Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=10_000, indent=2)
    pad = " " * indent
    return "".join(pad + line if line.strip() else line for line in text.splitlines(keepends=True))


def append_entries(side: Path, entries: list[NoteEntry]) -> None:
    """Add entries to the sidecar's ``annotations`` list (made when missing or empty), leaving the rest as it is.

    The file keeps its line ends (CRLF stays CRLF).
    """
    text = side.read_bytes().decode("utf-8-sig") if side.exists() else ""
    crlf = "\r\n" in text
    text = text.replace("\r\n", "\n")
    node = _annotations_node(text)
    if node is None:
        glue = "" if not text or text.endswith("\n") else "\n"
        text = text + glue + "annotations:\n" + entries_yaml(entries, 2)
    elif _empty(node):  # "annotations:" or "annotations: []"
        start, end = node.start_mark.index, node.end_mark.index
        text = text[:start].rstrip(" ") + "\n" + entries_yaml(entries, 2) + text[end:].lstrip(" ").removeprefix("\n")
    elif isinstance(node, yaml.SequenceNode) and not node.flow_style:
        end = node.end_mark.index
        head, tail = text[:end], text[end:]
        if not head.endswith("\n"):
            head += "\n"
        text = head + entries_yaml(entries, node.start_mark.column) + tail
    else:
        raise ValueError("annotations 不是逐条以“- ”开头的列表，无法追加；请先改成那种写法")
    side.write_bytes(text.replace("\n", "\r\n" if crlf else "\n").encode("utf-8"))


def _empty(node: yaml.Node) -> bool:
    if isinstance(node, yaml.ScalarNode):
        return node.value in ("", "~", "null", "Null", "NULL")
    return isinstance(node, yaml.SequenceNode) and not node.value


def _annotations_node(text: str) -> yaml.Node | None:
    root = yaml.compose(text, Loader=yaml.SafeLoader) if text.strip() else None
    if not isinstance(root, yaml.MappingNode):
        return None
    for key, value in root.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "annotations":
            return value
    return None


__all__ = ["import_file", "append_entries", "fit_context", "Outcome"]
