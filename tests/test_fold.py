"""The analysis form folded a block at a time is the form of the whole text: the rules that read a report's
whole body (its place, its fingerprint) fold it from the folds of its blocks, which its other rules made already."""

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from converter import check
from converter.fingerprints import words_fingerprint
from converter.fold import _fold, fold, fold_lines
from converter.pipeline import convert_file

SEEDS = sorted((Path(__file__).parent.parent / "seeds").glob("*.txt"))
# Traditional characters whose simplified form depends on the phrase they stand in (OpenCC's phrase
# dictionary), and full-width forms, so that a phrase reaching over a line break would show.
TRICKY = "乾隆乾燥頭髮髮型皇后後來後面著作著名干涉乾坤於是于是鍾錶鐘錶瞭解了解隻身一隻ＡＢ１２：（）　 "


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_a_reports_blocks_folded_one_by_one_make_the_fold_of_its_text(seed):
    blocks = [b.text for b in convert_file(str(seed)).structure.blocks]
    assert fold_lines(blocks) == _fold("\n".join(blocks))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=TRICKY, max_size=12), max_size=8))
def test_no_phrase_of_the_script_conversion_reaches_over_a_line_break(texts):
    assert fold_lines(texts) == _fold("\n".join(texts))


def test_a_long_paragraph_folds_as_a_short_line_does():
    paragraph = "乾隆年間頭髮的著作，於是（１２）項。" * 150  # over CACHED_MAX_CHARS and PARAGRAPH_MAX_CHARS alike
    for text in (paragraph[:150], paragraph[:1500], paragraph):
        assert fold(text) == _fold(text)
        assert fold(text) == fold(text)  # a kept fold is the same the second time


@pytest.mark.parametrize("seed", SEEDS[:2], ids=lambda p: p.stem)
def test_the_fingerprint_made_in_conversion_is_the_one_check_compares(seed):
    report = convert_file(str(seed))
    assert report.fingerprint == words_fingerprint(report.structure)
    assert check.text_fingerprint(report) == report.fingerprint
    assert report.lean().fingerprint == report.fingerprint
    # a report made without one (by older code, or by hand) is fingerprinted when asked
    assert check.text_fingerprint(replace(report, fingerprint=None)) == report.fingerprint
