"""The preview's HTTP side: pages, a few files, and the event stream pages listen to.

Stdlib ``ThreadingHTTPServer`` (as MkDocs does). Each request is HTTP/1.0 and closes, so idle
browsers hold no threads; an event-stream thread ends as soon as its page goes away.
"""

from __future__ import annotations

import json
import mimetypes
import os
import select
import socket
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, unquote, urlsplit

if TYPE_CHECKING:
    from .app import Preview

EVENTS = "/__deckgen/events"
UPDATE = "/__deckgen/update"
STATUS = "/__deckgen/status"
_HEARTBEAT = 15.0


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], preview: Preview, verbose: bool = False) -> None:
        self.preview = preview
        self.verbose = verbose
        super().__init__(address, Handler)

    def handle_error(self, request, client_address) -> None:  # noqa: ANN001
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

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        if self.server.verbose:
            super().log_message(format, *args)

    def do_HEAD(self) -> None:  # noqa: N802
        self._dispatch(head=True)

    def do_GET(self) -> None:  # noqa: N802
        self._dispatch(head=False)

    def _dispatch(self, head: bool) -> None:
        try:
            url = urlsplit(self.path)
            query = parse_qs(url.query)
            preview = self.server.preview
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
        except (BrokenPipeError, ConnectionResetError, socket.timeout):
            self.close_connection = True

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
                self.wfile.write(f"data: {json.dumps(state)}\n\n".encode("utf-8"))
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
