"""Build-time syntax highlighting with Pygments: no highlighting JavaScript in the page.

Highlighting dominates render time, so lexers are looked up once per language name and
formatters once per process; the style's CSS is generated once per style.
"""

from __future__ import annotations

from functools import cache, lru_cache
from html import escape

from pygments import highlight as _pygments_highlight
from pygments.formatters.html import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.styles import get_all_styles, get_style_by_name
from pygments.token import Token
from pygments.util import ClassNotFound

CSS_CLASS = "highlight"

# nodeppt 1.x named highlight.js styles; map each to the nearest Pygments style.
HLJS_STYLES = {
    "monokai_sublime": "monokai", "monokai": "monokai", "arta": "monokai",
    "obsidian": "monokai", "pojoaque": "fruity", "dark": "native", "ir_black": "native",
    "sunburst": "native", "railscasts": "rrt", "tomorrow-night": "one-dark",
    "tomorrow-night-blue": "one-dark", "tomorrow-night-bright": "one-dark",
    "tomorrow-night-eighties": "one-dark", "tomorrow": "default", "github": "default",
    "googlecode": "default", "idea": "default", "foundation": "default",
    "docco": "friendly", "school_book": "friendly", "brown_paper": "autumn",
    "magula": "emacs", "mono-blue": "tango", "ascetic": "bw", "far": "borland",
    "rainbow": "rainbow_dash", "solarized_dark": "solarized-dark",
    "solarized_light": "solarized-light", "zenburn": "zenburn", "xcode": "xcode", "vs": "vs",
    "default": "default",
}


@cache
def pygments_styles() -> tuple[str, ...]:
    return tuple(sorted(get_all_styles()))


def resolve_style(name: str) -> str | None:
    """A Pygments style name for a Pygments or highlight.js style name, or None."""
    key = name.strip()
    styles = pygments_styles()
    if key in styles:
        return key
    lowered = key.lower()
    if lowered in styles:
        return lowered
    if lowered in HLJS_STYLES:
        return HLJS_STYLES[lowered]
    dashed = lowered.replace("_", "-")
    return dashed if dashed in styles else None


@cache
def _lexer(lang: str) -> Lexer | None:
    try:
        return get_lexer_by_name(lang, stripnl=False, ensurenl=True)
    except ClassNotFound:
        return None


@lru_cache(maxsize=1)
def _formatter() -> HtmlFormatter:
    return HtmlFormatter(nowrap=True)


def language_of(info: str) -> str:
    """The language name from a fence info string (```` ```python {.x} ```` -> ``python``)."""
    lang = info.strip().split(maxsplit=1)[0] if info.strip() else ""
    return lang.lstrip(".").strip("{}").lower()


def is_known_language(lang: str) -> bool:
    return _lexer(lang) is not None


def highlight_code(code: str, lang: str) -> str:
    """Return ``<pre class="highlight"><code>...</code></pre>`` for a code block.

    Unknown or missing languages give plain escaped code, never an error.
    """
    lexer = _lexer(lang) if lang else None
    if lexer is None:
        body = escape(code, quote=False)
    else:
        body = _pygments_highlight(code, lexer, _formatter())
    lang_class = f' class="language-{escape(lang)}"' if lang else ""
    return f'<pre class="{CSS_CLASS}"><code{lang_class}>{body}</code></pre>\n'


@cache
def style_css(style: str) -> str:
    """CSS for one Pygments style, scoped to ``pre.highlight``."""
    formatter = HtmlFormatter(style=style)
    rules = formatter.get_style_defs(f"pre.{CSS_CLASS}")
    # Pygments' line-number rules target markup we never emit.
    kept = [line for line in rules.splitlines()
            if "linenos" not in line and not line.startswith("pre { line-height")]
    # Pygments leaves plain text to inherit the page colour, unreadable on a dark style.
    pygments_style = get_style_by_name(style)
    text = (pygments_style.style_for_token(Token.Text)["color"]
            or pygments_style.style_for_token(Token)["color"])
    if not text:
        text = "000000" if _is_light(pygments_style.background_color or "#ffffff") else "f8f8f2"
    kept.insert(0, f"pre.{CSS_CLASS} {{ color: #{text}; background: "
                   f"{pygments_style.background_color or '#ffffff'}; }}")
    return "\n".join(kept)


def _is_light(color: str) -> bool:
    hexa = color.lstrip("#")
    if len(hexa) == 3:
        hexa = "".join(c * 2 for c in hexa)
    try:
        r, g, b = (int(hexa[i:i + 2], 16) for i in (0, 2, 4))
    except ValueError:
        return True
    return (0.299 * r + 0.587 * g + 0.114 * b) > 140
