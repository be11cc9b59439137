"""What every page builder needs of a report, and the orderings and names they share."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Callable, Iterable, Sequence

from .. import search_index
from ..annotations.body import render_note
from ..annotations.model import Annotation
from ..annotations.passages_state import text_digest
from ..annotations.render import number_notes
from ..model import Metadata, Report
from ..render import escape_label as esc
from ..gazetteer import province_order
from ..slug import pinyin_word

UNKNOWN = "未定位"
TOWNSHIP_LEVELS = ("乡", "镇", "街道", "苏木")
LEVEL_SLUGS = {"乡": "xiang", "镇": "zhen", "街道": "jiedao", "苏木": "sumu", "县": "xian", "区": "qu",
               "市": "shi", "旗": "qi", "州": "zhou", "盟": "meng", None: "unknown"}
LEVEL_ORDER = list(LEVEL_SLUGS)


@dataclass
class Entry:
    """What the archive pages need of one report.

    ``report`` (the full conversion) is needed only for the report's own page;
    the indexes and data files use the metadata and the cleaned text.
    """

    meta: Metadata
    text: str
    kinds: tuple[str, ...]  # the block kind of each line of ``text``
    report: Report | None = None
    annotations: Sequence[Annotation] = ()

    @classmethod
    def of(cls, report: Report) -> "Entry":
        return cls(report.metadata, plain_text(report), line_kinds(report), report, report.annotations)

    @cached_property
    def term_counts(self) -> Counter:
        """How often the report uses each glossary term (``annotations.terms.counts``), counted once."""
        from ..annotations.terms import counts

        if self.report is not None and self.report.term_counts is not None:
            return Counter(self.report.term_counts)
        return counts(self.text)

    @cached_property
    def text_digest(self) -> bytes:
        """A digest of ``text``, by which the shared passages tell a changed text: the report's own, made where it
        was converted, when there is one."""
        if self.report is not None and self.report.text_digest is not None:
            return self.report.text_digest
        return text_digest(self.text)

    @cached_property
    def made_from(self) -> str | None:
        """What everything made of this report alone is made from: its report's cache key (its path, its bytes
        and its sidecar's, as converted by this converter, whose cache it came from) and its metadata as the
        archive settled it (an address made unique, say). None for a report without a key (no cache): what is
        made of it is then told by its parts. A digest of these (``inputs_digest``, which adds the converter's
        version) stands for its text, notes and search document, and costs a fraction of hashing them."""
        if self.report is None or self.report.key is None:
            return None
        return self.report.key + "\0" + repr(self.meta)

    @cached_property
    def order_key(self) -> tuple:
        """``sort_key``, made once: every list of reports on the site sorts by it, 12,000 times at 1,000 reports."""
        m = self.meta
        return (province_order(m.province), pinyin_word(m.city or ""), pinyin_word(m.county or ""),
                pinyin_word(m.unit or ""), m.year or 0, self.slug)

    @property
    def notes(self) -> list[Annotation]:
        """The human notes, in reading order (placed ones as they occur, then the others)."""
        return number_notes(self.annotations)

    @property
    def slug(self) -> str:
        return self.meta.slug or ""

    @property
    def display_title(self) -> str:
        m = self.meta
        if m.title:
            return m.title
        return f"{m.unit or '单位不详'}{m.year or ''}{'年' if m.year else ''}法治政府建设报告"

    @property
    def place(self) -> str:
        m = self.meta
        parts = [m.province, m.city, m.county, m.town if m.town != m.unit else None, m.unit]
        return "".join(p for p in parts if p) or UNKNOWN


def plain_text(report: Report) -> str:
    """The cleaned text, one block a line, as readers and the data files get it."""
    return report.text


def line_kinds(report: Report) -> tuple[str, ...]:
    """The block kind (title, heading, paragraph …) of each line of ``plain_text``."""
    return report.line_kinds


def province_slug(province: str | None) -> str:
    if not province:
        return "unknown"
    from ..gazetteer import provinces

    found = provinces().get(province)
    alias = found.alias if found else province
    return pinyin_word(alias) or "unknown"


def initial(name: str | None) -> str:
    word = pinyin_word(name or "")
    return word[:1] if word[:1].isalpha() else "0"


def link(entry: Entry, up: str) -> str:
    return f"[{esc(entry.display_title)}]({up}reports/{entry.slug}.md)"


def short_label(entry: Entry) -> str:
    """A report named briefly, as lists of reports name it: its unit and year."""
    return f"{entry.meta.unit or entry.display_title} {entry.meta.year or ''}".strip()


def short_link(entry: Entry, up: str) -> str:
    return f"[{esc(short_label(entry))}]({up}reports/{entry.slug}.md)"


def level_rank(level: str | None) -> int:
    return LEVEL_ORDER.index(level) if level in LEVEL_ORDER else len(LEVEL_ORDER)


def group_by(entries: Iterable[Entry], key) -> dict:
    groups: dict = defaultdict(list)
    for e in entries:
        groups[key(e)].append(e)
    return groups


def by_province(items: Iterable, level: str, line: Callable[[Any], str],
                entry_of: Callable[[Any], Entry] = lambda x: x) -> list[str]:
    """Markdown lines: a heading per province (official order, with its count), then its items' lines in archive order."""
    groups = group_by(items, lambda x: entry_of(x).meta.province)
    lines: list[str] = []
    for province in sorted(groups, key=province_order):
        found = groups[province]
        lines += [f"{level} {esc(f'{province or UNKNOWN}（{len(found)}）')}", ""]
        lines += [line(x) for x in sorted(found, key=lambda x: sort_key(entry_of(x)))] + [""]
    return lines


def sort_key(e: Entry):
    """The archive's order: by province (official order), the pinyin of city, county and unit, year, address."""
    return e.order_key


def town_key(m: Metadata):
    return (m.province, m.city, m.county, m.unit, m.level)


def search_doc(entry: Entry) -> search_index.SearchDoc:
    """The report's lines, then each note's text as a line of kind ``note``, so notes are found like the text."""
    m = entry.meta
    notes = [render_note(a.body.note).text for a in entry.notes]
    return search_index.SearchDoc(slug=entry.slug, title=entry.display_title,
                                  lines=tuple(entry.text.split("\n")) + tuple(notes),
                                  kinds=entry.kinds + ("note",) * len(notes),
                                  unit=m.unit or "", town=m.town or "", province=m.province or UNKNOWN,
                                  year=m.year or 0, level=m.level or "不详")


def fenced(language: str, text: str) -> str:
    """A code block inside a tab (indented four spaces), as the citation tabs hold them."""
    return "\n".join([f"    ```{language}"] + [f"    {line}" for line in text.split("\n")] + ["    ```"])


def json_text(value) -> str:
    """``value`` as the data files write JSON: compact, Chinese as itself (also for the files written piece by piece)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def json_list(items: list) -> str:
    """A JSON list with one item per line: a diff shows which items changed, and Python's C encoder writes it
    (an indented dump takes the pure-Python one, ten times slower on the archive's largest files)."""
    return json_lines([json_text(item) for item in items])


def json_lines(lines: list[str]) -> str:
    """``json_list`` of items already written as JSON text, one a line."""
    return "[\n" + ",\n".join(lines) + "\n]\n" if lines else "[]\n"
