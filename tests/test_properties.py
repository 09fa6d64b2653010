"""Properties of whole builds over generated decks (Hypothesis).

1. For any text, ``build_text`` either returns or raises ``DeckError``; nothing else.
2. The slide count equals the number of separator lines outside closed fences, as counted by
   ``oracle_slides`` below: an independent, deliberately plain reading of the rules in
   ``deckgen/parse.py``'s docstring, not a copy of the parser.
3. In the page as a browser parses it (html5lib), each slide's text is inside its own
   ``section.slide``, whatever raw HTML the slides contain; text that the author's own broken
   markup hides (a tag with no '>') is warned about, never lost silently.

Regression cases found by these searches are pinned with ``@example``.
"""

from __future__ import annotations

import os
import re

import lxml.html
from deck_helpers import top_level_slides
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from deckgen.build import build_text
from deckgen.model import DeckError

# DECKGEN_EXAMPLES=5000 for a long search; the default keeps the suite fast.
EXAMPLES = int(os.environ.get("DECKGEN_EXAMPLES", "200"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

# -- the oracle ---------------------------------------------------------------------------------

# What a separator's attribute list may hold in the decks generated here: names, and values
# double-quoted, single-quoted or bare. Separator syntax in full is covered by the fixtures.
_ATTRIBUTES = re.compile(r"""(?:\s+[\w:.-]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'\]]+))?)*\s*""")


def is_separator(line: str) -> bool:
    """A whole line ``[slide`` + (whitespace or ``]``) ... ``]`` + optional trailing blanks."""
    if not line.startswith("[slide"):
        return False
    rest = line[len("[slide"):].rstrip()
    if not rest.endswith("]") or not (rest[0] == "]" or rest[0].isspace()):
        return False
    return _ATTRIBUTES.fullmatch(rest[:-1]) is not None


def fence_opening(line: str) -> tuple[str, int] | None:
    """(character, length) for a line opening a fence: 3+ backticks or tildes after any
    indentation; a backtick fence's info string may not contain a backtick."""
    stripped = line.lstrip(" \t")
    char = stripped[:1]
    if char not in ("`", "~"):
        return None
    length = len(stripped) - len(stripped.lstrip(char))
    if length < 3 or (char == "`" and "`" in stripped[length:]):
        return None
    return char, length


def closes(line: str, char: str, length: int) -> bool:
    """Only the fence character, at least as many as the opening, once blanks are stripped."""
    run = line.strip()
    return len(run) >= length and run == char * len(run)


def deck_lines(text: str) -> list[str]:
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def oracle_slides(text: str) -> list[list[int]] | None:
    """Line numbers (0-based) of each slide's lines, or None when the text has no separator.

    The header (everything before the first separator line) is not Markdown: no fences there.
    A fence protects the lines up to its closing line, if there is one; otherwise it is text.
    """
    lines = deck_lines(text)
    first = next((i for i, line in enumerate(lines) if is_separator(line)), None)
    if first is None:
        return None
    slides: list[list[int]] = [[]]
    i = first + 1
    while i < len(lines):
        opening = fence_opening(lines[i])
        if opening is not None:
            close = next((j for j in range(i + 1, len(lines)) if closes(lines[j], *opening)),
                         None)
            if close is not None:
                slides[-1].extend(range(i, close + 1))
                i = close + 1
                continue
        if is_separator(lines[i]):
            slides.append([])
        else:
            slides[-1].append(i)
        i += 1
    return slides


def test_oracle_on_known_cases() -> None:
    """The oracle itself, on hand-checked input, so that it cannot agree with a broken parser
    by accident."""
    assert oracle_slides("title: x\n") is None
    assert oracle_slides("```\n[slide]\n```\n") is not None  # the header has no fences
    assert len(oracle_slides("[slide]\n```\n[slide]\n```\n[slide]\n")) == 2
    assert len(oracle_slides("[slide]\n```\n[slide]\n")) == 2  # unclosed
    assert len(oracle_slides("[slide]\n````\n[slide]\n```\n[slide]\n")) == 3  # too short
    assert len(oracle_slides("[slide]\n~~~\n[slide]\n```\n")) == 2  # other character
    assert len(oracle_slides("[slide]\n``` a`b\n[slide]\n")) == 2  # not a fence
    assert len(oracle_slides("[slide]   \nx [slide]\n[slide] x\n[slides]\n")) == 1
    assert len(oracle_slides("[slide class='a b' data-x=1 hidden]\n[slide\tid=\"q\"]\t\n")) == 2
    assert len(oracle_slides("\ufeff[slide]\r\n[slide]\r[slide]\n")) == 3
    assert oracle_slides("[slide]\nMK1X\n[slide]\nMK2X\n") == [[1], [3, 4]]


# -- strategies ---------------------------------------------------------------------------------

SEPARATORS = ["[slide]", "[slide] ", "[slide]  ", "[slide]\t", '[slide class="cover"]',
              "[slide data-x='1' hidden]", "[slide\tid=a]", '[slide style="color: red"] ',
              "[slide data-on-enter=go ]", "[slide\u3000]", "[slide]\u3000",
              '[slide class="x"\u3000]']
LOOKALIKES = ["[slide] text", " [slide]", "[slides]", "`[slide]`", "text [slide]", "[slide",
              "> [slide]", "[Slide]", "[slide]: http://example.com", "- [slide]"]
FENCES = ["```", "````", "`````", "``````", "~~~", "~~~~", "~~~~~~", "```python", "~~~ js",
          "  ```", "\t~~~", "```   ", "``` x`y", "~~~ a`b", "``", "~~", "```` ", "   ````"]
HTML = ["<div>", "</div>", "<b>bold", "</i>", "</section>", '<section class="slide">',
        "<img src='https://x/y.png', style='width: 1px'>", "</body>", "</html>", "<plaintext>",
        "<!--", "-->", "<!-- done -->", "<script>", "</script>", "<table><tr><td>cell",
        "<svg><circle/>", "<p>", "</p>", "<textarea>", "<style>", "<template>", "<select>",
        "<xmp>", "<iframe>", "<noscript>", "<![CDATA[", "<math><mi>x", "<title>", "<head>",
        "<body>", "<html>", "&lt;", "<a href=x>", "<br/>", "<div/>", "<span", "<ul><li>one",
        '<div class="x" style=\'y\'>', "<pre>", "</pre>", "<!DOCTYPE html>", "<frameset>"]
TEXT = ["", "", "# 标题", "## Keras 入门", "- item", "中文段落，Keras 入门。", "text with `code`",
        "    indented code", "| a | b |", "|---|---|", "> quote", "***", "1. one", "---",
        "![img](https://example.com/a.png)", "$$ x = 1 $$", "**bold** _em_", "\\", "日本語のテキスト",
        "{:&.rollIn}", "[note]", "----"]
HEADER = ["title: 标题", "theme: dark", "highlightStyle: monokai_sublime", "thme: x",
          "<!-- c -->", "speaker: me // c", "usemathjax: yes", "stray words", "```", "---",
          "lang: zh-CN", ""]

random_line = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=12)
# One line of a deck body; fences come mostly in fence_block, so that they protect something.
deck_line = st.one_of(
    st.sampled_from(SEPARATORS), st.sampled_from(LOOKALIKES), st.sampled_from(HTML),
    st.sampled_from(TEXT), st.sampled_from(FENCES), random_line,
)


def fence_block(inner: st.SearchStrategy[str]) -> st.SearchStrategy[list[str]]:
    """An opening fence line, some lines (separators among them), and maybe a closing line,
    which may or may not close it (too short, other character, info string...)."""
    return st.builds(lambda opening, lines, closing: [opening, *lines, *closing],
                     st.sampled_from(FENCES),
                     st.lists(st.one_of(st.sampled_from(SEPARATORS), inner), max_size=5),
                     st.lists(st.sampled_from(FENCES), max_size=1))


def flatten(blocks: list[list[str]]) -> list[str]:
    return [line for block in blocks for line in block]


@st.composite
def decks(draw) -> str:
    header = draw(st.lists(st.sampled_from(HEADER), max_size=4))
    start = draw(st.sampled_from(SEPARATORS + ["", "[slides]"]))  # some decks have no slides
    blocks = draw(st.lists(st.one_of(deck_line.map(lambda line: [line]), fence_block(deck_line)),
                           min_size=1, max_size=12))
    lines = header + [start] + flatten(blocks)
    ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    bom = draw(st.sampled_from(["", "\ufeff"]))
    return bom + ending.join(lines) + draw(st.sampled_from(["", ending]))


# -- properties ---------------------------------------------------------------------------------

# Errors a deck with slides may still stop at: its header.
HEADER_ERRORS = {"bad-header", "unknown-theme"}


def _build(text: str):
    try:
        return build_text(text)
    except DeckError as error:
        return error


@SETTINGS
@given(st.text())
def test_any_text_builds_or_is_a_deck_error(text: str) -> None:
    outcome = _build(text)
    if oracle_slides(text) is None:
        assert isinstance(outcome, DeckError)
        assert outcome.code in {"empty-file", "no-slides"}
        assert outcome.format_message().startswith("deck.txt")


@SETTINGS
@given(st.text(), st.text())
def test_any_text_in_a_slide_builds(header: str, body: str) -> None:
    text = header + "\n[slide]\n" + body
    outcome = _build(text)
    if isinstance(outcome, DeckError):
        assert outcome.code in HEADER_ERRORS, outcome.format_message()
    else:
        assert len(outcome.slides) == len(oracle_slides(text))


@SETTINGS
@given(decks())
# Regression cases: a longer closing fence, a backtick fence that is not one (info has a
# backtick), a too-short closing line, a full-width space in a separator.
@example("[slide]\n```\n[slide]\n`````\n[slide]\n")
@example("[slide]\n``` x`y\n[slide]\n```\n")
@example("[slide]\n````\n[slide]\n```\n[slide]\n")
@example("title: t\n[slide\u3000]\nx\n[slide]\u3000\ny\n")
def test_slide_count_matches_the_oracle(text: str) -> None:
    expected = oracle_slides(text)
    outcome = _build(text)
    if expected is None:
        assert isinstance(outcome, DeckError) and outcome.code in {"empty-file", "no-slides"}
        return
    if isinstance(outcome, DeckError):
        assert outcome.code in HEADER_ERRORS, outcome.format_message()
        return
    assert len(outcome.slides) == len(expected)
    assert [s.index for s in outcome.slides] == list(range(1, len(expected) + 1))
    assert f'data-slide-count="{len(expected)}"' in outcome.html
    # From bytes: lxml refuses str input with control characters, which a deck may hold.
    root = lxml.html.document_fromstring(outcome.html.encode("utf-8"),
                                         parser=lxml.html.HTMLParser(encoding="utf-8"))
    sections = [s for s in root.iter("section") if "slide" in (s.get("class") or "").split()]
    assert len([s for s in sections if s.getparent().get("class") == "deckgen-canvas"]) \
        == len(expected)


_MARK = re.compile(r"MK\d+X", re.IGNORECASE)  # a marker may end up an attribute name


@st.composite
def marked_decks(draw) -> str:
    """Decks whose every separator and HTML line is followed by a unique marker ``MK<n>X``."""
    header = draw(st.lists(st.sampled_from(HEADER[:8]), max_size=3))
    piece = st.one_of(st.sampled_from(SEPARATORS), st.sampled_from(HTML),
                      st.sampled_from(TEXT), st.sampled_from(LOOKALIKES))
    blocks = draw(st.lists(st.one_of(piece.map(lambda line: [line]), fence_block(piece)),
                           min_size=1, max_size=12))
    lines = ["[slide]", "MK0X"]
    for line in flatten(blocks):
        lines.append(line)
        if line in SEPARATORS or line in HTML:
            lines.append(f"MK{len(lines)}X")
    return "\n".join(header + lines) + "\n"


@settings(max_examples=max(EXAMPLES // 2, 20), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(marked_decks())
# Regression cases: a stray </div> used to drop the rest of its slide; a tag with no '>'
# drops the rest, as in a browser, and used to do so without a warning.
@example("[slide]\nMK0X\n</div>\nMK3X\n")
@example("[slide]\nMK0X\n<div>\n<span\n```\n[slide]\nMK6X\n```\n")
def test_each_slides_text_stays_in_its_slide(text: str) -> None:
    expected = oracle_slides(text)
    assert expected is not None
    lines = deck_lines(text)
    expected_marks = [{m for i in slide for m in _MARK.findall(lines[i])} for slide in expected]
    outcome = _build(text)
    if isinstance(outcome, DeckError):
        assert outcome.code in HEADER_ERRORS
        return
    slides = top_level_slides(outcome.html)
    assert len(slides) == len(expected)
    warned = {d.line for d in outcome.diagnostics if d.code == "html-repaired"}
    for slide, slide_lines, marks in zip(slides, expected, expected_marks):
        html = lxml.html.tostring(slide, encoding="unicode")
        found = {m.upper() for m in _MARK.findall(html)}
        # Nothing leaks into another slide ...
        assert found <= marks
        # ... and nothing vanishes silently: only markup the author broke (a tag with no '>'
        # before the end of the slide) loses text, as in a browser, and that is warned about.
        if found != marks:
            assert any(line - 1 in slide_lines for line in warned), (marks - found)
