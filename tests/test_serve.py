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


def settle(deck, quiet: float = 0.4, timeout: float = 5.0) -> int:
    """Wait until the deck's rebuild count has not moved for ``quiet`` seconds."""
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
def test_each_editor_save_pattern_gives_one_rebuild(running, deck_dir: Path, save):
    deck = running.preview.single
    deck_file = deck_dir / "keras.txt"
    before = settle(deck)
    version = deck.version
    for n in range(3):
        text = deck_file.read_text(encoding="utf-8").replace("# Keras入门", f"# Keras入门 v{n}", 1)
        save(deck_file, text)
        after = settle(deck)
        assert after == before + 1, f"save {n} caused {after - before} rebuilds"
        assert deck.version == version + 1
        assert deck.error is None
        before, version = after, deck.version
    status, body = get(running, "/")
    assert "Keras入门 v2" in body.decode("utf-8")


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
    edit(deck_dir / "keras.txt", "评估模型性能", "评估模型的性能")
    wait_until(lambda: cache.misses > misses)
    settle(deck)
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
                 f"Host: {host}\r\n\r\n".encode())
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


def test_ctrl_c_exits_within_a_second_without_traceback(deck_dir: Path):
    proc = _spawn("keras.txt", "--port", "0", cwd=deck_dir)
    try:
        line = proc.stdout.readline()
        assert "http://127.0.0.1:" in line
        url = line.split(" at ")[1].split()[0]
        port = int(url.rsplit(":", 1)[1].strip("/"))
        # Keep an event stream open: shutdown must not wait for it.
        sock = socket.create_connection(("127.0.0.1", port))
        sock.sendall(b"GET /__deckgen/events?deck=keras.html&v=0 HTTP/1.0\r\n\r\n")
        sock.recv(100)
        started = time.monotonic()
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=5)
        assert time.monotonic() - started < 1.0
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
        out, err = proc.communicate(timeout=10)
        assert proc.returncode == 1
        assert f"port {port}" in err and "--port" in err
        assert "Traceback" not in err
    finally:
        blocker.close()


def test_public_host_prints_a_warning(deck_dir: Path):
    proc = _spawn("keras.txt", "--host", "0.0.0.0", "--port", "0", cwd=deck_dir)
    try:
        line = proc.stdout.readline()
        assert "Serving" in line
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=5)
        assert "warning" in err and "0.0.0.0" in err
    finally:
        proc.kill()


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
