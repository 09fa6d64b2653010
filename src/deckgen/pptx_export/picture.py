"""Pictures of slides, taken by an installed Chrome or Chromium running headless: the slides
whose HTML has no PowerPoint equivalent go into the PowerPoint file as these.

One browser run pictures many slides: the built page is opened with a small script added that
lays still copies of the wanted slides (the runtime's own ``deck.snapshot``, fitted by
``deck.fit``, each at the step wanted) one under another, 1280x720 each, and hides everything
else; the browser's ``--screenshot`` of that column is then cut into one PNG per slide. The
network is shut off as for ``deckgen pdf`` (remote content shows as missing), motion is
reduced, and the same page gives the same pixels.
"""

from __future__ import annotations

import json
import os
from io import BytesIO
from pathlib import Path

from ..model import DeckError
from ..pdf import last_words, run_headless

WIDTH, HEIGHT = 1280, 720
SCALE = 1.5
"""Device pixels per CSS pixel: 1920x1080 pictures, full HD."""
BATCH = 6
"""Slides per browser run (the screenshot is one column of them)."""
TIMEOUT = 180.0

_CAPTURE = """<style>
html.deckgen-capture, html.deckgen-capture body { margin: 0; padding: 0;
  overflow: visible !important; background: #000; }
html.deckgen-capture body > :not(.deckgen-capture-sheet) { display: none !important; }
.deckgen-capture-sheet { position: absolute; left: 0; top: 0; width: 1280px; }
.deckgen-capture-frame { position: relative; width: 1280px; height: 720px; overflow: hidden; }
</style>
<script>
(function () {
  "use strict";
  var shots = %s, deck = window.deckgen;
  if (!deck || !deck.snapshot) return;
  var sheet = document.createElement("div");
  sheet.className = "deckgen-capture-sheet";
  document.body.appendChild(sheet);
  document.documentElement.classList.add("deckgen-capture");
  shots.forEach(function (shot) {
    var frame = document.createElement("div");
    frame.className = "deckgen-capture-frame";
    var copy = deck.snapshot(deck.slides[shot[0]], shot[1]);
    copy.classList.add("is-current");
    frame.appendChild(copy);
    sheet.appendChild(frame);
    if (deck.fit) deck.fit(copy);
  });
})();
</script>
"""


def capture_page(html: str, shots: list[tuple[int, int]]) -> str:
    """The built page with the capture script added: ``shots`` are (0-based slide, step)."""
    script = _CAPTURE % json.dumps([list(shot) for shot in shots])
    at = html.rfind("</body>")
    if at == -1:
        return html + script
    return html[:at] + script + html[at:]


def capture(html: str, shots: list[tuple[int, int]], program: str, workdir: Path,
            timeout: float = TIMEOUT) -> list[bytes]:
    """PNG pictures (1920x1080) of ``shots`` of the built page ``html``, in order.

    The page and the screenshot are temporary files in ``workdir`` (beside the output: a
    snap-packaged Chromium cannot read /tmp). Raises ``DeckError`` when the browser fails.
    """
    pictures: list[bytes] = []
    for start in range(0, len(shots), BATCH):
        pictures.extend(_capture_batch(html, shots[start:start + BATCH], program, workdir,
                                       timeout))
    return pictures


def _capture_batch(html: str, shots: list[tuple[int, int]], program: str, workdir: Path,
                   timeout: float) -> list[bytes]:
    from PIL import Image as PILImage

    workdir.mkdir(parents=True, exist_ok=True)
    stem = f".deckgen-capture.{os.getpid()}"
    page = workdir / f"{stem}.html"
    shot = workdir / f"{stem}.png"
    name = Path(program).name
    try:
        page.write_text(capture_page(html, shots), encoding="utf-8")
        done = run_headless(
            program, ["--force-prefers-reduced-motion", f"--force-device-scale-factor={SCALE}",
                      "--run-all-compositor-stages-before-draw", "--virtual-time-budget=3000",
                      f"--window-size={WIDTH},{HEIGHT * len(shots)}", f"--screenshot={shot}",
                      page.resolve().as_uri()],
            timeout, "picturing slides",
            lambda message: DeckError(message, code="pptx-picture-failed"))
        data = shot.read_bytes() if shot.exists() else b""
        if done.returncode != 0 or not data.startswith(b"\x89PNG"):
            raise DeckError(f"{name} took no screenshot (exit status {done.returncode})"
                            f"{last_words(done.stderr)}", code="pptx-picture-failed")
        pictures = []
        with PILImage.open(BytesIO(data)) as sheet:
            sheet.load()
            width, height = round(WIDTH * SCALE), round(HEIGHT * SCALE)
            for i in range(len(shots)):
                piece = sheet.crop((0, i * height, width, (i + 1) * height)).convert("RGB")
                out = BytesIO()
                piece.save(out, format="PNG", optimize=True)
                pictures.append(out.getvalue())
        return pictures
    finally:
        page.unlink(missing_ok=True)
        shot.unlink(missing_ok=True)
