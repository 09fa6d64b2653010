"""deckgen's markdown-it rules: each module exposes ``plugin(md)``."""
