"""Local files a deck uses, made part of the page: images become data: URIs, and the CSS and
JavaScript files of the header's ``files:``/``headFiles:`` are inlined.

Paths are relative to the deck file; a leading ``/`` means the deck's folder (nodeppt served the
deck's folder as the site root). Remote images are fetched only when the author asks for it
(``--embed-remote``, ``embedRemote: yes``), by ``remote.py``; otherwise they stay links. An image
that is missing becomes a placeholder (``placeholder_html``).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from html import escape, unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

if TYPE_CHECKING:
    from .remote import RemoteImages

# Fixed table rather than ``mimetypes``: that module reads the system's mime.types, and the
# output must not depend on the machine.
_IMAGE_TYPES = {
    ".png": "image/png", ".apng": "image/apng", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
    ".jfif": "image/jpeg", ".gif": "image/gif", ".svg": "image/svg+xml", ".webp": "image/webp",
    ".avif": "image/avif", ".bmp": "image/bmp", ".ico": "image/x-icon", ".cur": "image/x-icon",
    ".tif": "image/tiff", ".tiff": "image/tiff",
}
# Fonts and the like, for url(...) in an inlined CSS file.
_OTHER_TYPES = {
    ".woff": "font/woff", ".woff2": "font/woff2", ".ttf": "font/ttf", ".otf": "font/otf",
    ".eot": "application/vnd.ms-fontobject",
}
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"), (b"GIF89a", "image/gif"), (b"BM", "image/bmp"),
    (b"\x00\x00\x01\x00", "image/x-icon"),
)
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_CSS_URL = re.compile(r"""url\(\s*(?P<q>["']?)(?P<url>[^"')]+)(?P=q)\s*\)""")

FAVICON = ("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 9'%3E"
           "%3Crect width='16' height='9' rx='1.5' fill='%232b6cb0'/%3E%3Cpath d='M4 3h8M4 "
           "5h5' stroke='white' stroke-width='1.2' stroke-linecap='round'/%3E%3C/svg%3E")


def is_remote(url: str) -> bool:
    """True for URLs that name something off this disk (http:, data:, //host, ...)."""
    return url.startswith("//") or (bool(_SCHEME.match(url)) and not _is_windows_drive(url))


def is_network(url: str) -> bool:
    """True for URLs the browser fetches from the network: http:, https: and ``//host/...``
    (protocol-relative). ``data:``, ``file:`` and local paths are not."""
    return url.startswith("//") or url[:7].lower() == "http://" or url[:8].lower() == "https://"


def _is_windows_drive(url: str) -> bool:
    return len(url) > 2 and url[1] == ":" and url[0].isalpha() and url[2] in "/\\"


def local_path(url: str, base: Path) -> Path:
    """The file a local URL names: relative to ``base``; a leading ``/`` is ``base`` itself."""
    path = unquote(urlsplit(url).path) if "?" in url or "#" in url or "%" in url else url
    if path.startswith("/"):
        return base / path.lstrip("/")
    return base / path


def image_type(path: Path, data: bytes) -> str:
    known = _IMAGE_TYPES.get(path.suffix.lower()) or _OTHER_TYPES.get(path.suffix.lower())
    if known:
        return known
    for magic, mime in _MAGIC:
        if data.startswith(magic):
            return mime
    if data[:5] == b"<?xml" or data.lstrip()[:4] == b"<svg":
        return "image/svg+xml"
    return "application/octet-stream"


def sniff_image_type(data: bytes) -> str | None:
    """The image type the bytes themselves show (PNG, JPEG, GIF, WebP, AVIF, BMP, ICO, SVG),
    or None: what a downloaded file must be, whatever its server called it."""
    for magic, mime in _MAGIC:
        if data.startswith(magic):
            return mime
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[4:8] == b"ftyp" and data[8:12] in (b"avif", b"avis"):
        return "image/avif"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<svg", b"<?xml", b"<!--", b"<!doctype svg")) and b"<svg" in head \
            and b"<html" not in head:
        return "image/svg+xml"
    return None


def data_uri(mime: str, data: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


# -- placeholders for images that cannot be shown -------------------------------------------------

_LENGTH = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(px|%)?\s*\Z", re.I)
_KEPT_ATTRS = ("id", "title")


def image_label(src: str) -> str:
    """An image's file name (``logo.png``): what names it without alt text; "" for data:."""
    if src[:5].lower() == "data:":
        return ""
    path = unquote(urlsplit(src).path if is_remote(src) else src.split("?")[0].split("#")[0])
    name = path.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    return name or src


def _length(value: str | None) -> str | None:
    m = _LENGTH.match(value or "")
    if m is None:
        return None
    return m[1] + ("%" if m[2] == "%" else "px")


def placeholder_html(src: str, alt: str, attrs: Iterable[tuple[str, str | None]] = ()) -> str:
    """The framed box that stands for an image that is not there: its alt text (or file name),
    the image's size if it had ``width``/``height``, and its ``id``, ``class``, ``title`` and
    ``style``. One line, so the lines of the HTML around it keep their numbers. The runtime
    (``runtime/images.js``) makes the same box for images that fail to load in the browser."""
    given = {name.lower(): value for name, value in attrs}
    alt = " ".join(alt.split())
    file = image_label(src)
    label = alt or file or "image"
    size = ""
    for dimension in ("width", "height"):
        length = _length(given.get(dimension))
        if length is not None:
            size += f"{dimension}:{length};min-{dimension}:0;"
    style = size + (given.get("style") or "")
    classes = " ".join(["deckgen-image-missing", *(given.get("class") or "").split()])
    out = [f'<span class="{_attr(classes)}" role="img" aria-label="{_attr(label)}"']
    if src[:5].lower() != "data:":
        out.append(f' data-deckgen-src="{_attr(src)}"')
    for name in _KEPT_ATTRS:
        if given.get(name):
            out.append(f' {name}="{_attr(given[name] or "")}"')
    if style:
        out.append(f' style="{_attr(style)}"')
    out.append(f'><span class="deckgen-image-missing-label">{escape(label)}</span>')
    if alt and file and file != alt:
        out.append(f'<span class="deckgen-image-missing-file">{escape(file)}</span>')
    out.append("</span>")
    return "".join(out)


def _attr(value: str) -> str:
    return escape(value).replace("\n", "&#10;").replace("\r", "&#13;")


@dataclass(frozen=True, slots=True)
class Missing:
    """What an image hook returns for an image that is not there: a placeholder replaces it."""


MISSING = Missing()


class Assets:
    """Embeds a deck's local images, reading each file once per build."""

    def __init__(self, base: Path, remote: RemoteImages | None = None) -> None:
        self.base = base
        self.remote = remote
        """Remote images to embed (``--embed-remote``); None: they stay links, nothing is
        downloaded."""
        self._cache: dict[Path, str | None] = {}
        self.used: list[Path] = []
        """Every local file the deck referred to, found or not, in order (``serve`` watches
        them; the slide cache checks them)."""

    def resolve(self, url: str, relative_to: Path | None = None) -> Path:
        """The file a local URL names; ``relative_to`` is the folder of the file that names it
        (a CSS file), for URLs that do not start with ``/``."""
        if relative_to is None or url.startswith("/"):
            return local_path(url, self.base)
        return local_path(url, relative_to)

    def image_data_uri(self, url: str, relative_to: Path | None = None) -> str | None:
        """A data: URI for a local image, or None if the file cannot be read."""
        path = self.resolve(url, relative_to)
        self.used.append(path)
        if path not in self._cache:
            try:
                data = path.read_bytes()
            except OSError:
                self._cache[path] = None
            else:
                self._cache[path] = data_uri(image_type(path, data), data)
        return self._cache[path]

    def read_text(self, url: str) -> tuple[Path, str | None, bool]:
        """A local text file (CSS, JavaScript): its path, its text (None if it cannot be read),
        and whether it was valid UTF-8 (if not, bad bytes are replaced)."""
        path = self.resolve(url)
        self.used.append(path)
        try:
            data = path.read_bytes()
        except OSError:
            return path, None, True
        try:
            return path, data.decode("utf-8-sig"), True
        except UnicodeDecodeError:
            return path, data.decode("utf-8-sig", errors="replace"), False

    def inline_css_urls(self, css: str, on_missing: Callable[[str], None],
                        relative_to: Path | None = None,
                        on_remote: Callable[[str], str | None] | None = None) -> str:
        """Replace local ``url(...)`` references in CSS with data: URIs. ``on_remote(url)``, if
        given, is asked about network URLs: it returns a data: URI, or None to keep the URL."""
        def replace(m: re.Match[str]) -> str:
            url = m["url"].strip()
            if on_remote is not None and is_network(url):
                data = on_remote(url)
                return m.group(0) if data is None else f"url('{data}')"
            if is_remote(url) or url.startswith("#"):
                return m.group(0)
            data = self.image_data_uri(url, relative_to)
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
        self.found: list[tuple[int, int, str, list]] = []  # (line offset, column, text, attrs)

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "img":
            line, col = self.getpos()
            self.found.append((line - 1, col, self.get_starttag_text() or "", attrs))

    handle_startendtag = handle_starttag


def embed_html_images(html: str, embed: Callable[[str, int], str | Missing | None]) -> str:
    """Rewrite each ``<img>`` in raw HTML as ``embed(src, line)`` says: a string is the new
    ``src``, ``MISSING`` replaces the tag by a placeholder (``placeholder_html``), None leaves
    the tag alone. ``line`` is the 0-based line within ``html``.
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
    for line, col, tag_text, attrs in finder.found:
        start = line_starts[line] + col
        m = _IMG_SRC.search(tag_text)
        if m is None:
            continue
        value = m["dq"] if m["dq"] is not None else m["sq"] if m["sq"] is not None else m["bare"]
        src = unescape(value)
        data = embed(src, line)
        if data is None:
            continue
        out.append(html[last:start])
        if isinstance(data, Missing):
            alt = next((v for k, v in attrs if k == "alt" and v), "")
            # The tag's own line breaks are kept: later stages map HTML lines to deck lines.
            out.append(placeholder_html(src, alt, attrs).replace(
                ">", "\n" * tag_text.count("\n") + ">", 1))
        else:
            out.append(tag_text[: m.start()] + m["pre"] + f'"{data}"' + tag_text[m.end():])
        last = start + len(tag_text)
    out.append(html[last:])
    return "".join(out)


# -- the header's files: and headFiles: -----------------------------------------------------------

@dataclass(frozen=True, slots=True)
class DeckFile:
    """A CSS or JavaScript file named by ``files:``/``headFiles:``."""

    kind: str
    """``css`` or ``js``."""
    url: str
    """As the header wrote it."""
    text: str | None
    """The file's contents, to inline; None for a remote file, which stays a link."""


def load_deck_files(urls: Sequence[str], key: str, assets: Assets,
                    warn: Callable[[str, str], None]) -> tuple[DeckFile, ...]:
    """The files a ``files:``/``headFiles:`` header names (``DeckSettings.files``), in order.

    Local files are read (CSS ``url(...)``s in them embedded); remote ones are kept as links,
    with a warning, since the deck then needs the network; missing ones and anything that is not
    ``.css`` or ``.js`` are left out, with a warning. ``warn(code, message)``.
    """
    files: list[DeckFile] = []
    for url in urls:
        name = urlsplit(url).path.lower() if ("?" in url or "#" in url) else url.lower()
        kind = "css" if name.endswith(".css") else "js" if name.endswith(".js") else None
        if kind is None:
            warn("deck-file-type", f"{key}: ignored '{url}': not a .css or .js file")
            continue
        if is_remote(url):
            if not url.startswith("data:"):
                warn("deck-file-remote", f"{key}: '{url}' is remote: it stays a link, and the "
                                         "deck needs the network to load it")
            files.append(DeckFile(kind, url, None))
            continue
        path, text, utf8 = assets.read_text(url)
        if text is None:
            warn("deck-file-not-found", f"{key}: file not found: {url}")
            continue
        if not utf8:
            warn("deck-file-encoding", f"{key}: {url} is not UTF-8: its undecodable bytes are "
                                       "replaced (save it as UTF-8)")
        if kind == "css":
            def on_missing(missing: str, url: str = url) -> None:
                warn("image-not-found", f"{key}: {url}: image not found: {missing}")

            text = assets.inline_css_urls(text, on_missing, path.parent)
        files.append(DeckFile(kind, url, text))
    return tuple(files)
