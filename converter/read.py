"""Stage 1: read a report's bytes exactly as contributed, and fingerprint them."""

from __future__ import annotations

import hashlib
from pathlib import Path

from .errors import ReportError

REPORT_SUFFIXES = (".txt",)
SIDECAR_SUFFIXES = (".yml",)


def read_bytes(path: str | Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise ReportError(str(path), f"无法读取文件（{exc.strerror}）",
                          "检查路径是否存在、文件是否可读") from exc


def sha256_of(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def is_report_file(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in REPORT_SUFFIXES and not path.name.startswith(".")


def expand_paths(paths: list[str]) -> list[str]:
    """Files as given, and every report file of a directory, in sorted order."""
    out: list[str] = []
    for given in paths:
        p = Path(given)
        if p.is_dir():
            out.extend(str(child) for child in sorted(p.iterdir()) if is_report_file(child))
        else:
            out.append(given)
    return out
