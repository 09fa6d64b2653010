"""Emphasis next to CJK punctuation: ``**注意：**这里`` is bold, as it was in nodeppt.

CommonMark decides whether a run of ``*``, ``_`` or ``~`` can open or close emphasis from the
characters on either side (the "flanking" rules). A closing ``**`` right after punctuation
must be followed by whitespace or punctuation, which Chinese text never has: in
``**注意：**这里`` the run sits between ``：`` and ``这``, so CommonMark prints the asterisks.
nodeppt's marked had no flanking rules at all and made it bold.

This is the rule of the CJK-friendly amendment to CommonMark (tats-u/markdown-cjk-friendly):
where CommonMark asks for whitespace or punctuation on the *other* side of a run that touches
punctuation, a CJK character will do too. Runs with no CJK character beside them are decided
exactly as CommonMark decides them.

The standard ``emphasis`` and ``strikethrough`` tokenizers run unchanged; when they have pushed
a run that touches a CJK character, its delimiters' ``open``/``close`` flags are recomputed.
(mdit-py-cjk-friendly does the same by replacing ``StateInline.scanDelims`` for the whole
process, and also drops the space a line break makes between CJK characters, which nodeppt
showed; so deckgen has its own rule.)
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable

from markdown_it import MarkdownIt
from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace
from markdown_it.rules_inline import StateInline

# Ideographs (with extensions and compatibility forms), kana, Hangul, bopomofo, CJK symbols and
# punctuation, full-width and half-width forms: the East Asian wide characters of CJK text.
# Inclusive code point ranges, sorted; looked up by bisection (a regular expression over these
# ranges costs milliseconds to compile in every process, which is a tenth of a small build).
_CJK_RANGES = (
    (0x1100, 0x11FF), (0x2E80, 0x2FDF), (0x2FF0, 0x303F), (0x3040, 0x31FF), (0x3200, 0x4DBF),
    (0x4E00, 0x9FFF), (0xA960, 0xA97F), (0xAC00, 0xD7FF), (0xF900, 0xFAFF), (0xFE10, 0xFE1F),
    (0xFE30, 0xFE4F), (0xFF00, 0xFFEF), (0x20000, 0x3134F))
_CJK_STARTS = tuple(start for start, _ in _CJK_RANGES)

_MARKERS = frozenset("*_~")
InlineRule = Callable[[StateInline, bool], bool]


def plugin(md: MarkdownIt) -> None:
    for name in ("emphasis", "strikethrough"):
        rule = _rule(md, name)
        if rule is not None:
            md.inline.ruler.at(name, _cjk_aware(rule))


def is_cjk(char: str) -> bool:
    """Whether ``char`` (one character) is CJK text or CJK punctuation."""
    code = ord(char)
    if code < 0x1100:  # most characters: ASCII and Latin
        return False
    at = bisect_right(_CJK_STARTS, code) - 1
    return at >= 0 and code <= _CJK_RANGES[at][1]


def _rule(md: MarkdownIt, name: str) -> InlineRule | None:
    for rule in md.inline.ruler.__rules__:
        if rule.name == name:
            return rule.fn
    return None


def _cjk_aware(tokenize: InlineRule) -> InlineRule:
    def rule(state: StateInline, silent: bool) -> bool:
        start = state.pos
        if state.src[start] not in _MARKERS:
            return False  # (the rules run at every stop of the text rule)
        before = len(state.delimiters)
        if not tokenize(state, silent):
            return False
        src = state.src
        last = src[start - 1] if start > 0 else " "
        after = state.pos
        next_ = src[after] if after < state.posMax else " "
        if len(state.delimiters) > before and (is_cjk(last) or is_cjk(next_)):
            can_open, can_close = flanking(last, next_, src[start] != "_")
            for delimiter in state.delimiters[before:]:
                delimiter.open = can_open
                delimiter.close = can_close
        return True

    return rule


def flanking(last: str, next_: str, can_split_word: bool) -> tuple[bool, bool]:
    """(can open, can close) for a delimiter run between ``last`` and ``next_``."""
    last_punct = isMdAsciiPunct(ord(last)) or isPunctChar(last)
    next_punct = isMdAsciiPunct(ord(next_)) or isPunctChar(next_)
    last_space = isWhiteSpace(ord(last))
    next_space = isWhiteSpace(ord(next_))
    last_cjk = is_cjk(last)
    next_cjk = is_cjk(next_)
    left = not next_space and (not next_punct or last_space or last_punct or last_cjk)
    right = not last_space and (not last_punct or next_space or next_punct or next_cjk)
    if can_split_word:
        return left, right
    return left and (not right or last_punct), right and (not left or next_punct)
