"""nodeppt header keys and quirks: files:/headFiles: inlined, date/speaker/url on the page,
usemathjax, transitions, and the header lines real decks get wrong."""

from __future__ import annotations

from pathlib import Path

import pytest
from deck_helpers import parse_page, png_bytes, text_of, top_level_slides

from deckgen.build import build_file, build_text
from deckgen.model import Diagnostics
from deckgen.parse import parse_deck


def _warnings(result) -> list[tuple[int | None, str, str]]:
    return [(d.line, d.code, d.message) for d in result.diagnostics]


# -- header quirks seen in real decks ---------------------------------------------------------------

QUIRKS = """
title:没有空格
<!-- 一条注释 -->

speaker: 张三 //主讲人
theme: moon
theme: dark
这一行不是键值
```
highlightStyle: monokai_sublime
```
[slide]
# 第一页"""


def test_the_header_quirks_of_real_decks() -> None:
    diagnostics = Diagnostics("deck.md")
    deck = parse_deck(QUIRKS, "deck.md", diagnostics)
    # A leading blank line, key:value without a space, a comment and a blank line between keys,
    # no blank line before the first [slide], and a ``` line that opens no fence.
    assert deck.meta == {"title": "没有空格", "speaker": "张三", "theme": "dark",
                         "highlightStyle": "monokai_sublime"}
    assert deck.meta_lines == {"title": 2, "speaker": 5, "theme": 7, "highlightStyle": 10}
    assert [(d.line, d.code) for d in diagnostics] == [
        (5, "header-comment"), (7, "duplicate-key"), (8, "stray-header-line"),
        (9, "stray-header-line"), (11, "stray-header-line")]
    assert [s.line for s in deck.slides] == [12]


def test_an_unclosed_comment_does_not_swallow_the_keys_after_it() -> None:
    diagnostics = Diagnostics("deck.md")
    deck = parse_deck("title: t\n<!-- 注释没有关闭\ntheme: dark\nspeaker: me\n\n[slide]\nx\n",
                      "deck.md", diagnostics)
    assert deck.meta == {"title": "t", "theme": "dark", "speaker": "me"}
    assert [(d.line, d.code) for d in diagnostics] == [(2, "unclosed-comment")]
    # A closed multi-line comment still hides what is inside it.
    deck = parse_deck("<!--\ntheme: dark\n-->\ntitle: t\n[slide]\nx\n", "deck.md")
    assert deck.meta == {"title": "t"}


# -- files: and headFiles: ------------------------------------------------------------------------

def _talk(tmp_path: Path, header: str) -> Path:
    folder = tmp_path / "talk"
    (folder / "css").mkdir(parents=True)
    (folder / "js").mkdir()
    (folder / "img").mkdir()
    (folder / "css" / "head.css").write_text(
        ".head-rule { background: url(../img/dot.png) } /* 头部 */\n", encoding="utf-8")
    (folder / "css" / "late.css").write_text(".late-rule { color: red }\n", encoding="utf-8")
    (folder / "js" / "demo.js").write_text(
        "window.demoLoaded = '</script>' + 1;\n", encoding="utf-8")
    (folder / "img" / "dot.png").write_bytes(png_bytes())
    deck = folder / "deck.md"
    deck.write_text(header + "\n[slide]\n# 文件\n", encoding="utf-8")
    return deck


def test_local_files_are_inlined_in_order(tmp_path: Path) -> None:
    deck = _talk(tmp_path, "title: t\nheadFiles: css/head.css, /js/demo.js\n"
                           "files: /css/late.css,js/demo.js\n")
    result = build_file(deck)
    assert _warnings(result) == []
    page = parse_page(result.html)
    head = page.find("head")
    body = page.find("body")
    inlined_head = [(el.tag, el.get("data-file")) for el in head if el.get("data-file")]
    assert inlined_head == [("style", "css/head.css"), ("script", "/js/demo.js")]
    head_children = [el for el in head if isinstance(el.tag, str)]
    assert head_children.index(head.find("style[@id='deckgen-style']")) < \
        head_children.index(head.find("style[@data-file='css/head.css']"))
    # files: come after the runtime, at the end of the body, as nodeppt put them.
    tail = [el for el in body if isinstance(el.tag, str)][-3:]
    assert [(el.tag, el.get("data-file")) for el in tail] == [
        ("script", None), ("style", "/css/late.css"), ("script", "js/demo.js")]
    assert "deckgen.start()" in tail[0].text
    # A url() in the CSS file is relative to the CSS file, and embedded.
    css = head.find("style[@data-file='css/head.css']").text
    assert "url('data:image/png;base64," in css and "../img/dot.png" not in css
    # The script cannot end its own element early.
    assert "'<\\/script>'" in tail[2].text
    assert result.html.count("window.demoLoaded") == 2
    # serve watches them.
    folder = deck.parent
    assert {folder / "css" / "head.css", folder / "js" / "demo.js", folder / "css" / "late.css",
            folder / "img" / "dot.png"} <= set(result.files)


def test_remote_missing_and_unknown_files_are_warnings(tmp_path: Path) -> None:
    deck = _talk(tmp_path, "title: t\n\nfiles: https://cdn.example.com/x.js, /js/nope.js,"
                           " notes.txt, //cdn.example.com/y.css\n")
    result = build_file(deck)
    assert _warnings(result) == [
        (3, "deck-file-remote", "files: 'https://cdn.example.com/x.js' is remote: it stays a "
                                "link, and the deck needs the network to load it"),
        (3, "deck-file-not-found", "files: file not found: /js/nope.js"),
        (3, "deck-file-type", "files: ignored 'notes.txt': not a .css or .js file"),
        (3, "deck-file-remote", "files: '//cdn.example.com/y.css' is remote: it stays a link, "
                                "and the deck needs the network to load it"),
    ]
    page = parse_page(result.html)
    assert [s.get("src") for s in page.iter("script") if s.get("src")] == [
        "https://cdn.example.com/x.js"]
    assert [link.get("href") for link in page.iter("link")
            if link.get("rel") == "stylesheet"] == ["//cdn.example.com/y.css"]


def test_a_file_that_is_not_utf8_is_inlined_with_a_warning(tmp_path: Path) -> None:
    deck = _talk(tmp_path, "title: t\nfiles: js/gbk.js\n")
    (deck.parent / "js" / "gbk.js").write_bytes("window.x = '中文';\n".encode("gbk"))
    result = build_file(deck)
    assert _warnings(result) == [
        (2, "deck-file-encoding", "files: js/gbk.js is not UTF-8: its undecodable bytes are "
                                  "replaced (save it as UTF-8)")]
    assert "window.x = '" in result.html and "\ufffd" in result.html


def test_a_missing_image_in_an_inlined_css_file(tmp_path: Path) -> None:
    deck = _talk(tmp_path, "title: t\nheadFiles: css/head.css\n")
    (deck.parent / "img" / "dot.png").unlink()
    result = build_file(deck)
    assert _warnings(result) == [
        (2, "image-not-found", "headFiles: css/head.css: image not found: ../img/dot.png")]


# -- speaker, date, url -----------------------------------------------------------------------------

def test_speaker_date_and_url_are_escaped_on_the_page() -> None:
    result = build_text('title: t\nspeaker: A <b>&</b> "B"\ndate: 2024年5月\n'
                        'url: https://example.com/?a=1&b="2"\n\n[slide]\n# 封面\n', "deck.md")
    page = parse_page(result.html)
    metas = {m.get("name"): m.get("content") for m in page.iter("meta") if m.get("name")}
    assert metas["author"] == 'A <b>&</b> "B"' and metas["date"] == "2024年5月"
    (author,) = [link for link in page.iter("link") if link.get("rel") == "author"]
    assert author.get("href") == 'https://example.com/?a=1&b="2"'
    (slide,) = top_level_slides(result.html)
    footer = slide.find(".//footer")
    assert [text_of(el) for el in footer] == ['A <b>&</b> "B"', "2024年5月",
                                              'https://example.com/?a=1&b="2"']
    assert footer.find("b") is None


def test_no_cover_footer_without_header_values_or_without_an_h1() -> None:
    plain = build_text("title: t\n\n[slide]\n# 封面\n", "deck.md")
    assert "deck-meta" not in plain.html.split("</style>")[-1]
    no_h1 = build_text("title: t\nspeaker: me\n\n[slide]\n## 不是封面\n", "deck.md")
    (slide,) = top_level_slides(no_h1.html)
    assert slide.find(".//footer") is None
    assert '<meta name="author" content="me">' in no_h1.html


# -- usemathjax and transition ----------------------------------------------------------------------

def test_usemathjax_values() -> None:
    deck = "title: t\nusemathjax: {}\n\n[slide]\n$x^2$\n"
    on = build_text(deck.format("yes"), "deck.md")
    assert "<math>" in on.html and on.diagnostics == []
    off = build_text(deck.format("no"), "deck.md")
    assert "<math>" not in off.html and off.diagnostics == []
    odd = build_text(deck.format("maybe"), "deck.md")
    assert "<math>" not in odd.html
    assert _warnings(odd) == [(2, "bad-usemathjax",
                               "usemathjax: expected 'yes' or 'no', not 'maybe'; taken as 'no'")]


def test_an_unknown_global_transition_is_warned_once_with_a_suggestion() -> None:
    result = build_text('title: t\ntransition: zoomot\n\n[slide data-transition="zoomot"]\n'
                        "# a\n[slide]\nb\n", "deck.md")
    assert _warnings(result) == [
        (2, "unknown-transition", "unknown transition 'zoomot' (did you mean 'zoomout'?); "
                                  "using 'slide'")]
    assert 'data-transition="slide" data-transition-name="zoomot"' in result.html


@pytest.mark.parametrize("header, expected", [
    ("", ("slide", "move")),                    # nodeppt's default transition, move
    ("transition:\n", ("slide", "move")),       # an empty value is no value
    ("transition: none\n", ("none", "none")),   # the way to turn it off
    ("transition: fade\n", ("fade", "fade")),
])
def test_the_deck_transition_defaults_to_nodeppts_move(header, expected) -> None:
    result = build_text(f"title: t\n{header}\n[slide]\n# a\n[slide data-transition=\"cards\"]\nb\n",
                        "deck.md")
    assert _warnings(result) == []
    root = next(el for el in parse_page(result.html).iter("div") if el.get("class") == "deckgen")
    assert (root.get("data-transition"), root.get("data-transition-name")) == expected
    # A slide's own transition is its own, whatever the deck's.
    assert [s.get("data-transition") for s in top_level_slides(result.html)] == [None, "cards"]
