"""The preview's HTTP side: pages, a few files, and the event stream pages listen to.

Stdlib ``ThreadingHTTPServer`` (as MkDocs does). Each request is HTTP/1.0 and closes, so idle
browsers hold no threads; an event-stream thread ends as soon as its page goes away.

Two guards run before anything is served. ``HostCheck``: a request whose ``Host`` header names
something other than the address the server is bound to gets 403, so a web page whose name an
attacker re-points at 127.0.0.1 (DNS rebinding) cannot read the preview. ``same_origin``: the
``/__deckgen/`` endpoints answer only the preview's own pages (no foreign ``Origin``, no
``Sec-Fetch-Site`` other than ``same-origin`` or ``none``).
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import mimetypes
import os
import re
import select
import socket
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, cast
from urllib.parse import parse_qs, unquote, urlsplit

if TYPE_CHECKING:
    from .app import Preview

ENDPOINTS = "/__deckgen/"
EVENTS = "/__deckgen/events"
UPDATE = "/__deckgen/update"
STATUS = "/__deckgen/status"
_HEARTBEAT = 15.0


# -- addresses ----------------------------------------------------------------------------------

_HOSTNAME = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.?",
                       re.IGNORECASE)
_ADDRESS_HELP = "expected HOST:PORT, e.g. 127.0.0.1:8000 or localhost:8000 (IPv6: [::1]:8000)"


def parse_address(text: str) -> tuple[str, int]:
    """``HOST:PORT`` or ``[IPv6]:PORT``, as ``mkdocs serve -a`` takes it, as (host, port).

    Raises ``ValueError`` with a message that says what is wrong.
    """
    value = text.strip()
    if value.startswith("["):
        end = value.find("]")
        if end == -1 or not value.startswith(":", end + 1):
            raise ValueError(f"{text!r}: {_ADDRESS_HELP}")
        host, port_text = value[1:end], value[end + 2:]
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            raise ValueError(f"{text!r}: {host!r} is not an IPv6 address") from None
    else:
        host, colon, port_text = value.rpartition(":")
        if not colon or not host:
            raise ValueError(f"{text!r}: {_ADDRESS_HELP}")
        if ":" in host:
            raise ValueError(f"{text!r}: write an IPv6 address in brackets, e.g. [::1]:8000")
        if not _HOSTNAME.fullmatch(host):
            raise ValueError(f"{text!r}: {host!r} is not an IP address or host name")
    if not (port_text.isascii() and port_text.isdigit()):
        raise ValueError(f"{text!r}: the port must be a number from 0 to 65535 "
                         "(0 picks a free one)")
    port = int(port_text)
    if port > 65535:
        raise ValueError(f"{text!r}: port {port} is out of range (0 to 65535; 0 picks a free one)")
    return host, port


def url_host(host: str) -> str:
    """A host as it is written in a URL or a Host header (IPv6 in brackets)."""
    return f"[{host}]" if ":" in host else host


def split_host(value: str) -> tuple[str, int | None] | None:
    """A ``Host`` header as (lower-case name, port or None), or None if it is malformed."""
    value = value.strip().lower()
    if value.startswith("["):
        end = value.find("]")
        if end == -1:
            return None
        name, rest = value[:end + 1], value[end + 1:]
    else:
        name, colon, port = value.partition(":")
        rest = colon + port
    if not name:
        return None
    if not rest:
        return name, None
    digits = rest[1:]
    if rest[0] != ":" or not (digits.isascii() and digits.isdigit()):
        return None
    return name, int(digits)


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address a URL host (``[::1]`` or ``127.0.0.1``) is, or None for a name."""
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]"})


def _machine_names() -> set[str]:
    names = set()
    with contextlib.suppress(OSError):
        short = socket.gethostname().lower()
        if short:
            names |= {short, f"{short.split('.')[0]}.local"}
        names.add(socket.getfqdn().lower())
    return {name for name in names if name and _HOSTNAME.fullmatch(name)}


@dataclass(frozen=True, slots=True)
class HostCheck:
    """The ``Host`` headers the preview answers.

    Bound to a loopback address: ``127.0.0.1``, ``localhost`` and ``[::1]`` (and the address
    itself). Bound to one address or name: that, and the address it resolved to. Bound to every
    interface (``0.0.0.0``, ``::``): any IP address, ``localhost`` and this machine's own names
    (``gethostname()``, its ``.local`` mDNS name, the FQDN); a name an attacker controls is none
    of those. Each needs the server's port, except that port 80 may be left out, as browsers do.
    A request without ``Host`` (HTTP/1.0 tools) passes: browsers always send one.
    """

    port: int
    names: frozenset[str]
    any_ip: bool = False

    @classmethod
    def for_bind(cls, given: str, bound: str, port: int,
                 machine_names: set[str] | None = None) -> HostCheck:
        ip = _ip(bound.split("%")[0])
        if ip is not None and ip.is_unspecified:
            names = {"localhost"} | (_machine_names() if machine_names is None else machine_names)
            return cls(port, frozenset(names), any_ip=True)
        names = {url_host(given).lower(), url_host(bound).lower()}
        if ip is not None and ip.is_loopback:
            names |= LOOPBACK_HOSTS
        return cls(port, frozenset(names))

    def allows(self, header: str | None) -> bool:
        if header is None:
            return True
        parsed = split_host(header)
        if parsed is None:
            return False
        name, port = parsed
        if port != self.port and not (port is None and self.port == 80):
            return False
        return name in self.names or (self.any_ip and _ip(name) is not None)


def is_loopback(address: str) -> bool:
    """Whether a bound address is reachable from this machine only."""
    ip = _ip(address.split("%")[0])
    return ip is not None and ip.is_loopback


def local_url(address: str, port: int) -> str:
    """Where a browser on this machine finds a server bound to ``address`` (the loopback
    address for one bound to every interface)."""
    ip = _ip(address.split("%")[0])
    if ip is not None and ip.is_unspecified:
        address = "::1" if ip.version == 6 else "127.0.0.1"
    return f"http://{url_host(address)}:{port}/"


def _family(host: str, port: int) -> socket.AddressFamily:
    try:
        infos = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM,
                                   flags=socket.AI_PASSIVE)
    except (OSError, UnicodeError):
        return socket.AF_INET  # binding says what is wrong with the name
    families = {info[0] for info in infos}
    # A name with both (localhost) stays on IPv4, as before; "::1", "::" need IPv6.
    return socket.AF_INET6 if families == {socket.AF_INET6} else socket.AF_INET


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], preview: Preview, verbose: bool = False) -> None:
        self.preview = preview
        self.verbose = verbose
        self.address_family = _family(*address)
        super().__init__(address, Handler)
        self.hosts = HostCheck.for_bind(address[0], *self.bound)

    def server_bind(self) -> None:
        if self.address_family == socket.AF_INET6 and self.server_address[0] in ("::", ""):
            with contextlib.suppress(OSError, AttributeError):  # "::" takes IPv4 too
                self.socket.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        super().server_bind()

    @property
    def bound(self) -> tuple[str, int]:
        """The address and port the socket is bound to."""
        host, port = self.server_address[:2]
        # server_bind set server_address to the socket's name, whose host is a str for IPv4
        # and IPv6 (typeshed's type also allows the bytes an address may be given as).
        return cast(str, host), port

    @property
    def loopback(self) -> bool:
        """Whether only this machine can reach the server."""
        return is_loopback(self.bound[0])

    @property
    def url(self) -> str:
        return local_url(*self.bound)

    def handle_error(self, request, client_address) -> None:
        # A browser that goes away mid-response is normal for a preview server.
        if self.verbose:
            super().handle_error(request, client_address)


def safe_path(root: Path, url_path: str) -> Path | None:
    """The file under ``root`` that a URL path names, or None if it is not plainly inside.

    Rejects ``..`` and ``.`` segments (also percent-encoded), backslashes, NUL, hidden files,
    and anything whose real path (after symlinks) leaves ``root``.
    """
    path = unquote(url_path)
    if "\\" in path or "\x00" in path:
        return None
    parts = [part for part in path.split("/") if part]
    if any(part in (".", "..") or part.startswith(".") for part in parts):
        return None
    candidate = root.joinpath(*parts)
    try:
        real = candidate.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    root_real = root.resolve()
    if real != root_real and root_real not in real.parents:
        return None
    return real if real.is_file() else None


class Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "deckgen"

    def log_message(self, format: str, *args) -> None:
        if self.server.verbose:
            super().log_message(format, *args)

    def do_HEAD(self) -> None:
        self._dispatch(head=True)

    def do_GET(self) -> None:
        self._dispatch(head=False)

    def _dispatch(self, head: bool) -> None:
        try:
            url = urlsplit(self.path)
            query = parse_qs(url.query)
            preview = self.server.preview
            refusal = self._refusal(url.path)
            if refusal is not None:
                self._send(HTTPStatus.FORBIDDEN, "text/plain; charset=utf-8",
                           refusal.encode("utf-8"), head)
                return
            if url.path == EVENTS:
                self._events(query.get("deck", [""])[0], query.get("v", ["0"])[0])
            elif url.path == UPDATE:
                deck = preview.deck(query.get("deck", [""])[0])
                if deck is None:
                    self._send_json({"reload": True, "version": 0}, head)
                else:
                    self._send_json(deck.update_since(_int(query.get("from", ["0"])[0])), head)
            elif url.path == STATUS:
                self._send_json(preview.status(), head)
            else:
                page = preview.page(url.path)
                if page is not None:
                    self._send(HTTPStatus.OK, "text/html; charset=utf-8", page.encode("utf-8"),
                               head)
                    return
                file = safe_path(preview.root, url.path)
                if file is None:
                    self._send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8",
                               b"404 not found\n", head)
                    return
                kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
                self._send(HTTPStatus.OK, kind, file.read_bytes(), head)
        except (TimeoutError, BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _refusal(self, path: str) -> str | None:
        """Why this request is refused (403), or None."""
        hosts = self.headers.get_all("Host") or []
        if len(hosts) > 1 or not self.server.hosts.allows(hosts[0] if hosts else None):
            shown = ", ".join(repr(h[:100]) for h in hosts)
            return (f"deckgen serve does not answer requests for host {shown}: this preview is "
                    f"{self.server.url} (a guard against DNS rebinding; see docs/serve.md)\n")
        if path.startswith(ENDPOINTS) and not same_origin(self.headers):
            origin = self.headers.get("Origin")
            source = (f"a page of {origin[:100]!r}" if origin else
                      f"a {self.headers.get('Sec-Fetch-Site', '')[:20]} page")
            return (f"deckgen serve: {ENDPOINTS} answers only the preview's own pages, not "
                    f"{source}\n")
        return None

    def _send(self, status: HTTPStatus, kind: str, body: bytes, head: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _send_json(self, data: dict, head: bool = False) -> None:
        self._send(HTTPStatus.OK, "application/json", json.dumps(data).encode("utf-8"), head)

    def _events(self, name: str, client_version: str) -> None:
        """Server-Sent Events: the deck's state now, then every time it changes."""
        preview = self.server.preview
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(b"retry: 500\n\n")
        self.wfile.flush()
        sent = None
        seen = -1
        quiet = 0.0
        while not preview.stopping:
            seen, state = preview.wait_for_change(seen, name, timeout=0.5)
            if state != sent:
                self.wfile.write(f"data: {json.dumps(state)}\n\n".encode())
                self.wfile.flush()
                sent, quiet = state, 0.0
            else:
                quiet += 0.5
                if quiet >= _HEARTBEAT:
                    self.wfile.write(b": ping\n\n")
                    self.wfile.flush()
                    quiet = 0.0
            if _peer_closed(self.connection):
                break
        self.close_connection = True


def same_origin(headers) -> bool:
    """Whether a request comes from a page of this server (or from no page: a typed URL, a tool).

    ``Sec-Fetch-Site`` (sent by current browsers) must be ``same-origin`` or ``none``; an
    ``Origin`` must be ``http://`` and the request's own ``Host``.
    """
    site = headers.get("Sec-Fetch-Site")
    if site is not None and site.strip().lower() not in ("same-origin", "none"):
        return False
    origin = headers.get("Origin")
    if origin is None:
        return True
    host = headers.get("Host")
    if host is None or not origin.lower().startswith("http://"):
        return False
    mine, theirs = split_host(host), split_host(origin[len("http://"):])
    if mine is None or theirs is None:
        return False
    return (mine[0], mine[1] or 80) == (theirs[0], theirs[1] or 80)


def _peer_closed(sock: socket.socket) -> bool:
    try:
        readable, _, _ = select.select([sock], [], [], 0)
        if not readable:
            return False
        return sock.recv(1, socket.MSG_PEEK) == b""
    except (OSError, ValueError):
        return True


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        return -1


mimetypes.add_type("text/markdown", ".md")
if os.name == "nt":  # pragma: no cover - Windows registry types are unreliable
    mimetypes.add_type("text/javascript", ".js")
