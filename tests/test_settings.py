"""The header as one typed stage (settings.py): every key, the defaults and fallbacks, every
warning with its line; and the one title fallback that build, a site's index and serve share."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner
from deck_helpers import KERAS
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from deckgen.build import build_file, build_text
from deckgen.cli import cli
from deckgen.model import Deck, Diagnostics, RenderedSlide, Slide
from deckgen.parse import KNOWN_KEYS, parse_deck
from deckgen.serve.live import LiveDeck
from deckgen.settings import HEADER_KEYS, DeckSettings, page_title, read_settings

DOCS = Path(__file__).resolve().parents[1] / "docs"


def read(text: str, file: str = "deck.md") -> tuple[DeckSettings, list[tuple[int | None, str, str]]]:
    """The settings of a deck's text, and the warnings reading them gave (parse's excluded)."""
    diagnostics = Diagnostics(file)
    deck = parse_deck(text, file, diagnostics)
    parsed = len(diagnostics.items)
    result = read_settings(deck, diagnostics)
    return result, [(d.line, d.code, d.message) for d in diagnostics.items[parsed:]]


# -- every key ------------------------------------------------------------------------------------

FULL = """\
title: Keras入门
speaker: 张三
url: https://example.com/talk
date: 2024年5月1日
theme: dark
transition: zoomin
highlightStyle: monokai_sublime
usemathjax: yes
files: /js/demo.js, css/late.css
headFiles: css/head.css
lang: zh-CN

[slide]
# 第一页
"""


def test_every_key_is_read_into_its_typed_field() -> None:
    result, warnings = read(FULL)
    assert warnings == []
    assert result == DeckSettings(
        title="Keras入门", speaker="张三", url="https://example.com/talk", date="2024年5月1日",
        theme="dark", transition="zoomin", highlight_style="monokai_sublime", usemathjax=True,
        files=("/js/demo.js", "css/late.css"), head_files=("css/head.css",), lang="zh-CN")
    assert dict(result.lines) == {
        "title": 1, "speaker": 2, "url": 3, "date": 4, "theme": 5, "transition": 6,
        "highlightStyle": 7, "usemathjax": 8, "files": 9, "headFiles": 10, "lang": 11}
    assert result.normalised_transition == "zoom"


def test_a_missing_key_has_its_default() -> None:
    result, warnings = read("[slide]\n# Hello world\n")
    assert warnings == []
    assert result == DeckSettings(lang="en")
    assert (result.title, result.theme, result.transition, result.highlight_style) == ("",) * 4
    assert result.usemathjax is False and result.files == () and result.head_files == ()
    assert dict(result.lines) == {}
    # No transition in the header: nodeppt's default, move, which deckgen animates as slide.
    assert (result.transition_name, result.normalised_transition) == ("move", "slide")
    none, _ = read("transition: none\n[slide]\nx\n")
    assert (none.transition_name, none.normalised_transition) == ("none", "none")


def test_keys_match_without_regard_to_case_and_lines_use_the_documented_spelling() -> None:
    result, _ = read("HighlightStyle: github\nHEADFILES: a.css\nUseMathJax: on\n[slide]\nx\n")
    assert (result.highlight_style, result.head_files, result.usemathjax) == (
        "github", ("a.css",), True)
    assert dict(result.lines) == {"highlightStyle": 1, "headFiles": 2, "usemathjax": 3}


def test_a_yaml_header_gives_the_same_types() -> None:
    result, warnings = read("---\ntitle: t\nusemathjax: true\nfiles: [a.css, b.js]\n"
                            "lang: de\n---\n[slide]\nx\n")
    assert warnings == []
    assert (result.usemathjax, result.files, result.lang) == (True, ("a.css", "b.js"), "de")
    assert result.lines["files"] == 4


@pytest.mark.parametrize(("value", "expected"), [
    ("yes", True), ("YES", True), ("true", True), ("on", True), ("1", True),
    ("no", False), ("false", False), ("off", False), ("0", False), ("", False)])
def test_usemathjax_values(value: str, expected: bool) -> None:
    result, warnings = read(f"usemathjax: {value}\n[slide]\nx\n")
    assert result.usemathjax is expected and warnings == []


def test_files_lists_drop_blanks() -> None:
    result, _ = read("files: a.css, ,b.js,\nheadFiles: ,\n[slide]\nx\n")
    assert result.files == ("a.css", "b.js") and result.head_files == ()


@pytest.mark.parametrize(("name", "effect"), [
    ("slide", "slide"), ("fade", "fade"), ("zoomout", "zoom"), ("kontext", "cards"),
    ("none", "none"), ("Cover-Circle", "zoom")])
def test_transitions_keep_the_name_and_give_the_effect(name: str, effect: str) -> None:
    result, warnings = read(f"transition: {name}\n[slide]\nx\n")
    assert (result.transition, result.normalised_transition, warnings) == (name, effect, [])


# -- language: the header's tag, else detected ------------------------------------------------------

@pytest.mark.parametrize(("header", "body", "lang"), [
    ("lang: en-GB\n", "中文的幻灯片，全是中文", "en-GB"),
    ("", "中文的幻灯片，全是中文", "zh-CN"),
    ("", "Hello there, a deck in English", "en"),
    ("", "日本語のスライドです", "ja"),
    ("", "한국어 슬라이드입니다", "ko"),
    ("title: 深度学习入门\n", "# Keras", "zh-CN"),  # the title counts too
    ("lang:\n", "Hello", "en"),
])
def test_the_page_language(header: str, body: str, lang: str) -> None:
    result, warnings = read(f"{header}[slide]\n{body}\n")
    assert result.lang == lang and warnings == []


def test_the_keras_deck_is_chinese() -> None:
    assert build_file(KERAS).settings.lang == "zh-CN"


# -- every warning, on its key's line -----------------------------------------------------------------

@pytest.mark.parametrize(("line", "field", "value", "code", "message"), [
    ("usemathjax: maybe", "usemathjax", False, "bad-usemathjax",
     "usemathjax: expected 'yes' or 'no', not 'maybe'; taken as 'no'"),
    ("lang: 12_x", "lang", "en", "bad-lang",
     "'12_x' is not a language tag (like en or zh-CN); detecting instead"),
    ("transition: zoomot", "transition", "zoomot", "unknown-transition",
     "unknown transition 'zoomot' (did you mean 'zoomout'?); using 'slide'"),
])
def test_a_value_that_cannot_be_used_is_a_warning_on_its_line(
        line: str, field: str, value: object, code: str, message: str) -> None:
    result, warnings = read(f"title: A talk\n\n{line}\n[slide]\nHello\n")
    assert warnings == [(3, code, message)]
    assert getattr(result, field) == value


def test_warnings_come_in_the_order_of_their_lines() -> None:
    _, warnings = read("lang: ?\ntransition: wobble\nusemathjax: perhaps\n[slide]\nx\n")
    assert [(line, code) for line, code, _ in warnings] == [
        (1, "bad-lang"), (2, "unknown-transition"), (3, "bad-usemathjax")]


def test_an_unknown_highlight_style_is_warned_by_the_build_naming_the_themes_style() -> None:
    result = build_text("theme: light\nhighlightStyle: monokia\n[slide]\nx\n", "deck.md")
    assert [(d.line, d.code, d.message) for d in result.diagnostics] == [
        (2, "unknown-highlight-style", "unknown highlightStyle 'monokia' (did you mean "
                                       "'monokai'?); using the theme's 'monokai'")]
    assert result.settings.highlight_style == "monokia"


def test_the_header_keys_are_the_fields_and_the_documented_keys() -> None:
    assert KNOWN_KEYS == HEADER_KEYS == ("title", "speaker", "url", "date", "theme",
                                         "transition", "highlightStyle", "usemathjax", "files",
                                         "headFiles", "lang", "embedRemote")
    syntax = (DOCS / "syntax.md").read_text(encoding="utf-8")
    table = syntax.split("## Header", 1)[1].split("\n\n", 3)[2]
    assert tuple(re.findall(r"^\| `(\w+)` \|", table, re.M)) == HEADER_KEYS


# -- read_settings never raises (Hypothesis) ----------------------------------------------------------

_values = st.one_of(
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=20),
    st.sampled_from(["yes", "no", " YES ", "maybe", "zoomin", "zh-CN", "12_x", "a.css, b.js",
                     ",", " , ", "monokai_sublime", "dark", "", " "]))
_keys = st.one_of(st.sampled_from(HEADER_KEYS), st.text(min_size=1, max_size=8))


@hypothesis_settings(max_examples=300, deadline=None)
@given(meta=st.dictionaries(_keys, _values, max_size=12),
       bodies=st.lists(st.text(max_size=40), min_size=1, max_size=3))
def test_read_settings_never_raises_and_gives_typed_fields(meta: dict[str, str],
                                                           bodies: list[str]) -> None:
    lines = {key: i + 1 for i, key in enumerate(meta)}
    slides = tuple(Slide(i + 1, 100 + i, (), body) for i, body in enumerate(bodies))
    deck = Deck("deck.md", meta, lines, slides)
    diagnostics = Diagnostics("deck.md")
    result = read_settings(deck, diagnostics)
    for name in ("title", "speaker", "url", "date", "theme", "transition", "highlight_style"):
        assert isinstance(getattr(result, name), str)
    assert isinstance(result.usemathjax, bool)
    for files in (result.files, result.head_files):
        assert isinstance(files, tuple)
        assert all(isinstance(f, str) and f and f == f.strip() and "," not in f for f in files)
    assert isinstance(result.lang, str) and result.lang
    assert result.normalised_transition in ("", "slide", "fade", "zoom", "cards", "none")
    assert set(result.lines) <= set(HEADER_KEYS)
    # Every warning is about a key given, on its line.
    given_lines = {lines[key] for key in meta if key in HEADER_KEYS}
    assert all(d.level == "warning" and d.line in given_lines for d in diagnostics)


# -- the title: one fallback for build, a site's index and serve ----------------------------------------

def test_page_title_falls_back_to_the_first_heading_then_the_file_name() -> None:
    heading = [RenderedSlide(1, 1, (), "<h1>H</h1>", "H"), RenderedSlide(2, 3, (), "", "Two")]
    untitled = [RenderedSlide(1, 1, (), "<p>x</p>", ""), RenderedSlide(2, 3, (), "", "Two")]
    assert page_title(DeckSettings(title="T"), heading, "decks/talk.txt") == "T"
    assert page_title(DeckSettings(), heading, "decks/talk.txt") == "H"
    # Only the first slide's heading counts: a later one is not the deck's title.
    assert page_title(DeckSettings(), untitled, "decks/talk.txt") == "talk"
    assert page_title(DeckSettings(), [], "decks/my talk.md") == "my talk"


TITLE_CASES = [
    ("header", "title: 头部标题\n[slide]\n# 第一页\n", "头部标题"),
    ("heading", "[slide]\n## The *first* heading\n[slide]\n# Second\n", "The first heading"),
    ("stem", "[slide]\nno heading here\n[slide]\n# Second\n", "stem"),
]


@pytest.mark.parametrize(("name", "text", "title"), TITLE_CASES, ids=[c[0] for c in TITLE_CASES])
def test_build_site_index_and_serve_show_the_same_title(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, text: str,
        title: str) -> None:
    monkeypatch.chdir(tmp_path)
    deck = tmp_path / "decks" / f"{name}.txt"
    deck.parent.mkdir()
    deck.write_text(text, encoding="utf-8")
    wanted = name if title == "stem" else title

    built = build_file(deck)
    assert built.title == wanted
    assert lxml.html.fromstring(built.html).findtext(".//title") == wanted

    result = CliRunner().invoke(cli, ["build", "decks", "-o", "site"])
    assert result.exit_code == 0, result.output
    index = lxml.html.fromstring((tmp_path / "site" / "index.html").read_bytes())
    assert [" ".join(e.text_content().split()) for e in index.find_class("title")] == [wanted]

    live = LiveDeck(deck, f"{name}.html")
    live.rebuild(final=True)
    assert live.error is None and live.title == wanted
