"""Producer: the glossary's policy terms wherever a report uses them.

One pass of an Aho-Corasick automaton (``pyahocorasick``, in C) finds every
written form of every term at once in the report's search form (simplified,
half-width, lower case; one character for one, so positions are the
report's own). Where forms overlap the longest wins, then the leftmost
(《…》 citations are links of their own and keep no term inside them).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from functools import lru_cache
from typing import Iterable

from ..reference import glossary
from ..searchfold import fold_chars
from .model import TERM, Annotation, Spans

KIND = TERM


@lru_cache(maxsize=1)
def automaton():
    """The automaton of every form of every term, built once per process."""
    import ahocorasick  # loaded on first use

    machine = ahocorasick.Automaton()
    for term in glossary.load().terms:
        for form in term.forms:
            machine.add_word(form, (len(form), term.id))
    machine.make_automaton()
    return machine


def matches(text: str) -> list[tuple[int, int, str]]:
    """Every occurrence of every form, overlapping ones included, as (start, end, term id)."""
    machine = automaton()
    if not len(machine):
        return []
    return [(end + 1 - size, end + 1, term) for end, (size, term) in machine.iter(fold_chars(text))]


def longest_first(found: Iterable[tuple[int, int, str]], skip: Iterable[tuple[int, int]] = ()) -> list[tuple[int, int, str]]:
    """The occurrences a page marks: no two overlapping, the longer kept, then the earlier; none inside ``skip``."""
    found = sorted(found)
    if not skip and all(a[1] <= b[0] for a, b in zip(found, found[1:])):
        return found  # nothing overlaps, the common case: every occurrence is kept
    found.sort(key=lambda m: (m[0] - m[1], m[0], m[2]))
    size = max([end for _, end, _ in found] + [0])
    taken = bytearray(size)
    for a, b in skip:
        taken[a:b] = b"\1" * len(taken[a:b])
    chosen = []
    for start, end, term in found:
        if not any(taken[start:end]):
            taken[start:end] = b"\1" * (end - start)
            chosen.append((start, end, term))
    return sorted(chosen)


def counts(text: str, found: list[tuple[int, int, str]] | None = None) -> Counter:
    """How often each term occurs in ``text``, wherever it is (a report "contains" a term when it is here).

    Each term is counted on its own: its forms' occurrences, the longer kept
    where two overlap (行政规范性文件 is one 规范性文件, not two); another term,
    or a citation, around it does not hide it. ``found``: ``matches(text)``, when already made.
    """
    mine: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for m in matches(text) if found is None else found:
        mine[m[2]].append(m)
    return Counter({term: len(longest_first(spans)) for term, spans in mine.items()})


def annotate(text: str, skip: Iterable[tuple[int, int]] = (),
             found: list[tuple[int, int, str]] | None = None) -> list[Annotation]:
    """A ``term`` annotation for each occurrence the page marks (see ``longest_first``; ``found`` as in ``counts``),
    made as a report's packed marks (``Spans``) are unpacked."""
    return Spans(terms=longest_first(matches(text) if found is None else found, skip)).terms()
