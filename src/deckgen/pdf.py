"""A built deck -> PDF, printed by an installed Chrome, Chromium or Edge running headless.

The page's own print stylesheet does the layout (``templates/print.css``: one 1280x720 page per
slide, colours printed, every step shown, long slides fitted); this module finds a browser, runs
its ``--print-to-pdf`` with a throwaway profile and the network shut off, and moves the PDF into
place atomically. No Playwright, no DevTools client: the plain command line every Chromium has.
Chromium also writes the PDF's outline (bookmarks) from the slides' headings.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .model import BuildResult, DeckError

if TYPE_CHECKING:
    import subprocess

# Looked for on PATH, in this order.
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable",
                 "chrome", "msedge", "microsoft-edge", "microsoft-edge-stable")
INSTALL_HINT = ("install Chromium (Debian/Ubuntu: apt-get install chromium), Google Chrome or "
                "Microsoft Edge, or give the browser's path with --browser PATH")
# The same quiet flags as the browser tests: nothing phones home, nothing is remembered.
QUIET_FLAGS = (
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--no-default-browser-check",
    "--mute-audio",
    "--hide-scrollbars",
    "--use-mock-keychain",  # macOS: no keychain prompt
    "--password-store=basic",
)
# Printing never touches the network: host names do not resolve, and anything else (an IP
# address in a URL, this machine's own included) goes to a proxy that is not there. Remote
# images print as missing.
OFFLINE_FLAGS = ("--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9",
                 "--proxy-bypass-list=<-loopback>")
PRINT_FLAGS = ("--no-pdf-header-footer", "--print-to-pdf-no-header",  # new and old spelling
               "--generate-pdf-document-outline")
TIMEOUT = 300.0


class BrowserNotFound(DeckError):
    """No Chrome/Chromium/Edge to print with: exits 1 naming what to install."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="no-browser")


def _install_locations() -> list[Path]:
    """Where browsers are installed when they are not on PATH (macOS apps, Windows)."""
    places: list[Path] = []
    if sys.platform == "darwin":
        for apps in (Path("/Applications"), Path.home() / "Applications"):
            places += [apps / "Google Chrome.app/Contents/MacOS/Google Chrome",
                       apps / "Chromium.app/Contents/MacOS/Chromium",
                       apps / "Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
                       apps / "Google Chrome Canary.app/Contents/MacOS/Google Chrome Canary"]
    elif os.name == "nt":
        for variable in ("PROGRAMFILES", "PROGRAMFILES(X86)", "LOCALAPPDATA"):
            base = os.environ.get(variable)
            if base:
                places += [Path(base) / "Google/Chrome/Application/chrome.exe",
                           Path(base) / "Chromium/Application/chrome.exe",
                           Path(base) / "Microsoft/Edge/Application/msedge.exe"]
    else:
        places += [Path("/usr/bin/chromium"), Path("/usr/lib/chromium/chromium"),
                   Path("/snap/bin/chromium"), Path("/opt/google/chrome/chrome"),
                   Path("/opt/microsoft/msedge/msedge")]
    return places


def find_browser(explicit: str | None = None) -> str:
    """The browser to print with: ``explicit`` (a path, or a name on PATH) if given, else the
    first of ``BROWSER_NAMES`` on PATH, else the first usual install location that exists."""
    import shutil

    if explicit:
        path = Path(explicit).expanduser()
        if path.is_file() and os.access(path, os.X_OK):
            return str(path)
        found = shutil.which(explicit)
        if found:
            return found
        reason = "is not a program" if path.exists() else "does not exist"
        raise BrowserNotFound(f"--browser {explicit}: {reason}; {INSTALL_HINT}")
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    for place in _install_locations():
        if place.is_file() and os.access(place, os.X_OK):
            return str(place)
    raise BrowserNotFound(f"no Chrome, Chromium or Edge found to print the PDF with: "
                          f"{INSTALL_HINT}")


def count_pages(data: bytes) -> int:
    """Pages in a PDF as Chromium writes it (uncompressed object dictionaries): the ``/Count``
    of the root page tree, or failing that the number of page objects."""
    counts = [int(m.group(1)) for tree in re.finditer(rb"<<[^<>]*?/Type\s*/Pages\b[^<>]*>>", data)
              for m in re.finditer(rb"/Count\s+(\d+)", tree.group(0))]
    if counts:
        return max(counts)
    return len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", data))


def write_pdf(html_file: Path, pdf_file: Path, browser: str | None = None, *,
              notes: bool = False, timeout: float = TIMEOUT) -> int:
    """Print the built deck ``html_file`` to ``pdf_file`` and return the number of pages.

    ``browser`` is a path or a program name (default: found by ``find_browser``). ``notes``
    prints each slide's notes under it (the page's ``?print-notes``). The PDF is written to a
    temporary file beside ``pdf_file`` and renamed: a failure leaves an earlier PDF in place.
    Raises ``BrowserNotFound`` without a browser and ``DeckError`` when printing fails.
    """
    import tempfile

    from .build import prepare_output

    html_file = Path(html_file).resolve()
    if not html_file.is_file():  # the browser would print its error page instead
        raise DeckError("no such file", str(html_file), code="no-such-file")
    program = find_browser(browser)
    pdf_file = Path(pdf_file)
    prepare_output(pdf_file)
    url = html_file.as_uri() + ("?print-notes" if notes else "")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{pdf_file.name}.", suffix=".tmp",
                                    dir=pdf_file.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        done = run_headless(program, [*PRINT_FLAGS, f"--print-to-pdf={tmp}", url], timeout,
                            "printing", lambda message: DeckError(message, str(html_file),
                                                                  code="pdf-failed"))
        name = Path(program).name
        data = tmp.read_bytes() if tmp.exists() else b""
        if done.returncode != 0 or not data.startswith(b"%PDF"):
            raise DeckError(f"{name} could not print the PDF (exit status {done.returncode})"
                            f"{last_words(done.stderr)}", str(html_file), code="pdf-failed")
        pages = count_pages(data)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, pdf_file)
        return pages
    finally:
        tmp.unlink(missing_ok=True)


def run_headless(program: str, args: list[str], timeout: float, doing: str,
                 failure: Callable[[str], DeckError]) -> subprocess.CompletedProcess[bytes]:
    """Run the browser ``program`` headless, quiet, offline and with a throwaway profile, with
    ``args`` (its task and the page's URL); return the finished process. A timeout is
    ``failure(message)`` ("chromium did not finish {doing} in N s"); a program that cannot be
    started is ``BrowserNotFound``."""
    import subprocess
    import tempfile

    name = Path(program).name
    with tempfile.TemporaryDirectory(prefix="deckgen-browser-",
                                     ignore_cleanup_errors=True) as profile:
        command = [program, "--headless", *QUIET_FLAGS, *OFFLINE_FLAGS,
                   f"--user-data-dir={profile}", *args]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.insert(2, "--no-sandbox")  # Chromium refuses to run as root without it
        try:
            return subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True,
                                  timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise failure(f"{name} did not finish {doing} in {timeout:.0f} s") from None
        except OSError as exc:
            raise BrowserNotFound(f"cannot run {program}: {exc.strerror or exc}; "
                                  f"{INSTALL_HINT}") from None


def last_words(stderr: bytes) -> str:
    """The browser's last error line worth showing (it logs much that is not about us)."""
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines()]
    useful = [line for line in lines if line and "dbus" not in line.lower()]
    return f": {useful[-1][:300]}" if useful else ""


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# Compiled when used (its ranges take milliseconds): `deckgen build` imports this module too.
_CJK = r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]"


def cjk_font_missing() -> bool:
    """True when fontconfig (Linux, BSD) is present and knows no Chinese font, so CJK text
    would print as empty boxes. Elsewhere the system always has one: False."""
    import shutil
    import subprocess

    fc_list = shutil.which("fc-list")
    if not fc_list:
        return False
    try:
        found = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, timeout=20,
                               check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return found.returncode == 0 and not found.stdout.strip()


@dataclass(frozen=True, slots=True)
class Printed:
    """What ``print_deck`` made."""

    pages: int
    warnings: tuple[str, ...]
    """Problems with the PDF that are not the deck's (a missing Chinese font, a page count
    that does not match the slides)."""


def print_deck(result: BuildResult, target: Path, program: str, *, notes: bool = False
               ) -> Printed:
    """Print a built deck to ``target`` (atomically) with the browser ``program``."""
    from .build import write_atomic

    warnings = []
    if re.search(_CJK, result.html) and cjk_font_missing():
        warnings.append("no Chinese font is installed, so Chinese text will print as boxes: "
                        "install one (Debian/Ubuntu: apt-get install fonts-wqy-microhei or "
                        "fonts-noto-cjk)")
    # The page goes beside the PDF rather than in /tmp: a snap-packaged Chromium cannot see /tmp.
    from .build import prepare_output

    prepare_output(target)
    page = target.parent / f".{target.stem}.{os.getpid()}.print.html"
    try:
        write_atomic(page, result.html)
        pages = write_pdf(page, target, program, notes=notes)
    except DeckError as exc:
        if exc.file == str(page.resolve()):
            exc.file = result.deck.file  # the page is ours, a temporary: name the deck
        raise
    finally:
        page.unlink(missing_ok=True)
    count = len(result.slides)
    if not notes and pages != count:
        warnings.append(f"the PDF has {pages} page{'s' if pages != 1 else ''} for {count} "
                        f"slide{'s' if count != 1 else ''}")
    return Printed(pages, tuple(warnings))
