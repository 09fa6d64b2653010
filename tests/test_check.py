"""``deckgen check``: every error and warning, in text, JSON or GitHub annotations; no writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from deck_helpers import KERAS

from deckgen.cli import cli
from deckgen.model import Diagnostic
from deckgen.report import as_json, format_github, format_text

REMOTE = ("remote image https://s3.amazonaws.com/keras.io/img/{}: the page needs the network to "
          "show it (offline it is a placeholder); to put it in the page, build with "
          "--embed-remote or set 'embedRemote: yes'")
KERAS_WARNINGS = [
    ("decks/keras.txt", 10, "warning", "remote-resource",
     REMOTE.format("keras-logo-2018-large-1200.png")),
    ("decks/keras.txt", 10, "warning", "html-repaired", "malformed attribute ',' in <img>"),
    ("decks/keras.txt", 49, "warning", "remote-resource",
     REMOTE.format("dl_frameworks_power_scores.png")),
    ("decks/keras.txt", 53, "warning", "html-repaired",
     "removed stray </i> (no open <i> in this slide)"),
    ("decks/keras.txt", 213, "warning", "image-not-found",
     "image not found: ../../img/cloud/deep/keras01.png"),
    ("decks/keras.txt", 216, "warning", "image-not-found",
     "image not found: ../../img/cloud/deep/keras02.png"),
]
BROKEN = ("decks/talks/broken.txt", 2, "error", "unknown-theme",
          "unknown theme 'lihgt' (did you mean 'light'?); available: blue, colors, dark, green, light, "
          "moon, or a path to a .css file")
NOTE = ("decks/README.md", None, "note", "not-a-deck", "skipped: no [slide] line, so not a deck")


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CI", raising=False)
    (tmp_path / "decks" / "talks").mkdir(parents=True)
    (tmp_path / "decks" / "keras.txt").write_bytes(KERAS.read_bytes())
    (tmp_path / "decks" / "README.md").write_text("# notes\n", encoding="utf-8")
    (tmp_path / "decks" / "talks" / "fine.md").write_text(
        "title: fine\n[slide]\n# Fine\n", encoding="utf-8")
    (tmp_path / "decks" / "talks" / "broken.txt").write_text(
        "title: broken\ntheme: lihgt\n[slide]\nx\n", encoding="utf-8")
    return tmp_path


def check(*args: str) -> Result:
    return CliRunner().invoke(cli, ["check", *args])


def listing(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*")}


def test_text_reports_everything_and_writes_nothing(tree: Path) -> None:
    before = listing(tree)
    result = check("decks")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        format_text(Diagnostic(*NOTE)),
        *(f"{f}:{line}: warning: {m}" for f, line, _, _, m in KERAS_WARNINGS),
        f"{BROKEN[0]}:2: error: {BROKEN[4]}",
    ]
    assert result.stdout.splitlines()[0] == ("decks/README.md: note: skipped: no [slide] line, "
                                             "so not a deck")
    assert result.stderr == "checked 3 decks: 1 error, 6 warnings\nfailed: 1 error\n"
    assert listing(tree) == before  # no site/, no manifest, nothing touched


def test_json_is_a_list_of_file_line_level_code_message(tree: Path) -> None:
    result = check("decks", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert [tuple(d.values()) for d in data] == [NOTE, *KERAS_WARNINGS, BROKEN]
    assert all(list(d) == ["file", "line", "level", "code", "message"] for d in data)


def test_github_annotations(tree: Path) -> None:
    result = check("decks", "--format", "github")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == ("::notice file=decks/README.md,title=deckgen not-a-deck::skipped: "
                        "no [slide] line, so not a deck")
    assert lines[2] == ("::warning file=decks/keras.txt,line=10,title=deckgen html-repaired::"
                        "malformed attribute ',' in <img>")
    assert lines[-1] == ("::error file=decks/talks/broken.txt,line=2,title=deckgen unknown-theme"
                         "::" + BROKEN[4])
    assert len(lines) == 8


def test_github_escapes_what_would_break_a_command() -> None:
    diagnostic = Diagnostic("talks/a,b:c.md", 3, "warning", "x", "100% sure\nnext line\r")
    assert format_github(diagnostic) == (
        "::warning file=talks/a%2Cb%3Ac.md,line=3,title=deckgen x::100%25 sure%0Anext line%0D")
    assert format_github(Diagnostic("a.md", None, "error", "e", "m")) == (
        "::error file=a.md,title=deckgen e::m")


def test_json_of_nothing_is_an_empty_list() -> None:
    assert json.loads(as_json([])) == []


def test_exit_status(tree: Path) -> None:
    assert check("decks/talks/fine.md").exit_code == 0
    assert check("decks/talks/fine.md", "--strict").exit_code == 0
    assert check("decks/keras.txt").exit_code == 0          # warnings only
    assert check("decks/keras.txt", "--strict").exit_code == 1
    assert check("decks/keras.txt", "--strict", "--ignore", "keras.txt:image-not-found",
                 "--ignore", "keras.txt:html-repaired",
                 "--ignore", "keras.txt:remote-resource").exit_code == 0
    assert check("decks/talks/broken.txt").exit_code == 1   # errors always
    result = check("decks/talks/fine.md")
    assert result.stdout == "" and result.stderr == "checked 1 deck: 0 errors, 0 warnings\n"


def test_an_ignore_that_matched_nothing_is_a_note_on_stderr(tree: Path) -> None:
    result = check("decks/talks/fine.md", "--strict", "--format", "json",
                   "--ignore", "image-not-fuond")
    assert result.exit_code == 0
    assert result.stdout == "[]\n"
    assert result.stderr == ("deckgen: note: --ignore image-not-fuond matched no warning\n"
                             "checked 1 deck: 0 errors, 0 warnings\n")


def test_a_failing_check_says_why_it_exits_1(tree: Path) -> None:
    result = check("decks/keras.txt", "--strict")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-2:] == ["checked 1 deck: 0 errors, 6 warnings",
                                              "failed: 6 warnings and --strict"]
    result = check("decks", "--strict")
    assert result.stderr.splitlines()[-1] == "failed: 1 error, 6 warnings and --strict"
    result = check("decks/keras.txt")  # warnings alone do not fail, and say nothing more
    assert result.exit_code == 0
    assert result.stderr.splitlines()[-1] == "checked 1 deck: 0 errors, 6 warnings"


def test_ignored_warnings_leave_every_format(tree: Path) -> None:
    for fmt in ("text", "json", "github"):
        result = check("decks/keras.txt", "--format", fmt, "--ignore", "html-repaired")
        assert "html-repaired" not in result.stdout and "malformed" not in result.stdout
        assert "image not found" in result.stdout
        assert result.stderr == "checked 1 deck: 0 errors, 4 warnings (2 ignored)\n"


def test_a_named_file_is_checked_even_without_slides(tree: Path) -> None:
    """Folders are searched for decks; a file named on the command line is a deck."""
    result = check("decks/README.md")
    assert result.exit_code == 1
    assert result.stdout == ("decks/README.md:1: error: no slides: start each slide with a line "
                             "'[slide]'\n")


def test_missing_paths_and_empty_folders(tree: Path) -> None:
    result = check("nope", "decks/talks/fine.md")
    assert result.exit_code == 1
    assert result.stdout == "nope: error: no such file or folder\n"
    (tree / "empty").mkdir()
    result = check("empty", "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [{
        "file": "empty", "line": None, "level": "error", "code": "no-decks",
        "message": "no decks found (a deck is a .txt or .md file with a [slide] line)"}]


def test_parallel_check_reports_in_the_same_order(tree: Path) -> None:
    for i in range(6):
        (tree / "decks" / f"k{i}.txt").write_bytes(KERAS.read_bytes())
    serial = check("decks", "-j", "1", "--format", "json")
    parallel = check("decks", "-j", "3", "--format", "json")
    assert serial.stdout == parallel.stdout
    assert len(json.loads(serial.stdout)) == 1 + 7 * len(KERAS_WARNINGS) + 1


def test_an_unknown_format_is_a_usage_error(tree: Path) -> None:
    result = check("decks", "--format", "xml")
    assert result.exit_code == 2 and "'xml' is not one of" in result.stderr


def test_help_names_the_formats() -> None:
    result = CliRunner().invoke(cli, ["check", "--help"])
    assert result.exit_code == 0
    for word in ("--format", "text", "json", "github", "--strict", "--ignore", "-j, --jobs",
                 "Example"):
        assert word in result.output
