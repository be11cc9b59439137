"""The files MkDocs copies into the site from a source: the originals and the theme's files.

One copied unchanged since the last build is taken back from that build's site
(``sitedir.Aside``); the others are copied by another process while the theme
is built (``sitedir.Copying``): at 10,000 reports MkDocs copied the originals
one by one after the theme, 3 s of a cold build with one core idle. Either way
MkDocs then finds the file's source at its destination, and copies nothing.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from converter import sitedir


class Copies:
    """This build's files to copy (``files``), as MkDocs would copy them after ``on_env``."""

    def __init__(self, files: Files, inclusion, config: MkDocsConfig) -> None:
        self.files: list[File] = [
            file for file in files
            if not file.is_documentation_page() and inclusion(file.inclusion) and file.abs_src_path is not None
            and file.abs_src_path != file.abs_dest_path
            and file.src_uri not in config.extra_templates]  # rendered from its source, not copied
        self.copying: sitedir.Copying | None = None

    def take_back(self, written: sitedir.Written, aside: sitedir.Aside | None) -> None:
        """Record each file's identity (its source's path, size and time); take back those the last build copied
        alike (``aside``, when there is one)."""
        for file in self.files:
            identity = sitedir.copied_identity(file.abs_src_path)
            if identity is None:
                continue
            written.add(file.dest_uri, identity)
            if aside is not None and aside.take_back(file.dest_uri, identity):
                self._in_place(file)

    def start(self) -> None:
        """Start copying those not taken back, in another process."""
        left = [(file.abs_src_path, file.abs_dest_path) for file in self.files
                if file.abs_src_path != file.abs_dest_path]
        if left:
            self.copying = sitedir.Copying(left)

    def finish(self) -> None:
        """Wait for the copying; what it copied, MkDocs does not copy again (what it did not, MkDocs copies)."""
        if self.copying is None:
            return
        copied, self.copying = self.copying.finish(), None
        for file in self.files:
            if file.abs_dest_path in copied:
                self._in_place(file)

    @staticmethod
    def _in_place(file: File) -> None:
        file.abs_src_path = file.abs_dest_path
