"""Errors a contributor can act on: each names the file, the line or key, and the fix."""

from __future__ import annotations

import traceback
from pathlib import Path


class ReportError(Exception):
    """A report (or its sidecar) cannot be converted as it stands."""

    def __init__(self, path: str, problem: str, fix: str, line: int | None = None,
                 key: str | None = None) -> None:
        self.path = path
        self.problem = problem
        self.fix = fix
        self.line = line
        self.key = key
        super().__init__(str(self))

    def __reduce__(self):
        # An exception pickles its args (here the message alone); a worker's problem must reach the build whole.
        return (ReportError, (self.path, self.problem, self.fix, self.line, self.key))

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f"，第 {self.line} 行"
        if self.key is not None:
            where += f"，键 {self.key}"
        return f"{where}：{self.problem}。修正：{self.fix}"


BUG_FIX = "这是转换器的缺陷，不是文件的错：请提交 issue 并附上这个文件；档案的其余部分照常构建"


def unexpected(path: str, exc: Exception) -> ReportError:
    """An exception the converter did not expect, made into the problem of the one report it hit.

    Names the exception and the converter's line that raised it (by file name
    only, so no build machine's paths reach the site), so a maintainer can act.
    """
    frames = traceback.extract_tb(exc.__traceback__) if exc.__traceback__ else []
    where = f"，位于 {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    message = str(exc)
    message = message if len(message) <= 200 else message[:199] + "…"
    return ReportError(path, f"转换器处理这个文件时出错（{type(exc).__name__}{where}：{message}）", BUG_FIX)
