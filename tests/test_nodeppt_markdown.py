"""Markdown as nodeppt 1.4.5's marked rendered it: emphasis next to CJK punctuation, bare URLs,
Markdown inside raw HTML blocks, raw ``<pre><code class>`` highlighted, line breaks, dollars.

The expected outputs were checked against nodeppt's bundled marked with nodeppt's options (a
node script requiring ``lib/marked.js``; see docs/nodeppt.md). Property tests for the new rules
are at the end.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from deckgen.assets import Assets
from deckgen.build import build_text
from deckgen.markdown import markdown
from deckgen.model import Diagnostics, Slide
from deckgen.plugins.cjk_emphasis import flanking, is_cjk
from deckgen.render import RenderOptions, render_slide


def render(text: str) -> str:
    return markdown().render(text, {})


def slide(body: str, tmp_path: Path, options: RenderOptions = RenderOptions(),
          body_line: int = 10):
    """Render one slide whose body starts on deck line ``body_line``."""
    diagnostics = Diagnostics("deck.md")
    item = Slide(index=1, line=body_line - 1, attrs=(), source=body)
    rendered = render_slide(item, diagnostics, Assets(tmp_path), options)
    return rendered.html, [(d.line, d.code, d.message) for d in diagnostics]


# -- emphasis next to CJK -------------------------------------------------------------------------

@pytest.mark.parametrize("text, html", [
    ("**注意：**这里", "<p><strong>注意：</strong>这里</p>"),
    ("**“引号”**后", "<p><strong>“引号”</strong>后</p>"),
    ("中文**“引号”**后", "<p>中文<strong>“引号”</strong>后</p>"),
    ("***能够……关键。***然后", "<p><em><strong>能够……关键。</strong></em>然后</p>"),
    ("*能够以最小的时延……是做好研究的关键。*", "<p><em>能够以最小的时延……是做好研究的关键。</em></p>"),
    ("这是**（重点）**内容", "<p>这是<strong>（重点）</strong>内容</p>"),
    ("~~删除：~~这里", "<p><s>删除：</s>这里</p>"),
    ("__用户友好。__ Keras", "<p><strong>用户友好。</strong> Keras</p>"),
    # Intraword underscores stay text, in CJK as in English.
    ("中文_变量_名", "<p>中文_变量_名</p>"),
    ("snake_case_name", "<p>snake_case_name</p>"),
])
def test_emphasis_next_to_cjk(text: str, html: str) -> None:
    assert render(text).strip() == html


def test_cjk_characters() -> None:
    assert all(is_cjk(c) for c in "中文。，：「」（）ひらカナ한글１Ａ")
    assert not any(is_cjk(c) for c in "a1.,:“”‘’ \u00a0é")
    # Every code point, against the character class the ranges stand for.
    cjk = re.compile("[\u1100-\u11ff\u2e80-\u2fdf\u2ff0-\u303f\u3040-\u31ff\u3200-\u4dbf"
                     "\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\ufe10-\ufe1f"
                     "\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003134f]")
    assert [c for c in range(0x32000) if is_cjk(chr(c)) != bool(cjk.match(chr(c)))] == []
    # CommonMark's answer where no CJK is involved: "：" closing before "这" can close only
    # because "这" is CJK.
    assert flanking("：", "这", True) == (True, True)
    assert flanking(":", "a", True) == (True, False)


_PLAIN = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


@given(st.text(alphabet="ab .,!?'\"“”‘’*_~\n", max_size=40))
@settings(max_examples=300, deadline=None)
def test_without_cjk_emphasis_is_commonmark(text: str) -> None:
    """No CJK character, no change: the rule only touches runs next to CJK text (and none of
    deckgen's other rules has anything to do in this alphabet)."""
    assert render(text) == _PLAIN.render(text)


def test_with_cjk_emphasis_differs_from_commonmark() -> None:
    assert render("**注意：**这里") != _PLAIN.render("**注意：**这里")


# -- bare URLs ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, links", [
    ("nodeppt：https://github.com/ksky521/nodeppt", ["https://github.com/ksky521/nodeppt"]),
    ("http://es6.ruanyifeng.com/", ["http://es6.ruanyifeng.com/"]),
    ("see http://a.org/x, and (http://b.org/y).", ["http://a.org/x", "http://b.org/y"]),
    # marked linked a URL right after a letter, and ran it to the next space.
    ("官网http://keras.io/x。然后 end", ["http://keras.io/x。然后"]),
    ("**http://a.org**", ["http://a.org"]),
    # Not links in nodeppt either: www., bare domains, e-mail, other schemes, code, links.
    ("www.example.com example.com a@b.com mailto:a@b.com ftp://x.org HTTP://X.ORG", []),
    ("`http://a.org` and [label](http://b.org)", ["label"]),
    ('<a href="x">http://c.org</a>', []),
])
def test_bare_urls_become_links_as_in_marked(text: str, links: list[str]) -> None:
    tokens = markdown().parse(text, {})
    children = [c for t in tokens for c in t.children or ()]
    texts = [children[i + 1].content for i, c in enumerate(children) if c.type == "link_open"]
    assert texts == links
    hrefs = [c.attrGet("href") for c in children if c.type == "link_open"]
    if links and links[0].startswith("http"):
        assert hrefs[0].startswith(links[0][:10])


def test_urls_in_fenced_code_stay_text() -> None:
    assert "<a " not in render("```\nhttp://a.org\n```\n")


# -- Markdown inside raw HTML ---------------------------------------------------------------------

def test_markdown_inside_html_blocks_from_the_demo() -> None:
    html = render('<div class="file-setting">\n    <p>这是html</p>\n</div>\n'
                  '<p id="css-demo">这是css样式</p>\n'
                  '<p>将html代码直接混编到**markdown**文件中即可</p>\n')
    assert html == ('<div class="file-setting">\n    <p>这是html</p>\n</div>\n'
                    '<p id="css-demo">这是css样式</p>\n'
                    '<p>将html代码直接混编到<strong>markdown</strong>文件中即可</p>\n')


@pytest.mark.parametrize("text, html", [
    # Inline syntax between the tags: emphasis, code, links, bare URLs.
    ("<section>\n**b** `c` [d](e) http://x.org\n</section>\n",
     '<section>\n<strong>b</strong> <code>c</code> <a href="e">d</a> '
     '<a href="http://x.org">http://x.org</a>\n</section>\n'),
    # A <div> at the start of a line is kept as written up to its </div> (marked's rule) ...
    ('<div class="columns2">\n- item **a**\n</div>\n', '<div class="columns2">\n- item **a**\n</div>\n'),
    # ... unless no </div> follows anywhere in the slide: then marked read a paragraph.
    ('<div class="columns2">\n**x**\n', '<div class="columns2">\n<strong>x</strong>\n'),
    # <pre>, <script>, <style>, <textarea> are never touched.
    ("<p>a</p>\n<pre>**b**</pre>\n<script>a**b**c</script>\n",
     "<p>a</p>\n<pre>**b**</pre>\n<script>a**b**c</script>\n"),
    ("<pre>\n**x**\n</pre>\n", "<pre>\n**x**\n</pre>\n"),
    ("<!-- **x** -->\n", "<!-- **x** -->\n"),
    # Lists and headings are block syntax, which marked did not render in HTML either.
    ("<ul>\n<li>**x**</li>\n</ul>\n", "<ul>\n<li><strong>x</strong></li>\n</ul>\n"),
    # A "<" that starts no tag markdown-it knows: the block stays as written.
    ('<p>a <b c="d> **e**</p>\n', '<p>a <b c="d> **e**</p>\n'),
    # Nothing to render: kept byte for byte.
    ('<p class="x">\n    plain text: yes\n</p>\n', '<p class="x">\n    plain text: yes\n</p>\n'),
])
def test_html_blocks(text: str, html: str) -> None:
    assert render(text) == html


def test_raw_pre_code_is_highlighted_like_fenced_code(tmp_path: Path) -> None:
    html, warnings = slide('<div class="columns-2">\n    <pre><code class="javascript">'
                           'if (a &lt; b) {\n  alert(&quot;x&quot;);\n}\n    </code></pre>\n'
                           '</div>\n', tmp_path)
    assert '<pre class="highlight"><code class="language-javascript">' in html
    assert '<span class="k">if</span>' in html and "&lt;" in html and "&amp;lt;" not in html
    assert html.startswith('<div class="columns-2">') and html.rstrip().endswith("</div>")
    assert warnings == []
    fenced = render('```javascript\nif (a < b) {\n  alert("x");\n}\n```\n')
    assert fenced.split("<code")[1] in html


def test_raw_pre_code_languages(tmp_path: Path) -> None:
    html, warnings = slide('<pre><code class="nosuchlang">a &amp; b</code></pre>\n\n'
                           '<pre><code class="hljs language-python">x = 1</code></pre>\n\n'
                           '<pre><code>plain</code></pre>\n\n'
                           '<pre><code class="nohighlight">kept</code></pre>\n', tmp_path)
    assert '<code class="language-nosuchlang">a &amp; b\n</code>' in html
    assert '<code class="language-python"><span class="n">x</span>' in html
    assert "<pre><code>plain</code></pre>" in html
    assert '<pre><code class="nohighlight">kept</code></pre>' in html
    assert warnings == [(10, "unknown-language",
                         "unknown code language 'nosuchlang': shown without highlighting")]


def test_lines_stay_right_in_html_with_markdown(tmp_path: Path) -> None:
    body = ('<section>\n**a**\n<pre><code class="python">x = 1\ny = 2\n</code></pre>\n'
            '<span>unclosed **b**\n</section>\n\n<p>![](missing.png) **c**</p>\n')
    html, warnings = slide(body, tmp_path, body_line=20)
    assert "<strong>a</strong>" in html and "<strong>b</strong>" in html
    assert "<strong>c</strong>" in html
    assert sorted(warnings) == [
        (25, "html-repaired", "unclosed <span> closed by </section> on line 26"),
        (28, "image-not-found", "image not found: missing.png"),
    ]


def test_a_marker_inside_html_is_warned(tmp_path: Path) -> None:
    html, warnings = slide("<p>**a** {:.x}</p>\n", tmp_path)
    assert "{:" not in html and "<strong>a</strong>" in html
    assert warnings == [(10, "marker-ignored", "ignored {:.x}: it is inside raw HTML")]


def test_an_html_block_is_one_build_step() -> None:
    result = build_text("title: t\n\n[slide]\n## h\n\np {:&.build}\n\n"
                        '<div class="x">a</div>\n<p>**b**</p>\n', "d.md", Path("."))
    html = result.slides[0].html
    assert html.count('class="fragment"') == 2
    assert ('<div class="fragment" data-animation="build">\n<div class="x">a</div>\n'
            "<p><strong>b</strong></p>\n</div>") in html


# -- line breaks, dollars -------------------------------------------------------------------------

def test_a_single_newline_is_no_line_break_as_in_nodeppt() -> None:
    # nodeppt set marked's `breaks`, but its bundled marked had the <br> rule commented out:
    # "a\nb" gave "<p>a\nb</p>", a space in the browser, also between CJK characters.
    assert render("一行\n下一行\nline") == "<p>一行\n下一行\nline</p>\n"
    assert render("two spaces  \nbreak") == "<p>two spaces<br />\nbreak</p>\n"


@pytest.mark.parametrize(("text", "html"), [
    # Checked against nodeppt 1.4.5's marked, which had no indented code blocks: indented
    # lines (four spaces, a tab) are text, indented HTML is HTML, an indented ## a heading.
    ("intro\n\n    indented text\n    more\n", "<p>intro</p>\n<p>indented text\nmore</p>\n"),
    ("\tafter a tab\n", "<p>after a tab</p>\n"),
    ("    <div class=\"box\">x</div>\n", "    <div class=\"box\">x</div>\n"),
    ("    ## 标题\n", "<h2>标题</h2>\n"),
    ("- a\n    - nested\n", "<ul>\n<li>a\n<ul>\n<li>nested</li>\n</ul>\n</li>\n</ul>\n"),
])
def test_indented_lines_are_never_code_as_in_nodeppt(text: str, html: str) -> None:
    assert render(text) == html


def test_dollars_stay_text_without_usemathjax(tmp_path: Path) -> None:
    html, warnings = slide("价格 $5 and $10, $x$ 和 $a^2$\n", tmp_path)
    assert "<math" not in html and "$x$" in html and "$5 and $10" in html
    assert warnings == []
    html, _ = slide("价格 $5 and $10, $x$\n", tmp_path, RenderOptions(dollar_math=True))
    assert html.count("<math") == 1 and "$5 and $10" in html


# -- properties -----------------------------------------------------------------------------------

PIECES = ["**", "*", "__", "_", "~~", "`", "注意", "：", "“", "”", "。", "http://", "https://",
          "a.org/", "x", " ", "\n", "\n\n", "<div>", "</div>", "<p>", "</p>", "<pre>",
          "</pre>", '<code class="python">', '<code class="zz">', "</code>", "&lt;", "<span>",
          "{:.c}", "[l](u)", "<", ">", "$", "\\"]


@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
def test_any_slide_renders_with_lines_in_range(tmp_path: Path, body: str) -> None:
    first = 7
    _html, warnings = slide(body, tmp_path, body_line=first)
    last = first + body.count("\n")
    # (The empty-slide warning names the separator, the line before the body.)
    assert all(first - 1 <= line <= last for line, _, _ in warnings), warnings
    tokens = markdown().parse(body, {})
    lines = body.count("\n") + 1
    for token in tokens:
        if token.map:
            assert 0 <= token.map[0] <= token.map[1] <= lines, (token, body)
