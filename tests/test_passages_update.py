"""Shared passages worked out again where reports changed are the passages found whole, or no update at all.

Each case builds a small archive of sentences that many reports share (so that passages join, split and
overlap), keeps its state (``passages_update.find``), then edits a few reports build after build, and
compares every build's passages and shares with ``passages.find_columns`` on the edited texts. A short
window (8 characters) makes passages of a few sentences' words.
"""

from __future__ import annotations

import os

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import seed_files
from converter.annotations import passages, passages_update
from converter.annotations.passages_state import text_digest
from converter.pages import Entry, plain_text
from converter.pipeline import convert_file

WIDTH = 8
SENTENCES = ["坚持以习近平法治思想为指导", "全面推进依法行政工作", "严格规范公正文明执法", "加强行政复议和行政应诉工作",
             "推进政务公开提高透明度", "完善重大行政决策程序", "落实第一责任人职责", "开展法治宣传教育活动",
             "依法化解矛盾纠纷", "健全行政执法三项制度"]
GLUE = ["。", "，", "；\n", "　", "我镇", "一是", "二是", "（一）"]


def text_of(parts: list[tuple[int, int]]) -> str:
    return "".join(SENTENCES[s] + GLUE[g] for s, g in parts)


reports = st.lists(st.tuples(st.integers(0, len(SENTENCES) - 1), st.integers(0, len(GLUE) - 1)), max_size=7)
edits = st.lists(st.tuples(st.integers(0, 99), st.sampled_from(["new", "append", "cut", "copy", "empty", "back"]),
                           reports, st.integers(0, 99)), min_size=1, max_size=3)


def edited(texts: list[str], first: list[str], edit) -> list[str]:
    texts = list(texts)
    r, op, parts, other = edit
    r, other = r % len(texts), other % len(texts)
    texts[r] = {"new": lambda: text_of(parts),
                "append": lambda: texts[r] + text_of(parts),
                "cut": lambda: texts[r][:len(texts[r]) * (other % 4) // 4],
                "copy": lambda: texts[other],
                "empty": lambda: " \n",
                "back": lambda: first[r]}[op]()  # as it was when the base was written
    return texts


def same(got, want) -> None:
    (found, shares), (whole, whole_shares) = got, want
    assert found.keys == whole.keys
    for column in ("reports", "bounds", "report", "start", "end"):
        assert getattr(found, column).tolist() == getattr(whole, column).tolist(), column
    assert shares == whole_shares


def counting(monkeypatch) -> dict[str, int]:
    """How many builds were worked out in place (``update``), how many found whole."""
    counts = {"update": 0, "whole": 0}
    real_update, real_whole = passages_update.update, passages_update.whole

    def update(*args):
        state = real_update(*args)
        counts["update"] += state is not None
        return state

    def whole(*args):
        counts["whole"] += 1
        return real_whole(*args)

    monkeypatch.setattr(passages_update, "update", update)
    monkeypatch.setattr(passages_update, "whole", whole)
    return counts


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(reports, min_size=2, max_size=9), st.lists(edits, min_size=1, max_size=4))
def test_passages_worked_out_again_build_after_build_are_the_passages_found_whole(tmp_path_factory, archive, steps):
    """Every build after the first is an update (a few reports changed, none added), and equals the whole."""
    from unittest import mock

    folder = tmp_path_factory.mktemp("passages")
    first = [text_of(parts) for parts in archive]
    counts = {"update": 0}
    real_update = passages_update.update

    def update(*args):
        state = real_update(*args)
        counts["update"] += state is not None
        return state

    with mock.patch.object(passages_update, "update", update):
        texts = first
        same(passages_update.find(texts, folder, WIDTH), passages.find_columns(texts, WIDTH))
        changed_builds = 0
        for step in steps:
            before = texts
            for edit in step:
                texts = edited(texts, first, edit)
            changed_builds += texts != before
            same(passages_update.find(texts, folder, WIDTH), passages.find_columns(texts, WIDTH))
    assert counts["update"] == changed_builds


def test_a_sentence_put_into_one_report_of_many_splits_and_joins_passages_as_a_whole_find_does(tmp_path, monkeypatch):
    """A longer archive, edited where passages run across sentences: the new sentence cuts a passage that other
    reports hold whole, and a report that held a sentence alone comes to share the next one too."""
    counts = counting(monkeypatch)
    rng = np.random.default_rng(7)
    texts = [text_of([(int(s), int(g)) for s, g in zip(rng.integers(0, 10, 12), rng.integers(0, 8, 12))])
             for _ in range(40)]
    same(passages_update.find(texts, tmp_path, WIDTH), passages.find_columns(texts, WIDTH))
    middle = len(texts[5]) // 2
    texts[5] = texts[5][:middle] + "预览时更新的索引" + texts[5][middle:]
    texts[9] = texts[9] + texts[5][:middle]
    same(passages_update.find(texts, tmp_path, WIDTH), passages.find_columns(texts, WIDTH))
    assert counts == {"update": 1, "whole": 1}
    found = passages_update.find(texts, tmp_path, WIDTH)[0]
    assert counts == {"update": 1, "whole": 1}, "an unchanged archive takes the last passages as they are"
    assert len(found) > 20 and max(found.reports.tolist()) >= 10


def test_what_cannot_be_worked_out_again_is_found_whole(tmp_path, monkeypatch):
    """Another number of reports, more changed reports than ``CHANGED_MOST``, a base file missing or cut, and
    more reports apart from the base than ``OVERRIDES_MOST`` (the base is then written again) are found whole,
    and each equals the whole find."""
    counts = counting(monkeypatch)
    monkeypatch.setattr(passages_update, "CHANGED_MOST", 2)
    monkeypatch.setattr(passages_update, "OVERRIDES_MOST", 3)
    texts = [text_of([(i % 10, 0), ((i * 3) % 10, 1), ((i * 7) % 10, 2)]) for i in range(12)]

    def build(expected: dict[str, int]) -> None:
        same(passages_update.find(texts, tmp_path, WIDTH), passages.find_columns(texts, WIDTH))
        assert counts == expected

    def bases() -> list[str]:
        return sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".hash"))

    build({"update": 0, "whole": 1})
    first_base = bases()
    texts.append(texts[0])
    build({"update": 0, "whole": 2})                      # a report added
    texts[1:4] = [t + "。" + SENTENCES[0] for t in texts[1:4]]
    build({"update": 0, "whole": 3})                      # three changed at once
    assert len(bases()) == 1 and bases() != first_base, "a whole find writes its base, and drops the last"
    texts[1] = texts[2]
    build({"update": 1, "whole": 3})                      # one changed: worked out again
    path = next(tmp_path.glob("*.at"))
    with open(path, "r+b") as handle:
        handle.truncate(os.path.getsize(path) - 4)
    texts[2] = texts[3]
    build({"update": 1, "whole": 4})                      # a base file cut short
    for r in range(4, 8):
        texts[r] = texts[r] + SENTENCES[r]
        build({"update": r - 2, "whole": 4} if r < 7 else {"update": 4, "whole": 5})  # the fourth apart: whole
    next(tmp_path.glob("*.ids")).unlink()
    texts[9] = ""
    build({"update": 4, "whole": 6})                      # a base file missing


def test_a_folder_that_cannot_be_written_finds_the_passages_all_the_same(tmp_path):
    """A cache that cannot be written is no reason to fail a build: the passages are found without a state."""
    texts = [text_of([(0, 0), (1, 1), (2, 2)]), text_of([(1, 3), (2, 4)]), text_of([(3, 0)])]
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    same(passages_update.find(texts, blocked / "passages", WIDTH), passages.find_columns(texts, WIDTH))


def test_the_digest_made_in_conversion_is_the_texts_and_an_entry_without_one_digests_its_text():
    """Builds tell a changed text by the digest each report was converted with, not by hashing every text."""
    report = convert_file(str(seed_files()[0]))
    assert report.text_digest == text_digest(plain_text(report)) == report.lean().text_digest
    entry = Entry.of(report)
    assert entry.text_digest == report.text_digest
    changed = Entry(entry.meta, entry.text + "另有一句。", entry.kinds)
    assert changed.text_digest == text_digest(changed.text) != entry.text_digest


def test_given_digests_tell_which_texts_changed(tmp_path, monkeypatch):
    """``find`` takes the digests it is given for the texts', and works out the change they show."""
    counts = counting(monkeypatch)
    texts = [text_of([(i % 10, 0), ((i * 3) % 10, 1), ((i * 7) % 10, 2)]) for i in range(12)]
    same(passages_update.find(texts, tmp_path, WIDTH, [text_digest(t) for t in texts]),
         passages.find_columns(texts, WIDTH))
    texts[4] = texts[4] + SENTENCES[1] + SENTENCES[2]
    same(passages_update.find(texts, tmp_path, WIDTH, [text_digest(t) for t in texts]),
         passages.find_columns(texts, WIDTH))
    assert counts == {"update": 1, "whole": 1}
