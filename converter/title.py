"""What a report's title is, recognised by its parts rather than by the page around it.

A title of these reports names its subject (法治政府建设, 依法行政, 法治建设)
and its genre (报告, 总结, 汇报, 情况), is one short line without clause
punctuation, and usually names the unit and the year. Whatever a page glued
before or after it on the same line (a navigation bar, a label such as
``标题：``, the site's owner and a date, a byline) is not part of it.

``title_span`` finds the title inside a line; the cleaning rules cut what
lies around it, and the structure stage and the metadata trust only a title
found this way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import patterns as P
from .fold import fold

TITLE_MIN_CHARS = 8
TITLE_MAX_CHARS = 80
# Issuing bodies may stand before the title on its line, one or two of them.
_ISSUER = re.compile(rf"^[{P.HAN}（）()]{{2,40}}?(?:{P.ORGANISATION_SUFFIX})$")


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def is_title(text: str) -> bool:
    """A whole line (or lines joined) that is a report's title and nothing else."""
    span = title_span(text)
    return span is not None and not text[:span.start].strip() and not text[span.end:].strip()


def same_length_fold(text: str) -> str:
    """The analysis form (simplified, half-width) with one character for each of ``text``'s, so spans map back."""
    folded = fold(text)
    if len(folded) == len(text):
        return folded
    return "".join((fold(ch) or ch)[0] for ch in text)


def _start(folded: str, topic_at: int) -> int:
    """Where the title begins, looking back from its subject.

    After the last label on the line (``标题：``, ``公开日：2023-01-20``), the
    title is the word that holds the subject, with the issuing bodies that may
    stand before it separated by spaces (中共某镇委员会 某镇人民政府); a
    navigation bar or a site's name before them is not part of it.
    """
    head = folded[:topic_at]  # folded: a full-width colon or bar is already half-width
    start = max(head.rfind(":"), head.rfind("|")) + 1
    date = P.LEADING_DATE.match(folded, start)
    if date:
        start = date.end()
    words = list(re.finditer(r"\S+", folded[start:topic_at]))
    if not words:
        return start
    # The subject's own word starts the run, or, after a space, the subject itself does.
    first = len(words) if words[-1].end() < topic_at - start else len(words) - 1
    while first > 0 and (_ISSUER.match(words[first - 1].group()) or P.YEAR_WORD.match(words[first - 1].group())):
        first -= 1
    return start + (words[first].start() if first < len(words) else topic_at - start)


def title_span(text: str) -> Span | None:
    """The report title inside ``text``, or None when the line holds no title.

    The subject must be followed by the genre before any clause punctuation
    or label; the genre word that ends the title is the last one before that.
    The title may not hold clause punctuation and must be of a title's length.
    """
    folded = same_length_fold(text)
    topic = P.TITLE_TOPIC.search(folded)
    if not topic:
        return None
    stop = P.TITLE_REGION_END.search(folded, topic.end())
    region_end = stop.start() if stop else len(folded)
    ends = [m.end() for m in P.TITLE_GENRE.finditer(folded, topic.end(), region_end)]
    if not ends:
        return None
    start = _start(folded, topic.start())
    candidate = folded[start:ends[-1]]
    if P.TITLE_FORBIDDEN.search(candidate):
        return None
    if not (TITLE_MIN_CHARS <= len(candidate.replace(" ", "")) <= TITLE_MAX_CHARS):
        return None
    return Span(start, ends[-1])


def is_issuer_line(text: str) -> bool:
    """A line of issuing bodies only (中共某镇委员会 某镇人民政府), as printed above a title."""
    words = fold(text).split()
    return bool(words) and all(_ISSUER.match(w) for w in words)
