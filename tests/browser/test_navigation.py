"""Moving through the built keras deck from file://: keys, the hash, history, touch."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

TOTAL = 21


def test_opens_on_first_slide_with_hash(page, keras_html, deck_tools):
    deck_tools.open(page, keras_html)
    state = deck_tools.wait_for_slide(page, 1)
    assert state["hash"] == "#/1"
    assert page.evaluate("document.querySelectorAll('.deckgen-canvas > section.slide').length") \
        == TOTAL
    assert page.errors_seen == []


@pytest.mark.parametrize("key", ["ArrowRight", "ArrowDown", "Space", "PageDown"])
def test_keys_go_forward(page, keras_html, deck_tools, key):
    deck_tools.open(page, keras_html)
    deck_tools.wait_for_slide(page, 1)
    for number in (2, 3):
        page.keyboard.press(key)
        deck_tools.wait_for_slide(page, number)


@pytest.mark.parametrize("key", ["ArrowLeft", "ArrowUp", "Shift+Space", "PageUp"])
def test_keys_go_back(page, keras_html, deck_tools, key):
    deck_tools.open(page, keras_html, "#/5")
    deck_tools.wait_for_slide(page, 5)
    for number in (4, 3):
        page.keyboard.press(key)
        deck_tools.wait_for_slide(page, number)


def test_home_end_and_the_ends_hold(page, keras_html, deck_tools):
    deck_tools.open(page, keras_html, "#/9")
    deck_tools.wait_for_slide(page, 9)
    page.keyboard.press("End")
    deck_tools.wait_for_slide(page, TOTAL)
    page.keyboard.press("ArrowRight")  # past the end: stays
    page.keyboard.press("Home")
    deck_tools.wait_for_slide(page, 1)
    page.keyboard.press("ArrowLeft")  # before the start: stays
    page.keyboard.press("End")
    deck_tools.wait_for_slide(page, TOTAL)


def test_digits_then_enter_jump(page, keras_html, deck_tools):
    deck_tools.open(page, keras_html)
    deck_tools.wait_for_slide(page, 1)
    page.keyboard.press("1")
    page.keyboard.press("2")
    # The typed number is shown while it is being typed.
    page.wait_for_function(
        "document.querySelector('.deckgen-number').getAttribute('data-typed') === 'go to 12'")
    assert page.evaluate("deckgen.index") == 0
    page.keyboard.press("Enter")
    deck_tools.wait_for_slide(page, 12)
    page.wait_for_function(
        "!document.querySelector('.deckgen-number').getAttribute('data-typed')")
    # Out of range clamps to the last slide; Escape forgets what was typed.
    for key in ("9", "9", "Enter"):
        page.keyboard.press(key)
    deck_tools.wait_for_slide(page, TOTAL)
    for key in ("3", "Escape", "Enter"):
        page.keyboard.press(key)
    deck_tools.wait_for_slide(page, TOTAL)


def test_back_and_forward_walk_visited_slides(page, keras_html, deck_tools):
    deck_tools.open(page, keras_html)
    deck_tools.wait_for_slide(page, 1)
    page.keyboard.press("ArrowRight")
    deck_tools.wait_for_slide(page, 2)
    page.keyboard.press("End")
    deck_tools.wait_for_slide(page, TOTAL)
    page.go_back()
    deck_tools.wait_for_slide(page, 2)
    page.go_back()
    deck_tools.wait_for_slide(page, 1)
    page.go_forward()
    deck_tools.wait_for_slide(page, 2)
    page.go_forward()
    deck_tools.wait_for_slide(page, TOTAL)


def test_deep_link_opens_that_slide(page, keras_html, deck_tools):
    deck_tools.open(page, keras_html, "#/7")
    deck_tools.wait_for_slide(page, 7)
    assert page.evaluate("window.scrollY") == 0


@pytest.mark.parametrize("fragment, number", [("#7", 8), ("#0", 1), ("#/99", TOTAL),
                                              ("#99", TOTAL), ("#/0", 1), ("#nonsense", 1)])
def test_odd_hashes(page, keras_html, deck_tools, fragment, number):
    """nodeppt's #7 form is its 0-based index (#7 is the 8th slide, as nodeppt showed it);
    out-of-range numbers clamp; the hash is rewritten to #/N."""
    deck_tools.open(page, keras_html, fragment)
    deck_tools.wait_for_slide(page, number)


def test_typing_a_hash_moves(page, keras_html, deck_tools):
    deck_tools.open(page, keras_html)
    deck_tools.wait_for_slide(page, 1)
    page.evaluate("location.hash = '#/15'")
    deck_tools.wait_for_slide(page, 15)


def test_reload_stays_on_the_slide(page, keras_html, deck_tools):
    deck_tools.open(page, keras_html)
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    deck_tools.wait_for_slide(page, 4)
    page.reload()
    page.wait_for_function("() => !!(window.deckgen && document.querySelector('.deckgen.is-ready'))")
    deck_tools.wait_for_slide(page, 4)


def test_swipe_moves_slides(new_page, keras_html, deck_tools):
    page = new_page(has_touch=True)
    deck_tools.open(page, keras_html, "#/3")
    deck_tools.wait_for_slide(page, 3)
    cdp = page.context.new_cdp_session(page)

    def swipe(x0, x1, y0=360, y1=360):
        cdp.send("Input.dispatchTouchEvent",
                 {"type": "touchStart", "touchPoints": [{"x": x0, "y": y0}]})
        for step in range(1, 5):
            cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [
                {"x": x0 + (x1 - x0) * step / 4, "y": y0 + (y1 - y0) * step / 4}]})
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})

    swipe(900, 300)  # leftwards: next
    deck_tools.wait_for_slide(page, 4)
    swipe(300, 900)  # rightwards: previous
    deck_tools.wait_for_slide(page, 3)
    swipe(300, 900)
    deck_tools.wait_for_slide(page, 2)
    # Short or mostly vertical moves are not swipes.
    swipe(640, 625)
    swipe(640, 560, 100, 600)
    page.evaluate("new Promise(requestAnimationFrame)")
    assert deck_tools.state(page)["index"] == 1


FORM_DECK = """title: Forms

[slide]
# Slide one

<input id="field" type="text" value="">

<textarea id="notes"></textarea>

<button id="press" type="button">Press</button>

[slide]
# Slide two

[slide]
# Slide three
"""


def test_keys_do_nothing_inside_form_fields(page, build_deck, deck_tools):
    path = build_deck(FORM_DECK, "forms.txt")
    deck_tools.open(page, path)
    deck_tools.wait_for_slide(page, 1, total=3)
    for selector in ("#field", "#notes"):
        page.focus(selector)
        for key in ("ArrowRight", "ArrowDown", "Space", "PageDown", "End", "2", "Enter",
                    "ArrowLeft", "Home", "PageUp"):
            page.keyboard.press(key)
        page.keyboard.type("3")
        page.evaluate("new Promise(requestAnimationFrame)")
        state = deck_tools.state(page)
        assert state["index"] == 0 and state["hash"] == "#/1", selector
        assert not page.evaluate(
            "document.querySelector('.deckgen-number').getAttribute('data-typed')")
    # The keys reached the fields themselves.
    assert sorted(page.input_value("#field").replace(" ", "")) == ["2", "3"]
    assert "3" in page.input_value("#notes")
    # Space presses a focused button instead of turning the slide.
    page.evaluate("""() => { window.pressed = 0;
        document.getElementById('press').addEventListener('click', () => window.pressed++); }""")
    page.focus("#press")
    page.keyboard.press("Space")
    page.wait_for_function("window.pressed === 1")
    assert deck_tools.state(page)["index"] == 0
    # Once focus leaves the field the keys move the deck again.
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("ArrowRight")
    deck_tools.wait_for_slide(page, 2, total=3)


def test_handled_keys_prevent_default_only(page, keras_html, deck_tools):
    """Navigation keys are consumed; keys the deck does not use are left to the browser."""
    deck_tools.open(page, keras_html)
    deck_tools.wait_for_slide(page, 1)
    result = page.evaluate("""() => {
        const out = {};
        for (const key of ['ArrowRight', 'x', 'F5', 'Tab', 'Enter']) {
            const event = new KeyboardEvent('keydown', {key, bubbles: true, cancelable: true});
            document.body.dispatchEvent(event);
            out[key] = event.defaultPrevented;
        }
        const withCtrl = new KeyboardEvent('keydown', {key: 'ArrowRight', ctrlKey: true,
                                                       bubbles: true, cancelable: true});
        document.body.dispatchEvent(withCtrl);
        out['Ctrl+ArrowRight'] = withCtrl.defaultPrevented;
        return out;
    }""")
    assert result == {"ArrowRight": True, "x": False, "F5": False, "Tab": False,
                      "Enter": False, "Ctrl+ArrowRight": False}
    deck_tools.wait_for_slide(page, 2)
