"""File-system events -> one rebuild per save.

Editors save in odd ways: write a temp file and rename it over the deck, truncate then write,
delete then create, several events per save. The watcher therefore watches *folders* (a rename
over the deck replaces the inode a file watch would follow) and hands every relevant event to a
``Debouncer``, which calls back once the events have stopped for a short quiet period.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import ObservedWatch


class Debouncer:
    """Runs ``callback(paths)`` once events stop arriving for ``delay`` seconds.

    One worker thread, so a burst of 200 saves costs no thread per event; events that arrive
    while the callback runs schedule exactly one more run. ``later(path, seconds)`` asks for a
    run about ``path`` at a set time (a failed build retried once its files have settled).
    """

    def __init__(self, delay: float, callback: Callable[[set[Path]], None]) -> None:
        self.delay = delay
        self.callback = callback
        self._pending: set[Path] = set()
        self._due: float | None = None
        self._later: dict[Path, float] = {}
        self._stopped = False
        self._cond = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="deckgen-debounce", daemon=True)
        self._thread.start()

    def trigger(self, path: Path) -> None:
        with self._cond:
            self._pending.add(path)
            self._due = time.monotonic() + self.delay
            self._cond.notify()

    def later(self, path: Path, seconds: float) -> None:
        with self._cond:
            at = time.monotonic() + seconds
            self._later[path] = min(at, self._later.get(path, at))
            self._cond.notify()

    def cancel(self, path: Path) -> None:
        """Forget a retry asked for with ``later`` (a later build already succeeded)."""
        with self._cond:
            self._later.pop(path, None)

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify()

    def _next_paths(self) -> set[Path] | None:
        """Wait for the next run; its paths, or None once stopped."""
        with self._cond:
            while not self._stopped:
                now = time.monotonic()
                for path, at in list(self._later.items()):
                    if at <= now:
                        del self._later[path]
                        self._pending.add(path)
                        if self._due is None:
                            self._due = now
                if self._due is not None and now >= self._due:
                    paths, self._pending, self._due = self._pending, set(), None
                    return paths
                wakes = [at for at in (self._due, *self._later.values()) if at is not None]
                self._cond.wait(max(0.0, min(wakes) - now) if wakes else None)
            return None

    def _run(self) -> None:
        while (paths := self._next_paths()) is not None:
            try:
                self.callback(paths)
            except Exception:
                import traceback

                traceback.print_exc()


class _Handler(FileSystemEventHandler):
    def __init__(self, on_path: Callable[[Path], None]) -> None:
        self.on_path = on_path

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            if raw:
                self.on_path(Path(os.fsdecode(raw)))


class Watcher:
    """Watches a changing set of folders; reports every event's paths to ``on_path``."""

    def __init__(self, on_path: Callable[[Path], None]) -> None:
        self._observer = Observer()
        self._handler = _Handler(on_path)
        self._watches: dict[tuple[Path, bool], ObservedWatch] = {}
        self._lock = threading.Lock()
        self._observer.daemon = True
        self._observer.start()

    def watch(self, folders: Iterable[tuple[Path, bool]]) -> None:
        """Make the watched set exactly ``folders`` ((folder, recursive) pairs)."""
        wanted = {(folder, recursive) for folder, recursive in folders if folder.is_dir()}
        with self._lock:
            for key in list(self._watches):
                if key not in wanted:
                    self._observer.unschedule(self._watches.pop(key))
            for folder, recursive in sorted(wanted):
                if (folder, recursive) not in self._watches:
                    try:
                        self._watches[(folder, recursive)] = self._observer.schedule(
                            self._handler, str(folder), recursive=recursive)
                    except OSError:
                        continue  # vanished or unreadable: the next rebuild tries again

    def stop(self) -> None:
        self._observer.stop()
        self._observer.join(timeout=1)
