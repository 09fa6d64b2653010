"""Side-by-side screenshots of a deck as nodeppt 1.4.5 built it and as deckgen builds it.

    python benchmarks/compare_nodeppt.py NODEPPT.html DECKGEN -o sheet.png [options]

NODEPPT.html is nodeppt's own output (``nodeppt generate deck.md out -a``; its ``css/`` and
``js/`` folders beside it). DECKGEN is deckgen's page, or the deck's source (``.txt``/``.md``),
which is then built here, with ``--theme`` put in its header. The sheet has one row per slide:
nodeppt left, deckgen right, both at the same window size.

    python benchmarks/compare_nodeppt.py /work/ref/out/keras.html decks/keras.txt \\
        --theme moon --size 1024x768 -o /tmp/keras-moon-4x3.png

``--theme NAME`` swaps nodeppt's theme stylesheet for ``css/theme.NAME.css`` (what its
``?theme=NAME`` does, without the race of loading it late); ``--theme colors`` drops it, as
nodeppt's ``colors`` (a theme with no file: its base stylesheet alone) did.

Everything runs offline: nodeppt's folder is served on 127.0.0.1 and every other http(s)
request is aborted, so remote images show as broken in both. Transitions and animations are
turned off in both pages; build lists show as they do when a slide is entered. Needs Debian's
Chromium and the playwright package (the test extra); the test suite does not use this.
"""

from __future__ import annotations

import argparse
import base64
import functools
import html
import http.server
import re
import sys
import tempfile
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
STILL = ("*, *::before, *::after { transition: none !important; animation: none !important; "
         "caret-color: transparent !important; }")
THEME_LINK = re.compile(r'<link rel="stylesheet" href="\./css/theme\.[\w-]+\.css">')
SETTLE = ("document.fonts.ready.then(() => new Promise(r => requestAnimationFrame(() => "
          "requestAnimationFrame(() => r(true)))))")


def nodeppt_page(source: str, theme: str | None) -> str:
    """nodeppt's page, with its theme stylesheet swapped (or dropped for ``colors``)."""
    if theme is None:
        return source
    link = "" if theme == "colors" else f'<link rel="stylesheet" href="./css/theme.{theme}.css">'
    swapped, count = THEME_LINK.subn(link, source)
    if count == 0:  # built with no theme line at all: add one before </head>
        swapped = source.replace("</head>", link + "\n</head>", 1)
    return swapped


def serve(folder: Path, page_name: str, page: str):
    """Serve ``folder`` on 127.0.0.1 (a free port), with ``page_name`` answered by ``page``."""
    class Handler(http.server.SimpleHTTPRequestHandler):
        def do_GET(self):
            if self.path.split("?")[0].split("#")[0] == "/" + page_name:
                body = page.encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            super().do_GET()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Handler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def deckgen_page(spec: Path, theme: str | None, workdir: Path) -> Path:
    """deckgen's page: ``spec`` itself if it is HTML, else the deck built (with ``theme``)."""
    if spec.suffix.lower() in (".html", ".htm"):
        if theme:
            print(f"note: {spec} is already built; --theme applies to nodeppt only",
                  file=sys.stderr)
        return spec
    sys.path.insert(0, str(REPO / "src"))
    from deckgen.build import build_text, write_atomic

    text = spec.read_text(encoding="utf-8")
    if theme:
        text, count = re.subn(r"(?m)^theme\s*:.*$", f"theme: {theme}", text, count=1)
        if not count:
            text = f"theme: {theme}\n" + text
    result = build_text(text, spec.name, spec.parent)
    target = workdir / (spec.stem + ".html")
    write_atomic(target, result.html)
    return target


def parse_slides(spec: str | None, total: int) -> list[int]:
    if not spec:
        return list(range(1, total + 1))
    numbers: list[int] = []
    for part in spec.split(","):
        first, _, last = part.partition("-")
        numbers.extend(range(int(first), int(last or first) + 1))
    return [n for n in numbers if 1 <= n <= total]


def shoot_nodeppt(context, url: str, numbers: list[int] | None):
    page = context.new_page()
    page.goto(url + "#0")
    page.add_style_tag(content=STILL)
    page.wait_for_function("() => document.querySelector('slides > slide.current')")
    total = page.evaluate("document.querySelectorAll('slides > slide').length")
    shots = {}
    for number in numbers or range(1, total + 1):
        if number > total:
            continue
        page.evaluate("n => { location.hash = '#' + (n - 1); }", number)
        page.wait_for_function(
            "n => document.querySelectorAll('slides > slide')[n - 1].classList.contains('current')",
            arg=number)
        page.evaluate(SETTLE)
        page.wait_for_timeout(150)
        shots[number] = page.screenshot()
    page.close()
    return total, shots


def shoot_deckgen(context, path: Path, numbers: list[int] | None):
    page = context.new_page()
    page.goto(path.resolve().as_uri() + "#/1")
    page.wait_for_function("() => !!(window.deckgen && document.querySelector('.deckgen.is-ready'))")
    page.add_style_tag(content=STILL)
    total = page.evaluate("deckgen.slides.length")
    shots = {}
    for number in numbers or range(1, total + 1):
        if number > total:
            continue
        page.evaluate("n => deckgen.go(n - 1)", number)
        page.wait_for_function("n => deckgen.index === n - 1", arg=number)
        page.evaluate(SETTLE)
        shots[number] = page.screenshot()
    page.close()
    return total, shots


SHEET = """<!DOCTYPE html><meta charset="utf-8"><style>
body {{ margin: 0; padding: 12px; background: #f0f0f0; font: 14px/1.3 sans-serif; color: #111; }}
h1 {{ font-size: 18px; margin: 0 0 8px; }}
table {{ border-collapse: separate; border-spacing: 8px 6px; }}
th {{ text-align: left; font-weight: 600; }}
td.n {{ vertical-align: top; font-weight: 700; padding-top: 4px; }}
img {{ width: {width}px; display: block; outline: 1px solid #999; }}
</style><h1>{title}</h1><table>
<tr><th></th><th>nodeppt 1.4.5 ({ntotal} slides)</th><th>deckgen ({dtotal} slides)</th></tr>
{rows}</table>"""


def contact_sheet(browser, title: str, ntotal: int, dtotal: int, pairs, width: int, out: Path):
    def img(png):
        if png is None:
            return "<i>(no such slide)</i>"
        return f'<img src="data:image/png;base64,{base64.b64encode(png).decode()}">'
    rows = "\n".join(f'<tr><td class="n">{n}</td><td>{img(a)}</td><td>{img(b)}</td></tr>'
                     for n, a, b in pairs)
    page = browser.new_page(viewport={"width": 2 * width + 90, "height": 400})
    page.set_content(SHEET.format(title=html.escape(title), ntotal=ntotal, dtotal=dtotal,
                                  rows=rows, width=width))
    page.wait_for_load_state("load")
    out.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out), full_page=True)
    page.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=__doc__.split("\n\n", 1)[1])
    parser.add_argument("nodeppt", type=Path, help="nodeppt's built .html")
    parser.add_argument("deckgen", type=Path, help="deckgen's built .html, or the deck source")
    parser.add_argument("-o", "--out", type=Path, required=True, help="the contact sheet (.png)")
    parser.add_argument("--theme", help="theme for both (nodeppt's stylesheet swapped)")
    parser.add_argument("--size", default="1280x720", help="window size, WxH (default 1280x720)")
    parser.add_argument("--slides", help="slide numbers, 1-based: 1-5,9 (default: all)")
    parser.add_argument("--thumb", type=int, default=560, help="thumbnail width in the sheet")
    parser.add_argument("--save-shots", type=Path, help="also keep each screenshot in this folder")
    args = parser.parse_args(argv)

    width, height = (int(v) for v in args.size.lower().split("x"))
    from playwright.sync_api import sync_playwright

    source = args.nodeppt.read_text(encoding="utf-8")
    server = serve(args.nodeppt.parent, "__compare__.html", nodeppt_page(source, args.theme))
    url = f"http://127.0.0.1:{server.server_address[1]}/__compare__.html"
    local = re.compile(rf"^http://127\.0\.0\.1:{server.server_address[1]}/")
    try:
        with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
            dg = deckgen_page(args.deckgen, args.theme, Path(tmp))
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            context = browser.new_context(viewport={"width": width, "height": height},
                                          reduced_motion="reduce")
            context.route(re.compile(r"^(https?|wss?)://"),
                          lambda route: route.continue_() if local.match(route.request.url)
                          else route.abort())
            wanted = parse_slides(args.slides, 10_000) if args.slides else None
            ntotal, nshots = shoot_nodeppt(context, url, wanted)
            dtotal, dshots = shoot_deckgen(context, dg, wanted)
            numbers = wanted or list(range(1, max(ntotal, dtotal) + 1))
            pairs = [(n, nshots.get(n), dshots.get(n)) for n in numbers]
            if args.save_shots:
                args.save_shots.mkdir(parents=True, exist_ok=True)
                for n, a, b in pairs:
                    for who, png in (("nodeppt", a), ("deckgen", b)):
                        if png:
                            (args.save_shots / f"{n:02d}-{who}.png").write_bytes(png)
            title = (f"{args.nodeppt.name} vs {args.deckgen.name}, theme "
                     f"{args.theme or '(as written)'}, {width}x{height}")
            contact_sheet(browser, title, ntotal, dtotal, pairs, args.thumb, args.out)
            browser.close()
    finally:
        server.shutdown()
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
