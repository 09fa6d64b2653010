"""Images that cannot be shown are framed placeholders with their alt text or file name, in a
real browser with no network: remote images of keras (runtime/images.js swaps them when they
fail), missing local ones (the build writes the placeholder), broken embedded ones."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PLACEHOLDERS = """(selector) => Array.from(document.querySelectorAll(selector)).map(box => {
    const r = box.getBoundingClientRect();
    const style = getComputedStyle(box);
    return {label: box.getAttribute('aria-label'), role: box.getAttribute('role'),
            text: box.innerText.replace(/\\s+/g, ' ').trim(), width: r.width, height: r.height,
            border: style.borderTopStyle, src: box.getAttribute('data-deckgen-src')};
})"""
BROKEN_IMAGES = """() => Array.from(document.querySelectorAll('.slide img'))
    .filter(img => img.complete && img.naturalWidth === 0).length"""


def test_keras_remote_logo_offline_is_a_placeholder_not_a_broken_icon(page, keras_html,
                                                                       deck_tools):
    deck_tools.open(page, keras_html, "#/2")
    page.wait_for_function("document.querySelector('#slide-2 .deckgen-image-missing') && "
                           "document.querySelector('#slide-6 .deckgen-image-missing')")
    (logo,) = page.evaluate(PLACEHOLDERS, "#slide-2 .deckgen-image-missing")
    assert logo["label"] == logo["text"] == "keras-logo-2018-large-1200.png"
    assert logo["role"] == "img" and logo["border"] == "dashed"
    assert logo["src"] == "https://s3.amazonaws.com/keras.io/img/keras-logo-2018-large-1200.png"
    assert logo["width"] > 200 and logo["height"] > 30  # a box, not a 16 px icon
    assert page.evaluate(BROKEN_IMAGES) == 0
    # Slide 6's image had a width (style="width:500px"): the placeholder keeps it.
    deck_tools.go(page, 6)
    (chart,) = page.evaluate(PLACEHOLDERS, "#slide-6 .deckgen-image-missing")
    assert chart["width"] == pytest.approx(500, abs=1)
    assert chart["text"] == "dl_frameworks_power_scores.png"
    assert [u for u in page.requests_seen if u.startswith("http")] and not page.errors_seen


def test_missing_and_broken_local_images(page, build_deck, deck_tools, tmp_path):
    (tmp_path / "not-really.png").write_text("this is not a picture", encoding="utf-8")
    path = build_deck(
        "title: pictures\n[slide]\n## Pictures\n\n"
        "![A chart of sales](charts/sales.png) and "
        '<img src="gone.png" width="320" height="180">\n\n'
        '![Broken on purpose](not-really.png)\n', base=tmp_path)
    html = path.read_text(encoding="utf-8")
    assert html.count('class="deckgen-image-missing"') == 2  # written by the build
    deck_tools.open(page, path)
    page.wait_for_function("document.querySelectorAll('.deckgen-image-missing').length === 3")
    chart, gone, broken = page.evaluate(PLACEHOLDERS, ".slide .deckgen-image-missing")
    assert chart["label"] == "A chart of sales" and chart["text"] == "A chart of sales sales.png"
    assert gone["label"] == gone["text"] == "gone.png"
    assert (gone["width"], gone["height"]) == (320, 180)
    # Embedded, but not an image: the browser cannot decode it, the runtime swaps it.
    assert broken["label"] == "Broken on purpose" and broken["src"] is None
    assert broken["text"] == "Broken on purpose"
    assert page.evaluate(BROKEN_IMAGES) == 0 and not page.errors_seen


def test_an_image_failing_after_the_page_started_is_swapped(page, build_deck, deck_tools):
    held = []
    path = build_deck('[slide]\n# Late\n\n<img src="https://late.example/pic.png" alt="Late '
                      'picture" class="hero" style="border-radius: 4px">\n')
    page.route("https://late.example/**", lambda route: held.append(route))  # answered later
    # Not deck_tools.open: the load event waits for the held image.
    page.goto(path.as_uri(), wait_until="domcontentloaded")
    page.wait_for_function("() => !!(window.deckgen && document.querySelector('.is-ready'))")
    page.wait_for_function("document.querySelector('.slide img')")
    assert page.evaluate("document.querySelectorAll('.deckgen-image-missing').length") == 0
    for _ in range(250):  # the request reaches the route handler while the page runs
        if held:
            break
        page.wait_for_timeout(20)
    assert held, "the image was requested"
    held[0].abort()
    page.wait_for_function("document.querySelector('.deckgen-image-missing')")
    box = page.evaluate("""() => {
        const box = document.querySelector('.deckgen-image-missing');
        return {cls: box.className, style: box.getAttribute('style'),
                label: box.getAttribute('aria-label'), imgs: document.querySelectorAll('.slide img').length};
    }""")
    assert box == {"cls": "deckgen-image-missing hero", "style": "border-radius: 4px",
                   "label": "Late picture", "imgs": 0}


def test_images_that_failed_before_the_script_ran_are_found(page, build_deck, deck_tools):
    path = build_deck("[slide]\n# Scan\n")
    deck_tools.open(page, path)
    # An image that failed while nobody listened (outside the document), then scanned.
    result = page.evaluate("""async () => {
        const holder = document.createElement('div');
        holder.className = 'slide';
        const img = new Image();
        await new Promise(done => { img.onerror = done; img.src = 'data:image/png;base64,AAAA'; });
        img.setAttribute('width', '40');
        holder.appendChild(img);
        deckgen.scanImages(holder);
        await new Promise(done => setTimeout(done, 50));
        const box = holder.querySelector('.deckgen-image-missing');
        return box && [box.getAttribute('aria-label'), box.getAttribute('style'),
                       holder.querySelectorAll('img').length];
    }""")
    assert result == ["image", "width:40px;min-width:0;", 0]
