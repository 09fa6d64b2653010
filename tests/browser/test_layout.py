"""nodeppt's layout in Chromium: one alignment rule on every kind of keras slide, the centred
900px column, code sized from the body text, long slides shrunk no lower than they need (and
never below a readable code size), and the "more below" cue on slides that scroll."""

from __future__ import annotations

import pytest

from deckgen.themes import available_themes

pytestmark = pytest.mark.browser

SETTLED = "document.fonts.ready.then(() => new Promise(r => requestAnimationFrame(() => r(true))))"
COLUMN = 900
READABLE_CODE_PX = 12  # on the 1280x720 canvas, at the smallest scale fit.js uses

# Every visible block of the current slide: its kind, text-align and where its box is relative
# to the slide content's column (all in canvas px: the window here is 1280x720).
BLOCKS = """() => {
    const slide = deckgen.current(), content = slide.querySelector('.slide-content');
    const c = content.getBoundingClientRect();
    const out = {scale: slide.getAttribute('data-scale'), column: [c.left, c.right], blocks: []};
    for (const el of content.querySelectorAll('h1, h2, h3, p, ul, ol, pre, blockquote, table')) {
        if (el.closest('li, blockquote, td, th') && !['UL', 'OL'].includes(el.tagName)) continue;
        if (el.parentElement.closest('li')) continue;  // nested lists follow their item
        const r = el.getBoundingClientRect();
        if (!r.width) continue;
        out.blocks.push({tag: el.tagName.toLowerCase(), align: getComputedStyle(el).textAlign,
                         left: r.left - c.left, right: c.right - r.right, width: r.width,
                         weight: getComputedStyle(el).fontWeight});
    }
    return out;
}"""

# keras slides of each kind: a cover (h1 alone), h1 + paragraphs + list, h1 + long list,
# h2 + list, h1 + paragraph + image, code with a line of text, the long last slide.
KINDS = {1: {"h1"}, 3: {"h1", "p", "ul"}, 4: {"h1", "ul"}, 5: {"h2", "ul"},
         6: {"h1", "p"}, 10: {"p", "pre"}, 21: {"h1", "p", "ul", "pre"}}


def test_one_alignment_rule_on_every_kind_of_keras_slide(page, keras_html, deck_tools):
    deck_tools.open(page, keras_html)
    page.evaluate(SETTLED)
    for number, kinds in KINDS.items():
        deck_tools.go(page, number)
        page.evaluate(SETTLED)
        found = page.evaluate(BLOCKS)
        tags = {b["tag"] for b in found["blocks"]}
        assert kinds <= tags, (number, tags)
        left, right = found["column"]
        if found["scale"] is None:  # the column: 900px, centred on the canvas
            assert right - left == pytest.approx(COLUMN, abs=1), (number, found["column"])
            assert left + right == pytest.approx(1280, abs=1), (number, found["column"])
        for block in found["blocks"]:
            where = (number, block)
            if block["tag"] in ("h1", "h2", "h3", "p"):
                # Headings and paragraphs: centred text across the whole column.
                assert block["align"] == "center", where
                assert block["left"] == pytest.approx(0, abs=1), where
                assert block["right"] == pytest.approx(0, abs=1), where
            else:
                # Lists, code, quotes, tables: left-aligned text in a block centred in it.
                assert block["align"] == "left", where
                assert block["left"] == pytest.approx(block["right"], abs=1.5), where
        # nodeppt: an h2 on a slide without a ---- header is not bold.
        for block in found["blocks"]:
            if block["tag"] == "h2":
                assert block["weight"] == "400", (number, block)


def test_a_short_list_is_centred_as_a_block(page, build_deck, deck_tools):
    path = build_deck("title: t\n\n[slide]\n## 列表\n\n- 一\n- 二二\n- 三三三\n\n[slide]\n"
                      "# 左 {:&.flexbox.vleft}\n\n- 一\n- 二\n", "list.md")
    deck_tools.open(page, path)
    found = page.evaluate(BLOCKS)
    ul = next(b for b in found["blocks"] if b["tag"] == "ul")
    assert ul["width"] < 300 and ul["left"] == pytest.approx(ul["right"], abs=1), ul
    # In nodeppt's flexbox vleft everything sits at the column's left edge, lists too.
    deck_tools.go(page, 2)
    found = page.evaluate(BLOCKS)
    assert [(b["tag"], b["align"], round(b["left"])) for b in found["blocks"]] == \
        [("h1", "left", 0), ("ul", "left", 0)]


# -- code size and fitting -----------------------------------------------------------------------

CODE_LINES = "".join(f"    value_{n} = compute(value_{n - 1}, step={n})  # line {n}\n"
                     for n in range(1, 81))
LONG_CODE = f"""title: code

[slide]
## 很长的代码

```python
def run():
{CODE_LINES}```

[slide style="font-size: 40px"]
## 大字

```python
print("big")
```

[slide]
## 短

```python
print("short")
```
"""

CODE_SIZE = """() => {
    const slide = deckgen.current(), pre = slide.querySelector('pre');
    const scale = parseFloat(slide.getAttribute('data-scale') || '1');
    const line = pre.querySelector('code');
    return {body: parseFloat(getComputedStyle(slide).fontSize),
            code: parseFloat(getComputedStyle(line).fontSize), scale,
            shown: parseFloat(getComputedStyle(line).fontSize) * scale,
            family: getComputedStyle(pre).fontFamily,
            scrolling: slide.classList.contains('is-scrolling')};
}"""


def test_code_size_follows_the_body_and_stays_readable_when_shrunk(page, build_deck, deck_tools):
    path = build_deck(LONG_CODE, "code.md")
    deck_tools.open(page, path)
    page.evaluate(SETTLED)
    long = page.evaluate(CODE_SIZE)
    # 80 lines cannot fit: the slide shrinks to its floor, scrolls, and its code is still readable.
    assert long["scale"] == pytest.approx(0.6) and long["scrolling"], long
    assert long["shown"] >= READABLE_CODE_PX, long
    assert long["family"].startswith('"Source Code Pro"'), long
    deck_tools.go(page, 2)
    big = page.evaluate(CODE_SIZE)
    deck_tools.go(page, 3)
    short = page.evaluate(CODE_SIZE)
    # em-based: code is the same fraction of the body text on every slide (20px at nodeppt's 26).
    assert short["body"] == 26 and short["code"] == pytest.approx(20, abs=0.1), short
    assert big["body"] == 40 and big["code"] / big["body"] == pytest.approx(
        short["code"] / short["body"], rel=0.01), big
    # The embedded face really is the one drawn (no network, no system copy needed).
    assert page.evaluate("document.fonts.check('20px \"Source Code Pro\"', 'x = 1')")
    assert page.evaluate("""Array.from(document.fonts).some(f => f.family.replace(/"/g, '') ===
        'Source Code Pro' && f.status === 'loaded')""")


def _paragraphs(n: int) -> str:
    return "".join(f"第 {i} 段：一些文字，让这一页比画布高一点点。\n\n" for i in range(1, n + 1))


FIT_DECK = f"""title: fit

[slide]
## 刚好放不下

{_paragraphs(15)}
[slide]
## 长列表

{"".join(f"- 第 {i} 项：这是很长的一行文字，用来把列表撑满整栏，放宽就放下了。" + chr(10) for i in range(1, 8))}
"""

# Would the slide's content still fit at this scale (measured as fit.js measures it)?
FITS_AT = """(scale) => {
    const slide = deckgen.current(), content = slide.querySelector('.slide-content');
    const style = getComputedStyle(slide);
    const space = {width: slide.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight),
                   height: slide.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom)};
    const saved = [content.style.width, content.style.transform, content.style.marginBottom];
    content.style.transform = ''; content.style.marginBottom = '';
    content.style.width = (space.width / scale) + 'px';
    const fits = content.offsetHeight * scale <= space.height + 0.5;
    [content.style.width, content.style.transform, content.style.marginBottom] = saved;
    return fits;
}"""


def test_fit_shrinks_no_lower_than_needed(page, build_deck, deck_tools):
    path = build_deck(FIT_DECK, "fit.md")
    deck_tools.open(page, path)
    page.evaluate(SETTLED)
    scale = float(page.evaluate("deckgen.current().getAttribute('data-scale')"))
    assert 0.6 < scale < 1
    assert page.evaluate(FITS_AT, scale)
    assert not page.evaluate(FITS_AT, min(1, scale + 0.01))  # any larger would not fit
    inside = page.evaluate("""() => { const s = deckgen.current().getBoundingClientRect();
        const c = deckgen.current().querySelector('.slide-content').getBoundingClientRect();
        return c.top >= s.top - 1 && c.bottom <= s.bottom + 1 && c.left >= s.left - 1 &&
               c.right <= s.right + 1 && Math.abs((c.left - s.left) - (s.right - c.right)) < 1.5; }""")
    assert inside  # whole, and centred
    # A slide that fits once given the slide's full width is not shrunk at all.
    deck_tools.go(page, 2)
    page.evaluate(SETTLED)
    assert page.evaluate("""() => [deckgen.current().getAttribute('data-scale'),
        deckgen.current().querySelector('.slide-content').style.transform]""") == ["1.000", ""]


# -- the "more below" cue ------------------------------------------------------------------------

CUE_DECK = "title: Long\ntheme: {theme}\n\n[slide]\n# 很长的一页\n\n" + "".join(
    f"- item {n}: some words to make the line\n" for n in range(1, 61)) + \
    "\n[slide]\n# 短的一页\n\n一行字\n"

CUE = """() => {
    const cue = document.querySelector('.deckgen-more');
    if (!cue || cue.hidden || getComputedStyle(cue).display === 'none') return {shown: false};
    const r = cue.getBoundingClientRect();
    const k = document.querySelector('.deckgen-canvas').getBoundingClientRect();
    const arrow = getComputedStyle(cue, '::before');
    return {shown: true, content: arrow.content, bottom: r.bottom - k.bottom,
            left: r.left - k.left, right: k.right - r.right, height: r.height,
            colour: getComputedStyle(cue).color,
            under: getComputedStyle(deckgen.current()).backgroundColor,
            backdrop: getComputedStyle(cue).backgroundImage};
}"""


def _contrast_function():
    # The contrast formula of test_contrast.py, loaded from its file (any pytest import mode).
    import importlib.util
    from pathlib import Path

    path = Path(__file__).with_name("test_contrast.py")
    spec = importlib.util.spec_from_file_location("_deckgen_contrast_formula", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.contrast


def _rgb(value: str) -> str:
    parts = value[value.index("(") + 1:value.index(")")].replace(",", " ").split()
    return "#" + "".join(f"{round(float(p)):02x}" for p in parts[:3])


@pytest.mark.parametrize("theme", available_themes())
def test_more_below_cue(page, build_deck, deck_tools, theme):
    contrast = _contrast_function()
    path = build_deck(CUE_DECK.format(theme=theme), f"cue-{theme}.md")
    deck_tools.open(page, path)
    page.evaluate(SETTLED)
    assert page.evaluate("deckgen.current().classList.contains('is-scrolling')")
    cue = page.evaluate(CUE)
    assert cue["shown"] and cue["content"] == '"\u2193"', cue
    # Along the canvas's bottom edge, full width, fading into the slide's own colour.
    assert abs(cue["bottom"]) < 1 and abs(cue["left"]) < 1 and abs(cue["right"]) < 1, cue
    assert "linear-gradient" in cue["backdrop"] and cue["under"].replace(" ", "") in \
        cue["backdrop"].replace(" ", ""), cue
    # The arrow is drawn where the fade is already the slide's colour: it reads there.
    assert contrast(_rgb(cue["colour"]), _rgb(cue["under"])) >= 4.5, cue
    # Scrolled to the end, the cue goes; back up, it returns.
    page.evaluate("deckgen.current().scrollTop = deckgen.current().scrollHeight")
    page.wait_for_function("document.querySelector('.deckgen-more').hidden")
    ends = page.evaluate("""() => { const s = deckgen.current();
        const last = s.querySelector('li:last-child').getBoundingClientRect();
        return [s.scrollTop + s.clientHeight >= s.scrollHeight - 1,
                last.bottom <= s.getBoundingClientRect().bottom + 1,
                s.getBoundingClientRect().bottom - last.bottom]; }""")
    # The scroll ends where the content does (no empty run below the last item).
    assert ends[0] and ends[1] and ends[2] < 60, ends
    page.evaluate("deckgen.current().scrollTop = 0")
    page.wait_for_function("!document.querySelector('.deckgen-more').hidden")
    # A slide that does not scroll has no cue.
    deck_tools.go(page, 2)
    assert page.evaluate(CUE) == {"shown": False}
    deck_tools.go(page, 1)
    assert page.evaluate(CUE)["shown"]
