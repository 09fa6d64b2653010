"""The embedded fonts (fonts.py): Font Awesome icons and the math font, cut to what a deck uses.

Decks are the fixtures ``tests/fixtures/nodeppt/icons.md`` (its first slide is the nodeppt demo's
icon slide) and ``math-stretch.md``, the demo itself and keras (which uses neither).
"""

from __future__ import annotations

import base64
import importlib.util
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from deck_helpers import DEMO, KERAS, REPO
from fontTools.ttLib import TTFont

from deckgen import fonts
from deckgen.build import build_file, build_text
from deckgen.model import Diagnostics

FIXTURES = Path(__file__).parent / "fixtures" / "nodeppt"
ICONS = FIXTURES / "icons.md"
MATH = FIXTURES / "math-stretch.md"
FACE = re.compile(r'@font-face\{font-family:"([^"]+)";src:url\(data:font/woff;base64,([^)]*)\)')


def lines_of(path: Path, needle: str) -> list[int]:
    return [i + 1 for i, line in enumerate(path.read_text(encoding="utf-8").split("\n"))
            if needle in line]


def embedded(css: str) -> dict[str, TTFont]:
    """The fonts a page's CSS embeds, by family, decoded."""
    return {family: TTFont(io.BytesIO(base64.b64decode(data)))
            for family, data in FACE.findall(css)}


def cmap_of(font: TTFont) -> set[int]:
    return set(font.getBestCmap())


def math_variants(font: TTFont, char: str) -> set[str]:
    """The glyphs the MATH table grows ``char`` with: size variants and assembly parts."""
    variants = font["MATH"].table.MathVariants
    glyph = font.getBestCmap()[ord(char)]
    found = set()
    for coverage, constructions in ((variants.VertGlyphCoverage, variants.VertGlyphConstruction),
                                    (variants.HorizGlyphCoverage,
                                     variants.HorizGlyphConstruction)):
        if coverage and glyph in coverage.glyphs:
            construction = constructions[coverage.glyphs.index(glyph)]
            found |= {r.VariantGlyph for r in construction.MathGlyphVariantRecord}
            if construction.GlyphAssembly:
                found |= {p.glyph for p in construction.GlyphAssembly.PartRecords}
    return found


# -- the icon table -------------------------------------------------------------------------------

def test_the_icon_table_has_every_font_awesome_4_7_name_and_alias() -> None:
    table = fonts.icon_table()
    assert len(table) == 786  # 675 icons, 111 aliases: the `.fa-*:before` rules of FA 4.7's CSS
    assert table["github"] == 0xF09B
    assert table["cog"] == table["gear"] == 0xF013  # an alias
    assert table["share"] == table["mail-forward"] == 0xF064
    assert table["file-video-o"] == table["file-movie-o"] == 0xF1C8
    assert table["gittip"] == table["gratipay"]  # FA 4.2's name (nodeppt's) still there
    # Every code point has a glyph in the packaged font.
    font_cmap = cmap_of(TTFont(fonts.FONT_AWESOME.path))
    assert set(table.values()) <= font_cmap


def test_the_generator_reads_font_awesome_css() -> None:
    spec = importlib.util.spec_from_file_location("fontawesome_icons",
                                                  REPO / "tools" / "fontawesome_icons.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    css = ('.fa-glass:before {\n  content: "\\f000";\n}\n'
           '.fa-gear:before,\n.fa-cog:before {\n  content: "\\f013";\n}\n'
           '.fa-spin {\n  animation: fa-spin 2s infinite linear;\n}\n')
    assert module.icon_lines(css) == ["f000 glass", "f013 gear cog"]
    # The committed table is what it writes: a code point, then the names.
    table = (REPO / "src" / "deckgen" / "webfonts" / "fontawesome" / "icons.txt").read_text()
    assert "\nf013 gear cog\n" in table
    assert "\nf09b github\n" in table


# -- finding icons ----------------------------------------------------------------------------------

def test_icons_are_found_in_class_attributes_with_fa() -> None:
    use = fonts.find_icons([
        '<p><i class="fa fa-github"></i> <i class=\'fa fa-apple fa-2x\'></i></p>',
        '<button class="btn btn-success"><i class="fa fa-share mr5"></i></button>',
        '<ul class="fa-ul"><li><i class="fa-li fa fa-check"></i>done</li></ul>',
        '<span class="fa-github">no fa: not an icon</span>',
        '<p>class="fa fa-bomb" in text, &lt;i class="fa fa-cube"&gt;</p>',
        '<pre class="highlight"><code><span class="s">"fa fa-bug"</span></code></pre>',
        '<i class="fa fa-gear pull-right"></i>',
    ])
    assert use.icons == {"github", "apple", "share", "check", "gear"}
    assert use.helpers == {"fa-2x", "fa-ul", "fa-li", "pull-right"}
    assert use.unknown == []


def test_unknown_names_are_collected_once_per_slide() -> None:
    use = fonts.find_icons(['<i class="fa fa-githbu"></i><i class="fa fa-githbu"></i>',
                            '<i class="fa fa-githbu fa-sm"></i>'])
    assert use.unknown == [(0, "githbu"), (1, "githbu")]
    assert use.helpers == {"fa-sm"}  # Font Awesome 5's size, which decks write too


def test_the_icons_fixture_deck() -> None:
    result = build_file(ICONS)
    css = result.css
    for name, code in (("github", "f09b"), ("weixin", "f1d7"), ("cog", "f013"),
                       ("gear", "f013"), ("share", None)):
        rule = f'.fa-{name}:before{{content:"\\{code}"}}'
        assert (rule in css) == (code is not None), name
    assert ".fa{display:inline-block;font:normal normal normal 14px/1 FontAwesome;" in css
    for used in (".fa-2x{", ".fa-fw{", ".fa-spin{", "@keyframes fa-spin{", ".fa-ul{",
                 ".fa-li{", ".fa-stack{", ".fa-stack-1x{", ".fa-stack-2x{", ".fa-inverse{",
                 ".fa-rotate-90{", ".fa-lg{", ".fa.pull-right{"):
        assert used in css, used
    for unused in (".fa-3x{", ".fa-pulse{", ".fa-rotate-180{", ".fa-border{", ".fa-flip-"):
        assert unused not in css, unused
    assert set(embedded(css)) == {"FontAwesome"}  # no math in this deck: no math font


def test_unknown_icons_warn_with_their_line_and_a_suggestion() -> None:
    result = build_file(ICONS)
    warnings = [(d.line, d.message) for d in result.diagnostics if d.code == "unknown-icon"]
    line = lines_of(ICONS, "fa-githbu")[0]
    assert warnings == [
        (line, "unknown Font Awesome 4 icon 'fa-githbu' (did you mean 'fa-github'?)"),
        (line, "unknown Font Awesome 4 icon 'fa-nosuchicon'"),
    ]
    # Classes written in a code block or in inline code are text, not icons.
    assert "notanicon" not in result.css and "inlinecode" not in result.css
    formatted = [d.format() for d in result.diagnostics if d.code == "unknown-icon"]
    assert formatted[0] == (f"{result.deck.file}:{line}: warning: unknown Font Awesome 4 icon "
                            "'fa-githbu' (did you mean 'fa-github'?)")


def test_icon_classes_from_markers_count_and_warn_at_their_line() -> None:
    text = "[slide]\n# 标题\n\n[slide]\n## 图标 {:.fa .fa-nosuch}\n\n- 星 {:.fa .fa-star}\n"
    result = build_text(text, "deck.md")
    assert [(d.line, d.code) for d in result.diagnostics] == [(5, "unknown-icon")]
    assert '.fa-star:before{content:"\\f005"}' in result.css


# -- the icon font subset ---------------------------------------------------------------------------

def test_the_icon_subset_has_exactly_the_used_glyphs() -> None:
    result = build_file(DEMO)  # the demo's icon slide, and its share button
    font = embedded(result.css)["FontAwesome"]
    table = fonts.icon_table()
    used = {"apple", "android", "github", "google", "linux", "css3", "html5", "usd",
            "pie-chart", "file-video-o", "cog", "share"}
    assert cmap_of(font) == {table[name] for name in used}
    assert sorted(font.getGlyphOrder()) == sorted([".notdef", *font.getBestCmap().values()])
    assert font.flavor == "woff"
    assert "glyf" in font and "MATH" not in font


def test_the_five_icon_page(tmp_path: Path) -> None:
    text = ("[slide]\n## 联系\n<i class=\"fa fa-github\"></i> <i class=\"fa fa-weixin\"></i> "
            "<i class=\"fa fa-weibo\"></i> <i class=\"fa fa-envelope\"></i> "
            "<i class=\"fa fa-twitter\"></i>\n")
    plain = build_text("[slide]\n## 联系\n", "deck.md", tmp_path)
    result = build_text(text, "deck.md", tmp_path)
    assert len(cmap_of(embedded(result.css)["FontAwesome"])) == 5
    # A few kilobytes, not Font Awesome's 98 KB (the bound is loose: it catches a whole font).
    assert len(result.css) - len(plain.css) < 8_000


# -- math --------------------------------------------------------------------------------------------

def test_math_characters_include_automatic_italics_and_the_radical() -> None:
    html = ('<math><mrow><mi>x</mi><mi>h</mi><mi>α</mi><mi>sin</mi>'
            '<mi mathvariant="normal">d</mi><msqrt><mn>2</mn></msqrt>'
            '<mtext>中文</mtext><mo>&lt;</mo></mrow></math>')
    chars = fonts.math_characters([html, "<p>no math: q</p>"])
    expected = set(map(ord, "xhαsind2中文<")) | {0x1D465, 0x210E, 0x1D6FC, 0x221A}
    assert chars == expected  # italic x, italic h (Planck), italic alpha; d, "sin" stay upright
    assert fonts.math_italic("A") == 0x1D434
    assert fonts.math_italic("ı") == 0x1D6A4  # dotless i
    assert fonts.math_italic("∂") == 0x1D715 and fonts.math_italic("ϑ") == 0x1D717
    for upright in "1中é+":
        assert fonts.math_italic(upright) is None, upright


def test_the_math_subset_keeps_the_variants_that_stretch() -> None:
    result = build_file(MATH)
    faces = embedded(result.css)
    assert set(faces) == {"deckgen-math"}
    font = faces["deckgen-math"]
    assert 'math{font-family:"deckgen-math",math}' in result.css
    full = TTFont(fonts.MATH_FONT.path)
    wanted = fonts.math_characters([s.html for s in result.slides])
    assert cmap_of(font) == wanted & cmap_of(full)
    assert {0x28, 0x29, 0x221A, 0x2211, 0x1D44E} <= cmap_of(font)  # ( ) √ ∑ and italic a
    assert "MATH" in font and "CFF " in font
    # The subset has the MATH table's size variants and assembly parts of what it grows ...
    glyphs = set(font.getGlyphOrder())
    needed = set()
    for char in "()√∑":
        needed |= math_variants(full, char)
        assert math_variants(font, char) == math_variants(full, char), char
    assert {"parenleft.v7", "radical.v4", "uni239B", "uni239C", "uni239D"} <= needed <= glyphs
    # ... and nothing else: every glyph is a character's, or one of those.
    mapped = set(font.getBestCmap().values())
    extra = glyphs - mapped - {".notdef"}
    assert extra <= {g for c in map(chr, font.getBestCmap()) for g in math_variants(full, c)}
    # Chinese in \text is not in the font (the browser's fonts draw it).
    assert ord("最") in wanted and ord("最") not in cmap_of(font)


def test_the_subset_is_renamed_and_keeps_the_copyright() -> None:
    font = embedded(build_file(MATH).css)["deckgen-math"]
    names = {r.nameID: str(r) for r in font["name"].names}
    assert names[1] == names[4] == names[6] == "deckgen-math"
    assert names[0].startswith("Copyright 2012--2014 for Latin Modern Math OTF")
    assert "Subset of Latin Modern Math" in names[10]
    assert font["CFF "].cff.fontNames == ["deckgen-math"]
    assert "Latin Modern Math" not in (names[1], names[4])


# -- decks that use neither -------------------------------------------------------------------------

def test_keras_embeds_no_font_and_never_loads_fonttools() -> None:
    script = ("import sys; from deckgen.build import build_file; "
              "r = build_file(sys.argv[1]); "
              "print('FontAwesome' in r.css or 'deckgen-math' in r.css, 'math{font-family' in r.css, "
              "'fontTools' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", script, str(KERAS)], capture_output=True,
                          text=True, timeout=120, cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "False", "False"]


def test_a_deck_without_icons_or_math_gets_no_css() -> None:
    """"fa-" in text, a class without ``fa``, and a formula in code are none of them."""
    text = '[slide]\n# 标题\n\n<i class="icon fa-like">fa-github</i> `$$x$$`\n'
    result = build_text(text, "deck.md")
    diagnostics = Diagnostics("deck.md")
    assert fonts.fonts_css(result.deck.slides, result.slides, diagnostics) == ""
    assert diagnostics.items == []
    # The only font such a page carries is the code font every page has (templates/fonts.css).
    faces = re.findall(r'@font-face\s*\{[^}]*font-family:\s*"?([^";]+)', result.css)
    assert faces == ["Source Code Pro"] and ".fa{" not in result.css


# -- determinism --------------------------------------------------------------------------------------

def test_subsets_are_byte_identical_for_the_same_glyphs() -> None:
    wanted = frozenset(map(ord, "(x+1)√∑"))
    first = fonts.subset_woff(fonts.MATH_FONT, wanted)
    fonts.subset_woff.cache_clear()
    again = fonts.subset_woff(fonts.MATH_FONT, frozenset(sorted(wanted, reverse=True)))
    assert again == first
    icons = frozenset({0xF09B, 0xF179})
    one = fonts.subset_woff(fonts.FONT_AWESOME, icons)
    fonts.subset_woff.cache_clear()
    assert fonts.subset_woff(fonts.FONT_AWESOME, icons) == one


def test_pages_with_fonts_are_identical_across_processes() -> None:
    script = ("import hashlib, sys; from deckgen.build import build_file; "
              "print(hashlib.sha256(build_file(sys.argv[1]).html.encode()).hexdigest())")
    digests = {subprocess.run([sys.executable, "-c", script, str(DEMO)], capture_output=True,
                              text=True, timeout=120, cwd=REPO, check=True).stdout.strip()
               for _ in range(2)}
    import hashlib

    assert digests == {hashlib.sha256(build_file(DEMO).html.encode()).hexdigest()}


@pytest.mark.parametrize("path", [ICONS, MATH, DEMO])
def test_subsetting_prints_nothing(path: Path) -> None:
    """fontTools logs through ``logging``; a build must not leak its messages to stderr."""
    script = "import sys; from deckgen.build import build_file; build_file(sys.argv[1])"
    done = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True,
                          text=True, timeout=120, cwd=REPO)
    assert done.returncode == 0 and done.stderr == "" and done.stdout == ""


def test_the_packaged_fonts_are_the_originals_the_readme_names() -> None:
    import hashlib

    folder = REPO / "src" / "deckgen" / "webfonts"
    readme = (folder / "README.md").read_text(encoding="utf-8")
    sums = dict((path, digest) for digest, path in re.findall(r"^([0-9a-f]{64})  (\S+)$", readme,
                                                              re.M))
    assert set(sums) == {"fontawesome/fontawesome-webfont.woff",
                         "latinmodern-math/latinmodern-math.otf"}
    for path, digest in sums.items():
        assert hashlib.sha256((folder / path).read_bytes()).hexdigest() == digest, path
    assert (folder / "fontawesome" / "OFL.txt").read_text().count("SIL OPEN FONT LICENSE") == 1
    assert "GUST Font License" in (folder / "latinmodern-math" / "GUST-FONT-LICENSE.txt"
                                   ).read_text()
