"""The ``deckgen`` command line: option parsing and reporting only, the work is elsewhere."""

from __future__ import annotations

import gc
import os
import sys
import time
import traceback

import click

from . import __version__
from .model import DeckError, Diagnostic

_state = {"verbose": False}


def _report(diagnostics: list[Diagnostic], quiet: bool) -> None:
    if quiet:
        return
    for diagnostic in diagnostics:
        click.echo(diagnostic.format(), err=True)


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KiB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MiB"


def _verbosity(f):
    f = click.option("-q", "--quiet", is_flag=True, help="Print only errors.")(f)
    f = click.option("-v", "--verbose", is_flag=True,
                     help="Print timings, and a traceback with errors.")(f)
    return f


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="deckgen")
def cli() -> None:
    """Turn a nodeppt-style [slide] deck into one self-contained HTML file.

    \b
    Example:
      deckgen build decks/keras.txt            # writes site/keras.html
      deckgen build decks/keras.txt -o talk.html
    """


@cli.command(epilog="Example: deckgen build decks/keras.txt -o site/")
@click.argument("deck", metavar="DECK")
@click.option("-o", "--output", "out", metavar="OUT",
              help="Output file (ending in .html) or folder. Default: site/<name>.html")
@click.option("--strict", is_flag=True, help="Fail (exit 1, nothing written) on any warning.")
@click.option("--encoding", metavar="NAME",
              help="The deck's text encoding if it is not UTF-8, e.g. gb18030.")
@_verbosity
def build(deck: str, out: str | None, strict: bool, encoding: str | None, quiet: bool,
          verbose: bool) -> None:
    """Build DECK into one self-contained HTML file that works offline.

    All CSS, JavaScript, highlighted code and local images are inside the file. The file is
    written atomically: a failed build leaves an earlier output untouched.
    """
    from .build import build_file, output_path, write_atomic

    _state["verbose"] = verbose
    started = time.perf_counter()
    result = build_file(deck, encoding=encoding)
    _report(result.diagnostics, quiet)
    if strict and result.warnings:
        n = len(result.warnings)
        raise DeckError(f"{n} warning{'s' if n != 1 else ''} and --strict: nothing written",
                        result.deck.file, code="strict")
    target = output_path(deck, out)
    size = write_atomic(target, result.html)
    if not quiet:
        count = len(result.slides)
        click.echo(f"wrote {target.as_posix()} ({count} slide{'s' if count != 1 else ''}, "
                   f"{_size(size)})")
    if verbose:
        click.echo(f"built in {time.perf_counter() - started:.3f} s", err=True)


@cli.command(epilog="Example: deckgen serve decks/keras.txt --open")
@click.argument("target", metavar="DECK_OR_FOLDER", default=".")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. 0.0.0.0 exposes the deck's folder to your network.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on; 0 picks a free one.")
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in your browser.")
@click.option("--encoding", metavar="NAME", help="The deck's text encoding if not UTF-8.")
@click.option("-v", "--verbose", is_flag=True, help="Log requests and print warnings.")
def serve(target: str, host: str, port: int, open_browser: bool, encoding: str | None,
          verbose: bool) -> None:
    """Preview DECK (or every deck in a folder) with live reload.

    Saving the deck (or an image or theme it uses) updates the open page in place, on the same
    slide. Build errors show over the last good version until the file is fixed.
    """
    from pathlib import Path

    from .serve import run

    _state["verbose"] = verbose
    run(Path(target), host, port, encoding, open_browser, verbose)


def main(argv: list[str] | None = None) -> None:
    """Entry point: errors print ``file:line: message`` and exit 1; tracebacks only with -v."""
    args = sys.argv[1:] if argv is None else argv
    if argv is None and args[:1] == ["build"]:
        gc.disable()  # a short-lived process: the cyclic collector only costs time here
    verbose = any(a in ("-v", "--verbose") for a in args)
    try:
        code = cli.main(args=args, prog_name="deckgen", standalone_mode=False)
    except click.exceptions.Exit as exc:
        code = exc.exit_code
    except click.ClickException as exc:
        if verbose and isinstance(exc, DeckError):
            traceback.print_exc()
        exc.show()
        code = exc.exit_code
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        code = 130
    except KeyboardInterrupt:
        code = 130
    except BrokenPipeError:
        code = 1
    except Exception as exc:  # a bug in deckgen: say so plainly
        if verbose:
            traceback.print_exc()
        click.echo(f"deckgen: internal error: {type(exc).__name__}: {exc}"
                   f"{'' if verbose else ' (run with -v for the traceback)'}", err=True)
        code = 1
    code = code if isinstance(code, int) else 0
    if argv is None:  # the console script: skip the interpreter's teardown
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)
    sys.exit(code)
