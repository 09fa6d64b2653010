"""Deck text -> ``Deck``: the header and the fence-aware ``[slide]`` split, with line numbers.

The header is nodeppt 1.x's ``key: value`` lines before the first ``[slide]`` (or a YAML block
between ``---`` lines). It is not Markdown: a ````` line in it opens no fence.

A separator is a whole line ``[slide attrs...]`` (trailing spaces allowed, optionally followed by a
``{:.cls}`` marker). Inside a fenced code block it is content, not a separator, provided the fence
is closed somewhere: an unclosed fence is reported and does not swallow the rest of the deck.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .attrs import parse_marker, scan_attrs
from .model import Deck, DeckError, Diagnostics, Slide, did_you_mean
from .settings import HEADER_KEYS

KNOWN_KEYS = HEADER_KEYS  # the keys are declared once, as the fields of settings.DeckSettings
_CANONICAL = {k.lower(): k for k in KNOWN_KEYS}

_SEPARATOR_START = re.compile(r"\[slide(?=[\s\]])")
_HEADER_LINE = re.compile(r"\s*([A-Za-z_][\w.-]*)\s*:(.*)$")
_FENCE = re.compile(r"[ \t]*(`{3,}|~{3,})(.*)$")
# " //comment" after a value; not "a.js, //cdn/b.js" (a protocol-relative URL in a list).
_TRAILING_COMMENT = re.compile(r"(?<![,\s])\s+//.*$")
_LINK_DEFINITION = re.compile(r"\[slide\]:")


def parse_deck(text: str, file: str, diagnostics: Diagnostics | None = None) -> Deck:
    """Parse normalised deck text (``\\n`` newlines, no BOM) into a ``Deck``.

    Warnings go to ``diagnostics``; problems that make the deck unusable raise ``DeckError``.
    """
    diags = diagnostics if diagnostics is not None else Diagnostics(file)
    lines = text.split("\n")
    first = _first_separator(lines)
    if first is None:
        if not text.strip():
            raise DeckError("the file is empty; a deck needs a [slide] line and some content",
                            file, code="empty-file")
        cased = next((i for i, line in enumerate(lines) if _wrong_case(line)), None)
        if cased is not None:
            raise DeckError(f"no slides: '{lines[cased].strip()}' is not a separator; write "
                            "'[slide]' in lower case", file, cased + 1, code="no-slides")
        last_line = max(i for i, line in enumerate(lines) if line.strip()) + 1
        raise DeckError("no slides: start each slide with a line '[slide]'", file,
                        last_line, code="no-slides")
    meta, meta_lines = _parse_header(lines[:first], diags)
    slides = tuple(_split_slides(lines, first, diags))
    return Deck(file=file, meta=meta, meta_lines=meta_lines, slides=slides)


# -- header ---------------------------------------------------------------------------------

def _first_separator(lines: list[str]) -> int | None:
    for i, line in enumerate(lines):
        if line.startswith("[slide") and _parse_separator(line) is not None:
            return i
    return None


def _parse_header(lines: list[str], diags: Diagnostics) -> tuple[dict[str, str], dict[str, int]]:
    start = next((i for i, line in enumerate(lines) if line.strip()), None)
    if start is not None and lines[start].strip() == "---":
        return _parse_yaml_header(lines, start, diags)
    return _parse_key_value_header(lines, 0, len(lines), diags)


def _parse_key_value_header(lines: list[str], start: int, end: int, diags: Diagnostics
                            ) -> tuple[dict[str, str], dict[str, int]]:
    meta: dict[str, str] = {}
    meta_lines: dict[str, int] = {}
    in_comment = False
    last_close = max((j for j in range(start, end) if "-->" in lines[j]), default=-1)
    for i in range(start, end):
        line = lines[i]
        lineno = i + 1
        stripped = line.strip()
        if in_comment:
            in_comment = "-->" not in stripped
            continue
        if not stripped:
            continue
        if stripped.startswith("<!--"):
            if "-->" in stripped[4:]:
                continue
            if last_close > i:
                in_comment = True
            else:
                # Never closed: hiding every key after it would fail silently.
                diags.warn(lineno, "unclosed-comment",
                           "this <!-- comment is never closed with -->; only this line is "
                           "ignored, the keys after it are read")
            continue
        m = _HEADER_LINE.match(line)
        if not m:
            if _wrong_case(line):
                diags.warn(lineno, "separator-case",
                           f"'{stripped}' is not a slide separator; write '[slide]' in lower "
                           "case (this line is ignored)")
                continue
            diags.warn(lineno, "stray-header-line",
                       f"ignored header line (not 'key: value'): {_clip(stripped)}")
            continue
        key, value = m.group(1), m.group(2).strip()
        comment = _TRAILING_COMMENT.search(value)
        if comment and not value.startswith("//"):
            diags.warn(lineno, "header-comment",
                       f"dropped trailing comment after '{key}': {comment.group(0).strip()}")
            value = value[: comment.start()].rstrip()
        _store_key(key, value, lineno, meta, meta_lines, diags)
    return meta, meta_lines


def _parse_yaml_header(lines: list[str], start: int, diags: Diagnostics
                       ) -> tuple[dict[str, str], dict[str, int]]:
    end = next((i for i in range(start + 1, len(lines)) if lines[i].strip() in ("---", "...")),
               None)
    if end is None:
        raise DeckError("the YAML header opened here is never closed with '---'", diags.file,
                        start + 1, code="bad-header")
    import yaml  # only decks with a YAML header pay for the import

    block = "\n".join(lines[start + 1:end])
    try:
        node = yaml.compose(block)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = start + 2 + mark.line if mark is not None else start + 1
        problem = getattr(exc, "problem", None) or str(exc)
        raise DeckError(f"invalid YAML header: {problem}", diags.file, line,
                        code="bad-header") from None
    meta: dict[str, str] = {}
    meta_lines: dict[str, int] = {}
    if node is not None:
        if not isinstance(node, yaml.MappingNode):
            raise DeckError("the YAML header must be 'key: value' pairs", diags.file, start + 2,
                            code="bad-header")
        for key_node, value_node in node.value:
            lineno = start + 2 + key_node.start_mark.line
            key = str(key_node.value)
            if isinstance(value_node, yaml.ScalarNode):
                value = str(value_node.value)
            elif isinstance(value_node, yaml.SequenceNode) and all(
                    isinstance(v, yaml.ScalarNode) for v in value_node.value):
                value = ",".join(str(v.value) for v in value_node.value)
            else:
                diags.warn(lineno, "bad-header-value",
                           f"ignored '{key}': its value must be text or a list")
                continue
            _store_key(key, value.strip(), lineno, meta, meta_lines, diags)
    rest = _parse_key_value_header(lines, end + 1, len(lines), diags)
    for key, value in rest[0].items():
        meta.setdefault(key, value)
        meta_lines.setdefault(key, rest[1][key])
    return meta, meta_lines


def _store_key(key: str, value: str, lineno: int, meta: dict[str, str],
               meta_lines: dict[str, int], diags: Diagnostics) -> None:
    canonical = _CANONICAL.get(key.lower())
    if canonical is None:
        diags.warn(lineno, "unknown-key",
                   f"unknown header key '{key}'{did_you_mean(key, KNOWN_KEYS)}")
        return
    if canonical in meta:
        diags.warn(lineno, "duplicate-key", f"'{canonical}' is set again (line "
                   f"{meta_lines[canonical]}); the last value wins")
    meta[canonical] = value
    meta_lines[canonical] = lineno


def _clip(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


# -- slides ---------------------------------------------------------------------------------

def _parse_separator(line: str) -> tuple[list[tuple[str, str | None]], list] | None:
    """Attributes of a separator line, or None if the line is not one.

    Returns (attributes, markers): markers are ``{:...}`` after the closing bracket.
    """
    m = _SEPARATOR_START.match(line)
    if not m:
        return None
    scanned = scan_attrs(line, m.end(), "]")
    if scanned is None:
        return None
    attrs, pos = scanned
    markers = []
    rest = line[pos:].strip()
    if rest:
        parsed = parse_marker(rest)
        if parsed is None or rest[parsed[1]:].strip():
            return None
        markers.append(parsed[0])
    return attrs, markers


def _wrong_case(line: str) -> bool:
    """``[SLIDE]`` or ``[Slide ...]``: a separator but for its case (nodeppt ignored case)."""
    return (line[:1] == "[" and line[1:6].lower() == "slide" and line[1:6] != "slide"
            and _parse_separator("[slide" + line[6:]) is not None)


def _split_slides(lines: list[str], first: int, diags: Diagnostics) -> Iterator[Slide]:
    index = 0
    start = first
    attrs = _separator_attrs(lines[first])
    body: list[str] = []
    i = first + 1
    n = len(lines)
    # For each fence character, the shortest opening length already known to have no closing
    # line after a given position: keeps pathological input (many unclosed fences) linear.
    never_closed: dict[str, tuple[int, int]] = {}
    while i < n:
        line = lines[i]
        fence = _FENCE.match(line)
        if fence and not (fence.group(1)[0] == "`" and "`" in fence.group(2)):
            close = _find_closing_fence(lines, i, fence.group(1), never_closed)
            if close is not None:
                body.extend(lines[i:close + 1])
                i = close + 1
                continue
            diags.warn(i + 1, "unclosed-fence",
                       f"code fence {fence.group(1)} is never closed; [slide] lines after it "
                       "still start new slides")
        if line.startswith("[slide"):
            parsed = _parse_separator(line)
            if parsed is not None:
                index += 1
                yield Slide(index, start + 1, attrs, "\n".join(body))
                start, attrs, body = i, _attrs_with_markers(parsed), []
                i += 1
                continue
            if _SEPARATOR_START.match(line) and not _LINK_DEFINITION.match(line):
                diags.warn(i + 1, "bad-separator",
                           "this line starts like a [slide] separator but is not one "
                           "(it must be alone on its line and end with ']')")
        elif line[:1] == "[" and _wrong_case(line):
            diags.warn(i + 1, "separator-case",
                       f"'{line.strip()}' is not a slide separator; write '[slide]' in lower "
                       "case (the line is shown as text)")
        body.append(line)
        i += 1
    yield Slide(index + 1, start + 1, attrs, "\n".join(body))


def _separator_attrs(line: str):
    parsed = _parse_separator(line)
    assert parsed is not None
    return _attrs_with_markers(parsed)


def _attrs_with_markers(parsed) -> tuple[tuple[str, str | None], ...]:
    attrs, markers = parsed
    extra = [pair for marker in markers for pair in marker.attrs]
    return tuple(attrs) + tuple(extra)


def _find_closing_fence(lines: list[str], opening: int, marker: str,
                        never_closed: dict[str, tuple[int, int]]) -> int | None:
    char, length = marker[0], len(marker)
    known = never_closed.get(char)
    if known is not None and opening > known[0] and length >= known[1]:
        return None
    for j in range(opening + 1, len(lines)):
        stripped = lines[j].strip()
        if stripped.startswith(char * length) and not stripped.strip(char):
            return j
    if known is None or length < known[1] or opening < known[0]:
        never_closed[char] = (opening, length)
    return None
