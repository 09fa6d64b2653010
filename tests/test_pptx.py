"""deckgen pptx: the keras deck and nodeppt's demo exported, then opened with python-pptx: one
16:9 slide per deck slide, titles, notes, bullet levels, bold runs, tables, code in the Pygments
style's colours, images at their size, steps as click animations, Chinese text in a CJK font,
byte-identical output; the picture fallback with its warning (browser tests at the end)."""

from __future__ import annotations

import itertools
import re
import shutil
import sys
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from click.testing import CliRunner
from deck_helpers import DEMO, DEMO_SLIDE_LINES, KERAS, KERAS_SLIDE_LINES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pptx import Presentation
from pptx.oxml.ns import qn
from pygments.styles import get_style_by_name
from pygments.token import Token

from deckgen.build import build_file, build_text
from deckgen.cli import cli
from deckgen.pptx_export.colors import code_style, palette_from_css, parse_color
from deckgen.pptx_export.content import read_slide
from deckgen.pptx_export.export import export_pptx
from deckgen.pptx_export.layout import layout_slide
from deckgen.pptx_export.writer import PptxWriter

EMU_PER_PX = 9525
A_NS = "{http://schemas.openxmlformats.org/drawingml/2006/main}"



def open_pptx(data: bytes):
    return Presentation(BytesIO(data))


@pytest.fixture(scope="module")
def keras():
    result = build_file(KERAS)
    exported = export_pptx(result, pictures=False)
    return result, exported, open_pptx(exported.data)


@pytest.fixture(scope="module")
def demo():
    """The demo without pictures (no browser needed): slides that would be pictures keep
    their text."""
    result = build_file(DEMO)
    exported = export_pptx(result, pictures=False)
    return result, exported, open_pptx(exported.data)


def title_of(slide) -> str:
    title = slide.shapes.title
    return title.text_frame.text if title is not None else ""


def runs_of(slide):
    for shape in slide.shapes:
        if shape.has_text_frame:
            for paragraph in shape.text_frame.paragraphs:
                yield from paragraph.runs


def timing_of(slide):
    return slide._element.find(qn("p:timing"))


def clicks_of(slide) -> list[list[tuple[str, str, tuple | None]]]:
    """Each click's effects: (entr|exit, shape id, paragraph range or None)."""
    timing = timing_of(slide)
    if timing is None:
        return []
    clicks = []
    for cond in timing.iter(qn("p:cond")):
        if cond.get("delay") != "indefinite":
            continue
        click_node = cond.getparent().getparent()  # p:cTn of the click
        effects = []
        for ctn in click_node.iter(qn("p:cTn")):
            if ctn.get("presetClass") is None:
                continue
            target = ctn.find(f".//{qn('p:spTgt')}")
            rg = target.find(f".//{qn('p:pRg')}")
            effects.append((ctn.get("presetClass"), target.get("spid"),
                            (int(rg.get("st")), int(rg.get("end"))) if rg is not None else None))
        clicks.append(effects)
    return clicks


# -- the whole deck ----------------------------------------------------------------------------

def test_keras_has_one_16_9_slide_per_deck_slide(keras):
    _result, exported, prs = keras
    assert len(prs.slides) == exported.slides == len(KERAS_SLIDE_LINES) == 21
    assert (prs.slide_width, prs.slide_height) == (1280 * EMU_PER_PX, 720 * EMU_PER_PX)
    assert prs.slide_width * 9 == prs.slide_height * 16
    assert exported.pictures == []


def test_keras_titles_are_the_slides_headings(keras):
    result, _, prs = keras
    titles = [title_of(slide) for slide in prs.slides]
    assert titles == [slide.title for slide in result.slides]
    assert titles[0] == "Keras入门"
    assert titles[8] == "快速上手 Keras"
    assert titles[20] == "安装指引"
    assert titles[9] == ""  # no heading: no title placeholder at all
    assert prs.slides[9].shapes.title is None
    assert prs.core_properties.title == "Keras入门"


def test_demo_slide_count_titles_and_notes(demo):
    result, _exported, prs = demo
    assert len(prs.slides) == len(DEMO_SLIDE_LINES) == 51  # steps are animations, not slides
    assert [title_of(s) for s in prs.slides] == [s.title for s in result.slides]
    notes = {i: slide.notes_slide.notes_text_frame.text for i, slide in enumerate(prs.slides, 1)
             if slide.has_notes_slide}
    assert notes == {43: "这里是note\n使用n键，才能显示"}
    # Notes are not on the slide itself.
    assert "使用n键" not in "".join(run.text for run in runs_of(prs.slides[42]))
    assert prs.core_properties.author == "三水清"


def test_keras_bold_runs_and_bullets(keras):
    _, _, prs = keras
    body = next(shape for shape in prs.slides[3].shapes if shape != prs.slides[3].shapes.title)
    paragraphs = body.text_frame.paragraphs
    assert len(paragraphs) == 4
    first = paragraphs[0]
    assert first.runs[0].text == "用户友好。" and first.runs[0].font.bold is True
    assert first.runs[1].font.bold is False
    for paragraph in paragraphs:
        assert paragraph._p.pPr.find(qn("a:buChar")).get("char") == "•"
        assert paragraph.level == 0


def test_demo_nested_lists_are_bullet_levels(demo):
    _, _, prs = demo
    slide = prs.slides[27]  # 动效：fadeIn
    body = next(s for s in slide.shapes if s.has_text_frame and "使用方法" in s.text_frame.text)
    levels = [(p.text, p.level) for p in body.text_frame.paragraphs]
    # (the marker glued to the text is text, as in nodeppt)
    assert levels == [("列表支持渐显动效哦", 0), ("使用方法", 1),
                      ("markdown列表第一条加上：{:&.动效类型}", 1), ("动效类型", 0),
                      ("fadeIn", 1), ("rollIn", 1), ("bounceIn", 1), ("moveIn", 1), ("zoomIn", 1)]
    markers = [p._p.pPr.find(qn("a:buChar")).get("char") for p in body.text_frame.paragraphs]
    assert markers[:3] == ["•", "◦", "◦"]
    numbered = next(s for s in prs.slides[37].shapes if s.has_text_frame and "enter" in s.text)
    autonum = [p._p.pPr.find(qn("a:buAutoNum")) for p in numbered.text_frame.paragraphs]
    assert [(n.get("type"), n.get("startAt")) for n in autonum] == [
        ("arabicPeriod", "1"), ("arabicPeriod", "2")]


def test_demo_table_is_a_powerpoint_table(demo):
    _, _, prs = demo
    tables = [shape for shape in prs.slides[10].shapes if shape.has_table]
    assert len(tables) == 1
    table = tables[0].table
    assert (len(table.rows), len(table.columns)) == (5, 4)
    assert [table.cell(0, c).text for c in range(4)] == ["", "Less", "Sass", "Stylus"]
    assert table.cell(1, 0).text == "环境"
    assert table.cell(1, 2).text == "Ruby(这列右对齐)"
    assert table.cell(1, 2).text_frame.paragraphs[0]._p.pPr.get("algn") == "r"
    assert table.cell(1, 1).text_frame.paragraphs[0]._p.pPr.get("algn") == "ctr"
    assert table.cell(0, 1).text_frame.paragraphs[0].runs[0].font.bold is True
    assert table.cell(4, 2).text.startswith("Compass Bootstrap")
    link = table.cell(4, 1).text_frame.paragraphs[0].runs[0]
    assert link.hyperlink.address == "http://getbootstrap.com/"


def _style_color(style: str, token) -> str:
    return get_style_by_name(style).style_for_token(token)["color"].upper()


def test_keras_code_keeps_the_pygments_colours(keras):
    result, _, prs = keras
    STYLE = result.code_style
    assert result.code_style == "monokai"  # every theme's, as nodeppt's monokai_sublime
    code = next(s for s in prs.slides[9].shapes if s.name == "Code")
    lines = [p.text for p in code.text_frame.paragraphs]
    assert lines == ["from keras.models import Sequential", "model = Sequential()"]
    runs = {run.text: run for run in code.text_frame.paragraphs[0].runs}
    assert str(runs["from"].font.color.rgb) == _style_color(STYLE, Token.Keyword.Namespace)
    assert runs["from"].font.bold is (bool(get_style_by_name(STYLE).style_for_token(
        Token.Keyword.Namespace)["bold"]))
    assert str(runs["keras.models"].font.color.rgb) == _style_color(STYLE, Token.Name.Namespace)
    assert runs["from"].font.name == "Consolas"
    background = code.fill.fore_color.rgb
    assert str(background) == get_style_by_name(STYLE).background_color.lstrip("#").upper()
    # A comment in the install slide, in the comment colour, and a string in the string colour.
    comment = [r for r in runs_of(prs.slides[20]) if r.text.startswith("#如果你使用")]
    assert str(comment[0].font.color.rgb) == _style_color(STYLE, Token.Comment.Single)
    strings = [r for r in runs_of(prs.slides[18]) if r.text == '"RUN 1 with 5 nodes"']
    assert str(strings[0].font.color.rgb) == _style_color(STYLE, Token.Literal.String.Double)


def test_demo_code_in_monokai(demo):
    result, _, prs = demo
    assert result.code_style == "monokai"
    code = next(s for s in prs.slides[49].shapes if s.name == "Code")
    runs = [run for p in code.text_frame.paragraphs for run in p.runs]
    function = next(r for r in runs if r.text == "function")
    assert str(function.font.color.rgb) == _style_color("monokai", Token.Keyword.Declaration)
    plain = next(r for r in runs if r.text == "远程执行函数")  # text between tags: the text colour
    assert str(plain.font.color.rgb) == code_style("monokai").text.upper()
    assert str(code.fill.fore_color.rgb) == "272822"


def test_inline_code_and_links(keras):
    _, _, prs = keras
    runs = list(runs_of(prs.slides[2]))
    link = next(r for r in runs if r.text == "TensorFlow")
    assert link.hyperlink.address == "https://github.com/tensorflow/tensorflow"
    italic = next(r for r in runs if r.text.startswith("能够以最小的时延"))
    assert italic.font.italic is True
    code = next(r for r in runs_of(prs.slides[9]) if r.text == "Sequential")
    assert code.font.name == "Consolas"


def test_chinese_runs_keep_a_cjk_font(keras, demo):
    for _, _, prs in (keras, demo):
        checked = 0
        for slide in prs.slides:
            for run in runs_of(slide):
                if re.search(r"[\u4e00-\u9fff]", run.text):
                    r_pr = run._r.find(qn("a:rPr"))
                    assert r_pr.find(qn("a:ea")).get("typeface") == "Microsoft YaHei"
                    assert r_pr.get("lang") == "zh-CN"
                    checked += 1
        assert checked > 20
    theme = zipfile.ZipFile(BytesIO(keras[1].data)).read("ppt/theme/theme1.xml").decode()
    assert '<a:ea typeface="Microsoft YaHei"/>' in theme
    assert 'script="Hans" typeface="Microsoft YaHei"' in theme


def test_fragments_are_click_animations(demo):
    _, _, prs = demo
    slide = prs.slides[1]  # nine rollIn items
    clicks = clicks_of(slide)
    body = next(s for s in slide.shapes if s.has_text_frame and "GFM" in s.text)
    assert len(clicks) == 9
    assert clicks == [[("entr", str(body.shape_id), (i, i))] for i in range(9)]
    build = timing_of(slide).find(qn("p:bldLst")).find(qn("p:bldP"))
    assert (build.get("spid"), build.get("build")) == (str(body.shape_id), "p")
    # A fragment item with nested items: the item and its sub-items appear together.
    assert [effects[0][2] for effects in clicks_of(prs.slides[27])] == [(0, 2), (3, 8)]
    # Slides without steps have no timing at all.
    assert timing_of(prs.slides[0]) is None and timing_of(prs.slides[10]) is None


def test_magic_parts_replace_each_other(demo):
    _, _, prs = demo
    slide = prs.slides[26]  # [magic]: the title's part gives way to an image part
    clicks = clicks_of(slide)
    title = slide.shapes.title
    assert title.text == "换个magic动效效果"
    # One click: the first part (the title and its missing picture's placeholder) goes, the
    # second part (another placeholder) comes.
    assert len(clicks) == 1
    kinds = {(kind, shape) for kind, shape, _ in clicks[0]}
    assert ("exit", str(title.shape_id)) in kinds
    entering = [shape for kind, shape in kinds if kind == "entr"]
    assert len(entering) == 1
    shape = next(s for s in slide.shapes if str(s.shape_id) == entering[0])
    assert "girl.jpg" in shape.text_frame.text


def test_remote_images_become_links_warned_once_by_the_build(keras):
    result, exported, prs = keras
    assert [d.line for d in result.diagnostics if d.code == "remote-resource"] == [10, 49]
    assert not [d for d in exported.diagnostics if "https://" in d.message]  # not twice
    link = next(r for r in runs_of(prs.slides[1]) if r.text.startswith("[image:"))
    assert link.hyperlink.address.endswith("keras-logo-2018-large-1200.png")


def test_slides_with_no_equivalent_keep_their_text_without_pictures(demo):
    _, exported, prs = demo
    text_only = {d.line: d.message for d in exported.diagnostics if d.code == "pptx-text-only"}
    assert text_only[79] == ("slide 8 has HTML with no PowerPoint equivalent (<math>); pictures "
                             "are turned off, so only its text is kept")
    assert set(text_only) == {12, 79, 153, 182, 227, 237, 246, 276, 523}
    # The columns slide still has both code blocks, as text.
    codes = [s for s in prs.slides[16].shapes if s.name == "Code"]
    assert len(codes) == 2 and codes[0].text_frame.paragraphs[0].text == \
        "(function(window, document){"
    scripts = [d for d in exported.diagnostics if d.code == "pptx-script"]
    assert [(d.line, d.message) for d in scripts] == [
        (221, "slide 18: <script> dropped: PowerPoint runs no scripts"),
        (525, "slide 50: <script> dropped: PowerPoint runs no scripts")]


def test_no_browser_is_a_warning_not_a_failure(monkeypatch):
    from deckgen import pdf

    def missing(explicit=None):
        raise pdf.BrowserNotFound("no Chrome, Chromium or Edge found")

    monkeypatch.setattr(pdf, "find_browser", missing)
    result = build_text("[slide]\n# Formula\n\n$$x^2$$\n", "math.txt")
    exported = export_pptx(result)
    assert [(d.code, d.line) for d in exported.diagnostics] == [("pptx-text-only", 4)]
    assert "no Chrome or Chromium found to picture it (install Chromium, or give --browser " \
           "PATH), so only its text is kept" in exported.diagnostics[0].message
    prs = open_pptx(exported.data)
    assert title_of(prs.slides[0]) == "Formula"
    assert exported.pictures == []


# -- images ------------------------------------------------------------------------------------

def _jpeg(width: int, height: int) -> bytes:
    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (width, height), (200, 120, 40)).save(out, format="JPEG")
    return out.getvalue()


def test_local_images_are_placed_at_their_size(tmp_path):
    """The demo as its author had it: /girl.jpg beside the deck (a stand-in picture)."""
    deck = tmp_path / "demo.md"
    shutil.copyfile(DEMO, deck)
    (tmp_path / "girl.jpg").write_bytes(_jpeg(400, 300))
    result = build_file(deck)
    exported = export_pptx(result, pictures=False)
    prs = open_pptx(exported.data)
    pictures = [s for s in prs.slides[40].shapes if s.shape_type == 13]  # 图片，点击全屏
    assert len(pictures) == 1
    picture = pictures[0]
    assert (picture.width, picture.height) == (400 * EMU_PER_PX, 300 * EMU_PER_PX)
    assert picture.image.blob == (tmp_path / "girl.jpg").read_bytes()
    assert picture._element.nvPicPr.cNvPr.get("descr") == "小萝莉"
    # Inside the slide, below the title, left-aligned with the text.
    assert picture.left == 72 * EMU_PER_PX
    assert picture.top > prs.slides[40].shapes.title.top
    assert picture.top + picture.height <= prs.slide_height


def test_image_width_attribute_and_max_width(tmp_path):
    (tmp_path / "wide.png").write_bytes(_png(3000, 1000))
    text = ('[slide]\n# Images\n\n<img src="wide.png" width="300">\n\n'
            '[slide]\n<img src="wide.png">\n')
    result = build_text(text, "images.txt", tmp_path)
    prs = open_pptx(export_pptx(result, pictures=False).data)
    first = next(s for s in prs.slides[0].shapes if s.shape_type == 13)
    assert (first.width, first.height) == (300 * EMU_PER_PX, 100 * EMU_PER_PX)
    second = next(s for s in prs.slides[1].shapes if s.shape_type == 13)
    assert second.width == 1136 * EMU_PER_PX  # max-width: 100% of the content box


def _png(width: int, height: int) -> bytes:
    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (width, height), (10, 120, 200)).save(out, format="PNG")
    return out.getvalue()


def test_slide_backgrounds(tmp_path):
    (tmp_path / "bg.png").write_bytes(_png(1600, 1200))
    text = ('title: ' + "长" * 300 + '\n'
            '[slide style="background-color: #123456"]\n# Colour\n\n'
            '[slide style="background-image: url(bg.png)"]\n# Picture\n')
    result = build_text(text, "bg.txt", tmp_path)
    data = export_pptx(result, pictures=False).data
    prs = open_pptx(data)
    assert str(prs.slides[0].background.fill.fore_color.rgb) == "123456"
    blip = prs.slides[1]._element.cSld.find(qn("p:bg")).find(f".//{qn('a:blip')}")
    image = prs.slides[1].part.related_part(blip.get(qn("r:embed")))
    assert image.blob == (tmp_path / "bg.png").read_bytes()
    crop = prs.slides[1]._element.cSld.find(f".//{qn('a:srcRect')}")
    assert (crop.get("t"), crop.get("b")) == ("12500", "12500")  # 4:3 cropped to 16:9, centred
    assert prs.core_properties.title == "长" * 255  # the document property's limit


# -- layout --------------------------------------------------------------------------------------

def test_everything_stays_on_the_slide(keras, demo):
    for _result, exported, prs in (keras, demo):
        assert not [d for d in exported.diagnostics if d.code == "pptx-overflow"]
        for slide in prs.slides:
            for shape in slide.shapes:
                assert shape.left >= 0 and shape.top >= 0
                assert shape.left + shape.width <= prs.slide_width
                assert shape.top + shape.height <= prs.slide_height + EMU_PER_PX


def test_shapes_do_not_overlap(keras):
    _, _, prs = keras
    for slide in prs.slides:
        boxes = sorted((s.top, s.top + s.height) for s in slide.shapes)
        for (_, bottom), (top, _) in itertools.pairwise(boxes):
            assert top >= bottom - EMU_PER_PX


def test_a_long_slide_is_scaled_down(keras):
    _, _, prs = keras
    sizes = {run.font.size.pt for run in runs_of(prs.slides[20]) if run.font.size}
    assert max(sizes) < 42  # its title is smaller than a normal slide's 42 pt
    assert max(run.font.size.pt for run in runs_of(prs.slides[3])) == 42


def test_cover_slides_are_centred(keras):
    _, _, prs = keras
    title = prs.slides[0].shapes.title
    assert title.text_frame.paragraphs[0]._p.pPr.get("algn") == "ctr"
    assert title.text_frame.paragraphs[0].runs[0].font.size.pt == 54  # 72px: a title-only slide
    middle = title.top + title.height / 2
    assert abs(middle - prs.slide_height / 2) < 20 * EMU_PER_PX


# -- files -----------------------------------------------------------------------------------------

def test_the_same_deck_gives_the_same_bytes(keras):
    _result, exported, _ = keras
    again = export_pptx(build_file(KERAS), pictures=False)
    assert again.data == exported.data
    names = zipfile.ZipFile(BytesIO(exported.data)).infolist()
    assert {info.date_time for info in names} == {(1980, 1, 1, 0, 0, 0)}
    core = zipfile.ZipFile(BytesIO(exported.data)).read("docProps/core.xml").decode()
    assert "2000-01-01T00:00:00Z" in core


def test_theme_colours_and_background(demo):
    result, _, prs = demo
    palette = palette_from_css(result.css)
    moon = _theme_vars("moon")  # the demo's theme
    assert (palette.bg, palette.fg, palette.heading) == (
        moon["bg"], moon["fg"], moon["heading"])
    theme = zipfile.ZipFile(BytesIO(demo[1].data)).read("ppt/theme/theme1.xml").decode()
    assert f'<a:lt1><a:srgbClr val="{moon["bg"]}"/></a:lt1>' in theme
    title_run = prs.slides[1].shapes.title.text_frame.paragraphs[0].runs[0]
    assert str(title_run.font.color.rgb) == moon["heading"]


def _theme_vars(name: str) -> dict[str, str]:
    """A built-in theme's --dg-* colours, as RRGGBB."""
    css = (Path(__file__).resolve().parent.parent / "themes" / name / "theme.css").read_text(
        encoding="utf-8")
    return {m.group(1): m.group(2).upper() for m in
            re.finditer(r"--dg-([a-z-]+):\s*#([0-9a-fA-F]{6})\s*;", css)}


def test_parse_color():
    assert parse_color("#abc") == "AABBCC"
    assert parse_color("#0b3d91") == "0B3D91"
    assert parse_color("rgb(255, 0, 0)") == "FF0000"
    assert parse_color("rgba(0, 0, 0, 0.5)", "FFFFFF") == "808080"
    assert parse_color("red !important") == "FF0000"
    assert parse_color("transparent") is None and parse_color("var(--x)") is None


def test_parse_style_keeps_data_uris_whole():
    from deckgen.pptx_export.content import parse_style

    style = "background: url('data:image/png;base64,AAA;B') no-repeat; COLOR: red;;x"
    assert parse_style(style) == {"background": "url('data:image/png;base64,AAA;B') no-repeat",
                                  "color": "red"}


# -- the command line ------------------------------------------------------------------------------

@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "talk.txt").write_text("title: Talk\n[slide]\n# 第一页\n\n- one\n- two\n\n"
                                       "[slide]\n## Two\n\n```python\nx = 1\n```\n",
                                       encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("out, expected", [(None, "site/talk.pptx"), ("out/", "out/talk.pptx"),
                                           ("folder", "folder/talk.pptx"),
                                           ("deep/name.PPTX", "deep/name.PPTX")])
def test_output_paths_and_message(in_tmp, out, expected):
    args = ["pptx", "talk.txt"] + (["-o", out] if out else [])
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert re.fullmatch(rf"wrote {re.escape(expected)} \(2 slides, \d+ KiB\)\n", result.output)
    prs = Presentation(in_tmp / expected)
    assert [title_of(s) for s in prs.slides] == ["第一页", "Two"]
    assert sorted(p.name for p in (in_tmp / expected).parent.iterdir()) == [Path(expected).name]
    quiet = CliRunner().invoke(cli, args + ["-q"])
    assert quiet.exit_code == 0 and quiet.output == ""


def test_strict_writes_nothing(in_tmp):
    (in_tmp / "warn.txt").write_text("[slide]\n# A\n\n![x](missing.png)\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["pptx", "warn.txt", "--strict"])
    assert result.exit_code == 1
    assert "warn.txt:4: warning: image not found: missing.png" in result.output
    assert "warn.txt: 1 warning and --strict: nothing written" in result.output
    assert not (in_tmp / "site").exists()
    ignored = CliRunner().invoke(cli, ["pptx", "warn.txt", "--strict", "--ignore",
                                       "image-not-found"])
    assert ignored.exit_code == 0, ignored.output
    assert (in_tmp / "site" / "warn.pptx").is_file()


def test_strict_counts_the_exports_own_warnings(in_tmp):
    (in_tmp / "script.txt").write_text("[slide]\n# A\n\n<script>var x = 1;</script>\n",
                                       encoding="utf-8")
    assert CliRunner().invoke(cli, ["build", "script.txt", "--strict", "-o", "x.html"]
                              ).exit_code == 0  # the build itself has nothing to say
    result = CliRunner().invoke(cli, ["pptx", "script.txt", "--strict"])
    assert result.exit_code == 1
    assert "script.txt:4: warning: slide 1: <script> dropped: PowerPoint runs no scripts" \
        in result.output
    assert not (in_tmp / "site").exists()


def test_a_wrong_browser_fails_before_building(in_tmp):
    result = CliRunner().invoke(cli, ["pptx", "talk.txt", "--browser", "/no/such/chrome"])
    assert result.exit_code == 1
    assert result.output.startswith("--browser /no/such/chrome: does not exist; install Chromium")
    assert not (in_tmp / "site").exists()


def test_without_python_pptx_it_says_what_to_install(in_tmp, monkeypatch):
    monkeypatch.setitem(sys.modules, "pptx", None)  # import pptx now raises ImportError
    result = CliRunner().invoke(cli, ["pptx", "talk.txt"])
    assert result.exit_code == 1
    assert result.output == ('deckgen pptx needs the python-pptx package (python-pptx is not '
                             'installed): pip install "deckgen[pptx]"\n')


def test_bad_deck_is_one_clear_line(in_tmp):
    (in_tmp / "bad.txt").write_text("theme: lihgt\n[slide]\n# A\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["pptx", "bad.txt"])
    assert result.exit_code == 1
    assert result.output.startswith("bad.txt:1: unknown theme 'lihgt' (did you mean 'light'?)")


def test_help_lists_the_command():
    result = CliRunner().invoke(cli, ["--help"])
    assert "pptx" in result.output
    result = CliRunner().invoke(cli, ["pptx", "--help"])
    assert "deckgen pptx decks/keras.txt" in result.output
    for option in ("--output", "--strict", "--ignore", "--encoding", "--browser", "--quiet"):
        assert option in result.output


# -- robustness ------------------------------------------------------------------------------------

_TAGS = st.sampled_from(["p", "div", "span", "ul", "ol", "li", "strong", "em", "code", "pre",
                         "table", "tr", "td", "th", "blockquote", "h1", "h3", "a", "img", "br",
                         "iframe", "math", "small", "aside", "section", "svg", "hr"])
_ATTRS = st.sampled_from(["", ' class="fragment"', ' class="notes"', ' class="columns2"',
                          ' style="color: red; width: 10px"', ' src="data:image/png;base64,xx"',
                          ' class="magic-part"', ' rowspan="3"', ' colspan="0"', ' href="x"',
                          ' class="fadeIn"', ' data-fragment-index="2"', ' start="-3"',
                          ' type="i"', ' alt="a\x0bb"', ' style="font-size: 900px"',
                          ' value="99999"', ' hidden'])


@st.composite
def html_fragments(draw):
    parts = []
    for _ in range(draw(st.integers(0, 25))):
        kind = draw(st.integers(0, 3))
        if kind == 0:
            parts.append(f"<{draw(_TAGS)}{draw(_ATTRS)}>")
        elif kind == 1:
            parts.append(f"</{draw(_TAGS)}>")
        else:
            parts.append(draw(st.text(alphabet="ab 中文\n\t<&;", max_size=12)))
    return "".join(parts)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(html_fragments())
def test_any_html_reads_and_lays_out(html):
    result = build_text("[slide]\nx\n", "t.txt")
    palette = palette_from_css(result.css)
    content = read_slide(html, palette, "default")
    layout = layout_slide(content)
    assert 0 < layout.scale <= 1
    writer = PptxWriter(palette)
    writer.add_slide(content, layout)
    assert len(open_pptx(writer.to_bytes()).slides) == 1


def test_any_rendered_slide_exports(tmp_path):
    """Every construct of nodeppt's fixtures, exported without error."""
    fixtures = Path(__file__).parent / "fixtures" / "nodeppt"
    for path in sorted(p for p in fixtures.glob("*.md") if p.name != "README.md"):
        result = build_file(path)
        exported = export_pptx(result, pictures=False)
        assert len(open_pptx(exported.data).slides) == len(result.slides), path.name


# -- pictures: the installed Chromium ------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_with_pictures(chromium, tmp_path_factory):
    target = tmp_path_factory.mktemp("pptx") / "demo.pptx"
    result = CliRunner().invoke(cli, ["pptx", str(DEMO), "-o", str(target), "--browser",
                                      chromium])
    assert result.exit_code == 0, result.output
    return target, result.output


@pytest.mark.browser
def test_demo_pictures_and_their_warnings(demo_with_pictures):
    target, output = demo_with_pictures
    lines = [line for line in output.splitlines() if line.endswith("placed as a picture")]
    assert any(line.endswith("nodeppt-demo.md:79: warning: slide 8 has HTML with no "
                             "PowerPoint equivalent (<math>); placed as a picture")
               for line in lines)
    assert len(lines) == 9
    assert re.search(r"wrote .*demo\.pptx \(51 slides, 9 as pictures, [\d.]+ [KM]iB\)", output)
    prs = Presentation(target)
    assert len(prs.slides) == 51
    slide = prs.slides[7]
    pictures = [s for s in slide.shapes if s.shape_type == 13]
    assert len(pictures) == 1
    picture = pictures[0]
    assert (picture.left, picture.top, picture.width, picture.height) == (
        0, 0, prs.slide_width, prs.slide_height)
    from PIL import Image

    image = Image.open(BytesIO(picture.image.blob))
    assert image.size == (1920, 1080)
    # The slide's colours: mostly the moon theme's background, with the formula drawn on it.
    colours = image.convert("RGB").getcolors(1920 * 1080)
    top = max(colours)[1]
    assert top == tuple(bytes.fromhex(_theme_vars("moon")["bg"]))
    assert len(colours) > 50
    # The title stays, for the outline, under the picture.
    assert slide.shapes.title.text == "使用LaTex公式："
    assert list(slide.shapes).index(slide.shapes.title) < list(slide.shapes).index(picture)
    assert sorted(p.name for p in target.parent.iterdir()) == ["demo.pptx"]  # no temporaries


@pytest.mark.browser
def test_a_pictured_slide_with_steps_has_a_picture_per_step(demo_with_pictures):
    target, _ = demo_with_pictures
    prs = Presentation(target)
    slide = prs.slides[25]  # [magic] with nodeppt's columns: two parts
    pictures = [s for s in slide.shapes if s.shape_type == 13]
    assert len(pictures) == 2
    assert pictures[0].image.blob != pictures[1].image.blob
    assert clicks_of(slide) == [[("entr", str(pictures[1].shape_id), None)]]


@pytest.mark.browser
def test_pictures_are_deterministic(chromium, tmp_path):
    text = "title: Math\n[slide]\n# 公式\n\n$$ x = {-b \\pm \\sqrt{b^2-4ac} \\over 2a} $$\n"
    result = build_text(text, "math.txt", tmp_path)
    first = export_pptx(result, chromium, workdir=tmp_path)
    second = export_pptx(build_text(text, "math.txt", tmp_path), chromium, workdir=tmp_path)
    assert first.pictures == [1]
    assert [d.code for d in first.diagnostics] == ["pptx-picture"]
    assert first.data == second.data
    assert sorted(p.name for p in tmp_path.iterdir()) == []
