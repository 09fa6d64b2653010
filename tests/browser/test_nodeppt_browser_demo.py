"""nodeppt's own demo deck (tests/fixtures/decks/nodeppt-demo.md), built by deckgen and driven in
Chromium: its fragment lists, magic blocks, notes, formulas, slide events and transitions work
as the deck expects. Slide numbers are deckgen's (1-based, in the order of the file)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from deck_helpers import wait_position

pytestmark = pytest.mark.browser

DEMO = Path(__file__).resolve().parents[1] / "fixtures" / "decks" / "nodeppt-demo.md"
TOTAL = 51
# Steps per slide: the {:&.rollIn} list (9 items), the two magic blocks (one more part each),
# the fadeIn / zoomIn / bounceIn lists (2 top-level items each); nothing else steps.
STEPS = {2: 9, 26: 1, 27: 1, 28: 2, 29: 2, 30: 2}
# The demo's callbacks (incallback, outcallback) and its Slide.on('update') handler live in its
# own js/demo.js (beside the fixture), which the build inlines from the header's files:.


@pytest.fixture(scope="module")
def demo_html(tmp_path_factory):
    from deckgen.build import build_file, write_atomic

    result = build_file(DEMO)
    assert len(result.slides) == TOTAL
    target = tmp_path_factory.mktemp("demo") / "nodeppt-demo.html"
    write_atomic(target, result.html)
    return target



def open_demo(page, demo_html, deck_tools, fragment=""):
    deck_tools.open(page, demo_html, fragment)
    return page


def test_every_slide_has_the_steps_the_deck_asks_for(page, demo_html, deck_tools):
    open_demo(page, demo_html, deck_tools)
    counts = page.evaluate("deckgen.slides.map(s => deckgen.stepCount(s))")
    assert {i + 1: n for i, n in enumerate(counts) if n} == STEPS
    assert page.errors_seen == []


def test_fragment_list_steps_through(page, demo_html, deck_tools):
    open_demo(page, demo_html, deck_tools, "#/2")
    items = "Array.from(deckgen.current().querySelectorAll('ul.rollIn > li'))"
    assert page.evaluate(f"{items}.map(li => li.dataset.animation)") == ["rollIn"] * 9
    for step in range(1, 10):
        page.keyboard.press("ArrowRight")
        wait_position(page, 2, step)
        shown = page.evaluate(f"{items}.map(li => getComputedStyle(li).visibility === 'visible')")
        assert shown == [i < step for i in range(9)]
    page.keyboard.press("ArrowRight")
    wait_position(page, 3)
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    wait_position(page, 2, 8)
    # The nested lists of the fadeIn slide come with their item.
    page.evaluate("deckgen.go(27, 'api', 1)")
    wait_position(page, 28, 1)
    assert page.evaluate("""Array.from(deckgen.current().querySelectorAll('.slide-body li'))
        .map(li => getComputedStyle(li).visibility)""") == ["visible"] * 3 + ["hidden"] * 6


def test_magic_block_steps_part_by_part(page, demo_html, deck_tools):
    open_demo(page, demo_html, deck_tools, "#/26")
    parts = """Array.from(deckgen.current().querySelectorAll('.magic-part')).map(p =>
        getComputedStyle(p).visibility + ':' + p.querySelector('h2').textContent)"""
    assert page.evaluate(parts) == ["visible:演示magic标签效果", "hidden:演示earthquake转场效果"]
    page.keyboard.press("ArrowRight")
    wait_position(page, 26, 1)
    assert page.evaluate(parts) == ["hidden:演示magic标签效果", "visible:演示earthquake转场效果"]
    page.keyboard.press("ArrowRight")
    wait_position(page, 27)
    page.keyboard.press("ArrowLeft")
    wait_position(page, 26, 1)
    page.keyboard.press("ArrowLeft")
    wait_position(page, 26)
    assert page.evaluate(parts)[0] == "visible:演示magic标签效果"


def test_note_is_hidden_and_n_shows_it(page, demo_html, deck_tools):
    open_demo(page, demo_html, deck_tools, "#/43")
    slide_text = page.evaluate("deckgen.current().innerText")
    assert "使用n键，才能显示" not in slide_text and "使用note笔记" in slide_text
    page.keyboard.press("n")
    overlay = page.locator(".deckgen-notes")
    assert overlay.is_visible()
    assert "这里是note" in overlay.inner_text() and "使用n键，才能显示" in overlay.inner_text()
    page.keyboard.press("n")
    assert not overlay.is_visible()


def test_formulas_render_as_mathml(page, demo_html, deck_tools):
    open_demo(page, demo_html, deck_tools, "#/8")
    sizes = page.evaluate("""Array.from(deckgen.current().querySelectorAll('math')).map(m => {
        const r = m.getBoundingClientRect(); return [m.getAttribute('display'), r.width, r.height]; })""")
    assert [s[0] for s in sizes] == ["block", None]
    assert all(width > 50 and height > 30 for _, width, height in sizes), sizes


def test_slide_scripts_and_callbacks(page, demo_html, deck_tools):
    open_demo(page, demo_html, deck_tools, "#/17")
    colour = "getComputedStyle(document.getElementById('testScriptTag')).color"
    before = page.evaluate(colour)
    page.keyboard.press("ArrowRight")  # data-on-enter="testScriptTag", defined in the slide
    wait_position(page, 18)
    assert page.evaluate("document.getElementById('testScriptTag').style.color") == "black"
    assert page.evaluate(colour) != before
    assert page.evaluate("getComputedStyle(document.getElementById('css-demo')).color") == \
        "rgb(255, 0, 0)"
    # demo.js's own incallback / outcallback, named by data-on-enter / data-on-leave.
    page.evaluate("deckgen.go(48)")
    wait_position(page, 49)
    assert page.text_content("#incallback") == "incallback fire"
    assert page.text_content("#outcallback") == ""
    page.keyboard.press("ArrowRight")
    wait_position(page, 50)
    assert page.text_content("#outcallback") == "outcallback fire"
    assert page.errors_seen == []


def test_demo_js_runs_and_its_slide_on_handler_fires(page, demo_html, deck_tools):
    """The demo's own js/demo.js (Slide.on('update', ...), window.onload) runs without an error,
    and its handler is called on each slide change with nodeppt's arguments."""
    messages = []
    page.on("console", lambda m: messages.append((m.type, m.text)))
    # nodeppt's #3 showed its 4th slide, the cover style one.
    open_demo(page, demo_html, deck_tools, "#3")
    wait_position(page, 4)
    assert "封面样式" in page.evaluate("deckgen.current().innerText")
    page.wait_for_function("typeof ctx === 'object' && !!ctx")  # demo.js's window.onload ran
    assert page.evaluate("[typeof Puff, Puff.puffs.length]") == ["object", 0]
    page.evaluate("""window.updates = [];
        Slide.on('update', function () { updates.push(Array.from(arguments)); });""")
    page.keyboard.press("ArrowRight")
    wait_position(page, 5)
    page.keyboard.press("ArrowLeft")
    wait_position(page, 4)
    # Its handler ran each time (Puff.add queued a puff), given (index, 0, direction).
    assert page.evaluate("Puff.puffs.length") == 2
    assert page.evaluate("updates") == [[4, 0, "pagedown"], [3, 0, "pageup"]]
    # Its canvas stays hidden, as in nodeppt (the puff only played on a step nodeppt never sent).
    assert page.evaluate("getComputedStyle(canvas).display") == "none"
    assert page.errors_seen == []
    # Only the demo's missing pictures fail to load; nothing else complains.
    assert [t for kind, t in messages if kind in ("error", "warning")
            and "Failed to load resource" not in t] == []


def test_transitions_follow_the_deck_and_the_slides(browser, demo_html, deck_tools):
    context = browser.new_context(viewport={"width": 1280, "height": 720},
                                  reduced_motion="no-preference")
    context.route(re.compile(r"^(https?|wss?|ftp)://", re.I), lambda route: route.abort())
    try:
        page = context.new_page()
        deck_tools.open(page, demo_html, "#/32")
        page.add_style_tag(content=":root { --dg-transition-duration: 20s; }")
        effect = "document.querySelector('.deckgen').getAttribute('data-slide-effect')"
        # slide3 (the deck's), glue, glue, zoomin, vertical3d: slide, fade, fade, zoom, slide.
        for number, expected in ((33, "fade"), (34, "fade"), (35, "zoom"), (36, "slide"),
                                 (37, "slide")):
            page.wait_for_timeout(300)  # a held key would not animate
            page.keyboard.press("ArrowRight")
            wait_position(page, number)
            assert page.evaluate(effect) == expected
            page.evaluate("document.getAnimations().forEach(a => a.finish())")
            page.wait_for_function(f"{effect} === null")
    finally:
        context.close()


REAL_SYNTAX = """title: 真实语法
theme: green

[slide]
# 封面
[note]
封面备注 **重点**
[/note]

[slide]
## 列表
----
* 第一 {:&.moveIn}
* 第二
* 第三

[slide]
[subslide]
## 第一部分
=====
## 第二部分
[/subslide]

[slide]
## 结束"""


def test_nodeppt_syntax_end_to_end(page, build_deck, deck_tools):
    """[note], a {:&.moveIn} list and [subslide] as an author writes them, built and stepped."""
    path = build_deck(REAL_SYNTAX, "real.md")
    deck_tools.open(page, path)
    assert page.evaluate("deckgen.slides.map(s => deckgen.stepCount(s))") == [0, 3, 1, 0]
    assert "封面备注" not in page.evaluate("deckgen.current().innerText")
    page.keyboard.press("n")
    assert "封面备注 重点" in page.locator(".deckgen-notes").inner_text()
    page.keyboard.press("n")
    visible = """Array.from(deckgen.current().querySelectorAll('li, .subslide-part'))
        .map(e => getComputedStyle(e).visibility === 'visible')"""
    page.keyboard.press("ArrowRight")
    wait_position(page, 2)
    for step in (1, 2, 3):
        page.keyboard.press("ArrowRight")
        wait_position(page, 2, step)
        assert page.evaluate(visible) == [i < step for i in range(3)]
    page.keyboard.press("ArrowRight")
    wait_position(page, 3)
    assert page.evaluate(visible) == [True, False]
    page.keyboard.press("ArrowRight")
    wait_position(page, 3, 1)
    assert page.evaluate(visible) == [False, True]
    page.keyboard.press("ArrowRight")
    wait_position(page, 4)


def test_build_marker_on_the_slide_and_a_fade_quote(page, build_deck, deck_tools):
    """{:&.build} on a top-level paragraph steps through the slide's blocks but not its heading;
    a {:&.fade} quote shows one paragraph at a time, as nodeppt's fade did."""
    deck = ("title: b\n\n[slide]\n## 标题\n\n第一段 {:&.build}\n\n第二段\n\n"
            "[slide]\n## 引用\n\n> 一 {:&.fade}\n>\n> 二\n>\n> 三\n")
    path = build_deck(deck, "build-marker.md")
    deck_tools.open(page, path)
    assert page.evaluate("deckgen.slides.map(s => deckgen.stepCount(s))") == [2, 3]
    shown = """Array.from(deckgen.current().querySelectorAll('.slide-content > *, blockquote > p'))
        .map(e => e.tagName + ':' + getComputedStyle(e).visibility)"""
    assert page.evaluate(shown) == ["H2:visible", "P:hidden", "P:hidden"]
    page.keyboard.press("ArrowRight")
    wait_position(page, 1, 1)
    assert page.evaluate(shown) == ["H2:visible", "P:visible", "P:hidden"]
    page.evaluate("deckgen.go(1, 'api', 2)")
    wait_position(page, 2, 2)
    assert page.evaluate(shown) == ["H2:visible", "BLOCKQUOTE:visible", "P:hidden", "P:visible",
                                    "P:hidden"]
