"""Stage 8, for a few changed reports: the search index updated bucket by bucket, equal to one made whole.

Made whole (``search_index.build_index``), the index reads every report's every gram: 8–10 s at 1,000
reports, about two minutes at 10,000. When the same reports keep the same order and only a few texts
changed, almost all of it stays as it was. A gram's entry (whether it is kept, its posting, positions and
head) can change only when

* its score in a changed report changed (it appeared, went, or occurs more or less often there);
* it is one of the longest grams and its places in a changed report moved; or
* it is one character longer than a gram whose report count crossed ``rare_below``, since a gram is kept
  when both of its shorter parts occur in at least that many reports (those longer grams occur only in
  the reports of the shorter one, which are then at most ``rare_below`` and are read).

So ``update`` works out those grams' entries from the last index's files and the few texts, and makes
again only the buckets that hold them, with the very encoder the whole build uses
(``search_index.encode_bucket``). The number of buckets moves along a fixed ladder
(``search_index.buckets_for``); when a change would move it to another step, or anything else does not
match (other settings, reports added, removed or reordered, many texts changed, a file of the last index
missing or unreadable), ``update`` answers None and the index is made whole. ``State`` is what the next
update needs to know of an index: its settings, every report's text digest, every file's hash, its
statistics. ``tests/test_search_update.py`` holds an update equal, file for file, to a whole build.
"""

from __future__ import annotations

import json
import zlib
from collections import defaultdict
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from . import search_index as ix
from .search_grams import head_of
from .search_read import (Bucket, LastIndex, Member, Stale, Text, decode_positions, decode_posting, place_values,
                          posting_docs, splice_positions)
from .varint import gaps, varint_array, varints

STATE_FORMAT = 1
MOST_CHANGED = 16  # changed reports an update takes on; more are made whole, which is then about as quick


@dataclass
class State:
    """What updating an index needs to know of it, besides its files."""

    settings: tuple
    order: bytes                  # digest of the reports' addresses in id order
    texts: list[bytes]            # per report id: digest of its text file
    hashes: dict[str, bytes]      # every file's ``file_hash`` (the manifest's aside)
    buckets: int
    stats: dict[str, int]


@dataclass
class Change:
    """An update: the files to write (new or changed), the files to delete, and the index's new state."""

    written: dict[str, bytes]
    deleted: list[str]
    state: State
    touched: frozenset[str] = frozenset()  # grams worked out again
    buckets: int = 0  # buckets made again


def build(docs: list[ix.SearchDoc], prefix: str = ix.FOLDER + "/", **settings) -> tuple[dict[str, bytes], State]:
    """The index made whole (``build_index``, letting ``docs``' texts go once read), and its state."""
    order = _order_digest(ix.order(docs))
    hashes: dict[str, bytes] = {}
    texts: list[bytes] = []
    files = ix.build_index(docs, prefix, release_texts=True, keep_hashes=hashes, keep_texts=texts, **settings)
    manifest = json.loads(files[prefix + "manifest.json"])
    return files, State(_settings(prefix, **settings), order, texts, hashes, manifest["buckets"], manifest["stats"])


def update(docs: Sequence[ix.SearchDoc], state: State | None, read: Callable[[str], bytes | None],
           prefix: str = ix.FOLDER + "/", *, most: int = MOST_CHANGED, **settings) -> Change | None:
    """The change that turns the index ``state`` describes (its files read by ``read(path)``, None when a file
    is not there) into the index of ``docs``; None when it must be made whole."""
    if state is None or state.settings != _settings(prefix, **settings):
        return None
    ordered = ix.order(docs)
    if len(ordered) != len(state.texts) or _order_digest(ordered) != state.order:
        return None
    texts, raw = [], {}
    for i, d in enumerate(ordered):
        text = ix.text_json(d)
        texts.append(ix.short_digest(text))
        if texts[-1] != state.texts[i]:
            raw[i] = text
            if len(raw) > most:
                return None
    changed = sorted(raw)
    try:
        return _Update(ordered, changed, raw, texts, state, read, prefix,
                       **{**_defaults(), **settings}).run()
    except (Stale, OSError, EOFError, ValueError, KeyError, IndexError, zlib.error):
        return None


def _encoded(docs: np.ndarray, scores: np.ndarray) -> bytes:
    """A posting: its reports' gaps as varints, then their score bytes."""
    return varint_array(gaps(docs, np.zeros(1, dtype=np.int64)), np.zeros(1, dtype=np.int64))[0] + scores.tobytes()


def _defaults() -> dict:
    return {"max_gram": ix.MAX_GRAM, "rare_below": ix.RARE_BELOW, "own_file_from": ix.OWN_FILE_FROM}


def _settings(prefix: str, **settings) -> tuple:
    merged = {**_defaults(), **settings}
    return (STATE_FORMAT, ix.FORMAT, prefix, ix.HEAD, ix.META_BLOCK, ix.BUCKET_TARGET,
            merged["max_gram"], merged["rare_below"], merged["own_file_from"])


def _order_digest(ordered: Sequence[ix.SearchDoc]) -> bytes:
    return ix.short_digest("\0".join(d.slug for d in ordered).encode("utf-8", "surrogatepass"))


class _Update:
    def __init__(self, ordered, changed, raw, texts, state, read, prefix, *, max_gram, rare_below, own_file_from):
        self.ordered, self.changed, self.raw, self.texts, self.state = ordered, changed, raw, texts, state
        self.prefix, self.max_gram, self.rare_below, self.own_file_from = prefix, max_gram, rare_below, own_file_from
        self.old = LastIndex(read, prefix, state)
        self.changed_set = set(changed)
        self.new_texts = {i: Text.of(ordered[i]) for i in changed}
        self.old_texts: dict[int, Text] = {}
        self._old_docs: dict[str, dict[int, int]] = {}
        self._new: dict[str, list[tuple[int, int]]] = {}

    # The texts: a changed report's last text comes from the last index; any other report's is as it is now.
    def old_text(self, i: int) -> Text:
        if i not in self.old_texts:
            self.old_texts[i] = self.old.text(i) if i in self.changed_set else Text.of(self.ordered[i])
        return self.old_texts[i]

    def new_text(self, i: int) -> Text:
        return self.new_texts[i] if i in self.changed_set else self.old_text(i)

    def old_posting(self, gram: str) -> dict[int, int]:
        """Report → score byte of ``gram`` in the last index's reports: from its posting, or, for a gram it did
        not keep, from the texts of the few reports its rare part occurs in."""
        if gram in self._old_docs:
            return self._old_docs[gram]
        member = self.old.member(gram)
        if member is not None:
            found = decode_posting(self.old.posting(gram, member), member.df)
        elif len(gram) == 1:
            found = {}
        else:
            left, right = self.old_posting(gram[:-1]), self.old_posting(gram[1:])
            if len(left) >= self.rare_below and len(right) >= self.rare_below:
                found = {}  # it would be kept if it occurred anywhere
            else:
                candidates = sorted(left.keys() & right.keys())
                found = {i: s for i in candidates if (s := self.old_text(i).score(gram))}
        self._old_docs[gram] = found
        return found

    def new_posting(self, gram: str) -> list[tuple[int, int]]:
        """(report, score byte) of ``gram`` in the new reports, in report order."""
        if gram not in self._new:
            found = {i: s for i, s in self.old_posting(gram).items() if i not in self.changed_set}
            for i in self.changed:
                if s := self.new_texts[i].score(gram):
                    found[i] = s
            self._new[gram] = sorted(found.items())
        return self._new[gram]

    def touched(self) -> set[str]:
        """Every gram whose entry may differ from the last index's (the module's three cases)."""
        touched: set[str] = set()
        came_or_went: set[str] = set()
        for i in self.changed:
            old_scores, old_places = self.old_text(i).grams(self.max_gram)
            new_scores, new_places = self.new_texts[i].grams(self.max_gram)
            for gram in old_scores.keys() | new_scores.keys():
                if old_scores.get(gram) != new_scores.get(gram):
                    touched.add(gram)
                    if (gram in old_scores) != (gram in new_scores):
                        came_or_went.add(gram)
            touched.update(g for g in old_places.keys() | new_places.keys()
                           if old_places.get(g) != new_places.get(g))
        rare = self.rare_below
        self.reconsidered: set[str] = set()  # grams that may be kept now and not before, or the other way round
        for gram in sorted(came_or_went):
            if len(gram) >= self.max_gram:
                continue
            before, now = self.old_posting(gram), self.new_posting(gram)
            if (len(before) >= rare) != (len(now) >= rare):
                # A changed report's longer grams that came or went are touched already; what it keeps is here.
                for i in sorted(before.keys() | {i for i, _ in now}):
                    self.reconsidered |= self.new_text(i).extensions(gram)
        return touched | self.reconsidered

    def entry(self, gram: str) -> tuple | None:
        """``gram``'s (df, posting, positions, head) in the new index; None when it is not kept."""
        member = self.old.member(gram)
        if member is not None and gram not in self.reconsidered:
            return self.patched(gram, member)
        posting = self.new_posting(gram)
        if not posting:
            return None
        if len(gram) > ix.MIN_GRAM and (len(self.new_posting(gram[:-1])) < self.rare_below
                                        or len(self.new_posting(gram[1:])) < self.rare_below):
            return None
        docs = np.array([i for i, _ in posting], dtype=np.int64)
        scores = np.array([s for _, s in posting], dtype=np.uint8)
        positions = None
        if len(gram) == self.max_gram and len(posting) >= self.rare_below:
            positions = self.positions(gram, docs.tolist())
        return self._entry(docs, scores, _encoded(docs, scores), positions)

    def patched(self, gram: str, member: Member) -> tuple | None:
        """The entry of a gram the last index kept and still keeps if it occurs: its posting and positions with
        the changed reports' parts replaced, in place, without decoding the rest (a gram of every report has a
        posting of 10,000 at 10,000 reports)."""
        posting = self.old.posting(gram, member)
        docs, gap_bytes = posting_docs(posting, member.df)
        scores = np.frombuffer(posting, dtype=np.uint8, count=member.df, offset=gap_bytes)
        changed = np.array(self.changed, dtype=np.int64)
        new_scores = np.array([self.new_texts[i].score(gram) for i in self.changed], dtype=np.uint8)
        had = np.isin(changed, docs)
        if np.array_equal(had, new_scores > 0):  # the same reports: only their score bytes may differ
            scores = scores.copy()
            scores[np.searchsorted(docs, changed[had])] = new_scores[had]
            encoded = posting[:gap_bytes] + scores.tobytes()
        else:
            keep = ~np.isin(docs, changed)
            docs = np.concatenate((docs[keep], changed[new_scores > 0]))
            scores = np.concatenate((scores[keep], new_scores[new_scores > 0]))
            order = np.argsort(docs, kind="stable")
            docs, scores = docs[order], scores[order]
            if not len(docs):
                return None
            encoded = _encoded(docs, scores)
        positions = None
        if len(gram) == self.max_gram and len(docs) >= self.rare_below:
            if member.has_positions:
                positions = splice_positions(self.old.positions(gram, member),
                                              {i: self.new_texts[i].places(gram) for i in self.changed})
            else:
                positions = self.positions(gram, docs.tolist())
        return self._entry(docs, scores, encoded, positions)

    def _entry(self, docs: np.ndarray, scores: np.ndarray, encoded: bytes, positions: bytes | None) -> tuple:
        """(df, posting, positions, head): the head, as a whole build makes it, for a posting in a file of its own."""
        head = head_of(docs, scores, ix.HEAD) if len(encoded) >= self.own_file_from else None
        return len(docs), encoded, positions, head

    def positions(self, gram: str, docs: list[int]) -> bytes:
        member = self.old.member(gram)
        old = decode_positions(self.old.positions(gram, member)) \
            if member is not None and member.has_positions else {}
        out = bytearray()
        last = 0
        for i in docs:
            places = self.new_texts[i].places(gram) if i in self.changed_set else \
                old[i] if i in old else self.old_text(i).places(gram)
            out += varints([i - last, len(places)] + place_values(places))
            last = i
        return bytes(out)

    def run(self) -> Change:
        touched = self.touched()
        by_bucket: dict[int, dict[str, tuple | None]] = defaultdict(dict)
        for gram in touched:
            by_bucket[ix.fnv1a(gram) % self.state.buckets][gram] = self.entry(gram)
        hashes = dict(self.state.hashes)
        stats = dict(self.state.stats)
        written: dict[str, bytes] = {}
        deleted: set[str] = set()
        for b in sorted(by_bucket):
            bucket = self.old.bucket(b)
            before = self._listing(bucket)
            members = dict(before)
            for gram, entry in by_bucket[b].items():
                if entry is None:
                    members.pop(gram, None)
                else:
                    members[gram] = entry
            listed = [(gram, *members[gram]) for gram in sorted(members)]
            made, own, located = (ix.encode_bucket(b, listed, self.prefix, self.own_file_from, self.old.gz)
                                  if listed else ({}, 0, 0))
            stats["grams"] += len(listed) - len(before)
            stats["ownFiles"] += own - sum(1 for f in bucket.files if f.startswith("p/"))
            stats["positionFiles"] += located - sum(1 for f in bucket.files if f.startswith("x/") and "-" in f)
            stats["size"] += sum(ix.entry_size(g, len(e[1]), e[3], self.own_file_from) for g, e in members.items()) \
                - sum(ix.entry_size(g, len(e[1]), e[3], self.own_file_from) for g, e in before.items())
            for path in bucket.files:
                if self.prefix + path not in made:
                    deleted.add(self.prefix + path)
                    hashes.pop(self.prefix + path, None)
            self._note(made, hashes, written)
        if ix.buckets_for(stats["size"]) != self.state.buckets:
            raise Stale("the number of buckets changes")
        self._note({f"{self.prefix}t/{i}.bin": ix._gz(self.raw[i]) for i in self.changed}, hashes, written)
        self._note(ix.record_files(self.ordered, self.prefix), hashes, written)
        written[self.prefix + "manifest.json"] = ix.manifest(
            self.ordered, hashes, max_gram=self.max_gram, rare_below=self.rare_below, buckets=self.state.buckets,
            stats=stats)
        state = State(self.state.settings, self.state.order, self.texts, hashes, self.state.buckets, stats)
        return Change(dict(sorted(written.items())), sorted(deleted - written.keys()), state,
                      touched=frozenset(touched), buckets=len(by_bucket))

    def _listing(self, bucket: Bucket) -> dict[str, tuple]:
        """The bucket's members as the encoder takes them: gram → (df, posting, positions, head)."""
        return {gram: (m.df, self.old.posting(gram, m), self.old.positions(gram, m) if m.has_positions else None,
                       m.head) for gram, m in bucket.members.items()}

    @staticmethod
    def _note(files: dict[str, bytes], hashes: dict[str, bytes], written: dict[str, bytes]) -> None:
        """Files that differ from the last index's go to ``written``, with their hashes."""
        for path, content in files.items():
            digest = ix.file_hash(content)
            if hashes.get(path) != digest:
                hashes[path] = digest
                written[path] = content


