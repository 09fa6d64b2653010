"""A site's ``index.html``: one self-contained page listing its decks (no script)."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict
from urllib.parse import quote

from .. import __version__

if TYPE_CHECKING:
    from .manifest import PageRecord

INDEX_NAME = "index.html"
_DATE = re.compile(r"(\d{4})(?:\s*[-/.年]\s*(\d{1,2}))?(?:\s*[-/.月]\s*(\d{1,2}))?")


class IndexEntry(TypedDict):
    """One deck on the index page, as ``index.html.j2`` reads it."""

    href: str | None
    """The page, URL-quoted; None for a deck that failed to build (it has no page)."""
    name: str
    folder: str
    title: str
    speaker: str
    date: str
    slides: int
    error: str | None
    """The first error of a deck that failed."""


def _date_key(date: str) -> tuple[int, int, int] | None:
    """(year, month, day) from dates as people write them: 2024-05-01, 2024/5/1, 2024.05,
    2024年5月1日, "May 2024" (year only); ``None`` without a four-digit year."""
    match = _DATE.search(date)
    if match is None:
        return None
    year, month, day = match.groups()
    return int(year), int(month or 0), int(day or 0)


def index_entries(pages: dict[str, PageRecord]) -> list[IndexEntry]:
    """The index's entries, grouped by folder (the top folder first, then sub-folders by name)
    and, within a folder, newest date first, undated decks after the dated ones, then by title
    and page name."""
    def order(item: tuple[str, PageRecord]) -> tuple[bool, str, str, tuple[int, ...], str, str]:
        page, record = item
        folder = posixpath.dirname(page)
        date = _date_key(record.date)
        dated = (0, -date[0], -date[1], -date[2]) if date else (1, 0, 0, 0)
        return (folder != "", folder.casefold(), folder, dated, record.title.casefold(),
                page)

    entries: list[IndexEntry] = []
    for page, record in sorted(pages.items(), key=order):
        error = next((d.format() for d in record.diagnostics if d.level == "error"), None)
        entries.append({
            "href": None if record.failed else quote(page),
            "name": page,
            "folder": posixpath.dirname(page),
            "title": record.title or Path(page).stem,
            "speaker": record.speaker,
            "date": record.date,
            "slides": record.slides,
            "error": error if record.failed else None,
        })
    return entries


def index_css(theme_spec: str | None) -> str:
    """The CSS of the theme ``--index-theme`` names (DeckError if it is unknown)."""
    from ..themes import DEFAULT_THEME, load_theme

    theme = load_theme(theme_spec or DEFAULT_THEME, Path.cwd(), "--index-theme", None)
    return theme.css


def render_index(title: str, entries: list[IndexEntry], css: str) -> str:
    """The site's index.html: one self-contained page listing the decks (no script)."""
    from markupsafe import Markup

    from .. import page
    from ..assets import FAVICON

    groups: list[tuple[str, list[IndexEntry]]] = []
    for entry in entries:
        if not groups or groups[-1][0] != entry["folder"]:
            groups.append((entry["folder"], []))
        groups[-1][1].append(entry)
    template = page._environment().get_template("index.html.j2")
    return template.render(title=title, decks=entries, groups=groups,
                           css=Markup(page._safe_style(css)), favicon=FAVICON,
                           generator=f"deckgen {__version__}")

