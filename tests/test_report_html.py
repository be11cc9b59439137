"""Report pages are written as HTML, not through Python-Markdown: they must say exactly what it would have said.

Held against Python-Markdown with the site's own extensions, on every seed and
sample and on hostile text: the same words in every paragraph, the same
headings with the same anchors (readers link to them) and the same table of
contents, nested the same way.
"""

from __future__ import annotations

import html
import re
from dataclasses import replace
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SEEDS
from converter.model import Block
from converter.outline import Outline, slugify
from converter.pipeline import convert_file
from converter.render import body, body_html, heading_title
from converter.spill import Spill
from sitebuild import site_markdown

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "tests/data/samples"


class Blocks(HTMLParser):
    """The page's blocks as (tag, id, visible text), permalinks left out."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, str | None, str]] = []
        self.depth = 0
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("p", "h1", "h2", "h3", "h4", "h5", "h6") and not self.depth:
            self.blocks.append((tag, attrs.get("id"), ""))
            self.depth = 1
        elif self.depth:
            self.depth += tag != "br"
        if tag == "a" and attrs.get("class") == "headerlink":
            self.skip = 1

    def handle_endtag(self, tag):
        if self.depth and tag != "br":
            self.depth -= 1
        if tag == "a":
            self.skip = 0

    def handle_data(self, data):
        if self.blocks and self.depth and not self.skip:
            tag, ident, text = self.blocks[-1]
            self.blocks[-1] = (tag, ident, text + data)


def shown(page_html: str) -> list[tuple[str, str | None, str]]:
    parser = Blocks()
    parser.feed(page_html)
    return [(tag, ident, " ".join(text.split())) for tag, ident, text in parser.blocks]


def both(report):
    md = site_markdown()
    old = md.convert(body(report))
    outline = Outline()
    title = heading_title(report)
    new = (outline.heading(1, title) + "\n" if title else "") + body_html(report, outline)
    return md, old, outline, new


def report_files() -> list[Path]:
    return sorted(SEEDS.glob("*.txt")) + sorted(SAMPLES.glob("*.txt"))


@pytest.mark.parametrize("path", report_files(), ids=lambda p: p.name)
def test_the_html_says_what_python_markdown_said(path):
    md, old, outline, new = both(convert_file(str(path), use_sidecar=False))
    assert shown(new) == shown(old)
    assert outline.toc() == [strip_html_key(t) for t in md.toc_tokens]


def strip_html_key(token: dict) -> dict:
    """Python-Markdown's tokens carry their HTML too; the theme reads the name (HTML: ``&#124;`` is ``|``)."""
    return {"level": token["level"], "id": token["id"], "name": html.escape(html.unescape(token["name"]), quote=False),
            "children": [strip_html_key(c) for c in token["children"]]}


def report_of(blocks: list[Block]):
    """A converted report whose structure is ``blocks`` (the renderer reads nothing else)."""
    report = seed_report()
    return replace(report, structure=replace(report.structure, blocks=tuple(blocks)))


@lru_cache(maxsize=1)
def seed_report():
    return convert_file(str(sorted(SEEDS.glob("*.txt"))[0]), use_sidecar=False)


LINE = st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(list("<>&#*_`|~!?=-{}[]\\ ")),
               min_size=1, max_size=30).filter(lambda s: s.strip())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(["heading", "paragraph"]), st.integers(2, 4), LINE), min_size=1, max_size=8))
def test_hostile_text_shows_literally_with_the_same_anchors(items):
    """Any text, marked up or not, shows as its own characters; anchors and nesting match Python-Markdown's."""
    blocks = [Block(kind, text.strip(), i, level if kind == "heading" else 0) for i, (kind, level, text) in enumerate(items)]
    report = report_of(blocks)
    md, old, outline, new = both(report)
    texts = [(tag, " ".join(text.split())) for tag, _, text in shown(new) if tag != "h1"]
    assert texts == [("h%d" % b.level if b.kind == "heading" else "p", " ".join(b.display_text.split()))
                     for b in blocks]
    assert [i for _, i, _ in shown(new)] == [i for _, i, _ in shown(old)]
    assert outline.toc() == [strip_html_key(t) for t in md.toc_tokens]
    assert not re.search(r"<(?!/?(p|h\d|a|br)\b)", re.sub(r'<a class="headerlink"[^>]*>', "", new))


def test_repeated_and_empty_slugs_get_counted_like_python_markdown():
    outline = Outline(("cite",))
    ids = [outline.unique(slugify(t)) for t in ("一、总结", "一、总结", "！！", "！！", "cite", "x_1", "x_1")]
    assert ids == ["一总结", "一总结_1", "_1", "_2", "cite_1", "x_1", "x_2"]


def test_a_report_without_a_title_gets_one_and_its_headings_nest_under_it(tmp_path):
    from converter import pages

    path = tmp_path / "chongqing-dazu-shiwanzhen-2022.txt"
    path.write_text("一、主要成效\n\n2022年，我镇全面推进依法行政。\n\n二、存在问题\n\n还有不足。\n", encoding="utf-8")
    entry = pages.Entry.of(convert_file(str(path)))
    page = pages.build([entry])[f"reports/{entry.slug}.md"]
    [top] = page.toc
    assert (top["level"], top["name"]) == (1, entry.display_title)
    assert [c["name"] for c in top["children"]][:2] == ["一、主要成效", "二、存在问题"]
    assert page.html.startswith(f'<h1 id="{top["id"]}">')


def test_a_control_character_in_a_heading_shows_as_its_picture_as_in_the_text():
    outline = Outline()
    assert outline.heading(2, "一、成效\x03<b>").startswith('<h2 id="一成效">一、成效␃&lt;b&gt;<a class="headerlink"')
    assert outline.toc()[0]["name"] == "一、成效␃&lt;b&gt;"


class Ids(HTMLParser):
    """Every id attribute on a page, as a browser would read it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.ids.update(value for name, value in attrs if name == "id" and value)


def test_a_report_pages_anchors_are_every_id_on_it_and_nothing_else(tmp_path):
    """MkDocs checks links into a report page against ``anchors()``: a missing id would warn of a link that works,
    and an attribute that only ends in "id" (data-id, a tooltip's aria-describedby) must not pass for one."""
    from converter import pages
    from converter.collection import convert_paths

    reports, _ = convert_paths([str(SEEDS)])
    built = pages.build([pages.Entry.of(r) for r in reports])
    shown = [made for made in built.values() if isinstance(made, pages.ReportPage)]
    assert len(shown) == len(reports)
    for made in shown:
        parser = Ids()
        parser.feed(made.html)
        assert made.anchors() == parser.ids
        assert {"cite", "terms"} <= made.anchors()
        # Spooled to disk (as the site's build does), a page reads back the same and keeps the same anchors.
        spooled = made.spool(Spill(tmp_path))
        assert spooled.held is None and spooled.html == made.html and spooled.anchors() == made.anchors()
        assert str(spooled) == str(made)
    page = pages.ReportPage(shown[0].meta, shown[0].title, shown[0].html + '<span data-id="not-an-anchor">x</span>')
    assert "not-an-anchor" not in page.anchors()
