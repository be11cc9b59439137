"""Nothing lost, nothing invented, everything shown literally — on every input we have."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser

import markdown
import pytest
import yaml

from converter import convert_file, to_markdown

from conftest import sample_files, seed_files
from shapes import SHAPES, write_shapes

SITE_EXTENSIONS = ["toc", "tables", "attr_list", "md_in_html", "admonition", "footnotes", "def_list",
                   "pymdownx.details", "pymdownx.superfences", "pymdownx.tilde", "pymdownx.mark"]


@pytest.fixture(scope="module")
def shape_paths(tmp_path_factory):
    return write_shapes(tmp_path_factory.mktemp("shapes"))


def all_inputs(shape_paths):
    return [str(p) for p in seed_files() + sample_files()] + [str(p) for p in shape_paths]


def nonspace(text: str) -> str:
    return re.sub(r"\s+", "", text)


def is_subsequence(needle: str, haystack: str) -> bool:
    it = iter(haystack)
    return all(ch in it for ch in needle)


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)


def html_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return "".join(parser.parts)


def test_every_character_is_kept_or_recorded_as_removed(shape_paths):
    for path in all_inputs(shape_paths):
        report = convert_file(path)
        source = nonspace(report.decoded.text)
        kept = nonspace("".join(b.text for b in report.structure.blocks))
        removed = nonspace("".join(r.text for r in report.cleaned.removals))
        assert Counter(kept) + Counter(removed) == Counter(source), path
        assert is_subsequence(kept, source), f"{path}: kept text is out of order"
        for r in report.cleaned.removals:
            assert r.text in report.decoded.text.split("\n")[r.line - 1], (path, r)


def test_restorations_are_the_only_added_text(shape_paths):
    for path in all_inputs(shape_paths):
        report = convert_file(path)
        added = "".join(b.restored for b in report.structure.blocks)
        assert added == "".join(r.text for r in report.structure.restorations), path


def test_markdown_renders_the_report_text_literally(shape_paths):
    for path in all_inputs(shape_paths):
        report = convert_file(path)
        md = to_markdown(report)
        body = md.split("\n---\n", 1)[1]
        html = markdown.markdown(body, extensions=SITE_EXTENSIONS)
        shown = nonspace(html_text(html))
        expected = nonspace("".join(b.display_text for b in report.structure.blocks))
        assert shown == expected, path
        assert "<script" not in html


def test_front_matter_round_trips_and_output_is_deterministic(shape_paths):
    for path in all_inputs(shape_paths):
        first = to_markdown(convert_file(path))
        assert to_markdown(convert_file(path)) == first, path
        front = yaml.safe_load(first.split("---\n", 2)[1])
        report = convert_file(path)
        for key, value in report.metadata.as_dict().items():
            if key != "source":
                assert front[key] == value, (path, key)


def test_shapes_convert_to_the_same_metadata(shape_paths):
    expected = convert_file(str(seed_files()[1])).metadata
    for path in shape_paths:
        m = convert_file(str(path)).metadata
        assert (m.town, m.county, m.province, m.year) == (expected.town, expected.county, expected.province,
                                                          expected.year), path


def test_web_page_chrome_is_removed_and_report_kept(shape_paths):
    by_name = {p.stem: p for p in shape_paths}
    plain = convert_file(str(by_name["utf8"]))
    for name in ("gb18030-crlf-web-page", "traditional-web-page"):
        page = convert_file(str(by_name[name]))
        body = [b.text for b in page.structure.blocks if b.kind not in ("issuer", "title")]
        assert len(body) == len([b for b in plain.structure.blocks if b.kind not in ("issuer", "title")]), name
        rules = {r.rule for r in page.cleaned.removals}
        assert {"drop_accessibility_bar", "drop_breadcrumb", "drop_document_register", "drop_byline",
                "drop_reading_controls", "drop_repeated_title", "drop_footer"} <= rules, name
    page = convert_file(str(by_name["gb18030-crlf-web-page"]))
    assert page.metadata.encoding == "gb18030"
    assert page.metadata.published == "2025-06-01" and page.metadata.date == "2023-01-20"


def test_word_export_is_rejoined_into_the_same_paragraphs(shape_paths):
    by_name = {p.stem: p for p in shape_paths}
    plain = convert_file(str(by_name["utf8"]))
    word = convert_file(str(by_name["word-export"]))
    assert [b.text.replace("\u200b", "") for b in plain.structure.blocks] == \
        [b.text for b in word.structure.blocks]


def test_all_shapes_are_exercised():
    assert len(SHAPES) >= 8
