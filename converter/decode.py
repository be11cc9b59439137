"""Stage 2: turn the raw bytes into text, recording which encoding was used.

Byte-order marks are trusted first, strict UTF-8 second (most reports, and it is
fast), and only then charset-normalizer guesses. GB2312 and GBK guesses are read
as GB18030, their superset, so no character the contributor saw is lost.
"""

from __future__ import annotations

import codecs
import re

from .errors import ReportError
from .model import Decoded

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# charset-normalizer's names for encodings that GB18030 reads identically.
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "hz", "cp936"}
MIN_CJK_CHARACTERS = 10
_ENOUGH_CJK = re.compile(r"(?:[^\u3400-\u9fff]*[\u3400-\u9fff]){%d}" % MIN_CJK_CHARACTERS)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_HAN = re.compile(r"[\u3400-\u9fff]")
# Encodings that are read, not guessed: a BOM says so, or every byte is valid UTF-8.
_CERTAIN = {"utf-8", "utf-8-sig", "utf-16", "utf-32"}

FIX_ENCODING = "把文件另存为 UTF-8 编码的文本（多数编辑器：另存为，编码选 UTF-8）后重试"


def line_at(raw: bytes, offset: int) -> int:
    """The 1-based line of the file on which byte ``offset`` lies."""
    return raw.count(b"\n", 0, offset) + 1


def _detect(raw: bytes, path: str) -> str:
    for bom, name in _BOMS:
        if raw.startswith(bom):
            return name
    if b"\x00" in raw:
        raise ReportError(path, "文件含有 NUL 字节，是二进制文件（.doc、.pdf 或图片？），不是纯文本",
                          "把报告的文字复制到一个纯文本 .txt 文件里，保存为 UTF-8",
                          line=line_at(raw, raw.index(b"\x00")))
    try:
        raw.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    from charset_normalizer import from_bytes  # imported here: most files never need it

    best = from_bytes(raw).best()
    if best is None:
        raise ReportError(path, "无法识别文本的编码（第一个不符合 UTF-8 的字节在这一行）", FIX_ENCODING, line=line_at(raw, first_bad))
    name = best.encoding.lower().replace("_", "-")
    if name.replace("-", "") in _GB_FAMILY:
        return "gb18030"
    return name


def normalize_newlines(text: str) -> str:
    """CRLF and lone CR become LF, so line numbers match what an editor shows."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _too_little_text(text: str, encoding: str, guessed: bool, path: str) -> ReportError | None:
    """Why a decoded file is not a report, told apart by what it holds: nothing, a line, or the wrong script."""
    if not text.strip():  # str.strip knows the ideographic space and the other Unicode blanks
        return ReportError(path, "文件只有空行和空格", "把报告的正文放进文件")
    if _ENOUGH_CJK.match(text, 0, 20000):
        return None
    han = len(_HAN.findall(text, 0, 20000))
    if han:
        return ReportError(path, f"文件只有 {han} 个汉字，不足以成为一份报告", "把报告的全文粘贴进文件")
    if guessed:
        return ReportError(path, f"按 {encoding} 读取时找不到中文：编码不对，或者这不是报告", FIX_ENCODING)
    return ReportError(path, "文件里没有中文，不是报告", "确认保存的是报告本身的文字，而不是别的文件")


def decode(raw: bytes, path: str = "<bytes>") -> Decoded:
    if not raw.strip():
        raise ReportError(path, "文件是空的", "把报告的正文放进文件")
    encoding = _detect(raw, path)
    try:
        text = raw.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        line = line_at(raw, exc.start) if isinstance(exc, UnicodeDecodeError) else None
        raise ReportError(path, f"字节不是有效的 {encoding}（{exc}）", FIX_ENCODING, line=line) from exc
    text = normalize_newlines(text.lstrip("\ufeff"))
    bad = _CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise ReportError(path, f"发现控制字符 U+{ord(bad.group()):04X}，这不是纯文本（按 {encoding} 读取）", FIX_ENCODING, line=line)
    problem = _too_little_text(text, encoding, encoding not in _CERTAIN, path)
    if problem:
        raise problem
    return Decoded(text=text, encoding=encoding)
