"""Local files a deck uses, made part of the page: images become data: URIs.

Paths are relative to the deck file; a leading ``/`` means the deck's folder (nodeppt served the
deck's folder as the site root). Remote URLs are never fetched: they stay links.
"""

from __future__ import annotations

import base64
import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

# Fixed table rather than ``mimetypes``: that module reads the system's mime.types, and the
# output must not depend on the machine.
_IMAGE_TYPES = {
    ".png": "image/png", ".apng": "image/apng", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
    ".jfif": "image/jpeg", ".gif": "image/gif", ".svg": "image/svg+xml", ".webp": "image/webp",
    ".avif": "image/avif", ".bmp": "image/bmp", ".ico": "image/x-icon", ".cur": "image/x-icon",
    ".tif": "image/tiff", ".tiff": "image/tiff",
}
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"), (b"GIF89a", "image/gif"), (b"BM", "image/bmp"),
)
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_CSS_URL = re.compile(r"""url\(\s*(?P<q>["']?)(?P<url>[^"')]+)(?P=q)\s*\)""")

FAVICON = ("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 9'%3E"
           "%3Crect width='16' height='9' rx='1.5' fill='%232b6cb0'/%3E%3Cpath d='M4 3h8M4 "
           "5h5' stroke='white' stroke-width='1.2' stroke-linecap='round'/%3E%3C/svg%3E")


def is_remote(url: str) -> bool:
    """True for URLs that name something off this disk (http:, data:, //host, ...)."""
    return url.startswith("//") or bool(_SCHEME.match(url)) and not _is_windows_drive(url)


def _is_windows_drive(url: str) -> bool:
    return len(url) > 2 and url[1] == ":" and url[0].isalpha() and url[2] in "/\\"


def local_path(url: str, base: Path) -> Path:
    """The file a local URL names: relative to ``base``; a leading ``/`` is ``base`` itself."""
    path = unquote(urlsplit(url).path) if "?" in url or "#" in url or "%" in url else url
    if path.startswith("/"):
        return base / path.lstrip("/")
    return base / path


def image_type(path: Path, data: bytes) -> str:
    known = _IMAGE_TYPES.get(path.suffix.lower())
    if known:
        return known
    for magic, mime in _MAGIC:
        if data.startswith(magic):
            return mime
    if data[:5] == b"<?xml" or data.lstrip()[:4] == b"<svg":
        return "image/svg+xml"
    return "application/octet-stream"


class Assets:
    """Embeds a deck's local images, reading each file once per build."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self._cache: dict[Path, str | None] = {}
        self.used: list[Path] = []
        """Every local file the deck referred to, found or not, in order (``serve`` watches
        them; the slide cache checks them)."""

    def image_data_uri(self, url: str) -> str | None:
        """A data: URI for a local image, or None if the file cannot be read."""
        path = local_path(url, self.base)
        self.used.append(path)
        if path not in self._cache:
            try:
                data = path.read_bytes()
            except OSError:
                self._cache[path] = None
            else:
                encoded = base64.b64encode(data).decode("ascii")
                self._cache[path] = f"data:{image_type(path, data)};base64,{encoded}"
        return self._cache[path]

    def inline_css_urls(self, css: str, on_missing) -> str:
        """Replace local ``url(...)`` references in a CSS value with data: URIs."""
        def replace(m: re.Match[str]) -> str:
            url = m["url"].strip()
            if is_remote(url) or url.startswith("#"):
                return m.group(0)
            data = self.image_data_uri(url)
            if data is None:
                on_missing(url)
                return m.group(0)
            return f"url('{data}')"
        return _CSS_URL.sub(replace, css) if "url(" in css else css


_IMG_SRC = re.compile(
    r"""(?P<pre>[\s"'](?i:src)\s*=\s*)(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s>"']+))""")


class _ImageFinder(HTMLParser):
    """Finds ``<img>`` start tags in raw HTML, with their offsets, using the stdlib tokenizer."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.found: list[tuple[int, int, str]] = []  # (line offset, column, tag text)

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "img":
            line, col = self.getpos()
            self.found.append((line - 1, col, self.get_starttag_text() or ""))

    handle_startendtag = handle_starttag


def embed_html_images(html: str, embed) -> str:
    """Rewrite the ``src`` of each ``<img>`` in raw HTML to what ``embed(src, line)`` returns.

    ``line`` is the 0-based line within ``html``; ``embed`` returns None to leave a tag alone.
    """
    if "<img" not in html.lower():
        return html
    finder = _ImageFinder()
    finder.feed(html)
    finder.close()
    if not finder.found:
        return html
    line_starts = [0]
    line_starts.extend(i + 1 for i, ch in enumerate(html) if ch == "\n")
    out, last = [], 0
    for line, col, tag_text in finder.found:
        start = line_starts[line] + col
        m = _IMG_SRC.search(tag_text)
        if m is None:
            continue
        value = m["dq"] if m["dq"] is not None else m["sq"] if m["sq"] is not None else m["bare"]
        data = embed(unescape(value), line)
        if data is None:
            continue
        out.append(html[last:start])
        out.append(tag_text[: m.start()] + m["pre"] + f'"{data}"' + tag_text[m.end():])
        last = start + len(tag_text)
    out.append(html[last:])
    return "".join(out)
