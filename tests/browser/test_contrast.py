"""WCAG AA contrast for every built-in theme, measured on what Chromium actually renders: each
visible piece of text against the background it is painted on. Headings (large text) need 3:1,
everything else 4.5:1. The sample has six slides, so the colors theme's six slide colours are
all measured.

The code colours are checked too: every token colour of each theme's Pygments style against that
style's background (that one needs no browser)."""

from __future__ import annotations

import pytest

from deckgen.themes import available_themes, load_theme

THEMES = available_themes()
BODY_MIN = 4.5
HEADING_MIN = 3.0

SAMPLE = """title: Contrast
theme: {theme}

[slide]
# Heading one
## Heading two
### Heading three

A paragraph with a [link](https://example.com/), `inline code`, **bold**, *italic*,
<mark>marked</mark> and <small>small print</small>.

> A blockquote with a [link](https://example.com/), `code` and <small>small print</small>.

A missing picture: ![A missing chart](no-such-chart.png)

[slide]
## A table

| Name | Value |
| --- | --- |
| a [link](https://example.com/) | `code` |
| plain | **bold** |

- a list item with `code`
- another with a [link](https://example.com/)

[slide]
### Code

```python
import os  # a comment
@decorator
class Point(Base):
    \"\"\"A docstring.\"\"\"
    def f(self, x: int = 0x1F) -> str:
        return f"{{x!r}} {{self.name}}" + 'b' * 2 if x else None
```

[slide]
```bash
# install
sudo pip install keras --upgrade && echo "done $HOME"
```

```json
{{"key": [1, 2.5, true, null], "name": "value"}}
```

```diff
- removed line
+ added line
@@ -1,2 +1,2 @@
```

[slide]
## Five: **bold**, a [link](https://example.com/) and `code`

> **Bold in a quote** and <mark>marked</mark>

[slide]
### Six

A paragraph with **bold**, *italic* and a [link](https://example.com/).

| **bold** | [link](https://example.com/) |
| --- | --- |
| <small>small</small> | *italic* |
"""

# Runs in the page: for each visible text node in the current slide, its colour, the colour of
# what is under it (the first opaque background up the tree, semi-transparent ones blended in)
# and the contrast ratio.
MEASURE = """() => {
    function parse(value) {
        const m = /rgba?\\(([^)]+)\\)/.exec(value);
        if (!m) return [0, 0, 0, 0];
        const parts = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(parseFloat);
        return [parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : 1];
    }
    function over(top, bottom) {
        const a = top[3];
        return [0, 1, 2].map(i => top[i] * a + bottom[i] * (1 - a)).concat([1]);
    }
    function luminance(c) {
        const [r, g, b] = c.slice(0, 3).map(v => {
            v /= 255;
            return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
        });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    }
    function ratio(a, b) {
        const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
        return (hi + 0.05) / (lo + 0.05);
    }
    function backdrop(element, base) {
        const layers = [];
        // With a base given, only the element's own background is laid over it.
        for (let node = element; node; node = base ? null : node.parentElement) {
            const colour = parse(getComputedStyle(node).backgroundColor);
            if (colour[3] > 0) layers.push(colour);
            if (colour[3] >= 1) break;
        }
        let result = base || [255, 255, 255, 1];
        for (let i = layers.length - 1; i >= 0; i--) result = over(layers[i], result);
        return result;
    }
    const hex = c => '#' + c.slice(0, 3).map(v => Math.round(v).toString(16).padStart(2, '0')).join('');
    function measure(element, base) {
        const style = getComputedStyle(element);
        const bg = backdrop(element, base);
        const fg = over(parse(style.color), bg);
        return {fg: hex(fg), bg: hex(bg), ratio: ratio(fg, bg), size: parseFloat(style.fontSize),
                weight: style.fontWeight};
    }
    const slide = deckgen.current();
    const seen = new Set();
    const out = [];
    const walker = document.createTreeWalker(slide, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const element = node.parentElement;
        if (!node.data.trim() || seen.has(element)) continue;
        seen.add(element);
        const style = getComputedStyle(element);
        if (style.visibility !== 'visible' || !element.getClientRects().length) continue;
        const heading = element.closest('h1, h2, h3, h4, h5, h6');
        out.push(Object.assign(measure(element), {
            text: node.data.trim().slice(0, 30),
            what: element.tagName.toLowerCase() + (element.className ? '.' + element.className : '') +
                  ' in ' + (['pre', 'blockquote', 'th', 'td', 'li', 'h1', 'h2', 'h3', 'h4', 'h5',
                             'h6', 'p'].map(s => element.closest(s)).find(Boolean) ||
                            element).tagName.toLowerCase(),
            heading: !!heading}));
    }
    // The slide number floats over the slide (and over the letterbox in a wide window).
    const number = document.querySelector('.deckgen-number');
    for (const [where, base] of [['slide', parse(getComputedStyle(slide).backgroundColor)],
                                 ['letterbox', parse(getComputedStyle(document.body).backgroundColor)]]) {
        out.push(Object.assign(measure(number, base), {text: 'slide number over ' + where,
                                                      what: 'deckgen-number', heading: false}));
    }
    return out;
}"""


def _slide_count(text: str) -> int:
    return text.count("\n[slide]")


@pytest.mark.browser
@pytest.mark.parametrize("theme", THEMES)
def test_theme_text_meets_wcag_aa(page, build_deck, deck_tools, theme, record_property):
    text = SAMPLE.format(theme=theme)
    total = _slide_count(text)
    path = build_deck(text, f"contrast-{theme}.txt")
    deck_tools.open(page, path)
    page.evaluate("document.fonts.ready")
    measured = []
    for number in range(1, total + 1):
        deck_tools.go(page, number)
        measured.extend(page.evaluate(MEASURE))
    kinds = {m["what"] for m in measured}
    # The sample really exercised what it is meant to.
    for wanted in ("h1 in h1", "h2 in h2", "h3 in h3", "p in p", "a in p", "code in p",
                   "p in blockquote", "a in blockquote", "code in blockquote", "th in th",
                   "td in td", "a in td", "code in td", "mark in p", "small in p",
                   "small in blockquote", "deckgen-number", "strong in p", "strong in blockquote",
                   "strong in td", "em in p",
                   "span.deckgen-image-missing-label in p", "span.deckgen-image-missing-file in p"):
        assert wanted in kinds, (wanted, sorted(kinds))
    assert sum(m["what"].startswith("span.") and m["what"].endswith(" in pre")
               for m in measured) >= 10
    failures = [m for m in measured
                if m["ratio"] < (HEADING_MIN if m["heading"] else BODY_MIN)]
    worst = min(measured, key=lambda m: m["ratio"])
    record_property("worst_contrast", f"{worst['ratio']:.2f} {worst['what']} "
                                      f"{worst['fg']} on {worst['bg']}")
    assert not failures, "\n".join(
        f"{theme}: {m['ratio']:.2f} {m['what']} {m['fg']} on {m['bg']} {m['text']!r}"
        for m in failures)


# -- code colours, in Python ---------------------------------------------------------------------

def _luminance(colour: str) -> float:
    value = colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    channels = []
    for i in (0, 2, 4):
        c = int(value[i:i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_formula():
    assert contrast("#000", "#fff") == pytest.approx(21)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast("#0550ae", "#0550ae") == pytest.approx(1)


@pytest.mark.parametrize("theme", THEMES)
def test_theme_code_style_token_colours(theme):
    """Every token colour of the theme's Pygments style reads against the code background
    (whitespace tokens draw nothing and are left out)."""
    from pygments.styles import get_style_by_name
    from pygments.token import Token

    from deckgen.highlight import style_css

    name = load_theme(theme, None, "deck.txt", None).pygments_style
    style = get_style_by_name(name)
    background = style.background_color or "#ffffff"
    failures = []
    for token, spec in style:
        if not spec["color"] or token in Token.Text.Whitespace:
            continue
        under = "#" + spec["bgcolor"] if spec["bgcolor"] else background
        ratio = contrast(spec["color"], under)
        if ratio < BODY_MIN:
            failures.append(f"{token} #{spec['color']} on {under}: {ratio:.2f}")
    assert not failures, f"{theme} ({name}):\n" + "\n".join(failures)
    # The plain-text colour deckgen adds for the style reads too.
    first = style_css(name).splitlines()[0]
    assert first.startswith("pre.highlight { color: #")
    plain = first.split("color: ")[1].split(";")[0]
    assert contrast(plain, background) >= BODY_MIN, (theme, plain, background)
