"""What a page's HTML is made from, as digests: the keys of the page caches (``pagecache``).

A key must change whenever anything that can reach the page changes, or a
stale page would be served. So the keys are built from everything, with a few
named exceptions, rather than from a list of what seems to matter:

* ``markdown_key``: what Python-Markdown's output depends on besides the page's
  own source — the Markdown extensions and their settings, link validation, the
  URL style, and the versions of the libraries that render;
* ``template_key``: what the theme's output depends on besides the page itself —
  every setting in ``mkdocs.yml`` (but those that only say where files are),
  the theme's settings and its override templates' bytes, the navigation as
  built (titles and addresses), whether this is ``serve``, and the versions of
  MkDocs, the theme, Jinja and this project's own code.

The theme's and MkDocs' own templates are counted by their package versions.
"""

from __future__ import annotations

import functools
import hashlib
import re
import types
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from converter.cache import converter_version, package_digest

# The libraries whose code becomes part of a page's HTML.
SITE_LIBRARIES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2", "markupsafe")
PACKAGE = Path(__file__).resolve().parent
# Settings that say where things are or how to run, never what a page says (the theme and nav are keyed apart).
NOT_IN_PAGES = frozenset({"config_file_path", "docs_dir", "site_dir", "dev_addr", "watch", "strict",
                          "remote_branch", "remote_name", "theme", "nav", "plugins", "_current_page"})
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


@lru_cache(maxsize=1)
def site_version() -> str:
    """This project's code (plugin and converter) and the site libraries' versions, as one digest."""
    return hashlib.sha256((package_digest(PACKAGE, SITE_LIBRARIES) + converter_version()).encode()).hexdigest()[:20]


def stable_repr(value, depth: int = 0) -> str:
    """A text that is equal for equal settings in every process: no object addresses, mappings sorted.

    Functions (a slugify given in ``mkdocs.yml``) are named by module and qualified name, with their
    bound arguments, defaults and closure values.
    """
    if depth > 12:
        return "…"
    nested = functools.partial(stable_repr, depth=depth + 1)
    if value is None or isinstance(value, (str, bytes, int, float, bool)):
        return repr(value)
    if isinstance(value, Mapping) or callable(getattr(value, "items", None)):  # MkDocs' configs and the theme too
        pairs = sorted((nested(k), nested(v)) for k, v in value.items())
        return type(value).__name__ + "{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}"
    if isinstance(value, (list, tuple)):
        return type(value).__name__ + "[" + ", ".join(map(nested, value)) + "]"
    if isinstance(value, (set, frozenset)):
        return "set[" + ", ".join(sorted(map(nested, value))) + "]"
    if isinstance(value, functools.partial):
        return f"partial({nested(value.func)}, {nested(value.args)}, {nested(value.keywords)})"
    if isinstance(value, (types.FunctionType, types.MethodType, types.BuiltinFunctionType, type)):
        cells = [c.cell_contents for c in getattr(value, "__closure__", None) or () if _filled(c)]
        return (f"{getattr(value, '__module__', '?')}.{getattr(value, '__qualname__', '?')}"
                f"({nested(getattr(value, '__defaults__', None))}, {nested(getattr(value, '__kwdefaults__', None))},"
                f" {nested(cells)})")
    if hasattr(value, "__dict__") and not isinstance(value, types.ModuleType):
        return type(value).__qualname__ + nested(vars(value))
    return _ADDRESS.sub("", repr(value))


def _filled(cell) -> bool:
    try:
        cell.cell_contents
    except ValueError:
        return False
    return True


def _digest(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()


def markdown_key(config) -> str:
    """Everything a Markdown page's rendering depends on besides its own source and address."""
    return _digest(site_version(), stable_repr(config["markdown_extensions"]), stable_repr(config["mdx_configs"]),
                   stable_repr(config["validation"]), stable_repr(config["use_directory_urls"]))


def folder_digest(folder: str | Path) -> str:
    """Every file under ``folder``, by relative name and bytes (a theme's override templates)."""
    digest = hashlib.sha256()
    root = Path(folder)
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def nav_repr(items) -> str:
    """The navigation as the theme prints it: each item's kind, title, address and children."""
    return "[" + ", ".join(f"{type(i).__name__}({stable_repr(i.title)}, {stable_repr(getattr(i, 'url', None))}, "
                           f"{nav_repr(getattr(i, 'children', None) or [])})" for i in items) + "]"


def template_key(config, nav, serving: bool) -> str:
    """Everything the theme's output for a page depends on besides the page itself."""
    theme = config["theme"]
    packaged = {str(Path(p).resolve()) for p in _package_template_dirs()}
    custom = [folder_digest(d) for d in theme.dirs if str(Path(d).resolve()) not in packaged and Path(d).is_dir()]
    settings = {k: v for k, v in config.items() if k not in NOT_IN_PAGES}
    plugins = [(name, stable_repr(dict(plugin.config))) for name, plugin in config["plugins"].items()]
    return _digest(site_version(), stable_repr(settings), stable_repr(dict(theme.items())), stable_repr(theme.name),
                   stable_repr(custom), stable_repr(plugins), nav_repr(nav.items), repr(serving))


def material_templates() -> str:
    """The folder of Material's own templates."""
    import material

    return str(Path(material.__file__).parent / "templates")


@lru_cache(maxsize=1)
def _package_template_dirs() -> tuple[str, ...]:
    """The template folders installed with MkDocs and the theme (counted by their versions)."""
    import mkdocs

    return (material_templates(), str(Path(mkdocs.__file__).parent / "templates"),
            str(Path(mkdocs.__file__).parent / "themes"))


def page_key(template: str, page) -> str:
    """The key of one page's finished HTML: ``template_key``, its address, content, title, table of contents
    and front matter; or, for a page that carries one, the converter's ``digest`` of the last four."""
    digest = getattr(page, "digest", None)
    if digest is not None:
        return _digest(template, page.file.src_uri, page.file.dest_uri, "digest", digest)
    return _digest(template, page.file.src_uri, page.file.dest_uri, page.content or "", stable_repr(page.title),
                   _toc_repr(page.toc), stable_repr(page.meta))


def _toc_repr(toc) -> str:
    return "[" + ", ".join(f"({stable_repr(a.title)}, {stable_repr(a.id)}, {a.level}, {_toc_repr(a.children)})"
                           for a in toc) + "]"
