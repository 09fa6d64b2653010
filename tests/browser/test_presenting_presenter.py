"""The presenter view (S): a second window, opened from file:// (and over http by deckgen serve),
that follows the deck and drives it, steps (fragments) included, and finds it again after a
reload."""

from __future__ import annotations

import re
import shutil

import pytest

pytestmark = pytest.mark.browser

READY = "() => !!(window.deckgen && document.querySelector('.deckgen.is-ready'))"
CONNECTED = "() => !!document.querySelector('.deckgen-presenter.is-connected')"
DECK = """title: Presenter
[slide]
# Cover 封面

<aside class="notes">Cover notes: 记得微笑</aside>

[slide]
## Steps

<p class="fragment">first point</p>
<p class="fragment">second point</p>

<aside class="notes">Steps notes: <b>two</b> points</aside>

[slide]
## No notes here

[slide]
# The end
"""


@pytest.fixture(scope="module")
def deck_html(build_deck):
    return build_deck(DECK, "presenter.txt")


def open_presenter(page):
    with page.expect_popup() as popup:
        page.keyboard.press("s")
    presenter = popup.value
    presenter.errors_seen = []
    presenter.on("pageerror", lambda error: presenter.errors_seen.append(str(error)))
    presenter.set_default_timeout(10_000)
    presenter.wait_for_url(re.compile(r"[?&]deckgen-presenter"))
    presenter.wait_for_function(READY)
    presenter.wait_for_function(CONNECTED)
    return presenter


def at(page, index: int, step: int) -> None:
    page.wait_for_function("([i, s]) => deckgen.index === i && deckgen.step === s",
                           arg=[index, step])


def text(page, selector: str) -> str:
    return page.evaluate("s => document.querySelector(s).textContent.replace(/\\s+/g, ' ').trim()",
                         selector)


def visibility(page, selector: str) -> list[str]:
    return page.evaluate("s => Array.from(document.querySelectorAll(s))"
                         ".map(e => getComputedStyle(e).visibility)", selector)


def test_s_opens_the_presenter_view_from_file(page, deck_html, deck_tools):
    deck_tools.open(page, deck_html)
    presenter = open_presenter(page)
    assert presenter.url.startswith("file://") and "#/1" in presenter.url
    assert presenter.evaluate("deckgen.isPresenter") and not page.evaluate("deckgen.isPresenter")
    # The notes, large; what comes next, drawn; the timer running; the clock.
    assert text(presenter, ".dp-notes-text") == "Cover notes: 记得微笑"
    assert presenter.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.dp-notes-text')).fontSize)") >= 24
    assert text(presenter, ".dp-what") == "slide 2: Steps"
    assert text(presenter, ".dp-next .deckgen-snapshot h2") == "Steps"
    assert re.fullmatch(r"0:0\d", text(presenter, ".dp-timer"))
    clock = text(presenter, ".dp-clock")
    assert re.fullmatch(r"\d\d:\d\d", clock)
    assert clock in presenter.evaluate("""() => { const d = new Date(), p = n => String(n).padStart(2, '0');
        return [p(d.getHours()) + ':' + p(d.getMinutes()),
                p(new Date(d - 60000).getHours()) + ':' + p(new Date(d - 60000).getMinutes())]; }""")
    # The current slide is the presenter window's own deck, drawn inside the "Now" box.
    inside = presenter.evaluate("""() => {
        const slot = document.querySelector('.dp-now-slot').getBoundingClientRect();
        const slide = deckgen.current().getBoundingClientRect();
        return slide.width > 200 && slide.left >= slot.left - 1 && slide.right <= slot.right + 1 &&
               slide.top >= slot.top - 1 && slide.bottom <= slot.bottom + 1;
    }""")
    assert inside
    assert text(presenter, ".dp-where") == "1 / 4"
    # S again brings the same window forward rather than opening another.
    page.keyboard.press("s")
    page.wait_for_timeout(300)
    assert len(page.context.pages) == 2
    assert page.errors_seen == [] and presenter.errors_seen == []


def test_the_presenter_follows_the_deck_steps_included(page, deck_html, deck_tools):
    deck_tools.open(page, deck_html)
    presenter = open_presenter(page)
    page.keyboard.press("ArrowRight")
    at(page, 1, 0)
    at(presenter, 1, 0)
    assert text(presenter, ".dp-notes-text") == "Steps notes: two points"
    # Next is the first step of this slide: the copy shows the first point and not the second.
    assert text(presenter, ".dp-what") == "step 1 / 2"
    assert visibility(presenter, ".dp-next .fragment") == ["visible", "hidden"]
    page.keyboard.press("ArrowRight")
    at(presenter, 1, 1)
    assert visibility(presenter, ".deckgen-canvas > .slide.is-current .fragment") == ["visible", "hidden"]
    assert text(presenter, ".dp-what") == "step 2 / 2"
    assert visibility(presenter, ".dp-next .fragment") == ["visible", "visible"]
    assert text(presenter, ".dp-where") == "2 / 4 · step 1 / 2"
    page.keyboard.press("ArrowRight")
    at(presenter, 1, 2)
    assert text(presenter, ".dp-what") == "slide 3: No notes here"
    page.keyboard.press("ArrowRight")
    at(presenter, 2, 0)
    assert text(presenter, ".dp-notes-text") == "No notes for this slide."
    page.keyboard.press("End")
    at(presenter, 3, 0)
    assert text(presenter, ".dp-what") == ""
    assert presenter.evaluate("!document.querySelector('.dp-end').hidden")
    assert page.errors_seen == [] and presenter.errors_seen == []


def test_the_deck_follows_the_presenter_steps_included(page, deck_html, deck_tools):
    deck_tools.open(page, deck_html)
    presenter = open_presenter(page)
    for index, step in ((1, 0), (1, 1), (1, 2), (2, 0)):
        presenter.keyboard.press("ArrowRight")
        at(page, index, step)
    assert page.evaluate("location.hash") == "#/3"
    presenter.keyboard.press("ArrowLeft")  # back onto slide 2, fully built
    at(page, 1, 2)
    assert visibility(page, ".deckgen-canvas > .slide.is-current .fragment") == ["visible", "visible"]
    presenter.keyboard.press("ArrowLeft")
    at(page, 1, 1)
    assert visibility(page, ".deckgen-canvas > .slide.is-current .fragment") == ["visible", "hidden"]
    # Digits and Enter in the presenter window move both too.
    for key in ("4", "Enter"):
        presenter.keyboard.press(key)
    at(page, 3, 0)
    assert page.errors_seen == [] and presenter.errors_seen == []


def test_blackout_from_the_presenter_covers_the_deck_only(page, deck_html, deck_tools):
    deck_tools.open(page, deck_html)
    presenter = open_presenter(page)
    presenter.keyboard.press("b")
    page.wait_for_function("deckgen.screenMode === 'black'")
    assert page.evaluate("getComputedStyle(document.querySelector('.deckgen-cover')).display") \
        != "none"
    # The speaker still sees the slide and the notes, and is told what the audience sees.
    assert presenter.evaluate(
        "getComputedStyle(document.querySelector('.deckgen-cover')).display") == "none"
    assert "black" in text(presenter, ".dp-screen")
    # Any key in the presenter window brings the slide back, without moving on.
    presenter.keyboard.press("ArrowRight")
    page.wait_for_function("deckgen.screenMode === ''")
    assert presenter.evaluate("document.querySelector('.dp-screen').hidden")
    assert page.evaluate("deckgen.index") == 0 and presenter.evaluate("deckgen.index") == 0
    # And the other way round: whiteout from the deck shows in the presenter window.
    page.keyboard.press("w")
    presenter.wait_for_function("deckgen.screenMode === 'white'")
    page.keyboard.press("w")
    presenter.wait_for_function("deckgen.screenMode === ''")


def test_timer_pauses_resets_and_survives_a_reload(page, deck_html, deck_tools):
    deck_tools.open(page, deck_html)
    presenter = open_presenter(page)
    presenter.wait_for_function("document.querySelector('.dp-timer').textContent !== '0:00'")
    presenter.keyboard.press("t")  # pause
    assert text(presenter, ".dp-pause") == "Resume"
    paused = text(presenter, ".dp-timer")
    presenter.wait_for_timeout(1300)
    assert text(presenter, ".dp-timer") == paused
    # Reloading the presenter window keeps the timer (and, paused, its value).
    presenter.reload()
    presenter.wait_for_function(READY)
    assert text(presenter, ".dp-timer") == paused and text(presenter, ".dp-pause") == "Resume"
    presenter.click(".dp-reset")
    assert text(presenter, ".dp-timer") == "0:00"
    presenter.click(".dp-pause")  # resume
    assert text(presenter, ".dp-pause") == "Pause"
    presenter.wait_for_function("document.querySelector('.dp-timer').textContent === '0:01'",
                                timeout=3000)
    presenter.keyboard.press("r")
    assert text(presenter, ".dp-timer") == "0:00"


def test_the_presenter_finds_the_deck_again_after_a_reload(page, deck_html, deck_tools):
    deck_tools.open(page, deck_html)
    presenter = open_presenter(page)
    presenter.evaluate("window.__sameDocument = true")
    page.keyboard.press("ArrowRight")
    at(presenter, 1, 0)
    page.reload()  # what deckgen serve does when the page itself changed
    page.wait_for_function(READY)
    at(page, 1, 0)
    # The reloaded deck is driven by the presenter, and drives it, without pressing S again.
    presenter.keyboard.press("ArrowRight")
    at(page, 1, 1)
    page.keyboard.press("ArrowRight")
    at(presenter, 1, 2)
    # S finds the window it opened before the reload: no second window, no restart.
    page.keyboard.press("s")
    page.wait_for_timeout(300)
    assert len(page.context.pages) == 2
    assert presenter.evaluate("window.__sameDocument === true")
    assert page.errors_seen == [] and presenter.errors_seen == []


def test_keys_typed_into_a_field_in_the_presenter_stay_there(page, build_deck, deck_tools):
    path = build_deck("[slide]\n# One\n\n<input id='field'>\n\n[slide]\n# Two\n", "typing.txt")
    deck_tools.open(page, path)
    presenter = open_presenter(page)
    presenter.click("#field")
    presenter.keyboard.type("trb 2")
    assert presenter.evaluate("document.querySelector('#field').value") == "trb 2"
    presenter.wait_for_timeout(200)
    assert page.evaluate("[deckgen.index, deckgen.screenMode]") == [0, ""]
    assert text(presenter, ".dp-pause") == "Pause"


def test_presenter_over_http_with_deckgen_serve_reloads(browser, tmp_path):
    """Over http (deckgen serve): a change to the page's shell (the title) reloads both windows;
    they find each other again and keep driving each other."""
    from deckgen.serve import start

    deck = tmp_path / "talk.txt"
    deck.write_text(DECK, encoding="utf-8")
    running = start(deck, port=0)
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.errors_seen = []
        page.on("pageerror", lambda error: page.errors_seen.append(str(error)))
        page.goto(running.url)
        page.wait_for_function(READY)
        presenter = open_presenter(page)
        assert presenter.url.startswith("http://")
        page.keyboard.press("ArrowRight")
        at(presenter, 1, 0)
        page.evaluate("window.__before = true")
        presenter.evaluate("window.__before = true")
        deck.write_text(DECK.replace("title: Presenter", "title: Renamed"), encoding="utf-8")
        page.wait_for_function("() => !window.__before && document.title === 'Renamed'",
                               timeout=15_000)
        presenter.wait_for_function("() => !window.__before && document.title.includes('Renamed')",
                                    timeout=15_000)
        page.wait_for_function(READY)
        presenter.wait_for_function(READY)
        presenter.wait_for_function(CONNECTED)
        presenter.keyboard.press("ArrowRight")
        at(page, 1, 1)
        page.keyboard.press("ArrowRight")
        at(presenter, 1, 2)
        assert page.errors_seen == [] and presenter.errors_seen == []
    finally:
        context.close()
        running.stop()


def test_a_blocked_popup_is_explained(page, deck_html, deck_tools):
    deck_tools.open(page, deck_html)
    page.evaluate("window.open = () => null")
    page.keyboard.press("s")
    page.wait_for_function("() => { const t = document.querySelector('.deckgen-toast');"
                           " return t && !t.hidden && /allow pop-ups/.test(t.textContent); }")
    assert len(page.context.pages) == 1


def test_two_decks_do_not_drive_each_other(page, build_deck, deck_tools, deck_html):
    """Messages name the deck file: another deck's presenter (same browser) is not followed."""
    other = build_deck(DECK.replace("Cover 封面", "Other deck"), "other.txt")
    deck_tools.open(page, deck_html)
    presenter = open_presenter(page)
    second = page.context.new_page()
    deck_tools.open(second, other)
    second.keyboard.press("End")
    second.wait_for_function("deckgen.index === 3")
    page.wait_for_timeout(400)
    assert presenter.evaluate("deckgen.index") == 0 and page.evaluate("deckgen.index") == 0


def test_no_second_file_needed(deck_html, tmp_path, page, deck_tools):
    """The presenter window is the deck file itself: copied alone anywhere, it still works."""
    lonely = tmp_path / "alone" / "talk.html"
    lonely.parent.mkdir()
    shutil.copy(deck_html, lonely)
    deck_tools.open(page, lonely)
    presenter = open_presenter(page)
    assert presenter.url.split("?")[0] == lonely.as_uri()
    page.keyboard.press("ArrowRight")
    at(presenter, 1, 0)


def test_a_presenter_window_opened_by_hand_finds_the_deck(page, deck_html, deck_tools):
    """Without an opener (the address typed, or the window closed and opened again) the
    presenter finds the deck through the BroadcastChannel."""
    deck_tools.open(page, deck_html, "#/2")
    presenter = page.context.new_page()
    presenter.goto(deck_html.as_uri() + "?deckgen-presenter#/4")
    presenter.wait_for_function(READY)
    presenter.wait_for_function(CONNECTED)
    at(presenter, 1, 0)  # it shows where the deck is, not where its own address said
    presenter.keyboard.press("ArrowRight")
    at(page, 1, 1)
    page.keyboard.press("ArrowRight")
    at(presenter, 1, 2)


def test_the_presenter_keeps_to_the_window_that_opened_it(page, deck_html, deck_tools):
    """The same deck open in another tab does not take the presenter over."""
    deck_tools.open(page, deck_html)
    presenter = open_presenter(page)
    other = page.context.new_page()
    deck_tools.open(other, deck_html)
    other.keyboard.press("End")
    other.wait_for_function("deckgen.index === 3")
    page.wait_for_timeout(2500)  # more than two heartbeats
    assert presenter.evaluate("[deckgen.index, deckgen.step]") == [0, 0]
    page.keyboard.press("ArrowRight")
    at(presenter, 1, 0)
