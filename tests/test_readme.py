"""The README's commands do what the README says, on this repository's own decks.

A newcomer copies them verbatim; a command that fails where the README promises it works (or
works where it says it fails) is a bug in the README or in deckgen.
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from deckgen.cli import cli

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")


def _commands() -> list[str]:
    """Every ``deckgen ...`` line of the README's shell blocks, comments dropped."""
    lines = []
    for block in re.findall(r"```sh\n(.*?)```", README, re.S):
        for line in block.splitlines():
            line = line.split("  #")[0].strip()
            for part in line.split("&&"):
                part = part.strip()
                if part.startswith("deckgen "):
                    lines.append(part)
    return lines


@pytest.fixture
def repo_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(REPO / "decks", tmp_path / "decks")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _run(command: str):
    args = shlex.split(command)
    assert args[0] == "deckgen"
    return CliRunner().invoke(cli, args[1:])


def test_the_readme_has_the_ci_build_and_its_ignore_form() -> None:
    commands = _commands()
    assert "deckgen build decks/keras.txt" in commands
    assert "deckgen build decks/ -o site --strict" in commands
    assert any(c.startswith("deckgen build decks/ -o site --strict --ignore ") for c in commands)


def test_the_ignore_form_passes_on_this_repository(repo_copy: Path) -> None:
    command = next(c for c in _commands()
                   if c.startswith("deckgen build decks/ -o site --strict --ignore "))
    result = _run(command)
    assert result.exit_code == 0, result.output
    assert (repo_copy / "site" / "keras.html").is_file()
    assert (repo_copy / "site" / "index.html").is_file()
    assert "note: --ignore" not in result.output  # every rule it names matches something


def test_strict_without_ignore_fails_as_the_readme_says(repo_copy: Path) -> None:
    """The README says the plain --strict commands fail here because of keras's known
    warnings: exactly the codes its --ignore form names, and no others."""
    command = next(c for c in _commands()
                   if c.startswith("deckgen build decks/ -o site --strict --ignore "))
    accepted = set(re.findall(r"--ignore decks/keras\.txt:([a-z-]+)", command))
    result = _run("deckgen check decks/ --strict --format json")
    assert result.exit_code == 1
    import json

    found = json.loads(result.stdout)
    assert found and {d["code"] for d in found if d["level"] == "warning"} == accepted
    assert {d["file"] for d in found if d["level"] == "warning"} == {"decks/keras.txt"}


@pytest.mark.parametrize("command", [c for c in _commands()
                                     if c.startswith("deckgen build decks/keras.txt")])
def test_the_single_deck_builds_work(repo_copy: Path, command: str) -> None:
    result = _run(command)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("wrote ")


def test_docs_show_the_size_keras_really_builds_to(repo_copy: Path) -> None:
    """docs/cli.md shows `wrote site/keras.html (21 slides, N KiB)`: N is what the build prints
    today (within 3 KiB, so a small change to the runtime does not make the docs wrong)."""
    cli_md = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    shown = {int(n) for n in re.findall(r"wrote site/keras\.html \(21 slides, (\d+) KiB\)", cli_md)}
    assert shown
    result = _run("deckgen build decks/keras.txt")
    real = int(re.search(r"\(21 slides, (\d+) KiB\)", result.stdout).group(1))
    assert all(abs(n - real) <= 3 for n in shown), (shown, real)
