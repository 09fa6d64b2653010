"""How the nodeppt rules fit the rest of rendering: sealing, the line map, the slide cache, and
markdown-it used on its own. Plus a property test: any mix of the constructs renders without a
traceback, balanced, with every warning on a line of the slide."""

from __future__ import annotations

from pathlib import Path

from deck_helpers import text_of, top_level_slides
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deckgen.assets import Assets
from deckgen.build import build_text
from deckgen.markdown import markdown
from deckgen.model import Diagnostics, Slide
from deckgen.render import RenderOptions, SlideCache, render_slide
from deckgen.seal import seal


def _slide(body: str, line: int = 10) -> Slide:
    return Slide(1, line, (), body)


def _render(body: str, line: int = 10, options: RenderOptions = RenderOptions()):
    diagnostics = Diagnostics("deck.md")
    rendered = render_slide(_slide(body, line), diagnostics, Assets(Path.cwd()), options)
    return rendered, [(d.line, d.code, d.message) for d in diagnostics]


def test_unbalanced_html_stays_inside_its_part_of_the_slide() -> None:
    body = ("## 标题\n----\n<div class=\"a\">没有关闭\n\n正文\n\n"
            "[note]\n<span>备注\n[/note]\n\n[magic]\n<b>粗\n====\n</section>第二部分\n[/magic]\n")
    rendered, warnings = _render(body)
    # Body lines: 1 "## 标题", 3 "<div", 8 "<span>", 12 "<b>", 14 "</section>"; line 10 is the
    # separator, so the body starts at 11.
    assert sorted(warnings) == [
        (13, "html-repaired", "unclosed <div> closed at the end of the slide"),
        (18, "html-repaired", "unclosed <span> closed by </p> on line 18"),
        (22, "html-repaired", "unclosed <b> closed by </p> on line 22"),
        (24, "html-repaired", "removed stray </section> (no open <section> in this slide)"),
    ]
    html = f'<section class="slide"><div class="slide-content">{rendered.html}</div></section>'
    (section,) = top_level_slides(html)
    wrapper = section[0]
    assert [el.tag for el in wrapper] == ["header", "div", "aside"]
    body_div = wrapper[1]
    assert body_div.get("class") == "slide-body"
    # The <div> is closed before the magic block, which stays a child of the body, and its
    # parts stay two.
    (magic,) = [el for el in body_div.iter("div") if el.get("class") == "magic"]
    assert magic.getparent().get("class") in ("a", "slide-body")
    assert [part.get("class") for part in magic] == ["magic-part", "magic-part"]
    assert text_of(wrapper[2]).strip() == "备注"
    assert seal(rendered.html).problems == []


def test_sealing_keeps_mathml_and_fragment_markup_intact() -> None:
    body = ("<div class=\"columns2\">\n\n$$ a \\, b \\\\ c $$ 和 \\\\( \\vec{v} < w \\\\)\n\n"
            "* 一 {:&.bounceIn}\n* 二\n\n</div>\n")
    with_html, warnings = _render(body)
    without_html, _ = _render(body.replace("<div class=\"columns2\">", "").replace("</div>", ""))
    assert warnings == []
    # The sealed slide (it has raw HTML) has the same math and list markup as the unsealed one.
    for fragment in ('<math display="block">', "<mspace", '<mspace linebreak="newline"></mspace>',
                     "<mo>&lt;</mo>", '<li class="fragment" data-animation="bounceIn">'):
        assert with_html.html.count(fragment) == without_html.html.count(fragment) > 0, fragment
    assert with_html.html.count("</math>") == 2


def test_warnings_inside_notes_magic_and_tables_name_their_lines() -> None:
    body = ("| a | b |\n|---|---|\n| ![x](nope.png) | $$\\frac{$$ |\n\n"
            "[note]\n![y](gone.png)\n[/note]\n[magic]\n甲\n====\n![z](lost.png) {:&.x}\n[/magic]\n")
    _, warnings = _render(body, line=1)
    assert sorted(warnings) == [
        (4, "image-not-found", "image not found: nope.png"),
        (4, "math", "math: cannot convert '\\frac{': something is missing at the end (an "
                    "argument or a closing brace); shown as source"),
        (7, "image-not-found", "image not found: gone.png"),
        (12, "image-not-found", "image not found: lost.png"),
    ]


def test_multi_line_math_blocks_and_their_warning_lines() -> None:
    rendered, warnings = _render("前\n$$\na \\\\\n\nb^\n$$\n后 $$ c $$ 尾\n\n$$\n没有关闭\n", 1)
    assert rendered.html.count('<math display="block">') == 1
    assert sorted((line, code) for line, code, _ in warnings) == [(3, "math"), (10, "math")]
    assert warnings[0] == (10, "math", "math: $$ is never closed; shown as text")
    assert warnings[1][2].startswith("math: cannot convert 'a \\\\ b^': ^ or _ with nothing")
    assert "没有关闭" in rendered.html


def test_the_slide_cache_knows_about_usemathjax(tmp_path: Path) -> None:
    cache = SlideCache()
    slide = _slide("$x$")
    assets = Assets(tmp_path)
    off = cache.render(slide, Diagnostics("d"), assets, RenderOptions())
    on = cache.render(slide, Diagnostics("d"), assets, RenderOptions(dollar_math=True))
    assert "<math>" not in off.html and "<math>" in on.html
    again = cache.render(slide, Diagnostics("d"), assets, RenderOptions(dollar_math=True))
    assert again.html == on.html and cache.hits == 1
    marked = cache.render(_slide("# t {:&.build}\n\n段落"), Diagnostics("d"), assets)
    cached = cache.render(_slide("# t {:&.build}\n\n段落"), Diagnostics("d"), assets)
    assert marked.content_attrs == cached.content_attrs == (("class", "build"),)


def test_markdown_it_on_its_own_needs_no_deckgen_env() -> None:
    md = markdown()
    html = md.render("## 标题 {:&.x}\n----\n* a {:&.fadeIn}\n\n[note]\nn\n[/note]\n"
                     "$$ x^ $$\n[magic data-transition=\"nope\"]\na\n====\nb\n")
    assert '<ul class="fadeIn">' in html and '<aside class="notes">' in html
    assert '<code class="math-error">' in html and 'class="magic-part"' in html


def test_look_alikes_are_left_alone() -> None:
    body = ("[note]: https://example.com/n\n\nsee [note]\n\n[magic]: https://example.com/m\n\n"
            "a ==== b\n\n#\n\n####### seven\n\n    ##indented code\n\n$$ $$\n")
    rendered, warnings = _render(body)
    assert warnings == []
    assert '<a href="https://example.com/n">note</a>' in rendered.html
    assert "<p>a ==== b</p>" in rendered.html and "<h1></h1>" in rendered.html
    assert "<p>####### seven</p>" in rendered.html
    # No indented code blocks, as in nodeppt's marked: an indented ## line is a heading there.
    assert "<h2>indented code</h2>" in rendered.html and "<pre" not in rendered.html
    assert "<math" not in rendered.html and "aside" not in rendered.html


def test_a_slide_without_nodeppt_syntax_renders_as_before() -> None:
    body = "## 标题\n\n- 一\n- 二\n\n---\n\n> 引用\n\n```python\nx = 1\n```\n"
    rendered, warnings = _render(body)
    assert warnings == []
    assert "<hr />" in rendered.html and "fragment" not in rendered.html
    assert "slide-header" not in rendered.html and rendered.content_attrs == ()


# -- any mix of the constructs ------------------------------------------------------------------------

PIECES = st.sampled_from([
    "## 标题", "##松散标题", "----", "---", "* 项 {:&.fadeIn}", "* 项", "  * 子项 {:&.zoomIn}",
    "> 引用 {:&.pull-right}", "{:.after}", "段落 {:#id .c}", "[note]", "[/note]",
    "[note]一行[/note]", "[magic data-transition=\"glue\"]", "[/magic]", "====", "[subslide]",
    "[/subslide]", "$$", "$$ x^2 $$", "\\\\( y \\\\)", "$z$", "<div>", "</div>", "```", "~~~",
    "| a | b", ":--|--|--", "😀 𠮷", "\t缩进", "\x0b", "", "", "![i](x.png){:.p}", "{:&.build}",
])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PIECES, max_size=25), st.booleans())
def test_any_mix_renders_balanced_with_warnings_on_slide_lines(lines, dollars) -> None:
    body = "\n".join(lines)
    rendered, warnings = _render(body, line=5, options=RenderOptions(dollar_math=dollars))
    last = 5 + max(1, len(lines))
    assert all(line is not None and 5 <= line <= last for line, _, _ in warnings), warnings
    # Balanced: the HTML parser has nothing to repair in what came out.
    assert seal(rendered.html.replace("\x0b", " ")).problems == []


def test_a_whole_deck_of_constructs_builds_identically() -> None:
    text = ("title: t\nusemathjax: yes\ntransition: glue\n\n"
            + "\n".join(f"[slide data-transition=\"kontext\"]\n## 第{i}页\n----\n* a {{:&.build}}\n"
                        f"* b\n\n$x_{i}$\n[note]\n备注 {i}\n[/note]\n" for i in range(20)))
    first = build_text(text, "deck.md")
    assert first.diagnostics == []
    assert len(top_level_slides(first.html)) == 20
    assert build_text(text, "deck.md").html == first.html
