"""The site's index.html in Chromium, opened from file:// as a downloaded site would be."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import KERAS, READY

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory) -> Path:
    from deckgen.cli import cli

    root = tmp_path_factory.mktemp("site")
    decks = root / "decks"
    (decks / "新 talks").mkdir(parents=True)
    (decks / "keras.txt").write_bytes(KERAS.read_bytes())
    (decks / "新 talks" / "hello world.md").write_text(
        "title: Hello\nspeaker: Ann\ndate: 2024-05-01\n[slide]\n# Hello\n[slide]\n# Two\n",
        encoding="utf-8")
    out = root / "site"
    result = CliRunner().invoke(cli, ["build", str(decks), "-o", str(out), "-j", "1",
                                      "--index-theme", "dark"])
    assert result.exit_code == 0, result.output
    return out


def test_the_index_links_open_the_decks_offline(new_page, site_dir: Path) -> None:
    page = new_page()
    page.goto((site_dir / "index.html").as_uri())
    assert page.title() == "Decks"
    # The index itself asks for nothing but itself (keras.txt's remote images are its own).
    assert [u for u in page.requests_seen if not u.startswith(("file:", "data:"))] == []
    links = page.eval_on_selector_all("a.title", "els => els.map(a => a.textContent)")
    assert links == ["Keras入门", "Hello"]
    # Dark theme colours; text readable on it.
    colours = page.evaluate("""() => ({
        bg: getComputedStyle(document.body).backgroundColor,
        link: getComputedStyle(document.querySelector('a.title')).color,
    })""")
    assert colours == {"bg": "rgb(35, 35, 35)", "link": "rgb(250, 91, 4)"}
    page.click("text=Hello")
    page.wait_for_function(READY)
    assert page.url.split("#")[0].endswith("/%E6%96%B0%20talks/hello%20world.html")
    assert page.evaluate("document.querySelectorAll('section.slide').length") == 2
    page.go_back()
    page.click("text=Keras入门")
    page.wait_for_function(READY)
    assert page.evaluate("document.querySelectorAll('section.slide').length") == 21
    assert page.errors_seen == []


def test_the_index_fits_a_phone(new_page, site_dir: Path) -> None:
    page = new_page(width=360, height=640)
    page.goto((site_dir / "index.html").as_uri())
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
