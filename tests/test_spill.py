"""The spill: pieces set aside on disk and read back by their place."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from converter.spill import Spill, temporary


@settings(max_examples=60, deadline=None)
@given(st.lists(st.binary(max_size=40), max_size=30), st.integers(1, 64), st.binary(max_size=10))
def test_pieces_put_together_read_back_each_as_it_was(pieces, batch, before):
    """``put_all`` writes pieces a batch at a time, yet each place reads back its own piece, whatever the batch
    size (smaller than one piece, or than all), empty pieces included, after a piece put alone."""
    with temporary() as spill:
        alone = spill.put(before)
        places = spill.put_all(iter(pieces), batch=batch)
        after = spill.put(b"after")
        assert [spill.get(p) for p in places] == pieces
        assert spill.get(alone) == before and spill.get(after) == b"after"
        assert [p.length for p in places] == [len(p) for p in pieces]


def test_pieces_put_together_are_written_in_few_writes(tmp_path, monkeypatch):
    """A write per batch, not per piece: the search index puts a million pieces at 10,000 reports."""
    import os

    writes = []
    real_write = os.write
    monkeypatch.setattr(os, "write", lambda fd, data: writes.append(len(data)) or real_write(fd, data))
    spill = Spill(tmp_path)
    places = spill.put_all((bytes([n % 256]) * 10 for n in range(1000)), batch=1000)
    assert len(places) == 1000 and len(writes) == 10
    assert spill.get(places[537]) == bytes([537 % 256]) * 10
    spill.close()
