"""Theme blocks drawn once for all the report pages of a folder (``mkdocs_archive.alike``): the site is the same,
byte for byte, as when every page draws them itself, and they are drawn once per process, not once per page."""

from __future__ import annotations

import sys

from conftest import ROOT


def test_blocks_drawn_once_for_the_report_pages_leave_the_site_byte_identical(tmp_path, monkeypatch):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from corpus import generate
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from mkdocs_archive import alike, plugin
    from sitebuild import make_project

    project = make_project(tmp_path)
    generate(project / "seeds", 12)
    made: list[alike.AlikeBlocks] = []
    real = alike.AlikeBlocks

    def kept(nav):
        made.append(real(nav))
        return made[-1]
    monkeypatch.setattr(plugin, "AlikeBlocks", kept)

    def site(name: str) -> dict[str, bytes]:
        config = load_config(str(project / "mkdocs.yml"), site_dir=str(project / name))
        config.plugins["archive"].config.jobs = 1  # one process: its count of the blocks drawn is the build's
        config.plugins["archive"].config.cache_dir = "off"
        build(config)
        out = project / name
        return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}

    shared = site("shared")
    monkeypatch.setattr(alike, "enabled", False)
    alone = site("alone")
    assert shared.keys() == alone.keys()
    assert [path for path in alone if shared[path] != alone[path]] == []
    reports = [path for path in shared if path.startswith("reports/") and path.endswith("/index.html")]
    pages = [path for path in shared if path.endswith(".html")]
    assert len(reports) >= 17
    first, second = made
    # With the sharing off every page drew the three itself; with it, the report pages took them from one drawing
    # each, and so did the pages of every other folder outside the navigation (each law's, term's, place's).
    assert second.drawn == 3 * len(pages)
    assert sorted(key[0] for key in first.made if key[1] == "reports") == ["config", "footer", "nav"]
    assert first.drawn < second.drawn - 3 * (len(reports) - 1)
    page = shared[reports[0]].decode()
    assert 'class="md-nav md-nav--primary"' in page and '<script id="__config"' in page and "md-footer" in page
