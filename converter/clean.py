"""Stage 3: remove what a web page or a Word export added around the report.

Each rule is a small pure function: it looks at the current lines and returns
the cuts it wants (whole lines, or spans inside a line). ``clean`` applies the
rules in order and records every piece it removed under the rule's name, so the
converter can always say what it took out and why, and nothing is lost silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Sequence

from . import patterns as P
from .fold import fold
from .model import Cleaned, Line, Removal


@dataclass(frozen=True)
class Cut:
    """Remove line ``index`` of the current list, or only ``span`` of it."""

    index: int
    span: tuple[int, int] | None = None


Rule = Callable[[Sequence[Line]], list[Cut]]

# A line this long with clause punctuation is the report's own prose; short
# lines count too when they hold a full sentence mark (hard-wrapped exports).
PROSE_MIN_CHARS = 40
SHORT_PROSE_MIN_CHARS = 16
TITLE_COPIES_WITHIN_LINES = 15
FOOTER_LINE_MAX_CHARS = 60
_PROSE_PUNCT = re.compile(r"[，,。；;]")
_SENTENCE_PUNCT = re.compile(r"[，,。]")


def _stripped(line: Line) -> str:
    return line.text.strip()


def _is_prose(text: str) -> bool:
    if len(text) >= PROSE_MIN_CHARS and _PROSE_PUNCT.search(text):
        return True
    return len(text) >= SHORT_PROSE_MIN_CHARS and bool(_SENTENCE_PUNCT.search(text))


def body_start(lines: Sequence[Line]) -> int:
    """Index of the first line of the report's body: prose, a numbered heading or an addressee."""
    for i, line in enumerate(lines):
        text = fold(_stripped(line))
        if not text:
            continue
        if _is_prose(text) or P.H2_MARKER.match(text) or P.H3_MARKER.match(text):
            return i
        if P.ADDRESSEE.match(text) and P.ADDRESSEE_WORD.search(text):
            return i
    return len(lines)


def _header(lines: Sequence[Line]):
    """(index, folded text) of each non-blank line before the body starts."""
    for i in range(body_start(lines)):
        text = fold(_stripped(lines[i]))
        if text:
            yield i, text


def _tokens(text: str) -> list[str]:
    return [t for t in P.TOKEN_SPLIT.split(P.BULLET_PREFIX.sub("", text).lower()) if t]


def _only_tokens(text: str, vocabulary: frozenset[str]) -> bool:
    tokens = _tokens(text)
    return bool(tokens) and all(t in vocabulary for t in tokens)


def _inline(lines: Sequence[Line], pattern: re.Pattern[str]) -> list[Cut]:
    return [Cut(i, m.span()) for i, line in enumerate(lines) for m in pattern.finditer(line.text)]


# --- the rules ---------------------------------------------------------------

def strip_word_bookmarks(lines: Sequence[Line]) -> list[Cut]:
    """Remove ``[bookmark: _GoBack]`` and other bookmark anchors a Word export leaves in the text."""
    return _inline(lines, P.WORD_BOOKMARK)


def strip_invisible_characters(lines: Sequence[Line]) -> list[Cut]:
    """Remove zero-width characters, soft hyphens and private-use symbols (Word's bullet fonts).

    They are invisible or render as empty boxes, and they break search and copy-paste.
    """
    return _inline(lines, P.INVISIBLE)


def drop_accessibility_bar(lines: Sequence[Line]) -> list[Cut]:
    """Remove the site's accessibility and language bar above the report (关怀版, 无障碍, 简体|繁体, 适老化, 登录)."""
    return [Cut(i) for i, text in _header(lines) if _only_tokens(text, P.ACCESSIBILITY_TOKENS)]


def drop_breadcrumb(lines: Sequence[Line]) -> list[Cut]:
    """Remove the breadcrumb trail (您当前所在位置: 首页 > ...), including its wrapped continuation lines."""
    cuts: list[Cut] = []
    previous_was_crumb = False
    for i, text in _header(lines):
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
    header = list(_header(lines))
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
    header = list(_header(lines))
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
    for i, text in _header(lines):
        bare = P.BULLET_PREFIX.sub("", text)
        if len(bare) <= 120 and (P.BYLINE_LABEL.match(bare) or len(P.BYLINE_ANY_LABEL.findall(bare)) >= 2):
            cuts.append(Cut(i))
    return cuts


def drop_reading_controls(lines: Sequence[Line]) -> list[Cut]:
    """Remove font-size, print and share controls (字号 大 中 小, 打印, 分享到), also when split one word a line."""
    vocabulary = P.READING_CONTROL_TOKENS | P.ACCESSIBILITY_TOKENS
    return [Cut(i) for i, text in _header(lines) if _only_tokens(text, vocabulary)]


def drop_page_status(lines: Sequence[Line]) -> list[Cut]:
    """Remove the site's section labels and status stamps above the report (政府信息公开, 文件已失效)."""
    return [Cut(i) for i, text in _header(lines) if _only_tokens(text, P.PAGE_STATUS_TOKENS)]


def drop_stray_marks(lines: Sequence[Line]) -> list[Cut]:
    """Remove lines made only of bullets, dashes or separators, left behind by list markup and Word."""
    return [Cut(i) for i, line in enumerate(lines) if line.text.strip() and P.STRAY_MARKS.match(line.text)]


def drop_repeated_title(lines: Sequence[Line]) -> list[Cut]:
    """Remove second and third copies of the title that page templates print above the report.

    A copy may repeat one earlier line, several earlier lines run together, or
    split over lines what was one line before.
    """
    header = list(_header(lines))[:TITLE_COPIES_WITHIN_LINES]
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


RULES: tuple[Rule, ...] = (
    strip_word_bookmarks,
    strip_invisible_characters,
    drop_accessibility_bar,
    drop_breadcrumb,
    drop_document_register,
    drop_unlabelled_register,
    drop_byline,
    drop_reading_controls,
    drop_page_status,
    drop_stray_marks,
    drop_repeated_title,
    drop_footer,
)


def apply_cuts(lines: Sequence[Line], cuts: list[Cut], rule: str) -> tuple[list[Line], list[Removal]]:
    whole = {c.index for c in cuts if c.span is None}
    spans: dict[int, list[tuple[int, int]]] = {}
    for c in cuts:
        if c.span is not None and c.index not in whole:
            spans.setdefault(c.index, []).append(c.span)
    kept: list[Line] = []
    removed: list[Removal] = []
    for i, line in enumerate(lines):
        if i in whole:
            if line.text.strip():
                removed.append(Removal(rule, line.no, line.text.strip()))
            continue
        if i in spans:
            text = line.text
            ordered = sorted(set(spans[i]))
            removed.extend(Removal(rule, line.no, text[start:end]) for start, end in ordered)
            for start, end in reversed(ordered):
                text = text[:start] + text[end:]
            line = Line(line.no, text)
        kept.append(line)
    removed.sort(key=lambda r: r.line)
    return kept, removed


def clean(text: str, rules: Sequence[Rule] = RULES) -> Cleaned:
    """Apply ``rules`` in order; return the kept lines and every removal, by line."""
    lines = [Line(n, t) for n, t in enumerate(text.split("\n"), start=1)]
    removals: list[Removal] = []
    for rule in rules:
        cuts = rule(lines)
        if cuts:
            lines, removed = apply_cuts(lines, cuts, rule.__name__)
            removals.extend(removed)
    removals.sort(key=lambda r: r.line)
    return Cleaned(lines=tuple(lines), removals=tuple(removals))


def explain(cleaned: Cleaned) -> dict[str, int]:
    """How many pieces each rule removed, like ftfy's explanation of its fixes."""
    counts: dict[str, int] = {}
    for r in cleaned.removals:
        counts[r.rule] = counts.get(r.rule, 0) + 1
    return dict(sorted(counts.items()))
