"""Report pages in the shapes the converter met on sites it had never seen (issue 11), made here on purpose.

Each shape wraps a seed report in the page furniture of one shape, written
for this project (no page is copied from the web): a stale clock above the
report, a navigation bar on or before the title line, a register as a pipe
table or as label runs, a label or the site owner glued to the title, a file
name as the first line, a byline, toolbars and link lists, the title printed
again with a small difference, text extracted from a PDF, and a unit named
only in a slogan. ``expected`` is what the converter must make of it; every
string in ``furniture`` must be gone from the report's text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from conftest import SEEDS


def seed(name: str) -> str:
    return (SEEDS / f"{name}.txt").read_text(encoding="utf-8")


DAJISHAN = seed("003_f635664e5ef9ff1d")
QINGMUGUAN = seed("001_d6ab253036f6199f")
YUDI = seed("002_c10955fb4422cdc5")
BIANDANGOU = seed("004_5e0d0e6190e313b8")

DAJISHAN_META = {"title": "关于大吉山镇2022年度法治政府建设工作情况的报告", "year": 2022, "unit": "大吉山镇",
                 "county": "全南县", "province": "江西省"}
QINGMUGUAN_META = {"title": "重庆市沙坪坝区青木关镇人民政府关于2022年法治政府建设情况的报告", "year": 2022,
                   "unit": "青木关镇", "county": "沙坪坝区", "province": "重庆市"}
YUDI_META = {"title": "腴地乡人民政府关于2023年法治政府建设情况的报告", "year": 2023, "unit": "腴地乡",
             "county": "酉阳土家族苗族自治县", "province": "重庆市"}
BIANDANGOU_META = {"title": "吴忠市利通区扁担沟镇法治政府建设工作报告", "year": 2023, "unit": "扁担沟镇",
                   "county": "利通区", "province": "宁夏回族自治区"}


@dataclass(frozen=True)
class PageShape:
    name: str
    text: str
    expected: dict
    furniture: tuple[str, ...] = ()
    base: str | None = None  # the seed whose report this is: its body must come out unchanged
    extra: dict = field(default_factory=dict)


def _after_line(text: str, needle: str, *inserted: str) -> str:
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if needle in line)
    return "\n".join(lines[:at + 1] + list(inserted) + lines[at + 1:])


def _before_line(text: str, needle: str, *inserted: str) -> str:
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if needle in line)
    return "\n".join(lines[:at] + list(inserted) + lines[at:])


def _replace_line(text: str, needle: str, *replacement: str) -> str:
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if needle in line)
    return "\n".join(lines[:at] + list(replacement) + lines[at + 1:])


def pdf_extracted(text: str, width: int = 37) -> str:
    """The report as a PDF text extractor gives it: three very long lines (pages), a space at each printed line's end.

    Each paragraph, heading and signature line starts a new printed line of
    ``width`` characters and wraps at that width; the extractor joins all
    printed lines of a page with spaces, so paragraph ends are spaces too.
    """
    printed = [line[i:i + width] for line in (raw.strip() for raw in text.split("\n")) if line
               for i in range(0, len(line), width)]
    third = len(printed) // 3
    return "\n".join(" ".join(page) for page in (printed[:third], printed[third:2 * third], printed[2 * third:]))


def _slogan_only() -> str:
    """A township's report that names its township nowhere, and its county only in a slogan."""
    text = DAJISHAN[:DAJISHAN.index("相关文章")]
    text = "\n".join(line for line in text.split("\n")
                     if line.strip() not in ("中共大吉山镇委员会", "大吉山镇人民政府"))  # the signature's names
    text = text.replace("大吉山镇", "我镇").replace("大吉山", "本镇")
    text = text.replace("关于我镇2022年度法治政府建设工作情况的报告", "关于2022年度法治政府建设工作情况的报告")
    return _after_line(text, "关于2022年度法治政府建设工作情况的报告", "",
                       "2022年，我镇坚持以习近平法治思想为指导，全镇上下齐心协力，为建设法治全南县贡献力量，现将有关情况报告如下。")


def _county_slogan_only() -> str:
    """A county's report whose title names no place; the county is named only in its slogan."""
    return "\n".join([
        "2022年法治政府建设年度报告", "",
        "2022年，我县坚持以习近平法治思想为指导，全县上下凝心聚力，奋力建设法治全南县，现将有关情况报告如下：",
        "一、主要工作", "",
        "（一）强化组织领导。县委常委会会议专题研究法治政府建设工作4次，县政府常务会议学法12次，全县各级领导干部带头尊法学法守法用法。",
        "（二）规范行政决策。全县重大行政决策全部经过合法性审查，县政府法律顾问列席县政府常务会议，全年审查规范性文件18件。",
        "二、存在的问题", "",
        "基层法治力量仍然薄弱，部分乡镇合法性审查人员不足，我县将在下一步工作中着力解决。",
    ])


SHAPES: list[PageShape] = [
    PageShape(
        "stale-clock-header",
        _before_line(DAJISHAN, "关怀版", "今天是：2019年11月5日 星期二 农历十月初九", "欢迎访问全南县人民政府门户网站！"),
        DAJISHAN_META, ("今天是", "星期二", "农历", "欢迎访问"), "003_f635664e5ef9ff1d"),
    PageShape(
        "nav-bar-before-title",
        "首页 新闻中心 信息公开 政务服务 互动交流 走进利通\n" + BIANDANGOU,
        BIANDANGOU_META, ("新闻中心", "互动交流", "走进利通"), "004_5e0d0e6190e313b8"),
    PageShape(
        "breadcrumb-glued-to-title",
        _replace_line(BIANDANGOU, "吴忠市利通区扁担沟镇法治政府建设工作报告",
                      "网站首页 | 政务公开 | 乡镇街道 吴忠市利通区扁担沟镇法治政府建设工作报告"),
        BIANDANGOU_META, ("网站首页", "乡镇街道", " | "), "004_5e0d0e6190e313b8"),
    PageShape(
        "register-pipe-table",
        _before_line(DAJISHAN, "关于大吉山镇2022年度法治政府建设工作情况的报告",
                     "| 索引号 | 360729-0101-2023-0003 | 发文字号 | |", "| --- | --- | --- | --- |",
                     "| 发布机构 | 全南县大吉山镇人民政府 | 成文日期 | 2023-01-09 |",
                     "| 标题 | 关于大吉山镇2022年度法治政府建设工作情况的报告 | 有效性 | 有效 |", ""),
        DAJISHAN_META, ("索引号", "发布机构", "有效性", "| "), "003_f635664e5ef9ff1d"),
    PageShape(
        "register-runs-on-one-line",
        "名称：吴忠市利通区扁担沟镇法治政府建设工作报告 文号： 发文日期：2024-01-15 发布机构：利通区扁担沟镇人民政府\n"
        + BIANDANGOU,
        BIANDANGOU_META, ("名称：", "发文日期", "发布机构"), "004_5e0d0e6190e313b8"),
    PageShape(
        "title-label",
        _replace_line(_replace_line(YUDI, "关于2023年法治政府建设情况的报告"),
                      "腴地乡人民政府", "标题：腴地乡人民政府关于2023年法治政府建设情况的报告"),
        YUDI_META, ("标题：",), "002_c10955fb4422cdc5"),
    PageShape(
        "site-owner-and-date-glued-to-title",
        "重庆市沙坪坝区人民政府 公开日：2023-01-20 " + QINGMUGUAN.replace(" 重庆市沙坪坝区青木关镇人民政府\n", "重庆市沙坪坝区青木关镇人民政府", 1),
        QINGMUGUAN_META | {"published": "2023-01-20"}, ("公开日", "重庆市沙坪坝区人民政府 "), "001_d6ab253036f6199f"),
    PageShape(
        "file-name-first",
        "吴忠市利通区扁担沟镇法治政府建设工作报告.docx\n" + BIANDANGOU,
        BIANDANGOU_META, (".docx",), "004_5e0d0e6190e313b8"),
    PageShape(
        "byline-after-title",
        _after_line(DAJISHAN, "关于大吉山镇2022年度法治政府建设工作情况的报告",
                    "全南县人民政府门户网站 www.quannan.gov.cn 发布时间：2023-01-20 10:30:00"),
        DAJISHAN_META | {"published": "2023-01-20"}, ("www.quannan.gov.cn", "门户网站", "10:30"),
        "003_f635664e5ef9ff1d"),
    PageShape(
        "toolbars",
        _after_line(QINGMUGUAN, "关于2022年法治政府建设情况的报告", "加大字体 缩小字体 收藏 取消收藏 打印 关闭",
                    "【我要纠错】 【打印本页】 【关闭窗口】"),
        QINGMUGUAN_META, ("加大字体", "取消收藏", "我要纠错"), "001_d6ab253036f6199f"),
    PageShape(
        "link-lists-below",
        YUDI.rstrip("\n") + "\n\n国家各网站 / 重庆市各网站 / 区县网站 / 其他链接\n酉阳县人民政府办公室主办 渝ICP备00000000号\n",
        YUDI_META, ("国家各网站", "其他链接", "ICP备"), "002_c10955fb4422cdc5"),
    PageShape(
        "title-printed-again-with-a-difference",
        _after_line(DAJISHAN, "关于大吉山镇2022年度法治政府建设工作情况的报告", "关于大吉山镇2022度法治政府建设工作情况的报告"),
        DAJISHAN_META, ("2022度",), "003_f635664e5ef9ff1d"),
    PageShape(
        "pdf-extracted",
        pdf_extracted("\n".join(line for line in DAJISHAN[DAJISHAN.index("关于大吉山镇"):DAJISHAN.index("相关文章")]
                                 .split("\n") if "访问量" not in line)),
        DAJISHAN_META, (), None, {"headings": 10}),
    PageShape(
        "title-and-text-disagree-on-the-year",
        DAJISHAN.replace("现将我镇2022年度法治政府建设情况报告如下", "现将我镇2023年度法治政府建设情况报告如下"),
        {"title": DAJISHAN_META["title"], "year": None, "unit": "大吉山镇"}),
    PageShape(
        "year-later-than-the-signature",
        YUDI.replace("关于2023年法治政府建设情况的报告", "关于2024年法治政府建设情况的报告").rstrip("\n")
        + "\n\n腴地乡人民政府\n2023年12月20日\n",
        {"year": None, "date": "2023-12-20", "unit": "腴地乡"}),
    PageShape(
        "title-only-in-the-register",
        _before_line(_replace_line(DAJISHAN, "关于大吉山镇2022年度法治政府建设工作情况的报告"), "访问量",
                     "| 标题 | 关于大吉山镇2022年度法治政府建设工作情况的报告 | 有效性 | 有效 |"),
        DAJISHAN_META, ("有效性",), "003_f635664e5ef9ff1d"),
    PageShape(
        "county-named-only-in-a-slogan",
        _county_slogan_only(),
        {"title": "2022年法治政府建设年度报告", "year": 2022, "level": "县", "unit": "全南县"}),
    PageShape(
        "unit-only-in-a-slogan",
        _slogan_only(),
        {"title": "关于2022年度法治政府建设工作情况的报告", "year": 2022, "unit": None, "level": "镇"}),
]


def chrome_left(text: str, furniture: tuple[str, ...]) -> list[str]:
    return [piece for piece in furniture if piece in text]


def no_space(text: str) -> str:
    return re.sub(r"\s+", "", text)
