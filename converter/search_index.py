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
  the windows' *positions* (stored for the frequent ``MAX_GRAM``-grams, each as
  its line and its index in that line, so that an edit moves only its line's).
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

import hashlib
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from typing import Callable, Sequence

import numpy as np
from isal import igzip

from .varint import varints
from .gazetteer import province_order
from .searchfold import table_for_browser
from .search_grams import Corpus
from .spill import Place, Spill, temporary
from .workers import release_freed_memory

MIN_GRAM = 1  # single characters are real queries (畲, 彝)
MAX_GRAM = 6
RARE_BELOW = 16          # a posting this short is verified against report texts in the browser
BUCKET_TARGET = 8_000   # bytes of postings aimed at per bucket, before compression
OWN_FILE_FROM = 4_096    # a posting at least this long (bytes) is stored in a file of its own
HEAD = 10                # best reports kept in the bucket for a posting in a file of its own (search.js PAGE)
META_BLOCK = 8          # reports per display-record file
FORMAT = 3  # 2: heads in buckets; 3: positions by line and index in it
FOLDER = "search-data"  # the index's folder in the site: every file of it is there, and nothing else



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

    def without_text(self) -> "SearchDoc":
        """Its display record alone: what the index needs of it once its text is in the corpus and its file."""
        return replace(self, lines=(), kinds=())


def fnv1a(text: str) -> int:
    h = 0x811C9DC5
    for byte in text.encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


# ISA-L's deflate (``isal``) at its level 2 packs the index's files a little smaller than zlib's level 4 did, in
# a quarter of the time: 3.4 s rather than 13 s of one core for the 80,000 files of 10,000 reports, where packing
# had been a sixth of the whole index's making. Any gzip reader inflates it; ``mtime=0`` keeps it deterministic.
GZIP_LEVEL = 2


def _gz(data: bytes) -> bytes:
    return igzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)


def order(docs: Sequence[SearchDoc]) -> list[SearchDoc]:
    """The reports in id order, which is also the order of results without a query: newest year first."""
    return sorted(docs, key=lambda d: (-(d.year or 0), d.province, d.unit, d.slug))


def build_index(docs: list[SearchDoc], prefix: str = FOLDER + "/", *,
                max_gram: int = MAX_GRAM, rare_below: int = RARE_BELOW,
                own_file_from: int = OWN_FILE_FROM, release_texts: bool = False,
                keep_hashes: dict[str, bytes] | None = None,
                keep_texts: list[bytes] | None = None) -> dict[str, bytes]:
    """All files of the search index: path (under ``prefix``) → content (gzip, except the manifest).

    ``max_gram``, ``rare_below`` and ``own_file_from`` trade index size against transfer per
    query; the browser reads what it needs from the manifest and the buckets. Tests lower them
    to reach every query path with few reports.

    With ``release_texts``, each document of ``docs`` (the caller's list) is replaced by its display record
    (``SearchDoc.without_text``) once its text is in its file and in the corpus: the texts (0.16 GB at
    10,000 reports) are then not held while the levels are made, when the index needs the most memory.
    ``keep_hashes`` is given every file's ``file_hash`` but the manifest's, and ``keep_texts`` each report's
    ``short_digest`` in id order (for ``search_update``).
    """
    if max_gram < MIN_GRAM or rare_below < 1 or own_file_from < 1:
        raise ValueError(f"max_gram must be at least {MIN_GRAM}, rare_below and own_file_from at least 1")
    ordered = order(docs)
    files: dict[str, bytes] = {}
    with temporary() as spill:
        # Each report's text file is made first, so that its text can go, and set aside until the levels are made.
        texts = []
        for d in ordered:
            raw = text_json(d)
            texts.append(spill.put(_gz(raw)))
            if keep_texts is not None:
                keep_texts.append(short_digest(raw))
        corpus = Corpus(ordered)
        if release_texts:
            docs[:] = [d.without_text() for d in docs]
            ordered = [d.without_text() for d in ordered]  # the same records, in the same order
            release_freed_memory()
        # The corpus (0.5 GB at 10,000 reports) lives only while the levels are made, not while buckets are written.
        entries = _levels(corpus, spill, max_gram, rare_below, own_file_from)
        del corpus
        gram_count = len(entries)
        bucket_count, own_files, position_files, size = _buckets(entries, files, spill, prefix, own_file_from)
        for doc_id, place in enumerate(texts):
            files[f"{prefix}t/{doc_id}.bin"] = spill.get(place)

    files.update(record_files(ordered, prefix))
    hashes = {path: file_hash(content) for path, content in files.items()}
    stats = {"grams": gram_count, "ownFiles": own_files, "positionFiles": position_files, "size": size}
    files[f"{prefix}manifest.json"] = manifest(ordered, hashes, max_gram=max_gram, rare_below=rare_below,
                                               buckets=bucket_count, stats=stats)
    if keep_hashes is not None:
        keep_hashes.update(hashes)
    return dict(sorted(files.items()))


def record_files(ordered: Sequence[SearchDoc], prefix: str) -> dict[str, bytes]:
    """The files made from the reports' display records, not their texts: filters, records, and the fold table."""
    provinces, levels, years = _facet_values(ordered)
    year_codes = {y: i + 1 for i, y in enumerate(years)}
    facets = bytearray()
    for d in ordered:
        facets += bytes([provinces.index(d.province), year_codes.get(d.year, 0), levels.index(d.level)])
    files = {f"{prefix}facets.bin": _gz(bytes(facets))}
    for start in range(0, len(ordered), META_BLOCK):
        block = [[d.slug, d.title, d.unit, d.town, d.province, d.year or 0, d.level]
                 for d in ordered[start:start + META_BLOCK]]
        files[f"{prefix}m/{start // META_BLOCK}.bin"] = _gz(_json(block))
    files[f"{prefix}fold.bin"] = _gz(table_for_browser().encode("utf-8"))
    return files


def _facet_values(ordered: Sequence[SearchDoc]) -> tuple[list[str], list[str], list[int]]:
    provinces = sorted({d.province for d in ordered}, key=province_order)  # the official order, as everywhere
    levels = sorted({d.level for d in ordered})
    years = sorted({d.year for d in ordered if d.year}, reverse=True)
    return provinces, levels, years


def short_digest(raw: bytes) -> bytes:
    """A short digest of a report's text file (``text_json``) or of the reports' order, to find what changed."""
    return hashlib.blake2b(raw, digest_size=16).digest()


def file_hash(content: bytes) -> bytes:
    return hashlib.sha256(content).digest()


def manifest(ordered: Sequence[SearchDoc], hashes: dict[str, bytes], *, max_gram: int, rare_below: int,
             buckets: int, stats: dict[str, int]) -> bytes:
    """The manifest: the index's settings, filter values and counts, and a version that names every other file's
    content (``hashes``: path → ``file_hash``), so that a browser never mixes files of two indexes."""
    digest = hashlib.sha256()
    for path in sorted(hashes):
        digest.update(path.encode() + b"\0" + hashes[path])
    provinces, levels, years = _facet_values(ordered)
    value = {
        "format": FORMAT, "version": digest.hexdigest()[:16], "reports": len(ordered),
        "minGram": MIN_GRAM, "maxGram": max_gram, "rareBelow": rare_below, "buckets": buckets, "head": HEAD,
        "metaBlock": META_BLOCK, "provinces": provinces, "levels": levels, "years": years,
        "counts": {"province": _counts(ordered, lambda d: d.province), "level": _counts(ordered, lambda d: d.level),
                   "year": _counts(ordered, lambda d: str(d.year or ""))},
        "stats": stats,
    }
    return json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8")


def _levels(corpus: Corpus, spill: Spill, max_gram: int, rare_below: int, own_file_from: int) -> list[tuple]:
    """Every level's kept grams, in gram order: (gram, df, posting's place in ``spill``, positions' place, head).

    Postings and positions are made level by level and set aside in ``spill`` until their bucket is written.
    """
    entries: list[tuple[str, int, Place, Place | None, bytes | None]] = []  # gram, df, posting, positions, head
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
        positions = {g: spill.put(where) for g, where in level.positions(located)}
        heads = level.heads(kept[np.array([len(p) >= own_file_from for p in postings], dtype=bool)], HEAD)
        for g, first, df, posting in zip(kept.tolist(), level.first[kept].tolist(), level.df[kept].tolist(),
                                        postings):
            entries.append((corpus.spell(n, first), df, spill.put(posting), positions.get(g), heads.get(g)))
        df_shorter = level.df
        del level, postings, positions, heads
        release_freed_memory()
    entries.sort(key=lambda e: e[0])
    return entries


def _buckets(entries: list[tuple], files: dict[str, bytes], spill: Spill, prefix: str,
             own_file_from: int) -> tuple[int, int, int, int]:
    """The buckets, and the postings and positions too large for them, written into ``files``; how many
    buckets, posting files and position files, and the size of their entries (``entry_size``), which sets the
    number of buckets (``buckets_for``)."""
    total = sum(entry_size(gram, posting.length, head, own_file_from) for gram, _, posting, _, head in entries)
    bucket_count = buckets_for(total)
    buckets: dict[int, list] = defaultdict(list)
    for e in entries:
        buckets[fnv1a(e[0]) % bucket_count].append(e)
    own_files = position_files = 0
    for b in sorted(buckets):
        members = [(gram, df, spill.get(posting_at), spill.get(positions_at) if positions_at is not None else None,
                    head) for gram, df, posting_at, positions_at, head in buckets.pop(b)]
        made, own, located = encode_bucket(b, members, prefix, own_file_from)
        files.update(made)
        own_files += own
        position_files += located
    return bucket_count, own_files, position_files, total


def entry_size(gram: str, posting_length: int, head: bytes | None, own_file_from: int) -> int:
    """What a gram adds to the buckets' size, roughly: its key, its counts, and its posting or only its head."""
    return len(gram) * 3 + 4 + (posting_length if posting_length < own_file_from else len(head or b""))


def buckets_for(total: int) -> int:
    """How many buckets hold ``total`` bytes of entries: about one per ``BUCKET_TARGET``, rounded down to a step of
    a fixed ladder (each about 9 % above the last). A change to a few reports then almost never changes the
    number, so the index can be updated bucket by bucket (``search_update``) and still equal one made whole."""
    target = max(1, total // BUCKET_TARGET)
    count = 1
    while count + max(1, count // 11) <= target:
        count += max(1, count // 11)
    return count


def encode_bucket(b: int, members: list[tuple], prefix: str, own_file_from: int,
                  gz: Callable[[bytes], bytes] | None = None) -> tuple[dict[str, bytes], int, int]:
    """Bucket ``b``'s files: the bucket, its postings and positions too large for it. ``members``: (gram, df,
    posting, positions or None, head or None) in gram order. Also how many posting and position files.
    ``gz`` compresses as ``_gz`` does (an update passes one that reuses what it read)."""
    gz = gz or _gz
    files: dict[str, bytes] = {}
    out = bytearray(varints([len(members)]))
    where = bytearray()
    own_files = position_files = 0
    for i, (gram, df, posting, positions, head) in enumerate(members):
        key = gram.encode("utf-8")
        own = len(posting) >= own_file_from
        mode = (1 if own else 0) | (2 if positions is not None else 0) | (4 if head is not None else 0)
        out += varints([len(key)]) + key + varints([df, mode])
        if head is not None:
            out += varints([len(head)]) + head
        if own:
            files[f"{prefix}p/{b}-{i}.bin"] = gz(posting)
            own_files += 1
        else:
            out += varints([len(posting)]) + posting
        if positions is not None:
            if len(positions) >= own_file_from:
                files[f"{prefix}x/{b}-{i}.bin"] = gz(positions)
                position_files += 1
                where += varints([i, 0])
            else:
                where += varints([i, len(positions)]) + positions
    files[f"{prefix}b/{b}.bin"] = gz(bytes(out))
    if where:
        files[f"{prefix}x/{b}.bin"] = gz(bytes(where))
    return files, own_files, position_files


def text_json(doc: SearchDoc) -> bytes:
    """A report's text file before compression: its line kinds (one letter each) and its lines."""
    return _json({"k": "".join(_kind_code(k) for k in doc.kinds), "l": list(doc.lines)})


def _kind_code(kind: str) -> str:
    return {"title": "t", "heading": "h", "note": "n"}.get(kind, "p")


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _counts(docs: Sequence[SearchDoc], key) -> dict[str, int]:
    return dict(sorted(Counter(key(d) for d in docs).items()))
