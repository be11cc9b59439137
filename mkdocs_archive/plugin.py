"""A thin MkDocs adapter: the converter makes the pages, MkDocs shows them.

All logic lives in ``converter`` (which never imports MkDocs); this file only
maps MkDocs events onto it: watch the seeds, convert them (reusing unchanged
results between ``mkdocs serve`` rebuilds), hand the pages over as generated
files, and turn each unconvertible report into a warning.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

import converter
from converter import archive
from converter.collection import convert_paths

log = logging.getLogger("mkdocs.plugins.archive")


class ArchiveConfig(base.Config):
    seeds = c.Type(str, default="seeds")
    jobs = c.Optional(c.Type(int))
    # Search index tuning (see converter/search_index.py); the defaults suit archives of any size.
    search_max_gram = c.Optional(c.Type(int))
    search_rare_below = c.Optional(c.Type(int))


class ArchivePlugin(BasePlugin[ArchiveConfig]):
    def on_startup(self, *, command, dirty) -> None:
        # Defining on_startup keeps this instance across serve rebuilds, and with it the cache.
        self.cache: dict = {}

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path).parent
        self.seeds = root / self.config.seeds
        config.watch.extend([str(self.seeds), str(Path(converter.__file__).parent)])
        if (root / "CONTRIBUTING.md").exists():
            config.watch.append(str(root / "CONTRIBUTING.md"))
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        if not hasattr(self, "cache"):
            self.cache = {}
        reports, problems = convert_paths([str(self.seeds)], cache=self.cache, jobs=self.config.jobs)
        for problem in problems:
            log.warning("report not converted: %s", problem)
        entries = [archive.Entry.of(r) for r in reports]
        tuning = {"max_gram": self.config.search_max_gram, "rare_below": self.config.search_rare_below}
        search = {k: v for k, v in tuning.items() if v is not None}
        for path, content in archive.build(entries, problems, search=search, site_url=config.site_url).items():
            existing = files.get_file_from_path(path)
            if existing is not None:
                files.remove(existing)
            files.append(File.generated(config, path, content=content))
        return files

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if "title" in page.meta and not page.meta["title"]:
            del page.meta["title"]  # a report without a title: MkDocs then takes the page's H1
        return markdown
