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
      deckgen build decks/ -o site/            # every deck, and site/index.html
      deckgen check decks/                     # report problems, write nothing
    """


def _ignore_option(f):
    return click.option(
        "--ignore", "ignore", multiple=True, metavar="[FILE:]CODE",
        help="Drop warnings with this code (e.g. image-not-found), in every deck or only in "
             "decks whose path ends like FILE (a glob: keras.txt, talks/*.md). Repeatable. "
             "Ignored warnings are not printed and do not count for --strict.")(f)


def _jobs_option(f):
    return click.option(
        "-j", "--jobs", type=click.IntRange(min=1), default=None, metavar="N",
        help="Build N decks at once, in separate processes. Default: the number of cores.")(f)


@cli.command(epilog="""\b
Examples:
  deckgen build decks/keras.txt                   # writes site/keras.html
  deckgen build decks/ -o site/ --strict          # every deck in decks/, plus site/index.html""")
@click.argument("paths", metavar="DECK_OR_FOLDER...", nargs=-1, required=True)
@click.option("-o", "--output", "out", metavar="OUT",
              help="One deck: the output file (ending in .html) or folder, default "
                   "site/<name>.html. Folders or several decks: the output folder, default site/.")
@click.option("--strict", is_flag=True,
              help="Any warning fails the build (exit 1). One deck: nothing is written. A site: "
                   "every deck is still built and reported first.")
@_ignore_option
@click.option("--encoding", metavar="NAME",
              help="The decks' text encoding if it is not UTF-8, e.g. gb18030.")
@_jobs_option
@click.option("--force", is_flag=True, help="Rebuild every deck, even those that have not changed.")
@click.option("--index-title", metavar="TEXT", default="Decks", show_default=True,
              help="The heading of the site's index.html.")
@click.option("--index-theme", metavar="THEME",
              help="The theme of index.html: a built-in name or a .css file. Default: light.")
@click.option("--pdf", is_flag=True,
              help="Also print the deck to a PDF beside the HTML (one deck only; needs an "
                   "installed Chrome or Chromium, as `deckgen pdf`).")
@click.option("--browser", metavar="PATH", help="The Chrome/Chromium to print --pdf with.")
@click.option("--embed-remote", is_flag=True,
              help="Download remote images (http/https) and embed them, so the page needs no "
                   "network; downloads are cached (see docs/cli.md). Default: they stay links, "
                   "with a warning.")
@_verbosity
def build(paths: tuple[str, ...], out: str | None, strict: bool, ignore: tuple[str, ...],
          encoding: str | None, jobs: int | None, force: bool, index_title: str,
          index_theme: str | None, pdf: bool, browser: str | None, embed_remote: bool,
          quiet: bool, verbose: bool) -> None:
    """Build a DECK into one self-contained HTML file that works offline, or every deck in a
    FOLDER (and its sub-folders) into a site with an index.html.

    All CSS, JavaScript, highlighted code and local images are inside each page. Pages are
    written atomically: a failed build leaves an earlier output untouched. A site build only
    rebuilds decks that changed, removes the pages of decks that are gone, and goes on past
    a broken deck (the exit status is then 1).
    """
    _state["verbose"] = verbose
    rules = ()
    if ignore:
        from .report import parse_ignores

        rules = parse_ignores(ignore)
    if len(paths) == 1 and not os.path.isdir(paths[0]):
        _build_one(paths[0], out, strict, rules, encoding, quiet, verbose,
                   pdf_browser=browser if pdf else None, pdf=pdf, embed_remote=embed_remote)
    else:
        if pdf:
            raise click.UsageError("--pdf prints one deck; for a folder, run `deckgen pdf` "
                                   "on each deck")
        _build_site(paths, out, strict, rules, encoding, jobs, force, index_title, index_theme,
                    quiet, verbose, embed_remote)


def _build_one(deck: str, out: str | None, strict: bool, rules, encoding: str | None,
               quiet: bool, verbose: bool, pdf_browser: str | None = None,
               pdf: bool = False, embed_remote: bool = False) -> None:
    from .build import build_file, output_path, write_atomic

    started = time.perf_counter()
    if pdf:
        from .pdf import find_browser

        program = find_browser(pdf_browser)  # no browser: fail before building anything
    result = build_file(deck, encoding=encoding, embed_remote=embed_remote)
    diagnostics = result.diagnostics
    if rules:
        from .report import Filter

        ignore = Filter(rules)
        diagnostics = ignore(diagnostics)
        if not quiet:
            for text in ignore.unused():
                click.echo(f"note: --ignore {text} matched no warning", err=True)
    _report(diagnostics, quiet)
    warnings = [d for d in diagnostics if d.level == "warning"]
    if strict and warnings:
        n = len(warnings)
        raise DeckError(f"{n} warning{'s' if n != 1 else ''} and --strict: nothing written",
                        result.deck.file, code="strict")
    target = output_path(deck, out)
    size = write_atomic(target, result.html)
    if not quiet:
        count = len(result.slides)
        click.echo(f"wrote {target.as_posix()} ({count} slide{'s' if count != 1 else ''}, "
                   f"{_size(size)})")
    if pdf:
        from .pdf import write_pdf

        pdf_target = target.with_suffix(".pdf")
        pages = write_pdf(target, pdf_target, program)
        if not quiet:
            click.echo(f"wrote {pdf_target.as_posix()} ({pages} page{'s' if pages != 1 else ''})")
    if verbose:
        click.echo(f"built in {time.perf_counter() - started:.3f} s", err=True)


def _build_site(paths: tuple[str, ...], out: str | None, strict: bool, rules,
                encoding: str | None, jobs: int | None, force: bool, index_title: str,
                index_theme: str | None, quiet: bool, verbose: bool,
                embed_remote: bool = False) -> None:
    from pathlib import Path

    from .report import BuildPrinter, Filter, Progress, plural, wants_progress_bar
    from .site import SiteOptions, build_site, default_jobs

    if out is not None and out.lower().endswith((".html", ".htm")) and not os.path.isdir(out):
        raise click.UsageError("-o must be a folder when building a folder or several decks")
    started = time.perf_counter()
    target = Path(out if out is not None else "site")
    printer = BuildPrinter(target, Filter(rules), quiet, verbose,
                           Progress(not quiet and wants_progress_bar()))
    options = SiteOptions(target, jobs or default_jobs(), force, encoding, index_title,
                          index_theme, embed_remote)
    try:
        result = build_site(paths, options, printer)
    finally:
        printer.finish()
    tally = printer.tally
    failed = result.count("failed")
    if not quiet:
        parts = [f"{result.count('built')} built", f"{result.count('fresh')} up to date"]
        if failed:
            parts.append(f"{failed} failed")
        if result.removed:
            parts.append(f"{len(result.removed)} removed")
        ignored = printer.ignore.ignored
        click.echo(f"{plural(tally.decks, 'deck')} in {target.as_posix()}/: {', '.join(parts)}; "
                   f"{plural(tally.warnings, 'warning')}"
                   f"{f' ({ignored} ignored)' if ignored else ''}")
    if verbose:
        click.echo(f"built in {time.perf_counter() - started:.3f} s", err=True)
    problems = []
    if tally.errors:
        problems.append(plural(tally.errors, "error"))
    if strict and tally.warnings:
        problems.append(f"{plural(tally.warnings, 'warning')} and --strict")
    if problems:
        raise DeckError(f"failed: {', '.join(problems)}",
                        code="failed")


@cli.command(epilog="""\b
Examples:
  deckgen check decks/
  deckgen check decks/ --strict --format github   # annotations on a pull request""")
@click.argument("paths", metavar="DECK_OR_FOLDER...", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text",
              show_default=True,
              help="text: file:line: level: message. json: a list of {file, line, level, code, "
                   "message}. github: workflow commands that annotate a pull request's lines.")
@click.option("--strict", is_flag=True, help="Warnings fail the check too (exit 1).")
@_ignore_option
@click.option("--encoding", metavar="NAME",
              help="The decks' text encoding if it is not UTF-8, e.g. gb18030.")
@_jobs_option
@click.option("-v", "--verbose", is_flag=True, help="Print a traceback with errors.")
@click.pass_context
def check(ctx: click.Context, paths: tuple[str, ...], fmt: str, strict: bool,
          ignore: tuple[str, ...], encoding: str | None, jobs: int | None,
          verbose: bool) -> None:
    """Report every error and warning in the decks (files, or folders searched like build
    does) without writing anything. Exit 1 on errors, and on warnings with --strict."""
    from .report import CheckPrinter, Filter, Progress, parse_ignores, wants_progress_bar
    from .site import check_paths, default_jobs

    _state["verbose"] = verbose
    printer = CheckPrinter(fmt, Filter(parse_ignores(ignore)),  # type: ignore[arg-type]
                           Progress(wants_progress_bar()))
    try:
        check_paths(paths, jobs or default_jobs(), encoding, printer)
    finally:
        printer.finish()
    click.echo(printer.summary(), err=True)
    if printer.tally.errors or (strict and printer.tally.warnings):
        ctx.exit(1)


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
    if argv is None and args[:1] in (["build"], ["check"]):
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


from .pdf import pdf_command  # noqa: E402  (deckgen pdf; pdf.py owns it)

cli.add_command(pdf_command)
