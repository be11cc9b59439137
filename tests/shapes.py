"""Report shapes built from real seed text: each way reports arrive, made on purpose.

Every shape keeps the report's words and adds only what a web page or a Word
export adds, so tests can check the converter removes exactly the additions.
"""

from __future__ import annotations

import codecs

from conftest import SEEDS

BASE = (SEEDS / "001_d6ab253036f6199f.txt").read_text(encoding="utf-8")


def web_page(text: str = BASE) -> str:
    title = "重庆市沙坪坝区青木关镇人民政府关于2022年法治政府建设情况的报告"
    chrome_top = [
        "关怀版 无障碍 简体|繁体 适老化",
        "您当前所在位置：首页 > 政务公开 > 法治政府建设年度报告",
        "索引号：11500106MB1234567X/2023-00012",
        "发布机构：青木关镇人民政府",
        "成文日期：2023-01-20",
        title,
        "发布时间：2025-06-01 09:00  来源：青木关镇  浏览次数：1024",
        "字号：大 中 小   打印   分享到",
        title,
    ]
    chrome_bottom = ["", "相关文章", "上一篇：关于2021年法治政府建设情况的报告", "下一篇：无"]
    return "\n".join(chrome_top + text.split("\n") + chrome_bottom)


def word_export(text: str = BASE, width: int = 34) -> str:
    """Hard-wrapped at ``width``, paragraphs indented with U+3000, a bookmark and zero-width spaces."""
    out = []
    for n, line in enumerate(l.strip() for l in text.split("\n")):
        if not line:
            continue
        line = line.replace("法治政府", "法治\u200b政府", 1)
        bookmark = "[bookmark: _GoBack]" if n == 6 else ""  # Word does not count it in the line width
        out.append("\u3000\u3000" + bookmark + line[:width])
        out.extend(line[i:i + width] for i in range(width, len(line), width))
    return "\n".join(out)


def traditional(text: str = BASE) -> str:
    import opencc

    return opencc.OpenCC("s2t").convert(text)


def mixed_width(text: str = BASE) -> str:
    """Half-width punctuation and digits in some places, full-width in others, U+2002 indents."""
    half = text.replace("，", ",", 20).replace("（", "(", 3).replace("）", ")", 3)
    return "\n".join("\u2002" + line if i % 3 == 0 else line for i, line in enumerate(half.split("\n")))


def hostile(text: str = BASE) -> str:
    """Characters Markdown and HTML treat specially, inside report sentences."""
    extra = ("其中*重点*任务`3`项，<script>alert(1)</script>已整改，|表格|符号、#标签、[链接](http://x.cn)、"
             "&amp;实体、~~删除~~、{: .cls}、1. 列表、- 条目、> 引用、_下划线_、\\反斜杠。")
    lines = text.split("\n")
    lines.insert(8, extra)
    lines.insert(9, "- 以短横开头的一句话，共计3项内容，全部落实到位。")
    lines.insert(10, "1. 以数字开头的一句话，共计3项内容，全部落实到位。")
    return "\n".join(lines)


SHAPES = {
    "utf8": lambda: BASE.encode("utf-8"),
    "utf8-bom-crlf": lambda: codecs.BOM_UTF8 + BASE.replace("\n", "\r\n").encode("utf-8"),
    "gb18030-crlf-web-page": lambda: web_page().replace("\n", "\r\n").encode("gb18030"),
    "utf16-cr": lambda: BASE.replace("\n", "\r").encode("utf-16"),
    "word-export": lambda: word_export().encode("utf-8"),
    "traditional-web-page": lambda: traditional(web_page()).encode("utf-8"),
    "mixed-width": lambda: mixed_width().encode("utf-8"),
    "hostile-characters": lambda: hostile().encode("utf-8"),
}


def write_shapes(directory) -> list:
    paths = []
    for name, make in SHAPES.items():
        path = directory / f"{name}.txt"
        path.write_bytes(make())
        paths.append(path)
    return paths
