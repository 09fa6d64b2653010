"""nodeppt's own demo deck (tests/fixtures/decks/nodeppt-demo.md) builds with no errors, 51 slides,
and every nodeppt construct in it turns into the markup the runtime expects."""

from __future__ import annotations

import pytest
from deck_helpers import DEMO, DEMO_SLIDE_LINES, parse_page, text_of, top_level_slides

from deckgen.build import build_file

MATHML = "{http://www.w3.org/1998/Math/MathML}"


@pytest.fixture(scope="module")
def demo():
    result = build_file(DEMO)
    slides = top_level_slides(result.html)
    return result, {int(s.get("data-line")): s for s in slides}


def _classes(element) -> list[str]:
    return (element.get("class") or "").split()


def _content(slide):
    return next(el for el in slide if "slide-content" in _classes(el))


def test_no_errors_51_slides_and_only_the_expected_warnings(demo) -> None:
    result, by_line = demo
    assert list(by_line) == DEMO_SLIDE_LINES and len(by_line) == 51
    assert [d for d in result.diagnostics if d.level != "warning"] == []
    lines = DEMO.read_text(encoding="utf-8").split("\n")
    girl = [i + 1 for i, line in enumerate(lines) if "/girl.jpg" in line]
    # Its js/demo.js and css/demo.css are beside it; nodeppt's own zoom.js (deckgen has its
    # own zoom) and its pictures are not part of the fixture: warnings, not errors.
    assert [(d.line, d.code, d.message) for d in result.diagnostics] == [
        (5, "deck-file-not-found", "files: file not found: /js/zoom.js"),
        (69, "image-not-found", "image not found: /img/bg1.png"),
    ] + [(n, "image-not-found", "image not found: /girl.jpg") for n in girl]


def test_the_demo_has_every_construct(demo) -> None:
    _result, by_line = demo
    # Cover (slide 1): speaker and url from the header.
    cover = _content(by_line[9])
    footer = cover.find("footer")
    assert _classes(footer) == ["deck-meta"]
    assert [text_of(el) for el in footer] == ["三水清", "https://github.com/ksky521/nodeppt"]
    # The {:&.rollIn} list: nine steps.
    items = by_line[13].find(".//ul")
    assert _classes(items) == ["rollIn"] and len(items) == 9
    assert {(li.get("class"), li.get("data-animation")) for li in items} == {
        ("fragment", "rollIn")}
    # {:&.flexbox.vleft} on the h1 goes onto the content wrapper (twice in the demo).
    assert _classes(_content(by_line[36])) == ["slide-content", "flexbox", "vleft"]
    assert _classes(_content(by_line[69])) == ["slide-content", "flexbox", "vleft"]
    # Math.
    maths = [el for el in by_line[77].iter() if el.tag == MATHML + "math"]
    assert [m.get("display") for m in maths] == ["block", None]
    # The header/body split, with a "----" in the h3's text.
    split = _content(by_line[93])
    assert [el.tag for el in split] == ["header", "div"]
    assert [text_of(h) for h in split[0]] == ["主页面样式", "----是上下分界线"]
    # Both tables are tables, their {:.highlight} cells marked.
    for line in (105, 456):
        table = by_line[line].find(".//table")
        assert table is not None and len(table.findall(".//th")) == 4
        assert [td.get("class") for td in table.iter("td")].count("highlight") == 1
    # {:&.pull-right} on the second blockquote; {:#testScriptTag} on the paragraph.
    assert [q.get("class") for q in by_line[138].iter("blockquote")] == [None, "pull-right"]
    assert by_line[209].find(".//p[@id='testScriptTag']") is not None
    assert by_line[209].get("data-on-enter") == "testScriptTag"
    # Magic blocks with their transitions as written, two parts each.
    for line, transition in ((271, "earthquake"), (293, "cover-circle")):
        (magic,) = [el for el in by_line[line].iter("div") if "magic" in _classes(el)]
        assert magic.get("data-transition") == transition
        assert [_classes(part) for part in magic] == [["magic-part"]] * 2
    # The fadeIn / zoomIn / bounceIn lists.
    for line, animation in ((303, "fadeIn"), (316, "zoomIn"), (327, "bounceIn")):
        top = by_line[line].find(".//ul")
        assert _classes(top) == [animation]
        assert [li.get("data-animation") for li in top] == [animation, animation]
    # Per-slide transitions, normalised, the author's name kept.
    assert [(by_line[n].get("data-transition"), by_line[n].get("data-transition-name"))
            for n in (356, 365, 373, 381)] == [("fade", "glue"), ("fade", "glue"),
                                               ("zoom", "zoomin"), ("slide", "vertical3d")]
    # The note: hidden in an aside at the end of its slide, its loose heading a heading.
    note_slide = _content(by_line[427])
    assert note_slide[-1].tag == "aside" and note_slide[-1].get("class") == "notes"
    assert text_of(note_slide[-1].find("h2")) == "这里是note"
    # Slide events stay on the section.
    assert (by_line[493].get("data-on-enter"), by_line[493].get("data-on-leave")) == (
        "incallback", "outcallback")


def test_the_demo_page_head(demo) -> None:
    result, _ = demo
    page = parse_page(result.html)
    root = next(el for el in page.iter("div") if el.get("class") == "deckgen")
    assert (root.get("data-transition"), root.get("data-transition-name")) == ("slide", "slide3")
    assert [m.get("content") for m in page.iter("meta") if m.get("name") == "author"] == ["三水清"]
    assert [link.get("href") for link in page.iter("link") if link.get("rel") == "author"] == [
        "https://github.com/ksky521/nodeppt"]
    # The header's files: that exist are inlined, in order, at the end of the body.
    assert [(el.tag, el.get("data-file")) for el in page.iter("script", "style")
            if el.get("data-file")] == [("script", "/js/demo.js"), ("style", "/css/demo.css")]
    assert all(script.get("src") is None for script in page.iter("script"))
    assert [link.get("rel") for link in page.iter("link")] == ["author", "icon"]


def test_the_demo_builds_identically_twice(demo) -> None:
    result, _ = demo
    assert build_file(DEMO).html == result.html
