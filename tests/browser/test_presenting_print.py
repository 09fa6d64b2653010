"""Printing, as the browser's own Print does it (Playwright's page.pdf is Chromium's print to PDF,
with the page's beforeprint/afterprint): one 1280x720 page per slide, every step shown, notes
left out (or printed under each slide with ?print-notes), colours kept, long slides fitted."""

from __future__ import annotations

import io
import re

import pypdf
import pytest

pytestmark = pytest.mark.browser


SLIDE_PAGE = (960, 540)  # 1280x720 CSS px in PDF points (3/4)
DECK = """title: Print
theme: dark
[slide]
# Cover

<aside class="notes">Cover notes for the speaker</aside>

[slide]
## Steps

<p class="fragment">first point</p>
<p class="fragment">second point</p>

<div class="magic"><div class="magic-part">part one</div><div class="magic-part">part two</div></div>

<aside class="notes">Steps notes: remember the demo</aside>

[slide]
## Last
"""


def print_pdf(page):
    return pypdf.PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))


def page_text(reader, number: int) -> str:
    return re.sub(r"\s+", "", reader.pages[number].extract_text())


def size(pdf_page) -> tuple[float, float]:
    box = pdf_page.mediabox
    return (round(float(box.width), 1), round(float(box.height), 1))


def test_keras_prints_one_16_9_page_per_slide(page, keras_html, deck_tools):
    deck_tools.open(page, keras_html, "#/9")
    reader = print_pdf(page)
    assert len(reader.pages) == 21
    assert {size(p) for p in reader.pages} == {SLIDE_PAGE}
    # In order, starting with the first slide whichever is on screen.
    assert page_text(reader, 0).startswith("Keras入门")
    assert page_text(reader, 8).startswith("快速上手Keras")
    assert "安装指引" in page_text(reader, 20)
    deck_tools.wait_for_slide(page, 9)


def test_every_step_prints_the_notes_do_not_and_the_screen_comes_back(page, build_deck,
                                                                       deck_tools):
    deck_tools.open(page, build_deck(DECK, "print.txt"), "#/2")
    reader = print_pdf(page)
    assert len(reader.pages) == 3
    steps = page_text(reader, 1)
    assert "firstpoint" in steps and "secondpoint" in steps
    assert "parttwo" in steps  # the slide as fully built: the last magic part
    everything = "".join(page_text(reader, i) for i in range(3))
    assert "notes" not in everything.lower()
    # After printing the slide on screen is as it was: no step shown, one slide, nothing tagged.
    state = page.evaluate("""() => ({
        step: deckgen.step,
        fragments: Array.from(deckgen.current().querySelectorAll('.fragment'))
            .map(f => getComputedStyle(f).visibility),
        shown: Array.from(document.querySelectorAll('.deckgen-canvas > section.slide'))
            .filter(s => getComputedStyle(s).display !== 'none').length,
        hidden: Array.from(document.querySelectorAll('.deckgen-canvas > section.slide'))
            .map(s => s.getAttribute('aria-hidden')),
        classes: document.documentElement.className})""")
    assert state == {"step": 0, "fragments": ["hidden", "hidden"], "shown": 1,
                     "hidden": ["true", "false", "true"], "classes": "deckgen-js"}
    page.keyboard.press("ArrowRight")
    page.wait_for_function("deckgen.step === 1")


def test_theme_backgrounds_print_even_without_background_graphics(page, build_deck, deck_tools):
    """print_background=False is the print dialog's "Background graphics" left unticked."""
    deck_tools.open(page, build_deck(DECK, "print.txt"))
    reader = pypdf.PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True,
                                                 print_background=False)))
    dark = (0x23 / 255, 0x23 / 255, 0x23 / 255)  # the dark theme's --dg-bg (nodeppt's #232323)
    for pdf_page in reader.pages:
        stream = pdf_page.get_contents().get_data().decode("latin-1")
        fills = [tuple(map(float, m)) for m in
                 re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) rg", stream)]
        assert any(all(abs(a - b) < 0.003 for a, b in zip(fill, dark)) for fill in fills), fills


def test_print_notes_puts_each_slides_notes_under_it(page, build_deck, deck_tools):
    path = build_deck(DECK, "print.txt")
    page.goto(path.as_uri() + "?print-notes#/1")
    page.wait_for_function("document.querySelector('.deckgen.is-ready')")
    reader = print_pdf(page)
    assert len(reader.pages) == 3
    width, height = size(reader.pages[0])
    assert width == 960 and height > 1.3 * width  # a portrait page: the slide, then its notes
    assert "Covernotesforthespeaker" in page_text(reader, 0)
    assert "Stepsnotes:rememberthedemo" in page_text(reader, 1)
    assert "Steps" not in page_text(reader, 0) and "Cover" not in page_text(reader, 1)
    # Gone after printing.
    assert page.evaluate("document.querySelectorAll('.deckgen-print-notes-block').length") == 0
    # Where they go: right under their slide, the slide itself as always.
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")
    layout = page.evaluate("""() => Array.from(document.querySelectorAll(
            '.deckgen-canvas > section.slide')).map(s => {
        const notes = s.nextElementSibling, slide = s.getBoundingClientRect();
        return {height: slide.height, notesTop: notes.getBoundingClientRect().top - slide.bottom,
                notes: notes.textContent.trim(),
                size: parseFloat(getComputedStyle(notes).fontSize)}; })""")
    assert [(round(n["height"]), round(n["notesTop"])) for n in layout] == [(720, 0)] * 3
    assert [n["notes"] for n in layout] == ["Cover notes for the speaker",
                                            "Steps notes: remember the demo", ""]
    assert all(n["size"] >= 24 for n in layout)


def test_long_slides_print_scaled_to_fit(page, build_deck, deck_tools):
    items = "".join(f"- item {n} of a very long list\n" for n in range(1, 61))
    path = build_deck(f"[slide]\n# Short\n\n[slide]\n# Long\n\n{items}\n[slide]\n# After\n",
                      "long.txt")
    deck_tools.open(page, path, "#/2")
    assert page.evaluate("deckgen.current().classList.contains('is-scrolling')")  # on screen
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")
    boxes = page.evaluate("""() => Array.from(document.querySelectorAll('section.slide')).map(s => {
        const slide = s.getBoundingClientRect();
        const content = s.querySelector('.slide-content').getBoundingClientRect();
        return {top: slide.top, height: slide.height, bottom: slide.bottom,
                contentTop: content.top, contentBottom: content.bottom,
                scale: s.getAttribute('data-scale')}; })""")
    assert [round(b["height"]) for b in boxes] == [720, 720, 720]
    assert [round(b["top"]) for b in boxes] == [0, 720, 1440]  # one after another, page by page
    long = boxes[1]
    assert long["contentTop"] >= long["top"] and long["contentBottom"] <= long["bottom"] + 1
    assert float(long["scale"]) < 0.6
    page.emulate_media(media="null")  # no emulation: print prints
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    reader = print_pdf(page)
    assert len(reader.pages) == 3
    assert "item60ofaverylonglist" in page_text(reader, 1)


def test_printing_from_the_presenter_window_prints_the_slides(page, build_deck, deck_tools):
    path = build_deck(DECK, "print.txt")
    page.goto(path.as_uri() + "?deckgen-presenter#/2")
    page.wait_for_function("document.querySelector('.deckgen.is-ready')")
    reader = print_pdf(page)
    assert len(reader.pages) == 3 and {size(p) for p in reader.pages} == {SLIDE_PAGE}
    assert "Notes" not in reader.pages[0].extract_text()
