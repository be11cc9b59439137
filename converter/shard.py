"""One share of the archive's reports, for a build spread over several machines (``ARCHIVE_SHARD=2/4``).

A report belongs to share ``k`` of ``n`` by a digest of its file's name, not of
its place or year: those are known only once it is converted, and a share must
be chosen before. The name is all that decides, so every machine, checkout
and folder puts a report in the same share, and shares come out about equal.
A report's sidecar has the report's name and goes with it.

A build given a share is the ordinary build of a smaller archive: the same
code converts those reports and makes their pages and indexes. What it leaves
in the cache (each converted report, under the same key a whole build asks
for) is what the shares are for: a whole build over the union of the shares'
caches converts nothing again (README, "How the build shards"), as long as
every share was built from a checkout at the same absolute path (a report's
cache key includes its path).
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

ENV_VAR = "ARCHIVE_SHARD"
_SPEC = re.compile(r"\s*(\d+)\s*/\s*(\d+)\s*")


@dataclass(frozen=True)
class Shard:
    """Share ``number`` (counted from 1) of ``count``."""

    number: int
    count: int

    @classmethod
    def parse(cls, spec: str, source: str = f"环境变量 {ENV_VAR}") -> "Shard":
        """``"2/4"`` → the second of four shares; anything else is a ``ValueError`` naming ``source`` (where the
        setting came from) and saying how to write it."""
        found = _SPEC.fullmatch(spec)
        number, count = (int(found.group(1)), int(found.group(2))) if found else (0, 0)
        if not 1 <= number <= count:
            raise ValueError(f"{source} 的分片设置“{spec}”无法识别：应写作“第几份/共几份”，两者都是正整数且前者不大于后者，"
                             f"例如 2/4 表示共 4 份中的第 2 份；不分片则删去这项设置")
        return cls(number, count)

    def holds(self, path: str | os.PathLike) -> bool:
        """Whether the report file at ``path`` is in this share (its name decides, not its folder)."""
        # NFC: macOS spells some names decomposed; the same name must fall in the same share everywhere.
        name = unicodedata.normalize("NFC", Path(path).name)
        digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).digest()
        return int.from_bytes(digest[:8], "big") % self.count == self.number - 1

    def select(self, paths: Iterable[str]) -> list[str]:
        """The report files of ``paths`` that are in this share, in their order."""
        return [p for p in paths if self.holds(p)]

    def __str__(self) -> str:
        return f"{self.number}/{self.count}"


def chosen(setting: str | None) -> Shard | None:
    """The share a build is given: ``setting`` (mkdocs.yml), else ``$ARCHIVE_SHARD``; None for the whole archive
    (no setting, an empty one, or a share of one: a build of all reports is the whole build, pruning and all)."""
    if setting is not None:
        spec, source = setting, "mkdocs.yml 中 archive 插件的 shard"
    else:
        spec, source = os.environ.get(ENV_VAR), f"环境变量 {ENV_VAR}"
    if spec is None or not spec.strip():
        return None
    share = Shard.parse(spec, source)
    return share if share.count > 1 else None
