"""Slide transition names: deckgen's small set, and nodeppt's names mapped onto it.

The runtime animates five transitions well (``slide``, ``fade``, ``zoom``, ``cards``, and
``none``) rather than nodeppt's twenty half-working ones; each nodeppt name maps to the nearest.
The build writes the normalised name as ``data-transition`` and keeps the author's in
``data-transition-name``. An unknown name is a warning and becomes ``slide``. A deck whose
header names no transition gets nodeppt's default, ``move``.
"""

from __future__ import annotations

from collections.abc import Callable

from .model import did_you_mean

TRANSITIONS = ("slide", "fade", "zoom", "cards", "none")
DEFAULT = "slide"
"""What an unknown name becomes."""
NODEPPT_DEFAULT = "move"
"""The deck's transition when its header sets none (or an empty one): nodeppt's default,
``move`` (the slides slide sideways), which is ``slide`` here. ``transition: none`` turns it off."""

NODEPPT_TRANSITIONS: dict[str, str] = {
    "slide": "slide", "slide2": "slide", "slide3": "slide", "move": "slide",
    "horizontal": "slide", "horizontal3d": "slide", "vertical3d": "slide",
    "newspaper": "slide",
    "fade": "fade", "earthquake": "fade", "pulse": "fade", "stick": "fade", "glue": "fade",
    "zoomin": "zoom", "zoomout": "zoom", "circle": "zoom", "cover-circle": "zoom",
    "zoom": "zoom",
    "cards": "cards", "kontext": "cards", "vkontext": "cards", "cover-diamond": "cards",
    "none": "none",
}
"""Every accepted name (lower case) and the transition it becomes."""


def normalise_transition(name: str) -> str | None:
    """The transition a name becomes, or None when the name is unknown."""
    return NODEPPT_TRANSITIONS.get(name.strip().lower())


def check_transition(name: str, warn: Callable[[str], None]) -> str:
    """The transition ``name`` becomes; an unknown name is reported through ``warn``."""
    known = normalise_transition(name)
    if known is not None:
        return known
    warn(f"unknown transition '{name}'{did_you_mean(name, list(NODEPPT_TRANSITIONS))}; "
         f"using '{DEFAULT}'")
    return DEFAULT
