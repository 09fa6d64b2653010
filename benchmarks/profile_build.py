#!/usr/bin/env python3
"""Where ``deckgen build`` spends its time: imports, stages, and cProfile listings.

    . .venv/bin/activate
    python benchmarks/bench_build.py --quick     # once: generates benchmarks/.work/keras-*.txt
    python benchmarks/profile_build.py           # all three parts, prints a Markdown report
    python benchmarks/profile_build.py --write   # ... and puts it in docs/performance.md

Three parts, each in fresh processes so that every number includes first-use costs:

``imports``  ``python -X importtime deckgen build decks/keras.txt`` (median of --runs): self
             time of every module imported during a real build, summed by top-level package.
             Imports made lazily during the build (Pygments lexers, the style) are included.
``stages``   The real CLI (``deckgen.cli.main``) in a child process, with timing wrappers put
             around the pipeline's functions (``_profile_child.py``; ``src/`` is untouched).
             Times are exclusive: a stage nested in another is subtracted from it, so the rows
             add up to the process's wall time. The cyclic garbage collector is a row of its own
             (``gc.callbacks``). Median of --runs per deck.
``cprofile`` cProfile over the whole child (imports included) for keras.txt and the 5,000-slide
             deck; ``.prof`` files and full listings go to benchmarks/.work/profile/. cProfile
             inflates pure-Python code against C code (lxml, re): use it for the ranking inside
             a stage, the ``stages`` table for shares.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import pstats
import re
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_build

_CHILD = ("import sys; sys.path.insert(0, sys.argv[1]); import _profile_child; "
          "getattr(_profile_child, sys.argv[2])(*sys.argv[3:])")


def child_argv(function: str, *args: str) -> list[str]:
    """Run ``_profile_child.<function>(*args)`` in a fresh interpreter."""
    return [str(Path(sys.executable).absolute()), "-c", _CHILD,
            str(Path(__file__).resolve().parent), function, *args]


ROOT = bench_build.ROOT
WORK = bench_build.WORK / "profile"
START_MARK = "<!-- bench:profile:start -->"
END_MARK = "<!-- bench:profile:end -->"
_IMPORT_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \| (\s*)(\S+)")
PACKAGES = ("click", "jinja2", "markupsafe", "markdown_it", "mdit_py_plugins", "pygments", "lxml",
            "yaml", "deckgen")


def decks(selection: str) -> list[tuple[str, Path]]:
    known = {"keras": bench_build.SEED}
    for size in bench_build.SIZES:
        known[f"keras-{size}"] = bench_build.WORK / f"keras-{size}.txt"
    if any(not p.exists() for p in known.values()):
        bench_build.prepare_decks()
    names = list(known) if selection == "all" else selection.split(",")
    return [(n, known[n]) for n in names]


def child_env(src: str | None) -> dict[str, str]:
    """bench_build's bytecode setting, plus PYTHONPATH for --src."""
    env = bench_build.child_env()
    if src:
        env["PYTHONPATH"] = str(Path(src).resolve())
    return env


def full_env(changes: dict[str, str]) -> dict[str, str]:
    env = dict(os.environ)
    for key, value in changes.items():
        if value:
            env[key] = value
        else:
            env.pop(key, None)
    return env


def import_profile(runs: int, src: str | None) -> tuple[list[str], dict[str, float]]:
    """Median self time (ms) per top-level package over ``runs`` real builds of keras.txt."""
    deckgen = bench_build.find_deckgen()
    env = full_env(child_env(src))
    samples: dict[str, list[float]] = {}
    modules: dict[str, list[float]] = {}
    totals: list[float] = []
    for _ in range(runs):
        proc = subprocess.run([sys.executable, "-X", "importtime", deckgen, "build",
                               str(bench_build.SEED), "-o", str(WORK / "imports.html"), "-q"],
                              cwd=ROOT, capture_output=True, text=True, check=True, env=env)
        per: dict[str, float] = {}
        for line in proc.stderr.splitlines():
            m = _IMPORT_LINE.match(line)
            if not m:
                continue
            top = m.group(4).split(".")[0]
            key = top if top in PACKAGES else "stdlib and other"
            per[key] = per.get(key, 0.0) + int(m.group(1)) / 1000
            if key == "stdlib and other":
                modules.setdefault(m.group(4), []).append(int(m.group(1)) / 1000)
        for key, value in per.items():
            samples.setdefault(key, []).append(value)
        totals.append(sum(per.values()))
    med = {k: statistics.median(v + [0.0] * (runs - len(v))) for k, v in samples.items()}
    total = statistics.median(totals)
    rows = ["| package | import ms (self, summed) | share of imports |", "|---|---:|---:|"]
    for key, value in sorted(med.items(), key=lambda kv: -kv[1]):
        rows.append(f"| {key} | {value:.1f} | {value / total:.0%} |")
    rows.append(f"| **all imports** | **{total:.1f}** | |")
    heavy = sorted(((statistics.median(v + [0.0] * (runs - len(v))), k)
                    for k, v in modules.items()), reverse=True)[:12]
    rows += ["", "Largest of \"stdlib and other\" (self ms): " + ", ".join(
        f"`{name}` {ms:.1f}" for ms, name in heavy) + "."]
    return rows, {**med, "total": total}


def stage_profile(name: str, path: Path, runs: int, runner: bench_build.Runner,
                  src: str | None) -> tuple[dict[str, float], float, float, float]:
    """Median exclusive seconds per stage, median wall, median in-process, median max RSS."""
    log = WORK / f"stages-{name}.json"
    out = WORK / f"stages-{name}.html"
    per: dict[str, list[float]] = {}
    walls, inproc, rss = [], [], []
    noted = False
    for _ in range(runs):
        wall, maxrss, code, _cpu = runner.run(
            child_argv("child_stages", str(path), str(out)), log, child_env(src))
        text = log.read_text(encoding="utf-8")
        if code != 0:
            raise SystemExit(f"stage child failed on {name}:\n{text[-3000:]}")
        data = json.loads(text[text.index("{"):])
        if data["missing"] and not noted:
            noted = True
            print(f"note: not in this deckgen, not timed: {', '.join(data['missing'])}",
                  file=sys.stderr)
        for label, seconds in data["times"].items():
            per.setdefault(label, []).append(seconds)
        walls.append(wall)
        inproc.append(data["in_process"])
        rss.append(maxrss)
    med = {k: statistics.median(v + [0.0] * (runs - len(v))) for k, v in per.items()}
    wall, inside = statistics.median(walls), statistics.median(inproc)
    med["interpreter start + teardown (wall - in-process)"] = wall - inside
    return med, wall, inside, statistics.median(rss) / 1024


def stage_table(results: dict[str, tuple[dict[str, float], float, float, float]]) -> list[str]:
    names = list(results)
    labels: list[str] = []
    for med, *_ in results.values():
        for label in sorted(med, key=lambda k: -med[k]):
            if label not in labels:
                labels.append(label)
    head = "| stage | " + " | ".join(f"{n} ms | {n} %" for n in names) + " |"
    rows = [head, "|---|" + "---:|---:|" * len(names)]
    last = names[-1]
    labels.sort(key=lambda k: -results[last][0].get(k, 0.0))
    for label in labels:
        cells = []
        for n in names:
            med, wall, _, _ = results[n]
            v = med.get(label, 0.0)
            cells.append(f"{v * 1000:.1f} | {v / wall:.1%}")
        rows.append(f"| {label} | " + " | ".join(cells) + " |")
    rows.append("| **process wall (median)** | " + " | ".join(
        f"**{results[n][1] * 1000:.0f}** | 100%" for n in names) + " |")
    rows.append("| peak RSS MiB | " + " | ".join(
        f"{results[n][3]:.1f} | " for n in names) + " |")
    return rows


def cprofile_listing(name: str, path: Path, top: int, src: str | None) -> list[str]:
    prof = WORK / f"{name}.prof"
    out = WORK / f"cprofile-{name}.html"
    subprocess.run(child_argv("child_cprofile", str(path), str(out), str(prof)), cwd=ROOT,
                   check=True, capture_output=True, env=full_env(child_env(src)))
    lines = [f"#### cProfile, {name}", ""]
    for order in ("cumulative", "tottime"):
        buffer = io.StringIO()
        stats = pstats.Stats(str(prof), stream=buffer)
        stats.sort_stats(order).print_stats(top)
        full = io.StringIO()
        pstats.Stats(str(prof), stream=full).sort_stats(order).print_stats(80)
        (WORK / f"{name}-{order}.txt").write_text(full.getvalue(), encoding="utf-8")
        text = buffer.getvalue()
        body = text[text.index("   ncalls"):] if "   ncalls" in text else text
        total = re.search(r"([\d.]+) seconds", text)
        lines += [f"Top {top} by {order} (profiled total {total.group(1) if total else '?'} s):",
                  "", "```text", _shorten(body).rstrip(), "```", ""]
    return lines


def _shorten(text: str) -> str:
    """Trim site-packages and repository prefixes from paths in a pstats listing."""
    text = re.sub(r"\S*/site-packages/", "", text)
    text = text.replace(str(ROOT) + "/src/", "").replace(str(ROOT) + "/", "")
    return re.sub(r"\S*/lib/python3\.\d+/", "", text)


def main() -> None:
    parser = argparse.ArgumentParser(description="Profile deckgen build (see module docstring).")
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (default 5)")
    parser.add_argument("--decks", default="all",
                        help="comma-separated from keras,keras-1000,keras-5000 (default all)")
    parser.add_argument("--parts", default="imports,stages,cprofile")
    parser.add_argument("--top", type=int, default=20, help="rows of each cProfile listing")
    parser.add_argument("--write", action="store_true", help="update docs/performance.md")
    parser.add_argument("--src", metavar="DIR",
                        help="profile the deckgen in this source folder (holding deckgen/)")
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    WORK.mkdir(parents=True, exist_ok=True)
    info = bench_build.machine()

    lines = [START_MARK,
             "<!-- Generated by benchmarks/profile_build.py: edit the script, not this block. -->",
             "", f"### Profile, {info['date']}", "",
             f"{info['cpu']}, {info['cores']} cores, {info['python']}, deckgen at "
             f"{info['commit'] if not args.src else args.src}; median of {args.runs} runs; "
             "bytecode cached as in bench_build.py. Reproduce: "
             "`python benchmarks/profile_build.py --write`.", ""]
    if "imports" in parts:
        print("imports...", file=sys.stderr)
        rows, _ = import_profile(args.runs, args.src)
        lines += ["#### Imports during `deckgen build decks/keras.txt` (`-X importtime`)", "",
                  "Self time of every module, summed by top-level package; includes the lazy "
                  "imports made during the build. `-X importtime` itself adds some overhead.",
                  "", *rows, ""]
    if "stages" in parts:
        results = {}
        runner = bench_build.Runner()
        try:
            for name, path in decks(args.decks):
                print(f"stages {name}...", file=sys.stderr)
                results[name] = stage_profile(name, path, args.runs, runner, args.src)
        finally:
            runner.close()
        lines += ["#### Stages (exclusive wall time in the real CLI process)", "",
                  "Wrappers around the pipeline's functions; nested stages are subtracted from "
                  "their callers, so the column adds up to the process's wall time. First-use "
                  "costs (lexer imports, regex compilation) count where they happen.", "",
                  *stage_table(results), ""]
    if "cprofile" in parts:
        for name, path in decks(args.decks):
            if name == "keras-1000" and args.decks == "all":
                continue
            print(f"cprofile {name}...", file=sys.stderr)
            lines += cprofile_listing(name, path, args.top, args.src)
    lines.append(END_MARK)
    block = "\n".join(lines) + "\n"
    print(block)
    if args.write:
        write_doc(block)
        print(f"updated {bench_build.DOC.relative_to(ROOT)}", file=sys.stderr)


def write_doc(block: str) -> None:
    doc = bench_build.DOC
    text = doc.read_text(encoding="utf-8") if doc.exists() else "# Performance\n"
    start, end = text.find(START_MARK), text.find(END_MARK)
    if start != -1 and end > start:
        text = text[:start] + block + "\n" + text[end + len(END_MARK):].lstrip("\n")
    else:
        text = text.rstrip("\n") + "\n\n" + block
    tmp = doc.with_suffix(".md.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, doc)


if __name__ == "__main__":
    main()
