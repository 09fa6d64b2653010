"""The measured side of profile_build.py: runs inside the child process.

A module of its own (not ``profile_build.py --child``) so that its bytecode is cached like
everything else's and the child's start-up is not charged with compiling a script.
"""

from __future__ import annotations

import sys


def child_stages(deck: str, out: str) -> None:
    import time
    perf = time.perf_counter
    t0 = perf()
    import functools
    import gc

    times: dict[str, float] = {}
    counts: dict[str, int] = {}
    stack: list[list] = []  # [label, start, time spent in nested labels]

    def enter(label: str) -> None:
        stack.append([label, perf(), 0.0])

    def leave() -> None:
        label, start, inner = stack.pop()
        elapsed = perf() - start
        times[label] = times.get(label, 0.0) + elapsed - inner
        counts[label] = counts.get(label, 0) + 1
        if stack:
            stack[-1][2] += elapsed

    def timed(label, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            enter(label)
            try:
                return fn(*args, **kwargs)
            finally:
                leave()
        return wrapper

    def on_gc(phase, info):
        if phase == "start":
            enter("gc (cyclic collector)")
        elif stack and stack[-1][0] == "gc (cyclic collector)":
            leave()

    gc.callbacks.append(on_gc)

    enter("import deckgen.cli (click, deckgen.model)")
    import deckgen.cli
    leave()
    enter("import deckgen.build (markdown_it, pygments, jinja2, lxml, ...)")
    import deckgen.build
    leave()

    enter("import what deckgen.build did not (seal, lxml...: lazy in this deckgen)")
    import deckgen.markdown
    import deckgen.page
    import deckgen.plugins.code_languages
    import deckgen.plugins.local_images
    import deckgen.render
    import deckgen.seal
    leave()

    b, r, s = deckgen.build, deckgen.render, deckgen.seal
    missing: list[str] = []

    def wrap(owner, name: str, label: str) -> None:
        """Time ``owner.name`` as ``label``, if the code still has it (src/ moves on)."""
        if hasattr(owner, name):
            setattr(owner, name, timed(label, getattr(owner, name)))
        else:
            missing.append(f"{getattr(owner, '__name__', owner)}.{name}")

    wrap(b, "read_source", "read + decode")
    wrap(b, "parse_deck", "parse deck ([slide] split)")
    wrap(b, "load_theme", "theme")
    wrap(b, "style_css", "pygments style CSS")
    wrap(b, "build_source", "build_source (other)")
    wrap(b, "render_slide", "render_slide (other)")
    wrap(b, "read_settings", "header settings (detects the page language)")
    wrap(b, "render_sections", "jinja: slide sections (macro per slide)")
    wrap(b, "page_css", "page CSS")
    wrap(b, "render_page", "page: render (Jinja template in this deckgen)")
    wrap(b, "write_atomic", "write")
    wrap(deckgen.page, "slide_attributes", "page: slide attributes (Markup)")
    if "jinja2" in sys.modules:  # not imported here: a deckgen without Jinja must not pay for it
        wrap(sys.modules["jinja2"].Environment, "get_template", "jinja: load + compile templates")
    wrap(r, "_render_tokens", "markdown-it render")
    wrap(deckgen.markdown, "highlight_code", "pygments highlight")
    wrap(deckgen.plugins.code_languages, "is_known_language",
         "pygments lexer lookup (first use imports)")
    wrap(deckgen.plugins.local_images, "embed_html_images", "images (raw HTML <img> scan)")
    if hasattr(r, "seal"):
        wrap(r, "seal", "seal (other)")
    wrap(s._Scanner, "scan", "seal: HTMLParser scanner")
    wrap(s.Sealed, "serialize", "seal: lxml serialize")

    class _Etree:  # deckgen.seal's view of lxml.etree, with fromstring timed
        def __init__(self, real):
            self._real = real
            self.fromstring = timed("seal: lxml parse", real.fromstring)

        def __getattr__(self, name):
            return getattr(self._real, name)

    if hasattr(s, "etree"):
        s.etree = _Etree(s.etree)

    enter("markdown-it setup (MarkdownIt + plugins)")
    md = deckgen.markdown.markdown()
    leave()
    md.parse = timed("markdown-it parse (+ core rules)", md.parse)

    enter("cli (click, diagnostics, other)")
    try:
        deckgen.cli.main(["build", deck, "-o", out, "-q"])
    except SystemExit as exc:
        if exc.code not in (0, None):
            raise
    leave()
    end = perf()
    gc.callbacks.remove(on_gc)
    import json
    times["profiling harness (unlabelled)"] = (end - t0) - sum(times.values())
    sys.stdout.write(json.dumps({"times": times, "counts": counts, "in_process": end - t0,
                                 "missing": missing}))


def child_cprofile(deck: str, out: str, prof: str) -> None:
    import cProfile
    profiler = cProfile.Profile()
    profiler.enable()
    import deckgen.cli
    try:
        deckgen.cli.main(["build", deck, "-o", out, "-q"])
    except SystemExit as exc:
        if exc.code not in (0, None):
            raise
    profiler.disable()
    profiler.dump_stats(prof)
