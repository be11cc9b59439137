"""The archive as a dataset: its version, the day its data reach, its licence, and how to cite it.

The version is the project's release and a fingerprint of the reports it
holds, so two builds of the same reports carry the same version and any change
of a report changes it. The date is ``SOURCE_DATE_EPOCH`` when a build sets it
(the reproducible-builds convention), else the latest date found in the data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass
from importlib import metadata
from typing import Iterable

from .model import Metadata

NAME = "法治政府建设报告档案"
CREATORS = "法治政府建设报告档案的贡献者"
LICENSE_ID = "CC-BY-4.0"
LICENSE_NAME = "知识共享 署名 4.0 国际许可协议（CC BY 4.0）"
LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/deed.zh-hans"
# What the licence covers, and why the reports themselves need none (著作权法 第五条).
LICENSE_TERMS = (
    "报告原文是国家机关公开发布的具有行政性质的文件，依《中华人民共和国著作权法》第五条，不适用著作权法，"
    "可自由使用，引用时请注明原始出处。本档案自己的工作，即整理出的元数据、清理记录、注释与数据文件，"
    f"按{LICENSE_NAME}发布：可以复制、修改和再发布，包括商业用途，只需署名“{NAME}”并注明所用版本。"
    "程序代码按 MIT 许可证发布。")


def project_version() -> str:
    try:
        return metadata.version("fazhi-archive")
    except metadata.PackageNotFoundError:  # run from a checkout that was not installed
        return "0"


@dataclass(frozen=True)
class Release:
    version: str
    date: str
    count: int


def release(metas: Iterable[Metadata]) -> Release:
    metas = list(metas)
    digest = hashlib.sha256("".join(sorted(m.sha256 or "" for m in metas)).encode("ascii")).hexdigest()
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        date = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date().isoformat()
    else:
        dates = [d for m in metas for d in (m.annotations.get("retrieved"), m.published, m.date) if d]
        date = max(dates) if dates else "—"
    return Release(f"{project_version()}+{digest[:8]}", date, len(metas))


def gbt7714(rel: Release, url: str) -> str:
    return f"{CREATORS}. {NAME}[DB/OL]. 版本 {rel.version}. ({rel.date})[YYYY-MM-DD]. {url}."


def bibtex(rel: Release, url: str) -> str:
    return "\n".join([
        "@misc{fazhi-archive,",
        f"  author   = {{{{{CREATORS}}}}},",
        f"  title    = {{{NAME}}},",
        f"  version  = {{{rel.version}}},",
        f"  date     = {{{rel.date}}},",
        f"  url      = {{{url}}},",
        "  urldate  = {YYYY-MM-DD},",
        "  language = {chinese}",
        "}"])
