"""Printing what ``build`` and ``check`` found: compiler-style text, JSON or GitHub workflow
annotations; ``--ignore`` rules; the progress bar (terminals only, never in CI logs)."""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, TYPE_CHECKING, Literal

import click

from .model import Diagnostic

if TYPE_CHECKING:  # a one-deck build prints with this module and never needs the site code
    from .site import PageRecord, Status

Format = Literal["text", "json", "github"]
_CODE = re.compile(r"[a-z0-9][a-z0-9-]*\Z")


# -- --ignore -----------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class IgnoreRule:
    """``--ignore CODE`` (every file) or ``--ignore FILE:CODE`` (matching files only)."""

    text: str
    code: str
    pattern: str | None
    """A glob matched against the end of the deck's path (``keras.txt``, ``decks/*.md``)."""

    def matches(self, diagnostic: Diagnostic) -> bool:
        return (diagnostic.level == "warning" and diagnostic.code == self.code
                and (self.pattern is None or PurePosixPath(diagnostic.file).match(self.pattern)))


def parse_ignores(values: Iterable[str]) -> tuple[IgnoreRule, ...]:
    rules = []
    for value in values:
        pattern, _, code = value.rpartition(":")
        if not _CODE.match(code) or (pattern == "" and value.startswith(":")):
            raise click.BadParameter(
                f"'{value}': give a warning code (like image-not-found) or FILE:CODE "
                "(like decks/keras.txt:image-not-found)", param_hint="'--ignore'")
        rules.append(IgnoreRule(value, code, pattern.replace("\\", "/") or None))
    return tuple(rules)


@dataclass(slots=True)
class Filter:
    """Drops the warnings ``--ignore`` names, and remembers which rules were used."""

    rules: tuple[IgnoreRule, ...] = ()
    ignored: int = 0
    used: set[str] = field(default_factory=set)

    def __call__(self, diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
        kept = []
        for diagnostic in diagnostics:
            rule = next((r for r in self.rules if r.matches(diagnostic)), None)
            if rule is None:
                kept.append(diagnostic)
            else:
                self.ignored += 1
                self.used.add(rule.text)
        return kept

    def notes(self, file: str) -> list[Diagnostic]:
        """A note for each rule that dropped nothing (a mistyped code, often), about ``file``:
        the deck of a single build, else ``deckgen`` (the rules are the command line's)."""
        return [Diagnostic(file, None, "note", "ignore-unused",
                           f"--ignore {r.text} matched no warning")
                for r in self.rules if r.text not in self.used]


# -- output formats -----------------------------------------------------------------------------

def format_text(diagnostic: Diagnostic) -> str:
    """``file:line: level: message``, the level spelled out for errors too."""
    return f"{diagnostic.location}: {diagnostic.level}: {diagnostic.message}"


def as_json(diagnostics: Sequence[Diagnostic]) -> str:
    return json.dumps([{"file": d.file, "line": d.line, "level": d.level, "code": d.code,
                        "message": d.message} for d in diagnostics],
                      ensure_ascii=False, indent=2) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(diagnostic: Diagnostic) -> str:
    """A GitHub Actions workflow command: shown on the pull request's line."""
    command = {"error": "error", "warning": "warning"}.get(diagnostic.level, "notice")
    props = [f"file={_escape_property(diagnostic.file)}"]
    if diagnostic.line:
        props.append(f"line={diagnostic.line}")
    props.append(f"title={_escape_property('deckgen ' + diagnostic.code)}")
    return f"::{command} {','.join(props)}::{_escape_data(diagnostic.message)}"


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def size_text(n: int) -> str:
    return f"{n / 1024:.0f} KiB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MiB"


# -- the progress bar ---------------------------------------------------------------------------

def wants_progress_bar(stream: IO[str] | None = None) -> bool:
    """On a terminal only: not in pipes, files, dumb terminals or CI logs (``CI`` set)."""
    stream = stream or sys.stderr
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        tty = False
    return tty and not os.environ.get("CI") and os.environ.get("TERM") != "dumb"


class Progress:
    """``[#######.........]  37/200 decks`` redrawn in place on standard error; lines printed
    meanwhile go above it."""

    WIDTH = 30

    def __init__(self, enabled: bool, stream: IO[str] | None = None) -> None:
        self.enabled = enabled
        self.stream = stream
        self.shown = False
        self.done = 0
        self.total = 0

    def update(self, done: int, total: int) -> None:
        self.done, self.total = done, total
        if self.enabled and total:
            filled = self.WIDTH * done // total
            bar = "#" * filled + "." * (self.WIDTH - filled)
            self._write(f"\r\x1b[K[{bar}] {done:>{len(str(total))}}/{total} decks")
            self.shown = True

    def clear(self) -> None:
        if self.shown:
            self._write("\r\x1b[K")
            self.shown = False

    def echo(self, text: str, err: bool = False) -> None:
        shown = self.shown
        self.clear()
        click.echo(text, err=err)
        if shown:
            self.update(self.done, self.total)

    def _write(self, text: str) -> None:
        stream = self.stream or sys.stderr
        stream.write(text)
        stream.flush()


# -- listeners: what build and check print as decks finish ---------------------------------------

@dataclass(slots=True)
class Tally:
    errors: int = 0
    warnings: int = 0
    decks: int = 0


class _Printer:
    """What build and check print alike: counting, filtering, and the progress bar."""

    ignore: Filter
    bar: Progress
    tally: Tally

    def _diagnostics(self, diagnostics: Iterable[Diagnostic]) -> None:
        for diagnostic in self.ignore(diagnostics):
            if diagnostic.level == "error":
                self.tally.errors += 1
            elif diagnostic.level == "warning":
                self.tally.warnings += 1
            self._show(diagnostic)

    def _show(self, diagnostic: Diagnostic) -> None:
        raise NotImplementedError

    def found(self, diagnostics: list[Diagnostic]) -> None:
        self._diagnostics(diagnostics)

    def starting(self, total: int, to_build: int) -> None:
        self.tally.decks = total
        self.bar.update(0, to_build)

    def progress(self, done: int, to_build: int) -> None:
        self.bar.update(done, to_build)


class BuildPrinter(_Printer):
    """``deckgen build FOLDER``: warnings and errors on stderr as ``file:line: ...`` (like a
    single build), one ``wrote`` line per page built on stdout, a summary at the end."""

    def __init__(self, out: Path, ignore: Filter, quiet: bool, verbose: bool,
                 progress: Progress) -> None:
        self.out, self.ignore, self.quiet, self.verbose = out, ignore, quiet, verbose
        self.bar = progress
        self.tally = Tally()

    def _show(self, diagnostic: Diagnostic) -> None:
        if diagnostic.level == "error" or not self.quiet:
            self.bar.echo(diagnostic.format(), err=True)

    def deck(self, status: Status, page: str | None, record: PageRecord) -> None:
        self._diagnostics(record.diagnostics)
        target = (self.out / page).as_posix() if page else record.source
        if status == "built" and not self.quiet:
            self.bar.echo(f"wrote {target} ({plural(record.slides, 'slide')}, "
                          f"{size_text(record.size)})")
        elif status == "fresh" and self.verbose:
            self.bar.echo(f"up to date: {target}")

    def removed(self, page: str) -> None:
        if not self.quiet:
            self.bar.echo(f"removed {(self.out / page).as_posix()} (its deck is gone)")

    def finish(self) -> None:
        self.bar.clear()
        if not self.quiet:
            for note in self.ignore.notes("deckgen"):
                click.echo(note.format(), err=True)


class CheckPrinter(_Printer):
    """``deckgen check``: every diagnostic on stdout in the chosen format."""

    def __init__(self, fmt: Format, ignore: Filter, progress: Progress) -> None:
        self.format, self.ignore, self.bar = fmt, ignore, progress
        self.tally = Tally()
        self.collected: list[Diagnostic] = []

    def _show(self, diagnostic: Diagnostic) -> None:
        if self.format == "json":
            self.collected.append(diagnostic)
        elif self.format == "github":
            self.bar.echo(format_github(diagnostic))
        else:
            self.bar.echo(format_text(diagnostic))

    def deck(self, status: Status, page: str | None, record: PageRecord) -> None:
        self._diagnostics(record.diagnostics)

    def removed(self, page: str) -> None:  # check removes nothing
        pass

    def finish(self) -> None:
        self.bar.clear()
        if self.format == "json":
            click.echo(as_json(self.collected), nl=False)
        for note in self.ignore.notes("deckgen"):
            click.echo(note.format(), err=True)

    def summary(self) -> str:
        t = self.tally
        ignored = f" ({self.ignore.ignored} ignored)" if self.ignore.ignored else ""
        return (f"checked {plural(t.decks, 'deck')}: {plural(t.errors, 'error')}, "
                f"{plural(t.warnings, 'warning')}{ignored}")
