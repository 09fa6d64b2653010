"""Core rule: warn, with the fence's line, about code languages Pygments does not know.

The code itself still renders, as plain escaped text.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

from ..highlight import is_known_language, language_of


def plugin(md: MarkdownIt) -> None:
    md.core.ruler.push("deckgen_code_languages", _check_languages)


def _check_languages(state: StateCore) -> None:
    ctx = state.env.get("deckgen")
    if ctx is None:
        return
    for token in state.tokens:
        if token.type != "fence":
            continue
        lang = language_of(token.info)
        if lang and not is_known_language(lang):
            ctx.warn(token.map, "unknown-language",
                     f"unknown code language '{lang}': shown without highlighting")
