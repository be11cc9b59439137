"""Producer: every 《…》 title a report cites, resolved against the registry of laws and documents.

Each title becomes an annotation of kind ``law`` over the whole citation,
brackets included; its body says how it was written and which registered
document it names (None for one the registry lacks, mostly local documents:
these are kept, by their normalised title, as 其他文件).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..reference import registry
from .model import Annotation

KIND = "law"
TITLE_MAX_CHARS = 120  # longer: a 》 went missing and the "title" runs on through the text
OPEN, CLOSE = "《", "》"
# Only these characters change a title's state: the scan jumps from one to the next (in C), not through every character.
BRACKET_OR_LINE_END = re.compile("[《》\n]")


@dataclass(frozen=True)
class Citation:
    cited_as: str  # the title as the report writes it, between the brackets
    key: str  # registry.title_key(cited_as): how citations of one document are grouped
    document: str | None  # the registered document's id


def book_titles(text: str) -> list[tuple[int, int]]:
    """Spans of the outermost 《…》 titles, brackets included, in order.

    Handles titles within titles (《关于印发《…》的通知》: the outer one is
    cited; reports usually write the inner one 〈…〉). A title never runs over a
    line end, and an unclosed 《 or a stray 》 is passed over, so that one
    missing bracket cannot swallow the rest of the report: the titles closed
    inside an unclosed one count as outermost.
    """
    spans: list[tuple[int, int]] = []
    open_: list[tuple[int, list[tuple[int, int]]]] = []  # each unclosed 《 with the titles closed inside it

    def settle(found: list[tuple[int, int]]) -> None:
        (open_[-1][1] if open_ else spans).extend(found)

    for found in BRACKET_OR_LINE_END.finditer(text + "\n"):
        at, ch = found.start(), found.group()
        if ch == OPEN:
            open_.append((at, []))
        elif ch == CLOSE and open_:
            start, inside = open_.pop()
            settle([(start, at + 1)] if 1 < at - start <= TITLE_MAX_CHARS + 1 else inside)
        elif ch == "\n":
            while open_:
                settle(open_.pop()[1])
    return sorted(spans)


def cited_titles(text: str) -> list[tuple[int, int, str]]:
    """Each citation as (start, end, title as written); the title is what lies between the brackets."""
    out = []
    for start, end in book_titles(text):
        inner = text[start + 1:end - 1]
        if citation(inner).key:  # 《——》 or 《……》 names nothing
            out.append((start, end, inner))
    return out


@lru_cache(maxsize=65536)
def citation(inner: str) -> Citation:
    """What a title written this way cites. Reports write the same few hundred titles again and again:
    each written form is folded and resolved once per process, not once per citation."""
    doc = registry.load().resolve(inner)
    return Citation(inner, registry.title_key(inner), doc.id if doc else None)


def annotate(text: str) -> list[Annotation]:
    """A ``law`` annotation for every citation in ``text``, resolved where the registry knows the document."""
    return [Annotation(KIND, start, end, f"c{start}", citation(inner)) for start, end, inner in cited_titles(text)]


SENTENCE_ENDS = "。！？；\n"
SENTENCE_MAX_CHARS = 160


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence of ``text`` holding ``text[start:end]``, cut to about SENTENCE_MAX_CHARS around it.

    Looks no further than that either side, so a long report costs no more a citation than a short one.
    """
    lo, hi = max(0, start - SENTENCE_MAX_CHARS), min(len(text), end + SENTENCE_MAX_CHARS)
    left = max([text.rfind(ch, lo, start) for ch in SENTENCE_ENDS] + [lo - 1]) + 1
    rights = [i for i in (text.find(ch, end, hi) for ch in SENTENCE_ENDS) if i >= 0]
    right = min(rights) + 1 if rights else hi
    sentence = text[left:right].strip()
    if len(sentence) <= SENTENCE_MAX_CHARS:
        return sentence
    room = max(0, (SENTENCE_MAX_CHARS - (end - start)) // 2)
    a, b = max(left, start - room), min(right, end + room)
    return ("…" if a > left else "") + text[a:b].strip() + ("…" if b < right else "")
