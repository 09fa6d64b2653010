"""deckgen serve in a real browser: edits show on the same slide, errors as an overlay."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

KERAS = Path(__file__).resolve().parents[2] / "decks" / "keras.txt"
READY = "() => !!(window.deckgen && document.querySelector('.deckgen.is-ready'))"

pytestmark = pytest.mark.browser

SLIDE5_HEADING = "## Keras 优先考虑开发人员的经验"


@pytest.fixture
def served(tmp_path: Path):
    from deckgen.serve import start

    deck = tmp_path / "keras.txt"
    shutil.copy(KERAS, deck)
    running = start(deck, port=0)
    yield running, deck
    running.stop()


@pytest.fixture
def live_page(browser):
    # Unlike the file:// tests, these pages must reach the preview server on 127.0.0.1.
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.errors_seen = []
    page.on("pageerror", lambda error: page.errors_seen.append(str(error)))
    yield page
    context.close()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def current_text(page) -> str:
    return page.evaluate("deckgen.current().textContent")


def test_edit_shows_on_the_same_slide_in_place(served, live_page):
    running, deck = served
    page = live_page
    page.goto(running.url + "#/5")
    page.wait_for_function(READY)
    page.wait_for_function("() => deckgen.index === 4")
    # Marks this document: a reload would lose it (and flash white).
    page.evaluate("window.__sameDocument = true")

    edit(deck, SLIDE5_HEADING, SLIDE5_HEADING + " (edited live)")
    page.wait_for_function("() => deckgen.current().textContent.includes('(edited live)')")
    assert page.evaluate("location.hash") == "#/5"
    assert page.evaluate("deckgen.index") == 4
    assert page.evaluate("window.__sameDocument === true"), "the page reloaded"
    assert page.evaluate("document.querySelector('.deckgen-current').textContent") == "5"
    assert page.evaluate("document.querySelectorAll('.deckgen-canvas > section.slide').length") == 21

    # Adding a slide updates the count in place too.
    deck.write_text(deck.read_text(encoding="utf-8") + "\n[slide]\n# 新的一页\n", encoding="utf-8")
    page.wait_for_function("() => deckgen.slides.length === 22")
    assert page.evaluate("document.querySelector('.deckgen-number').textContent")\
        .replace(" ", "") == "5/22"
    assert page.evaluate("window.__sameDocument === true")
    assert page.errors_seen == []


def test_build_error_overlay_appears_and_clears(served, live_page):
    running, deck = served
    page = live_page
    page.goto(running.url + "#/5")
    page.wait_for_function(READY)

    edit(deck, "theme: light", "theme: lihgt")
    overlay = page.wait_for_selector("#deckgen-error")
    message = overlay.text_content()
    assert "keras.txt:2: unknown theme 'lihgt' (did you mean 'light'?)" in message
    # The last good deck stays underneath, on the same slide.
    assert page.evaluate("document.querySelectorAll('.deckgen-canvas > section.slide').length") == 21
    assert page.evaluate("location.hash") == "#/5"

    edit(deck, "theme: lihgt", "theme: light")
    page.wait_for_selector("#deckgen-error", state="detached")
    assert page.evaluate("location.hash") == "#/5"
    assert SLIDE5_HEADING.lstrip("# ") in current_text(page)


def test_theme_change_updates_styles_in_place(served, live_page):
    running, deck = served
    page = live_page
    page.goto(running.url + "#/3")
    page.wait_for_function(READY)
    page.evaluate("window.__sameDocument = true")
    light = page.evaluate("getComputedStyle(deckgen.current()).backgroundColor")
    edit(deck, "theme: light", "theme: dark")
    page.wait_for_function(
        "(before) => getComputedStyle(deckgen.current()).backgroundColor !== before", arg=light)
    assert page.evaluate("location.hash") == "#/3"
    assert page.evaluate("window.__sameDocument === true")


def test_a_page_that_missed_a_rebuild_catches_up_when_it_connects(served, live_page):
    running, deck = served
    page = live_page
    import urllib.request

    stale = urllib.request.urlopen(running.url).read().decode("utf-8")
    edit(deck, SLIDE5_HEADING, SLIDE5_HEADING + " (missed)")
    preview_deck = running.preview.single
    page.wait_for_timeout(50)
    for _ in range(200):
        if "(missed)" in (preview_deck.good.html if preview_deck.good else ""):
            break
        page.wait_for_timeout(20)

    # Serve the stale page (an old build version) once, as if it had loaded before the save.
    def stale_document(route):
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=stale)

    page.route(running.url, stale_document)
    page.goto(running.url + "#/5")
    page.wait_for_function(READY)
    page.wait_for_function("() => deckgen.current().textContent.includes('(missed)')")
    assert page.evaluate("location.hash") == "#/5"
