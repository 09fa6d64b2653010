"""The command line: click's CliRunner for most cases, the real console script for some.

Every bad input must give one clear ``file:line: message`` (or ``file: message``) line on
stderr and exit 1, with no traceback unless -v was given.
"""

from __future__ import annotations

import codecs
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from deck_helpers import KERAS

import deckgen
from deckgen.cli import cli, main

DECKGEN = Path(sys.executable).with_name("deckgen")
CLEAN = "title: clean\n[slide]\n# One\n[slide]\n# Two\n"
WARNS = "title: warns\nthme: dark\n[slide]\n# One\n"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def build(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(cli, ["build", *args])


def assert_clean_failure(result: Result, message: str) -> None:
    """Exit 1, exactly ``message`` on stderr, nothing on stdout, no traceback."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    assert result.stderr == message + "\n"
    assert result.stdout == ""
    assert "Traceback" not in result.output


# -- building -----------------------------------------------------------------------------------

def test_build_prints_the_path_and_slide_count(runner: CliRunner, in_tmp: Path) -> None:
    write(in_tmp / "decks" / "keras.txt", KERAS.read_text(encoding="utf-8"))
    result = build(runner, "decks/keras.txt", "-q")
    assert result.exit_code == 0
    assert result.output == ""
    result = build(runner, "decks/keras.txt")
    assert result.exit_code == 0, result.output
    assert re.fullmatch(r"wrote site/keras\.html \(21 slides, \d+ KiB\)\n", result.stdout)
    # The seed's warnings go to stderr, one compiler-style line each.
    remote = ("warning: remote image https://s3.amazonaws.com/keras.io/img/{}: the page needs "
              "the network to show it (offline it is a placeholder); to put it in the page, "
              "build with --embed-remote or set 'embedRemote: yes'")
    assert result.stderr.splitlines() == [
        "decks/keras.txt:10: " + remote.format("keras-logo-2018-large-1200.png"),
        "decks/keras.txt:10: warning: malformed attribute ',' in <img>",
        "decks/keras.txt:49: " + remote.format("dl_frameworks_power_scores.png"),
        "decks/keras.txt:53: warning: removed stray </i> (no open <i> in this slide)",
        "decks/keras.txt:213: warning: image not found: ../../img/cloud/deep/keras01.png",
        "decks/keras.txt:216: warning: image not found: ../../img/cloud/deep/keras02.png",
    ]


def test_default_output_is_site_stem_html(runner: CliRunner, in_tmp: Path) -> None:
    write(in_tmp / "talks" / "my talk.md", CLEAN)
    result = build(runner, "talks/my talk.md")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote site/my talk.html (2 slides, {_kib(in_tmp / 'site' / 'my talk.html')})\n"
    assert (in_tmp / "site" / "my talk.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in (in_tmp / "site").iterdir()) == ["my talk.html"]


def _kib(path: Path) -> str:
    return f"{path.stat().st_size / 1024:.0f} KiB"


def test_single_slide_is_singular(runner: CliRunner, in_tmp: Path) -> None:
    write(in_tmp / "one.txt", "[slide]\nx\n")
    result = build(runner, "one.txt")
    assert re.fullmatch(r"wrote site/one\.html \(1 slide, \d+ KiB\)\n", result.stdout)


@pytest.mark.parametrize(("out", "expected"), [
    ("talk.html", "talk.html"),
    ("out/deep/talk.HTM", "out/deep/talk.HTM"),
    ("public/", "public/deck.html"),
    ("public", "public/deck.html"),          # no .html suffix: a folder, created
    ("existing", "existing/deck.html"),      # an existing folder
    ("existing.html", "existing.html/deck.html"),  # a folder even with a .html name
])
def test_output_option(runner: CliRunner, in_tmp: Path, out: str, expected: str) -> None:
    (in_tmp / "existing").mkdir()
    (in_tmp / "existing.html").mkdir()
    write(in_tmp / "deck.txt", CLEAN)
    result = build(runner, "deck.txt", "-o", out)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"wrote {expected} (2 slides, ")
    target = in_tmp / expected
    assert target.is_file()
    assert "<h1>One</h1>" in target.read_text(encoding="utf-8")
    assert not (in_tmp / "site").exists()


@pytest.mark.parametrize("out", ["notes", "notes.txt", "notes/"])
def test_output_option_naming_an_existing_file_is_a_clear_error(runner: CliRunner, in_tmp: Path,
                                                                 out: str) -> None:
    write(in_tmp / "deck.txt", CLEAN)
    write(in_tmp / out.rstrip("/"), "mine\n")
    result = build(runner, "deck.txt", "-o", out)
    assert result.exit_code == 1
    assert result.stderr == (f"-o {out}: this is a file, not a folder; give a folder, or a file "
                             "name ending in '.html' or '.htm'\n")
    assert (in_tmp / out.rstrip("/")).read_text(encoding="utf-8") == "mine\n"


def test_output_is_the_same_as_build_file(runner: CliRunner, in_tmp: Path) -> None:
    from deckgen.build import build_file

    write(in_tmp / "deck.txt", CLEAN)
    assert build(runner, "deck.txt", "-o", "a.html").exit_code == 0
    assert (in_tmp / "a.html").read_text(encoding="utf-8") == build_file("deck.txt").html


# -- atomic writes ------------------------------------------------------------------------------

@pytest.mark.parametrize(("broken", "args", "message"), [
    ("title: t\ntheme: lihgt\n[slide]\nx\n", (),
     "deck.txt:2: unknown theme 'lihgt' (did you mean 'light'?); "
     "available: blue, colors, dark, green, light, moon, or a path to a .css file"),
    (WARNS, ("--strict",), None),
    ("title: only a header\n", (), "deck.txt:1: no slides: start each slide with a line '[slide]'"),
])
def test_a_failed_build_leaves_the_previous_output(runner: CliRunner, in_tmp: Path, broken: str,
                                                   args: tuple[str, ...], message: str | None
                                                   ) -> None:
    deck = write(in_tmp / "deck.txt", CLEAN)
    assert build(runner, "deck.txt", "-o", "out/deck.html").exit_code == 0
    before = (in_tmp / "out" / "deck.html").read_bytes()
    deck.write_text(broken, encoding="utf-8")
    result = build(runner, "deck.txt", "-o", "out/deck.html", *args)
    assert result.exit_code == 1
    if message is not None:
        assert_clean_failure(result, message)
    assert (in_tmp / "out" / "deck.html").read_bytes() == before
    assert sorted(p.name for p in (in_tmp / "out").iterdir()) == ["deck.html"]


def test_a_failed_write_leaves_the_previous_output(runner: CliRunner, in_tmp: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The write itself failing (disk full at the rename) leaves the old file and no temp file."""
    import deckgen.build

    write(in_tmp / "deck.txt", CLEAN)
    assert build(runner, "deck.txt", "-o", "out/deck.html").exit_code == 0
    before = (in_tmp / "out" / "deck.html").read_bytes()
    write(in_tmp / "deck.txt", CLEAN.replace("# Two", "# Changed"))

    def disk_full(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(deckgen.build.os, "replace", disk_full)
    result = build(runner, "deck.txt", "-o", "out/deck.html")
    assert_clean_failure(result, "out/deck.html: cannot write the output: No space left on device")
    assert (in_tmp / "out" / "deck.html").read_bytes() == before
    assert sorted(p.name for p in (in_tmp / "out").iterdir()) == ["deck.html"]


def test_strict_fails_on_warnings(runner: CliRunner, in_tmp: Path) -> None:
    write(in_tmp / "deck.txt", WARNS)
    result = build(runner, "deck.txt", "--strict")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "deck.txt:2: warning: unknown header key 'thme' (did you mean 'theme'?)",
        "deck.txt: 1 warning and --strict: nothing written",
    ]
    assert result.stdout == ""
    assert not (in_tmp / "site").exists()


def test_strict_counts_every_warning(runner: CliRunner, in_tmp: Path) -> None:
    write(in_tmp / "deck.txt", WARNS + "<b>open\n")
    result = build(runner, "deck.txt", "--strict", "-q")
    assert result.exit_code == 1
    assert result.stderr == "deck.txt: 2 warnings and --strict: nothing written\n"


def test_strict_passes_a_clean_deck(runner: CliRunner, in_tmp: Path) -> None:
    write(in_tmp / "deck.txt", CLEAN)
    result = build(runner, "deck.txt", "--strict")
    assert result.exit_code == 0 and result.stderr == ""
    assert (in_tmp / "site" / "deck.html").is_file()


def test_an_ignore_that_matched_nothing_is_a_note_that_strict_does_not_count(
        runner: CliRunner, in_tmp: Path) -> None:
    write(in_tmp / "deck.txt", WARNS)
    result = build(runner, "deck.txt", "--strict", "--ignore", "unknown-key",
                   "--ignore", "image-not-fuond")
    assert result.exit_code == 0, result.output
    assert result.stderr == "deck.txt: note: --ignore image-not-fuond matched no warning\n"
    assert (in_tmp / "site" / "deck.html").is_file()
    assert build(runner, "deck.txt", "-q", "--ignore", "image-not-fuond").stderr == ""


def test_without_strict_warnings_do_not_fail(runner: CliRunner, in_tmp: Path) -> None:
    write(in_tmp / "deck.txt", WARNS)
    result = build(runner, "deck.txt")
    assert result.exit_code == 0
    assert result.stderr == "deck.txt:2: warning: unknown header key 'thme' (did you mean 'theme'?)\n"


def test_quiet_prints_only_errors(runner: CliRunner, in_tmp: Path) -> None:
    write(in_tmp / "deck.txt", WARNS)
    result = build(runner, "deck.txt", "-q")
    assert result.exit_code == 0 and result.output == ""
    assert (in_tmp / "site" / "deck.html").is_file()
    result = build(runner, "missing.txt", "--quiet")
    assert_clean_failure(result, "missing.txt: no such file")


# -- version and help ---------------------------------------------------------------------------

def test_version(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"deckgen, version {deckgen.__version__}\n"
    assert re.fullmatch(r"\d+\.\d+\.\d+\S*", deckgen.__version__)


@pytest.mark.parametrize("args", [["--help"], ["-h"], ["build", "--help"]])
def test_help_has_an_example(runner: CliRunner, args: list[str]) -> None:
    result = runner.invoke(cli, args)
    assert result.exit_code == 0
    assert "Example" in result.output
    assert re.search(r"deckgen build decks/keras\.txt", result.output)
    if args[0] == "build":
        for option in ("--output", "--strict", "--encoding", "--quiet", "--verbose"):
            assert option in result.output


# -- bad input ----------------------------------------------------------------------------------

def _bad_inputs(folder: Path) -> dict[str, tuple[list[str], str]]:
    (folder / "a folder").mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.txt").write_bytes(b"  \n\n\t\n")
    (folder / "header.txt").write_text("title: t\ntheme: dark\n\n", encoding="utf-8")
    (folder / "gb.txt").write_bytes(KERAS.read_text(encoding="utf-8").encode("gb18030"))
    (folder / "utf8.txt").write_text(CLEAN, encoding="utf-8")
    empty = "the file is empty; a deck needs a [slide] line and some content"
    return {
        "missing file": (["missing.txt"], "missing.txt: no such file"),
        # A folder is a site build since issue 6; one without decks is still one clear error.
        "a folder": (["a folder"], "a folder: no decks found (a deck is a .txt or .md file "
                                   "with a [slide] line)"),
        "empty file": (["empty.txt"], f"empty.txt: {empty}"),
        "blank file": (["blank.txt"], f"blank.txt: {empty}"),
        "header only": (["header.txt"],
                        "header.txt:2: no slides: start each slide with a line '[slide]'"),
        "not UTF-8": (["gb.txt"], "gb.txt:1: the file is not valid UTF-8 (byte 0xc8); "
                                  "it decodes as gb18030: try --encoding gb18030"),
        "unknown encoding": (["utf8.txt", "--encoding", "nope"],
                             "utf8.txt: unknown encoding 'nope' given to --encoding"),
        "wrong encoding": (["gb.txt", "--encoding", "ascii"],
                           "gb.txt:1: cannot decode the file as ascii: ordinal not in range(128) "
                           "(byte 0xc8)"),
    }


BAD = ["missing file", "a folder", "empty file", "blank file", "header only", "not UTF-8",
       "unknown encoding", "wrong encoding"]


@pytest.mark.parametrize("case", BAD)
def test_bad_input_is_one_clear_line(runner: CliRunner, in_tmp: Path, case: str) -> None:
    args, message = _bad_inputs(in_tmp)[case]
    assert_clean_failure(build(runner, *args), message)
    assert not (in_tmp / "site").exists()


@pytest.mark.parametrize("case", BAD)
def test_bad_input_through_main(in_tmp: Path, capsys: pytest.CaptureFixture[str],
                                case: str) -> None:
    """The console script's entry point: same message, exit 1, no traceback."""
    args, message = _bad_inputs(in_tmp)[case]
    with pytest.raises(SystemExit) as caught:
        main(["build", *args])
    assert caught.value.code == 1
    captured = capsys.readouterr()
    assert captured.err == message + "\n" and captured.out == ""


def test_not_utf8_then_the_right_encoding(runner: CliRunner, in_tmp: Path) -> None:
    _bad_inputs(in_tmp)
    result = build(runner, "gb.txt")
    assert result.exit_code == 1
    assert "not valid UTF-8" in result.stderr and "--encoding" in result.stderr
    result = build(runner, "gb.txt", "--encoding", "gb18030", "-o", "gb.html")
    assert result.exit_code == 0, result.output
    write(in_tmp / "utf" / "gb.txt", KERAS.read_text(encoding="utf-8"))
    assert build(runner, "utf/gb.txt", "-o", "utf.html", "-q").exit_code == 0
    assert (in_tmp / "gb.html").read_bytes() == (in_tmp / "utf.html").read_bytes()
    assert "<title>Keras入门</title>" in (in_tmp / "gb.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("variant", ["bom", "crlf", "bom+crlf", "cr"])
def test_bom_and_crlf_are_accepted_silently(runner: CliRunner, in_tmp: Path,
                                            variant: str) -> None:
    text = CLEAN.encode("utf-8")
    if "crlf" in variant:
        text = text.replace(b"\n", b"\r\n")
    if variant == "cr":
        text = text.replace(b"\n", b"\r")
    if "bom" in variant:
        text = codecs.BOM_UTF8 + text
    (in_tmp / "plain.txt").write_text(CLEAN, encoding="utf-8")
    (in_tmp / "odd.txt").write_bytes(text)
    assert build(runner, "plain.txt", "-o", "plain.html").exit_code == 0
    result = build(runner, "odd.txt", "-o", "odd.html")
    assert result.exit_code == 0 and result.stderr == ""
    assert (in_tmp / "odd.html").read_bytes() == (in_tmp / "plain.html").read_bytes()


def test_verbose_shows_the_traceback(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["build", "missing.txt", "-v"])
    assert caught.value.code == 1
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err
    assert err.rstrip().endswith("missing.txt: no such file")


def test_verbose_prints_the_build_time(runner: CliRunner, in_tmp: Path) -> None:
    write(in_tmp / "deck.txt", CLEAN)
    result = build(runner, "deck.txt", "-v")
    assert result.exit_code == 0
    assert re.search(r"^built in \d+\.\d{3} s$", result.stderr, re.M)


def test_an_internal_error_is_reported_plainly(in_tmp: Path, capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    import deckgen.build

    def broken(*args, **kwargs):
        raise ValueError("boom")

    monkeypatch.setattr(deckgen.build, "build_file", broken)
    write(in_tmp / "deck.txt", CLEAN)
    with pytest.raises(SystemExit) as caught:
        main(["build", "deck.txt"])
    assert caught.value.code == 1
    err = capsys.readouterr().err
    assert err == "deckgen: internal error: ValueError: boom (run with -v for the traceback)\n"


# -- the real console script --------------------------------------------------------------------

def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([str(DECKGEN), *args], cwd=cwd, capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=120)


def test_console_script_builds_the_seed(tmp_path: Path) -> None:
    assert DECKGEN.is_file(), "the deckgen console script is not installed in this venv"
    (tmp_path / "decks").mkdir()
    (tmp_path / "decks" / "keras.txt").write_bytes(KERAS.read_bytes())
    done = _run("build", "decks/keras.txt", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert re.fullmatch(r"wrote site/keras\.html \(21 slides, \d+ KiB\)\n", done.stdout)
    assert done.stderr.count("warning:") == 6
    assert (tmp_path / "site" / "keras.html").stat().st_size > 10_000


def test_console_script_errors_without_traceback(tmp_path: Path) -> None:
    (tmp_path / "gb.txt").write_bytes("title: 你好\n[slide]\n# 你好\n".encode("gb18030"))
    done = _run("build", "gb.txt", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr == ("gb.txt:1: the file is not valid UTF-8 (byte 0xc4); "
                           "it decodes as gb18030: try --encoding gb18030\n")
    done = _run("build", "nope.txt", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (1, "nope.txt: no such file\n")
    done = _run("--version", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (0, f"deckgen, version {deckgen.__version__}\n")


def test_a_one_deck_build_loads_only_what_it_uses(tmp_path: Path) -> None:
    """Start-up is most of a small deck's build time: the site, serve, PDF and PowerPoint code
    (and python-pptx, fontTools, the network code) stay unloaded for `deckgen build deck.txt`."""
    script = ("import sys; from deckgen.cli import main\n"
              "try:\n    main(['build', sys.argv[1], '-o', sys.argv[2], '-q'])\n"
              "except SystemExit:\n    pass\n"
              "print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in "
              "('deckgen', 'pptx', 'fontTools', 'urllib', 'http'))))")
    done = subprocess.run([sys.executable, "-c", script, str(KERAS), str(tmp_path / "k.html")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    loaded = set(done.stdout.split())
    assert "deckgen.build" in loaded and (tmp_path / "k.html").is_file()
    for module in ("deckgen.site", "deckgen.serve", "deckgen.pdf", "deckgen.pptx_export",
                   "deckgen.remote", "pptx", "fontTools", "http.client"):
        assert module not in loaded, module
