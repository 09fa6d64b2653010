"""deckgen serve without a browser: rebuild counting, path safety, load, shutdown."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from deckgen.serve import start
from deckgen.serve.server import safe_path

ROOT = Path(__file__).resolve().parents[1]
KERAS = ROOT / "decks" / "keras.txt"


def wait_until(condition, timeout: float = 5.0, interval: float = 0.01):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("condition not met in time")


def settle(deck, after: int | None = None, quiet: float = 0.4, timeout: float = 5.0) -> int:
    """Wait until the deck's rebuild count has not moved for ``quiet`` seconds (first, until it
    has passed ``after``: a quiet period before the rebuild even started proves nothing)."""
    if after is not None:
        wait_until(lambda: deck.builds > after, timeout=timeout)
    deadline = time.monotonic() + timeout
    last, since = deck.builds, time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.02)
        if deck.builds != last:
            last, since = deck.builds, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return last
    raise AssertionError("rebuilds never settled")


@pytest.fixture
def deck_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "talk"
    folder.mkdir()
    shutil.copy(KERAS, folder / "keras.txt")
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4 not really")
    return folder


@pytest.fixture
def running(deck_dir: Path):
    handle = start(deck_dir / "keras.txt", port=0)
    yield handle
    handle.stop()


def get(running, path: str) -> tuple[int, bytes]:
    host, port = running.server.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=5)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def edit(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


# -- serving ---------------------------------------------------------------------------------

def test_serves_the_built_deck_with_the_live_snippet(running):
    status, body = get(running, "/")
    page = body.decode("utf-8")
    assert status == 200
    assert page.count('<section class="slide') == 21
    assert 'id="deckgen-live"' in page and "EventSource" in page
    # The snippet is the only difference from `deckgen build` output.
    from deckgen.build import build_file

    built = build_file(running.preview.single.path).html
    assert "deckgen-live" not in built
    start_at = page.index('<script id="deckgen-live"')
    end_at = page.rindex("</body>")
    assert page[:start_at] + page[end_at:] == built


def test_serves_files_under_the_deck_folder(running):
    status, body = get(running, "/notes.pdf")
    assert status == 200 and body.startswith(b"%PDF")


@pytest.mark.parametrize("path", [
    "/../../../../etc/passwd",
    "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/%2E%2E%2f%2E%2E%2fetc/passwd",
    "/..%5c..%5c..%5cetc/passwd",
    "/..\\..\\etc\\passwd",
    "//etc/passwd",
    "/%2fetc/passwd",
    "/.hidden",
    "/outside-link/secret.txt",
    "/escape.txt",
])
def test_traversal_attempts_get_404(running, deck_dir: Path, path: str):
    secret = deck_dir.parent / "secret.txt"
    secret.write_text("top secret")
    (deck_dir / ".hidden").write_text("hidden")
    os.symlink(deck_dir.parent, deck_dir / "outside-link")
    os.symlink(secret, deck_dir / "escape.txt")
    status, body = get(running, path)
    assert status == 404
    assert b"top secret" not in body and b"root:" not in body


def test_safe_path_allows_plain_files_only_inside(tmp_path: Path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "b.png").write_bytes(b"x")
    assert safe_path(tmp_path, "/a/b.png") == (tmp_path / "a" / "b.png").resolve()
    assert safe_path(tmp_path, "/a/%62.png") == (tmp_path / "a" / "b.png").resolve()
    assert safe_path(tmp_path, "/a") is None  # folders are not listed
    assert safe_path(tmp_path, "/a/../a/b.png") is None


# -- rebuilds --------------------------------------------------------------------------------

def _write_rename(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.swp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _truncate_write(path: Path, text: str) -> None:
    with path.open("w", encoding="utf-8") as handle:
        handle.flush()
        os.fsync(handle.fileno())
        half = len(text) // 2
        handle.write(text[:half])
        handle.flush()
        time.sleep(0.005)
        handle.write(text[half:])


def _delete_create(path: Path, text: str) -> None:
    path.unlink()
    time.sleep(0.005)
    path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("save", [_write_rename, _truncate_write, _delete_create],
                         ids=["write+rename", "truncate+write", "delete+create"])
def test_each_editor_save_pattern_gives_one_rebuild(deck_dir: Path, save):
    # Each save's steps are microseconds apart (5 ms in two of them); the debounce window is
    # widened from 50 ms so that a test process the machine stalls mid-save still sees one save.
    running = start(deck_dir / "keras.txt", port=0, debounce=0.25)
    try:
        deck = running.preview.single
        deck_file = deck_dir / "keras.txt"
        before = settle(deck)
        version = deck.version
        for n in range(3):
            text = deck_file.read_text(encoding="utf-8").replace("# Keras入门",
                                                                  f"# Keras入门 v{n}", 1)
            save(deck_file, text)
            after = settle(deck, after=before)
            assert after == before + 1, f"save {n} caused {after - before} rebuilds"
            assert deck.version == version + 1
            assert deck.error is None
            before, version = after, deck.version
        _status, body = get(running, "/")
        assert "Keras入门 v2" in body.decode("utf-8")
    finally:
        running.stop()


def test_watch_survives_rename_over_the_deck(running, deck_dir: Path):
    deck_file = deck_dir / "keras.txt"
    for n in range(5):
        _write_rename(deck_file, deck_file.read_text(encoding="utf-8") + f"\n[slide]\nextra {n}\n")
        wait_until(lambda n=n: f"extra {n}" in get(running, "/")[1].decode("utf-8"))


def test_build_error_keeps_last_good_deck_and_clears_when_fixed(running, deck_dir: Path):
    deck = running.preview.single
    deck_file = deck_dir / "keras.txt"
    good_version = deck.version
    edit(deck_file, "theme: light", "theme: lihgt")
    wait_until(lambda: deck.error is not None)
    assert deck.error.endswith("unknown theme 'lihgt' (did you mean 'light'?); available: "
                               "blue, colors, dark, green, light, moon, or a path to a .css file")
    assert deck.error.startswith(str(Path(deck.display)) + ":2: ")
    status, body = get(running, "/")
    assert status == 200 and body.decode("utf-8").count('<section class="slide') == 21
    assert deck.version == good_version
    edit(deck_file, "theme: lihgt", "theme: dark")
    wait_until(lambda: deck.error is None)
    assert deck.version == good_version + 1


def test_deleted_and_recreated_deck_is_picked_up(running, deck_dir: Path):
    deck = running.preview.single
    deck_file = deck_dir / "keras.txt"
    text = deck_file.read_text(encoding="utf-8")
    deck_file.unlink()
    wait_until(lambda: deck.error is not None and "no such file" in deck.error)
    deck_file.write_text(text.replace("# Keras入门", "# Back again", 1), encoding="utf-8")
    wait_until(lambda: deck.error is None and "Back again" in get(running, "/")[1].decode())


def test_an_image_the_deck_uses_is_watched(running, deck_dir: Path):
    deck = running.preview.single
    deck_file = deck_dir / "keras.txt"
    edit(deck_file, "# Keras入门\n", "# Keras入门\n\n![logo](img/logo.png)\n")
    wait_until(lambda: any("image not found: img/logo.png" in w for w in deck.warnings))
    (deck_dir / "img").mkdir()
    png = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00"
           b"\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00"
           b"\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")
    (deck_dir / "img" / "logo.png").write_bytes(png)
    wait_until(lambda: not any("logo.png" in w for w in deck.warnings))
    assert "data:image/png;base64," in get(running, "/")[1].decode()


def test_only_changed_slides_are_rendered_again(running, deck_dir: Path):
    deck = running.preview.single
    cache = deck.cache
    misses = cache.misses
    builds = deck.builds
    edit(deck_dir / "keras.txt", "评估模型性能", "评估模型的性能")
    wait_until(lambda: cache.misses > misses)
    settle(deck, after=builds)
    assert cache.misses == misses + 1
    update = deck.update_since(deck.version - 1)
    assert list(update["slides"]) == ["15"]
    assert "评估模型的性能" in update["slides"]["15"]


def test_update_for_an_unknown_version_asks_for_a_reload(running):
    deck = running.preview.single
    assert deck.update_since(deck.version) == {"version": deck.version, "same": True}
    assert deck.update_since(12345)["reload"] is True


# -- events, load ----------------------------------------------------------------------------

def open_events(running, version: int = 0) -> socket.socket:
    host, port = running.server.server_address[:2]
    sock = socket.create_connection((host, port), timeout=5)
    sock.sendall(f"GET /__deckgen/events?deck=keras.html&v={version} HTTP/1.0\r\n"
                 f"Host: {host}:{port}\r\n\r\n".encode())
    return sock


def read_event(sock: socket.socket) -> dict:
    buffer = b""
    while True:
        chunk = sock.recv(4096)
        assert chunk, "stream closed"
        buffer += chunk
        for block in buffer.split(b"\n\n"):
            if block.startswith(b"data: ") or b"\ndata: " in block:
                line = block[block.index(b"data: ") + 6:].split(b"\n")[0]
                return json.loads(line)


def events(sock: socket.socket):
    """Every event the stream sends, in order (what ``read_event`` drops after the first)."""
    buffer = b""
    while True:
        while b"\n\n" not in buffer:
            chunk = sock.recv(4096)
            assert chunk, "stream closed"
            buffer += chunk
        block, buffer = buffer.split(b"\n\n", 1)
        for line in block.split(b"\n"):
            if line.startswith(b"data: "):
                yield json.loads(line[6:])


def test_event_stream_reports_current_state_at_once(running):
    sock = open_events(running, version=0)
    try:
        state = read_event(sock)
        assert state["version"] == running.preview.single.version
        assert state["error"] is None
    finally:
        sock.close()


def _counts() -> tuple[int, int]:
    return threading.active_count(), len(os.listdir("/proc/self/fd"))


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")
def test_many_clients_rapid_saves_and_reloads_leave_no_leaks(running, deck_dir: Path):
    deck = running.preview.single
    deck_file = deck_dir / "keras.txt"
    settle(deck)
    threads_before, fds_before = _counts()

    clients = [open_events(running) for _ in range(50)]
    for sock in clients:
        read_event(sock)
    # Half vanish mid-stream without a goodbye.
    for sock in clients[:25]:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        sock.close()

    text = deck_file.read_text(encoding="utf-8")
    for n in range(200):
        deck_file.write_text(text.replace("# Keras入门", f"# Keras入门 save {n}", 1),
                             encoding="utf-8")
    wait_until(lambda: "Keras入门 save 199" in get(running, "/")[1].decode(), timeout=10)
    for sock in clients[25:]:
        sock.close()

    # 500 page loads: each fetches the page and opens, reads and drops its event stream.
    for _ in range(500):
        status, _body = get(running, "/")
        assert status == 200
        sock = open_events(running, deck.version)
        read_event(sock)
        sock.close()

    def flat():
        threads, fds = _counts()
        return threads <= threads_before + 2 and fds <= fds_before + 4

    wait_until(flat, timeout=5)
    assert get(running, "/")[0] == 200


# -- the command -------------------------------------------------------------------------------

def _spawn(*args: str, cwd: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "deckgen", "serve", *args], cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_ctrl_c_exits_at_once_without_traceback(deck_dir: Path):
    proc = _spawn("keras.txt", "--port", "0", cwd=deck_dir)
    try:
        line = proc.stdout.readline()
        assert "http://127.0.0.1:" in line
        url = line.split(" at ")[1].split()[0]
        port = int(url.rsplit(":", 1)[1].strip("/"))
        # Keep an event stream open: shutdown must not wait for it.
        sock = socket.create_connection(("127.0.0.1", port))
        sock.sendall(f"GET /__deckgen/events?deck=keras.html&v=0 HTTP/1.0\r\n"
                     f"Host: 127.0.0.1:{port}\r\n\r\n".encode())
        sock.recv(100)
        proc.send_signal(signal.SIGINT)
        # The stream is still open (a stream thread would wait on it for ever): the process
        # exits anyway. (How fast is not asserted here: ~0.2 s, plus the machine's load.)
        proc.wait(timeout=5)
        sock.close()
        assert proc.returncode == 0
        assert "Traceback" not in proc.stderr.read()
    finally:
        proc.kill()


def test_busy_port_names_the_port_and_the_flag(deck_dir: Path):
    blocker = socket.socket()
    blocker.bind(("127.0.0.1", 0))
    blocker.listen()
    port = blocker.getsockname()[1]
    try:
        proc = _spawn("keras.txt", "--port", str(port), cwd=deck_dir)
        _out, err = proc.communicate(timeout=10)
        assert proc.returncode == 1
        assert f"port {port}" in err and "--port" in err
        assert "Traceback" not in err
    finally:
        blocker.close()


def serve_cli(monkeypatch, *args: str, while_serving=None):
    """``deckgen serve ARGS`` in this process; Ctrl+C comes once ``while_serving()`` returns."""
    from click.testing import CliRunner

    from deckgen.cli import cli
    from deckgen.serve import app

    def interrupt() -> None:
        if while_serving is not None:
            while_serving()
        raise KeyboardInterrupt

    monkeypatch.setattr(app, "_wait_for_interrupt", interrupt)
    return CliRunner().invoke(cli, ["serve", *args], prog_name="deckgen")


def test_help_shows_the_folder_argument_as_optional_and_it_defaults_to_here(deck_dir: Path,
                                                                            monkeypatch):
    from click.testing import CliRunner

    from deckgen.cli import cli

    usage = CliRunner().invoke(cli, ["serve", "--help"], prog_name="deckgen").output
    assert usage.startswith("Usage: deckgen serve [OPTIONS] [DECK_OR_FOLDER]\n")
    assert "-a, --dev-addr HOST:PORT" in usage
    monkeypatch.chdir(deck_dir)
    result = serve_cli(monkeypatch, "--port", "0")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Serving . at http://127.0.0.1:")


def test_dev_addr_and_open_show_the_preview_on_the_port_picked(deck_dir: Path, monkeypatch):
    import urllib.request
    import webbrowser

    opened: list[tuple[str, int, str]] = []
    done = threading.Event()

    def fake_open(url, *args, **kwargs):  # what a browser would do: load the page
        with urllib.request.urlopen(url, timeout=5) as response:
            opened.append((url, response.status, response.read().decode("utf-8")))
        done.set()
        return True

    monkeypatch.setattr(webbrowser, "open", fake_open)
    result = serve_cli(monkeypatch, str(deck_dir / "keras.txt"), "-a", "127.0.0.1:0", "--open",
                       while_serving=lambda: done.wait(10))
    assert result.exit_code == 0, result.output
    assert len(opened) == 1
    url, status, page = opened[0]
    port = int(url.rsplit(":", 1)[1].strip("/"))
    assert url == f"http://127.0.0.1:{port}/" and port != 0
    assert f"at {url}" in result.stdout
    assert status == 200 and page.count('<section class="slide') == 21


@pytest.mark.parametrize("value, message", [
    ("foo", "'foo': expected HOST:PORT, e.g. 127.0.0.1:8000"),
    ("1.2.3.4:99999", "'1.2.3.4:99999': port 99999 is out of range (0 to 65535"),
    ("127.0.0.1:http", "'127.0.0.1:http': the port must be a number from 0 to 65535"),
    ("::1:8000", "'::1:8000': write an IPv6 address in brackets, e.g. [::1]:8000"),
    ("[::1]", "'[::1]': expected HOST:PORT"),
    ("[nope]:8000", "'[nope]:8000': 'nope' is not an IPv6 address"),
    ("bad host:8000", "'bad host:8000': 'bad host' is not an IP address or host name"),
    (":8000", "':8000': expected HOST:PORT"),
])
def test_bad_dev_addr_is_a_usage_error(deck_dir: Path, monkeypatch, value: str, message: str):
    result = serve_cli(monkeypatch, str(deck_dir / "keras.txt"), "-a", value)
    assert result.exit_code == 2
    assert result.stderr.startswith("Usage: deckgen serve [OPTIONS] [DECK_OR_FOLDER]\n")
    assert f"Error: Invalid value for '-a' / '--dev-addr': {message}" in result.stderr
    assert "Traceback" not in result.output and result.exception.__class__ is SystemExit


@pytest.mark.parametrize("extra", [["--port", "8001"], ["--host", "127.0.0.1"]])
def test_dev_addr_with_host_or_port_is_a_usage_error(deck_dir: Path, monkeypatch, extra):
    result = serve_cli(monkeypatch, str(deck_dir / "keras.txt"), "-a", "127.0.0.1:0", *extra)
    assert result.exit_code == 2
    assert ("give the address either as -a/--dev-addr HOST:PORT or with --host/--port, not "
            f"both (got -a and {extra[0]})") in result.stderr


def test_public_host_prints_a_warning(deck_dir: Path, monkeypatch):
    # Tests never listen beyond 127.0.0.1: the server binds there, and is taken for public.
    from deckgen.serve import app
    from deckgen.serve.server import PreviewServer, is_loopback

    assert not is_loopback("0.0.0.0") and not is_loopback("::") and not is_loopback("10.0.0.2")
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("127.0.0.2")
    real_start = app.start
    monkeypatch.setattr(app, "start", lambda target, host, *a, **k: real_start(
        target, "127.0.0.1", *a, **k))
    monkeypatch.setattr(PreviewServer, "loopback", property(lambda self: False))
    result = serve_cli(monkeypatch, str(deck_dir / "keras.txt"), "--host", "0.0.0.0",
                       "--port", "0")
    assert result.exit_code == 0
    assert "warning: listening on 0.0.0.0: anyone who can reach this machine can read the " \
           "files in" in result.stderr


def test_folder_mode_lists_decks_and_picks_up_new_ones(tmp_path: Path):
    shutil.copy(KERAS, tmp_path / "keras.txt")
    (tmp_path / "README.md").write_text("# not a deck\n")
    handle = start(tmp_path, port=0)
    try:
        status, body = get(handle, "/")
        index = body.decode()
        assert status == 200 and "keras.html" in index and "README" not in index
        assert "Keras入门" in index
        (tmp_path / "sub").mkdir()
        (tmp_path / "sub" / "new.md").write_text("title: New one\n\n[slide]\n# hi\n")
        wait_until(lambda: "sub/new.html" in get(handle, "/")[1].decode())
        status, body = get(handle, "/sub/new.html")
        assert status == 200 and "<title>New one</title>" in body.decode()
    finally:
        handle.stop()


# -- saves caught halfway, decks not built yet (issue 9: the folder-mode race) -----------------

class Rebuilds:
    """Records the preview's rebuild runs, so a test can wait for one that started after a
    write (and so read it) to finish: deterministic, whatever the debounce and the machine."""

    def __init__(self, monkeypatch) -> None:
        from deckgen.serve.app import Preview

        self.started = 0
        self.finished: list[int] = []
        self._lock = threading.Lock()
        real = Preview.rebuild

        def rebuild(preview, paths):
            with self._lock:
                self.started += 1
                number = self.started
            try:
                real(preview, paths)
            finally:
                self.finished.append(number)

        monkeypatch.setattr(Preview, "rebuild", rebuild)

    def mark(self) -> int:
        with self._lock:
            return self.started

    def wait_past(self, mark: int) -> None:
        """Until a rebuild that started after ``mark`` has finished."""
        wait_until(lambda: any(n > mark for n in self.finished), timeout=10)


def _write_part(path: Path, data: bytes) -> None:
    with path.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


NEW_DECK = "title: 新的一页\n\n[slide]\n# 你好\n\n[slide]\n## 第二页\n".encode()


def test_a_new_deck_is_listed_only_once_its_first_build_is_done(tmp_path: Path, monkeypatch):
    """The race seen in test_folder_mode_lists_decks_and_picks_up_new_ones: the new deck was
    listed (and its page served as the build error page) while its first build still ran."""
    import deckgen.serve.live as live

    shutil.copy(KERAS, tmp_path / "keras.txt")
    entered, release = threading.Event(), threading.Event()
    real_build = live.build_source

    def gated_build(source, cache):
        if source.path.name == "new.md":
            entered.set()
            assert release.wait(10)
        return real_build(source, cache)

    monkeypatch.setattr(live, "build_source", gated_build)
    handle = start(tmp_path, port=0)
    try:
        (tmp_path / "sub").mkdir()
        (tmp_path / "sub" / "new.md").write_bytes(NEW_DECK)
        assert entered.wait(10), "the new deck was never built"
        # Its first build is under way: not listed, no page, no error.
        assert "sub/new.html" not in get(handle, "/")[1].decode()
        status, body = get(handle, "/sub/new.html")
        assert status == 404 and b"build error" not in body
        assert "sub/new.html" not in json.loads(get(handle, "/__deckgen/status")[1])["decks"]
        release.set()
        wait_until(lambda: "sub/new.html" in get(handle, "/")[1].decode())
        status, body = get(handle, "/sub/new.html")
        assert status == 200 and "<title>新的一页</title>" in body.decode()
    finally:
        release.set()
        handle.stop()


@pytest.mark.parametrize("part, pending", [
    # A [slide] line and a UTF-8 character cut in two: a deck whose build fails, pending.
    (NEW_DECK[:NEW_DECK.index("你".encode()) + 1], ["new.html"]),
    # The header only: not a deck (yet), so not listed at all.
    (NEW_DECK[:NEW_DECK.index(b"[slide]")], []),
], ids=["cut-utf8", "header-only"])
def test_a_half_written_new_deck_is_pending_not_broken(tmp_path: Path, monkeypatch, part,
                                                      pending):
    rebuilds = Rebuilds(monkeypatch)
    shutil.copy(KERAS, tmp_path / "keras.txt")
    # A settle time no test run reaches: the half-written file is never believed.
    handle = start(tmp_path, port=0, settle=600)
    try:
        deck_file = tmp_path / "new.md"
        mark = rebuilds.mark()
        _write_part(deck_file, part)
        rebuilds.wait_past(mark)  # the preview has read the half-written file
        index = get(handle, "/")[1].decode()
        assert "new.html" not in index and 'class="error"' not in index
        status = json.loads(get(handle, "/__deckgen/status")[1])
        assert list(status["decks"]) == ["keras.html"]
        assert status["pending"] == pending
        assert get(handle, "/new.html")[0] == 404

        mark = rebuilds.mark()
        _write_part(deck_file, NEW_DECK)  # the rest of the save
        rebuilds.wait_past(mark)
        assert "new.html" in get(handle, "/")[1].decode()
        deck = handle.preview.deck("new.html")
        assert deck.error is None and not deck.pending and deck.slide_count == 2
        assert json.loads(get(handle, "/__deckgen/status")[1])["pending"] == []
    finally:
        handle.stop()


def test_a_half_written_save_keeps_the_last_good_deck(deck_dir: Path, monkeypatch):
    rebuilds = Rebuilds(monkeypatch)
    deck_file = deck_dir / "keras.txt"
    text = deck_file.read_bytes()
    handle = start(deck_file, port=0, settle=600)
    try:
        deck = handle.preview.single
        version = deck.version
        sock = open_events(handle, version)
        stream = events(sock)
        assert next(stream)["error"] is None
        for part in (b"", text[:text.index(b"[slide]")], text[:text.index("入门".encode()) + 1]):
            mark = rebuilds.mark()
            _write_part(deck_file, part)
            rebuilds.wait_past(mark)
            assert deck.error is None and deck.version == version and deck.pending
            status, body = get(handle, "/")
            assert status == 200 and body.decode().count('<section class="slide') == 21
        mark = rebuilds.mark()
        _write_part(deck_file, text.replace("入门".encode(), "入门 (saved)".encode(), 1))
        rebuilds.wait_past(mark)
        assert not deck.pending and deck.error is None and deck.version == version + 1
        # The stream never reported an error (it also re-sends the state when only the build
        # count moved): every state up to the new version says "no error".
        while (event := next(stream))["version"] != version + 1:
            assert event == {"version": version, "error": None, "builds": event["builds"]}
        assert event["error"] is None
        sock.close()
    finally:
        handle.stop()


def test_an_emptied_deck_stays_listed_while_it_is_saved(tmp_path: Path, monkeypatch):
    """truncate-then-write caught between the two: the deck is not gone from the folder."""
    rebuilds = Rebuilds(monkeypatch)
    shutil.copy(KERAS, tmp_path / "keras.txt")
    text = (tmp_path / "keras.txt").read_bytes()
    handle = start(tmp_path, port=0, settle=600)
    try:
        index_version = handle.preview.index_version
        mark = rebuilds.mark()
        _write_part(tmp_path / "keras.txt", b"")
        rebuilds.wait_past(mark)
        assert "keras.html" in get(handle, "/")[1].decode()
        assert get(handle, "/keras.html")[1].decode().count('<section class="slide') == 21
        assert handle.preview.index_version == index_version
        mark = rebuilds.mark()
        _write_part(tmp_path / "keras.txt", text)
        rebuilds.wait_past(mark)
        assert list(handle.preview.decks) == ["keras.html"]
        assert handle.preview.deck("keras.html").error is None
    finally:
        handle.stop()


def test_failures_are_shown_once_the_files_have_settled(tmp_path: Path):
    """A new broken deck is listed with its error, a deleted one dropped, a broken save of a
    listed one reported: each once its file has stopped changing (here after 0.1 s)."""
    shutil.copy(KERAS, tmp_path / "keras.txt")
    (tmp_path / "old.md").write_bytes(NEW_DECK)
    handle = start(tmp_path, port=0, settle=0.1)
    try:
        (tmp_path / "broken.md").write_text("title: Broken\ntheme: lihgt\n\n[slide]\n# x\n")
        wait_until(lambda: "broken.html" in get(handle, "/")[1].decode())
        index = get(handle, "/")[1].decode()
        assert "broken.md:2: unknown theme &#39;lihgt&#39;" in index
        assert handle.preview.deck("broken.html").error.endswith("(did you mean 'light'?); "
                                                                  "available: blue, colors, dark, "
                                                                  "green, light, moon, or a path "
                                                                  "to a "
                                                                  ".css file")
        (tmp_path / "old.md").unlink()
        wait_until(lambda: "old.html" not in handle.preview.decks)
        assert "old.html" not in get(handle, "/")[1].decode()
        edit(tmp_path / "keras.txt", "theme: light", "theme: lihgt")
        wait_until(lambda: handle.preview.deck("keras.html").error is not None)
        assert not handle.preview.deck("keras.html").pending
    finally:
        handle.stop()


def test_debouncer_runs_a_retry_at_its_time():
    import queue

    from deckgen.serve.watcher import Debouncer

    runs: queue.Queue = queue.Queue()
    debouncer = Debouncer(0.01, runs.put)
    try:
        debouncer.later(Path("a.txt"), 0.05)
        debouncer.later(Path("a.txt"), 30)  # the earlier time stands
        debouncer.trigger(Path("b.txt"))
        first = runs.get(timeout=5)
        second = set() if first == {Path("a.txt"), Path("b.txt")} else runs.get(timeout=5)
        assert first | second == {Path("a.txt"), Path("b.txt")}
        assert runs.empty()
    finally:
        debouncer.stop()


# -- addresses and the Host / Origin guards ------------------------------------------------------

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from deckgen.serve.server import HostCheck, local_url, parse_address, split_host  # noqa: E402


@pytest.mark.parametrize("text, expected", [
    ("127.0.0.1:8001", ("127.0.0.1", 8001)),
    ("localhost:0", ("localhost", 0)),
    ("[::1]:8000", ("::1", 8000)),
    ("[::]:80", ("::", 80)),
    ("0.0.0.0:65535", ("0.0.0.0", 65535)),
    (" my-laptop.local:8000 ", ("my-laptop.local", 8000)),
])
def test_parse_address_takes_what_mkdocs_dev_addr_takes(text, expected):
    assert parse_address(text) == expected


_labels = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True)


@given(st.one_of(st.ip_addresses(v=4).map(str), st.ip_addresses(v=6).map(str),
                 st.lists(_labels, min_size=1, max_size=4).map(".".join)),
       st.integers(0, 65535))
def test_parse_address_round_trips(host, port):
    written = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    assert parse_address(written) == (host, port)


@given(st.text(max_size=40))
def test_parse_address_and_split_host_never_crash(text):
    try:
        host, port = parse_address(text)
    except ValueError as exc:
        assert repr(text.strip()) in str(exc) or repr(text) in str(exc)
    else:
        assert 0 <= port <= 65535 and host
    parsed = split_host(text)
    assert parsed is None or (parsed[0] and (parsed[1] is None or parsed[1] >= 0))


def test_local_url_uses_loopback_for_every_interface():
    assert local_url("127.0.0.1", 8000) == "http://127.0.0.1:8000/"
    assert local_url("0.0.0.0", 8000) == "http://127.0.0.1:8000/"
    assert local_url("::", 8000) == "http://[::1]:8000/"
    assert local_url("::1", 8000) == "http://[::1]:8000/"
    assert local_url("192.168.1.20", 80) == "http://192.168.1.20:80/"


LOOPBACK = HostCheck.for_bind("127.0.0.1", "127.0.0.1", 8000)
LAN = HostCheck.for_bind("192.168.1.20", "192.168.1.20", 8000)
NAMED = HostCheck.for_bind("box.lan", "192.168.1.20", 8000)
EVERYWHERE = HostCheck.for_bind("0.0.0.0", "0.0.0.0", 8000, machine_names={"box", "box.local"})
EVERYWHERE6 = HostCheck.for_bind("::", "::", 8000, machine_names={"box"})
PORT80 = HostCheck.for_bind("127.0.0.1", "127.0.0.1", 80)


@pytest.mark.parametrize("check, host, allowed", [
    (LOOPBACK, "127.0.0.1:8000", True),
    (LOOPBACK, "localhost:8000", True),
    (LOOPBACK, "LocalHost:8000", True),
    (LOOPBACK, "[::1]:8000", True),
    (LOOPBACK, None, True),  # HTTP/1.0 tools; browsers always send Host
    (LOOPBACK, "127.0.0.1", False),  # browsers leave out :80 only
    (LOOPBACK, "127.0.0.1:8001", False),
    (LOOPBACK, "evil.example:8000", False),  # DNS rebinding
    (LOOPBACK, "127.0.0.1.nip.io:8000", False),
    (LOOPBACK, "192.168.1.20:8000", False),
    (LOOPBACK, "localhost:8000:8000", False),
    (LOOPBACK, "[::1:8000", False),
    (LOOPBACK, "", False),
    (PORT80, "127.0.0.1", True),
    (PORT80, "localhost", True),
    (PORT80, "localhost:80", True),
    (LAN, "192.168.1.20:8000", True),
    (LAN, "localhost:8000", False),
    (LAN, "127.0.0.1:8000", False),
    (NAMED, "box.lan:8000", True),
    (NAMED, "192.168.1.20:8000", True),
    (NAMED, "evil.example:8000", False),
    (EVERYWHERE, "192.168.1.20:8000", True),
    (EVERYWHERE, "10.1.2.3:8000", True),
    (EVERYWHERE, "127.0.0.1:8000", True),
    (EVERYWHERE, "[::1]:8000", True),
    (EVERYWHERE, "localhost:8000", True),
    (EVERYWHERE, "box:8000", True),
    (EVERYWHERE, "box.local:8000", True),
    (EVERYWHERE, "evil.example:8000", False),
    (EVERYWHERE, "box:8001", False),
    (EVERYWHERE6, "[fe80::1]:8000", True),
    (EVERYWHERE6, "192.168.1.20:8000", True),
    (EVERYWHERE6, "attacker.box:8000", False),
])
def test_host_check(check, host, allowed):
    assert check.allows(host) is allowed


def request(running, path: str, headers: dict[str, str]) -> tuple[int, str, bytes]:
    """GET with exactly these headers (``Host`` included: none is sent unless given)."""
    host, port = running.server.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=5)
    try:
        conn.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
        for name, value in headers.items():
            conn.putheader(name, value)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read()
    finally:
        conn.close()


@pytest.mark.parametrize("host, status", [
    ("127.0.0.1:{port}", 200),
    ("localhost:{port}", 200),
    ("[::1]:{port}", 200),
    ("evil.example:{port}", 403),
    ("localhost.evil.example:{port}", 403),
    ("127.0.0.1:{other}", 403),
    ("127.0.0.1", 403),
])
@pytest.mark.parametrize("path", ["/", "/notes.pdf", "/__deckgen/status",
                                  "/__deckgen/update?deck=keras.html&from=1"])
def test_requests_for_another_host_get_403(running, host: str, status: int, path: str):
    port = running.server.server_address[1]
    got, kind, body = request(running, path, {"Host": host.format(port=port, other=port + 1)})
    assert got == status
    if status == 403:
        assert kind == "text/plain; charset=utf-8"
        assert body.decode().startswith("deckgen serve does not answer requests for host '")
        assert f"this preview is http://127.0.0.1:{port}/" in body.decode()
        assert b"<section" not in body and b"PDF" not in body and b"index_version" not in body


def test_two_host_headers_get_403(running):
    port = running.server.server_address[1]
    host, port_ = running.server.server_address[:2]
    conn = http.client.HTTPConnection(host, port_, timeout=5)
    try:
        conn.putrequest("GET", "/", skip_host=True)
        conn.putheader("Host", f"127.0.0.1:{port}")
        conn.putheader("Host", f"evil.example:{port}")
        conn.endheaders()
        assert conn.getresponse().status == 403
    finally:
        conn.close()


@pytest.mark.parametrize("headers, status", [
    ({}, 200),
    ({"Sec-Fetch-Site": "same-origin"}, 200),
    ({"Sec-Fetch-Site": "none"}, 200),  # the URL typed into the address bar
    ({"Origin": "http://127.0.0.1:{port}"}, 200),
    ({"Origin": "http://127.0.0.1:{port}", "Sec-Fetch-Site": "same-origin"}, 200),
    ({"Origin": "http://evil.example"}, 403),
    ({"Origin": "http://127.0.0.1:{other}"}, 403),  # another local server's page
    ({"Origin": "http://localhost:{port}"}, 403),  # another origin, though the same server
    ({"Origin": "https://127.0.0.1:{port}"}, 403),
    ({"Origin": "null"}, 403),  # a sandboxed frame or a file:// page
    ({"Sec-Fetch-Site": "cross-site"}, 403),
    ({"Sec-Fetch-Site": "same-site"}, 403),
])
@pytest.mark.parametrize("path", ["/__deckgen/status", "/__deckgen/update?deck=keras.html&from=1",
                                  "/__deckgen/events?deck=keras.html&v=1"])
def test_endpoints_answer_only_the_previews_own_pages(running, headers: dict, status: int,
                                                      path: str):
    port = running.server.server_address[1]
    sent = {"Host": f"127.0.0.1:{port}",
            **{k: v.format(port=port, other=port + 1) for k, v in headers.items()}}
    if path.startswith("/__deckgen/events") and status == 200:
        return  # a stream: test_event_stream_reports_current_state_at_once reads one
    got, kind, body = request(running, path, sent)
    assert got == status
    if status == 403:
        assert kind == "text/plain; charset=utf-8"
        assert body.startswith(b"deckgen serve: /__deckgen/ answers only the preview's own pages")


@pytest.mark.parametrize("path", ["/", "/keras.html", "/notes.pdf"])
def test_pages_and_files_open_from_a_link_on_another_site(running, path: str):
    port = running.server.server_address[1]
    status, _kind, _body = request(running, path, {"Host": f"127.0.0.1:{port}",
                                                   "Sec-Fetch-Site": "cross-site",
                                                   "Sec-Fetch-Mode": "navigate"})
    assert status == 200
