"""An updated search index is the index made whole, file for file, or no update at all.

Each case edits a few of the 32 reports the search tests use, updates the last index with
``search_update.update`` and compares the result, applied to the last index's files, with
``build_index`` on the edited reports. Small settings (short grams, a low ``rare_below``, small
postings in files of their own) reach every path with few reports: grams kept and dropped as a
part's report count crosses ``rare_below``, postings moving into and out of files of their own,
positions inline and in files of their own.
"""

from __future__ import annotations

import random
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from converter import search_index, search_read, search_update
from searchcorpus import folded_lines, report_files, search_docs
from test_search_index import PREFIX, decode

SMALL = {"max_gram": 3, "rare_below": 3, "own_file_from": 24}


@pytest.fixture(scope="module")
def docs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("reports")
    report_files(folder)
    return search_index.order(search_docs(folder))


@pytest.fixture(scope="module")
def last(docs):
    """The index of the unedited reports, made whole, with its state, for each setting used."""
    return {key: search_update.build(list(docs), **dict(key)) for key in
            (tuple(SMALL.items()), tuple({**SMALL, "max_gram": 4, "rare_below": 2, "own_file_from": 64}.items()))}


def apply(files: dict[str, bytes], change: search_update.Change) -> dict[str, bytes]:
    out = {p: c for p, c in files.items() if p not in change.deleted}
    out.update(change.written)
    return dict(sorted(out.items()))


def check_update(last, edited, settings_used) -> search_update.Change | None:
    """The update of ``last`` to ``edited``: equal to the whole build, and its state to the whole build's; or
    None, when the whole build has another number of buckets (which a small corpus reaches in a few edits)."""
    files, state = last
    change = search_update.update(edited, state, files.get, **settings_used)
    whole, whole_state = search_update.build(list(edited), **settings_used)
    if change is None:  # the one reason a few changed texts are made whole: the buckets' number took a step
        assert whole_state.buckets != state.buckets, "an update of a few texts is made"
        return None
    updated = apply(files, change)
    assert updated.keys() == whole.keys()
    assert [p for p in whole if updated[p] != whole[p]] == []
    assert change.state == whole_state
    assert not set(change.deleted) & set(whole), "nothing deleted that the index has"
    return change


def edit(doc, lines, kinds=None):
    return replace(doc, lines=tuple(lines), kinds=tuple(kinds) if kinds is not None else doc.kinds)


def with_doc(docs, i, new):
    return [new if k == i else d for k, d in enumerate(docs)]


def test_a_sentence_added_to_one_report(docs, last):
    """The benchmark's change: a new sentence in the middle paragraph of one report."""
    key = tuple(SMALL.items())
    i = 5
    lines = list(docs[i].lines)
    middle = len(lines) // 2
    lines[middle] = lines[middle] + "预览时加入的一句话：街道法治建设再上新台阶。"
    change = check_update(last[key], with_doc(docs, i, edit(docs[i], lines)), SMALL)
    assert change is not None and len(change.touched) > 50 and 0 < change.buckets
    assert f"{PREFIX}t/{i}.bin" in change.written
    assert len(change.written) < len(last[key][0]) / 2, "an update writes only what changed"


def test_an_edit_inside_a_line_touches_only_that_lines_grams(docs):
    """Positions are by line: a sentence put into the middle of a paragraph moves the places of the grams after
    it on that line, and of no other line's (with absolute offsets, every later gram of the report moved).
    With ``rare_below`` 1 every gram is kept, so no gram is reconsidered elsewhere either."""
    every = {"max_gram": 3, "rare_below": 1, "own_file_from": 24}
    last = search_update.build(list(docs), **every)
    i = 7
    folded = folded_lines(docs[i])
    k = max(range(len(folded) // 2), key=lambda n: len(folded[n]))  # a long line in the first half
    line = docs[i].lines[k]
    lines = list(docs[i].lines)
    lines[k] = line[:len(line) // 2] + "预览时插入的一句话。" + line[len(line) // 2:]
    edited = edit(docs[i], lines)
    change = check_update(last, with_doc(docs, i, edited), every)
    assert change is not None
    on_line = {text[s:s + n] for text in (folded[k], folded_lines(edited)[k])
               for n in range(1, 4) for s in range(len(text) - n + 1)}
    assert change.touched <= on_line and len(change.touched) > 30
    later = {folded[m][s:s + 3] for m in range(k + 1, len(folded)) for s in range(len(folded[m]) - 2)}
    assert later - on_line, "the report has grams after the edited line, which stayed where they were"


def test_a_gram_crossing_rare_below_keeps_or_drops_its_longer_grams(docs, last):
    """A bigram found in ``rare_below - 1`` reports, added to one more, makes its trigrams kept (those whose
    other part is frequent), and taking it out again drops them: both equal the whole build."""
    files, state = last[tuple(SMALL.items())]
    rare = SMALL["rare_below"]
    reports_of: dict[str, set[int]] = {}
    for k, d in enumerate(docs):
        for line in folded_lines(d):
            for j in range(len(line) - 1):
                if any(c in search_read.BREAKS for c in line[j:j + 2]):
                    continue
                reports_of.setdefault(line[j:j + 2], set()).add(k)
    candidates = sorted(g for g, found in reports_of.items() if len(found) == rare - 1 and g.isalpha())
    random.Random(7).shuffle(candidates)
    texts = "\n".join(f for d in docs for f in folded_lines(d))
    for gram in candidates:
        # A trigram found nowhere whose other part is frequent: kept only while the edited report has it.
        lone = [c + gram for c in sorted({g[0] for g in reports_of if g[1] == gram[0] and g[0].isalpha()})
                if len(reports_of[c + gram[0]]) >= rare and c + gram not in texts]
        if lone:
            lone = lone[0]
            break
    i = next(k for k in range(len(docs)) if k not in reports_of[gram])
    source = docs[min(reports_of[gram])]
    line = next(line for line, folded in zip(source.lines, folded_lines(source)) if gram in folded)
    added = with_doc(docs, i, edit(docs[i], list(docs[i].lines) + [line + " " + lone],
                                   list(docs[i].kinds) + ["paragraph"]))
    change = check_update(last[tuple(SMALL.items())], added, SMALL)
    assert change is not None
    _, before = decode(files)
    _, after = decode(apply(files, change))
    newly = {g for g in after.keys() - before.keys() if len(g) == 3 and gram in g}
    assert newly and lone in newly, "longer grams kept once their part became frequent"
    # And back: the update from the edited index to the original one drops them.
    whole, whole_state = search_update.build(list(added), **SMALL)
    back = search_update.update(docs, whole_state, whole.get, **SMALL)
    assert back is not None
    assert apply(whole, back) == files


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_edits_update_to_the_whole_build(docs, last, data):
    """Lines deleted, copied from other reports, doubled, turned into headings: any few edits of up to three
    reports update to exactly the index made whole."""
    key = data.draw(st.sampled_from(sorted(last)))
    edited = list(docs)
    for i in data.draw(st.lists(st.integers(0, len(docs) - 1), min_size=1, max_size=3, unique=True)):
        lines, kinds = list(edited[i].lines), list(edited[i].kinds)
        for _ in range(data.draw(st.integers(1, 3))):
            action = data.draw(st.sampled_from(["delete", "copy", "double", "heading"]))
            at = data.draw(st.integers(0, max(0, len(lines) - 1)))
            if action == "delete" and len(lines) > 1:
                del lines[at], kinds[at]
            elif action == "copy":
                other = docs[data.draw(st.integers(0, len(docs) - 1))]
                j = data.draw(st.integers(0, len(other.lines) - 1))
                lines.insert(at, other.lines[j])
                kinds.insert(at, other.kinds[j])
            elif action == "double" and lines:
                lines[at] = lines[at] + lines[at]
            elif action == "heading" and lines:
                kinds[at] = "heading"
        edited[i] = edit(edited[i], lines, kinds)
    if [d.lines for d in edited] == [d.lines for d in docs] and [d.kinds for d in edited] == [d.kinds for d in docs]:
        return
    check_update(last[key], edited, dict(key))


def test_updates_are_made_for_most_random_edits(docs, last):
    """Most small edits are updates, not whole builds (the ladder of bucket numbers is steep enough)."""
    rng = random.Random(3)
    files, state = last[tuple(SMALL.items())]
    made = 0
    for _ in range(10):
        i, j = rng.randrange(len(docs)), rng.randrange(len(docs))
        other = docs[j].lines[rng.randrange(len(docs[j].lines))]
        edited = with_doc(docs, i, edit(docs[i], list(docs[i].lines) + [other], list(docs[i].kinds) + ["paragraph"]))
        made += check_update(last[tuple(SMALL.items())], edited, SMALL) is not None
    assert made >= 7


def test_what_cannot_be_updated_is_made_whole(docs, last):
    """Reports added, removed or reordered, other settings, a file of the last index gone or changed, more
    changed texts than an update takes on: no update (None), so the index is made whole."""
    files, state = last[tuple(SMALL.items())]
    changed_line = edit(docs[3], list(docs[3].lines) + ["一句新的话"])
    assert search_update.update(with_doc(docs, 3, changed_line), state, files.get, **SMALL) is not None
    assert search_update.update(docs[:-1], state, files.get, **SMALL) is None
    assert search_update.update(docs + [replace(docs[0], slug="another")], state, files.get, **SMALL) is None
    assert search_update.update(docs, state, files.get, **{**SMALL, "rare_below": 4}) is None
    assert search_update.update(docs, None, files.get, **SMALL) is None
    gone = {p: c for p, c in files.items() if p != f"{PREFIX}t/3.bin"}
    assert search_update.update(with_doc(docs, 3, changed_line), state, gone.get, **SMALL) is None
    damaged = dict(files, **{f"{PREFIX}t/3.bin": files[f"{PREFIX}t/4.bin"]})
    assert search_update.update(with_doc(docs, 3, changed_line), state, damaged.get, **SMALL) is None
    many = [edit(d, list(d.lines) + ["一句新的话"]) for d in docs]
    assert search_update.update(many, state, files.get, most=4, **SMALL) is None
    unchanged = search_update.update(docs, state, files.get, **SMALL)
    assert unchanged.written.keys() == {f"{PREFIX}manifest.json"} and unchanged.deleted == []
    assert unchanged.written[f"{PREFIX}manifest.json"] == files[f"{PREFIX}manifest.json"]


def test_the_number_of_buckets_moves_along_a_ladder():
    """A few changed bytes almost never change the number of buckets: it steps by about 9 %, never more."""
    counts = [search_index.buckets_for(total) for total in range(0, 3_000_000, 997)]
    assert counts == sorted(counts) and counts[0] == 1
    steps = sorted(set(counts))
    assert all(b - a <= max(1, a // 11) for a, b in zip(steps, steps[1:]))
    assert len(steps) < 80  # about 9 % a step above a dozen: 3 MB is some 60 steps, not hundreds
    target = search_index.BUCKET_TARGET
    assert all(b <= max(1, t // target) for t, b in zip(range(0, 3_000_000, 997), counts))
