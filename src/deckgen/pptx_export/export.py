"""A built deck -> PowerPoint: read every slide's HTML, lay it out, picture the slides that
need it, write the file. ``export_pptx`` returns the bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..model import BuildResult, DeckError, Diagnostic, Diagnostics
from .colors import palette_from_css
from .content import SlideContent, read_slide
from .layout import MIN_SCALE, layout_slide

_LANG = re.compile(r'<html[^>]*\blang="([^"]*)"')
_FENCE = re.compile(r"\s{0,3}(```|~~~)")
MATH_MARKS = ("$$", "\\(", "\\[", "$")


@dataclass(slots=True)
class PptxResult:
    data: bytes
    slides: int
    pictures: list[int] = field(default_factory=list)
    """Numbers of the slides placed as pictures."""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    """The exporter's own warnings (the build's are in the BuildResult)."""


def source_line(result: BuildResult, index: int, description: str) -> int:
    """The deck line where the slide's first ``description`` (``<iframe>``, ``<div
    class="columns3">``, ``<math>``...) was written, outside code fences; else the slide's."""
    slide = result.deck.slides[index - 1]
    tag = re.match(r"<(\w+)", description)
    needles: tuple[str, ...]
    if 'class="' in description:
        needles = (description.split('class="', 1)[1].rstrip('">'),)
    elif tag and tag.group(1) == "math":
        needles = ("<math",) + MATH_MARKS
    elif "SVG" in description:
        needles = (".svg", "image/svg")
    elif tag:
        needles = ("<" + tag.group(1),)
    else:
        return slide.line
    fence = None
    for offset, text in enumerate(slide.source.split("\n")):
        m = _FENCE.match(text)
        if m:
            fence = None if fence == m.group(1) else (fence or m.group(1))
            continue
        if fence is None and any(needle.lower() in text.lower() for needle in needles):
            return slide.body_line + offset
    return slide.line


def export_pptx(result: BuildResult, browser: str | None = None, *, workdir: Path | None = None,
                pictures: bool = True) -> PptxResult:
    """The PowerPoint file for a built deck.

    Slides with HTML that has no PowerPoint equivalent are pictured by ``browser`` (a path or
    name; default: the one ``deckgen pdf`` would find), in ``workdir`` (default: the current
    folder). Without a browser (or with ``pictures=False``) they keep their text only, with a
    warning. An explicit ``browser`` that does not exist is an error (``BrowserNotFound``).
    """
    from ..pdf import BrowserNotFound, find_browser
    from .picture import capture
    from .writer import PptxWriter

    diagnostics = Diagnostics(result.deck.file)
    palette = palette_from_css(result.css)
    contents: list[SlideContent] = []
    for slide in result.slides:
        content = read_slide(slide.html, palette, result.code_style, slide.index, slide.line,
                             slide.attrs, slide.content_attrs)
        contents.append(content)
        # A remote image (not embedded: no --embed-remote) becomes a link; the build has
        # warned about it already (remote-resource), so the export says nothing more.
        for tag in content.dropped:
            diagnostics.warn(source_line(result, slide.index, tag), "pptx-script",
                             f"slide {slide.index}: {tag} dropped: PowerPoint runs no scripts")

    shots: dict[int, list[bytes]] = {}
    needing = [c for c in contents if c.unsupported]
    if needing:
        program = None
        reason = ("no Chrome or Chromium found to picture it (install Chromium, or give "
                  "--browser PATH)")
        if pictures:
            try:
                program = find_browser(browser)
            except BrowserNotFound:
                if browser:
                    raise
        else:
            reason = "pictures are turned off"
        if program is not None:
            wanted = [(c.index - 1, step) for c in needing for step in range(c.steps + 1)]
            try:
                taken = capture(result.html, wanted, program, workdir or Path.cwd())
            except DeckError as exc:
                reason = f"{Path(program).name} could not picture it ({exc.message})"
            else:
                at = 0
                for content in needing:
                    shots[content.index] = taken[at:at + content.steps + 1]
                    at += content.steps + 1
        for content in needing:
            what = ", ".join(content.unsupported[:3]) + (
                ", ..." if len(content.unsupported) > 3 else "")
            line = source_line(result, content.index, content.unsupported[0])
            message = (f"slide {content.index} has HTML with no PowerPoint equivalent ({what})")
            if content.index in shots:
                diagnostics.warn(line, "pptx-picture", f"{message}; placed as a picture")
            else:
                diagnostics.warn(line, "pptx-text-only", f"{message}; {reason}, so only its "
                                 "text is kept")

    lang = _LANG.search(result.html)
    writer = PptxWriter(palette, title=result.deck.meta.get("title", "") or (
        result.slides[0].title if result.slides else ""),
        author=result.deck.meta.get("speaker", ""), lang=lang.group(1) if lang else "zh-CN")
    for content in contents:
        if content.index in shots:
            writer.add_picture_slide(content, shots[content.index])
            continue
        layout = layout_slide(content)
        if layout.overflow:
            diagnostics.warn(content.line, "pptx-overflow",
                             f"slide {content.index} does not fit on the slide even at "
                             f"{MIN_SCALE:.0%} of its size; its end runs off the bottom")
        writer.add_slide(content, layout)
    return PptxResult(writer.to_bytes(), len(contents), sorted(shots), list(diagnostics))


