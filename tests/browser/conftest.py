"""Real-browser tests: Playwright driving Debian's Chromium (never a downloaded browser).

One Chromium is started per session and every test gets a fresh context (so no cookies, history
or viewport leak between tests). Decks are built once per session into a temporary folder and
opened from file://, exactly as a speaker would open the output.

Where the browser cannot run: locally the tests are skipped; with CI set to a true value they
fail, naming what to install, so a CI machine without a browser cannot pass silently.
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import struct
import zlib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
KERAS = REPO / "decks" / "keras.txt"
KERAS_SLIDES = 21
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",  # running as root (CI, containers) needs it
    "--disable-gpu",
    # This machine's network is closed: stop Chromium phoning home on its own.
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-default-apps",
]
INSTALL_HINT = ("install Debian's Chromium (`apt-get install chromium`) and the Python package "
                "playwright (`pip install -e .[test]`), or point DECKGEN_CHROMIUM at a Chromium "
                "binary; do not run `playwright install`")
READY = "() => !!(window.deckgen && document.querySelector('.deckgen.is-ready'))"


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


def _unavailable(reason: str):
    if _truthy(os.environ.get("CI")):
        pytest.fail(f"browser tests cannot run on CI: {reason}; {INSTALL_HINT}", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason}")


@pytest.hookimpl(tryfirst=True)  # before ``-m`` deselects by marker
def pytest_collection_modifyitems(config, items):
    """Every test here that drives the browser carries the ``browser`` marker (the modules
    say ``pytestmark = pytest.mark.browser`` too; this catches one that forgets)."""
    here = Path(__file__).resolve().parent
    for item in items:
        path = Path(str(getattr(item, "path", item.fspath))).resolve()
        if here in path.parents and "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


# -- the browser ---------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        _unavailable(f"the playwright package is not importable ({exc})")
    executable = os.environ.get("DECKGEN_CHROMIUM") or DEFAULT_CHROMIUM
    if not (os.path.isfile(executable) or shutil.which(executable)):
        _unavailable(f"no Chromium at {executable}")
    manager = sync_playwright().start()
    try:
        chromium = manager.chromium.launch(executable_path=shutil.which(executable) or executable,
                                           args=CHROMIUM_ARGS)
    except PlaywrightError as exc:
        manager.stop()
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
        _unavailable(f"Chromium at {executable} did not start ({first})")
    yield chromium
    chromium.close()
    manager.stop()


@pytest.fixture()
def new_page(browser):
    """A factory for pages, each in its own context; every http(s) request is aborted (the
    tests never touch the network) and recorded in ``page.requests_seen``."""
    contexts = []

    def make(width: int = 1280, height: int = 720, reduced_motion: str = "reduce", **options):
        context = browser.new_context(viewport={"width": width, "height": height},
                                      reduced_motion=reduced_motion, **options)
        contexts.append(context)
        context.route(re.compile(r"^(https?|wss?|ftp)://", re.I), lambda route: route.abort())
        page = context.new_page()
        page.set_default_timeout(10_000)
        seen: list[str] = []
        page.on("request", lambda request: seen.append(request.url))
        page.requests_seen = seen
        page.errors_seen = []
        page.on("pageerror", lambda error: page.errors_seen.append(str(error)))
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture()
def page(new_page):
    return new_page()


@pytest.fixture()
def moving_page(new_page):
    """A page with motion allowed (``page`` asks for reduced motion), offline like the rest."""
    return new_page(reduced_motion="no-preference")


# -- building decks ------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def build_deck(tmp_path_factory):
    """Build deck text into an HTML file and return its path. ``base`` is the deck's folder
    (relative image paths start there); the output goes to a fresh temporary folder."""
    from deckgen.build import build_text, write_atomic

    out_root = tmp_path_factory.mktemp("decks")
    counter = iter(range(1_000_000))

    def build(text: str, name: str = "deck.txt", base: Path | None = None) -> Path:
        base = base or tmp_path_factory.mktemp("src")
        result = build_text(text, name, base)
        target = out_root / f"{next(counter):03d}-{Path(name).stem}.html"
        write_atomic(target, result.html)
        return target

    return build


@pytest.fixture(scope="session")
def keras_path() -> Path:
    return KERAS


@pytest.fixture(scope="session")
def keras_html(tmp_path_factory):
    """decks/keras.txt built once, as the CLI would."""
    from deckgen.build import build_file, write_atomic

    result = build_file(KERAS)
    assert len(result.slides) == KERAS_SLIDES
    target = tmp_path_factory.mktemp("keras") / "keras.html"
    write_atomic(target, result.html)
    return target


# -- driving a deck --------------------------------------------------------------------------------

def open_deck(page, path: Path, fragment: str = ""):
    """Open a built deck from file:// and wait until the runtime has started."""
    page.goto(path.as_uri() + fragment)
    page.wait_for_function(READY)
    return page


def deck_state(page) -> dict:
    return page.evaluate("""() => {
        const bar = document.querySelector('.deckgen-progress-bar');
        const track = document.querySelector('.deckgen-progress');
        return {
            index: deckgen.index,
            hash: location.hash,
            number: document.querySelector('.deckgen-number').textContent.replace(/\\s+/g, ' ').trim(),
            current: Array.from(document.querySelectorAll('.deckgen-canvas > section.slide'))
                .filter(s => s.classList.contains('is-current')).map(s => s.dataset.index),
            visible: Array.from(document.querySelectorAll('.deckgen-canvas > section.slide'))
                .filter(s => getComputedStyle(s).display !== 'none').map(s => s.dataset.index),
            barFraction: bar.getBoundingClientRect().width / track.getBoundingClientRect().width,
        };
    }""")


def wait_for_slide(page, number: int, total: int = KERAS_SLIDES) -> dict:
    """Wait until slide ``number`` (1-based) is shown everywhere the page shows it: the deck
    index, the hash, the "N / total" number and the progress bar (its width is animated unless
    reduced motion is on, so it is waited for too). Returns the state."""
    page.wait_for_function(
        """([n, total]) => {
            const bar = document.querySelector('.deckgen-progress-bar');
            const track = document.querySelector('.deckgen-progress');
            const fraction = bar.getBoundingClientRect().width / track.getBoundingClientRect().width;
            return deckgen.index === n - 1 && location.hash === '#/' + n &&
                document.querySelector('.deckgen-current').textContent === String(n) &&
                Math.abs(fraction - n / total) < 0.002;
        }""", arg=[number, total])
    state = deck_state(page)
    assert state["number"] == f"{number} / {total}"
    assert state["current"] == [str(number)] and state["visible"] == [str(number)]
    return state


def go(page, number: int) -> None:
    page.evaluate("n => deckgen.go(n - 1)", number)
    page.wait_for_function("n => deckgen.index === n - 1", arg=number)


@pytest.fixture()
def deck_tools():
    """The helpers above, for the test modules (fixtures work under any import mode)."""
    class Tools:
        open = staticmethod(open_deck)
        state = staticmethod(deck_state)
        wait_for_slide = staticmethod(wait_for_slide)
        go = staticmethod(go)
        screenshot_stats = staticmethod(screenshot_stats)
        png = staticmethod(png_bytes)
    return Tools


# -- pictures ------------------------------------------------------------------------------------

def screenshot_stats(page, png: bytes) -> dict:
    """Distinct colours and the share of pixels unlike the most common colour, of a PNG,
    computed by the browser's own decoder (in a blank page of the same context)."""
    helper = page.context.new_page()
    try:
        return helper.evaluate("""async (data) => {
            const image = new Image();
            image.src = 'data:image/png;base64,' + data;
            await image.decode();
            const canvas = document.createElement('canvas');
            canvas.width = image.naturalWidth; canvas.height = image.naturalHeight;
            const context = canvas.getContext('2d');
            context.drawImage(image, 0, 0);
            const pixels = new Uint32Array(context.getImageData(0, 0, canvas.width, canvas.height).data.buffer);
            const counts = new Map();
            for (const p of pixels) counts.set(p, (counts.get(p) || 0) + 1);
            let top = 0;
            for (const n of counts.values()) top = Math.max(top, n);
            return {width: canvas.width, height: canvas.height, colours: counts.size,
                    foreground: 1 - top / pixels.length};
        }""", base64.b64encode(png).decode("ascii"))
    finally:
        helper.close()


def png_bytes(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A small valid PNG of one colour (for local images the build embeds)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data +
                struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    row = b"\x00" + bytes(rgb) * width
    return (b"\x89PNG\r\n\x1a\n" +
            chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(row * height)) + chunk(b"IEND", b""))
