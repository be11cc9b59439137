"""Structure recovery: title block, headings at their levels, repairs, signature."""

from __future__ import annotations

from converter.clean import clean
from converter.structure import chinese_to_int, int_to_chinese, join_hard_wraps, parse

from conftest import SEEDS


def headings(report):
    return [(b.level, b.display_text) for b in report.structure.blocks if b.kind == "heading"]


def test_seed_003_lost_heading_numbers_are_restored(convert):
    report = convert(SEEDS / "003_f635664e5ef9ff1d.txt")
    hs = headings(report)
    assert (3, "(二)落实政务公开,优化决策流程") in hs
    assert (3, "(三)注重学法普法,增强法治观念") in hs
    assert (3, "(五)加强队伍建设规范开展执法") in hs
    assert (3, "(六)强化基层基础推进社会治理") in hs
    assert (2, "四、2023工作安排") in hs
    assert hs.index((3, "(六)强化基层基础推进社会治理")) < hs.index((2, "二、存在的不足"))
    restored = {(r.line, r.text) for r in report.structure.restorations}
    assert {(17, "(二"), (29, "(五)"), (33, "(六)"), (47, "四、")} <= restored


def test_seed_003_title_and_signature(convert):
    report = convert(SEEDS / "003_f635664e5ef9ff1d.txt")
    kinds = [b.kind for b in report.structure.blocks]
    assert kinds[0] == "title" and kinds[-3:] == ["signature"] * 3
    assert [b.text for b in report.structure.of_kind("signature")] == ["中共大吉山镇委员会", "大吉山镇人民政府", "2023年1月9日"]


def test_seed_000_issuers_title_addressee_and_heading_split(convert):
    report = convert(SEEDS / "000_66a8a630a4ee21e1.txt")
    blocks = report.structure.blocks
    assert [(b.kind, b.text) for b in blocks[:4]] == [
        ("issuer", "中共重庆市大足区拾万镇委"), ("issuer", "重庆市大足区拾万镇人民政府"),
        ("title", "关于拾万镇2022年法治政府建设情况的报告"), ("addressee", "区委、区政府：")]
    # 'heading。body' on one line becomes a heading and a paragraph, bookmark removed
    i = next(i for i, b in enumerate(blocks) if b.text == "（二）增强学法意识，提高执政能力。")
    assert blocks[i].kind == "heading" and blocks[i].level == 3
    assert blocks[i + 1].kind == "paragraph" and blocks[i + 1].text.startswith("结合党委理论学习中心组")


def test_yishi_erchi_stay_inside_paragraphs(convert):
    report = convert(SEEDS / "001_d6ab253036f6199f.txt")
    assert not any(b.text.startswith("一是") for b in report.structure.blocks if b.kind == "heading")
    assert any(b.text.startswith("一是") for b in report.structure.blocks if b.kind == "paragraph")


def test_restarted_numbering_under_a_later_section_is_nested(convert):
    report = convert(SEEDS / "002_c10955fb4422cdc5.txt")
    hs = headings(report)
    assert hs[-4:] == [(2, "三、下一步工作重点"), (3, "一、履行党政主要负责人推法治建设第一责任人职责。"),
                       (3, "二、推进法治政府建设。"), (3, "三、推动责任落实。")]


def test_h4_numbering_levels():
    text = "标题2022年法治政府建设报告\n一、主要做法\n（一）健全机制\n1.强化统筹部署。成立领导小组，" + "统筹推进各项工作，" * 5 + "\n（2）第二项\n"
    blocks = parse(clean(text)).blocks
    assert [(b.kind, b.level) for b in blocks] == [("title", 0), ("heading", 2), ("heading", 3), ("heading", 4),
                                                   ("paragraph", 0), ("heading", 4)]


def test_hard_wrapped_word_export_is_rejoined():
    sentence = "坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大精神，深入推进法治政府建设各项工作落实落细。"
    para = sentence * 3
    width = 30
    wrapped = []
    for p in (para, para):
        wrapped += ["\u3000\u3000" + p[:width]] + [p[i:i + width] for i in range(width, len(p), width)]
    cleaned = clean("\n".join(wrapped))
    logical = join_hard_wraps(cleaned.lines)
    assert [item.text for item in logical] == [para, para]


def test_short_lines_of_a_normal_report_are_not_joined(convert):
    report = convert(SEEDS / "004_5e0d0e6190e313b8.txt")
    blocks = report.structure.blocks
    assert sum(1 for b in blocks if b.kind == "heading") == 7
    source_lines = [l for l in report.decoded.text.split("\n") if l.strip()]
    assert len({b.line for b in blocks}) == len(blocks) == len(source_lines)


def test_chinese_numerals_round_trip():
    for n in range(1, 100):
        assert chinese_to_int(int_to_chinese(n)) == n
    assert chinese_to_int("十二") == 12 and chinese_to_int("二十") == 20 and chinese_to_int("㈢") == 3


def test_a_long_paragraph_with_spaces_is_not_split_as_if_it_were_extracted_text():
    from converter.clean import clean

    paragraph = ("全年工作取得明显成效。一是 加强组织领导，成立以镇党委书记为组长的法治政府建设领导小组，全年召开专题会议4次；"
                 "二是 规范行政决策，重大行政决策全部经过合法性审查；三是 推进严格规范公正文明执法，落实行政执法三项制度，"
                 "执法人员持证上岗率达到百分之百；四是 强化矛盾纠纷多元化解，坚持和发展新时代枫桥经验，全年排查化解矛盾纠纷"
                 "126件；五是 深化法治宣传教育，推动八五普法规划落地见效，开展送法下乡活动12场，发放宣传资料3000余份；"
                 "六是 加强法治队伍建设，组织全镇干部参加学法考试，参考率和合格率均达到要求；七是 完善公共法律服务，村（社区）"
                 "法律顾问实现全覆盖；八是 推进政务公开，主动公开政府信息215条，营造了尊法学法守法用法的良好氛围。")
    assert len(paragraph) >= 300
    structure = parse(clean("某镇2022年法治政府建设情况报告\n\n" + paragraph))
    body = [b for b in structure.blocks if b.kind == "paragraph"]
    assert [b.text for b in body] == [paragraph]
