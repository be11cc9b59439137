"""The GitHub workflows: safe with pull requests from forks, and running the commands the README gives."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, SAMPLES
from sitebuild import make_project

WORKFLOWS = ROOT / ".github" / "workflows"
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(?:/[\w./-]+)?@[0-9a-f]{40} # v\d+(?:\.\d+)*$")


def load(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


def triggers(workflow: dict) -> dict:
    on = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    return on if isinstance(on, dict) else {name: None for name in ([on] if isinstance(on, str) else on)}


def steps(workflow: dict, job: str) -> list[dict]:
    return workflow["jobs"][job]["steps"]


def runs(workflow: dict, job: str) -> list[str]:
    return [s["run"].strip() for s in steps(workflow, job) if "run" in s]


def readme_commands() -> tuple[str, str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.match(r"```sh\n(.+?)\n```", text, flags=re.S)
    serve, test = block.group(1).split("\n")
    return serve, test


def code(path: Path) -> str:
    """The workflow without its comment lines."""
    return "\n".join(line for line in path.read_text(encoding="utf-8").splitlines()
                     if not line.lstrip().startswith("#"))


def all_workflows() -> list[Path]:
    return sorted(WORKFLOWS.glob("*.yml"))


def test_there_are_the_two_workflows_and_they_parse():
    assert [p.name for p in all_workflows()] == ["pages.yml", "pull-request.yml"]
    for path in all_workflows():
        workflow = load(path.name)
        assert workflow["name"] and workflow["jobs"], path.name


@pytest.mark.parametrize("path", all_workflows(), ids=lambda p: p.name)
def test_workflow_is_safe_for_forks(path):
    text = code(path)
    workflow = load(path.name)
    assert not {"pull_request_target", "workflow_run"} & set(triggers(workflow))
    assert "pull_request_target" not in text
    assert workflow["permissions"] == {"contents": "read"}  # least privilege, raised per job only where needed
    for line in text.splitlines():
        if "uses:" in line:
            assert PINNED.match(line.split("uses:", 1)[1].strip()), f"not pinned to a commit: {line.strip()}"
    for job in workflow["jobs"].values():
        for step in job.get("steps", []):
            # Expressions are passed through env, never pasted into a script (no injection from PR titles or refs).
            assert "${{" not in step.get("run", ""), step
        for step in job.get("steps", []):
            if "actions/checkout@" in step.get("uses", ""):
                assert step.get("with", {}).get("persist-credentials") is False


def test_pull_requests_run_the_tests_the_checker_and_the_strict_build():
    workflow = load("pull-request.yml")
    assert set(triggers(workflow)) == {"pull_request"}
    assert "secrets." not in code(WORKFLOWS / "pull-request.yml")
    for job in workflow["jobs"].values():
        assert "permissions" not in job  # the read-only default holds for every job
    assert runs(workflow, "tests")[-1] == ".ci/run"
    assert workflow["jobs"]["tests"]["container"].startswith("debian:")  # as root, so .ci/run installs chromium
    serve, _ = readme_commands()
    install = re.search(r"pip install -e \.(?= |$)", serve).group(0)
    assert runs(workflow, "reports")[0] == runs(workflow, "site")[0] == f"python -m {install}"
    assert runs(workflow, "reports")[-1] == (
        'python -m converter check --changed-since "$BASE_SHA" --markdown "$GITHUB_STEP_SUMMARY"')
    assert steps(workflow, "reports")[-1]["env"]["BASE_SHA"] == "${{ github.event.pull_request.base.sha }}"
    checkout = steps(workflow, "reports")[0]
    assert checkout["with"]["fetch-depth"] == 0  # the base commit must be there to compare with
    assert runs(workflow, "site")[-1] == "mkdocs build --strict"


def test_ci_run_runs_the_readme_test_command():
    _, test = readme_commands()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for part in test.split(" && "):
        part = part.replace("pip install", "python -m pip install --quiet") if part.startswith("pip ") else part
        assert part in ci, part


def test_main_publishes_with_the_official_pages_actions():
    workflow = load("pages.yml")
    assert set(triggers(workflow)) == {"push", "workflow_dispatch"}
    assert triggers(workflow)["push"] == {"branches": ["main"]}
    build = steps(workflow, "build")
    uses = [s.get("uses", "").split("@")[0] for s in build]
    assert "actions/configure-pages" in uses and "actions/upload-pages-artifact" in uses
    assert next(s for s in build if "upload-pages-artifact" in s.get("uses", ""))["with"]["path"] == "site"
    [make] = [s for s in build if s.get("run") == "mkdocs build --strict"]
    assert make["env"]["SITE_URL"] == "${{ steps.pages.outputs.base_url }}/"
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")
    assert "permissions" not in workflow["jobs"]["build"]


def test_dependabot_keeps_actions_and_python_packages_current():
    config = yaml.safe_load((ROOT / ".github" / "dependabot.yml").read_text(encoding="utf-8"))
    assert {u["package-ecosystem"] for u in config["updates"]} == {"github-actions", "pip"}


def bash(script: str, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]])
    return subprocess.run(["bash", "-e", "-c", script], cwd=cwd, capture_output=True, text=True,
                          encoding="utf-8", env={**os.environ, "PATH": path, "NO_MKDOCS_2_WARNING": "1", **env})


@pytest.mark.skipif(shutil.which("git") is None or shutil.which("bash") is None, reason="needs git and bash")
def test_the_pull_request_steps_work_as_written(tmp_path):
    """The check and build steps, run exactly as the workflow writes them, on a pull request adding a report."""
    workflow = load("pull-request.yml")
    project = make_project(tmp_path)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(git[:1] + ["init", "-q"], cwd=project, check=True)
    subprocess.run(git + ["add", "."], cwd=project, check=True)
    subprocess.run(git + ["commit", "-qm", "base"], cwd=project, check=True)
    base = subprocess.run(["git", "rev-parse", "HEAD"], cwd=project, capture_output=True, text=True).stdout.strip()
    added = project / "seeds" / "chongqing-chengkou-jimingxiang-2025.txt"
    shutil.copy(SAMPLES / "s002.txt", added)
    subprocess.run(git + ["add", "."], cwd=project, check=True)
    subprocess.run(git + ["commit", "-qm", "add a report"], cwd=project, check=True)

    summary = tmp_path / "summary.md"
    result = bash(runs(workflow, "reports")[-1], project, BASE_SHA=base, GITHUB_STEP_SUMMARY=str(summary))
    assert result.returncode == 0, result.stdout + result.stderr
    md = summary.read_text(encoding="utf-8")
    assert md.startswith("## 报告检查：1/1 份报告可以提交") and "chongqing-chengkou-jimingxiang-2025.txt" in md

    added.write_bytes(b"\x00binary")  # a broken report fails the step, and the summary says why
    result = bash(runs(workflow, "reports")[-1], project, BASE_SHA=base, GITHUB_STEP_SUMMARY=str(summary))
    assert result.returncode == 1
    assert "NUL 字节" in summary.read_text(encoding="utf-8").rsplit("## 报告检查", 1)[1]

    added.write_bytes((SAMPLES / "s002.txt").read_bytes())
    result = bash(runs(workflow, "site")[-1], project)
    assert result.returncode == 0, result.stderr[-2000:]
    assert (project / "site" / "reports" / "chongqing-chengkou-jimingxiang-2025" / "index.html").is_file()
