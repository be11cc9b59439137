"""Pages the converter had never seen (issue 11): right title, right year, no furniture, nothing lost."""

from __future__ import annotations

import pytest

from converter import convert_file
from converter.pages import plain_text
from conftest import SEEDS
from pageshapes import SHAPES, chrome_left, no_space

BODY_KINDS = ("addressee", "heading", "paragraph", "signature")


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pageshapes")
    out = {}
    for shape in SHAPES:
        path = folder / f"{shape.name}.txt"
        path.write_text(shape.text, encoding="utf-8")
        out[shape.name] = convert_file(str(path))
    return out


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: s.name)
def test_metadata_of_each_shape(converted, shape):
    m = converted[shape.name].metadata
    got = {key: getattr(m, key) for key in shape.expected}
    assert got == shape.expected


@pytest.mark.parametrize("shape", [s for s in SHAPES if s.furniture], ids=lambda s: s.name)
def test_no_furniture_is_left_in_the_text(converted, shape):
    assert chrome_left(plain_text(converted[shape.name]), shape.furniture) == []


@pytest.mark.parametrize("shape", [s for s in SHAPES if s.base], ids=lambda s: s.name)
def test_the_report_body_comes_out_as_from_the_clean_seed(converted, shape):
    base = convert_file(str(SEEDS / f"{shape.base}.txt"))
    body = lambda r: [(b.kind, b.display_text) for b in r.structure.blocks if b.kind in BODY_KINDS]  # noqa: E731
    assert body(converted[shape.name]) == body(base)


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: s.name)
def test_every_character_is_kept_or_recorded(converted, shape):
    report = converted[shape.name]
    kept = no_space("".join(b.text for b in report.structure.blocks))
    removed = no_space("".join(r.text for r in report.cleaned.removals))
    assert sorted(no_space(report.decoded.text)) == sorted(kept + removed)


def test_pdf_extracted_text_gets_its_structure_back(converted):
    report = converted["pdf-extracted"]
    base = convert_file(str(SEEDS / "003_f635664e5ef9ff1d.txt"))
    headings = [b.display_text for b in report.structure.blocks if b.kind == "heading"]
    expected = [b.display_text for b in base.structure.blocks if b.kind == "heading"]
    # Every top-level heading, in order; of the rest, those the printed page set apart. A heading that
    # the source glued to its paragraph, or that lost its number and ends on a nearly full printed line,
    # cannot be told from a wrapped line.
    assert [h for h in headings if h[0] in "一二三四五六七八九十"] == [h for h in expected if h[0] in "一二三四五六七八九十"]
    assert set(headings) <= set(expected) and len(headings) >= 0.7 * len(expected)
    joins = [r for r in report.cleaned.removals if r.rule == "join_pdf_line_breaks"]
    assert joins and all(r.text == " " for r in joins)
    # A phrase broken across a printed line is whole again, so search finds it.
    assert "法治政府建设" in plain_text(report) and " " not in "".join(b.text for b in report.structure.blocks
                                                                       if b.kind == "paragraph")


def test_a_search_finds_a_phrase_that_a_printed_line_broke(converted):
    """The index is built from the repaired text, and a gram never spans a space: the join is what makes it findable."""
    from converter.pages import Entry, search_doc

    shape = next(s for s in SHAPES if s.name == "pdf-extracted")
    printed = shape.text.split(" ")
    wrapped = next(i for i, line in enumerate(printed) if len(line) == max(map(len, printed[:10])))  # a full line
    phrase = printed[wrapped][-3:] + printed[wrapped + 1][:3]  # e.g. 贯彻党 + 的二十
    assert phrase not in shape.text
    doc = search_doc(Entry.of(converted["pdf-extracted"]))
    assert any(phrase in line for line in doc.lines)


# The one title the labels give differently from the page: the page prints "沙市镇人民政" (cut short) and the
# label mends it; the converter keeps what is printed and a sidecar title can mend it.
PRINTED_TITLE_DIFFERS = {"s008.txt"}


@pytest.mark.parametrize("with_address", [True, False], ids=["with the source address", "from the text alone"])
def test_labelled_samples_have_no_wrong_year_place_or_title(tmp_path, with_address):
    import shutil

    import yaml

    from conftest import SAMPLES

    labels = yaml.safe_load((SAMPLES / "labels.yaml").read_text(encoding="utf-8"))
    wrong = []
    for label in labels:
        path = tmp_path / label["file"]
        shutil.copy(SAMPLES / label["file"], path)
        if with_address:
            path.with_suffix(".yml").write_text(yaml.safe_dump({"source_url": label["url"]}), encoding="utf-8")
        m = convert_file(str(path)).metadata
        for field in ("year", "unit", "level", "county", "city", "province"):
            if getattr(m, field) is not None and getattr(m, field) != label[field]:
                wrong.append((label["file"], field, label[field], getattr(m, field)))
        if m.title != label["title"] and label["file"] not in PRINTED_TITLE_DIFFERS:
            wrong.append((label["file"], "title", label["title"], m.title))
    assert wrong == []
