"""The data that flows through deckgen's stages, and its one error type.

text --parse--> Deck(meta, slides) --render--> RenderedSlide per Slide --page--> HTML.
Every object remembers the source line it came from, so every message can name ``file:line``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import click

if TYPE_CHECKING:
    from .settings import DeckSettings

Level = Literal["error", "warning", "note"]
"""``note``: information, not a problem (a skipped file, an ``--ignore`` rule that matched
nothing): never counted, not even by ``--strict``."""


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in a deck, located in its source."""

    file: str
    """The deck's path as the user gave it (``decks/keras.txt``)."""
    line: int | None
    """1-based source line, or ``None`` when the problem concerns the whole file."""
    level: Level
    code: str
    """A stable, short kebab-case name (``image-not-found``) for filtering and tooling."""
    message: str

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    def format(self, with_level: bool = True) -> str:
        if with_level and self.level != "error":
            return f"{self.location}: {self.level}: {self.message}"
        return f"{self.location}: {self.message}"


class DeckError(click.ClickException):
    """A problem that stops a build. The CLI prints it as ``file:line: message`` and exits 1."""

    exit_code = 1

    def __init__(self, message: str, file: str | None = None, line: int | None = None,
                 code: str = "error") -> None:
        super().__init__(message)
        self.file = file
        self.line = line
        self.code = code

    @property
    def diagnostic(self) -> Diagnostic:
        return Diagnostic(self.file or "deckgen", self.line, "error", self.code, self.message)

    def format_message(self) -> str:
        return self.diagnostic.format() if self.file else self.message

    def show(self, file=None) -> None:
        click.echo(self.format_message(), err=True)


class Diagnostics:
    """The list every stage appends its warnings to, for one deck."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.items: list[Diagnostic] = []

    def warn(self, line: int | None, code: str, message: str) -> None:
        self.items.append(Diagnostic(self.file, line, "warning", code, message))

    def __iter__(self):
        return iter(self.items)


def did_you_mean(word: str, choices: tuple[str, ...] | list[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest choice, or an empty string."""
    import difflib  # only messages about mistakes need it

    lowered = {c.lower(): c for c in choices}
    close = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    return f" (did you mean '{lowered[close[0]]}'?)" if close else ""


@dataclass(frozen=True, slots=True)
class Slide:
    """One ``[slide]`` of a deck, as written."""

    index: int
    """1-based position in the deck (the number in ``#/5``)."""
    line: int
    """1-based source line of the ``[slide ...]`` separator."""
    attrs: tuple[tuple[str, str | None], ...]
    """Attributes from the separator, in source order (``None`` for a bare attribute)."""
    source: str
    """The Markdown body: the lines after the separator up to the next one."""

    @property
    def body_line(self) -> int:
        """Source line of the body's first line."""
        return self.line + 1


@dataclass(frozen=True, slots=True)
class Deck:
    """A parsed deck: its header settings and its slides."""

    file: str
    meta: dict[str, str]
    """Header values as written, by canonical key (``title``, ``theme``, ``highlightStyle``,
    ...); ``settings.read_settings`` gives them their types and meaning."""
    meta_lines: dict[str, int]
    """Source line of each header key, for messages about its value."""
    slides: tuple[Slide, ...]


@dataclass(frozen=True, slots=True)
class RenderedSlide:
    """A slide after Markdown, highlighting, image inlining and sealing."""

    index: int
    line: int
    attrs: tuple[tuple[str, str | None], ...]
    html: str
    title: str = ""
    """Plain text of the slide's first heading, for outlines and the index page."""
    content_attrs: tuple[tuple[str, str | None], ...] = ()
    """Attributes for the slide's content wrapper (``<div class="slide-content ...">``), from
    ``{:&.cls}`` markers on the slide's top-level blocks."""


@dataclass(slots=True)
class BuildResult:
    """What building one deck produced."""

    deck: Deck
    settings: DeckSettings
    title: str
    """The page's title, with its fallbacks (``settings.page_title``): what lists of decks show."""
    html: str
    slides: list[RenderedSlide] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    """Each slide's ``<section>`` element exactly as it appears in ``html``."""
    css: str = ""
    """All the page's CSS (base, embedded fonts, theme, code style)."""
    code_style: str = "default"
    """The Pygments style the code is highlighted in (the theme's, or ``highlightStyle:``)."""
    files: tuple[Path, ...] = ()
    """Every local file the build read or looked for: the deck, theme CSS, images."""

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level == "warning"]
