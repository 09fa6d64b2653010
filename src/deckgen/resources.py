"""Where deckgen's own files are: ``templates/``, ``themes/``, the browser runtime and the fonts.

In a wheel, ``templates/`` and ``themes/`` are installed inside the package; in a source checkout
(and an editable install) they are the repository's top-level folders.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
RUNTIME_DIR = PACKAGE_DIR / "runtime"
WEBFONTS_DIR = PACKAGE_DIR / "webfonts"


def _find(name: str) -> Path:
    for candidate in (PACKAGE_DIR / name, PACKAGE_DIR.parent.parent / name):
        if candidate.is_dir():
            return candidate
    raise RuntimeError(f"deckgen is installed without its {name}/ folder; reinstall it")


@cache
def templates_dir() -> Path:
    return _find("templates")


@cache
def themes_dir() -> Path:
    return _find("themes")
