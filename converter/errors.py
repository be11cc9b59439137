"""Errors a contributor can act on: each names the file, the line or key, and the fix."""

from __future__ import annotations


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

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f", line {self.line}"
        if self.key is not None:
            where += f", key '{self.key}'"
        return f"{where}: {self.problem}. Fix: {self.fix}"
