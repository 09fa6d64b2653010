"""Remote images: a warning by default (and not one network request); downloaded, cached and
embedded with ``--embed-remote`` / ``embedRemote: yes``, against a local HTTP server."""

from __future__ import annotations

import base64
import json
import socket
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from deck_helpers import KERAS, png_bytes, top_level_slides

from deckgen import remote
from deckgen.assets import sniff_image_type
from deckgen.build import build_file
from deckgen.cli import main

PNG = png_bytes(2, 2, (10, 200, 30))
OTHER_PNG = png_bytes(3, 1, (0, 0, 255))
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00fake-jpeg-body"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>'
HTML = b"<!doctype html><html><body>Sign in to continue</body></html>"


def b64(mime: str, data: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


class Server:
    """A small image server on 127.0.0.1 that counts the requests it gets, by path."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.release = threading.Event()  # ends the slow endpoint's wait
        self.barrier = threading.Barrier(4, timeout=10)
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                server.requests.append(self.path)
                try:
                    server.respond(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (the slow and huge endpoints)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,),
                                       daemon=True)
        self.thread.start()
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def respond(self, h: BaseHTTPRequestHandler) -> None:
        path = h.path.split("?")[0]
        routes = {
            "/logo.png": ("image/png", PNG), "/other.png": ("image/png", OTHER_PNG),
            "/photo.jpg": ("image/jpeg", JPEG), "/icon.svg": ("image/svg+xml", SVG),
            "/bytes": ("application/octet-stream", PNG), "/page.html": ("text/html", HTML),
            "/fake.png": ("image/png", HTML),
        }
        if path in routes:
            mime, body = routes[path]
            return self.send(h, 200, mime, body)
        if path.startswith("/many/"):
            return self.send(h, 200, "image/png", png_bytes(1, 1, (int(path[6:]), 0, 0)))
        if path.startswith("/together/"):
            self.barrier.wait()  # answers only when four requests are open at once
            return self.send(h, 200, "image/png", png_bytes(1, 1, (0, int(path[10:]), 0)))
        if path == "/slow.png":
            self.release.wait(10)
            return self.send(h, 200, "image/png", PNG)
        if path == "/huge.png":  # says how big it is
            return self.send(h, 200, "image/png", PNG + b"\0" * 200_000)
        if path == "/stream.png":  # does not: the limit is found while reading
            h.send_response(200)
            h.send_header("Content-Type", "image/png")
            h.end_headers()
            h.wfile.write(PNG + b"\0" * 200_000)
            h.close_connection = True
            return None
        if path == "/moved.png":
            return self.redirect(h, "/logo.png")
        if path == "/loop.png":
            return self.redirect(h, "/loop.png?again")
        if path == "/to-file.png":
            return self.redirect(h, "file:///etc/passwd")
        return self.send(h, 404, "text/html", b"not here")

    @staticmethod
    def send(h: BaseHTTPRequestHandler, status: int, mime: str, body: bytes) -> None:
        h.send_response(status)
        h.send_header("Content-Type", mime)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    @staticmethod
    def redirect(h: BaseHTTPRequestHandler, to: str) -> None:
        h.send_response(302)
        h.send_header("Location", to)
        h.send_header("Content-Length", "0")
        h.end_headers()

    def stop(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch):
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy",
                 "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    monkeypatch.setattr(remote, "TIMEOUT", 10.0)  # generous: the machine may be busy
    monkeypatch.setattr(remote, "MAX_BYTES", 100_000)
    monkeypatch.setattr(remote, "MAX_REDIRECTS", 3)
    running = Server()
    yield running
    running.stop()


@pytest.fixture
def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("DECKGEN_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every way out to the network, recorded and refused (the test then asserts none)."""
    attempts: list[str] = []

    def refuse(what):
        def refused(*args, **kwargs):
            attempts.append(f"{what}{args[1:2]}")
            raise OSError(f"test: no network ({what})")
        return refused

    monkeypatch.setattr(socket.socket, "connect", refuse("connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("connect_ex"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    monkeypatch.setattr(urllib.request.OpenerDirector, "open", refuse("urlopen"))
    return attempts


def write_deck(folder: Path, body: str, header: str = "title: remote\n",
               name: str = "deck.txt") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    deck = folder / name
    deck.write_text(header + "[slide]\n" + body, encoding="utf-8")
    return deck


def img_srcs(html: str) -> list[str]:
    return [img.get("src") for slide in top_level_slides(html) for img in slide.iter("img")]


def warnings_of(result, *codes: str) -> list[tuple[int | None, str, str]]:
    return [(d.line, d.code, d.message) for d in result.diagnostics if d.code in codes]


# -- by default: warned about, never fetched ---------------------------------------------------------

def test_the_default_build_warns_and_makes_no_network_request(tmp_path: Path, no_network,
                                                               cache: Path) -> None:
    deck = write_deck(tmp_path, (
        "![logo](https://example.com/logo.png) and ![](https://example.com/logo.png)\n"  # 3
        "\n"
        '<img src="http://example.com/a.png"> <img src="//cdn.example.com/b.png">\n'     # 5
        "\n"
        "[a link](https://example.com/page) and <a href='https://example.com/x.png'>x</a>\n"
        "\n"
        "![again](https://example.com/logo.png)\n"                                       # 9
        '[slide style="background-image: url(https://example.com/bg.jpg)"]\n'          # 10
        '<div>![](data:image/png;base64,iVBORw0KGgo=)</div>\n'))
    result = build_file(deck)
    assert no_network == []
    assert [(line, code) for line, code, _ in warnings_of(result, "remote-resource")] == [
        (3, "remote-resource"), (5, "remote-resource"), (5, "remote-resource"),
        (9, "remote-resource"), (10, "remote-resource")]  # once per URL and line; links never
    messages = [m for _, _, m in warnings_of(result, "remote-resource")]
    assert messages[0] == (
        "remote image https://example.com/logo.png: the page needs the network to show it "
        "(offline it is a placeholder); to put it in the page, build with --embed-remote or set "
        "'embedRemote: yes'")
    assert "//host address opened from a file means file://host" in messages[2]
    assert messages[4].startswith("remote background image https://example.com/bg.jpg: ")
    assert img_srcs(result.html)[:4] == ["https://example.com/logo.png"] * 2 + [
        "http://example.com/a.png", "//cdn.example.com/b.png"]
    assert not cache.exists()


def test_keras_warns_about_its_two_remote_images_offline(no_network) -> None:
    result = build_file(KERAS)
    assert no_network == []
    assert [(line, m.split(":", 2)[1].strip()[:40]) for line, _, m in
            warnings_of(result, "remote-resource")] == [
        (10, "//s3.amazonaws.com/keras.io/img/keras-lo"),
        (49, "//s3.amazonaws.com/keras.io/img/dl_frame")]


def test_check_reports_remote_images_too(tmp_path: Path, no_network,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    deck = write_deck(tmp_path, "![](https://example.com/logo.png)\n")
    with pytest.raises(SystemExit) as exit_:
        main(["check", str(deck), "--format", "json", "-j", "1"])
    assert exit_.value.code == 0
    found = json.loads(capsys.readouterr().out)
    assert [(d["line"], d["code"]) for d in found] == [(3, "remote-resource")]
    assert no_network == []


# -- --embed-remote ----------------------------------------------------------------------------------

def test_embedding_downloads_caches_and_works_offline_afterwards(
        tmp_path: Path, server: Server, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    base = server.base
    deck = write_deck(tmp_path, (
        f"![logo]({base}/logo.png)\n"                                          # 3
        "\n"
        f'<img src="{base}/photo.jpg" alt="photo"> <img src="{base}/icon.svg">\n'  # 5
        "\n"
        f"![bytes]({base}/bytes) ![moved]({base}/moved.png)\n"                  # 7
        f'[slide style="background: url({base}/other.png) center"]\n'           # 8
        f"![logo again]({base}/logo.png)\n"))
    result = build_file(deck, embed_remote=True)
    assert result.diagnostics == []
    assert img_srcs(result.html) == [
        b64("image/png", PNG), b64("image/jpeg", JPEG), b64("image/svg+xml", SVG),
        b64("image/png", PNG), b64("image/png", PNG), b64("image/png", PNG)]
    assert top_level_slides(result.html)[1].get("style") == (
        f"background: url('{b64('image/png', OTHER_PNG)}') center")
    assert base not in result.html
    # Each URL was fetched once (the redirect twice over: its own address, then the target).
    assert sorted(server.requests) == sorted(["/logo.png", "/photo.jpg", "/icon.svg", "/bytes",
                                              "/moved.png", "/logo.png", "/other.png"])
    blobs = sorted(p.name for p in (cache / "remote" / "blobs").iterdir())
    entries = [json.loads(p.read_text()) for p in (cache / "remote" / "urls").iterdir()]
    assert len(blobs) == 4  # content-addressed: logo.png, /bytes and /moved.png are one file
    assert sorted(e["url"] for e in entries) == sorted(
        f"{base}{p}" for p in ("/logo.png", "/photo.jpg", "/icon.svg", "/bytes", "/moved.png",
                               "/other.png"))
    assert all(e["sha256"] in blobs for e in entries)

    # Server gone, no network at all: the same page, from the cache.
    server.stop()
    monkeypatch.setattr(socket.socket, "connect", lambda *a: pytest.fail("network used"))
    monkeypatch.setattr(urllib.request.OpenerDirector, "open",
                        lambda *a, **k: pytest.fail("network used"))
    again = build_file(deck, embed_remote=True)
    assert again.diagnostics == []
    assert again.html == result.html


def test_each_failure_is_one_warning_with_its_line_url_and_reason(
        tmp_path: Path, server: Server, closed_port: int, cache: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(remote, "TIMEOUT", 2.0)  # the slow endpoint answers only at the end
    base = server.base
    cases = [
        ("/slow.png", "timed out after 2 s"),
        ("/huge.png", "too big: 195 KiB, the limit is 98 KiB"),
        ("/stream.png", "too big: more than the limit of 98 KiB"),
        ("/page.html", "not an image: the server sent text/html"),
        ("/fake.png", "not an image: the server said image/png, but the bytes are not a PNG, "
                      "JPEG, GIF, WebP, AVIF, BMP, ICO or SVG image"),
        ("/missing.png", "HTTP 404 Not Found"),
        ("/loop.png", "too many redirects (more than 3)"),
        ("/to-file.png", "redirected to file:///etc/passwd, which is not an http(s) URL"),
    ]
    urls = [base + path for path, _ in cases] + [f"http://127.0.0.1:{closed_port}/x.png"]
    reasons = [reason for _, reason in cases] + ["connection refused"]
    body = "".join(f"![]({url})\n\n" for url in urls)
    deck = write_deck(tmp_path, body + f"<img src='{base}/logo.png'>\n")
    result = build_file(deck, embed_remote=True)
    got = warnings_of(result, "remote-download-failed", "remote-resource")
    assert [(line, code) for line, code, _ in got] == [
        (3 + 2 * i, "remote-download-failed") for i in range(len(urls))]
    for (_, _, message), url, reason in zip(got, urls, reasons):
        assert message == (f"could not embed the remote image {url}: {reason}; it stays remote "
                           "(the page needs the network to show it)")
    # Failed images stay as written (the browser shows a placeholder when they fail there
    # too); the good one is embedded, and only it is cached.
    assert img_srcs(result.html) == urls + [b64("image/png", PNG)]
    assert len(list((cache / "remote" / "urls").iterdir())) == 1


def test_images_download_in_parallel(tmp_path: Path, server: Server, cache: Path) -> None:
    # The server answers /together/ only when four of them are open at once: one at a time,
    # the first would wait until the barrier gives up.
    body = "".join(f"![]({server.base}/together/{i})\n" for i in range(4))
    body += "".join(f"![]({server.base}/many/{i})\n" for i in range(16))
    result = build_file(write_deck(tmp_path, body), embed_remote=True)
    assert result.diagnostics == []
    assert all(src.startswith("data:image/png;base64,") for src in img_srcs(result.html))
    assert len(server.requests) == 20


def test_the_header_key_turns_embedding_on(tmp_path: Path, server: Server, cache: Path) -> None:
    deck = write_deck(tmp_path, f"![]({server.base}/logo.png)\n",
                      header="title: t\nembedRemote: yes\n")
    result = build_file(deck)
    assert result.diagnostics == []
    assert img_srcs(result.html) == [b64("image/png", PNG)]


def test_a_bad_header_value_is_a_warning_and_means_no(tmp_path: Path, server: Server) -> None:
    deck = write_deck(tmp_path, f"![]({server.base}/logo.png)\n",
                      header="title: t\nembedRemote: please\n")
    result = build_file(deck)
    assert [(line, code) for line, code, _ in
            warnings_of(result, "bad-embed-remote", "remote-resource")] == [
        (2, "bad-embed-remote"), (4, "remote-resource")]
    assert server.requests == []


def test_check_never_downloads_but_uses_the_cache(
        tmp_path: Path, server: Server, cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deck = write_deck(tmp_path, f"![]({server.base}/logo.png)\n",
                      header="title: t\nembedRemote: yes\n")
    with pytest.raises(SystemExit) as exit_:
        main(["check", str(deck), "--format", "json", "-j", "1", "--strict"])
    assert exit_.value.code == 0 and json.loads(capsys.readouterr().out) == []
    assert server.requests == [] and not cache.exists()
    # The check's build embeds what the cache has.
    build_file(deck)
    assert build_file(deck, download=False).html == build_file(deck).html
    assert server.requests == ["/logo.png"]


def test_the_cli_flag_embeds(tmp_path: Path, server: Server, cache: Path,
                             capsys: pytest.CaptureFixture[str]) -> None:
    deck = write_deck(tmp_path, f"<img src='{server.base}/photo.jpg'>\n")
    out = tmp_path / "out.html"
    with pytest.raises(SystemExit) as exit_:
        main(["build", str(deck), "-o", str(out), "--embed-remote", "--strict"])
    assert exit_.value.code == 0
    assert img_srcs(out.read_text(encoding="utf-8")) == [b64("image/jpeg", JPEG)]
    with pytest.raises(SystemExit) as exit_:
        main(["build", str(deck), "-o", str(out), "--strict"])
    assert exit_.value.code == 1
    assert "remote image" in capsys.readouterr().err


def test_a_site_build_rebuilds_when_the_flag_changes_and_retries_failures(
        tmp_path: Path, server: Server, cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    decks = tmp_path / "decks"
    write_deck(decks, f"![]({server.base}/logo.png)\n", name="good.txt")
    write_deck(decks, f"![]({server.base}/missing.png)\n", name="bad.txt")
    site = tmp_path / "site"

    def build(*flags: str) -> str:
        with pytest.raises(SystemExit):
            main(["build", str(decks), "-o", str(site), "-j", "1", *flags])
        return capsys.readouterr().out.splitlines()[-1]

    assert "2 built, 0 up to date" in build()
    assert "0 built, 2 up to date" in build()
    assert "2 built, 0 up to date" in build("--embed-remote")
    assert img_srcs((site / "good.html").read_text(encoding="utf-8")) == [b64("image/png", PNG)]
    # The deck whose download failed is tried again; the other one is up to date.
    assert "1 built, 1 up to date" in build("--embed-remote")
    assert server.requests.count("/missing.png") == 2
    assert server.requests.count("/logo.png") == 1
    assert "2 built, 0 up to date" in build()  # the flag is gone: back to links
    assert img_srcs((site / "good.html").read_text(encoding="utf-8")) == [
        f"{server.base}/logo.png"]


# -- the cache -----------------------------------------------------------------------------------

def test_a_damaged_cache_entry_is_downloaded_again(tmp_path: Path, server: Server,
                                                   cache: Path) -> None:
    deck = write_deck(tmp_path, f"![]({server.base}/logo.png)\n")
    first = build_file(deck, embed_remote=True)
    (blob,) = (cache / "remote" / "blobs").iterdir()
    blob.write_bytes(b"\x89PNG\r\n\x1a\ncorrupted")
    again = build_file(deck, embed_remote=True)
    assert again.html == first.html and server.requests == ["/logo.png", "/logo.png"]
    assert blob.read_bytes() == PNG


def test_an_unwritable_cache_is_a_warning_and_the_image_still_embedded(
        tmp_path: Path, server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    not_a_folder = tmp_path / "cache-file"
    not_a_folder.write_text("x")
    monkeypatch.setenv("DECKGEN_CACHE_DIR", str(not_a_folder))
    result = build_file(write_deck(tmp_path, f"![]({server.base}/logo.png)\n"),
                        embed_remote=True)
    assert img_srcs(result.html) == [b64("image/png", PNG)]
    assert [(d.line, d.code) for d in result.diagnostics] == [(None, "remote-cache-failed")]
    assert str(not_a_folder) in result.diagnostics[0].message


def test_the_cache_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DECKGEN_CACHE_DIR", str(tmp_path / "mine"))
    assert remote.cache_dir() == tmp_path / "mine"
    monkeypatch.delenv("DECKGEN_CACHE_DIR")
    monkeypatch.setattr(remote.sys, "platform", "linux")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert remote.cache_dir() == tmp_path / "xdg" / "deckgen"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert remote.cache_dir() == tmp_path / "home" / ".cache" / "deckgen"
    monkeypatch.setattr(remote.sys, "platform", "darwin")
    assert remote.cache_dir() == tmp_path / "home" / "Library" / "Caches" / "deckgen"
    monkeypatch.setattr(remote.sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "local"))
    assert remote.cache_dir() == tmp_path / "local" / "deckgen" / "Cache"


@pytest.mark.parametrize(("data", "mime"), [
    (PNG, "image/png"), (JPEG, "image/jpeg"), (b"GIF89a...", "image/gif"),
    (b"RIFF\x10\x00\x00\x00WEBPVP8 ", "image/webp"),
    (b"\x00\x00\x00\x1cftypavif\x00\x00", "image/avif"), (b"\x00\x00\x01\x00\x01\x00", "image/x-icon"),
    (SVG, "image/svg+xml"), (b'\xef\xbb\xbf<?xml version="1.0"?>\n<svg/>', "image/svg+xml"),
    (b"<!-- drawn by hand -->\n<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml"),
    (HTML, None), (b"<?xml version='1.0'?><html><svg/></html>", None), (b"", None),
    (b"plain text", None),
])
def test_sniffing_image_types(data: bytes, mime: str | None) -> None:
    assert sniff_image_type(data) == mime


def test_serves_slide_cache_never_keeps_a_slide_rendered_before_its_download(
        tmp_path: Path, server: Server, cache: Path) -> None:
    from deckgen.build import build_source
    from deckgen.render import SlideCache
    from deckgen.source import read_source

    deck = write_deck(tmp_path, f"# one\n[slide]\n![]({server.base}/logo.png)\n",
                      header="title: t\nembedRemote: yes\n")
    slides = SlideCache()
    first = build_source(read_source(deck), slides)
    assert img_srcs(first.html) == [b64("image/png", PNG)]  # not the first pass's link
    # The second pass re-rendered only the slide with the image.
    assert (slides.misses, slides.hits) == (3, 1)
    again = build_source(read_source(deck), slides)
    assert again.html == first.html and (slides.misses, slides.hits) == (3, 3)
    assert server.requests == ["/logo.png"]
