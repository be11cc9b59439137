"""The search index's files read back in Python, for an update (``search_update``): the last index's buckets,
postings and positions, decoded lazily and checked against the hashes its state recorded, and a report's text
as the index counts it (``Text``, the same grams, scores and places as ``search_grams``).
"""

from __future__ import annotations

import bisect
import gzip
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Sequence

import numpy as np

from . import search_index as ix
from .search_grams import IN_HEADING, IN_TITLE, LINE_SHIFT, TF_MAX
from .searchfold import fold_chars
from .varint import np_varints, read_varints, varints

if TYPE_CHECKING:
    from .search_update import State

BREAKS = frozenset(" \t\n\r\f\v")  # what ends a gram (``search_grams.Corpus`` gives these id 0)
_FLAG = {"t": IN_TITLE, "h": IN_HEADING}


class Stale(Exception):
    """The last index's files are not as its state says (missing or unreadable): it is made whole instead."""


def place(line: int, index: int) -> int:
    """Where an occurrence is in its report, as one number: its line and its index in that line (what positions
    hold, ``search_grams.Grams.positions``; the browser makes the same number of them)."""
    return line << LINE_SHIFT | index


class Text:
    """One report's text as search sees it: its folded lines, each with its score flag."""

    def __init__(self, codes: str, lines: Sequence[str]) -> None:
        self.lines = [fold_chars(line) for line in lines]
        self.flags = [_FLAG.get(c, 0) for c in codes]

    @classmethod
    def of(cls, doc: ix.SearchDoc) -> "Text":
        return cls("".join(ix._kind_code(k) for k in doc.kinds), doc.lines)

    def grams(self, max_gram: int) -> tuple[dict[str, int], dict[str, list[int]]]:
        """Every gram's score byte here, and every longest gram's places (``place``; as ``search_grams`` counts
        them)."""
        tf: dict[str, int] = defaultdict(int)
        flags: dict[str, int] = defaultdict(int)
        places: dict[str, list[int]] = defaultdict(list)
        for k, (line, flag) in enumerate(zip(self.lines, self.flags)):
            for i in range(len(line)):
                for n in range(1, max_gram + 1):
                    if i + n > len(line) or line[i + n - 1] in BREAKS:
                        break
                    g = line[i:i + n]
                    tf[g] += 1
                    flags[g] |= flag
                    if n == max_gram:
                        places[g].append(place(k, i))
        return {g: min(t, TF_MAX) | flags[g] for g, t in tf.items()}, places

    def _found(self, gram: str):
        """(line number, index in it) of each occurrence of ``gram``, overlapping ones too."""
        for k, line in enumerate(self.lines):
            i = line.find(gram)
            while i >= 0:
                yield k, i
                i = line.find(gram, i + 1)

    def score(self, gram: str) -> int:
        tf = flags = 0
        for k, _ in self._found(gram):
            tf += 1
            flags |= self.flags[k]
        return min(tf, TF_MAX) | flags if tf else 0

    def places(self, gram: str) -> list[int]:
        """The places (``place``) of ``gram``'s occurrences here, in order."""
        return [place(k, i) for k, i in self._found(gram)]

    def extensions(self, gram: str) -> set[str]:
        """The grams one character longer than ``gram`` that occur here."""
        out = set()
        for k, i in self._found(gram):
            line = self.lines[k]
            if i > 0 and line[i - 1] not in BREAKS:
                out.add(line[i - 1] + gram)
            j = i + len(gram)
            if j < len(line) and line[j] not in BREAKS:
                out.add(gram + line[j])
        return out


@dataclass
class Member:
    """A gram's entry in a bucket of the last index; its posting and positions are read when asked for."""

    df: int
    head: bytes | None
    posting: bytes | None = None      # None: in its own file
    positions: bytes | None = None
    own_positions: bool = False       # its positions in a file of their own
    has_positions: bool = False
    slot: int = 0


@dataclass
class Bucket:
    number: int
    members: dict[str, Member] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)


class LastIndex:
    """The last index, read lazily: buckets, postings, positions and texts, each decoded once."""

    def __init__(self, read: Callable[[str], bytes | None], prefix: str, state: State) -> None:
        self.read, self.prefix, self.state = read, prefix, state
        self.buckets: dict[int, Bucket] = {}
        self.compressed: dict[bytes, bytes] = {}  # content → the file read: compressed again only when it changed

    def file(self, path: str) -> bytes:
        data = self.read(self.prefix + path)
        if data is None or ix.file_hash(data) != self.state.hashes.get(self.prefix + path):
            raise Stale(path)
        content = gzip.decompress(data)
        self.compressed[content] = data
        return content

    def gz(self, content: bytes) -> bytes:
        found = self.compressed.get(content)
        return found if found is not None else ix._gz(content)

    def bucket(self, b: int) -> Bucket:
        if b in self.buckets:
            return self.buckets[b]
        bucket = self.buckets[b] = Bucket(b)
        if self.prefix + f"b/{b}.bin" not in self.state.hashes:
            return bucket
        data = self.file(f"b/{b}.bin")
        bucket.files.append(f"b/{b}.bin")
        (count,), i = read_varints(data, 0, 1)
        slots = []
        for slot in range(count):
            (size,), i = read_varints(data, i, 1)
            gram = data[i:i + size].decode("utf-8")
            i += size
            (df, mode), i = read_varints(data, i, 2)
            head = None
            if mode & 4:
                (size,), i = read_varints(data, i, 1)
                head, i = data[i:i + size], i + size
            member = Member(df, head, slot=slot, has_positions=bool(mode & 2))
            if mode & 1:
                bucket.files.append(f"p/{b}-{slot}.bin")
            else:
                (size,), i = read_varints(data, i, 1)
                member.posting, i = data[i:i + size], i + size
            bucket.members[gram] = member
            slots.append(member)
        if self.prefix + f"x/{b}.bin" in self.state.hashes:
            where = self.file(f"x/{b}.bin")
            bucket.files.append(f"x/{b}.bin")
            j = 0
            while j < len(where):
                (slot, size), j = read_varints(where, j, 2)
                if size:
                    slots[slot].positions, j = where[j:j + size], j + size
                else:
                    slots[slot].own_positions = True
                    bucket.files.append(f"x/{b}-{slot}.bin")
        return bucket

    def member(self, gram: str) -> Member | None:
        return self.bucket(ix.fnv1a(gram) % self.state.buckets).members.get(gram)

    def posting(self, gram: str, member: Member) -> bytes:
        if member.posting is None:
            member.posting = self.file(f"p/{ix.fnv1a(gram) % self.state.buckets}-{member.slot}.bin")
        return member.posting

    def positions(self, gram: str, member: Member) -> bytes | None:
        if member.own_positions and member.positions is None:
            member.positions = self.file(f"x/{ix.fnv1a(gram) % self.state.buckets}-{member.slot}.bin")
        return member.positions

    def text(self, doc_id: int) -> Text:
        value = json.loads(self.file(f"t/{doc_id}.bin"))
        return Text(value["k"], value["l"])


def posting_docs(posting: bytes, df: int) -> tuple[np.ndarray, int]:
    """A posting's reports (its first ``df`` varints, as gaps), and how many bytes they take."""
    data = np.frombuffer(posting, dtype=np.uint8)
    size = int(np.flatnonzero(data < 0x80)[df - 1]) + 1
    steps, _ = np_varints(data[:size])
    return np.cumsum(steps), size


def splice_positions(raw: bytes, changes: dict[int, list[int]]) -> bytes:
    """A positions stream (per report: gap, count, then two numbers per occurrence) with the ``changes`` reports'
    parts replaced by those places (none: taken out); the other reports' bytes are copied as they are."""
    data = np.frombuffer(raw, dtype=np.uint8)
    values, starts = np_varints(data)
    values, starts = values.tolist(), starts.tolist() + [len(raw)]
    seg_docs, seg_first = [], []
    j = doc = 0
    while j < len(values):
        doc += values[j]
        seg_docs.append(doc)
        seg_first.append(j)
        j += 2 + 2 * values[j + 1]
    seg_first.append(len(values))
    out = bytearray()
    prev = k = 0
    for c in sorted(changes):
        m = bisect.bisect_left(seg_docs, c, lo=k)
        if m > k:  # the unchanged reports before it, their first gap written again
            out += varints([seg_docs[k] - prev]) + raw[starts[seg_first[k] + 1]:starts[seg_first[m]]]
            prev = seg_docs[m - 1]
        k = m + (m < len(seg_docs) and seg_docs[m] == c)
        if changes[c]:
            out += varints([c - prev, len(changes[c])] + place_values(changes[c]))
            prev = c
    if k < len(seg_docs):
        out += varints([seg_docs[k] - prev]) + raw[starts[seg_first[k] + 1]:]
    return bytes(out)


def place_values(places: list[int]) -> list[int]:
    """A report's places (``place``, ascending) as a positions stream holds them: per occurrence, its line gap and
    its index in the line, as a gap from the occurrence before when both are on one line (``search_grams``)."""
    out, line, index = [], 0, 0
    for p in places:
        k, i = p >> LINE_SHIFT, p & ((1 << LINE_SHIFT) - 1)
        out += (k - line, i - index if k == line else i)
        line, index = k, i
    return out


def decode_posting(posting: bytes, df: int) -> dict[int, int]:
    steps, i = read_varints(posting, 0, df)
    out, doc = {}, 0
    for gap, score in zip(steps, posting[i:i + df]):
        doc += gap
        out[doc] = score
    return out


def decode_positions(raw: bytes | None) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    j = doc = 0
    while raw is not None and j < len(raw):
        (gap, n), j = read_varints(raw, j, 2)
        doc += gap
        values, j = read_varints(raw, j, 2 * n)
        places, line, index = [], 0, 0
        for k in range(0, 2 * n, 2):
            line, index = line + values[k], values[k + 1] + (index if values[k] == 0 else 0)
            places.append(place(line, index))
        out[doc] = places
    return out
