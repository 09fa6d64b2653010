"""Themes: the built-in ones, the default, an author's CSS file, and unknown names."""

from __future__ import annotations

from pathlib import Path

import pytest
from deck_helpers import REPO, top_level_slides
from pygments.formatters import HtmlFormatter

from deckgen.build import build_file, build_text
from deckgen.model import DeckError
from deckgen.themes import available_themes

BUILTIN = ["blue", "colors", "dark", "green", "light", "moon"]
THEMES = REPO / "themes"


def theme_css(name: str) -> str:
    return (THEMES / name / "theme.css").read_text(encoding="utf-8")


def keyword_rule(style: str) -> str:
    rules = HtmlFormatter(style=style).get_style_defs("pre.highlight").splitlines()
    return next(r for r in rules if r.startswith("pre.highlight .k {"))


def declared_style(name: str) -> str:
    for line in theme_css(name).splitlines()[:15]:
        if "pygments-style:" in line:
            return line.split("pygments-style:")[1].strip()
    raise AssertionError(f"{name} declares no pygments-style")


DECK = "title: t\ntheme: {theme}\n[slide]\n# One\n```python\ndef f(): pass\n```\n"


def test_the_builtin_themes_are_the_folders() -> None:
    assert available_themes() == BUILTIN
    assert sorted(p.name for p in THEMES.iterdir() if (p / "theme.css").is_file()) == BUILTIN


@pytest.mark.parametrize("name", BUILTIN)
def test_each_builtin_theme_builds(name: str) -> None:
    result = build_text(DECK.format(theme=name))
    assert result.diagnostics == []
    assert len(top_level_slides(result.html)) == 1
    assert theme_css(name) in result.html
    for other in BUILTIN:
        if other != name:
            assert theme_css(other) not in result.html
    # The code colours are the ones the theme declares.
    assert keyword_rule(declared_style(name)) in result.html


def test_no_theme_means_moon_as_in_nodeppt() -> None:
    """nodeppt's md_parser.js: ``theme: 'moon'`` when the header names none."""
    result = build_text("title: t\n\n[slide]\n# One\n")
    assert theme_css("moon") in result.html
    assert all(theme_css(other) not in result.html for other in BUILTIN if other != "moon")
    assert build_text("title: t\ntheme:\n[slide]\n# One\n").html == result.html


def test_theme_names_are_case_insensitive() -> None:
    assert build_text(DECK.format(theme="Dark")).html == build_text(DECK.format(theme="dark")).html


@pytest.mark.parametrize("spec", ["./custom.css", "custom.css", "/custom.css"])
def test_a_custom_css_file(tmp_path: Path, spec: str) -> None:
    (tmp_path / "custom.css").write_text(
        "/* my theme\n   pygments-style: monokai\n*/\n.slide h1 { color: #c0ffee; }\n",
        encoding="utf-8")
    deck = tmp_path / "deck.txt"
    deck.write_text(DECK.format(theme=spec), encoding="utf-8")
    result = build_file(deck)
    assert result.diagnostics == []
    assert ".slide h1 { color: #c0ffee; }" in result.html
    assert theme_css("moon") in result.html  # the default base under it
    assert keyword_rule("monokai") in result.html
    # The custom rules come after the base theme's, so they win.
    assert result.html.index("#c0ffee") > result.html.index(theme_css("moon"))


def test_a_custom_css_file_on_another_base(tmp_path: Path) -> None:
    (tmp_path / "custom.css").write_text("/* base: dark */\n.x { color: red; }\n",
                                         encoding="utf-8")
    deck = tmp_path / "deck.txt"
    deck.write_text(DECK.format(theme="./custom.css"), encoding="utf-8")
    result = build_file(deck)
    assert theme_css("dark") in result.html and theme_css("moon") not in result.html
    assert keyword_rule(declared_style("dark")) in result.html


def test_a_missing_custom_css_file(tmp_path: Path) -> None:
    deck = tmp_path / "deck.txt"
    deck.write_text("title: t\n\ntheme: ./nope.css\n[slide]\nx\n", encoding="utf-8")
    with pytest.raises(DeckError) as caught:
        build_file(deck)
    assert caught.value.line == 3
    assert caught.value.format_message().endswith(":3: theme file not found: ./nope.css")


def test_unknown_theme_is_an_error_naming_the_line() -> None:
    with pytest.raises(DeckError) as caught:
        build_text("title: t\ntheme: lihgt\n[slide]\nx\n", file="talk.txt")
    error = caught.value
    assert (error.file, error.line, error.code) == ("talk.txt", 2, "unknown-theme")
    assert error.format_message() == (
        "talk.txt:2: unknown theme 'lihgt' (did you mean 'light'?); "
        "available: blue, colors, dark, green, light, moon, or a path to a .css file")


def test_unknown_theme_without_a_close_match() -> None:
    with pytest.raises(DeckError) as caught:
        build_text("theme: zzzzzz\n[slide]\nx\n", file="talk.txt")
    assert caught.value.format_message().startswith(
        "talk.txt:1: unknown theme 'zzzzzz'; available: blue, colors, dark, green, light, moon")


def test_the_demo_decks_moon_theme(demo_text: str) -> None:
    result = build_text(demo_text, "demo.md")
    assert theme_css("moon") in result.html
    assert len(top_level_slides(result.html)) == 51
