"""The page caches (``mkdocs_archive.pagecache``) never serve a stale page, and a cached build is a cold one.

Each step changes one thing a page can depend on, then builds twice: once with the
cache the earlier steps filled, once cold (no cache). The two sites must be equal
byte for byte, and the cached build must have taken what it could from the cache.
"""

from __future__ import annotations

import logging
import os
import pickle
import re
import shutil
import subprocess
import sys
from pathlib import Path

from mkdocs.config import load_config
from mkdocs.structure.files import File, Files

from conftest import SEEDS

STATS = re.compile(r"页面缓存：(\d+) 个页面直接取用，(\d+) 个页面重新生成")


def _build(project: Path, site: str, cache: str) -> tuple[dict[str, bytes], tuple[int, int] | None]:
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--site-dir", site], cwd=project,
                            capture_output=True, text=True, encoding="utf-8",
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "ARCHIVE_CACHE": cache})
    assert result.returncode == 0, result.stderr[-3000:]
    found = STATS.search(result.stderr)
    tree = {p.relative_to(project / site).as_posix(): p.read_bytes()
            for p in sorted((project / site).rglob("*")) if p.is_file()}
    shutil.rmtree(project / site)
    return tree, (int(found[1]), int(found[2])) if found else None


def _same_as_cold(project: Path, store: str) -> tuple[int, int]:
    warm, stats = _build(project, "warm", store)
    cold, none = _build(project, "cold", "off")
    assert none is None, "without a cache, nothing is said of one"
    assert warm.keys() == cold.keys()
    assert [path for path in cold if warm[path] != cold[path]] == []
    return stats


def test_every_change_rebuilds_what_it_must_and_a_cached_build_equals_a_cold_one(tmp_path):
    from sitebuild import make_project

    seeds = sorted(p for p in SEEDS.iterdir() if p.suffix == ".txt")
    project = make_project(tmp_path, sorted(SEEDS.iterdir()))
    store = str(tmp_path / "store")
    first, first_stats = _build(project, "first", store)
    taken, made = first_stats
    assert taken == 0 and made > 10, "a first build makes every page"
    assert list(Path(store, "site", "html").glob("*/*/*.pickle")), "and keeps them"
    assert not list(Path(store, "site").glob("pages-*")), "the report pages' spooled HTML goes with the build"
    # What conversion and the lists need besides the reports is kept for the next build: the parsed gazetteer,
    # and the pinyin of the places and units the lists are sorted by.
    assert len(list(Path(store).glob("*/gazetteer.pickle"))) == 1
    (words,) = Path(store).glob("*/pinyin.pickle")
    assert pickle.loads(words.read_bytes())["拾万镇"] == "shiwanzhen"

    taken, made = _same_as_cold(project, store)
    assert made == 0, "nothing changed: every page comes from the cache"
    pages = taken

    report = project / "seeds" / seeds[0].name
    report.write_bytes(report.read_bytes() + "本年度另有一项工作需要说明。\n".encode())
    taken, made = _same_as_cold(project, store)
    assert 0 < made < pages / 2, "a report's text changed: its page and the pages listing it are made again"

    sidecar = report.with_suffix(".yml")
    note = "两份报告的这一段可能出自同一份模板。"
    assert note in sidecar.read_text(encoding="utf-8")
    sidecar.write_text(sidecar.read_text(encoding="utf-8").replace(note, note + "已核对原文。"), encoding="utf-8")
    taken, made = _same_as_cold(project, store)
    assert 0 < made < pages / 2, "a sidecar changed its report's page"

    # A report's year corrected: another report of the same 直辖市, which shares no passage with it, keeps its body
    # as it was, and only what its page adds to it (the related reports, with their years) says it changed.
    corrected = (project / "seeds" / seeds[1].name).with_suffix(".yml")
    corrected.write_text(corrected.read_text(encoding="utf-8") + "year: 2021\n", encoding="utf-8")
    taken, made = _same_as_cold(project, store)
    assert 0 < made < pages / 2, "a corrected year: the pages that show it follow"

    (project / "seeds" / seeds[1].name).unlink()
    taken, made = _same_as_cold(project, store)
    assert made > 0, "a deleted report leaves the pages that listed it"

    # The templates are compiled once and kept (Jinja's bytecode cache); an edited one is compiled again, so
    # what it adds shows in the cached build as in the cold one.
    assert list(Path(store, "site", "templates").glob("*/*.cache")), "the compiled templates are kept"
    main = project / "overrides" / "main.html"
    main.write_text(main.read_text(encoding="utf-8").replace(
        "{% block extrahead %}", '{% block extrahead %}\n  <meta name="archive-template" content="模板已改">'),
        encoding="utf-8")
    taken, made = _same_as_cold(project, store)
    assert taken == 0, "a change to an override template makes every page again"

    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("site_name: 法治政府建设报告档案",
                                                                 "site_name: 另一个档案"), encoding="utf-8")
    taken, made = _same_as_cold(project, store)
    assert taken == 0, "a change to the site's settings makes every page again"


def test_another_site_version_reads_nothing_of_the_old_one_and_prunes_it(tmp_path, monkeypatch):
    from mkdocs_archive import pagecache

    old = pagecache.FinishedPages(tmp_path)
    old.put("k" * 64, b"<html>old</html>")
    assert old.get("k" * 64) == b"<html>old</html>"
    monkeypatch.setattr(pagecache, "site_version", lambda: "another-version")
    new = pagecache.FinishedPages(tmp_path)
    assert new.get("k" * 64) is None, "a page kept by other code is never served"
    new.put("j" * 64, b"<html>new</html>")
    new.prune()
    assert [p.name for p in (tmp_path / "html").iterdir()] == ["another-version"]


def _files(config, pages: dict[str, str]) -> Files:
    return Files([File.generated(config, path, content=text) for path, text in pages.items()])


def test_a_kept_markdown_render_is_used_only_while_every_link_in_it_resolves_alike(tmp_path, caplog):
    from mkdocs_archive.pagecache import MarkdownPage, MarkdownRenders

    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: t\nmarkdown_extensions: [toc]\n", encoding="utf-8")
    config = load_config(str(tmp_path / "mkdocs.yml"))
    config.plugins._current_plugin = None  # what File.generated reads; set by MkDocs while a plugin's event runs
    source = "# 甲\n\n见[乙页](b.md#part)。\n"

    def render(files: Files) -> tuple[MarkdownRenders, MarkdownPage]:
        renders = MarkdownRenders(tmp_path / "cache", config)
        page = MarkdownPage(files.get_file_from_path("a.md"), config, renders)
        page.read_source(config)
        page.render(config, files)
        renders.prune()
        return renders, page

    both = _files(config, {"a.md": source, "b.md": "# 乙\n"})
    made, page = render(both)
    assert made.made == 1 and 'href="../b/#part"' in page.content
    kept, again = render(_files(config, {"a.md": source, "b.md": "# 乙\n"}))
    assert kept.made == 0, "the same source, the same links: the kept render is used"
    assert again.content == page.content and again.title == "甲"
    assert [(f.src_uri, a) for f, a in again.links_to_anchors.items()] == [("b.md", {"part": "b.md#part"})]

    moved = Files([File.generated(config, "a.md", content=source),
                   File("b.md", str(tmp_path / "docs"), str(tmp_path / "site"), False)])
    renamed, page = render(moved)
    assert renamed.made == 1, "the linked page's address changed: rendered again"
    assert 'href="../b.html#part"' in page.content

    with caplog.at_level(logging.WARNING):
        alone, page = render(_files(config, {"a.md": source}))
        assert alone.made == 1 and "b.md" in caplog.text
        caplog.clear()
        warned_again, _ = render(_files(config, {"a.md": source}))
    assert warned_again.made == 1 and "b.md" in caplog.text, "a render that warned is never kept, so it warns again"


def test_a_spooled_report_page_is_read_from_its_file_and_held_only_once_a_plugin_changes_it(tmp_path):
    """MkDocs keeps every page's content from its first loop to the end of the build; a report page whose HTML
    the converter spooled is read from its file each time instead, unless a plugin event changed it."""
    from converter import pages
    from converter.spill import Spill
    from mkdocs_archive.htmlpage import HtmlPage

    (tmp_path / "mkdocs.yml").write_text("site_name: t\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    config = load_config(str(tmp_path / "mkdocs.yml"))
    config.plugins._current_plugin = None
    html = '<h1 id="甲">甲</h1>\n<p id="p-1">正文&lt;script&gt;</p>'
    made = pages.ReportPage({"title": "甲"}, "甲", html, [{"level": 1, "id": "甲", "name": "甲", "children": []}])
    spool = Spill.fresh(tmp_path)
    before = made.spool(spool)  # another page in the same file: each is read back by its own place
    spooled = made.spool(spool)
    page = HtmlPage(File.generated(config, "reports/a.md", content=""), config, spooled)
    page.read_source(config)
    page.render(config, Files([page.file]))
    assert page.content == html == before.html and page.present_anchor_ids == {"甲", "p-1"} and page.title == "甲"
    page.content = page.content  # what MkDocs does with each on_page_content event's answer
    assert page._held is None, "handed back unchanged, the HTML stays in its file"
    page.content = page.content.replace("正文", "内容")  # a plugin that changes the page
    spool.discard()
    assert not Path(spool.folder).exists()
    assert page.content == html.replace("正文", "内容"), "a changed page is held, as any page"
    held = HtmlPage(File.generated(config, "reports/b.md", content=html), config, made)
    held.read_source(config)
    held.render(config, Files([held.file]))
    assert held.content == html and held.present_anchor_ids == {"甲", "p-1"}, "a page made without a spool"


def test_a_set_aside_page_read_twice_in_a_row_is_read_once_and_each_page_reads_its_own(tmp_path):
    """The theme reads a page's content, then the plugin reads it again for the page's policy: the second read is
    the first's HTML, not a second read from where it was set aside. Another page reads its own."""
    from converter import pages
    from mkdocs_archive.htmlpage import HtmlPage

    (tmp_path / "mkdocs.yml").write_text("site_name: t\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    config = load_config(str(tmp_path / "mkdocs.yml"))
    config.plugins._current_plugin = None
    read: list[str] = []

    def page(name: str) -> HtmlPage:
        html = f'<h1 id="{name}">{name}</h1>'
        made = pages.ReportPage({"title": name}, name, toc=[{"level": 1, "id": name, "name": name, "children": []}],
                                load=lambda: read.append(name) or html, ids=frozenset({name}))
        shown = HtmlPage(File.generated(config, f"reports/{name}.md", content=""), config, made)
        shown.read_source(config)
        shown.render(config, Files([shown.file]))
        return shown

    first, second = page("甲"), page("乙")
    assert first.content == first.content == '<h1 id="甲">甲</h1>' and read == ["甲"]
    assert second.content == '<h1 id="乙">乙</h1>' and read == ["甲", "乙"], "another page reads its own HTML"
    assert first.content == '<h1 id="甲">甲</h1>' and read == ["甲", "乙", "甲"]
    first.content = "<p>改过</p>"  # a plugin that changes the page: held, and read no more
    assert first.content == "<p>改过</p>" and read == ["甲", "乙", "甲"]


def test_a_kept_report_page_is_unread_until_the_theme_needs_it_unless_another_plugin_handles_its_events(tmp_path):
    """MkDocs' first loop hands every page's content to the page events: a kept page's HTML is not read for that
    while no other plugin handles them, and its digest keys its finished file. Another plugin handling them gets
    the real HTML, and the page is keyed by what it holds."""
    from converter import pages
    from mkdocs_archive import keys
    from mkdocs_archive.htmlpage import HtmlPage
    from mkdocs_archive.plugin import ArchivePlugin

    (tmp_path / "mkdocs.yml").write_text("site_name: t\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    config = load_config(str(tmp_path / "mkdocs.yml"))
    config.plugins._current_plugin = None
    html = '<h1 id="甲">甲</h1>\n<p>正文</p>'
    read: list[int] = []
    made = pages.ReportPage({"title": "甲"}, "甲", toc=[{"level": 1, "id": "甲", "name": "甲", "children": []}],
                            load=lambda: read.append(1) or html, ids=frozenset({"甲"}), digest="d" * 64)
    plugin = ArchivePlugin()
    config.plugins["archive"] = plugin
    assert plugin.alone(config)
    page = HtmlPage(File.generated(config, "reports/a.md", content=""), config, made, plugin.alone(config))
    page.read_source(config)
    page.render(config, Files([page.file]))
    assert page.content == "" and read == [], "MkDocs' first loop asks, and reads nothing"
    page.content = page.content  # what MkDocs does with the on_page_content events' answer
    key = keys.page_key("theme", page)
    assert read == [] and key == keys.page_key("theme", page), "keyed by its digest, unread"
    page.unread = False  # on_env
    assert page.content == html and read == [1]

    class Other:
        def on_env(self, env, **kwargs):  # with every page at hand, read or not
            return env

        def on_page_content(self, html, **kwargs):
            return html

    other = Other()
    config.plugins._register_event("env", other.on_env, "other")
    assert not plugin.alone(config)
    config.plugins.events["env"].remove(other.on_env)
    assert plugin.alone(config)
    config.plugins._register_event("page_content", other.on_page_content, "other")
    assert not plugin.alone(config)
    read.clear()
    shown = HtmlPage(File.generated(config, "reports/b.md", content=""), config, made, plugin.alone(config))
    shown.read_source(config)
    shown.render(config, Files([shown.file]))
    assert shown.content == html and read == [1], "another plugin's event gets the page's HTML"
    assert shown.digest is None and keys.page_key("theme", shown) != keys.page_key("theme", page)


def test_a_kept_report_pages_parts_are_read_when_asked_for_and_never_for_a_page_written_already(tmp_path):
    """A kept page's front matter, title, contents and anchors come from its head, read only when MkDocs or the
    theme asks for one of them: not in MkDocs' first loop, nor for a page taken back from the last site."""
    from converter import pages
    from mkdocs_archive.htmlpage import HtmlPage
    from mkdocs_archive.plugin import BUILT_TEMPLATE, ArchivePlugin

    (tmp_path / "mkdocs.yml").write_text("site_name: t\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    config = load_config(str(tmp_path / "mkdocs.yml"))
    config.plugins._current_plugin = None
    plugin = ArchivePlugin()
    config.plugins["archive"] = plugin
    asked: list[int] = []
    toc = [{"level": 1, "id": "甲", "name": "甲", "children": [{"level": 2, "id": "乙", "name": "乙", "children": []}]}]

    def page(name: str) -> HtmlPage:
        made = pages.ReportPage.later(
            lambda: asked.append(1) or pages.report.PageParts({"title": "", "year": 2023}, "甲", toc,
                                                             frozenset({"甲", "乙"})),
            load=lambda: '<h1 id="甲">甲</h1>', digest="d" * 64)
        shown = HtmlPage(File.generated(config, f"reports/{name}.md", content=""), config, made, plugin.alone(config))
        files = Files([shown.file])
        shown.read_source(config)
        shown.markdown = plugin.on_page_markdown(shown.markdown, page=shown, config=config, files=files)
        shown.render(config, files)
        shown.content = shown.content
        return shown

    taken = page("a")
    assert asked == [], "MkDocs' first loop reads no part"
    ArchivePlugin._built(taken)
    plugin.on_page_context({}, page=taken, config=config, nav=None)
    assert taken.meta == {"template": BUILT_TEMPLATE} and asked == [], "a page written already never reads one"

    written = page("b")
    assert written.title == "甲" and asked == [1], "an empty title is dropped: MkDocs takes the page's H1"
    assert written.meta == {"year": 2023}
    assert [(item.title, item.id, [child.id for child in item.children]) for item in written.toc] == \
           [("甲", "甲", ["乙"])]
    assert written.present_anchor_ids == {"甲", "乙"} and asked == [1], "all parts read at once"
    written.meta["template"] = "main.html"
    assert written.meta["template"] == "main.html", "a part set stays set"


def test_a_hostile_archive_comes_out_of_the_cache_exactly_as_it_was_built(tmp_path):
    """Contributors' hostile values pass through the kept pages and bodies unchanged: still shown as text."""
    import markupsafe

    import hostile

    contributions = [hostile.ISSUE_EXAMPLE] * hostile.REPORTS
    project = hostile.write_site(tmp_path, contributions, harmless_twin=False).parent
    store = str(tmp_path / "store")
    _build(project, "first", store)
    warm, (taken, made) = _build(project, "warm", store)
    cold, _ = _build(project, "cold", "off")
    assert made == 0 and taken > 10, "every page came from the cache"
    assert [path for path in cold if warm.get(path) != cold[path]] == [] and warm.keys() == cold.keys()
    page = warm["reports/hostile-a-2023/index.html"].decode("utf-8")
    title = contributions[0]["sidecar"]["title"]
    assert f"<title>{markupsafe.escape(title)} - " in page
    assert not hostile.tag_tree(page).bad


TAKEN = re.compile(r"(\d+) 个文件与上次构建写出的相同，直接取回")


def test_a_build_takes_back_from_the_last_site_only_what_it_would_write_alike(tmp_path):
    """A page or copied file the last build wrote, unchanged since, is moved back rather than written again; a
    page whose inputs changed, and a file edited in the site since, are written anew: the site is a cold one."""
    from sitebuild import make_project

    project = make_project(tmp_path, sorted(SEEDS.iterdir()))
    store = str(tmp_path / "store")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "ARCHIVE_CACHE": store}
    site = project / "site"

    def build() -> int:
        result = subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=project, capture_output=True,
                                text=True, encoding="utf-8", env=env)
        assert result.returncode == 0, result.stderr[-3000:]
        return int(TAKEN.search(result.stderr)[1])

    def tree(folder: Path) -> dict[str, bytes]:
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}

    assert build() == 0, "nothing to take back yet"
    reports = sorted(site.glob("reports/*/index.html"))
    originals = sorted(site.glob("originals/*.txt"))
    manifest = site / "search-data" / "manifest.json"
    written = os.stat(manifest).st_mtime_ns
    taken = build()
    assert taken >= len(reports) + len(originals) + 10, "every page and copied file, unchanged, is taken back"
    assert os.stat(manifest).st_mtime_ns == written, "the search index too, whole: the same files, not written again"
    assert tree(site) == (cold := _build(project, "cold", "off")[0])

    page = reports[0]
    page.write_bytes(page.read_bytes().replace("</body>".encode(), "<script>edited()</script></body>".encode()))
    (site / "search-data" / "stray.json").write_text("{}", encoding="utf-8")  # one file more in the index's folder
    assert build() == taken - 2, "the edited page is written anew, and the search index with a file too many"
    assert tree(site) == cold and os.stat(manifest).st_mtime_ns != written

    seed = sorted((project / "seeds").glob("*.txt"))[-1]
    seed.write_bytes(seed.read_bytes() + "本年度另有一项工作需要说明。\n".encode())
    fold = site / "search-data" / "fold.bin"
    kept_since = os.stat(fold).st_mtime_ns
    passages_base = next(Path(store).rglob("passages/*/*.hash"))  # every window's hash, written by a whole find
    base_written = os.stat(passages_base).st_mtime_ns
    again = build()
    # Written anew: the changed report's page and original, and the data page (its data version names the texts).
    assert again == taken - 3, "all else is taken back, the search index's folder too"
    assert os.stat(fold).st_mtime_ns == kept_since, "and updated: a file of it the change leaves alike stays"
    assert os.stat(manifest).st_mtime_ns != written
    assert os.stat(passages_base).st_mtime_ns == base_written, "the shared passages worked out again, not whole"
    assert tree(site) == _build(project, "cold", "off")[0]
    assert b"edited()" not in page.read_bytes() and tree(site) != cold


def test_compiled_templates_are_kept_per_jinja_setup_and_a_broken_cache_is_only_a_miss(tmp_path):
    """The compiled templates' folder is named by the libraries' versions and the environment's syntax, so another
    setup never loads them; a folder deleted or a file cut off midway makes Jinja compile again, not fail."""
    import jinja2

    from mkdocs_archive.pagecache import compiled_templates

    def env(**settings) -> jinja2.Environment:
        made = jinja2.Environment(loader=jinja2.DictLoader({"a.html": "甲{{ x }}", "b.html": "乙{% if x %}{{ x }}{% endif %}"}),
                                  **settings)
        compiled_templates(made, tmp_path / "templates")
        return made

    first = env()
    assert first.get_template("a.html").render(x=1) == "甲1"
    (folder,) = (tmp_path / "templates").iterdir()
    assert list(folder.glob("*.cache")), "kept"
    for kept in folder.glob("*.cache"):
        kept.write_bytes(kept.read_bytes()[:20])  # cut off
    assert env().get_template("a.html").render(x=2) == "甲2", "a cut-off file is compiled again"
    other = env(trim_blocks=True)
    assert [p.name for p in (tmp_path / "templates").iterdir()] != [folder.name], "another setup, another folder"
    assert not folder.exists(), "and the other setup's folder goes"
    shutil.rmtree(tmp_path / "templates")  # deleted while the build goes on
    assert other.get_template("b.html").render(x=3) == "乙3"
