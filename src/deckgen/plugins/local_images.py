"""Core rule: local images are embedded as data: URIs, in Markdown and in raw HTML ``<img>``.

A missing file is a warning naming its line, and the image is left as written; remote URLs
stay links.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

from ..assets import embed_html_images


def plugin(md: MarkdownIt) -> None:
    md.core.ruler.push("deckgen_local_images", _embed_images)


def _embed_images(state: StateCore) -> None:
    ctx = state.env.get("deckgen")
    if ctx is None:
        return
    for token in state.tokens:
        if token.type == "html_block":
            token.content = embed_html_images(
                token.content, lambda src, line, m=token.map: ctx.embed_image(src, m, line))
        elif token.type == "inline" and token.children:
            line = 0
            for child in token.children:
                if child.type == "image":
                    src = child.attrGet("src")
                    if isinstance(src, str):
                        data = ctx.embed_image(src, token.map, line)
                        if data is not None:
                            child.attrSet("src", data)
                elif child.type == "html_inline":
                    child.content = embed_html_images(
                        child.content,
                        lambda src, _l, m=token.map, at=line: ctx.embed_image(src, m, at))
                elif child.type in ("softbreak", "hardbreak"):
                    line += 1
