"""``deckgen serve``: a live-reload preview that keeps the speaker's place.

``live.py`` holds the decks being previewed (last good build, current error, versions),
``watcher.py`` turns file-system events into one debounced rebuild per save, ``server.py`` serves
pages, files and the event stream, ``inject.py`` adds the client (``live.js``) to served pages.
``run`` wires them together; tests reuse ``start``.
"""

from .app import Preview, run, start

__all__ = ["Preview", "run", "start"]
