"""Generated pages' one-line HTML elements, set aside while Python-Markdown renders the rest of the page.

A category page of key figures is a table of 1,000 rows, written as HTML on one line
(``converter.pages.figures``). Python-Markdown's HTML-block parser reads such a line
tag by tag only to hand it back as it was, and MkDocs reads it once more, looking for
anchors: 0.3 s a page, half of the 18 processor-seconds that the generated Markdown
pages took at 10,000 reports. A line that is one whole element, alone between blank
lines, with nothing in it either would act on, is replaced by a placeholder paragraph
before the render (``set_aside``), and that paragraph by the line after it
(``put_back``): the same HTML, unread. Where a placeholder did not come out as a
paragraph of its own (the line was inside a fenced block, say), ``put_back`` says so,
and the page is rendered whole instead.
"""

from __future__ import annotations

import hashlib
import re

# Elements the converter writes on one line (figures.py); other tags are left to Python-Markdown.
_TAGS = ("div", "table")
_OPEN_CLOSE = {tag: re.compile(rf"<(/?){tag}[\s>]") for tag in _TAGS}
# What Python-Markdown or MkDocs would act on inside an element: Markdown in it (md_in_html), an anchor MkDocs
# records (``id``, or ``name`` on a link), and the constructs whose text the HTML parser reads differently.
_ACTED_ON = re.compile(r"markdown|\s(?:id|name)\s*=|<!--|<!\[|<\?|<(?:script|style|pre|textarea)\b", re.IGNORECASE)
# An element whose content Python-Markdown renders (md_in_html): its parser then reads the raw HTML after it with a
# state of its own, and a line set aside after a badly nested one came out otherwise than whole (Hypothesis found
# one). The converter's pages of one-line tables have none.
_MARKDOWN_INSIDE = re.compile(r"<[A-Za-z][^>]*\smarkdown\b", re.IGNORECASE)
# What HTML's parser may read on past its line: a tag not closed on it (``正文<a``: the parser took the ``<div>``
# set aside below it for an attribute of that ``<a``), a comment, a declaration, an ``&`` that begins no whole
# reference (``正文&#``: the parser waited for the rest of it, and read the lines after as text). The converter
# writes every ``<`` and ``&`` of text as ``&lt;`` and ``&amp;``, and each tag whole on one line.
_OPEN_ENDED = re.compile(r"<(?:[!?]|/(?![A-Za-z][^<>\n]*>)|[A-Za-z](?![^<>\n]*>))"
                         r"|&(?!#[0-9]+;|#[xX][0-9A-Fa-f]+;|[A-Za-z][A-Za-z0-9]*;)")


def whole_element(line: str) -> bool:
    """Whether ``line`` is one ``div`` or ``table`` element, opened at its start and closed at its end (not closed
    and another opened between), with nothing in it that Python-Markdown or MkDocs would act on. The converter
    escapes every text it puts in HTML, so each ``<`` in such a line starts a tag."""
    for tag, pattern in _OPEN_CLOSE.items():
        if not (line.startswith(f"<{tag}") and line.endswith(f"</{tag}>")):
            continue
        tags = list(pattern.finditer(line))
        if not tags or tags[0].start() != 0:
            return False  # another tag whose name begins alike (<divider>)
        depth = 0
        for n, found in enumerate(tags):
            depth += -1 if found.group(1) else 1
            if depth == 0 and n != len(tags) - 1:
                return False  # closed before the line ends: more than one element
        return depth == 0 and not _ACTED_ON.search(line)
    return False


def set_aside(markdown: str) -> tuple[str, dict[str, str]]:
    """``markdown`` with each whole element alone between blank lines (``whole_element``) replaced by a placeholder
    word, and the lines replaced, by placeholder. Nothing is set aside on a page with Markdown inside an element, or
    a ``<`` or ``&`` that the HTML parser may read on past its line (``_OPEN_ENDED``). Placeholders are letters and
    digits (nothing Markdown acts on), made from a digest of the page: the same page gives the same ones, and none
    occurs in it already."""
    if _MARKDOWN_INSIDE.search(markdown) or _OPEN_ENDED.search(markdown):
        return markdown, {}
    lines = markdown.split("\n")
    stamp = None  # made once a line is set aside: most pages have none, and need no digest
    blocks: dict[str, str] = {}
    for n, line in enumerate(lines):
        if not whole_element(line) or (n > 0 and lines[n - 1].strip()) or (n + 1 < len(lines) and lines[n + 1].strip()):
            continue
        stamp = stamp or hashlib.sha256(markdown.encode("utf-8", "surrogatepass")).hexdigest()[:16]
        word = f"ARCHIVERAW{len(blocks)}X{stamp}"
        if word in markdown:
            return markdown, {}
        blocks[word] = line
        lines[n] = word
    return ("\n".join(lines), blocks) if blocks else (markdown, {})


def put_back(html: str, blocks: dict[str, str]) -> str | None:
    """The rendered ``html`` with each placeholder's paragraph replaced by its line, as Python-Markdown puts back
    an HTML block it kept aside; None when a placeholder is not found once, alone in its paragraph."""
    for word, line in blocks.items():
        paragraph = f"<p>{word}</p>"
        if html.count(paragraph) != 1 or html.count(word) != 1:
            return None
        html = html.replace(paragraph, line + "\n")  # a kept block comes back with its line's end
    return html.strip()  # as Python-Markdown leaves its output: a block that ends the page ends it
