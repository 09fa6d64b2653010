"""Many decks at once: finding them in folders, building them in parallel, the site around them.

    paths --find_sources--> DeckFile per deck (+ notes about skipped files)     discovery.py
          --compare with the manifest--> up-to-date records | jobs               manifest.py
          --run_jobs (processes)--> PageRecord per built deck (its page written by the worker)
          --> pages of vanished decks removed, index.html and the manifest written  index.py

``build`` (a folder or several decks) and ``check`` share the finding and the parallel runner
(here); ``serve`` shares ``find_decks``.

This package imports the build pipeline lazily: an up-to-date site never loads it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol

from ..model import DeckError, Diagnostic
from ..source import display_path
from .discovery import DECK_SUFFIXES, DeckFile, find_decks, find_sources, no_decks_error
from .index import INDEX_NAME, index_css, index_entries, render_index
from .manifest import (
    MANIFEST_NAME,
    Manifest,
    PageRecord,
    dependency_files,
    is_fresh,
    load_manifest,
    tool_digest,
)

__all__ = [  # what the command line, report.py and serve use
    "DECK_SUFFIXES", "Job", "Listener", "PageRecord", "SiteOptions", "SiteResult", "Status",
    "build_site", "check_paths", "default_jobs", "find_decks", "run_job", "run_jobs",
]


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
    from ..build import build_file, write_atomic

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
    return PageRecord(
        deck.display, deck.digest, job.encoding, dependency_files(deck.path, result.files),
        title=result.title, speaker=result.settings.speaker, date=result.settings.date,
        slides=len(result.slides), size=size, diagnostics=tuple(result.diagnostics),
        embed_remote=job.embed_remote)


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
    records: dict[int, PageRecord] = {}  # by job, in the order they finish
    if workers <= 1 or len(jobs) <= 1:
        for i, job in enumerate(jobs):
            records[i] = run_job(job)
            done(i, records[i])
        return [records[i] for i in range(len(jobs))]

    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from .. import build  # noqa: F401 - imported once here, inherited by forked workers

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
    return [records[i] for i in range(len(jobs))]



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
    css = index_css(options.index_theme)  # a bad --index-theme fails before any work
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
    records: dict[int, PageRecord] = {}  # by deck: the fresh ones now, the others as they finish
    statuses: list[Status] = ["fresh"] * len(decks)
    jobs: list[Job] = []
    job_index: list[int] = []
    for i, deck in enumerate(decks):
        old = manifest.pages.get(deck.page)
        if (reuse and old is not None
                and is_fresh(old, deck, options.encoding, out, options.embed_remote)):
            records[i] = old
        else:
            job_index.append(i)
            jobs.append(Job(deck, str(out / deck.page), options.encoding, options.embed_remote))
    listener.starting(len(decks), len(jobs))

    result = SiteResult(out, diagnostics=list(found.diagnostics))

    def emit(i: int) -> None:
        listener.deck(statuses[i], decks[i].page, records[i])

    report = _in_order(len(decks), emit)
    for i in sorted(records):
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

    current = {deck.page: records[i] for i, deck in enumerate(decks)}
    result.records = [(statuses[i], decks[i].page, records[i]) for i in range(len(decks))]
    for page in sorted(set(manifest.pages) - set(current)):
        if manifest.pages[page].size > 0 and _remove_page(out, page):
            result.removed.append(page)
            listener.removed(page)

    index = render_index(options.index_title, index_entries(current), css)
    _write_if_changed(out / INDEX_NAME, index)
    new = Manifest(tool, current)
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
    records: dict[int, PageRecord] = {}  # by deck, in the order they finish

    def emit(i: int) -> None:
        listener.deck("failed" if records[i].failed else "checked", None, records[i])

    report = _in_order(len(decks), emit)
    listener.starting(len(decks), len(decks))
    finished = {"n": 0}

    def done(i: int, record: PageRecord) -> None:
        records[i] = record
        finished["n"] += 1
        listener.progress(finished["n"], len(decks))
        report(i)

    run_jobs([Job(deck, None, encoding) for deck in decks], jobs, done)
    return [("failed" if records[i].failed else "checked", deck.page, records[i])
            for i, deck in enumerate(decks)]


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


def _write_if_changed(path: Path, text: str) -> None:
    """Write unless the file already holds ``text``: unchanged files keep their times."""
    try:
        if path.read_bytes() == text.encode("utf-8"):
            return
    except OSError:
        pass
    from ..build import write_atomic

    write_atomic(path, text)

