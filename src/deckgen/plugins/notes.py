"""Speaker notes: ``[note] ... [/note]`` anywhere in a slide, with Markdown inside.

A block rule reads the note where it stands (so its lines and warnings are the right ones); a
core rule then moves every note of the slide to the end of the slide's content, merged into one
``<aside class="notes">``, which the page hides and the presenter view and the ``N`` overlay
show. Raw ``<aside class="notes">`` HTML needs nothing from here.

nodeppt took one ``[note]`` per slide and matched the tags anywhere, even inside code; here a
slide may have several, ``[note]`` must start a line, and code is code. A ``[note]`` that is
never closed is shown as written, with a warning: hiding the rest of the slide would be worse.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from ._blocks import add_block_rule, find_line, push, tokenize_range

_OPEN = "[note]"
_CLOSE = "[/note]"


def plugin(md: MarkdownIt) -> None:
    add_block_rule(md, "[", _note_block)
    md.core.ruler.push("deckgen_notes", _move_notes)


def _note_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    pos = state.bMarks[start] + state.tShift[start]
    if (state.src[pos:pos + 1] != "[" or state.src[pos:pos + len(_OPEN)].lower() != _OPEN
            or state.is_code_block(start)):
        return False
    line_end = state.eMarks[start]
    first_text = state.src[pos + len(_OPEN):line_end]
    if first_text.startswith(":"):
        return False  # "[note]: https://..." is a link reference definition
    same_line = first_text.lower().rfind(_CLOSE)
    close: int | None
    if same_line != -1 and not first_text[same_line + len(_CLOSE):].strip():
        close = start
    else:
        close = find_line(state, start + 1, end,
                          lambda text: text.rstrip().lower().endswith(_CLOSE))
        if close is None:
            if not silent:
                ctx = state.env.get("deckgen")
                if ctx is not None:
                    ctx.warn_once([start], "unclosed-note",
                                  "[note] is never closed with [/note]; shown on the slide")
            return False
    if silent:
        return True

    state.env["deckgen_notes"] = True
    saved = [(line, state.bMarks[line], state.eMarks[line], state.tShift[line],
              state.sCount[line]) for line in {start, close}]
    content_start = start
    if first_text.strip() and (close != start or first_text[:same_line].strip()):
        # Text after [note] on its own line: that line is content from there on.
        begin = pos + len(_OPEN)
        state.bMarks[start] = begin
        indent = len(first_text) - len(first_text.lstrip(" \t"))
        state.tShift[start] = indent
        state.sCount[start] = state.blkIndent + indent
    else:
        content_start = start + 1
    close_text_end = state.eMarks[close]
    close_text = state.src[state.bMarks[close]:close_text_end]
    cut = close_text.lower().rfind(_CLOSE)
    if close != start and not close_text[:cut].strip():
        content_end = close
    else:
        state.eMarks[close] = state.bMarks[close] + cut
        content_end = close + 1

    push(state, "note_open", "aside", 1, {"class": "notes"}, [start, close + 1], _OPEN)
    if content_start < content_end:
        tokenize_range(state, content_start, content_end, "note")
    push(state, "note_close", "aside", -1, markup=_CLOSE)
    for line, b_mark, e_mark, t_shift, s_count in saved:
        state.bMarks[line], state.eMarks[line] = b_mark, e_mark
        state.tShift[line], state.sCount[line] = t_shift, s_count
    state.line = close + 1
    return True


def _move_notes(state: StateCore) -> None:
    """All the slide's notes, in order, become one aside at the end of the content."""
    if not state.env.get("deckgen_notes"):
        return
    tokens = state.tokens
    kept: list[Token] = []
    notes: list[Token] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type != "note_open":
            kept.append(token)
            i += 1
            continue
        depth = token.level
        j = i + 1
        while not (tokens[j].type == "note_close" and tokens[j].level == depth):
            j += 1
        inner = tokens[i + 1:j]
        for inner_token in inner:
            inner_token.level -= depth
        if not notes:
            token.level = 0
            notes.append(token)
        notes.extend(inner)
        closing = tokens[j]
        i = j + 1
    if notes:
        closing.level = 0
        notes.append(closing)
    state.tokens = kept + notes
