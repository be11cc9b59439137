"""The reports the search tests run on, and the truth a query must return.

Seeds and labelled samples, plus one seed rewritten in traditional script with
full-width digits, so that script and width folding are exercised on real text.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from conftest import SAMPLES, SEEDS

TRADITIONAL_NAME = "traditional_fullwidth.txt"
SOURCE_OF_TRADITIONAL = "002_c10955fb4422cdc5.txt"

POLICY_TERMS = [
    "三重一大", "枫桥经验", "行政复议", "老兵调解室", "法治政府", "依法行政", "法律顾问", "合法性审查",
    "行政执法", "普法", "八五普法", "综合行政执法", "矛盾纠纷", "法治思想", "权责清单", "信访",
    "公平竞争审查", "行政诉讼", "重大行政决策", "民法典", "法治宣传", "政务公开", "双随机", "谁执法谁普法",
    "述法", "尊法学法守法用法", "行政应诉", "人民调解", "法治乡村", "习近平法治思想",
]


def traditional_copy(folder: Path) -> Path:
    """A seed in traditional script with full-width digits, written into ``folder``."""
    import opencc

    text = (SEEDS / SOURCE_OF_TRADITIONAL).read_text(encoding="utf-8")
    text = opencc.OpenCC("s2t").convert(text).translate({ord(d): chr(ord(d) + 0xFEE0) for d in "0123456789"})
    path = folder / TRADITIONAL_NAME
    path.write_text(text, encoding="utf-8")
    return path


def report_files(folder: Path) -> list[Path]:
    """Copies of every report the search tests use, in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted(SEEDS.glob("*.txt")) + sorted(SAMPLES.glob("*.txt")):
        shutil.copy(path, folder / path.name)
        sidecar = path.with_suffix(".yml")
        if sidecar.exists():
            shutil.copy(sidecar, folder / sidecar.name)
    traditional_copy(folder)
    return sorted(folder.glob("*.txt"))


def search_docs(folder: Path):
    from converter import pages
    from converter.collection import convert_paths

    reports, problems = convert_paths([str(folder)])
    assert not problems, problems
    return [pages.search_doc(pages.Entry.of(r)) for r in reports]


def folded_lines(doc) -> list[str]:
    from converter.searchfold import fold_chars

    return [fold_chars(line) for line in doc.lines]


def truth(query: str, docs) -> set[str]:
    """Slugs of the reports whose text holds every space-separated term (folded), as Ctrl-F would."""
    from converter.searchfold import fold_chars

    terms = [fold_chars(t) for t in query.split()]
    return {d.slug for d in docs if all(any(t in line for line in folded_lines(d)) for t in terms)}


def random_substrings(docs, count: int, lengths: tuple[int, int], seed: int) -> list[str]:
    """Substrings of report lines, without spaces, drawn reproducibly."""
    rng = random.Random(seed)
    out: list[str] = []
    while len(out) < count:
        doc = rng.choice(docs)
        line = rng.choice(doc.lines)
        n = rng.randint(*lengths)
        if len(line) < n:
            continue
        start = rng.randrange(len(line) - n + 1)
        piece = line[start:start + n]
        if any(c.isspace() for c in piece) or piece in out:
            continue
        out.append(piece)
    return out
