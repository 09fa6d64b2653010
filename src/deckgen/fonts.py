r"""The fonts a page embeds: Font Awesome icons and a math font, each cut to what the deck uses.

This stage reads the rendered slides and gives the page stage CSS to add (empty for a deck
that uses neither, which then pays two substring tests per slide and nothing else):

- **Icons.** nodeppt 1.x shipped Font Awesome 4, and its decks write ``<i class="fa
  fa-github"></i>``. A class attribute with the ``fa`` class names icons with its other
  ``fa-NAME`` classes; the packaged Font Awesome 4.7 font is cut to those glyphs, and the page
  gets FA's ``.fa`` rule, one ``.fa-NAME:before`` rule per name used, and the helpers used
  (``fa-2x``, ``fa-fw``, ``fa-spin``, ``fa-stack``...), written here rather than FA's whole CSS.
  A name Font Awesome 4.7 does not have is an ``unknown-icon`` warning at its line.
- **Math.** Chromium stretches brackets and draws roots from the MATH table of the font the
  formula is set in; with no math font installed they do not grow. A deck with formulas gets a
  subset of Latin Modern Math (the TeX look MathJax gave nodeppt decks) with the characters its
  formulas use, the glyph variants and assembly parts that stretch them (fontTools' subsetter
  follows the MATH table there), and ``math { font-family: ... }``; characters the font lacks
  (Chinese in ``\text{}``) fall back to the browser's fonts.

Subsets are WOFF (zlib, from the standard library; WOFF 2 would save another 10-20% but needs
the brotli extension module) in ``data:`` URIs, made with fontTools, imported only when needed.
A subset is the same bytes for the same glyphs (the head table's timestamp is kept), and is
cached for the process, so a ``serve`` session or a folder build makes each one once.
"""

from __future__ import annotations

import base64
import difflib
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from html import unescape
from pathlib import Path

from .model import Diagnostics, RenderedSlide, Slide
from .resources import WEBFONTS_DIR

# A class attribute inside a start tag: text never holds a "<" (it is "&lt;"), but sealed
# slides can hold quotes, so class="..." in text (inline code) is not taken for markup.
_CLASS_ATTR = re.compile(r"""<[A-Za-z][^<>]*?\sclass\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
_MATH = re.compile(r"<math[\s>].*?</math>", re.S)
_TAG = re.compile(r"<[^>]*>")
_MI = re.compile(r"<mi>([^<]+)</mi>")
_RADICAL = ("<msqrt", "<mroot")


@dataclass(frozen=True, slots=True)
class PackagedFont:
    """A font file deckgen ships, and the names its subsets carry."""

    path: Path
    family: str
    """The CSS font-family of the subset."""
    description: str
    """Written into the subset's name table: what it is cut from, and where the whole font is."""
    rename: bool = False
    """Give the subset ``family`` as its own name too (the Latin Modern Math licence asks that
    modified versions not carry the original's name)."""


FONT_AWESOME = PackagedFont(
    WEBFONTS_DIR / "fontawesome" / "fontawesome-webfont.woff", "FontAwesome",
    "Subset of Font Awesome 4.7.0 made by deckgen; the whole font: https://fontawesome.com/v4/")
MATH_FONT = PackagedFont(
    WEBFONTS_DIR / "latinmodern-math" / "latinmodern-math.otf", "deckgen-math",
    "Subset of Latin Modern Math 1.959 made by deckgen for one page, renamed as the GUST Font "
    "License asks; the whole font: https://www.gust.org.pl/projects/e-foundry/lm-math",
    rename=True)

# -- Font Awesome's CSS, as much of it as a page needs ------------------------------------------
# The values are Font Awesome 4.7's; the rules are deckgen's, one entry per helper class, so a
# page carries only the helpers its deck uses.

_ICON_BASE = (".fa{display:inline-block;font:normal normal normal 14px/1 FontAwesome;"
              "font-size:inherit;text-rendering:auto;-webkit-font-smoothing:antialiased;"
              "-moz-osx-font-smoothing:grayscale}")
_SPIN = "@keyframes fa-spin{0%{transform:rotate(0deg)}100%{transform:rotate(359deg)}}"
_STACKED = ".fa-stack-1x,.fa-stack-2x{position:absolute;left:0;width:100%;text-align:center}"
ICON_HELPERS: dict[str, tuple[str, ...]] = {
    # xs, sm, 1x and 6x-10x are Font Awesome 5's sizes, which decks also write beside "fa".
    "xs": (".fa-xs{font-size:.75em}",),
    "sm": (".fa-sm{font-size:.875em}",),
    "lg": (".fa-lg{font-size:1.33333333em;line-height:.75em;vertical-align:-15%}",),
    "1x": (".fa-1x{font-size:1em}",),
    "2x": (".fa-2x{font-size:2em}",),
    "3x": (".fa-3x{font-size:3em}",),
    "4x": (".fa-4x{font-size:4em}",),
    "5x": (".fa-5x{font-size:5em}",),
    "6x": (".fa-6x{font-size:6em}",),
    "7x": (".fa-7x{font-size:7em}",),
    "8x": (".fa-8x{font-size:8em}",),
    "9x": (".fa-9x{font-size:9em}",),
    "10x": (".fa-10x{font-size:10em}",),
    "fw": (".fa-fw{width:1.28571429em;text-align:center}",),
    "ul": (".fa-ul{padding-left:0;margin-left:2.14285714em;list-style-type:none}",
           ".fa-ul>li{position:relative}"),
    "li": (".fa-li{position:absolute;left:-2.14285714em;width:2.14285714em;top:.14285714em;"
           "text-align:center}", ".fa-li.fa-lg{left:-1.85714286em}"),
    "border": (".fa-border{padding:.2em .25em .15em;border:solid .08em #eee;"
               "border-radius:.1em}",),
    "pull-left": (".fa-pull-left{float:left}", ".fa.fa-pull-left{margin-right:.3em}"),
    "pull-right": (".fa-pull-right{float:right}", ".fa.fa-pull-right{margin-left:.3em}"),
    "spin": (".fa-spin{animation:fa-spin 2s infinite linear}", _SPIN),
    "pulse": (".fa-pulse{animation:fa-spin 1s infinite steps(8)}", _SPIN),
    "rotate-90": (".fa-rotate-90{transform:rotate(90deg)}",),
    "rotate-180": (".fa-rotate-180{transform:rotate(180deg)}",),
    "rotate-270": (".fa-rotate-270{transform:rotate(270deg)}",),
    "flip-horizontal": (".fa-flip-horizontal{transform:scale(-1,1)}",),
    "flip-vertical": (".fa-flip-vertical{transform:scale(1,-1)}",),
    "stack": (".fa-stack{position:relative;display:inline-block;width:2em;height:2em;"
              "line-height:2em;vertical-align:middle}",),
    "stack-1x": (_STACKED, ".fa-stack-1x{line-height:inherit}"),
    "stack-2x": (_STACKED, ".fa-stack-2x{font-size:2em}"),
    "inverse": (".fa-inverse{color:#fff}",),
}
# Helper rules by class name: FA's own, and the old float classes beside ``fa`` (nodeppt.css
# floats them; Font Awesome adds a gap).
_HELPER_RULES: dict[str, tuple[str, ...]] = {
    **{f"fa-{name}": rules for name, rules in ICON_HELPERS.items()},
    "pull-left": (".fa.pull-left{margin-right:.3em}",),
    "pull-right": (".fa.pull-right{margin-left:.3em}",),
}


@lru_cache(maxsize=1)
def icon_table() -> dict[str, int]:
    """Every Font Awesome 4.7 icon name (aliases included, without ``fa-``) -> code point."""
    table: dict[str, int] = {}
    text = (WEBFONTS_DIR / "fontawesome" / "icons.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            code, *names = line.split()
            for name in names:
                table[name] = int(code, 16)
    return table


@dataclass(slots=True)
class IconUse:
    """What a deck's class attributes ask of Font Awesome."""

    icons: set[str]
    """Icon names, without ``fa-``."""
    helpers: set[str]
    """Helper classes (``fa-2x``, ``fa-spin``, ``pull-left`` beside ``fa``)."""
    unknown: list[tuple[int, str]]
    """(slide position in the deck, name), in the order met, once per slide."""


def find_icons(htmls: Sequence[str]) -> IconUse:
    """The icons and helper classes the slides' class attributes use (``htmls`` in deck order).

    An icon needs the ``fa`` class beside its ``fa-NAME`` (as Font Awesome does: without it,
    the glyph would be drawn in the text font); the helper classes count anywhere (``<ul
    class="fa-ul">``). Only start tags are read: a class written in code is text.
    """
    names = icon_table()
    use = IconUse(set(), set(), [])
    for position, html in enumerate(htmls):
        if "fa-" not in html:
            continue
        unknown_here: dict[str, None] = {}
        for match in _CLASS_ATTR.finditer(html):
            value = match.group(1) if match.group(1) is not None else match.group(2)
            if "fa" not in value:
                continue
            classes = value.split()
            is_icon = "fa" in classes
            for cls in classes:
                if cls in _HELPER_RULES:
                    if is_icon or cls.startswith("fa-"):
                        use.helpers.add(cls)
                elif is_icon and cls.startswith("fa-") and len(cls) > 3:
                    if cls[3:] in names:
                        use.icons.add(cls[3:])
                    else:
                        unknown_here[cls[3:]] = None
        use.unknown.extend((position, name) for name in unknown_here)
    return use


def icons_css(use: IconUse) -> str:
    """The @font-face (a subset with just the used icons) and the rules that draw them."""
    if not use.icons:
        return ""
    names = icon_table()
    font = subset_woff(FONT_AWESOME, frozenset(names[name] for name in use.icons))
    rules = [_font_face(FONT_AWESOME.family, font), _ICON_BASE]
    helpers: dict[str, None] = {}  # in Font Awesome's order, which its cascade relies on
    for helper, helper_rules in _HELPER_RULES.items():
        if helper in use.helpers:
            helpers.update(dict.fromkeys(helper_rules))
    rules.extend(helpers)
    rules.extend(f'.fa-{name}:before{{content:"\\{names[name]:x}"}}'
                 for name in sorted(use.icons))
    return "\n".join(rules) + "\n"


# -- math ---------------------------------------------------------------------------------------

def math_characters(htmls: Sequence[str]) -> set[int]:
    """The code points the slides' MathML draws: its text, the radical sign of roots, and the
    mathematical italic letters Chromium shows for one-letter ``<mi>`` (MathML's automatic
    italic)."""
    chars: set[int] = set()
    for html in htmls:
        if "<math" not in html:
            continue
        for formula in _MATH.findall(html):
            chars.update(map(ord, unescape(_TAG.sub("", formula))))
            if any(tag in formula for tag in _RADICAL):
                chars.add(0x221A)
            for letter in _MI.findall(formula):
                letter = unescape(letter)
                if len(letter) == 1:
                    italic = math_italic(letter)
                    if italic is not None:
                        chars.add(italic)
    chars.discard(ord("\n"))
    return chars


def math_italic(char: str) -> int | None:
    """The MATHEMATICAL ITALIC form of a Latin or Greek letter (MathML Core's italic mapping),
    or None."""
    if char == "h":
        return 0x210E  # PLANCK CONSTANT stands in for the italic h Unicode leaves out
    import unicodedata  # only decks with math: a C extension to load

    name = unicodedata.name(char, "")
    if name.startswith(("LATIN ", "GREEK ")):
        name = name.split(" ", 1)[1].replace("LETTER ", "")
    elif name not in ("PARTIAL DIFFERENTIAL", "NABLA"):
        return None
    try:
        return ord(unicodedata.lookup("MATHEMATICAL ITALIC " + name))
    except KeyError:  # no italic form (accented letters)
        return None


def math_css(chars: set[int]) -> str:
    """The @font-face (a math font subset with ``chars``) and the rule that sets formulas in it."""
    if not chars:
        return ""
    wanted = frozenset(chars & _cmap(MATH_FONT.path))
    if not wanted:
        return ""
    font = subset_woff(MATH_FONT, wanted)
    return (_font_face(MATH_FONT.family, font) + "\n"
            f'math{{font-family:"{MATH_FONT.family}",math}}\n')


# -- the stage ----------------------------------------------------------------------------------

def fonts_css(sources: Sequence[Slide], slides: Sequence[RenderedSlide],
              diagnostics: Diagnostics) -> str:
    """The CSS that embeds the fonts the rendered ``slides`` use ("" for none); unknown icon
    names are warned about at their line in ``sources`` (the same slides, as written)."""
    htmls = [slide.html for slide in slides]
    use = find_icons(htmls)
    for position, name in use.unknown:
        diagnostics.warn(_line_of(sources[position], f"fa-{name}"), "unknown-icon",
                         f"unknown Font Awesome 4 icon 'fa-{name}'{_suggestion(name)}")
    return icons_css(use) + math_css(math_characters(htmls))


@lru_cache(maxsize=256)  # difflib over 800 names takes milliseconds; serve rebuilds often
def _suggestion(name: str) -> str:
    # Compared without the "fa-" every name shares, which would make any two names look alike.
    close = difflib.get_close_matches(name, [*icon_table(), *ICON_HELPERS], n=1, cutoff=0.6)
    return f" (did you mean 'fa-{close[0]}'?)" if close else ""


def _line_of(slide: Slide, word: str) -> int:
    """The first source line of ``slide`` with ``word`` as a class name, else its separator."""
    pattern = re.compile(r"(?<![\w-])" + re.escape(word) + r"(?![\w-])")
    for offset, line in enumerate(slide.source.split("\n")):
        if pattern.search(line):
            return slide.body_line + offset
    return slide.line


# -- subsetting ---------------------------------------------------------------------------------

def _font_face(family: str, woff: bytes) -> str:
    data = base64.b64encode(woff).decode("ascii")
    return (f'@font-face{{font-family:"{family}";src:url(data:font/woff;base64,{data}) '
            'format("woff");font-weight:normal;font-style:normal}')


@lru_cache(maxsize=4)
def _cmap(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(path, lazy=True).getBestCmap())


@lru_cache(maxsize=64)
def subset_woff(font: PackagedFont, codepoints: frozenset[int]) -> bytes:
    """A WOFF of ``font`` with the glyphs for ``codepoints`` and what they need (for a math
    font: the MATH table's size variants and assembly parts), byte-identical for the same input.
    """
    from fontTools import subset
    from fontTools.ttLib import TTFont

    # The bounding boxes stay the whole font's (recomputing them costs a third of the time and
    # changes nothing on screen); the timestamp stays the file's, so the bytes are reproducible.
    ttfont = TTFont(font.path, recalcTimestamp=False, recalcBBoxes=False)
    options = subset.Options()
    options.flavor = "woff"
    # GSUB holds only Latin Modern Math's script-size (ssty) and dotless (dtls) forms, which
    # Chromium does not apply (pages look the same without them; the subset is half the size);
    # FFTM is FontForge's build timestamps.
    options.drop_tables = [*options.drop_tables, "FFTM", "GSUB", "GPOS"]
    options.hinting = False  # slides are large text; hints would only add bytes
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 10, 13, 14]
    options.name_languages = [0x409]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(codepoints))
    subsetter.subset(ttfont)
    _set_names(ttfont, font)
    out = io.BytesIO()
    subset.save_font(ttfont, out, options)
    return out.getvalue()


def _set_names(ttfont, font: PackagedFont) -> None:
    name = ttfont["name"]
    name.setName(font.description, 10, 3, 1, 0x409)
    if not font.rename:
        return
    postscript = font.family.replace(" ", "")
    for name_id, value in ((1, font.family), (3, f"{font.family} subset"), (4, font.family),
                           (6, postscript)):
        name.setName(value, name_id, 3, 1, 0x409)
    if "CFF " in ttfont:
        cff = ttfont["CFF "].cff
        top = cff[cff.fontNames[0]]
        cff.fontNames = [postscript]
        top.FullName = top.FamilyName = font.family
