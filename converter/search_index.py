"""Stage 8: the full-text search index, as static files the browser fetches piece by piece.

The index answers "which reports contain this exact string" (after
``searchfold``) and the browser fetches only the pieces a query needs, never
the whole index. Why not Pagefind: fed character bigrams it is exact, but on
10,000 reports its fixed files alone were ~264 KB and a query for 法治政府
moved 1.45 MB (see benchmarks/bench_search.py for this index's numbers).

* Every character n-gram of length ``MIN_GRAM``..``MAX_GRAM`` (folded by
  ``searchfold``; never across a line break or a space) has a *posting*: the
  reports that contain it, each with a score byte (occurrences, and whether one
  is in a heading or the title). Every single character is kept, so a one-character
  query (畲, 彝) is answered like any other. A longer gram is kept
  when both of its one-shorter parts occur in at least ``RARE_BELOW``
  reports, so a query of up to ``MAX_GRAM`` characters that is not in the
  index either occurs nowhere or has a part that occurs in fewer than
  ``RARE_BELOW`` reports; those few reports are then checked against their
  text in the browser.
* Longer queries are answered from the postings of their ``MAX_GRAM``-windows,
  then checked either against the texts (when a window is rare) or against
  the windows' *positions* (stored for the frequent ``MAX_GRAM``-grams).
* Postings are grouped in hash buckets (``FNV-1a`` of the gram's UTF-8 bytes,
  the same function in ``search.js``); a large posting gets its own file so a
  bucket stays small, and its *head* (its ``HEAD`` best reports, best first)
  stays in the bucket: a one-term query shows its count (the gram's report
  count) and its first page of results without fetching a posting that grows
  with the archive. The rest is fetched when the reader asks for more. Report texts, display records and filter values are
  stored per report or per block of reports.

Every file but the small ``manifest.json`` is gzip-compressed here (the browser
inflates it), so the transfer is the same whatever server hosts the site. All
output is deterministic.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from . import arrays
from .varint import gaps as _gaps, varint_array, varints
from .gazetteer import province_order
from .searchfold import fold_chars, table_for_browser
from .workers import release_freed_memory

MIN_GRAM = 1  # single characters are real queries (畲, 彝)
MAX_GRAM = 6
RARE_BELOW = 16          # a posting this short is verified against report texts in the browser
BUCKET_TARGET = 8_000   # bytes of postings aimed at per bucket, before compression
OWN_FILE_FROM = 4_096    # a posting at least this long (bytes) is stored in a file of its own
HEAD = 10                # best reports kept in the bucket for a posting in a file of its own (search.js PAGE)
META_BLOCK = 8          # reports per display-record file
TF_MAX = 63
IN_HEADING = 64
IN_TITLE = 128
FORMAT = 2  # 2: heads in buckets
POSITIONS_BATCH = 2_000_000  # occurrences whose positions are encoded at once
CHAR_BITS = 16         # bits of a character id in a gram code (the rest hold the shorter gram's rank)



@dataclass(frozen=True)
class SearchDoc:
    """What search needs of one report: its lines (as shown) with their kinds, and its display record."""

    slug: str
    title: str
    lines: tuple[str, ...]
    kinds: tuple[str, ...]  # per line: "title", "heading", "note" (a note's text) or another block kind
    unit: str
    town: str
    province: str
    year: int
    level: str


def fnv1a(text: str) -> int:
    h = 0x811C9DC5
    for byte in text.encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


def _gz(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=6, mtime=0)


class Corpus:
    """The folded texts of all reports as one array of character ids, 0 between words and lines.

    A gram is a window without a 0, so no gram crosses a space, a line or a report. Grams of
    length n are numbered by rank (in character order) from the ranks of length n - 1, so any
    length fits a 64-bit code.
    """

    def __init__(self, docs: Sequence[SearchDoc]) -> None:
        texts = ["\n".join(fold_chars(line) for line in d.lines) + "\n" for d in docs]
        joined = "".join(texts)
        points = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
        del joined
        # The alphabet by counting, not sorting: a table over every code point gives each character its id.
        alphabet = np.flatnonzero(np.bincount(points, minlength=1))
        if len(alphabet) >= 1 << CHAR_BITS:
            raise ValueError(f"{len(alphabet)} distinct characters: more than the index's {CHAR_BITS}-bit ids hold")
        self.alphabet = [""] + [chr(c) for c in alphabet.tolist()]
        id_of = np.zeros(int(alphabet[-1]) + 1 if len(alphabet) else 1, dtype=np.uint32)
        id_of[alphabet] = np.arange(1, len(alphabet) + 1, dtype=np.uint32)
        id_of[[ord(c) for c in " \t\n\r\f\v" if ord(c) < len(id_of)]] = 0
        self.ids = ids = id_of[points]
        del points, id_of
        lengths = np.array([len(t) for t in texts], dtype=np.int64)
        self.starts = starts = arrays.starts(lengths)
        # A report per character; offsets within a report are worked out only where positions are stored.
        self.doc = np.repeat(np.arange(len(texts), dtype=np.int32), lengths)
        flags = np.zeros(len(ids), dtype=np.uint8)
        for d, start in zip(docs, starts.tolist()):
            at = start
            for line, kind in zip(d.lines, d.kinds):
                flags[at:at + len(line)] = IN_TITLE if kind == "title" else IN_HEADING if kind == "heading" else 0
                at += len(line) + 1
        self.flags = flags
        # Level 1: a character's rank is its place among the characters that are not spaces; -1 marks a
        # space or line end. Every such character occurs, so ranks 0.. are exactly the single-character grams.
        is_space = np.isin(alphabet, [ord(c) for c in " \t\n\r\f\v"])
        char_rank = (np.cumsum(~is_space) - 1).astype(np.int32)
        char_rank[is_space] = -1
        self.rank = np.where(ids > 0, char_rank[ids.astype(np.int64) - 1], -1).astype(np.int32)
        self.n = 1

    def unigrams(self) -> "Grams":
        """Every occurrence of every single character, sorted by character, then report, then offset."""
        where = np.flatnonzero(self.rank >= 0).astype(np.int32)
        code = self.rank[where]
        sort = np.argsort(code.astype(np.uint16), kind="stable")  # ranks fit 16 bits: numpy's radix sort
        where, code = where[sort], code[sort]
        self.sorted_where = where
        new_gram = arrays.changes(code)
        none = np.zeros(int(new_gram.sum()), dtype=np.int32)  # a single character has no shorter parts
        return Grams(1, new_gram, self.doc[where], where, self.flags[where], none, none, where[new_gram], self.starts)

    def next_level(self) -> "Grams":
        """Every occurrence of every gram one character longer, sorted by gram, then report, then offset."""
        prev = self.rank
        size = len(prev) - self.n
        # The shorter grams' occurrences, in their sorted order, that a character (not a space) extends: already
        # in order of their first n - 1 characters, so the stable sort below mostly merges runs (4x faster).
        where = self.sorted_where[self.sorted_where < size]
        where = where[self.ids[where + self.n] > 0]
        sort = np.argsort(self._codes(prev, where), kind="stable")  # stable: reports and offsets stay in order
        where = where[sort]
        del sort
        self.sorted_where = where
        # The codes again from the sorted occurrences, rather than sorting them too: two gathers cost less
        # than holding a second 8-byte array per occurrence beside the permutation.
        code = self._codes(prev, where)
        new_gram = arrays.changes(code)
        del code
        rank = np.full(len(prev), -1, dtype=np.int32)
        rank[where] = np.cumsum(new_gram, dtype=np.int32) - 1
        first = where[new_gram]
        suffix_rank = prev[first + 1]   # the gram minus its first character
        prefix_rank = prev[first]       # the gram minus its last character
        self.n += 1
        grams = Grams(self.n, new_gram, self.doc[where], where, self.flags[where], prefix_rank, suffix_rank, first,
                      self.starts)
        self.rank = rank
        return grams

    def _codes(self, prev: np.ndarray, where: np.ndarray) -> np.ndarray:
        """Each occurrence's gram one character longer as a number: the shorter gram's rank, then the new character."""
        return (prev[where].astype(np.uint64) << np.uint64(CHAR_BITS)) | self.ids[where + self.n].astype(np.uint64)

    def spell(self, n: int, first: int) -> str:
        """The gram of ``n`` characters that starts at ``first``."""
        return "".join(self.alphabet[i] for i in self.ids[first:first + n].tolist())


@dataclass
class Grams:
    """The occurrences of all n-grams for one n, grouped into postings."""

    n: int
    new_gram: np.ndarray
    doc: np.ndarray
    where: np.ndarray         # per occurrence: where it starts in the corpus
    flags: np.ndarray
    prefix_rank: np.ndarray   # per gram: rank of its first n - 1 characters among (n - 1)-grams
    suffix_rank: np.ndarray   # per gram: rank of its last n - 1 characters
    first: np.ndarray         # per gram: where its first occurrence starts, to spell it
    doc_start: np.ndarray     # per report: where it starts in the corpus

    def __post_init__(self) -> None:
        new_pair = arrays.changes(self.doc)
        new_pair |= self.new_gram
        self.pair_start = np.flatnonzero(new_pair)                       # one entry per (gram, report)
        del new_pair
        self.pair_doc = self.doc[self.pair_start]
        self.tf = np.diff(np.append(self.pair_start, len(self.doc)))
        self.pair_flags = np.bitwise_or.reduceat(self.flags, self.pair_start) if len(self.doc) else self.flags
        gram_occ_start = np.flatnonzero(self.new_gram)
        self.gram_pair_start = np.searchsorted(self.pair_start, gram_occ_start)
        self.df = np.diff(np.append(self.gram_pair_start, len(self.pair_start)))

    def postings(self, grams: np.ndarray) -> list[bytes]:
        """The chosen grams' postings, each its doc gaps as varints, then its score bytes.

        Only the chosen grams' are made: a level has millions of grams, and each one's bytes, and the
        numbers saying where they lie, cost more than the postings kept (0.5 GB at 10,000 reports).
        """
        gap_bytes, gap_at = varint_array(_gaps(self.pair_doc, self.gram_pair_start), self.gram_pair_start)
        scores = self.scores(0, len(self.pair_doc)).tobytes()
        gap_end = np.append(gap_at[1:], len(gap_bytes))
        pair_end = np.append(self.gram_pair_start[1:], len(self.pair_doc))
        return [gap_bytes[b0:b1] + scores[p0:p1] for b0, b1, p0, p1 in
                zip(gap_at[grams].tolist(), gap_end[grams].tolist(), self.gram_pair_start[grams].tolist(),
                    pair_end[grams].tolist())]

    def scores(self, lo: int, hi: int) -> np.ndarray:
        """The score bytes of pairs ``lo:hi``: occurrences (capped at ``TF_MAX``) | heading and title flags."""
        return (np.minimum(self.tf[lo:hi], TF_MAX) | self.pair_flags[lo:hi]).astype(np.uint8)

    def heads(self, grams: np.ndarray, size: int = HEAD) -> dict[int, bytes]:
        """For the chosen gram indices: the ``size`` best reports, best first, as the count, the report
        ids (varints), then their score bytes.

        Best is the browser's order of results: the higher score byte first (its title and heading flags
        outrank any count, as ``rank`` in ``search.js`` does), then the lower report id. Only grams with
        their posting in a file of their own get a head, a few thousand a level, each sorted alone.
        """
        out: dict[int, bytes] = {}
        for g, start, df in zip(grams.tolist(), self.gram_pair_start[grams].tolist(), self.df[grams].tolist()):
            docs = self.pair_doc[start:start + df]
            scores = self.scores(start, start + df)
            best = np.argsort(255 - scores, kind="stable")[:size]  # stable: reports are in id order already
            out[g] = varints([len(best)] + docs[best].tolist()) + scores[best].tobytes()
        return out

    def positions(self, grams: np.ndarray) -> dict[int, bytes]:
        """For the chosen gram indices: per report the doc gap, the count, then offset gaps (varints).

        Only the chosen grams' occurrences are gathered, so the work and memory follow them, not the level.
        """
        if not len(grams):
            return {}
        # In batches of about POSITIONS_BATCH occurrences, so that the temporaries stay small at any size.
        occ_start = self.pair_start[self.gram_pair_start]
        occ_end = np.append(occ_start[1:], len(self.doc))
        batch = np.cumsum(occ_end[grams] - occ_start[grams]) // POSITIONS_BATCH
        out: dict[int, bytes] = {}
        for b in np.unique(batch).tolist():
            out.update(self._positions(grams[batch == b]))
        return out

    def _positions(self, grams: np.ndarray) -> dict[int, bytes]:
        # A gram has ``df`` pairs (one per report), a pair ``tf`` occurrences: the selection's ranges follow.
        pairs = arrays.ranges(self.gram_pair_start[grams], self.df[grams])          # the chosen grams' pairs
        occurrences = arrays.ranges(self.pair_start[pairs], self.tf[pairs])        # and their occurrences
        # Renumbered within the selection: where each chosen gram's pairs and each pair's occurrences begin.
        sel_gram_pair = arrays.starts(self.df[grams])
        sel_pair_occ = arrays.starts(self.tf[pairs])
        offsets = self.where[occurrences] - self.doc_start[self.doc[occurrences]]
        gaps = _gaps(offsets, sel_pair_occ)
        doc_gaps = _gaps(self.pair_doc[pairs], sel_gram_pair)
        heads = np.column_stack((doc_gaps, self.tf[pairs].astype(np.int32))).ravel()
        stream = np.insert(gaps, np.repeat(sel_pair_occ, 2), heads)
        del gaps, heads, occurrences, offsets
        gram_at = sel_pair_occ[sel_gram_pair] + 2 * sel_gram_pair
        data, at = varint_array(stream, gram_at)
        ends = np.append(at[1:], len(data))
        return {g: data[at[i]:ends[i]] for i, g in enumerate(grams.tolist())}


def order(docs: Sequence[SearchDoc]) -> list[SearchDoc]:
    """The reports in id order, which is also the order of results without a query: newest year first."""
    return sorted(docs, key=lambda d: (-(d.year or 0), d.province, d.unit, d.slug))


def build_index(docs: Sequence[SearchDoc], prefix: str = "search-data/", *,
                max_gram: int = MAX_GRAM, rare_below: int = RARE_BELOW,
                own_file_from: int = OWN_FILE_FROM) -> dict[str, bytes]:
    """All files of the search index: path (under ``prefix``) → content (gzip, except the manifest).

    ``max_gram``, ``rare_below`` and ``own_file_from`` trade index size against transfer per
    query; the browser reads what it needs from the manifest and the buckets. Tests lower them
    to reach every query path with few reports.
    """
    if max_gram < MIN_GRAM or rare_below < 1 or own_file_from < 1:
        raise ValueError(f"max_gram must be at least {MIN_GRAM}, rare_below and own_file_from at least 1")
    docs = order(docs)
    files: dict[str, bytes] = {}
    corpus = Corpus(docs)
    entries: list[tuple[str, int, bytes, bytes | None, bytes | None]] = []  # gram, df, posting, positions, head
    df_shorter = None
    for n in range(MIN_GRAM, max_gram + 1):
        level = corpus.unigrams() if n == 1 else corpus.next_level()
        if n == MIN_GRAM:
            kept = np.arange(len(level.df))
        else:
            kept = np.flatnonzero((df_shorter[level.prefix_rank] >= rare_below)
                                  & (df_shorter[level.suffix_rank] >= rare_below))
        postings = level.postings(kept)
        located = kept[level.df[kept] >= rare_below] if n == max_gram else kept[:0]
        positions = level.positions(located)
        heads = level.heads(kept[np.array([len(p) >= own_file_from for p in postings], dtype=bool)])
        for g, first, df, posting in zip(kept.tolist(), level.first[kept].tolist(), level.df[kept].tolist(),
                                        postings):
            entries.append((corpus.spell(n, first), df, posting, positions.get(g), heads.get(g)))
        df_shorter = level.df
        del level, postings, positions, heads
        release_freed_memory()
    del corpus, df_shorter
    entries.sort(key=lambda e: e[0])

    total = sum(len(e[0]) * 3 + 4 + (len(e[2]) if len(e[2]) < own_file_from else len(e[4])) for e in entries)
    bucket_count = max(1, total // BUCKET_TARGET)
    buckets: dict[int, list] = defaultdict(list)
    for e in entries:
        buckets[fnv1a(e[0]) % bucket_count].append(e)
    gram_count = len(entries)
    del entries  # each bucket's postings now go as soon as the bucket is written
    release_freed_memory()
    own_files = position_files = 0
    for b in sorted(buckets):
        members = buckets.pop(b)
        out = bytearray(varints([len(members)]))
        where = bytearray()
        for i, (gram, df, posting, positions, head) in enumerate(members):
            key = gram.encode("utf-8")
            own = len(posting) >= own_file_from
            mode = (1 if own else 0) | (2 if positions is not None else 0) | (4 if head is not None else 0)
            out += varints([len(key)]) + key + varints([df, mode])
            if head is not None:
                out += varints([len(head)]) + head
            if own:
                files[f"{prefix}p/{b}-{i}.bin"] = _gz(posting)
                own_files += 1
            else:
                out += varints([len(posting)]) + posting
            if positions is not None:
                if len(positions) >= own_file_from:
                    files[f"{prefix}x/{b}-{i}.bin"] = _gz(positions)
                    position_files += 1
                    where += varints([i, 0])
                else:
                    where += varints([i, len(positions)]) + positions
        files[f"{prefix}b/{b}.bin"] = _gz(bytes(out))
        if where:
            files[f"{prefix}x/{b}.bin"] = _gz(bytes(where))

    provinces = sorted({d.province for d in docs}, key=province_order)  # the official order, as everywhere
    levels = sorted({d.level for d in docs})
    years = sorted({d.year for d in docs if d.year}, reverse=True)
    year_codes = {y: i + 1 for i, y in enumerate(years)}
    facets = bytearray()
    for d in docs:
        facets += bytes([provinces.index(d.province), year_codes.get(d.year, 0), levels.index(d.level)])
    files[f"{prefix}facets.bin"] = _gz(bytes(facets))
    for start in range(0, len(docs), META_BLOCK):
        block = [[d.slug, d.title, d.unit, d.town, d.province, d.year or 0, d.level]
                 for d in docs[start:start + META_BLOCK]]
        files[f"{prefix}m/{start // META_BLOCK}.bin"] = _gz(_json(block))
    for doc_id, d in enumerate(docs):
        files[f"{prefix}t/{doc_id}.bin"] = _gz(_json({"k": "".join(_kind_code(k) for k in d.kinds),
                                                     "l": list(d.lines)}))
    files[f"{prefix}fold.bin"] = _gz(table_for_browser().encode("utf-8"))

    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.encode() + b"\0" + files[path])
    manifest = {
        "format": FORMAT, "version": digest.hexdigest()[:16], "reports": len(docs),
        "minGram": MIN_GRAM, "maxGram": max_gram, "rareBelow": rare_below, "buckets": bucket_count, "head": HEAD,
        "metaBlock": META_BLOCK, "provinces": provinces, "levels": levels, "years": years,
        "counts": {"province": _counts(docs, lambda d: d.province), "level": _counts(docs, lambda d: d.level),
                   "year": _counts(docs, lambda d: str(d.year or ""))},
        "stats": {"grams": gram_count, "ownFiles": own_files, "positionFiles": position_files},
    }
    files[f"{prefix}manifest.json"] = json.dumps(manifest, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return dict(sorted(files.items()))


def _kind_code(kind: str) -> str:
    return {"title": "t", "heading": "h", "note": "n"}.get(kind, "p")


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _counts(docs: Sequence[SearchDoc], key) -> dict[str, int]:
    return dict(sorted(Counter(key(d) for d in docs).items()))
