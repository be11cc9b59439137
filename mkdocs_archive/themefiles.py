"""Which of the theme's files MkDocs lists, found without walking the folders it would drop.

Before every build MkDocs asks the theme's Jinja loader for every file under the theme's folders, and then drops,
by ``fnmatch``, each one that is hidden or inside a hidden folder (``Files.add_files_from_theme``: the patterns
``.*`` and ``*/.*``). Material keeps its 14,000 icons in such a folder (``.icons``, read by its templates when an
icon is drawn): listed and matched one by one, 0.06–0.1 s of every build, a twentieth of a rebuild after one
changed report at 1,000. The loader here lists what Jinja's lists but for what is in a hidden folder, which MkDocs
would have dropped; every template, icons included, still loads as before.
"""

from __future__ import annotations

import os
from typing import Callable

import jinja2


class VisibleLoader(jinja2.FileSystemLoader):
    """Jinja's ``FileSystemLoader``, whose listing does not go into hidden folders."""

    def list_templates(self) -> list[str]:
        found: set[str] = set()
        for top in self.searchpath:
            for folder, subfolders, names in os.walk(top, followlinks=self.followlinks):
                subfolders[:] = [name for name in subfolders if not name.startswith(".")]
                for name in names:
                    # As Jinja names them: relative to the search path, with forward slashes.
                    template = os.path.join(folder, name)[len(top):].strip(os.path.sep).replace(os.path.sep, "/")
                    found.add(template[2:] if template[:2] == "./" else template)
        return sorted(found)


def listing_visible(get_env: Callable[[], jinja2.Environment]) -> Callable[[], jinja2.Environment]:
    """``Theme.get_env``, whose environment's loader is a ``VisibleLoader`` over the same folders."""

    def visible_env() -> jinja2.Environment:
        env = get_env()
        if type(env.loader) is jinja2.FileSystemLoader:  # as MkDocs makes it; another is left as it is
            loader = env.loader
            env.loader = VisibleLoader(loader.searchpath, loader.encoding, loader.followlinks)
        return env

    visible_env.visible = True  # type: ignore[attr-defined]  # wrapped once, however often on_config runs
    return visible_env
