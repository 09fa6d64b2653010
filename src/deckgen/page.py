"""Rendered slides -> one HTML page, through the Jinja template in ``templates/``.

Everything the page needs is inlined: the structural CSS, the theme, the code style, the
browser runtime (small separate pieces in ``runtime/``, concatenated in a fixed order) and the
favicon. Autoescape is on; slide HTML is passed in as ``Markup`` on purpose.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import jinja2
from markupsafe import Markup, escape

from . import __version__
from .assets import FAVICON, DeckFile
from .attrs import merge_attrs
from .model import RenderedSlide
from .resources import RUNTIME_DIR, templates_dir

# The browser runtime, in load order: core first, then one small plugin per concern.
RUNTIME_PIECES = ("core.js", "scale.js", "fit.js", "images.js", "keyboard.js", "hash.js",
                  "touch.js", "progress.js", "fragments.js", "transitions.js", "events.js",
                  "slide-api.js", "notes.js", "presenter.js", "overview.js", "help.js",
                  "screen.js", "paint.js", "zoom.js", "print.js", "start.js")
# The page's own CSS, in order, before the theme: canvas and typography, nodeppt's utility
# classes, transitions, presenting overlays (overview, help, notes...), print.
BASE_CSS = ("fonts.css", "deck.css", "nodeppt.css", "transitions.css", "presenting.css",
            "print.css")


@dataclass(frozen=True, slots=True)
class PageInfo:
    """Deck-level values the template shows."""

    title: str
    lang: str
    speaker: str = ""
    date: str = ""
    url: str = ""
    transition: str = ""
    """The deck's transition, normalised (``slide``, ``fade``, ``zoom``, ``cards``, ``none``)."""
    transition_name: str = ""
    """The transition as the header wrote it (nodeppt's name)."""
    head_files: tuple[DeckFile, ...] = ()
    """``headFiles:``, inlined in the ``<head>`` after the page's own CSS."""
    body_files: tuple[DeckFile, ...] = ()
    """``files:``, inlined at the end of the ``<body>``, after the runtime (as nodeppt did)."""


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        autoescape=True,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


@lru_cache(maxsize=1)
def base_css() -> str:
    return "\n".join((templates_dir() / name).read_text(encoding="utf-8") for name in BASE_CSS)


@lru_cache(maxsize=1)
def runtime_js() -> str:
    parts = []
    for name in RUNTIME_PIECES:
        parts.append(f"/* {name} */\n" + (RUNTIME_DIR / name).read_text(encoding="utf-8"))
    return "\n".join(parts)


def slide_attributes(slide: RenderedSlide) -> str:
    """The attributes of a slide's ``<section>``: ours merged with the author's, escaped."""
    ours_first = (("class", "slide"), ("data-index", str(slide.index)),
                  ("data-line", str(slide.line)))
    merged = merge_attrs(ours_first, slide.attrs, (("id", f"slide-{slide.index}"),))
    return "".join(f" {escape(name)}" if value is None else f' {escape(name)}="{escape(value)}"'
                   for name, value in merged.items())


def render_sections(slides: list[RenderedSlide]) -> list[Markup]:
    """Each slide's ``<section>`` element, as it appears in the page.

    Built here rather than by a Jinja macro: it is the one per-slide piece of markup, a macro
    call costs ten times as much, and ``serve`` needs each element on its own to swap it in.
    """
    return [Markup(f'<section{slide_attributes(s)}>\n<div{content_attributes(s)}>\n{s.html}\n'
                   "</div>\n</section>") for s in slides]


def content_attributes(slide: RenderedSlide) -> str:
    """The attributes of a slide's content wrapper: ``class="slide-content"`` plus what
    ``{:&...}`` markers on the slide's top-level blocks put there."""
    if not slide.content_attrs:
        return ' class="slide-content"'
    merged = merge_attrs((("class", "slide-content"),), slide.content_attrs)
    return "".join(f" {escape(name)}" if value is None else f' {escape(name)}="{escape(value)}"'
                   for name, value in merged.items())


def cover_footer(info: PageInfo) -> str:
    """The speaker, date and link shown at the bottom of a cover slide ("" if none is set)."""
    parts = []
    if info.speaker:
        parts.append(f'<span class="deck-speaker">{escape(info.speaker)}</span>')
    if info.date:
        parts.append(f'<span class="deck-date">{escape(info.date)}</span>')
    if info.url:
        parts.append(f'<a class="deck-url" href="{escape(info.url)}">{escape(info.url)}</a>')
    return f'<footer class="deck-meta">{" ".join(parts)}</footer>\n' if parts else ""


def file_elements(files: tuple[DeckFile, ...]) -> Markup:
    """``<style>``/``<script>`` elements for inlined deck files, links for remote ones."""
    out = []
    for file in files:
        url = escape(file.url)
        if file.text is None:
            out.append(f'<link rel="stylesheet" href="{url}">' if file.kind == "css"
                       else f'<script src="{url}"></script>')
        elif file.kind == "css":
            out.append(f'<style data-file="{url}">\n{_safe_style(file.text)}\n</style>')
        else:
            out.append(f'<script data-file="{url}">\n{_safe_script(file.text)}\n</script>')
    return Markup("\n".join(out))


def page_css(theme_css: str, code_css: str, fonts_css: str = "") -> str:
    """The page's CSS: deckgen's, the embedded fonts' (fonts.py), the theme, the code style."""
    return _safe_style(base_css() + "\n" + fonts_css + theme_css + "\n" + code_css)


def render_page(info: PageInfo, sections: list[Markup], css: str) -> str:
    template = _environment().get_template("deck.html.j2")
    return template.render(
        info=info,
        sections=sections,
        slide_count=len(sections),
        css=Markup(css),
        js=Markup(_safe_script(runtime_js())),
        head_files=file_elements(info.head_files),
        body_files=file_elements(info.body_files),
        favicon=FAVICON,
        version=__version__,
    )


def _safe_style(css: str) -> str:
    # A theme file must not be able to end the <style> element early.
    return css.replace("</style", "<\\/style")


def _safe_script(js: str) -> str:
    return js.replace("</script", "<\\/script")
