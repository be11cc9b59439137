"""A stable, readable ASCII name for each report: its place in pinyin, then its year.

``chongqing-dazu-shiwanzhen-2022`` — province, city and county by their short
names, the unit by its full name, so 乡 and 镇 of the same stem stay apart.
"""

from __future__ import annotations

import re
from pathlib import Path

from .gazetteer import load
from .model import Metadata

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def address(slug: str, site_url: str | None = None) -> str:
    """A report's page: ``reports/<slug>/``, absolute when the site's own address is given."""
    path = f"reports/{slug}/"
    return site_url.rstrip("/") + "/" + path if site_url else path


def pinyin_word(text: str) -> str:
    """``text`` in toneless pinyin, letters and digits only (石马镇 → shimazhen): spelled once, then known."""
    known = _words.known
    if known is None:
        known = _words.load()
    found = known.get(text)
    if found is None:
        found = known[text] = spelled(text)
        _words.added = True
    return found


def spelled(text: str) -> str:
    from pypinyin import lazy_pinyin  # importing it loads its dictionaries: half a second

    out = "".join(lazy_pinyin(text, errors=lambda chars: [c for c in chars]))
    return re.sub(r"[^a-z0-9]+", "", out.lower())


class _Words:
    """The words spelled so far, and where they are kept between processes (``keep_words``)."""

    def __init__(self) -> None:
        self.known: dict[str, str] | None = None
        self.path: Path | None = None
        self.added = False

    def load(self) -> dict[str, str]:
        self.known = {}
        if self.path is not None:
            from .cache import read_pickle

            found = read_pickle(self.path)  # None when not kept yet, or cut off: spelled again
            if isinstance(found, dict):
                self.known = found
        return self.known


_words = _Words()


def keep_words(path: Path | None) -> None:
    """Read the words spelled by earlier builds from ``path``, and keep new ones there (``save_words``).

    Every build sorts its lists by the pinyin of places and units (thousands of words); with every word known,
    pypinyin is not even imported. The converter's cache gives a path in its version's folder, whose name is a
    digest of this code and of pypinyin's version, so a kept spelling is never another release's.
    """
    if path != _words.path:
        _words.path, _words.known, _words.added = path, None, False


def save_words() -> None:
    """Keep the words spelled in this process, if any were new, where ``keep_words`` said."""
    if _words.path is not None and _words.added and _words.known is not None:
        from .cache import write_pickle

        if write_pickle(_words.path, dict(_words.known)):
            _words.added = False


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


def _slug_parts(meta: Metadata) -> list[str]:
    return [p for p in (_alias(meta.province, "province"), _alias(meta.city, "city"), _alias(meta.county, "county"),
                        meta.unit or meta.town) if p]


def remember_spellings(metas) -> None:
    """Spell here the words the slugs of ``metas`` are made of: reports converted in worker processes spelled them
    there, and only this process's words are kept (``save_words``) for the next build, which converts a changed
    report here and would otherwise import pypinyin again for its two or three words."""
    for meta in metas:
        for part in _slug_parts(meta):
            pinyin_word(part)


def slug_for(meta: Metadata, source_path: str) -> str:
    words = [w for w in (pinyin_word(p) for p in _slug_parts(meta)) if w]
    if meta.unit or meta.town:
        if meta.year:
            words.append(str(meta.year))
        return "-".join(words)
    stem = re.sub(r"[^a-z0-9]+", "-", Path(source_path).stem.lower()).strip("-") or "report"
    return "-".join(words + [stem])
