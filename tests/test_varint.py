"""LEB128 varints: the array encoder the search index uses, held to the plain one and to a reader of its own."""

from __future__ import annotations

from unittest import mock

import numpy as np
from hypothesis import given, settings, strategies as st

from converter import varint


def decoded(data: bytes) -> list[int]:
    """The numbers in ``data``, read here as search.js reads them (7 bits a byte, high bit: more follow)."""
    out, value, shift = [], 0, 0
    for byte in data:
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            out.append(value)
            value, shift = 0, 0
    assert shift == 0, "the data ends inside a number"
    return out


edges = st.sampled_from([0, 1, 127, 128, 16383, 16384, (1 << 21) - 1, 1 << 21, (1 << 35) + 3, (1 << 63) - 1])
numbers = st.one_of(edges, st.integers(0, 300), st.integers(0, (1 << 63) - 1))


@settings(max_examples=200, deadline=None)
@given(st.lists(numbers, max_size=80), st.data(), st.sampled_from([1, 3, 64, varint.BATCH]))
def test_an_array_encodes_as_its_numbers_one_at_a_time_with_each_groups_offset(values, data, batch):
    """Whatever the numbers (one byte to ten) and however the array is cut into batches."""
    array = np.array(values, dtype=np.int64)
    groups = sorted(data.draw(st.sets(st.integers(0, max(0, len(values) - 1)), max_size=len(values)))) \
        if values else []
    with mock.patch.object(varint, "BATCH", batch):
        encoded, offsets = varint.varint_array(array, np.array(groups, dtype=np.int64))
    assert encoded == varint.varints(values)
    assert decoded(encoded) == values
    assert offsets.tolist() == [len(varint.varints(values[:g])) for g in groups]
