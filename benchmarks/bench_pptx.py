#!/usr/bin/env python3
"""How long ``deckgen pptx`` takes: the keras deck exported as a whole process, beside
``deckgen build`` of the same deck; optionally nodeppt's demo, whose 9 pictured slides need
the installed Chromium.

    . .venv/bin/activate
    python benchmarks/bench_pptx.py              # 7 runs; rewrites the pptx block of docs/performance.md
    python benchmarks/bench_pptx.py --quick      # 3 runs, prints only (add --write to record)
    python benchmarks/bench_pptx.py --demo       # also the demo (Chromium pictures its slides)

What it does: one unmeasured warm-up of each command, then ``--runs`` rounds, each running every
command once in the same order (so that load on this shared machine hits them alike). Wall time
is ``perf_counter`` around spawn and ``os.wait4``; CPU time (user + system) comes from the
child's rusage (for the demo it includes Chromium's processes, which deckgen waits for).
It also times the export's stages in this process (median of the runs): reading the slides'
HTML, layout, writing with python-pptx, saving. Standard library only, plus deckgen itself for
the stage table.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KERAS = ROOT / "decks" / "keras.txt"
DEMO = ROOT / "tests" / "fixtures" / "decks" / "nodeppt-demo.md"
DOC = ROOT / "docs" / "performance.md"
WORK = ROOT / "benchmarks" / ".work"
START_MARK = "<!-- bench:pptx:start -->"
END_MARK = "<!-- bench:pptx:end -->"


def deckgen_argv() -> list[str]:
    return [sys.executable, "-m", "deckgen"]


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({proc.returncode}):\n{err}")
    return wall, usage.ru_utime + usage.ru_stime


def stages(deck: Path, runs: int) -> dict[str, float]:
    """Median seconds of each export stage, in this process (imports already done)."""
    sys.path.insert(0, str(ROOT / "src"))
    from deckgen.build import build_file
    from deckgen.pptx_export.colors import palette_from_css
    from deckgen.pptx_export.content import read_slide
    from deckgen.pptx_export.layout import layout_slide
    from deckgen.pptx_export.writer import PptxWriter, template

    times: dict[str, list[float]] = {"build (HTML)": [], "read slides (lxml)": [],
                                     "layout": [], "write slides (python-pptx)": [],
                                     "template": [], "save + zip": []}
    for _ in range(runs):
        t0 = time.perf_counter()
        result = build_file(deck)
        t1 = time.perf_counter()
        palette = palette_from_css(result.css)
        contents = [read_slide(s.html, palette, result.code_style, s.index, s.line, s.attrs,
                               s.content_attrs) for s in result.slides]
        t2 = time.perf_counter()
        layouts = [layout_slide(c) for c in contents]
        t3 = time.perf_counter()
        template.cache_clear()
        writer = PptxWriter(palette)
        t4 = time.perf_counter()
        for content, layout in zip(contents, layouts):
            writer.add_slide(content, layout)
        t5 = time.perf_counter()
        writer.to_bytes()
        t6 = time.perf_counter()
        for name, value in zip(times, (t1 - t0, t2 - t1, t3 - t2, t5 - t4, t4 - t3, t6 - t5)):
            times[name].append(value)
    return {name: statistics.median(values) for name, values in times.items()}


def p90(values: list[float]) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=10, method="inclusive")[-1]


def versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    parts = []
    for name in ("deckgen", "python-pptx", "Pillow", "lxml", "Pygments"):
        try:
            parts.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            parts.append(f"{name} ?")
    return ", ".join(parts)


def commit() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "src"], cwd=ROOT,
                               capture_output=True, text=True, check=True).stdout.strip()
        return head + (" + uncommitted changes in src/" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "?"


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--quick", action="store_true", help="3 runs, print only")
    parser.add_argument("--write", action="store_true", help="with --quick: still record")
    parser.add_argument("--demo", action="store_true",
                        help="also nodeppt's demo, with its slides pictured by Chromium")
    args = parser.parse_args()
    runs = 3 if args.quick else args.runs
    write = args.write or not args.quick

    WORK.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, PYTHONPYCACHEPREFIX=str(WORK / "pycache"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(dir=WORK) as tmp:
        out = Path(tmp)
        commands = [("keras", "deckgen build", deckgen_argv() + ["build", str(KERAS), "-o",
                                                                 str(out / "keras.html"), "-q"]),
                    ("keras", "deckgen pptx", deckgen_argv() + ["pptx", str(KERAS), "-o",
                                                                str(out / "keras.pptx"), "-q"])]
        if args.demo:
            commands.append(("nodeppt demo", "deckgen pptx (9 slides pictured)",
                             deckgen_argv() + ["pptx", str(DEMO), "-o",
                                               str(out / "demo.pptx"), "-q"]))
        results: dict[int, tuple[list[float], list[float]]] = {
            i: ([], []) for i in range(len(commands))}
        for _, _, argv in commands:
            run_once(argv, env)  # warm-up: bytecode, file caches
        for _ in range(runs):
            for i, (_, _, argv) in enumerate(commands):
                wall, cpu = run_once(argv, env)
                results[i][0].append(wall)
                results[i][1].append(cpu)
        size = (out / "keras.pptx").stat().st_size
        demo_size = (out / "demo.pptx").stat().st_size if args.demo else 0
    stage = stages(KERAS, runs)
    load_after = os.getloadavg()

    now = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [f"### PowerPoint export benchmark, {now}", "",
             f"- Machine: `{' '.join(platform.uname())}`",
             f"- CPU: {cpu_name()}, {os.cpu_count()} cores (shared, noisy: compare within one run)",
             f"- Python: {platform.python_implementation()} {platform.python_version()}; "
             f"{versions()}",
             f"- deckgen at commit {commit()}",
             f"- Load average (1/5/15 min) before: "
             f"{' / '.join(f'{x:.2f}' for x in load_before)}, after: "
             f"{' / '.join(f'{x:.2f}' for x in load_after)}",
             f"- {runs} measured runs of each command after 1 warm-up, interleaved; wall time of "
             "the whole process (interpreter start, imports, build, export, write); CPU is the "
             "child's user + system time from `os.wait4`. Bytecode cached as in bench_build.py.",
             "- Command: `python benchmarks/bench_pptx.py" + (" --demo" if args.demo else "")
             + "`", "",
             "| deck | command | median s | p90 s | min s | CPU s | output |",
             "|---|---|---:|---:|---:|---:|---:|"]
    for i, (deck, label, _) in enumerate(commands):
        walls, cpus = results[i]
        output = ""
        if label.startswith("deckgen pptx"):
            output = f"{(demo_size if deck != 'keras' else size) / 1024:.0f} KiB"
        lines.append(f"| {deck} | `{label}` | {statistics.median(walls):.3f} | {p90(walls):.3f} | "
                     f"{min(walls):.3f} | {statistics.median(cpus):.3f} | {output} |")
    lines += ["", "Stages of the keras export in one process (median of the runs, seconds; "
              "`template` is the 16:9 template with the deck's theme, built once per process):",
              "", "| stage | s |", "|---|---:|"]
    lines += [f"| {name} | {value:.3f} |" for name, value in stage.items()]
    lines += ["", "Reproduce:", "", "```sh", ". .venv/bin/activate",
              "python benchmarks/bench_pptx.py            # 7 runs, rewrites this block",
              "python benchmarks/bench_pptx.py --demo     # and the demo, pictures included",
              "```"]
    block = "\n".join(lines)
    print(block)
    if write:
        text = DOC.read_text(encoding="utf-8")
        generated = (f"{START_MARK}\n<!-- Generated by benchmarks/bench_pptx.py: edit the "
                     f"script, not this block. -->\n\n{block}\n{END_MARK}")
        if START_MARK in text and END_MARK in text:
            head, rest = text.split(START_MARK, 1)
            _, tail = rest.split(END_MARK, 1)
            text = head + generated + tail
        else:
            text = text.rstrip("\n") + "\n\n## PowerPoint export\n\n" + generated + "\n"
        DOC.write_text(text, encoding="utf-8")
        print(f"\nwrote {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
