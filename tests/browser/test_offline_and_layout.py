"""The built page is self-contained (no requests but its own file and data: URIs), draws
something, fits long slides inside the canvas and keeps the canvas 16:9 in any window."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

TOTAL = 21
KERAS_REMOTE_IMAGES = {
    "https://s3.amazonaws.com/keras.io/img/keras-logo-2018-large-1200.png",
    "https://s3.amazonaws.com/keras.io/img/dl_frameworks_power_scores.png",
}
SETTLED = "document.fonts.ready.then(() => new Promise(r => requestAnimationFrame(() => r(true))))"

# Where a slide's content is, relative to its section and the canvas, as the user sees it.
BOXES = """(number) => {
    const section = document.querySelectorAll('.deckgen-canvas > section.slide')[number - 1];
    const content = section.querySelector('.slide-content');
    const box = el => { const r = el.getBoundingClientRect();
                        return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; };
    return {section: box(section), content: box(content),
            canvas: box(document.querySelector('.deckgen-canvas')),
            scale: section.getAttribute('data-scale'),
            scaled: section.classList.contains('is-scaled'),
            scrolling: section.classList.contains('is-scrolling'),
            viewScale: parseFloat(getComputedStyle(document.querySelector('.deckgen'))
                                  .getPropertyValue('--deckgen-scale'))};
}"""


def _inside(inner: dict, outer: dict, slack: float = 1.0) -> bool:
    return (inner["left"] >= outer["left"] - slack and inner["top"] >= outer["top"] - slack and
            inner["right"] <= outer["right"] + slack and
            inner["bottom"] <= outer["bottom"] + slack)


def _walk_every_slide(page, deck_tools, total):
    for number in range(1, total + 1):
        deck_tools.go(page, number)
    page.evaluate(SETTLED)


# -- no network ----------------------------------------------------------------------------------

def test_offline_deck_makes_no_requests(page, tmp_path, keras_path, deck_tools, build_deck):
    """keras without its two remote <img> lines, and with its two local images present (so the
    build embeds them): the page asks for nothing but its own file and data: URIs."""
    lines = keras_path.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not ("<img" in line and "https://" in line)]
    assert len(lines) - len(kept) == 2
    images = tmp_path / "img" / "cloud" / "deep"
    images.mkdir(parents=True)
    for name, colour in (("keras01.png", (200, 30, 30)), ("keras02.png", (30, 30, 200))):
        (images / name).write_bytes(deck_tools.png(32, 16, colour))
    base = tmp_path / "decks" / "keras"
    base.mkdir(parents=True)
    path = build_deck("".join(kept), "keras.txt", base)

    deck_tools.open(page, path)
    _walk_every_slide(page, deck_tools, TOTAL)
    page.wait_for_load_state("load")
    document = path.as_uri()
    strays = [url for url in page.requests_seen
              if url.split("#")[0] != document and not url.startswith("data:")]
    assert strays == []
    assert page.requests_seen[0].split("#")[0] == document
    # The local images really are inside the page, decoded.
    assert page.evaluate("""() => Array.from(document.images).map(
        i => [i.src.slice(0, 14), i.complete && i.naturalWidth])""") == \
        [["data:image/png", 32], ["data:image/png", 32]]
    assert page.errors_seen == []


def test_keras_only_remote_requests_are_its_images(page, keras_html, deck_tools):
    deck_tools.open(page, keras_html)
    _walk_every_slide(page, deck_tools, TOTAL)
    page.wait_for_load_state("load")
    remote = {url for url in page.requests_seen if not url.startswith(("file:", "data:"))}
    assert remote == KERAS_REMOTE_IMAGES
    assert page.errors_seen == []


# -- pixels --------------------------------------------------------------------------------------

def test_first_slide_is_not_blank(page, keras_html, deck_tools):
    deck_tools.open(page, keras_html)
    deck_tools.wait_for_slide(page, 1)
    page.evaluate(SETTLED)
    stats = deck_tools.screenshot_stats(page, page.screenshot())
    assert (stats["width"], stats["height"]) == (1280, 720)
    # A one-colour page has 1 colour and 0 foreground; the title alone, anti-aliased, gives
    # dozens of colours and about 1% of the pixels.
    assert stats["colours"] > 20, stats
    assert stats["foreground"] > 0.004, stats


# -- long slides fit -----------------------------------------------------------------------------

def test_last_slide_fits_inside_the_canvas(page, keras_html, deck_tools):
    deck_tools.open(page, keras_html, f"#/{TOTAL}")
    deck_tools.wait_for_slide(page, TOTAL)
    page.evaluate(SETTLED)
    boxes = page.evaluate(BOXES, TOTAL)
    assert boxes["scaled"] and not boxes["scrolling"], boxes
    assert 0.6 <= float(boxes["scale"]) < 1, boxes
    assert _inside(boxes["content"], boxes["section"]), boxes
    assert _inside(boxes["content"], boxes["canvas"]), boxes


def test_every_keras_slide_fits(page, keras_html, deck_tools):
    deck_tools.open(page, keras_html)
    page.evaluate(SETTLED)
    for number in range(1, TOTAL + 1):
        deck_tools.go(page, number)
        boxes = page.evaluate(BOXES, number)
        assert not boxes["scrolling"], (number, boxes)
        assert _inside(boxes["content"], boxes["section"]), (number, boxes)


# -- the window ----------------------------------------------------------------------------------

@pytest.mark.parametrize("width, height", [(800, 800), (1600, 700), (1280, 720), (375, 667),
                                           (2560, 1440)])
def test_resize_keeps_canvas_16_9_letterboxed(page, keras_html, deck_tools, width, height):
    deck_tools.open(page, keras_html, f"#/{TOTAL}")
    deck_tools.wait_for_slide(page, TOTAL)
    page.set_viewport_size({"width": width, "height": height})
    expected = min(width / 1280, height / 720)
    page.wait_for_function(
        "s => Math.abs(document.querySelector('.deckgen-canvas').getBoundingClientRect().width"
        " - 1280 * s) < 0.5", arg=expected)
    boxes = page.evaluate(BOXES, TOTAL)
    canvas = boxes["canvas"]
    w, h = canvas["right"] - canvas["left"], canvas["bottom"] - canvas["top"]
    assert w / h == pytest.approx(16 / 9, rel=2e-3)
    # Letterboxed: it touches two opposite edges of the window and is centred on both axes.
    assert w == pytest.approx(width, abs=1) or h == pytest.approx(height, abs=1)
    assert canvas["left"] == pytest.approx(width - canvas["right"], abs=1)
    assert canvas["top"] == pytest.approx(height - canvas["bottom"], abs=1)
    assert _inside(canvas, {"left": 0, "top": 0, "right": width, "bottom": height}, 0.5)
    # The long last slide still fits, at the same content scale as before.
    assert _inside(boxes["content"], boxes["section"]), boxes
    assert float(boxes["scale"]) >= 0.6
    # Where the canvas leaves room, the letterbox shows, not a slide.
    if w < width - 2 or h < height - 2:
        x, y = (1, height // 2) if w < width - 2 else (width // 2, 1)
        assert page.evaluate(
            "([x, y]) => !document.elementFromPoint(x, y).closest('section.slide')", [x, y])


LONG_DECK = "title: Long\n\n[slide]\n# A very long slide\n\n" + "".join(
    f"- item {n}: some words to make the line\n" for n in range(1, 61)) + \
    "\n[slide]\n# After\n"


def test_too_long_slide_scrolls_then_moves_on(page, build_deck, deck_tools):
    """Below the 0.6 floor a slide scrolls: the forward keys scroll it to its end first, the
    backward keys scroll it back, and only then do they change slides."""
    path = build_deck(LONG_DECK, "long.txt")
    deck_tools.open(page, path)
    deck_tools.wait_for_slide(page, 1, total=2)
    section = "deckgen.slides[0]"
    info = page.evaluate(f"""() => ({{scale: {section}.getAttribute('data-scale'),
        scrolling: {section}.classList.contains('is-scrolling'),
        overflow: {section}.scrollHeight - {section}.clientHeight}})""")
    assert info["scale"] == "0.600" and info["scrolling"] and info["overflow"] > 100, info
    presses = 0
    while page.evaluate(f"{section}.scrollTop < {section}.scrollHeight - {section}.clientHeight - 1"):
        before = page.evaluate(f"{section}.scrollTop")
        page.keyboard.press("Space")
        page.wait_for_function(f"{section}.scrollTop > {before}")
        assert deck_tools.state(page)["index"] == 0
        presses += 1
        assert presses < 20
    assert presses >= 1
    page.keyboard.press("ArrowUp")
    page.wait_for_function(f"{section}.scrollTop < {section}.scrollHeight - {section}.clientHeight - 1")
    assert deck_tools.state(page)["index"] == 0
    page.keyboard.press("End")
    deck_tools.wait_for_slide(page, 2, total=2)
