"""Deck -> DeckSettings: what the header's values mean, typed and checked, read once.

``parse.py`` reads the header's syntax (``key: value`` lines or a YAML block) into ``Deck.meta``,
strings by key. This stage gives each key its meaning: one typed field per key, its default when
the key is missing, and a warning on the key's line for a value that cannot be used (the value
then falls back to what the warning says). Later stages read ``DeckSettings``, never
``Deck.meta``.

A header key is one field of ``DeckSettings``, declared with ``header(key, reader)``; that
declaration also makes the key known to the parser (``HEADER_KEYS``). A reader turns the value as
written into the field's type; it may warn through ``warn(code, message)`` and must not raise.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from .model import Deck, Diagnostics, RenderedSlide
from .transitions import DEFAULT as DEFAULT_TRANSITION
from .transitions import NODEPPT_DEFAULT, check_transition, normalise_transition

Warn = Callable[[str, str], None]
"""``warn(code, message)``: a warning on the line of the key being read."""
Reader = Callable[[str, Warn], Any]

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]+")
_KANA = re.compile(r"[\u3040-\u30ff]+")
_HANGUL = re.compile(r"[\uac00-\ud7af]+")
_LATIN = re.compile(r"[A-Za-z]+")
_LANG_TAG = re.compile(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*\Z")
_YES = frozenset({"yes", "true", "on", "1"})
_NO = frozenset({"no", "false", "off", "0", ""})


# -- readers: the value as written -> the field's type ----------------------------------------

def _text(value: str, warn: Warn) -> str:
    return value


def _yes_no(key: str) -> Reader:
    """A yes/no key (``true``/``false``, ``on``/``off``, ``1``/``0`` too); anything else is a
    ``bad-<key>`` warning and taken as no."""
    code = "bad-" + re.sub(r"(?<=[a-z])(?=[A-Z])", "-", key).lower()  # bad-embed-remote

    def read(value: str, warn: Warn) -> bool:
        word = value.strip().lower()
        if word in _YES:
            return True
        if word not in _NO:
            warn(code, f"{key}: expected 'yes' or 'no', not '{value}'; taken as 'no'")
        return False
    return read


def _transition(value: str, warn: Warn) -> str:
    name = value.strip()
    if name:
        check_transition(name, lambda message: warn("unknown-transition", message))
    return name


def _file_list(value: str, warn: Warn) -> tuple[str, ...]:
    return tuple(part for part in (p.strip() for p in value.split(",")) if part)


def _lang(value: str, warn: Warn) -> str:
    lang = value.strip()
    if lang and not _LANG_TAG.match(lang):
        warn("bad-lang", f"'{lang}' is not a language tag (like en or zh-CN); detecting instead")
        return ""
    return lang


def header(key: str, read: Reader = _text, default: Any = "") -> Any:
    """Declare a ``DeckSettings`` field read from the header key ``key`` (as spelled in docs;
    keys match without regard to case) by ``read``; ``default`` when the key is missing."""
    return field(default=default, metadata={"key": key, "read": read})


def flag(key: str) -> Any:
    """Declare a yes/no field (``False`` when the key is missing)."""
    return header(key, _yes_no(key), False)


# -- the settings ---------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class DeckSettings:
    """A deck's header, one typed field per key (``docs/syntax.md`` lists them for authors)."""

    title: str = header("title")
    """As written; ``page_title`` gives the title with its fallbacks."""
    speaker: str = header("speaker")
    url: str = header("url")
    date: str = header("date")
    """As written (``2024-05-01``, ``2024年5月``): shown, and sorted on by the site index."""
    theme: str = header("theme")
    """A built-in theme's name or a path to a CSS file, resolved by ``themes.load_theme``
    (which raises for an unknown one); empty: the default theme."""
    transition: str = header("transition", _transition)
    """The deck's transition as written (a nodeppt name, say); unknown names were warned about.
    ``normalised_transition`` is what the runtime animates."""
    highlight_style: str = header("highlightStyle")
    """A Pygments or highlight.js style name, as written; empty: the theme's code style. The
    build resolves it, since only the theme knows the fallback for an unknown name."""
    usemathjax: bool = flag("usemathjax")
    """nodeppt's ``usemathjax: yes``: ``$...$`` is inline math too (formulas are always built)."""
    files: tuple[str, ...] = header("files", _file_list, ())
    """CSS/JS files to inline at the end of the body, in order, as written."""
    head_files: tuple[str, ...] = header("headFiles", _file_list, ())
    """CSS/JS files to inline in the head, in order, as written."""
    lang: str = header("lang", _lang)
    """The page's language: the header's tag, else (no key, or not a tag) detected from the
    title and the slides' text."""
    embed_remote: bool = flag("embedRemote")
    """``embedRemote: yes``: download remote images at build time and embed them, as
    ``--embed-remote`` does (the only way a build touches the network)."""
    lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)
    """Source line of each header key given (by the key's name: ``headFiles``), for messages."""

    @property
    def transition_name(self) -> str:
        """The deck's transition by its nodeppt name: as written, else nodeppt's default
        (``move``) when the header sets none."""
        return self.transition or NODEPPT_DEFAULT

    @property
    def normalised_transition(self) -> str:
        """The transition the runtime animates (``slide``, ``fade``, ``none``...)."""
        return normalise_transition(self.transition_name) or DEFAULT_TRANSITION


_FIELDS = {f.metadata["key"]: f for f in fields(DeckSettings) if "key" in f.metadata}
HEADER_KEYS: tuple[str, ...] = tuple(_FIELDS)
"""Every header key, spelled as documented (``highlightStyle``), in declaration order."""


def read_settings(deck: Deck, diagnostics: Diagnostics) -> DeckSettings:
    """The deck's settings. Values that cannot be used are warnings (in the order of their
    lines) and fall back to a default; this never raises."""
    values: dict[str, Any] = {}
    lines = deck.meta_lines
    for key in sorted((k for k in deck.meta if k in _FIELDS), key=lambda k: lines.get(k, 0)):
        spec = _FIELDS[key]
        line = lines.get(key)

        def warn(code: str, message: str, line: int | None = line) -> None:
            diagnostics.warn(line, code, message)

        values[spec.name] = spec.metadata["read"](deck.meta[key], warn)
    if not values.get("lang"):
        values["lang"] = detect_lang(values.get("title", "") + "\n" +
                                     "\n".join(slide.source for slide in deck.slides))
    return DeckSettings(**values, lines={k: lines[k] for k in _FIELDS if k in lines})


def page_title(settings: DeckSettings, slides: Sequence[RenderedSlide], file: str) -> str:
    """The deck's title wherever it is shown (the page's ``<title>``, a site's index, ``serve``):
    the header's ``title:``, else the first slide's first heading, else the file's name."""
    return settings.title or (slides[0].title if slides else "") or Path(file).stem


def detect_lang(text: str) -> str:
    """zh-CN for mostly-CJK text (ja with kana, ko with hangul), else en.

    "Mostly" compares CJK characters with Latin words: one Chinese character carries
    about as much as one English word.
    """
    cjk = sum(map(len, _CJK.findall(text)))  # runs, not characters: far fewer matches
    kana = sum(map(len, _KANA.findall(text)))
    hangul = sum(map(len, _HANGUL.findall(text)))
    words = len(_LATIN.findall(text))
    if kana + cjk + hangul <= words:
        return "en"
    if kana > (cjk + kana) * 0.1:
        return "ja"
    if hangul > cjk:
        return "ko"
    return "zh-CN"
