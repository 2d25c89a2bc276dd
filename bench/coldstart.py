"""Benchmark: cold start of ``jixiao extract`` on one report (target: at most 1.0 s).

Runs ``jixiao extract <corpus 001 .docx> --format json > /dev/null`` as a fresh subprocess
N times and reports the median, min and max wall-clock time, next to two baselines measured
in the same run, alternating with it: the interpreter's own start (``python -c pass``) and
``jixiao --help`` (the CLI without spaCy); the ratios to them make runs on a busy machine
comparable. One untimed run first fills the on-disk cache (the serialised spaCy pipeline).
Then a breakdown, from fresh subprocesses that print ``time.perf_counter`` stamps:
interpreter start, importing the CLI, the command's imports, reading the file, importing
spaCy, loading the pipeline, the first segmentation, extracting, serialising and
interpreter exit (nothing is patched: no stand-in modules, no ``os._exit``).

    python bench/coldstart.py [--runs 7] [--breakdown-runs 3] [--profile] [--file PATH]

``--profile`` also runs the command once under ``python -X importtime`` and prints the 15
slowest imports (by own time, and packages by cumulative time).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
REPORT = CORPUS / "001_16794bffd2751457.docx"
TARGET = 1.0  # seconds

# The extract command, stage by stage, in the order ``jixiao extract FILE --format json``
# does the work. argv: report path, the parent's time.time() just before starting us.
BREAKDOWN = r"""
import json, sys, time
t_wall = time.time()
t = time.perf_counter()
stages = [("interpreter start (python + site)", t_wall - float(sys.argv[2]))]
def stage(name):
    global t
    now = time.perf_counter()
    stages.append((name, now - t))
    t = now
import jixiao.cli
stage("import jixiao.cli (click, …)")
from jixiao.api import extract_document, read_document
from jixiao.extract.metrics import describe_qualifiers
stage("command imports (jixiao.api, extract.metrics)")
doc = read_document(sys.argv[1])
stage("read the file (incl. importing its reader)")
import spacy
stage("import spacy")
import jixiao.extract.components
stage("import extract.components (tokenizer, factories)")
from jixiao.extract.nlp import get_nlp
nlp = get_nlp()
stage("load the serialised pipeline (spacy.load from the cache)")
nlp("预算绩效管理")
stage("first segmentation (jieba-rs dictionary + userdict)")
result = extract_document(doc)
stage("extract (first document)")
out = json.dumps(result.to_dict(), ensure_ascii=False)
stage("to_dict + json.dumps")
extract_document(doc)
warm = time.perf_counter() - t
print(json.dumps({"stages": stages, "warm_extract": warm, "end": time.time(),
                  "metrics": len(result.metrics)}))
sys.stdout.flush()
"""

_IMPORTTIME = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


def console_script() -> list[str]:
    """The installed ``jixiao`` entry point next to this interpreter (else the one on PATH)."""
    beside = Path(sys.executable).with_name("jixiao")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("jixiao")
    if found:
        return [found]
    return [sys.executable, "-c", "from jixiao.cli import main; main()"]


def wall(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def timed(commands: list[tuple[str, list[str]]], runs: int) -> dict[str, list[float]]:
    """Wall-clock times of each command, run in turn (a busy moment hits all alike)."""
    times: dict[str, list[float]] = {name: [] for name, _ in commands}
    for _ in range(runs):
        for name, cmd in commands:
            times[name].append(wall(cmd))
    return times


def breakdown(report: Path) -> tuple[list[tuple[str, float]], float, int]:
    start = time.time()
    out = subprocess.run([sys.executable, "-c", BREAKDOWN, str(report), repr(start)],
                         capture_output=True, text=True, check=True).stdout
    total = time.time() - start
    data = json.loads(out.strip().splitlines()[-1])
    stages = [(name, secs) for name, secs in data["stages"]]
    stages.append(("interpreter exit (teardown)", total - (data["end"] - start)))
    return stages, data["warm_extract"], data["metrics"]


def profile(report: Path, top: int) -> None:
    cmd = [sys.executable, "-X", "importtime", "-c", "from jixiao.cli import main; main()",
           "extract", str(report), "--format", "json"]
    err = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                         check=True).stderr
    rows = []
    for line in err.splitlines():
        m = _IMPORTTIME.match(line)
        if m:
            rows.append((int(m.group(1)), int(m.group(2)), len(m.group(3)) // 2, m.group(4)))
    total = sum(r[0] for r in rows)
    print(f"\nimport profile (python -X importtime): {len(rows)} modules, "
          f"{total / 1000:.0f} ms of imports in all")
    print(f"  {top} slowest by own time:")
    for own, cum, _, name in sorted(rows, reverse=True)[:top]:
        print(f"    {own / 1000:7.1f} ms own  {cum / 1000:7.1f} ms cumulative  {name}")
    print(f"  {top} slowest top-level packages, cumulative (includes what they import):")
    roots = [r for r in rows if "." not in r[3]]
    for _, cum, _, name in sorted(roots, key=lambda r: r[1], reverse=True)[:top]:
        print(f"    {cum / 1000:7.1f} ms  {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7, help="timed cold runs of each command")
    parser.add_argument("--breakdown-runs", type=int, default=3,
                        help="cold subprocesses for the stage breakdown (median per stage)")
    parser.add_argument("--file", type=Path, default=REPORT, help="the report to extract")
    parser.add_argument("--profile", action="store_true", help="print the slowest imports")
    args = parser.parse_args()
    if not args.file.exists():
        sys.exit(f"missing report {args.file}")

    script = console_script()
    extract_cmd = [*script, "extract", str(args.file), "--format", "json"]
    wall(extract_cmd)  # untimed: fills the pipeline cache and the OS page cache
    commands = [("python -c pass", [sys.executable, "-c", "pass"]),
                ("jixiao --help", [*script, "--help"]),
                ("python -c 'import spacy'", [sys.executable, "-c", "import spacy"]),
                (f"{Path(script[0]).name} extract (console script)", extract_cmd)]
    on_path = shutil.which("jixiao")
    if on_path and Path(on_path).resolve() != Path(script[0]).resolve():
        commands.append(("jixiao extract (PATH: " + os.path.dirname(on_path) + ")",
                         [on_path, "extract", str(args.file), "--format", "json"]))
    print(f"cold start of `jixiao extract {args.file.name} --format json > /dev/null`, "
          f"{args.runs} runs each, {os.cpu_count()} CPUs")
    print(f"  {'command':44s} {'median':>8s} {'min':>8s} {'max':>8s}")
    medians = {}
    for name, ts in timed(commands, args.runs).items():
        medians[name] = statistics.median(ts)
        print(f"  {name:44s} {statistics.median(ts):7.3f}s {min(ts):7.3f}s {max(ts):7.3f}s")
    ours = medians[commands[3][0]]
    verdict = "meets" if ours <= TARGET else "MISSES"
    print(f"  extract cold start {ours:.3f} s ({verdict} the {TARGET} s target); "
          f"{ours / medians['python -c pass']:.1f}x python -c pass, "
          f"{ours / medians['jixiao --help']:.1f}x jixiao --help; "
          f"spaCy's own import is {medians[commands[2][0]]:.3f} s of it")

    runs = [breakdown(args.file) for _ in range(max(1, args.breakdown_runs))]
    names = [name for name, _ in runs[0][0]]
    per_stage = {name: statistics.median(r[0][i][1] for r in runs) for i, name in enumerate(names)}
    total = sum(per_stage.values())
    print(f"\nbreakdown (median of {len(runs)} cold subprocesses, {runs[0][2]} metrics):")
    for name in names:
        secs = per_stage[name]
        print(f"  {name:52s} {secs * 1000:7.1f} ms  {secs / total:5.1%}")
    print(f"  {'total':52s} {total * 1000:7.1f} ms")
    warm = statistics.median(r[1] for r in runs)
    print(f"  (the same extraction again, warm: {warm * 1000:.1f} ms)")

    if args.profile:
        profile(args.file, 15)


if __name__ == "__main__":
    main()
