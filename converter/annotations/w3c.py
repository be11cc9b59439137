"""Human notes as W3C Web Annotations (JSON-LD), out and in.

Out: ``data/annotations.jsonld`` is an ``AnnotationCollection`` whose first
page holds every note. The target is the report's page; its selectors are the
note's own ``TextQuoteSelector`` (exact, and the prefix/suffix the contributor
gave) and, for a note anchored exactly, a ``TextPositionSelector`` in code
points of the report's cleaned text (as ``data/texts.jsonl`` holds it). The
note is a ``TextualBody`` in Markdown; tags are ``tagging`` bodies and the
link a ``linking`` body.

In: ``notes_in`` reads annotations made elsewhere (a Hypothesis export of the
government page, or this archive's own file) back into sidecar entries.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from ..slug import address
from .body import safe_href
from .model import Annotation, NoteEntry

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
URN = "urn:fazhi-archive:"  # the archive's own names, when the build does not know the site's address


def report_iri(slug: str, site_url: str | None) -> str:
    return address(slug, site_url) if site_url else f"{URN}reports/{slug}/"


def annotation(a: Annotation, slug: str, site_url: str | None) -> dict[str, Any]:
    """One note as a W3C Web Annotation."""
    entry: NoteEntry = a.body
    source = report_iri(slug, site_url)
    quote: dict[str, Any] = {"type": "TextQuoteSelector", "exact": entry.quote}
    if entry.prefix:
        quote["prefix"] = entry.prefix
    if entry.suffix:
        quote["suffix"] = entry.suffix
    selectors: list[dict[str, Any]] = [quote]
    if a.anchor is not None and a.anchor.status == "exact":
        selectors.append({"type": "TextPositionSelector", "start": a.start, "end": a.end})
    body: list[dict[str, Any]] = [{"type": "TextualBody", "value": entry.note, "format": "text/markdown",
                                   "language": "zh", "purpose": "commenting"}]
    body += [{"type": "TextualBody", "value": tag, "purpose": "tagging"} for tag in entry.tags]
    if entry.link:
        body.append({"id": entry.link, "purpose": "linking"})
    out: dict[str, Any] = {"id": f"{source}#ann-{a.id}", "type": "Annotation", "motivation": "commenting"}
    if entry.created:
        out["created"] = f"{entry.created}T00:00:00Z"
    if entry.author:
        out["creator"] = {"name": entry.author}
    out["body"] = body
    out["target"] = {"source": source, "selector": selectors}
    return out


def collection(notes: Iterable[tuple[str, Sequence[Annotation]]], site_url: str | None) -> str:
    """Every note of the archive, report by report, as one AnnotationCollection (JSON text)."""
    items = [annotation(a, slug, site_url) for slug, anns in notes for a in anns]
    home = site_url.rstrip("/") + "/" if site_url else URN
    doc = {"@context": CONTEXT, "id": f"{home}data/annotations.jsonld", "type": "AnnotationCollection",
           "label": "法治政府建设报告档案：整理者注释", "total": len(items),
           "first": {"id": f"{home}data/annotations.jsonld#page1", "type": "AnnotationPage", "startIndex": 0,
                     "items": items}}
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


# --- in ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Incoming:
    """A W3C annotation read as far as a sidecar entry needs: where it points, and the entry."""

    source: str
    entry: NoteEntry | None
    why: str = ""  # what made it unusable, when ``entry`` is None
    label: str = ""


def annotations_in(doc: Any) -> list[Any]:
    """The annotations of a file: one annotation, a list, or a collection or page (embedded items)."""
    if isinstance(doc, list):
        return doc
    if not isinstance(doc, dict):
        return []
    types = _list(doc.get("type"))
    if "AnnotationCollection" in types:
        return annotations_in(doc.get("first") or {})
    if "AnnotationPage" in types or "items" in doc or "rows" in doc:  # Hypothesis' API answers hold "rows"
        return list(doc.get("items") or doc.get("rows") or [])
    return [doc]


def _list(value: Any) -> list:
    return value if isinstance(value, list) else [] if value is None else [value]


def _first_quote(target: Any) -> dict | None:
    for t in _list(target):
        if not isinstance(t, dict):
            continue
        for s in _list(t.get("selector")):
            if isinstance(s, dict) and s.get("type") == "TextQuoteSelector" and isinstance(s.get("exact"), str):
                return s
    return None


def _source(target: Any) -> str:
    for t in _list(target):
        if isinstance(t, str):
            return t
        if isinstance(t, dict):
            return str(t.get("source") or t.get("id") or "")
    return ""


def read_incoming(item: Any) -> Incoming:
    """One W3C (or Hypothesis) annotation as a sidecar entry, or why it cannot be one."""
    if not isinstance(item, dict):
        return Incoming("", None, "不是注释对象")
    label = str(item.get("id") or "")
    target = item.get("target")
    source = _source(target)
    quote = _first_quote(target)
    if quote is None:
        return Incoming(source, None, "没有 TextQuoteSelector（只注整页、没有引文的注释无法锚定到文字）", label)
    note, tags, link = "", [], None
    for body in _list(item.get("body")) + ([{"value": item["text"]}] if isinstance(item.get("text"), str) else []):
        if isinstance(body, str):
            link = link or safe_href(body)
            continue
        if not isinstance(body, dict):
            continue
        purpose = body.get("purpose")
        value = body.get("value")
        if purpose == "tagging" and isinstance(value, str) and value.strip():
            tags.append(value)
        elif isinstance(value, str) and value.strip() and not note:
            note = value  # as written: a round trip must give back the very same note
        elif isinstance(body.get("id"), str) and safe_href(body["id"]):
            link = link or body["id"]
    tags += [t for t in _list(item.get("tags")) if isinstance(t, str) and t.strip() and t not in tags]
    if not note:
        return Incoming(source, None, "没有注释文字（TextualBody）", label)
    creator = item.get("creator")
    author = creator.get("name") if isinstance(creator, dict) else creator if isinstance(creator, str) else None
    created = item.get("created")
    created = created[:10] if isinstance(created, str) and len(created) >= 10 else None
    entry = NoteEntry(quote=quote["exact"], note=note, prefix=str(quote.get("prefix") or ""),
                      suffix=str(quote.get("suffix") or ""), author=author if isinstance(author, str) else None,
                      created=created, tags=tuple(dict.fromkeys(tags)), link=link)
    return Incoming(source, entry, label=label)
