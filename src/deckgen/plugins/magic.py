"""``[magic ...] part ==== part [/magic]`` and ``[subslide] ... [/subslide]``.

Both show their parts one after another inside one slide: the runtime makes each part after
the first a step. A line of four or more ``=`` alone separates parts (nodeppt split on such a
run anywhere; a whole line is what decks write, and it keeps ``a ==== b`` in prose intact).
Each part is Markdown of its own, with its own header/body split, as in nodeppt::

    <div class="magic" data-transition="earthquake">
    <div class="magic-part">...</div>
    <div class="magic-part">...</div>
    </div>

The opening line's attributes go on the outer ``<div>``. Empty parts are dropped, as nodeppt
did. A block that is never closed runs to the end of the slide, with a warning.
"""

from __future__ import annotations

import itertools
import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

from ..attrs import merge_attrs, scan_attrs
from ..transitions import check_transition
from ._blocks import add_block_rule, line_text, lines_outside_fences, push, tokenize_range

_OPEN = re.compile(r"\[(magic|subslide)(?=[\s\]])", re.I)
_SEPARATOR = re.compile(r"={4,}\s*\Z")


def plugin(md: MarkdownIt) -> None:
    add_block_rule(md, "[", _magic_block)


def _opening(text: str) -> tuple[str, list[tuple[str, str | None]]] | None:
    m = _OPEN.match(text)
    if not m:
        return None
    scanned = scan_attrs(text, m.end(), "]")
    if scanned is None or text[scanned[1]:].strip():
        return None
    return m.group(1).lower(), scanned[0]


def _magic_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    pos = state.bMarks[start] + state.tShift[start]
    if state.src[pos:pos + 1] != "[":
        return False
    text = line_text(state, start)
    if state.is_code_block(start) or (opening := _opening(text)) is None:
        return False
    if silent:
        return True
    kind, attrs = opening
    closing_tag = f"[/{kind}]"
    close = None
    separators = []
    for line in lines_outside_fences(state, start + 1, end):
        stripped = line_text(state, line).strip()
        if stripped.lower() == closing_tag:
            close = line
            break
        if stripped.startswith("====") and _SEPARATOR.match(stripped):
            separators.append(line)
    ctx = state.env.get("deckgen")
    if close is None:
        if ctx is not None:
            ctx.warn_once([start], f"unclosed-{kind}",
                          f"[{kind}] is never closed with {closing_tag}; it runs to the end "
                          "of the slide")
        content_end = end
    else:
        content_end = close
    transition = dict(attrs).get("data-transition")
    if kind == "magic" and ctx is not None and transition:
        check_transition(transition, lambda message: ctx.warn_once(
            [start], "unknown-transition", message))

    outer = merge_attrs((("class", kind),), tuple(attrs))
    push(state, f"{kind}_open", "div", 1, {k: ("" if v is None else v) for k, v in outer.items()},
         [start, content_end + 1 if close is not None else content_end], text.strip())
    bounds = [start] + separators + [content_end]
    for first, last in itertools.pairwise(bounds):
        first += 1
        if all(state.isEmpty(line) for line in range(first, last)):
            continue
        push(state, f"{kind}_part_open", "div", 1, {"class": f"{kind}-part"}, [first, last])
        tokenize_range(state, first, last, kind)
        push(state, f"{kind}_part_close", "div", -1)
    push(state, f"{kind}_close", "div", -1, markup=closing_tag)
    state.line = content_end + 1 if close is not None else content_end
    return True
