r"""Bare ``http://`` and ``https://`` URLs in text become links, as nodeppt's marked made them.

marked's GFM rule, which this copies: a URL starts with ``http://`` or ``https://`` (lower
case) anywhere in text, even right after a letter (``官网http://keras.io`` links
``http://keras.io``), runs to the next whitespace or ``<``, and does not end in one of
``. , : ; " ' ) ]``. ``www.`` addresses, bare domains and e-mail addresses stay text, as they did
in nodeppt. URLs in code, in Markdown links and inside ``<a>`` stay as they are.

One difference: trailing ``*``, ``_`` and ``~`` are left out of the URL, so ``**http://x.org**``
is a bold link (marked got there because its emphasis rule ran first).

The rule runs at the ``:`` of ``://`` and looks back at the text before it, as markdown-it's
own linkify rule does, so text without ``://`` never pays for it (and linkify-it, which links
fewer of the URLs nodeppt linked, is not needed).
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

_URL = re.compile(r"https?://[^\s<]+[^<.,:;\"')\]\s]")
_TRAILING = "*_~"
_NOT_LAST = ".,:;\"')]"


def plugin(md: MarkdownIt) -> None:
    md.inline.ruler.before("escape", "deckgen_bare_url", _bare_url)


def _bare_url(state: StateInline, silent: bool) -> bool:
    pos = state.pos
    src = state.src
    if src[pos] != ":" or not src.startswith("://", pos) or state.linkLevel > 0:
        return False
    pending = state.pending
    if pending.endswith("https"):
        scheme = 5
    elif pending.endswith("http"):
        scheme = 4
    else:
        return False
    start = pos - scheme
    if src[start:pos] != pending[-scheme:]:
        return False  # the pending text did not come straight from the source
    match = _URL.match(src, start, state.posMax)
    if match is None:
        return False
    url = match.group(0)
    if url[-1] in _TRAILING:
        url = url.rstrip(_TRAILING + _NOT_LAST)
        if len(url) < scheme + 5:  # marked wants two characters after the "//"
            return False
    href = state.md.normalizeLink(url)
    if not state.md.validateLink(href):
        return False
    if not silent:
        state.pending = pending[:-scheme]
        token = state.push("link_open", "a", 1)
        token.attrs = {"href": href}
        token.markup = "linkify"
        token.info = "auto"
        token = state.push("text", "", 0)
        token.content = state.md.normalizeLinkText(url)
        token = state.push("link_close", "a", -1)
        token.markup = "linkify"
        token.info = "auto"
    state.pos = start + len(url)
    return True
