"""nodeppt's utility classes in Chromium: every built-in theme styles them, and every piece of
text they colour reads at WCAG AA (measured as test_contrast.py measures the theme's own text)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from deckgen.themes import available_themes

pytestmark = pytest.mark.browser

THEMES = available_themes()


def _measure_script() -> str:
    # The same measuring code as the theme contrast test, loaded from its file (so it works
    # under any pytest import mode).
    path = Path(__file__).with_name("test_contrast.py")
    spec = importlib.util.spec_from_file_location("_deckgen_contrast_measure", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.MEASURE


MEASURE = _measure_script()
BODY_MIN, HEADING_MIN = 4.5, 3.0
COLOURS = ["text-primary", "text-success", "text-warning", "text-danger", "text-info",
           "blue", "blue2", "blue3", "red", "red2", "red3", "green", "green2", "green3",
           "yellow", "yellow2", "yellow3", "gray", "gray2", "gray3"]
KINDS = ["default", "primary", "success", "info", "warning", "danger"]


def spans(classes, prefix="") -> str:
    return "".join(f'<span class="{prefix}{c}">{c}</span>' for c in classes)


SAMPLE = f"""title: nodeppt 样式
theme: {{theme}}

[slide]
## 文字颜色 text

{spans(COLOURS[:5])}

{spans(COLOURS[5:14])}

{spans(COLOURS[14:])} <mark>mark</mark> <span class="blue-2">blue-2</span>

[slide]
## label and button

{"".join(f'<span class="label label-{k}">label-{k}</span>' for k in KINDS)}

<a href="#" class="label-danger">a.label-danger</a> <a href="#" class="label-primary">a.label-primary</a>

{"".join(f'<button class="btn btn-{k}">btn-{k}</button> ' for k in KINDS)}

<button class="btn btn-lg btn-default">btn-lg</button> <button class="btn btn-xs btn-success">btn-xs</button> <button class="btn btn-sm btn-primary">btn-sm</button> <button class="btn btn-rounded btn-warning">btn-rounded</button> <button class="btn btn-danger" disabled="disabled">disabled</button>

[slide]
## 引用和表格

> 引用里 {spans(COLOURS[:10])}

> {spans(COLOURS[10:])} <small>三水清</small>

| a | b |
| --- | --- |
| {spans(COLOURS[:10])} | {spans(COLOURS[10:])} |
"""


@pytest.mark.parametrize("theme", THEMES)
def test_nodeppt_classes_meet_wcag_aa(page, build_deck, deck_tools, theme, record_property):
    path = build_deck(SAMPLE.format(theme=theme), f"nodeppt-{theme}.md")
    deck_tools.open(page, path)
    page.evaluate("document.fonts.ready")
    measured = []
    for number in (1, 2, 3):
        deck_tools.go(page, number)
        measured.extend(page.evaluate(MEASURE))
    kinds = {m["what"] for m in measured}
    wanted = ([f"span.{c} in p" for c in COLOURS] + [f"span.{c} in blockquote" for c in COLOURS] +
              [f"span.{c} in td" for c in COLOURS] +
              [f"span.label label-{k} in p" for k in KINDS] +
              [f"button.btn btn-{k} in p" for k in KINDS] +
              ["a.label-danger in p", "a.label-primary in p", "button.btn btn-danger in p",
               "button.btn btn-lg btn-default in p", "button.btn btn-xs btn-success in p",
               "small in blockquote", "mark in p", "span.blue-2 in p"])
    missing = [w for w in wanted if w not in kinds]
    assert not missing, (missing, sorted(kinds))
    failures = [m for m in measured if m["ratio"] < (HEADING_MIN if m["heading"] else BODY_MIN)]
    worst = min(measured, key=lambda m: m["ratio"])
    record_property("worst_contrast", f"{worst['ratio']:.2f} {worst['what']} "
                                      f"{worst['fg']} on {worst['bg']}")
    assert not failures, "\n".join(
        f"{theme}: {m['ratio']:.2f} {m['what']} {m['fg']} on {m['bg']} {m['text']!r}"
        for m in failures)
    # Styled, not inherited: the colours differ from the body text, the fills from the slide.
    colours = page.evaluate("""() => {
        deckgen.go(0);
        const fg = getComputedStyle(deckgen.current().querySelector('p')).color;
        return Array.from(deckgen.current().querySelectorAll('p span'))
            .filter(s => getComputedStyle(s).color === fg).map(s => s.className);
    }""")
    assert colours == []
    page.evaluate("deckgen.go(1)")
    fills = page.evaluate("""() => {
        const slide = getComputedStyle(deckgen.current()).backgroundColor;
        return Array.from(deckgen.current().querySelectorAll('.label, .btn, a[class^=label-]'))
            .filter(e => ['rgba(0, 0, 0, 0)', slide].includes(getComputedStyle(e).backgroundColor))
            .map(e => e.className);
    }""")
    assert fills == []


LAYOUT = """title: 布局

[slide]
## columns

<div class="columns3"><p>第一栏</p><p>第二栏</p><p>第三栏</p></div>

<div class="columns-2"><pre><code>left()</code></pre><pre><code>right()</code></pre></div>

[slide]
<div class="flexbox vleft">

# 样式展示

> nodeppt 让每个人都爱上做分享！

</div>

[slide]
# 支持添加背景图片 {:&.flexbox.vleft}

使用方法：一段说明

[slide]
## pull-right

<blockquote class="pull-right"><p>右边的引用 <small>small一下</small></p></blockquote>

<img class="no-screenfull" alt="x" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">

<div class="columns6"><a href="#">1</a> <a href="#">2</a> <a href="#">3</a></div>

<div class="columns4"><p>1</p><p>2</p><p>3</p><p>4</p></div>

<p class="columns2">一段文字 text that flows through two columns when it is long enough.</p>
"""


def test_layout_classes(page, build_deck, deck_tools):
    path = build_deck(LAYOUT, "layout.md")
    deck_tools.open(page, path)
    boxes = page.evaluate("""() => Array.from(document.querySelectorAll('.columns3 > p, .columns-2 > pre'))
        .map(e => { const r = e.getBoundingClientRect(); return [Math.round(r.left), Math.round(r.top)]; })""")
    three, two = boxes[:3], boxes[3:]
    assert len({top for _, top in three}) == 1 and len({left for left, _ in three}) == 3
    assert len({top for _, top in two}) == 1 and two[0][0] < two[1][0]
    deck_tools.go(page, 2)
    flex = page.evaluate("""() => { const box = document.querySelector('.flexbox.vleft');
        const s = getComputedStyle(box); const h1 = box.querySelector('h1').getBoundingClientRect();
        return [s.display, s.flexDirection, s.alignItems, getComputedStyle(box.querySelector('h1')).textAlign,
                Math.round(h1.left - box.getBoundingClientRect().left)]; }""")
    # Left-aligned even though an h1 slide is otherwise a centred cover.
    assert flex == ["flex", "column", "flex-start", "left", 0]
    deck_tools.go(page, 3)  # the marker puts the classes on the slide's content
    assert page.evaluate("""() => { const c = deckgen.current().querySelector('.slide-content');
        return [c.className, getComputedStyle(c).textAlign, getComputedStyle(c).display]; }""") == \
        ["slide-content flexbox vleft", "left", "flex"]
    deck_tools.go(page, 4)
    quote = page.evaluate("""() => { const q = document.querySelector('blockquote.pull-right');
        const r = q.getBoundingClientRect(), c = q.parentElement.getBoundingClientRect();
        const s = getComputedStyle(q);
        return [Math.round(c.right - r.right), r.width >= 500 && r.width < c.width, s.textAlign,
                getComputedStyle(q, '::before').content, getComputedStyle(q.querySelector('small'), '::after').content,
                q.parentElement.getBoundingClientRect().bottom >= r.bottom]; }""")
    assert quote == [0, True, "right", '"\u201d"', '"\u00a0\u2014"', True]
    # Several children: one per column, in a row (six columns for three links: half the width).
    rows = page.evaluate("""() => ['.columns6 > a', '.columns4 > p'].map(selector => {
        const items = Array.from(document.querySelectorAll(selector)).map(e => e.getBoundingClientRect());
        const box = document.querySelector(selector.split(' ')[0]).getBoundingClientRect();
        return [new Set(items.map(r => Math.round(r.top))).size,
                items.every((r, i) => i === 0 || r.left > items[i - 1].right),
                Math.round((items[items.length - 1].right - box.left) / box.width * 100)]; })""")
    assert rows[0][:2] == [1, True] and 40 <= rows[0][2] <= 50
    assert rows[1][:2] == [1, True] and rows[1][2] > 90
    # One paragraph flows through the columns instead.
    assert page.evaluate("getComputedStyle(document.querySelector('p.columns2')).columnCount") == "2"


def test_covers_and_their_neighbours_follow_one_alignment_rule(page, build_deck, deck_tools):
    """nodeppt centred every slide's headings and text alike (a cover is no exception) and set
    lists left-aligned; its h1 is 45px on a cover and elsewhere."""
    deck = ("title: cover\n\n[slide]\n# 只有标题\n\n[slide]\n# 封面样式\n## h1是作为封面用的\n"
            "<small>演讲者：xxx</small>\n\n[slide]\n# 标题和列表\n\n一段话\n\n- 一\n- 二\n")
    path = build_deck(deck, "cover.md")
    deck_tools.open(page, path)
    styles = []
    for number in (1, 2, 3):
        deck_tools.go(page, number)
        styles.append(page.evaluate("""() => { const c = deckgen.current();
            const s = getComputedStyle(c.querySelector('h1'));
            const p = c.querySelector('p'), ul = c.querySelector('ul');
            return [s.textAlign, s.fontSize, p && getComputedStyle(p).textAlign,
                    ul && getComputedStyle(ul).textAlign]; }"""))
    assert styles == [["center", "45px", None, None], ["center", "45px", "center", None],
                      ["center", "45px", "center", "left"]]
