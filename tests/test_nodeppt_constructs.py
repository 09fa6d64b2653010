"""nodeppt's constructs, one fixture deck each (``tests/fixtures/nodeppt/``): what the page's HTML
is made of, read back the way a browser reads it (html5lib), and which warnings name which line.

Each fixture starts with the demo deck's own slide for the construct where the demo has one.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from deck_helpers import text_of, top_level_slides

from deckgen.build import build_file

FIXTURES = Path(__file__).parent / "fixtures" / "nodeppt"
MATHML = "{http://www.w3.org/1998/Math/MathML}"


def build(name: str):
    result = build_file(FIXTURES / name)
    return result, top_level_slides(result.html)


def warnings_of(result, code: str | None = None) -> list[tuple[int | None, str]]:
    return [(d.line, d.message) for d in result.diagnostics if code is None or d.code == code]


def content(slide):
    """The slide's ``.slide-content`` wrapper."""
    (wrapper,) = [el for el in slide if "slide-content" in (el.get("class") or "").split()]
    return wrapper


def children(element) -> list[str]:
    """Tag names of an element's children (MathML without its namespace)."""
    return [str(el.tag).replace(MATHML, "") for el in element if isinstance(el.tag, str)]


def classes(element) -> list[str]:
    return (element.get("class") or "").split()


def lines_of(path: Path, needle: str) -> list[int]:
    return [i + 1 for i, line in enumerate(path.read_text(encoding="utf-8").split("\n"))
            if needle in line]


# -- notes ----------------------------------------------------------------------------------------

def test_notes_leave_the_slide_and_gather_at_its_end() -> None:
    result, slides = build("notes.md")
    assert len(slides) == 3
    # The demo's note slide: the note comes first in the source, last in the content; its
    # loose heading "##这里是note" is a heading; the header split ignores the note.
    first = content(slides[0])
    assert children(first) == ["header", "div", "aside"]
    aside = first[-1]
    assert aside.get("class") == "notes"
    assert children(aside) == ["h2", "p"]
    assert text_of(aside[0]) == "这里是note"
    assert [text_of(h) for h in first[0]] == ["使用note笔记", "note笔记是多窗口，或者自己做一些笔记用的"]
    # [note] in a code block is code.
    assert "[note]" in text_of(first[1].find(".//pre"))
    assert result.slides[0].title == "使用note笔记"
    # Several notes (one on a single line, one in capitals) make one aside, in order; a raw
    # <aside class="notes"> stays where it was written.
    second = content(slides[1])
    asides = [el for el in second if el.tag == "aside"]
    assert [classes(a) for a in asides] == [["notes"], ["notes"]]
    assert text_of(asides[0]) == "手写的 aside"
    assert children(asides[1]) == ["p", "ul"]
    assert text_of(asides[1][0]) == "第一条"
    assert text_of(asides[1][1]).strip() == "第二条 加粗"
    assert second[-1] is asides[1]
    assert "第一条" not in text_of(second[1])


def test_an_unclosed_note_is_shown_with_a_warning_on_its_line() -> None:
    result, slides = build("notes.md")
    line = lines_of(FIXTURES / "notes.md", "[note]")[-1]
    assert warnings_of(result, "unclosed-note") == [
        (line, "[note] is never closed with [/note]; shown on the slide")]
    third = content(slides[2])
    assert third.find("aside") is None
    assert "[note]" in text_of(third) and "这一行会显示" in text_of(third)


# -- attribute markers ------------------------------------------------------------------------------

def test_markers_on_headings_cells_and_blockquotes_from_the_demo() -> None:
    result, slides = build("markers.md")
    # "# 样式展示 {:&.flexbox.vleft}": the slide's content wrapper takes the classes.
    first = content(slides[0])
    assert classes(first) == ["slide-content", "flexbox", "vleft"]
    assert text_of(first.find("h1")) == "样式展示"
    assert result.slides[0].content_attrs == (("class", "flexbox"), ("class", "vleft"))
    # The table cell "{:.highlight}"; the demo's header row with a leading "|" is a table.
    table = slides[1].find(".//table")
    assert table is not None
    cells = table.findall(".//tbody/tr")[0].findall("td")
    assert [text_of(td) for td in cells] == ["环境", "js/nodejs", "Ruby(这列右对齐)", "nodejs(高亮)"]
    assert [classes(td) for td in cells] == [[], [], [], ["highlight"]]
    assert [text_of(th) for th in table.findall(".//th")] == ["", "Less", "Sass", "Stylus"]
    # "> ... <small>small一下</small> {:&.pull-right}": onto the blockquote.
    quotes = slides[2].findall(".//blockquote")
    assert [classes(q) for q in quotes] == [[], ["pull-right"]]
    assert text_of(quotes[1]).strip() == "这是一个class是：pull-right的blockquote small一下"
    for slide in slides:
        assert "{:" not in text_of(slide).replace("{:.class}", "").replace("{:.code}", "") \
            .replace("{:.escaped}", "")


def test_markers_on_paragraphs_spans_list_items_and_the_block_before() -> None:
    result, slides = build("markers.md")
    fourth = content(slides[3])
    paragraph = fourth.find("p")
    assert paragraph.get("id") == "testScriptTag"
    assert text_of(paragraph) == "我是js控制的颜色 black"
    heading = fourth.find("h2")
    assert classes(heading) == ["class", "class2"] and heading.get("width") == "200px"
    # No space before the marker: the image, the emphasis, the code span, the link take it.
    # (The image's file is missing: its placeholder carries the class.)
    spans = fourth.findall("p")[1]
    assert [(el.tag, classes(el)) for el in spans] == [
        ("span", ["deckgen-image-missing", "pic"]), ("em", ["em"]), ("code", ["c"]),
        ("strong", ["b"]), ("a", ["a"])]
    assert classes(spans) == []
    # On a list item; and a paragraph holding only a marker applies to the list before it.
    ul = fourth.find("ul")
    assert classes(ul) == ["after-list"]
    assert [classes(li) for li in ul] == [["item"], []]
    # Code is code: in a fenced block and in a code span markers stay text; \{: is escaped.
    assert "{:.class}" in text_of(fourth.find(".//pre"))
    last = fourth.findall("p")[-1]
    assert text_of(last.find("code")) == "{:.code}"
    assert "{:.escaped}" in text_of(last)
    # The marker after a code block: nothing takes it, a warning names its line.
    line = lines_of(FIXTURES / "markers.md", "{:.nope}")[0]
    assert warnings_of(result, "marker-ignored") == [
        (line, "ignored {:.nope}: a code block takes no attributes")]
    assert "{:.nope}" not in text_of(slides[4])


# -- fragments ------------------------------------------------------------------------------------

def _items(ul) -> list[tuple[list[str], str | None]]:
    return [(classes(li), li.get("data-animation")) for li in ul]


def test_fragment_lists_from_the_demo() -> None:
    _, slides = build("fragments.md")
    rolling = slides[0].find(".//ul")
    assert classes(rolling) == ["rollIn"]
    assert _items(rolling) == [(["fragment"], "rollIn")] * 3
    # Nested lists come with their item. The nested item's "加上：{:&.动效类型}" has no space
    # before the marker, so it is text, as nodeppt showed it (the demo explains the syntax).
    fading = slides[1].find(".//ul")
    assert classes(fading) == ["fadeIn"]
    assert _items(fading) == [(["fragment"], "fadeIn")] * 2
    nested = fading[0].find("ul")
    assert classes(nested) == []
    assert text_of(nested[1]) == "markdown列表第一条加上：{:&.动效类型}"
    assert _items(nested) == [([], None)] * 2


def test_fragments_in_ordered_lists_blockquotes_and_whole_slides() -> None:
    _, slides = build("fragments.md")
    third = content(slides[2])
    assert _items(third.find("ol")) == [(["fragment"], "zoomIn")] * 2
    quote = third.find("blockquote")
    assert classes(quote) == ["build"]
    assert _items(quote) == [(["fragment"], "build")] * 2
    # {:&.fade} on a top-level paragraph: every block of the body is a step, the header is not;
    # code and raw HTML are wrapped to be steps too.
    fourth = content(slides[3])
    assert "fade" in classes(fourth)
    header, body = fourth[0], fourth[1]
    assert header.tag == "header" and not header.get("data-animation")
    assert [(el.tag, classes(el), el.get("data-animation")) for el in body] == [
        ("p", ["fragment"], "fade"), ("div", ["fragment"], "fade"),
        ("div", ["fragment"], "fade")]
    assert body[1][0].tag == "pre" and text_of(body[2]).strip() == "原始 HTML 也是一步"
    # A class that is not an animation makes no steps.
    assert "fragment" not in slides[4].get("class", "") and \
        "fragment" not in "".join(el.get("class") or "" for el in slides[4].iter())


# -- header/body split ---------------------------------------------------------------------------

def test_header_body_split() -> None:
    result, slides = build("header-split.md")
    first = content(slides[0])
    assert children(first) == ["header", "div"]
    assert classes(first[0]) == ["slide-header"] and classes(first[1]) == ["slide-body"]
    assert children(first[0]) == ["h2", "h3"]
    assert text_of(first[0][1]) == "----是上下分界线"
    assert children(first[1]) == ["p", "p"]
    assert first.find(".//hr") is None
    # A rule after body text, or with no heading before it, is a rule.
    assert children(content(slides[1])) == ["h2", "p", "hr", "p"]
    assert children(content(slides[2])) == ["hr", "p"]
    # An unclosed <div> in the body is closed inside the body, with a warning on its line.
    fourth = content(slides[3])
    assert children(fourth) == ["header", "div"]
    assert children(fourth[0]) == ["h1"]
    assert [classes(el) for el in fourth[1]] == [["columns-2"]]
    line = lines_of(FIXTURES / "header-split.md", '<div class="columns-2">')[0]
    assert warnings_of(result, "html-repaired") == [
        (line, "unclosed <div> closed at the end of the slide")]


# -- magic and subslide ---------------------------------------------------------------------------

def test_magic_blocks_from_the_demo() -> None:
    result, slides = build("magic.md")
    magic = content(slides[0])
    assert children(magic) == ["div"]
    block = magic[0]
    assert classes(block) == ["magic"] and block.get("data-transition") == "earthquake"
    assert [classes(part) for part in block] == [["magic-part"], ["magic-part"]]
    # Each part has its own header/body split.
    for part, title in zip(block, ["演示magic标签效果", "演示earthquake转场效果"]):
        assert children(part) == ["header", "div"]
        assert text_of(part[0]).strip() == title
        assert part[1].find("div").get("class") in ("columns3", "columns4")
    second = content(slides[1])[0]
    assert second.get("data-transition") == "cover-circle"
    # One picture in each (its file is missing: a placeholder).
    assert [len(part.findall(".//span[@role='img']")) for part in second] == [1, 1]
    # The missing images are warned about on their own lines, inside the parts.
    girl = lines_of(FIXTURES / "magic.md", "/girl.jpg")
    assert [line for line, _ in warnings_of(result, "image-not-found")] == girl


def test_subslides_and_an_unclosed_magic_block() -> None:
    result, slides = build("magic.md")
    third = content(slides[2])
    assert children(third) == ["h2", "div", "p"]
    sub = third[1]
    assert classes(sub) == ["subslide"]
    # The empty part between two separators is dropped, as nodeppt did.
    assert [(classes(part), text_of(part).strip()) for part in sub] == [
        (["subslide-part"], "第一页"), (["subslide-part"], "第二页 😀")]
    assert text_of(third[2]) == "后面的文字"
    fourth = content(slides[3])[0]
    assert [text_of(part).strip() for part in fourth] == ["甲", "乙"]
    line = lines_of(FIXTURES / "magic.md", "wobble")[0]
    assert warnings_of(result, "unclosed-magic") == [
        (line, "[magic] is never closed with [/magic]; it runs to the end of the slide")]
    assert warnings_of(result, "unknown-transition") == [
        (line, "unknown transition 'wobble'; using 'slide'")]


# -- math -----------------------------------------------------------------------------------------

def _math(element) -> list:
    return [el for el in element.iter() if el.tag == MATHML + "math"]


def test_formulas_from_the_demo_become_mathml() -> None:
    result, slides = build("math.md")
    maths = _math(slides[0])
    assert [m.get("display") for m in maths] == ["block", None]
    block, matrix = maths
    assert "±" in text_of(block) and block.find(f".//{MATHML}msqrt") is not None
    assert block.find(f".//{MATHML}mfrac") is not None
    # "\\\\" in the Markdown is TeX's "\\": two rows.
    rows = matrix.findall(f".//{MATHML}mtr")
    assert [[text_of(cell) for cell in row] for row in rows] == [["1", "2", "3"], ["4", "5", "6"]]
    assert "$$" not in text_of(slides[0]) and "\\(" not in text_of(slides[0])
    assert result.html.count("<math") == 5 and "MathJax" not in result.html


def test_dollar_math_with_usemathjax() -> None:
    _, slides = build("math.md")
    second = slides[1]
    paragraph = second.find(".//p")
    assert text_of(paragraph).startswith("价格 $5 和 $6 不是公式，")
    (inline,) = _math(paragraph)
    assert inline.find(f".//{MATHML}msup") is not None
    (block,) = [m for m in _math(second) if m.get("display") == "block"]
    assert block.find(f".//{MATHML}munderover") is not None or \
        block.find(f".//{MATHML}msubsup") is not None
    assert [text_of(c) for c in second.iter("code")] == ["$x$"]


def test_a_formula_that_fails_is_a_warning_and_shows_as_source() -> None:
    result, slides = build("math.md")
    errors = [text_of(code) for code in slides[2].iter("code")
              if "math-error" in classes(code)]
    assert errors == ["$$\\frac{1}{$$", "\\\\(\\sqrt\\\\)"]
    block_line = lines_of(FIXTURES / "math.md", "\\frac{1}{$$")[0]
    inline_line = lines_of(FIXTURES / "math.md", "nosuchcommand")[0]
    assert warnings_of(result, "math") == [
        (block_line, "math: cannot convert '\\frac{1}{': something is missing at the end "
                     "(an argument or a closing brace); shown as source"),
        (inline_line, "math: cannot convert '\\sqrt': something is missing at the end "
                      "(an argument or a closing brace); shown as source"),
        (inline_line, "math: unknown command \\nosuchcommand in '\\nosuchcommand'"),
    ]
    # The unknown command still renders (as latex2mathml's best effort).
    assert len(_math(slides[2])) == 1


def test_without_usemathjax_dollars_are_text(tmp_path: Path) -> None:
    deck = tmp_path / "deck.md"
    deck.write_text("title: t\n\n[slide]\n$a^2$ 和 \\\\( b^2 \\\\) 和 $$c^2$$\n",
                    encoding="utf-8")
    result = build_file(deck)
    (slide,) = top_level_slides(result.html)
    assert "$a^2$" in text_of(slide)
    assert len(_math(slide)) == 2


# -- loose headings -------------------------------------------------------------------------------

def test_loose_headings() -> None:
    result, slides = build("loose-headings.md")
    first = content(slides[0])
    assert [(el.tag, text_of(el)) for el in first if el.tag != "pre"] == [
        ("h2", "这里是note"), ("h3", "三级标题"), ("h1", "井号标题"),
        ("p", "####### 七个井号不是标题"), ("h2", "制表符标题")]
    assert "##不是标题" in text_of(first.find("pre"))
    assert result.slides[0].title == "这里是note"


# -- separator lines, transitions, cover ------------------------------------------------------------

def test_separator_markers_and_case() -> None:
    result, slides = build("separators.md")
    assert len(slides) == 3
    assert slides[0].get("id") == "start" and classes(slides[0]) == ["slide", "cover"]
    assert classes(slides[1]) == ["slide", "intro", "extra"]
    assert slides[1].get("data-x") == "1" and slides[1].get("data-on-enter") == "testScriptTag"
    assert "[Slide]" in text_of(slides[1])
    line = lines_of(FIXTURES / "separators.md", "[Slide]")[0]
    assert warnings_of(result, "separator-case") == [
        (line, "'[Slide]' is not a slide separator; write '[slide]' in lower case "
               "(the line is shown as text)")]


def test_transitions_are_normalised_and_unknown_names_warned_once() -> None:
    result, slides = build("transitions.md")
    root = result.html[result.html.index('<div class="deckgen"'):]
    root = root[:root.index(">")]
    assert 'data-transition="cards"' in root and 'data-transition-name="kontext"' in root
    assert [(s.get("data-transition"), s.get("data-transition-name")) for s in slides] == [
        (None, None), ("fade", "glue"), ("zoom", "zoomin"), ("slide", "vertical3d"),
        ("fade", "Fade"), ("slide", "wobble"), ("slide", "wobble"), ("none", "none")]
    line = lines_of(FIXTURES / "transitions.md", '"wobble"')[0]
    assert warnings_of(result) == [(line, "unknown transition 'wobble'; using 'slide'")]


def test_cover_slide_shows_speaker_date_and_url() -> None:
    result, slides = build("cover.md")
    first = content(slides[0])
    assert children(first) == ["h1", "h2", "aside", "footer"]
    footer = first[-1]
    assert classes(footer) == ["deck-meta"]
    assert [(el.tag, classes(el), text_of(el)) for el in footer] == [
        ("span", ["deck-speaker"], "三水清"), ("span", ["deck-date"], "2015-05-20"),
        ("a", ["deck-url"], "https://github.com/ksky521/nodeppt")]
    assert footer[2].get("href") == "https://github.com/ksky521/nodeppt"
    assert content(slides[1]).find("footer") is None
    assert '<meta name="author" content="三水清">' in result.html
    assert '<meta name="date" content="2015-05-20">' in result.html
    assert '<link rel="author" href="https://github.com/ksky521/nodeppt">' in result.html


# -- a deck written like the real ones --------------------------------------------------------------

def test_a_real_style_deck() -> None:
    path = FIXTURES / "real-deck.md"
    raw = path.read_bytes()
    assert not raw.endswith(b"\n") and b"\x0b" in raw and b"\t" in raw
    assert "😀".encode() in raw and "𠮷".encode() in raw
    result = build_file(path)
    # The vertical tab reaches the page as written (browsers keep it); lxml, under html5lib,
    # refuses control characters, so it is made visible before parsing.
    assert "备注里有垂直制表符\x0b和 emoji 🎉" in result.html
    slides = top_level_slides(result.html.replace("\x0b", "\u240b"))
    assert [d.level for d in result.diagnostics] == ["warning"] * len(result.diagnostics)
    assert result.deck.meta == {"title": "真实的演示 😀", "speaker": "张三", "theme": "dark"}
    assert "<title>真实的演示 😀</title>" in result.html
    assert len(slides) == 5
    first = content(slides[0])
    assert text_of(first.find("h2")) == "第一页"
    items = first.find("ul")
    assert [text_of(li) for li in items] == ["列表\t项目", "𠮷野家 🍜"]
    assert _items(items) == [(["fragment"], "fadeIn")] * 2
    assert text_of(first.find("aside")).strip() == "备注里有垂直制表符\u240b和 emoji 🎉"
    # The [slide] line inside the fence is code; the trailing empty slides are kept.
    assert "[slide]" in text_of(slides[1].find(".//pre"))
    assert [len(content(s)) for s in slides[2:]] == [0, 0, 0]
    lines = [line for line, _ in warnings_of(result)]
    assert lines == [3, 7, 8, 9, 26, 28, 29]
    assert warnings_of(result, "empty-slide") == [
        (26, "slide 3 is empty"), (28, "slide 4 is empty"), (29, "slide 5 is empty")]


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.md")
                                        if p.name != "README.md"))
def test_fixtures_build_without_errors_and_identically_twice(name: str) -> None:
    first = build_file(FIXTURES / name)
    assert all(d.level == "warning" for d in first.diagnostics)
    assert build_file(FIXTURES / name).html == first.html
