"""The embedded code face: templates/fonts.css carries fonts/source-code-pro-latin-400.woff2
byte for byte (so the two cannot drift apart), its licence is beside it, and a built page has it
once, as a data: URI (no network)."""

from __future__ import annotations

import base64
import re

from deck_helpers import REPO

from deckgen.build import build_text

TEMPLATES = REPO / "templates"


def _embedded() -> bytes:
    css = (TEMPLATES / "fonts.css").read_text(encoding="utf-8")
    found = re.findall(r"url\(data:font/woff2;base64,([A-Za-z0-9+/=]+)\)", css)
    assert len(found) == 1
    return base64.b64decode(found[0])


def test_fonts_css_is_the_woff2_file() -> None:
    data = _embedded()
    assert data[:4] == b"wOF2"
    assert data == (TEMPLATES / "fonts" / "source-code-pro-latin-400.woff2").read_bytes()


def test_the_font_licence_is_beside_it() -> None:
    licence = (TEMPLATES / "fonts" / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence
    assert "Source Code Pro" in licence


def test_a_page_embeds_the_face_once_and_uses_it_for_code() -> None:
    html = build_text("title: t\n\n[slide]\n```python\nx = 1\n```\n").html
    assert html.count('font-family: "Source Code Pro";') == 1
    assert html.count("data:font/woff2;base64,") == 1
    assert '--dg-font-mono: "Source Code Pro"' in html
    assert not re.search(r"url\((?!\s*['\"]?data:)", html)  # nothing outside the page
