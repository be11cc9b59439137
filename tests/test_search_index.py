"""The search index, decoded in Python and compared with the report texts by brute force."""

from __future__ import annotations

import gzip
import json
from collections import defaultdict
from itertools import accumulate

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from converter import search_grams, search_index, varint
from converter.searchfold import char_table, fold_chars, table_for_browser
from searchcorpus import folded_lines, report_files, search_docs

PREFIX = "search-data/"


@pytest.fixture(scope="module")
def docs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("reports")
    report_files(folder)
    docs = search_index.order(search_docs(folder))
    assert len(docs) == 32
    return docs


def read_varints(data: bytes, i: int, count: int) -> tuple[list[int], int]:
    out = []
    for _ in range(count):
        value = shift = 0
        while True:
            byte = data[i]
            i += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                break
        out.append(value)
    return out, i


def decode(files: dict[str, bytes]):
    """gram → (docs, scores, positions or None, head or None, posting in its own file), read the way search.js reads it."""
    manifest = json.loads(files[PREFIX + "manifest.json"])
    grams = {}
    for b in range(manifest["buckets"]):
        path = f"{PREFIX}b/{b}.bin"
        if path not in files:
            continue
        data = gzip.decompress(files[path])
        (count,), i = read_varints(data, 0, 1)
        where = {}
        if f"{PREFIX}x/{b}.bin" in files:
            xdata = gzip.decompress(files[f"{PREFIX}x/{b}.bin"])
            j = 0
            while j < len(xdata):
                (slot, size), j = read_varints(xdata, j, 2)
                where[slot] = xdata[j:j + size] if size else gzip.decompress(files[f"{PREFIX}x/{b}-{slot}.bin"])
                j += size
        for slot in range(count):
            (size,), i = read_varints(data, i, 1)
            key = data[i:i + size].decode("utf-8")
            i += size
            (df, mode), i = read_varints(data, i, 2)
            head = None
            if mode & 4:  # the posting's best reports: count, report ids, score bytes
                (size,), i = read_varints(data, i, 1)
                raw, i = data[i:i + size], i + size
                (n,), j = read_varints(raw, 0, 1)
                ids, j = read_varints(raw, j, n)
                head = list(zip(ids, raw[j:j + n]))
                assert j + n == len(raw)
            if mode & 1:
                posting = gzip.decompress(files[f"{PREFIX}p/{b}-{slot}.bin"])
            else:
                (size,), i = read_varints(data, i, 1)
                posting, i = data[i:i + size], i + size
            gaps, k = read_varints(posting, 0, df)
            doc_ids = list(accumulate(gaps))
            scores = list(posting[k:k + df])
            assert k + df == len(posting)
            assert search_index.fnv1a(key) % manifest["buckets"] == b
            positions = None
            if mode & 2:
                positions, j, doc = {}, 0, 0
                raw = where[slot]
                while j < len(raw):  # per occurrence: line gap, then its index (a gap on the same line)
                    (gap, n), j = read_varints(raw, j, 2)
                    doc += gap
                    values, j = read_varints(raw, j, 2 * n)
                    places, line, index = [], 0, 0
                    for line_gap, value in zip(values[::2], values[1::2]):
                        index = index + value if line_gap == 0 else value
                        line += line_gap
                        places.append((line, index))
                    positions[doc] = places
            grams[key] = (doc_ids, scores, positions, head, bool(mode & 1))
        assert i == len(data), f"bucket {b} read to its end"
    return manifest, grams


def brute_force(docs, max_gram: int):
    """gram → {doc id: (occurrences, flags)} and gram → {doc id: (line, index in it)} for the longest grams."""
    found: dict = defaultdict(dict)
    offsets: dict = defaultdict(lambda: defaultdict(list))
    for doc_id, d in enumerate(docs):
        for k, (line, kind) in enumerate(zip(folded_lines(d), d.kinds)):
            flag = search_grams.IN_TITLE if kind == "title" else search_grams.IN_HEADING if kind == "heading" else 0
            for n in range(search_index.MIN_GRAM, max_gram + 1):
                for i in range(len(line) - n + 1):
                    g = line[i:i + n]
                    if any(c.isspace() for c in g):
                        continue
                    tf, flags = found[g].get(doc_id, (0, 0))
                    found[g][doc_id] = (tf + 1, flags | flag)
                    if n == max_gram:
                        offsets[g][doc_id].append((k, i))
    return found, offsets


@pytest.mark.parametrize("max_gram,rare_below,batch,varints", [(3, 2, None, None), (4, 3, None, None), (4, 3, 5, 7),
                                                              (search_index.MAX_GRAM, search_index.RARE_BELOW, None, 5)])
def test_every_posting_is_exact_and_every_missing_gram_has_a_rare_part(docs, max_gram, rare_below, batch, varints,
                                                                      monkeypatch):
    if batch:  # postings and positions encoded a few grams at a time, occurrences sorted a few at a time, as a large archive has them
        monkeypatch.setattr(search_grams, "POSITIONS_BATCH", batch)
        monkeypatch.setattr(search_grams, "SORT_PIECE", batch)
    if varints:  # and numbers a few at a time, so that postings and groups straddle the batches
        monkeypatch.setattr(varint, "BATCH", varints)
    files = search_index.build_index(docs, max_gram=max_gram, rare_below=rare_below)
    manifest, grams = decode(files)
    assert (manifest["maxGram"], manifest["rareBelow"], manifest["reports"]) == (max_gram, rare_below, len(docs))
    found, offsets = brute_force(docs, max_gram)
    df = {g: len(v) for g, v in found.items()}
    for g, (doc_ids, scores, positions, *_) in grams.items():
        expected = found[g]
        assert doc_ids == sorted(expected), g
        for doc_id, score in zip(doc_ids, scores):
            tf, flags = expected[doc_id]
            assert score == min(tf, search_grams.TF_MAX) | flags, (g, doc_id)
        if len(g) == max_gram and len(doc_ids) >= rare_below:
            assert positions == {d: sorted(o) for d, o in offsets[g].items()}, g
        else:
            assert positions is None
    # The rule the browser relies on: a gram the index leaves out has a part in fewer than
    # rare_below reports (so few texts need checking), or it could not have been left out.
    left_out = {g for g in found if g not in grams}
    for g in left_out:
        assert df[g[:-1]] < rare_below or df[g[1:]] < rare_below, g
    assert not [g for g in left_out if len(g) == search_index.MIN_GRAM], "every bigram is kept"
    if max_gram < search_index.MAX_GRAM:
        assert left_out and any(p is not None for _, _, p, *_ in grams.values()), "the small settings reach every path"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2), st.integers(1, 4)), min_size=1, max_size=40), st.booleans())
def test_a_piece_is_sorted_stably_by_gram_whether_or_not_its_numbers_pack(steps_and_chars, wide):
    """``_piece_order`` packs rank, character and place into one number where they fit; where the ranks span too
    far (``wide``) it sorts by argsort. Either way: the stable order by (rank, character), and equal numbers
    exactly where grams are equal."""
    steps, chars = zip(*steps_and_chars)
    ranks = np.cumsum(np.array(steps, dtype=np.int64))  # a piece's shorter grams, ascending, as they come
    if wide:
        ranks[len(ranks) // 2:] += 1 << 47
    added = np.array(chars, dtype=np.uint16)
    order, codes = search_grams._piece_order(ranks, added)
    grams = [(int(r), int(c)) for r, c in zip(ranks, added)]
    expected = sorted(range(len(grams)), key=grams.__getitem__)  # Python's sort is stable
    assert order.tolist() == expected
    in_order = [grams[k] for k in expected]
    assert [a != b for a, b in zip(codes.tolist(), codes.tolist()[1:])] == \
        [a != b for a, b in zip(in_order, in_order[1:])]


@pytest.mark.parametrize("own_file_from", [search_index.OWN_FILE_FROM, 40])
def test_a_posting_in_its_own_file_has_its_first_results_in_the_bucket(docs, own_file_from):
    """The head is the browser's first page for the gram alone: best score byte first (title, heading,
    then occurrences), then lower report id; it is there exactly when the posting is not."""
    files = search_index.build_index(docs, max_gram=3, rare_below=2, own_file_from=own_file_from)
    manifest, grams = decode(files)
    assert manifest["head"] == search_index.HEAD
    heads = {g: h for g, (*_, h, _) in grams.items() if h is not None}
    for g, (doc_ids, scores, _, head, own) in grams.items():
        assert (head is not None) == own, f"{g}: a head exactly when the posting is in a file of its own"
        if own:
            best = sorted(zip(doc_ids, scores), key=lambda pair: (-pair[1], pair[0]))[:search_index.HEAD]
            assert head == best, g
    assert len(heads) == len([p for p in files if p.startswith(PREFIX + "p/")])
    if own_file_from < search_index.OWN_FILE_FROM:
        assert len(heads) > 100 and any(len(h) == search_index.HEAD for h in heads.values())
        ranked = [h for h in heads.values() if any(s & search_grams.IN_TITLE for _, s in h)]
        assert ranked and all(h[0][1] & search_grams.IN_TITLE for h in ranked), "a title match comes first"


def test_reports_numbered_in_four_bytes_make_the_same_index(docs, monkeypatch):
    """From 65,536 reports on, each character's report takes 4 bytes: the index is the one 2 bytes make."""
    narrow = search_index.build_index(docs, max_gram=4, rare_below=3)
    monkeypatch.setattr(search_grams, "TWO_BYTE_REPORTS", 0)
    assert search_grams.Corpus(docs).doc.dtype == "int32"
    assert search_index.build_index(docs, max_gram=4, rare_below=3) == narrow


def test_index_is_deterministic_and_ordered(docs):
    first = search_index.build_index(list(reversed(docs)))
    second = search_index.build_index(docs)
    assert first == second
    manifest = json.loads(first[PREFIX + "manifest.json"])
    years = [d.year for d in search_index.order(docs)]
    assert years == sorted(years, reverse=True)
    assert manifest["years"] == sorted({y for y in years if y}, reverse=True)


def test_an_index_that_lets_the_texts_go_is_the_same_index(docs):
    """The build's own process lets each report's text go once the corpus holds it: the files are the same,
    and the documents it was given keep their records, in their order, without their texts."""
    given = list(reversed(docs))
    released = search_index.build_index(given, max_gram=3, rare_below=2, release_texts=True)
    assert released == search_index.build_index(docs, max_gram=3, rare_below=2)
    assert [d.slug for d in given] == [d.slug for d in reversed(docs)]
    assert all(d.lines == () and d.kinds == () for d in given)
    assert given == [d.without_text() for d in reversed(docs)] and any(d.lines for d in docs)


def test_display_records_texts_and_filters_match_the_reports(docs):
    files = search_index.build_index(docs)
    manifest = json.loads(files[PREFIX + "manifest.json"])
    facets = gzip.decompress(files[PREFIX + "facets.bin"])
    assert len(facets) == 3 * len(docs)
    for doc_id, d in enumerate(docs):
        block = json.loads(gzip.decompress(files[f"{PREFIX}m/{doc_id // manifest['metaBlock']}.bin"]))
        assert block[doc_id % manifest["metaBlock"]] == [d.slug, d.title, d.unit, d.town, d.province, d.year, d.level]
        text = json.loads(gzip.decompress(files[f"{PREFIX}t/{doc_id}.bin"]))
        assert text["l"] == list(d.lines) and len(text["k"]) == len(d.lines)
        p, y, lv = facets[3 * doc_id:3 * doc_id + 3]
        assert manifest["provinces"][p] == d.province and manifest["levels"][lv] == d.level
        assert (manifest["years"][y - 1] if y else 0) == d.year


def test_fold_is_one_to_one_and_covers_script_width_and_case():
    assert fold_chars("羅店鎮") == "罗店镇"
    assert fold_chars("２０２２年ＰＰＰ項目") == "2022年ppp项目"
    sample = "關於２０２３年法治政府建設情況的報告（Ａ）"
    assert len(fold_chars(sample)) == len(sample)
    pairs = table_for_browser()
    assert len(pairs) % 2 == 0 and "羅罗" in pairs and "２2" in pairs


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(sorted(char_table()) + list("法治政府建设abc 123\n\\[]^-《》")), max_size=60)
    | st.text(max_size=40))
def test_fold_changes_each_character_by_the_table_and_no_other(text):
    # The table, looked up character by character, is the specification; the regex only finds where to look.
    assert fold_chars(text) == text.translate({ord(k): v for k, v in char_table().items()})


def test_a_gram_is_never_cut_across_a_space_or_line(docs):
    files = search_index.build_index(docs, max_gram=3, rare_below=2)
    _, grams = decode(files)
    assert not [g for g in grams if any(c.isspace() for c in g)]


def test_freed_memory_goes_back_to_the_system_where_the_c_library_allows():
    """The index frees arrays of megabytes between levels; on glibc (CI's Debian, most Linux) they must be
    handed back, or a build at 10,000 reports holds 0.3 GB more. The lookup must not fail silently there."""
    import platform

    from converter.workers import release_freed_memory

    assert release_freed_memory() is (platform.libc_ver()[0] == "glibc")
