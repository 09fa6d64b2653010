"""The real decks, built end to end: decks/keras.txt (the project's main job) and nodeppt's demo."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from deck_helpers import (
    DEMO,
    DEMO_SLIDE_LINES,
    KERAS,
    KERAS_SLIDE_LINES,
    parse_page,
    text_of,
    top_level_slides,
)
from pygments.token import STANDARD_TYPES

from deckgen.build import build_file

PYGMENTS_CLASSES = {cls for cls in STANDARD_TYPES.values() if cls}

# The first heading of each slide, read off the deck by hand ('' where a slide has none).
KERAS_HEADINGS = [
    "Keras入门", "Keras: 基于 Python 的深度学习库", "你恰好发现了 Keras。", "特点",
    "Keras 优先考虑开发人员的经验", "Keras 被工业界和学术界广泛采用", "Keras 可以轻松将模型转化为产品",
    "Keras 支持多个后端引擎，不会将你锁定到一个生态系统中", "快速上手 Keras", "", "", "", "", "", "",
    "", "", "使用Resnet50库预测图像", "", "", "安装指引",
]


@pytest.fixture(scope="module")
def keras_html() -> str:
    return build_file(KERAS).html


@pytest.fixture(scope="module")
def keras_page(keras_html: str):
    return parse_page(keras_html)


def test_keras_page_basics(keras_html: str, keras_page) -> None:
    assert '<html lang="zh-CN">' in keras_html
    assert keras_page.getroot().get("lang") == "zh-CN"
    assert [t.text for t in keras_page.iter("title")] == ["Keras入门"]
    assert keras_html.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in keras_html


def test_keras_has_21_slides_in_order(keras_html: str) -> None:
    slides = top_level_slides(keras_html)
    assert len(slides) == 21
    assert [s.get("data-index") for s in slides] == [str(i) for i in range(1, 22)]
    assert [int(s.get("data-line")) for s in slides] == KERAS_SLIDE_LINES
    assert [s.get("id") for s in slides] == [f"slide-{i}" for i in range(1, 22)]
    assert 'data-slide-count="21"' in keras_html


def test_keras_slide_headings(keras_html: str) -> None:
    headings = []
    for slide in top_level_slides(keras_html):
        first = next((h for h in slide.iter("h1", "h2")), None)
        headings.append(text_of(first).strip() if first is not None else "")
    assert headings == KERAS_HEADINGS


def test_keras_code_blocks_are_all_highlighted(keras_html: str) -> None:
    assert keras_html.count('<pre class="highlight">') == 14
    pres = [pre for slide in top_level_slides(keras_html) for pre in slide.iter("pre")]
    assert len(pres) == 14
    languages = [pre.find("code").get("class") for pre in pres]
    assert languages.count("language-python") == 11
    assert languages.count("language-bash") == 1 and languages.count("language-sh") == 2
    for pre in pres:
        assert pre.get("class") == "highlight"
        classes = {span.get("class") for span in pre.iter("span")}
        assert classes and classes <= PYGMENTS_CLASSES, classes
    # A comment line with CJK text in the big resnet50 example keeps its words.
    assert any("加载ResNet50分类库" in text_of(pre) for pre in pres)


def test_keras_loads_nothing_from_the_network(keras_html: str, keras_page) -> None:
    for script in keras_page.iter("script"):
        assert script.get("src") is None
    for link in keras_page.iter("link"):
        assert link.get("href", "").startswith("data:"), link.attrib
    for style in keras_page.iter("style"):
        css = style.text or ""
        assert "@import" not in css
        assert "url(http" not in css and "url('http" not in css and 'url("http' not in css
        assert "url(//" not in css
    # The only remote URLs are the deck's own links and (remote, as written) images.
    for element in keras_page.iter():
        for name in ("src", "href", "data", "poster"):
            value = element.get(name) or ""
            if value.startswith(("http:", "https:", "//")):
                assert (element.tag, name) in {("a", "href"), ("img", "src")}, element.tag
    assert not list(keras_page.iter("iframe")) and not list(keras_page.iter("object"))


def test_keras_has_no_highlight_js(keras_html: str) -> None:
    lowered = keras_html.lower()
    assert "hljs" not in lowered and "highlight.js" not in lowered
    assert "highlight.min.js" not in lowered and "prettify" not in lowered


def test_keras_builds_byte_identically_twice(keras_html: str) -> None:
    assert build_file(KERAS).html == keras_html
    assert build_file(str(KERAS)).html.encode("utf-8") == keras_html.encode("utf-8")


def test_keras_builds_byte_identically_in_separate_processes(tmp_path: Path,
                                                            keras_html: str) -> None:
    deckgen = Path(sys.executable).with_name("deckgen")
    outputs = []
    for seed in ("0", "4242"):
        out = tmp_path / f"keras-{seed}.html"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([str(deckgen), "build", str(KERAS), "-o", str(out), "-q"],
                              cwd=tmp_path, env=env, capture_output=True, timeout=120)
        assert done.returncode == 0, done.stderr
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    # ... and the same bytes as a build in this process, from another current folder.
    assert outputs[0] == keras_html.encode("utf-8")


def test_nodeppt_demo_builds() -> None:
    result = build_file(DEMO)
    slides = top_level_slides(result.html)
    assert len(slides) == 51
    assert [int(s.get("data-line")) for s in slides] == DEMO_SLIDE_LINES
    by_line = {int(s.get("data-line")): s for s in slides}
    # nodeppt's transition names are mapped onto deckgen's; the author's is kept.
    assert by_line[356].get("data-transition") == "fade"
    assert by_line[356].get("data-transition-name") == "glue"
    assert by_line[209].get("data-on-enter") == "testScriptTag"
    assert "bg1.png" in by_line[69].get("style")
    assert by_line[493].get("data-on-leave") == "outcallback"
    assert by_line[493].get("class") == "slide"
    assert [t.text for t in parse_page(result.html).iter("title")] == ["nodeppt markdown 演示"]
    # Its three fenced blocks are highlighted (html, markdown, html), and so are its three raw
    # <pre><code class="..."> blocks (markdown, javascript twice), as highlight.js did.
    assert result.html.count('<pre class="highlight">') == 6
    assert result.html.count('<code class="language-javascript">') == 2
