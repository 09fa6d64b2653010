"""Many decks at once: finding them in folders, building them in parallel, the site around them.

    paths --find_sources--> DeckFile per deck (+ notes about skipped files)
          --compare with the manifest--> up-to-date records | jobs
          --run_jobs (processes)--> PageRecord per built deck (its page written by the worker)
          --> pages of vanished decks removed, index.html and the manifest written

``build`` (a folder or several decks) and ``check`` share the finding and the parallel runner;
``serve`` shares ``find_decks``. The manifest (``.deckgen-manifest.json`` in the output folder)
records, per page, what it was built from: the deck's bytes, every other file the build read or
looked for, the encoding, ``--embed-remote``, and (once for the whole site) deckgen itself. A deck is rebuilt only
when one of those changed; pages are deleted only if the manifest says deckgen wrote them.

This module imports the build pipeline lazily: an up-to-date site never loads it.
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol
from urllib.parse import quote

from . import __version__
from .model import DeckError, Diagnostic
from .source import display_path

DECK_SUFFIXES = (".txt", ".md")
# Never searched for decks: version control, dependencies, and the usual output folder.
SKIP_DIRS = frozenset({".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__",
                       "site"})
MANIFEST_NAME = ".deckgen-manifest.json"
INDEX_NAME = "index.html"
_MANIFEST_FORMAT = 1
# A line starting with "[slide" (after \n, \r or a UTF-8 byte-order mark): what makes a deck.
_SLIDE_LINE = re.compile(rb"(?:\A(?:\xef\xbb\xbf)?|[\r\n])\[slide")
# Whose versions change what a page looks like, besides deckgen's own files.
_DEPENDENCIES = ("markdown-it-py", "mdit-py-plugins", "pygments", "jinja2", "markupsafe", "lxml",
                 "pyyaml", "latex2mathml")
_OWN_SUFFIXES = frozenset({".py", ".js", ".css", ".j2", ".html", ".json", ".txt"})
_DATE = re.compile(r"(\d{4})(?:\s*[-/.年]\s*(\d{1,2}))?(?:\s*[-/.月]\s*(\d{1,2}))?")


# -- finding decks ------------------------------------------------------------------------------

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
                                        None if data is None else _digest(data)))

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


# -- records and the manifest -------------------------------------------------------------------

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


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def file_digest(path: str | os.PathLike[str]) -> str | None:
    try:
        with open(path, "rb") as handle:
            return _digest(handle.read())
    except OSError:
        return None


def tool_digest() -> str:
    """What deckgen itself contributes to a page: its version, its own files (code, runtime,
    templates, built-in themes) and the versions of the libraries that shape the output. An
    editable install changes pages without changing its version, hence the files."""
    from importlib import metadata

    from .resources import PACKAGE_DIR, templates_dir, themes_dir

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
    from .resources import PACKAGE_DIR, templates_dir, themes_dir

    return tuple(Path(os.path.normpath(d)) for d in (PACKAGE_DIR, templates_dir(), themes_dir()))


def _relative(file: Path, folder: Path) -> str:
    try:
        return Path(os.path.relpath(file, folder)).as_posix()
    except ValueError:  # another drive (Windows)
        return file.as_posix()


def _deck_dir(path: Path) -> Path:
    return Path(os.path.normpath(Path(path).resolve().parent))


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


# -- building one deck (in a worker process) ----------------------------------------------------

@dataclass(frozen=True, slots=True)
class Job:
    deck: DeckFile
    out: str | None
    """The page to write, or ``None`` to only check (which never downloads anything)."""
    encoding: str | None
    embed_remote: bool = False


def run_job(job: Job) -> PageRecord:
    """Build one deck (and write its page); every problem becomes a failed record."""
    from .build import build_file, write_atomic

    deck = job.deck
    failed = PageRecord(deck.display, deck.digest, job.encoding, title=Path(deck.page).stem,
                        failed=True)
    try:
        result = build_file(deck.path, job.encoding, embed_remote=job.embed_remote,
                            download=job.out is not None)
        size = write_atomic(Path(job.out), result.html) if job.out is not None else 0
    except DeckError as exc:
        return _replace(failed, diagnostics=(exc.diagnostic,))
    except Exception as exc:  # a bug in deckgen: this deck fails, the others go on
        return _replace(failed, diagnostics=(Diagnostic(
            deck.display, None, "error", "internal-error",
            f"internal error: {type(exc).__name__}: {exc}"),))
    source = Path(os.path.normpath(Path(deck.path).resolve()))
    folder = source.parent
    own = _own_dirs()
    files = tuple(sorted(
        (_relative(file, folder), file_digest(file)) for file in result.files
        if file != source and not any(d == file or d in file.parents for d in own)))
    meta = result.deck.meta
    return PageRecord(
        deck.display, deck.digest, job.encoding, files,
        title=meta.get("title") or (result.slides[0].title if result.slides else "")
        or Path(deck.page).stem,
        speaker=meta.get("speaker", ""), date=meta.get("date", ""), slides=len(result.slides),
        size=size, diagnostics=tuple(result.diagnostics), embed_remote=job.embed_remote)


def _replace(record: PageRecord, **changes) -> PageRecord:
    from dataclasses import replace

    return replace(record, **changes)


def _ignore_sigint() -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's to handle


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def run_jobs(jobs: Sequence[Job], workers: int,
             done: Callable[[int, PageRecord], None] = lambda i, r: None) -> list[PageRecord]:
    """Run ``jobs`` on up to ``workers`` processes (rendering is CPU-bound: threads would share
    one core); ``done(i, record)`` is called as each finishes, in any order. The records come
    back in the jobs' order, so what follows does not depend on ``workers``."""
    records: list[PageRecord | None] = [None] * len(jobs)
    if workers <= 1 or len(jobs) <= 1:
        for i, job in enumerate(jobs):
            records[i] = run_job(job)
            done(i, records[i])
        return records  # type: ignore[return-value]

    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from . import build  # noqa: F401 - imported once here, inherited by forked workers

    # fork: workers start in milliseconds with everything imported. Elsewhere (macOS,
    # Windows) the platform's default; each worker then imports deckgen once.
    context = (multiprocessing.get_context("fork") if sys.platform.startswith("linux")
               else None)
    pool = ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=context,
                               initializer=_ignore_sigint)
    try:
        futures = {pool.submit(run_job, job): i for i, job in enumerate(jobs)}
        for future in as_completed(futures):
            i = futures[future]
            try:
                record = future.result()
            except Exception as exc:  # a worker died (killed, out of memory)
                deck = jobs[i].deck
                record = PageRecord(deck.display, deck.digest, jobs[i].encoding,
                                    title=Path(deck.page).stem, failed=True, diagnostics=(
                                        Diagnostic(deck.display, None, "error", "internal-error",
                                                   f"internal error: {type(exc).__name__}: "
                                                   f"{exc}"),))
            records[i] = record
            done(i, record)
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return records  # type: ignore[return-value]


# -- the site -----------------------------------------------------------------------------------

Status = Literal["built", "fresh", "failed", "checked"]


class Listener(Protocol):
    """What the command line hears while a site builds (``report.py`` prints it)."""

    def found(self, diagnostics: list[Diagnostic]) -> None: ...
    def starting(self, total: int, to_build: int) -> None: ...
    def progress(self, done: int, to_build: int) -> None: ...
    def deck(self, status: Status, page: str | None, record: PageRecord) -> None: ...
    def removed(self, page: str) -> None: ...


@dataclass(frozen=True, slots=True)
class SiteOptions:
    out: Path
    jobs: int
    force: bool = False
    encoding: str | None = None
    index_title: str = "Decks"
    index_theme: str | None = None
    embed_remote: bool = False


@dataclass(slots=True)
class SiteResult:
    out: Path
    records: list[tuple[Status, str, PageRecord]] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    index_written: bool = False

    def count(self, status: Status) -> int:
        return sum(1 for s, _, _ in self.records if s == status)


def _in_order(n: int, emit: Callable[[int], None]) -> Callable[[int], None]:
    """Turn completions in any order into ``emit(i)`` calls in index order."""
    ready = [False] * n
    state = {"next": 0}

    def complete(i: int) -> None:
        ready[i] = True
        while state["next"] < n and ready[state["next"]]:
            emit(state["next"])
            state["next"] += 1
    return complete


def build_site(paths: Sequence[str], options: SiteOptions, listener: Listener) -> SiteResult:
    """Build every deck in ``paths`` into ``options.out``, with an index page; see the module
    docstring. Raises DeckError only for problems with the site as a whole."""
    out = options.out
    index_css = _index_css(options.index_theme)  # a bad --index-theme fails before any work
    found = find_sources(paths, exclude=out)
    if not found.decks:
        listener.found(found.diagnostics)
        if any(d.level == "error" for d in found.diagnostics):
            raise DeckError("failed: nothing to build", code="no-decks")
        raise no_decks_error(paths)
    if out.exists() and not out.is_dir():
        raise DeckError("the output must be a folder when building a folder or several decks",
                        display_path(out), code="write-failed")
    manifest, note = load_manifest(out)
    if note is not None:
        found.diagnostics.append(note)
    listener.found(found.diagnostics)
    tool = tool_digest()
    reuse = not options.force and tool == manifest.tool  # a new deckgen rebuilds everything

    decks = found.decks
    records: list[PageRecord | None] = [None] * len(decks)
    statuses: list[Status] = ["fresh"] * len(decks)
    jobs: list[Job] = []
    job_index: list[int] = []
    for i, deck in enumerate(decks):
        old = manifest.pages.get(deck.page)
        if reuse and is_fresh(old, deck, options.encoding, out, options.embed_remote):
            records[i] = old
        else:
            job_index.append(i)
            jobs.append(Job(deck, str(out / deck.page), options.encoding, options.embed_remote))
    listener.starting(len(decks), len(jobs))

    result = SiteResult(out, diagnostics=list(found.diagnostics))

    def emit(i: int) -> None:
        record = records[i]
        assert record is not None
        listener.deck(statuses[i], decks[i].page, record)

    report = _in_order(len(decks), emit)
    for i, record in enumerate(records):
        if record is not None:
            report(i)
    finished = {"n": 0}

    def done(j: int, record: PageRecord) -> None:
        i = job_index[j]
        old = manifest.pages.get(decks[i].page)
        if record.failed:
            statuses[i] = "failed"
            # The page an earlier build wrote stays (as after a failed single build) and
            # stays deckgen's to remove; a page deckgen never wrote is never claimed.
            record = _replace(record, size=old.size if old is not None else 0)
        else:
            statuses[i] = "built"
        records[i] = record
        finished["n"] += 1
        listener.progress(finished["n"], len(jobs))
        report(i)

    run_jobs(jobs, options.jobs, done)

    current = {deck.page: record for deck, record in zip(decks, records)}
    result.records = [(statuses[i], decks[i].page, records[i]) for i in range(len(decks))]
    for page in sorted(set(manifest.pages) - set(current)):
        if manifest.pages[page].size > 0 and _remove_page(out, page):
            result.removed.append(page)
            listener.removed(page)

    index = render_index(options.index_title, index_entries(current), index_css)
    result.index_written = _write_if_changed(out / INDEX_NAME, index)
    new = Manifest(tool, {page: r for page, r in current.items()})  # type: ignore[misc]
    _write_if_changed(out / MANIFEST_NAME, new.dumps())
    return result


def check_paths(paths: Sequence[str], jobs: int, encoding: str | None,
                listener: Listener) -> list[tuple[Status, str, PageRecord]]:
    """Build every deck in ``paths`` in memory, writing nothing; report like ``build_site``."""
    found = find_sources(paths)
    if not found.decks and not any(d.level == "error" for d in found.diagnostics):
        found.diagnostics.append(no_decks_error(paths).diagnostic)
    listener.found(found.diagnostics)
    decks = found.decks
    records: list[PageRecord | None] = [None] * len(decks)
    report = _in_order(len(decks), lambda i: listener.deck(
        "failed" if records[i].failed else "checked", None, records[i]))  # type: ignore[union-attr]
    listener.starting(len(decks), len(decks))
    finished = {"n": 0}

    def done(i: int, record: PageRecord) -> None:
        records[i] = record
        finished["n"] += 1
        listener.progress(finished["n"], len(decks))
        report(i)

    run_jobs([Job(deck, None, encoding) for deck in decks], jobs, done)
    return [("failed" if r.failed else "checked", d.page, r)  # type: ignore[union-attr]
            for d, r in zip(decks, records)]


def _remove_page(out: Path, page: str) -> bool:
    """Delete a page deckgen wrote, then any folders that leaves empty (never anything else)."""
    path = out / page
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    except OSError:
        return False
    folder = path.parent
    while folder != out and out in folder.parents:
        try:
            folder.rmdir()  # only succeeds when empty
        except OSError:
            break
        folder = folder.parent
    return True


def _write_if_changed(path: Path, text: str) -> bool:
    """Write unless the file already holds ``text``: unchanged files keep their times."""
    try:
        if path.read_bytes() == text.encode("utf-8"):
            return False
    except OSError:
        pass
    from .build import write_atomic

    write_atomic(path, text)
    return True


def _absolute(path: Path | None) -> Path | None:
    return None if path is None else Path(os.path.normpath(os.path.abspath(path)))


# -- the index page -----------------------------------------------------------------------------

def _date_key(date: str) -> tuple[int, int, int] | None:
    """(year, month, day) from dates as people write them: 2024-05-01, 2024/5/1, 2024.05,
    2024年5月1日, "May 2024" (year only); ``None`` without a four-digit year."""
    match = _DATE.search(date)
    if match is None:
        return None
    year, month, day = match.groups()
    return int(year), int(month or 0), int(day or 0)


def index_entries(pages: dict[str, PageRecord]) -> list[dict]:
    """The index's entries, grouped by folder (the top folder first, then sub-folders by name)
    and, within a folder, newest date first, undated decks after the dated ones, then by title
    and page name."""
    def order(item: tuple[str, PageRecord]):
        page, record = item
        folder = posixpath.dirname(page)
        date = _date_key(record.date)
        dated = (0, -date[0], -date[1], -date[2]) if date else (1, 0, 0, 0)
        return (folder != "", folder.casefold(), folder, dated, record.title.casefold(),
                page)

    entries = []
    for page, record in sorted(pages.items(), key=order):
        error = next((d.format() for d in record.diagnostics if d.level == "error"), None)
        entries.append({
            "href": None if record.failed else quote(page),
            "name": page,
            "folder": posixpath.dirname(page),
            "title": record.title or Path(page).stem,
            "speaker": record.speaker,
            "date": record.date,
            "slides": record.slides,
            "error": error if record.failed else None,
        })
    return entries


def _index_css(theme_spec: str | None) -> str:
    from .themes import DEFAULT_THEME, load_theme

    theme = load_theme(theme_spec or DEFAULT_THEME, Path.cwd(), "--index-theme", None)
    return theme.css


def render_index(title: str, entries: list[dict], css: str) -> str:
    """The site's index.html: one self-contained page listing the decks (no script)."""
    from markupsafe import Markup

    from . import page
    from .assets import FAVICON

    groups: list[tuple[str, list[dict]]] = []
    for entry in entries:
        if not groups or groups[-1][0] != entry["folder"]:
            groups.append((entry["folder"], []))
        groups[-1][1].append(entry)
    template = page._environment().get_template("index.html.j2")
    return template.render(title=title, decks=entries, groups=groups,
                           css=Markup(page._safe_style(css)), favicon=FAVICON,
                           generator=f"deckgen {__version__}")
