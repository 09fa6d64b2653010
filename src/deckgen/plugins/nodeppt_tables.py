"""Tables whose header row starts with ``|`` but whose delimiter row does not.

::

    | Less | Sass | Stylus
    :-------|:------:|-------:|--------
    环境 |js/nodejs | Ruby | nodejs

marked (nodeppt's engine) read the header's leading ``|`` as an empty first cell, so this is
a four-column table with an empty top-left corner; GFM counts three header cells against four
delimiters and gives up, printing the lines as a paragraph. nodeppt's own demo has two such
tables. This rule, tried before the standard table rule, accepts exactly that shape (one
header cell fewer than delimiters, header starting with ``|``, delimiter row not) and hands
the lines, with the empty cell made explicit, to the standard table rule.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token

from ._blocks import add_block_rule

_DELIMITER_ROW = re.compile(r"[-:| \t]+\Z")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def plugin(md: MarkdownIt) -> None:
    add_block_rule(md, "|", _table)


def _cells(text: str) -> int:
    parts = _UNESCAPED_PIPE.split(text.strip())
    if parts and not parts[0].strip():
        parts.pop(0)
    if parts and not parts[-1].strip():
        parts.pop()
    return len(parts)


def _table(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    src = state.src
    pos = state.bMarks[start] + state.tShift[start]
    if src[pos:pos + 1] != "|" or start + 2 > end or state.is_code_block(start):
        return False
    header = src[pos:state.eMarks[start]]
    second = start + 1
    delimiter = src[state.bMarks[second] + state.tShift[second]:state.eMarks[second]]
    if (not delimiter or delimiter[0] == "|" or "-" not in delimiter or "|" not in delimiter
            or not _DELIMITER_ROW.match(delimiter) or state.is_code_block(second)
            or state.sCount[second] < state.blkIndent):
        return False
    if _cells(header) + 1 != _cells(delimiter):
        return False
    if silent:
        return True
    last = second + 1
    while last < end and not state.isEmpty(last) and "|" in src[state.bMarks[last]:
                                                                 state.eMarks[last]]:
        last += 1
    lines = ["|" + header, delimiter]
    lines.extend(src[state.bMarks[k] + state.tShift[k]:state.eMarks[k]]
                 for k in range(second + 1, last))
    tokens: list[Token] = []
    state.md.block.parse("\n".join(lines), state.md, state.env, tokens)
    for token in tokens:
        token.level += state.level
        if token.map is not None:
            token.map = [token.map[0] + start, token.map[1] + start]
    state.tokens.extend(tokens)
    state.line = last
    return True
