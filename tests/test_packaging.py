"""The wheel: it must carry the templates, themes and browser runtime, and work on its own.

One wheel build for the whole module (it takes a few seconds).
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from deck_helpers import KERAS, REPO

import deckgen

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    command = [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(REPO)]
    if importlib.util.find_spec("hatchling") is not None:
        command.insert(4, "--no-isolation")  # the backend is here already: no download
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    [built] = out.glob("deckgen-*.whl")
    return built


@pytest.fixture(scope="module")
def names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def _files(folder: Path, pattern: str = "*") -> list[Path]:
    return sorted(p for p in folder.rglob(pattern) if p.is_file() and "__pycache__" not in p.parts)


def test_wheel_name_has_the_version(wheel: Path) -> None:
    assert wheel.name == f"deckgen-{deckgen.__version__}-py3-none-any.whl"


def test_templates_are_in_the_wheel(names: set[str]) -> None:
    assert "deckgen/templates/deck.html.j2" in names
    assert "deckgen/templates/deck.css" in names
    for path in _files(REPO / "templates"):
        assert f"deckgen/templates/{path.relative_to(REPO / 'templates').as_posix()}" in names


@pytest.mark.parametrize("theme", ["light", "dark", "moon", "blue", "green", "colors"])
def test_each_theme_is_in_the_wheel(names: set[str], theme: str) -> None:
    assert f"deckgen/themes/{theme}/theme.css" in names


def test_every_theme_file_is_in_the_wheel(names: set[str]) -> None:
    for path in _files(REPO / "themes"):
        assert f"deckgen/themes/{path.relative_to(REPO / 'themes').as_posix()}" in names


def test_the_runtime_is_in_the_wheel(names: set[str]) -> None:
    from deckgen.page import RUNTIME_PIECES

    runtime = _files(REPO / "src" / "deckgen" / "runtime", "*.js")
    assert runtime, "no runtime pieces found in the source tree"
    for path in runtime:
        assert f"deckgen/runtime/{path.name}" in names
    for piece in RUNTIME_PIECES:
        assert f"deckgen/runtime/{piece}" in names


def test_every_package_file_is_in_the_wheel(names: set[str]) -> None:
    """Modules and package data alike (runtime JS, anything a subpackage keeps beside it)."""
    package = REPO / "src" / "deckgen"
    files = _files(package)
    assert any(p.name == "cli.py" for p in files)
    for path in files:
        if path.suffix != ".pyc":
            assert f"deckgen/{path.relative_to(package).as_posix()}" in names
    assert not any(name.startswith(("tests/", "decks/", "deckgen/tests/")) for name in names)


def test_the_console_script_is_declared(wheel: Path, names: set[str]) -> None:
    [entry_points] = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
    with zipfile.ZipFile(wheel) as archive:
        text = archive.read(entry_points).decode("utf-8")
    assert "[console_scripts]" in text
    assert "deckgen = deckgen.cli:main" in text


def test_the_unpacked_wheel_builds_a_deck(wheel: Path, tmp_path: Path) -> None:
    """Run deckgen from the wheel's files alone: templates and themes found inside the package."""
    site = tmp_path / "site-packages"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    work = tmp_path / "work"
    work.mkdir()
    out = work / "keras.html"
    script = ("import sys, deckgen.resources as r, deckgen.cli as c; "
              "print(r.templates_dir(), r.themes_dir(), sep='\\n'); "
              "c.main(['build', sys.argv[1], '-o', sys.argv[2], '-q'])")
    env = {**os.environ, "PYTHONPATH": str(site)}
    done = subprocess.run([sys.executable, "-c", script, str(KERAS), str(out)], cwd=work,
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    templates, themes = done.stdout.splitlines()
    assert Path(templates) == site / "deckgen" / "templates"
    assert Path(themes) == site / "deckgen" / "themes"
    html = out.read_text(encoding="utf-8")
    assert html.count('<section class="slide"') == 21
    assert (REPO / "themes" / "light" / "theme.css").read_text(encoding="utf-8") in html


def test_the_unpacked_wheel_embeds_icons_and_the_math_font(wheel: Path, tmp_path: Path) -> None:
    """The packaged fonts are found inside the installed package."""
    site = tmp_path / "site-packages"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    deck = tmp_path / "deck.md"
    deck.write_text('[slide]\n## 图标\n<i class="fa fa-github"></i> $$\\sqrt{x}$$\n',
                    encoding="utf-8")
    script = ("import sys; from deckgen.build import build_file; "
              "import deckgen.resources as r; print(r.WEBFONTS_DIR); "
              "css = build_file(sys.argv[1]).css; "
              "print('font-family:\"FontAwesome\"' in css, 'font-family:\"deckgen-math\"' in css)")
    env = {**os.environ, "PYTHONPATH": str(site)}
    done = subprocess.run([sys.executable, "-c", script, str(deck)], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    fonts_dir, found = done.stdout.splitlines()
    assert Path(fonts_dir) == site / "deckgen" / "webfonts"
    assert found == "True True"
