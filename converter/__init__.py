"""Turn plain-text 法治政府建设 reports into cleaned Markdown with metadata.

The pipeline, one module per stage: ``read`` → ``decode`` → ``clean`` →
``structure`` → ``metadata`` (with ``places`` and ``gazetteer``) → ``render``;
``pipeline`` runs them in order. Nothing here imports MkDocs.
"""

from .errors import ReportError
from .pipeline import convert_file, make_slugs_unique
from .render import to_markdown

__all__ = ["ReportError", "convert_file", "make_slugs_unique", "to_markdown"]
