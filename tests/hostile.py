"""Hostile strings for every field a contributor controls, and their harmless twins.

A hostile value mixes what breaks publishers: tags, attribute breakers,
``javascript:``, Unicode direction and control characters, Markdown and YAML
syntax, Material's block syntax, snippet includes and very long runs. Its
harmless twin is the same string with every markup symbol and invisible
character replaced by ``x``: Chinese text, digits, letters, spaces and the
punctuation the converter's structure reads stay where they were, so a page built
from the twin must have exactly the same tag tree as the page built from the
hostile value. Any difference is markup the hostile value injected.
"""

from __future__ import annotations

import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import yaml
from hypothesis import strategies as st

from conftest import SEEDS
from converter.patterns import INVISIBLE
from sitebuild import WITHOUT_PASSAGES, build, make_project

FRAGMENTS = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(2)>", "</title><script>alert(3)</script>",
    '"><svg onload=alert(4)>', "'><iframe src=javascript:alert(5)>", "javascript:alert(6)",
    "<a href=\"javascript:alert(7)\">点我</a>", "<!--", "-->", "]]>", "<style>*{display:none}</style>",
    "&lt;script&gt;", "&#60;b&#62;", "&amp;", "&", "\u202e", "\u2066", "\u200d", "\u00ad", "\ufeff",
    "**粗**", "_斜_", "`代码`", "```", "~~~", "[链接](javascript:alert(8))", "![图](x)", "<http://evil.example>",
    "{: onclick=alert(9) }", "{ #id .cls }", "!!! danger \"x\"", "??? note", "=== \"标签\"", "--8<-- \"README.md\"",
    "[TOC]", "| a | b |", "# 标题", "> 引用", "- 列表", "1. 列表", "\\", "$$", "%", "@", "^", "~",
    "key: value", "- item", "&anchor", "*alias", "!!python/object:os.system", "---", "...", "#", "? ",
    "${{ secrets.X }}", "{{ config }}", "{% raw %}", "\x85", "\u2028",
    "法治政府建设", "依法行政", "，", "。", "（一）", "2023年",
]

# Symbols that matter to HTML, Markdown and YAML but not to the converter's structure (which reads
# ,.;:!?()-/ to tell headings, prose and titles apart, so the twin keeps those).
_SPECIAL = set("<>&\"'`*_{}[]#|~=$%@^\\+")


def harmless(value: str) -> str:
    """The twin: markup symbols and invisible characters become ``x``; all else is kept.

    So are line breaks, and the characters the cleaner removes (zero-width,
    private use): both reports then record the same removals.
    """
    return "".join("x" if (ch in _SPECIAL or unicodedata.category(ch)[0] == "C") and not INVISIBLE.match(ch)
                   and ch != "\n" else ch for ch in value)


def _join(parts: list[str]) -> str:
    return "".join(parts)


def text(min_size: int = 1, max_size: int = 8, long: bool = True) -> st.SearchStrategy[str]:
    """A hostile run of fragments, arbitrary characters and, sometimes, a very long stretch."""
    piece = st.one_of(st.sampled_from(FRAGMENTS), st.text(min_size=1, max_size=6))
    if long:
        piece = st.one_of(piece, st.just("<b>长</b>" * 300))
    return st.lists(piece, min_size=min_size, max_size=max_size).map(_join)


def one_line(max_chars: int) -> st.SearchStrategy[str]:
    """Hostile text a one-line sidecar field accepts: no line breaks or invisible characters, a bounded length."""
    return text(long=False).map(lambda s: "".join(
        ch for ch in s if unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp", "Cs"))[:max_chars].strip()
    ).filter(bool)


def note() -> st.SearchStrategy[str]:
    """Hostile text a sidecar note accepts: several lines, no invisible characters."""
    return text().map(lambda s: "".join(
        ch for ch in s if ch == "\n" or unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp", "Cs"))
    ).filter(lambda s: s.strip())


def body_line() -> st.SearchStrategy[str]:
    """Hostile text a report line can hold: no line breaks and no control characters (they make a file binary)."""
    return text().map(lambda s: "".join(
        ch for ch in s if unicodedata.category(ch) not in ("Cc", "Zl", "Zp", "Cs"))).filter(lambda s: s.strip())


class TagTree(HTMLParser):
    """A page's elements in order, each with its attribute names and the attributes that carry structure.

    Text and text-derived values (ids, link targets) are left out: those differ
    between a hostile value and its twin by design. So are the token spans
    Pygments writes inside a highlighted ``<pre>`` (the citations): a lexer
    splits different text into different tokens, and escapes all of it.
    """

    STRUCTURAL = ("class", "type", "rel", "http-equiv", "role")
    URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[tuple] = []
        self.bad: list[str] = []
        self._pre = 0

    def handle_starttag(self, tag, attrs):
        self._pre += tag == "pre"
        if self._pre and tag == "span":
            return self._check(tag, attrs)
        names = tuple(sorted(name for name, _ in attrs))
        kept = tuple(sorted((n, v) for n, v in attrs if n in self.STRUCTURAL))
        self.events.append(("start", tag, names, kept))
        self._check(tag, attrs)

    def _check(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.bad.append(f"<{tag} {name}=…>")
            if name in self.URL_ATTRIBUTES and value and value.strip().lower().startswith(
                    ("javascript:", "vbscript:", "data:text/html")):
                self.bad.append(f"<{tag} {name}={value[:40]}>")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if self._pre and tag == "span":
            return
        self._pre -= tag == "pre" and self._pre > 0
        self.events.append(("end", tag))


def tag_tree(html: str) -> TagTree:
    tree = TagTree()
    tree.feed(html)
    tree.close()
    return tree


class Parts(HTMLParser):
    """A page's element names, its attributes as (name, value) pairs, and its text (character references decoded)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attrs: set[tuple[str, str | None]] = set()
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attrs |= set(attrs)

    def handle_data(self, data):
        self.text.append(data)


def parts(html: str) -> Parts:
    parser = Parts()
    parser.feed(html)
    parser.close()
    return parser


class Text(HTMLParser):
    """A page's text as a reader sees it (character references decoded), scripts and styles left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = Text()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


# --- whole sites ---------------------------------------------------------------------

SEED = SEEDS / "002_c10955fb4422cdc5.txt"  # an issuer line, a title line, numbered headings
REPORTS = 3


@st.composite
def contribution(draw) -> dict:
    """A report and its sidecar, hostile in every field a contributor controls."""
    url_tail = draw(one_line(60)).encode("utf-8").hex()  # a valid address whose path is arbitrary
    return {
        "title_suffix": draw(body_line()),
        "heading_suffix": draw(body_line()),
        "paragraph": draw(body_line()),
        "sidecar": {
            "title": draw(one_line(200)),
            "unit": "测" + draw(one_line(150)),
            "town": "测" + draw(one_line(150)),
            "county": draw(one_line(100)),
            "city": draw(one_line(100)),
            "issuers": [draw(one_line(100)), draw(one_line(100))],
            "notes": [draw(note()), draw(note())],
            "source_url": f"https://x.gov.cn/{url_tail}?q='()*!$+,;=:@&r=" + draw(st.sampled_from(["%3Cb%3E", "a"])),
            # Values the schema refuses: they must show literally on the problems page.
            "province": draw(one_line(50)),
            "level": draw(one_line(50)),
            "retrieved": draw(one_line(50)),
            "former_slugs": ["测" + draw(one_line(50))],  # 测: the twin must be refused too
        },
        "unknown_key": "测" + draw(one_line(50)),
    }


ISSUE_EXAMPLE = {
    "title_suffix": "<script>alert(1)</script>", "heading_suffix": "</h2><script>alert(11)</script>",
    "paragraph": "<img src=x onerror=alert(12)>",
    "sidecar": {"title": "<img src=x onerror=alert(8)>标题", "unit": "测</title><script>alert(13)</script>",
                "town": "测\"><svg onload=alert(14)>", "county": "{{ config }}", "city": "{% raw %}",
                "issuers": ["<b onmouseover=alert(15)>机关</b>", "&lt;script&gt;"],
                "notes": ["!!! danger \"x\"\n<script>alert(16)</script>", "--8<-- \"README.md\""],
                "source_url": "https://x.gov.cn/a?b=1&c='onmouseover=alert(9)",
                "province": "<script>alert(17)</script>", "level": "javascript:alert(18)",
                "retrieved": "2026-02-30", "former_slugs": ["测\"><script>alert(19)</script>"]},
    "unknown_key": "测<script>alert(20)</script>",
}


def twin(value):
    if isinstance(value, str):
        return harmless(value)
    if isinstance(value, list):
        return [twin(v) for v in value]
    return {k: (v if k == "source_url" else twin(v)) for k, v in value.items()}


def write_site(tmp: Path, contributions: list[dict], harmless_twin: bool, passages: bool = True) -> Path:
    project = make_project(tmp, seeds=[])
    lines = SEED.read_text(encoding="utf-8").split("\n")
    for i, c in enumerate(contributions):
        c = twin(c) if harmless_twin else c
        text = list(lines)
        text[1] += c["title_suffix"]
        text[3] += c["heading_suffix"]
        text.insert(2, "测" + c["paragraph"])
        name = f"hostile-{'abc'[i]}-2023"
        (project / "seeds" / f"{name}.txt").write_text("\n".join(text), encoding="utf-8")
        sidecar = dict(c["sidecar"], **{c["unknown_key"]: 1})
        (project / "seeds" / f"{name}.yml").write_text(yaml.safe_dump(sidecar, allow_unicode=True), encoding="utf-8")
    result = build(project, strict=False, before="" if passages else WITHOUT_PASSAGES)
    assert result.returncode == 0, result.stderr[-3000:]
    return project / "site"
