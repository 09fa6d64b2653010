r"""Raw HTML blocks as nodeppt's marked rendered them: inline Markdown inside, code highlighted.

nodeppt 1.4.5's marked passed most HTML blocks through its *inline* renderer, so that

    <p>将html代码直接混编到**markdown**文件中即可</p>

shows **markdown** in bold, and emphasis, code spans, links and bare URLs work between the tags
(not lists or headings: those are block syntax). CommonMark keeps an HTML block as written.
What marked kept as written, deckgen keeps as written too:

- a ``<div``, ``<style`` or ``<script`` at the start of a line, up to the first closing tag of
  that name (marked's own "xcode" rule, which is why the Markdown in
  ``<div class="columns2">\n**x**\n</div>`` shows as written). A ``<div`` whose ``</div>`` is
  nowhere in the rest of the slide was an ordinary paragraph to marked: its Markdown renders;
- ``<pre>`` (and, to keep code and scripts intact wherever they are, ``<script>``, ``<style>``
  and ``<textarea>``), from the opening to the closing tag, anywhere;
- HTML blocks that CommonMark starts with ``<pre``, ``<script``, ``<style``, ``<textarea``, a
  comment, ``<?`` or ``<!``.

A raw ``<pre><code class="javascript">...</code></pre>`` (nodeppt highlighted it with
highlight.js in the browser) becomes a fenced code block of that language, so Pygments
highlights it like any other; its entities are unescaped first. A class Pygments does not know
gives plain code and the usual unknown-language warning.

How: a core rule between markdown-it's ``block`` and ``inline`` rules replaces such an
``html_block`` token by a run of tokens: ``html_block`` for the parts kept as written, ``inline``
for the parts with Markdown (markdown-it's inline rule then parses them like a paragraph's text,
without the ``<p>``), and ``fence`` for the code. Each gets the source lines it came from, so
warnings and the sealer name the right lines. A part whose inline parse finds a ``<`` that does
not start a tag markdown-it recognises goes back to being raw HTML, so unusual markup is never
shown as text. Parts from one HTML block carry ``meta["html_group"]``, so that build steps wrap
them as one block.
"""

from __future__ import annotations

import re
from html import unescape
from itertools import count

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

# CommonMark HTML blocks of types 1 to 5: kept as written (type 1 <pre> may be code).
_KEPT_START = re.compile(r"[ \t]*(?:<(?:script|pre|style|textarea)(?=[\s/>]|$)|<[!?])", re.I)
_RAW_OPEN = re.compile(r"^<(?P<div>div|style|script)(?=[\s/>]|$)"
                       r"|(?i:<(?P<name>pre|script|style|textarea)(?=[\s/>]|$))", re.M)
_CLOSE = {name: re.compile(rf"</{name}\s*>", re.I)
          for name in ("pre", "script", "style", "textarea")}
_PRE_CODE = re.compile(
    r"""<pre>\s*<code\s+class\s*=\s*(?:"(?P<dq>[^"<>]*)"|'(?P<sq>[^'<>]*)')\s*>"""
    r"""(?P<code>[^<]*)</code>\s*</pre\s*>""", re.I)
_TAG = re.compile(r"<[^<>]*>")
_INLINE_SYNTAX = re.compile(r"[*_`~\[\\$]|://")
_STRAY_TAG = re.compile(r"<[A-Za-z/!?]")
_NO_HIGHLIGHT = frozenset({"nohighlight", "no-highlight", "plain"})


def plugin(md: MarkdownIt) -> None:
    md.core.ruler.after("block", "deckgen_html_markdown", _split_html_blocks)
    md.core.ruler.after("inline", "deckgen_html_markdown_check", _check_inline_parts)


def _split_html_blocks(state: StateCore) -> None:
    tokens = state.tokens
    if not any(t.type == "html_block" for t in tokens):
        return
    groups = count()
    out: list[Token] = []
    split = False
    for token in tokens:
        if token.type == "html_block":
            parts = _parts(token, state.src, next(groups))
            if parts is not None:
                out.extend(parts)
                split = True
                continue
        out.append(token)
    if split:
        state.tokens = out
        state.env["deckgen_html_parts"] = True


def _parts(token: Token, slide_src: str, group: int) -> list[Token] | None:
    """The tokens to replace an HTML block with, or None to keep it as it is."""
    text = token.content
    if _KEPT_START.match(text):
        if "<pre" not in text and "<PRE" not in text:
            return None
        pieces = _code_pieces(text, 0, len(text))
    else:
        pieces = _markdown_pieces(text, token, slide_src)
    if all(kind == "raw" for kind, _, _ in pieces):
        return None
    line = token.map[0] if token.map else 0
    parts: list[Token] = []
    for kind, start, end in pieces:
        piece = text[start:end]
        if not piece:
            continue
        first = line + text.count("\n", 0, start)
        last = first + piece.count("\n") + (0 if piece.endswith("\n") else 1)
        if kind == "markdown":
            part = Token("inline", "", 0, content=piece, children=[])
        elif kind == "raw":
            part = Token("html_block", "", 0, content=piece, block=True)
        else:
            lang, code = kind.split(":", 1)[1], unescape(piece).rstrip() + "\n"
            part = Token("fence", "code", 0, content=code, info=lang, markup="```", block=True)
        part.map = [first, last]
        part.level = token.level
        part.meta = {"html_group": group, "html_source": piece}
        parts.append(part)
    return parts


def _markdown_pieces(text: str, token: Token, slide_src: str) -> list[tuple[str, int, int]]:
    """(kind, start, end) pieces of an HTML block: "markdown" between the parts marked kept
    as written ("raw"), and the code of ``<pre><code class>`` ("code:LANG")."""
    pieces: list[tuple[str, int, int]] = []
    pos = 0
    for match in _RAW_OPEN.finditer(text):
        if match.start() < pos:
            continue
        if match.group("div"):
            name = match.group("div")
            close = text.find(f"</{name}>", match.end())
            end = close + len(name) + 3 if close >= 0 else -1
            if end < 0 and not _closed_later(slide_src, token, f"</{name}>"):
                continue  # marked read it as a paragraph
        else:
            found = _CLOSE[match.group("name").lower()].search(text, match.end())
            end = found.end() if found else -1
        if end < 0:
            end = len(text)
        _add_markdown(pieces, text, pos, match.start())
        pieces.extend(_code_pieces(text, match.start(), end))
        pos = end
    _add_markdown(pieces, text, pos, len(text))
    return pieces


def _add_markdown(pieces: list[tuple[str, int, int]], text: str, start: int, end: int) -> None:
    if start >= end:
        return
    between_tags = _TAG.sub("", text[start:end])
    kind = "markdown" if _INLINE_SYNTAX.search(between_tags) else "raw"
    pieces.append((kind, start, end))


def _code_pieces(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    """Raw HTML from ``start`` to ``end``, with each ``<pre><code class>`` cut out as code."""
    pieces: list[tuple[str, int, int]] = []
    pos = start
    for match in _PRE_CODE.finditer(text, start, end):
        lang = _language(match.group("dq") if match.group("dq") is not None
                         else match.group("sq"))
        if lang is None:
            continue
        pieces.append(("raw", pos, match.start()))
        pieces.append((f"code:{lang}", match.start("code"), match.end("code")))
        pos = match.end()  # the tags around the code: the fence has its own
    pieces.append(("raw", pos, end))
    return [p for p in pieces if p[1] < p[2]]


def _language(classes: str) -> str | None:
    """The language highlight.js would have used for a ``<code class="...">``."""
    names = [c for c in classes.split() if c.lower() != "hljs"]
    if not names or any(c.lower() in _NO_HIGHLIGHT for c in names):
        return None
    name = names[0]
    for prefix in ("language-", "lang-"):
        if name.lower().startswith(prefix):
            name = name[len(prefix):]
    return name or None


def _closed_later(slide_src: str, token: Token, closing: str) -> bool:
    """Whether ``closing`` occurs in the slide after this HTML block."""
    if not token.map:
        return False
    lines = slide_src.split("\n")
    return closing in "\n".join(lines[token.map[1]:])


def _check_inline_parts(state: StateCore) -> None:
    """Parts whose inline parse would print markup as text are raw HTML again."""
    if not state.env.get("deckgen_html_parts"):
        return
    for i, token in enumerate(state.tokens):
        if token.type != "inline" or not token.meta or "html_group" not in token.meta:
            continue
        if any(child.type == "text" and _STRAY_TAG.search(child.content)
               for child in token.children or ()):
            raw = Token("html_block", "", 0, content=token.meta["html_source"], block=True,
                        map=token.map, level=token.level, meta=token.meta)
            state.tokens[i] = raw
