"""PowerPoint export (``deckgen pptx``): a built deck as an editable .pptx file.

The stages, one module each, fed by what ``build`` produced (``BuildResult``):

``content``  each slide's rendered HTML (lxml) -> ``SlideContent``: paragraphs and runs, code,
             tables, images, notes, the step each appears at, what has no PowerPoint equivalent
``layout``   ``SlideContent`` -> positions on the 1280x720 canvas, scaled down to fit
``picture``  slides PowerPoint cannot hold -> PNGs taken by a headless Chrome/Chromium
``timing``   steps -> click animations (``<p:timing>``)
``writer``   -> the .pptx (python-pptx), deterministic
``export``   the pipeline and its warnings (the ``pptx`` command itself is in ``cli.py``)

python-pptx is an optional dependency (``deckgen[pptx]``): nothing here imports it at import
time except ``writer``, which ``export`` loads when it runs.
"""

from __future__ import annotations

from ..model import DeckError
from .export import export_pptx

INSTALL = 'pip install "deckgen[pptx]"'

__all__ = ["MissingDependency", "export_pptx", "require_python_pptx"]


class MissingDependency(DeckError):
    def __init__(self, name: str) -> None:
        super().__init__(f"deckgen pptx needs the python-pptx package ({name} is not "
                         f"installed): {INSTALL}", code="missing-dependency")


def require_python_pptx() -> None:
    """Fail clearly, before any work, when python-pptx (or Pillow, which it brings) is
    missing."""
    for module, name in (("pptx", "python-pptx"), ("PIL", "Pillow")):
        try:
            __import__(module)
        except ImportError:
            raise MissingDependency(name) from None
