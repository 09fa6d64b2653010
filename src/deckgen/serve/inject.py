"""The live-reload client, added to served pages only (``deckgen build`` never contains it)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

_CLIENT = Path(__file__).with_name("live.js")


@lru_cache(maxsize=1)
def client_js() -> str:
    return _CLIENT.read_text(encoding="utf-8")


def inject(html: str, deck: str | None, version: int) -> str:
    """Insert the client before the last ``</body>`` (or at the end)."""
    config = json.dumps({"deck": deck, "version": version}).replace("</", "<\\/")
    snippet = (f'<script id="deckgen-live" type="application/json">{config}</script>\n'
               f"<script>\n{client_js()}\n</script>\n")
    at = html.rfind("</body>")
    if at == -1:
        return html + snippet
    return html[:at] + snippet + html[at:]
