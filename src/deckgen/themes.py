"""Themes: a built-in name from ``themes/`` or the author's own CSS file, with its code style.

A theme is one CSS file (``themes/<name>/theme.css``) whose leading comment may declare
``pygments-style: <name>`` (the code colours that go with it) and ``base: <theme>`` (a built-in
theme it is layered on; custom CSS files default to ``base: moon``, the default theme).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .assets import local_path
from .model import DeckError, did_you_mean
from .resources import themes_dir

DEFAULT_THEME = "moon"
_DIRECTIVE = re.compile(r"^\s*\*?\s*(pygments-style|base)\s*:\s*([\w.-]+)", re.M)


@dataclass(frozen=True, slots=True)
class Theme:
    name: str
    css: str
    """All the CSS, base theme first."""
    pygments_style: str
    files: tuple[Path, ...]
    """The CSS files it was read from (what ``serve`` watches)."""


def available_themes() -> list[str]:
    return sorted(p.name for p in themes_dir().iterdir() if (p / "theme.css").is_file())


def _directives(css: str) -> dict[str, str]:
    match = re.match(r"\s*/\*(.*?)\*/", css, re.S)
    return dict(_DIRECTIVE.findall(match.group(1))) if match else {}


@cache
def _builtin(name: str) -> Theme:
    path = themes_dir() / name / "theme.css"
    css = path.read_text(encoding="utf-8")
    style = _directives(css).get("pygments-style", "default")
    return Theme(name, css, style, (path,))


def is_theme_path(spec: str) -> bool:
    return spec.endswith(".css") or "/" in spec or "\\" in spec


def load_theme(spec: str | None, deck_dir: Path, file: str, line: int | None) -> Theme:
    """Resolve a deck's ``theme:`` value; raise DeckError naming the line if it is unknown."""
    spec = (spec or "").strip() or DEFAULT_THEME
    if is_theme_path(spec):
        path = local_path(spec, deck_dir)
        try:
            css = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise DeckError(f"theme file not found: {spec}", file, line, "unknown-theme") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise DeckError(f"cannot read theme file {spec}: {exc}", file, line,
                            "unknown-theme") from None
        directives = _directives(css)
        base = _lookup(directives.get("base", DEFAULT_THEME), file, line)
        return Theme(path.stem, base.css + "\n/* " + spec + " */\n" + css,
                     directives.get("pygments-style", base.pygments_style), base.files + (path,))
    return _lookup(spec, file, line)


def _lookup(name: str, file: str, line: int | None) -> Theme:
    names = available_themes()
    key = name.lower()
    if key not in names:
        raise DeckError(f"unknown theme '{name}'{did_you_mean(name, names)}; "
                        f"available: {', '.join(names)}, or a path to a .css file",
                        file, line, "unknown-theme")
    return _builtin(key)
