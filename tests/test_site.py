"""The built site: every page there, every internal link resolving, every report's metadata shown."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from converter import convert_file
from conftest import seed_files
from sitebuild import build, make_project


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("site"))
    result = build(project, strict=True)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "WARNING" not in result.stderr, result.stderr
    return project / "site"


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.urls.append(value)


def _target(page: Path, site: Path, url: str) -> Path | None:
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith(("#", "mailto:", "data:")):
        return None
    path = unquote(parts.path)
    if not path:
        return None
    target = (page.parent / path).resolve() if not path.startswith("/") else (site / path.lstrip("/")).resolve()
    return target / "index.html" if path.endswith("/") or target.is_dir() else target


def test_every_page_exists(site):
    expected = ["index.html", "places/index.html", "years/index.html", "levels/index.html", "towns/index.html",
                "table/index.html", "data/index.html", "contribute/index.html", "data/reports.csv",
                "data/reports.json", "data/texts.jsonl", "data/table.json", "places/chongqing/index.html",
                "years/2022/index.html", "levels/zhen/index.html", "towns/d/index.html"]
    for rel in expected:
        assert (site / rel).is_file(), rel
    for path in seed_files():
        slug = convert_file(str(path)).metadata.slug
        assert (site / "reports" / slug / "index.html").is_file(), slug
        assert (site / "originals" / f"{slug}.txt").read_bytes() == path.read_bytes()


def test_every_internal_link_resolves(site):
    checked = 0
    for page in site.rglob("*.html"):
        parser = Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for url in parser.urls:
            target = _target(page, site, url)
            if target is not None:
                assert target.exists(), f"{page.relative_to(site)} links to missing {url}"
                checked += 1
    assert checked > 500


def test_nothing_is_loaded_from_other_hosts(site):
    """Scripts, styles, images and fonts are all served by the site itself (links to elsewhere are fine)."""
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        loads = re.findall(r'<[^>]+\ssrc="(https?:)?//', html) + re.findall(r'<link[^>]+href="(https?:)?//', html)
        assert not loads, f"{page.relative_to(site)} loads from another host"
    assert "fonts.googleapis.com" not in "".join(p.read_text(encoding="utf-8") for p in site.rglob("*.css"))


def test_every_page_carries_a_content_security_policy_first_in_its_head(site):
    pages = list(site.rglob("*.html"))
    assert len(pages) > 20 and any(p.name == "404.html" for p in pages)
    for page in pages:
        head = page.read_text(encoding="utf-8").split("</head>", 1)[0]
        policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', head)
        assert policy, f"{page.relative_to(site)} has no policy"
        assert "script-src 'self'" in policy.group(1) and "unsafe-inline" not in policy.group(1)
        # Nothing it governs may come before it.
        assert "<script" not in head[:policy.start()] and "<link" not in head[:policy.start()]


def test_each_report_page_shows_its_front_matter(site):
    for path in seed_files():
        report = convert_file(str(path))
        m = report.metadata
        html = (site / "reports" / m.slug / "index.html").read_text(encoding="utf-8")
        text = re.sub(r"<[^>]+>", "", html)
        for value in (m.unit, m.town, m.level, m.county, m.city, m.province, m.year, m.date, *m.issuers, m.sha256):
            if value:
                assert str(value) in text, (m.slug, value)
        assert "转换记录" in text and "下载原始文件" in text


def test_report_page_size_does_not_list_the_archive(site):
    """The navigation holds index pages only: no report page links to every report."""
    for path in seed_files():
        slug = convert_file(str(path)).metadata.slug
        html = (site / "reports" / slug / "index.html").read_text(encoding="utf-8")
        nav = html.split('class="md-nav md-nav--primary"', 1)[1].split("</nav>", 1)[0]
        assert "reports/" not in nav


def test_data_files_hold_every_report(site):
    records = json.loads((site / "data" / "reports.json").read_text(encoding="utf-8"))
    assert sorted(r["slug"] for r in records) == sorted(convert_file(str(p)).metadata.slug for p in seed_files())
    csv_text = (site / "data" / "reports.csv").read_text(encoding="utf-8-sig")
    assert csv_text.count("\n") == len(records) + 1 and "大吉山镇" in csv_text
    texts = [json.loads(line) for line in (site / "data" / "texts.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(texts) == len(records) and all(len(t["text"]) > 1000 for t in texts)


def test_bad_report_warns_in_build_and_fails_strict(tmp_path):
    project = make_project(tmp_path, seeds=[seed_files()[0]])
    (project / "seeds" / "broken.txt").write_bytes(b"\x00\x01\x02 not text")
    (project / "seeds" / "000_66a8a630a4ee21e1.yml").write_text("sorce_url: x\nslug: chongqing-dazu-shiwanzhen-2022\n",
                                                                 encoding="utf-8")
    lax = build(project, strict=False)
    assert lax.returncode == 0
    assert "broken.txt" in lax.stderr and "二进制" in lax.stderr
    assert "sorce_url" in lax.stderr and "第 1 行" in lax.stderr and "是不是要写“source_url”" in lax.stderr
    problems = (project / "site" / "problems" / "index.html").read_text(encoding="utf-8")
    assert "broken.txt" in problems and "sorce_url" in problems
    assert "未能收录的文件" in problems and "已收录、但有问题的报告" in problems
    # A typo in a sidecar flags the report; it does not take it off the site, and the valid keys still apply.
    assert (project / "site" / "reports" / "chongqing-dazu-shiwanzhen-2022" / "index.html").is_file()
    assert "待修正的文件" in (project / "site" / "index.html").read_text(encoding="utf-8")
    strict = build(project, strict=True)
    assert strict.returncode != 0
