#!/usr/bin/env python3
"""Whole-process build benchmark: deckgen against a naive markdown-it + Pygments + Jinja script.

    . .venv/bin/activate
    python benchmarks/bench_build.py             # 7 runs of each; updates docs/performance.md
    python benchmarks/bench_build.py --quick     # 3 runs; prints only (add --write to record)
    python benchmarks/bench_build.py --runs 15 --json benchmarks/.work/results.json
    python benchmarks/bench_build.py --src /tmp/before/src --src src   # compare two trees

What it does:

1. Generates ``benchmarks/.work/keras-1000.txt`` and ``keras-5000.txt`` from ``decks/keras.txt``
   by repeating its slides. Every copy is different (headings get the copy number appended, the
   first number in each code block is shifted by it, or a ``# copy N`` line is added to a code
   block without numbers), and the script checks that no two slide bodies are equal, so no
   content cache could make repeated slides free.
2. Runs ``deckgen build DECK -o OUT`` and ``python benchmarks/naive_baseline.py DECK -o OUT`` for
   the three decks as whole processes (interpreter start, imports, build, write), plus
   ``python -c pass`` as the interpreter's own floor. One unmeasured warm-up of each, then
   ``--runs`` rounds; each round runs every command once, in the same order, so that load on
   this shared machine hits all of them alike.
3. Wall time is ``perf_counter`` around spawn + ``os.wait4``; peak memory is the child's
   ``ru_maxrss`` from ``os.wait4``. Reports median, p90 (inclusive quantile) and min of the wall
   time, the median peak RSS, and deckgen / naive ratios of the medians: quote the ratios, the
   machine is noisy.
4. Writes the results table between ``<!-- bench:build:start -->`` and
   ``<!-- bench:build:end -->`` in ``docs/performance.md``, leaving the rest of the file alone.

Standard library only. The children are spawned through a small runner process: see RUNNER.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / ".work"
SEED = ROOT / "decks" / "keras.txt"
DOC = ROOT / "docs" / "performance.md"
NAIVE = ROOT / "benchmarks" / "naive_baseline.py"
START_MARK = "<!-- bench:build:start -->"
END_MARK = "<!-- bench:build:end -->"

SIZES = (1000, 5000)
# Targets from the issue: seconds, and MiB for the 5,000-slide deck.
TARGET_SECONDS = {"keras": 0.15, "keras-1000": 0.5, "keras-5000": 2.0}
TARGET_MIB = {"keras-5000": 100}
# What the issue measured for a naive script on this machine (seconds; MiB).
ISSUE_NAIVE_SECONDS = {"keras": 0.105, "keras-1000": 0.36, "keras-5000": 1.5}
ISSUE_NAIVE_MIB = {"keras-5000": 53}

_SEPARATOR = re.compile(r"\[slide(?=[\s\]])")
_FENCE = re.compile(r"[ \t]*(`{3,}|~{3,})(.*)$")
_HEADING = re.compile(r" {0,3}#{1,6}(?:[ \t]|$)")
_NUMBER = re.compile(r"\d+")


# -- decks ---------------------------------------------------------------------------------------

def split_seed(text: str) -> tuple[list[str], list[list[str]]]:
    """(header lines, slides as lists of lines starting with their separator), fence-aware."""
    lines = text.split("\n")
    header: list[str] = []
    slides: list[list[str]] = []
    fence: str | None = None
    for line in lines:
        if fence is None:
            m = _FENCE.match(line)
            if m and slides:
                fence = m.group(1)
            elif _SEPARATOR.match(line):
                slides.append([line])
                continue
        elif line.strip().startswith(fence) and not line.strip().strip(fence[0]):
            fence = None
        (slides[-1] if slides else header).append(line)
    return header, slides


def vary(slide: list[str], copy: int) -> list[str]:
    """One copy of a slide that differs from every other copy in its headings and code."""
    out: list[str] = []
    fence: str | None = None
    code_changed = False
    changed = False
    for line in slide:
        if fence is not None:
            if line.strip().startswith(fence) and not line.strip().strip(fence[0]):
                if not code_changed:
                    out.append(f"# copy {copy}")
                fence = None
                changed = True
            elif not code_changed:
                line, n = _NUMBER.subn(lambda m: str(int(m.group()) + copy), line, count=1)
                code_changed = bool(n)
            out.append(line)
            continue
        m = _FENCE.match(line)
        if m:
            fence, code_changed = m.group(1), False
        elif _HEADING.match(line):
            line = f"{line.rstrip()} ({copy})"
            changed = True
        out.append(line)
    if not changed:
        out.append(f"\n(copy {copy})")
    return out


def make_deck(seed_text: str, count: int) -> tuple[str, int]:
    """Deck text with ``count`` slides cycling through the seed's, and its number of slides."""
    header, slides = split_seed(seed_text)
    body: list[str] = []
    seen: set[str] = set()
    for i in range(count):
        slide = vary(slides[i % len(slides)], i // len(slides) + 1)
        key = "\n".join(slide[1:]).strip()
        if key in seen:
            raise SystemExit(f"deck generation bug: slide {i + 1} repeats an earlier one")
        seen.add(key)
        body.extend(slide)
    return "\n".join(header + body) + "\n", count


def prepare_decks() -> list[tuple[str, Path, int]]:
    """(name, path, slides) for the seed deck and the generated ones."""
    seed_text = SEED.read_text(encoding="utf-8")
    _, seed_slides = split_seed(seed_text)
    decks = [("keras", SEED, len(seed_slides))]
    WORK.mkdir(parents=True, exist_ok=True)
    for size in SIZES:
        text, count = make_deck(seed_text, size)
        path = WORK / f"keras-{size}.txt"
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        decks.append((f"keras-{size}", path, count))
    return decks


# -- measuring -----------------------------------------------------------------------------------

@dataclass
class Case:
    tool: str       # "deckgen", "deckgen[<tree>]" (--src), "naive" or "python"
    deck: str       # deck name, or "-" for the interpreter floor
    slides: int
    argv: list[str]
    out: Path | None
    env: dict[str, str] = field(default_factory=dict)
    wall: list[float] = field(default_factory=list)
    maxrss_kib: list[int] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    out_bytes: int = 0


# The children are spawned by this small runner, not by the benchmark process itself. Linux
# charges a process's max RSS with the high-water mark of the memory it had before ``exec``, and
# ``subprocess``/``posix_spawn`` exec from a vfork'd copy of the *parent's* memory: spawned
# directly, every child would report at least the benchmark's own peak (about 28 MiB after deck
# generation, more than a naive build of keras.txt). The runner (``python -S -I``, stdlib ``os``
# only) stays at about 8 MiB, below ``python -c pass`` itself, so the children's numbers are
# their own. Protocol: one line per command: log path, environment changes ("K=V" joined by
# \x1e; "K=" removes K), then argv, split by \x1f; it answers "wall_s max_rss_kib exit_code cpu_s".
RUNNER = r"""
import os, sys, time
for line in sys.stdin:
    log, changes, *argv = line.rstrip("\n").split("\x1f")
    env = dict(os.environ)
    for change in filter(None, changes.split("\x1e")):
        key, _, value = change.partition("=")
        if value:
            env[key] = value
        else:
            env.pop(key, None)
    out = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    null = os.open(os.devnull, os.O_RDONLY)
    actions = [(os.POSIX_SPAWN_DUP2, null, 0), (os.POSIX_SPAWN_DUP2, out, 1),
               (os.POSIX_SPAWN_DUP2, out, 2)]
    start = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, env, file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    os.close(out)
    os.close(null)
    cpu = usage.ru_utime + usage.ru_stime
    sys.stdout.write(f"{wall!r} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)} {cpu!r}\n")
    sys.stdout.flush()
"""


class Runner:
    def __init__(self) -> None:
        self.proc = subprocess.Popen([sys.executable, "-S", "-I", "-c", RUNNER], cwd=ROOT,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def run(self, argv: list[str], log: Path, env: dict[str, str] | None = None
            ) -> tuple[float, int, int, float]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        changes = "\x1e".join(f"{k}={v}" for k, v in (env or {}).items())
        self.proc.stdin.write("\x1f".join([str(log), changes, *argv]) + "\n")
        self.proc.stdin.flush()
        reply = self.proc.stdout.readline().split()
        if len(reply) != 4:
            raise SystemExit(f"the runner failed on {' '.join(argv)}")
        return float(reply[0]), int(reply[1]), int(reply[2]), float(reply[3])

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait(timeout=30)


def run_once(runner: Runner, case: Case, log: Path) -> tuple[float, int, float, str]:
    """One run: (wall seconds, child's max RSS in KiB, its CPU seconds, its stdout+stderr)."""
    wall, maxrss, code, cpu = runner.run(case.argv, log, case.env)
    output = log.read_text(encoding="utf-8", errors="replace")
    if code != 0:
        raise SystemExit(f"{' '.join(case.argv)} exited {code}:\n{output[-3000:]}")
    return wall, maxrss, cpu, output


def check_output(case: Case, output: str) -> None:
    """The first (warm-up) run must have built every slide."""
    if case.out is None:
        return
    m = re.search(r"\((\d+) slides?", output)
    if not m or int(m.group(1)) != case.slides:
        raise SystemExit(f"{case.tool} built {m.group(1) if m else '?'} slides of {case.deck}, "
                         f"expected {case.slides}:\n{output[-2000:]}")
    case.out_bytes = case.out.stat().st_size


def find_deckgen() -> str:
    beside = Path(sys.executable).parent / "deckgen"
    found = str(beside) if beside.exists() else shutil.which("deckgen")
    if not found:
        raise SystemExit("deckgen is not installed: activate the venv (. .venv/bin/activate)")
    return found


def child_env(bytecode: bool = True) -> dict[str, str]:
    """Environment changes for every child.

    By default the children read and write compiled bytecode in ``benchmarks/.work/pycache``
    (``PYTHONPYCACHEPREFIX``), as an installed package would have it, even when the shell sets
    ``PYTHONDONTWRITEBYTECODE``; nothing is written next to the sources. ``--no-bytecode``
    keeps the shell's setting instead.
    """
    if not bytecode:
        return {}
    return {"PYTHONDONTWRITEBYTECODE": "", "PYTHONPYCACHEPREFIX": str(WORK / "pycache")}


def build_cases(decks: list[tuple[str, Path, int]], tools: list[str], srcs: list[str],
                bytecode: bool = True) -> list[Case]:
    """``srcs``: source trees (folders holding ``deckgen/``) to measure instead of the installed
    deckgen, through ``PYTHONPATH``; each is labelled by its folder's parent's name."""
    deckgen = find_deckgen()
    out_dir = WORK / "out"
    out_dir.mkdir(parents=True, exist_ok=True)
    env = child_env(bytecode)
    python = str(Path(sys.executable).absolute())  # posix_spawn does not search PATH
    variants: list[tuple[str, dict[str, str]]] = []
    for tool in tools:
        if tool == "deckgen" and srcs:
            for src in srcs:
                path = Path(src).resolve()
                if not (path / "deckgen" / "cli.py").exists():
                    raise SystemExit(f"--src {src}: no deckgen/cli.py in it")
                label = path.parent.name if path.name == "src" else path.name
                variants.append((f"deckgen[{label}]", {**env, "PYTHONPATH": str(path)}))
        else:
            variants.append((tool, env))
    cases = [Case("python", "-", 0, [python, "-c", "pass"], None, dict(env))]
    for name, path, count in decks:
        for tool, tool_env in variants:
            out = out_dir / f"{re.sub(r'[^A-Za-z0-9_.-]', '_', tool)}-{name}.html"
            if tool.startswith("deckgen"):
                argv = [deckgen, "build", str(path), "-o", str(out)]
            else:
                argv = [python, str(NAIVE), str(path), "-o", str(out)]
            cases.append(Case(tool, name, count, argv, out, dict(tool_env)))
    return cases


def measure(cases: list[Case], runs: int, warmup: int, verbose: bool) -> None:
    log = WORK / "child.log"
    runner = Runner()
    try:
        _measure(runner, cases, runs, warmup, verbose, log)
    finally:
        runner.close()


def _measure(runner: Runner, cases: list[Case], runs: int, warmup: int, verbose: bool,
             log: Path) -> None:
    for round_no in range(-warmup, runs):
        for case in cases:
            wall, rss, cpu, output = run_once(runner, case, log)
            if round_no == -warmup:
                check_output(case, output)
            if round_no >= 0:
                case.wall.append(wall)
                case.maxrss_kib.append(rss)
                case.cpu.append(cpu)
        if verbose:
            label = "warm-up" if round_no < 0 else f"run {round_no + 1}/{runs}"
            summary = ", ".join(f"{c.tool}:{c.deck} {c.wall[-1]:.3f}s" for c in cases if c.wall)
            print(f"  {label}: {summary if round_no >= 0 else 'done'}", file=sys.stderr)


# -- reporting -----------------------------------------------------------------------------------

def p90(values: list[float]) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=10, method="inclusive")[8]


def mib(kib: float) -> float:
    return kib / 1024


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        uname = subprocess.run(["uname", "-a"], capture_output=True, text=True).stdout.strip()
    except OSError:
        uname = " ".join(platform.uname())
    versions = {}
    try:
        from importlib.metadata import PackageNotFoundError, version
        for dist in ("deckgen", "markdown-it-py", "Pygments", "Jinja2", "lxml", "click"):
            try:
                versions[dist] = version(dist)
            except PackageNotFoundError:
                versions[dist] = "-"
    except ImportError:
        pass
    git = _git("rev-parse", "--short", "HEAD")
    if _git("status", "--porcelain", "--", "src", "templates", "themes"):
        git += " + uncommitted changes in src/"
    return {
        "uname": uname, "cpu": cpu, "cores": str(os.cpu_count()),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "date": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "versions": ", ".join(f"{k} {v}" for k, v in versions.items()),
        "commit": git or "-",
    }


def _git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                              timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def table(cases: list[Case]) -> list[str]:
    naive = {c.deck: c for c in cases if c.tool == "naive"}
    rows = ["| deck | slides | command | median s | p90 s | min s | CPU s | peak MiB | "
            "time vs naive | CPU vs naive | memory vs naive | target | issue's naive |",
            "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|"]
    for c in cases:
        med = statistics.median(c.wall)
        rss = statistics.median(c.maxrss_kib)
        cpu = statistics.median(c.cpu)
        ratio = cpu_ratio = mem_ratio = ""
        ref = naive.get(c.deck)
        if c.tool.startswith("deckgen") and ref is not None:
            ratio = f"{med / statistics.median(ref.wall):.2f}×"
            cpu_ratio = f"{cpu / statistics.median(ref.cpu):.2f}×"
            mem_ratio = f"{rss / statistics.median(ref.maxrss_kib):.2f}×"
        target = issue = ""
        if c.tool.startswith("deckgen") and c.deck in TARGET_SECONDS:
            target = f"≤ {TARGET_SECONDS[c.deck]} s"
            if c.deck in TARGET_MIB:
                target += f", ≤ {TARGET_MIB[c.deck]} MiB"
            ok = med <= TARGET_SECONDS[c.deck] and mib(rss) <= TARGET_MIB.get(c.deck, 1e9)
            target += " ✅" if ok else " ❌"
        if c.tool == "naive" and c.deck in ISSUE_NAIVE_SECONDS:
            issue = f"{ISSUE_NAIVE_SECONDS[c.deck]} s"
            if c.deck in ISSUE_NAIVE_MIB:
                issue += f", {ISSUE_NAIVE_MIB[c.deck]} MiB"
        command = {"deckgen": "`deckgen build`", "naive": "naive_baseline.py",
                   "python": "`python -c pass`"}.get(c.tool, f"`{c.tool} build`")
        rows.append(f"| {c.deck} | {c.slides or ''} | {command} | {med:.3f} | {p90(c.wall):.3f} "
                    f"| {min(c.wall):.3f} | {cpu:.3f} | {mib(rss):.1f} | {ratio} | {cpu_ratio} "
                    f"| {mem_ratio} | {target} | {issue} |")
    return rows


def report(cases: list[Case], runs: int, warmup: int, info: dict[str, str],
           load: tuple[tuple[float, ...], tuple[float, ...]], argv: list[str],
           bytecode: bool = True) -> str:
    bytecode = ("compiled once into `benchmarks/.work/pycache` and reused, as an installed "
                "package has it (`PYTHONPYCACHEPREFIX`)" if bytecode else
                f"as the shell has it (PYTHONDONTWRITEBYTECODE="
                f"{os.environ.get('PYTHONDONTWRITEBYTECODE', '')!r})")
    parent = mib(_self_maxrss_kib())
    lines = [
        START_MARK,
        "<!-- Generated by benchmarks/bench_build.py: edit the script, not this block. -->",
        "",
        f"### Build benchmark, {info['date']}",
        "",
        f"- Machine: `{info['uname']}`",
        f"- CPU: {info['cpu']}, {info['cores']} cores (shared, noisy: compare ratios "
        "within one run)",
        f"- Python: {info['python']}; {info['versions']}",
        f"- deckgen at commit {info['commit']}" + (
            "; measured trees: " + ", ".join(sorted({c.tool for c in cases
                                                      if c.tool.startswith("deckgen[")}))
            if any(c.tool.startswith("deckgen[") for c in cases) else ""),
        f"- Load average (1/5/15 min) before: {_fmt_load(load[0])}, after: {_fmt_load(load[1])}",
        f"- Bytecode: {bytecode}",
        f"- {runs} measured runs of each command after {warmup} warm-up, interleaved; "
        "wall time of the whole process (spawn, interpreter start, imports, build, write); "
        "CPU is the child's user + system time and peak memory its max RSS, both from "
        "`os.wait4` (medians over runs); p90 is the inclusive quantile. Targets are judged on "
        "the median wall time.",
        f"- Command: `{' '.join(['python', 'benchmarks/bench_build.py', *argv])}`",
        "",
        *table(cases),
        "",
        f"Generated decks: `benchmarks/.work/keras-1000.txt` and `keras-5000.txt` ({_deck_sizes()}); "
        "each copy of a slide differs from the others. Output sizes: "
        + ", ".join(f"{c.tool} {c.deck} {c.out_bytes / 1024:.0f} KiB" for c in cases
                    if c.out_bytes and c.deck != "keras") + ". "
        f"Children are spawned by a small runner process (see `RUNNER` in the script) so that "
        f"their max RSS is their own, not the benchmark's ({parent:.0f} MiB).",
        "",
        "Reproduce:",
        "",
        "```sh",
        ". .venv/bin/activate",
        "python benchmarks/bench_build.py            # 7 runs, rewrites this table",
        "python benchmarks/bench_build.py --quick    # 3 runs, prints only",
        "```",
        END_MARK,
    ]
    return "\n".join(lines) + "\n"


def _fmt_load(load: tuple[float, ...]) -> str:
    return " / ".join(f"{x:.2f}" for x in load)


def _deck_sizes() -> str:
    parts = []
    for size in SIZES:
        path = WORK / f"keras-{size}.txt"
        if path.exists():
            parts.append(f"{path.stat().st_size / 1024:.0f} KiB")
    return " and ".join(parts)


def _self_maxrss_kib() -> int:
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def write_doc(block: str) -> None:
    if DOC.exists():
        text = DOC.read_text(encoding="utf-8")
    else:
        text = ("# Performance\n\nHow fast `deckgen build` is, measured by "
                "`benchmarks/bench_build.py`. The table below is generated; edit the rest freely.\n"
                "\n## Results\n\n")
    start, end = text.find(START_MARK), text.find(END_MARK)
    if start != -1 and end != -1 and end > start:
        text = text[:start] + block + "\n" + text[end + len(END_MARK):].lstrip("\n")
        if not text.endswith("\n"):
            text += "\n"
    else:
        text = text.rstrip("\n") + "\n\n" + block
    DOC.parent.mkdir(parents=True, exist_ok=True)
    tmp = DOC.with_suffix(".md.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, DOC)


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Whole-process build benchmark of deckgen against a naive baseline.")
    parser.add_argument("--runs", type=int, help="measured runs of each command (default 7, "
                                                 "3 with --quick)")
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured runs first (default 1)")
    parser.add_argument("--quick", action="store_true",
                        help="3 runs, and do not touch docs/performance.md unless --write")
    parser.add_argument("--write", action=argparse.BooleanOptionalAction, default=None,
                        help="update docs/performance.md (default: yes, no with --quick)")
    parser.add_argument("--no-naive", action="store_true", help="measure deckgen only")
    parser.add_argument("--src", action="append", default=[], metavar="DIR",
                        help="measure the deckgen in this source folder (the one holding "
                             "deckgen/) instead of the installed one; repeat to compare trees")
    parser.add_argument("--decks", default="keras,keras-1000,keras-5000",
                        help="comma-separated subset of keras,keras-1000,keras-5000")
    parser.add_argument("--no-bytecode", action="store_true",
                        help="keep the shell's PYTHONDONTWRITEBYTECODE (see child_env)")
    parser.add_argument("--json", metavar="PATH", help="also write the raw samples as JSON")
    parser.add_argument("-v", "--verbose", action="store_true", help="print each round")
    args = parser.parse_args()
    runs = args.runs or (3 if args.quick else 7)
    write = args.write if args.write is not None else not args.quick

    wanted = args.decks.split(",")
    decks = [d for d in prepare_decks() if d[0] in wanted]
    tools = ["deckgen"] if args.no_naive else ["deckgen", "naive"]
    cases = build_cases(decks, tools, args.src, not args.no_bytecode)
    load_before = os.getloadavg()
    print(f"{runs} runs of {len(cases)} commands (+{args.warmup} warm-up)...", file=sys.stderr)
    measure(cases, runs, args.warmup, args.verbose)
    load_after = os.getloadavg()

    block = report(cases, runs, args.warmup, machine(), (load_before, load_after), sys.argv[1:],
                   not args.no_bytecode)
    print(block)
    if args.json:
        Path(args.json).write_text(json.dumps(
            [{**asdict(c), "out": str(c.out) if c.out else None} for c in cases], indent=2),
            encoding="utf-8")
    if write:
        write_doc(block)
        print(f"updated {DOC.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
