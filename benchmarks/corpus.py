"""Generate a synthetic archive: real report sentences recombined with varied places and years.

    python benchmarks/corpus.py --count 10000 --out benchmarks/out/corpus

Sentences come from the seed reports and the labelled samples; places are
drawn from the gazetteer; a share of files get web-page chrome, Word
bookmarks, GB18030 encoding or CRLF line ends, as real contributions do.
Deterministic for a given --seed.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from converter.gazetteer import load  # noqa: E402

CN = "一二三四五六七八九十"


def copy_site_config(project: Path) -> None:
    """What a site needs besides its seeds: the MkDocs config, the docs, the theme overrides and the guide."""
    import shutil

    for name in ("mkdocs.yml", "CONTRIBUTING.md"):
        shutil.copy(ROOT / name, project / name)
    for folder in ("docs", "overrides"):
        shutil.copytree(ROOT / folder, project / folder)


def sentences() -> list[str]:
    out: list[str] = []
    files = sorted((ROOT / "seeds").glob("*.txt")) + sorted((ROOT / "tests/data/samples").glob("*.txt"))
    for f in files:
        for line in f.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if len(line) < 40:
                continue
            line = re.sub(r"^[（(][一二三四五六七八九十]+[）)]|^[一二三四五六七八九十]+、|^\d+[.．、]", "", line)
            out.extend(s + "。" for s in line.split("。") if len(s) >= 12)
    return sorted(set(out))


def headings(pool: list[str], rng: random.Random) -> list[str]:
    return [s.split("，")[0].rstrip("。")[:18] for s in rng.sample(pool, 12)]


def one_report(rng: random.Random, pool: list[str], towns: list, n: int) -> tuple[str, str]:
    place = rng.choice(towns)
    year = rng.randint(2015, 2025)
    town, county = place.town, place.county or ""
    kind = place.county[-1] if place.county else "市"
    lines = []
    if rng.random() < 0.3:
        lines += ["关怀版 无障碍 简体|繁体", f"您当前所在位置：首页 > 政务公开 > {town}", f"发布时间：{year + 1}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}  浏览次数：{rng.randint(1, 999)}"]
    lines += [f"{county}{town}人民政府", f"关于{year}年法治政府建设情况的报告", "", f"{kind}委、{kind}政府："]
    lines.append(f"{year}年，{town}在{kind}委、{kind}政府的正确领导下，" + rng.choice(pool))
    heads = headings(pool, rng)
    for i in range(rng.randint(3, 4)):
        lines.append(f"{CN[i]}、{heads[i]}")
        for j in range(rng.randint(2, 4)):
            lines.append(f"（{CN[j]}）{heads[4 + j]}")
            body = "".join(rng.sample(pool, rng.randint(3, 6))).replace("我镇", f"{town}")
            if rng.random() < 0.05:
                body = "[bookmark: _GoBack]" + body
            lines.append(body)
    lines += ["", f"{county}{town}人民政府", f"{year + 1}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日"]
    if rng.random() < 0.3:
        lines += ["相关文章", "上一篇：无"]
    return f"{n:05d}_{year}.txt", "\n".join(lines) + "\n"


def site_project(project: Path, seeds: Path) -> Path:
    """``project`` made afresh: the site's config (``copy_site_config``) and a copy of ``seeds`` as its seeds."""
    import shutil

    shutil.rmtree(project, ignore_errors=True)
    project.mkdir(parents=True)
    copy_site_config(project)
    shutil.copytree(seeds, project / "seeds")
    return project


def change_text(report: Path, sentence: str) -> None:
    """Add ``sentence`` to the paragraph in the middle of ``report``, in the file's own encoding and line ends.

    In the middle, not at the end: a line added after a pasted page's trailer (相关文章, 上一篇) is cleaned away
    with it, so the report's text, and all that is made from it, would not change at all.
    """
    data = report.read_bytes()
    try:
        text, encoding = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = data.decode("gb18030"), "gb18030"
    lines = text.split("\n")
    body = [i for i, line in enumerate(lines) if line.rstrip("\r").endswith("。")]
    at = body[len(body) // 2]
    end = "\r" if lines[at].endswith("\r") else ""
    lines[at] = lines[at].rstrip("\r") + sentence + end
    report.write_bytes("\n".join(lines).encode(encoding))


def shown(site: Path, sentence: str) -> bool:
    """Whether the built ``site`` publishes ``sentence`` in a report's text (``data/texts.jsonl``: on the page,
    marks and their notes may cut through it)."""
    wanted = sentence.encode("utf-8")
    with open(site / "data" / "texts.jsonl", "rb") as texts:
        return any(wanted in line for line in texts)


def generate(out: Path, count: int, seed: int = 2026) -> list[Path]:
    rng = random.Random(seed)
    pool = sentences()
    gaz = load()
    towns = [p for name in sorted(gaz.towns) for p in gaz.towns[name]]
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        name, text = one_report(rng, pool, towns, n)
        path = out / name
        roll = rng.random()
        if roll < 0.1:
            data = text.replace("\n", "\r\n").encode("gb18030")
        elif roll < 0.2:
            data = text.replace("\n", "\r\n").encode("utf-8")
        else:
            data = text.encode("utf-8")
        path.write_bytes(data)
        paths.append(path)
    return paths


def cached(work: Path, count: int) -> Path:
    """``work/corpus-<count>``, generated unless an earlier run left it complete."""
    import shutil

    corpus = work / f"corpus-{count}"
    if not corpus.exists() or len(list(corpus.glob("*.txt"))) != count:
        shutil.rmtree(corpus, ignore_errors=True)
        generate(corpus, count)
    return corpus


def counts_arguments(doc: str, repeat: int | None = None, shards: int | None = None) -> argparse.Namespace:
    """The options every benchmark over archives of several sizes takes: --counts and --work; with ``repeat``,
    also --repeat (how many times each build is measured), defaulting to it; with ``shards``, --shards."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--counts", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--work", default=str(ROOT / "benchmarks/out"))
    if repeat is not None:
        parser.add_argument("--repeat", type=int, default=repeat)
    if shards is not None:
        parser.add_argument("--shards", type=int, default=shards)
    return parser.parse_args()


def converted(work: Path, count: int) -> list:
    """The reports of the generated archive of ``count`` reports, converted on two processes."""
    from converter.collection import convert_paths

    reports, _ = convert_paths([str(cached(work, count))], jobs=2)
    return reports


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--out", default=str(ROOT / "benchmarks/out/corpus"))
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    paths = generate(Path(args.out), args.count, args.seed)
    size = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(paths)} reports, {size / 1e6:.1f} MB, into {args.out}")


if __name__ == "__main__":
    main()
