"""Rules for what a web page prints below the report: related articles, previous and next, site notices."""

from __future__ import annotations

from typing import Sequence

from .. import patterns as P
from ..fold import fold
from ..model import Line
from .scan import FOOTER_LINE_MAX_CHARS, Cut, is_menu_row

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


def drop_page_bottom(lines: Sequence[Line]) -> list[Cut]:
    """Remove what a site prints at the very bottom of a page: lists of links and its notices.

    Read upwards from the last line, and only while each line is such a thing:
    a row of short labels (国家各网站 / 省级网站 / 其他链接) or a site notice
    (主办, 版权所有, ICP备案号, 网站标识码). The first line that is neither, a
    signature or a date included, ends the footer.
    """
    cuts: list[Cut] = []
    for k in range(len(lines) - 1, -1, -1):
        text = lines[k].text.strip()
        if not text:
            continue
        if len(text) <= FOOTER_LINE_MAX_CHARS * 2 and (is_menu_row(text) or P.SITE_NOTICE.search(text)):
            cuts.append(Cut(k))
            continue
        break
    return cuts[::-1]
