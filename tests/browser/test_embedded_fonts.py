"""The fonts a page embeds, in the real browser: Font Awesome icons drawn from the page's own
subset, and formulas whose brackets, roots and sums grow because the math font's MATH table is
there (the same page with the table taken out is the control: there they stay small)."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "nodeppt"
MATH_FACE = re.compile(r'(@font-face\{font-family:"deckgen-math";src:url\(data:font/woff;base64,)'
                       r'([^)]*)\)')
SETTLED = "document.fonts.ready.then(() => new Promise(r => requestAnimationFrame(() => r(true))))"


def _fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def _platform_fonts(page, selector: str, pseudo: bool = False) -> list[dict]:
    """The fonts Chromium drew an element's text with (DevTools' "Rendered Fonts")."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]
    node_id = cdp.send("DOM.querySelector", {"nodeId": root["nodeId"],
                                             "selector": selector})["nodeId"]
    if pseudo:
        node = cdp.send("DOM.describeNode", {"nodeId": node_id, "depth": 1})["node"]
        [before] = [p for p in node.get("pseudoElements", []) if p["pseudoType"] == "before"]
        node_id = cdp.send("DOM.pushNodesByBackendIdsToFrontend", {
            "backendNodeIds": [before["backendNodeId"]]})["nodeIds"][0]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node_id})["fonts"]
    cdp.detach()
    return fonts


# -- icons ------------------------------------------------------------------------------------------

def test_icons_are_drawn_with_the_embedded_font(page, build_deck, deck_tools):
    from fontTools.ttLib import TTFont

    from deckgen.fonts import FONT_AWESOME

    path = build_deck(_fixture("icons.md"), "icons.md", FIXTURES)
    deck_tools.open(page, path, "#/2")
    page.evaluate(SETTLED)
    faces = page.evaluate("""() => Array.from(document.fonts)
        .filter(f => f.family.replace(/"/g, '') === 'FontAwesome').map(f => f.status)""")
    assert faces == ["loaded"]
    selector = ".slide.is-current .fa-github"
    assert _platform_fonts(page, selector, pseudo=True) == [
        {"familyName": "FontAwesome", "postScriptName": "FontAwesome", "isCustomFont": True,
         "glyphCount": 1}]
    # As wide as the glyph's advance in the font (a missing-glyph box would not be), at 2x.
    font = TTFont(FONT_AWESOME.path)
    advance = font["hmtx"][font.getBestCmap()[0xF09B]][0] / font["head"].unitsPerEm
    size = page.evaluate("""(s) => { const e = document.querySelector(s);
        return {width: e.offsetWidth, font: parseFloat(getComputedStyle(e).fontSize),
                parent: parseFloat(getComputedStyle(e.parentElement).fontSize)}; }""", selector)
    assert size["font"] == pytest.approx(2 * size["parent"])  # fa-2x
    assert size["width"] == pytest.approx(advance * size["font"], abs=1)
    assert size["width"] > 0


def test_a_spinning_icon_spins(moving_page, build_deck, deck_tools):
    path = build_deck(_fixture("icons.md"), "icons.md", FIXTURES)
    deck_tools.open(moving_page, path, "#/2")
    name = moving_page.evaluate("""() => getComputedStyle(
        document.querySelector('.slide.is-current .fa-spin')).animationName""")
    assert name == "fa-spin"


# -- math ---------------------------------------------------------------------------------------------

# The stretched parenthesis against the fraction it encloses, and the display sum against the
# font size (Chromium takes both from the MATH table: size variants and glyph assemblies).
STRETCH = """() => {
    const maths = document.querySelectorAll('.slide.is-current math');
    const box = e => e.getBoundingClientRect();
    const paren = maths[0].querySelector('mo'), fraction = maths[0].querySelector('mfrac');
    const sum = maths[2].querySelector('munderover > mo');
    return {paren: box(paren).height / box(fraction).height,
            sum: box(sum).height / parseFloat(getComputedStyle(sum).fontSize)};
}"""


def _without_math_table(html: str) -> str:
    """The same page with the MATH table taken out of its embedded math font."""
    from fontTools.ttLib import TTFont

    match = MATH_FACE.search(html)
    assert match, "the page embeds no math font"
    font = TTFont(io.BytesIO(base64.b64decode(match.group(2))))
    del font["MATH"]
    out = io.BytesIO()
    font.save(out)
    data = base64.b64encode(out.getvalue()).decode("ascii")
    return html[:match.start(2)] + data + html[match.end(2):]


def test_brackets_roots_and_sums_stretch_with_the_embedded_font(page, build_deck, deck_tools,
                                                                 tmp_path):
    path = build_deck(_fixture("math-stretch.md"), "math-stretch.md", FIXTURES)
    deck_tools.open(page, path)
    page.evaluate(SETTLED)
    assert _platform_fonts(page, ".slide.is-current math mo") == [
        {"familyName": "deckgen-math", "postScriptName": "deckgen-math", "isCustomFont": True,
         "glyphCount": 1}]
    stretched = page.evaluate(STRETCH)

    control = tmp_path / "no-math-table.html"
    control.write_text(_without_math_table(path.read_text(encoding="utf-8")), encoding="utf-8")
    deck_tools.open(page, control)
    page.evaluate(SETTLED)
    flat = page.evaluate(STRETCH)

    # With the MATH table the parenthesis is taller than the stacked fraction and the display
    # sum is its large variant; without it they are the text glyphs.
    assert stretched["paren"] > 1.05, stretched
    assert flat["paren"] < 0.8, flat
    assert stretched["sum"] > 1.25, stretched
    assert flat["sum"] < 1.15, flat


def test_a_page_with_icons_and_math_makes_no_requests(page, build_deck, deck_tools):
    text = _fixture("icons.md") + "\n" + _fixture("math-stretch.md").split("\n\n", 1)[1]
    path = build_deck(text, "both.md", FIXTURES)
    deck_tools.open(page, path)
    total = page.evaluate("deckgen.slides.length")
    assert total == 6
    for number in range(1, total + 1):
        deck_tools.go(page, number)
        page.evaluate(SETTLED)
    families = page.evaluate("""() => Array.from(document.fonts)
        .map(f => [f.family.replace(/"/g, ''), f.status]).sort()""")
    assert families == [["FontAwesome", "loaded"], ["deckgen-math", "loaded"]]
    document = path.as_uri()
    assert [url for url in page.requests_seen
            if url.split("#")[0] != document and not url.startswith("data:")] == []
    assert page.errors_seen == []
