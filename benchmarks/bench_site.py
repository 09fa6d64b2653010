#!/usr/bin/env python3
"""Site build benchmark: ``deckgen build FOLDER`` on 200 keras-sized decks, cold and warm.

    . .venv/bin/activate
    python benchmarks/bench_site.py              # 3 runs; rewrites its block in docs/performance.md
    python benchmarks/bench_site.py --runs 5 --no-write
    python benchmarks/bench_site.py --decks 50 --runs 1 --no-write   # a quick look

What it does:

1. Generates ``benchmarks/.work/site-decks/`` (git-ignored): ``--decks`` decks (200) of 21 slides
   each, from ``decks/keras.txt``, in 10 sub-folders. Deck N's slides are keras's, varied with
   copy number N the way ``bench_build.py`` varies them (headings numbered, the first number in
   each code block shifted), and its title is numbered, so every deck is different.
2. Copies ``src/``, ``templates/`` and ``themes/`` to ``benchmarks/.work/site-src/`` and runs
   deckgen from that copy (``--live``: from the working tree), since an edit to deckgen's own
   files makes every page out of date.
3. For ``-j 1`` and ``-j 2``, each run: removes the output folder, times a cold build
   (``deckgen build site-decks -o OUT -j J -q``), then a warm one (nothing changed), then one
   after editing one deck. Whole processes: interpreter start, imports, build, writes.
4. Checks what it measured: every build exits 0, a warm build rebuilds nothing and leaves every
   output file's bytes and modification time alone, the edited-deck build rebuilds one deck, and
   the ``-j 1`` and ``-j 2`` sites are byte-identical.
5. Writes the table between ``<!-- bench:site:start -->`` and ``<!-- bench:site:end -->`` in
   ``docs/performance.md``.

Standard library only (plus ``bench_build.py`` next to it, for the deck variation).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import hashlib
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_build import split_seed, vary

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / ".work"
DECKS = WORK / "site-decks"
SEED = ROOT / "decks" / "keras.txt"
DOC = ROOT / "docs" / "performance.md"
START_MARK = "<!-- bench:site:start -->"
END_MARK = "<!-- bench:site:end -->"
FOLDERS = 10
TARGET_WARM_S = 1.0


def make_decks(count: int) -> list[Path]:
    """``count`` different keras-sized decks in ``FOLDERS`` sub-folders (rewritten only if
    their text changed, so file times stay put between benchmark runs)."""
    header, slides = split_seed(SEED.read_text(encoding="utf-8"))
    wanted: dict[Path, str] = {}
    for n in range(count):
        head = [re.sub(r"^title:\s*(.*)$", rf"title: \1 ({n + 1})", line) for line in header]
        body = [line for slide in slides for line in vary(slide, n + 1)]
        path = DECKS / f"group-{n % FOLDERS:02d}" / f"deck-{n + 1:03d}.txt"
        wanted[path] = "\n".join(head + body) + "\n"
    if DECKS.exists():
        for old in DECKS.rglob("*.txt"):
            if old not in wanted:
                old.unlink()
    for path, text in wanted.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    if len(set(wanted.values())) != count:
        raise SystemExit("deck generation bug: two decks are the same")
    return sorted(wanted)


def deckgen() -> str:
    found = shutil.which("deckgen") or str(Path(sys.executable).with_name("deckgen"))
    if not Path(found).exists():
        raise SystemExit("deckgen is not installed in this environment (pip install -e .)")
    return found


FROZEN = WORK / "site-src"
_ENV: dict[str, str] = {k: v for k, v in os.environ.items() if k != "CI"}


def freeze_tree() -> None:
    """Copy src/, templates/ and themes/ to FROZEN and run deckgen from there (PYTHONPATH comes
    before the editable install): deckgen's own files are part of what makes a page up to date,
    so an edit to the working tree in the middle of a run would turn a warm build cold."""
    shutil.rmtree(FROZEN, ignore_errors=True)
    for name in ("src", "templates", "themes"):
        shutil.copytree(ROOT / name, FROZEN / name,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    _ENV["PYTHONPATH"] = str(FROZEN / "src")


def run(argv: list[str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    env = _ENV
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, encoding="utf-8", env=env)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited {done.returncode}:\n{done.stderr[-2000:]}")
    return wall, done


def state(out: Path) -> dict[str, tuple[str, int]]:
    return {p.relative_to(out).as_posix(): (hashlib.blake2b(p.read_bytes()).hexdigest(),
                                             p.stat().st_mtime_ns)
            for p in sorted(out.rglob("*")) if p.is_file()}


def measure(decks: list[Path], runs: int) -> tuple[dict[str, list[float]], dict]:
    exe = deckgen()
    times: dict[str, list[float]] = {}
    sites: dict[int, dict[str, str]] = {}
    edited = decks[len(decks) // 2]
    original = edited.read_text(encoding="utf-8")
    facts: dict = {}
    for r in range(runs):
        for jobs in (1, 2):
            out = WORK / f"site-out-j{jobs}"
            shutil.rmtree(out, ignore_errors=True)
            argv = [exe, "build", str(DECKS), "-o", str(out), "-j", str(jobs)]
            wall, _ = run(argv + ["-q"])
            times.setdefault(f"cold -j {jobs}", []).append(wall)
            before = state(out)
            sites[jobs] = {k: v[0] for k, v in before.items()}
            wall, done = run(argv)
            times.setdefault(f"warm -j {jobs}", []).append(wall)
            summary = done.stdout.strip().splitlines()[-1]
            if f": 0 built, {len(decks)} up to date" not in summary or state(out) != before:
                raise SystemExit(f"a warm build changed something: {summary}")
            try:
                edited.write_text(original + "\n[slide]\n# one more slide\n", encoding="utf-8")
                wall, done = run(argv)
            finally:
                edited.write_text(original, encoding="utf-8")
            times.setdefault(f"one deck edited -j {jobs}", []).append(wall)
            summary = done.stdout.strip().splitlines()[-1]
            if f": 1 built, {len(decks) - 1} up to date" not in summary:
                raise SystemExit(f"editing one deck rebuilt more or less than it: {summary}")
            run(argv + ["-q"])  # back to the unedited deck for the next round
            facts["files"] = len(before)
            facts["bytes"] = sum((out / k).stat().st_size for k in before)
            facts["manifest"] = (out / ".deckgen-manifest.json").stat().st_size
            facts["index"] = (out / "index.html").stat().st_size
        if sites[1] != sites[2]:
            raise SystemExit("the -j 1 and -j 2 sites differ")
        print(f"run {r + 1}/{runs}: " + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in times.items()),
              flush=True)
    return times, facts


def table(times: dict[str, list[float]], facts: dict, decks: int, runs: int) -> str:
    now = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                                capture_output=True, text=True).stdout.strip() or "?"
    except OSError:
        commit = "?"
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    lines = [
        "<!-- Generated by benchmarks/bench_site.py: edit the script, not this block. -->",
        "",
        f"### Site build benchmark, {now}",
        "",
        f"- {decks} decks of 21 slides (keras.txt, each one varied) in {FOLDERS} sub-folders; "
        f"output {facts['files']} files, {facts['bytes'] / 1024 / 1024:.1f} MiB "
        f"(index.html {facts['index'] / 1024:.0f} KiB, "
        f"manifest {facts['manifest'] / 1024:.0f} KiB)",
        f"- Machine: {platform.machine()}, {cores} cores (shared, noisy); "
        f"Python {platform.python_version()}; deckgen at commit {commit} plus working-tree changes",
        f"- {runs} runs of each, whole processes (`deckgen build DIR -o OUT -j N`); cold = empty "
        "output folder, warm = nothing changed, one deck edited = a slide added to one deck. "
        "Every warm run was checked to rewrite nothing (same bytes, same modification times), "
        "and the -j 1 and -j 2 sites to be byte-identical.",
        "",
        "| build | -j | median s | min s | max s | per deck (median) | target |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for name, values in times.items():
        kind, jobs = name.rsplit(" -j ", 1)
        median = statistics.median(values)
        target = ""
        if kind == "warm":
            ok = "✅" if median < TARGET_WARM_S else "❌"
            target = f"< {TARGET_WARM_S:g} s {ok}"
        lines.append(f"| {kind} | {jobs} | {median:.3f} | {min(values):.3f} | {max(values):.3f} "
                     f"| {median / decks * 1000:.1f} ms | {target} |")
    lines += ["", "Reproduce: `python benchmarks/bench_site.py` (3 runs, rewrites this block)."]
    return "\n".join(lines)


def write_doc(block: str) -> None:
    text = DOC.read_text(encoding="utf-8")
    new = f"{START_MARK}\n{block}\n{END_MARK}"
    if START_MARK in text and END_MARK in text:
        text = re.sub(re.escape(START_MARK) + r".*?" + re.escape(END_MARK), lambda m: new, text,
                      flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n## deckgen build FOLDER: many decks\n\n" + new + "\n"
    DOC.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--decks", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--live", action="store_true",
                        help="run the working tree itself, not a frozen copy of it")
    args = parser.parse_args()
    if not args.live:
        freeze_tree()
    decks = make_decks(args.decks)
    times, facts = measure(decks, args.runs)
    block = table(times, facts, args.decks, args.runs)
    print(block)
    if not args.no_write:
        write_doc(block)
        print(f"\nwrote {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
