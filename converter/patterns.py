"""Every pattern the converter matches, compiled once.

Patterns are data: the cleaning rules, the structure parser and the metadata
extractor all read from here, so a new page layout means a change in one place.
Patterns that find words run on the *analysis* form of a line (simplified script,
NFKC width-folded), so they are written in simplified, half-width form only.
"""

from __future__ import annotations

import re

# --- shared character classes -------------------------------------------------
HAN = r"\u3400-\u4dbf\u4e00-\u9fff"
SENTENCE_END = "。！？；!?;"
CLAUSE_PUNCT = "，。；：！？、,.;:!?"
BULLET_PREFIX = re.compile(r"^[\s\-–—•·●○■□▪◆*]+")

# --- cleaning ---------------------------------------------------------------
WORD_BOOKMARK = re.compile(r"\[bookmark:\s*[^\]]*\]")
INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad\ue000-\uf8ff]")
STRAY_MARKS = re.compile(r"^[\s\-–—_=~*#|｜•·●○■□▪◆>»›<«‹/\\]+$")

# Words of a site's accessibility and language bar; a line made only of these is chrome.
ACCESSIBILITY_TOKENS = frozenset("""
关怀版 无障碍 无障碍阅读 无障碍浏览 简体 繁体 简体版 繁体版 简 繁 適老化 适老化 适老版 长者模式
老年模式 进入老年模式 退出老年模式 登录 注册 智能机器人 智能问答 支持ipv6 ipv6 返回首页 首页
网站地图 手机版 english 搜索 长者版 标准版 大字版 读屏 声音 语音 视力保护色 政务微博 政务微信
""".split())
# Reading controls: font size, print, share, close.
READING_CONTROL_TOKENS = frozenset("""
字号 字体 字体大小 大 中 小 默认 打印 打印本页 打印整页 打印内容 关闭 关闭窗口 关闭本页 分享 分享到
收藏 纠错 我要纠错 保存 下载 扫一扫 微信 微博 qq空间 【 】 [ ]
""".split())
TOKEN_SPLIT = re.compile(r"[\s|｜/丨·•:：\-【】\[\]()（）]+")

BREADCRUMB = re.compile(r"^(?:您?当前(?:所在)?的?位置|您现在的位置|你的位置|您的位置|所在位置|当前栏目)\s*[:：]?")
BREADCRUMB_CONTINUATION = re.compile(r"^\s*[>›»]")
BREADCRUMB_TRAIL = re.compile(r"^首页\s*[>›»]")

# Labels of the government-information register block (索引号 ... 有效性).
REGISTER_LABEL = re.compile(
    r"^[\[【\s]*(索\s*引\s*号|发文字号|发文机关|文\s*号|发布机构|发布单位|发文单位|公开主体|主题分类|体裁分类|"
    r"信息分类|组配分类|服务对象|成文日期|生成日期|发布日期|公开日期|有\s*效\s*性|时\s*效\s*性|有效期|废止日期|"
    r"公开方式|公开范围|公开时限|所属机构|主\s*题\s*词|关键词|信息名称|统一编号|文件编号)\s*[\]】]?\s*[:：]?\s*")
# Any register label with its separator, wherever it stands (a table row, several labels run together).
REGISTER_LABEL_ANYWHERE = re.compile(
    r"(?:^|[\s|｜])(索\s*引\s*号|发文字号|发文机关|文\s*号|发布机构|发布单位|发文单位|公开主体|主题分类|信息分类|成文日期|"
    r"发文日期|发布日期|公开日期|有\s*效\s*性|时\s*效\s*性|所属机构|主\s*题\s*词|标\s*题|名\s*称|文件名称)\s*[:：|｜]")
# Unlabelled register values seen in some layouts: an index number, an ISO date.
INDEX_NUMBER = re.compile(r"^[0-9A-Za-z][0-9A-Za-z\-_.]{5,}/\d{4}-\d{3,}$")
ISO_DATETIME = re.compile(r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
ORGANISATION = re.compile(rf"^[{HAN}]{{2,30}}(?:人民政府|办事处|委员会|工作委员会|工委|党委|政府|司法局|管委会|办公室)$")

BYLINE_LABEL = re.compile(
    r"^(?:来源|信息来源|文章来源|稿件来源|发布时间|发布日期|公开日期|公开日|更新时间|时间|日期|浏览次数|浏览量|访问量|访问次数|"
    r"点击率|点击数|点击量|阅读数|阅读量|阅读次数|作者|编辑|责任编辑|供稿)\s*[:：]")
BYLINE_ANY_LABEL = re.compile(
    r"(?:来源|发布时间|发布日期|公开日期|公开日|浏览次数|访问量|点击率|点击数|阅读数)\s*[:：]")
WEB_ADDRESS = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:gov|com|org|net)\.cn\b", re.IGNORECASE)
SITE_WELCOME = re.compile(r"^欢迎(?:访问|光临|来到)|门户网站$")
CLOCK_TIME = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\b")
# The viewing day a page prints: a weekday or a lunar date beside a date gives it away.
PAGE_CLOCK = re.compile(r"今天是|星期[一二三四五六日天]|周[一二三四五六日]\b|农历|(?:^|\s)[甲乙丙丁戊己庚辛壬癸][子丑寅卯辰巳午未申酉戌亥]年")
FILE_NAME = re.compile(r"^\S.{0,120}\.(?:docx?|wps|pdf|txt|xlsx?|ofd|zip|rar)$", re.IGNORECASE)
SENTENCE_PUNCT_INSIDE = re.compile(r"[，,。；;]")
MENU_SPLIT = re.compile(r"[\s|｜/丨·•]+")
# What a menu's label never is: a date or number run, the name of an issuing body.
MENU_NOT_A_LABEL = re.compile(r"\d{4}|(?:人民政府|委员会|办事处)$")
TABLE_ROW_PREFIX = re.compile(r"^[\s|｜]+")
SITE_NOTICE = re.compile(r"ICP备|公网安备|网站标识码|版权所有|技术支持|主办单位|(?:主办|承办)$|^(?:主办|承办)[:：]")
# A lone space where an extracted PDF line broke: between two characters that are not Latin letters
# (Chinese, marks, digits, brackets), so English words keep the spaces between them.
PDF_BREAK_SPACE = re.compile(r"(?<=[^\sA-Za-z])[ \u3000](?=[^\sA-Za-z])")

PAGE_STATUS_TOKENS = frozenset("""
文件已失效 文件已废止 已失效 已废止 政府信息公开 信息公开 乡镇信息公开 部门信息公开 信息公开目录 政务公开
""".split())

FOOTER_START = re.compile(
    r"^(?:相关文章|相关阅读|相关链接|相关新闻|相关词条|相关信息|相关文件|相关稿件|上一篇|下一篇|上一条|下一条|"
    r"【打印本页】|【关闭窗口】|扫一扫在手机|扫一扫|网站声明|版权所有|主办单位|承办单位)")

# --- structure --------------------------------------------------------------
CN_NUMERAL = "一二三四五六七八九十百零〇"
H2_MARKER = re.compile(rf"^([{CN_NUMERAL}]+)[、.．]\s*")
H3_MARKER = re.compile(rf"^([（(])\s*([{CN_NUMERAL}]+)\s*([)）])\s*|^([㈠-㈩])\s*")
H4_MARKER = re.compile(r"^(\d{1,2})[.．、](?!\d)\s*|^([（(])(\d{1,2})([)）])\s*|^([⑴-⒇])\s*")
H5_MARKER = re.compile(r"^([①-⑳])\s*")
LOST_H3_OPENING = re.compile(r"^[)）]")
# In text run together (a PDF's): a numbered heading, or one that lost its number, right after a sentence's end.
RUN_ON_HEADING = re.compile(
    rf"[。；;！？：:]\s*((?:[{CN_NUMERAL}]+[、.．]|[（(]\s*[{CN_NUMERAL}]+\s*[)）]|[㈠-㈩]|\d{{1,2}}[.．、](?!\d)|[)）](?=[{HAN}])))")
RUN_ON_ADDRESSEE = re.compile(rf"\s*([{HAN}、，,（）()]{{2,40}}[：:])")
# The parts of a signature run together: issuing bodies, then the date.
SIGNATURE_PART = re.compile(
    rf"\s*(?:[{HAN}（）()]{{2,30}}?(?:人民政府|办事处|委员会|党委|党工委|政府)|\d{{4}}\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日)")
LOST_H2_NUMBER = re.compile(r"^、")
TOP_LEVEL_SECTION = re.compile(
    r"^(?:20\d{2}\s*年?度?|下一步|下步|来年)|工作安排|工作计划|工作打算|工作思路|下一步|存在的?问题|不足|困难和问题|意见建议|工作重点$")

# --- the title (converter/title.py) -------------------------------------------------
ORGANISATION_SUFFIX = "人民政府|办事处|工作委员会|委员会|党工委|工委|党委|镇委|乡委|政府|管委会|委"
TITLE_TOPIC = re.compile(r"法治政府|依法行政|法治建设|法治工作|依法治[国省市县区旗乡镇]")
TITLE_GENRE = re.compile(r"(?:报告|总结|汇报|情况|要点)[)）]?")
# A title ends before clause punctuation, a label's colon or a table's bar.
TITLE_REGION_END = re.compile(r"[，,。；;！？!?:：|]")
TITLE_FORBIDDEN = re.compile(r"[，,。；;！？!?|]")
LEADING_DATE = re.compile(r"\s*\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*")
YEAR_WORD = re.compile(r"^20\d{2}年?度?$")

TITLE_WORD = re.compile(r"报告|总结|汇报|情况|工作要点|法治政府建设|依法行政")
TITLE_END = re.compile(r"(?:报告|总结|汇报|情况|要点)[)）]?$")
TITLE_START = re.compile(r"^关于|法治|依法行政|20\d{2}")
ADDRESSEE = re.compile(rf"^[{HAN}、，,\s（）()]{{2,40}}[：:]$")
ADDRESSEE_WORD = re.compile(r"委|政府|办公室|人大|局|指挥部|办")
SIGNATURE_DATE = re.compile(
    rf"^(?:(\d{{4}})\s*年\s*(\d{{1,2}})\s*月\s*(\d{{1,2}})\s*日|([{CN_NUMERAL}○Ｏ]{{4}})年([{CN_NUMERAL}]{{1,3}})月([{CN_NUMERAL}]{{1,3}})日)$")
SIGNATURE_ORG = re.compile(rf"^[{HAN}（）()]{{2,40}}(?:人民政府|办事处|委员会|工作委员会|工委|党委|政府|镇委|乡委|街道|办公室)$")

# --- metadata ---------------------------------------------------------------
YEAR = re.compile(r"(20\d{2})\s*年?\s*度?")
YEAR_IN_TITLE = re.compile(r"(20\d{2})\s*年?度?(?!\s*[-—–~至]\s*20\d{2})")
YEAR_IN_REPORT_PHRASE = re.compile(
    r"(?:现将|现就|现对|将|就)[^。\n]{0,24}?(20\d{2})\s*年?度?[^。\n]{0,30}?(?:法治|依法行政|工作)[^。\n]{0,30}?(?:报告|总结|汇报)")
YEAR_OPENING = re.compile(r"^(20\d{2})\s*年度?\s*[,，以来]")
YEAR_MENTION = re.compile(r"(?<![\d\-—–~至])(20\d{2})\s*年(?!\s*[-—–~至]\s*20\d{2})")
ISO_DATE_IN_TEXT = re.compile(r"(\d{4})[-/.年]\s*(\d{1,2})[-/.月]\s*(\d{1,2})")

TOWN_SUFFIX = re.compile(r"街道|苏木|乡|镇")
TOWN_BEFORE_ORG = re.compile(
    rf"([{HAN}]{{2,10}}?(?:街道|苏木|乡|镇))(?:人民政府|办事处|党委|党工委|委员会|工作委员会|政府)")
COUNTY_SUFFIX = re.compile(r"自治县|自治旗|县|区|旗|市|特区|林区")
SELF_LEVEL = re.compile(r"(?:我|本|全)(乡|镇|街道|街|苏木|县|区|市|旗)")
REGISTER_WRITTEN = re.compile(r"成文日期\s*[\]】|｜]?\s*[:：|｜]?\s*(\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2})")
REGISTER_PUBLISHED = re.compile(
    r"(?<![成文生])(?:发布日期|发布时间|公开日期|公开日|日期)\s*[\]】|｜]?\s*[:：|｜]?\s*(\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2})")
# The register's name of the document, when a page gives the title only there.
REGISTER_TITLE = re.compile(r"(?:标\s*题|名\s*称|文件名称)\s*[\]】|｜]?\s*[:：|｜]\s*([^|｜]+?)\s*(?:[|｜]|$|\s\S{1,6}[:：])")
UNIT_WORD = re.compile(r"[镇乡县区市旗]|街道|苏木|人民政府|办事处")

# Words that show which kind of government the report answers to.
CUE_SUPERIOR = {
    kind: re.compile(rf"{kind}委|{kind}政府|依法治{kind}|{kind}司法局|{kind}法治办")
    for kind in ("区", "县", "市", "旗")
}
CUE_PROVINCE_LEVEL = re.compile(r"省委|省政府|全省|省级|自治区党委|自治区政府|全区各族")
