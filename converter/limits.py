"""How big a report may be before the archive treats it as a mistake.

Real reports are 3–40 KB of text (1,000–14,000 characters); a county's long
report may reach twice that. A file many times larger is almost always several
reports pasted together, or a whole web site saved by mistake: it still goes
into the archive (nothing a contributor gave is dropped), but ``check`` and the
build say so, and its page shows only the first ``PAGE_TEXT_CHARS``
characters, with the whole text one click away, so the page still loads fast.
"""

from __future__ import annotations

from .errors import ReportError
from .model import Structure

LARGE_REPORT_CHARS = 60_000  # about 180 KB as UTF-8: four times the longest real report seen
PAGE_TEXT_CHARS = LARGE_REPORT_CHARS


def text_chars(structure: Structure) -> int:
    """Characters of the cleaned text, one block a line."""
    return sum(len(b.display_text) + 1 for b in structure.blocks)


def oversize(path: str, structure: Structure) -> ReportError | None:
    """A problem when the report's text is far longer than any real report."""
    n = text_chars(structure)
    if n <= LARGE_REPORT_CHARS:
        return None
    return ReportError(
        path, f"报告正文有 {n:,} 字，超过 {LARGE_REPORT_CHARS:,} 字（真实的报告一般为 1 千至 1.4 万字），"
        f"很可能是几份报告或整个网页粘在了一个文件里；它的页面只显示前 {PAGE_TEXT_CHARS:,} 字",
        "每份报告单独保存为一个文件；如果这确实是一份报告，请在拉取请求中说明")
