"""nodeppt's header/body split: a thematic break right after a slide's leading headings.

::

    ## 主页面样式                 <header class="slide-header">
    ### ----是上下分界线     ->    <h2>...</h2><h3>...</h3></header>
    ----                         <div class="slide-body">
    text                         <p>text</p></div>

The break is not drawn. nodeppt split on the slide's ``<hr>`` wherever it was (and only when
there was exactly one); here it has to follow the headings the slide starts with, so a rule in
the middle of a slide stays a rule. Magic and subslide parts are split the same way, each on its
own, as nodeppt did. Notes are at the end of the slide by now (``notes`` runs first) and stay
outside the body.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from ._blocks import Nesting, matching_close

_PARTS = frozenset({"magic_part_open", "subslide_part_open"})


def plugin(md: MarkdownIt) -> None:
    md.core.ruler.push("deckgen_header_split", _split_headers)


def _split_headers(state: StateCore) -> None:
    tokens = state.tokens
    if not tokens or not any(t.type == "hr" for t in tokens):
        return
    # Parts are split from the last to the first, so that earlier indexes stay valid, and the
    # slide itself last.
    containers: list[tuple[int, int]] = []
    for i, token in enumerate(tokens):
        if token.type in _PARTS:
            containers.append((i + 1, matching_close(tokens, i)))
    for start, stop in reversed(containers):
        _split(tokens, start, stop)
    end = len(tokens)
    while end and tokens[end - 1].type == "note_close":
        end = _note_start(tokens, end - 1)
    _split(tokens, 0, end)


def _note_start(tokens: list[Token], close: int) -> int:
    for j in range(close - 1, -1, -1):
        if tokens[j].type == "note_open" and tokens[j].level == tokens[close].level:
            return j
    return close


def _split(tokens: list[Token], start: int, stop: int) -> None:
    if start >= stop:
        return
    level = tokens[start].level
    i = start
    while i < stop and tokens[i].type == "heading_open" and tokens[i].level == level:
        i = matching_close(tokens, i) + 1
    if i == start or i >= stop or tokens[i].type != "hr" or tokens[i].level != level:
        return
    for token in tokens[start:stop]:
        token.level += 1
    header_open = _token("slide_header_open", "header", 1, level, "slide-header")
    header_close = _token("slide_header_close", "header", -1, level)
    body_open = _token("slide_body_open", "div", 1, level, "slide-body")
    body_close = _token("slide_body_close", "div", -1, level)
    tokens[stop:stop] = [body_close]
    tokens[i:i + 1] = [header_close, body_open]
    tokens[start:start] = [header_open]


def _token(kind: str, tag: str, nesting: Nesting, level: int, cls: str | None = None) -> Token:
    token = Token(kind, tag, nesting, level=level, block=True, meta={"structure": True})
    if cls:
        token.attrSet("class", cls)
    return token
