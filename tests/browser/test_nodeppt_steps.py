"""Steps inside a slide, in Chromium: nodeppt's fragment lists, reveal.js style `.fragment`
elements, [magic] and [subslide] parts. The decks here write the build's markup (what
plugins/fragments.py and magic.py produce) as raw HTML, so they test the runtime alone."""

from __future__ import annotations

import pytest
from deck_helpers import wait_position

pytestmark = pytest.mark.browser


ANIMATIONS = ["fadeIn", "rollIn", "moveIn", "bounceIn", "zoomIn", "fade", "build"]

LIST_DECK = """title: 分步
theme: light

[slide]
# 封面

[slide]
## 动效：{animation}

<ul class="{animation}">
<li class="fragment" data-animation="{animation}">第一条 one</li>
<li class="fragment" data-animation="{animation}">第二条 two</li>
<li class="fragment" data-animation="{animation}">第三条 three 😀</li>
</ul>

[slide]
## 结束
"""

# Per fragment of the current slide: revealed as the runtime marks it, and as it is painted.
FRAGMENTS = """() => Array.from(deckgen.current().querySelectorAll('.fragment')).map(el => {
    const style = getComputedStyle(el);
    return {visible: el.classList.contains('is-visible'),
            painted: style.visibility === 'visible' && parseFloat(style.opacity) > 0.99,
            latest: el.classList.contains('is-latest'),
            animation: el.getAttribute('data-animation'),
            height: el.getBoundingClientRect().height};
})"""


def position(page) -> tuple[int, int, str]:
    return page.evaluate("[deckgen.index + 1, deckgen.step, location.hash]")



def revealed(page) -> list[bool]:
    items = page.evaluate(FRAGMENTS)
    # What the runtime marks is exactly what is painted.
    assert [i["visible"] for i in items] == [i["painted"] for i in items], items
    return [i["visible"] for i in items]


def test_next_reveals_list_items_one_by_one_then_leaves(page, build_deck, deck_tools):
    path = build_deck(LIST_DECK.format(animation="fadeIn"), "list.md")
    deck_tools.open(page, path)
    page.keyboard.press("ArrowRight")
    wait_position(page, 2, 0)
    assert revealed(page) == [False, False, False]
    heights = [i["height"] for i in page.evaluate(FRAGMENTS)]
    assert all(h > 20 for h in heights)  # hidden items keep their room: nothing jumps
    assert page.evaluate("deckgen.stepCount()") == 3
    for step in (1, 2, 3):
        page.keyboard.press("ArrowRight")
        wait_position(page, 2, step)
        assert revealed(page) == [i < step for i in range(3)]
        items = page.evaluate(FRAGMENTS)
        # The item just revealed carries its animation; the others are settled.
        assert [i["latest"] for i in items] == [i == step - 1 for i in range(3)]
        assert {i["animation"] for i in items} == {"fadeIn"}
        assert [i["height"] for i in items] == heights
    page.keyboard.press("ArrowRight")
    wait_position(page, 3, 0)
    # Back comes to the slide as it was left, fully built, then takes the items away again.
    page.keyboard.press("ArrowLeft")
    wait_position(page, 2, 3)
    assert revealed(page) == [True, True, True]
    assert not any(i["latest"] for i in page.evaluate(FRAGMENTS))
    for step in (2, 1, 0):
        page.keyboard.press("ArrowLeft")
        wait_position(page, 2, step)
        assert revealed(page) == [i < step for i in range(3)]
    page.keyboard.press("ArrowLeft")
    wait_position(page, 1, 0)
    assert page.errors_seen == []


def test_the_step_is_in_the_url_and_survives_reload(page, build_deck, deck_tools):
    path = build_deck(LIST_DECK.format(animation="rollIn"), "reload.md")
    deck_tools.open(page, path, "#/2/2")
    wait_position(page, 2, 2)
    assert revealed(page) == [True, True, False]
    page.keyboard.press("ArrowRight")
    wait_position(page, 2, 3)
    page.reload()
    page.wait_for_function("document.querySelector('.deckgen.is-ready')")
    wait_position(page, 2, 3)
    assert revealed(page) == [True, True, True]
    # A step past the end of the slide's steps is clamped, and the URL corrected.
    page.evaluate("location.hash = '#/2/9'")
    wait_position(page, 2, 3)


def test_back_and_forward_walk_slides_not_steps(page, build_deck, deck_tools):
    path = build_deck(LIST_DECK.format(animation="moveIn"), "history.md")
    deck_tools.open(page, path)
    for _ in range(5):  # 1 -> 2, three steps, -> 3
        page.keyboard.press("ArrowRight")
    wait_position(page, 3, 0)
    page.go_back()
    wait_position(page, 2, 3)   # the slide as it was last shown
    page.go_back()
    wait_position(page, 1, 0)
    page.go_forward()
    wait_position(page, 2, 3)
    page.go_forward()
    wait_position(page, 3, 0)


@pytest.mark.parametrize("animation", ANIMATIONS)
def test_each_animation_plays_when_stepping_forward(moving_page, build_deck, deck_tools,
                                                    animation):
    """With motion allowed, the revealed item runs its own keyframes (and arriving on a slide
    already built plays none)."""
    page = moving_page
    path = build_deck(LIST_DECK.format(animation=animation), f"anim-{animation}.md")
    deck_tools.open(page, path, "#/2")
    page.add_style_tag(content=":root { --dg-fragment-duration: 20s; }")  # still running below
    wait_position(page, 2, 0)
    page.keyboard.press("ArrowRight")
    wait_position(page, 2, 1)
    names = page.evaluate("""() => deckgen.current().querySelector('.fragment')
        .getAnimations().map(a => a.animationName)""")
    expected = {"fadeIn": "deckgen-fragment-rise", "rollIn": "deckgen-fragment-roll",
                "moveIn": "deckgen-fragment-move", "bounceIn": "deckgen-fragment-bounce",
                "zoomIn": "deckgen-fragment-zoom", "fade": "deckgen-fade-in",
                "build": "deckgen-fade-in"}[animation]
    assert names == [expected]
    page.evaluate("deckgen.go(2, 'api', 'last')")
    page.evaluate("deckgen.go(1, 'api', 'last')")
    assert page.evaluate("""() => Array.from(deckgen.current().querySelectorAll('.fragment'))
        .flatMap(el => el.getAnimations())
        .filter(a => a.animationName.startsWith('deckgen-fragment')).length""") == 0


def test_reduced_motion_reveals_without_animation(page, build_deck, deck_tools):
    path = build_deck(LIST_DECK.format(animation="bounceIn"), "still.md")
    deck_tools.open(page, path, "#/2")
    page.keyboard.press("ArrowRight")
    wait_position(page, 2, 1)
    assert page.evaluate("deckgen.current().querySelector('.fragment').getAnimations().length") == 0
    assert revealed(page) == [True, False, False]


def test_fade_list_shows_one_item_at_a_time(page, build_deck, deck_tools):
    """nodeppt's `fade` list: each item replaces the previous one, in the same place."""
    path = build_deck(LIST_DECK.format(animation="fade"), "fade.md")
    deck_tools.open(page, path, "#/2")
    wait_position(page, 2, 0)
    tops = set()
    for step in (1, 2, 3):
        page.keyboard.press("ArrowRight")
        wait_position(page, 2, step)
        shown = page.evaluate("""() => Array.from(deckgen.current().querySelectorAll('.fragment'))
            .map(el => getComputedStyle(el).visibility === 'visible')""")
        assert shown == [i == step - 1 for i in range(3)]
        tops.add(page.evaluate("""() => Math.round(Array.from(deckgen.current()
            .querySelectorAll('.fragment')).find(el => getComputedStyle(el).visibility === 'visible')
            .getBoundingClientRect().top)"""))
    assert len(tops) == 1


def test_raw_nodeppt_build_list_without_fragment_classes(page, build_deck, deck_tools):
    """nodeppt's own runtime stepped through the children of `.build`, `.fadeIn`... written in
    raw HTML; those decks keep working."""
    deck = """title: raw
[slide]
<ul class="build">
<li>one</li>
<li>two</li>
</ul>
<div class="zoomIn"><p>a</p><p>b</p><script>window.notAStep = 1</script></div>
"""
    path = build_deck(deck, "raw-build.md")
    deck_tools.open(page, path)
    assert page.evaluate("deckgen.stepCount()") == 4
    assert page.evaluate("""() => Array.from(document.querySelectorAll('.fragment'))
        .map(el => el.tagName + ':' + el.dataset.animation)""") == \
        ["LI:build", "LI:build", "P:zoomIn", "P:zoomIn"]
    for step in range(1, 5):
        page.keyboard.press("ArrowRight")
        wait_position(page, 1, step)
        assert revealed(page) == [i < step for i in range(4)]


def test_reveal_style_fragments_and_fragment_index(page, build_deck, deck_tools):
    deck = """title: reveal
[slide]
## Fragments

<p class="fragment" id="a">a (no index: after the numbered ones)</p>
<p class="fragment" data-fragment-index="2" id="b">b (2)</p>
<p class="fragment" data-fragment-index="1" id="c">c (1)</p>
<p class="fragment" data-fragment-index="1" id="d">d (1, with c)</p>
<p class="fragment zoomIn" id="e">e</p>
<p class="fragment" data-fragment-index="999999999" id="f">f (a huge number: last of the numbered)</p>

[slide]
## next
"""
    path = build_deck(deck, "reveal.md")
    deck_tools.open(page, path)
    assert page.evaluate("deckgen.stepCount()") == 5
    order = []
    for step in range(1, 6):
        page.keyboard.press("ArrowRight")
        wait_position(page, 1, step)
        order.append(page.evaluate(
            "Array.from(document.querySelectorAll('.fragment.is-visible')).map(e => e.id).join('')"))
    assert order == ["cd", "bcd", "bcdf", "abcdf", "abcdef"]
    # Default animation is fade; a class names another.
    assert page.evaluate("document.getElementById('a').dataset.animation") == "fade"
    assert page.evaluate("document.getElementById('e').dataset.animation") == "zoomIn"
    page.keyboard.press("ArrowRight")
    wait_position(page, 2, 0)


MAGIC_DECK = """title: magic
theme: moon

[slide]
# 封面

[slide]
<div class="{kind}" data-transition="earthquake"><div class="{kind}-part">

## 第一部分

短的

</div><div class="{kind}-part">

## 第二部分

- 更长的
- 内容
- 在这里

</div><div class="{kind}-part">

## 第三部分

</div></div>

<p class="fragment" id="after">after the parts</p>

[slide]
## 结束
"""

PARTS = """() => {
    const block = deckgen.current().querySelector('.magic, .subslide');
    return {shown: Array.from(block.children).map(
                p => getComputedStyle(p).visibility === 'visible' && getComputedStyle(p).opacity === '1'),
            height: block.getBoundingClientRect().height,
            after: getComputedStyle(document.getElementById('after')).visibility === 'visible'};
}"""


@pytest.mark.parametrize("kind", ["magic", "subslide"])
def test_parts_step_one_at_a_time(page, build_deck, deck_tools, kind):
    path = build_deck(MAGIC_DECK.format(kind=kind), f"{kind}.md")
    deck_tools.open(page, path, "#/2")
    wait_position(page, 2, 0)
    # Parts after the first are steps, and so is the fragment after the block: document order.
    assert page.evaluate("deckgen.stepCount()") == 3
    first = page.evaluate(PARTS)
    assert first["shown"] == [True, False, False] and not first["after"]
    heights = {first["height"]}
    for step, shown, after in ((1, [False, True, False], False), (2, [False, False, True], False),
                               (3, [False, False, True], True)):
        page.keyboard.press("ArrowRight")
        wait_position(page, 2, step)
        state = page.evaluate(PARTS)
        assert state["shown"] == shown and state["after"] == after
        heights.add(state["height"])
    assert len(heights) == 1  # the block is as tall as its tallest part, all along
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    wait_position(page, 2, 1)
    assert page.evaluate(PARTS)["shown"] == [False, True, False]
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    wait_position(page, 3, 0)
    assert page.errors_seen == []


def test_parts_animate_with_the_blocks_transition(moving_page, build_deck, deck_tools):
    page = moving_page
    path = build_deck(MAGIC_DECK.format(kind="magic").replace("earthquake", "cover-circle"),
                      "magic-anim.md")
    deck_tools.open(page, path, "#/2")
    page.add_style_tag(content=":root { --dg-transition-duration: 20s; }")
    page.keyboard.press("ArrowRight")
    wait_position(page, 2, 1)
    assert page.evaluate("document.querySelector('.magic').dataset.effect") == "zoom"
    assert page.evaluate("""() => document.querySelectorAll('.magic-part')[1].getAnimations()
        .map(a => a.animationName)""") == ["deckgen-zoom-in-small"]


def test_without_javascript_everything_shows(browser, build_deck):
    path = build_deck(MAGIC_DECK.format(kind="magic"), "nojs.md")
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 720})
    try:
        page = context.new_page()
        page.goto(path.as_uri())
        shown = page.locator(".magic-part, .fragment").evaluate_all(
            "els => els.map(e => getComputedStyle(e).visibility)")
        assert shown == ["visible"] * 4
    finally:
        context.close()


def test_copies_of_slides_do_not_disturb_the_animation(moving_page, build_deck, deck_tools):
    """The presenter view and the overview show copies of slides at some step through the
    step providers; the real slide still animates its next step."""
    page = moving_page
    path = build_deck(LIST_DECK.format(animation="zoomIn"), "copies.md")
    deck_tools.open(page, path, "#/2/1")
    page.add_style_tag(content=":root { --dg-fragment-duration: 20s; }")
    copy_state = page.evaluate("""() => {
        const copy = deckgen.current().cloneNode(true);
        deckgen.stepProviders.forEach(p => p.show(copy, 3));
        return Array.from(copy.querySelectorAll('.fragment')).map(f => f.className);
    }""")
    assert copy_state == ["fragment is-visible"] * 3  # shown at once, nothing animating
    page.keyboard.press("ArrowRight")
    wait_position(page, 2, 2)
    assert page.evaluate("""() => deckgen.current().querySelectorAll('.fragment')[1]
        .getAnimations().map(a => a.animationName)""") == ["deckgen-fragment-zoom"]
