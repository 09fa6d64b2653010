"""The speaker's other keys on the built keras deck, from file://: the overview (O, Esc), the
key list (?), blackout and whiteout (B . W), fullscreen (F); and none of them while typing."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

TOTAL = 21
OVERVIEW_OPEN = "() => deckgen.overviewOpen && !document.querySelector('.deckgen-overview').hidden"
OVERVIEW_CLOSED = "() => !deckgen.overviewOpen && document.querySelector('.deckgen-overview').hidden"


def overview(page) -> dict:
    return page.evaluate("""() => {
        const items = Array.from(document.querySelectorAll('.deckgen-overview .deckgen-thumb'));
        const pick = cls => items.filter(i => i.classList.contains(cls)).map(i => +i.dataset.index);
        return {count: items.length, current: pick('is-current'), selected: pick('is-selected'),
                ariaSelected: items.filter(i => i.getAttribute('aria-selected') === 'true')
                                   .map(i => +i.dataset.index),
                drawn: items.filter(i => i.querySelector('.deckgen-snapshot')).length,
                index: deckgen.index};
    }""")


def test_o_opens_the_overview_with_the_current_slide_highlighted(page, keras_html, deck_tools):
    deck_tools.open(page, keras_html, "#/5")
    page.keyboard.press("o")
    page.wait_for_function(OVERVIEW_OPEN)
    state = overview(page)
    assert state["count"] == TOTAL
    assert state["current"] == [4] and state["selected"] == [4] and state["ariaSelected"] == [4]
    # The thumbnails in view are drawn copies of the slides, each filling its frame.
    assert state["drawn"] >= 8
    thumb = page.evaluate("""() => {
        const item = document.querySelectorAll('.deckgen-thumb')[4];
        const frame = item.querySelector('.deckgen-thumb-frame').getBoundingClientRect();
        const copy = item.querySelector('.deckgen-snapshot').getBoundingClientRect();
        return {frame: [frame.width, frame.height], copy: [copy.width, copy.height],
                text: item.querySelector('.deckgen-snapshot').textContent};
    }""")
    assert abs(thumb["copy"][0] - thumb["frame"][0]) < 1.5
    assert abs(thumb["copy"][1] - thumb["frame"][1]) < 1.5
    assert abs(thumb["frame"][0] / thumb["frame"][1] - 16 / 9) < 0.02
    assert "Keras 优先考虑开发人员的经验" in thumb["text"]
    # It covers the slide, and the real slides are untouched (still one current).
    assert page.evaluate("document.elementFromPoint(640, 360).closest('.deckgen-overview') !== null")
    assert deck_tools.state(page)["current"] == ["5"]
    assert page.errors_seen == []


def test_arrows_move_the_selection_and_enter_opens_it(page, keras_html, deck_tools):
    deck_tools.open(page, keras_html, "#/5")
    page.keyboard.press("o")
    page.wait_for_function(OVERVIEW_OPEN)
    columns = page.evaluate("""() => {
        const items = document.querySelectorAll('.deckgen-thumb');
        let n = 0; while (n < items.length && items[n].offsetTop === items[0].offsetTop) n++;
        return n; }""")
    assert 2 <= columns < TOTAL
    page.keyboard.press("ArrowRight")
    assert overview(page)["selected"] == [5]
    page.keyboard.press("ArrowDown")
    assert overview(page)["selected"] == [5 + columns]
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert overview(page)["selected"] == [3]
    page.keyboard.press("End")
    assert overview(page)["selected"] == [TOTAL - 1]
    page.keyboard.press("Home")
    page.keyboard.press("ArrowLeft")  # stays on the first
    assert overview(page)["selected"] == [0]
    # Moving the selection does not move the deck.
    assert overview(page)["index"] == 4
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    page.wait_for_function(OVERVIEW_CLOSED)
    deck_tools.wait_for_slide(page, 3)
    # The thumbnails are gone with it (they may hold media).
    assert page.evaluate("document.querySelectorAll('.deckgen-snapshot').length") == 0


def test_escape_opens_and_leaves_without_moving(page, keras_html, deck_tools):
    deck_tools.open(page, keras_html, "#/7")
    page.keyboard.press("Escape")
    page.wait_for_function(OVERVIEW_OPEN)
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Escape")
    page.wait_for_function(OVERVIEW_CLOSED)
    deck_tools.wait_for_slide(page, 7)
    page.keyboard.press("O")
    page.wait_for_function(OVERVIEW_OPEN)
    page.keyboard.press("o")
    page.wait_for_function(OVERVIEW_CLOSED)
    deck_tools.wait_for_slide(page, 7)
    # Keys work as usual again.
    page.keyboard.press("ArrowRight")
    deck_tools.wait_for_slide(page, 8)


def test_a_click_opens_a_slide(page, keras_html, deck_tools):
    deck_tools.open(page, keras_html)
    page.keyboard.press("o")
    page.wait_for_function(OVERVIEW_OPEN)
    page.locator(".deckgen-thumb").nth(8).click()
    page.wait_for_function(OVERVIEW_CLOSED)
    deck_tools.wait_for_slide(page, 9)


def test_digits_and_enter_go_to_a_slide_from_the_overview(page, keras_html, deck_tools):
    deck_tools.open(page, keras_html)
    page.keyboard.press("o")
    page.wait_for_function(OVERVIEW_OPEN)
    for key in ("1", "2"):
        page.keyboard.press(key)
    assert overview(page)["selected"] == [0]  # digits do not move the selection
    page.keyboard.press("Enter")
    page.wait_for_function(OVERVIEW_CLOSED)
    deck_tools.wait_for_slide(page, 12)
    # Escape with digits typed forgets them, and leaves the overview open.
    page.keyboard.press("o")
    page.wait_for_function(OVERVIEW_OPEN)
    for key in ("3", "Escape"):
        page.keyboard.press(key)
    assert page.evaluate("deckgen.overviewOpen")
    page.keyboard.press("Enter")  # now opens the selection (slide 12)
    page.wait_for_function(OVERVIEW_CLOSED)
    deck_tools.wait_for_slide(page, 12)


def test_a_long_deck_opens_its_overview_quickly(page, build_deck, deck_tools):
    text = "".join(f"[slide]\n# Slide {n}\n\n- a point\n- another\n\n" for n in range(1, 1001))
    path = build_deck(text, "long.txt")
    deck_tools.open(page, path)
    took = page.evaluate("""() => { const t = performance.now(); deckgen.openOverview();
                                    return performance.now() - t; }""")
    state = overview(page)
    assert state["count"] == 1000
    assert state["drawn"] < 200  # only those in or near view are drawn
    assert took < 1500, f"opening the overview of 1000 slides took {took:.0f} ms"


# -- help ---------------------------------------------------------------------------------------

def test_question_mark_lists_every_key(page, keras_html, deck_tools):
    deck_tools.open(page, keras_html)
    page.keyboard.press("?")
    page.wait_for_function("deckgen.helpOpen && !document.querySelector('.deckgen-help').hidden")
    rows = page.evaluate("""() => Array.from(document.querySelectorAll('.deckgen-help tr'))
        .map(r => [Array.from(r.querySelectorAll('kbd')).map(k => k.textContent),
                   r.querySelector('td').textContent])""")
    registry = page.evaluate("deckgen.keyHelp.map(e => [e.keys, e.does])")
    assert rows == registry
    listed = {key for keys, _ in rows for key in keys}
    for key in ("→", "←", "Space", "Home", "End", "digits", "S", "O", "Esc", "?", "B", ".", "W",
                "F"):
        assert key in listed, key
    # Esc closes it (and does not open the overview underneath); ? toggles.
    page.keyboard.press("Escape")
    page.wait_for_function("!deckgen.helpOpen && document.querySelector('.deckgen-help').hidden")
    assert not page.evaluate("deckgen.overviewOpen")
    page.keyboard.press("?")
    page.wait_for_function("deckgen.helpOpen")
    page.keyboard.press("?")
    page.wait_for_function("!deckgen.helpOpen")
    # A click outside the list closes it too.
    page.keyboard.press("?")
    page.mouse.click(5, 5)
    page.wait_for_function("!deckgen.helpOpen")
    assert page.errors_seen == []


# -- blackout, whiteout, fullscreen ------------------------------------------------------------

def cover(page) -> dict:
    return page.evaluate("""() => {
        const el = document.querySelector('.deckgen-cover');
        const style = getComputedStyle(el);
        return {shown: style.display !== 'none', colour: style.backgroundColor,
                onTop: document.elementFromPoint(640, 360) === el, mode: deckgen.screenMode};
    }""")


@pytest.mark.parametrize("key", ["b", "B", "."])
def test_blackout_and_any_key_brings_the_slide_back(page, keras_html, deck_tools, key):
    deck_tools.open(page, keras_html, "#/3")
    page.keyboard.press(key)
    assert cover(page) == {"shown": True, "colour": "rgb(0, 0, 0)", "onTop": True, "mode": "black"}
    png = page.screenshot()
    assert deck_tools.screenshot_stats(page, png)["colours"] == 1
    page.keyboard.press("ArrowRight")  # only uncovers
    assert cover(page)["shown"] is False
    deck_tools.wait_for_slide(page, 3)
    page.keyboard.press("ArrowRight")
    deck_tools.wait_for_slide(page, 4)


def test_whiteout_and_a_click_brings_the_slide_back(page, keras_html, deck_tools):
    deck_tools.open(page, keras_html, "#/3")
    page.keyboard.press("w")
    assert cover(page) == {"shown": True, "colour": "rgb(255, 255, 255)", "onTop": True,
                           "mode": "white"}
    page.mouse.click(640, 360)
    assert cover(page)["shown"] is False and cover(page)["mode"] == ""
    # W while white: the key only uncovers; pressing it again whites out again.
    page.keyboard.press("W")
    page.keyboard.press("W")
    assert cover(page)["shown"] is False
    page.keyboard.press("W")
    assert cover(page)["mode"] == "white"
    # Shift alone (on the way to typing ?) does not uncover.
    page.keyboard.down("Shift")
    page.keyboard.up("Shift")
    assert cover(page)["mode"] == "white"


def test_f_toggles_fullscreen(page, keras_html, deck_tools):
    deck_tools.open(page, keras_html)
    page.evaluate("""() => {
        window.__requests = [];
        const request = Element.prototype.requestFullscreen;
        Element.prototype.requestFullscreen = function () {
            window.__requests.push(this.tagName); return request.apply(this, arguments); };
    }""")
    page.keyboard.press("f")
    assert page.evaluate("window.__requests") == ["HTML"]
    # Headless Chromium grants it; a browser may refuse (the deck then stays as it was).
    page.wait_for_function("document.fullscreenElement === document.documentElement")
    page.keyboard.press("F")
    page.wait_for_function("document.fullscreenElement === null")
    assert page.evaluate("window.__requests") == ["HTML"]
    assert page.errors_seen == []


# -- never while typing --------------------------------------------------------------------------

TYPING_DECK = """[slide]
# Form

<input id="field"> <textarea id="area"></textarea>

[slide]
# Two
"""


@pytest.mark.parametrize("field", ["#field", "#area"])
def test_no_key_fires_while_typing(page, build_deck, deck_tools, field):
    deck_tools.open(page, build_deck(TYPING_DECK, "form.txt"))
    page.evaluate("""() => { window.__requests = 0;
        Element.prototype.requestFullscreen = () => { window.__requests++; return Promise.resolve(); }; }""")
    page.click(field)
    typed = "Some words? soft.Bow 12"
    page.keyboard.type(typed)
    page.keyboard.press("Escape")
    page.keyboard.press("Enter")
    assert page.evaluate("s => document.querySelector(s).value", field).startswith(typed)
    state = page.evaluate("""() => ({index: deckgen.index, overview: deckgen.overviewOpen,
        help: deckgen.helpOpen, screen: deckgen.screenMode, requests: window.__requests,
        toast: !!document.querySelector('.deckgen-toast')})""")
    assert state == {"index": 0, "overview": False, "help": False, "screen": "",
                     "requests": 0, "toast": False}
    assert len(page.context.pages) == 1  # no presenter window
    # Out of the field, the same keys work.
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("b")
    assert cover(page)["mode"] == "black"
