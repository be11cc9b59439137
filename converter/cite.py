"""How to cite a report: GB/T 7714-2015, BibTeX and CSL-JSON.

A reader cites the report where it was published when its address is known,
and the archive's copy, whose address does not change, in every case. The
date of access is the reader's own, so the page writes ``ACCESSED`` and its
script puts in the day the reader opens it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from .model import Metadata

ARCHIVE_NAME = "法治政府建设报告档案"
ACCESSED = "YYYY-MM-DD"
GBT_MAX_AUTHORS = 3  # GB/T 7714-2015 §8.1.2: list three, then 等
_BIBTEX_SPECIAL = re.compile(r"([\\{}%&$#_~^])")


@dataclass(frozen=True)
class Citation:
    gbt7714: str
    bibtex: str
    csl_json: str


def authors(meta: Metadata) -> list[str]:
    """The issuing bodies; without them, the unit with its county, which is what the report speaks for."""
    if meta.issuers:
        return list(meta.issuers)
    if meta.unit:
        return ["".join(p for p in (meta.county if meta.county != meta.unit else None, meta.unit) if p)]
    return []


def title_proper(meta: Metadata, fallback: str) -> str:
    """The title without the issuing bodies printed above it (they are the authors)."""
    title = meta.title or fallback
    prefix = " ".join(meta.issuers)
    if meta.issuers and title.startswith(prefix) and len(title) > len(prefix):
        title = title[len(prefix):].strip()
    return title


def issued(meta: Metadata) -> str | None:
    return meta.published or meta.date


def gbt7714(meta: Metadata, title: str, archive_url: str) -> str:
    names = authors(meta)
    who = ", ".join(names[:GBT_MAX_AUTHORS]) + (", 等" if len(names) > GBT_MAX_AUTHORS else "") if names else "佚名"
    when = f"({issued(meta)})" if issued(meta) else ""
    source = meta.annotations.get("source_url")
    text = f"{who}. {title}[EB/OL]. {when}[{ACCESSED}]. {source or archive_url}."
    if source:
        text += f" 存档于: {ARCHIVE_NAME}, {archive_url}."
    return text


def _bib(text: str) -> str:
    return _BIBTEX_SPECIAL.sub(lambda m: "\\textbackslash{}" if m.group(1) == "\\" else "\\" + m.group(1), text)


def bibtex(meta: Metadata, key: str, title: str, archive_url: str) -> str:
    source = meta.annotations.get("source_url")
    fields = [("author", " and ".join("{" + _bib(a) + "}" for a in authors(meta)) or None),
              ("title", "{" + _bib(title) + "}"),
              ("year", issued(meta)[:4] if issued(meta) else None),
              ("date", issued(meta)),
              ("url", source or archive_url),
              ("urldate", ACCESSED),
              ("note", f"存档于{ARCHIVE_NAME}: \\url{{{archive_url}}}" if source else ARCHIVE_NAME),
              ("language", "chinese")]
    body = ",\n".join(f"  {name:<8} = {{{value}}}" for name, value in fields if value)
    return f"@misc{{{key},\n{body}\n}}"


def _date_parts(iso: str) -> list[list[int]]:
    return [[int(part) for part in iso.split("-")]]


def csl_json(meta: Metadata, key: str, title: str, archive_url: str) -> str:
    source = meta.annotations.get("source_url")
    item: dict = {"id": key, "type": "report", "title": title,
                  "author": [{"literal": a} for a in authors(meta)],
                  "genre": "法治政府建设情况报告",
                  "publisher-place": "".join(p for p in (meta.province, meta.city, meta.county) if p) or None,
                  "issued": {"date-parts": _date_parts(issued(meta))} if issued(meta) else None,
                  "URL": source or archive_url,
                  "accessed": {"raw": ACCESSED},
                  "archive": ARCHIVE_NAME,
                  "archive_location": archive_url,
                  "language": "zh-CN"}
    return json.dumps({k: v for k, v in item.items() if v not in (None, [])}, ensure_ascii=False, indent=2)


def cite(meta: Metadata, display_title: str, archive_url: str) -> Citation:
    """The three forms for one report; ``archive_url`` is its address in the archive."""
    key = meta.slug or "report"
    title = title_proper(meta, display_title)
    return Citation(gbt7714(meta, title, archive_url), bibtex(meta, key, title, archive_url),
                    csl_json(meta, key, title, archive_url))


def highwire(meta: Metadata, display_title: str, archive_url: str) -> list[tuple[str, str]]:
    """The citation_* meta tags (Highwire Press names) that Zotero and other reference managers read from a page."""
    tags = [("citation_title", title_proper(meta, display_title))]
    tags += [("citation_author", name) for name in authors(meta)]
    if issued(meta):
        tags.append(("citation_publication_date", issued(meta).replace("-", "/")))
    # The government that reports, rather than the Party committee printed beside it.
    governments = [name for name in meta.issuers if name.endswith(("人民政府", "办事处"))]
    institution = (governments or meta.issuers or [meta.unit or ""])[0]
    if institution:
        tags.append(("citation_technical_report_institution", institution))
    tags.append(("citation_language", "zh"))
    if archive_url.startswith(("http://", "https://")):  # a reference manager needs the whole address
        tags.append(("citation_public_url", archive_url))
    return tags
