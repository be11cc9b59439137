"""Build the site into a temporary project, as a contributor's checkout would."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import markdown
import yaml

from conftest import ROOT


def make_project(tmp: Path, seeds: list[Path] | None = None) -> Path:
    """A copy of the site's config and docs with its own seeds directory."""
    project = tmp / "project"
    project.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copy(ROOT / "CONTRIBUTING.md", project / "CONTRIBUTING.md")
    shutil.copytree(ROOT / "docs", project / "docs")
    shutil.copytree(ROOT / "overrides", project / "overrides")
    (project / "seeds").mkdir()
    for path in seeds if seeds is not None else sorted((ROOT / "seeds").iterdir()):
        shutil.copy(path, project / "seeds" / path.name)
    return project


# Run before the build to switch off the shared-passage producer: what two reports share depends on
# every character, so a hostile text and its harmless twin may share different passages.
WITHOUT_PASSAGES = ("from converter.annotations import passages, passages_update; "
                    "nothing = passages.find_columns([])[0]; "
                    "passages.find_columns = lambda texts, min_chars=20: (nothing, [0.0] * len(texts)); "
                    "passages_update.find = lambda texts, folder, min_chars=20, digests=None: (nothing, [0.0] * len(texts)); ")


def build(project: Path, strict: bool = True, before: str = "") -> subprocess.CompletedProcess:
    """``mkdocs build`` of ``project``; ``before``: Python run first in the same process (``WITHOUT_PASSAGES``)."""
    options = ["build", "--site-dir", str(project / "site")] + (["--strict"] if strict else [])
    if before:
        args = [sys.executable, "-c", before + f"import sys; sys.argv = ['mkdocs'] + {options!r}; "
                "from mkdocs.__main__ import cli; cli()"]
    else:
        args = [sys.executable, "-m", "mkdocs"] + options
    return subprocess.run(args, cwd=project, capture_output=True, text=True, encoding="utf-8",
                          env={**__import__("os").environ, "NO_MKDOCS_2_WARNING": "1"})


def site_markdown() -> markdown.Markdown:
    """Python-Markdown configured as mkdocs.yml configures it (without the snippets, which read files)."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("!ENV", ""),
                       Loader=yaml.UnsafeLoader)  # the config applies pymdownx's slugify by a python tag
    extensions, configs = [], {}
    for item in config["markdown_extensions"]:
        name, options = next(iter(item.items())) if isinstance(item, dict) else (item, {})
        if name != "pymdownx.snippets":
            extensions.append(name)
            configs[name] = options or {}
    return markdown.Markdown(extensions=extensions, extension_configs=configs)


def as_shown(made) -> str:
    """A generated page's content as the site shows it: a report page's HTML as made, any other page's
    Markdown (after its front matter) rendered as the site renders it."""
    from converter import pages

    if isinstance(made, pages.ReportPage):
        return made.html
    return site_markdown().convert(made.split("\n---\n", 1)[-1])
