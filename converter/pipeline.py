"""The whole conversion, stage by stage: read → decode → clean → structure → metadata → annotations.

The command line and the MkDocs plugin both call these functions, so the site
and the CLI always agree on what a report becomes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from . import places
from .annotations import citations, figures, terms
from .annotations.model import Spans
from .annotations.notes import annotate as annotate_notes
from .annotations.passages_state import text_digest
from .clean import clean
from .decode import decode
from .errors import ReportError
from .fingerprints import words_fingerprint
from .metadata import extract
from .model import Metadata, Report
from .read import read_bytes, sha256_of
from .limits import oversize
from .render import to_markdown
from .sidecar import PLACE_KEYS, read_sidecar, sidecar_path
from .slug import SLUG_PATTERN, slug_for
from .structure import parse

SIDECAR = "旁注文件"  # the provenance of a value a contributor gave in the sidecar
CORRECTABLE = ("title",) + PLACE_KEYS + ("year", "date", "published", "issuers")
ANNOTATIONS = ("source_url", "retrieved", "notes")


def apply_annotations(meta: Metadata, notes: dict[str, Any]) -> None:
    """Overlay a sidecar's corrections; a corrected county also fixes the levels above it."""
    for key in CORRECTABLE:
        if key in notes:
            setattr(meta, key, notes[key])
            meta.sources[key] = SIDECAR
    if "town" in notes and "unit" not in notes:
        meta.unit = notes["town"]
        meta.sources["unit"] = SIDECAR
    if "county" in notes and notes["county"] and not {"city", "province"} & notes.keys():
        res = places.resolve_county(notes["county"], notes["county"])
        if res.place:
            meta.city, meta.province = res.place.city, res.place.province
            meta.sources["city"] = meta.sources["province"] = "地名库，依旁注给出的县"
    meta.annotations = {k: notes[k] for k in ANNOTATIONS if k in notes}
    meta.warnings = [d for d in meta.warnings if not set(d.keys) & notes.keys()]


def name_url(meta: Metadata, notes: dict[str, Any], path: str) -> None:
    """Give the report its URL name, and the former names that redirect to it.

    The URL must not move when a correction or a better converter changes the
    metadata, so it comes from what does not change: the sidecar's ``slug``, else
    the file's own name when it is already a URL name (``chongqing-dazu-shiwanzhen-2022.txt``,
    as ``check`` asks new reports to be named). Only older files with other
    names (``000_66a8a630.txt``) get a name made from their place and year.
    """
    stem = Path(path).stem
    if "slug" in notes:
        meta.slug, meta.sources["slug"] = notes["slug"], SIDECAR
    elif SLUG_PATTERN.match(stem):
        meta.slug, meta.sources["slug"] = stem, "文件名"
    else:
        meta.slug, meta.sources["slug"] = slug_for(meta, path), "地名与年度的拼音"
    meta.slug_base = meta.slug
    former = list(notes.get("former_slugs", []))
    if SLUG_PATTERN.match(stem) and stem != meta.slug:
        former.append(stem)
    meta.aliases = sorted(set(former) - {meta.slug})


def convert_file(path: str, use_sidecar: bool = True, notes: dict[str, Any] | None = None) -> Report:
    """Convert one report file; raises ReportError when there is no report to show.

    A faulty sidecar does not stop the report: its valid keys are applied and
    its problems travel with the report (``Report.problems``). ``notes`` stands
    in for the sidecar (``check`` reads the sidecar itself and passes the valid part).
    """
    raw = read_bytes(path)
    decoded = decode(raw, path)
    cleaned = clean(decoded.text)
    structure = parse(cleaned)
    problems: list[ReportError] = []
    if notes is None:
        notes, problems = read_sidecar(sidecar_path(path)) if use_sidecar else ({}, [])
    meta = extract(structure, cleaned, url=notes.get("source_url"))
    meta.source, meta.encoding, meta.sha256 = path, decoded.encoding, sha256_of(raw)
    apply_annotations(meta, notes)
    name_url(meta, notes, path)
    too_big = oversize(path, structure)
    text = structure.text()
    notes_made, notes_problems = annotate_notes(notes.get("annotations", ()), text,
                                                str(sidecar_path(path)), structure.line_of)
    cited = citations.annotate(text)
    found = terms.matches(text)  # one scan serves both the marks and the counts
    used = terms.longest_first(found, skip=[(a.start, a.end) for a in cited])
    numbers = figures.annotate(text, meta.year)
    return Report(path=path, raw=raw, decoded=decoded, cleaned=cleaned, structure=structure,
                  metadata=meta, problems=tuple(problems + notes_problems + ([too_big] if too_big else [])),
                  annotations=Spans(notes_made + cited, used, numbers), term_counts=dict(terms.counts(text, found=found)),
                  fingerprint=words_fingerprint(structure), text_digest=text_digest(text))


def make_slugs_unique(metas: Iterable[Metadata]) -> None:
    """Two reports with the same place and year: the one whose file sorts first keeps the plain slug.

    Starts from each report's own slug every time, so it can be run again after reports change.
    """
    taken: set[str] = set()
    for meta in sorted(metas, key=lambda m: (m.slug_base or "", Path(m.source or "").name)):
        slug = meta.slug_base or meta.slug or ""
        if slug in taken:
            slug = f"{slug}-{(meta.sha256 or '')[:8]}"
            meta.sources["slug"] = "地名与年度的拼音，加文件的 SHA-256 以区分重名"
        meta.slug = slug
        taken.add(slug)


__all__ = ["convert_file", "make_slugs_unique", "to_markdown", "ReportError"]
