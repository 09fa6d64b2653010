"""The decks under preview: each keeps its last good build, its current error and a version.

A version counts good builds whose page differs from the previous one. Each version remembers
a fingerprint of every slide, so a page that has version V can be brought up to date by sending
only the slides that changed since V (``update_since``).

A failed build is believed only once the files it read have *settled*: a save caught halfway
(an empty file, a UTF-8 character cut in two, a header with no ``[slide]`` yet) fails too, and
that is not the author's error. So a failure is published only when the deck's files have kept
the same size, mtime and inode for ``settle`` seconds; until then the deck is *pending*: it keeps
showing what it showed, and the caller is told when to build it again (``Rebuilt.retry``).
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path

from ..build import build_source
from ..model import DeckError
from ..render import SlideCache
from ..source import display_path, read_source

_HISTORY = 32
SETTLE = 0.5
"""Seconds a changed deck's files must stay unchanged before a failed build of them is shown."""
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


Signature = tuple[tuple[int, int, int, int] | None, ...]


def signature(paths: frozenset[Path]) -> Signature:
    """What changes when any of ``paths`` is written, replaced or deleted."""
    marks: list[tuple[int, int, int, int] | None] = []
    for path in sorted(paths):
        try:
            st = path.stat()
        except OSError:
            marks.append(None)
        else:
            marks.append((st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns))
    return tuple(marks)


@dataclass(frozen=True, slots=True)
class Rebuilt:
    """What one rebuild did."""

    changed: bool
    """Whether what clients see (page or error) changed."""
    retry: float | None = None
    """The build failed while its files were still changing: build again in this many seconds
    (nothing was published)."""


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
    settle: float = SETTLE
    pending: bool = False
    """The last build failed on files that had not settled yet; its error is not shown."""
    _seen: Signature | None = None
    _seen_since: float = 0.0
    _history: dict[int, Snapshot] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def version(self) -> int:
        return self.good.version if self.good else 0

    @property
    def display(self) -> str:
        return display_path(self.path)

    def unsettled(self, now: Signature | None = None) -> float:
        """Seconds until the deck's files will have been unchanged for ``settle`` seconds
        (0: settled). Each call is an observation: a signature not seen before starts the wait."""
        mark = signature(self.files | {self.path}) if now is None else now
        clock = time.monotonic()
        if mark != self._seen:
            self._seen, self._seen_since = mark, clock
        return max(0.0, self._seen_since + self.settle - clock)

    def rebuild(self, final: bool = False) -> Rebuilt:
        """Build again. A failure is published only if ``final`` or once the files have settled;
        otherwise the result says when to try again."""
        with self._lock:
            self.builds += 1
            before = signature(self.files | {self.path})
            try:
                result = build_source(read_source(self.path, self.encoding), self.cache)
            except DeckError as exc:
                return self._failed(exc.format_message(), before, final, read=True)
            except Exception as exc:  # a deckgen bug must not stop the preview
                return self._failed(f"{self.display}: internal error: {type(exc).__name__}: "
                                    f"{exc}", before, final, read=False)
            changed = self.error is not None
            self.pending = False
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
            return Rebuilt(changed)

    def _failed(self, error: str, before: Signature, final: bool, read: bool) -> Rebuilt:
        if read:
            self.files = self.files | {self.path}
        after = signature(self.files | {self.path})
        if not final:
            if after != before:  # changed while it was read: caught mid-save
                self._seen, self._seen_since = after, time.monotonic()
                wait = self.settle
            else:
                wait = self.unsettled(after)
            if wait > 0:
                self.pending = True
                return Rebuilt(False, retry=wait)
        self.pending = False
        changed = error != self.error
        self.error = error
        return Rebuilt(changed)

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
        pairs = enumerate(zip(good.sections, good.fingerprints))
        changed = {str(i): html for i, (html, fp) in pairs
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
