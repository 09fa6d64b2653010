"""deckgen: nodeppt-style ``[slide]`` decks to one self-contained, offline HTML file."""

__version__ = "0.1.0"
