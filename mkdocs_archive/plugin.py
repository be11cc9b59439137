"""A thin MkDocs adapter: the converter makes the pages, MkDocs shows them.

All logic lives in ``converter`` (which never imports MkDocs); this file only
maps MkDocs events onto it: watch the seeds (``watching``), convert them (reusing unchanged
results between ``mkdocs serve`` rebuilds), hand the pages over as generated
files, turn each problem into a warning, make every title inert before the
theme prints it, and give every finished page its Content-Security-Policy.

Report pages come as HTML (``converter.pages.ReportPage``): each gets a
``htmlpage.HtmlPage``, which hands MkDocs that HTML, title and table of contents
where a page would otherwise run Python-Markdown. The other generated pages
are ``pagecache.MarkdownPage``s, rendered on every core before MkDocs' loop
(``on_nav``) or taken from the cache. Pages are then put through the theme on
every core at once (``on_env``): forked workers run MkDocs' own page build on
them, and MkDocs' loop passes over them. A page whose finished file is in the
cache (``pagecache.FinishedPages``) is written from there instead. The last
build's site is moved out of MkDocs' way before it empties the folder; what of
it this build would write alike (a finished page, an original or theme file
copied unchanged) is moved back, and the rest is deleted by another process
meanwhile (``converter.sitedir``); the originals not taken back are copied by
another process while the theme is built (``copies``).
"""

from __future__ import annotations

import gc
import hashlib
import logging
import os
from contextlib import ExitStack
from pathlib import Path
from typing import Callable

import jinja2
from markupsafe import Markup
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.commands import build as mkdocs_build
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.utils import write_file

import converter
from converter import cache as report_cache, check, csp, pages, shard, sitedir, slug
from converter.collection import convert_paths
from converter.pages.kept import KeptPages
from converter.read import expand_paths
from converter.spill import Spill
from converter.workers import MIN_PARALLEL, fork_map

from .alike import AlikeBlocks
from .copies import Copies
from .keys import material_templates, page_key, template_key
from .themefiles import listing_visible
from .htmlpage import PAGE_EVENTS, HtmlPage
from .pagecache import FinishedPages, MarkdownPage, MarkdownRenders, compiled_templates

log = logging.getLogger("mkdocs.plugins.archive")

# Page metadata the theme prints into the page as it is (Material's base.html and header.html).
PRINTED_META = ("title", "description", "author")
# A page a worker has already built and written renders this empty template in MkDocs' loop, which
# then writes nothing for it (and says so at INFO, which ``_QuietAboutBuilt`` keeps quiet).
BUILT_TEMPLATE = "archive/already-built.html"


class _QuietAboutBuilt(logging.Filter):
    """Drops MkDocs' "Page skipped" line for the pages the workers built: they were not skipped."""

    SAID = "Page skipped: '"  # then the page's src_uri, as mkdocs.commands.build._build_page logs it

    def __init__(self) -> None:
        super().__init__()
        self.built: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not (message.startswith(self.SAID) and message[len(self.SAID):].split("'", 1)[0] in self.built)


QUIET = _QuietAboutBuilt()
logging.getLogger("mkdocs.commands.build").addFilter(QUIET)


class ArchiveConfig(base.Config):
    seeds = c.Type(str, default="seeds")
    jobs = c.Optional(c.Type(int))
    # Converted reports are kept here between builds (default: $ARCHIVE_CACHE, else .cache/archive beside
    # mkdocs.yml); safe to delete. "off" switches the cache off.
    cache_dir = c.Optional(c.Type(str))
    # Search index tuning (see converter/search_index.py); the defaults suit archives of any size.
    search_max_gram = c.Optional(c.Type(int))
    search_rare_below = c.Optional(c.Type(int))
    search_own_file_from = c.Optional(c.Type(int))
    # One share of the reports, as "2/4" (default: $ARCHIVE_SHARD); see converter/shard.py. Unset: all of them.
    shard = c.Optional(c.Type(str))


class ArchivePlugin(BasePlugin[ArchiveConfig]):
    command = None  # until on_startup says which (a build run without the CLI has no startup)
    dirty = None  # a build without the CLI: MkDocs empties the site itself, as it was told or not
    aside: sitedir.Aside | None = None  # the last build's site, set aside: taken back from, then deleted meanwhile
    written: sitedir.Written | None = None  # what this build writes, for the next one to take back
    served: dict[str, tuple] | None = None  # under serve: what the last build wrote (``Written.save``)
    collector: ExitStack | None = None  # the collector's build settings, from on_pre_build until the build ends
    observer = None  # under serve: the native observer watching the seeds (``watching``)

    def on_startup(self, *, command, dirty) -> None:
        # Defining on_startup keeps this instance across serve rebuilds, and with it the cache.
        self.cache: dict = {}
        self.command, self.dirty = command, dirty

    def alone(self, config: MkDocsConfig) -> bool:
        """Whether this plugin is the only one to handle a page's events before its HTML is written (``HtmlPage``)."""
        return all(getattr(handler, "__self__", None) is self
                   for event in PAGE_EVENTS for handler in config.plugins.events[event])

    @property
    def serving(self) -> bool:
        return self.command == "serve"

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        self._collector_as_before()  # a build that stopped before its end left it so (MkDocs calls no event then)
        self.collector = ExitStack()
        self.collector.enter_context(report_cache.collector_for_builds())
        # MkDocs empties the site next: what it would delete file by file is moved away first, and what the last
        # build wrote, and this one would write alike, is taken back from there (on_env). Under serve the record
        # of the last build stays in memory: the site's temporary folder lasts as long as this process.
        self.aside, self.written = None, None
        if self.dirty is False:
            self.written = self._written_record(config)
            last = self.served if self.serving else self.written.load() if self.written else None
            self.served = None  # used once: a build that fails or writes no record leaves none for the next
            self.aside = sitedir.set_aside(Path(config.site_dir), last)

    def _written_record(self, config: MkDocsConfig) -> sitedir.Written | None:
        """Where the record of what is written into this site folder is kept: with the page caches (none without)."""
        if self.pages_root is None:
            return None
        if self.serving:
            return sitedir.Written(None)
        site = hashlib.sha256(str(Path(config.site_dir).resolve()).encode("utf-8", "surrogatepass")).hexdigest()
        return sitedir.Written(self.pages_root / "written" / f"{site[:20]}.pickle")

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if not config.use_directory_urls:
            raise PluginError("archive 插件生成的报告页面按目录式网址链接（reports/<slug>/）："
                              "请在 mkdocs.yml 中保留 use_directory_urls: true")
        root = Path(config.config_file_path).parent
        self.seeds = root / self.config.seeds
        chosen = self.config.cache_dir
        folder = report_cache.default_root(root) if chosen is None else None if chosen == "off" else root / chosen
        self.disk = report_cache.ReportCache(folder) if folder is not None else None
        self.pages_root = folder / report_cache.SITE_FOLDER if folder is not None else None
        self.jobs = self.config.jobs or os.cpu_count() or 1
        try:
            self.shard = shard.chosen(self.config.shard)
        except ValueError as bad:
            raise PluginError(str(bad)) from None
        if self.shard is not None and self.command == "gh-deploy":
            raise PluginError(f"设置了分片 {self.shard}（{shard.ENV_VAR} 或 archive 插件的 shard），构建出的站点只含部分报告，"
                              f"不能发布：请取消这项设置后再运行 mkdocs gh-deploy")
        # MkDocs lists the theme's files before every build: not Material's 14,000 icons, which it drops (themefiles).
        if not getattr(config.theme.get_env, "visible", False):
            config.theme.get_env = listing_visible(config.theme.get_env)
        self.sources = [str(self.seeds), str(Path(converter.__file__).parent)]  # what a change rebuilds from
        config.watch.extend(self.sources)
        if (root / "CONTRIBUTING.md").exists():
            config.watch.append(str(root / "CONTRIBUTING.md"))
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        if not hasattr(self, "cache"):
            self.cache = {}
        paths = [str(self.seeds)]
        whole = self.shard is None
        if not whole:  # a share's build leaves the others' entries in the cache: the whole build needs them
            every = expand_paths(paths)
            paths = self.shard.select(every)
            log.info("分片构建：第 %d 份（共 %d 份），%d 篇报告中的 %d 篇", self.shard.number, self.shard.count,
                     len(every), len(paths))
        reports, problems = convert_paths(paths, cache=self.cache, jobs=self.config.jobs,
                                          disk=self.disk, prune=whole, lean=True)
        for problem in problems:
            log.warning("report not converted: %s", problem)
        for report in reports:
            for problem in report.problems:
                log.warning("report has a problem: %s", problem)
        if self.disk is not None and whole:  # so that `check` finds the archive already surveyed
            check.remember(reports, self.disk.root)
        entries = [pages.Entry.of(r) for r in reports]
        # The reports live until the build ends: frozen, the collector stops walking them each time the pages,
        # the indexes and the theme make new objects (a third of the build's time at 10,000 reports).
        gc.freeze()
        tuning = {"max_gram": self.config.search_max_gram, "rare_below": self.config.search_rare_below,
                  "own_file_from": self.config.search_own_file_from}
        search = {k: v for k, v in tuning.items() if v is not None}
        failed: list = []
        kept = KeptPages(self.pages_root / "made", prune=whole, keep_pages=self.serving) \
            if self.pages_root is not None else None
        # The search index (47,000 files at 10,000 reports) is written to the site by the process that makes
        # it, while this one goes on to the pages; on_post_build waits for it.
        self.later: list[pages.Pending] = []
        self._drop_spool()  # a serve rebuild that failed may have left one
        if self.pages_root is not None:
            self.pages_root.mkdir(parents=True, exist_ok=True)
        self.spool = Spill.fresh(self.pages_root, prefix="pages-")
        built = pages.build(entries, problems, search=search, site_url=config.site_url, failed=failed,
                            repo_url=config.repo_url, jobs=self.jobs, kept=kept,
                            site_dir=Path(config.site_dir), later=self.later, spool=self.spool,
                            in_place=self._in_place)
        for problem in failed:
            log.warning("report not shown: %s", problem)
        self.renders = MarkdownRenders(self.pages_root, config)
        self.finished = FinishedPages(self.pages_root)
        self.pending: dict[str, str] = {}  # page → the key its finished file is kept under
        alone = self.alone(config)
        for path, content in built.items():
            existing = files.get_file_from_path(path)
            if existing is not None:
                files.remove(existing)
            if isinstance(content, pages.ReportPage):
                # A page whose HTML is set aside has a file without content: its page reads it (HtmlPage.content).
                file = File.generated(config, path, content="" if content.deferred else content.html)
                HtmlPage(file, config, content, alone)
            elif isinstance(content, Path):  # a file to copy: an original, or a data file already in the site
                file = File.generated(config, path, abs_src_path=str(content))
            else:
                file = File.generated(config, path, content=content)
                if path.endswith(".md"):
                    MarkdownPage(file, config, self.renders)
            files.append(file)
        return files

    def on_nav(self, nav, *, config: MkDocsConfig, files: Files):
        self.nav = nav
        made = [f.page for f in files.documentation_pages() if isinstance(f.page, MarkdownPage)]
        self.renders.prepare(made, config, files, self.jobs)
        return nav

    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        """Write the pages whose finished files are kept; build the others through the theme on every core.

        Each worker runs MkDocs' own ``_build_page`` (context, plugin events, template,
        writing the file), so a page comes out exactly as MkDocs alone would make it.
        A page a worker could not build is left to MkDocs, which reports its error.
        """
        # Material's own partials under material/ too, for an override to draw the one it replaces (partials/nav.html).
        material = jinja2.PrefixLoader({"material": jinja2.FileSystemLoader(material_templates())})
        env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({BUILT_TEMPLATE: ""}), material, env.loader])
        env.globals["archive_alike"] = AlikeBlocks(self.nav)  # the overrides' blocks alike on every report page
        if self.pages_root is not None:
            compiled_templates(env, self.pages_root / "templates")
        inclusion = InclusionLevel.is_in_serve if self.serving else InclusionLevel.is_included
        doc_files = files.documentation_pages(inclusion=inclusion)
        theme = template_key(config, self.nav, self.serving)
        todo: list[Page] = []
        for file in doc_files:
            page = file.page
            if isinstance(page, HtmlPage):
                page.unread = False  # from here on, plugin events and the theme get the page's HTML
            if page is None or file.inclusion.is_excluded():
                continue
            # Without a cache no page is kept: its key (a digest of all it shows) is not worth making.
            key = page_key(theme, page) if self.finished.store is not None else None
            if key is not None and self.written is not None:
                self.written.add(file.dest_uri, key)
                if self.aside is not None and self.aside.take_back(file.dest_uri, key):
                    self.finished.keep(key)
                    self._built(page)
                    continue
            kept = self.finished.get(key) if key is not None else None
            if kept is not None:
                write_file(kept, file.abs_dest_path)
                self._built(page)
            else:
                if key is not None:
                    self.pending[file.src_uri] = key
                todo.append(page)
        copies = Copies(files, inclusion, config)
        if self.written is not None:
            copies.take_back(self.written, self.aside)
        if self.aside is not None:
            self.aside.delete()  # what was not taken back goes, meanwhile
        if self.jobs <= 1 or len(todo) < MIN_PARALLEL:
            return env
        if not self.dirty:  # a dirty build copies only what changed: MkDocs does that (and says which)
            copies.start()  # meanwhile, by another process
        nav = self.nav

        def build_one(page: Page) -> bool:
            try:
                mkdocs_build._build_page(page, config, doc_files, nav, env)
            except Exception:  # noqa: BLE001 - MkDocs builds it again in its loop and reports the error
                return False
            return True

        try:
            for page, built in zip(todo, fork_map(build_one, todo, self.jobs)):
                if built:
                    self._built(page)
        finally:
            copies.finish()
        return env

    def _in_place(self, folder: str, key: str, updatable: Callable[[str], bool]) -> str | None:
        """Which folder the build writes whole (the search index) was taken back from the last build's site: the
        one made from ``key`` (the same inputs), else the one made from whatever the last build made it from, for
        the build to update when ``updatable`` says it can; each only as the last build left it. None: neither."""
        if self.written is None:
            return None
        # The folder can come back only as the identity the last build recorded for it.
        last = self.aside.identity_of(folder) if self.aside is not None else None
        if last is not None and (last == key or updatable(last)) and self.aside.take_back_tree(folder, last):
            # Taken back as it was, it is as the record says: not walked again. Updated, it is walked.
            self.written.add_tree(folder, key, self.aside.state_of(folder) if last == key else None)
            return last
        self.written.add_tree(folder, key)
        return None

    @staticmethod
    def _built(page: Page) -> None:
        """MkDocs' loop passes over a page already written (it renders an empty template for it). A report page
        known by its digest needs nothing else of its front matter, which is then never read (``HtmlPage``)."""
        if getattr(page, "digest", None) is not None:
            page.meta = {"template": BUILT_TEMPLATE}
        else:
            page.meta["template"] = BUILT_TEMPLATE
        QUIET.built.add(page.file.src_uri)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        while self.later:
            self.later.pop(0).finish()
        if self.written is not None:
            self.served = self.written.save(Path(config.site_dir))
        slug.save_words()  # the pinyin of the places and units this build spelled, for the next build
        taken = self.aside.taken if self.aside is not None else 0
        self._aside_gone()
        self._collector_as_before()  # under serve the next build's reports replace these ones
        self._drop_spool()
        if self.shard is None:  # a share's build keeps the other shares' pages (and the whole build's)
            self.renders.prune()
            self.finished.prune()
        if self.finished.store is not None:
            log.info("页面缓存：%d 个页面直接取用，%d 个页面重新生成（其中 Markdown 重新渲染 %d 个）；"
                     "%d 个文件与上次构建写出的相同，直接取回",
                     self.finished.hits, len(self.finished.store.used) - self.finished.hits, self.renders.made, taken)

    def on_build_error(self, *, error: Exception) -> None:
        for pending in getattr(self, "later", ()):
            pending.cancel()
        self.later = []
        self.served = None  # the site a failed build left is not what any record says: the next writes it all
        self._collector_as_before()
        self._drop_spool()
        self._aside_gone()

    def on_serve(self, server, *, config: MkDocsConfig, builder):
        # The seeds (10,000 files and more) and the converter watched by the system's notifications, not polled.
        from . import watching  # here: importing watchdog's observers costs every build 0.03 s

        self.observer, watched = watching.watch_natively(server, self.sources)
        config.watch[:] = [path for path in config.watch if path not in watched]
        return server

    def on_shutdown(self) -> None:
        if self.observer is not None:  # a serve session's (on_serve imported the module)
            from . import watching

            watching.stop(self.observer)
        self._drop_spool()
        self._aside_gone()
        # MkDocs' command ends and the process with it. Python then collects over every object left (2.2 million
        # after a build of 10,000 reports), more than once: 4.3 s after a 21 s build. Frozen, they are passed
        # over, and the process ends in 0.4 s; nothing is lost, as the memory goes back with the process.
        gc.freeze()

    def _collector_as_before(self) -> None:
        """The collector as it was before the build: what the build froze thawed (its reports, the kept values read
        back), and its thresholds the caller's again (``cache.collector_for_builds``)."""
        gc.unfreeze()
        collector, self.collector = self.collector, None
        if collector is not None:
            collector.close()

    def _aside_gone(self) -> None:
        """Wait until the last build's site, set aside, is deleted: the site a build leaves is its own alone."""
        aside, self.aside = self.aside, None
        left = aside.finish() if aside is not None else None
        if left is not None:
            log.warning("上一次构建的站点文件未能全部删除，仍在 %s：它不属于本次构建，发布前请手动删除这个文件夹", left)

    def _drop_spool(self) -> None:
        """The report pages' spooled HTML goes once the pages are written (or the build has failed)."""
        spool = getattr(self, "spool", None)
        if spool is not None:
            spool.discard()
            self.spool = None

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if isinstance(page, HtmlPage):  # its front matter is read when asked for, and drops an empty title then
            return markdown
        if "title" in page.meta and not page.meta["title"]:
            del page.meta["title"]  # a page without a title: MkDocs then takes the page's H1
        return markdown

    def on_page_context(self, context, *, page: Page, config: MkDocsConfig, nav):
        """Titles reach the theme as escaped text: Material prints them into the page unescaped.

        ``page.title`` is plain text (MkDocs unescapes the H1 it takes it from),
        and so is front matter. Escaped and marked safe, they print as text in
        the header and the nav, and Jinja's ``striptags`` (which unescapes) is
        never reached for ``<title>``: with a title in ``page.meta`` the theme
        prints that one instead.
        """
        if page.meta.get("template") == BUILT_TEMPLATE:  # written already: nothing of it is printed again
            return context
        if page.title is not None:
            page.title = Markup.escape(str(page.title))
        for key in PRINTED_META:
            value = page.meta.get(key)
            if value is not None and not isinstance(value, Markup):
                page.meta[key] = Markup.escape(str(value))
        if "title" not in page.meta and page.title is not None and not page.is_homepage:
            page.meta["title"] = page.title
        return context

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        if not output.strip():  # a page already written (BUILT_TEMPLATE)
            return output
        output = csp.with_policy(output, dev=self.serving, content=page.content)
        key = getattr(self, "pending", {}).pop(page.file.src_uri, None)
        if key is not None:  # in a worker or in MkDocs' loop: kept as MkDocs writes it
            self.finished.put(key, output.encode("utf-8", errors="xmlcharrefreplace"))
        return output

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        """Pages made from a template alone (404.html) get the policy too; the sitemap is not a page."""
        if not template_name.endswith(".html"):
            return output_content
        return csp.with_policy(output_content, dev=self.serving)
