"""`mkdocs serve` shows the archive straight from seeds/ and rebuilds when a report changes."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import SEEDS
from sitebuild import make_project


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:  # a request may wait for a rebuild
        return response.read().decode("utf-8")


def _wait_for(url: str, text: str, seconds: float) -> bool:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if text in _get(url):
                return True
        except OSError:
            pass
        time.sleep(0.5)
    return False


@pytest.fixture
def served(tmp_path):
    project = make_project(tmp_path, seeds=[SEEDS / "000_66a8a630a4ee21e1.txt"])
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
                            cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    base = f"http://127.0.0.1:{port}"
    try:
        assert _wait_for(base + "/", "法治政府建设报告档案", 60), "mkdocs serve did not come up"
        yield project, base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_reloads_when_a_report_or_sidecar_changes(served):
    project, base = served
    page = base + "/reports/chongqing-dazu-shiwanzhen-2022/"
    assert "拾万镇" in _get(page)
    (project / "seeds" / "000_66a8a630a4ee21e1.yml").write_text(
        "notes: 这是一条在预览时加入的整理者注。\n", encoding="utf-8")
    assert _wait_for(page, "这是一条在预览时加入的整理者注", 60), "sidecar change did not reach the page"
    new = (SEEDS / "003_f635664e5ef9ff1d.txt").read_bytes()
    (project / "seeds" / "003_f635664e5ef9ff1d.txt").write_bytes(new)
    assert _wait_for(base + "/reports/jiangxi-ganzhou-quannan-dajishanzhen-2022/", "大吉山镇", 60), \
        "a new report did not appear"
    (project / "seeds" / "bad.txt").write_bytes(b"\x00binary")
    assert _wait_for(base + "/problems/", "bad.txt", 60), "a broken report did not show on the problems page"
    # A request may wait while serve rebuilds: ask until the page answers, as a reader would reload.
    assert _wait_for(page, "拾万镇", 60), "one bad report took other pages down"


def test_serve_keeps_serving_through_a_bad_sidecar_and_live_reload_runs(served):
    project, base = served
    page = base + "/reports/chongqing-dazu-shiwanzhen-2022/"
    html = _get(page)
    # The preview's policy lets mkdocs's live-reload script (new on every request) run; the built site's never does.
    assert "'unsafe-inline'" in html and "livereload(" in html
    sidecar = project / "seeds" / "000_66a8a630a4ee21e1.yml"
    sidecar.write_text("retrieved: 2026-02-30\n", encoding="utf-8")
    assert _wait_for(base + "/problems/", "2026-02-30", 60), "the bad date did not reach the problems page"
    assert _wait_for(page, "拾万镇", 60), "a bad sidecar took its report off the preview"
    sidecar.write_text("retrieved: 2026-02-28\n", encoding="utf-8")
    assert _wait_for(page, "2026-02-28", 60), "serve stopped rebuilding after a bad sidecar"


def _serve(project: Path, tmp: Path, port: int, cache: str | None) -> subprocess.Popen:
    """``mkdocs serve`` with its temporary site folder under ``tmp`` and its log in ``tmp/log``."""
    tmp.mkdir()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(tmp)}
    env.pop("ARCHIVE_CACHE", None)
    if cache is not None:
        env["ARCHIVE_CACHE"] = cache
    with open(tmp / "log", "w") as log:  # the server writes to its own copy of the handle
        return subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
                                cwd=project, stdout=subprocess.DEVNULL, stderr=log, env=env)


def _site_of(tmp: Path) -> dict[str, bytes]:
    site = next(tmp.glob("mkdocs_*"))
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file() and not p.relative_to(site).as_posix().startswith(".")}


def test_a_serve_rebuild_takes_back_what_it_would_write_alike_and_equals_a_fresh_session(tmp_path):
    """Under serve, a rebuild moves back what the last build of the session wrote and would write alike (not
    writing a thousand pages again for one changed report); the preview is then the one a fresh session shows."""
    project = make_project(tmp_path, seeds=[SEEDS / "000_66a8a630a4ee21e1.txt", SEEDS / "003_f635664e5ef9ff1d.txt"])
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    changed = base + "/reports/jiangxi-ganzhou-quannan-dajishanzhen-2022/"
    session = tmp_path / "first"
    proc = _serve(project, session, port, str(tmp_path / "store"))
    try:
        assert _wait_for(changed, "大吉山镇", 60), "mkdocs serve did not come up"
        site = next(session.glob("mkdocs_*"))
        kept_page = site / "reports" / "chongqing-dazu-shiwanzhen-2022" / "index.html"
        kept_before = os.stat(kept_page).st_mtime_ns
        changed_page = site / "reports" / "jiangxi-ganzhou-quannan-dajishanzhen-2022" / "index.html"
        seed = project / "seeds" / "003_f635664e5ef9ff1d.txt"
        seed.write_bytes(seed.read_bytes() + "本年度另有一项预览时加入的工作需要说明。\n".encode())
        assert _wait_for(changed, "预览时加入的工作", 60), "the changed report did not reach its page"
        deadline = time.time() + 30
        while len(taken := re.findall(r"(\d+) 个文件与上次构建写出的相同", (session / "log").read_text())) < 2:
            assert time.time() < deadline, "the rebuild did not finish"
            time.sleep(0.2)
        assert taken[0] == "0" and int(taken[1]) > 10, "the rebuild took back what the first build wrote alike"
        assert os.stat(kept_page).st_mtime_ns == kept_before, "an unchanged page is moved back, not written again"
        assert b"\xe9\xa2\x84\xe8\xa7\x88" in changed_page.read_bytes()  # 预览: the changed one is written anew
        assert not [p for p in site.iterdir() if p.name.startswith(".archive-old-")], "the old site goes"
        rebuilt = _site_of(session)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    fresh = tmp_path / "fresh"
    proc = _serve(project, fresh, port, "off")
    try:
        assert _wait_for(changed, "预览时加入的工作", 60), "a fresh session did not come up"
        assert rebuilt.keys() == _site_of(fresh).keys()
        assert [path for path, data in _site_of(fresh).items() if rebuilt[path] != data] == []
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_a_serve_session_leaves_the_built_sites_report_pages_in_the_cache(tmp_path):
    """A preview's report pages have other keys than a built site's (serve gives the site its own address): a
    session between two builds must not drop the built site's, or the second build makes each one again
    (about 50 s at 10,000 reports)."""
    project = make_project(tmp_path, seeds=[SEEDS / "000_66a8a630a4ee21e1.txt", SEEDS / "003_f635664e5ef9ff1d.txt"])
    store = tmp_path / "store"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "ARCHIVE_CACHE": str(store)}

    def build() -> None:
        result = subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=project, capture_output=True,
                                text=True, encoding="utf-8", env=env)
        assert result.returncode == 0, result.stderr[-3000:]

    def bodies() -> dict[str, int]:
        return {p.name: p.stat().st_mtime_ns for p in (store / "site" / "made" / "bodies").rglob("*.pickle")}

    build()
    built = bodies()
    assert len(built) == 2
    port = _free_port()
    proc = _serve(project, tmp_path / "session", port, str(store))
    try:
        assert _wait_for(f"http://127.0.0.1:{port}/reports/jiangxi-ganzhou-quannan-dajishanzhen-2022/", "大吉山镇",
                         60), "mkdocs serve did not come up"
        deadline = time.time() + 30
        while "页面缓存" not in (tmp_path / "session" / "log").read_text(encoding="utf-8"):
            assert time.time() < deadline, "the session's build did not finish"
            time.sleep(0.2)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    previewed = bodies()
    assert built.items() <= previewed.items() and len(previewed) == 4, "the session adds its own, keeps the build's"
    build()
    assert bodies() == built, "the next build makes none again, and drops the session's"


def _builds(log: Path) -> int:
    return log.read_text(encoding="utf-8").count("Documentation built")


def test_serve_rebuilds_once_for_a_change_and_never_for_a_read(tmp_path):
    """The seeds are watched by the system's notifications (``mkdocs_archive.watching``), which also tell of a
    file merely opened and read; every build reads every seed, so a read that asked for a rebuild would rebuild
    forever. One change, one rebuild."""
    project = make_project(tmp_path, seeds=[SEEDS / "003_f635664e5ef9ff1d.txt"])
    port = _free_port()
    page = f"http://127.0.0.1:{port}/reports/jiangxi-ganzhou-quannan-dajishanzhen-2022/"
    log = tmp_path / "session" / "log"
    proc = _serve(project, tmp_path / "session", port, str(tmp_path / "store"))
    try:
        assert _wait_for(page, "大吉山镇", 60), "mkdocs serve did not come up"
        seed = project / "seeds" / "003_f635664e5ef9ff1d.txt"
        seed.read_bytes()
        time.sleep(3)  # MkDocs waits 0.1 s after an event before it rebuilds; polling looked every 0.5 s
        assert _builds(log) == 1, "reading a seed (or the build's own reading) started a rebuild"
        seed.write_bytes(seed.read_bytes() + "本年度另有一项预览时加入的工作需要说明。\n".encode())
        assert _wait_for(page, "预览时加入的工作", 60), "the changed report did not reach its page"
        time.sleep(3)
        assert _builds(log) == 2, "one change, one rebuild"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_the_seeds_are_watched_natively_and_a_write_asks_for_a_rebuild(tmp_path):
    """``watch_natively`` gives the server's own watch (and its callback) a native observer, leaving its polling
    one without the seeds; a read asks for nothing, a write for a rebuild."""
    from mkdocs.livereload import LiveReloadServer
    from watchdog.observers.polling import PollingObserver

    from mkdocs_archive import watching

    if not watching.native_available():
        pytest.skip("no native observer on this platform: the seeds are polled, as MkDocs does")
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text("原文", encoding="utf-8")
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    native, watched = watching.watch_natively(server, [str(seeds)])
    try:
        assert watched == [str(seeds)] and native is not None and native.is_alive()
        assert not isinstance(native, PollingObserver)
        assert {e.watch.path for e in native.emitters} == {str(seeds)}
        assert isinstance(server.observer, PollingObserver) and not server.observer.emitters, "nothing polled"

        def asked(seconds: float) -> bool:  # the server's own flag, set by the callback its watch() made
            deadline = time.time() + seconds
            while time.time() < deadline:
                if server._want_rebuild:
                    return True
                time.sleep(0.05)
            return False

        (seeds / "a.txt").read_bytes()
        assert not asked(1), "a read asked for a rebuild"
        (seeds / "a.txt").write_text("改过的原文", encoding="utf-8")
        assert asked(5), "a write did not ask for a rebuild"
    finally:
        watching.stop(native)
    assert not native.is_alive()
