"""``deckgen build FOLDER``: a site of decks with an index page, built incrementally.

The tree used by most tests has nested decks, one broken deck, one non-deck file and a deck that
embeds an image, so that "what changed" can be a deck, an image or nothing.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from deck_helpers import KERAS, png_bytes

from deckgen.cli import cli
from deckgen.report import Progress, wants_progress_bar
from deckgen.site import discovery
from deckgen.site.manifest import MANIFEST_NAME, file_digest, tool_digest

CLEAN = "title: {title}\n{extra}[slide]\n# {title}\n\nsome text\n[slide]\n## two\n"
PAGES = ["keras.html", "pictures.html", "talks/deep/old talk.html", "talks/intro.html",
         "talks/新年.html"]


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def clean(title: str, **meta: str) -> str:
    return CLEAN.format(title=title, extra="".join(f"{k}: {v}\n" for k, v in meta.items()))


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """decks/ with nested decks, a broken one, notes, and an image; cwd is its parent."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CI", raising=False)
    decks = tmp_path / "decks"
    write(decks / "keras.txt", KERAS.read_bytes())
    write(decks / "pictures.md", clean("Pictures", date="2023-01-10") + "\n![a](img/a.png)\n")
    write(decks / "img" / "a.png", png_bytes())
    write(decks / "talks" / "intro.md", clean("Intro", speaker="Ann Lee", date="2024-05-01"))
    write(decks / "talks" / "新年.md", clean("新年快乐", speaker="王芳", date="2025年1月29日"))
    write(decks / "talks" / "deep" / "old talk.txt", clean("Old talk", date="2019/3/4"))
    write(decks / "talks" / "broken.txt", "title: broken\ntheme: lihgt\n[slide]\nx\n")
    write(decks / "README.md", "# Our decks\n\nNotes, not a deck.\n")
    write(decks / "talks" / "notes.txt", "todo: write the [slide] intro\n")
    return tmp_path


def build(*args: str) -> Result:
    return CliRunner().invoke(cli, ["build", *args])


def pages_in(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html")
                  if p.name != "index.html" or p.parent != out)


def snapshot(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file()}


def mtimes(out: Path) -> dict[str, int]:
    return {p.relative_to(out).as_posix(): p.stat().st_mtime_ns for p in out.rglob("*")
            if p.is_file()}


def summary(result: Result) -> str:
    return result.stdout.strip().splitlines()[-1]


# -- building a folder --------------------------------------------------------------------------

def test_a_folder_builds_every_deck_mirroring_sub_folders(tree: Path) -> None:
    result = build("decks", "-o", "site", "-j", "1")
    # The broken deck fails the run, after every other deck was built and reported.
    assert result.exit_code == 1
    out = tree / "site"
    assert pages_in(out) == PAGES
    assert (out / "index.html").is_file() and (out / MANIFEST_NAME).is_file()
    err = result.stderr.splitlines()
    assert "decks/README.md: note: skipped: no [slide] line, so not a deck" in err
    assert "decks/talks/notes.txt: note: skipped: no [slide] line, so not a deck" in err
    assert ("decks/talks/broken.txt:2: unknown theme 'lihgt' (did you mean 'light'?); "
            "available: blue, colors, dark, green, light, moon, or a path to a .css file") in err
    assert err[-1] == "failed: 1 error"
    assert sum("warning:" in line for line in err) == 6  # keras's own six
    wrote = [line for line in result.stdout.splitlines() if line.startswith("wrote ")]
    # In the order the decks were found (a folder's files by name, then its sub-folders),
    # whatever finished first.
    assert [line.split(" (")[0] for line in wrote] == [
        "wrote site/keras.html", "wrote site/pictures.html", "wrote site/talks/intro.html",
        "wrote site/talks/新年.html", "wrote site/talks/deep/old talk.html"]
    assert summary(result) == "6 decks in site/: 5 built, 0 up to date, 1 failed; 6 warnings"
    # Each page is exactly what a single build of that deck gives.
    single = build("decks/talks/intro.md", "-o", "single.html")
    assert single.exit_code == 0
    assert (tree / "single.html").read_bytes() == (out / "talks" / "intro.html").read_bytes()
    assert b"data:image/png;base64," in (out / "pictures.html").read_bytes()


def test_default_output_folder_is_site(tree: Path) -> None:
    (tree / "decks" / "talks" / "broken.txt").unlink()
    result = build("decks")
    assert result.exit_code == 0, result.output
    assert pages_in(tree / "site") == PAGES


def test_index_lists_each_deck_with_its_details(tree: Path) -> None:
    import lxml.html

    build("decks", "-o", "site", "-j", "1")
    out = tree / "site"
    html = (out / "index.html").read_text(encoding="utf-8")
    root = lxml.html.fromstring(html)
    items = root.findall(".//li")
    titles = [" ".join(li.find_class("title")[0].text_content().split()) for li in items]
    # Top folder first, then sub-folders by name; newest date first inside a folder,
    # undated after dated ones.
    assert titles == ["Pictures", "Keras入门", "新年快乐", "Intro", "broken", "Old talk"]
    assert [h.text_content() for h in root.findall(".//h2")] == ["talks/", "talks/deep/"]
    links = {a.text_content(): a.get("href") for a in root.findall(".//a")}
    assert links == {"Pictures": "pictures.html", "Keras入门": "keras.html",
                     "新年快乐": "talks/%E6%96%B0%E5%B9%B4.html", "Intro": "talks/intro.html",
                     "Old talk": "talks/deep/old%20talk.html"}
    from urllib.parse import unquote
    for href in links.values():
        assert (out / unquote(href)).is_file()
    meta = {li.find_class("title")[0].text_content(): " ".join(
        li.find_class("meta")[0].text_content().split()) for li in items}
    assert meta["Intro"] == "Ann Lee · 2024-05-01 · 2 slides · talks/intro.html"
    assert meta["新年快乐"] == "王芳 · 2025年1月29日 · 2 slides · talks/新年.html"
    assert meta["Keras入门"] == "21 slides · keras.html"
    # The broken deck is listed with its error and no link.
    broken = items[titles.index("broken")]
    assert broken.find(".//a") is None
    assert "unknown theme 'lihgt'" in broken.find_class("error")[0].text_content()
    assert root.find_class("count")[0].text_content() == "6 decks"
    # Themed (the default theme's colours: moon), self-contained: no script, nothing remote.
    assert "--dg-bg: #152e4f" in html
    assert "<script" not in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)


def test_index_theme_and_title(tree: Path) -> None:
    result = build("decks", "-o", "site", "--index-theme", "dark", "--index-title", "Our <talks>")
    assert result.exit_code == 1  # the broken deck
    html = (tree / "site" / "index.html").read_text(encoding="utf-8")
    assert "--dg-bg: #232323" in html
    assert "<title>Our &lt;talks&gt;</title>" in html and "<h1>Our &lt;talks&gt;</h1>" in html


def test_an_unknown_index_theme_fails_before_building(tree: Path) -> None:
    result = build("decks", "-o", "site", "--index-theme", "drak")
    assert result.exit_code == 1
    assert result.stderr.startswith("--index-theme: unknown theme 'drak' (did you mean 'dark'?)")
    assert not (tree / "site").exists()


def test_a_folder_without_decks_is_an_error_and_writes_nothing(tree: Path) -> None:
    write(tree / "notes" / "todo.md", "nothing here\n")
    result = build("notes", "-o", "out")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "notes/todo.md: note: skipped: no [slide] line, so not a deck",
        "notes: no decks found (a deck is a .txt or .md file with a [slide] line)"]
    assert not (tree / "out").exists()


def test_several_paths(tree: Path) -> None:
    write(tree / "more" / "extra.md", clean("Extra"))
    write(tree / "more" / "sub" / "inner.md", clean("Inner"))
    result = build("decks/talks/intro.md", "more", "decks/keras.txt", "missing", "-o", "out")
    assert result.exit_code == 1
    assert pages_in(tree / "out") == ["extra.html", "intro.html", "keras.html", "sub/inner.html"]
    assert "missing: no such file or folder" in result.stderr.splitlines()
    assert summary(result) == "4 decks in out/: 4 built, 0 up to date; 6 warnings"


def test_two_decks_for_one_page_is_an_error_for_the_second(tree: Path) -> None:
    write(tree / "decks" / "keras.md", clean("Other keras"))
    write(tree / "decks" / "index.md", clean("Index"))
    result = build("decks", "-o", "site")
    assert ("decks/keras.txt: its page keras.html is already the page of decks/index.md"
            not in result.stderr)
    assert ("decks/keras.txt: its page keras.html is already the page of decks/keras.md; "
            "rename one of them") in result.stderr.splitlines()
    assert ("decks/index.md: its page would replace the site's index.html; rename the deck"
            in result.stderr.splitlines())
    assert "Other keras" in (tree / "site" / "keras.html").read_text(encoding="utf-8")
    assert "<h1>Decks</h1>" in (tree / "site" / "index.html").read_text(encoding="utf-8")


def test_the_output_folder_inside_the_sources_is_not_searched(tree: Path) -> None:
    (tree / "decks" / "talks" / "broken.txt").unlink()
    write(tree / "decks" / "public" / "stray.md", clean("Stray"))  # a deck, inside the output
    result = build("decks", "-o", "decks/public")
    assert result.exit_code == 0, result.output
    assert "stray.md" not in result.output
    assert "public/stray.html" not in pages_in(tree / "decks" / "public")
    assert "Stray" not in (tree / "decks" / "public" / "index.html").read_text(encoding="utf-8")


def test_an_html_output_is_a_usage_error_for_a_folder(tree: Path) -> None:
    result = build("decks", "-o", "site.html")
    assert result.exit_code == 2
    assert "-o must be a folder when building a folder or several decks" in result.stderr


def test_single_deck_build_is_unchanged(tree: Path) -> None:
    result = build("decks/keras.txt")
    assert result.exit_code == 0
    assert re.fullmatch(r"wrote site/keras\.html \(21 slides, \d+ KiB\)\n", result.stdout)
    assert sorted(p.name for p in (tree / "site").iterdir()) == ["keras.html"]


# -- incremental --------------------------------------------------------------------------------

def test_an_unchanged_site_is_not_rebuilt(tree: Path) -> None:
    first = build("decks", "-o", "site", "-j", "1")
    out = tree / "site"
    before, times = snapshot(out), mtimes(out)
    second = build("decks", "-o", "site", "-j", "1")
    assert second.exit_code == 1  # the broken deck is tried (and reported) every time
    assert summary(second) == "6 decks in site/: 0 built, 5 up to date, 1 failed; 6 warnings"
    assert not [line for line in second.stdout.splitlines() if line.startswith("wrote ")]
    # Up-to-date decks report their warnings again: --strict fails on every run, not just one.
    assert second.stderr == first.stderr
    assert snapshot(out) == before and mtimes(out) == times


def test_only_what_changed_is_rebuilt(tree: Path) -> None:
    build("decks", "-o", "site", "-j", "1")
    out = tree / "site"
    # An image a deck uses.
    write(tree / "decks" / "img" / "a.png", png_bytes(rgb=(0, 0, 255)))
    result = build("decks", "-o", "site", "-j", "1")
    assert [line.split(" (")[0] for line in result.stdout.splitlines()
            if line.startswith("wrote")] == ["wrote site/pictures.html"]
    # The deck itself.
    write(tree / "decks" / "talks" / "intro.md", clean("Intro 2", speaker="Ann Lee"))
    result = build("decks", "-o", "site", "-j", "1")
    assert "wrote site/talks/intro.html" in result.stdout
    assert summary(result).startswith("6 decks in site/: 1 built, 4 up to date, 1 failed")
    assert "Intro 2" in (out / "index.html").read_text(encoding="utf-8")
    # A missing image that appears: the deck that looked for it is rebuilt.
    write(tree / "decks" / "talks" / "deep" / "old talk.txt",
          clean("Old talk", date="2019/3/4") + "\n![x](pic.png)\n")
    result = build("decks", "-o", "site", "-j", "1")
    assert "image not found: pic.png" in result.stderr
    write(tree / "decks" / "talks" / "deep" / "pic.png", png_bytes())
    result = build("decks", "-o", "site", "-j", "1")
    assert "wrote site/talks/deep/old talk.html" in result.stdout
    assert "pic.png" not in result.stderr
    # A theme file.
    write(tree / "decks" / "brand.css", "/* base: dark */\n:root { --dg-accent: #ff0000; }\n")
    write(tree / "decks" / "talks" / "intro.md", clean("Intro 2", theme="../brand.css"))
    build("decks", "-o", "site", "-j", "1")
    write(tree / "decks" / "brand.css", "/* base: dark */\n:root { --dg-accent: #00ff00; }\n")
    result = build("decks", "-o", "site", "-j", "1")
    assert summary(result).startswith("6 decks in site/: 1 built")
    assert "#00ff00" in (out / "talks" / "intro.html").read_text(encoding="utf-8")


def test_force_rebuilds_everything(tree: Path) -> None:
    build("decks", "-o", "site")
    result = build("decks", "-o", "site", "--force")
    assert summary(result) == "6 decks in site/: 5 built, 0 up to date, 1 failed; 6 warnings"


def test_a_page_deleted_or_edited_by_hand_is_rebuilt(tree: Path) -> None:
    build("decks", "-o", "site")
    out = tree / "site"
    good = (out / "keras.html").read_bytes()
    (out / "keras.html").unlink()
    (out / "talks" / "intro.html").write_text("oops", encoding="utf-8")
    result = build("decks", "-o", "site")
    assert summary(result).startswith("6 decks in site/: 2 built, 3 up to date")
    assert (out / "keras.html").read_bytes() == good
    assert "<h1>Intro</h1>" in (out / "talks" / "intro.html").read_text(encoding="utf-8")


def test_a_new_deckgen_rebuilds_everything(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build("decks", "-o", "site")
    monkeypatch.setattr("deckgen.site.tool_digest", lambda: "another deckgen")
    result = build("decks", "-o", "site")
    assert summary(result).startswith("6 decks in site/: 5 built, 0 up to date")


def test_the_tool_digest_covers_deckgen_s_own_files(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from deckgen import resources

    fake = tmp_path / "pkg"
    shutil.copytree(resources.PACKAGE_DIR, fake, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(resources, "PACKAGE_DIR", fake)
    before = tool_digest()
    assert tool_digest() == before
    (fake / "runtime" / "core.js").write_text("/* changed */", encoding="utf-8")
    assert tool_digest() != before


def test_an_unreadable_manifest_rebuilds_all_and_removes_nothing(tree: Path) -> None:
    build("decks", "-o", "site")
    out = tree / "site"
    (out / MANIFEST_NAME).write_text("{not json", encoding="utf-8")
    (tree / "decks" / "pictures.md").unlink()
    result = build("decks", "-o", "site")
    assert (f"site/{MANIFEST_NAME}: note: ignored (unreadable (JSONDecodeError)): "
            "rebuilding every deck, removing no pages") in result.stderr
    assert summary(result).startswith("5 decks in site/: 4 built, 0 up to date, 1 failed")
    assert (out / "pictures.html").is_file()  # not provably deckgen's any more: kept
    assert json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))["format"] == 1


def test_a_manifest_cannot_make_deckgen_delete_outside_pages(tree: Path) -> None:
    build("decks", "-o", "site")
    out = tree / "site"
    keep = write(tree / "keep.html", "mine")
    manifest = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    record = manifest["pages"]["keras.html"]
    manifest["pages"]["../keep.html"] = record
    manifest["pages"]["notes.txt"] = record
    write(out / "notes.txt", "mine")
    (out / MANIFEST_NAME).write_text(json.dumps(manifest), encoding="utf-8")
    build("decks", "-o", "site")
    assert keep.read_text(encoding="utf-8") == "mine"
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"


# -- removal ------------------------------------------------------------------------------------

def test_a_removed_deck_loses_its_page_and_nothing_else(tree: Path) -> None:
    build("decks", "-o", "site")
    out = tree / "site"
    mine = write(out / "talks" / "deep" / "my notes.html", "mine")
    write(out / "CNAME", "decks.example.org\n")
    (tree / "decks" / "talks" / "deep" / "old talk.txt").unlink()
    (tree / "decks" / "talks" / "新年.md").unlink()
    result = build("decks", "-o", "site")
    assert "removed site/talks/deep/old talk.html (its deck is gone)" in result.stdout
    assert "removed site/talks/新年.html (its deck is gone)" in result.stdout
    assert "4 decks in site/: 0 built, 3 up to date, 1 failed, 2 removed" in result.stdout
    assert not (out / "talks" / "deep" / "old talk.html").exists()
    assert mine.read_text(encoding="utf-8") == "mine" and (out / "CNAME").is_file()
    assert "Old talk" not in (out / "index.html").read_text(encoding="utf-8")
    # A folder left empty by a removal goes too; one holding the user's file stays.
    mine.unlink()
    (tree / "decks" / "talks" / "intro.md").unlink()
    write(tree / "decks" / "talks" / "deep" / "again.md", clean("Again"))
    build("decks", "-o", "site")
    (tree / "decks" / "talks" / "deep" / "again.md").unlink()
    build("decks", "-o", "site")
    assert not (out / "talks" / "deep").exists()


def test_a_deck_that_breaks_keeps_its_old_page_until_removed(tree: Path) -> None:
    build("decks", "-o", "site")
    out = tree / "site"
    before = (out / "talks" / "intro.html").read_bytes()
    write(tree / "decks" / "talks" / "intro.md", "title: x\ntheme: nope\n[slide]\nx\n")
    result = build("decks", "-o", "site")
    assert result.stderr.splitlines()[-1] == "failed: 2 errors"
    assert (out / "talks" / "intro.html").read_bytes() == before
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="talks/intro.html"' not in index and "unknown theme &#39;nope&#39;" in index
    (tree / "decks" / "talks" / "intro.md").unlink()
    build("decks", "-o", "site")
    assert not (out / "talks" / "intro.html").exists()


def test_a_page_deckgen_never_wrote_is_never_removed(tree: Path) -> None:
    out = tree / "site"
    theirs = write(out / "talks" / "broken.html", "someone else's page")
    build("decks", "-o", "site")  # broken.txt fails: its page is not deckgen's
    (tree / "decks" / "talks" / "broken.txt").unlink()
    build("decks", "-o", "site")
    assert theirs.read_text(encoding="utf-8") == "someone else's page"


# -- strict, errors, parallel, determinism ------------------------------------------------------

def test_strict_builds_and_reports_everything_then_fails(tree: Path) -> None:
    (tree / "decks" / "talks" / "broken.txt").unlink()
    result = build("decks", "-o", "site", "--strict")
    assert result.exit_code == 1
    assert pages_in(tree / "site") == PAGES
    assert result.stderr.count("warning:") == 6
    assert result.stderr.splitlines()[-1] == "failed: 6 warnings and --strict"
    # And on the next run, with nothing rebuilt, it still fails.
    result = build("decks", "-o", "site", "--strict")
    assert result.exit_code == 1 and "0 built, 5 up to date" in result.stdout


def test_ignore_names_known_warnings(tree: Path) -> None:
    (tree / "decks" / "talks" / "broken.txt").unlink()
    result = build("decks", "-o", "site", "--strict", "--ignore", "keras.txt:image-not-found",
                   "--ignore", "decks/keras.txt:html-repaired", "--ignore", "remote-resource")
    assert result.exit_code == 0, result.output
    assert "warning:" not in result.stderr
    assert summary(result) == "5 decks in site/: 5 built, 0 up to date; 0 warnings (6 ignored)"
    # Scoped to the file: the same warning elsewhere still fails --strict.
    write(tree / "decks" / "talks" / "intro.md", clean("Intro") + "\n![x](gone.png)\n")
    result = build("decks", "-o", "site", "--strict", "--ignore", "keras.txt:image-not-found",
                   "--ignore", "keras.txt:html-repaired", "--ignore", "remote-resource")
    assert result.exit_code == 1
    assert "decks/talks/intro.md:9: warning: image not found: gone.png" in result.stderr
    # An --ignore that matches nothing is pointed out (a typo would otherwise hide nothing).
    result = build("decks", "-o", "site", "--ignore", "image-not-fuond")
    assert "deckgen: note: --ignore image-not-fuond matched no warning\n" in result.stderr
    assert result.exit_code == 0


@pytest.mark.parametrize("bad", ["Image-Not-Found", "keras.txt:", ":x", "a b"])
def test_a_bad_ignore_is_a_usage_error(tree: Path, bad: str) -> None:
    result = build("decks", "--ignore", bad)
    assert result.exit_code == 2
    assert "--ignore" in result.stderr and "FILE:CODE" in result.stderr


def test_ignore_works_for_a_single_deck_too(tree: Path) -> None:
    result = build("decks/keras.txt", "--strict", "--ignore", "image-not-found",
                   "--ignore", "html-repaired", "--ignore", "remote-resource")
    assert result.exit_code == 0 and result.stderr == ""


def test_parallel_and_serial_builds_are_byte_identical(tree: Path) -> None:
    one = build("decks", "-o", "one", "-j", "1")
    two = build("decks", "-o", "two", "-j", "2")
    four = build("decks", "-o", "four", "-j", "4")
    assert snapshot(tree / "one") == snapshot(tree / "two") == snapshot(tree / "four")
    # The log too: same lines in the same order (the output folder's name aside).
    assert one.stderr == two.stderr == four.stderr
    assert one.stdout.replace("one/", "X/") == two.stdout.replace("two/", "X/")


def test_two_builds_are_byte_identical(tree: Path) -> None:
    build("decks", "-o", "site")
    first = snapshot(tree / "site")
    shutil.rmtree(tree / "site")
    build("decks", "-o", "site")
    assert snapshot(tree / "site") == first
    assert set(first) == {*PAGES, "index.html", MANIFEST_NAME}


def test_the_manifest_is_small_and_names_no_absolute_path(tree: Path) -> None:
    build("decks", "-o", "site")
    text = (tree / "site" / MANIFEST_NAME).read_text(encoding="utf-8")
    assert str(tree) not in text and "site-packages" not in text
    data = json.loads(text)
    assert sorted(data["pages"]) == sorted([*PAGES, "talks/broken.html"])
    assert data["pages"]["pictures.html"]["files"] == {
        "img/a.png": file_digest(tree / "decks" / "img" / "a.png")}
    assert data["pages"]["keras.html"]["files"] == {
        "../../img/cloud/deep/keras01.png": None, "../../img/cloud/deep/keras02.png": None}
    assert len(text) < 8000


def test_a_deck_that_crashes_deckgen_fails_alone(tree: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import deckgen.build

    real = deckgen.build.build_file

    def flaky(path, encoding=None, **options):
        if Path(path).name == "pictures.md":
            raise ValueError("boom")
        return real(path, encoding, **options)

    monkeypatch.setattr(deckgen.build, "build_file", flaky)
    result = build("decks", "-o", "site", "-j", "1")
    assert "decks/pictures.md: internal error: ValueError: boom" in result.stderr.splitlines()
    assert result.exit_code == 1
    assert summary(result).startswith("6 decks in site/: 4 built, 0 up to date, 2 failed")


# -- finding decks ------------------------------------------------------------------------------

@pytest.mark.parametrize(("content", "is_deck"), [
    (b"[slide]\nx\n", True),
    (b"title: t\r\n[slide]\r\nx\r\n", True),
    (b"title: t\r[slide]\rx\r", True),
    (b"\xef\xbb\xbf[slide]\nx\n", True),
    (b"title: t\n[slide data-x=1]\nx\n", True),
    (b"some [slide] text\n", False),
    (b"  [slide]\n", False),
    (b"", False),
])
def test_what_counts_as_a_deck(tmp_path: Path, content: bytes, is_deck: bool) -> None:
    path = write(tmp_path / "d.md", content)
    assert discovery.is_deck_file(path) is is_deck
    assert discovery.is_deck_file(write(tmp_path / "d.html", content)) is False


def test_find_decks_skips_hidden_vendored_and_output_folders(tmp_path: Path) -> None:
    deck = clean("x")
    for rel in ("a.md", "b/c.txt", ".git/d.md", "node_modules/e.md", "site/f.md", ".hidden.md",
                "out/g.md", "b/.h/i.md"):
        write(tmp_path / rel, deck)
    found = discovery.find_decks(tmp_path, exclude=tmp_path / "out")
    assert [p.relative_to(tmp_path).as_posix() for p in found] == ["a.md", "b/c.txt"]


def test_serve_uses_the_same_finder() -> None:
    from deckgen.serve import app

    assert app.find_decks is discovery.find_decks


# -- progress -----------------------------------------------------------------------------------

class FakeTerminal:
    def __init__(self, tty: bool = True) -> None:
        self.text, self.tty = "", tty

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return self.tty


def test_a_progress_bar_on_a_terminal_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert wants_progress_bar(FakeTerminal()) is True
    assert wants_progress_bar(FakeTerminal(tty=False)) is False
    monkeypatch.setenv("CI", "true")
    assert wants_progress_bar(FakeTerminal()) is False
    monkeypatch.delenv("CI")
    monkeypatch.setenv("TERM", "dumb")
    assert wants_progress_bar(FakeTerminal()) is False

    terminal = FakeTerminal()
    bar = Progress(True, terminal)
    bar.update(0, 4)
    bar.update(2, 4)
    assert terminal.text.endswith("\r\x1b[K[" + "#" * 15 + "." * 15 + "] 2/4 decks")
    bar.clear()
    assert terminal.text.endswith("\r\x1b[K")
    quiet = FakeTerminal()
    Progress(False, quiet).update(1, 2)
    assert quiet.text == ""


def test_ci_logs_get_plain_lines(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    result = build("decks", "-o", "site")
    assert "\r" not in result.output and "\x1b" not in result.output
    assert all(line.startswith("wrote site/") for line in result.stdout.splitlines()[:-1])


def test_the_console_script_builds_a_folder(tree: Path) -> None:
    import subprocess
    import sys

    deckgen = Path(sys.executable).with_name("deckgen")
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "CI": "true"}
    done = subprocess.run([str(deckgen), "build", "decks", "-o", "site", "-j", "2"], cwd=tree,
                          capture_output=True, text=True, encoding="utf-8", env=env, timeout=120)
    assert done.returncode == 1
    assert done.stdout.splitlines()[-1] == (
        "6 decks in site/: 5 built, 0 up to date, 1 failed; 6 warnings")
    assert "Traceback" not in done.stderr
    assert pages_in(tree / "site") == PAGES


# -- the CI recipes -----------------------------------------------------------------------------

def _recipes() -> dict[str, dict]:
    import yaml

    text = (Path(__file__).resolve().parent.parent / "docs" / "publishing.md").read_text(
        encoding="utf-8")
    blocks = [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", text, re.S)]
    github = next(b for b in blocks if isinstance(b, dict) and "jobs" in b)
    gitlab = next(b for b in blocks if isinstance(b, dict) and "pages" in b)
    return {"github": github, "gitlab": gitlab}


def _commands(recipe: dict) -> list[str]:
    found: list[str] = []

    def walk(node) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("run", "script") and isinstance(value, str):
                    found.extend(value.splitlines())
                elif key == "script" and isinstance(value, list):
                    found.extend(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)
    walk(recipe)
    return [c.strip() for c in found if c.strip()]


def test_the_ci_recipes_use_only_commands_from_the_readme() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for name, recipe in _recipes().items():
        commands = _commands(recipe)
        assert "deckgen build decks/ -o " + ("site" if name == "github" else "public") + \
            " --strict" in commands, name
        for command in commands:
            # GitLab publishes public/, not site/: the same command, another folder name.
            command = command.replace("-o public", "-o site")
            assert command in readme, f"{name}: {command!r} is not a command from the README"


def test_the_github_workflow_has_every_step() -> None:
    workflow = _recipes()["github"]
    steps = workflow["jobs"]["build"]["steps"]
    uses = [s.get("uses", "").split("@")[0] for s in steps]
    assert uses[:2] == ["actions/checkout", "actions/setup-python"]
    assert "actions/upload-pages-artifact" in uses
    runs = [s.get("run") for s in steps]
    assert runs.index("pip install .") < runs.index("deckgen build decks/ -o site --strict")
    upload = steps[uses.index("actions/upload-pages-artifact")]
    assert upload["with"]["path"] == "site"
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    gitlab = _recipes()["gitlab"]["pages"]
    assert gitlab["artifacts"]["paths"] == ["public"]


# The majors that run on Node 20, which GitHub deprecated (they warn on every run).
NODE20_MAJORS = {"actions/checkout": 4, "actions/setup-python": 5, "actions/cache": 4,
                 "actions/upload-pages-artifact": 3, "actions/deploy-pages": 4}


def test_the_github_workflow_uses_current_action_majors() -> None:
    workflow = _recipes()["github"]
    used = [step["uses"] for job in workflow["jobs"].values() for step in job["steps"]
            if "uses" in step]
    text = (Path(__file__).resolve().parent.parent / "docs" / "publishing.md").read_text(
        encoding="utf-8")
    used += re.findall(r"uses: (\S+@\S+)", text)  # the snippets outside the workflow too
    assert {u.split("@")[0] for u in used} >= set(NODE20_MAJORS)
    for action in used:
        name, version = action.split("@")
        assert re.fullmatch(r"v\d+", version), action
        assert int(version[1:]) > NODE20_MAJORS.get(name, 0), f"{action} runs on Node 20"


def test_the_pages_deployment_is_never_cancelled_half_way() -> None:
    workflow = _recipes()["github"]
    for where in (workflow, *workflow["jobs"].values()):
        assert where.get("concurrency", {}).get("cancel-in-progress") is not True
    assert workflow["jobs"]["deploy"]["concurrency"] == {"group": "pages",
                                                         "cancel-in-progress": False}
