"""Fixtures for deckgen's non-browser tests; the helpers they use are in ``deck_helpers.py``."""

from __future__ import annotations

import pytest
from deck_helpers import DEMO, KERAS, png_bytes


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
