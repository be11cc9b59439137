"""Theme blocks that come out alike on many pages, drawn once for all of them.

Material draws the site's navigation, its footer and its settings script into
every page: at 10,000 reports the navigation alone was 15 % of the time the
theme took, drawn 10,000 times the same. On a page outside the navigation
(every report page) these blocks read nothing of the page but the folder its
address is in, which their relative links start from, and its front matter's
``hide``: no item of the navigation is its own or active, and it has no
previous or next page. (Material's ``site_nav`` block holds the page's own
table of contents beside the navigation: only the navigation's partial is
shared.) ``overrides/main.html`` and ``overrides/partials/nav.html`` have each
of them call ``archive_alike(name, page, draw)``, which draws it (``draw()``:
Material's own block or partial) the first time a key of those few things is
asked for and gives the same text to every other page of that key. A page in
the navigation, or one with a page of the navigation under its address, is
drawn as before; so is every page while ``enabled`` is off (the test that
holds a site built with it byte-identical to one built without switches it
off).
"""

from __future__ import annotations

from typing import Callable

from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

BLOCKS = ("nav", "footer", "config")  # the primary navigation (partials/nav.html), and two blocks of base.html
enabled = True


def nav_urls(nav: Navigation) -> tuple[str, ...]:
    """The address of every page, section index and link in the navigation."""
    urls: list[str] = []

    def walk(items) -> None:
        for item in items:
            url = getattr(item, "url", None)
            if url is not None:
                urls.append(url)
            walk(getattr(item, "children", None) or ())
    walk(nav.items)
    return tuple(urls)


class AlikeBlocks:
    """``archive_alike`` for one build's templates: blocks drawn once per key (``key``), given again after."""

    def __init__(self, nav: Navigation) -> None:
        self.in_nav = {id(page) for page in nav.pages}
        self.urls = nav_urls(nav)
        self.made: dict[tuple, str] = {}
        self.drawn = 0  # blocks the theme drew (a process's own count: the workers draw theirs apart)

    def key(self, name: str, page: Page | None) -> tuple | None:
        """What ``name`` drawn for ``page`` depends on, or None when it must be drawn for the page alone."""
        if not enabled or name not in BLOCKS or page is None or id(page) in self.in_nav or page.parent is not None:
            return None
        if page.previous_page is not None or page.next_page is not None or not page.url:
            return None
        # A link is made relative to the page's own address: alike for pages side by side in one folder, unless
        # it leads into one of them.
        if any(url.startswith(page.url) for url in self.urls):
            return None
        folder = page.url.rstrip("/").rpartition("/")[0]
        return name, folder, repr((page.meta or {}).get("hide"))

    def __call__(self, name: str, page: Page | None, draw: Callable[[], str]) -> str:
        key = self.key(name, page)
        if key is None:
            self.drawn += 1
            return draw()
        made = self.made.get(key)
        if made is None:
            self.drawn += 1
            made = self.made[key] = draw()
        return made
