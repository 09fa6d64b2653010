"""The configured MarkdownIt instance: CommonMark + GFM tables and strikethrough, raw HTML on.

deckgen's own rules live in ``plugins/``; each is ``plugin(md)`` applied with ``md.use``.
Rules that need to report something read the ``RenderEnv`` that ``render.py`` puts in
``env["deckgen"]``.

Three rules make the Markdown read as nodeppt's marked read it: ``cjk_emphasis`` (emphasis
next to CJK punctuation), ``bare_urls`` (``http(s)://`` in text) and ``html_markdown``, whose
core rules sit right after markdown-it's ``block`` and ``inline`` rules (it splits raw HTML blocks
into parts before the inline rule parses them).

The order of the other core rules matters: formulas are converted, markers move their attributes
onto elements, fragments are marked from the classes markers set, notes move to the end of the
slide, and only then is the header split off, from what is left at the top of the slide.
Rules that have nothing to do return at once: the block and inline rules set a flag in the env
(``deckgen_markers``, ``deckgen_notes``, ``deckgen_math``) when they produce something. The
plugins' block rules share one markdown-it rule that dispatches on a line's first character
(``plugins/_blocks.add_block_rule``).
"""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt

from .highlight import highlight_code, language_of
from .plugins import (
    bare_urls,
    cjk_emphasis,
    code_languages,
    fragments,
    header_split,
    html_markdown,
    lenient_html,
    local_images,
    loose_headings,
    magic,
    markers,
    math,
    nodeppt_tables,
    notes,
)


def _highlight(code: str, info: str, _attrs: str) -> str:
    return highlight_code(code, language_of(info))


@lru_cache(maxsize=1)
def markdown() -> MarkdownIt:
    """The shared parser; MarkdownIt instances are reusable across documents."""
    md = MarkdownIt("commonmark", {"html": True, "highlight": _highlight})
    md.enable(["table", "strikethrough"])
    # nodeppt's marked had no indented code blocks (it removed the rule, so that indented HTML
    # and text stay what they are): indented lines are text here too. Code is fenced.
    md.disable("code")
    md.use(lenient_html.plugin)
    md.use(cjk_emphasis.plugin)
    md.use(bare_urls.plugin)
    md.use(html_markdown.plugin)
    md.use(nodeppt_tables.plugin)
    md.use(loose_headings.plugin)
    md.use(magic.plugin)
    md.use(math.plugin)
    md.use(markers.plugin)
    md.use(fragments.plugin)
    md.use(notes.plugin)
    md.use(header_split.plugin)
    md.use(code_languages.plugin)
    md.use(local_images.plugin)
    return md
