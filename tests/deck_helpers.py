"""Helpers shared by deckgen's non-browser tests (imported as ``deck_helpers``).

The reference decks are real ones: ``decks/keras.txt`` (the deck deckgen is built for) and
``tests/fixtures/decks/nodeppt-demo.md`` (nodeppt 1.4.5's demo, MIT licence, by ksky521).
"""

from __future__ import annotations

import os
import struct
import warnings
import zlib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("DECKGEN_CHROMIUM") or "/usr/bin/chromium"
"""The Chromium the tests drive (the browser tests' conftest reads the same variable)."""
KERAS = REPO / "decks" / "keras.txt"
DEMO = REPO / "tests" / "fixtures" / "decks" / "nodeppt-demo.md"

# Lines of the separators, from `grep -n '^\[slide'` on each deck (none is inside a fence).
KERAS_SLIDE_LINES = [4, 7, 12, 24, 36, 46, 59, 73, 83, 89, 98, 108, 118, 127, 135, 143, 151,
                     159, 195, 207, 215]
DEMO_SLIDE_LINES = [9, 13, 27, 30, 36, 43, 69, 77, 82, 93, 105, 117, 132, 138, 149, 160, 177,
                    209, 234, 239, 242, 254, 257, 265, 268, 271, 293, 303, 316, 327, 338, 341,
                    356, 365, 373, 381, 389, 391, 397, 406, 412, 420, 427, 444, 456, 469, 480,
                    484, 493, 510, 531]


def png_bytes(width: int = 1, height: int = 1, rgb: tuple[int, int, int] = (255, 0, 0)) -> bytes:
    """A real, valid PNG image (one colour), built byte by byte."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    row = b"\x00" + bytes(rgb) * width
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(row * height))
            + chunk(b"IEND", b""))


def parse_page(html: str):
    """Parse a built page the way a browser does (html5lib implements the HTML5 algorithm)."""
    import html5lib

    with warnings.catch_warnings():
        # html5lib warns when an attribute name (like the seed's ',') is not valid XML.
        warnings.simplefilter("ignore")
        return html5lib.parse(html, treebuilder="lxml", namespaceHTMLElements=False)


def _is_slide(element) -> bool:
    return element.tag == "section" and "slide" in (element.get("class") or "").split()


def top_level_slides(html: str, parser: str = "html5lib") -> list:
    """The ``section.slide`` elements of a page that are not inside another slide.

    ``parser`` is ``html5lib`` (what browsers do) or ``lxml`` (libxml2, a second opinion).
    """
    if parser == "html5lib":
        root = parse_page(html)
    else:
        import lxml.html

        root = lxml.html.document_fromstring(html)
    return [el for el in root.iter("section")
            if _is_slide(el) and not any(_is_slide(a) for a in el.iterancestors())]


def text_of(element) -> str:
    return "".join(element.itertext())


def wait_position(page, number: int, step: int = 0) -> None:
    """In a browser test: wait until the deck shows slide ``number`` (1-based) at ``step``,
    and the address says so (``#/5``, ``#/5/2``)."""
    wanted = f"#/{number}" + (f"/{step}" if step else "")
    page.wait_for_function(
        "([n, s, h]) => deckgen.index === n - 1 && deckgen.step === s && location.hash === h",
        arg=[number, step, wanted])
