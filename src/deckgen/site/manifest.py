"""The manifest (``.deckgen-manifest.json`` in a site's output folder) and what it decides.

It records, per page, what the page was built from: the deck's bytes, every other file the build
read or looked for, the encoding, ``--embed-remote``, and (once for the whole site) deckgen
itself. A deck is rebuilt only when one of those changed (``is_fresh``); pages are deleted only
if the manifest says deckgen wrote them.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..model import Diagnostic
from ..source import display_path
from .discovery import DeckFile, content_digest

MANIFEST_NAME = ".deckgen-manifest.json"
_MANIFEST_FORMAT = 1
# Whose versions change what a page looks like, besides deckgen's own files.
_DEPENDENCIES = ("markdown-it-py", "mdit-py-plugins", "pygments", "jinja2", "markupsafe", "lxml",
                 "pyyaml", "latex2mathml")
_OWN_SUFFIXES = frozenset({".py", ".js", ".css", ".j2", ".html", ".json", ".txt"})


@dataclass(frozen=True, slots=True)
class PageRecord:
    """What building one deck gave: enough to list it, report it again, and tell whether it
    must be rebuilt."""

    source: str
    """The deck's display path."""
    digest: str | None
    encoding: str | None
    files: tuple[tuple[str, str | None], ...] = ()
    """Every other file the build read or looked for, relative to the deck's folder, with its
    digest (``None``: it did not exist). deckgen's own files (built-in themes) are left out:
    the site-wide ``tool`` digest covers them."""
    title: str = ""
    speaker: str = ""
    date: str = ""
    slides: int = 0
    size: int = 0
    """Bytes of the page deckgen wrote; 0 if it wrote none (so it owns no page)."""
    diagnostics: tuple[Diagnostic, ...] = ()
    failed: bool = False
    embed_remote: bool = False
    """Built with ``--embed-remote``."""

    def to_json(self) -> dict:
        return {
            "source": self.source, "digest": self.digest, "encoding": self.encoding,
            "files": dict(self.files), "title": self.title, "speaker": self.speaker,
            "date": self.date, "slides": self.slides, "size": self.size,
            "diagnostics": [[d.file, d.line, d.level, d.code, d.message]
                            for d in self.diagnostics],
            "failed": self.failed, "embed_remote": self.embed_remote,
        }

    @classmethod
    def from_json(cls, data: dict) -> PageRecord:
        return cls(
            source=str(data["source"]), digest=data["digest"], encoding=data["encoding"],
            files=tuple((str(k), v) for k, v in data["files"].items()),
            title=str(data["title"]), speaker=str(data["speaker"]), date=str(data["date"]),
            slides=int(data["slides"]), size=int(data["size"]),
            diagnostics=tuple(Diagnostic(str(f), ln, lv, str(c), str(m))
                              for f, ln, lv, c, m in data["diagnostics"]),
            failed=bool(data["failed"]), embed_remote=bool(data.get("embed_remote", False)),
        )


@dataclass(slots=True)
class Manifest:
    """The output folder's memory of what deckgen wrote there and from what."""

    tool: str = ""
    pages: dict[str, PageRecord] = field(default_factory=dict)

    def dumps(self) -> str:
        """Deterministic JSON, one line per page (so a diff shows which pages changed)."""
        def one(value) -> str:
            return json.dumps(value, ensure_ascii=False, sort_keys=True)

        pages = [f"  {one(page)}: {one(self.pages[page].to_json())}"
                 for page in sorted(self.pages)]
        return (f'{{\n "format": {_MANIFEST_FORMAT},\n "deckgen": {one(__version__)},\n'
                f' "tool": {one(self.tool)},\n "pages": {{\n' + ",\n".join(pages)
                + ("\n" if pages else "") + " }\n}\n")


def load_manifest(out: Path) -> tuple[Manifest, Diagnostic | None]:
    """The manifest in ``out`` (empty if there is none), and a note if it was unusable."""
    path = out / MANIFEST_NAME
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Manifest(), None
    except (OSError, UnicodeDecodeError) as exc:
        return Manifest(), _manifest_note(path, str(exc))
    try:
        data = json.loads(text)
        if data.get("format") != _MANIFEST_FORMAT:
            return Manifest(), _manifest_note(path, "written by another deckgen version")
        pages = {str(page): PageRecord.from_json(record)
                 for page, record in data["pages"].items() if _safe_page(str(page))}
        return Manifest(str(data["tool"]), pages), None
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        return Manifest(), _manifest_note(path, f"unreadable ({type(exc).__name__})")


def _manifest_note(path: Path, why: str) -> Diagnostic:
    return Diagnostic(display_path(path), None, "note", "manifest-ignored",
                      f"ignored ({why}): rebuilding every deck, removing no pages")


def _safe_page(page: str) -> bool:
    """A page name from the manifest that may be deleted: an .html path inside the folder."""
    parts = page.split("/")
    return (page.endswith(".html") and not page.startswith("/") and "\\" not in page
            and ":" not in page and all(p not in ("", ".", "..") for p in parts))


def file_digest(path: str | os.PathLike[str]) -> str | None:
    try:
        with open(path, "rb") as handle:
            return content_digest(handle.read())
    except OSError:
        return None


def tool_digest() -> str:
    """What deckgen itself contributes to a page: its version, its own files (code, runtime,
    templates, built-in themes) and the versions of the libraries that shape the output. An
    editable install changes pages without changing its version, hence the files."""
    from importlib import metadata

    from ..resources import PACKAGE_DIR, templates_dir, themes_dir

    digest = hashlib.blake2b(digest_size=16)
    digest.update(__version__.encode())
    for name in _DEPENDENCIES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"\0{name}={version}".encode())
    files: set[Path] = set()
    for folder in (PACKAGE_DIR, templates_dir(), themes_dir()):
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = [d for d in dirnames if d != "__pycache__" and not d.startswith(".")]
            files.update(Path(dirpath) / n for n in filenames
                         if os.path.splitext(n)[1] in _OWN_SUFFIXES)
    for file in sorted(files):
        digest.update(b"\0" + file.name.encode() + b"\0")
        digest.update(file.read_bytes())
    return digest.hexdigest()


def _own_dirs() -> tuple[Path, ...]:
    from ..resources import PACKAGE_DIR, templates_dir, themes_dir

    return tuple(Path(os.path.normpath(d)) for d in (PACKAGE_DIR, templates_dir(), themes_dir()))


def _relative(file: Path, folder: Path) -> str:
    try:
        return Path(os.path.relpath(file, folder)).as_posix()
    except ValueError:  # another drive (Windows)
        return file.as_posix()


def _deck_dir(path: Path) -> Path:
    return Path(os.path.normpath(Path(path).resolve().parent))


def dependency_files(deck_path: Path, files: Iterable[Path]
                     ) -> tuple[tuple[str, str | None], ...]:
    """``PageRecord.files`` for a deck whose build read or looked for ``files``."""
    source = Path(os.path.normpath(Path(deck_path).resolve()))
    folder = source.parent
    own = _own_dirs()
    return tuple(sorted(
        (_relative(file, folder), file_digest(file)) for file in files
        if file != source and not any(d == file or d in file.parents for d in own)))


def is_fresh(record: PageRecord | None, deck: DeckFile, encoding: str | None, out: Path,
             embed_remote: bool = False) -> bool:
    """Whether ``record`` still describes what building ``deck`` would give. A page whose
    remote images could not be downloaded is built again (the download is tried again)."""
    if (record is None or record.failed or deck.digest is None or record.digest != deck.digest
            or record.source != deck.display or record.encoding != encoding
            or record.embed_remote != embed_remote
            or any(d.code == "remote-download-failed" for d in record.diagnostics)):
        return False
    try:
        if (out / deck.page).stat().st_size != record.size:
            return False  # the page was deleted or changed by hand
    except OSError:
        return False
    folder = _deck_dir(deck.path)
    return all(file_digest(os.path.normpath(folder / rel)) == digest
               for rel, digest in record.files)

