"""Per-field fidelity of the converter on the hand-labelled samples (tests/data/samples/labels.yaml).

Scores every labelled field, with the contributor's source address in a
sidecar (as contributions come) and from the text alone. A field counts as
right when it equals the label exactly; a wrong value and a missing one are
counted apart, since a wrong year is worse than none.

    python benchmarks/fidelity.py            # the table
    python benchmarks/fidelity.py --misses   # and every miss
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from converter import convert_file  # noqa: E402

SAMPLES = ROOT / "tests" / "data" / "samples"
FIELDS = ("title", "unit", "level", "county", "city", "province", "year")
TOWNSHIP_LEVELS = {"乡", "镇", "街道", "苏木"}


def labels() -> list[dict]:
    return yaml.safe_load((SAMPLES / "labels.yaml").read_text(encoding="utf-8"))


def convert_all(with_url: bool) -> dict:
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for label in labels():
            target = Path(tmp) / label["file"]
            shutil.copy(SAMPLES / label["file"], target)
            if with_url:
                target.with_suffix(".yml").write_text(yaml.safe_dump({"source_url": label["url"]}), encoding="utf-8")
            out[label["file"]] = convert_file(str(target)).metadata
    return out


def score(results: dict) -> tuple[dict, list]:
    table = {f: {"right": 0, "wrong": 0, "missing": 0} for f in FIELDS}
    misses = []
    for label in labels():
        m = results[label["file"]]
        for field in FIELDS:
            want, got = label[field], getattr(m, field)
            if got == want:
                table[field]["right"] += 1
            else:
                table[field]["missing" if got is None else "wrong"] += 1
                misses.append((label["file"], field, want, got))
    return table, misses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--misses", action="store_true", help="list every miss")
    args = parser.parse_args()
    n = len(labels())
    for with_url in (True, False):
        table, misses = score(convert_all(with_url))
        print(f"\n{'with the source address' if with_url else 'from the text alone'} ({n} samples): right / wrong / missing")
        for field in FIELDS:
            t = table[field]
            print(f"  {field:<9} {t['right']:>3} / {t['wrong']:>2} / {t['missing']:>2}")
        if args.misses:
            for miss in misses:
                print("   ", *miss)


if __name__ == "__main__":
    main()
