#!/usr/bin/env python3
"""The naive baseline that ``bench_build.py`` compares deckgen with.

It does the obvious thing and nothing more: split the deck on ``[slide`` lines (not
fence-aware), render each slide with markdown-it (CommonMark, raw HTML on) and a Pygments
highlight callback, and put the slides into one Jinja template. No sealing, no images, no
diagnostics, no theme, no runtime JavaScript, no atomic write.

    python benchmarks/naive_baseline.py decks/keras.txt -o /tmp/keras.html

It uses the same libraries deckgen depends on, so "deckgen / naive" is the price of deckgen's
extra work plus any overhead it could shed.
"""

from __future__ import annotations

import argparse
import re
from html import escape

from jinja2 import Template
from markdown_it import MarkdownIt
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

SEPARATOR = re.compile(r"^\[slide[\s\]]")

PAGE = Template("""<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>{{ title }}</title>
<style>
{{ css }}
</style>
</head>
<body>
{% for slide in slides %}
<section class="slide">
{{ slide }}
</section>
{% endfor %}
</body>
</html>
""")

FORMATTER = HtmlFormatter(nowrap=True)


def highlight_code(code: str, lang: str, _attrs: str) -> str:
    try:
        lexer = get_lexer_by_name(lang.split()[0]) if lang.strip() else None
    except ClassNotFound:
        lexer = None
    if lexer is None:
        return ""  # markdown-it escapes it
    return highlight(code, lexer, FORMATTER)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("deck")
    parser.add_argument("-o", "--output", required=True)
    args = parser.parse_args()

    with open(args.deck, encoding="utf-8") as handle:
        lines = handle.read().split("\n")

    title = ""
    slides: list[list[str]] = []
    for line in lines:
        if SEPARATOR.match(line):
            slides.append([])
        elif slides:
            slides[-1].append(line)
        elif line.startswith("title:"):
            title = line.partition(":")[2].strip()

    md = MarkdownIt("commonmark", {"html": True, "highlight": highlight_code})
    html = [md.render("\n".join(body)) for body in slides]
    page = PAGE.render(title=escape(title), css=FORMATTER.get_style_defs(".highlight"),
                       slides=html)
    with open(args.output, "w", encoding="utf-8") as handle:
        handle.write(page)
    print(f"wrote {args.output} ({len(slides)} slides)")


if __name__ == "__main__":
    main()
