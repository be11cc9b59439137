"""A stable, readable ASCII name for each report: its place in pinyin, then its year.

``chongqing-dazu-shiwanzhen-2022`` — province, city and county by their short
names, the unit by its full name, so 乡 and 镇 of the same stem stay apart.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .gazetteer import load
from .model import Metadata

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def address(slug: str, site_url: str | None = None) -> str:
    """A report's page: ``reports/<slug>/``, absolute when the site's own address is given."""
    path = f"reports/{slug}/"
    return site_url.rstrip("/") + "/" + path if site_url else path


@lru_cache(maxsize=65536)
def pinyin_word(text: str) -> str:
    from pypinyin import lazy_pinyin  # dictionaries load on first use

    out = "".join(lazy_pinyin(text, errors=lambda chars: [c for c in chars]))
    return re.sub(r"[^a-z0-9]+", "", out.lower())


def _alias(name: str | None, table: str) -> str | None:
    if not name:
        return None
    gaz = load()
    if table == "province" and name in gaz.provinces:
        return gaz.provinces[name].province_alias
    if table == "city" and name in gaz.cities:
        return gaz.cities[name][0].city_alias
    if table == "county" and name in gaz.counties:
        return gaz.counties[name][0].county_alias
    return name


def slug_for(meta: Metadata, source_path: str) -> str:
    parts = [_alias(meta.province, "province"), _alias(meta.city, "city"), _alias(meta.county, "county"),
             meta.unit or meta.town]
    words = [w for w in (pinyin_word(p) for p in parts if p) if w]
    if meta.unit or meta.town:
        if meta.year:
            words.append(str(meta.year))
        return "-".join(words)
    stem = re.sub(r"[^a-z0-9]+", "-", Path(source_path).stem.lower()).strip("-") or "report"
    return "-".join(words + [stem])
