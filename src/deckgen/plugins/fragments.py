"""nodeppt's build animations: a container marked ``fadeIn``, ``rollIn``, ``moveIn``,
``bounceIn``, ``zoomIn``, ``fade`` or ``build`` reveals its children one at a time.

nodeppt did this in the browser (``.fadeIn > *`` and so on); deckgen marks the children at build
time, reveal.js style, so the runtime only has to know one thing, ``class="fragment"``::

    * one {:&.fadeIn}        <ul class="fadeIn">
    * two            ->      <li class="fragment" data-animation="fadeIn">one</li>
                             <li class="fragment" data-animation="fadeIn">two</li></ul>

Containers: a list (its items), a blockquote (its blocks), and the slide itself when the class
went onto the content wrapper (``{:&.build}`` on a top-level block): then every top-level
block is a step except the slide's leading headings, which always show. Blocks that cannot take
attributes (code, raw HTML, formulas, rules) are wrapped in a ``<div class="fragment">``.
Runs after the markers rule; only slides that had a marker pay for it.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from ._blocks import matching_close

ANIMATIONS = ("fadeIn", "rollIn", "moveIn", "bounceIn", "zoomIn", "fade", "build")
_ANIMATION_SET = frozenset(ANIMATIONS)
_CONTAINERS = frozenset({"bullet_list_open", "ordered_list_open", "blockquote_open"})
_SKIPPED = frozenset({"note_open"})


def plugin(md: MarkdownIt) -> None:
    md.core.ruler.push("deckgen_fragments", _mark_fragments)


def animation_of(classes: str | None) -> str | None:
    """The first nodeppt animation among space-separated classes."""
    for cls in (classes or "").split():
        if cls in _ANIMATION_SET:
            return cls
    return None


def _mark_fragments(state: StateCore) -> None:
    if not state.env.get("deckgen_markers"):
        return
    tokens = state.tokens
    wraps: dict[int, tuple[str, int]] = {}
    for i, token in enumerate(tokens):
        if token.type in _CONTAINERS:
            classes = token.attrGet("class")
            animation = animation_of(classes if isinstance(classes, str) else None)
            if animation:
                _mark_children(tokens, i + 1, matching_close(tokens, i), token.level + 1,
                               animation, wraps)
    ctx = state.env.get("deckgen")
    if ctx is not None and ctx.content_attrs:
        animation = animation_of(" ".join(v or "" for k, v in ctx.content_attrs if k == "class"))
        if animation:
            _mark_children(tokens, _after_leading_headings(tokens), len(tokens), 0, animation,
                           wraps)
    if wraps:
        state.tokens = _wrap(tokens, wraps)


def _mark_children(tokens: list[Token], start: int, end: int, level: int, animation: str,
                   wraps: dict[int, tuple[str, int]]) -> None:
    i = start
    while i < end:
        token = tokens[i]
        if token.level != level or token.nesting == -1:
            i += 1
            continue
        if token.type in _SKIPPED:
            i = matching_close(tokens, i) + 1
            continue
        if token.nesting == 1:
            _set_fragment(token, animation)
            i = matching_close(tokens, i) + 1
        else:
            # The parts of one raw HTML block (``html_markdown``) are one step.
            group = token.meta.get("html_group") if token.meta else None
            last = i
            while (group is not None and last + 1 < end and tokens[last + 1].meta
                   and tokens[last + 1].meta.get("html_group") == group):
                last += 1
            wraps[i] = (animation, last)
            i = last + 1


def _set_fragment(token: Token, animation: str) -> None:
    classes = str(token.attrGet("class") or "").split()
    if "fragment" not in classes:
        token.attrJoin("class", "fragment")
    if token.attrGet("data-animation") is None:
        token.attrSet("data-animation", animation)


def _after_leading_headings(tokens: list[Token]) -> int:
    i = 0
    while i < len(tokens) and tokens[i].type == "heading_open":
        i = matching_close(tokens, i) + 1
    if i and i < len(tokens) and tokens[i].type == "hr":
        i += 1
    return i


def _wrap(tokens: list[Token], wraps: dict[int, tuple[str, int]]) -> list[Token]:
    """Wrap ``tokens[i..last]`` in a fragment ``<div>`` for each ``wraps[i] = (animation,
    last)``."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        wrap = wraps.get(i)
        if wrap is None:
            out.append(token)
            i += 1
            continue
        animation, last = wrap
        opening = Token("fragment_open", "div", 1, level=token.level, block=True,
                        meta={"structure": True})
        _set_fragment(opening, animation)
        closing = Token("fragment_close", "div", -1, level=token.level, block=True,
                        meta={"structure": True})
        out.append(opening)
        for inner in tokens[i:last + 1]:
            inner.level += 1
            out.append(inner)
        out.append(closing)
        i = last + 1
    return out
