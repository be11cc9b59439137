"""The data files for researchers: reports.csv, reports.json, texts.jsonl and the table's table.json."""

from __future__ import annotations

import csv
import io
import json

from ..gazetteer import province_order
from ..slug import address, pinyin_word
from .entry import UNKNOWN, Entry, level_rank, json_list

DATA_FIELDS = ("slug", "aliases", "title", "unit", "town", "level", "county", "city", "province", "year", "date",
               "published", "issuers", "source_url", "retrieved", "sha256", "encoding", "source_file", "notes",
               "shared")


def _record(e: Entry, shared: float) -> dict:
    m = e.meta
    out = {}
    for key in DATA_FIELDS:
        if key in ("source_url", "retrieved"):
            out[key] = m.annotations.get(key)
        elif key == "notes":  # how many human notes the report has (data/annotations.jsonld holds them)
            out[key] = len(e.notes)
        elif key == "shared":  # the share of its text (whitespace aside) also found in another report
            out[key] = round(shared, 3)
        elif key == "source_file":
            out[key] = (m.source or "").replace("\\", "/").rsplit("/", 1)[-1]
        else:
            out[key] = getattr(m, key)
    out["url"] = address(e.slug)
    return out


# What each row of table.json holds, in order (province and level are indexes into their lists).
TABLE_COLUMNS = ("slug", "title", "unit", "province", "city", "county", "year", "level", "date", "source_url", "pinyin",
                 "notes", "shared")


def place_pinyin(e: Entry) -> str:
    """The unit's and its places' names in pinyin, so the table's filter finds 大足区 by typing dazu."""
    m = e.meta
    return " ".join(filter(None, (pinyin_word(n) for n in (m.unit, m.county, m.city, m.province) if n)))


# A cell starting with these is a formula to Excel, LibreOffice and Sheets (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str | int:
    """A value as a spreadsheet cell that shows it and never runs it.

    Lists are joined with "；". Text that a spreadsheet would read as a formula
    gets a leading apostrophe, which spreadsheets hide and treat as "this is
    text" (the JSON files keep the value exact).
    """
    if value is None:
        return ""
    if isinstance(value, list):
        value = "；".join(value)
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def data_files(entries: list[Entry], shared: dict[str, float] | None = None) -> dict[str, str]:
    """``shared``: each report's share of text also found in another report (by slug; none: 0)."""
    shared = shared or {}
    records = [_record(e, shared.get(e.slug, 0.0)) for e in entries]
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(records[0]) if records else list(DATA_FIELDS), lineterminator="\n")
    writer.writeheader()
    for r in records:
        writer.writerow({k: csv_cell(v) for k, v in r.items()})
    texts = [json.dumps({**record, "text": e.text}, ensure_ascii=False) for record, e in zip(records, entries)]
    # The table page reads a compact, column-wise file: repeated names are stored once.
    provinces = sorted({e.meta.province or UNKNOWN for e in entries}, key=province_order)
    levels = sorted({e.meta.level or "不详" for e in entries}, key=level_rank)
    table = {"provinces": provinces, "levels": levels,
             "columns": list(TABLE_COLUMNS),
             "rows": [[e.slug, e.display_title, e.meta.unit or "", provinces.index(e.meta.province or UNKNOWN),
                       e.meta.city or "", e.meta.county or "", e.meta.year or 0,
                       levels.index(e.meta.level or "不详"), e.meta.date or e.meta.published or "",
                       e.meta.annotations.get("source_url") or "", place_pinyin(e), len(e.notes),
                       round(shared.get(e.slug, 0.0), 3)] for e in entries]}
    return {
        "data/reports.csv": "\ufeff" + buf.getvalue(),  # the BOM lets spreadsheet programs see UTF-8
        "data/reports.json": json_list(records),
        "data/texts.jsonl": "\n".join(texts) + ("\n" if texts else ""),
        "data/table.json": json.dumps(table, ensure_ascii=False, separators=(",", ":")),
    }
