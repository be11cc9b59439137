"""Find the reporting unit's name in the text and place it in the gazetteer.

Same-named towns are common (41 东城街道, 26 新华街道), so a name is resolved
by weighing evidence from the rest of the report: the county, city and province
it names, the kind of government it answers to (区委 or 县委, 省委 or none), and
the source address when a sidecar gives one. When the evidence does not single
out one place, only what all remaining candidates share is filled in, and the
note says which places were left.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlsplit

from . import patterns as P
from .gazetteer import MUNICIPALITIES, Gazetteer, Place, load

MAX_NAME_CHARS = 10
MIN_FREE_TOWN_CHARS = 3  # two-character matches (我镇, 全乡) are not names


@dataclass
class Resolution:
    place: Place | None = None
    candidates: list[Place] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    note: str | None = None
    left: list[Place] = field(default_factory=list)  # the candidates the evidence could not tell apart


# --- finding names ------------------------------------------------------------

def _longest_name_ending_at(text: str, end: int, names: dict[str, list[Place]], min_chars: int) -> str | None:
    for length in range(min(MAX_NAME_CHARS, end), min_chars - 1, -1):
        candidate = text[end - length:end]
        if candidate in names:
            return candidate
    return None


def town_mentions(text: str, gaz: Gazetteer | None = None) -> list[str]:
    """Gazetteer town names in ``text``, in order of appearance (longest match at each suffix)."""
    gaz = gaz or load()
    found = []
    for m in P.TOWN_SUFFIX.finditer(text):
        name = _longest_name_ending_at(text, m.end(), gaz.towns, MIN_FREE_TOWN_CHARS)
        if name:
            found.append(name)
    return found


def named_towns(text: str) -> list[str]:
    """Township names written before an organ's name (…乡人民政府, …街道办事处), gazetteer or not."""
    return [m.group(1) for m in P.TOWN_BEFORE_ORG.finditer(text)]


def county_mentions(text: str, gaz: Gazetteer | None = None) -> list[str]:
    gaz = gaz or load()
    found = []
    for m in P.COUNTY_SUFFIX.finditer(text):
        name = _longest_name_ending_at(text, m.end(), gaz.counties, 3)
        if name:
            found.append(name)
    return found


def city_mentions(text: str, gaz: Gazetteer | None = None) -> list[str]:
    gaz = gaz or load()
    found = []
    for m in re.finditer("市|州|盟|地区", text):
        name = _longest_name_ending_at(text, m.end(), gaz.cities, 3)
        if name:
            found.append(name)
    return found


def town_level(name: str) -> str | None:
    for suffix, level in (("街道", "街道"), ("苏木", "苏木"), ("乡", "乡"), ("镇", "镇")):
        if name.endswith(suffix):
            return level
    return None


def county_level(name: str) -> str:
    for suffix, level in (("自治县", "县"), ("自治旗", "旗"), ("特区", "区"), ("林区", "区")):
        if name.endswith(suffix):
            return level
    return name[-1]


def town_variants(name: str) -> list[str]:
    """Spellings under which a township may be filed: 北城街街道 → 北城街道; a 乡 renamed 镇."""
    out = [name]
    if name.endswith("街街道"):
        out.append(name[:-3] + "街道")
    if name.endswith("街道办事处"):
        out.append(name[:-3])
    stem = re.sub(r"(?:[\u4e00-\u9fff]{1,4}族)?(乡|镇)$", "", name)
    if stem != name and len(stem) >= 2:
        out.extend([stem + "镇", stem + "乡"])
    seen: list[str] = []
    for v in out:
        if v not in seen:
            seen.append(v)
    return seen


# --- weighing candidates ---------------------------------------------------------

def _pinyin_codes(alias: str | None) -> tuple[str, ...]:
    if not alias:
        return ()
    full, initials = _pinyin(alias)
    return tuple(c for c in (full, initials) if len(c) >= 2)


@lru_cache(maxsize=20000)
def _pinyin(word: str) -> tuple[str, str]:
    from pypinyin import lazy_pinyin  # its dictionaries load on first use

    syllables = [s for s in lazy_pinyin(word) if s.isascii()]
    return "".join(syllables).lower(), "".join(s[0] for s in syllables if s).lower()


_URL_NOISE = frozenset("www gov cn com net org edu html htm shtml cshtml jsp php asp aspx art info news "
                       "xxgk zwgk zfxxgk content post index front".split())
_URL_SUFFIXES = ("", "zf", "gov", "x", "q", "s", "xian", "qu", "shi", "yun", "rmzf")


def url_tokens(url: str | None) -> list[str]:
    """Letters-only words of a source address's host and path (cqck, chenxi, tsqs …)."""
    if not url:
        return []
    parts = urlsplit(url)
    words = re.split(r"[^a-z]+", (parts.hostname or "").lower()) + re.split(r"[^a-z]+", parts.path.lower())
    return [w for w in words if len(w) >= 4 and w not in _URL_NOISE]


def url_levels(place: Place, tokens: list[str]) -> int:
    """How many of the place's levels a source-address word spells in pinyin or initials.

    Government hosts are built from place names: tsqs.gov.cn is 天水·清水,
    sxgp.gov.cn is 山西·高平, yunyang.gov.cn is 云阳.
    """
    if not tokens:
        return 0
    levels = [_pinyin_codes(a) for a in (place.province_alias, place.city_alias, place.county_alias)]
    best = 0
    spellings: list[tuple[str, int]] = [("", 0)]
    for codes in levels:
        spellings += [(s + c, n + 1) for s, n in spellings for c in codes]
    wanted = set(tokens)
    for spelled, n in spellings:
        if n and any(spelled + suffix in wanted for suffix in _URL_SUFFIXES):
            best = max(best, n)
    return best


def superior_kind(text: str) -> str | None:
    """The kind of county-level government the text answers to most often (区委, 县委, 市委, 旗委)."""
    counts = {kind: len(pattern.findall(text)) for kind, pattern in P.CUE_SUPERIOR.items()}
    top = max(counts.values())
    leaders = [k for k, v in counts.items() if v == top]
    return leaders[0] if top and len(leaders) == 1 else None


def score(place: Place, text: str, tokens: list[str], superior: str | None = None,
          provincial: bool = False) -> tuple[int, list[str]]:
    """Evidence that ``text`` (with the unit's own name blanked out) comes from ``place``.

    ``superior`` and ``provincial`` are the text's cues (see ``superior_kind``),
    computed once per text by ``choose``.
    """
    points = 0
    why: list[str] = []

    def named(full: str | None, alias: str | None, full_points: int, alias_points: int) -> None:
        nonlocal points
        if full and full in text:
            points += full_points
            why.append(f"提到{full}")
        elif alias and len(alias) >= 2 and alias in text:
            points += alias_points
            why.append(f"提到{alias}")

    named(place.county, place.county_alias, 4, 2)
    named(place.city, place.city_alias, 3, 2)
    named(place.province, place.province_alias, 3, 2)
    if place.county and county_level(place.county) == superior:
        points += 1
        why.append(f"向{county_level(place.county)}委、{county_level(place.county)}政府报告")
    if provincial and place.province not in MUNICIPALITIES:
        points += 1
        why.append("提到省委或全省")
    n = url_levels(place, tokens)
    if n:
        points += 2 * n
        why.append(f"来源网址拼出其中 {n} 级地名")
    return points, why


def _common(places: list[Place]) -> Place | None:
    """The levels every candidate shares (same province, maybe same city)."""
    first = places[0]
    if any(p.province != first.province for p in places):
        return None
    if all(p.city == first.city for p in places):
        if all(p.county == first.county for p in places):
            return Place(first.province, first.province_alias, first.city, first.city_alias,
                         first.county, first.county_alias, first.county_code)
        return Place(first.province, first.province_alias, first.city, first.city_alias)
    return Place(first.province, first.province_alias)


def _describe(p: Place) -> str:
    return "".join(x for x in (p.province, p.city, p.county) if x)


def choose(candidates: list[Place], text: str, url: str | None, what: str) -> Resolution:
    """Pick the candidate the evidence favours; fill only shared levels on a tie."""
    if not candidates:
        return Resolution(note=f"{what}不在地名库中，所属地区未能确定。")
    tokens = url_tokens(url)
    superior, provincial = superior_kind(text), bool(P.CUE_PROVINCE_LEVEL.search(text))
    scored = sorted(((score(p, text, tokens, superior, provincial), i, p) for i, p in enumerate(candidates)),
                    key=lambda t: (-t[0][0], t[1]))
    (top, why), _, best = scored[0]
    if len(candidates) == 1:
        return Resolution(best, candidates, [f"地名库中唯一的{what}"] + why)
    tied = [p for (s, _), _, p in scored if s == top]
    if top > 0 and len(tied) == 1:
        runner = scored[1][0][0]
        return Resolution(best, candidates, why + [f"同名地方有 {len(candidates)} 处，此处证据得分 {top}，次高 {runner}"])
    shared = _common(tied)
    names = "；".join(_describe(p) for p in tied)
    note = f"{what}有歧义：同名地方有 {len(candidates)} 处，原文无法区分（{names}）。"
    return Resolution(shared, candidates, [], note, tied)


def resolve_town(name: str, text: str, url: str | None = None) -> Resolution:
    gaz = load()
    for variant in town_variants(name):
        if variant in gaz.towns:
            blanked = text.replace(name, "□").replace(variant, "□")
            res = choose(gaz.towns[variant], blanked, url, f"乡镇“{variant}”")
            if variant != name:
                res.evidence.insert(0, f"地名库中记作{variant}")
            return res
    return Resolution(note=f"乡镇“{name}”不在地名库中，所属地区未能确定。")


def resolve_county(name: str, text: str, url: str | None = None) -> Resolution:
    gaz = load()
    return choose(gaz.counties.get(name, []), text.replace(name, "□"), url, f"县级地名“{name}”")


def resolve_city(name: str, text: str, url: str | None = None) -> Resolution:
    gaz = load()
    return choose(gaz.cities.get(name, []), text.replace(name, "□"), url, f"地级地名“{name}”")


def counties_spelled_by(url: str | None) -> list[Place]:
    """Counties whose pinyin names a source address spells with at least two levels (xjbl → 新疆·博乐)."""
    tokens = url_tokens(url)
    if not tokens:
        return []
    seen: dict[str, Place] = {}
    for places in load().counties.values():
        for p in places:
            key = p.county_code or p.chain
            if key not in seen and url_levels(p, tokens) >= 2:
                seen[key] = p
    return list(seen.values())


def most_common(names: list[str]) -> str | None:
    if not names:
        return None
    counts = Counter(names)
    top = max(counts.values())
    return next(n for n in names if counts[n] == top)
