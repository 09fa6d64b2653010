"""Broken HTML in one slide stays in that slide, as Chromium's own parser sees the page."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

BROKEN = [
    "<div class='box'>an unclosed div",
    "<b>unclosed bold",
    "a stray </i> end tag",
    "a stray </div> end tag",
    "a stray </section> end tag",
    "<img src='x', style='y'>",
    "a stray </body> end tag",
    "</div></div></section></section><div><div><section>",
    "<table><tr><td>unclosed table",
    "<ul><li>unclosed list",
    "<!-- an unclosed comment",
]


def _deck() -> str:
    parts = ["title: Sealing\n"]
    for number, html in enumerate(BROKEN, start=1):
        parts.append(f"\n[slide]\n# Slide {number}\n\nBEFORE-{number}\n\n{html}\n\n"
                     f"AFTER-{number}\n")
    parts.append(f"\n[slide]\n# The end\n\nBEFORE-{len(BROKEN) + 1}\n\n"
                 f"AFTER-{len(BROKEN) + 1}\n")
    return "".join(parts)


def test_every_slide_is_its_own_section(page, build_deck, deck_tools):
    total = len(BROKEN) + 1
    path = build_deck(_deck(), "sealing.txt")
    deck_tools.open(page, path)
    sections = page.evaluate("""() => Array.from(
        document.querySelectorAll('.deckgen-canvas > section.slide'),
        s => ({index: s.dataset.index, text: s.textContent,
               nested: s.querySelectorAll('section.slide, .deckgen-canvas').length}))""")
    assert len(sections) == total
    assert page.evaluate("deckgen.slides.length") == total
    assert page.evaluate("document.querySelectorAll('section.slide').length") == total
    for number, section in enumerate(sections, start=1):
        assert section["index"] == str(number)
        assert section["nested"] == 0, number
        found = [f"{m}-{n}" for m in ("BEFORE", "AFTER") for n in range(1, total + 1)
                 if _has_marker(section["text"], f"{m}-{n}")]
        assert found == [f"BEFORE-{number}", f"AFTER-{number}"] or \
            (BROKEN[number - 1].startswith("<!--") and found == [f"BEFORE-{number}"]), \
            (number, found)
    # Everything after the canvas is still the page's own furniture, outside every slide.
    assert page.evaluate("""() => {
        const number = document.querySelector('.deckgen-number');
        return !number.closest('section') && number.parentElement.classList.contains('deckgen');
    }""")
    # And the deck still works across the broken slides.
    page.keyboard.press("End")
    deck_tools.wait_for_slide(page, total, total=total)
    assert page.errors_seen == []


def _has_marker(text: str, marker: str) -> bool:
    """``marker`` as a whole word (BEFORE-1 must not match inside BEFORE-12)."""
    start = text.find(marker)
    while start != -1:
        end = start + len(marker)
        if end == len(text) or not text[end].isdigit():
            return True
        start = text.find(marker, end)
    return False
