"""Build the site into a temporary project, as a contributor's checkout would."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

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


def build(project: Path, strict: bool = True) -> subprocess.CompletedProcess:
    args = [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(project / "site")]
    if strict:
        args.append("--strict")
    return subprocess.run(args, cwd=project, capture_output=True, text=True, encoding="utf-8",
                          env={**__import__("os").environ, "NO_MKDOCS_2_WARNING": "1"})
