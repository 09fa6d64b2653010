"""Build-time highlighting with Pygments: spans in the page, no highlighting JavaScript."""

from __future__ import annotations

import re

import pytest
from deck_helpers import parse_page, text_of, top_level_slides
from pygments.formatters import HtmlFormatter
from pygments.styles import get_style_by_name

from deckgen.build import build_text
from deckgen.highlight import highlight_code, language_of, resolve_style, style_css

PYTHON_DECK = """title: code
[slide]
# Python
```python
def area(r):
    return 3.14 * r ** 2
```
"""


def _code_blocks(html: str) -> list:
    return [pre for slide in top_level_slides(html) for pre in slide.iter("pre")]


def _style_rule(style: str, token_class: str) -> str:
    """The CSS rule Pygments itself writes for one token class of a style."""
    rules = HtmlFormatter(style=style).get_style_defs("pre.highlight").splitlines()
    return next(r for r in rules if r.startswith(f"pre.highlight .{token_class} {{"))


def test_fenced_code_is_highlighted_at_build_time() -> None:
    result = build_text(PYTHON_DECK)
    [pre] = _code_blocks(result.html)
    assert pre.get("class") == "highlight"
    code = pre.find("code")
    assert code.get("class") == "language-python"
    spans = [(s.get("class"), s.text) for s in code.iter("span")]
    assert ("k", "def") in spans and ("nf", "area") in spans and ("k", "return") in spans
    assert ("mf", "3.14") in spans
    assert text_of(pre) == "def area(r):\n    return 3.14 * r ** 2\n"
    assert result.diagnostics == []


def test_no_highlight_js_in_the_page() -> None:
    html = build_text(PYTHON_DECK).html
    assert "hljs" not in html and "highlight.js" not in html.lower()
    assert "highlight.pack" not in html
    # The page's own CSS has the Pygments rules for the spans (every built-in theme's code
    # colours are monokai, nodeppt's default monokai_sublime).
    assert _style_rule("monokai", "k") in html


@pytest.mark.parametrize("fence", ["```", "~~~", "````", "~~~~~~"])
def test_both_fence_kinds_are_highlighted(fence: str) -> None:
    result = build_text(f"[slide]\n{fence}js\nconst x = 1;\n{fence}\n")
    [pre] = _code_blocks(result.html)
    assert pre.find("code").get("class") == "language-js"
    assert ("kd", "const") in [(s.get("class"), s.text) for s in pre.iter("span")]


def test_a_slide_line_inside_code_is_shown_as_code() -> None:
    result = build_text("[slide]\n```markdown\n# one\n[slide]\n# two\n```\n")
    [slide] = top_level_slides(result.html)
    [pre] = list(slide.iter("pre"))
    assert text_of(pre) == "# one\n[slide]\n# two\n"


def test_highlight_style_monokai_sublime_uses_monokai() -> None:
    other = build_text("highlightStyle: github\n" + PYTHON_DECK.split("\n", 1)[1])
    assert _style_rule("default", "k") in other.html  # highlightStyle is what decides
    result = build_text("highlightStyle: monokai_sublime\n" + PYTHON_DECK.split("\n", 1)[1])
    assert _style_rule("monokai", "k") in result.html
    assert _style_rule("monokai", "nf") in result.html
    assert _style_rule("default", "k") not in result.html
    background = get_style_by_name("monokai").background_color
    assert f"background: {background}" in result.html
    assert result.diagnostics == []


@pytest.mark.parametrize(("name", "expected"), [
    ("monokai_sublime", "monokai"), ("Monokai_Sublime", "monokai"), ("github", "default"),
    ("tomorrow-night", "one-dark"), ("solarized_dark", "solarized-dark"),
    ("monokai", "monokai"), ("dracula", "dracula"), ("no-such-style", None),
])
def test_resolve_style(name: str, expected: str | None) -> None:
    assert resolve_style(name) == expected


def test_unknown_highlight_style_warns_and_uses_the_themes() -> None:
    result = build_text("theme: moon\nhighlightStyle: monokia\n[slide]\n```python\nx = 1\n```\n")
    [warning] = result.warnings
    assert (warning.line, warning.code) == (2, "unknown-highlight-style")
    assert warning.message.startswith("unknown highlightStyle 'monokia' (did you mean 'monokai")
    assert warning.message.endswith("using the theme's 'monokai'")
    assert _style_rule("monokai", "k") in result.html


def test_unknown_language_is_plain_escaped_code_with_a_warning() -> None:
    text = "title: t\n[slide]\n# x\n\n~~~ nosuchlang\n<script>alert(1)</script> & co\n~~~\n"
    result = build_text(text)
    [pre] = _code_blocks(result.html)
    assert list(pre.iter("span")) == []
    assert text_of(pre) == "<script>alert(1)</script> & co\n"
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in result.html
    [warning] = result.warnings
    assert (warning.line, warning.code) == (5, "unknown-language")
    assert warning.message == "unknown code language 'nosuchlang': shown without highlighting"


def test_missing_language_is_plain_escaped_code_without_a_warning() -> None:
    result = build_text("[slide]\n```\n<b>not bold</b> a < b\n```\n")
    [pre] = _code_blocks(result.html)
    assert pre.find("code").get("class") is None
    assert list(pre.iter("span")) == [] and list(pre.iter("b")) == []
    assert text_of(pre) == "<b>not bold</b> a < b\n"
    assert result.diagnostics == []


@pytest.mark.parametrize("info", ["python", "html", "", "nosuchlang"])
def test_script_inside_code_is_escaped(info: str) -> None:
    code = '<script>document.title = "pwned"</script>\n</section></div><section class="slide">'
    result = build_text(f"[slide]\n```{info}\n{code}\n```\n[slide]\nnext\n")
    page = parse_page(result.html)
    # Only the page's own two scripts (the deckgen-js class and the runtime) exist.
    scripts = list(page.iter("script"))
    assert len(scripts) == 2 and all("pwned" not in (s.text or "") for s in scripts)
    slides = top_level_slides(result.html)
    assert len(slides) == 2
    [pre] = list(slides[0].iter("pre"))
    assert text_of(pre) == code + "\n"


def test_languages_are_matched_case_insensitively() -> None:
    assert language_of("Python {.x}") == "python"
    assert language_of("  ") == ""
    result = build_text("[slide]\n```Python\nimport os\n```\n")
    assert result.diagnostics == []
    [pre] = _code_blocks(result.html)
    assert ("kn", "import") in [(s.get("class"), s.text) for s in pre.iter("span")]


def test_highlight_code_function() -> None:
    assert highlight_code("a<b\n", "") == '<pre class="highlight"><code>a&lt;b\n</code></pre>\n'
    highlighted = highlight_code("x = 1\n", "python")
    assert highlighted.startswith('<pre class="highlight"><code class="language-python">')
    assert '<span class="n">x</span>' in highlighted


def test_style_css_is_scoped_and_sets_a_readable_text_colour() -> None:
    css = style_css("monokai")
    rules = [line for line in css.splitlines() if line.strip()]
    assert rules[0].startswith("pre.highlight {")
    assert all(r.startswith(("pre.highlight", " ", "}", "/*")) for r in rules)
    assert re.search(r"pre\.highlight \{ color: #[0-9a-fA-F]{3,6}; background: #272822; \}", css)
