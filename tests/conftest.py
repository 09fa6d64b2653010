"""Fixtures for deckgen's non-browser tests; the helpers they use are in ``deck_helpers.py``."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from deck_helpers import CHROMIUM, DEMO, KERAS, png_bytes


@pytest.fixture(scope="session")
def chromium() -> str:
    """The installed Chromium that deckgen's own commands drive (pdf, pptx pictures): skipped
    where there is none, but a failure under CI (CI set to a true value)."""
    if Path(CHROMIUM).is_file():
        return CHROMIUM
    if (os.environ.get("CI") or "").strip().lower() in ("1", "true", "yes", "on"):
        pytest.fail(f"no Chromium at {CHROMIUM} on CI: apt-get install chromium", pytrace=False)
    pytest.skip(f"no Chromium at {CHROMIUM}")


@pytest.fixture(autouse=True)
def _download_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """No test reads or fills the user's own download cache (``--embed-remote``)."""
    monkeypatch.setenv("DECKGEN_CACHE_DIR", str(tmp_path_factory.mktemp("deckgen-cache")))


@pytest.fixture
def keras_text() -> str:
    return KERAS.read_text(encoding="utf-8")


@pytest.fixture
def demo_text() -> str:
    return DEMO.read_text(encoding="utf-8")


@pytest.fixture
def png() -> bytes:
    return png_bytes()
