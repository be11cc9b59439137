"""Golden files: each seed's Markdown, read through by a person once, then held.

After an intended change, regenerate with ``UPDATE_GOLDEN=1 pytest tests/test_golden.py``
and read the diff before committing it.
"""

from __future__ import annotations

import os

import pytest

from converter import to_markdown

from conftest import GOLDEN, seed_files


@pytest.mark.parametrize("path", seed_files(), ids=lambda p: p.stem)
def test_seed_matches_its_golden_markdown(convert, path):
    actual = to_markdown(convert(path)).replace(str(path), path.name)
    golden = GOLDEN / f"{path.stem}.md"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(actual, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden.name}; run with UPDATE_GOLDEN=1 and review it"
    assert actual == golden.read_text(encoding="utf-8")


def test_every_seed_has_a_golden_file():
    assert sorted(p.stem for p in GOLDEN.glob("*.md")) == sorted(p.stem for p in seed_files())
