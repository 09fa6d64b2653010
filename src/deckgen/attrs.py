"""Attribute syntax shared by the ``[slide ...]`` separator and the ``{:...}`` markers.

Both are small languages of their own, so they get a small scanner rather than an HTML parser:
``name``, ``name=value``, ``name="value"``, ``name='value'``, plus for markers ``.class``,
``#id`` and a leading ``&`` (apply to the parent element).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# An HTML attribute name: anything but space, quotes, '=', '>', '/', and our closing brackets.
_ATTR = re.compile(
    r"""\s*(?P<name>[^\s"'=<>`/\]\}]+)"""
    r"""(?:\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'=<>`\]\}]+)))?"""
)
_SHORTHAND = re.compile(r"\s*(?P<kind>[.#])(?P<value>[^\s.#\]\}\"'=]+)")

Attrs = tuple[tuple[str, "str | None"], ...]


def scan_attrs(text: str, pos: int, end_char: str, shorthand: bool = False
               ) -> tuple[list[tuple[str, str | None]], int] | None:
    """Scan attributes in ``text`` from ``pos`` up to ``end_char``.

    Returns the attributes and the position just after ``end_char``, or ``None`` when the text
    is not a well-formed attribute list ending in ``end_char``.
    """
    attrs: list[tuple[str, str | None]] = []
    n = len(text)
    while True:
        # Any blank, as str.strip() sees it: a full-width space (U+3000) typed by a CJK input
        # method included, so that "[slide\u3000]" is a separator like "[slide]\u3000".
        while pos < n and text[pos].isspace():
            pos += 1
        if pos >= n:
            return None
        if text[pos] == end_char:
            return attrs, pos + 1
        if shorthand:
            m = _SHORTHAND.match(text, pos)
            if m:
                name = "class" if m["kind"] == "." else "id"
                attrs.append((name, m["value"]))
                pos = m.end()
                continue
        m = _ATTR.match(text, pos)
        if not m or m.end() == pos:
            return None
        value = m["dq"] if m["dq"] is not None else m["sq"] if m["sq"] is not None else m["bare"]
        attrs.append((m["name"].lower(), value))
        pos = m.end()


@dataclass(frozen=True, slots=True)
class Marker:
    """A parsed ``{:...}`` marker."""

    attrs: Attrs
    parent: bool
    """True for ``{:&...}``: the attributes go onto the parent element."""


_MARKER_START = re.compile(r"\{:(&?)")


def parse_marker(text: str, pos: int = 0) -> tuple[Marker, int] | None:
    """Parse a kramdown-style marker starting at ``pos`` (``{:.cls #id k="v"}``)."""
    m = _MARKER_START.match(text, pos)
    if not m:
        return None
    scanned = scan_attrs(text, m.end(), "}", shorthand=True)
    if scanned is None:
        return None
    attrs, end = scanned
    return Marker(tuple(attrs), bool(m.group(1))), end


def merge_attrs(*groups: Attrs) -> dict[str, str | None]:
    """Merge attribute groups in order: classes accumulate, other names keep the first value."""
    merged: dict[str, str | None] = {}
    classes: list[str] = []
    for group in groups:
        for name, value in group:
            if name == "class":
                for cls in (value or "").split():
                    if cls not in classes:
                        classes.append(cls)
            elif name not in merged:
                merged[name] = value
    if classes:
        merged = {"class": " ".join(classes), **merged}
    return merged
