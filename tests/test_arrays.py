"""The array idioms the search index and shared passages share, against their plain Python meaning."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from converter import arrays

sizes_lists = st.lists(st.integers(0, 6), max_size=12)


@given(sizes_lists, st.data())
def test_bounds_starts_and_ranges_are_running_totals_and_concatenated_ranges(sizes, data):
    firsts = data.draw(st.lists(st.integers(0, 50), min_size=len(sizes), max_size=len(sizes)))
    size = np.array(sizes, dtype=np.int64)
    totals = [sum(sizes[:i]) for i in range(len(sizes) + 1)]
    assert arrays.bounds(size).tolist() == totals and arrays.bounds(size).dtype == np.int64
    assert arrays.starts(size).tolist() == totals[:-1]
    expected = [n for f, s in zip(firsts, sizes) for n in range(f, f + s)]
    assert arrays.ranges(np.array(firsts, dtype=np.int64), size).tolist() == expected


@given(st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2)), max_size=20))
def test_changes_marks_each_row_that_differs_from_the_one_before_in_any_column(rows):
    a = np.array([r[0] for r in rows], dtype=np.int64)
    b = np.array([r[1] for r in rows], dtype=np.int32)
    assert arrays.changes(a, b).tolist() == [i == 0 or rows[i] != rows[i - 1] for i in range(len(rows))]
    assert arrays.changes(a).tolist() == [i == 0 or rows[i][0] != rows[i - 1][0] for i in range(len(rows))]


@given(st.lists(st.integers(0, 2 ** 64 - 1) | st.integers(0, 3), max_size=30))
def test_distinct_is_numpys_unique(values):
    for dtype in (np.uint64, np.uint16, np.int32):
        if dtype != np.uint64 and any(v > 3 for v in values):
            continue
        a = np.array(values, dtype=dtype)
        found = arrays.distinct(a)
        assert found.dtype == dtype and found.tolist() == np.unique(a).tolist() == sorted(set(values))


@given(st.lists(st.integers(0, 12), max_size=30), st.sets(st.integers(0, 12), max_size=8))
def test_among_is_numpys_isin_for_sorted_distinct_choices(values, choices):
    for dtype in (np.uint64, np.int32):
        a, c = np.array(values, dtype=dtype), np.array(sorted(choices), dtype=dtype)
        assert arrays.among(a, c).tolist() == np.isin(a, c).tolist() == [v in choices for v in values]


def test_distinct_and_among_leave_numpy_ma_unimported():
    """A build that never masks an array need not import ``numpy.ma`` (``np.unique`` does, for its check)."""
    import subprocess
    import sys
    code = ("import sys, numpy as np; from converter import arrays; arrays.distinct(np.array([3, 1, 3])); "
            "arrays.among(np.array([3, 1, 3]), np.array([1, 2])); "
            "print('numpy.ma' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.strip() == "False"


@given(st.lists(st.booleans(), max_size=40), st.integers(1, 7), st.sampled_from([np.int32, np.int64]))
def test_nonzero_finds_every_true_place_a_piece_at_a_time_in_the_type_asked_for(mask, size, dtype):
    found = arrays.nonzero(np.array(mask, dtype=bool), dtype, size)
    assert found.tolist() == [i for i, m in enumerate(mask) if m] and found.dtype == dtype


@pytest.mark.parametrize(("sizes", "runs"), [
    ([], []), ([5], [(0, 1)]), ([3, 3, 3], [(0, 2), (2, 3)]), ([9, 1, 1], [(0, 1), (1, 3)]), ([0, 0, 7], [(0, 3)]),
    ([6, 0, 1], [(0, 2), (2, 3)]),
])
def test_items_are_batched_up_to_a_size_and_an_oversized_one_alone(sizes, runs):
    assert arrays.batches(np.array(sizes, dtype="int64"), 6) == [slice(lo, hi) for lo, hi in runs]


@given(st.lists(st.integers(0, 2), max_size=30), st.integers(1, 5))
def test_changes_by_marks_the_same_rows_as_changes_made_a_few_rows_at_a_time(values, size):
    column = np.array(values, dtype=np.int64)
    made = []
    found = arrays.changes_by(len(column), lambda lo, hi: made.append(hi - lo) or column[lo:hi], size)
    assert found.tolist() == arrays.changes(column).tolist()
    assert all(n <= size + 1 for n in made)  # never the whole column at once


key_types = st.sampled_from([np.bool_, np.int8, np.int32, np.int64, np.uint8, np.uint32, np.uint64])


@given(st.integers(0, 40), st.lists(st.tuples(key_types, st.integers(0, 64)), min_size=1, max_size=4), st.data())
def test_lexsort_is_numpys_lexsort_whether_the_keys_pack_into_one_or_not(count, kinds, data):
    """Keys of any integer type and width: narrow ones are packed into one 64-bit key, wide ones are not."""
    keys = []
    for dtype, bits in kinds:
        info = np.iinfo(dtype) if dtype is not np.bool_ else None
        lo = 0 if info is None else max(info.min, -(1 << bits))
        hi = 1 if info is None else min(info.max, (1 << bits) - 1)
        # Values near either end of a wide range, and many ties among few values.
        edges = [v for v in (lo, hi, lo + 1, hi - 1, (lo + hi) // 2) if lo <= v <= hi]
        chosen = data.draw(st.lists(st.sampled_from(edges) | st.integers(lo, hi), min_size=count, max_size=count))
        keys.append(np.array(chosen, dtype=dtype))
    assert arrays.lexsort(keys).tolist() == np.lexsort(keys).tolist()


def test_lexsort_packs_narrow_keys_into_one_sort(monkeypatch):
    """The packed path is the one taken for keys that fit (it is the point of the function), and not otherwise."""
    calls: list[int] = []
    real = np.lexsort
    monkeypatch.setattr(np, "lexsort", lambda keys: calls.append(len(keys)) or real(keys))
    rng = np.random.default_rng(7)
    narrow = [rng.integers(0, 1 << 20, 1000), rng.integers(-5, 5, 1000).astype(np.int32), rng.integers(0, 9, 1000)]
    assert arrays.lexsort(narrow).tolist() == real(narrow).tolist() and calls == []
    wide = narrow + [rng.integers(0, 1 << 40, 1000)]
    assert arrays.lexsort(wide).tolist() == real(wide).tolist() and calls == [4]


@given(st.lists(st.integers(0, 50), max_size=60), st.integers(1, 40))
def test_batches_of_cut_items_in_order_each_under_its_size_and_first_item_together(sizes, size):
    found = arrays.batches_of(np.array(sizes, dtype=np.int64), size)
    assert [i for part in found for i in range(part.start, part.stop)] == list(range(len(sizes))), "all, in order"
    for part in found:
        assert part.stop > part.start
        assert sum(sizes[part]) < size + sizes[part.start] or sum(sizes[part]) <= size
