"""Wiring: decks + watcher + debouncer + HTTP server, for ``deckgen serve`` and for tests."""

from __future__ import annotations

import errno
import os
import sys
import threading
import webbrowser
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote

import click
import jinja2
from markupsafe import Markup

from .. import page, themes
from ..model import DeckError
from ..resources import RUNTIME_DIR, templates_dir, themes_dir
from ..site import DECK_SUFFIXES, find_decks
from ..source import display_path
from .inject import client_js, inject
from .live import SETTLE, LiveDeck, Rebuilt
from .server import PreviewServer, url_host
from .watcher import Debouncer, Watcher


class ServeError(DeckError):
    """A problem starting the preview (busy port, bad path)."""


class Preview:
    """The decks being previewed and their shared change signal.

    ``decks`` is replaced, never changed in place, so the HTTP threads always read a whole list.
    A deck is listed only once its first build is final: built, or failed on files that have
    settled (``live.SETTLE``); until then it is pending, in ``pending``.
    """

    def __init__(self, target: Path, encoding: str | None = None, debounce: float = 0.05,
                 settle: float = SETTLE) -> None:
        target = target.resolve()
        self.settle = settle
        if target.is_dir():
            self.root = target
            self.single: LiveDeck | None = None
        elif target.exists() or target.suffix:
            self.root = target.parent
            self.single = LiveDeck(target, target.stem + ".html", encoding, settle=settle)
        else:
            raise ServeError("no such file or folder", display_path(target), code="not-found")
        self.encoding = encoding
        self.decks: dict[str, LiveDeck] = {}
        self.pending: dict[str, LiveDeck] = {}
        self.stopping = False
        self.index_version = 0
        self._generation = 0
        self._cond = threading.Condition()
        self._own_dirs = (templates_dir(), themes_dir(), RUNTIME_DIR)
        self._debouncer = Debouncer(debounce, self.rebuild)
        self._watcher = Watcher(self._on_path)
        # At start nothing is being saved (and the CLI prints the errors): builds are final.
        if self.single is not None:
            self._build(self.single, final=True)
            self.decks = {self.single.name: self.single}
        self._discover(final=True)
        self._rewatch()

    # -- decks --------------------------------------------------------------------------------

    def _discover(self, final: bool = False) -> tuple[bool, set[str]]:
        """Folder mode: pick up new decks, drop deleted ones. Returns whether the list changed,
        and the decks already dealt with (built, or waiting to settle).

        A new deck is listed after a good build, or a failed one once its file has settled. A
        listed deck whose file is gone or no longer a deck (emptied mid-save) stays, as it was,
        until that has settled too: delete-then-create and truncate-then-write saves are saves.
        """
        if self.single is not None:
            return False, set()
        found = {path.relative_to(self.root).with_suffix(".html").as_posix(): path
                 for path in find_decks(self.root)}
        decks, pending, handled = dict(self.decks), {}, set()
        for name, deck in self.decks.items():
            if name not in found:
                wait = 0.0 if final else deck.unsettled()
                if wait > 0:
                    self._debouncer.later(deck.path, wait)
                    handled.add(name)
                else:
                    del decks[name]
        for name, path in found.items():
            if name in decks:
                continue
            deck = self.pending.get(name) or LiveDeck(path, name, self.encoding,
                                                      settle=self.settle)
            outcome = self._build(deck, final)
            handled.add(name)
            if outcome.retry is not None:
                pending[name] = deck
            else:
                decks[name] = deck
        changed = decks.keys() != self.decks.keys()
        self.decks, self.pending = decks, pending
        return changed, handled

    def _build(self, deck: LiveDeck, final: bool = False) -> Rebuilt:
        """Rebuild one deck; a failure on files still changing is tried again once they settle."""
        outcome = deck.rebuild(final=final)
        if outcome.retry is not None:
            self._debouncer.later(deck.path, outcome.retry)
        else:
            self._debouncer.cancel(deck.path)
        return outcome

    def deck(self, name: str) -> LiveDeck | None:
        return self.decks.get(name)

    @staticmethod
    def _touches(deck: LiveDeck, paths: set[Path]) -> bool:
        """Whether any path is a file the deck uses, or a folder on the way to one (created on
        the way to a missing image: rebuild, and the next watch looks inside it)."""
        return any(path in deck.files or path == deck.path
                   or any(path in file.parents for file in deck.files) for path in paths)

    def _on_path(self, path: Path) -> None:
        path = Path(os.path.normpath(path))
        if self._is_relevant(path):
            self._debouncer.trigger(path)

    def _is_relevant(self, path: Path) -> bool:
        if any(d in path.parents for d in self._own_dirs):
            return True
        if any(self._touches(deck, {path}) for deck in list(self.decks.values())):
            return True
        return self.single is None and path.suffix.lower() in DECK_SUFFIXES

    def rebuild(self, paths: set[Path]) -> None:
        """Rebuild what ``paths`` touch (everything when deckgen's own files changed)."""
        own = any(any(d in p.parents for d in self._own_dirs) for p in paths)
        if own:
            _forget_cached_resources()
        listed, handled = self._discover()
        changed = listed
        for name, deck in self.decks.items():
            if name in handled or not (own or self._touches(deck, paths)):
                continue
            changed = self._build(deck).changed or changed
        if changed and self.single is None:
            self.index_version += 1  # the index shows titles, slide counts and errors
        self._rewatch()
        if changed:
            with self._cond:
                self._generation += 1
                self._cond.notify_all()

    def _rewatch(self) -> None:
        folders: set[tuple[Path, bool]] = {(d, True) for d in self._own_dirs}
        if self.single is None:
            folders.add((self.root, True))
        for deck in [*self.decks.values(), *self.pending.values()]:
            for file in deck.files | {deck.path}:
                folders.add((_existing_folder(file), False))
        # A recursive watch already covers folders inside it.
        recursive = [f for f, r in folders if r]
        self._watcher.watch((f, r) for f, r in folders
                            if r or not any(f == d or d in f.parents for d in recursive))

    # -- what the server asks ------------------------------------------------------------------

    def wait_for_change(self, seen: int, name: str, timeout: float) -> tuple[int, dict]:
        with self._cond:
            self._cond.wait_for(lambda: self._generation != seen or self.stopping, timeout)
            generation = self._generation
        deck = self.decks.get(name)
        if deck is None:
            return generation, {"version": self.index_version, "error": None, "index": True}
        return generation, deck.state()

    def page(self, url_path: str) -> str | None:
        name = unquote(url_path).lstrip("/")
        if name in ("", "index.html"):
            if self.single is not None:
                return self._deck_page(self.single)
            return self._index_page()
        deck = self.decks.get(name)
        return self._deck_page(deck) if deck is not None else None

    def _deck_page(self, deck: LiveDeck) -> str:
        good = deck.good
        if good is None:
            shell = ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>deckgen: "
                     "build error</title></head><body></body></html>")
            return inject(shell, deck.name, 0)
        return inject(good.html, deck.name, good.version)

    def _index_page(self) -> str:
        entries = [
            {"href": quote(name), "name": name, "title": deck.title or Path(name).stem,
             "speaker": deck.speaker, "date": deck.date, "slides": deck.slide_count,
             "error": deck.error}
            for name, deck in sorted(self.decks.items())
        ]
        template = _index_template()
        html = template.render(title=f"Decks in {display_path(self.root)}", decks=entries,
                               css=Markup(page.base_css()))
        return inject(html, None, self.index_version)

    def status(self) -> dict:
        decks, pending = self.decks, self.pending
        return {
            "index_version": self.index_version,
            "decks": {name: {**deck.state(), "warnings": deck.warnings, "title": deck.title,
                             "pending": deck.pending}
                      for name, deck in decks.items()},
            "pending": sorted(pending),
        }

    def stop(self) -> None:
        with self._cond:
            self.stopping = True
            self._cond.notify_all()
        self._debouncer.stop()
        self._watcher.stop()


def _existing_folder(file: Path) -> Path:
    """The nearest existing folder on the way to ``file`` (it may not exist yet)."""
    folder = Path(os.path.normpath(file.parent))
    while not folder.is_dir() and folder != folder.parent:
        folder = folder.parent
    return folder


def _index_template() -> jinja2.Template:
    return page._environment().get_template("index.html.j2")


def _forget_cached_resources() -> None:
    for cached in (page._environment, page.base_css, page.runtime_js, themes._builtin,
                   client_js):
        cached.cache_clear()


@dataclass
class Running:
    """A started preview: what tests hold on to."""

    preview: Preview
    server: PreviewServer
    thread: threading.Thread

    @property
    def url(self) -> str:
        return self.server.url

    def stop(self) -> None:
        self.preview.stop()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=2)


def _bind(preview: Preview, host: str, port: int, verbose: bool) -> PreviewServer:
    try:
        return PreviewServer((host, port), preview, verbose=verbose)
    except OSError as exc:
        preview.stop()
        where = f"{url_host(host)}:{port}"
        if exc.errno == errno.EADDRINUSE:
            raise ServeError(f"port {port} on {host} is already in use: stop the other server, "
                             f"or pick another port with --port (--port 0 picks a free one)",
                             code="port-in-use") from None
        if exc.errno in (errno.EACCES, errno.EPERM):
            raise ServeError(f"not allowed to listen on {where}; try --port 8000 or "
                             "higher", code="port-denied") from None
        raise ServeError(f"cannot listen on {where}: {exc.strerror or exc}",
                         code="bind-failed") from None


def start(target: Path, host: str = "127.0.0.1", port: int = 8000, encoding: str | None = None,
          debounce: float = 0.05, verbose: bool = False, settle: float = SETTLE) -> Running:
    """Build, watch and serve in background threads; return a handle with ``url`` and ``stop``."""
    preview = Preview(target, encoding, debounce, settle)
    server = _bind(preview, host, port, verbose)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                              name="deckgen-http", daemon=True)
    thread.start()
    return Running(preview, server, thread)


def _wait_for_interrupt() -> None:
    threading.Event().wait()


def run(target: Path, host: str, port: int, encoding: str | None, open_browser: bool,
        verbose: bool) -> None:
    """``deckgen serve``: serve until Ctrl+C (which exits at once, without a traceback)."""
    running = None
    try:
        running = start(target, host, port, encoding, verbose=verbose)
        preview = running.preview
        if not running.server.loopback:
            click.echo(f"warning: listening on {host}: anyone who can reach this machine can "
                       f"read the files in {display_path(preview.root)}", err=True)
        for deck in preview.decks.values():
            if deck.error:
                click.echo(deck.error, err=True)
            elif verbose:
                for warning in deck.warnings:
                    click.echo(warning, err=True)
        click.echo(f"Serving {display_path(target)} at {running.url}  (Ctrl+C to stop)")
        if open_browser:  # in a thread: some browsers' launchers wait for the window to close
            threading.Thread(target=webbrowser.open, args=(running.url,), daemon=True).start()
        _wait_for_interrupt()
    except KeyboardInterrupt:
        pass
    finally:
        if running is not None:
            running.stop()
    sys.exit(0)
