"""Finding decks: in the folders and files given to ``build``/``check``, and for ``serve``.

A deck is a ``.txt``/``.md`` file with a line starting ``[slide``; each becomes a page whose path
in the output folder mirrors the deck's path in the folder given.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..model import DeckError, Diagnostic
from ..source import display_path
from .index import INDEX_NAME

DECK_SUFFIXES = (".txt", ".md")
# Never searched for decks: version control, dependencies, and the usual output folder.
SKIP_DIRS = frozenset({".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__",
                       "site"})
# A line starting with "[slide" (after \n, \r or a UTF-8 byte-order mark): what makes a deck.
_SLIDE_LINE = re.compile(rb"(?:\A(?:\xef\xbb\xbf)?|[\r\n])\[slide")


def content_digest(data: bytes) -> str:
    """What the manifest compares files by."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _has_slide_line(data: bytes) -> bool:
    return _SLIDE_LINE.search(data) is not None


def is_deck_file(path: Path) -> bool:
    """A ``.txt``/``.md`` file with a ``[slide`` line: a deck, as opposed to notes or a README."""
    if path.suffix.lower() not in DECK_SUFFIXES or not path.is_file():
        return False
    try:
        return _has_slide_line(path.read_bytes())
    except OSError:
        return False


def _candidates(folder: Path, exclude: Path | None = None):
    """``.txt``/``.md`` files under ``folder`` in a stable order (sorted names, depth first),
    skipping hidden folders, ``SKIP_DIRS`` and ``exclude`` (the output folder)."""
    for dirpath, dirnames, filenames in os.walk(folder):
        here = Path(dirpath)
        dirnames[:] = sorted(
            d for d in dirnames
            if d not in SKIP_DIRS and not d.startswith(".")
            and (exclude is None or os.path.normpath(os.path.abspath(here / d)) != str(exclude)))
        for name in sorted(filenames):
            if not name.startswith(".") and os.path.splitext(name)[1].lower() in DECK_SUFFIXES:
                yield here / name


def find_decks(folder: Path, exclude: Path | None = None) -> list[Path]:
    """Every deck file under ``folder`` (what ``serve`` lists for a folder)."""
    return [path for path in _candidates(folder, _absolute(exclude)) if is_deck_file(path)]


@dataclass(frozen=True, slots=True)
class DeckFile:
    """A deck found on disk, and the page it becomes."""

    path: Path
    """As found: the path given, or the folder given joined with the path inside it."""
    display: str
    page: str
    """The page's path inside the output folder, ``/``-separated (``talks/keras.html``)."""
    digest: str | None
    """Digest of the file's bytes; ``None`` if it could not be read (the build says why)."""


@dataclass(slots=True)
class Found:
    decks: list[DeckFile] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    """Errors about the paths given (missing, clashing pages) and notes about skipped files."""


def find_sources(paths: Sequence[str], exclude: Path | None = None) -> Found:
    """The decks in ``paths``: folders are searched (mirroring their sub-folders in the page
    names), files are taken as decks whatever they contain. The same file twice counts once;
    two decks that would make the same page are an error for the second."""
    found = Found()
    exclude = _absolute(exclude)
    seen: set[str] = set()
    pages: dict[str, str] = {}

    def add(path: Path, page: str, data: bytes | None) -> None:
        key = os.path.normcase(os.path.abspath(path))
        if key in seen:
            return
        seen.add(key)
        display = display_path(path)
        clash = pages.get(page.casefold())
        if page.casefold() == INDEX_NAME:
            found.diagnostics.append(Diagnostic(
                display, None, "error", "page-conflict",
                f"its page would replace the site's {INDEX_NAME}; rename the deck"))
        elif clash is not None:
            found.diagnostics.append(Diagnostic(
                display, None, "error", "page-conflict",
                f"its page {page} is already the page of {clash}; rename one of them"))
        else:
            pages[page.casefold()] = display
            found.decks.append(DeckFile(path, display, page,
                                        None if data is None else content_digest(data)))

    for given in paths:
        root = Path(given)
        if root.is_dir():
            for path in _candidates(root, exclude):
                try:
                    data: bytes | None = path.read_bytes()
                except OSError:
                    data = None  # a deck as far as we know: its build reports the problem
                if data is not None and not _has_slide_line(data):
                    found.diagnostics.append(Diagnostic(
                        display_path(path), None, "note", "not-a-deck",
                        "skipped: no [slide] line, so not a deck"))
                    continue
                page = Path(path).relative_to(root).with_suffix(".html").as_posix()
                add(path, page, data)
        elif root.exists():
            try:
                data = root.read_bytes()
            except OSError:
                data = None
            add(root, root.stem + ".html", data)
        else:
            found.diagnostics.append(Diagnostic(display_path(root), None, "error", "not-found",
                                                "no such file or folder"))
    return found


def no_decks_error(paths: Sequence[str]) -> DeckError:
    where = ", ".join(display_path(p) for p in paths)
    return DeckError("no decks found (a deck is a .txt or .md file with a [slide] line)",
                     where, code="no-decks")



def _absolute(path: Path | None) -> Path | None:
    return None if path is None else Path(os.path.normpath(os.path.abspath(path)))

