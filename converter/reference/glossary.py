"""The glossary of policy terms (``glossary.yaml``): what each term means, in Chinese and English, and how reports write it.

A term is matched in the search form of a report's text (``searchfold``:
simplified script, half-width, lower case), so its entry lists only the forms
that differ in other ways: abbreviations, with or without 、, quotes inside
(“八五”普法). Curly quotes in a form also match straight ones, as PDF exports write them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from ..errors import ReportError
from ..searchfold import fold_chars
from .yamldata import ReferenceDataError, ident, read_list, text, text_list

GLOSSARY = Path(__file__).with_name("glossary.yaml")
FORM_MIN_CHARS = 2

SCHEMA = {
    "id": (ident, "术语的网址名"),
    "term": (text(30), "术语"),
    "variants": (text_list(40), "其他写法"),
    "zh": (text(150), "中文释义"),
    "en": (text(400), "英文释义"),
    "related": (text_list(60), "相关术语"),
    "source": (text(200), "释义出处"),
}
REQUIRED = ("id", "term", "zh", "en")


@dataclass(frozen=True)
class Term:
    id: str
    term: str
    zh: str
    en: str
    variants: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    source: str | None = None
    line: int = 0

    @property
    def forms(self) -> tuple[str, ...]:
        """Every written form, as it is matched: folded, each curly-quoted form also with straight quotes."""
        out: list[str] = []
        for form in (self.term, *self.variants):
            for shown in (form, form.replace("“", '"').replace("”", '"')):
                folded = fold_chars(shown)
                if folded not in out:
                    out.append(folded)
        return tuple(out)


@dataclass(frozen=True)
class Glossary:
    terms: tuple[Term, ...]

    @cached_property
    def by_id(self) -> dict[str, Term]:
        return {t.id: t for t in self.terms}


def _checked(entries: list[dict], name: str) -> Glossary:
    terms = [Term(**e) for e in entries]
    ids = {t.id for t in terms}
    problems: list[ReportError] = []
    owner: dict[str, Term] = {}
    for t in terms:
        for r in t.related:
            if r not in ids:
                problems.append(ReportError(name, f"相关术语“{r}”不是本文件中任何术语的 id",
                                            "写成相关术语条目的 id，或删去", line=t.line, key="related"))
        for form in t.forms:
            if len(form) < FORM_MIN_CHARS:
                problems.append(ReportError(name, f"写法“{form}”太短，会误配普通文字",
                                            f"至少 {FORM_MIN_CHARS} 个字", line=t.line, key="variants"))
            other = owner.setdefault(form, t)
            if other is not t:
                problems.append(ReportError(name, f"写法“{form}”同时属于术语“{other.term}”（第 {other.line} 行）",
                                            "一种写法只能属于一个术语：删去其中一处", line=t.line, key="variants"))
    if problems:
        raise ReferenceDataError(problems)
    return Glossary(tuple(terms))


@lru_cache(maxsize=4)
def load(path: Path = GLOSSARY) -> Glossary:
    """The glossary; raises ReferenceDataError naming every faulty entry's line and key."""
    return _checked(read_list(path, SCHEMA, REQUIRED), str(path))
