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


# -- what other pages can reach (DNS rebinding, other origins) ----------------------------------

def test_a_page_whose_name_is_rebound_to_this_machine_gets_nothing(served, browser):
    """DNS rebinding: a name the attacker owns resolves to 127.0.0.1. The browser is pointed at
    the preview as its proxy, so a request for http://rebind.test:PORT/ reaches the preview with
    ``Host: rebind.test:PORT``, as a rebound name's would."""
    running, _deck = served
    port = running.server.server_address[1]
    context = browser.new_context(proxy={"server": f"http://127.0.0.1:{port}"})
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        response = page.goto(f"http://rebind.test:{port}/")
        assert response.status == 403
        text = page.inner_text("body")
        assert text.startswith("deckgen serve does not answer requests for host "
                               f"'rebind.test:{port}'")
        assert "Keras" not in page.content()
        status = page.evaluate("fetch('/__deckgen/status').then(r => r.status)")
        assert status == 403
        # The same browser, through the same proxy, at the preview's own address: served.
        response = page.goto(running.url)
        assert response.status == 200
        page.wait_for_function(READY)
    finally:
        context.close()


def test_another_origin_cannot_use_the_endpoints(served, live_page, monkeypatch):
    """A page of another local server (http://127.0.0.1:OTHER) asks the preview's endpoints: the
    preview refuses (the browser sends ``Origin`` and ``Sec-Fetch-Site: same-site``)."""
    from deckgen.serve.server import Handler

    running, _deck = served
    refused: list[str] = []
    real_refusal = Handler._refusal

    def recording_refusal(handler, path):
        reason = real_refusal(handler, path)
        if reason is not None:
            refused.append(path)
        return reason

    monkeypatch.setattr(Handler, "_refusal", recording_refusal)
    other = _other_server()
    try:
        live_page.goto(f"http://127.0.0.1:{other.server_address[1]}/")
        outcome = _ask_endpoints(live_page, running.url)
    finally:
        other.shutdown()
        other.server_close()
    assert outcome == {"fetch": "blocked", "events": "error"}
    assert "/__deckgen/status" in refused and "/__deckgen/events" in refused
    # The preview's own page may (its live reload is the tests above).
    refused.clear()
    live_page.goto(running.url)
    live_page.wait_for_function(READY)
    status = live_page.evaluate("fetch('/__deckgen/status').then(r => r.json())")
    assert list(status["decks"]) == ["keras.html"]
    assert refused == []


def _other_server():
    """Another local web server (a page of another origin on this machine)."""
    import http.server
    import threading

    class Other(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = b"<!DOCTYPE html><title>other</title>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Other)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _ask_endpoints(page, base: str) -> dict:
    return page.evaluate("""async (base) => {
        const result = {};
        try { result.fetch = (await fetch(base + "__deckgen/status")).status; }
        catch (error) { result.fetch = "blocked"; }
        result.events = await new Promise(resolve => {
            const events = new EventSource(base + "__deckgen/events?deck=keras.html&v=0");
            events.onmessage = () => { events.close(); resolve("message"); };
            events.onerror = () => { events.close(); resolve("error"); };
        });
        return result;
    }""", base)
