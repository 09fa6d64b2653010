"""A rendered slide's HTML -> ``SlideContent``: the text, code, tables and images that go on one
PowerPoint slide, each with the step (click) at which it appears.

The input is what the build produced (``RenderedSlide.html``: Markdown rendered, code
highlighted, local images as ``data:`` URIs, HTML sealed); it is walked with lxml, never
re-parsed as Markdown. Sizes are CSS pixels of deckgen's 1280x720 canvas, as the page's CSS
gives them (``templates/deck.css``); ``layout`` scales them and ``writer`` converts them.

Steps follow the browser runtime (``runtime/fragments.js``): ``.fragment`` elements (and the
children of nodeppt build lists written as raw HTML), ``[magic]`` / ``[subslide]`` parts after
the first, in document order, numbered fragments (``data-fragment-index``) first. A fragment
appears at its step; a part appears at its step and vanishes when the next part appears.

What has no PowerPoint equivalent (``SlideContent.unsupported``): elements that draw
something a text box, table or picture cannot hold (``<iframe>``, ``<video>``, ``<canvas>``,
``<svg>``, MathML, form controls such as ``<button>``, ``<style>``, SVG images, unknown tags),
and layout the exporter does not reproduce: nodeppt's ``columns*`` / ``flexbox`` /
``pull-left|right`` classes on a block, and ``style=""`` on a block with anything but text
properties. Inline styles on text (colour, weight, size, alignment...) are mapped; other
inline properties are ignored. ``<script>`` is dropped (``SlideContent.dropped``).
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass, replace
from urllib.parse import unquote_to_bytes

import lxml.html

from .colors import CLASS_COLORS, Palette, class_color, code_style, label_colors, parse_color

BREAK = "\v"
"""A run whose text is this is a line break (``<br>``) inside its paragraph (python-pptx
writes a vertical tab as ``<a:br/>`` too)."""

# Sizes from templates/deck.css, px.
BASE_SIZE = 30.0
HEADING_SIZES = {1: 56.0, 2: 44.0, 3: 36.0, 4: 32.0, 5: 30.0, 6: 30.0}
COVER_TITLE_SIZE = 72.0
CODE_SIZE = 20.0
TABLE_SIZE = 24.0
META_SIZE = 21.0
LIST_INDENT = 42.0  # 1.4em of 30px per level

ANIMATIONS = ("fadeIn", "rollIn", "moveIn", "bounceIn", "zoomIn", "fade", "build")
_NOT_A_STEP = frozenset({"script", "style", "template", "link", "meta"})

INLINE_TAGS = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "big", "br", "cite", "code", "data", "del", "dfn", "em",
    "font", "i", "ins", "kbd", "label", "mark", "q", "s", "samp", "small", "span", "strike",
    "strong", "sub", "sup", "time", "tt", "u", "var", "wbr", "img", "nobr",
})
BLOCK_TAGS = frozenset({
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre", "table",
    "hr", "div", "header", "footer", "section", "article", "main", "nav", "aside", "figure",
    "figcaption", "address", "center", "dl", "dt", "dd", "hgroup", "picture",
})
TABLE_PARTS = frozenset({"thead", "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup",
                         "col"})
SILENT_TAGS = frozenset({"template", "noscript", "link", "meta", "title", "base", "source",
                         "track", "param"})
DROPPED_TAGS = frozenset({"script"})
# No PowerPoint equivalent: the slide becomes a picture. Those in TEXT_BEARING keep their text
# on a slide that cannot be pictured (no browser).
UNSUPPORTED_TAGS = frozenset({
    "iframe", "video", "audio", "canvas", "svg", "math", "object", "embed", "button", "input",
    "select", "textarea", "form", "style", "details", "summary", "map", "area", "progress",
    "meter", "marquee", "frameset", "frame", "applet", "portal", "dialog", "slot",
})
TEXT_BEARING = frozenset({"button", "select", "textarea", "math", "details", "summary", "form",
                          "marquee", "dialog", "portal", "slot"})
_LAYOUT_CLASS = re.compile(r"columns-?\d\Z|flexbox\Z|pull-(left|right)\Z")
# Inline style properties that only change how text looks: fine on any element.
_TEXT_PROPERTIES = frozenset({
    "color", "font", "font-size", "font-weight", "font-style", "font-family", "font-variant",
    "text-align", "text-decoration", "text-transform", "line-height", "letter-spacing",
    "word-spacing", "margin", "margin-top", "margin-bottom", "margin-left", "margin-right",
    "padding", "padding-top", "padding-bottom", "padding-left", "padding-right",
    "vertical-align", "white-space", "word-break", "overflow-wrap", "word-wrap",
})
_PX = re.compile(r"\s*([\d.]+)\s*(px|pt|em|rem|%)?\s*\Z")
_WHITESPACE = re.compile(r"[ \t\n\r\f]+")
_REMOTE = re.compile(r"(?:[a-z][a-z0-9+.-]*:)?//", re.I)
_LINKABLE = re.compile(r"(https?|mailto|ftp):", re.I)
# python-pptx takes these as they are; other raster formats are converted to PNG.
_PPTX_IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/bmp"})


@dataclass(frozen=True, slots=True)
class Run:
    """A piece of text with one look. ``None`` colours mean the paragraph's default."""

    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False
    strike: bool = False
    mono: bool = False
    color: str | None = None
    highlight: str | None = None
    link: str | None = None
    size: float = 1.0
    """Relative to the paragraph's size."""
    baseline: int = 0
    """Thousandths of a percent, as DrawingML has it: 30000 superscript, -25000 subscript."""

    def with_text(self, text: str) -> Run:
        """Another run with this look: the walk over inline HTML carries the look it inherits
        as a run without text."""
        return replace(self, text=text)


@dataclass(frozen=True, slots=True)
class Paragraph:
    runs: tuple[Run, ...]
    size: float = BASE_SIZE
    """Font size, CSS px at scale 1."""
    role: str = "text"
    """text, heading, item (a list item's first paragraph), code, quote, meta, cell."""
    level: int = 0
    """List depth: 0 outside lists, 1 for top-level items."""
    bullet: str | None = None
    """The item marker: a character, ``"1."`` style for numbered items, None for none."""
    number: int | None = None
    numbering: str = "arabicPeriod"
    align: str | None = None
    bold: bool = False
    color: str | None = None
    line_height: float = 1.45
    space_before: float = 0.0
    space_after: float = 0.0
    appear: int = 0
    vanish: int | None = None

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True, slots=True)
class TextBlock:
    paragraphs: tuple[Paragraph, ...]
    kind: str = "flow"
    """flow (paragraphs, lists, headings), title (the slide's title), quote."""
    fill: str | None = None
    accent: str | None = None
    """The quote's bar colour."""
    align_right: bool = False
    appear: int = 0
    vanish: int | None = None


@dataclass(frozen=True, slots=True)
class CodeBlock:
    lines: tuple[tuple[Run, ...], ...]
    background: str
    color: str
    size: float = CODE_SIZE
    space_after: float = 15.0
    appear: int = 0
    vanish: int | None = None

    @property
    def text(self) -> str:
        return "\n".join("".join(run.text for run in line) for line in self.lines)


@dataclass(frozen=True, slots=True)
class Cell:
    paragraphs: tuple[Paragraph, ...]
    header: bool = False
    row_span: int = 1
    col_span: int = 1


@dataclass(frozen=True, slots=True)
class TableBlock:
    rows: tuple[tuple[Cell | None, ...], ...]
    """A full grid: a cell covered by another's span is None."""
    header_rows: int = 0
    size: float = TABLE_SIZE
    space_after: float = 15.0
    appear: int = 0
    vanish: int | None = None


@dataclass(frozen=True, slots=True)
class Image:
    data: bytes
    width: float
    """Display size, CSS px at scale 1 (before fitting to the slide)."""
    height: float
    alt: str = ""
    align: str | None = None
    """``center`` for ``display: block; margin: 0 auto``."""


@dataclass(frozen=True, slots=True)
class ImageBlock:
    images: tuple[Image, ...]
    align: str | None = None
    space_after: float = 0.0
    appear: int = 0
    vanish: int | None = None


@dataclass(frozen=True, slots=True)
class RuleBlock:
    color: str
    appear: int = 0
    vanish: int | None = None


@dataclass(frozen=True, slots=True)
class PartsBlock:
    """``[magic]`` / ``[subslide]``: parts drawn in the same place, one at a time."""

    parts: tuple[tuple[object, ...], ...]


Block = TextBlock | CodeBlock | TableBlock | ImageBlock | RuleBlock | PartsBlock


@dataclass(frozen=True, slots=True)
class Background:
    color: str | None = None
    image: bytes | None = None


@dataclass(frozen=True, slots=True)
class SlideContent:
    index: int
    line: int
    title: str
    blocks: tuple[Block, ...]
    notes: tuple[Paragraph, ...]
    steps: int
    unsupported: tuple[str, ...] = ()
    """What has no PowerPoint equivalent, as ``<tag>`` descriptions, first seen first."""
    remote_images: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()
    background: Background | None = None
    cover: bool = False


@dataclass(frozen=True, slots=True)
class _Context:
    appear: int = 0
    vanish: int | None = None
    level: int = 0
    role: str = "text"
    align: str | None = None
    look: Run = Run("")
    in_quote: bool = False
    quote_right: bool = False
    in_notes: bool = False
    in_cell: bool = False


@dataclass
class _Item:
    """A list item being filled: its first paragraph gets the marker."""

    bullet: str
    number: int | None
    numbering: str
    used: bool = False


def _classes(element) -> list[str]:
    return (element.get("class") or "").split()


def parse_style(style: str | None) -> dict[str, str]:
    """A ``style`` attribute's declarations by property name (lower case). Semicolons inside
    quotes or parentheses (``url(data:image/png;base64,...)``) do not end a declaration."""
    if not style:
        return {}
    declarations = []
    depth = 0
    quote = ""
    start = 0
    for i, ch in enumerate(style):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch == ";" and depth == 0:
            declarations.append(style[start:i])
            start = i + 1
    declarations.append(style[start:])
    found = {}
    for declaration in declarations:
        name, colon, value = declaration.partition(":")
        if colon and name.strip():
            found[name.strip().lower()] = value.strip()
    return found


def _length(value: str | None, base: float = BASE_SIZE) -> float | None:
    """CSS px for a length (px, pt, em, rem; a bare number is px), None for %, auto..."""
    if not value:
        return None
    m = _PX.match(value.lower().removesuffix("!important"))
    if not m:
        return None
    number, unit = float(m.group(1)), m.group(2) or "px"
    if unit == "px":
        return number
    if unit == "pt":
        return number * 4 / 3
    if unit in ("em", "rem"):
        return number * base
    return None


def number_steps(root) -> dict:
    """The step (1-based click) of every fragment and every part after the first, keyed by
    element, as ``runtime/fragments.js`` numbers them; ``root`` is the slide's content."""
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        classes = _classes(element)
        animation = next((c for c in classes if c in ANIMATIONS), None)
        if (animation is None or "fragment" in classes or _in_notes(element)
                or any("fragment" in _classes(child) for child in element
                       if isinstance(child.tag, str))):
            continue
        for child in element:  # nodeppt's raw-HTML build lists: their children are steps
            if (isinstance(child.tag, str) and child.tag not in _NOT_A_STEP
                    and not (child.tag == "aside" and "notes" in _classes(child))):
                child.set("class", " ".join(_classes(child) + ["fragment"]))
    numbered: dict[int, list] = {}
    unnumbered: list[list] = []
    for element in root.iter():
        if not isinstance(element.tag, str) or _in_notes(element):
            continue
        classes = _classes(element)
        part = _is_part(element)
        if not part and "fragment" not in classes:
            continue
        if part and element.getprevious() is None:
            continue
        index = None if part else _int(element.get("data-fragment-index"))
        if index is None or index < 0:
            unnumbered.append([element])
        else:
            numbered.setdefault(index, []).append(element)
    groups = [numbered[i] for i in sorted(numbered)] + unnumbered
    return {element: step for step, group in enumerate(groups, 1) for element in group}


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _is_part(element) -> bool:
    parent = element.getparent()
    if parent is None or element.tag != "div":
        return False
    parent_classes = _classes(parent)
    classes = _classes(element)
    return (("magic" in parent_classes and "magic-part" in classes)
            or ("subslide" in parent_classes and "subslide-part" in classes))


def _in_notes(element) -> bool:
    for ancestor in element.iterancestors("aside"):
        if "notes" in _classes(ancestor):
            return True
    return element.tag == "aside" and "notes" in _classes(element)


class SlideReader:
    """Reads one slide's HTML into ``SlideContent`` (one instance per slide)."""

    def __init__(self, palette: Palette, code_style_name: str) -> None:
        self.palette = palette
        self.code = code_style(code_style_name)
        self.unsupported: list[str] = []
        self.remote_images: list[str] = []
        self.dropped: list[str] = []
        self.steps: dict = {}
        self.title: Paragraph | None = None
        self.title_text = ""
        self.title_size = HEADING_SIZES[1]

    # -- entry -------------------------------------------------------------------------------

    def read(self, index: int, line: int, html: str, attrs=(), content_attrs=()) -> SlideContent:
        root = lxml.html.fragment_fromstring(html or "", create_parent="div")
        classes = " ".join(v or "" for k, v in content_attrs if k == "class")
        root.set("class", ("slide-content " + classes).strip())
        self.steps = number_steps(root)
        align = None
        content_classes = classes.split()
        for cls, value in (("vleft", "left"), ("vcenter", "center"), ("vright", "right")):
            if "flexbox" in content_classes and cls in content_classes:
                align = value
        top = [child for child in root if isinstance(child.tag, str)
               and not (child.tag == "aside" and "notes" in _classes(child))]
        cover = bool(top) and top[0].tag == "h1" and not any(
            child.tag in ("ul", "ol", "pre", "table", "blockquote", "div") for child in top)
        title_only = cover and all(child.tag == "h1" or (
            child.tag == "footer" and "deck-meta" in _classes(child)) for child in top) and \
            sum(child.tag == "h1" for child in top) == 1
        if title_only:
            self.title_size = COVER_TITLE_SIZE
        if align is None and cover:
            align = "center"
        pieces = self._blocks(root, _Context(align=align))
        notes = []
        for aside in root.iter("aside"):
            if "notes" in _classes(aside) and not any(
                    "notes" in _classes(a) for a in aside.iterancestors("aside")):
                notes.extend(self._notes(aside))
        blocks = _merge(_trim(pieces))
        steps = max(self.steps.values(), default=0)
        return SlideContent(index, line, self.title_text, tuple(blocks), tuple(notes), steps,
                            tuple(dict.fromkeys(self.unsupported)),
                            tuple(dict.fromkeys(self.remote_images)),
                            tuple(dict.fromkeys(self.dropped)),
                            self._background(attrs), cover)

    # -- blocks ------------------------------------------------------------------------------

    def _enter(self, element, ctx: _Context) -> _Context:
        """The context inside ``element``: a fragment appears at its step; a part at its step
        (the first part at once) and vanishes at the next part's."""
        step = self.steps.get(element)
        if _is_part(element):
            following = element.getnext()
            vanish = self.steps.get(following) if following is not None else None
            if ctx.vanish is not None and vanish is not None:
                vanish = min(ctx.vanish, vanish)
            return replace(ctx, appear=max(ctx.appear, step or 0),
                           vanish=ctx.vanish if vanish is None else vanish)
        if step is None:
            return ctx
        return replace(ctx, appear=max(ctx.appear, step))

    def _blocks(self, container, ctx: _Context, item: _Item | None = None) -> list:
        """The blocks and paragraphs of a container's content, in order."""
        pieces: list = []
        pending: list[Run] = []
        images: list[Image] = []

        def flush() -> None:
            if pending:
                paragraph = self._paragraph(pending, ctx, item)
                if paragraph is not None:
                    pieces.append(paragraph)
                pending.clear()
            if images:
                align = next((i.align for i in images if i.align), ctx.align)
                pieces.append(ImageBlock(tuple(images), align, 0.0, ctx.appear, ctx.vanish))
                images.clear()

        if container.text:
            pending.append(ctx.look.with_text(container.text))
        for child in container:
            if not isinstance(child.tag, str):  # comments, processing instructions
                if child.tail:
                    pending.append(ctx.look.with_text(child.tail))
                continue
            tag = child.tag.lower()
            if _hidden(child) or tag in SILENT_TAGS:
                pass
            elif tag in BLOCK_TAGS or tag in TABLE_PARTS:
                flush()
                pieces.extend(self._block(child, tag, self._enter(child, ctx), item))
            else:  # inline content, and what _inline reports (scripts, unknown tags...)
                self._inline(child, self._enter(child, ctx), pending, images)
            if child.tail:
                pending.append(ctx.look.with_text(child.tail))
        flush()
        return pieces

    def _block(self, element, tag: str, ctx: _Context, item: _Item | None) -> list:
        classes = _classes(element)
        style = parse_style(element.get("style"))
        if tag == "aside" and "notes" in classes:
            return []
        if not ctx.in_notes:
            layout = [c for c in classes if _LAYOUT_CLASS.match(c)
                      and not (tag == "blockquote" and c == "pull-right")]
            if layout:
                self.unsupported.append(f'<{tag} class="{layout[0]}">')
            elif style and any(name not in _TEXT_PROPERTIES for name in style):
                self.unsupported.append(f"<{tag} style>")
        ctx = self._styled(ctx, classes, style)
        if tag == "p" or tag in ("dt", "figcaption", "address"):
            if tag == "dt":
                ctx = replace(ctx, look=replace(ctx.look, bold=True))
            after = 6.0 if ctx.role == "item" or tag != "p" else 15.0  # .slide li > p
            return self._spaced(self._blocks(element, ctx, item), after)
        if tag in HEADING_TAGS:
            return self._heading(element, int(tag[1]), ctx)
        if tag in ("ul", "ol"):
            return self._list(element, tag, ctx)
        if tag == "li":  # outside a list: an item of an invisible list
            return self._list_item(element, ctx, _Item("•", None, "arabicPeriod"))
        if tag == "blockquote":
            return self._quote(element, ctx, "pull-right" in classes)
        if tag == "pre":
            return [self._code(element, ctx)]
        if tag == "table":
            table = self._table(element, ctx)
            return [table] if table is not None else []
        if tag == "hr":
            return [RuleBlock(self.palette.border, ctx.appear, ctx.vanish)]
        if tag == "div" and ("magic" in classes or "subslide" in classes):
            parts = []
            for part in element:
                if isinstance(part.tag, str) and _is_part(part):
                    parts.append(tuple(_merge(_trim(self._blocks(part, self._enter(part, ctx))))))
            return [PartsBlock(tuple(parts))] if parts else []
        if tag == "footer" and "deck-meta" in classes:
            meta = replace(ctx, role="meta", look=replace(ctx.look, color=self.palette.muted))
            return [replace(p, size=META_SIZE, space_before=25.0)
                    if isinstance(p, Paragraph) else p for p in self._blocks(element, meta)]
        if tag == "header" and "slide-header" in classes:
            pieces = self._blocks(element, ctx)
            return self._spaced(pieces, 18.0, last_only=True)
        if tag == "dd":
            return self._blocks(element, replace(ctx, level=ctx.level + 1), item)
        return self._blocks(element, ctx, item)  # div, section...: their content

    def _styled(self, ctx: _Context, classes: list[str], style: dict[str, str]) -> _Context:
        align = style.get("text-align", "").lower()
        if align in ("left", "center", "right"):
            ctx = replace(ctx, align=align)
        elif "text-center" in classes:
            ctx = replace(ctx, align="center")
        elif "text-right" in classes:
            ctx = replace(ctx, align="right")
        look = self._look(ctx.look, classes, style)
        return replace(ctx, look=look) if look is not ctx.look else ctx

    def _look(self, look: Run, classes: list[str], style: dict[str, str]) -> Run:
        color = class_color(self.palette, classes)
        label = label_colors(self.palette, classes)
        changes: dict = {}
        if color:
            changes["color"] = color
        if label and ("label" in classes or any(c.startswith("label-") for c in classes)):
            changes.update(highlight=label[0], color=label[1], bold=True, size=look.size * 0.75)
        if style:
            value = style.get("color")
            if value and (found := parse_color(value, self.palette.bg)):
                changes["color"] = found
            weight = style.get("font-weight", "").lower()
            if weight in ("bold", "bolder") or (weight.isdigit() and int(weight) >= 600):
                changes["bold"] = True
            elif weight in ("normal", "lighter") or (weight.isdigit() and int(weight) < 600):
                changes["bold"] = False
            font_style = style.get("font-style", "").lower()
            if font_style in ("italic", "oblique"):
                changes["italic"] = True
            elif font_style == "normal":
                changes["italic"] = False
            decoration = style.get("text-decoration", "").lower()
            if "underline" in decoration:
                changes["underline"] = True
            if "line-through" in decoration:
                changes["strike"] = True
            if "none" in decoration.split():
                changes["underline"] = changes["strike"] = False
            size = style.get("font-size")
            if size:
                value_px = _length(size, BASE_SIZE * look.size)
                if value_px is not None and value_px > 0:
                    changes["size"] = value_px / BASE_SIZE
                elif size.strip().endswith("%"):
                    try:
                        changes["size"] = look.size * float(size.strip()[:-1]) / 100
                    except ValueError:
                        pass
            background = style.get("background-color") or style.get("background")
            if background and (found := parse_color(background, self.palette.bg)):
                changes["highlight"] = found
        return replace(look, **changes) if changes else look

    @staticmethod
    def _spaced(pieces: list, after: float, last_only: bool = False) -> list:
        """Give the last paragraph of ``pieces`` (every one, unless ``last_only``) at least
        ``after`` px of space below: a block's margin."""
        out = list(pieces)
        for i in range(len(out) - 1, -1, -1):
            piece = out[i]
            if isinstance(piece, Paragraph):
                out[i] = replace(piece, space_after=max(piece.space_after, after))
                break
            if isinstance(piece, (ImageBlock, CodeBlock, TableBlock)):
                if isinstance(piece, ImageBlock):
                    out[i] = replace(piece, space_after=max(piece.space_after, after))
                break
        return out

    def _heading(self, element, level: int, ctx: _Context) -> list:
        size = HEADING_SIZES[level]
        is_title = self.title is None and not ctx.in_notes and not ctx.in_cell
        if is_title:
            size = self.title_size if level == 1 else size
        heading = replace(ctx, role="heading",
                          look=replace(ctx.look, bold=True))
        runs: list[Run] = []
        images: list[Image] = []
        if element.text:
            runs.append(heading.look.with_text(element.text))
        for child in element:
            if isinstance(child.tag, str):
                self._inline(child, self._enter(child, heading), runs, images)
            if child.tail:
                runs.append(heading.look.with_text(child.tail))
        paragraph = self._paragraph(runs, heading, None)
        out: list = []
        if paragraph is not None:
            paragraph = replace(paragraph, size=size, bold=True, color=self.palette.heading,
                                line_height=1.2, space_after=0.4 * size)
            if is_title:
                self.title = paragraph
                self.title_text = paragraph.text.strip()
                out.append(TextBlock((paragraph,), "title", appear=ctx.appear,
                                     vanish=ctx.vanish))
            else:
                out.append(paragraph)
        if images:
            out.append(ImageBlock(tuple(images), ctx.align, 0.0, ctx.appear, ctx.vanish))
        return out

    def _list(self, element, tag: str, ctx: _Context) -> list:
        level = ctx.level + 1
        pieces: list = []
        numbering = {"a": "alphaLcPeriod", "A": "alphaUcPeriod", "i": "romanLcPeriod",
                     "I": "romanUcPeriod"}.get(element.get("type") or "", "arabicPeriod")
        number = _int(element.get("start")) or 1
        bullet = ("•", "◦", "▪")[(level - 1) % 3]
        for child in element:
            if not isinstance(child.tag, str) or _hidden(child):
                continue
            child_ctx = self._enter(child, replace(ctx, level=level))
            if child.tag == "li":
                value = _int(child.get("value"))
                if value is not None:
                    number = value
                marker = _Item(f"{number}." if tag == "ol" else bullet,
                               number if tag == "ol" else None, numbering)
                pieces.extend(self._list_item(child, child_ctx, marker))
                number += 1
            elif child.tag in ("ul", "ol"):
                pieces.extend(self._list(child, child.tag, replace(ctx, level=ctx.level)))
            elif child.tag in BLOCK_TAGS or child.tag in INLINE_TAGS:
                pieces.extend(self._block(child, child.tag, child_ctx, None)
                              if child.tag in BLOCK_TAGS else [])
        return self._spaced(pieces, 15.0)

    def _list_item(self, element, ctx: _Context, marker: _Item) -> list:
        style = parse_style(element.get("style"))
        ctx = self._styled(ctx, _classes(element), style)
        pieces = self._blocks(element, replace(ctx, role="item"), marker)
        if not marker.used:
            empty = Paragraph((), BASE_SIZE * ctx.look.size, "item", ctx.level, marker.bullet,
                              marker.number, marker.numbering, ctx.align, appear=ctx.appear,
                              vanish=ctx.vanish, space_after=4.5)
            pieces.insert(0, empty)
        return pieces

    def _quote(self, element, ctx: _Context, right: bool) -> list:
        inner = replace(ctx, role="quote", in_quote=True, quote_right=right,
                        align="right" if right else ctx.align)
        pieces = self._blocks(element, inner)
        paragraphs = [p for p in pieces if isinstance(p, Paragraph)]
        others = [p for p in pieces if not isinstance(p, Paragraph)]
        out: list = []
        if paragraphs:
            paragraphs[-1] = replace(paragraphs[-1], space_after=0.0)
            out.append(TextBlock(tuple(paragraphs), "quote", self.palette.quote_bg,
                                 self.palette.accent, right, ctx.appear, ctx.vanish))
        return out + others

    def _code(self, element, ctx: _Context) -> CodeBlock:
        highlighted = "highlight" in _classes(element)
        lines: list[list[Run]] = [[]]
        base = Run("", mono=True)

        def add(text: str, look: Run) -> None:
            parts = text.split("\n")
            for i, part in enumerate(parts):
                if i:
                    lines.append([])
                if part:
                    lines[-1].append(look.with_text(part.replace("\t", "    ")))

        def walk(node, look: Run) -> None:
            if node.text:
                add(node.text, look)
            for child in node:
                if isinstance(child.tag, str):
                    child_look = look
                    if child.tag == "span" and highlighted:
                        token = self.code.token(child.get("class") or "")
                        if token is not None:
                            child_look = replace(look, color=token.color or look.color,
                                                 bold=token.bold or look.bold,
                                                 italic=token.italic or look.italic,
                                                 underline=token.underline or look.underline)
                    elif child.tag in ("b", "strong"):
                        child_look = replace(look, bold=True)
                    elif child.tag in ("i", "em"):
                        child_look = replace(look, italic=True)
                    elif child.tag == "br":
                        lines.append([])
                    walk(child, child_look)
                if child.tail:
                    add(child.tail, look)

        walk(element, base)
        if lines and not lines[0] and len(lines) > 1 and not highlighted:
            lines.pop(0)  # the newline right after <pre>
        while len(lines) > 1 and not "".join(r.text for r in lines[-1]).strip():
            lines.pop()
        if highlighted:
            background, color = self.code.background, self.code.text
        else:
            background, color = self.palette.code_bg, self.palette.code_fg
        return CodeBlock(tuple(tuple(line) for line in lines), background, color,
                         appear=ctx.appear, vanish=ctx.vanish)

    def _table(self, element, ctx: _Context) -> TableBlock | None:
        rows = []
        for section in element:
            if not isinstance(section.tag, str):
                continue
            if section.tag == "tr":
                rows.append((section, False))
            elif section.tag in ("thead", "tbody", "tfoot"):
                rows.extend((tr, section.tag == "thead") for tr in section
                            if isinstance(tr.tag, str) and tr.tag == "tr")
            elif section.tag == "caption" and not ctx.in_notes:
                self.unsupported.append("<caption>")
        grid: dict[tuple[int, int], Cell | None] = {}
        header_rows = 0
        width = 0
        cell_ctx = replace(ctx, role="cell", in_cell=True, level=0)
        for r, (tr, in_head) in enumerate(rows):
            c = 0
            cells = [td for td in tr if isinstance(td.tag, str) and td.tag in ("td", "th")]
            if in_head or (cells and all(td.tag == "th" for td in cells) and r == header_rows):
                header_rows = r + 1 if r == header_rows else header_rows
            for td in cells:
                while (r, c) in grid:
                    c += 1
                style = parse_style(td.get("style"))
                local = self._styled(cell_ctx, _classes(td), style)
                align = (td.get("align") or "").lower()
                if align in ("left", "center", "right"):
                    local = replace(local, align=align)
                is_header = td.tag == "th"
                if is_header:
                    local = replace(local, look=replace(local.look, bold=True))
                pieces = self._blocks(td, local)
                paragraphs = []
                for piece in pieces:
                    if isinstance(piece, Paragraph):
                        paragraphs.append(replace(piece, size=TABLE_SIZE * piece.size / BASE_SIZE,
                                                  space_after=0.0, level=0, bullet=None,
                                                  line_height=1.45))
                    elif not ctx.in_notes:
                        self.unsupported.append(f"<{_kind(piece)}> in a table cell")
                rs = max(1, _int(td.get("rowspan")) or 1)
                cs = max(1, _int(td.get("colspan")) or 1)
                grid[(r, c)] = Cell(tuple(paragraphs), is_header, rs, cs)
                for dr in range(rs):
                    for dc in range(cs):
                        if dr or dc:
                            grid[(r + dr, c + dc)] = None
                c += cs
                width = max(width, c)
        height = max((r for r, _ in grid), default=-1) + 1
        if not height or not width:
            return None
        table = tuple(tuple(grid.get((r, c), Cell(())) for c in range(width))
                      for r in range(height))
        return TableBlock(table, header_rows, appear=ctx.appear, vanish=ctx.vanish)

    # -- inline content ---------------------------------------------------------------------

    def _inline(self, element, ctx: _Context, runs: list[Run], images: list[Image]) -> None:
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if _hidden(element):
            return
        if tag in SILENT_TAGS:
            return
        if tag in DROPPED_TAGS:
            if not ctx.in_notes:
                self.dropped.append(f"<{tag}>")
            return
        if tag == "br":
            runs.append(ctx.look.with_text(BREAK))
            return
        if tag == "img":
            self._image(element, ctx, runs, images)
            return
        known = tag in INLINE_TAGS or tag in BLOCK_TAGS or tag in TABLE_PARTS
        if tag in UNSUPPORTED_TAGS or not known:
            if not ctx.in_notes:
                self.unsupported.append(f"<{tag}>")
            if tag in UNSUPPORTED_TAGS:
                if tag in TEXT_BEARING:  # its text, for a slide kept as text
                    runs.append(ctx.look.with_text("".join(element.itertext())))
                return
            # An unknown tag: its content, mapped as far as it goes.
        if known and tag not in INLINE_TAGS and tag != "div":
            # A block inside inline content (lxml keeps what the author wrote): its text.
            runs.append(ctx.look.with_text(" "))
        look = self._inline_look(element, tag, ctx)
        if (look.highlight != ctx.look.highlight or look.color != ctx.look.color) and runs \
                and tag in ("span", "a", "strong", "em", "b", "i") \
                and not runs[-1].text.endswith((" ", "\n", BREAK)) \
                and any(c.startswith(("label", "text-")) or c in CLASS_COLORS
                        for c in _classes(element)):
            runs.append(ctx.look.with_text(" "))  # nodeppt.css: side by side, they get a margin
        if tag == "small" and ctx.in_quote:
            runs.append(look.with_text(BREAK))
            if not ctx.quote_right:
                runs.append(look.with_text("\u2014\u00a0"))
        if tag == "q":
            runs.append(look.with_text("\u201c"))
        inner = replace(ctx, look=look)
        if element.text:
            runs.append(look.with_text(element.text))
        for child in element:
            if isinstance(child.tag, str):
                self._inline(child, self._enter(child, inner), runs, images)
            if child.tail:
                runs.append(look.with_text(child.tail))
        if tag == "q":
            runs.append(look.with_text("\u201d"))
        if tag == "small" and ctx.in_quote and ctx.quote_right:
            runs.append(look.with_text("\u00a0\u2014"))

    def _inline_look(self, element, tag: str, ctx: _Context) -> Run:
        look = ctx.look
        palette = self.palette
        if tag in ("strong", "b"):
            look = replace(look, bold=True)
        elif tag in ("em", "i", "cite", "dfn", "var"):
            look = replace(look, italic=True)
        elif tag in ("u", "ins"):
            look = replace(look, underline=True)
        elif tag in ("s", "del", "strike"):
            look = replace(look, strike=True)
        elif tag in ("code", "kbd", "samp", "tt"):
            look = replace(look, mono=True, color=palette.code_fg, highlight=palette.code_bg,
                           size=look.size * 0.85)
        elif tag == "a":
            href = (element.get("href") or "").strip()
            look = replace(look, color=palette.accent, underline=True,
                           link=href if _LINKABLE.match(href) else look.link)
        elif tag == "small":
            look = replace(look, size=look.size * 0.75, color=palette.muted)
        elif tag == "big":
            look = replace(look, size=look.size * 1.2)
        elif tag == "mark":
            look = replace(look, highlight="FFF3A3", color="1F2328")
        elif tag == "sup":
            look = replace(look, baseline=30000, size=look.size * 0.83)
        elif tag == "sub":
            look = replace(look, baseline=-25000, size=look.size * 0.83)
        elif tag == "font":
            found = parse_color(element.get("color") or "", palette.bg)
            if found:
                look = replace(look, color=found)
        return self._look(look, _classes(element), parse_style(element.get("style")))

    def _image(self, element, ctx: _Context, runs: list[Run], images: list[Image]) -> None:
        src = (element.get("src") or "").strip()
        alt = element.get("alt") or ""
        if src.startswith("data:"):
            decoded = _data_uri(src)
            if decoded is None:
                return
            mime, data = decoded
            if mime == "image/svg+xml" or data.lstrip()[:5] in (b"<?xml", b"<svg "):
                if not ctx.in_notes:
                    self.unsupported.append("<img> (SVG)")
                return
            image = _raster(data, mime)
            if image is None:
                if not ctx.in_notes:
                    self.unsupported.append(f"<img> ({mime})")
                return
            data, natural_width, natural_height = image
            width, height = _display_size(element, natural_width, natural_height)
            if ctx.in_notes:
                return
            style = parse_style(element.get("style"))
            centred = ("auto" in style.get("margin", "") and "block" in style.get("display", ""))
            images.append(Image(data, width, height, alt, "center" if centred else None))
            return
        if _REMOTE.match(src) and not ctx.in_notes:
            self.remote_images.append(src)
            label = alt or src
            runs.append(replace(ctx.look, link=src if _LINKABLE.match(src) else None,
                                color=self.palette.accent, underline=True).with_text(
                f"[image: {label}]"))
            return
        if alt:  # a local image the build could not find (it warned): its text
            runs.append(ctx.look.with_text(alt))

    def _paragraph(self, runs: list[Run], ctx: _Context, item: _Item | None) -> Paragraph | None:
        cleaned = _collapse(runs)
        if not cleaned:
            return None
        size = BASE_SIZE * (1.0 if ctx.role != "meta" else META_SIZE / BASE_SIZE)
        role = ctx.role
        bullet = number = None
        numbering = "arabicPeriod"
        space_after = 0.0
        if item is not None and not item.used:
            item.used = True
            bullet, number, numbering = item.bullet, item.number, item.numbering
            role = "item"
        if ctx.level:
            space_after = 4.5
        return Paragraph(tuple(cleaned), size, role, ctx.level, bullet, number, numbering,
                         ctx.align, appear=ctx.appear, vanish=ctx.vanish,
                         space_after=space_after)

    # -- notes, background ---------------------------------------------------------------------

    def _notes(self, aside) -> list[Paragraph]:
        ctx = _Context(in_notes=True)
        pieces = self._blocks(aside, ctx)
        out: list[Paragraph] = []
        for piece in _flatten(pieces):
            if isinstance(piece, Paragraph):
                marker = f"{piece.bullet} " if piece.bullet else ""
                indent = "    " * max(0, piece.level - 1)
                runs = piece.runs
                if marker or indent:
                    runs = (Run(indent + marker),) + runs
                out.append(replace(piece, runs=runs, bullet=None, level=0, appear=0))
            elif isinstance(piece, TextBlock):
                out.extend(replace(p, appear=0) for p in piece.paragraphs)
            elif isinstance(piece, CodeBlock):
                out.extend(Paragraph(line or (Run(""),), role="code") for line in piece.lines)
            elif isinstance(piece, TableBlock):
                for row in piece.rows:
                    text = " | ".join(" ".join(p.text for p in cell.paragraphs)
                                      for cell in row if cell is not None)
                    out.append(Paragraph((Run(text),)))
        return out

    def _background(self, attrs) -> Background | None:
        style = parse_style(next((v for k, v in attrs if k == "style" and v), None))
        if not style:
            return None
        color = None
        image = None
        for name in ("background-color", "background"):
            value = style.get(name)
            if value:
                found = parse_color(value.split()[0] if name == "background" else value,
                                    self.palette.bg)
                color = color or found
        for name in ("background-image", "background"):
            value = style.get(name, "")
            m = re.search(r"url\(\s*['\"]?(data:[^'\")]+)['\"]?\s*\)", value)
            if m:
                decoded = _data_uri(m.group(1))
                if decoded is not None:
                    raster = _raster(decoded[1], decoded[0])
                    if raster is not None:
                        image = raster[0]
                break
        if color is None and image is None:
            return None
        return Background(color, image)


HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


def _kind(piece) -> str:
    return {CodeBlock: "pre", TableBlock: "table", ImageBlock: "img", RuleBlock: "hr",
            PartsBlock: "div"}.get(type(piece), "div")


def _hidden(element) -> bool:
    if element.get("hidden") is not None:
        return True
    style = parse_style(element.get("style"))
    return style.get("display", "").replace("!important", "").strip() == "none"


def _collapse(runs: list[Run]) -> list[Run]:
    """HTML whitespace: runs of spaces, tabs and newlines are one space; none at the start or
    end of a line. Empty runs go."""
    out: list[Run] = []
    at_line_start = True
    for run in runs:
        if run.text == BREAK:
            if not out:
                continue
            if out[-1].text.endswith(" "):
                out[-1] = replace(out[-1], text=out[-1].text.rstrip(" "))
            out.append(run)
            at_line_start = True
            continue
        text = _WHITESPACE.sub(" ", run.text)
        if at_line_start or (out and out[-1].text.endswith(" ")):
            text = text.lstrip(" ")
        if not text:
            continue
        out.append(replace(run, text=text))
        at_line_start = False
    while out and out[-1].text != BREAK and out[-1].text.endswith(" "):
        stripped = out[-1].text.rstrip(" ")
        if stripped:
            out[-1] = replace(out[-1], text=stripped)
            break
        out.pop()
    while out and out[-1].text == BREAK:
        out.pop()
    out = [run for run in out if run.text]
    if not any(run.text.strip() for run in out if run.text != BREAK):
        return []
    return out


def _trim(pieces: list) -> list:
    """The slide's last block has no margin below it (``.slide-content > :last-child``)."""
    if pieces and isinstance(pieces[-1], Paragraph):
        pieces = pieces[:-1] + [replace(pieces[-1], space_after=0.0)]
    return pieces


def _merge(pieces: list) -> list:
    """Consecutive paragraphs that vanish together share one text box."""
    out: list = []
    run: list[Paragraph] = []

    def flush() -> None:
        if run:
            out.append(TextBlock(tuple(run), "flow", appear=min(p.appear for p in run),
                                 vanish=run[0].vanish))
            run.clear()

    for piece in pieces:
        if isinstance(piece, Paragraph):
            if run and run[-1].vanish != piece.vanish:
                flush()
            run.append(piece)
        else:
            flush()
            out.append(piece)
    flush()
    return out


def _flatten(pieces):
    for piece in pieces:
        if isinstance(piece, PartsBlock):
            for part in piece.parts:
                yield from _flatten(part)
        else:
            yield piece


def _data_uri(src: str) -> tuple[str, bytes] | None:
    header, comma, payload = src.partition(",")
    if not comma:
        return None
    meta = header[5:].split(";")
    mime = (meta[0] or "text/plain").lower()
    try:
        if "base64" in meta[1:]:
            return mime, base64.b64decode(payload, validate=False)
        return mime, unquote_to_bytes(payload)
    except (binascii.Error, ValueError):
        return None


def _raster(data: bytes, mime: str) -> tuple[bytes, int, int] | None:
    """The image as PowerPoint can hold it (converted to PNG when it cannot) and its size in
    pixels, or None when it is no image Pillow reads."""
    from io import BytesIO

    from PIL import Image as PILImage
    from PIL import UnidentifiedImageError

    try:
        with PILImage.open(BytesIO(data)) as image:
            width, height = image.size
            kind = (PILImage.MIME.get(image.format or "") or mime).lower()
            if kind in _PPTX_IMAGE_TYPES:
                return data, width, height
            image.seek(0)
            converted = BytesIO()
            image.convert("RGBA").save(converted, format="PNG")
            return converted.getvalue(), width, height
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return None


def _display_size(element, natural_width: int, natural_height: int) -> tuple[float, float]:
    """CSS px as the page shows the image: ``style`` width/height, else the ``width``
    attribute (``.slide img { height: auto }`` overrides the height attribute), the aspect
    ratio kept for what is not given."""
    style = parse_style(element.get("style"))
    width = _length(style.get("width")) or _length(element.get("width"))
    height = _length(style.get("height"))
    max_width = _length(style.get("max-width"))
    natural_width = max(1, natural_width)
    natural_height = max(1, natural_height)
    if width and height:
        pass
    elif width:
        height = width * natural_height / natural_width
    elif height:
        width = height * natural_width / natural_height
    else:
        width, height = float(natural_width), float(natural_height)
    if max_width and width > max_width:
        height = height * max_width / width
        width = max_width
    return float(width), float(height)


def read_slide(html: str, palette: Palette, code_style_name: str, index: int = 1,
               line: int = 1, attrs=(), content_attrs=()) -> SlideContent:
    """One slide's rendered HTML as ``SlideContent``."""
    return SlideReader(palette, code_style_name).read(index, line, html, attrs, content_attrs)

