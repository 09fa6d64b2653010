"""Attribute markers, kramdown style as nodeppt used them: ``{:.cls}``, ``{:#id}``,
``{:.a.b width="200px"}`` and ``{:&.cls}``.

An inline rule turns each marker into a token (so emphasis or entity rules never see its
characters, and a marker in a code span stays code); a core rule then moves its attributes onto
an element and drops the token, so the marker text never shows. Which element:

- right after an image, link, emphasis or inline code, with no space between: that element;
- otherwise the block the text belongs to: the heading, the paragraph, the table cell, or the
  list item when the paragraph is the item's first (a tight list shows no ``<p>`` at all);
- a paragraph holding only a marker applies to the block before it (a list, a table...);
- ``{:&...}`` goes one step further out, onto the parent: the ``<ul>``/``<ol>`` of a list
  item, the ``<tr>`` of a cell, the ``<blockquote>`` around a paragraph, and, for a block at
  the top of the slide, the slide's content wrapper (``RenderEnv.content_attrs``).

In a heading or a list item, a marker must have a space before it (or follow one of those
spans), as nodeppt's own patterns wanted: ``加上：{:&.动效类型}`` shows as text. A marker in
the Markdown inside raw HTML (``html_markdown``) is dropped with a warning, as is a marker with
nothing to attach to.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from ..attrs import Marker, parse_marker

_SPAN_CLOSE = {"link_close": "link_open", "em_close": "em_open", "strong_close": "strong_open",
               "s_close": "s_open"}
_SPANS = frozenset({"image", "code_inline", *_SPAN_CLOSE})
_BLOCK_TOKENS = frozenset({"fence", "code_block", "html_block", "math_block"})
_NEEDS_SPACE = frozenset({"list_item_open", "heading_open"})


def plugin(md: MarkdownIt) -> None:
    md.inline.ruler.before("escape", "deckgen_marker", _marker_inline)
    md.core.ruler.push("deckgen_markers", _apply_markers)
    md.add_render_rule("deckgen_marker", lambda *_args: "")


def _marker_inline(state: StateInline, silent: bool) -> bool:
    pos = state.pos
    src = state.src
    if src[pos] != "{" or not src.startswith("{:", pos):
        return False
    parsed = parse_marker(src, pos)
    if parsed is None or parsed[1] > state.posMax:
        return False
    marker, end = parsed
    if not silent:
        token = state.push("deckgen_marker", "", 0)
        token.content = src[pos:end]
        token.meta = {"marker": marker, "line": src.count("\n", 0, pos)}
        state.env["deckgen_markers"] = True
    state.pos = end
    return True


def apply_attrs(token: Token, attrs) -> None:
    """Add marker attributes to a token: classes accumulate, other names are replaced."""
    for name, value in attrs:
        if name == "class":
            for cls in (value or "").split():
                current = str(token.attrGet("class") or "")
                if cls not in current.split():
                    token.attrJoin("class", cls)
        else:
            token.attrSet(name, "" if value is None else value)


def parent_index(tokens: list[Token], index: int) -> int | None:
    """The opening token that contains ``tokens[index]``, or None at the top of the slide."""
    level = tokens[index].level
    if level == 0:
        return None
    for j in range(index - 1, -1, -1):
        token = tokens[j]
        if token.nesting == 1 and token.level == level - 1:
            return j
    return None


def _apply_markers(state: StateCore) -> None:
    if not state.env.get("deckgen_markers"):
        return
    ctx = state.env.get("deckgen")
    tokens = state.tokens
    standalone: list[int] = []
    for i, token in enumerate(tokens):
        if token.type != "inline" or not token.children:
            continue
        if not any(child.type == "deckgen_marker" for child in token.children):
            continue
        kept: list[Token] = []
        block_markers: list[tuple[Marker, str, int]] = []
        in_html = bool(token.meta) and "html_group" in token.meta
        needs_space = not in_html and tokens[_block_element(tokens, i)].type in _NEEDS_SPACE
        for child in token.children:
            if child.type != "deckgen_marker":
                kept.append(child)
                continue
            marker: Marker = child.meta["marker"]
            # Emphasis leaves empty text tokens where its delimiters were: look past them.
            at = len(kept) - 1
            while at >= 0 and kept[at].type == "text" and not kept[at].content:
                at -= 1
            previous = kept[at] if at >= 0 else None
            if not marker.parent and previous is not None and previous.type in _SPANS:
                target = previous
                if previous.type in _SPAN_CLOSE:
                    target = _span_open(kept, at)
                apply_attrs(target, marker.attrs)
            elif (needs_space and previous is not None and previous.type == "text"
                  and not previous.content[-1:].isspace()):
                # nodeppt wanted a space before a heading's or list item's marker; without
                # one it showed the text (its demo writes "加上：{:&.动效类型}" to be read).
                kept.append(Token("text", "", 0, content=child.content))
            else:
                block_markers.append((marker, child.content, child.meta["line"]))
                _strip_trailing_space(kept)
        _strip_trailing_space(kept)
        token.children = kept
        if not block_markers:
            continue
        if in_html:
            # Markdown inside raw HTML (``html_markdown``): no block of its own to mark.
            for _marker, text, line in block_markers:
                _warn(ctx, token, line, text, "it is inside raw HTML")
            continue
        element: int | None = _block_element(tokens, i)
        only_marker = not any(c.type not in ("softbreak", "hardbreak") and
                              (c.type != "text" or c.content.strip()) for c in kept)
        if only_marker and element == i - 1 and tokens[element].type == "paragraph_open":
            standalone.append(element)
            element = _previous_block(tokens, element)
        for marker, text, line in block_markers:
            if element is None:
                _warn(ctx, token, line, text, "there is no block before it")
                continue
            target_index = parent_index(tokens, element) if marker.parent else element
            if target_index is None:
                # No parent block: the marker's attributes go on the slide's content.
                if ctx is not None:
                    ctx.content_attrs.extend(marker.attrs)
                continue
            if tokens[target_index].type in _BLOCK_TOKENS:
                _warn(ctx, token, line, text,
                      f"a {_describe(tokens[target_index])} takes no attributes")
                continue
            apply_attrs(tokens[target_index], marker.attrs)
    for index in reversed(standalone):
        del tokens[index:index + 3]


def _block_element(tokens: list[Token], inline_index: int) -> int:
    """Index of the element the text of an inline token belongs to (see the docstring)."""
    opener = inline_index - 1
    if (tokens[opener].type == "paragraph_open" and opener >= 1
            and tokens[opener - 1].type == "list_item_open"):
        return opener - 1
    return opener


def _previous_block(tokens: list[Token], index: int) -> int | None:
    """The block just before ``tokens[index]`` at the same level: its opening token's index."""
    level = tokens[index].level
    for j in range(index - 1, -1, -1):
        token = tokens[j]
        if token.level < level:
            return None
        if token.level != level:
            continue
        if token.nesting == -1:
            for k in range(j - 1, -1, -1):
                if tokens[k].level == level and tokens[k].nesting == 1:
                    return k
            return None
        return j
    return None


def _span_open(children: list[Token], close_index: int) -> Token:
    close = children[close_index]
    wanted = _SPAN_CLOSE[close.type]
    depth = 0
    for j in range(close_index - 1, -1, -1):
        child = children[j]
        if child.type == close.type:
            depth += 1
        elif child.type == wanted:
            if depth == 0:
                return child
            depth -= 1
    return close


def _strip_trailing_space(children: list[Token]) -> None:
    while children and children[-1].type == "softbreak":
        children.pop()
    if children and children[-1].type == "text":
        children[-1].content = children[-1].content.rstrip()
        if not children[-1].content:
            children.pop()
            _strip_trailing_space(children)


def _describe(token: Token) -> str:
    return {"fence": "code block", "code_block": "code block", "html_block": "raw HTML block",
            "math_block": "formula"}.get(token.type, token.type)


def _warn(ctx, token: Token, line: int, text: str, why: str) -> None:
    if ctx is not None:
        ctx.warn(token.map, "marker-ignored", f"ignored {text}: {why}", line)
