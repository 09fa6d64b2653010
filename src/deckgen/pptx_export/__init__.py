"""PowerPoint export (``deckgen pptx``): a built deck as an editable .pptx file.

The stages, one module each, fed by what ``build`` produced (``BuildResult``):

``content``  each slide's rendered HTML (lxml) -> ``SlideContent``: paragraphs and runs, code,
             tables, images, notes, the step each appears at, what has no PowerPoint equivalent
``layout``   ``SlideContent`` -> positions on the 1280x720 canvas, scaled down to fit
``picture``  slides PowerPoint cannot hold -> PNGs taken by a headless Chrome/Chromium
``timing``   steps -> click animations (``<p:timing>``)
``writer``   -> the .pptx (python-pptx), deterministic
``export``   the pipeline and its warnings; ``command`` the click command

python-pptx is an optional dependency (``deckgen[pptx]``): nothing here imports it at import
time except ``writer``, which ``export`` loads when it runs.
"""
