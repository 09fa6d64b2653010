"""The configured MarkdownIt instance: CommonMark + GFM tables and strikethrough, raw HTML on.

deckgen's own rules live in ``plugins/``; each is ``plugin(md)`` applied with ``md.use``.
Rules that need to report something read the ``RenderEnv`` that ``render.py`` puts in
``env["deckgen"]``.
"""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt

from .highlight import highlight_code, language_of
from .plugins import code_languages, lenient_html, local_images


def _highlight(code: str, info: str, _attrs: str) -> str:
    return highlight_code(code, language_of(info))


@lru_cache(maxsize=1)
def markdown() -> MarkdownIt:
    """The shared parser; MarkdownIt instances are reusable across documents."""
    md = MarkdownIt("commonmark", {"html": True, "highlight": _highlight})
    md.enable(["table", "strikethrough"])
    md.use(lenient_html.plugin)
    md.use(code_languages.plugin)
    md.use(local_images.plugin)
    return md
