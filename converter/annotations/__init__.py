"""Stage 7, annotations: spans of a report's cleaned text, each with a kind and a body.

Producers each make one kind and know nothing of the page: ``notes`` anchors
the human notes a sidecar holds (``entries`` reads them, ``anchoring`` finds
their passages). ``render`` draws every kind into the report's Markdown with
one set of rules for overlapping and nested spans; ``body`` turns a note's
Markdown into inert HTML; ``w3c`` exports and imports W3C Web Annotations.
"""

from .model import Annotation, NoteEntry

__all__ = ["Annotation", "NoteEntry"]
