"""The front-matter writer must be read back by yaml.safe_load exactly, whatever the text."""

from __future__ import annotations

import yaml

from converter import frontmatter

TRICKY = ["yes", "no", "null", "~", "true", "1.0", "2022", "0x1f", "1e10", "12:30", "2023-01-09",
          "- item", "# not a comment", "a: b", "key:", "x #y", " leading", "trailing ", "'quoted'", '"dq"',
          "back\\slash", "[list]", "{map}", "&anchor", "*alias", "!tag", "|pipe", ">fold", "%dir", "@at", "`tick",
          "line\nbreak", "tab\there", "nel\x85", "bom\ufeff", "ls\u2028", "中共重庆市大足区拾万镇委", "您当前所在位置: 首页>",
          "访问量:", "【字体:", "", " ", "0" * 64, "?", ",", "=", "<script>alert(1)</script>"]


def test_tricky_strings_round_trip():
    data = {"values": TRICKY, "map": {t or "empty": t for t in TRICKY[:20]},
            "records": [{"rule": "drop_byline", "line": 3, "text": t} for t in TRICKY],
            "none": None, "number": 2022, "empty_list": [], "empty_map": {}}
    assert yaml.safe_load(frontmatter.dump(data)) == data


def test_plain_chinese_stays_readable():
    out = frontmatter.dump({"title": "关于拾万镇2022年法治政府建设情况的报告", "county": None, "year": 2022})
    assert out == "title: 关于拾万镇2022年法治政府建设情况的报告\ncounty: null\nyear: 2022\n"
