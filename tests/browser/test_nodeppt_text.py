"""deckgen's builds of keras and the nodeppt demo show, slide by slide, what nodeppt 1.4.5's own
builds show: the same slides, the same text, the same headings, bold, italics, code and links.

The expectations (``tests/fixtures/nodeppt-expected/*.json``) were read from nodeppt's builds in
Chromium by ``extract.py`` there; this test reads deckgen's pages with the same function
(``slide_text.js``). Where deckgen differs on purpose, ``KNOWN`` says so, one entry per
difference, each also listed in docs/nodeppt.md.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from deckgen.build import build_file, write_atomic

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
EXPECTED = REPO / "tests" / "fixtures" / "nodeppt-expected"
DECKGEN_SLIDES = ".deckgen-canvas > section.slide"
# Not slide content: notes, code that runs, the cover's speaker/date line (deckgen shows the
# header's speaker there; nodeppt did not), and the placeholder drawn for a missing image
# (nodeppt showed a broken image, which has no text).
DECKGEN_SKIP = ", ".join([
    "aside.notes", "script", "style", "template", "noscript",
    "footer.deck-meta",
    ".deckgen-image-missing",
])


@dataclass(frozen=True)
class Known:
    """A difference on purpose: on slide ``slide`` (1-based) of ``deck``, ``nodeppt`` (a regular
    expression) in nodeppt's text and marks and ``deckgen`` in deckgen's both become ``same``."""

    deck: str
    slide: int
    nodeppt: str
    deckgen: str
    same: str
    why: str


KNOWN = [
    # docs/nodeppt.md, Math: formulas are MathML built by deckgen; nodeppt's page needed
    # MathJax, which its offline build did not have, so it showed the TeX.
    Known("demo", 8, r"\$\$.*?\$\$|\\\(.*?\\\)", r"⟨math⟩", " ⟨math⟩ ",
          "formulas are MathML, not MathJax"),
]


def _apply(text: str, pattern: str, same: str) -> str:
    return " ".join(re.sub(pattern, same, text).split())


def _normalise(deck: str, slides: list[dict], side: str) -> list[dict]:
    out = []
    for number, slide in enumerate(slides, 1):
        text, marks = slide["text"], list(slide["marks"])
        for known in KNOWN:
            if known.deck == deck and known.slide == number:
                pattern = known.nodeppt if side == "nodeppt" else known.deckgen
                text = _apply(text, pattern, known.same)
                marks = [_apply(mark, pattern, known.same) for mark in marks]
        out.append({"text": text, "marks": marks})
    return out


def _slide_text_js() -> str:
    return (EXPECTED / "slide_text.js").read_text(encoding="utf-8")


DECKS = {"keras": REPO / "decks" / "keras.txt",
         "demo": REPO / "tests" / "fixtures" / "decks" / "nodeppt-demo.md"}


@pytest.mark.parametrize("deck", sorted(DECKS))
def test_slides_show_what_nodeppt_showed(page, deck_tools, tmp_path, deck):
    expected = json.loads((EXPECTED / f"{deck}.json").read_text(encoding="utf-8"))
    target = tmp_path / f"{deck}.html"
    write_atomic(target, build_file(DECKS[deck]).html)
    deck_tools.open(page, target)
    actual = page.evaluate(_slide_text_js(), {"slides": DECKGEN_SLIDES, "skip": DECKGEN_SKIP})

    assert len(actual) == len(expected["slides"]), "the deck is split into other slides"
    want = _normalise(deck, expected["slides"], "nodeppt")
    got = _normalise(deck, actual, "deckgen")
    differences = [f"slide {n}:\n  nodeppt: {w}\n  deckgen: {g}"
                   for n, (w, g) in enumerate(zip(want, got), 1) if w != g]
    assert not differences, "\n".join(differences)


def test_the_comparison_sees_what_matters(page, build_deck, deck_tools):
    """The reading notices what the Markdown items are about: ``**`` shown as text, a URL that
    is not a link, a heading that is not one, Markdown inside HTML left as written."""
    rendered = build_deck("title: t\n\n[slide]\n## 标题\n**注意：**这里 https://example.org/x\n\n"
                          "<p>混编**markdown**</p>\n")
    deck_tools.open(page, rendered)
    (slide,) = page.evaluate(_slide_text_js(), {"slides": DECKGEN_SLIDES, "skip": DECKGEN_SKIP})
    assert slide == {"text": "标题 注意：这里 https://example.org/x 混编markdown",
                     "marks": ["h2: 标题", "strong: 注意：", "a: https://example.org/x",
                               "strong: markdown"]}
    page.set_content("<div class='deckgen-canvas'><section class='slide'>## 标题\n"
                     "<p>**注意：**这里 https://example.org/x</p><p>混编**markdown**</p>"
                     "</section></div>")
    (plain,) = page.evaluate(_slide_text_js(), {"slides": DECKGEN_SLIDES, "skip": DECKGEN_SKIP})
    assert plain["marks"] == [] and "**" in plain["text"]
    assert plain != slide
