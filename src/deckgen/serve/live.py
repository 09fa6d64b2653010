"""The decks under preview: each keeps its last good build, its current error and a version.

A version counts good builds whose page differs from the previous one. Each version remembers
a fingerprint of every slide, so a page that has version V can be brought up to date by sending
only the slides that changed since V (``update_since``).
"""

from __future__ import annotations

import hashlib
from html import unescape
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..build import build_source
from ..model import DeckError
from ..render import SlideCache
from ..source import display_path, read_source

_HISTORY = 32
_SHELL_NOISE = re.compile(r'data-slide-count="\d+"|<span class="deckgen-total">\d+</span>')


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One good build of a deck, as served."""

    version: int
    html: str
    sections: tuple[str, ...]
    fingerprints: tuple[str, ...]
    css: str
    title: str
    shell: str
    """Fingerprint of the page minus slides, CSS and counts: if it changes, pages reload."""


def _snapshot(version: int, html: str, sections: list[str], css: str) -> Snapshot:
    shell = html
    if sections:
        start = html.find(sections[0])
        end = html.rfind(sections[-1]) + len(sections[-1])
        if start != -1 and end >= start:
            shell = html[:start] + html[end:]
    shell = _SHELL_NOISE.sub("", shell.replace(css, "", 1))
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    return Snapshot(version, html, tuple(sections), tuple(_digest(s) for s in sections), css,
                    unescape(title.group(1)) if title else "", _digest(shell))


@dataclass
class LiveDeck:
    """One deck file under preview."""

    path: Path
    name: str
    """URL path of the deck's page, e.g. ``keras.html`` or ``talks/keras.html``."""
    encoding: str | None = None
    cache: SlideCache = field(default_factory=SlideCache)
    good: Snapshot | None = None
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    files: frozenset[Path] = frozenset()
    builds: int = 0
    """How many rebuilds ran (what tests count to check one save gives one rebuild)."""
    title: str = ""
    speaker: str = ""
    date: str = ""
    slide_count: int = 0
    _history: dict[int, Snapshot] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def version(self) -> int:
        return self.good.version if self.good else 0

    @property
    def display(self) -> str:
        return display_path(self.path)

    def rebuild(self, wait_for_file: float = 0.25) -> bool:
        """Build again; True if what clients see (page or error) changed.

        A missing deck is given ``wait_for_file`` seconds to reappear: editors that save by
        delete-then-create would otherwise flash an error.
        """
        with self._lock:
            self.builds += 1
            deadline = time.monotonic() + wait_for_file
            while not self.path.exists() and time.monotonic() < deadline:
                time.sleep(0.02)
            try:
                result = build_source(read_source(self.path, self.encoding), self.cache)
            except DeckError as exc:
                error = exc.format_message()
                changed = error != self.error
                self.error = error
                self.files = self.files | {self.path}
                return changed
            except Exception as exc:  # a deckgen bug must not stop the preview
                error = f"{self.display}: internal error: {type(exc).__name__}: {exc}"
                changed = error != self.error
                self.error = error
                return changed
            changed = self.error is not None
            self.warnings = [d.format() for d in result.diagnostics]
            self.files = frozenset(result.files)
            self.title = result.title
            self.speaker, self.date = result.settings.speaker, result.settings.date
            self.slide_count = len(result.slides)
            if self.good is None or result.html != self.good.html:
                snapshot = _snapshot(self.version + 1, result.html, result.sections, result.css)
                self.good = snapshot
                self._history[snapshot.version] = snapshot
                for old in [v for v in self._history if v <= snapshot.version - _HISTORY]:
                    del self._history[old]
                changed = True
            self.error = None  # last: whoever sees the error gone sees the new page
            return changed

    def update_since(self, version: int) -> dict:
        """What a page at ``version`` needs to show the current one."""
        good = self.good
        if good is None:
            return {"version": 0, "reload": version != 0}
        if version == good.version:
            return {"version": good.version, "same": True}
        old = self._history.get(version)
        if old is None or old.shell != good.shell:
            return {"version": good.version, "reload": True}
        changed = {str(i): html for i, (html, fp) in enumerate(zip(good.sections, good.fingerprints))
                   if i >= len(old.fingerprints) or old.fingerprints[i] != fp}
        return {
            "version": good.version,
            "count": len(good.sections),
            "slides": changed,
            "css": good.css if good.css != old.css else None,
            "title": good.title,
        }

    def state(self) -> dict:
        """What the event stream tells pages."""
        return {"version": self.version, "error": self.error, "builds": self.builds}
