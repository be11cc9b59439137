"""Rules for what a web page prints above the report: bars, breadcrumbs, registers, bylines, repeated titles."""

from __future__ import annotations

import difflib
import re
from typing import Sequence

from .. import patterns as P
from ..model import Line
from ..title import is_issuer_line, is_title, title_span
from .scan import TITLE_COPIES_WITHIN_LINES, Cut, header_lines, is_menu_row, only_tokens

NEAR_COPY_RATIO = 0.9


def drop_accessibility_bar(lines: Sequence[Line]) -> list[Cut]:
    """Remove the site's accessibility and language bar above the report (关怀版, 无障碍, 简体|繁体, 适老化, 登录)."""
    return [Cut(i) for i, text in header_lines(lines) if only_tokens(text, P.ACCESSIBILITY_TOKENS)]


def drop_breadcrumb(lines: Sequence[Line]) -> list[Cut]:
    """Remove the breadcrumb trail (您当前所在位置: 首页 > ...), including its wrapped continuation lines."""
    cuts: list[Cut] = []
    previous_was_crumb = False
    for i, text in header_lines(lines):
        is_crumb = bool(P.BREADCRUMB.match(text) or P.BREADCRUMB_TRAIL.match(text)
                        or (previous_was_crumb and P.BREADCRUMB_CONTINUATION.match(text)))
        if is_crumb:
            cuts.append(Cut(i))
        previous_was_crumb = is_crumb
    return cuts


def drop_document_register(lines: Sequence[Line]) -> list[Cut]:
    """Remove the government-information register (索引号, 发布机构, 成文日期, 有效性 ...) in any layout.

    The values are metadata about the web page, not the report; the metadata
    extractor reads them back from the record of this removal.
    """
    cuts: list[Cut] = []
    header = list(header_lines(lines))
    taken: set[int] = set()
    for n, (i, text) in enumerate(header):
        if i in taken:
            continue
        bare = P.TABLE_ROW_PREFIX.sub("", P.BULLET_PREFIX.sub("", text))
        match = P.REGISTER_LABEL.match(bare)
        labels = len(P.REGISTER_LABEL_ANYWHERE.findall(text))
        # A row of a register table, or several labelled values run together on one line.
        if not match and not (labels >= 2 or (labels and P.TABLE_ROW_PREFIX.match(text))):
            continue
        cuts.append(Cut(i))
        taken.add(i)
        label_only = bool(match) and not bare[match.end():].strip()
        if label_only and n + 1 < len(header):
            j, value = header[n + 1]
            value_bare = P.BULLET_PREFIX.sub("", value)
            if (len(value_bare) <= 40 and not P.REGISTER_LABEL.match(value_bare)
                    and not P.TITLE_WORD.search(value_bare)):
                cuts.append(Cut(j))
                taken.add(j)
    return cuts


def drop_unlabelled_register(lines: Sequence[Line]) -> list[Cut]:
    """Remove register values printed without their labels: an index number, a bare date, and
    the publishing office named on the line between them (seen on 济南市市中区's site)."""
    header = list(header_lines(lines))
    flagged = {i for i, text in header if P.INDEX_NUMBER.match(text) or P.ISO_DATETIME.match(text)}
    cuts = [Cut(i) for i in sorted(flagged)]
    for n, (i, text) in enumerate(header):
        if i in flagged or not P.ORGANISATION.match(text):
            continue
        before = header[n - 1][0] if n > 0 else None
        after = header[n + 1][0] if n + 1 < len(header) else None
        if before in flagged or after in flagged:
            cuts.append(Cut(i))
    return sorted(cuts, key=lambda c: c.index)


def drop_byline(lines: Sequence[Line]) -> list[Cut]:
    """Remove the page's byline: source, publication time, visitor counters (来源, 发布时间, 浏览次数, 访问量).

    These describe the web page, and their dates are often not the report's date.
    A byline is recognised by a label at its start, by two labels, or by one
    label with a web address or a time beside it (站名 www.… 发布时间：…); a
    line that holds the title is left to the title rule, which keeps the title.
    """
    cuts = []
    for i, text in header_lines(lines):
        bare = P.BULLET_PREFIX.sub("", text)
        if len(bare) > 120 or title_span(bare):
            continue
        labels = len(P.BYLINE_ANY_LABEL.findall(bare))
        if (P.BYLINE_LABEL.match(bare) or labels >= 2
                or (labels and (P.WEB_ADDRESS.search(bare) or P.CLOCK_TIME.search(bare)))):
            cuts.append(Cut(i))
    return cuts


def drop_page_clock(lines: Sequence[Line]) -> list[Cut]:
    """Remove the date a page prints of the day it is viewed (今天是：2019年11月5日 星期二 农历十月初九).

    It is told apart from a report's date by the weekday or lunar date beside
    it; left in, it became the title and the year of the report it sat above.
    """
    return [Cut(i) for i, text in header_lines(lines) if P.PAGE_CLOCK.search(text) and not title_span(text)]


def drop_file_name(lines: Sequence[Line]) -> list[Cut]:
    """Remove a document's file name printed above the report (…工作报告.docx, 附件1.pdf)."""
    return [Cut(i) for i, text in header_lines(lines) if P.FILE_NAME.match(text)]


def drop_web_address(lines: Sequence[Line]) -> list[Cut]:
    """Remove a site's banner or address line above the report (…门户网站 www.….gov.cn, 欢迎访问…网站)."""
    return [Cut(i) for i, text in header_lines(lines)
            if (P.WEB_ADDRESS.search(text) or P.SITE_WELCOME.search(text)) and not title_span(text)
            and not P.SENTENCE_PUNCT_INSIDE.search(text.rstrip("！!。"))]


def drop_menu_rows(lines: Sequence[Line]) -> list[Cut]:
    """Remove rows of short labels above the report: navigation bars, toolbars, lists of links.

    Recognised by their form, whatever the words: three or more short labels
    in a row, separated by spaces, bars or slashes, with no sentence in them
    (首页 新闻中心 信息公开 政务服务; 加大字体 缩小字体 收藏 打印).
    """
    return [Cut(i) for i, text in header_lines(lines) if is_menu_row(text)]


def drop_furniture_around_title(lines: Sequence[Line]) -> list[Cut]:
    """Remove whatever stands before the report's title, and what a page glued to the title's line.

    The report starts at its title, or at the issuing bodies printed above it;
    every other line before the title is page furniture, whatever it says. On
    the title's own line, a label (标题：), a navigation trail or the site's
    owner and a date before it, and a byline after it, are cut out. Does
    nothing when no line of the header is a title, so a report without one
    loses nothing.
    """
    header = [(i, text) for i, text in header_lines(lines)]
    found = _title_lines(lines, header)
    if found is None:
        return []
    first, last = found
    cuts = [Cut(i) for i, text in header if i < first and not is_issuer_line(text)]
    if first == last:
        span = title_span(lines[first].text)
        text = lines[first].text
        if span and text[:span.start].strip():
            cuts.append(Cut(first, (0, span.start)))
        if span and text[span.end:].strip():
            cuts.append(Cut(first, (span.end, len(text))))
    return cuts


def _title_lines(lines: Sequence[Line], header: list[tuple[int, str]]) -> tuple[int, int] | None:
    """The first and last line of the header's title: its best title line, with the lines that start it.

    A title split over lines (关于某镇2022年度 / 法治政府建设工作情况的报告)
    starts at the earliest line whose joining with the ones after makes a title.
    """
    scored = [(_title_score(lines[i].text), -n, n) for n, (i, _) in enumerate(header) if title_span(lines[i].text)]
    if not scored:
        return None
    _, _, n = max(scored)
    first = n
    while first > 0 and is_title("".join(lines[i].text.strip() for i, _ in header[first - 1:n + 1])):
        first -= 1
    return header[first][0], header[n][0]


def _title_score(text: str) -> int:
    """How much a title line looks like this report's own title: a year, 关于, a unit, nothing around it."""
    span = title_span(text)
    title = text[span.start:span.end]
    return (2 * bool(P.YEAR.search(title)) + bool("关于" in title) + bool(P.UNIT_WORD.search(title))
            + bool(not text[:span.start].strip() and not text[span.end:].strip()))


def drop_reading_controls(lines: Sequence[Line]) -> list[Cut]:
    """Remove font-size, print and share controls (字号 大 中 小, 打印, 分享到), also when split one word a line."""
    vocabulary = P.READING_CONTROL_TOKENS | P.ACCESSIBILITY_TOKENS
    return [Cut(i) for i, text in header_lines(lines) if only_tokens(text, vocabulary)]


def drop_page_status(lines: Sequence[Line]) -> list[Cut]:
    """Remove the site's section labels and status stamps above the report (政府信息公开, 文件已失效)."""
    return [Cut(i) for i, text in header_lines(lines) if only_tokens(text, P.PAGE_STATUS_TOKENS)]


def drop_repeated_title(lines: Sequence[Line]) -> list[Cut]:
    """Remove second and third copies of the title that page templates print above the report.

    A copy may repeat one earlier line, several earlier lines run together, or
    split over lines what was one line before; or print a title line again
    with a small difference (2022法治… for 2022年法治…), nine-tenths the same.
    """
    header = list(header_lines(lines))[:TITLE_COPIES_WITHIN_LINES]
    keys = [re.sub(r"\s+", "", text) for _, text in header]
    cuts: list[Cut] = []
    seen: list[str] = []
    n = 0
    while n < len(header):
        joined_before = {"".join(seen[a:b]) for a in range(len(seen)) for b in range(a + 1, len(seen) + 1)}
        span = next((k for k in (1, 2, 3) if n + k <= len(keys) and len("".join(keys[n:n + k])) >= 6
                     and "".join(keys[n:n + k]) in joined_before), 0)
        if not span and title_span(keys[n]) and any(_near_copy(keys[n], k) for k in seen):
            span = 1
        if span:
            cuts.extend(Cut(header[j][0]) for j in range(n, n + span))
            n += span
        else:
            seen.append(keys[n])
            n += 1
    return cuts


def _near_copy(line: str, earlier: str) -> bool:
    """A title line printed again with a character or two different."""
    return (min(len(line), len(earlier)) >= 8 and bool(title_span(earlier))
            and difflib.SequenceMatcher(None, line, earlier).ratio() >= NEAR_COPY_RATIO)
