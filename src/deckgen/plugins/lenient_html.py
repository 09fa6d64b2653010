"""Raw HTML tags that CommonMark rejects but browsers (and nodeppt's marked) accept.

Real decks contain tags like ``<img src='x', style='y'>``: the comma makes the tag invalid in
CommonMark, which would print the markup as text. nodeppt rendered the image, so deckgen does
too; the sealing stage then warns about the malformed attribute. Both rules run only after the
standard HTML rules have declined, so valid HTML is never affected.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline

# An open tag with anything but quotes and '>' between attributes; quoted values stay on one line
# so that an unterminated quote costs at most a line of scanning.
_LENIENT_TAG = r"""<[A-Za-z][\w-]*(?:\s(?:"[^"\n]*"|'[^'\n]*'|[^'"<>\n])*?)?/?>"""
_INLINE = re.compile(_LENIENT_TAG)
_BLOCK_LINE = re.compile(_LENIENT_TAG + r"\s*$")
_RAW_TEXT = re.compile(r"<(?:script|pre|style|textarea)[\s>]", re.I)


def plugin(md: MarkdownIt) -> None:
    md.block.ruler.after("html_block", "deckgen_lenient_html_block", _block,
                         {"alt": ["paragraph", "reference", "blockquote"]})
    md.inline.ruler.after("html_inline", "deckgen_lenient_html_inline", _inline)


def _block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if not state.md.options.get("html") or state.is_code_block(start):
        return False
    pos = state.bMarks[start] + state.tShift[start]
    line = state.src[pos:state.eMarks[start]]
    if not line.startswith("<") or _RAW_TEXT.match(line) or not _BLOCK_LINE.match(line):
        return False
    if silent:
        return False  # like CommonMark's type 7: never interrupts a paragraph
    next_line = start + 1
    while next_line < end and not state.isEmpty(next_line):
        if state.sCount[next_line] < state.blkIndent:
            break
        next_line += 1
    state.line = next_line
    token = state.push("html_block", "", 0)
    token.map = [start, next_line]
    token.content = state.getLines(start, next_line, state.blkIndent, True)
    return True


def _inline(state: StateInline, silent: bool) -> bool:
    pos = state.pos
    src = state.src
    if not state.md.options.get("html") or src[pos] != "<" or pos + 2 >= state.posMax:
        return False
    if not src[pos + 1].isascii() or not src[pos + 1].isalpha():
        return False
    match = _INLINE.match(src, pos, state.posMax)
    if not match:
        return False
    if not silent:
        token = state.push("html_inline", "", 0)
        token.content = match.group(0)
    state.pos = match.end()
    return True
