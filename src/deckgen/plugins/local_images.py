"""Core rule: images are embedded as data: URIs, in Markdown and in raw HTML ``<img>``.

Local files are read; remote images are downloaded only when the deck asks for it (and are
otherwise warned about: the page needs the network for them). A missing local file is a warning
naming its line, and the image becomes a placeholder showing its alt text or file name
(``assets.placeholder_html``). What happens to each image is decided by ``RenderEnv.embed_image``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from ..assets import Missing, embed_html_images, placeholder_html

if TYPE_CHECKING:
    from ..render import RenderEnv


def plugin(md: MarkdownIt) -> None:
    md.core.ruler.push("deckgen_local_images", _embed_images)


def _embed_images(state: StateCore) -> None:
    ctx = state.env.get("deckgen")
    if ctx is None:
        return
    for token in state.tokens:
        if token.type == "html_block":
            token.content = embed_html_images(token.content, _html_embedder(ctx, token.map))
        elif token.type == "inline" and token.children:
            line = 0
            for child in token.children:
                if child.type == "image":
                    src = child.attrGet("src")
                    if isinstance(src, str):
                        data = ctx.embed_image(src, token.map, line)
                        if isinstance(data, Missing):
                            _to_placeholder(child, src, state)
                        elif data is not None:
                            child.attrSet("src", data)
                elif child.type == "html_inline":
                    child.content = embed_html_images(
                        child.content, _html_embedder(ctx, token.map, line))
                elif child.type in ("softbreak", "hardbreak"):
                    line += 1


def _html_embedder(ctx: RenderEnv, token_map: list[int] | None, line: int | None = None
                   ) -> Callable[[str, int], str | Missing | None]:
    """``embed_html_images``' callback for the raw HTML of a token at ``token_map``: each image
    is on its own line of the HTML (an HTML block), or on ``line`` of the token (inline HTML)."""
    def embed(src: str, html_line: int) -> str | Missing | None:
        return ctx.embed_image(src, token_map, html_line if line is None else line)
    return embed


def _to_placeholder(image: Token, src: str, state: StateCore) -> None:
    """Turn an image token into the placeholder's HTML (the slide is then sealed like any
    slide with HTML in it)."""
    renderer = cast(RendererHTML, state.md.renderer)  # deckgen's parser keeps the default one
    alt = renderer.renderInlineAsText(image.children or [], state.md.options, state.env)
    attrs = [(name, str(value)) for name, value in image.attrs.items()
             if name not in ("src", "alt")]
    image.type = "html_inline"
    image.tag = ""
    image.content = placeholder_html(src, alt, attrs)
    image.children = None
    image.attrs = {}
