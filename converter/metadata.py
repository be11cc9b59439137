"""Stage 5: derive the report's metadata, recording where each value came from.

Reads the recovered structure (title block, opening paragraph, signature) and
the register and byline the cleaner removed (发布机构, 成文日期), then places
the reporting unit in the gazetteer (see ``places``).
"""

from __future__ import annotations

import datetime as dt
import re
from itertools import chain, islice

from . import patterns as P
from . import places
from .fold import fold, fold_lines, to_simplified
from .model import Cleaned, Doubt, Metadata, Structure
from .structure import chinese_to_int
from .title import is_title, same_length_fold

PAGE_RULES = frozenset({"drop_document_register", "drop_unlabelled_register", "drop_byline", "drop_web_address",
                        "drop_furniture_around_title"})
OPENING_CHARS = 160
FIRST_REPORT_YEAR = 2004  # 《全面推进依法行政实施纲要》; no annual report predates it
_ISSUER_IN_TITLE = re.compile(
    rf"(中共[{P.HAN}]+?(?:工作委员会|委员会|党工委|工委|党委|委)|[{P.HAN}]+?(?:人民政府|办事处))(?=\s|关于|20\d\d|$)")
_TOWNSHIP_SELF = ("乡", "镇", "街道", "街", "苏木")
# The sidecar keys that settle a doubt about a unit's place, by the unit's own level.
SETTLED_BY = {"town": ("county", "province"), "county": ("city", "province"), "city": ("province",)}


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def parse_date(text: str) -> str | None:
    """'2023年1月9日', '二〇二三年一月九日' or '2023-01-09' → '2023-01-09'."""
    text = fold(text).replace(" ", "")
    m = P.SIGNATURE_DATE.match(text)
    if m and m.group(1):
        return _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if m and m.group(4):
        year = int("".join(str(chinese_to_int(c)) if c not in "○Ｏ" else "0" for c in m.group(4)))
        return _iso(year, chinese_to_int(m.group(5)), chinese_to_int(m.group(6)))
    m = P.ISO_DATE_IN_TEXT.search(text)
    return _iso(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None


def _plausible_year(y: int) -> bool:
    return FIRST_REPORT_YEAR <= y <= dt.date.today().year + 1


def find_year(title: str | None, paragraphs: list[str], headings: list[str]) -> tuple[int | None, str | None]:
    """The year reported on: title first, then the 现将…年…报告 phrase, the opening, the headings."""
    year, how, _ = year_candidates(title, paragraphs, headings)
    return year, how


def year_candidates(title: str | None, paragraphs: list[str],
                    headings: list[str]) -> tuple[int | None, str | None, str | None]:
    """The year reported on and where it came from, or None and why the evidence disagrees.

    The title and the sentence that announces the report (现将2022年…报告如下)
    each name the year; when both do and they differ, neither is trusted. The
    year named most often in the text counts only when no other year is
    named as often.
    """
    from_title = None
    if title:
        for m in P.YEAR_IN_TITLE.finditer(fold(title)):
            if _plausible_year(int(m.group(1))):
                from_title = int(m.group(1))
                break
    body = map(fold, paragraphs)  # folded as far as they are read: most reports stop at the title or the opening
    opening = list(islice(body, 6))
    from_phrase = None
    for text in opening:
        m = P.YEAR_IN_REPORT_PHRASE.search(text)
        if m and _plausible_year(int(m.group(1))):
            from_phrase = int(m.group(1))
            break
    if from_title and from_phrase and from_title != from_phrase:
        return None, None, f"标题写的是 {from_title} 年，引言却说报告的是 {from_phrase} 年的工作，报告年度待核实。"
    if from_title:
        return from_title, "标题", None
    if from_phrase:
        return from_phrase, "报告的引言（现将……报告如下）", None
    if opening:
        m = P.YEAR_OPENING.match(opening[0])
        if m and _plausible_year(int(m.group(1))):
            return int(m.group(1)), "开头一句", None
    for h in headings[:3]:
        m = P.YEAR.search(fold(h))
        if m and _plausible_year(int(m.group(1))):
            return int(m.group(1)), "前几个小标题", None
    years = [int(y) for t in chain(opening, body) for y in P.YEAR_MENTION.findall(t) if _plausible_year(int(y))]
    if years:
        ranked = sorted(set(years), key=lambda y: (-years.count(y), -y))
        top = ranked[0]
        if len(ranked) > 1 and years.count(ranked[1]) == years.count(top):
            return None, None, f"正文提到 {top} 年和 {ranked[1]} 年的次数一样多，又没有说明报告的是哪一年，报告年度待核实。"
        return top, f"正文中出现最多的年份（{years.count(top)} 次）", None
    return None, None, None


def _page_values(cleaned: Cleaned, pattern: re.Pattern[str]) -> list[str]:
    return [m.group(1) for r in cleaned.removals if r.rule in PAGE_RULES
            for m in [pattern.search(fold(r.text))] if m]


def _register_title(cleaned: Cleaned) -> str | None:
    """The title some pages print only in their register (| 标题 | … |), as printed, if it is a title."""
    for r in cleaned.removals:
        if r.rule not in PAGE_RULES:
            continue
        m = P.REGISTER_TITLE.search(same_length_fold(r.text))
        if m and is_title(value := r.text[m.start(1):m.end(1)].strip()):
            return value
    return None


def _self_level(text: str) -> tuple[str | None, bool]:
    """The level the report speaks as (我乡, 全镇 …) and whether that is a township."""
    counts: dict[str, int] = {}
    for m in P.SELF_LEVEL.finditer(text):
        counts[m.group(1)] = counts.get(m.group(1), 0) + 1
    if not counts:
        return None, False
    level = max(counts, key=lambda k: (counts[k], k))
    township = sum(v for k, v in counts.items() if k in _TOWNSHIP_SELF)
    county = sum(v for k, v in counts.items() if k not in _TOWNSHIP_SELF)
    level = "街道" if level == "街" else level
    return level, township > county


def _apply_place(meta: Metadata, res: places.Resolution, source: str, up_to: str,
                 name: str | None = None) -> None:
    """Copy the resolved levels above the unit (``up_to`` is the unit's own level, ``name`` its name)."""
    p = res.place
    order = ("county", "city", "province")
    start = order.index(up_to) + 1 if up_to in order else 0
    for key in order[start:]:
        value = getattr(p, key) if p else None
        setattr(meta, key, value)
        if value:
            meta.sources[key] = f"{source}：" + ("；".join(res.evidence) or "地名库")
    if res.note:
        meta.warnings.append(Doubt(res.note, SETTLED_BY.get(up_to, ("county", "province")), name,
                                   tuple((p.province, p.city or "", p.county or "") for p in res.left)))


def extract(structure: Structure, cleaned: Cleaned, url: str | None = None) -> Metadata:
    meta = Metadata()
    issuers = [b.text for b in structure.of_kind("issuer")]
    issuers_from = "标题上方的发文机关"
    titles = [b.text for b in structure.of_kind("title")]
    if titles:
        meta.title = " ".join(issuers) + titles[0]
        meta.sources["title"] = "标题"
        if not issuers:
            issuers, issuers_from = _ISSUER_IN_TITLE.findall(titles[0]), "标题"
    else:
        named = _register_title(cleaned)
        if named:
            meta.title, meta.sources["title"] = named, "网页的信息公开登记项（标题）"
            issuers, issuers_from = _ISSUER_IN_TITLE.findall(fold(named)), "标题"
    signature = [b.text for b in structure.of_kind("signature")]
    if not issuers:
        issuers, issuers_from = [s for s in signature if P.SIGNATURE_ORG.match(fold(s))], "落款"
    meta.issuers = issuers
    if issuers:
        meta.sources["issuers"] = issuers_from
    addressee = structure.of_kind("addressee")
    if addressee:
        meta.addressee = addressee[0].text.rstrip("：:")

    paragraphs = [b.text for b in structure.blocks if b.kind == "paragraph"]
    headings = [b.text for b in structure.blocks if b.kind == "heading"]
    meta.year, how, doubt = year_candidates(meta.title, paragraphs, headings)
    if how:
        meta.sources["year"] = how

    dates = [d for d in (parse_date(s) for s in signature) if d]
    written = [d for d in (parse_date(v) for v in _page_values(cleaned, P.REGISTER_WRITTEN)) if d]
    if dates:
        meta.date, meta.sources["date"] = dates[-1], "落款"
    elif written:
        meta.date, meta.sources["date"] = written[0], "网页的信息公开登记项（成文日期）"
    published = [d for d in (parse_date(v) for v in _page_values(cleaned, P.REGISTER_PUBLISHED)) if d]
    if published:
        meta.published, meta.sources["published"] = published[0], "网页的发布信息或登记项（发布日期）"

    if meta.year and meta.date and meta.year > int(meta.date[:4]):
        doubt = (f"从{meta.sources.pop('year')}得出的年度 {meta.year} 晚于报告自己的成文日期 {meta.date}，"
                 "报告年度待核实。")
        meta.year = None
    if doubt:
        meta.warnings.append(Doubt(doubt, ("year",)))
    locate(meta, structure, cleaned, url)
    return meta


def locate(meta: Metadata, structure: Structure, cleaned: Cleaned, url: str | None) -> None:
    """Name the reporting unit, its level, and the county, city and province above it.

    The title speaks first (a title naming only a county is a county's report),
    then the web page's register, then the opening sentence, then the name the
    text repeats most; a text that names no township but speaks as 我乡 is a
    township's report whose name is unknown.
    """
    head = fold(" ".join([meta.title or ""] + meta.issuers))
    page = fold(" ".join(r.text for r in cleaned.removals if r.rule in PAGE_RULES))
    body = fold_lines(b.text for b in structure.blocks if b.kind in ("paragraph", "heading", "addressee", "signature"))
    opening = fold(next((b.text for b in structure.blocks if b.kind == "paragraph"), ""))[:OPENING_CHARS]
    everything = "\n".join([head, page, body])
    near = "\n".join([head, page, opening])

    def as_town(name: str, where: str) -> None:
        meta.town = meta.unit = to_simplified(name)
        meta.level = places.town_level(name)
        meta.sources["town"] = meta.sources["unit"] = meta.sources["level"] = where
        _apply_place(meta, places.resolve_town(name, everything, url), "地名库", "town", name)
        if not meta.province:
            _fill_from_named_county(meta, near, everything, url)

    def as_county_or_city(text: str, where: str) -> bool:
        county = next(iter(places.county_mentions(text)), None)
        if county:
            meta.unit = to_simplified(county)
            meta.level = places.county_level(county)
            meta.sources["unit"] = meta.sources["level"] = where
            _apply_place(meta, places.resolve_county(county, everything, url), "地名库", "county", county)
            return True
        city = next(iter(places.city_mentions(text)), None)
        if city:
            meta.unit = to_simplified(city)
            meta.level = "市" if city.endswith("市") else city[-1]
            meta.sources["unit"] = meta.sources["level"] = where
            _apply_place(meta, places.resolve_city(city, everything, url), "地名库", "city", city)
            return True
        return False

    for text, where in ((head, "标题"), (page, "网页的登记项"), (opening, "开头一段")):
        name = next(iter(places.town_mentions(text) or places.named_towns(text)), None)
        if name:
            return as_town(name, where)
        if where == "标题" and as_county_or_city(text, where):
            return
    self_level, speaks_as_township = _self_level(body)
    frequent = places.town_mentions(body)
    name = places.most_common(frequent)
    if name and (frequent.count(name) >= 2 or (speaks_as_township and len(set(frequent)) == 1)):
        return as_town(name, f"正文中出现最多的乡镇名（{frequent.count(name)} 次）")

    if speaks_as_township:
        meta.level = self_level
        meta.sources["level"] = f"报告自称“我{self_level}”“全{self_level}”"
        meta.warnings.append(Doubt("原文没有写出乡镇（街道）的名称。", ("town",)))
        _fill_from_named_county(meta, near, everything, url)
        if not meta.province:
            spelled = places.counties_spelled_by(url)
            if len(spelled) == 1:
                res = places.Resolution(spelled[0], spelled, ["来源网址拼出了它的地名"])
                _apply_place(meta, res, "来源网址", "town")
        return
    if not as_county_or_city(opening, "the opening sentence"):
        meta.warnings.append(Doubt("标题和开头都没有写出地名，报告所属地区未能确定。",
                                   ("town", "unit", "county", "province")))


def _fill_from_named_county(meta: Metadata, near: str, everything: str, url: str | None) -> None:
    """When the town cannot be placed, a county named near the top still places the report."""
    county = places.most_common(places.county_mentions(near))
    if not county:
        return
    res = places.resolve_county(county, everything, url)
    if res.place:
        _apply_place(meta, res, f"正文提到的{county}", "town", county)
