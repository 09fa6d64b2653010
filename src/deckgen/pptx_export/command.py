"""``deckgen pptx``: the command line of the PowerPoint export (cli.py adds it).

Importing this module is cheap: python-pptx (an optional dependency, ``deckgen[pptx]``) is
imported only when the command runs, and its absence is a clear error.
"""

from __future__ import annotations

import time
from pathlib import Path

import click

from ..model import DeckError

INSTALL = 'pip install "deckgen[pptx]"'


class MissingDependency(DeckError):
    def __init__(self, name: str) -> None:
        super().__init__(f"deckgen pptx needs the python-pptx package ({name} is not "
                         f"installed): {INSTALL}", code="missing-dependency")


def require_python_pptx() -> None:
    """Fail clearly, before any work, when python-pptx (or Pillow, which it brings) is
    missing."""
    for module, name in (("pptx", "python-pptx"), ("PIL", "Pillow")):
        try:
            __import__(module)
        except ImportError:
            raise MissingDependency(name) from None


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KiB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MiB"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


@click.command("pptx", epilog="""\b
Examples:
  deckgen pptx decks/keras.txt                 # writes site/keras.pptx
  deckgen pptx decks/keras.txt -o talk.pptx""")
@click.argument("deck", metavar="DECK")
@click.option("-o", "--output", "out", metavar="OUT",
              help="Output file (ending in .pptx) or folder. Default: site/<name>.pptx")
@click.option("--strict", is_flag=True,
              help="Any warning (the build's or the export's) fails: exit 1, nothing written.")
@click.option("--ignore", "ignore", multiple=True, metavar="[FILE:]CODE",
              help="Drop warnings with this code (e.g. pptx-picture), as for build. "
                   "Repeatable. Ignored warnings are not printed and do not count for --strict.")
@click.option("--encoding", metavar="NAME",
              help="The deck's text encoding if it is not UTF-8, e.g. gb18030.")
@click.option("--browser", metavar="PATH",
              help="The Chrome or Chromium that pictures slides PowerPoint cannot hold. "
                   "Default: the first found, as for deckgen pdf; without one those slides "
                   "keep only their text.")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
@click.option("-v", "--verbose", is_flag=True, help="Print timings, and a traceback with errors.")
def pptx_command(deck: str, out: str | None, strict: bool, ignore: tuple[str, ...],
                 encoding: str | None, browser: str | None, quiet: bool, verbose: bool) -> None:
    """Export DECK as an editable PowerPoint file: one 16:9 slide per deck slide.

    Headings become slide titles, lists bullet levels, tables PowerPoint tables, code
    monospaced text in the code style's colours; images are placed, notes go to the notes
    pane, and each step of a slide (fragments, [magic] parts) is a click animation. Slides
    with HTML PowerPoint has no equivalent for (iframes, MathML, nodeppt's columns...) are
    placed as pictures, taken offline by a headless Chrome or Chromium. The file is written
    atomically.
    """
    from ..build import build_file, write_atomic
    from .export import export_pptx, pptx_output_path

    started = time.perf_counter()
    require_python_pptx()
    if browser:
        from ..pdf import find_browser

        find_browser(browser)  # a wrong --browser fails before anything is built
    result = build_file(deck, encoding=encoding)
    rules = None
    if ignore:
        from ..report import Filter, parse_ignores

        rules = Filter(parse_ignores(ignore))
    if strict and (rules(result.diagnostics) if rules else result.warnings):
        # Failing anyway: say so now rather than after picturing slides.
        _fail_strict(result, rules, quiet)
    target = pptx_output_path(deck, out)
    # The export's warnings count for --strict too, so it runs first; nothing is written
    # (and no folder made) before they are judged. Pictures are taken in the output's folder,
    # or the nearest one that exists (a snap-packaged Chromium cannot read /tmp).
    workdir = next((folder for folder in (target.parent, *target.parent.parents)
                    if folder.is_dir()), Path.cwd())
    exported = export_pptx(result, browser, workdir=workdir)
    diagnostics = _report(list(result.diagnostics) + exported.diagnostics, rules, quiet)
    warnings = [d for d in diagnostics if d.level == "warning"]
    if strict and warnings:
        raise DeckError(f"{_plural(len(warnings), 'warning')} and --strict: nothing written",
                        result.deck.file, code="strict")
    size = write_atomic(target, exported.data)
    if not quiet:
        pictures = len(exported.pictures)
        extra = ("" if not pictures else ", 1 as a picture" if pictures == 1
                 else f", {pictures} as pictures")
        click.echo(f"wrote {target.as_posix()} ({_plural(exported.slides, 'slide')}{extra}, "
                   f"{_size(size)})")
    if verbose:
        click.echo(f"exported in {time.perf_counter() - started:.3f} s", err=True)


def _report(diagnostics: list, rules, quiet: bool) -> list:
    """Print the warnings --ignore keeps; return them."""
    if rules is not None:
        rules.ignored = 0
        rules.used = set()
        diagnostics = rules(diagnostics)
    if not quiet:
        if rules is not None:
            for text in rules.unused():
                click.echo(f"note: --ignore {text} matched no warning", err=True)
        for diagnostic in diagnostics:
            click.echo(diagnostic.format(), err=True)
    return diagnostics


def _fail_strict(result, rules, quiet: bool):
    warnings = [d for d in _report(list(result.diagnostics), rules, quiet)
                if d.level == "warning"]
    raise DeckError(f"{_plural(len(warnings), 'warning')} and --strict: nothing written",
                    result.deck.file, code="strict")
