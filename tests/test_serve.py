"""`mkdocs serve` shows the archive straight from seeds/ and rebuilds when a report changes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

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
