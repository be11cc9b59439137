"""The Content-Security-Policy lists the theme's inline scripts and never one inside a page's content
(``converter.csp``): a script that escaped the converter's escaping would not run."""

from __future__ import annotations

import base64
import hashlib
import re

from hypothesis import given, settings, strategies as st

from converter import csp
from sitebuild import build, make_project

INJECTED = "alert(document.domain)"


def _source(code: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode("ascii") + "'"


def test_the_policy_lists_the_scripts_outside_the_content_only():
    content = f'<p>正文</p><script>{INJECTED}</script><p onclick="x()">尾</p>'
    page = (f'<html><head><meta charset="utf-8"><script>var theme = 1;</script></head><body><article>{content}'
            '</article><script type="application/json">{"data": 1}</script><script>var footer = 2;</script></body>'
            '</html>')
    listed = csp.policy(page, content=content)
    assert _source("var theme = 1;") in listed and _source("var footer = 2;") in listed
    assert _source(INJECTED) not in listed, "a script in the content is never listed"
    assert "unsafe-inline" not in listed and "application/json" not in listed
    assert _source(INJECTED) in csp.policy(page), "a page made from a template alone (404.html) lists all it has"
    assert "'unsafe-inline'" in csp.policy(page, dev=True, content=content), "the preview's live reload"


# Few letters, so that copies, near-copies and overlapping copies of the content are common.
_LETTERS = st.text(alphabet="ab<", max_size=40)


@settings(max_examples=300, deadline=None)
@given(_LETTERS, _LETTERS, st.integers(min_value=1, max_value=5))
def test_the_content_is_taken_out_as_str_replace_takes_it_out(html, content, probe):
    """Every copy of the content goes, left to right, whatever the probe's length: one that only begins like it
    (its probe found, the rest not) stays, as do overlapping copies after the first."""
    original = csp.PROBE
    csp.PROBE = probe
    try:
        assert csp.without(html, content) == html.replace(content, "")
        page = html + content + html + content[:-1] + content
        assert csp.without(page, content) == page.replace(content, "")
    finally:
        csp.PROBE = original


def test_a_script_in_a_pages_content_is_left_out_of_the_built_pages_policy(tmp_path):
    project = make_project(tmp_path)
    (project / "docs" / "injected.md").write_text(f"# 页\n\n<script>{INJECTED}</script>\n\n正文。\n", encoding="utf-8")
    result = build(project, strict=False)
    assert result.returncode == 0, result.stderr
    html = (project / "site" / "injected" / "index.html").read_text(encoding="utf-8")
    assert f"<script>{INJECTED}</script>" in html, "the page holds it (docs/ is the project's own Markdown)"
    policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html).group(1)
    theme = [code for attrs, code in re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S)
             if "src=" not in attrs and "type=" not in attrs and code != INJECTED]
    assert theme and all(_source(code) in policy for code in theme), "the theme's own scripts still run"
    assert _source(INJECTED) not in policy
