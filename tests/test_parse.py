"""The parser: header, fence-aware [slide] split, attributes and line numbers.

Most cases are fixture files (``tests/fixtures/parse/*.txt``, format described at the top of
``fences.txt``): each case's deck text is parsed and its listing compared with the expected one.
The rest checks the real decks and the text-level details (CRLF, CR, BOM) fixtures cannot show.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from deck_helpers import DEMO_SLIDE_LINES, KERAS, KERAS_SLIDE_LINES

from deckgen.model import DeckError, Diagnostic, Diagnostics, Slide
from deckgen.parse import KNOWN_KEYS, did_you_mean, parse_deck
from deckgen.source import decode, normalize_newlines, read_source

FIXTURES = Path(__file__).parent / "fixtures" / "parse"
_VISIBLE_BLANKS = {"␠": " ", "→": "\t", "␣": "\u3000"}


# -- fixture files ----------------------------------------------------------------------------

def read_fixture_file(path: Path) -> list[tuple[int, str, str, str]]:
    """Cases of a fixture file as (line of the title, title, input text, expected listing)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    cases = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip() or line.startswith("#"):
            i += 1
            continue
        title, title_line = line, i + 1
        if i + 1 >= len(lines) or lines[i + 1] != ".":
            raise ValueError(f"{path.name}:{title_line}: a title must be followed by '.'")
        blocks: list[list[str]] = [[], []]
        i += 2
        for block in blocks:
            while i < len(lines) and lines[i] != ".":
                block.append(lines[i])
                i += 1
            if i >= len(lines):
                raise ValueError(f"{path.name}:{title_line}: case is not closed with '.'")
            i += 1
        text = "\n".join(blocks[0])
        for mark, blank in _VISIBLE_BLANKS.items():
            text = text.replace(mark, blank)
        cases.append((title_line, title, text + "\n" if text else "", "\n".join(blocks[1])))
    return cases


def _fixture_params():
    params = []
    for path in sorted(FIXTURES.glob("*.txt")):
        for line, title, text, expected in read_fixture_file(path):
            params.append(pytest.param(text, expected, id=f"{path.stem}:{line}: {title}"))
    return params


def _show_attrs(attrs) -> str:
    if not attrs:
        return ""
    shown = [name if value is None else f'{name}="{value}"' for name, value in attrs]
    return " [" + " ".join(shown) + "]"


def _show_body(source: str) -> str:
    body = [line.strip() for line in source.split("\n") if line.strip()]
    if not body:
        return "(empty)"
    return body[0] if len(body) == 1 else f"{body[0]} | {body[-1]}"


def listing(text: str, file: str = "deck.txt") -> str:
    """A compact, readable account of what the parser made of ``text``."""
    diagnostics = Diagnostics(file)
    try:
        deck = parse_deck(normalize_newlines(text), file, diagnostics)
    except DeckError as exc:
        assert exc.file == file
        where = f" line {exc.line}" if exc.line is not None else ""
        return f"error{where} {exc.code}: {exc.message}"
    out = [f"meta {key} line {deck.meta_lines[key]}: {value or '(empty)'}"
           for key, value in deck.meta.items()]
    out += [f"slide {s.index} line {s.line}{_show_attrs(s.attrs)}: {_show_body(s.source)}"
            for s in deck.slides]
    out += [f"{d.level} line {d.line} {d.code}: {d.message}" for d in diagnostics]
    return "\n".join(out)


@pytest.mark.parametrize(("text", "expected"), _fixture_params())
def test_fixture(text: str, expected: str) -> None:
    assert listing(text) == expected


def test_fixture_files_are_found_and_read() -> None:
    # Guards the reader: a format slip would silently drop or merge cases. Update the numbers
    # when adding cases.
    names = {p.stem for p in FIXTURES.glob("*.txt")}
    assert {"fences", "header", "separators"} <= names
    counts = {p.stem: len(read_fixture_file(p)) for p in FIXTURES.glob("*.txt")}
    assert counts == {"fences": 16, "header": 23, "separators": 16}


# -- the real decks ---------------------------------------------------------------------------

def test_keras_deck(keras_text: str) -> None:
    diagnostics = Diagnostics("decks/keras.txt")
    deck = parse_deck(keras_text, "decks/keras.txt", diagnostics)
    assert deck.meta == {"title": "Keras入门", "theme": "light"}
    assert deck.meta_lines == {"title": 1, "theme": 2}
    assert [s.line for s in deck.slides] == KERAS_SLIDE_LINES
    assert [s.index for s in deck.slides] == list(range(1, 22))
    assert all(s.attrs == () for s in deck.slides)
    assert deck.slides[0].source.strip() == "# Keras入门"
    # Trailing spaces on the separator (line 36 is "[slide] ") do not leak into the body.
    assert deck.slides[4].source.startswith("## Keras 优先考虑开发人员的经验")
    # The body runs up to the next separator, fenced code included.
    assert "```python" in deck.slides[9].source
    assert list(diagnostics) == []


def test_keras_slide_bodies_cover_the_file(keras_text: str) -> None:
    deck = parse_deck(keras_text, "decks/keras.txt")
    lines = keras_text.split("\n")
    for slide, next_line in zip(deck.slides, KERAS_SLIDE_LINES[1:] + [len(lines) + 1]):
        assert slide.source == "\n".join(lines[slide.line:next_line - 1])
        assert slide.body_line == slide.line + 1


def test_nodeppt_demo_deck(demo_text: str) -> None:
    diagnostics = Diagnostics("demo.md")
    deck = parse_deck(demo_text, "demo.md", diagnostics)
    assert [s.line for s in deck.slides] == DEMO_SLIDE_LINES
    assert deck.meta["theme"] == "moon" and deck.meta["transition"] == "slide3"
    attrs = {s.line: s.attrs for s in deck.slides if s.attrs}
    assert attrs == {
        69: (("style", "background-image:url('/img/bg1.png')"),),
        209: (("data-on-enter", "testScriptTag"),),
        356: (("data-transition", "glue"),),
        365: (("data-transition", "glue"),),
        373: (("data-transition", "zoomin"),),
        381: (("data-transition", "vertical3d"),),
        493: (("data-on-leave", "outcallback"), ("data-on-enter", "incallback")),
    }
    assert list(diagnostics) == []


# -- line endings and BOM ---------------------------------------------------------------------

def _keras_variants() -> dict[str, bytes]:
    lf = KERAS.read_bytes()
    assert b"\r" not in lf
    return {
        "crlf": lf.replace(b"\n", b"\r\n"),
        "cr": lf.replace(b"\n", b"\r"),
        "bom": codecs.BOM_UTF8 + lf,
        "bom+crlf": codecs.BOM_UTF8 + lf.replace(b"\n", b"\r\n"),
        "mixed": b"".join(line + (b"\r\n", b"\n", b"\r")[i % 3]
                          for i, line in enumerate(lf.split(b"\n")[:-1])),
    }


@pytest.mark.parametrize("variant", ["crlf", "cr", "bom", "bom+crlf", "mixed"])
def test_line_endings_and_bom_change_nothing(variant: str, keras_text: str) -> None:
    text = decode(_keras_variants()[variant], "keras.txt")
    assert "\r" not in text and not text.startswith("\ufeff")
    assert text == keras_text
    assert listing(text) == listing(keras_text)
    deck = parse_deck(text, "keras.txt")
    assert [s.line for s in deck.slides] == KERAS_SLIDE_LINES
    assert deck.meta["title"] == "Keras入门"  # not "\ufefftitle"


def test_read_source_accepts_bom_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "deck.txt"
    path.write_bytes(codecs.BOM_UTF8 + "title: 标题\r\n[slide]\r\n# 一\r\n".encode())
    source = read_source(path)
    assert source.text == "title: 标题\n[slide]\n# 一\n"
    assert source.path == path.resolve()


def test_cr_only_line_numbers() -> None:
    text = decode(b"title: t\r\r[slide]\rone\r[slide]\rtwo\r", "deck.txt")
    deck = parse_deck(text, "deck.txt")
    assert [(s.line, s.source) for s in deck.slides] == [(3, "one"), (5, "two\n")]


# -- small pieces -----------------------------------------------------------------------------

def test_known_keys_are_the_nodeppt_ones() -> None:
    assert {"title", "speaker", "url", "date", "theme", "transition", "highlightStyle",
            "usemathjax", "files", "headFiles"} <= set(KNOWN_KEYS)


@pytest.mark.parametrize(("word", "expected"), [
    ("thme", " (did you mean 'theme'?)"),
    ("HIGHLIGHTSTYLE", " (did you mean 'highlightStyle'?)"),
    ("speeker", " (did you mean 'speaker'?)"),
    ("zzzzzz", ""),
])
def test_did_you_mean(word: str, expected: str) -> None:
    assert did_you_mean(word, KNOWN_KEYS) == expected


def test_diagnostic_format() -> None:
    warning = Diagnostic("decks/keras.txt", 10, "warning", "html-repaired", "removed x")
    assert warning.format() == "decks/keras.txt:10: warning: removed x"
    assert warning.format(with_level=False) == "decks/keras.txt:10: removed x"
    whole_file = Diagnostic("decks/keras.txt", None, "error", "empty-file", "empty")
    assert whole_file.format() == "decks/keras.txt: empty"


def test_deck_error_message() -> None:
    error = DeckError("unknown theme 'x'", "a.txt", 2, "unknown-theme")
    assert error.format_message() == "a.txt:2: unknown theme 'x'"
    assert DeckError("plain").format_message() == "plain"


def test_parse_without_diagnostics_argument() -> None:
    deck = parse_deck("thme: x\n[slide]\na\n", "a.txt")
    assert deck.meta == {} and len(deck.slides) == 1


def test_slide_is_immutable() -> None:
    slide = Slide(1, 1, (), "x")
    with pytest.raises(AttributeError):
        slide.line = 2  # type: ignore[misc]
