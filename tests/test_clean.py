"""Each cleaning rule on the real text it was written for."""

from __future__ import annotations

from converter import clean as C
from converter.model import Line


def lines(text: str) -> list[Line]:
    return [Line(n, t) for n, t in enumerate(text.split("\n"), start=1)]


def kept_and_removed(rule, text):
    ls = lines(text)
    kept, removed = C.apply_cuts(ls, rule(ls), rule.__name__)
    return [l.text.strip() for l in kept if l.text.strip()], [r.text for r in removed]


BODY = "2022年，青木关镇人民政府在区委、区政府的正确领导下，坚持以习近平新时代中国特色社会主义思想为指导，严格依法行政。"


def test_word_bookmark_is_cut_out_of_its_line():
    kept, removed = kept_and_removed(C.strip_word_bookmarks, "[bookmark: _GoBack]（二）增强学法意识，提高执政能力。")
    assert kept == ["（二）增强学法意识，提高执政能力。"]
    assert removed == ["[bookmark: _GoBack]"]


def test_invisible_characters_are_cut():
    kept, removed = kept_and_removed(C.strip_invisible_characters, "法治\u200b政府\ufeff建设")
    assert kept == ["法治政府建设"] and removed == ["\u200b", "\ufeff"]


def test_accessibility_bars_in_several_layouts():
    page = "\n".join(["关怀版 无障碍 无障碍", "登录 注册 无障碍 适老化 繁体版 智能机器人 支持IPV6",
                      "简体|繁体", "进入老年模式 退出老年模式", "关于大吉山镇2022年度法治政府建设工作情况的报告", BODY])
    kept, removed = kept_and_removed(C.drop_accessibility_bar, page)
    assert kept == ["关于大吉山镇2022年度法治政府建设工作情况的报告", BODY]
    assert len(removed) == 4


def test_breadcrumb_with_wrapped_continuation():
    page = "当前位置:首页\n> 政务公开 > 信息公开目录 > 镇(街道)信息公开 > 杜桥镇 > 计划总结\n杜桥镇2025年度法治政府建设情况报告\n" + BODY
    kept, removed = kept_and_removed(C.drop_breadcrumb, page)
    assert kept == ["杜桥镇2025年度法治政府建设情况报告", BODY]
    assert removed[0] == "当前位置:首页"


def test_register_block_layouts():
    page = "\n".join([
        "- [ 索引号 ] 11500229768895163R/2026-00004",      # bracketed labels
        "索引号pbxxhxrmzf/2026-00001",                     # no separator
        "• 索 引 号:wanghe/2026-00009",                     # spaced label, bullet
        "索引号: LH331082-071/2026-00097 公开方式: 主动公开",  # two fields a line
        "文号",                                             # label, value on the next line
        "鸡鸣委文〔2026〕3号",
        "城口县鸡鸣乡人民政府2025年法治政府建设情况报告",
        BODY])
    kept, removed = kept_and_removed(C.drop_document_register, page)
    assert kept == ["城口县鸡鸣乡人民政府2025年法治政府建设情况报告", BODY]
    assert "鸡鸣委文〔2026〕3号" in removed


def test_unlabelled_register_of_jinan_shizhong():
    page = "济南市市中区2024年度法治政府建设情况报告\n3701030006/2025-6637169\n济南市市中区人民政府\n2025-02-28\n" + BODY
    kept, removed = kept_and_removed(C.drop_unlabelled_register, page)
    assert kept == ["济南市市中区2024年度法治政府建设情况报告", BODY]
    assert removed == ["3701030006/2025-6637169", "济南市市中区人民政府", "2025-02-28"]


def test_byline_and_counters():
    page = "\n".join(["留下街道2022年度法治政府建设工作报告", "发布时间:2023-02-10 15:34:38", "来源:留下街道 点击率:",
                      "访问量:", "  • 浏览次数:", "發布時間:2025-04-11 16:33 信息來源:辰溪縣小龍門鄉", BODY])
    kept, removed = kept_and_removed(C.drop_byline, page)
    assert kept == ["留下街道2022年度法治政府建设工作报告", BODY]
    assert len(removed) == 5


def test_reading_controls_one_word_a_line():
    page = "标题法治政府建设报告\n-\n大\n中\n小\n- 分享到 :\n字號: 大 中 小\n打印整页 打印内容 分享\n" + BODY
    kept, removed = kept_and_removed(C.drop_reading_controls, page)
    assert kept == ["标题法治政府建设报告", "-", BODY]
    assert removed == ["大", "中", "小", "- 分享到 :", "字號: 大 中 小", "打印整页 打印内容 分享"]


def test_page_status_stamps():
    kept, removed = kept_and_removed(C.drop_page_status, "文件已失效\n- 乡镇信息公开\n" + BODY)
    assert kept == [BODY] and removed == ["文件已失效", "- 乡镇信息公开"]


def test_stray_marks_anywhere():
    kept, removed = kept_and_removed(C.drop_stray_marks, BODY + "\n-\n•\n——\n" + BODY)
    assert kept == [BODY, BODY] and removed == ["-", "•", "——"]


def test_title_repeated_whole_or_split():
    page = "重庆市开州区紫水乡人民政府\n关于2020年度法治政府建设情况的报告\n重庆市开州区紫水乡人民政府关于2020年度法治政府建设情况的报告\n" \
           "关于2020年度法治政府建设情况的报告\n" + BODY
    kept, removed = kept_and_removed(C.drop_repeated_title, page)
    assert kept == ["重庆市开州区紫水乡人民政府", "关于2020年度法治政府建设情况的报告", BODY]
    assert len(removed) == 2


def test_footer_removed_only_after_the_report():
    page = "\n".join([BODY] * 6 + ["大吉山镇人民政府", "相关文章", "上一篇：某某", "下一篇：某某"])
    kept, removed = kept_and_removed(C.drop_footer, page)
    assert kept == [BODY] * 6 + ["大吉山镇人民政府"]
    assert removed == ["相关文章", "上一篇：某某", "下一篇：某某"]


def test_footer_word_followed_by_report_prose_keeps_the_prose():
    prose = "相关文件精神得到全面贯彻落实，" + BODY * 2
    page = "\n".join([BODY] * 4 + ["相关文章", prose])
    kept, removed = kept_and_removed(C.drop_footer, page)
    assert prose in kept and removed == ["相关文章"]


def test_chrome_words_inside_the_report_body_are_kept():
    body = "\n".join([BODY, "来源:本镇统计", "大", BODY])
    cleaned = C.clean(body)
    assert [l.text for l in cleaned.lines] == body.split("\n")
    assert cleaned.removals == ()


def test_clean_explains_which_rules_fired(convert):
    from conftest import SAMPLES

    report = convert(SAMPLES / "s002.txt")
    assert C.explain(report.cleaned) == {
        "drop_byline": 1, "drop_document_register": 8, "drop_reading_controls": 4,
        "drop_repeated_title": 1, "drop_stray_marks": 1}


# --- rules for pages never seen before (issue 11): each recognises what a thing is, not a phrase ------------

TITLE = "关于大吉山镇2022年度法治政府建设工作情况的报告"


def test_a_viewing_date_is_told_from_a_report_date_by_its_weekday():
    kept, removed = kept_and_removed(C.drop_page_clock, "\n".join([
        "今天是：2019年11月5日 星期二 农历十月初九", "2024年3月1日 周五", TITLE, BODY]))
    assert kept == [TITLE, BODY] and len(removed) == 2


def test_a_file_name_above_the_report_is_furniture():
    kept, removed = kept_and_removed(C.drop_file_name, "\n".join(["扁担沟镇法治政府建设工作报告.docx", TITLE, BODY]))
    assert removed == ["扁担沟镇法治政府建设工作报告.docx"] and kept == [TITLE, BODY]


def test_a_site_banner_or_address_line_is_furniture_but_a_title_is_not():
    page = "\n".join(["欢迎访问全南县人民政府门户网站！", TITLE, "全南县人民政府门户网站 www.quannan.gov.cn", BODY])
    kept, removed = kept_and_removed(C.drop_web_address, page)
    assert kept == [TITLE, BODY] and len(removed) == 2


def test_rows_of_short_labels_are_menus_whatever_their_words():
    page = "\n".join(["首页 新闻中心 信息公开 政务服务 互动交流", "加大字体 缩小字体 收藏 取消收藏 打印",
                      "【我要纠错】 【打印本页】 【关闭窗口】", "中共大吉山镇委员会 大吉山镇人民政府", TITLE, BODY])
    kept, removed = kept_and_removed(C.drop_menu_rows, page)
    assert kept == ["中共大吉山镇委员会 大吉山镇人民政府", TITLE, BODY] and len(removed) == 3


def test_whatever_stands_before_the_title_goes_but_its_issuers_stay():
    page = "\n".join(["某某网站 信息公开", "中共拾万镇委", "拾万镇人民政府", "关于拾万镇2022年", "法治政府建设情况的报告", BODY])
    kept, removed = kept_and_removed(C.drop_furniture_around_title, page)
    assert removed == ["某某网站 信息公开"]
    assert kept == ["中共拾万镇委", "拾万镇人民政府", "关于拾万镇2022年", "法治政府建设情况的报告", BODY]


def test_what_a_page_glued_to_the_title_line_is_cut_out_of_it():
    for line, cut in [("标题：" + TITLE, ["标题："]),
                      ("重庆市沙坪坝区人民政府 公开日：2023-01-20 " + TITLE, ["重庆市沙坪坝区人民政府 公开日：2023-01-20 "]),
                      ("网站首页 | 政务公开 | 乡镇街道 " + TITLE, ["网站首页 | 政务公开 | 乡镇街道 "]),
                      (TITLE + "  发布时间：2023-01-20", ["  发布时间：2023-01-20"])]:
        kept, removed = kept_and_removed(C.drop_furniture_around_title, "\n".join([line, BODY]))
        assert kept == [TITLE, BODY] and removed == cut, (line, removed)


def test_without_a_title_nothing_before_the_body_is_taken():
    page = "\n".join(["某某镇人民政府", "一些不是标题的话", BODY])
    assert kept_and_removed(C.drop_furniture_around_title, page)[1] == []


def test_register_rows_in_a_table_and_label_runs_on_one_line():
    page = "\n".join(["| 索引号 | 360729-0101-2023-0003 | 发文字号 | |", "| 标题 | " + TITLE + " | 有效性 | 有效 |",
                      "名称：某镇报告 文号： 发文日期：2024-01-15 发布机构：某镇人民政府", "标题：" + TITLE, TITLE, BODY])
    kept, removed = kept_and_removed(C.drop_document_register, page)
    assert len(removed) == 3 and kept == ["标题：" + TITLE, TITLE, BODY]  # one label before a title is the title's


def test_a_title_printed_again_with_a_small_difference_is_a_copy():
    page = "\n".join([TITLE, "关于大吉山镇2022度法治政府建设工作情况的报告", BODY])
    kept, removed = kept_and_removed(C.drop_repeated_title, page)
    assert kept == [TITLE, BODY] and removed == ["关于大吉山镇2022度法治政府建设工作情况的报告"]


def test_pdf_line_wraps_are_joined_but_paragraph_ends_kept():
    wrapped = "严格按照国家和省、市、县法治政府建设的部署要求，把政府工作全面纳入法"  # a full printed line, 35 characters
    page = " ".join([wrapped, "治轨道，不断提高依法行政水平。", wrapped, "治轨道。"] * 3)
    kept, removed = kept_and_removed(C.join_pdf_line_breaks, page)
    assert set(removed) == {" "} and len(removed) == 6  # after each full line; the short lines end paragraphs
    assert "纳入法治轨道" in kept[0] and kept[0].count(" ") == 5


def test_a_short_paragraph_with_a_space_is_not_extracted_text():
    line = "中共大吉山镇委员会 大吉山镇人民政府"
    assert kept_and_removed(C.join_pdf_line_breaks, line)[1] == []


def test_link_lists_and_site_notices_at_the_bottom_but_not_the_signature():
    page = "\n".join([BODY, "大吉山镇人民政府", "2023年1月9日", "", "国家各网站 / 江西省各网站 / 其他链接",
                      "全南县人民政府办公室主办 赣ICP备00000000号"])
    kept, removed = kept_and_removed(C.drop_page_bottom, page)
    assert kept == [BODY, "大吉山镇人民政府", "2023年1月9日"] and len(removed) == 2


def test_a_long_paragraph_with_a_writers_spaces_is_not_taken_for_extracted_text():
    """Spaces between phrases (一是 … 二是 …) come at irregular places; a printed page's come at its width."""
    line = ("全年共开展法治宣传活动 12 场，发放资料 3000 余份。一是 加强组织领导，完善工作机制；二是 规范行政决策，"
            "严格合法性审查；三是 推进严格规范公正文明执法，落实行政执法三项制度；四是 强化矛盾纠纷多元化解，"
            "坚持和发展新时代枫桥经验；五是 深化法治宣传教育，推动八五普法规划落地见效，营造良好法治氛围。"
            "下一步，我镇将 持续推进法治政府建设，着力提升 基层依法行政水平，为 经济社会高质量发展 提供坚实法治保障。")
    assert len(line) >= 200
    assert kept_and_removed(C.join_pdf_line_breaks, line)[1] == []
