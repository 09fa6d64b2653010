"""Colours for the PowerPoint file: the theme's ``--dg-*`` palette, CSS colour values, and the
Pygments style's colour for each highlighted token class.

Everything here reads what the build produced (the page's CSS, the class names in the
highlighted HTML); nothing is re-highlighted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

_ROOT_BLOCK = re.compile(r":root\s*\{([^}]*)\}")
_PROPERTY = re.compile(r"--dg-([\w-]+)\s*:\s*([^;]+);")
_VAR = re.compile(r"var\(\s*--dg-([\w-]+)\s*(?:,[^)]*)?\)")
_HEX = re.compile(r"#([0-9a-fA-F]{3,8})\Z")
_RGB = re.compile(r"rgba?\(\s*([\d.]+%?)[\s,]+([\d.]+%?)[\s,]+([\d.]+%?)"
                  r"(?:\s*[,/]\s*([\d.]+%?))?\s*\)\Z")
# The CSS named colours decks use; anything else is ignored (the run keeps its default).
NAMED = {
    "black": "000000", "white": "FFFFFF", "red": "FF0000", "green": "008000", "blue": "0000FF",
    "yellow": "FFFF00", "orange": "FFA500", "purple": "800080", "gray": "808080",
    "grey": "808080", "silver": "C0C0C0", "maroon": "800000", "navy": "000080",
    "teal": "008080", "olive": "808000", "lime": "00FF00", "aqua": "00FFFF", "cyan": "00FFFF",
    "fuchsia": "FF00FF", "magenta": "FF00FF", "pink": "FFC0CB", "brown": "A52A2A",
    "gold": "FFD700", "darkred": "8B0000", "darkgreen": "006400", "darkblue": "00008B",
    "lightgray": "D3D3D3", "lightgrey": "D3D3D3", "darkgray": "A9A9A9", "darkgrey": "A9A9A9",
    "crimson": "DC143C", "tomato": "FF6347", "steelblue": "4682B4", "skyblue": "87CEEB",
}


def parse_color(value: str, background: str = "FFFFFF") -> str | None:
    """``RRGGBB`` for a CSS colour (hex, rgb()/rgba() blended onto ``background``, a common
    name), or None for anything else (``transparent``, ``inherit``, gradients...)."""
    value = value.strip().lower().removesuffix("!important").strip()
    m = _HEX.match(value)
    if m:
        digits = m.group(1)
        if len(digits) in (3, 4):
            digits = "".join(c * 2 for c in digits[:3])
        elif len(digits) == 8:
            digits = digits[:6]
        elif len(digits) != 6:
            return None
        return digits.upper()
    m = _RGB.match(value)
    if m:
        channels = [_channel(part) for part in m.groups()[:3]]
        alpha = 1.0 if m.group(4) is None else _alpha(m.group(4))
        under = [int(background[i:i + 2], 16) for i in (0, 2, 4)]
        mixed = [round(c * alpha + u * (1 - alpha)) for c, u in zip(channels, under)]
        return "".join(f"{max(0, min(255, c)):02X}" for c in mixed)
    return NAMED.get(value)


def _channel(text: str) -> int:
    return round(float(text[:-1]) * 2.55) if text.endswith("%") else round(float(text))


def _alpha(text: str) -> float:
    value = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    return max(0.0, min(1.0, value))


def is_light(color: str) -> bool:
    r, g, b = (int(color[i:i + 2], 16) for i in (0, 2, 4))
    return (0.299 * r + 0.587 * g + 0.114 * b) > 140


@dataclass(frozen=True, slots=True)
class Palette:
    """The theme's colours, ``RRGGBB``, as the page's CSS resolves them."""

    bg: str
    fg: str
    heading: str
    muted: str
    accent: str
    border: str
    code_bg: str
    code_fg: str
    quote_bg: str
    named: dict[str, str]
    """Every ``--dg-*`` property that resolved to a colour, by name without ``--dg-``."""

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.named.get(name, default)


def palette_from_css(css: str) -> Palette:
    """The ``--dg-*`` custom properties of the page's ``:root`` rules, the last one winning
    (base CSS first, the theme after it), with ``var()`` references resolved."""
    raw: dict[str, str] = {}
    for block in _ROOT_BLOCK.finditer(css):
        for name, value in _PROPERTY.findall(block.group(1)):
            raw[name] = value.strip()

    def resolve(name: str, depth: int = 0) -> str | None:
        value = raw.get(name)
        if value is None or depth > 10:
            return None
        m = _VAR.fullmatch(value.strip())
        if m:
            return resolve(m.group(1), depth + 1)
        return value

    bg = parse_color(resolve("bg") or "") or "FFFFFF"
    named = {}
    for name in raw:
        value = resolve(name)
        color = parse_color(value, bg) if value else None
        if color:
            named[name] = color
    fg = named.get("fg", "1F2328")
    return Palette(
        bg=bg, fg=fg, heading=named.get("heading", fg), muted=named.get("muted", fg),
        accent=named.get("accent", "0550AE"), border=named.get("border", "D0D7DE"),
        code_bg=named.get("code-bg", "EFF1F3"), code_fg=named.get("code-fg", fg),
        quote_bg=named.get("quote-bg", "F6F8FA"), named=named)


# nodeppt's colour classes (templates/nodeppt.css): the --dg-* property, or a literal colour.
CLASS_COLORS = {
    "text-primary": "primary", "text-success": "success", "text-warning": "warning",
    "text-danger": "danger", "text-info": "info", "text-muted": "muted",
    "text-white": "#FFFFFF", "white": "#FFFFFF", "text-dark": "#4F5061", "black": "#000000",
    "blue": "blue", "blue2": "blue2", "blue-2": "blue2", "blue3": "blue3", "blue-3": "blue3",
    "red": "red", "red2": "red2", "red-2": "red2", "red3": "red3", "red-3": "red3",
    "green": "green", "green2": "green2", "green-2": "green2", "green3": "green3",
    "green-3": "green3", "yellow": "yellow", "yellow2": "yellow2", "yellow-2": "yellow2",
    "yellow3": "yellow3", "yellow-3": "yellow3", "gray": "gray", "gray2": "gray2",
    "gray-2": "gray2", "gray3": "gray3", "gray-3": "gray3",
}
# Filled labels: (background property, text property).
LABEL_COLORS = {
    "label-default": ("quote-bg", "fg"), "label-primary": ("primary-fill", "on-fill"),
    "label-success": ("success-fill", "on-fill"), "label-info": ("info-fill", "on-fill"),
    "label-danger": ("danger-fill", "on-fill"),
    "label-warning": ("warning-fill", "on-warning-fill"),
}


def class_color(palette: Palette, classes: list[str]) -> str | None:
    """The text colour nodeppt's classes give an element, or None."""
    for cls in classes:
        ref = CLASS_COLORS.get(cls)
        if ref:
            return ref[1:] if ref.startswith("#") else palette.get(ref)
    return None


def label_colors(palette: Palette, classes: list[str]) -> tuple[str, str] | None:
    """(fill, text) for a nodeppt label (``.label.label-primary``), or None."""
    for cls in classes:
        refs = LABEL_COLORS.get(cls)
        if refs:
            fill, text = palette.get(refs[0]), palette.get(refs[1])
            if fill and text:
                return fill, text
    return None


@dataclass(frozen=True, slots=True)
class TokenStyle:
    color: str | None
    bold: bool
    italic: bool
    underline: bool


@dataclass(frozen=True, slots=True)
class CodeStyle:
    """A Pygments style as the page shows it: its background, its plain text colour (as
    ``highlight.style_css`` decides it) and the look of each token class."""

    name: str
    background: str
    text: str
    classes: dict[str, TokenStyle]

    def token(self, css_classes: str) -> TokenStyle | None:
        for cls in css_classes.split():
            found = self.classes.get(cls)
            if found is None and cls:
                found = self._derived(cls)
            if found is not None:
                return found
        return None

    def _derived(self, cls: str) -> TokenStyle | None:
        # Pygments names a token type without a class of its own after its nearest standard
        # ancestor's class followed by the extra names ("nt" + "Foo"): the longest known prefix.
        for end in range(len(cls) - 1, 0, -1):
            found = self.classes.get(cls[:end])
            if found is not None:
                return found
        return None


@cache
def code_style(name: str) -> CodeStyle:
    from pygments.styles import get_style_by_name
    from pygments.token import STANDARD_TYPES, Token
    from pygments.util import ClassNotFound

    try:
        style = get_style_by_name(name)
    except ClassNotFound:
        style = get_style_by_name("default")
    background = parse_color(style.background_color or "#ffffff") or "FFFFFF"
    text = (style.style_for_token(Token.Text)["color"] or style.style_for_token(Token)["color"])
    text = parse_color("#" + text) if text else None
    if not text:
        text = "000000" if is_light(background) else "F8F8F2"
    classes = {}
    for ttype, cls in STANDARD_TYPES.items():
        if not cls:
            continue
        found = style.style_for_token(ttype)
        color = parse_color("#" + found["color"]) if found["color"] else None
        classes[cls] = TokenStyle(color, bool(found["bold"]), bool(found["italic"]),
                                  bool(found["underline"]))
    return CodeStyle(name, background, text, classes)
