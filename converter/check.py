"""Is a contributed report ready? What the archive will make of it, and what stops it.

``check`` converts each given report exactly as the site will, then compares it
with every report already in the archive. A problem is a ``ReportError``
naming the file, the line or sidecar key, and the fix; a report is ready when
it has none. Advice that does not block (no source address yet) is a note.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Sequence

from .collection import convert_paths
from .cache import DIGESTS_KEPT, ReportCache, keep_digests, save_digests
from .errors import ReportError, unexpected
from .fingerprints import FingerprintIndex, Held, key_of, known_and_unknown, words_fingerprint
from .fold import fold
from .model import Doubt, Report
from .pipeline import convert_file, make_slugs_unique
from .read import SIDECAR_SUFFIXES, is_report_file
from .sidecar import read_sidecar, sidecar_path
from .slug import SLUG_PATTERN, address, slug_for


@dataclass
class Checked:
    """One report's verdict."""

    path: str
    report: Report | None
    problems: list[ReportError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return not self.problems


@dataclass
class Holdings:
    """What the archive already holds, for spotting a report added twice."""

    by_text: dict[str, str] = field(default_factory=dict)
    by_unit_year: dict[tuple, str] = field(default_factory=dict)
    by_url: dict[str, str] = field(default_factory=dict)

    def add(self, report: Report) -> None:
        self.hold(held_of(report))

    def hold(self, held: Held) -> None:
        self.by_text.setdefault(held.text, held.source)
        if held.unit_year:
            self.by_unit_year.setdefault(held.unit_year, held.source)
        for name in [held.slug or "", *held.aliases]:
            self.by_url.setdefault(name, held.source)


def held_of(report: Report) -> Held:
    """What the comparison needs of a converted report (``fingerprints.Held``)."""
    m = report.metadata
    return Held(Path(report.path).name, text_fingerprint(report), unit_year(report), m.slug_base, m.slug, m.sha256,
                tuple(m.aliases), source=report.path)


def text_fingerprint(report: Report) -> str:
    """The report's words' fingerprint (``fingerprints.words_fingerprint``), made where it was converted."""
    return report.fingerprint or words_fingerprint(report.structure)


def unit_year(report: Report) -> tuple | None:
    m = report.metadata
    if not (m.unit and m.year):
        return None
    return (m.province, m.city, m.county, m.unit, m.year)


def first_line(report: Report, needle: str | None) -> int | None:
    """The first line of the file where ``needle`` appears (in the text or in what the cleaner removed)."""
    if not needle:
        return None
    want = fold(needle)
    for line in report.cleaned.lines:
        if want in fold(line.text):
            return line.no
    hits = [r.line for r in report.cleaned.removals if want in fold(r.text)]
    return min(hits) if hits else None


def title_line(report: Report) -> int:
    heads = report.structure.of_kind("title") or report.structure.blocks[:1]
    return heads[0].line if heads else 1


def _doubt_problem(report: Report, doubt: Doubt, sidecar: str) -> ReportError:
    line = first_line(report, doubt.name) or title_line(report)
    key = doubt.keys[0]
    if doubt.candidates:
        places = "；".join("".join(p for p in c if p) for c in doubt.candidates)
        counties = sorted({c[2] for c in doubt.candidates if c[2]})
        example = f"county: {counties[0]}" if counties else f"province: {doubt.candidates[0][0]}"
        problem = f"地名“{doubt.name}”有歧义，候选：{places}"
        fix = f"查明是哪一个（来源网址或正文提到的县可以说明），写进 {sidecar}，例如“{example}”"
    elif doubt.name:
        problem = f"地名“{doubt.name}”不在地名库中，所以不知道它所属的县和省"
        fix = f"在 {sidecar} 中写上“county:”和“province:”（正式全称）"
    else:
        problem = f"报告所属地区未能确定：{doubt.message.rstrip('。')}"
        fix = f"在 {sidecar} 中写上“{key}:”（以及“county:”“province:”）"
    return ReportError(report.path, problem, fix, line=line, key=key)


def _suggested_name(base: str, holdings: Holdings) -> str:
    name, n = base, 2
    while name in holdings.by_url:
        name, n = f"{base}-{n}", n + 1
    return name


def check_report(path: str, holdings: Holdings, archive_dir: Path | None, published: bool = False) -> Checked:
    """Convert one report as the site will, and list every problem with it; never raises.

    ``published``: the report is already in the archive, so its address is settled
    and must not be renamed, whatever the converter would call it now.
    """
    try:
        return _check_report(path, holdings, archive_dir, published)
    except Exception as exc:  # noqa: BLE001 - a fault is this report's problem, never a traceback
        return Checked(path, None, [unexpected(path, exc)])


def _check_report(path: str, holdings: Holdings, archive_dir: Path | None, published: bool) -> Checked:
    side = sidecar_path(path)
    notes, problems = read_sidecar(side)
    checked = Checked(path, None, list(problems))
    try:
        report = convert_file(path, notes=notes)
    except ReportError as exc:
        checked.problems.insert(0, exc)
        return checked
    checked.report = report
    checked.problems.extend(report.problems)
    m = report.metadata
    where = str(side)
    if archive_dir is not None and Path(path).resolve().parent != archive_dir.resolve():
        checked.problems.append(ReportError(
            path, f"文件不在档案的目录 {archive_dir} 里，网站不会收录它",
            f"把它（以及它的 .yml，如果有）移到 {archive_dir}/"))
    if not is_report_file(Path(path)):
        checked.problems.append(ReportError(path, "档案只读取以 .txt 结尾的文件", "把文件改名为以 .txt 结尾"))
    year_doubts = [d for d in m.warnings if d.keys == ("year",)]
    if m.year is None:
        why = year_doubts[0].message.rstrip("。") if year_doubts else "标题和开头几段都没有说明报告的是哪一年"
        checked.problems.append(ReportError(
            path, f"找不到报告年度：{why}", f"在 {where} 中写上报告所总结的年度，例如“year: 2023”",
            line=title_line(report), key="year"))
    for doubt in m.warnings:
        if doubt not in year_doubts:
            checked.problems.append(_doubt_problem(report, doubt, where))

    twin = holdings.by_text.get(text_fingerprint(report))
    if twin:
        checked.problems.append(ReportError(
            path, f"档案里已有同样的正文：{twin}",
            f"不要重复添加；如果这份的来源网址更好，请把它写进 {sidecar_path(twin)}",
            line=title_line(report)))
    unit_and_year = unit_year(report)
    same = holdings.by_unit_year.get(unit_and_year) if unit_and_year else None
    if same and not twin and "slug" not in notes:
        checked.problems.append(ReportError(
            path, f"档案里已有{m.unit}{m.year}年的报告：{same}",
            f"如果是同一份报告，不要重复添加；如果是同一年的另一份报告，请在 {where} 中写上"
            f"“slug: {_suggested_name(slug_for(m, path), holdings)}”，给它单独的网址",
            line=title_line(report), key="year"))
    for name in [m.slug or ""] + m.aliases:
        if name in holdings.by_url:
            key = "slug" if name == m.slug else "former_slugs"
            checked.problems.append(ReportError(
                path, f"网址 {address(name)} 已被 {holdings.by_url[name]} 占用",
                f"换一个文件名，或在 {where} 中换一个“{key}”", key=key))

    stem = Path(path).stem
    derived = slug_for(m, path)
    if published and stem != derived and SLUG_PATTERN.match(stem):
        checked.notes.append(f"转换器现在会把它命名为 {derived}；它的网址仍是 {address(m.slug)}")
    elif "slug" not in notes and m.unit and m.year and not m.warnings and stem != derived:
        wanted = _suggested_name(derived, holdings)
        checked.problems.append(ReportError(
            path, f"文件名“{Path(path).name}”不是这份报告的网址名",
            f"改名为 {wanted}.txt（旁注改名为 {wanted}.yml）：文件名就是报告的永久网址 {address(wanted)}"))
    if "source_url" not in notes:
        checked.notes.append(f"还没有来源网址：在 {where} 中写上“source_url:”和“retrieved:”，方便读者找到原文")
    return checked


def survey(archive_dir: Path, skip: Iterable[str], jobs: int | None = None,
           cache_root: Path | None = None) -> Holdings:
    """What the archive's reports (all but ``skip``) hold, for comparison.

    With ``cache_root``, the fingerprints of reports already surveyed are read
    from there (``fingerprints``) and only the others are converted (their
    conversions are kept in the site's report cache there too).
    """
    holdings = Holdings()
    if not archive_dir.is_dir():
        return holdings
    here = archive_dir.resolve()
    skipped = {Path(p).name for p in skip if Path(p).resolve().parent == here}  # no resolving each archived file
    files = [str(p) for p in sorted(archive_dir.iterdir()) if p.name not in skipped and is_report_file(p)]
    index = FingerprintIndex(cache_root) if cache_root is not None else None
    if cache_root is not None:  # the reports' digests as the last build or check read them, each still checked
        keep_digests(Path(cache_root) / DIGESTS_KEPT)
    keys, known, unknown = known_and_unknown(index, files)
    # Converted by their absolute path and lean, as the site's plugin has them, so the two share the report cache.
    by_full = {os.path.abspath(f): f for f in unknown}
    disk = ReportCache(cache_root) if cache_root is not None else None
    reports, _ = convert_paths(list(by_full), jobs=jobs, disk=disk, lean=True)
    for report in reports:
        known[keys[by_full[report.path]]] = unsettled(report)
    if index is not None and unknown:
        index.save(known)
    if cache_root is not None:
        save_digests()
    # Named as given (check's messages name them so); a report that cannot be converted holds nothing.
    held_now = [replace(known[keys[f]], source=f) for f in files if keys[f] in known]
    make_slugs_unique(held_now)
    for held in held_now:
        holdings.hold(held)
    return holdings


def unsettled(report: Report) -> Held:
    """``held_of(report)`` with the address it asks for, not the one the archive gave it: ``survey`` settles the
    addresses among the reports it compares with, so what it keeps must not depend on the others."""
    held = held_of(report)
    held.slug = report.metadata.slug_base
    return held


def remember(reports: Iterable[Report], cache_root: Path) -> bool:
    """Keep the fingerprints of reports a site build has just converted, as ``survey`` would, so that the next
    ``check`` against their folder converts none of them (at 10,000 reports it would otherwise read every
    conversion back from the report cache: 9.5 s). Whether the kept file changed."""
    index = FingerprintIndex(cache_root)
    by_key = {key_of(r.path): r for r in reports}
    stored = index.load()
    if stored.keys() == by_key.keys():  # a key is the bytes and the converter version: the rest is the same
        return False
    # Only what the index does not know is fingerprinted (every report's words: 1.4 s at 10,000 reports).
    index.save({key: stored.get(key) or unsettled(r) for key, r in by_key.items()})
    return True


def check_paths(paths: Sequence[str], archive_dir: Path | None, jobs: int | None = None,
                published: Callable[[str], bool] = lambda path: False,
                cache_root: Path | None = None) -> list[Checked]:
    """Check each report against the archive and against the ones checked before it.

    A sidecar given in place of its report stands for the report beside it.
    ``cache_root``: where the archive's fingerprints are kept (``survey``).
    """
    paths, results = _reports_of(paths)
    holdings = survey(archive_dir, paths, jobs, cache_root) if archive_dir is not None else Holdings()
    for path in paths:
        checked = check_report(path, holdings, archive_dir, published(path))
        if checked.report is not None:
            holdings.add(checked.report)
        results.append(checked)
    return results


def _reports_of(paths: Sequence[str]) -> tuple[list[str], list[Checked]]:
    """The reports to check, each once, and a verdict for each sidecar that has no report beside it."""
    reports: list[str] = []
    orphans: list[Checked] = []
    for path in paths:
        if Path(path).suffix.lower() in SIDECAR_SUFFIXES:
            report = str(Path(path).with_suffix(".txt"))
            if not Path(report).is_file():
                orphans.append(Checked(path, None, [ReportError(
                    path, f"这是旁注文件，旁边没有报告 {Path(report).name}",
                    "把报告的 .txt 文件交给 check（旁注会一并检查），或把旁注改名为报告的名字")]))
                continue
            path = report
        if path not in reports:
            reports.append(path)
    return reports, orphans


# --- what changed in a pull request -------------------------------------------------

def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)


def in_git(ref: str) -> Callable[[str], bool]:
    """Whether a file existed at git ``ref``; False outside git."""
    def exists(path: str) -> bool:
        where = Path(path).resolve()
        try:
            return _git(where.parent, "cat-file", "-e", f"{ref}:./{where.name}").returncode == 0
        except OSError:
            return False
    return exists


def changed_reports(archive_dir: Path, since: str) -> list[str]:
    """Report files under ``archive_dir`` added or changed since git ``since`` (their sidecars count too)."""
    def lines(*args: str) -> list[str]:
        out = _git(archive_dir, *args)
        if out.returncode != 0:
            raise ReportError(str(archive_dir), f"git {' '.join(args)} 失败：{out.stderr.strip()}",
                              "在档案的 git 克隆里运行，并确保已取得基准提交")
        return [line for line in out.stdout.splitlines() if line]

    top = Path(lines("rev-parse", "--show-toplevel")[0])
    names = lines("diff", "--name-only", "--no-renames", "--diff-filter=d", since, "--", ".")
    names += [str((archive_dir / n).resolve().relative_to(top))
              for n in lines("ls-files", "--others", "--exclude-standard", "--", ".")]
    found: set[Path] = set()
    for name in names:
        path = top / name
        report = path.with_suffix(".txt") if path.suffix == ".yml" else path
        if is_report_file(report):
            found.add(report)
    return [str(p) for p in sorted(found)]
