"""Rules for what a web page prints above the report: bars, breadcrumbs, registers, bylines, repeated titles."""

from __future__ import annotations

import re
from typing import Sequence

from .. import patterns as P
from ..model import Line
from .scan import TITLE_COPIES_WITHIN_LINES, Cut, header_lines, only_tokens

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
        bare = P.BULLET_PREFIX.sub("", text)
        match = P.REGISTER_LABEL.match(bare)
        if not match:
            continue
        cuts.append(Cut(i))
        taken.add(i)
        label_only = not bare[match.end():].strip()
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
    """
    cuts = []
    for i, text in header_lines(lines):
        bare = P.BULLET_PREFIX.sub("", text)
        if len(bare) <= 120 and (P.BYLINE_LABEL.match(bare) or len(P.BYLINE_ANY_LABEL.findall(bare)) >= 2):
            cuts.append(Cut(i))
    return cuts


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
    split over lines what was one line before.
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
        if span:
            cuts.extend(Cut(header[j][0]) for j in range(n, n + span))
            n += span
        else:
            seen.append(keys[n])
            n += 1
    return cuts
