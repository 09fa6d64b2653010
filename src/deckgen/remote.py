"""Remote images, downloaded at build time and embedded: ``deckgen build --embed-remote`` or
``embedRemote: yes`` in the header. This is the only module that touches the network, and it is
imported only when the author asked for it.

Downloads are careful: http(s) only, a connect/read timeout and an overall deadline, a size limit
(read incrementally), at most ``MAX_REDIRECTS`` redirects (to http(s) only), and the bytes must be
an image the browser shows (``assets.sniff_image_type``), whatever type the server claimed. A
failure is a reason string (``HTTP 404 Not Found``, ``timed out after 10 s``), never an exception.

What was downloaded is kept in a cache (``cache_dir()``, or ``$DECKGEN_CACHE_DIR``): files named
by the SHA-256 of their bytes under ``remote/blobs/``, and one small JSON file per URL under
``remote/urls/`` (named by the SHA-256 of the URL) that says which blob it gave. Everything is
written atomically (temporary file + rename), so builds running at once (``-j``) share it safely.
A URL in the cache is never downloaded again: a build with a warm cache needs no network and
gives the same page every time. There is no revalidation; to fetch an image again (it changed on
its server), delete the cache folder. Failed downloads are not cached: the next build tries again.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import ssl
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.client import HTTPException
from pathlib import Path

from . import __version__
from .assets import data_uri, sniff_image_type

CACHE_ENV = "DECKGEN_CACHE_DIR"
TIMEOUT = 10.0
"""Seconds to wait for a connection, and for each read."""
DEADLINE = 60.0
"""Seconds one download may take in all (a server that trickles bytes is cut off)."""
MAX_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 5
WORKERS = 8
"""Downloads at once: a deck with 20 remote images waits for about 3 latencies, not 20."""
_CHUNK = 64 * 1024
# What a server may call an image besides image/*: many serve images as generic bytes or, like
# raw file hosts, SVG as text. The bytes decide; HTML (an error or login page) never passes.
_GENERIC_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream",
                            "text/plain", "text/xml", "application/xml"})


def cache_dir() -> Path:
    """deckgen's cache folder: ``$DECKGEN_CACHE_DIR`` if set, else the platform's user cache
    (``$XDG_CACHE_HOME/deckgen`` or ``~/.cache/deckgen``; ``~/Library/Caches/deckgen`` on
    macOS; ``%LOCALAPPDATA%\\deckgen\\Cache`` on Windows)."""
    given = os.environ.get(CACHE_ENV)
    if given:
        return Path(given).expanduser()
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "deckgen" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "deckgen"
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache") / "deckgen"


def fetch_url(src: str) -> str:
    """The URL to download for an image's ``src``: ``//host/x`` is fetched over https."""
    return "https:" + src if src.startswith("//") else src


# -- the cache -------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class CachedImage:
    mime: str
    data: bytes


class ImageCache:
    """Downloaded images on disk, content-addressed, with an index by URL (see the module)."""

    def __init__(self, root: Path) -> None:
        self.root = root / "remote"

    def _entry(self, url: str) -> Path:
        return self.root / "urls" / (hashlib.sha256(url.encode("utf-8")).hexdigest() + ".json")

    def get(self, url: str) -> CachedImage | None:
        """The image downloaded from ``url``, or None (never downloaded, or the entry is damaged:
        then it is downloaded again)."""
        try:
            entry = json.loads(self._entry(url).read_text(encoding="utf-8"))
            if entry.get("url") != url:
                return None
            digest = str(entry["sha256"])
            data = (self.root / "blobs" / digest).read_bytes()
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None
        mime = sniff_image_type(data)
        if mime is None or hashlib.sha256(data).hexdigest() != digest:
            return None
        return CachedImage(mime, data)

    def put(self, url: str, image: CachedImage) -> None:
        """Store an image (the blob first, so an entry never names a missing blob). Raises
        OSError if the cache cannot be written."""
        digest = hashlib.sha256(image.data).hexdigest()
        blob = self.root / "blobs" / digest
        if _file_digest(blob) != digest:  # absent, or damaged
            _write_atomic(blob, image.data)
        entry = {"url": url, "sha256": digest, "type": image.mime, "size": len(image.data)}
        _write_atomic(self._entry(url), (json.dumps(entry, sort_keys=True) + "\n").encode())


def _file_digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:16]}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# -- downloading -----------------------------------------------------------------------------------

class DownloadFailed(Exception):
    """Why an image could not be downloaded, in words for a warning."""


class _Redirects(urllib.request.HTTPRedirectHandler):
    """urllib's redirects, to http(s) only (urllib also follows ftp:)."""

    max_redirections = MAX_REDIRECTS

    def http_error_302(self, req, fp, code, msg, headers):
        location = headers.get("location") or headers.get("uri") or ""
        target = urllib.parse.urljoin(req.full_url, location)
        if location and not target.lower().startswith(("http://", "https://")):
            raise DownloadFailed(f"redirected to {target}, which is not an http(s) URL")
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def download(url: str, timeout: float | None = None, max_bytes: int | None = None,
             deadline: float | None = None) -> CachedImage:
    """Download one image; raises ``DownloadFailed`` with the reason, and nothing else."""
    timeout = TIMEOUT if timeout is None else timeout
    max_bytes = MAX_BYTES if max_bytes is None else max_bytes
    deadline = DEADLINE if deadline is None else deadline
    if not url.lower().startswith(("http://", "https://")):
        raise DownloadFailed("only http and https URLs are downloaded")
    handler = _Redirects()
    # Read now: tests lower it. urllib reads the limit through self, so an instance's value
    # counts; typeshed declares it a ClassVar, which forbids setting it here.
    handler.max_redirections = MAX_REDIRECTS  # type: ignore[misc]
    opener = urllib.request.build_opener(handler)
    request = urllib.request.Request(url, headers={
        "User-Agent": f"deckgen/{__version__} (embedding images in a slide deck)",
        "Accept": "image/*"})
    try:
        with opener.open(request, timeout=timeout) as response:
            declared = response.headers.get_content_type() if response.headers.get(
                "Content-Type") else ""
            if not declared.startswith("image/") and declared not in _GENERIC_TYPES:
                raise DownloadFailed(f"not an image: the server sent {declared}")
            length = response.headers.get("Content-Length", "")
            if length.strip().isdigit() and int(length) > max_bytes:
                raise DownloadFailed(f"too big: {_size(int(length))}, the limit is "
                                     f"{_size(max_bytes)}")
            data = _read(response, max_bytes, time.monotonic() + deadline, deadline)
    except DownloadFailed:
        raise
    except urllib.error.HTTPError as exc:
        if 300 <= exc.code < 400 and "infinite loop" in str(exc.reason):
            raise DownloadFailed(f"too many redirects (more than {MAX_REDIRECTS})") from None
        raise DownloadFailed(f"HTTP {exc.code} {exc.reason}".rstrip()) from None
    except urllib.error.URLError as exc:
        raise DownloadFailed(_reason(exc.reason, timeout)) from None
    except (OSError, HTTPException, ValueError) as exc:
        raise DownloadFailed(_reason(exc, timeout)) from None
    mime = sniff_image_type(data)
    if mime is None:
        what = declared or "no type"
        raise DownloadFailed(f"not an image: the server said {what}, but the bytes are not a "
                             "PNG, JPEG, GIF, WebP, AVIF, BMP, ICO or SVG image")
    return CachedImage(mime, data)


def _read(response, max_bytes: int, stop_at: float, deadline: float) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = response.read(_CHUNK)
        if not chunk:
            return b"".join(chunks)
        total += len(chunk)
        if total > max_bytes:
            raise DownloadFailed(f"too big: more than the limit of {_size(max_bytes)}")
        if time.monotonic() > stop_at:
            raise DownloadFailed(f"took longer than {deadline:g} s")
        chunks.append(chunk)


def _reason(error: object, timeout: float) -> str:
    """Words for what urllib raised (or gave as a URLError's reason)."""
    if isinstance(error, (TimeoutError, socket.timeout)):
        return f"timed out after {timeout:g} s"
    if isinstance(error, socket.gaierror):
        return "cannot resolve the host name (offline, or a typo in the URL?)"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, ssl.SSLCertVerificationError):
        return f"the server's TLS certificate is not valid ({error.verify_message})"
    if isinstance(error, ssl.SSLError):
        return f"TLS error ({error.reason or error})"
    if isinstance(error, ValueError):
        return f"not a valid URL ({error})"
    if isinstance(error, OSError) and error.strerror:
        return error.strerror[0].lower() + error.strerror[1:]
    if isinstance(error, HTTPException):
        return f"bad HTTP response ({type(error).__name__})"
    return str(error) or type(error).__name__


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MiB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KiB"


# -- one build's remote images ---------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class RemoteImage:
    """What became of one remote image."""

    data_uri: str | None = None
    """The image as a data: URI, if it was downloaded (now or before)."""
    error: str | None = None
    """Why it could not be downloaded; both None: not downloaded, and no attempt was made
    (``deckgen check`` uses the cache only)."""


class RemoteImages:
    """The remote images of one build: from memory, the cache, or (``download``) the network.

    Rendering asks ``get(src)`` for each image. A URL that is not known yet is queued and
    ``get`` returns None: the build then calls ``fetch_pending()``, which downloads the queue in
    parallel, and renders again; after that, ``get`` downloads anything new itself.
    """

    def __init__(self, cache: ImageCache | None = None, download: bool = True) -> None:
        self.cache = cache if cache is not None else ImageCache(cache_dir())
        self.download = download
        self._known: dict[str, RemoteImage] = {}
        self._queue: dict[str, None] = {}
        self._deferring = True
        self.deferred = 0
        """How many times ``get`` answered "not yet": a slide rendered with such an answer is
        rendered again, and must not be kept in a slide cache."""
        self.cache_errors: list[str] = []
        """Why downloaded images could not be written to the cache (they are still embedded)."""

    @property
    def pending(self) -> bool:
        return bool(self._queue)

    def get(self, src: str) -> RemoteImage | None:
        """What the image at ``src`` became; None: queued for ``fetch_pending``."""
        known = self._known.get(src)
        if known is not None:
            return known
        cached = self.cache.get(fetch_url(src))
        if cached is not None:
            known = self._known[src] = RemoteImage(data_uri(cached.mime, cached.data))
            return known
        if not self.download:
            known = self._known[src] = RemoteImage()
            return known
        if self._deferring:
            self._queue[src] = None
            self.deferred += 1
            return None
        self._known[src] = self._fetch(src)
        return self._known[src]

    def fetch_pending(self) -> None:
        """Download every queued image, several at once."""
        queue = list(self._queue)
        self._queue.clear()
        self._deferring = False
        if not queue:
            return
        with ThreadPoolExecutor(max_workers=min(WORKERS, len(queue)),
                                thread_name_prefix="deckgen-download") as pool:
            for src, result in zip(queue, pool.map(self._fetch, queue)):
                self._known[src] = result

    def _fetch(self, src: str) -> RemoteImage:
        url = fetch_url(src)
        try:
            image = download(url)
        except DownloadFailed as exc:
            return RemoteImage(error=str(exc))
        except Exception as exc:
            return RemoteImage(error=f"{type(exc).__name__}: {exc}")
        try:
            self.cache.put(url, image)
        except OSError as exc:
            self.cache_errors.append(f"{exc.strerror or exc}")
        return RemoteImage(data_uri(image.mime, image.data))
