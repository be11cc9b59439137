"""The Content-Security-Policy every page carries: the second wall if an escape is ever missed.

A static host cannot send headers of ours, so the policy is a ``<meta
http-equiv>`` placed first in the page's head, before anything it governs.
Scripts, styles, images, fonts and fetches come from the site itself only;
an inline script runs only if its SHA-256 is listed, and the hashes are taken
from the finished page with the page's own content left out: the theme's own
inline scripts (which differ from page to page) run, and a script in the
content, which could only be one that escaped the converter's escaping, does
not (nor does an event-handler attribute or a ``javascript:`` link anywhere).

``mkdocs serve`` adds a live-reload script that changes on every request and
cannot be hashed; the preview therefore allows inline scripts (``dev=True``).
The published site never does.
"""

from __future__ import annotations

import base64
import hashlib
import re

# An inline script element the browser would run: no src, and no data type such as application/json.
_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_DATA_TYPE = re.compile(r"""\btype\s*=\s*["']?(?!(?:text/javascript|module|application/javascript)\b)""",
                        re.IGNORECASE)
_SRC = re.compile(r"\bsrc\s*=", re.IGNORECASE)
_HEAD_START = re.compile(r"<head\b[^>]*>(\s*<meta\s+charset=[^>]*>)?", re.IGNORECASE)

FIXED_DIRECTIVES = (
    "default-src 'self'",
    "style-src 'self'",
    # Material draws its icons as SVG data: URLs in its style sheet (CSS masks count as images).
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-src 'none'",
)


def inline_script_hashes(html: str) -> list[str]:
    """The CSP source of each distinct inline script the page runs, in order of first appearance."""
    found: dict[str, None] = {}
    for m in _SCRIPT.finditer(html):
        attrs, code = m.group(1), m.group(2)
        if _SRC.search(attrs) or _DATA_TYPE.search(attrs):
            continue
        digest = base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode("ascii")
        found[f"'sha256-{digest}'"] = None
    return list(found)


PROBE = 64  # characters of a page's content looked for first (``without``)


def without(html: str, content: str) -> str:
    """``html.replace(content, "")``, found from the first characters of ``content``: ``str.replace`` with a page's
    whole content (40,000 characters) as what it looks for took eight times as long, 0.2 ms a page."""
    if not content:
        return html
    probe = content[:PROBE]
    kept, at = [], 0
    i = html.find(probe)
    while i >= 0:
        if html.startswith(content, i):  # each copy begins with the probe: the first that holds all is the next
            kept.append(html[at:i])
            at = i + len(content)
            i = html.find(probe, at)
        else:
            i = html.find(probe, i + 1)
    kept.append(html[at:])
    return "".join(kept)


def policy(html: str, dev: bool = False, content: str | None = None) -> str:
    """The policy for the finished page ``html``; ``content``: the page's own content, as the theme placed it in
    the page, whose scripts are not listed."""
    if dev:
        scripts = "'unsafe-inline'"
    else:  # the page with every copy of its content taken out: a script inside it is in none left
        scripts = " ".join(inline_script_hashes(without(html, content) if content else html))
    script_src = f"script-src 'self' {scripts}".rstrip()
    return "; ".join((FIXED_DIRECTIVES[0], script_src) + FIXED_DIRECTIVES[1:])


def with_policy(html: str, dev: bool = False, content: str | None = None) -> str:
    """``html`` with its policy (``policy``) as the first element of its head (after the charset, which must come
    first)."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(html, dev, content)}">'
    m = _HEAD_START.search(html)
    if not m:
        raise ValueError("the page has no <head> to put its Content-Security-Policy in")
    return html[:m.end()] + meta + html[m.end():]
