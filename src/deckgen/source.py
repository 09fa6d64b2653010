"""Reading a deck file: bytes to text, with the errors a user can act on.

Accepts a UTF-8 BOM and CRLF/CR line endings silently. Text that is not UTF-8 is an error
that says where the first bad byte is and how to pass the right encoding (decks written on
Chinese Windows are often GB18030).
"""

from __future__ import annotations

import codecs
import os
from dataclasses import dataclass
from pathlib import Path

from .model import DeckError

# Encodings worth suggesting when UTF-8 fails, most likely first for this format's authors.
_SUGGESTED_ENCODINGS = ("gb18030", "big5", "shift_jis", "euc-kr")


@dataclass(frozen=True, slots=True)
class Source:
    """A deck's text and where it came from."""

    path: Path
    """The file on disk (absolute), for resolving images and files next to it."""
    display: str
    """The path as the user wrote it, for messages."""
    text: str
    """Decoded text with ``\\n`` line endings and no BOM."""


def display_path(path: str | os.PathLike[str]) -> str:
    """The path as shown in messages: relative to the current folder when it is under it."""
    p = Path(path)
    if p.is_absolute():
        try:
            return p.relative_to(Path.cwd()).as_posix()
        except ValueError:
            return p.as_posix()
    return p.as_posix()


def normalize_newlines(text: str) -> str:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def decode(data: bytes, display: str, encoding: str | None = None) -> str:
    """Decode a deck's bytes; raise DeckError with the position of the first bad byte."""
    if encoding is None or codecs.lookup(encoding).name == "utf-8":
        if data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8):]
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _not_utf8(data, exc, display) from None
    else:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise DeckError(f"cannot decode the file as {encoding}: {exc.reason} "
                            f"(byte 0x{data[exc.start]:02x})", display, line,
                            "bad-encoding") from None
        if text.startswith("\ufeff"):
            text = text[1:]
    return normalize_newlines(text)


def _not_utf8(data: bytes, exc: UnicodeDecodeError, display: str) -> DeckError:
    line = data.count(b"\n", 0, exc.start) + 1
    hint = "pass its encoding with --encoding, e.g. --encoding gb18030"
    for candidate in _SUGGESTED_ENCODINGS:
        try:
            data.decode(candidate)
        except UnicodeDecodeError:
            continue
        hint = f"it decodes as {candidate}: try --encoding {candidate}"
        break
    return DeckError(f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x}); {hint}",
                     display, line, "bad-encoding")


def read_source(path: str | os.PathLike[str], encoding: str | None = None) -> Source:
    """Read and decode a deck file, turning every OS-level problem into a DeckError."""
    display = display_path(path)
    p = Path(path)
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise DeckError(f"unknown encoding '{encoding}' given to --encoding", display,
                            code="bad-encoding") from None
    if p.is_dir():
        raise DeckError("is a folder, not a deck file (give a .txt or .md deck)", display,
                        code="not-a-file")
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise DeckError("no such file", display, code="not-found") from None
    except PermissionError:
        raise DeckError("permission denied", display, code="not-readable") from None
    except OSError as exc:
        raise DeckError(f"cannot read the file: {exc.strerror}", display,
                        code="not-readable") from None
    text = decode(data, display, encoding)
    if not text.strip():
        raise DeckError("the file is empty; a deck needs a [slide] line and some content",
                        display, code="empty-file")
    return Source(p.resolve(), display, text)
