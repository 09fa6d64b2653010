"""Sealing: each slide's HTML is balanced before it goes into the page.

Authors write raw HTML in their decks, and one unclosed ``<div>`` or stray ``</section>`` must
not swallow, nest or break the slides after it. A slide whose Markdown produced raw HTML is
parsed with lxml (libxml2's HTML parser) into a tree and serialised back: the result is
balanced by construction, so the browser cannot carry anything across the slide's boundary.

lxml repairs silently, so a second pass with the standard library's HTML tokenizer finds what
had to be repaired, with line numbers, for the author's warnings. That pass also finds the
document-level tags (``</body>``, ``<html>``...) that libxml2 would act on (it drops all content
after a stray ``</body>``); they are cut out before lxml sees the fragment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from lxml import etree

VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                  "param", "source", "track", "wbr", "keygen", "basefont", "bgsound", "frame"})
# Elements whose end tag HTML lets an author leave out.
OPTIONAL_END = frozenset({"p", "li", "dt", "dd", "option", "optgroup", "rb", "rt", "rtc", "rp",
                          "tr", "td", "th", "thead", "tbody", "tfoot", "colgroup"})
DOCUMENT = frozenset({"html", "head", "body"})
FOREIGN = frozenset({"svg", "math"})
_ATTRIBUTE_NAME = re.compile(r"[A-Za-z_:@#\[(*][-\w:.@\[\]()#*]*\Z")
_BROKEN_TAG = re.compile(r"<[A-Za-z!/]")
_UNENDED_TAG = re.compile(r"[A-Za-z!/?]")

_PREFIX = "<!DOCTYPE html><html><body><div>"


@dataclass(slots=True)
class Problem:
    """Something the sealer had to repair, on a line of the fragment (1-based)."""

    line: int
    message: str
    closed_line: int | None = None
    """For an element closed by a later end tag: that tag's line (of the fragment, too)."""


@dataclass(slots=True)
class Sealed:
    """A parsed, balanced fragment: lxml's container element and what was repaired."""

    root: etree._Element
    problems: list[Problem] = field(default_factory=list)

    def serialize(self) -> str:
        root = self.root
        parts = [_escape_text(root.text)] if root.text else []
        parts.extend(_html(child) for child in root)
        # A stray end tag (</div>) closes the container of ``_PREFIX`` early, and libxml2 puts
        # the rest of the slide after it: that is part of the slide too.
        if root.tail:
            parts.append(_escape_text(root.tail))
        parts.extend(_html(sibling) for sibling in root.itersiblings())
        return "".join(parts)


def _html(element: etree._Element) -> str:
    return etree.tostring(element, encoding="unicode", method="html", with_tail=True)


def seal(html: str) -> Sealed:
    """Parse ``html`` as a fragment and return it balanced, with what was wrong in it."""
    scanner = _Scanner()
    scanner.scan(html)
    text = scanner.without_document_tags(html)
    parser = etree.HTMLParser(recover=True, no_network=True, remove_comments=False)
    document = etree.fromstring(_PREFIX + text, parser)
    body = document.find("body") if document is not None else None
    container = body[0] if body is not None and len(body) else etree.Element("div")
    for element in (body if body is not None else container).iter("plaintext"):
        # <plaintext> never ends in a browser: it would swallow every slide after this one.
        element.tag = "pre"
    return Sealed(container, scanner.problems)


def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class _Scanner(HTMLParser):
    """Tracks open elements the way an author reads them, to report what does not balance."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.problems: list[Problem] = []
        self.stack: list[tuple[str, int]] = []
        self.cuts: list[tuple[int, int]] = []
        self._line_starts: list[int] = [0]
        self._foreign_depth = 0
        self._lone_lt: tuple[int, int] | None = None
        """Offset and line of a "<" the tokenizer just passed on as data."""

    def scan(self, html: str) -> None:
        pos = html.find("\n")
        while pos != -1:
            self._line_starts.append(pos + 1)
            pos = html.find("\n", pos + 1)
        self._html = html
        self.feed(html)
        self.close()
        for tag, line in reversed(self.stack):
            if tag not in OPTIONAL_END:
                self._problem(line, f"unclosed <{tag}> closed at the end of the slide")
        self.stack.clear()

    def without_document_tags(self, html: str) -> str:
        if not self.cuts:
            return html
        parts, last = [], 0
        for start, end in self.cuts:
            parts.append(html[last:start])
            last = end
        parts.append(html[last:])
        return "".join(parts)

    def _problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(line, message))

    def _offset(self) -> int:
        line, col = self.getpos()
        return self._line_starts[line - 1] + col

    def _cut_tag(self, tag: str, end: bool) -> None:
        start = self._offset()
        close = self._html.find(">", start)
        self.cuts.append((start, len(self._html) if close == -1 else close + 1))
        self._problem(self.getpos()[0], f"removed <{'/' if end else ''}{tag}>: a slide is part "
                                        "of a page and cannot have its own")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        if tag in DOCUMENT:
            self._cut_tag(tag, end=False)
            return
        for name, _ in attrs:
            if not _ATTRIBUTE_NAME.match(name):
                self._problem(line, f"malformed attribute {name!r} in <{tag}>")
        if tag in VOID:
            return
        if tag in FOREIGN:
            self._foreign_depth += 1
        self.stack.append((tag, line))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        foreign = self._foreign_depth > 0 or tag in FOREIGN
        self.handle_starttag(tag, attrs)
        if tag in VOID or tag in DOCUMENT:
            return
        if foreign:  # SVG and MathML honour <x/>
            self.stack.pop()
            if tag in FOREIGN:
                self._foreign_depth -= 1
        else:
            self._problem(self.getpos()[0], f"<{tag}/> does not close itself in HTML; "
                                            f"write <{tag}></{tag}>")

    def handle_endtag(self, tag: str) -> None:
        line = self.getpos()[0]
        if tag in DOCUMENT:
            self._cut_tag(tag, end=True)
            return
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                break
        else:
            self._problem(line, f"removed stray </{tag}> (no open <{tag}> in this slide)")
            return
        for open_tag, open_line in self.stack[depth + 1:]:
            if open_tag not in OPTIONAL_END:
                self.problems.append(Problem(open_line, f"unclosed <{open_tag}> closed by "
                                                        f"</{tag}>", closed_line=line))
            if open_tag in FOREIGN:
                self._foreign_depth -= 1
        if tag in FOREIGN:
            self._foreign_depth -= 1
        del self.stack[depth:]

    def handle_data(self, data: str) -> None:
        # The standard tokenizer passes malformed markup through as text; browsers don't.
        # At the end of the input, Python's tokenizer hands markup that never ends (an unclosed
        # "<!--...", a tag with no '>') over as data "<" and then the rest as data.
        lone_lt, self._lone_lt = self._lone_lt, None
        after_lt = lone_lt[1] if lone_lt and lone_lt[0] + 1 == self._offset() else None
        if data == "<":
            self._lone_lt = (self._offset(), self.getpos()[0])
        elif data.startswith("<!--"):
            self._problem(self.getpos()[0], "unclosed <!-- comment hides the rest of the slide")
        elif after_lt is not None and data.startswith("!--"):
            self._problem(after_lt, "unclosed <!-- comment hides the rest of the slide")
        elif after_lt is not None and _UNENDED_TAG.match(data):
            # A tag with no '>' before the end: lxml (like a browser) drops it and all after it.
            self._problem(after_lt, f"tag '<{data.split(None, 1)[0][:30]}' has no '>': "
                                    "the rest of the slide is lost")
        elif _BROKEN_TAG.match(data):
            self._problem(self.getpos()[0], f"malformed tag {data.split(None, 1)[0][:30]!r}")

    def handle_comment(self, data: str) -> None:
        # Newer Python versions report an unclosed comment at the end as a comment.
        start = self._offset()
        rest = self._html[start + 4:]
        if not ("-->" in rest or "--!>" in rest or rest.startswith((">", "->"))):
            self._problem(self.getpos()[0], "unclosed <!-- comment hides the rest of the slide")
