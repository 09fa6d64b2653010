"""nodeppt's keys and scripting API in Chromium: the drawing board (P, the pen keys, C), zoom
(Alt+click), nodeppt's #N addresses, the `Slide` object decks' scripts call, and nodeppt's
default transition. What nodeppt 1.4.5 did was checked by running its own build of the demo
(/work/ref/out/demo.html): its #3 showed the 4th slide, its board started with a red 3 px pen,
B/4 made it blue/15 px, and the next slide took the board away."""

from __future__ import annotations

import pytest
from deck_helpers import wait_position

pytestmark = pytest.mark.browser

DECK = """title: 键
{header}
[slide]
# 一
<p>一个 <span id="word">词</span> 和 <a id="link" href="#/3">链接</a></p>

[slide data-on-build="Slide.magic" data-on-enter="Slide.magic.init"]
## 二
* 甲 {{:&.build}}
* 乙

[slide]
## 三

[slide]
## 四
<p id="intro">intro</p>
<a id="to-second" href="#1">nodeppt 的 #1</a> <a id="to-intro" href="#intro">锚点</a>

[slide]
## 五
"""

# Pixels of the board: how many are painted, and one pixel's RGBA at slide coordinates.
PAINTED = """() => { const c = deckgen.paint.canvas();
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i]) n++; return n; }"""
PIXEL = """([x, y]) => { const c = deckgen.paint.canvas(); const r = c.width / 1280;
    return Array.from(c.getContext('2d').getImageData(Math.round(x * r), Math.round(y * r), 1, 1).data); }"""
PEN = "[deckgen.paint.context().strokeStyle, deckgen.paint.context().lineWidth]"


@pytest.fixture(scope="module")
def deck_html(tmp_path_factory):
    from deckgen.build import build_text, write_atomic

    result = build_text(DECK.format(header=""), "keys.md", tmp_path_factory.mktemp("src"))
    target = tmp_path_factory.mktemp("keys") / "keys.html"
    write_atomic(target, result.html)
    return target



def screen_point(page, x: float, y: float) -> tuple[float, float]:
    """Where slide pixel (x, y) is on the screen."""
    return tuple(page.evaluate("""([x, y]) => {
        const r = document.querySelector('.deckgen-canvas').getBoundingClientRect();
        return [r.left + x * r.width / 1280, r.top + y * r.height / 720]; }""", [x, y]))


def draw(page, points) -> None:
    """A mouse stroke through slide pixels ``points``."""
    page.mouse.move(*screen_point(page, *points[0]))
    page.mouse.down()
    for point in points[1:]:
        page.mouse.move(*screen_point(page, *point), steps=6)
    page.mouse.up()


def board_open(page) -> bool:
    return page.evaluate("""() => { const c = deckgen.paint.canvas();
        return !!c && !c.hidden && getComputedStyle(c).display !== 'none'; }""")


# -- the drawing board ---------------------------------------------------------------------------

@pytest.mark.parametrize("size", [(1280, 720), (960, 720)])
def test_p_opens_a_board_to_draw_on_with_nodeppts_pens(new_page, deck_html, deck_tools, size):
    page = new_page(*size)
    deck_tools.open(page, deck_html)
    assert page.evaluate("deckgen.paint.canvas()") is None  # made when first needed
    page.keyboard.press("p")
    assert board_open(page)
    # It covers the slide exactly, whatever the window's scale.
    rects = page.evaluate("""[deckgen.paint.canvas(), document.querySelector('.deckgen-canvas')]
        .map(e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })""")
    assert rects[0] == pytest.approx(rects[1], abs=0.5)
    assert page.evaluate(PAINTED) == 0
    # nodeppt's pen when the board comes up: red, half transparent, 3 px.
    assert page.evaluate(PEN) == ["rgba(255, 0, 0, 0.5)", 3]
    draw(page, [(320, 200), (960, 200)])
    assert page.evaluate(PAINTED) > 500
    red = page.evaluate(PIXEL, [640, 200])
    assert red[:3] == [255, 0, 0] and 120 <= red[3] <= 135
    assert page.evaluate(PIXEL, [640, 206])[3] == 0  # 3 px wide
    assert page.evaluate(PIXEL, [640, 100])[3] == 0  # nothing drawn away from the stroke
    # B is the blue pen while the board is up (not the black screen); 4 the widest (not a number).
    page.keyboard.press("b")
    page.keyboard.press("4")
    assert page.evaluate(PEN) == ["rgba(0, 0, 255, 0.5)", 15]
    assert page.evaluate("deckgen.screenMode") == ""
    assert page.evaluate("document.querySelector('.deckgen-number').getAttribute('data-typed')") in (None, "")
    page.keyboard.press("Enter")
    assert page.evaluate("deckgen.index") == 0
    draw(page, [(320, 400), (960, 400)])
    assert page.evaluate(PIXEL, [640, 400])[:3] == [0, 0, 255]
    assert page.evaluate(PIXEL, [640, 405])[3] > 0 and page.evaluate(PIXEL, [640, 410])[3] == 0
    for key, colour in (("y", "rgba(255, 255, 0, 0.5)"), ("g", "rgba(0, 255, 0, 0.5)"),
                        ("m", "rgba(255, 0, 255, 0.5)"), ("r", "rgba(255, 0, 0, 0.5)")):
        page.keyboard.press(key)
        assert page.evaluate(PEN)[0] == colour
    for key, width in (("1", 3), ("2", 7), ("3", 11)):
        page.keyboard.press(key)
        assert page.evaluate(PEN)[1] == width
    # C clears the board and takes it away, as in nodeppt; then B is the black screen again.
    page.keyboard.press("c")
    assert not board_open(page) and page.evaluate(PAINTED) == 0
    page.keyboard.press("b")
    assert page.evaluate("deckgen.screenMode") == "black"
    page.keyboard.press("b")
    # P again: a fresh board with nodeppt's pen; P once more takes it away.
    page.keyboard.press("p")
    assert board_open(page) and page.evaluate(PAINTED) == 0
    assert page.evaluate(PEN) == ["rgba(255, 0, 0, 0.5)", 3]
    page.keyboard.press("p")
    assert not board_open(page)
    assert page.errors_seen == []


def test_the_board_stays_for_steps_and_goes_with_the_slide(page, deck_html, deck_tools):
    deck_tools.open(page, deck_html, "#/2")
    page.keyboard.press("p")
    draw(page, [(200, 600), (600, 650)])
    page.keyboard.press("ArrowRight")  # a step within the slide: the drawing stays
    wait_position(page, 2, 1)
    assert board_open(page) and page.evaluate(PAINTED) > 0
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")  # the next slide: nodeppt removed the board
    wait_position(page, 3)
    assert not board_open(page) and page.evaluate(PAINTED) == 0
    # Opening the overview takes it away too.
    page.keyboard.press("p")
    page.keyboard.press("o")
    assert page.evaluate("deckgen.overviewOpen") and not board_open(page)
    page.keyboard.press("p")  # does nothing in the overview
    assert not board_open(page)
    page.keyboard.press("o")
    # A slide's own keypress handler and fields still come first.
    page.evaluate("""() => { const i = document.createElement('input'); i.id = 'field';
        deckgen.current().appendChild(i); }""")
    page.focus("#field")
    page.keyboard.press("p")
    assert not board_open(page) and page.input_value("#field") == "p"
    assert page.errors_seen == []


def test_a_finger_draws_instead_of_swiping(new_page, deck_html, deck_tools):
    page = new_page(has_touch=True)
    deck_tools.open(page, deck_html, "#/3")
    page.keyboard.press("p")
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": 900, "y": 360}]})
    for x in range(860, 260, -40):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": 360}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    page.wait_for_function(f"({PAINTED})() > 500")
    assert page.evaluate(PIXEL, [600, 360])[:3] == [255, 0, 0]
    assert page.evaluate("deckgen.index") == 2 and board_open(page)


def test_help_lists_the_board_and_zoom_keys(page, deck_html, deck_tools):
    deck_tools.open(page, deck_html)
    page.keyboard.press("?")
    rows = page.evaluate("""Array.from(document.querySelectorAll('.deckgen-help tr')).map(tr =>
        [Array.from(tr.querySelectorAll('kbd')).map(k => k.textContent).join(' '),
         tr.querySelector('td').textContent])""")
    keys = {k: does for k, does in rows}
    assert "drawing board" in keys["P"]
    assert "blue" in keys["B Y R G M"] and "width" in keys["1 2 3 4"] and "clear" in keys["C"]
    assert "black" in keys["B ."]  # deckgen's own meaning, when no board is up
    assert "zoom" in keys["Alt+click"]


def test_no_board_in_the_presenter_window(page, deck_html, deck_tools):
    page.goto(deck_html.as_uri() + "?deckgen-presenter#/1")
    page.wait_for_function("() => !!(window.deckgen && document.querySelector('.deckgen.is-ready'))")
    page.keyboard.press("p")
    assert page.evaluate("[typeof deckgen.paint, typeof deckgen.zoom]") == ["undefined", "undefined"]


# -- zoom ----------------------------------------------------------------------------------------

def alt_click(page, selector: str) -> None:
    box = page.locator(selector).bounding_box()
    page.keyboard.down("Alt")
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.keyboard.up("Alt")


def centre(page, selector: str) -> tuple[float, float]:
    box = page.locator(selector).bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


@pytest.mark.parametrize("size", [(1280, 720), (900, 600)])
def test_alt_click_zooms_in_on_the_element_and_out_again(new_page, deck_html, deck_tools, size):
    page = new_page(*size)  # reduced motion: no easing to wait for
    width, height = size
    deck_tools.open(page, deck_html)
    stage = "document.querySelector('.deckgen-stage').style.transform"
    box = page.locator("#word").bounding_box()
    alt_click(page, "#word")
    # nodeppt's zoom.js: the element and 20 px around it, as large as the window allows, centred.
    expected = min(width / (box["width"] + 40), height / (box["height"] + 40))
    assert page.evaluate("deckgen.zoom.level()") == pytest.approx(expected)
    assert "scale(" in page.evaluate(stage)
    assert centre(page, "#word") == pytest.approx((width / 2, height / 2), abs=1)
    zoomed = page.locator("#word").bounding_box()
    assert zoomed["width"] == pytest.approx(box["width"] * expected, rel=0.01)
    alt_click(page, "#word")  # again: back out
    assert page.evaluate("deckgen.zoom.level()") == 1 and page.evaluate(stage) == ""
    assert page.locator("#word").bounding_box() == pytest.approx(box)
    # Esc zooms out (and does not open the overview); so does the next slide.
    alt_click(page, "#word")
    page.keyboard.press("Escape")
    assert page.evaluate("[deckgen.zoom.level(), deckgen.overviewOpen]") == [1, False]
    alt_click(page, "#word")
    page.keyboard.press("ArrowRight")
    wait_position(page, 2)
    assert page.evaluate("deckgen.zoom.level()") == 1 and page.evaluate(stage) == ""
    assert page.errors_seen == []


def test_alt_click_on_a_link_zooms_and_does_not_follow_it(page, deck_html, deck_tools):
    deck_tools.open(page, deck_html)
    alt_click(page, "#link")
    assert page.evaluate("deckgen.zoom.level()") > 1
    page.wait_for_timeout(100)
    assert page.evaluate("[deckgen.index, location.hash]") == [0, "#/1"]
    # A slide as big as the window does not zoom (nodeppt's rule: never below 1).
    page.keyboard.press("Escape")
    page.keyboard.down("Alt")
    page.mouse.click(20, 700)
    page.keyboard.up("Alt")
    assert page.evaluate("deckgen.zoom.level()") == 1


def test_zoom_eases_unless_motion_is_reduced(moving_page, page, deck_html, deck_tools):
    for tab, expected in ((moving_page, "0.8s"), (page, "0s")):
        deck_tools.open(tab, deck_html)
        assert tab.evaluate(
            "getComputedStyle(document.querySelector('.deckgen-stage')).transitionDuration") == expected


def test_zoom_and_board_work_together(page, deck_html, deck_tools):
    """Drawing on a zoomed slide lands under the pointer, in slide pixels."""
    deck_tools.open(page, deck_html)
    alt_click(page, "#word")
    page.keyboard.press("p")
    x, y = page.evaluate("""() => { const r = document.getElementById('word').getBoundingClientRect(),
        c = document.querySelector('.deckgen-canvas').getBoundingClientRect();
        return [(r.left + r.width / 2 - c.left) * 1280 / c.width, (r.top + r.height / 2 - c.top) * 720 / c.height]; }""")
    draw(page, [(x - 5, y), (x + 5, y)])
    assert page.evaluate(PIXEL, [x, y])[:3] == [255, 0, 0]
    assert page.evaluate("deckgen.zoom.level()") > 1  # drawing is not zooming


# -- nodeppt's #N --------------------------------------------------------------------------------

def test_nodeppt_hash_is_its_zero_based_index(page, deck_html, deck_tools):
    deck_tools.open(page, deck_html, "#3")
    wait_position(page, 4)  # nodeppt's #3 showed its 4th slide; deckgen's address is #/4
    # A link written for nodeppt lands where nodeppt landed.
    page.click("#to-second")
    wait_position(page, 2)
    page.evaluate("location.hash = '#/4'")
    wait_position(page, 4)
    # A link to an element's id stays an anchor.
    page.click("#to-intro")
    page.wait_for_function("location.hash === '#intro'")
    assert page.evaluate("deckgen.index") == 3
    # deckgen's own #/N is unchanged: 1-based.
    page.evaluate("location.hash = '#/3'")
    wait_position(page, 3)
    assert page.errors_seen == []


# -- nodeppt's Slide API -------------------------------------------------------------------------

def test_slide_on_update_keyup_and_overview(page, deck_html, deck_tools):
    messages = []
    page.on("console", lambda m: messages.append((m.type, m.text)))
    deck_tools.open(page, deck_html)
    page.evaluate("""() => { window.seen = [];
        Slide.on('update', function () { seen.push(['update'].concat(Array.from(arguments))); });
        Slide.on('keyup', function (e) { seen.push(['keyup', e.keyCode]); });
        Slide.on('overviewshown,overviewhidden', function () { seen.push(['overview']); });
        Slide.on('update', function () { throw new Error('a broken handler'); });
        Slide.on('update', function (i) { seen.push(['after the broken one', i]); }); }""")
    page.keyboard.press("ArrowRight")
    wait_position(page, 2)
    page.keyboard.press("ArrowRight")  # a step: not an update (nodeppt fired it on slide changes)
    wait_position(page, 2, 1)
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    wait_position(page, 1)
    page.keyboard.press("o")
    page.keyboard.press("o")
    assert page.evaluate("seen") == [
        ["update", 1, 0, "pagedown"], ["after the broken one", 1], ["keyup", 39],
        ["keyup", 39], ["keyup", 37],
        ["update", 0, 0, "pageup"], ["after the broken one", 0], ["keyup", 37],
        ["overview"], ["keyup", 79], ["overview"], ["keyup", 79]]
    # The broken handler is reported, once per call, and stopped nothing.
    assert [t for kind, t in messages if kind == "error" and "a broken handler" in t] != []
    assert page.errors_seen == []
    # un, fire, and the rest of the object decks read.
    state = page.evaluate("""() => { const got = [];
        const fn = function (a, b) { got.push([a, b]); };
        Slide.on('custom', fn); Slide.fire('custom', 1, 2); Slide.un('custom', fn); Slide.fire('custom', 3);
        return {got: got, current: Slide.current, curItem: Slide.curItem, count: Slide.count,
                slides: Slide.$slides.length, same: Slide.$slides[0] === deckgen.slides[0]}; }""")
    assert state == {"got": [[1, 2]], "current": 1, "curItem": 0, "count": 5, "slides": 5,
                     "same": True}


def test_slide_moves_the_deck(page, deck_html, deck_tools):
    messages = []
    page.on("console", lambda m: messages.append((m.type, m.text)))
    deck_tools.open(page, deck_html)
    page.evaluate("Slide.setIndex(2, 1)")  # nodeppt's setIndex: 1-based slide, then steps
    wait_position(page, 2, 1)
    assert page.evaluate("[Slide.current, Slide.curItem]") == [2, 1]
    assert page.evaluate("Slide.buildNextItem()") is True
    wait_position(page, 2, 2)
    assert page.evaluate("Slide.buildNextItem()") is False  # no step left: it stays
    assert page.evaluate("Slide.buildPrevItem()") is True
    wait_position(page, 2, 1)
    page.evaluate("Slide.next(); Slide.next()")
    wait_position(page, 3)
    page.evaluate("Slide.prev()")
    wait_position(page, 2, 2)
    page.evaluate("jumpSlide(4)")  # nodeppt's global, 0-based
    wait_position(page, 5)
    assert page.evaluate("getcurIndex()") == 4
    page.evaluate("Slide.showPaint()")
    assert board_open(page)
    page.evaluate("Slide.removePaint()")
    assert not board_open(page)
    page.evaluate("Slide.init({}); Slide.proxyFn(function (x) { window.proxied = x; }, 7)")
    assert page.evaluate("window.proxied") == 7
    # Slide 2 names nodeppt's Slide.magic handlers (nodeppt's generated HTML did): nothing to
    # do, and nothing to warn about.
    page.evaluate("deckgen.go(1)")
    page.keyboard.press("ArrowRight")
    wait_position(page, 2, 1)
    assert [t for kind, t in messages if kind in ("warning", "error")] == []
    assert page.errors_seen == []


def test_a_decks_own_slide_object_is_kept(page, build_deck, deck_tools):
    path = build_deck('title: own\n\n[slide]\n# a\n<script>var Slide = {mine: true};</script>\n',
                      "own.md")
    deck_tools.open(page, path)
    assert page.evaluate("Slide") == {"mine": True}


# -- nodeppt's default transition ----------------------------------------------------------------

@pytest.mark.parametrize("header, effects", [
    ("", ["slide", "slide"]),                   # nodeppt's move
    ("transition: fade\n", ["fade", "fade"]),
    ("transition: none\n", [None, None]),
])
def test_default_transition_is_nodeppts_move(moving_page, build_deck, deck_tools, header, effects):
    page = moving_page
    deck = ("title: t\n" + header + "\n[slide]\n# 1\n[slide]\n## 2\n[slide]\n## 3\n"
            '[slide data-transition="cards"]\n## 4\n')
    deck_tools.open(page, build_deck(deck, "default-transition.md"))
    page.add_style_tag(content=":root { --dg-transition-duration: 20s; }")
    seen = []
    for number in (2, 3, 4):
        page.wait_for_timeout(300)  # not a held key
        page.keyboard.press("ArrowRight")
        wait_position(page, number)
        seen.append(page.evaluate("document.querySelector('.deckgen').getAttribute('data-slide-effect')"))
        page.evaluate("document.getAnimations().forEach(a => a.finish())")
        page.wait_for_function("!document.querySelector('.deckgen').classList.contains('is-transitioning')")
    assert seen == effects + ["cards"]  # a slide's own transition wins either way


def test_reduced_motion_turns_the_default_transition_off(page, build_deck, deck_tools):
    deck_tools.open(page, build_deck("title: t\n\n[slide]\n# 1\n[slide]\n## 2\n", "still.md"))
    assert page.evaluate("document.querySelector('.deckgen').dataset.transition") == "slide"
    page.keyboard.press("ArrowRight")
    wait_position(page, 2)
    assert page.evaluate("""[document.querySelector('.deckgen').classList.contains('is-transitioning'),
        document.getAnimations().length]""") == [False, 0]
