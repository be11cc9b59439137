"""Stage 4: recover the report's structure from its cleaned lines.

Finds the title block (issuing bodies, then the title), the addressee line, the
numbered headings at their levels, the paragraphs and the closing signature.
Headings whose numbering was lost in copying are repaired from the sequence of
their siblings, and every repair is recorded as a ``Restoration``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from . import numerals, patterns as P
from .fold import fold
from .model import Block, Cleaned, Line, Restoration, Structure
from .title import title_span

TITLE_SCAN_LINES = 5
TITLE_MAX_CHARS = 80
HEADING_MAX_WHOLE_CHARS = 80
HEADING_SPLIT_WITHIN = 50
UNNUMBERED_HEADING_MAX_CHARS = 24
PROSE_MIN_CHARS = 40
SIGNATURE_MAX_CHARS = 40
RUN_ON_MIN_CHARS = 300  # longer than any title or heading with its first sentence: many paragraphs run together
SIGNATURE_TAIL_MAX_CHARS = 80
RESTORED_REASON = "原文标题编号缺失，按同级标题顺序补全"

_NO_CLAUSE_PUNCT = re.compile(f"^[^{re.escape(P.CLAUSE_PUNCT)}]+$")
_CIRCLED_H3 = "㈠㈡㈢㈣㈤㈥㈦㈧㈨㈩"
_DIGIT_VALUES = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "Ｏ": 0}


def chinese_to_int(numeral: str) -> int:
    """一 → 1, 十二 → 12, 二十 → 20, 一百零五 → 105, ㈢ → 3; any size, as heading numbers come (``numerals``)."""
    if numeral in _CIRCLED_H3:
        return _CIRCLED_H3.index(numeral) + 1
    try:
        return int(numerals.value(numeral))
    except numerals.NoNumber:
        # Digit by digit, as years are written (二〇二三) and as malformed numbers end up.
        return int("".join(str(_DIGIT_VALUES.get(ch, 0)) for ch in numeral) or 0)


def int_to_chinese(n: int) -> str:
    """1 → 一, 12 → 十二, 115 → 一百一十五: the number a restored heading gets, however many precede it."""
    return numerals.spelled(n)


@dataclass(frozen=True)
class Logical:
    """A paragraph-sized line: one source line, or hard-wrapped lines joined."""

    no: int
    text: str


def _ends_sentence(text: str) -> bool:
    return bool(text) and text[-1] in P.SENTENCE_END + "：:"


def _marker_of(text: str) -> re.Match[str] | None:
    return P.H2_MARKER.match(text) or P.H3_MARKER.match(text) or P.H4_MARKER.match(text)


def join_hard_wraps(lines: Sequence[Line]) -> list[Logical]:
    """Join lines that a Word export or an e-mail broke at a fixed width.

    A document counts as hard-wrapped when many lines share the same full
    width; then a full-width line continues on the next line, unless that line
    is indented, numbered or after a blank line. Where paragraphs are not
    marked by indents, a full line that ends a sentence also ends its paragraph.
    """
    items = [(line.no, line.text) for line in lines]
    lengths = sorted(len(t.strip()) for _, t in items if t.strip())
    wrapped = False
    width = 0
    if len(lengths) >= 8:
        width = lengths[int(len(lengths) * 0.9) - 1]
        full = sum(1 for n in lengths if n >= 0.9 * width)
        wrapped = width >= 20 and full >= 0.3 * len(lengths)
    indents_mark_paragraphs = sum(1 for _, t in items if t.strip() and t[:1].isspace()) >= 0.2 * max(1, len(lengths))
    out: list[Logical] = []
    continuing = False
    for no, raw in items:
        text = raw.strip()
        if not text:
            continuing = False
            continue
        indented = raw[:1].isspace()
        if continuing and out and not indented and not _marker_of(text):
            last = out[-1]
            # Wrapping drops the space between two English words; digits and Han need none.
            glue = " " if re.match(r"[A-Za-z]", last.text[-1:]) and re.match(r"[A-Za-z]", text[:1]) else ""
            out[-1] = Logical(last.no, last.text + glue + text)
        else:
            out.append(Logical(no, text))
        continuing = wrapped and len(text) >= 0.85 * width and (indents_mark_paragraphs or not _ends_sentence(text))
    return out


def split_run_on_lines(items: list[Logical], extracted: frozenset[int] = frozenset()) -> list[Logical]:
    """Split lines that hold a whole report or many paragraphs (text extracted from a PDF).

    Such a line is cut where a new part plainly begins: in a line the cleaner
    recognised as extracted from a PDF (``extracted``: its line numbers), at
    each space left between two Chinese characters (where the printed page
    ended a paragraph or heading; the cleaner removed the spaces that only
    wrapped a line),
    after a title at its start, after the addressee that follows it
    (区委、区政府：), before each numbered heading that follows a sentence's
    end (。一、 ；（二） ：1.), and before the signature after the last
    sentence (issuing bodies and a date). The pieces keep the line's number;
    only the spaces at the cuts are dropped.
    """
    out: list[Logical] = []
    for item in items:
        if len(item.text) < RUN_ON_MIN_CHARS:
            out.append(item)
            continue
        cuts = sorted(_run_on_cuts(item.text, item.no in extracted))
        bounds = zip([0] + cuts, cuts + [len(item.text)])
        out.extend(Logical(item.no, item.text[a:b].strip()) for a, b in bounds if item.text[a:b].strip())
    return out


def _run_on_cuts(text: str, extracted: bool) -> set[int]:
    cuts: set[int] = set()
    span = title_span(text)
    after = span.end if span and not text[:span.start].strip() else 0
    addressee = P.RUN_ON_ADDRESSEE.match(text, after)
    addressee = addressee if addressee and P.ADDRESSEE_WORD.search(addressee.group(1)) else None
    # A title ends where a space or the addressee follows it; else it is a sentence that opens like one.
    if after and (text[after:after + 1].isspace() or (addressee and addressee.start(1) == after)):
        cuts.add(after)
    if addressee and after:
        cuts.add(addressee.end())
    cuts.update(m.start(1) for m in P.RUN_ON_HEADING.finditer(text))
    if extracted:  # each space the cleaner left ends a paragraph or heading
        cuts.update(m.start() for m in P.PDF_BREAK_SPACE.finditer(text))
    last_sentence = max(text.rfind(ch) for ch in "。！？")
    tail = text[last_sentence + 1:].strip() if last_sentence >= 0 else ""
    if tail and len(tail) <= SIGNATURE_TAIL_MAX_CHARS:
        parts = list(P.SIGNATURE_PART.finditer(text, last_sentence + 1))
        if parts and _no_space("".join(m.group() for m in parts)) == _no_space(tail):  # nothing but the signature
            cuts.update(m.start() for m in parts)
    return {c for c in cuts if 0 < c < len(text)}


def _no_space(text: str) -> str:
    return re.sub(r"\s", "", text)


def _is_title_candidate(text: str) -> bool:
    folded = fold(text)
    return (len(text) <= TITLE_MAX_CHARS and not re.search(r"[，,。；;]", folded)
            and not _marker_of(text) and not (P.ADDRESSEE.match(folded) and P.ADDRESSEE_WORD.search(folded)))


def split_title_block(items: list[Logical]) -> tuple[list[Block], int]:
    """The issuer lines and title lines at the top; returns them and how many items they used."""
    candidates = []
    for item in items[:TITLE_SCAN_LINES]:
        if not _is_title_candidate(item.text):
            break
        candidates.append(item)
    end = None
    for i, item in enumerate(candidates):
        folded = fold(item.text)
        next_is_candidate = i + 1 < len(candidates)
        if P.TITLE_END.search(folded) or (P.TITLE_WORD.search(folded) and not next_is_candidate):
            end = i
            break
    if end is None:
        return [], 0
    start = end
    for i in range(end + 1):
        if P.TITLE_START.search(fold(candidates[i].text)):
            start = i
            break
    blocks = [Block("issuer", c.text, c.no) for c in candidates[:start]]
    title = "".join(c.text for c in candidates[start:end + 1])
    blocks.append(Block("title", title, candidates[start].no))
    return blocks, end + 1


def split_signature(items: list[Logical]) -> tuple[list[Logical], list[Block]]:
    """The closing block of issuing bodies and date, if the report ends with one."""
    k = len(items)
    while k > 0:
        text = items[k - 1].text
        folded = fold(text)
        if len(text) > SIGNATURE_MAX_CHARS:
            break
        if not (P.SIGNATURE_DATE.match(folded.replace(" ", "")) or P.SIGNATURE_ORG.match(folded)):
            break
        k -= 1
    if k == len(items):
        return items, []
    return items[:k], [Block("signature", it.text, it.no) for it in items[k:]]


class _Numbering:
    """Tracks the current number at each heading level, to repair lost numbers."""

    def __init__(self) -> None:
        self.h2 = 0
        self.h3 = 0
        self.h4 = 0
        self.h3_brackets = ("（", "）")
        self.demoted_under = 0  # an h2 whose sub-items restart at 一、

    def enter(self, level: int, number: int) -> None:
        if level == 2:
            self.h2, self.h3, self.h4 = number, 0, 0
        elif level == 3:
            self.h3, self.h4 = number, 0
        elif level == 4:
            self.h4 = number


def _split_heading(text: str, marker_end: int) -> tuple[str, str]:
    """Heading part and following paragraph of a numbered line like '（一）标题。正文……'."""
    if len(text) <= HEADING_MAX_WHOLE_CHARS and "。" not in text[:-1]:
        return text, ""
    stop = text.find("。", marker_end)
    if 0 <= stop <= HEADING_SPLIT_WITHIN:
        return text[: stop + 1], text[stop + 1:].strip()
    return "", text


def parse_body(items: list[Logical]) -> tuple[list[Block], list[Restoration]]:
    blocks: list[Block] = []
    restorations: list[Restoration] = []
    num = _Numbering()

    def emit(level: int, text: str, no: int, restored: str, marker_end: int) -> None:
        heading, rest = _split_heading(text, marker_end)
        if restored:
            restorations.append(Restoration(no, restored, RESTORED_REASON))
        if heading:
            blocks.append(Block("heading", heading, no, level=level, restored=restored))
            if rest:
                blocks.append(Block("paragraph", rest, no))
        else:
            blocks.append(Block("paragraph", rest, no, restored=restored))

    for idx, item in enumerate(items):
        text = item.text
        nxt = items[idx + 1].text if idx + 1 < len(items) else ""
        if m := P.H2_MARKER.match(text):
            n = chinese_to_int(m.group(1))
            if num.demoted_under and n > num.demoted_under:
                num.demoted_under = 0
            if not num.demoted_under and num.h2 >= 2 and n == 1:
                num.demoted_under = num.h2
            if num.demoted_under:
                num.enter(3, n)
                emit(3, text, item.no, "", m.end())
            else:
                num.enter(2, n)
                emit(2, text, item.no, "", m.end())
        elif m := P.H3_MARKER.match(text):
            if m.group(4):
                n = chinese_to_int(m.group(4))
            else:
                n = chinese_to_int(m.group(2))
                num.h3_brackets = (m.group(1), m.group(3))
            num.enter(3, n)
            emit(3, text, item.no, "", m.end())
        elif m := P.H4_MARKER.match(text):
            n = int(m.group(1) or m.group(3) or 0) or "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇".find(m.group(5) or "") + 1
            num.enter(4, n)
            emit(4, text, item.no, "", m.end())
        elif P.LOST_H3_OPENING.match(text) and num.h2:
            restored = num.h3_brackets[0] + int_to_chinese(num.h3 + 1)
            num.enter(3, num.h3 + 1)
            emit(3, text, item.no, restored, 1)
        elif P.LOST_H2_NUMBER.match(text) and num.h2:
            restored = int_to_chinese(num.h2 + 1)
            num.enter(2, num.h2 + 1)
            emit(2, text, item.no, restored, 1)
        elif (len(text) <= UNNUMBERED_HEADING_MAX_CHARS and _NO_CLAUSE_PUNCT.match(fold(text))
              and len(nxt) >= PROSE_MIN_CHARS and num.h2):
            if P.TOP_LEVEL_SECTION.search(fold(text)):
                restored = int_to_chinese(num.h2 + 1) + "、"
                num.enter(2, num.h2 + 1)
                num.demoted_under = 0
                blocks.append(Block("heading", text, item.no, level=2, restored=restored))
            elif num.h3:
                open_, close = num.h3_brackets
                restored = open_ + int_to_chinese(num.h3 + 1) + close
                num.enter(3, num.h3 + 1)
                blocks.append(Block("heading", text, item.no, level=3, restored=restored))
            else:
                blocks.append(Block("heading", text, item.no, level=3))
                restored = ""
            if restored:
                restorations.append(Restoration(item.no, restored, RESTORED_REASON))
        else:
            blocks.append(Block("paragraph", text, item.no))
    return blocks, restorations


def parse(cleaned: Cleaned) -> Structure:
    extracted = frozenset(r.line for r in cleaned.removals if r.rule == "join_pdf_line_breaks")
    items = split_run_on_lines(join_hard_wraps(cleaned.lines), extracted)
    head, used = split_title_block(items)
    items = items[used:]
    blocks: list[Block] = list(head)
    if items:
        folded = fold(items[0].text)
        if P.ADDRESSEE.match(folded) and P.ADDRESSEE_WORD.search(folded):
            blocks.append(Block("addressee", items[0].text, items[0].no))
            items = items[1:]
    items, signature = split_signature(items)
    body, restorations = parse_body(items)
    blocks.extend(body)
    blocks.extend(signature)
    return Structure(blocks=tuple(blocks), restorations=tuple(restorations))
