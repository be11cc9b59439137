from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SAMPLES = ROOT / "tests" / "data" / "samples"
GOLDEN = ROOT / "tests" / "golden"


def seed_files() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))


def sample_files() -> list[Path]:
    return sorted(SAMPLES.glob("*.txt"))


def archive_copy(tmp_path: Path) -> Path:
    """A copy of the archive's reports and sidecars, in ``tmp_path / "seeds"``."""
    import shutil

    folder = tmp_path / "seeds"
    folder.mkdir()
    for path in sorted(SEEDS.iterdir()):
        shutil.copy(path, folder / path.name)
    return folder


@lru_cache(maxsize=None)
def converted(path: str):
    from converter import convert_file

    return convert_file(path)


@pytest.fixture
def convert():
    return lambda path: converted(str(path))


@pytest.fixture(scope="session")
def chromium():
    """One headless Debian Chromium for every browser test (skipped without it, except in CI)."""
    from browser import CHROMIUM, LAUNCH_ARGS, require_browser

    sync_api = require_browser()
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()
