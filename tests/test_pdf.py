"""deckgen pdf: the keras deck printed by the installed Chromium, one 16:9 page per slide, with
its Chinese text embedded; a clear error without a browser; --browser; never the network."""

from __future__ import annotations

import http.server
import os
import stat
import threading
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner
from deck_helpers import CHROMIUM, KERAS

from deckgen import pdf as pdf_module
from deckgen.cli import cli, main
from deckgen.model import DeckError

KERAS_SLIDES = 21
posix_only = pytest.mark.skipif(os.name == "nt", reason="the stand-in browser is a shell script")




@pytest.fixture(scope="module")
def keras_pdf(chromium, tmp_path_factory) -> tuple[Path, str]:
    """decks/keras.txt printed once through the command line, with the browser found on its own
    (or the test's one, when it is elsewhere)."""
    target = tmp_path_factory.mktemp("pdf") / "keras.pdf"
    args = ["pdf", str(KERAS), "-o", str(target)]
    if CHROMIUM != "/usr/bin/chromium":
        args += ["--browser", CHROMIUM]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return target, result.output


def squeezed(text: str) -> str:
    # Text extraction puts spaces where the font changes (Latin to Chinese): compare without.
    return "".join(text.split())


def test_keras_pdf_has_a_16_9_page_per_slide(keras_pdf):
    target, output = keras_pdf
    assert f"wrote {target.as_posix()} ({KERAS_SLIDES} pages, " in output
    reader = pypdf.PdfReader(target)
    assert len(reader.pages) == KERAS_SLIDES
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (width, height) == (960, 540)  # 1280x720 px: 16:9


def test_keras_pdf_text_includes_the_chinese_titles(keras_pdf):
    reader = pypdf.PdfReader(keras_pdf[0])
    pages = [squeezed(page.extract_text()) for page in reader.pages]
    assert pages[0].startswith(squeezed("Keras入门"))
    assert pages[8].startswith(squeezed("快速上手 Keras"))
    assert squeezed("Keras 被工业界和学术界广泛采用") in pages[5]
    # The fonts are in the file (not boxes, not left to the reader's machine): font programs,
    # or Type3 glyph drawings (Chromium's synthetic bold of a Chinese face).
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            if font["/Subtype"] == "/Type3":
                fonts["Type3"] = "/CharProcs" in font
                continue
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"] \
                if "/DescendantFonts" in font else font["/FontDescriptor"]
            fonts[str(font["/BaseFont"])] = any(k in descriptor.get_object() for k in
                                                ("/FontFile", "/FontFile2", "/FontFile3"))
    assert fonts and all(fonts.values()), fonts
    assert any("Hei" in name or "CJK" in name or "Han" in name for name in fonts), fonts


def test_keras_pdf_outline_lists_the_slide_titles(keras_pdf):
    reader = pypdf.PdfReader(keras_pdf[0])
    top = [(item["/Title"], reader.get_destination_page_number(item))
           for item in reader.outline if not isinstance(item, list)]
    assert top[0] == ("Keras入门", 0)
    assert ("快速上手 Keras", 8) in top
    assert ("安装指引", 20) in top
    # One entry per titled slide, in order, each pointing at its own page.
    pages = [page for _, page in top]
    assert pages == sorted(set(pages))


def test_write_pdf_returns_the_page_count(chromium, tmp_path):
    from deckgen.build import build_file, write_atomic

    html = tmp_path / "keras.html"
    write_atomic(html, build_file(KERAS).html)
    target = tmp_path / "out" / "keras.pdf"
    assert pdf_module.write_pdf(html, target, chromium) == KERAS_SLIDES
    assert len(pypdf.PdfReader(target).pages) == KERAS_SLIDES
    assert sorted(p.name for p in target.parent.iterdir()) == ["keras.pdf"]  # no temporary left


def test_notes_print_under_each_slide(chromium, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    deck = tmp_path / "talk.txt"
    deck.write_text("title: Talk\n[slide]\n# 第一页\n\n"
                    "<aside class=\"notes\">hand-written notes</aside>\n\n[slide]\n# Two\n",
                    encoding="utf-8")
    result = CliRunner().invoke(cli, ["pdf", "talk.txt", "--notes", "-o", "with-notes.pdf",
                                      "--browser", chromium])
    assert result.exit_code == 0, result.output
    reader = pypdf.PdfReader(tmp_path / "with-notes.pdf")
    assert len(reader.pages) == 2
    assert "hand-writtennotes" in squeezed(reader.pages[0].extract_text())
    assert float(reader.pages[0].mediabox.height) > float(reader.pages[0].mediabox.width)


@pytest.fixture
def fake_browser(tmp_path) -> Path:
    """A stand-in for Chrome that records its arguments and writes a one-page PDF."""
    fake = tmp_path / "fake-chrome"
    fake.write_text(
        "#!/bin/sh\n"
        f"printf '%s\\n' \"$@\" > '{tmp_path / 'args.txt'}'\n"
        "for a in \"$@\"; do case \"$a\" in --print-to-pdf=*) out=\"${a#--print-to-pdf=}\";; esac; done\n"
        "printf '%%PDF-1.4\\n1 0 obj <</Type /Pages /Kids [2 0 R] /Count 1>> endobj\\n"
        "2 0 obj <</Type /Page /Parent 1 0 R>> endobj\\n' > \"$out\"\n",
        encoding="utf-8")
    fake.chmod(0o755)
    return fake


@posix_only
@pytest.mark.parametrize("out, expected", [(None, "site/talk.pdf"), ("out/", "out/talk.pdf"),
                                           ("folder", "folder/talk.pdf"),
                                           ("deep/name.PDF", "deep/name.PDF")])
def test_output_paths(fake_browser, tmp_path, monkeypatch, out, expected):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "talk.txt").write_text("[slide]\n# A\n", encoding="utf-8")
    args = ["pdf", "talk.txt", "--browser", str(fake_browser)] + (["-o", out] if out else [])
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"wrote {expected} (1 page, ")
    assert (tmp_path / expected).read_bytes().startswith(b"%PDF")
    leftovers = [p.name for p in (tmp_path / expected).parent.iterdir()]
    assert leftovers == [Path(expected).name]  # the page it printed and the temporary are gone
    result = CliRunner().invoke(cli, args + ["-q"])
    assert result.exit_code == 0 and result.output == ""


@posix_only
def test_a_page_count_unlike_the_slide_count_is_reported(fake_browser, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "two.txt").write_text("[slide]\n# A\n[slide]\n# B\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["pdf", "two.txt", "--browser", str(fake_browser)])
    assert result.exit_code == 0
    assert "two.txt: warning: the PDF has 1 page for 2 slides" in result.output


def test_printing_never_touches_the_network(chromium, tmp_path):
    """A deck with images on a server (this machine's own): the browser asks for none of them."""
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        port = server.server_address[1]
        deck = tmp_path / "remote.txt"
        deck.write_text(f"[slide]\n# Remote\n\n![a](http://127.0.0.1:{port}/a.png)\n\n"
                        f"<img src='http://localhost:{port}/b.png'>\n", encoding="utf-8")
        result = CliRunner().invoke(cli, ["pdf", str(deck), "-o", str(tmp_path / "r.pdf"),
                                          "--browser", chromium])
        assert result.exit_code == 0, result.output
    finally:
        server.shutdown()
        server.server_close()
    assert seen == []
    assert len(pypdf.PdfReader(tmp_path / "r.pdf").pages) == 1


# -- without a browser ---------------------------------------------------------------------------

@pytest.fixture
def no_browser(monkeypatch, tmp_path):
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.setattr(pdf_module, "_install_locations", list)
    return empty


def test_no_browser_exits_1_naming_what_to_install(no_browser, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text("[slide]\n# A\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        main(["pdf", "a.txt"])
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [
        "no Chrome, Chromium or Edge found to print the PDF with: install Chromium "
        "(Debian/Ubuntu: apt-get install chromium), Google Chrome or Microsoft Edge, or give "
        "the browser's path with --browser PATH"]
    assert "Traceback" not in err
    assert not (tmp_path / "site").exists()


def test_write_pdf_without_a_browser_raises_a_deck_error(no_browser, tmp_path):
    (tmp_path / "a.html").write_text("<!DOCTYPE html><title>a</title>", encoding="utf-8")
    with pytest.raises(pdf_module.BrowserNotFound) as error:
        pdf_module.write_pdf(tmp_path / "a.html", tmp_path / "a.pdf")
    assert isinstance(error.value, DeckError) and error.value.exit_code == 1
    assert not (tmp_path / "a.pdf").exists()


@posix_only
def test_write_pdf_of_a_missing_page_is_an_error(fake_browser, tmp_path):
    with pytest.raises(DeckError) as error:
        pdf_module.write_pdf(tmp_path / "gone.html", tmp_path / "gone.pdf", str(fake_browser))
    assert error.value.format_message() == f"{tmp_path / 'gone.html'}: no such file"
    assert not (tmp_path / "args.txt").exists()  # the browser was not run


def test_browser_option_names_a_missing_program(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text("[slide]\n# A\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["pdf", "a.txt", "--browser", str(tmp_path / "nope")])
    assert result.exit_code == 1
    assert f"--browser {tmp_path / 'nope'}: does not exist; install Chromium" in result.output


@posix_only
def test_browser_option_is_used_and_its_failure_reported(tmp_path, monkeypatch):
    """--browser runs exactly that program; one that fails leaves an earlier PDF in place."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text("[slide]\n# A\n", encoding="utf-8")
    log = tmp_path / "args.txt"
    fake = tmp_path / "fake-chrome"
    fake.write_text(f"#!/bin/sh\nprintf '%s\\n' \"$@\" > '{log}'\n"
                    "echo 'something went wrong' >&2\nexit 3\n", encoding="utf-8")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    earlier = tmp_path / "site" / "a.pdf"
    earlier.parent.mkdir()
    earlier.write_bytes(b"%PDF earlier")
    result = CliRunner().invoke(cli, ["pdf", "a.txt", "--browser", str(fake)])
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == \
        "a.txt: fake-chrome could not print the PDF (exit status 3): something went wrong"
    assert earlier.read_bytes() == b"%PDF earlier"
    assert sorted(p.name for p in earlier.parent.iterdir()) == ["a.pdf"]
    args = log.read_text(encoding="utf-8").splitlines()
    assert "--headless" in args and "--host-resolver-rules=MAP * ~NOTFOUND" in args
    assert any(a.startswith("--print-to-pdf=") for a in args)
    assert args[-1].startswith("file://") and args[-1].endswith(".print.html")


@posix_only
def test_find_browser_looks_on_path_in_order(tmp_path, monkeypatch):
    folder = tmp_path / "bin"
    folder.mkdir()
    for name in ("google-chrome", "msedge"):
        program = folder / name
        program.write_text("#!/bin/sh\n", encoding="utf-8")
        program.chmod(0o755)
    monkeypatch.setenv("PATH", str(folder))
    assert pdf_module.find_browser() == str(folder / "google-chrome")
    assert pdf_module.find_browser("msedge") == str(folder / "msedge")


def test_count_pages_matches_pypdf(keras_pdf):
    data = keras_pdf[0].read_bytes()
    assert pdf_module.count_pages(data) == len(pypdf.PdfReader(keras_pdf[0]).pages)


# -- deckgen build --pdf ---------------------------------------------------------------------------

@posix_only
def test_build_pdf_writes_the_pdf_beside_the_page(fake_browser, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "talk.txt").write_text("[slide]\n# A\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "talk.txt", "-o", "out/talk.html", "--pdf",
                                      "--browser", str(fake_browser)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].startswith("wrote out/talk.pdf (1 page, ")
    assert (tmp_path / "out" / "talk.html").is_file()
    assert (tmp_path / "out" / "talk.pdf").read_bytes().startswith(b"%PDF")
    args = (tmp_path / "args.txt").read_text(encoding="utf-8")
    assert (tmp_path / "out" / "talk.html").resolve().as_uri() in args


def test_build_pdf_without_a_browser_fails_before_writing(no_browser, tmp_path, monkeypatch,
                                                         capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text("[slide]\n# A\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        main(["build", "a.txt", "--pdf"])
    assert exit_info.value.code == 1
    assert "install Chromium" in capsys.readouterr().err
    assert not (tmp_path / "site").exists()


def test_build_pdf_of_a_folder_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "decks").mkdir()
    (tmp_path / "decks" / "a.txt").write_text("[slide]\n# A\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "decks", "--pdf"])
    assert result.exit_code == 2 and "deckgen pdf" in result.output


@posix_only
@pytest.mark.parametrize("out", ["talk.pdf", "out/talk.pdf"])
def test_build_pdf_o_names_the_pdf_file(fake_browser, tmp_path, monkeypatch, out):
    """`build --pdf -o talk.pdf` writes the file talk.pdf (and talk.html beside it), never a
    folder named talk.pdf."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "deck.txt").write_text("[slide]\n# A\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "deck.txt", "-o", out, "--pdf",
                                      "--browser", str(fake_browser)])
    assert result.exit_code == 0, result.output
    pdf_file = tmp_path / out
    assert pdf_file.is_file() and pdf_file.read_bytes().startswith(b"%PDF")
    assert pdf_file.with_suffix(".html").is_file()
    assert result.output.splitlines()[-2].startswith(f"wrote {Path(out).with_suffix('.html').as_posix()} (1 slide, ")


@posix_only
def test_pdf_o_an_existing_file_that_is_not_a_pdf_is_a_clear_error(fake_browser, tmp_path,
                                                                    monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "deck.txt").write_text("[slide]\n# A\n", encoding="utf-8")
    (tmp_path / "notes").write_text("mine\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        main(["pdf", "deck.txt", "-o", "notes", "--browser", str(fake_browser)])
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert err == ("-o notes: this is a file, not a folder; give a folder, or a file name "
                   "ending in '.pdf'\n")
    assert (tmp_path / "notes").read_text(encoding="utf-8") == "mine\n"


@posix_only
def test_pdf_ignore_drops_warnings_for_strict(fake_browser, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "deck.txt").write_text("[slide]\n![x](gone.png)\n", encoding="utf-8")
    args = ["pdf", "deck.txt", "--strict", "--browser", str(fake_browser)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1 and "1 warning and --strict: nothing written" in result.output
    assert not (tmp_path / "site" / "deck.pdf").exists()
    result = CliRunner().invoke(cli, args + ["--ignore", "image-not-found"])
    assert result.exit_code == 0, result.output
    assert "image not found" not in result.output
    assert (tmp_path / "site" / "deck.pdf").is_file()
