"""Report pages in MkDocs: the HTML the converter made, handed to MkDocs where a page would run Python-Markdown."""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from converter import pages

# The events through which MkDocs hands a page to plugins before its HTML is written (``env``: with every page, read
# then or not): while this plugin is the only one to handle them, a report page is what the converter made of it,
# and the converter's digest of it says all.
PAGE_EVENTS = ("pre_page", "page_read_source", "page_markdown", "page_content", "env")


class _FromSpool(str):
    """A report page's HTML as read back from where it was set aside (a plain ``str`` otherwise)."""


class _Unread(str):
    """An empty stand-in for a report page's HTML, which MkDocs' first loop passes to plugin events nobody
    else handles (``HtmlPage.unread``): reading it there would read every kept page's HTML for nothing."""


class HtmlPage(Page):
    """A page whose HTML the converter made: no source to read, no Markdown to render.

    When the converter set the HTML aside (in a spill, or kept from an earlier build), ``content`` reads it
    from there each time it is asked for, and a plugin event that hands it back unchanged (``_FromSpool``)
    leaves it there: MkDocs otherwise holds every page's content from its first loop to the end of the
    build (0.7 GB at 10,000 reports). Content a plugin changed is held, as on any page.

    Its front matter, title, table of contents and anchors are taken from the converter's page when first asked
    for: a kept page (``ReportPage.later``) that the last build wrote alike is never asked, and never reads its
    head. MkDocs' own attributes for them are properties here.

    ``alone``: no other plugin handles the page's events (``PAGE_EVENTS``). Then the page keeps the
    converter's ``digest`` of all it is, for its finished file to be found by, and is ``unread`` until the
    plugin's ``on_env``: MkDocs' first loop, which only hands the content to events nobody handles, gets
    an empty stand-in (``_Unread``), and a kept page's HTML is read only if the theme has to write it.
    """

    def __init__(self, file: File, config: MkDocsConfig, made: pages.ReportPage, alone: bool = False) -> None:
        self._held: str | None = None
        self._elsewhere: pages.ReportPage | None = None  # a page whose HTML is read from where it was set aside
        self._parts: pages.ReportPage | None = None  # the converter's page, while a part is yet to be taken
        self._own: dict[str, object] = {}  # the parts taken, or set since
        super().__init__(None, file, config)
        self.made: pages.ReportPage | None = made
        self.digest = made.digest if alone else None
        self.unread = alone

    # The page whose HTML was read last, and that HTML: the theme reads a page's content, and the plugin again
    # for its policy (``csp``), one after the other. One page at a time, never every page.
    _last_read: tuple[object, pages.ReportPage | None, str] = (None, None, "")

    @property
    def content(self) -> str | None:
        if self._held is None and self._elsewhere is not None:
            if self.unread:
                return _Unread()
            page, made, html = HtmlPage._last_read
            if page is not self or made is not self._elsewhere:  # held here: no other can take their ids meanwhile
                html = _FromSpool(self._elsewhere.html)
                HtmlPage._last_read = (self, self._elsewhere, html)
            return html
        return self._held

    @content.setter
    def content(self, value: str | None) -> None:
        if isinstance(value, (_FromSpool, _Unread)):
            return
        self._held, self._elsewhere = value, None

    def _part(self, name: str):
        if name not in self._own:
            if self._parts is None:  # asked for before MkDocs set it (``present_anchor_ids``, before rendering)
                return None
            self._own[name] = _take(self._parts, name)
        return self._own[name]

    meta = property(lambda self: self._part("meta"), lambda self, value: self._own.__setitem__("meta", value))
    toc = property(lambda self: self._part("toc"), lambda self, value: self._own.__setitem__("toc", value))
    _title_from_render = property(lambda self: self._part("_title_from_render"),
                                  lambda self, value: self._own.__setitem__("_title_from_render", value))
    present_anchor_ids = property(lambda self: self._part("present_anchor_ids"),
                                  lambda self, value: self._own.__setitem__("present_anchor_ids", value))

    def read_source(self, config: MkDocsConfig) -> None:
        self.markdown = ""
        self._parts = self.made
        self._own.pop("meta", None)  # taken from the converter's page when asked for

    def render(self, config: MkDocsConfig, files: Files) -> None:
        made = self.made
        if made.deferred:
            self._held, self._elsewhere = None, made
        else:
            self.content = made.html
        self._parts = made
        for name in ("toc", "_title_from_render", "present_anchor_ids"):
            self._own.pop(name, None)  # taken from the converter's page when asked for
        self.made = None  # the HTML now lives in self.content


def _take(made: pages.ReportPage, name: str):
    """One part of the converter's page as MkDocs holds it."""
    if name == "meta":
        meta = dict(made.meta)
        if "title" in meta and not meta["title"]:
            del meta["title"]  # a report without a title: MkDocs then takes the page's H1
        return meta
    if name == "toc":
        return get_toc(made.toc)
    if name == "_title_from_render":
        return made.title
    return made.anchors()
