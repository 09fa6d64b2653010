"""nodeppt's runtime features in Chromium: slide transitions, speaker notes and the N overlay,
data-on-* slide events, scripts and styles inside slides, MathML. The decks write the build's
markup (plugins/fragments.py, magic.py, notes.py) as raw HTML where the Markdown side would produce it."""

from __future__ import annotations

import pytest
from deck_helpers import wait_position

pytestmark = pytest.mark.browser




# -- transitions ---------------------------------------------------------------------------------

TRANSITION_DECK = """title: 转场
transition: {transition}

[slide]
# 一

[slide data-transition="zoomin"]
## 二 (zoomin: zoom)

[slide data-transition="cards"]
## 三 (cards)

[slide]
## 四 (the deck's own)

[slide data-transition="none"]
## 五 (none)
"""

SLIDES = """() => ({
    effect: document.querySelector('.deckgen').getAttribute('data-slide-effect'),
    direction: document.querySelector('.deckgen').getAttribute('data-direction'),
    transitioning: document.querySelector('.deckgen').classList.contains('is-transitioning'),
    shown: Array.from(document.querySelectorAll('.deckgen-canvas > section.slide'))
        .filter(s => getComputedStyle(s).display !== 'none').map(s => s.dataset.index),
    animations: Array.from(document.querySelectorAll('.deckgen-canvas > section.slide'))
        .flatMap(s => s.getAnimations().map(a => s.dataset.index + ':' + a.animationName)).sort(),
})"""
SETTLED = "() => !document.querySelector('.deckgen').classList.contains('is-transitioning')"


def test_transition_runs_between_slides(moving_page, build_deck, deck_tools):
    page = moving_page
    path = build_deck(TRANSITION_DECK.format(transition="slide3"), "moving.md")
    deck_tools.open(page, path)
    assert page.evaluate("document.querySelector('.deckgen').dataset.transition") in (
        "slide", "slide3")  # the build normalises the name; the runtime maps it either way
    expected = [
        ("ArrowRight", 2, "zoom", "forward", ["1:deckgen-grow", "2:deckgen-zoom-in-small"]),
        ("ArrowRight", 3, "cards", "forward", ["2:deckgen-card-back", "3:deckgen-card-up"]),
        ("ArrowRight", 4, "slide", "forward", ["3:deckgen-to-left", "4:deckgen-from-right"]),
        ("ArrowLeft", 3, "cards", "backward", ["3:deckgen-card-front", "4:deckgen-card-down"]),
    ]
    # Slow enough to look at on a busy machine; finishing the animations is the normal end.
    page.add_style_tag(content=":root { --dg-transition-duration: 20s; }")
    for key, number, effect, direction, animations in expected:
        page.keyboard.press(key)
        state = page.evaluate(SLIDES)
        assert (state["effect"], state["direction"], state["transitioning"]) == \
            (effect, direction, True)
        # Both slides are on screen while it runs, each with its own animation.
        assert state["shown"] == sorted({a.split(":")[0] for a in animations})
        assert str(number) in state["shown"] and state["animations"] == animations
        # The position and the URL move at once; the animation is only what is painted.
        assert page.evaluate("[deckgen.index + 1, location.hash]") == [number, f"#/{number}"]
        page.evaluate("document.getAnimations().forEach(a => a.finish())")
        page.wait_for_function(SETTLED)
        state = page.evaluate(SLIDES)
        assert state["shown"] == [str(number)] and state["animations"] == []
        assert state["effect"] is None
        page.wait_for_timeout(300)  # the next press is not a quick repeat
    # data-transition="none" on the slide: no animation even though the deck has one.
    page.evaluate("deckgen.go(3)")
    page.evaluate("document.getAnimations().forEach(a => a.finish())")
    page.wait_for_function(SETTLED)
    page.wait_for_timeout(300)
    page.keyboard.press("ArrowRight")
    assert page.evaluate(SLIDES)["transitioning"] is False
    assert page.evaluate(SLIDES)["shown"] == ["5"]
    assert page.errors_seen == []


def test_reduced_motion_turns_transitions_off(page, build_deck, deck_tools):
    path = build_deck(TRANSITION_DECK.format(transition="cards"), "still.md")
    deck_tools.open(page, path)
    for key, number in (("ArrowRight", 2), ("ArrowRight", 3), ("ArrowLeft", 2)):
        page.keyboard.press(key)
        state = page.evaluate(SLIDES)
        assert state["transitioning"] is False
        assert state["shown"] == [str(number)] and state["animations"] == []


def test_quick_moves_finish_the_running_transition(moving_page, build_deck, deck_tools):
    page = moving_page
    slides = "".join(f"\n[slide]\n## 第{n}页\n" for n in range(2, 13))
    path = build_deck("title: quick\ntransition: slide\n\n[slide]\n# 1\n" + slides, "quick.md")
    deck_tools.open(page, path)
    page.keyboard.press("ArrowRight")
    assert page.evaluate(SLIDES)["transitioning"] is True
    for _ in range(8):  # a held key
        page.keyboard.press("ArrowRight")
        state = page.evaluate(SLIDES)
        # Never more than the current slide and (while animating) one other on screen.
        assert len(state["shown"]) <= 2 and str(page.evaluate("deckgen.index + 1")) in state["shown"]
    page.wait_for_function(SETTLED)
    wait_position(page, 10)
    assert page.evaluate(SLIDES)["shown"] == ["10"]
    for _ in range(4):
        page.keyboard.press("ArrowLeft")
    page.wait_for_function(SETTLED)
    wait_position(page, 6)
    assert page.evaluate(SLIDES)["shown"] == ["6"]
    # Back and Forward move through history with the same effect.
    page.go_back()
    wait_position(page, 7)
    page.wait_for_function(SETTLED)
    assert page.evaluate(SLIDES)["shown"] == ["7"]


def test_transitions_do_not_change_how_a_long_slide_fits(moving_page, new_page, keras_html,
                                                         deck_tools):
    """keras's last slide is the longest: entering it through an animation gives it the same
    scale as without one (>= 0.6), and the canvas shows it whole."""
    scales = []
    for page in (new_page(), moving_page):
        deck_tools.open(page, keras_html, "#/20")
        page.evaluate("document.fonts.ready")
        page.keyboard.press("ArrowRight")
        page.wait_for_function(SETTLED)
        page.wait_for_function("deckgen.index === 20")
        scales.append(page.evaluate("parseFloat(deckgen.current().getAttribute('data-scale'))"))
    assert scales[0] == scales[1] and scales[0] >= 0.6


# -- notes -----------------------------------------------------------------------------------------

NOTES_DECK = """title: 备注
theme: dark

[slide]
# 封面

<aside class="notes"><p>封面的备注 cover note</p></aside>

[slide]
## 使用note笔记

按下键盘【N】键

<aside class="notes">
<h2>这里是note</h2>
<p>使用n键，才能显示 <strong>bold</strong></p>
</aside>

[slide]
## 没有备注
"""

OVERLAY = """() => {
    const overlay = document.querySelector('.deckgen-notes');
    return {open: !!overlay && !overlay.hidden && getComputedStyle(overlay).display !== 'none',
            text: overlay ? overlay.innerText : '',
            onSlide: Array.from(document.querySelectorAll('section.slide aside.notes')).map(
                n => getComputedStyle(n).display + ':' + n.getBoundingClientRect().height)};
}"""


def test_notes_hidden_on_the_slide_and_shown_by_n(page, build_deck, deck_tools):
    path = build_deck(NOTES_DECK, "notes.md")
    deck_tools.open(page, path, "#/2")
    state = page.evaluate(OVERLAY)
    assert state["open"] is False
    assert state["onSlide"] == ["none:0", "none:0"]
    assert "这里是note" not in page.evaluate("deckgen.current().innerText")
    # The cover with its notes is still a cover: the h1 is centred at the large size.
    page.keyboard.press("n")
    state = page.evaluate(OVERLAY)
    assert state["open"] is True
    assert "这里是note" in state["text"] and "使用n键，才能显示 bold" in state["text"]
    assert page.evaluate("document.querySelector('.deckgen-notes strong').textContent") == "bold"
    # It follows the slide, also to a slide without notes.
    page.keyboard.press("ArrowLeft")
    wait_position(page, 1)
    assert "封面的备注" in page.evaluate(OVERLAY)["text"]
    page.keyboard.press("End")
    wait_position(page, 3)
    assert "No notes" in page.evaluate(OVERLAY)["text"]
    page.keyboard.press("Shift+N")
    assert page.evaluate(OVERLAY)["open"] is False
    page.keyboard.press("N")
    assert page.evaluate(OVERLAY)["open"] is True
    page.keyboard.press("Escape")
    assert page.evaluate(OVERLAY)["open"] is False
    assert any(entry["keys"] == ["N"] for entry in page.evaluate("deckgen.keyHelp"))
    # The overlay is readable: light text on a dark panel.
    colours = page.evaluate("""() => { const o = document.querySelector('.deckgen-notes');
        o.hidden = false; const s = getComputedStyle(o); return [s.color, s.backgroundColor]; }""")
    assert colours[0] == "rgb(242, 244, 247)" and colours[1].startswith("rgba(16, 18, 22")


def test_n_typed_into_a_field_does_not_toggle_notes(page, build_deck, deck_tools):
    path = build_deck(NOTES_DECK.replace("按下键盘【N】键", '<input id="field">'), "field.md")
    deck_tools.open(page, path, "#/2")
    page.click("#field")
    page.keyboard.type("nN")
    assert page.evaluate(OVERLAY)["open"] is False
    assert page.input_value("#field") == "nN"


def test_cover_with_notes_is_still_a_centred_cover(page, build_deck, deck_tools):
    path = build_deck(NOTES_DECK, "cover.md")
    deck_tools.open(page, path)
    heading = page.evaluate("""() => { const h = document.querySelector('#slide-1 h1');
        const r = h.getBoundingClientRect(), s = getComputedStyle(h);
        return [s.fontSize, s.textAlign, Math.round(r.left + r.right)]; }""")
    assert heading == ["45px", "center", 1280]  # centred in the 1280px canvas


# -- slide events --------------------------------------------------------------------------------

EVENTS_DECK = """title: 事件

[slide]
# 封面

<script>
window.calls = [];
window.runs = (window.runs || 0) + 1;
function record(event) {
  calls.push([event.type, event.index, event.step, event.direction || '',
              event.slide === deckgen.slides[event.index], typeof event.stop]);
}
function incallback(event) { record(event); document.getElementById('incallback').textContent = 'in'; }
function outcallback(event) { record(event); document.getElementById('outcallback').textContent = 'out'; }
var demo = { build: function (event) { record(event); if (window.holdBuild) event.stop(); } };
function onKey(event) { record(event); if (event.key === 'x') event.stop(); }
function broken() { throw new Error('boom'); }
</script>
<style>#styled { color: rgb(1, 2, 3); }</style>

[slide data-on-leave="outcallback" data-on-enter="incallback"]
## 使用回调

<p id="incallback"></p>
<p id="outcallback"></p>
<p id="styled">styled by the first slide's style</p>

[slide data-on-build="demo.build" data-on-keypress="onKey"]
## build

<ul class="fadeIn">
<li class="fragment" data-animation="fadeIn">a</li>
<li class="fragment" data-animation="fadeIn">b</li>
</ul>

[slide data-on-enter="broken" data-on-leave="missingFunction"]
## broken

[slide]
## end
"""


def calls(page) -> list:
    return page.evaluate("window.calls.splice(0)")


def test_enter_and_leave_call_the_global_functions(page, build_deck, deck_tools):
    path = build_deck(EVENTS_DECK, "events.md")
    deck_tools.open(page, path)
    assert calls(page) == []
    page.keyboard.press("ArrowRight")
    wait_position(page, 2)
    assert calls(page) == [["enter", 1, 0, "", True, "function"]]
    assert page.text_content("#incallback") == "in"
    assert page.text_content("#outcallback") == ""
    page.keyboard.press("ArrowRight")
    wait_position(page, 3)
    assert calls(page)[0] == ["leave", 1, 0, "", True, "function"]
    assert page.text_content("#outcallback") == "out"
    # Opening on the slide (a deep link, a reload) enters it too.
    page.goto(path.as_uri() + "#/2")
    page.reload()
    page.wait_for_function("document.querySelector('.deckgen.is-ready')")
    assert calls(page) == [["enter", 1, 0, "", True, "function"]]


def test_build_is_called_for_each_step_and_can_stop_it(page, build_deck, deck_tools):
    path = build_deck(EVENTS_DECK, "build.md")
    deck_tools.open(page, path, "#/3")
    calls(page)
    page.keyboard.press("ArrowRight")
    wait_position(page, 3, 1)
    page.keyboard.press("ArrowRight")
    wait_position(page, 3, 2)
    page.keyboard.press("ArrowLeft")
    wait_position(page, 3, 1)
    builds = [c for c in calls(page) if c[0] == "build"]
    assert builds == [["build", 2, 0, "next", True, "function"],
                      ["build", 2, 1, "next", True, "function"],
                      ["build", 2, 2, "prev", True, "function"]]
    # stop(): the deck stays where it is (nodeppt's way of taking the keys over).
    page.evaluate("window.holdBuild = true")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    wait_position(page, 3, 1)
    page.evaluate("window.holdBuild = false")
    page.keyboard.press("ArrowRight")
    wait_position(page, 3, 2)


def test_keypress_is_called_and_can_stop_the_key(page, build_deck, deck_tools):
    path = build_deck(EVENTS_DECK, "keys.md")
    deck_tools.open(page, path, "#/3")
    calls(page)
    page.keyboard.press("q")
    assert [c[0] for c in calls(page)] == ["keypress"]
    page.keyboard.press("x")  # stopped: nothing else sees it
    page.keyboard.press("ArrowRight")
    wait_position(page, 3, 1)
    assert [c[0] for c in calls(page)] == ["keypress", "keypress", "build"]


def test_a_failing_or_missing_handler_does_not_stop_the_deck(page, build_deck, deck_tools):
    path = build_deck(EVENTS_DECK, "broken.md")
    logged = []
    page.on("console", lambda message: logged.append((message.type, message.text)))
    deck_tools.open(page, path, "#/3")
    page.evaluate("deckgen.go(3, 'api', 0)")
    wait_position(page, 4)
    page.keyboard.press("ArrowRight")
    wait_position(page, 5)
    assert page.errors_seen == []
    assert any(kind == "error" and "broken" in text and "boom" in text for kind, text in logged)
    assert any(kind == "warning" and "missingFunction" in text for kind, text in logged)


def test_scripts_and_styles_in_slides_run_once(page, build_deck, deck_tools):
    path = build_deck(EVENTS_DECK, "once.md")
    deck_tools.open(page, path)
    for _ in range(2):
        for number in range(1, 6):
            page.evaluate("n => deckgen.go(n - 1, 'api', 'last')", number)
        page.keyboard.press("Home")
    assert page.evaluate("window.runs") == 1
    assert page.evaluate("getComputedStyle(document.getElementById('styled')).color") == \
        "rgb(1, 2, 3)"
    assert page.evaluate("document.querySelectorAll('section.slide script').length") == 1


def test_iframe_data_src_loads_on_enter(page, build_deck, deck_tools, tmp_path):
    (tmp_path / "inner.html").write_text("<p id=inner>inner</p>", encoding="utf-8")
    deck = ("title: iframe\n\n[slide]\n# one\n\n[slide]\n## iframe\n\n"
            f'<iframe data-src="{(tmp_path / "inner.html").as_uri()}" src="about:blank"></iframe>\n')
    path = build_deck(deck, "iframe.md")
    deck_tools.open(page, path)
    assert page.evaluate("document.querySelector('iframe').getAttribute('src')") == "about:blank"
    page.keyboard.press("ArrowRight")
    wait_position(page, 2)
    assert page.evaluate("document.querySelector('iframe').getAttribute('src')").endswith(
        "inner.html")


# -- math ------------------------------------------------------------------------------------------

def test_mathml_renders_with_a_size(page, build_deck, deck_tools):
    deck = """title: math
theme: moon

[slide]
## 公式

<math display="block"><mi>x</mi><mo>=</mo><mfrac><mrow><mo>-</mo><mi>b</mi><mo>±</mo><msqrt><msup><mi>b</mi><mn>2</mn></msup><mo>-</mo><mn>4</mn><mi>a</mi><mi>c</mi></msqrt></mrow><mrow><mn>2</mn><mi>a</mi></mrow></mfrac></math>

行内 <math><msup><mi>e</mi><mrow><mi>i</mi><mi>π</mi></mrow></msup></math> 公式
"""
    path = build_deck(deck, "math.md")
    deck_tools.open(page, path)
    sizes = page.evaluate("""() => Array.from(document.querySelectorAll('math')).map(m => {
        const r = m.getBoundingClientRect(); return [m.getAttribute('display'), r.width, r.height,
        m.namespaceURI]; })""")
    assert len(sizes) == 2
    for _display, width, height, namespace in sizes:
        assert width > 20 and height > 20, sizes
        assert namespace == "http://www.w3.org/1998/Math/MathML"
    # The block formula is a block (its own line), the fraction taller than a line of text.
    assert sizes[0][0] == "block" and sizes[0][2] > 45


def test_slide_proxyfn_from_nodeppt_decks_calls_the_global_function(page, build_deck,
                                                                     deck_tools):
    # The demo deck's button: onclick="Slide.proxyFn('globalFunc','args')".
    deck = ("title: proxy\n\n[slide]\n# proxy\n\n"
            "<button id=\"b\" onclick=\"Slide.proxyFn('globalFunc','args')\">run</button>\n\n"
            "<script>\nfunction globalFunc(a) { document.title = 'called with ' + a; }\n"
            "</script>\n")
    deck_tools.open(page, build_deck(deck, "proxy.md"))
    page.click("#b")
    assert page.title() == "called with args"
    assert page.errors_seen == []
