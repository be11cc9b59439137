"""Stage 3: remove what a web page or a Word export added around the report.

Each rule is a small pure function: it looks at the current lines and returns
the cuts it wants (whole lines, or spans inside a line). ``clean`` applies the
rules in order and records every piece it removed under the rule's name, so the
converter can always say what it took out and why, and nothing is lost silently.
"""

from __future__ import annotations

from typing import Sequence

from ..model import Cleaned, Line, Removal
from .footer import drop_footer, drop_page_bottom
from .header import (drop_accessibility_bar, drop_breadcrumb, drop_byline, drop_document_register, drop_file_name,
                     drop_furniture_around_title, drop_menu_rows, drop_page_clock, drop_page_status,
                     drop_reading_controls, drop_repeated_title, drop_unlabelled_register, drop_web_address)
from .scan import Cut, Rule, body_start
from .text import drop_stray_marks, join_pdf_line_breaks, strip_invisible_characters, strip_word_bookmarks

# Named rules for things a page is known to print come first, so the record says what each cut was;
# the title rule then takes whatever else stands before the title.
RULES: tuple[Rule, ...] = (
    strip_word_bookmarks,
    strip_invisible_characters,
    join_pdf_line_breaks,
    drop_accessibility_bar,
    drop_breadcrumb,
    drop_page_clock,
    drop_file_name,
    drop_document_register,
    drop_unlabelled_register,
    drop_byline,
    drop_web_address,
    drop_reading_controls,
    drop_page_status,
    drop_menu_rows,
    drop_stray_marks,
    drop_repeated_title,
    drop_furniture_around_title,
    drop_footer,
    drop_page_bottom,
)

__all__ = ["RULES", "Cut", "apply_cuts", "body_start", "clean", "explain"] + [rule.__name__ for rule in RULES]


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
