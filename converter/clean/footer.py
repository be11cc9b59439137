"""Rules for what a web page prints below the report: related articles, previous and next, site notices."""

from __future__ import annotations

from typing import Sequence

from .. import patterns as P
from ..fold import fold
from ..model import Line
from .scan import FOOTER_LINE_MAX_CHARS, Cut

def drop_footer(lines: Sequence[Line]) -> list[Cut]:
    """Remove the page footer after the report: related articles, previous/next links, site notices.

    Only from the last part of the page, and only when no paragraph of report
    prose follows, so a report sentence that starts with the same words is kept.
    """
    start = int(len(lines) * 0.5)
    for k in range(start, len(lines)):
        text = lines[k].text.strip()
        if len(text) > FOOTER_LINE_MAX_CHARS or not P.FOOTER_START.match(fold(text)):
            continue
        rest = [fold(line.text.strip()) for line in lines[k + 1:]]
        if any(len(t) >= 80 and "。" in t for t in rest):
            return [Cut(k)]
        return [Cut(j) for j in range(k, len(lines)) if lines[j].text.strip()]
    return []
