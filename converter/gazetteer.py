"""China's administrative divisions down to township level, from jionlp's gazetteer.

jionlp (a maintained Chinese NLP toolkit) ships ``china_location.zip``: every
province, prefecture, county and township with codes and short names. Only the
data file is read (importing jionlp itself costs a second and prints banners),
once, on first use, and villages are skipped.
"""

from __future__ import annotations

import importlib.util
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

MUNICIPALITIES = frozenset({"北京市", "天津市", "上海市", "重庆市"})
# Suffixes a county-level name is written with when shortened (屏边苗族自治县 → 屏边县).
_COUNTY_KIND = (("自治县", "县"), ("自治旗", "旗"), ("县", "县"), ("旗", "旗"), ("区", "区"), ("市", "市"))


@dataclass(frozen=True)
class Place:
    """A node of the hierarchy; fields below its own level are None."""

    province: str
    province_alias: str
    city: str | None = None
    city_alias: str | None = None
    county: str | None = None
    county_alias: str | None = None
    county_code: str | None = None
    town: str | None = None

    @property
    def chain(self) -> str:
        return "".join(x for x in (self.province, self.city, self.county, self.town) if x)


class Towns(Mapping):
    """Township name → its places (one per county that has a township of that name), made when asked for.

    Held as the counties' places and, per name, the indices of its counties: 43,000 places as objects made the
    kept gazetteer 3.7 MB and 0.17 s to read back, and a build that converts one changed report reads it; this
    shape is 1.0 MB and reads back in 0.02 s. A lookup makes the places again, equal to the ones parsing made.
    """

    def __init__(self, counties: tuple[Place, ...], names: dict[str, tuple[int, ...]]) -> None:
        self.counties = counties
        self.names = names

    def __getitem__(self, name: str) -> list[Place]:
        return [replace(self.counties[i], town=name) for i in self.names[name]]

    def __contains__(self, name: object) -> bool:
        return name in self.names

    def __iter__(self):
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)


@dataclass
class Gazetteer:
    towns: Towns
    counties: dict[str, list[Place]]
    cities: dict[str, list[Place]]
    provinces: dict[str, Place]
    source: str


def _strip_direct(name: str) -> str | None:
    """The gazetteer's placeholders for 'no such level' (省直辖…, 市直辖…) become None."""
    return None if "直辖" in name else name


def county_short_form(county: str, alias: str) -> str | None:
    """屏边苗族自治县 with alias 屏边 → 屏边县; None when it is the same as the full name."""
    for suffix, kind in _COUNTY_KIND:
        if county.endswith(suffix):
            short = alias + kind
            return short if short != county and len(alias) >= 2 else None
    return None


def parse(text: str, source: str = "") -> Gazetteer:
    towns: dict[str, list[int]] = {}  # name → indices in ``seen``: the counties with a township of that name
    seen: dict[Place, int] = {}
    counties: dict[str, list[Place]] = {}
    cities: dict[str, list[Place]] = {}
    provinces: dict[str, Place] = {}
    province = city = county = None
    for raw in text.splitlines():
        if raw.startswith("\t\t\t\t") or not raw.strip():
            continue  # villages and blank lines
        depth = len(raw) - len(raw.lstrip("\t"))
        fields = raw.strip().split("\t")
        name = fields[0]
        alias = fields[2] if len(fields) > 2 else name
        if depth == 0:
            province = Place(province=name, province_alias=alias)
            provinces[name] = province
            city = county = province
        elif depth == 1 and province:
            city_name = _strip_direct(name)
            if city_name == province.province:
                city_name = None
            city = Place(province.province, province.province_alias, city_name,
                         alias.split("/")[0] if city_name else None)
            county = city
            if city_name:
                cities.setdefault(city_name, []).append(city)
        elif depth == 2 and city:
            county_name = _strip_direct(name)
            county = Place(city.province, city.province_alias, city.city, city.city_alias,
                           county_name, alias if county_name else None,
                           fields[1] if len(fields) > 1 else None)
            if county_name:
                counties.setdefault(county_name, []).append(county)
                short = county_short_form(county_name, alias)
                if short:
                    counties.setdefault(short, []).append(county)
        elif depth == 3 and county:
            towns.setdefault(name, []).append(seen.setdefault(county, len(seen)))
    return Gazetteer(Towns(tuple(seen), {name: tuple(at) for name, at in towns.items()}), counties, cities,
                     provinces, source)


def province_order(name: str | None) -> tuple[str, str]:
    """Provinces in their official order, by GB/T 2260 code (北京 11 … 新疆 65, 台湾 71, 香港 81, 澳门 82).

    Every list of provinces on the site uses it; a name the gazetteer does not know comes last.
    """
    found = provinces().get(name or "")
    return (found.code if found else "99", name or "")


@dataclass(frozen=True)
class Province:
    """A province as the gazetteer's first level gives it: its GB/T 2260 code and its short name."""

    code: str
    alias: str


def province_lines(text: str) -> dict[str, Province]:
    """The provinces of the gazetteer's text, from its unindented lines alone (name, code, short name).

    The site's lists sort by province and name them by short name in every build; reading these 34 lines
    costs a tenth of a second, parsing the whole gazetteer (``load``: 40,000 townships) most of a second.
    """
    found: dict[str, Province] = {}
    for line in _TOP_LINE.findall(text):
        fields = line.strip().split("\t")
        if not fields[0]:
            continue  # a blank line, as ``parse`` skips it
        found[fields[0]] = Province(fields[1] if len(fields) > 1 else "99", fields[2] if len(fields) > 2 else fields[0])
    return found


_TOP_LINE = re.compile(r"^[^\t\r\n][^\r\n]*", re.MULTILINE)


@lru_cache(maxsize=1)
def provinces() -> dict[str, Province]:
    """Every province by its full name (重庆市), read once per process without the rest of the gazetteer.

    Kept beside the parsed gazetteer (``cache.keep_parsed``) once read: every build sorts by province, and reading
    the gazetteer's text for these 34 lines takes 0.1 s, a twentieth of a build where nothing changed.
    """
    from .cache import kept_or_made

    return kept_or_made(PROVINCES_KEPT,
                        lambda found: isinstance(found, dict) and all(isinstance(p, Province) for p in found.values()),
                        lambda: province_lines(_text()[0]))


PROVINCES_KEPT = "provinces.pickle"  # beside the kept gazetteer (``GAZETTEER_KEPT``)


def _text() -> tuple[str, str]:
    """The gazetteer file shipped with the pinned jionlp release, and its name inside the package's zip."""
    spec = importlib.util.find_spec("jionlp")  # locates the package without running its __init__
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the place gazetteer needs the jionlp package: pip install -e .")
    path = Path(spec.submodule_search_locations[0]) / "dictionary" / "china_location.zip"
    with zipfile.ZipFile(path) as zf:
        member = next(n for n in zf.namelist() if n.endswith(".txt"))
        return zf.read(member).decode("utf-8"), member


GAZETTEER_KEPT = "gazetteer.pickle"


@lru_cache(maxsize=1)
def load() -> Gazetteer:
    """The gazetteer shipped with the pinned jionlp release, parsed once per process (or read as kept: its
    ``Towns`` make it quick to read back, ``cache.keep_parsed``)."""
    def parsed() -> Gazetteer:
        text, member = _text()
        return parse(text, source=f"jionlp china_location ({member})")

    from .cache import kept_or_made

    return kept_or_made(GAZETTEER_KEPT, lambda found: isinstance(found, Gazetteer), parsed)
