"""Local images become data: URIs; missing ones are warnings naming their line and become
placeholders; remote ones stay links, with a warning (``test_remote.py`` embeds them)."""

from __future__ import annotations

import base64
import shutil
from pathlib import Path

import pytest
from deck_helpers import DEMO, png_bytes, top_level_slides

from deckgen.assets import image_type, is_remote, local_path
from deckgen.build import build_file

GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00," \
      b"\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"><rect width="1" height="1"/></svg>'


def data_uri(mime: str, data: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def _img_srcs(html: str) -> list[str]:
    return [img.get("src") for slide in top_level_slides(html) for img in slide.iter("img")]


def _placeholders(html: str) -> list:
    return [el for slide in top_level_slides(html) for el in slide.iter("span")
            if "deckgen-image-missing" in (el.get("class") or "").split()]


def _write_deck(folder: Path, body: str, name: str = "deck.txt") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    deck = folder / name
    deck.write_text("title: images\n[slide]\n" + body, encoding="utf-8")
    return deck


@pytest.fixture
def deck_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A deck folder with images; the current folder is elsewhere, so paths must not use it."""
    folder = tmp_path / "talk"
    (folder / "img").mkdir(parents=True)
    (folder / "pic.png").write_bytes(png_bytes(rgb=(255, 0, 0)))
    (folder / "img" / "blue.png").write_bytes(png_bytes(rgb=(0, 0, 255)))
    (folder / "img" / "anim.gif").write_bytes(GIF)
    (folder / "img" / "logo.svg").write_bytes(SVG)
    (folder / "img" / "photo.JPG").write_bytes(b"\xff\xd8\xff\xe0fake-jpeg")
    (folder / "img" / "noext").write_bytes(png_bytes(rgb=(0, 255, 0)))
    (folder / "图片 one.png").write_bytes(png_bytes(rgb=(1, 2, 3)))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    return folder


def test_markdown_and_html_images_relative_to_the_deck(deck_dir: Path) -> None:
    deck = _write_deck(deck_dir, "![red](pic.png)\n\n![blue](img/blue.png)\n\n"
                                 '<img src="pic.png">\n\n<img src=\'img/blue.png\' alt="b">\n')
    result = build_file(deck)
    red = data_uri("image/png", (deck_dir / "pic.png").read_bytes())
    blue = data_uri("image/png", (deck_dir / "img" / "blue.png").read_bytes())
    assert _img_srcs(result.html) == [red, blue, red, blue]
    assert result.diagnostics == []


def test_a_leading_slash_means_the_decks_folder(deck_dir: Path) -> None:
    deck = _write_deck(deck_dir, "![](/pic.png)\n\n<img src=\"/img/blue.png\">\n")
    result = build_file(deck)
    assert _img_srcs(result.html) == [
        data_uri("image/png", (deck_dir / "pic.png").read_bytes()),
        data_uri("image/png", (deck_dir / "img" / "blue.png").read_bytes())]
    assert result.diagnostics == []


@pytest.mark.parametrize(("src", "mime"), [
    ("img/anim.gif", "image/gif"),
    ("img/logo.svg", "image/svg+xml"),
    ("img/photo.JPG", "image/jpeg"),
    ("img/noext", "image/png"),  # no extension: recognised by its first bytes
])
def test_mime_types(deck_dir: Path, src: str, mime: str) -> None:
    deck = _write_deck(deck_dir, f"![x]({src})\n")
    result = build_file(deck)
    assert _img_srcs(result.html) == [data_uri(mime, (deck_dir / src).read_bytes())]


def test_file_names_with_spaces_and_cjk(deck_dir: Path) -> None:
    deck = _write_deck(deck_dir, "![a](图片%20one.png)\n\n![b](<图片 one.png>)\n\n"
                                 '<img src="图片 one.png">\n')
    result = build_file(deck)
    expected = data_uri("image/png", (deck_dir / "图片 one.png").read_bytes())
    assert _img_srcs(result.html) == [expected] * 3
    assert result.diagnostics == []


def test_missing_images_are_warnings_on_their_line(deck_dir: Path) -> None:
    body = ("para line one\n"                               # 3
            "![m1](missing1.png) and ![ok](pic.png)\n"      # 4
            "third ![m2](img/missing2.png)\n"               # 5
            "\n"                                            # 6
            "<div>\n"                                       # 7
            "<img src='missing3.png' alt=x>\n"              # 8
            "</div>\n"                                      # 9
            "\n"                                            # 10
            "inline <img src=\"/gone/missing4.png\"> here\n"  # 11
            "\n"                                            # 12
            "![sp](no%20such.png)\n")                       # 13
    deck = _write_deck(deck_dir, body)
    result = build_file(deck)
    display = result.deck.file
    assert [d.format(with_level=False) for d in result.diagnostics] == [
        f"{display}:4: image not found: missing1.png",
        f"{display}:5: image not found: img/missing2.png",
        f"{display}:8: image not found: missing3.png",
        f"{display}:11: image not found: /gone/missing4.png",
        f"{display}:13: image not found: no such.png",
    ]
    assert all(d.code == "image-not-found" and d.level == "warning" for d in result.diagnostics)
    # Missing images become placeholders; the found one in between is embedded.
    srcs = _img_srcs(result.html)
    assert len(srcs) == 1 and srcs[0].startswith("data:image/png;base64,")
    boxes = _placeholders(result.html)
    assert [b.get("data-deckgen-src") for b in boxes] == [
        "missing1.png", "img/missing2.png", "missing3.png", "/gone/missing4.png", "no%20such.png"]
    assert [b.get("aria-label") for b in boxes] == ["m1", "m2", "x", "missing4.png", "sp"]


def test_missing_image_line_in_a_later_slide(tmp_path: Path) -> None:
    deck = tmp_path / "deck.txt"
    deck.write_text("[slide]\n# one\n\n```\n![x](in-code.png)\n```\n[slide]\n\n\n![x](late.png)\n",
                    encoding="utf-8")
    result = build_file(deck)
    # The image written inside fenced code is code, not an image.
    assert [(d.line, d.message) for d in result.diagnostics] == [
        (10, "image not found: late.png")]


@pytest.mark.parametrize("src", [
    "https://s3.amazonaws.com/keras.io/img/keras-logo-2018-large-1200.png",
    "http://example.com/a.png",
    "//cdn.example.com/b.png",
    "data:image/png;base64,iVBORw0KGgo=",
])
def test_remote_images_stay_links(tmp_path: Path, src: str) -> None:
    deck = _write_deck(tmp_path, f"![r]({src})\n\n<img src=\"{src}\">\n")
    result = build_file(deck)
    assert _img_srcs(result.html) == [src, src]
    if src.startswith("data:"):
        assert result.diagnostics == []  # in the page already
    else:  # the page needs the network for them: said once per image, on its line
        assert [(d.line, d.code) for d in result.diagnostics] == [
            (3, "remote-resource"), (5, "remote-resource")]
        assert all(d.message.startswith(f"remote image {src}: ") and "--embed-remote" in
                   d.message for d in result.diagnostics)


def test_the_nodeppt_demos_missing_images(tmp_path: Path) -> None:
    copy = tmp_path / "demo.md"
    shutil.copy(DEMO, copy)
    lines = DEMO.read_text(encoding="utf-8").split("\n")
    girl_lines = [i + 1 for i, line in enumerate(lines) if "/girl.jpg" in line]
    result = build_file(copy)
    missing = [d for d in result.diagnostics if "girl.jpg" in d.message]
    assert all(d.code == "image-not-found" for d in missing)
    assert [(d.line, d.message) for d in missing] == [
        (n, "image not found: /girl.jpg") for n in girl_lines]
    # With the picture next to the deck, every one is embedded and nothing is warned about.
    jpeg = b"\xff\xd8\xff\xe0girl"
    (tmp_path / "girl.jpg").write_bytes(jpeg)
    result = build_file(copy)
    assert [d for d in result.diagnostics if "girl.jpg" in d.message] == []
    assert _img_srcs(result.html).count(data_uri("image/jpeg", jpeg)) == len(girl_lines)


# -- the helpers ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("url", "remote"), [
    ("http://x/a.png", True), ("https://x/a.png", True), ("//x/a.png", True),
    ("data:image/png;base64,AA", True), ("a.png", False), ("/a.png", False),
    ("../img/a.png", False), ("C:/img/a.png", False),
])
def test_is_remote(url: str, remote: bool) -> None:
    assert is_remote(url) is remote


def test_local_path(tmp_path: Path) -> None:
    assert local_path("/img/a.png", tmp_path) == tmp_path / "img" / "a.png"
    assert local_path("img/a.png", tmp_path) == tmp_path / "img" / "a.png"
    assert local_path("a%20b.png?v=2#top", tmp_path) == tmp_path / "a b.png"


def test_image_type_prefers_the_extension_then_the_bytes() -> None:
    assert image_type(Path("x.png"), b"") == "image/png"
    assert image_type(Path("x.webp"), b"") == "image/webp"
    assert image_type(Path("x"), b"GIF87a...") == "image/gif"
    assert image_type(Path("x"), b"<svg xmlns=...") == "image/svg+xml"
    assert image_type(Path("x"), b"\x00\x01") == "application/octet-stream"


# -- placeholders for missing images ----------------------------------------------------------------

def test_a_missing_image_becomes_a_labelled_placeholder(deck_dir: Path) -> None:
    deck = _write_deck(deck_dir, (
        '![The logo](gone/logo.png "Our logo"){:.pic #top}\n\n'          # 3
        '![](img/nothing%20here.png)\n\n'                                  # 5
        '<img src="old.jpg" alt="An old photo" width="300" height="120" '   # 7
        'style="border: 0" class="wide">\n\n'
        '<p><img alt="two\nlines" src="x/y.gif"\n  width=50%></p>\n'       # 9-11
        '</i>\n'))                                                            # 12
    result = build_file(deck)
    assert [(d.line, d.code) for d in result.diagnostics] == [
        (3, "image-not-found"), (5, "image-not-found"), (7, "image-not-found"),
        (9, "image-not-found"), (12, "html-repaired")]  # later lines keep their numbers
    assert _img_srcs(result.html) == []
    first, second, third, fourth = _placeholders(result.html)
    assert first.get("role") == "img" and first.get("aria-label") == "The logo"
    assert first.get("class").split() == ["deckgen-image-missing", "pic"]
    assert (first.get("id"), first.get("title")) == ("top", "Our logo")
    assert [t.strip() for t in first.itertext()] == ["The logo", "logo.png"]
    # No alt text: the file name, decoded, once.
    assert second.get("aria-label") == "nothing here.png"
    assert [t for t in second.itertext()] == ["nothing here.png"]
    # The image's size and style are the placeholder's.
    assert third.get("style") == "width:300px;min-width:0;height:120px;min-height:0;border: 0"
    assert third.get("class") == "deckgen-image-missing wide"
    assert fourth.get("aria-label") == "two lines" and fourth.get("style").startswith("width:50%;")


def test_placeholder_text_is_escaped(deck_dir: Path) -> None:
    deck = _write_deck(deck_dir, '<img src="a&amp;b.png" alt="<script>x</script>" '
                                 'title=\'"q"\'>\n')
    result = build_file(deck)
    assert "<script>x" not in result.html.split("<body", 1)[1].split("<script", 1)[0]
    (box,) = _placeholders(result.html)
    assert box.get("aria-label") == "<script>x</script>"
    assert box.get("data-deckgen-src") == "a&b.png" and box.get("title") == '"q"'
