"""Helpers for deckgen's bracketed block constructs (``[note]``, ``[magic]``, ``[subslide]``).

Each of them is a container: an opening line, Markdown lines, a closing line. The closing line
is found on the raw lines (skipping fenced code, where ``[/note]`` is just text), and the lines
between are tokenized by markdown-it's own block parser, limited to that range, so that an HTML
block or a lazy paragraph inside cannot run past the container's end.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Literal
from weakref import WeakKeyDictionary

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token

Nesting = Literal[-1, 0, 1]
"""A token's ``nesting`` in markdown-it: closing, self-contained, opening."""

_FENCE = re.compile(r"[ \t]{0,3}(`{3,}|~{3,})(.*)")
BlockRule = Callable[[StateBlock, int, int, bool], bool]
# Each parser's rules by first character (see add_block_rule); gone with the parser.
_BLOCK_RULES: WeakKeyDictionary[MarkdownIt, dict[str, list[BlockRule]]] = WeakKeyDictionary()


def add_block_rule(md: MarkdownIt, first_chars: str, rule: BlockRule) -> None:
    """Register a block rule for lines whose first non-blank character is in ``first_chars``.

    deckgen's block rules share one markdown-it rule that looks at the line's first character
    and calls only the rules registered for it: markdown-it tries every block rule on every
    line (and, through ``alt``, on every line of every paragraph), so five rules of our own
    cost five calls per line, and one costs one. It runs first, before the standard rules; each
    rule matches only its own syntax.
    """
    table = _BLOCK_RULES.get(md)
    if table is None:
        table = _BLOCK_RULES[md] = {}
        md.block.ruler.before("table", "deckgen_blocks", _dispatcher(table),
                              {"alt": ["paragraph", "reference", "blockquote", "list"]})
    for char in first_chars:
        table.setdefault(char, []).append(rule)


def _dispatcher(table: dict[str, list[BlockRule]]) -> BlockRule:
    get = table.get

    def deckgen_blocks(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        pos = state.bMarks[start] + state.tShift[start]
        rules = get(state.src[pos:pos + 1])
        if rules is None:
            return False
        for rule in rules:
            if rule(state, start, end, silent):
                return True
        return False

    return deckgen_blocks


def line_text(state: StateBlock, line: int) -> str:
    """A line's text without its indentation (and without the part a container cut off)."""
    return state.src[state.bMarks[line] + state.tShift[line]:state.eMarks[line]]


def lines_outside_fences(state: StateBlock, start: int, end: int) -> Iterator[int]:
    """Lines ``start <= line < end`` that are not inside a fenced code block."""
    fence: tuple[str, int] | None = None
    for line in range(start, end):
        text = line_text(state, line)
        if fence is not None:
            stripped = text.strip()
            if stripped.startswith(fence[0] * fence[1]) and not stripped.strip(fence[0]):
                fence = None
            continue
        m = _FENCE.match(text)
        if m and not (m.group(1)[0] == "`" and "`" in m.group(2)):
            fence = (m.group(1)[0], len(m.group(1)))
            continue
        yield line


def find_line(state: StateBlock, start: int, end: int, matches: Callable[[str], bool]
              ) -> int | None:
    """The first line in ``[start, end)``, outside fences, whose text ``matches``."""
    for line in lines_outside_fences(state, start, end):
        if matches(line_text(state, line)):
            return line
    return None


def tokenize_range(state: StateBlock, start: int, end: int, parent_type: str) -> None:
    """Tokenize lines ``[start, end)`` as the content of a container."""
    old_parent, old_max = state.parentType, state.lineMax
    state.parentType = parent_type
    state.lineMax = end  # keeps lazy continuation lines from running past the container
    state.md.block.tokenize(state, start, end)
    state.parentType, state.lineMax = old_parent, old_max


def push(state: StateBlock, kind: str, tag: str, nesting: Nesting, attrs: dict | None = None,
         token_map: list[int] | None = None, markup: str = "") -> Token:
    token = state.push(kind, tag, nesting)
    if attrs:
        token.attrs = dict(attrs)
    token.map = token_map
    token.markup = markup
    token.meta = {"structure": True}
    return token


def matching_close(tokens: list[Token], open_index: int) -> int:
    """Index of the token that closes ``tokens[open_index]`` (same level, nesting -1)."""
    level = tokens[open_index].level
    for j in range(open_index + 1, len(tokens)):
        token = tokens[j]
        if token.nesting == -1 and token.level == level:
            return j
    return len(tokens) - 1
