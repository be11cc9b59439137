"""The whole conversion, stage by stage: read → decode → clean → structure → metadata → render.

The command line and the MkDocs plugin both call these functions, so the site
and the CLI always agree on what a report becomes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from . import places
from .clean import clean
from .decode import decode
from .errors import ReportError
from .metadata import extract
from .model import Metadata, Report
from .read import read_bytes, sha256_of
from .render import to_markdown
from .sidecar import PLACE_KEYS, load_sidecar, sidecar_path
from .slug import slug_for
from .structure import parse

CORRECTABLE = ("title",) + PLACE_KEYS + ("year", "date", "published", "issuers")
ANNOTATIONS = ("source_url", "retrieved", "notes")


def apply_annotations(meta: Metadata, notes: dict[str, Any]) -> None:
    """Overlay a sidecar's corrections; a corrected county also fixes the levels above it."""
    for key in CORRECTABLE:
        if key in notes:
            setattr(meta, key, notes[key])
            meta.sources[key] = "sidecar"
    if "town" in notes and "unit" not in notes:
        meta.unit = notes["town"]
        meta.sources["unit"] = "sidecar"
    if "county" in notes and notes["county"] and not {"city", "province"} & notes.keys():
        res = places.resolve_county(notes["county"], notes["county"])
        if res.place:
            meta.city, meta.province = res.place.city, res.place.province
            meta.sources["city"] = meta.sources["province"] = "gazetteer, from the sidecar's county"
    meta.annotations = {k: notes[k] for k in ANNOTATIONS if k in notes}


def convert_file(path: str, use_sidecar: bool = True) -> Report:
    """Convert one report file; raises ReportError with what to fix."""
    raw = read_bytes(path)
    decoded = decode(raw, path)
    cleaned = clean(decoded.text)
    structure = parse(cleaned)
    notes = load_sidecar(sidecar_path(path)) if use_sidecar else {}
    meta = extract(structure, cleaned, url=notes.get("source_url"))
    meta.source, meta.encoding, meta.sha256 = path, decoded.encoding, sha256_of(raw)
    apply_annotations(meta, notes)
    meta.slug = meta.slug_base = notes.get("slug") or slug_for(meta, path)
    meta.sources["slug"] = "sidecar" if "slug" in notes else "place and year, in pinyin"
    return Report(path=path, raw=raw, decoded=decoded, cleaned=cleaned, structure=structure, metadata=meta)


def make_slugs_unique(metas: Iterable[Metadata]) -> None:
    """Two reports with the same place and year: the one whose file sorts first keeps the plain slug.

    Starts from each report's own slug every time, so it can be run again after reports change.
    """
    taken: set[str] = set()
    for meta in sorted(metas, key=lambda m: (m.slug_base or "", Path(m.source or "").name)):
        slug = meta.slug_base or meta.slug or ""
        if slug in taken:
            slug = f"{slug}-{(meta.sha256 or '')[:8]}"
            meta.sources["slug"] = "place and year, made unique with the file's SHA-256"
        meta.slug = slug
        taken.add(slug)


__all__ = ["convert_file", "make_slugs_unique", "to_markdown", "ReportError"]
