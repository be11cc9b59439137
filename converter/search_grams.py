"""The search index's raw material: every occurrence of every character n-gram of the reports, grouped into
postings (``search_index`` decides which are kept and lays them out as files).

``Corpus`` holds the folded texts as one array of character ids; each level (``Grams``) is every gram of
one length, its occurrences sorted by gram, then report, then offset, from which a chosen gram's posting
(reports and score bytes), head (best reports) and positions are made without a Python object per
occurrence.
"""

from __future__ import annotations

import bisect
from dataclasses import InitVar, dataclass
from typing import TYPE_CHECKING, Iterator, Sequence

import numpy as np

from . import arrays
from .searchfold import fold_chars
from .varint import gaps as _gaps, varint_array, varints

if TYPE_CHECKING:
    from .search_index import SearchDoc

TF_MAX = 63       # occurrences counted in a score byte
IN_HEADING = 64   # score bit: an occurrence in a heading
IN_TITLE = 128    # score bit: an occurrence in the title
POSITIONS_BATCH = 1_000_000  # occurrences whose positions, or pairs whose postings, are encoded at once
CHAR_BITS = 16    # bits of a character id in a gram code (the rest hold the shorter gram's rank)
LINE_SHIFT = 32   # a place in a report, as one number: its line << LINE_SHIFT | its index in the line


SORT_PIECE = 1 << 22  # occurrences sorted, or their codes made, at once
TWO_BYTE_REPORTS = 1 << 16  # fewer reports than this are numbered in 2 bytes per character of the corpus


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
        # Ids fit CHAR_BITS (16) bits: half the memory of a code point per character of the archive.
        id_of = np.zeros(int(alphabet[-1]) + 1 if len(alphabet) else 1, dtype=np.uint16)
        id_of[alphabet] = np.arange(1, len(alphabet) + 1, dtype=np.uint16)
        id_of[[ord(c) for c in " \t\n\r\f\v" if ord(c) < len(id_of)]] = 0
        self.ids = ids = id_of[points]
        del points, id_of
        lengths = np.array([len(t) for t in texts], dtype=np.int64)
        self.starts = starts = arrays.starts(lengths)
        # A report per character (2 bytes each while there are fewer than 65,536 reports); offsets within a
        # report are worked out only where positions are stored.
        self.doc = np.repeat(np.arange(len(texts), dtype=np.uint16 if len(texts) < TWO_BYTE_REPORTS else np.int32),
                             lengths)
        flags = np.zeros(len(ids), dtype=np.uint8)
        line_start = []
        for d, start in zip(docs, starts.tolist()):
            at = start
            for line, kind in zip(d.lines, d.kinds):
                flags[at:at + len(line)] = IN_TITLE if kind == "title" else IN_HEADING if kind == "heading" else 0
                line_start.append(at)
                at += len(line) + 1
        self.flags = flags
        # Positions are stored by line (``places``), so that an edit moves only the places of its own line.
        self.line_start = np.array(line_start, dtype=np.int64)
        self.doc_first_line = arrays.starts(np.array([len(d.lines) for d in docs], dtype=np.int64))
        # Level 1: a character's rank is its place among the characters that are not spaces; -1 marks a
        # space or line end. Every such character occurs, so ranks 0.. are exactly the single-character grams.
        is_space = np.isin(alphabet, [ord(c) for c in " \t\n\r\f\v"])
        char_rank = (np.cumsum(~is_space) - 1).astype(np.int32)
        char_rank[is_space] = -1
        self.rank = np.where(ids > 0, char_rank[ids.astype(np.int64) - 1], -1).astype(np.int32)
        self.n = 1

    def unigrams(self) -> "Grams":
        """Every occurrence of every single character, sorted by character, then report, then offset."""
        where = arrays.nonzero(self.rank >= 0, np.int32)
        # Character and place packed into one number and sorted in place: an argsort's 8-byte permutation and
        # its radix buffer cost 0.5 GB at 10,000 reports. Places differ, so equal characters keep text order.
        packed = np.empty(len(where), dtype=np.uint64)
        for piece in arrays.slices(len(where), SORT_PIECE):
            packed[piece] = (self.rank[where[piece]].astype(np.uint64) << np.uint64(32)) | where[piece].astype(np.uint64)
        packed.sort()
        for piece in arrays.slices(len(where), SORT_PIECE):
            where[piece] = packed[piece] & np.uint64(0xFFFFFFFF)
            packed[piece] >>= np.uint64(32)  # the character's rank alone
        new_gram = arrays.changes_by(len(where), lambda lo, hi, ranks=packed: ranks[lo:hi], SORT_PIECE)
        del packed
        self._carry(where, self.doc[where], self.flags[where])
        self.doc = self.flags = None  # carried along from here on: 0.13 GB less at 10,000 reports
        none = np.zeros(int(new_gram.sum()), dtype=np.int32)  # a single character has no shorter parts
        return Grams(1, new_gram, self.sorted_doc, where, self.sorted_flags, none, none, where[new_gram],
                     self.line_start, self.doc_first_line)

    def _carry(self, where: np.ndarray | None, doc: np.ndarray | None, flags: np.ndarray | None) -> None:
        """Keep a level's occurrences in their sorted order for the next level, with the report and flags of
        each (a longer gram starting at the same place has the same). Read from the corpus at each occurrence's
        place instead, they were two scattered reads of 30 million values a level; carried along, each level reads
        them in order, and the corpus need not keep a report and flags per character. The level's ``Grams``
        holds the same arrays, which the next level reorders: a level is read before the next is made."""
        self.sorted_where, self.sorted_doc, self.sorted_flags = where, doc, flags

    def next_level(self) -> "Grams":
        """Every occurrence of every gram one character longer, sorted by gram, then report, then offset."""
        prev = self.rank
        where, doc, flags, added = self._extended()
        new_gram = self._sort_by_code(prev, added, (where, doc, flags))
        del added
        first = where[new_gram]
        prefix_rank = prev[first]       # the gram minus its last character
        suffix_rank = prev[first + 1]   # the gram minus its first character
        # The shorter grams' ranks are not read again: the longer ones take their place, in the same array (a
        # second one per character of the archive was 0.17 GB at 10,000 reports), a piece at a time (one per
        # occurrence was 0.13 GB).
        rank = prev
        rank.fill(-1)
        made = 0
        for piece in arrays.slices(len(where), SORT_PIECE):
            ranks = np.cumsum(new_gram[piece], dtype=np.int32)
            ranks += np.int32(made - 1)
            rank[where[piece]] = ranks
            made = int(ranks[-1]) + 1
        self.n += 1
        self._carry(where, doc, flags)
        grams = Grams(self.n, new_gram, doc, where, flags, prefix_rank, suffix_rank, first,
                      self.line_start, self.doc_first_line)
        self.rank = rank
        return grams

    def _extended(self) -> tuple[np.ndarray, ...]:
        """The occurrences carried from the last level that a character (not a space) extends, in their order, and
        what is carried of each, with that character: (where, doc, flags, added). The carried columns are
        compacted in place, a piece at a time (a copy of each was 0.2 GB at 10,000 reports); every text ends with
        a line break, so the character after a gram is always inside the corpus."""
        columns = (self.sorted_where, self.sorted_doc, self.sorted_flags)
        self._carry(None, None, None)
        added = np.empty(len(columns[0]), dtype=self.ids.dtype)
        at = 0
        for piece in arrays.slices(len(added), SORT_PIECE):
            chars = self.ids[columns[0][piece] + self.n]
            keep = chars > 0
            size = int(np.count_nonzero(keep))
            for column in columns:  # written at or before where the piece was read: nothing unread is overwritten
                column[at:at + size] = column[piece][keep]
            added[at:at + size] = chars[keep]
            at += size
        return tuple(column[:at] for column in columns) + (added[:at],)

    @staticmethod
    def _sort_by_code(prev: np.ndarray, added: np.ndarray, columns: tuple[np.ndarray, ...]) -> np.ndarray:
        """Put the occurrences of shorter grams (``columns[0]``, their places, in those grams' order; ``prev``, each
        place's shorter gram's rank; ``added``, the character each is extended by) in the order of their longer
        grams, each gram's in their order here, by reordering each of ``columns`` in place; which of them, so
        ordered, start a longer gram.

        The shorter gram is the longer one's first part and the occurrences are already in its order, so only
        each shorter gram's own occurrences need sorting (by the added character): a piece ends with the
        occurrences of a shorter gram, never inside them, so its first occurrence always starts a gram. A whole
        argsort held an 8-byte code and an 8-byte permutation per occurrence, and a sorted copy (0.6 GB at
        10,000 reports); a piece's are a few megabytes. Within a piece, gram and place in the piece fit one
        64-bit number (``_piece_order``), whose plain sort is a stable sort by gram at a third of the time.
        """
        where = columns[0]
        new_gram = np.ones(len(where), dtype=bool)
        lo = 0
        while lo < len(where):
            hi = min(lo + SORT_PIECE, len(where))
            if hi < len(where):  # on to the end of the last shorter gram's occurrences
                hi = bisect.bisect_right(where, prev[where[hi - 1]], lo=hi, key=prev.__getitem__)
            order, codes = _piece_order(prev[where[lo:hi]], added[lo:hi])
            for column in columns:
                column[lo:hi] = column[lo:hi][order]
            np.not_equal(codes[1:], codes[:-1], out=new_gram[lo + 1:hi])
            lo = hi
        return new_gram

    def spell(self, n: int, first: int) -> str:
        """The gram of ``n`` characters that starts at ``first``."""
        return "".join(self.alphabet[i] for i in self.ids[first:first + n].tolist())


def _piece_order(ranks: np.ndarray, added: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The stable order of a piece's occurrences by longer gram (shorter gram's rank, then the added character),
    and each one's gram as a number, in that order (equal numbers: one gram).

    The ranks in a piece span little, so rank (less the piece's first), character and place in the piece pack
    into one 64-bit number: all differ, so a plain sort keeps equal grams in their order here, where an argsort
    by gram must be told to be stable and is three times slower. A piece whose numbers would not fit is sorted
    by argsort."""
    count = len(ranks)
    place_bits = max(count - 1, 1).bit_length()
    span = int(ranks[-1]) - int(ranks[0]) if count else 0
    if span.bit_length() + CHAR_BITS + place_bits <= 64:
        packed = (ranks - ranks[0]).astype(np.uint64) << np.uint64(CHAR_BITS + place_bits)
        packed |= added.astype(np.uint64) << np.uint64(place_bits)
        packed |= np.arange(count, dtype=np.uint64)
        packed.sort()
        order = (packed & np.uint64((1 << place_bits) - 1)).astype(np.intp)
        packed >>= np.uint64(place_bits)
        return order, packed
    codes = (ranks.astype(np.uint64) << np.uint64(CHAR_BITS)) | added.astype(np.uint64)
    order = np.argsort(codes, kind="stable")
    return order, codes[order]


def head_of(docs: np.ndarray, scores: np.ndarray, size: int) -> bytes:
    """A posting's ``size`` best reports, best first: the count, the report ids (varints), then their score bytes.

    Best is the browser's order of results: the higher score byte first (its title and heading flags outrank any
    count, as ``rank`` in ``search.js`` does), then the lower report id (``docs`` are in id order: the sort is
    stable)."""
    best = np.argsort(255 - scores, kind="stable")[:size]
    return varints([len(best)] + docs[best].tolist()) + scores[best].tobytes()


@dataclass
class Grams:
    """The occurrences of all n-grams for one n, grouped into postings.

    Per occurrence it keeps only where it starts: its report, flags and gram (``occ_doc``, ``occ_flags``,
    ``new_gram``) are summed up per (gram, report) pair and per gram, and not kept (0.15 GB a level at 10,000
    reports).
    """

    n: int
    new_gram: InitVar[np.ndarray]    # per occurrence: whether it starts a gram
    occ_doc: InitVar[np.ndarray]     # per occurrence: its report
    where: np.ndarray                # per occurrence: where it starts in the corpus
    occ_flags: InitVar[np.ndarray]   # per occurrence: IN_HEADING, IN_TITLE of its first character
    prefix_rank: np.ndarray   # per gram: rank of its first n - 1 characters among (n - 1)-grams
    suffix_rank: np.ndarray   # per gram: rank of its last n - 1 characters
    first: np.ndarray         # per gram: where its first occurrence starts, to spell it
    line_start: np.ndarray    # per line of the corpus: where it starts
    doc_first_line: np.ndarray  # per report: its first line's number in the corpus

    def __post_init__(self, new_gram: np.ndarray, occ_doc: np.ndarray, occ_flags: np.ndarray) -> None:
        # Numbers of occurrences and pairs in 4 bytes where they fit (tens of millions at 10,000 reports).
        where = self.where
        index = arrays.index_type(len(where))
        # A report's occurrences of a gram end where the gram or the report changes.
        new_pair = arrays.changes(occ_doc)
        new_pair |= new_gram
        # One entry per (gram, report), and the end: a pair's occurrences are counted from it when asked for
        # (``tf``), not kept per pair (0.1 GB a level at 10,000 reports).
        self.pair_bounds = arrays.nonzero(new_pair, index, end=len(where))
        self.pair_start = self.pair_bounds[:-1]
        del new_pair
        # In the corpus' own type (2 bytes while there are fewer than 65,536 reports); made signed where gaps are.
        self.pair_doc = occ_doc[self.pair_start]
        # A pair's flags: those of any of its occurrences, a piece of pairs at a time (``reduceat`` takes its
        # indices in 8 bytes: all pairs' at once were 0.16 GB a level at 10,000 reports).
        self.pair_flags = np.empty(len(self.pair_start), dtype=occ_flags.dtype)
        for piece in arrays.slices(len(self.pair_start), SORT_PIECE):
            lo, hi = int(self.pair_bounds[piece.start]), int(self.pair_bounds[piece.stop])
            self.pair_flags[piece] = np.bitwise_or.reduceat(occ_flags[lo:hi],
                                                            self.pair_start[piece] - self.pair_start[piece.start])
        gram_occ_start = arrays.nonzero(new_gram, index)
        self.gram_pair_start = np.searchsorted(self.pair_start, gram_occ_start).astype(index)
        del gram_occ_start
        self.df = np.diff(np.append(self.gram_pair_start, index(len(self.pair_start))))

    def postings(self, grams: np.ndarray) -> list[bytes]:
        """The chosen grams' postings, each its doc gaps as varints, then its score bytes.

        Only the chosen grams' pairs are read, about ``POSITIONS_BATCH`` at a time: encoding every pair of a
        level at once held its gaps, varints and scores together (0.15 GB over the rest at 10,000 reports).
        """
        out: list[bytes] = []
        for run in arrays.batches(self.df[grams], POSITIONS_BATCH):
            chosen = grams[run]
            df = self.df[chosen]
            pairs = arrays.ranges(self.gram_pair_start[chosen], df)
            first = arrays.starts(df)      # where each chosen gram's pairs begin among ``pairs``
            gap_bytes, gap_at = varint_array(_gaps(self.pair_doc[pairs].astype(np.int32), first), first)
            scores = self.scores(pairs).tobytes()
            del pairs
            gap_end = np.append(gap_at[1:], len(gap_bytes))
            out += [gap_bytes[b0:b1] + scores[p0:p1] for b0, b1, p0, p1 in
                    zip(gap_at.tolist(), gap_end.tolist(), first.tolist(), (first + df).tolist())]
        return out

    def tf(self, pairs: np.ndarray) -> np.ndarray:
        """How often each of ``pairs`` has its gram in its report."""
        return self.pair_bounds[pairs + 1] - self.pair_bounds[pairs]

    def scores(self, pairs: np.ndarray) -> np.ndarray:
        """The score bytes of ``pairs``: occurrences (capped at ``TF_MAX``) | heading and title flags."""
        return (np.minimum(self.tf(pairs), TF_MAX) | self.pair_flags[pairs]).astype(np.uint8)

    def heads(self, grams: np.ndarray, size: int) -> dict[int, bytes]:
        """For the chosen gram indices: the ``size`` best reports (``head_of``). Only grams with their posting in
        a file of their own get a head, a few thousand a level, each sorted alone."""
        out: dict[int, bytes] = {}
        for g, start, df in zip(grams.tolist(), self.gram_pair_start[grams].tolist(), self.df[grams].tolist()):
            out[g] = head_of(self.pair_doc[start:start + df], self.scores(np.arange(start, start + df)), size)
        return out

    def positions(self, grams: np.ndarray) -> Iterator[tuple[int, bytes]]:
        """For the chosen gram indices, batch by batch: (gram, its positions as varints). Per report: the doc gap
        and the count of occurrences; per occurrence: its line gap (from the occurrence before, or from line 0)
        and its index in the line, as a gap from the occurrence before when both are on one line. By line, not by
        offset in the report, so that an edit changes only the positions of grams on the line it edits.

        Only the chosen grams' occurrences are gathered, so the work and memory follow them, not the level;
        and only one batch's bytes are held at a time (all of them are 0.1 GB at 10,000 reports).
        """
        if not len(grams):
            return
        # In batches of about POSITIONS_BATCH occurrences, so that the temporaries stay small at any size.
        occ_start = self.pair_start[self.gram_pair_start]
        occ_end = np.append(occ_start[1:], len(self.where))
        for run in arrays.batches(occ_end[grams] - occ_start[grams], POSITIONS_BATCH):
            yield from self._positions(grams[run]).items()

    def _positions(self, grams: np.ndarray) -> dict[int, bytes]:
        # A gram has ``df`` pairs (one per report), a pair ``tf`` occurrences: the selection's ranges follow.
        pairs = arrays.ranges(self.gram_pair_start[grams], self.df[grams])          # the chosen grams' pairs
        tf, pair_doc = self.tf(pairs), self.pair_doc[pairs].astype(np.int32)
        occurrences = arrays.ranges(self.pair_start[pairs], tf)                    # and their occurrences
        # Renumbered within the selection: where each chosen gram's pairs and each pair's occurrences begin.
        sel_gram_pair = arrays.starts(self.df[grams])
        sel_pair_occ = arrays.starts(tf)
        at = self.where[occurrences].astype(np.int64)
        del occurrences
        corpus_line = np.searchsorted(self.line_start, at, side="right") - 1
        index = at - self.line_start[corpus_line]
        line = corpus_line - self.doc_first_line[np.repeat(pair_doc, tf)]
        del at, corpus_line
        line_gaps = _gaps(line, sel_pair_occ)
        # On the line before's: the index as a gap from the one before (the first's "before" is line 0, index 0).
        index_values = np.where(line_gaps == 0, _gaps(index, sel_pair_occ), index)
        doc_gaps = _gaps(pair_doc, sel_gram_pair)
        heads = np.column_stack((doc_gaps, tf.astype(np.int64))).ravel()
        stream = np.insert(np.column_stack((line_gaps, index_values)).ravel(), np.repeat(2 * sel_pair_occ, 2), heads)
        del line_gaps, index_values, index, line, heads
        gram_at = 2 * sel_pair_occ[sel_gram_pair] + 2 * sel_gram_pair
        data, at = varint_array(stream, gram_at)
        ends = np.append(at[1:], len(data))
        return {g: data[at[i]:ends[i]] for i, g in enumerate(grams.tolist())}
