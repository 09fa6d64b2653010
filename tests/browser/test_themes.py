"""The keras deck in every built-in theme: the theme applies, the first slide draws something and
every slide, the long last one included, fits inside the canvas (the last at >= 0.6 scale)."""

from __future__ import annotations

import re

import pytest

from deckgen.themes import available_themes

pytestmark = pytest.mark.browser

TOTAL = 21
SETTLED = "document.fonts.ready.then(() => new Promise(r => requestAnimationFrame(() => r(true))))"
FIT = """(number) => {
    const section = deckgen.slides[number - 1];
    const content = section.querySelector('.slide-content');
    const s = section.getBoundingClientRect(), c = content.getBoundingClientRect();
    const k = document.querySelector('.deckgen-canvas').getBoundingClientRect();
    const inside = (a, b) => a.left >= b.left - 1 && a.top >= b.top - 1 &&
                             a.right <= b.right + 1 && a.bottom <= b.bottom + 1;
    return {scale: parseFloat(section.getAttribute('data-scale') || '1'),
            scrolling: section.classList.contains('is-scrolling'),
            inSection: inside(c, s), inCanvas: inside(c, k)};
}"""


@pytest.mark.parametrize("theme", available_themes())
def test_keras_in_theme(page, keras_path, build_deck, deck_tools, theme):
    text = keras_path.read_text(encoding="utf-8")
    text, count = re.subn(r"(?m)^theme:.*$", f"theme: {theme}", text)
    assert count == 1
    path = build_deck(text, f"keras-{theme}.txt", keras_path.parent)
    deck_tools.open(page, path)
    page.evaluate(SETTLED)

    # The theme's own colours reached the slide.
    # (read on the slide: the colors theme gives each slide its own)
    colours = page.evaluate("""() => {
        const root = getComputedStyle(deckgen.current());
        const probe = document.createElement('div');
        probe.style.color = root.getPropertyValue('--dg-bg').trim();
        document.body.appendChild(probe);
        const wanted = getComputedStyle(probe).color;
        probe.remove();
        return {wanted, actual: getComputedStyle(deckgen.current()).backgroundColor};
    }""")
    assert colours["actual"] == colours["wanted"], colours

    stats = deck_tools.screenshot_stats(page, page.screenshot())
    assert stats["colours"] > 20 and stats["foreground"] > 0.004, (theme, stats)

    for number in range(1, TOTAL + 1):
        deck_tools.go(page, number)
        fit = page.evaluate(FIT, number)
        assert not fit["scrolling"] and fit["inSection"] and fit["inCanvas"], (number, fit)
    last = page.evaluate(FIT, TOTAL)
    assert last["scale"] >= 0.6, (theme, last)
    # ... with its code still at a readable size (12px and up on the 1280x720 canvas).
    code = page.evaluate("""() => parseFloat(getComputedStyle(
        deckgen.current().querySelector('pre code')).fontSize)""")
    assert code * last["scale"] >= 12, (theme, code, last)


@pytest.mark.parametrize("theme", available_themes())
def test_a_4_3_window_shows_the_theme_around_the_canvas(page, build_deck, deck_tools, theme):
    """nodeppt's slides filled the window; deckgen keeps its 16:9 canvas, and the bands around
    it are the slide colour (black for colors, whose slides each have their own)."""
    path = build_deck(f"title: t\ntheme: {theme}\n\n[slide]\n# 4:3\n", f"band-{theme}.txt")
    page.set_viewport_size({"width": 1024, "height": 768})
    deck_tools.open(page, path)
    band, slide = page.evaluate("""() => [getComputedStyle(document.body).backgroundColor,
        getComputedStyle(deckgen.current()).backgroundColor]""")
    top = page.evaluate("document.elementFromPoint(512, 20).closest('section.slide')")
    assert top is None  # the band, not the slide
    assert band == ("rgb(0, 0, 0)" if theme == "colors" else slide), (band, slide)
