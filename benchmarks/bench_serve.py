"""Save-to-visible latency of ``deckgen serve``, measured in a real browser.

For each deck (keras, 21 slides; a 1,000-slide deck generated from it), the page is opened on a
slide in Chromium; then, repeatedly, the deck file is saved with a new word on that slide and the
time until the browser shows it is recorded. Both clocks are this machine's wall clock
(``time.time()`` in Python, ``Date.now()`` in the page), so the two ends compare directly.

    python benchmarks/bench_serve.py [--runs 30] [--no-write]

Writes its table into docs/performance.md between the bench:serve markers.
"""

from __future__ import annotations

import argparse
import datetime
import platform
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KERAS = ROOT / "decks" / "keras.txt"
DOC = ROOT / "docs" / "performance.md"
START, END = "<!-- bench:serve:start -->", "<!-- bench:serve:end -->"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


def big_deck(slides: int) -> str:
    """keras's slides repeated with variation until there are ``slides`` of them."""
    text = KERAS.read_text(encoding="utf-8")
    header, _, body = text.partition("[slide]")
    parts = ["[slide]" + p for p in body.split("[slide]")]
    out = [header]
    n = 0
    while n < slides:
        for part in parts:
            if n >= slides:
                break
            copy = n // len(parts)
            out.append(re.sub(r"^(#+ .*)$", rf"\1 ({copy})", part, count=1, flags=re.M)
                       .replace("batch_size=32", f"batch_size={32 + copy}"))
            n += 1
    return "".join(out)


def measure(deck_text: str, slide: int, runs: int, browser) -> list[float]:
    from deckgen.serve import start

    with tempfile.TemporaryDirectory() as tmp:
        deck = Path(tmp) / "deck.txt"
        deck.write_text(deck_text, encoding="utf-8")
        running = start(deck, port=0)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.goto(f"{running.url}#/{slide}")
            page.wait_for_function(f"() => window.deckgen && deckgen.index === {slide - 1}")
            lines = deck_text.split("\n")
            target = running.preview.single.good  # noqa: F841 - the server is up and built
            # The slide's first heading line gets a changing word.
            slide_starts = [i for i, line in enumerate(lines) if line.startswith("[slide")]
            first = slide_starts[slide - 1] + 1
            heading = next(i for i in range(first, len(lines)) if lines[i].strip())
            samples = []
            for run in range(runs):
                word = f"edit{run}x{time.time_ns() % 10_000}"
                page.evaluate("""(word) => {
                    window.__seen = new Promise((resolve) => {
                        const check = () => {
                            if (deckgen.current() && deckgen.current().textContent.includes(word))
                                resolve(Date.now());
                            else requestAnimationFrame(check);
                        };
                        check();
                    });
                }""", word)
                edited = list(lines)
                edited[heading] = lines[heading] + " " + word
                saved_at = time.time() * 1000
                deck.write_text("\n".join(edited), encoding="utf-8")
                shown_at = page.evaluate("() => window.__seen")
                samples.append(shown_at - saved_at)
                time.sleep(0.15)  # let the debounce window close between saves
            page.close()
            return samples
        finally:
            running.stop()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from playwright.sync_api import sync_playwright

    decks = [("keras (21 slides)", KERAS.read_text(encoding="utf-8"), 5),
             ("generated (1,000 slides)", big_deck(1000), 500)]
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium") or
                                    "/usr/bin/chromium", args=CHROMIUM_ARGS)
        for name, text, slide in decks:
            samples = measure(text, slide, args.runs, browser)
            rows.append((name, statistics.median(samples), percentile(samples, 0.95),
                         min(samples), max(samples)))
            print(f"{name}: median {rows[-1][1]:.0f} ms, p95 {rows[-1][2]:.0f} ms")
        browser.close()

    table = ["| deck | median | p95 | min | max | target (median) |", "|---|---|---|---|---|---|"]
    targets = {"keras (21 slides)": "100 ms", "generated (1,000 slides)": "300 ms"}
    for name, median, p95, low, high in rows:
        table.append(f"| {name} | {median:.0f} ms | {p95:.0f} ms | {low:.0f} ms | {high:.0f} ms "
                     f"| {targets[name]} |")
    block = "\n".join([
        START,
        f"Measured {datetime.date.today().isoformat()} on {platform.node() or 'this machine'} "
        f"({platform.machine()}, {_cpus()} cores, Python {platform.python_version()}), "
        f"{args.runs} saves per deck, Chromium headless, debounce 50 ms.",
        "",
        *table,
        "",
        "Reproduce: `python benchmarks/bench_serve.py`",
        END,
    ])
    if not args.no_write:
        doc = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Performance\n"
        if START in doc and END in doc:
            doc = doc[:doc.index(START)] + block + doc[doc.index(END) + len(END):]
        else:
            doc = doc.rstrip("\n") + "\n\n## deckgen serve: save to visible\n\n" + block + "\n"
        DOC.write_text(doc, encoding="utf-8")


def _cpus() -> int:
    import os

    return os.cpu_count() or 0


if __name__ == "__main__":
    main()
