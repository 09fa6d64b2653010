"""Slide -> RenderedSlide: Markdown (with highlighting and images), then sealing.

Rendering keeps a map from lines of the produced HTML back to source lines, so that problems
found later in the HTML (an unclosed ``<div>``, a missing ``<img>`` file) name the deck line.
"""

from __future__ import annotations

import bisect
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from typing import cast
from urllib.parse import unquote

from markdown_it.renderer import RendererHTML
from markdown_it.token import Token

from .assets import MISSING, Assets, Missing, is_network, is_remote
from .markdown import markdown
from .model import Diagnostics, RenderedSlide, Slide
from .seal import seal

_RAW_HTML = frozenset({"html_block", "html_inline"})
# Highlighted code blocks are deckgen's own, balanced HTML: sealing (the HTMLParser scan and
# lxml) sees a placeholder with as many newlines, and the block goes back in afterwards.
_NONCE = secrets.token_hex(8)
_PLACEHOLDER = re.compile(r'<pre data-deckgen-code="' + _NONCE + r'-(\d+)">[^<]*</pre>')


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """Deck-wide settings that change how every slide renders (part of the slide cache key)."""

    dollar_math: bool = False
    """``usemathjax: yes`` in the header: ``$...$`` is inline math too, as MathJax made it."""
    embed_remote: bool = False
    """``--embed-remote`` or ``embedRemote: yes``: remote images are downloaded and embedded
    (through ``Assets.remote``) instead of being warned about."""


@dataclass(slots=True)
class RenderEnv:
    """What markdown-it rules need while rendering one slide (``env["deckgen"]``)."""

    diagnostics: Diagnostics
    assets: Assets
    body_line: int
    """Source line of the slide body's first line; token maps are relative to it."""
    options: RenderOptions = RenderOptions()
    content_attrs: list[tuple[str, str | None]] = field(default_factory=list)
    """Attributes for the slide's content wrapper, from ``{:&...}`` on top-level blocks."""
    warned: set[tuple[int, str, str]] = field(default_factory=set)

    def line_of(self, token_map: Sequence[int] | None, offset: int = 0) -> int:
        return self.body_line + (token_map[0] if token_map else 0) + offset

    def warn(self, token_map: Sequence[int] | None, code: str, message: str,
             offset: int = 0) -> None:
        self.diagnostics.warn(self.line_of(token_map, offset), code, message)

    def warn_once(self, token_map: Sequence[int] | None, code: str, message: str,
                  offset: int = 0) -> None:
        """Warn unless this very warning was given already: block rules may look at a line
        more than once (a paragraph asks whether the next line interrupts it)."""
        self.warn_once_at(self.line_of(token_map, offset), code, message)

    def warn_once_at(self, line: int, code: str, message: str) -> None:
        key = (line, code, message)
        if key not in self.warned:
            self.warned.add(key)
            self.diagnostics.warn(line, code, message)

    def embed_image(self, src: str, token_map: Sequence[int] | None, offset: int = 0
                    ) -> str | Missing | None:
        """What an image's ``src`` becomes: a data: URI; ``MISSING`` for a local file that is
        not there (warned: the image becomes a placeholder); None to leave it as written
        (remote images, warned about unless they are embedded)."""
        if not src or src.startswith("#"):
            return None
        if is_remote(src):
            return self.remote_image(src, self.line_of(token_map, offset)) \
                if is_network(src) else None
        data = self.assets.image_data_uri(src)
        if data is None:
            self.diagnostics.warn(self.line_of(token_map, offset), "image-not-found",
                                  f"image not found: {unquote(src)}")
            return MISSING
        return data

    def remote_image(self, src: str, line: int, background: bool = False) -> str | None:
        """The data: URI of a remote image when remote images are embedded (and it could be
        downloaded), else None; warns once per URL and line either way."""
        remote = self.assets.remote
        if not self.options.embed_remote or remote is None:
            self.warn_once_at(line, "remote-resource", _remote_message(src, background))
            return None
        image = remote.get(src)
        if image is None:
            return None  # queued: the build downloads it, then renders the deck again
        if image.error is not None:
            self.warn_once_at(line, "remote-download-failed",
                              f"could not embed the remote image {src}: {image.error}; it stays "
                              "remote (the page needs the network to show it)")
        return image.data_uri


def _remote_message(src: str, background: bool) -> str:
    if background:
        message = f"remote background image {src}: the page needs the network to show it"
    else:
        message = (f"remote image {src}: the page needs the network to show it (offline it is "
                   "a placeholder)")
    message += "; to put it in the page, build with --embed-remote or set 'embedRemote: yes'"
    if src.startswith("//"):
        message += ("; a //host address opened from a file means file://host and never loads: "
                    "write https://")
    return message


def render_slide(slide: Slide, diagnostics: Diagnostics, assets: Assets,
                 options: RenderOptions = RenderOptions()) -> RenderedSlide:
    md = markdown()
    env = RenderEnv(diagnostics, assets, slide.body_line, options)
    attrs = _embed_style_urls(slide, env)  # first: the separator's line comes first
    tokens = md.parse(slide.source, {"deckgen": env})
    if not slide.source.strip():
        diagnostics.warn(slide.line, "empty-slide", f"slide {slide.index} is empty")
    if any(t.type in _RAW_HTML or (t.children and any(c.type in _RAW_HTML for c in t.children))
           for t in tokens):
        code: list[str] = []
        segments, line_map = _render_tokens(tokens, {"deckgen": env}, code)
        html = "".join(_seal_raw_html(text, first_line, line_map, env) if raw else text
                       for text, first_line, raw in segments)
        if code:
            html = _PLACEHOLDER.sub(lambda m: code[int(m.group(1))][:-1], html)
    else:
        segments, line_map = _render_tokens(tokens, {"deckgen": env})
        html = "".join(text for text, _, _ in segments)
    return RenderedSlide(slide.index, slide.line, attrs, html,
                         _title(tokens), tuple(env.content_attrs))


def _embed_style_urls(slide: Slide, env: RenderEnv):
    """Local images in the separator's ``style="background: url(...)"`` become data: URIs."""
    if not any(name == "style" and value and "url(" in value for name, value in slide.attrs):
        return slide.attrs

    def missing(url: str) -> None:
        env.diagnostics.warn(slide.line, "image-not-found", f"image not found: {url}")

    def remote(url: str) -> str | None:
        return env.remote_image(url, slide.line, background=True)

    return tuple((name, env.assets.inline_css_urls(value, missing, on_remote=remote)
                  if name == "style" and value else value) for name, value in slide.attrs)


@dataclass(frozen=True, slots=True)
class _Entry:
    html: str
    title: str
    attrs: tuple
    content_attrs: tuple
    warnings: tuple[tuple[int | None, str, str], ...]
    """(line relative to the slide's separator, code, message)."""
    files: tuple[tuple[Path, int | None], ...]
    """Files the slide read, with their modification times then (None: missing)."""


class SlideCache:
    """Rendered slides by content, so a rebuild after a save renders only what changed.

    ``serve`` keeps one per deck. An entry stays valid while the files it read (images) keep
    their modification times; entries not used by the latest build are dropped.
    """

    def __init__(self) -> None:
        self._entries: dict[tuple, _Entry] = {}
        self._used: set[tuple] = set()
        self.hits = 0
        self.misses = 0

    def render(self, slide: Slide, diagnostics: Diagnostics, assets: Assets,
               options: RenderOptions = RenderOptions()) -> RenderedSlide:
        key = (slide.source, slide.attrs, assets.base, options)
        self._used.add(key)
        entry = self._entries.get(key)
        if entry is not None and all(_mtime(path) == stamp for path, stamp in entry.files):
            self.hits += 1
            for rel, code, message in entry.warnings:
                diagnostics.warn(None if rel is None else slide.line + rel, code, message)
            assets.used.extend(path for path, _ in entry.files)
            return RenderedSlide(slide.index, slide.line, entry.attrs, entry.html, entry.title,
                                 entry.content_attrs)
        self.misses += 1
        local = Diagnostics(diagnostics.file)
        first_file = len(assets.used)
        deferred = assets.remote.deferred if assets.remote is not None else 0
        rendered = render_slide(slide, local, assets, options)
        for item in local:
            diagnostics.items.append(item)
        if assets.remote is not None and assets.remote.deferred != deferred:
            return rendered  # rendered before its remote images were downloaded: not kept
        self._entries[key] = _Entry(
            rendered.html, rendered.title, rendered.attrs, rendered.content_attrs,
            tuple((None if d.line is None else d.line - slide.line, d.code, d.message)
                  for d in local),
            tuple((path, _mtime(path)) for path in dict.fromkeys(assets.used[first_file:])))
        return rendered

    def sweep(self) -> None:
        """Forget entries the latest build did not use."""
        self._entries = {k: v for k, v in self._entries.items() if k in self._used}
        self._used = set()


def _mtime(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


def _render_tokens(tokens: list[Token], env: dict, code: list[str] | None = None
                   ) -> tuple[list[tuple[str, int, bool]], list[tuple[int, int]]]:
    """Render like ``RendererHTML.render``, noting at which output line each block starts.

    The output comes in segments (html, first output line, has raw HTML): deckgen's own
    structure (the header/body split, magic parts, notes: tokens with ``meta["structure"]``)
    separates them when it stands outside any list or blockquote, so that sealing balances
    each part of the slide on its own and an author's unclosed ``<div>`` cannot swallow the
    slide body's end or the notes. The map is a sorted list of (output line, source line
    relative to the body), 1-based output lines, for ``_source_line``.
    """
    md = markdown()
    # markdown() keeps markdown-it's default renderer, RendererHTML; ``md.renderer`` is typed
    # as the protocol every renderer meets, which has none of the methods used here.
    renderer = cast(RendererHTML, md.renderer)
    rules = renderer.rules
    options = md.options
    segments: list[tuple[str, int, bool]] = []
    out: list[str] = []
    line_map: list[tuple[int, int]] = []
    out_line = first_line = 1
    raw = False
    open_blocks = 0
    for i, token in enumerate(tokens):
        if token.meta and token.meta.get("structure"):
            if open_blocks == 0:
                segments.append(("".join(out), first_line, raw))
                chunk = renderer.renderToken(tokens, i, options, env)
                segments.append((chunk, out_line, False))
                out_line += chunk.count("\n")
                out, first_line, raw = [], out_line, False
                continue
        elif token.nesting:
            open_blocks += token.nesting
        if token.map is not None:
            line_map.append((out_line, token.map[0]))
        if token.type == "inline":
            chunk = renderer.renderInline(token.children or [], options, env)
            if code is not None and not raw and token.children and any(
                    c.type in _RAW_HTML for c in token.children):
                raw = True
        elif token.type in rules:
            chunk = rules[token.type](tokens, i, options, env)
            if code is not None and token.type == "fence" and chunk.startswith(
                    '<pre class="highlight">'):
                newlines = chunk.count("\n")
                out.append(f'<pre data-deckgen-code="{_NONCE}-{len(code)}">'
                           + "\n" * (newlines - 1) + "</pre>\n")
                code.append(chunk)
                out_line += newlines
                continue
            raw = raw or token.type == "html_block"
        else:
            chunk = renderer.renderToken(tokens, i, options, env)
        out.append(chunk)
        out_line += chunk.count("\n")
    segments.append(("".join(out), first_line, raw))
    return segments, line_map


def _source_line(line_map: list[tuple[int, int]], out_line: int) -> int:
    """The body-relative source line for a line of rendered HTML."""
    at = bisect.bisect_right(line_map, (out_line, float("inf"))) - 1
    if at < 0:
        return 0
    block_out, block_src = line_map[at]
    return block_src + (out_line - block_out)


def _seal_raw_html(html: str, first_line: int, line_map: list[tuple[int, int]],
                   env: RenderEnv) -> str:
    """Seal one segment; ``first_line`` is its first line in the slide's output."""
    sealed = seal(html)
    shift = first_line - 1
    for problem in sealed.problems:
        message = problem.message
        if problem.closed_line is not None:
            closed = _source_line(line_map, shift + problem.closed_line)
            message += f" on line {env.body_line + closed}"
        env.diagnostics.warn(env.body_line + _source_line(line_map, shift + problem.line),
                             "html-repaired", message)
    return sealed.serialize()


def _title(tokens: list[Token]) -> str:
    """Plain text of the first heading (for outlines and the site index), notes aside."""
    for i, token in enumerate(tokens):
        if token.type == "note_open":
            break  # notes are at the end of the slide by now
        if token.type == "heading_open" and i + 1 < len(tokens):
            inline = tokens[i + 1]
            return unescape("".join(c.content for c in inline.children or []
                                    if c.type in ("text", "code_inline"))).strip()
    return ""
