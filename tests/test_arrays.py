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
