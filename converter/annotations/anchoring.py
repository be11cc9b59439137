"""Find the passage a note quotes, or say plainly that it is not there any more.

Selectors are tried in the order Hypothesis' client tries them, with one
difference that matters: a note never moves silently. In order:

1. **Exact.** The quote, with the given prefix and suffix around it, occurs
   once: anchored. Whitespace is ignored throughout, so a converter change that
   only rewraps lines or moves spaces keeps every anchor.
2. **Ambiguous.** It occurs more than once: that is a problem for the
   contributor (add a prefix or a suffix), never a guess.
3. **Changed.** No exact occurrence, but one place within an edit distance of
   ``MAX_CHANGE`` of the quote's length (prefix and suffix included, so a
   look-alike passage elsewhere loses to the changed original): anchored, and
   shown as "原文已变化" with the difference.
4. **Orphan.** Nothing close: kept at the end of the page, with the nearest
   text for the contributor's sake.

Approximate matching is edlib's (Myers' bit-vector algorithm, in C), in
infix mode, which also reports every place that ties for best.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cached_property

import edlib

from .model import Anchor

MAX_CHANGE = 0.3      # edits allowed, as a share of the quote's length (without spaces)
NEAREST_SHOWN = 0.6   # an orphan's nearest text is shown while its distance is under this share of the quote's length
_ALPHABET = 255       # edlib compares byte symbols; 0 stands for every character the pattern lacks


def squeeze(text: str) -> str:
    return "".join(text.split())


@dataclass(frozen=True)
class Text:
    """A report's cleaned text and its whitespace-free view, with the way back to positions in the text."""

    text: str

    @cached_property
    def _view(self) -> tuple[str, tuple[int, ...]]:
        kept = [i for i, ch in enumerate(self.text) if not ch.isspace()]
        return "".join(self.text[i] for i in kept), tuple(kept)

    @property
    def compact(self) -> str:
        return self._view[0]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The text's [start, end) for the compact view's [start, end) (end > start)."""
        index = self._view[1]
        return index[start], index[end - 1] + 1


def anchor(text: Text, quote: str, prefix: str = "", suffix: str = "") -> Anchor:
    q, p, s = squeeze(quote), squeeze(prefix), squeeze(suffix)
    if not q:
        return Anchor("orphan")
    hay = text.compact
    hits = [at for at in occurrences(hay, q) if at >= len(p) and hay[at - len(p):at] == p
            and hay.startswith(s, at + len(q))]
    if len(hits) == 1:
        start, end = text.span(hits[0], hits[0] + len(q))
        return Anchor("exact", start, end, text.text[start:end])
    if hits:
        return Anchor("ambiguous", places=tuple(text.span(h, h + len(q))[0] for h in hits))
    return _closest(text, p, q, s)


def occurrences(hay: str, needle: str) -> list[int]:
    """Every start of ``needle`` in ``hay``, overlapping ones included."""
    out = []
    at = hay.find(needle)
    while at != -1:
        out.append(at)
        at = hay.find(needle, at + 1)
    return out


def _closest(text: Text, p: str, q: str, s: str) -> Anchor:
    pattern = p + q + s
    # One search, bounded by the looser of the two bounds: the best place, when within MAX_CHANGE, is
    # the changed passage; otherwise it is only the orphan's nearest text.
    nearest = _align(pattern, text.compact, int(len(q) * NEAREST_SHOWN))
    found = nearest if nearest is not None and nearest[0] <= int(len(q) * MAX_CHANGE) else None
    if found is None and (p or s):
        # The context changed more than the quote may: the quote alone, found once, is still shown as
        # changed (its context is what changed), never silently anchored.
        alone = anchor(text, q)
        if alone.status == "exact":
            return Anchor("changed", alone.start, alone.end, alone.found, 0)
        if alone.status != "orphan":
            return alone
    if found is None:
        return _orphan(text, nearest)
    distance, places, cigar = found
    if len(places) > 1:
        return Anchor("ambiguous", distance=distance, places=tuple(text.span(a, b + 1)[0] for a, b in places))
    first, last = places[0]
    quote_start, quote_end = _quote_bounds(cigar, first, len(p), len(p) + len(q))
    if quote_end <= quote_start:
        return _orphan(text, nearest)
    start, end = text.span(quote_start, quote_end)
    return Anchor("changed", start, end, text.text[start:end], distance)


def _orphan(text: Text, near: tuple[int, list[tuple[int, int]], str] | None) -> Anchor:
    """An orphan, with the nearest text when the bounded search found one.

    Bounded (NEAREST_SHOWN): with no bound, a quote like nothing in the text
    ties everywhere, and edlib traces every tie.
    """
    if near is None:
        return Anchor("orphan")
    first, last = near[1][0]
    start, end = text.span(first, last + 1)
    return Anchor("orphan", found=text.text[start:end], distance=near[0], places=(start,))


def _align(pattern: str, hay: str, limit: int) -> tuple[int, list[tuple[int, int]], str] | None:
    """Best infix alignment of ``pattern`` in ``hay`` within ``limit`` edits (-1: any): distance, places, path.

    Characters are mapped to byte symbols (edlib's alphabet holds 256), every
    character the pattern does not use to one symbol that matches nothing in it.
    Places that overlap are one place; of the equally close alignments there,
    the one most like the pattern in length is kept (so 23件 → 32件 is read as
    two changed digits, not as a dropped 2 and a dropped 件), and the path is
    that alignment's.
    """
    alphabet = {ch: i + 1 for i, ch in enumerate(dict.fromkeys(pattern))}
    if len(alphabet) > _ALPHABET or not hay:
        return None
    table = {ord(ch): code for ch, code in alphabet.items()}
    encode = (lambda t: bytes(table.get(ord(c), 0) for c in t))
    needle, haystack = encode(pattern), encode(hay)
    result = edlib.align(needle, haystack, mode="HW", task="locations", k=limit)
    if result["editDistance"] < 0:
        return None
    groups: list[list[tuple[int, int]]] = []
    for first, last in sorted(result["locations"]):
        if groups and first <= max(b for _, b in groups[-1]):
            groups[-1].append((first, last))
        else:
            groups.append([(first, last)])
    places = [min(g, key=lambda loc: (abs(loc[1] + 1 - loc[0] - len(pattern)), loc[0] - loc[1])) for g in groups]
    first, last = places[0]
    path = edlib.align(needle, haystack[first:last + 1], mode="NW", task="path")["cigar"]
    return result["editDistance"], places, path


def _quote_bounds(cigar: str, first: int, quote_from: int, quote_to: int) -> tuple[int, int]:
    """Where the pattern's [quote_from, quote_to) landed in the haystack, following the alignment's path.

    edlib's path: ``=``/``X`` consume a pattern and a haystack character,
    ``I`` a pattern character only, ``D`` a haystack character only.
    """
    p, h = 0, first
    start = end = None
    number = ""
    for ch in cigar:
        if ch.isdigit():
            number += ch
            continue
        for _ in range(int(number)):
            if p == quote_from and start is None and ch != "D":
                start = h
            if ch in "=X":
                p, h = p + 1, h + 1
            elif ch == "I":
                p += 1
            else:
                h += 1
            if p == quote_to and end is None:
                end = h
        number = ""
    start = h if start is None else start
    end = h if end is None else end
    return start, end


_TOKEN = re.compile(r"\d+(?:[.,]\d+)*%?|[A-Za-z]+|.", re.S)


def difference(before: str, after: str) -> list[tuple[str, str]]:
    """The change from ``before`` to ``after`` as runs: ("=", kept), ("-", removed), ("+", added).

    A number is compared whole, as a reader compares figures: 23件 → 32件 shows
    23 replaced by 32, not a 3 added and a 3 dropped.
    """
    a, b = _TOKEN.findall(before), _TOKEN.findall(after)
    runs: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            runs.append(("=", "".join(a[a1:a2])))
            continue
        if a2 > a1:
            runs.append(("-", "".join(a[a1:a2])))
        if b2 > b1:
            runs.append(("+", "".join(b[b1:b2])))
    return runs


def difference_text(before: str, after: str) -> str:
    """The difference for a terminal: 受理信访案件[-126-]{+128+}件."""
    marks = {"=": "{}", "-": "[-{}-]", "+": "{{+{}+}}"}
    return "".join(marks[op].format(text) for op, text in difference(before, after))
