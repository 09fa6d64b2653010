r"""TeX math, converted to MathML when the deck is built: no MathJax, no CDN, works offline.

What nodeppt decks write (through marked, then MathJax in the browser):

- ``$$ ... $$``: display math, as a block of its own lines or inside a paragraph;
- ``\\( ... \\)`` and ``\\[ ... \\]``: inline and display math. The doubled backslash is the
  Markdown escape nodeppt authors had to write to get ``\(`` through marked, so the formula
  between them is unescaped the same way (``\\\\`` is TeX's ``\\``);
- ``$ ... $``: inline math, only with ``usemathjax: yes`` (a dollar is too common otherwise).
  Dollars pair up in order, as MathJax paired them, and a pair is a formula only under
  Pandoc's rule: no blank just inside the dollars, no digit right after the closing one; so
  "$5 and $6" stays text.

Inside ``$`` and ``$$`` the TeX is taken as written. Conversion is latex2mathml's, imported
only when a slide has math; the MathML is re-serialised here so that it is always well-formed
HTML. A formula that cannot be converted is a warning (``math: ...``, with its line) and shows
as its source in ``<code class="math-error">``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape, unescape
from weakref import WeakKeyDictionary

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from ._blocks import add_block_rule

_ESCAPABLE = re.compile(r"\\([!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])")
_UNKNOWN_COMMAND = re.compile(r"^\\[A-Za-z]+$")
# For each inline parse, the position of a ``$`` that could not close a formula and so opens
# none either (see _math_inline); gone with the parse's state.
_DOLLAR_SKIP: WeakKeyDictionary[StateInline, int] = WeakKeyDictionary()
_ERRORS = {
    "NoAvailableTokensError": "something is missing at the end (an argument or a closing brace)",
    "MissingEndError": "\\begin{...} without its \\end{...}",
    "MissingSuperScriptOrSubscriptError": "^ or _ with nothing after it",
    "DoubleSuperscriptsError": "two superscripts in a row (write {x^a}^b)",
    "DoubleSubscriptsError": "two subscripts in a row (write {x_a}_b)",
    "ExtraLeftOrMissingRightError": "\\left without \\right",
    "MissingRightError": "\\left without \\right",
    "InvalidAlignmentError": "invalid column alignment",
    "InvalidStyleForGenfracError": "invalid \\genfrac style",
    "InvalidWidthError": "invalid width",
    "LimitsMustFollowMathOperatorError": "\\limits must follow an operator",
    "DenominatorNotFoundError": "a fraction without its denominator",
    "NumeratorNotFoundError": "a fraction without its numerator",
}


def plugin(md: MarkdownIt) -> None:
    add_block_rule(md, "$", _math_block)
    md.inline.ruler.before("escape", "deckgen_math_inline", _math_inline)
    md.core.ruler.push("deckgen_math", _convert_all)
    md.add_render_rule("math_block", _render_block)
    md.add_render_rule("math_inline", _render_inline)


# -- parsing --------------------------------------------------------------------------------

def _math_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    pos = state.bMarks[start] + state.tShift[start]
    maximum = state.eMarks[start]
    if not state.src.startswith("$$", pos) or state.is_code_block(start):
        return False
    first = state.src[pos + 2:maximum]
    if "$$" in first:
        # One line: a block only when the formula is all there is on it.
        close = first.find("$$")
        if first[close + 2:].strip() or not first[:close].strip():
            return False
        if silent:
            return True
        _push_block(state, first[:close], start, start + 1)
        return True
    line = start + 1
    while line < end:
        text = state.src[state.bMarks[line] + state.tShift[line]:state.eMarks[line]].rstrip()
        if text.endswith("$$"):
            break
        line += 1
    else:
        if not silent:
            ctx = state.env.get("deckgen")
            if ctx is not None:
                ctx.warn_once([start], "math", "math: $$ is never closed; shown as text")
        return False
    if silent:
        return True
    body = [first]
    body.extend(state.src[state.bMarks[k] + state.tShift[k]:state.eMarks[k]]
                for k in range(start + 1, line))
    last = state.src[state.bMarks[line] + state.tShift[line]:state.eMarks[line]].rstrip()
    body.append(last[:-2])
    _push_block(state, "\n".join(body), start, line + 1)
    return True


def _push_block(state: StateBlock, tex: str, start: int, end: int) -> None:
    state.line = end
    token = state.push("math_block", "math", 0)
    token.content = tex.strip()
    token.markup = "$$"
    token.map = [start, end]
    token.meta = {"display": True, "line": 0}
    state.env["deckgen_math"] = True


def _math_inline(state: StateInline, silent: bool) -> bool:
    src = state.src
    pos = state.pos
    char = src[pos]
    close: int | None
    if char == "$":
        if src.startswith("$$", pos):
            close = src.find("$$", pos + 2, state.posMax)
            if close == -1 or not src[pos + 2:close].strip():
                return False
            return _push_inline(state, silent, src[pos + 2:close], "$$", close + 2, True)
        if not _dollar_math(state) or pos == _DOLLAR_SKIP.get(state, -1):
            return False
        close = _next_dollar(src, pos, state.posMax)
        if close is None:
            return False
        if not _can_close(src, pos, close, state.posMax):
            # Dollars pair up, as MathJax paired them: the one that could not close this
            # formula does not open the next ("$5 and $6" is text).
            _DOLLAR_SKIP[state] = close
            return False
        return _push_inline(state, silent, src[pos + 1:close], "$", close + 1, False)
    if char == "\\" and src.startswith("\\\\", pos) and pos + 2 < state.posMax:
        kind = src[pos + 2]
        if kind not in "([":
            return False
        closer = "\\\\)" if kind == "(" else "\\\\]"
        close = src.find(closer, pos + 3, state.posMax)
        if close == -1:
            return False
        tex = _ESCAPABLE.sub(r"\1", src[pos + 3:close])
        return _push_inline(state, silent, tex, "\\\\" + kind, close + 3, kind == "[")
    return False


def _dollar_math(state: StateInline) -> bool:
    ctx = state.env.get("deckgen")
    return ctx is not None and ctx.options.dollar_math


def _next_dollar(src: str, pos: int, maximum: int) -> int | None:
    """The next unescaped ``$`` after the one at ``pos``."""
    close = pos
    while True:
        close = src.find("$", close + 1, maximum)
        if close == -1 or src[close - 1] != "\\":
            return None if close == -1 else close


def _can_close(src: str, pos: int, close: int, maximum: int) -> bool:
    """Pandoc's rule for ``$...$``: no blank just inside either dollar, no digit right after
    the closing one."""
    return not (src[pos + 1].isspace() or src[close - 1].isspace()
                or (close + 1 < maximum and src[close + 1].isdigit()))


def _push_inline(state: StateInline, silent: bool, tex: str, markup: str, end: int,
                 display: bool) -> bool:
    if not silent:
        token = state.push("math_inline", "math", 0)
        token.content = tex.strip()
        token.markup = markup
        token.meta = {"display": display, "line": state.src.count("\n", 0, state.pos)}
        state.env["deckgen_math"] = True
    state.pos = end
    return True


# -- conversion -----------------------------------------------------------------------------

def _convert_all(state: StateCore) -> None:
    if not state.env.get("deckgen_math"):
        return
    ctx = state.env.get("deckgen")
    for token in state.tokens:
        if token.type == "math_block":
            _convert_token(token, token, ctx)
        elif token.type == "inline" and token.children:
            for child in token.children:
                if child.type == "math_inline":
                    _convert_token(child, token, ctx)


def _convert_token(token: Token, block: Token, ctx) -> None:
    html, problems = to_mathml(token.content, token.meta["display"])
    token.meta["html"] = html
    if ctx is None:
        return
    for problem in problems:
        ctx.warn(block.map, "math", f"math: {problem}", token.meta["line"])


@lru_cache(maxsize=512)
def to_mathml(tex: str, display: bool) -> tuple[str | None, tuple[str, ...]]:
    """MathML for a TeX formula, and what was wrong with it (None: it could not be converted)."""
    from latex2mathml.converter import convert_to_element

    if not tex.strip():
        return None, ("empty formula",)
    try:
        element = convert_to_element(tex, display="block" if display else "inline")
    except Exception as exc:  # latex2mathml raises many kinds, some of them bare
        return None, (f"cannot convert '{_clip(tex)}': {_explain(exc)}; shown as source",)
    unknown: list[str] = []
    parts: list[str] = []
    _serialize(element, parts, unknown, root=True, display=display)
    problems = tuple(f"unknown command {name} in '{_clip(tex)}'"
                     for name in dict.fromkeys(unknown))
    return "".join(parts), problems


def _serialize(element, parts: list[str], unknown: list[str], root: bool = False,
               display: bool = False) -> None:
    tag = element.tag
    parts.append("<" + tag)
    if root:
        if display:
            parts.append(' display="block"')
    else:
        for name, value in element.attrib.items():
            parts.append(f' {name}="{escape(unescape(value))}"')
    parts.append(">")
    if element.text:
        text = unescape(element.text)
        if tag == "mi" and _UNKNOWN_COMMAND.match(text):
            unknown.append(text)
        parts.append(escape(text, quote=False))
    for child in element:
        _serialize(child, parts, unknown)
    parts.append(f"</{tag}>")
    if element.tail and not root:
        parts.append(escape(unescape(element.tail), quote=False))


def _explain(exc: Exception) -> str:
    name = type(exc).__name__
    if name in _ERRORS:
        return _ERRORS[name]
    words = re.sub(r"(?<!^)(?=[A-Z])", " ", name.removesuffix("Error")).lower()
    detail = str(exc).strip()
    return f"{words} ({_clip(detail, 40)})" if detail else words


def _clip(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


# -- rendering ------------------------------------------------------------------------------

def _source(token: Token) -> str:
    closing = {"\\\\(": "\\\\)", "\\\\[": "\\\\]"}.get(token.markup, token.markup)
    return f'<code class="math-error">{escape(token.markup + token.content + closing)}</code>'


def _render_block(self, tokens: list[Token], idx: int, options, env) -> str:
    token = tokens[idx]
    html = token.meta.get("html")
    return (html if html is not None else f"<p>{_source(token)}</p>") + "\n"


def _render_inline(self, tokens: list[Token], idx: int, options, env) -> str:
    token = tokens[idx]
    html = token.meta.get("html")
    return html if html is not None else _source(token)
