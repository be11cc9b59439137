"""Passages shared across reports: held against a brute-force scan of every 20-character window."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SAMPLES, SEEDS
from converter import arrays, pages
from converter.annotations import compared, passages
from converter.collection import convert_paths
from converter.searchfold import fold_chars

ROOT = Path(__file__).resolve().parent.parent
K = passages.MIN_CHARS


def compared_with_places(text: str) -> tuple[str, list[int]]:
    """The compared form (folded, no whitespace) and, for each of its characters, its place in ``text``."""
    folded = fold_chars(text)
    places = [i for i, c in enumerate(folded) if not c.isspace() and c not in "\u3000\ufeff"]
    return "".join(folded[i] for i in places), places


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """The seeds, the samples and 40 generated reports: recombined real sentences, template text at its densest."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from corpus import generate

    seeds = tmp_path_factory.mktemp("passages") / "seeds"
    seeds.mkdir()
    for f in sorted(SEEDS.glob("*.txt")) + sorted(SAMPLES.glob("*.txt")):
        shutil.copy(f, seeds / f.name)
    generate(seeds / "generated", 40)
    reports, problems = convert_paths([str(seeds)], jobs=1)
    entries = [pages.Entry.of(r) for r in reports]
    return entries, pages.build(entries, problems)


def test_every_listed_passage_occurs_where_it_is_listed_and_every_shared_window_is_inside_one(archive):
    entries, files = archive
    by_slug = {e.slug: e for e in entries}
    listed = json.loads(files["data/passages.json"])
    assert listed, "the generated reports share sentences"
    inside: dict[str, list[tuple[int, int]]] = {}
    for p in listed:
        key = compared_with_places(p["text"])[0]
        assert len(key) >= K and len({r["slug"] for r in p["reports"]}) >= 2
        for r in p["reports"]:
            assert compared_with_places(by_slug[r["slug"]].text[r["start"]:r["end"]])[0] == key
            inside.setdefault(r["slug"], []).append((r["start"], r["end"]))
    forms = {e.slug: compared_with_places(e.text) for e in entries}
    holders: dict[str, set[str]] = {}
    for slug, (form, _) in forms.items():
        for i in range(len(form) - K + 1):
            holders.setdefault(form[i:i + K], set()).add(slug)
    missed = []
    for slug, (form, places) in forms.items():
        spans = inside.get(slug, [])
        for i in range(len(form) - K + 1):
            if len(holders[form[i:i + K]]) >= 2:
                first, last = places[i], places[i + K - 1]
                if not any(s <= first and last < e for s, e in spans):
                    missed.append((slug, form[i:i + K]))
    assert not missed, missed[:5]


def test_the_seeds_that_share_a_sentence_about_the_government_they_build_are_found(archive):
    entries, files = archive
    listed = json.loads(files["data/passages.json"])
    [shared] = [p for p in listed if "主体明确、权责统一、运转协调、廉洁高效" in p["text"]]
    slugs = [r["slug"] for r in shared["reports"]]
    assert slugs[:2] == ["chongqing-dazu-shiwanzhen-2022", "chongqing-youyang-yudixiang-2023"]  # earliest first
    assert shared["text"].startswith("坚持做到责任机制") and len(shared["text"]) >= 40
    page = files["reports/chongqing-youyang-yudixiang-2023.md"].html
    assert re.search(r'<mark class="ann ann-shared"[^>]*>[^<]*坚持做到责任机制', page)
    assert 'class="ann-ref ann-ref--shared"' in page and 'href="../chongqing-dazu-shiwanzhen-2022/"' in page
    assert "另见于" in page and "拾万镇 2022" in page


def test_each_reports_share_of_shared_text_is_what_the_passages_cover(archive):
    entries, files = archive
    covered: dict[str, set[int]] = {}
    for p in json.loads(files["data/passages.json"]):
        for r in p["reports"]:
            covered.setdefault(r["slug"], set()).update(range(r["start"], r["end"]))
    rows = list(csv.DictReader(io.StringIO(files["data/reports.csv"].lstrip("\ufeff"))))
    table = json.loads(files["data/table.json"])
    column = table["columns"].index("shared")
    in_table = {row[0]: row[column] for row in table["rows"]}
    for e in entries:
        chars = [i for i, c in enumerate(e.text) if not c.isspace()]
        expected = round(len(covered.get(e.slug, set()) & set(chars)) / len(chars), 3)
        row = next(r for r in rows if r["slug"] == e.slug)
        assert float(row["shared"]) == pytest.approx(expected, abs=0.0011) == in_table[e.slug]
    assert max(float(r["shared"]) for r in rows) > 0.1  # reports do share text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="甲乙丙丁 \n", max_size=40), min_size=0, max_size=6), st.integers(2, 5))
def test_any_texts_repeats_and_periodic_runs_included_give_exact_passages(texts, width):
    found, shares = passages.find_all(texts, width)
    forms = [compared_with_places(t) for t in texts]
    holders: dict[str, set[int]] = {}
    for r, (form, _) in enumerate(forms):
        for i in range(len(form) - width + 1):
            holders.setdefault(form[i:i + width], set()).add(r)
    spans: dict[int, list[tuple[int, int]]] = {}
    for p in found:
        assert p.reports >= 2
        for r, start, end in p.places:
            assert compared_with_places(texts[r][start:end])[0] == p.key
            spans.setdefault(r, []).append((start, end))
    for r, (form, places) in enumerate(forms):
        covered = set()
        for i in range(len(form) - width + 1):
            if len(holders[form[i:i + width]]) >= 2:
                assert any(s <= places[i] and places[i + width - 1] < e for s, e in spans.get(r, [])), (r, i)
                covered.update(range(i, i + width))
        assert shares[r] == pytest.approx(len(covered) / len(form) if form else 0.0)


def test_each_mark_names_the_earliest_other_holders_of_its_longest_passage_and_counts_them_all(archive):
    from converter.pages.passages import TIP_REPORTS, find_shared

    entries = archive[0]
    shared = find_shared(entries)
    by_slug = {e.slug: r for r, e in enumerate(entries)}
    earliest = sorted(range(len(entries)), key=lambda r: (entries[r].meta.year or 9999, entries[r].slug))
    seen = 0
    for r, e in enumerate(entries):
        for mark in shared.marks.get(e.slug, ()):
            seen += 1
            places = shared.places(mark.body.passage)
            holders = {p[0] for p in places}
            assert r in holders and mark.body.others == len(holders) - 1
            named = [by_slug[s] for s in re.findall(r'<a href="\.\./([^/]+)/">', mark.body.tip)]
            assert named == [o for o in earliest if o in holders and o != r][:TIP_REPORTS]
            assert mark.body.href == f"../{entries[named[0]].slug}/"
            assert any(mark.start <= start and end <= mark.end for p, start, end in places if p == r)
    assert seen > 50


def test_each_mark_spans_a_run_of_overlapping_places_and_shows_its_longest_most_widely_held_first_passage(archive):
    """A report's marks, worked out for every report at once, are what each report's places give one by one:
    a run of places each overlapping the run so far, shown by its longest passage (equally long: the most widely
    held, then the first in the report)."""
    from converter.pages.passages import find_shared

    entries = archive[0]
    shared = find_shared(entries)
    f = shared.found
    spans: dict[int, list[tuple[int, int, int]]] = {}
    for n in range(len(f)):
        for r, start, end in shared.places(n):
            spans.setdefault(r, []).append((start, end, n))
    ties = 0
    for r, e in enumerate(entries):
        runs: list[list[tuple[int, int, int]]] = []
        for span in sorted(spans.get(r, [])):
            if runs and span[0] < max(end for _, end, _ in runs[-1]):
                runs[-1].append(span)
            else:
                runs.append([span])
        marks = shared.marks.get(e.slug, ())
        assert [(m.start, m.end) for m in marks] == [(run[0][0], max(end for _, end, _ in run)) for run in runs]
        for mark, run in zip(marks, runs):
            best = max(run, key=lambda s: (s[1] - s[0], int(f.reports[s[2]]), -run.index(s)))
            ties += sum(s[1] - s[0] == best[1] - best[0] for s in run) > 1
            assert mark.body.passage == best[2]
    assert ties > 5, "runs whose longest passages tie are among them"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="甲乙丙丁 \n", max_size=40), min_size=2, max_size=6), st.integers(2, 5))
def test_windows_whose_hashes_collide_never_list_a_report_for_a_text_it_does_not_hold(texts, width):
    from unittest import mock

    def colliding(points, width, at=None):  # the sum of a window's characters, mod 5: texts collide all the time
        if at is None:
            at = passages.np.arange(max(len(points) - width + 1, 0))
        return sum(points[at + j].astype("uint64") for j in range(width)) % 5 if len(at) else passages.np.zeros(0, "uint64")

    with mock.patch.object(passages, "window_hashes", colliding):
        found, _ = passages.find_all(texts, width)
    for p in found:
        assert len({r for r, _, _ in p.places}) == p.reports >= 2
        for r, start, end in p.places:
            assert compared_with_places(texts[r][start:end])[0] == p.key


def _two_reports(tmp_path, body: str) -> list:
    """Two reports, of two places and years, each with ``body`` after its title."""
    from converter import convert_file

    entries = []
    for n, name in enumerate(("chongqing-dazu-shiwanzhen-2022.txt", "chongqing-youyang-yudixiang-2023.txt")):
        path = tmp_path / name
        path.write_text(f"关于202{2 + n}年法治政府建设情况的报告\n\n{body}", encoding="utf-8")
        entries.append(pages.Entry.of(convert_file(str(path))))
    return entries


def test_a_hostile_shared_passage_shows_literally_on_both_pages_and_the_list(tmp_path):
    evil = "<script>alert(1)</script>全面推进依法行政工作，<img src=x onerror=alert(2)>持续深化法治政府建设工作"
    entries = _two_reports(tmp_path, f"一、主要成效\n\n{evil}\n")
    files = pages.build(entries)
    for e in entries:
        page = files[f"reports/{e.slug}.md"].html
        assert "ann-shared" in page and "<script" not in page and "<img" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    listing = files["passages.md"]
    assert "<script" not in listing and "&lt;script&gt;" in listing
    assert any("<script>alert(1)</script>" in p["text"] for p in json.loads(files["data/passages.json"]))


def test_passages_json_written_piece_by_piece_is_what_json_dumps_writes_for_hostile_text(tmp_path):
    from converter.pages.passages import find_shared, passages_data

    evil = '全面推进依法行政工作"引号"与反斜杠\\与\u2028分隔</script><script>alert(1)</script>持续深化法治政府建设工作'
    entries = _two_reports(tmp_path, f"一、主要成效\n\n{evil}\n")
    shared = find_shared(entries)
    written = passages_data(shared, entries)
    expected = [{"text": entries[shared.places(n)[0][0]].text[shared.places(n)[0][1]:shared.places(n)[0][2]],
                 "reports": [{"slug": entries[r].slug, "start": a, "end": b} for r, a, b in shared.places(n)]}
                for n in range(len(shared.found))]
    assert written == json.dumps(expected, ensure_ascii=False, separators=(",", ":")) + "\n"
    assert any('"引号"与反斜杠\\与\u2028' in p["text"] for p in json.loads(written))


@pytest.mark.parametrize("size", [1, 2, 7, 4096])
def test_passages_json_in_pieces_of_any_size_is_what_the_build_wrote_and_json_dumps_writes(archive, size, tmp_path):
    from converter.pages import _streamed
    from converter.pages.passages import PassagesFile, find_shared, passages_pieces

    entries, files = archive
    shared = find_shared(entries)
    assert len(shared.found) > 2 * 7
    expected = [{"text": entries[shared.places(n)[0][0]].text[shared.places(n)[0][1]:shared.places(n)[0][2]],
                 "reports": [{"slug": entries[r].slug, "start": a, "end": b} for r, a, b in shared.places(n)]}
                for n in range(len(shared.found))]
    whole = json.dumps(expected, ensure_ascii=False, separators=(",", ":")) + "\n"
    listed = PassagesFile.of(shared, entries)
    pieces = list(passages_pieces(listed, size))
    assert "".join(pieces) == whole == files["data/passages.json"]
    # A piece holds at most ``size`` places, or a single passage (which may hold more).
    assert all(p.count('"slug":') <= size or p.count('"text":') == 1 for p in pieces)
    assert len(pieces) > 3 if size < 4096 else len(pieces) == 3
    written = _streamed(tmp_path, "data/passages.json", passages_pieces(listed, size))
    assert written == {"data/passages.json": tmp_path / "data" / "passages.json"}
    assert (tmp_path / "data" / "passages.json").read_bytes() == whole.encode("utf-8")


def test_a_passage_across_a_heading_is_marked_in_both_with_one_tooltip_and_no_id_twice(archive, tmp_path):
    entries = _two_reports(tmp_path, "一、主要成效\n\n全面推进依法行政工作，持续深化法治政府建设工作，取得了明显成效。\n")
    page = pages.build(entries)[f"reports/{entries[1].slug}.md"].html
    heading = next(line for line in page.split("\n") if line.startswith("<h2"))
    assert '<mark class="ann ann-shared"' in heading and "另见" not in heading
    assert page.count("ann-ref--shared") == 1
    for e in archive[0] + entries:
        made = pages.build([e])[f"reports/{e.slug}.md"] if e in entries else archive[1][f"reports/{e.slug}.md"]
        ids = re.findall(r'\bid="([^"]+)"', made.html)
        assert len(ids) == len(set(ids)), e.slug


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([0, 1, 5, 1 << 40, (1 << 40) + 3, (1 << 63) + 7, (1 << 64) - 1]), max_size=60),
       st.data())
def test_windows_are_grouped_by_hash_in_text_order_as_a_stable_argsort_would_group_them(values, data):
    hashes = passages.np.array(values, dtype="uint64")
    windows = passages.np.array(sorted(data.draw(st.sets(st.integers(0, max(len(values) - 1, 0)), max_size=len(values)))),
                                dtype="int64") if values else passages.np.zeros(0, "int64")
    expected = windows[passages.np.argsort(hashes[windows], kind="stable")]
    assert passages._grouped(hashes, windows).tolist() == expected.tolist()


def test_an_archive_too_large_to_sort_at_once_finds_the_same_passages_partition_by_partition_and_batch_by_batch(archive):
    """Large archives are hashed in batches of texts and sorted a partition of windows at a time (by the top bits
    of their hashes): made small here, so that 40-odd reports take 64 partitions and a batch or two each, they
    must find exactly what one sort of everything finds."""
    from unittest import mock

    texts = [e.text for e in archive[0]]
    whole, whole_shares = passages.find_columns(texts)
    assert passages._partitions(passages.np.zeros(100, "uint32"), K, 81, 81)[1] == 1  # small archives: one partition
    with mock.patch.object(passages, "PART_WINDOWS", 1 << 10), mock.patch.object(passages, "CHUNK", 1 << 10), \
            mock.patch.object(compared, "FOLD_BATCH", 1 << 10), \
            mock.patch.object(passages, "MAX_PARTS", 64):
        points, lengths, _ = compared.compared_all(texts)
        part, parts = passages._partitions(points, K, len(points) - K + 1, len(points) - K + 1)
        assert parts == 64 and len(set(part.tolist())) == 64  # every partition holds windows
        assert len(arrays.batches(passages.np.array([len(t) for t in texts]), compared.FOLD_BATCH)) > 15
        parted, parted_shares = passages.find_columns(texts)
    assert len(whole) > 30 and parted.keys == whole.keys and parted_shares == whole_shares
    for column in ("reports", "bounds", "report", "start", "end"):
        assert getattr(parted, column).tolist() == getattr(whole, column).tolist(), column


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet="甲乙丙丁戊\u3000 \n\t\ufeff", max_size=12), max_size=8), st.integers(1, 9))
def test_every_compared_character_spells_its_text_and_finds_its_place_batch_by_batch(texts, chunk):
    """The compared forms, as ids, spell what the fold leaves without spaces, and each character's origin is
    its place in its own text: texts that begin or end with spaces, are empty or all spaces, and batches
    that cut between texts included."""
    from unittest import mock

    with mock.patch.object(compared, "FOLD_BATCH", chunk):
        ids, lengths, solid = compared.compared_all(texts)
    at = 0
    for text, length in zip(texts, lengths.tolist()):
        form, places = compared_with_places(text)
        assert length == len(form) and solid.spell(ids[at:at + length]) == form
        assert solid.origin(passages.np.arange(at, at + length)).tolist() == places
        at += length
    assert at == len(ids)


def test_more_characters_than_two_bytes_number_take_four():
    wide = "".join(map(chr, [*range(0x3400, 0x4DC0), *range(0x4E00, 0xA000), *range(0x20000, 0x2A6E0)]))
    ids, _, solid = compared.compared_all(["甲乙丙", wide])
    assert ids.dtype == passages.np.uint32 and len(solid.alphabet) > 1 << 16
    assert solid.spell(ids) == "甲乙丙" + compared_with_places(wide)[0]




def test_a_change_that_renumbers_passages_leaves_the_marks_of_reports_it_does_not_touch_alike(archive):
    """Passages are numbered by how widely they are held, so a passage new to two reports renumbers those held
    as widely; a report that holds none of what changed keeps marks equal in every way its page and its cache
    key see (ids, counts, tooltips, links), so its page is not made again."""
    from dataclasses import replace

    from converter.pages.passages import find_shared

    entries = archive[0]
    before = find_shared(entries)
    added = "\n本乡今年新设的调解工作室由三名退休法官轮流值守，每周接待群众不少于两次。"
    changed = {0, 1}
    after = find_shared([replace(e, text=e.text + added) if r in changed else e for r, e in enumerate(entries)])
    renumbered = same = 0
    for r, e in enumerate(entries):
        if r in changed:
            continue
        old, new = before.marks.get(e.slug, ()), after.marks.get(e.slug, ())
        assert new == old and repr(new) == repr(old), e.slug
        assert after.marks.identity(e.slug) == before.marks.identity(e.slug), "and the cache key's part of them"
        same += bool(old)
        renumbered += any(a.body.passage != b.body.passage for a, b in zip(old, new))
    assert same > 20 and renumbered > 0, "the change renumbered passages of reports it did not touch"
    # The marks' identity in a page's key differs wherever the marks do: the reports the change touched, and those
    # whose passages it made more widely held (their tooltips count one report more).
    differ = [r for r, e in enumerate(entries)
              if repr(before.marks.get(e.slug, ())) != repr(after.marks.get(e.slug, ()))]
    assert set(differ) >= changed
    for r in differ:
        assert before.marks.identity(entries[r].slug) != after.marks.identity(entries[r].slug), entries[r].slug
    # Worked out for every report at once (as a build does), each identity is the one worked out alone.
    for shared in (before, after):
        assert shared.marks.identities() == {e.slug: shared.marks.identity(e.slug) for e in entries}


def test_a_marks_identity_names_every_thing_its_marks_show(archive):
    """Each part of a mark (where it starts and ends, its longest passage, how many other reports hold it, the
    links its tooltip names and the report it points to) changes the identity a page's cache key holds."""
    from converter.pages.passages import find_shared

    shared = find_shared(archive[0])
    marks = shared.marks
    slug = next(e.slug for e in archive[0] if len(marks.get(e.slug, ())) >= 2)
    r = marks.index[slug]
    first = int(marks.by_report[r])
    seen = {marks.identity(slug)}
    for row in range(5):  # start, end, passage, the passage's start and end
        marks.columns[row, first] += 1
        seen.add(marks.identity(slug))
        marks.columns[row, first] -= 1
    n = int(marks.columns[2, first])
    links = list(marks.links)
    other = next(o for o in marks.holders[marks.holder_bounds[n]:marks.holder_bounds[n + 1]].tolist() if o != r)
    marks.links[other] = links[other] + "改"
    seen.add(marks.identity(slug))
    marks.links[other], marks.slugs[other] = links[other], marks.slugs[other] + "-x"
    seen.add(marks.identity(slug))
    assert len(seen) == 8 and marks.identity("no-such-report") == ""
    assert marks.identities()[slug] == marks.identity(slug)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 70000), min_size=2, max_size=60), st.integers(1, 24), st.data())
def test_a_window_hash_rolled_one_character_either_way_is_the_hash_of_that_window(ids, width, data):
    from converter.annotations.passages import next_hashes, window_hashes

    ids = np.array(ids, dtype=np.uint32 if max(ids) >= 1 << 16 else np.uint16)
    if len(ids) <= width:
        return
    every = window_hashes(ids, width)
    at = np.array(data.draw(st.lists(st.integers(0, len(every) - 2), min_size=1, max_size=10)), dtype=np.int64)
    assert next_hashes(every[at], ids, width, at, 1).tolist() == every[at + 1].tolist()
    assert next_hashes(every[at + 1], ids, width, at + 1, -1).tolist() == every[at].tolist()
