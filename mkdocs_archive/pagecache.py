"""Pages made once: what Python-Markdown and the theme made is kept on disk by what it was made from.

Two stores, beside the converted reports (``<cache>/site/``), each keyed by a
digest of everything its output depends on (``keys``):

* ``MarkdownRenders``: a Markdown page's HTML, table of contents, title and
  anchors, by its source, its address and ``keys.markdown_key``. Links are
  the one input from outside the page: every file a render looked up is
  recorded with the address it had, and a kept render is used only while each
  still resolves the same way. A render that warned, or linked to a missing or
  excluded file, is never kept, so its warnings are given again each build.
  Renders that are not kept are made on every core before MkDocs' loop asks,
  with the pages' one-line HTML elements set aside (``rawblocks``).
* ``FinishedPages``: a page's finished file, as the theme wrote it and every
  plugin event saw it, by ``keys.page_key`` (``template_key``, the page's
  address, HTML, title, table of contents and front matter). Kept packed.

Each build keeps what it used and deletes the rest (``prune``); a missing or
damaged entry is a miss. A stale page cannot be served: its key would differ.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePath

import jinja2
import jinja2.bccache
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from converter.cache import UNREADABLE, Store
from converter.workers import fork_map

from . import rawblocks
from .keys import markdown_key, site_version


@dataclass
class Rendered:
    """What ``Page.render`` leaves on a page, and the files it looked up on the way (path → URL, or None)."""

    content: str
    toc: object
    title: str | None
    anchors: set[str]
    links_to_anchors: dict[str, dict[str, str]]
    looked_up: dict[str, str | None]  # src_uri → URL

    def holds(self, files: Files) -> bool:
        """Whether every file the render looked up still resolves to the address it had.

        Looked up by ``src_uri`` in ``files.src_uris``, as ``get_file_from_path`` does once it has made its path
        one (``looked_up`` holds them made so): a listing page links hundreds of reports, and making each path a
        ``PurePath`` again took most of the time kept renders took to find at 1,000 reports.
        """
        by_uri = files.src_uris
        for uri, url in self.looked_up.items():
            found = by_uri.get(uri)
            if (found.url if found is not None else None) != url:
                return False
        return True

    def apply(self, page: Page, files: Files) -> None:
        page.content = self.content
        page.toc = self.toc
        page._title_from_render = self.title
        page.present_anchor_ids = set(self.anchors)
        links = {}
        for src_uri, anchors in self.links_to_anchors.items():
            target = files.get_file_from_path(src_uri)
            if target is not None:
                links[target] = dict(anchors)
        page.links_to_anchors = links


class _Recording:
    """``Files`` as a render sees it, noting each lookup and whether the file was there and included."""

    def __init__(self, files: Files) -> None:
        self.files = files
        self.looked_up: dict[str, str | None] = {}
        self.clean = True

    def get_file_from_path(self, path: str):
        found = self.files.get_file_from_path(path)
        self.looked_up[PurePath(path).as_posix()] = found.url if found is not None else None  # as MkDocs looks it up
        if found is None or found.inclusion.is_excluded():
            self.clean = False
        return found

    def __getattr__(self, name: str):
        return getattr(self.files, name)


@contextmanager
def _warnings_seen(silent: bool):
    """The warnings logged meanwhile (to MkDocs' handlers and the root's); ``silent`` keeps them unprinted."""
    seen: list[logging.LogRecord] = []

    class Seen(logging.Filter):
        def filter(self, record: logging.LogRecord) -> bool:
            if record.levelno < logging.WARNING:
                return True
            seen.append(record)
            return not silent

    watch = Seen()
    handlers = {h for name in (None, "mkdocs") for h in logging.getLogger(name).handlers}
    for handler in handlers:
        handler.addFilter(watch)
    try:
        yield seen
    finally:
        for handler in handlers:
            handler.removeFilter(watch)


def render_recorded(page: Page, config, files: Files, silent: bool = False) -> tuple[Rendered, bool]:
    """Render ``page`` as MkDocs does; the result, and whether it may be kept (no warning, every link found).

    Its one-line HTML elements are set aside meanwhile (``rawblocks``): the same HTML, unread. When one was not a
    block of its own, the page is rendered again whole (a warning then is given twice: no generated page has one).
    """
    recording = _Recording(files)
    source = page.markdown
    shortened, blocks = rawblocks.set_aside(source)
    with _warnings_seen(silent) as seen:
        page.markdown = shortened
        try:
            Page.render(page, config, recording)
        finally:
            page.markdown = source
        whole = rawblocks.put_back(page.content, blocks) if blocks else page.content
        if whole is None:  # a line set aside was not a block of its own there: the page rendered as it is
            Page.render(page, config, recording)
        else:
            page.content = whole
    links = {target.src_uri: dict(anchors) for target, anchors in (getattr(page, "links_to_anchors", None) or {}).items()}
    rendered = Rendered(page.content, page.toc, page._title_from_render, set(page.present_anchor_ids or ()), links,
                        recording.looked_up)
    return rendered, recording.clean and not seen


class MarkdownRenders:
    """Markdown pages' renders for one build: kept ones found, missing ones made on every core."""

    def __init__(self, root: Path | None, config) -> None:
        self.store = Store(root / "markdown", site_version()) if root is not None else None
        self.base = markdown_key(config)
        self.ready: dict[str, Rendered] = {}  # made or found before MkDocs' loop asked for them
        self.made = 0

    def key(self, page: Page) -> str:
        text = f"{self.base}\0{page.file.src_uri}\0{page.markdown}"
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()

    def _kept(self, key: str, files: Files) -> Rendered | None:
        found = self.ready.pop(key, None) or (self.store.load(key) if self.store is not None else None)
        return found if isinstance(found, Rendered) and found.holds(files) else None

    def render(self, page: Page, config, files: Files) -> None:
        """What ``Page.render`` would do, from the kept render when there is one."""
        key = self.key(page)
        kept = self._kept(key, files)
        if kept is not None:
            kept.apply(page, files)
            return
        rendered, keep = render_recorded(page, config, files)
        self.made += 1
        if keep and self.store is not None:
            self.store.put(key, rendered)

    def prepare(self, pages: list[Page], config, files: Files, jobs: int) -> None:
        """Before MkDocs' loop: read each page's source, find its kept render, make the missing ones on every core.

        A render that warns is left to MkDocs' loop, which makes it again and reports its warnings.
        """
        todo: list[tuple[Page, str]] = []
        for page in pages:
            page.read_source(config)
            page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
            key = self.key(page)
            kept = self._kept(key, files)
            if kept is not None:
                self.ready[key] = kept
            else:
                todo.append((page, key))
        if len(todo) < 2 or jobs <= 1:
            return

        def make(item: tuple[Page, str]) -> Rendered | None:
            page, key = item
            try:
                rendered, keep = render_recorded(page, config, files, silent=True)
            except Exception:  # noqa: BLE001 - MkDocs' loop renders it again and reports the error
                return None
            if not keep:
                return None
            if self.store is not None:
                self.store.put(key, rendered)
            return rendered

        for (page, key), rendered in zip(todo, fork_map(make, todo, jobs, minimum=2)):
            if rendered is not None:
                self.ready[key] = rendered
                self.made += 1

    def prune(self) -> None:
        if self.store is not None:
            self.store.prune()


class MarkdownPage(Page):
    """A generated Markdown page whose render is looked for in ``MarkdownRenders`` first."""

    def __init__(self, file, config, renders: MarkdownRenders) -> None:
        super().__init__(None, file, config)
        self.renders = renders

    def render(self, config, files: Files) -> None:
        self.renders.render(self, config, files)


class FinishedPages:
    """Pages' finished files by ``keys.page_key``."""

    def __init__(self, root: Path | None) -> None:
        self.store = Store(root / "html", site_version(), packed=True) if root is not None else None
        self.hits = 0

    def get(self, key: str) -> bytes | None:
        output = self.store.load(key) if self.store is not None else None
        if not isinstance(output, bytes):
            return None
        self.hits += 1
        return output

    def keep(self, key: str) -> None:
        """A page whose finished file is in place already (taken back from the last build's site): kept, not read."""
        if self.store is not None:
            self.store.used.add(key)
            self.hits += 1

    def put(self, key: str, output: bytes) -> None:
        if self.store is not None:
            self.store.put(key, output)

    def prune(self) -> None:
        if self.store is not None:
            self.store.prune()


def compiled_templates(env: jinja2.Environment, root: Path) -> None:
    """The theme's templates compiled once and kept under ``root``, not compiled in every build (0.5–0.8 s of one).

    Jinja keys each compiled template by its name and checks its source's checksum, so an edited template is
    compiled again; it does not know which Jinja, MkDocs or theme compiled it, nor with which extensions and
    syntax. Those name the folder (``site_version`` and the environment's settings), and other folders go.
    """
    if env.bytecode_cache is not None:
        return
    settings = (sorted(env.extensions), env.block_start_string, env.block_end_string, env.variable_start_string,
                env.variable_end_string, env.comment_start_string, env.comment_end_string,
                env.line_statement_prefix, env.line_comment_prefix, env.trim_blocks, env.lstrip_blocks,
                env.newline_sequence, env.keep_trailing_newline, env.optimized,
                getattr(env.autoescape, "__qualname__", repr(env.autoescape)))
    folder = root / hashlib.sha256((site_version() + repr(settings)).encode()).hexdigest()[:20]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for other in root.iterdir():
            if other != folder and other.is_dir():
                shutil.rmtree(other, ignore_errors=True)
    except OSError:
        return  # no folder to be had: compiled in every build, as without a cache
    env.bytecode_cache = _CompiledTemplates(str(folder))


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Jinja's cache of compiled templates, where a file that cannot be read or written is a miss, never a
    failed build (Jinja's own lets an unwritable or vanished folder, or a cut-off file, raise)."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except UNREADABLE:
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass
