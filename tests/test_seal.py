"""Sealing: malformed raw HTML in one slide must not leak into, swallow or nest the others.

Each case is built into a whole deck and the OUTPUT page is parsed with html5lib (the HTML5
parsing algorithm browsers implement) and, as a second opinion, lxml. The top-level
``section.slide`` elements must be exactly the deck's slides, each holding its own text; and
the ``html-repaired`` warnings must name the source line of the problem.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from deck_helpers import KERAS, text_of, top_level_slides

from deckgen.build import build_text
from deckgen.seal import seal


@dataclass(frozen=True)
class Case:
    fragment: str
    """Raw HTML written in the middle slide, between two marker paragraphs."""
    warnings: tuple[tuple[int, str], ...]
    """Expected html-repaired warnings: (line offset from the fragment's first line, message);
    ``{line}`` in a message is the fragment's first line."""
    hides_after: bool = False
    """True if the browser rightly hides the text after the fragment (an unclosed comment)."""


CASES = {
    "unclosed <div>": Case('<div class="box">\nunclosed div text',
                           ((0, "unclosed <div> closed at the end of the slide"),)),
    "unclosed <b>": Case("some <b>bold text",
                         ((0, "unclosed <b> closed by </p> on line {line}"),)),
    "stray </i>": Case("text</i> more",
                       ((0, "removed stray </i> (no open <i> in this slide)"),)),
    "stray </div>": Case("text</div> more",
                         ((0, "removed stray </div> (no open <div> in this slide)"),)),
    "stray </section>": Case("text</section> more",
                             ((0, "removed stray </section> (no open <section> in this slide)"),)),
    "malformed <img>": Case("<img src='https://example.com/logo.png', style='max-width: 600px;'>",
                            ((0, "malformed attribute ',' in <img>"),)),
    "stray </body>": Case("before body end</body>after body end",
                          ((0, "removed </body>: a slide is part of a page and cannot have its "
                               "own"),)),
    "stray </html>": Case("before html end</html>after html end",
                          ((0, "removed </html>: a slide is part of a page and cannot have its "
                               "own"),)),
    "stray </body></html> on their own lines": Case(
        "<div>\ninside\n</div>\n</body>\n</html>\nafter the end tags",
        ((3, "removed </body>: a slide is part of a page and cannot have its own"),
         (4, "removed </html>: a slide is part of a page and cannot have its own"))),
    "<plaintext>": Case("<plaintext>plain text",
                        ((0, "unclosed <plaintext> closed by </p> on line {line}"),)),
    "unclosed <!-- comment": Case("<!-- unclosed comment",
                                  ((0, "unclosed <!-- comment hides the rest of the slide"),),
                                  hides_after=True),
    "stray </i> on the third line of an HTML block": Case(
        "<div>\n<p>para</p>\n</i>\n</div>",
        ((2, "removed stray </i> (no open <i> in this slide)"),)),
    "unclosed <span> inside a closed <div>": Case(
        "<div>\n<span>open\n</div>",
        ((1, "unclosed <span> closed by </div> on line {line+2}"),)),
}


def _deck(fragment: str) -> tuple[str, int]:
    """A three-slide deck with ``fragment`` in slide 2; returns (text, fragment's first line)."""
    head = "title: seal\n[slide]\n# First\nFIRST-MARK\n[slide]\n# Second\nBEFORE-MARK\n\n"
    tail = "\n\nAFTER-MARK\n[slide]\n# Third\nTHIRD-MARK\n"
    return head + fragment + tail, head.count("\n") + 1


def _expected_warnings(case: Case, line: int) -> list[tuple[int, str]]:
    return [(line + offset, message.replace("{line+2}", str(line + 2)).replace("{line}", str(line)))
            for offset, message in case.warnings]


@pytest.mark.parametrize("parser", ["html5lib", "lxml"])
@pytest.mark.parametrize("name", list(CASES))
def test_malformed_html_stays_in_its_slide(name: str, parser: str) -> None:
    case = CASES[name]
    text, _ = _deck(case.fragment)
    result = build_text(text)
    slides = top_level_slides(result.html, parser)
    assert len(slides) == 3
    first, second, third = (text_of(s) for s in slides)
    assert "FIRST-MARK" in first and "BEFORE-MARK" not in first
    assert "BEFORE-MARK" in second and "FIRST-MARK" not in second and "THIRD-MARK" not in second
    assert "THIRD-MARK" in third and "AFTER-MARK" not in third and "BEFORE-MARK" not in third
    if case.hides_after:
        assert "AFTER-MARK" not in text_of(slides[1])
    else:
        assert "AFTER-MARK" in second
    # No slide ended up inside another one.
    assert [s.get("data-index") for s in slides] == ["1", "2", "3"]
    assert len([el for el in slides[0].getroottree().iter("section")]) == 3


@pytest.mark.parametrize("name", list(CASES))
def test_repair_warnings_name_the_source_line(name: str) -> None:
    case = CASES[name]
    text, line = _deck(case.fragment)
    result = build_text(text)
    repaired = [(d.line, d.message) for d in result.diagnostics if d.code == "html-repaired"]
    assert repaired == _expected_warnings(case, line)
    assert all(d.level == "warning" for d in result.diagnostics)


@pytest.mark.parametrize("name", [n for n in CASES if not CASES[n].hides_after])
def test_text_after_the_problem_is_kept(name: str) -> None:
    """Nothing the author wrote is lost: after a stray </body> or </div> too."""
    fragment = CASES[name].fragment
    result = build_text(_deck(fragment)[0])
    second = text_of(top_level_slides(result.html)[1])
    for word in ("more", "after body end", "after html end", "after the end tags", "inside",
                 "unclosed div text", "bold text", "plain text", "para", "open"):
        if word in fragment:
            assert word in second, word


def test_every_case_in_one_deck() -> None:
    """All the malformed fragments together, one per slide, between two clean slides."""
    parts = ["title: all\n[slide]\nCLEAN-FIRST\n"]
    for i, case in enumerate(CASES.values()):
        parts.append(f"[slide]\nMARK-{i}-END\n\n{case.fragment}\n")
    parts.append("[slide]\nCLEAN-LAST\n")
    result = build_text("".join(parts))
    for parser in ("html5lib", "lxml"):
        slides = top_level_slides(result.html, parser)
        assert len(slides) == len(CASES) + 2
        texts = [text_of(s) for s in slides]
        assert "CLEAN-FIRST" in texts[0] and "CLEAN-LAST" in texts[-1]
        for i in range(len(CASES)):
            assert f"MARK-{i}-END" in texts[i + 1]
            assert all(f"MARK-{i}-END" not in t for j, t in enumerate(texts) if j != i + 1)
        assert "CLEAN-LAST" not in "".join(texts[:-1])


def test_the_seed_decks_repairs() -> None:
    """decks/keras.txt has `<img src='...', style='...'>` (line 10) and a stray </i> (line 53)."""
    from deckgen.build import build_file

    result = build_file(KERAS)
    repaired = [(d.line, d.message) for d in result.diagnostics if d.code == "html-repaired"]
    assert repaired == [(10, "malformed attribute ',' in <img>"),
                        (53, "removed stray </i> (no open <i> in this slide)")]
    slides = top_level_slides(result.html)
    assert len(slides) == 21
    # The malformed <img> is still an image (as in nodeppt), not markup printed as text.
    images = slides[1].findall(".//img")
    assert [img.get("src") for img in images] == [
        "https://s3.amazonaws.com/keras.io/img/keras-logo-2018-large-1200.png"]
    assert "<img" not in text_of(slides[1])
    # The paragraph around the stray </i> keeps its text, and the next slide is intact.
    assert "Jeff Hale" in text_of(slides[5])
    assert text_of(slides[6]).strip().startswith("Keras 可以轻松将模型转化为产品")


def test_line_numbers_after_fenced_code_and_lists() -> None:
    text = ("[slide]\n"           # 1
            "# Code first\n"      # 2
            "```python\n"         # 3
            "x = '<div>'\n"       # 4  (code: not HTML)
            "y = '</i>'\n"        # 5
            "```\n"               # 6
            "\n"                  # 7
            "- item one\n"        # 8
            "- item <b>two\n"     # 9
            "\n"                  # 10
            "para line one\n"     # 11
            "para </i> two\n")    # 12
    result = build_text(text)
    repaired = [(d.line, d.message) for d in result.diagnostics if d.code == "html-repaired"]
    assert repaired == [(9, "unclosed <b> closed by </li> on line 9"),
                        (12, "removed stray </i> (no open <i> in this slide)")]


def test_a_tag_with_no_end_is_warned_about() -> None:
    """A tag with no '>' before the end of the slide takes the rest with it (so does a browser);
    the author must hear of it, and the next slide must not be touched."""
    text = ("[slide]\n"            # 1
            "# One\n"              # 2
            "\n"                   # 3
            "<div>\n"              # 4
            "<span class='x'\n"    # 5
            "lost text\n"          # 6
            "[slide]\n"            # 7
            "# Two\n")
    result = build_text(text)
    assert [(d.line, d.message) for d in result.diagnostics] == [
        (5, "tag '<span' has no '>': the rest of the slide is lost"),
        (4, "unclosed <div> closed at the end of the slide")]
    first, second = top_level_slides(result.html)
    assert "One" in text_of(first) and text_of(second).strip() == "Two"


def test_clean_html_gives_no_warnings() -> None:
    text = ("[slide]\n<div class=\"a\">\n<p>one <b>two</b> <img src=\"data:image/png;base64,iVBORw0KGgo=\"></p>\n"
            "<br/>\n<svg viewBox=\"0 0 1 1\"><circle r=\"1\"/></svg>\n"
            "<p>a <<b>b</b> and a < b, <!-- a comment --></p>\n</div>\n\n"
            "<ul><li>a<li>b</ul>\n")
    result = build_text(text)
    assert result.diagnostics == []


# -- the sealing function itself ------------------------------------------------------------------

@pytest.mark.parametrize(("html", "expected"), [
    ("<div>x", "<div>x</div>"),
    ("<b>bold", "<b>bold</b>"),
    ("a</i>b", "ab"),
    ("<p>a</div>b</p><p>c</p>", "<p>a</p>b<p>c</p>"),
    ("before</body>after", "beforeafter"),
    ("<plaintext>x", "<pre>x</pre>"),
    ("x &lt; y", "x &lt; y"),
])
def test_seal_serializes_balanced_html(html: str, expected: str) -> None:
    assert seal(html).serialize() == expected


def test_seal_reports_problems_with_fragment_lines() -> None:
    sealed = seal("<p>ok</p>\n<div>\n</span>\n")
    assert [(p.line, p.message) for p in sealed.problems] == [
        (3, "removed stray </span> (no open <span> in this slide)"),
        (2, "unclosed <div> closed at the end of the slide")]
