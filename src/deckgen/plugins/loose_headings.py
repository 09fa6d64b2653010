"""Loose ATX headings: ``##Title`` without a space after the ``#`` signs.

CommonMark wants the space; marked, nodeppt's Markdown engine, did not, and real decks rely on
it. This rule runs after the standard heading rule has declined, so ``## Title`` is unaffected,
and it accepts what marked accepted: one to six ``#`` followed by anything but a space or ``#``.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

from ._blocks import add_block_rule


def plugin(md: MarkdownIt) -> None:
    add_block_rule(md, "#", _loose_heading)


def _loose_heading(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.is_code_block(start):
        return False
    pos = state.bMarks[start] + state.tShift[start]
    maximum = state.eMarks[start]
    src = state.src
    if pos >= maximum or src[pos] != "#":
        return False
    level = 1
    while pos + level < maximum and src[pos + level] == "#":
        level += 1
    if level > 6 or pos + level >= maximum or src[pos + level] in " \t":
        return False
    if silent:
        return True
    text = src[pos + level:maximum].rstrip()
    closing = text.rstrip("#")
    if closing != text and closing.endswith((" ", "\t")):
        text = closing.rstrip()
    state.line = start + 1
    tag = f"h{level}"
    token = state.push("heading_open", tag, 1)
    token.markup = "#" * level
    token.map = [start, state.line]
    token = state.push("inline", "", 0)
    token.content = text.strip()
    token.map = [start, state.line]
    token.children = []
    token = state.push("heading_close", tag, -1)
    token.markup = "#" * level
    return True
