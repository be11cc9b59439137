"""Reports arrive in many encodings and line-end styles; all must read the same."""

from __future__ import annotations

import codecs

import pytest

from converter.decode import decode
from converter.errors import ReportError

from conftest import seed_files

TEXT = seed_files()[0].read_text(encoding="utf-8")


@pytest.mark.parametrize("encoding, raw, expected_name", [
    ("utf-8", TEXT.encode("utf-8"), "utf-8"),
    ("utf-8 with BOM", codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
    ("gb18030", TEXT.encode("gb18030"), "gb18030"),
    ("gbk", TEXT.replace("\u2002", " ").encode("gbk"), "gb18030"),
    ("utf-16 little-endian with BOM", TEXT.encode("utf-16"), "utf-16"),
    ("utf-16 big-endian with BOM", codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
])
def test_every_encoding_decodes_to_the_same_text(encoding, raw, expected_name):
    decoded = decode(raw, "report.txt")
    assert decoded.text == (TEXT.replace("\u2002", " ") if encoding == "gbk" else TEXT)
    assert decoded.encoding == expected_name


def test_big5_traditional_page_decodes():
    text = "小龍門鄉2024年法治政府建設情況報告\n2024年，小龍門鄉在縣全面依法治縣委員會的指導下，深入貫徹全面依法治國新思想。"
    decoded = decode(text.encode("big5"), "tw.txt")
    assert decoded.text == text


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"])
def test_line_ends_are_normalised_and_line_numbers_kept(newline):
    raw = newline.join(TEXT.split("\n")).encode("gb18030")
    decoded = decode(raw, "crlf.txt")
    assert decoded.text.split("\n") == TEXT.split("\n")


def test_binary_file_is_refused_naming_the_file():
    with pytest.raises(ReportError) as err:
        decode(b"PK\x03\x04\x00\x00binary docx", "seeds/report.docx")
    message = str(err.value)
    assert "seeds/report.docx" in message and "二进制" in message and "UTF-8" in message


def test_empty_file_is_refused():
    with pytest.raises(ReportError, match="文件是空的"):
        decode(b"  \n\n", "empty.txt")


def test_text_without_chinese_is_refused_as_wrong_encoding():
    with pytest.raises(ReportError, match="没有中文"):
        decode("Hello, this is not a report at all. ".encode("utf-8") * 5, "english.txt")


def test_control_characters_are_refused_with_their_line():
    raw = ("第一行法治政府建设报告内容很多很多很多\n第二行\x01坏了").encode("utf-8")
    with pytest.raises(ReportError) as err:
        decode(raw, "ctl.txt")
    assert err.value.line == 2 and "U+0001" in str(err.value)
