"""``python -m converter check``: each problem names the file, the line or key, and the fix."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest

from converter.check import check_paths
from conftest import ROOT, SAMPLES, SEEDS, archive_copy

QINGMUGUAN = SEEDS / "001_d6ab253036f6199f.txt"  # 重庆市沙坪坝区青木关镇, 2022


@pytest.fixture
def archive(tmp_path):
    """A copy of the archive's reports and sidecars."""
    return archive_copy(tmp_path)


def only_problem(archive, path):
    [checked] = check_paths([str(path)], archive, jobs=1)
    assert len(checked.problems) == 1, [str(p) for p in checked.problems]
    return checked.problems[0]


def assert_names(problem, path, fix, *, line=None, key=None):
    message = str(problem)
    assert message.startswith(str(path)), message
    if line is not None:
        assert problem.line == line and f"第 {line} 行" in message, message
    if key is not None:
        assert problem.key == key and f"键 {key}" in message, message
    assert "修正：" in message and fix in message.split("修正：", 1)[1], message


def qingmuguan_text() -> str:
    return QINGMUGUAN.read_text(encoding="utf-8")


def test_undecodable_file_names_the_line_of_the_first_bad_byte(archive):
    path = archive / "broken-2022.txt"
    path.write_bytes("重庆市沙坪坝区某镇\n2022年法治政府建设\n".encode() + bytes([0xFF, 0xFE, 0x80, 0x81]) * 40)
    problem = only_problem(archive, path)
    assert_names(problem, path, "另存为 UTF-8", line=3)


def test_binary_file_is_named_with_the_fix(archive):
    path = archive / "scan-2022.txt"
    path.write_bytes(b"%PDF-1.7\n\x00\x01\x02binary")
    problem = only_problem(archive, path)
    assert_names(problem, path, "纯文本 .txt 文件里，保存为 UTF-8", line=2)


def test_no_year_names_the_title_line_and_the_sidecar_key(archive):
    text = re.sub(r"20\d\d年?(度)?", "本年度", qingmuguan_text())
    assert not re.search(r"20\d\d", text)
    path = archive / "chongqing-shapingba-qingmuguanzhen.txt"
    path.write_text(text, encoding="utf-8")
    [checked] = check_paths([str(path)], archive, jobs=1)
    [problem] = [p for p in checked.problems if p.key == "year"]
    title_line = next(i for i, line in enumerate(text.split("\n"), 1) if "法治政府建设情况的报告" in line)
    assert_names(problem, path, "year: 2023", line=title_line, key="year")
    assert str(path.with_suffix(".yml")) in problem.fix


def test_place_not_in_the_gazetteer_names_its_line_and_the_keys_to_add(archive):
    text = qingmuguan_text().replace("青木关镇", "云雾岭镇").replace("沙坪坝区", "").replace("重庆市", "")
    path = archive / "yunwulingzhen-2022.txt"
    path.write_text(text, encoding="utf-8")
    [checked] = check_paths([str(path)], archive, jobs=1)
    [problem] = [p for p in checked.problems if "云雾岭镇" in p.problem]
    line = next(i for i, row in enumerate(text.split("\n"), 1) if "云雾岭镇" in row)
    assert_names(problem, path, "“county:”和“province:”", line=line, key="county")
    assert "不在地名库中" in problem.problem
    assert not checked.ready


def test_ambiguous_place_lists_the_candidates(archive):
    path = archive / "youyilu-jiedao-2023.txt"
    shutil.copy(SAMPLES / "s026.txt", path)  # 友谊路街道: 上海市宝山区 and 天津市河西区 both have one
    [checked] = check_paths([str(path)], archive, jobs=1)
    [problem] = [p for p in checked.problems if "有歧义" in p.problem]
    line = next(i for i, row in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if "友谊路街道" in row)
    assert_names(problem, path, "county: ", line=line, key="county")
    assert "上海市宝山区" in problem.problem and "天津市河西区" in problem.problem


def test_ambiguity_settled_in_the_sidecar_makes_the_report_ready(archive):
    path = archive / "shanghai-baoshan-youyilujiedao-2022.txt"
    shutil.copy(SAMPLES / "s026.txt", path)
    path.with_suffix(".yml").write_text("county: 宝山区\nprovince: 上海市\n"
                                        "source_url: https://www.shbsq.gov.cn/\n", encoding="utf-8")
    [checked] = check_paths([str(path)], archive, jobs=1)
    assert checked.ready, [str(p) for p in checked.problems]
    assert checked.report.metadata.province == "上海市" and not checked.report.metadata.warnings


def test_same_text_from_another_page_is_a_duplicate(archive):
    chrome = "首页 > 政务公开 > 法治政府建设\n浏览次数：1024\n"
    path = archive / "chongqing-shapingba-qingmuguanzhen-2022-copy.txt"
    path.write_text(chrome + qingmuguan_text() + "\n相关文章\n", encoding="utf-8")
    [checked] = check_paths([str(path)], archive, jobs=1)
    [problem] = [p for p in checked.problems if "同样的正文" in p.problem]
    assert str(archive / QINGMUGUAN.name) in problem.problem
    assert_names(problem, path, "不要重复添加", line=4)


def test_same_town_and_year_is_a_duplicate_unless_given_its_own_address(archive):
    lines = qingmuguan_text().split("\n")
    different = "\n".join(lines[:4] + ["本镇另行报告了法治政府建设中的行政执法工作情况，内容与前一份报告不同。"] * 3)
    path = archive / "chongqing-shapingba-qingmuguanzhen-2022-2.txt"
    path.write_text(different, encoding="utf-8")
    [checked] = check_paths([str(path)], archive, jobs=1)
    [problem] = [p for p in checked.problems if "档案里已有青木关镇" in p.problem]
    assert "青木关镇" in problem.problem and "2022" in problem.problem and QINGMUGUAN.name in problem.problem
    assert_names(problem, path, "slug: chongqing-shapingba-qingmuguanzhen-2022-2", key="year")
    assert problem.line is not None
    path.with_suffix(".yml").write_text("slug: chongqing-shapingba-qingmuguanzhen-2022-2\n"
                                        "source_url: https://www.cqspb.gov.cn/\n", encoding="utf-8")
    [checked] = check_paths([str(path)], archive, jobs=1)
    assert checked.ready, [str(p) for p in checked.problems]


def test_unknown_sidecar_key_names_the_sidecar_the_key_and_its_line(archive):
    path = archive / "chongqing-dazu-baoding-2022.txt"
    shutil.copy(SAMPLES / "s021.txt", path)
    sidecar = path.with_suffix(".yml")
    sidecar.write_text("source_url: https://www.xjbl.gov.cn/info/2442/100962.htm\nsorce: typo\n"
                       "notes: 原网页未写明乡名。\nyear: twenty\n", encoding="utf-8")
    [checked] = check_paths([str(path)], archive, jobs=1)
    [unknown] = [p for p in checked.problems if p.key == "sorce"]
    assert unknown.path == str(sidecar)
    assert_names(unknown, sidecar, "是不是要写“source_url”？", line=2, key="sorce")
    [bad] = [p for p in checked.problems if p.key == "year"]  # every sidecar problem, not just the first
    assert_names(bad, sidecar, "必须是年份", line=4, key="year")
    # The valid keys still apply, so the rest of the verdict is what the site would show.
    assert checked.report.metadata.annotations["source_url"].startswith("https://www.xjbl.gov.cn")


def test_a_file_name_that_is_not_the_address_gets_the_name_to_use(archive):
    path = archive / "Report 1.txt"
    shutil.copy(SAMPLES / "s002.txt", path)
    [checked] = check_paths([str(path)], archive, jobs=1)
    [problem] = [p for p in checked.problems if "不是这份报告的网址名" in p.problem]
    assert_names(problem, path, "改名为 chongqing-chengkou-jimingxiang-2025.txt")


def test_a_report_outside_the_archive_folder_is_not_ready(archive, tmp_path):
    path = tmp_path / "chongqing-chengkou-jimingxiang-2025.txt"
    shutil.copy(SAMPLES / "s002.txt", path)
    [checked] = check_paths([str(path)], archive, jobs=1)
    [problem] = checked.problems
    assert_names(problem, path, f"移到 {archive}/")


def test_the_archive_as_it_stands_is_ready():
    results = check_paths([str(p) for p in sorted(SEEDS.glob("*.txt"))], SEEDS, jobs=1)
    assert [str(p) for c in results for p in c.problems] == []


def run_check(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "converter", "check", *args], cwd=cwd,
                          capture_output=True, text=True, encoding="utf-8")


def test_cli_reports_metadata_sources_removals_and_exit_status(archive, tmp_path):
    good = archive / "chongqing-chengkou-jimingxiang-2025.txt"
    shutil.copy(SAMPLES / "s002.txt", good)
    good.with_suffix(".yml").write_text(
        "source_url: https://cqck.gov.cn/jz/jmx/zwgk_70755/zfxxgkml/fzzfndbg/202602/t20260212_15437722.html\n"
        "retrieved: 2026-03-01\n", encoding="utf-8")
    summary = tmp_path / "summary.md"
    result = run_check(str(good), "--archive", str(archive), "--markdown", str(summary))
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert f"{good}：可以提交" in out and "1/1 份报告可以提交" in out
    assert re.search(r"town\s+鸡鸣乡\s+<- 标题", out) and re.search(r"province\s+重庆市\s+<- 地名库", out)
    assert re.search(r"第\s+\d+ 行\s+drop_document_register", out), out  # what the cleaner removed, by rule and line
    assert "reports/chongqing-chengkou-jimingxiang-2025/" in out
    md = summary.read_text(encoding="utf-8")
    assert md.startswith("## 报告检查：1/1 份报告可以提交") and "| 乡镇 town | 鸡鸣乡 | 标题 |" in md

    bad = archive / "copy.txt"
    shutil.copy(good, bad)
    result = run_check(str(good), str(bad), "--archive", str(archive), "--markdown", str(summary))
    assert result.returncode == 1 and "1/2 份报告可以提交" in result.stdout
    assert "❌" in summary.read_text(encoding="utf-8").split("## 报告检查：1/2 份报告可以提交", 1)[1]


@pytest.fixture
def git(archive):
    """Runs git in a repository around the archive folder."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")

    def run(*args):
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=archive.parent,
                       check=True, capture_output=True)
    return run


def test_changed_since_finds_new_and_corrected_reports_in_git(archive, git):
    git("init", "-q")
    git("add", ".")
    git("commit", "-qm", "base")
    new = archive / "chongqing-chengkou-jimingxiang-2025.txt"
    shutil.copy(SAMPLES / "s002.txt", new)  # not yet committed: still found
    corrected = archive / "004_5e0d0e6190e313b8.yml"
    corrected.write_text(corrected.read_text(encoding="utf-8") + "notes: 已核对。\n", encoding="utf-8")
    result = run_check("--changed-since", "HEAD", "--archive", str(archive))
    checked = re.findall(r"^(\S+)：(?:可以提交|尚不能提交)", result.stdout, flags=re.M)
    assert sorted(checked) == sorted([str(new), str(archive / "004_5e0d0e6190e313b8.txt")]), result.stdout


def test_a_published_report_keeps_its_name_when_a_correction_changes_its_place(archive, git):
    published = archive / "chongqing-chengkou-jimingxiang-2025.txt"
    shutil.copy(SAMPLES / "s002.txt", published)
    git("init", "-q")
    git("add", ".")
    git("commit", "-qm", "base")
    published.with_suffix(".yml").write_text("county: 巫溪县\n", encoding="utf-8")  # a correction moves the place
    new = archive / "report-1.txt"
    shutil.copy(SAMPLES / "s003.txt", new)
    result = run_check("--changed-since", "HEAD", "--archive", str(archive))
    assert f"{published}：可以提交" in result.stdout, result.stdout
    assert "它的网址仍是 reports/chongqing-chengkou-jimingxiang-2025/" in result.stdout
    new_part = result.stdout.split(f"{new}：", 1)[1]
    assert new_part.startswith("尚不能提交") and "改名为 hunan-huaihua-chenxi-" in new_part


def test_a_sidecar_saved_in_another_encoding_names_its_line(archive):
    path = archive / "chongqing-chengkou-jimingxiang-2025.txt"
    shutil.copy(SAMPLES / "s002.txt", path)
    sidecar = path.with_suffix(".yml")
    sidecar.write_bytes("source_url: https://cqck.gov.cn/\nnotes: 城口县网站\n".encode("gb18030"))
    [checked] = check_paths([str(path)], archive, jobs=1)
    [problem] = checked.problems
    assert problem.path == str(sidecar)
    assert_names(problem, sidecar, "把 .yml 文件另存为 UTF-8", line=2)
