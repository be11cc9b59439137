"""Hostile contributions are shown literally everywhere and inject nothing (issue 10's property tests).

Two levels: the Markdown escaping every contributed value goes through, tested
on hundreds of generated strings with the site's own Markdown extensions; and
whole sites built from generated hostile reports and sidecars, whose every
page must have the same tag tree as the site built from the harmless twins.
"""

from __future__ import annotations

import csv
import io
import json
import re
from functools import lru_cache
from pathlib import Path

import markdown
import markupsafe
import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

import hostile
from conftest import ROOT
from converter.render import escape_markdown


@lru_cache(maxsize=1)
def site_markdown() -> markdown.Markdown:
    """Python-Markdown configured exactly as mkdocs.yml configures it (the toc's slugify included)."""
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"))
    return markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"])


def render(text: str) -> str:
    md = site_markdown()
    md.reset()
    return md.convert(text)


def _collapsed(text: str) -> str:
    return re.sub(r"[ \t\n]+", " ", text).strip()


@settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile.text(long=False).filter(lambda s: "\n" not in s and "\r" not in s))
def test_an_escaped_line_renders_as_one_paragraph_of_its_own_text(value):
    value = "".join(ch for ch in value if ch not in "\x85\u2028\u2029").strip(" \t")
    if not value.strip():
        return
    html = render(escape_markdown(value))
    tree = hostile.tag_tree(html)
    assert [e[:2] for e in tree.events] == [("start", "p"), ("end", "p")], html
    pictured = "".join(chr(0x2400 + ord(ch)) if ord(ch) < 0x20 and ch not in "\t\n" else ch for ch in value)
    assert _collapsed(hostile.visible_text(html)) == _collapsed(pictured)  # as a browser shows whitespace


@settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(hostile.text(long=False), min_size=1, max_size=5).map("\n".join))
@example("第一行\n!!! danger \"x\"\n    缩进\n=== \"标签\"\n---\n--8<-- \"README.md\"\n??? note\n1. 一\n- 二\n> 三")
def test_escaped_lines_render_as_text_whatever_each_line_starts_with(value):
    """A note of several lines: no line may start a block (admonition, tabs, list, code, include …)."""
    value = "".join(ch for ch in value if ch not in "\x00\r\x0b\x0c\x85\u2028\u2029")
    html = render(escape_markdown(value))
    tags = {e[1] for e in hostile.tag_tree(html).events}
    assert tags <= {"p"}, html
    assert "README" not in html or "README" in value  # no file was included


# --- whole sites ---------------------------------------------------------------------

def _pages(site: Path) -> dict[str, str]:
    return {str(p.relative_to(site)): p.read_text(encoding="utf-8") for p in sorted(site.rglob("*.html"))}


def _csv_cell(value: str) -> str:
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


@settings(max_examples=2, deadline=None, database=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                 HealthCheck.data_too_large])
@given(st.lists(hostile.contribution(), min_size=hostile.REPORTS, max_size=hostile.REPORTS))
@example([hostile.ISSUE_EXAMPLE] * hostile.REPORTS)
def test_hostile_values_inject_no_markup_on_any_page(tmp_path_factory, contributions):
    # The twins are compared without shared passages, which depend on every character (so differ between
    # twins); the hostile site with them must still carry no markup of the contributor's.
    evil = _pages(hostile.write_site(tmp_path_factory.mktemp("hostile"), contributions, harmless_twin=False,
                                     passages=False))
    calm = _pages(hostile.write_site(tmp_path_factory.mktemp("twin"), contributions, harmless_twin=True,
                                     passages=False))
    assert evil.keys() == calm.keys()
    for path, html in evil.items():
        tree = hostile.tag_tree(html)
        assert not tree.bad, (path, tree.bad)
        assert tree.events == hostile.tag_tree(calm[path]).events, f"{path}: markup differs from its harmless twin"
    shared = _pages(hostile.write_site(tmp_path_factory.mktemp("shared"), contributions, harmless_twin=False))
    assert any("ann-shared" in html for html in shared.values())  # the reports share the seed's text
    for path, html in shared.items():
        tree = hostile.tag_tree(html)
        assert not tree.bad, path
        tags = {e[1] for e in tree.events}
        assert tags <= {e[1] for e in hostile.tag_tree(evil[path]).events} | {"mark", "span", "a", "ol", "li", "br"}, path
    for i, c in enumerate(contributions):
        page = evil[f"reports/hostile-{'abc'[i]}-2023/index.html"]
        shown = hostile.visible_text(page)
        for value in (c["sidecar"]["title"], c["sidecar"]["source_url"], *c["sidecar"]["issuers"]):
            assert value.strip() in shown, value  # shown literally, not stripped or interpreted
        assert f"<title>{markupsafe.escape(c['sidecar']['title'])} - " in page


@pytest.fixture(scope="module")
def issue_site(tmp_path_factory) -> Path:
    return hostile.write_site(tmp_path_factory.mktemp("issue"), [hostile.ISSUE_EXAMPLE] * hostile.REPORTS, harmless_twin=False)


def test_data_files_carry_hostile_values_exactly_and_inertly(issue_site):
    title = hostile.ISSUE_EXAMPLE["sidecar"]["title"]
    records = json.loads((issue_site / "data" / "reports.json").read_text(encoding="utf-8"))
    assert {r["title"] for r in records} == {title}
    assert all(r["source_url"] == hostile.ISSUE_EXAMPLE["sidecar"]["source_url"] for r in records)
    rows = list(csv.DictReader(io.StringIO((issue_site / "data" / "reports.csv").read_text(encoding="utf-8-sig"))))
    assert [r["title"] for r in rows] == [_csv_cell(title)] * hostile.REPORTS
    for line in (issue_site / "data" / "texts.jsonl").read_text(encoding="utf-8").splitlines():
        assert "<img src=x onerror=alert(12)>" in json.loads(line)["text"]


def test_a_spreadsheet_formula_in_a_value_is_not_a_formula_in_reports_csv(tmp_path):
    formula = "=HYPERLINK(\"http://evil.example\",\"点此\")"
    contribution = json.loads(json.dumps(hostile.ISSUE_EXAMPLE))
    contribution["sidecar"]["title"] = formula
    site = hostile.write_site(tmp_path, [contribution], harmless_twin=False)
    (row,) = csv.DictReader(io.StringIO((site / "data" / "reports.csv").read_text(encoding="utf-8-sig")))
    assert row["title"] == "'" + formula
    (record,) = json.loads((site / "data" / "reports.json").read_text(encoding="utf-8"))
    assert record["title"] == formula  # JSON is not opened by spreadsheets: kept exact


def test_problems_page_shows_refused_values_as_text(issue_site):
    html = (issue_site / "problems" / "index.html").read_text(encoding="utf-8")
    text = hostile.visible_text(html)
    assert "<script>alert(17)</script>" in text and "测<script>alert(20)</script>" in text
    assert "2026-02-30" in text and "/tmp/" not in text


def test_the_source_link_is_attribute_escaped_even_past_the_schema():
    """The schema refuses quotes in addresses; the link escapes them anyway, as a second wall."""
    from converter.pages.report_parts import source_link as _source_link

    html = _source_link('https://x.gov.cn/a?b="><script>alert(1)</script>&c=\'')
    tree = hostile.tag_tree(html)
    assert [e[1] for e in tree.events] == ["a", "a"] and not tree.bad
    assert 'href="https://x.gov.cn/a?b=&quot;&gt;&lt;script&gt;' in html


def test_a_hostile_file_name_stays_inside_the_correction_links(tmp_path):
    """The 纠错 links carry the report's file name into a URL: it is percent-encoded and attribute-escaped."""
    import shutil

    from converter import convert_file
    from converter.pages import Entry
    from converter.pages.report_parts import correction_links as _correction_links
    from conftest import SEEDS

    path = tmp_path / '"><img src=x onerror=alert(1)>.txt'
    shutil.copy(SEEDS / "000_66a8a630a4ee21e1.txt", path)
    html = _correction_links(Entry.of(convert_file(str(path))), "https://github.com/example/archive")
    tree = hostile.tag_tree(html)
    assert [e[1] for e in tree.events] == ["a", "a", "a", "a"] and not tree.bad
    assert "%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E.yml" in html
