"""The theme's files MkDocs lists are the same when the listing skips hidden folders (``mkdocs_archive.themefiles``)."""

from __future__ import annotations

import jinja2
from mkdocs.config import load_config
from mkdocs.structure.files import Files

from conftest import ROOT
from mkdocs_archive.themefiles import VisibleLoader, listing_visible


def theme_files(env: jinja2.Environment, config) -> list[tuple[str, str]]:
    files = Files([])
    files.add_files_from_theme(env, config)
    return [(f.src_uri, f.abs_src_path) for f in files]


def test_the_archive_s_theme_files_are_those_mkdocs_lists_itself_without_material_s_icons_walked():
    """The site's own theme (Material and the overrides): every file MkDocs copies is still found, from the same
    folder, and the 14,000 icons MkDocs would drop are not listed at all; an icon still loads as a template."""
    config = load_config(str(ROOT / "mkdocs.yml"))
    config = config.plugins.on_config(config)  # as a build begins: the plugin wraps the theme's environment
    own = config.theme.get_env
    assert getattr(own, "visible", False) and isinstance(own().loader, VisibleLoader)
    plain = jinja2.Environment(loader=jinja2.FileSystemLoader(config.theme.dirs))
    visible = own()
    listed = theme_files(visible, config)
    assert listed == theme_files(plain, config)
    assert any(src.startswith("assets/javascripts/") for src, _ in listed)
    icons = [name for name in plain.list_templates() if name.startswith(".icons/")]
    assert len(icons) > 10_000 and not [name for name in visible.list_templates() if name.startswith(".")]
    assert "<svg" in visible.get_template(".icons/material/brightness-7.svg").render()  # the icon mkdocs.yml names


def test_only_what_lies_in_a_hidden_folder_goes_unlisted(tmp_path):
    """Files at any depth, hidden files and files in hidden folders, over two search paths where the first one's
    file wins: MkDocs copies the same files from the same folders with either listing."""
    first, second = tmp_path / "custom", tmp_path / "theme"
    for top, names in ((first, ["main.html", "css/extra.css", ".hidden.js", "img/.x/kept.png"]),
                       (second, ["base.html", "css/extra.css", "js/app.js", ".icons/a/b.svg", "deep/er/f.txt",
                                 ".icons/c.svg", "a.b/.c/d.txt", "a.b/c.txt", "readme.md"])):
        for name in names:
            (top / name).parent.mkdir(parents=True, exist_ok=True)
            (top / name).write_text(f"{top.name}:{name}", encoding="utf-8")
    config = load_config(str(ROOT / "mkdocs.yml"))
    config.theme.dirs = [str(first), str(second)]
    plain = jinja2.Environment(loader=jinja2.FileSystemLoader(config.theme.dirs))
    visible = listing_visible(lambda: jinja2.Environment(loader=jinja2.FileSystemLoader(config.theme.dirs)))()
    listed = theme_files(visible, config)
    assert listed == theme_files(plain, config)
    assert [src for src, _ in listed] == ["a.b/c.txt", "css/extra.css", "deep/er/f.txt", "js/app.js"]
    assert dict(listed)["css/extra.css"].startswith(str(first))
    assert visible.list_templates() == [".hidden.js", "a.b/c.txt", "base.html", "css/extra.css", "deep/er/f.txt",
                                        "js/app.js", "main.html", "readme.md"]
    assert visible.get_template(".icons/a/b.svg").render() == "theme:.icons/a/b.svg"
