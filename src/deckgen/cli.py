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
from .report import Format, IgnoreRule, plural, size_text


def _report(diagnostics: list[Diagnostic], quiet: bool) -> None:
    if quiet:
        return
    for diagnostic in diagnostics:
        click.echo(diagnostic.format(), err=True)


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
    rules: tuple[IgnoreRule, ...] = ()
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


def _checked_build(deck: str, encoding: str | None, rules, strict: bool, quiet: bool,
                   embed_remote: bool = False):
    """Build one deck in memory and report its diagnostics (minus ``--ignore``d ones); with
    ``--strict``, a warning stops here, before anything is written."""
    from .build import build_file

    result = build_file(deck, encoding=encoding, embed_remote=embed_remote)
    _report_checked(result.deck.file, result.diagnostics, rules, strict, quiet)
    return result


def _report_checked(file: str, diagnostics: list[Diagnostic], rules, strict: bool,
                    quiet: bool) -> None:
    """Print ``diagnostics`` as ``--ignore`` leaves them (with a note for each rule that
    matched nothing); with ``--strict``, raise if a warning is left."""
    if rules:
        from .report import Filter

        ignore = Filter(rules)
        diagnostics = ignore(diagnostics) + ignore.notes(file)
    _report(diagnostics, quiet)
    warnings = [d for d in diagnostics if d.level == "warning"]
    if strict and warnings:
        raise DeckError(f"{plural(len(warnings), 'warning')} and --strict: nothing written",
                        file, code="strict")


def _build_one(deck: str, out: str | None, strict: bool, rules, encoding: str | None,
               quiet: bool, verbose: bool, pdf_browser: str | None = None,
               pdf: bool = False, embed_remote: bool = False) -> None:
    from .build import output_path, write_atomic

    started = time.perf_counter()
    pdf_target = None
    if pdf:
        from .pdf import find_browser

        program = find_browser(pdf_browser)  # no browser: fail before building anything
        # `-o talk.pdf` names the PDF; the page goes beside it as talk.html.
        if out is not None and out.lower().endswith(".pdf") and not os.path.isdir(out):
            pdf_target = output_path(deck, out, (".pdf",))
            out = str(pdf_target.with_suffix(".html"))
    target = output_path(deck, out)
    result = _checked_build(deck, encoding, rules, strict, quiet, embed_remote)
    size = write_atomic(target, result.html)
    if not quiet:
        count = len(result.slides)
        click.echo(f"wrote {target.as_posix()} ({plural(count, 'slide')}, {size_text(size)})")
    if pdf:
        from .pdf import write_pdf

        pdf_target = pdf_target or target.with_suffix(".pdf")
        pages = write_pdf(target, pdf_target, program)
        if not quiet:
            click.echo(f"wrote {pdf_target.as_posix()} ({plural(pages, 'page')}, "
                       f"{size_text(pdf_target.stat().st_size)})")
    if verbose:
        click.echo(f"built in {time.perf_counter() - started:.3f} s", err=True)


def _build_site(paths: tuple[str, ...], out: str | None, strict: bool, rules,
                encoding: str | None, jobs: int | None, force: bool, index_title: str,
                index_theme: str | None, quiet: bool, verbose: bool,
                embed_remote: bool = False) -> None:
    from pathlib import Path

    from .report import BuildPrinter, Filter, Progress, wants_progress_bar
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
    _fail_on(tally.errors, tally.warnings, strict)


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
def check(ctx: click.Context, paths: tuple[str, ...], fmt: Format, strict: bool,
          ignore: tuple[str, ...], encoding: str | None, jobs: int | None,
          verbose: bool) -> None:
    """Report every error and warning in the decks (files, or folders searched like build
    does) without writing anything. Exit 1 on errors, and on warnings with --strict."""
    from .report import CheckPrinter, Filter, Progress, parse_ignores, wants_progress_bar
    from .site import check_paths, default_jobs

    printer = CheckPrinter(fmt, Filter(parse_ignores(ignore)), Progress(wants_progress_bar()))
    try:
        check_paths(paths, jobs or default_jobs(), encoding, printer)
    finally:
        printer.finish()
    click.echo(printer.summary(), err=True)
    _fail_on(printer.tally.errors, printer.tally.warnings, strict)


def _fail_on(errors: int, warnings: int, strict: bool) -> None:
    """The last line of a folder build or a check that fails, saying why: ``failed: 1 error,
    4 warnings and --strict``."""
    problems = []
    if errors:
        problems.append(plural(errors, "error"))
    if strict and warnings:
        problems.append(f"{plural(warnings, 'warning')} and --strict")
    if problems:
        raise DeckError(f"failed: {', '.join(problems)}", code="failed")


@cli.command(epilog="""\b
Examples:
  deckgen serve decks/keras.txt --open
  deckgen serve decks/ -a 127.0.0.1:8001          # the same as --host 127.0.0.1 --port 8001""")
@click.argument("target", metavar="[DECK_OR_FOLDER]", default=".")
@click.option("-a", "--dev-addr", metavar="HOST:PORT",
              help="Address and port to listen on, as for mkdocs serve (IPv6: [::1]:8000). "
                   "Instead of --host and --port.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. 0.0.0.0 exposes the deck's folder to your network.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on; 0 picks a free one.")
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in your browser.")
@click.option("--encoding", metavar="NAME", help="The deck's text encoding if not UTF-8.")
@click.option("-v", "--verbose", is_flag=True, help="Log requests and print warnings.")
@click.pass_context
def serve(ctx: click.Context, target: str, dev_addr: str | None, host: str, port: int,
          open_browser: bool, encoding: str | None, verbose: bool) -> None:
    """Preview DECK (or every deck in a FOLDER, default: the current one) with live reload.

    Saving the deck (or an image or theme it uses) updates the open page in place, on the same
    slide. Build errors show over the last good version until the file is fixed.
    """
    from pathlib import Path

    from .serve import run
    from .serve.server import parse_address

    if dev_addr is not None:
        given = [f"--{name}" for name in ("host", "port")
                 if ctx.get_parameter_source(name) is not click.core.ParameterSource.DEFAULT]
        if given:
            raise click.UsageError(f"give the address either as -a/--dev-addr HOST:PORT or with "
                                   f"--host/--port, not both (got -a and {' and '.join(given)})")
        try:
            host, port = parse_address(dev_addr)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="'-a' / '--dev-addr'") from None
    run(Path(target), host, port, encoding, open_browser, verbose)


@cli.command("pdf", epilog="Example: deckgen pdf decks/keras.txt   # writes site/keras.pdf")
@click.argument("deck", metavar="DECK")
@click.option("-o", "--output", "out", metavar="OUT",
              help="Output file (ending in .pdf) or folder. Default: site/<name>.pdf")
@click.option("--browser", metavar="PATH",
              help="The Chrome, Chromium or Edge to print with. Default: the first found on "
                   "PATH or where they are usually installed.")
@click.option("--notes", is_flag=True,
              help="Print each slide's speaker notes under it (one taller page per slide).")
@click.option("--strict", is_flag=True, help="Fail (exit 1, nothing written) on any warning.")
@_ignore_option
@click.option("--encoding", metavar="NAME",
              help="The deck's text encoding if it is not UTF-8, e.g. gb18030.")
@_verbosity
def pdf(deck: str, out: str | None, browser: str | None, notes: bool, strict: bool,
        ignore: tuple[str, ...], encoding: str | None, quiet: bool, verbose: bool) -> None:
    """Build DECK and print it to a PDF with a headless Chrome or Chromium: one 16:9 page per
    slide, every step shown, colours and backgrounds kept, an outline from the slide titles.

    Nothing is fetched from the network: remote images print as missing. The PDF is written
    atomically: a failure leaves an earlier one untouched.
    """
    from .build import output_path
    from .pdf import find_browser, print_deck

    started = time.perf_counter()
    program = find_browser(browser)  # before building: say what is missing first
    target = output_path(deck, out, (".pdf",))
    rules: tuple[IgnoreRule, ...] = ()
    if ignore:
        from .report import parse_ignores

        rules = parse_ignores(ignore)
    result = _checked_build(deck, encoding, rules, strict, quiet)
    printed = print_deck(result, target, program, notes=notes)
    if not quiet:
        for message in printed.warnings:
            click.echo(f"{result.deck.file}: warning: {message}", err=True)
        click.echo(f"wrote {target.as_posix()} ({plural(printed.pages, 'page')}, "
                   f"{size_text(target.stat().st_size)})")
    if verbose:
        click.echo(f"printed in {time.perf_counter() - started:.3f} s", err=True)


@cli.command("pptx", epilog="""\b
Examples:
  deckgen pptx decks/keras.txt                 # writes site/keras.pptx
  deckgen pptx decks/keras.txt -o talk.pptx""")
@click.argument("deck", metavar="DECK")
@click.option("-o", "--output", "out", metavar="OUT",
              help="Output file (ending in .pptx) or folder. Default: site/<name>.pptx")
@click.option("--strict", is_flag=True,
              help="Any warning (the build's or the export's) fails: exit 1, nothing written.")
@_ignore_option
@click.option("--encoding", metavar="NAME",
              help="The deck's text encoding if it is not UTF-8, e.g. gb18030.")
@click.option("--browser", metavar="PATH",
              help="The Chrome or Chromium that pictures slides PowerPoint cannot hold. "
                   "Default: the first found, as for deckgen pdf; without one those slides "
                   "keep only their text.")
@_verbosity
def pptx(deck: str, out: str | None, strict: bool, ignore: tuple[str, ...],
         encoding: str | None, browser: str | None, quiet: bool, verbose: bool) -> None:
    """Export DECK as an editable PowerPoint file: one 16:9 slide per deck slide.

    Headings become slide titles, lists bullet levels, tables PowerPoint tables, code
    monospaced text in the code style's colours; images are placed, notes go to the notes
    pane, and each step of a slide (fragments, [magic] parts) is a click animation. Slides
    with HTML PowerPoint has no equivalent for (iframes, MathML, nodeppt's columns...) are
    placed as pictures, taken offline by a headless Chrome or Chromium. The file is written
    atomically.
    """
    from pathlib import Path

    from .build import build_file, output_path, write_atomic
    from .pptx_export import export_pptx, require_python_pptx

    started = time.perf_counter()
    require_python_pptx()
    if browser:
        from .pdf import find_browser

        find_browser(browser)  # a wrong --browser fails before anything is built
    target = output_path(deck, out, (".pptx",))
    rules: tuple[IgnoreRule, ...] = ()
    if ignore:
        from .report import parse_ignores

        rules = parse_ignores(ignore)
    result = build_file(deck, encoding=encoding)
    if strict:  # failing anyway: say so now rather than after picturing slides
        from .report import Filter

        if [d for d in Filter(rules)(result.diagnostics) if d.level == "warning"]:
            _report_checked(result.deck.file, result.diagnostics, rules, strict, quiet)
    # The export's warnings count for --strict too, so it runs first; nothing is written
    # (and no folder made) before they are judged. Pictures are taken in the output's folder,
    # or the nearest one that exists (a snap-packaged Chromium cannot read /tmp).
    workdir = next((folder for folder in (target.parent, *target.parent.parents)
                    if folder.is_dir()), Path.cwd())
    exported = export_pptx(result, browser, workdir=workdir)
    _report_checked(result.deck.file, [*result.diagnostics, *exported.diagnostics], rules,
                    strict, quiet)
    size = write_atomic(target, exported.data)
    if not quiet:
        pictures = len(exported.pictures)
        extra = ("" if not pictures
                 else f", {pictures} as {'a picture' if pictures == 1 else 'pictures'}")
        click.echo(f"wrote {target.as_posix()} ({plural(exported.slides, 'slide')}{extra}, "
                   f"{size_text(size)})")
    if verbose:
        click.echo(f"exported in {time.perf_counter() - started:.3f} s", err=True)


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
