"""Hardening figures of issue 14, each against a baseline measured in the same run.

1. Checking time against the report's length: our sample report repeated 40 and 80 times
   (and 160), read and extracted once, checked ``--runs`` times; the median of each and the
   ratio to the 40-times baseline (linear: 2.0 and 4.0; before the fix 4 and 16).
2. The reviewer's flooded Word file: 12,000 formatted paragraphs (27 MB of XML in 170 KB),
   read in a fresh process with the default bounds (refused) and with the bounds raised
   (parsed), against a Word file of the sample report as baseline: median seconds inside
   the process (imports excluded) and the process's peak memory (VmHWM).

    python bench/bench_harden.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# the reviewer's flooded Word file and the sample's, made as the limits test makes them
from jixiao.tests.test_hardening_limits import flooded_docx, sample_docx

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpus" / "sample" / "qinghe_2024.txt"
PROBE = """
import sys, time
from jixiao.api import read_document
from jixiao.errors import JixiaoError
from jixiao.extract import limits
items = sys.argv[2:]
start = time.perf_counter()
with limits.using(limits.parse(items)):
    try:
        read_document(sys.argv[1]); outcome = "read"
    except JixiaoError as err:
        outcome = "refused: " + err.reason.split("），")[0] + "）"
seconds = time.perf_counter() - start
hwm = [ln.split()[1] for ln in open("/proc/self/status") if ln.startswith("VmHWM:")]
print(f"{seconds}\\t{int(hwm[0]) // 1024 if hwm else -1}\\t{outcome}")
"""


def checking(runs: int) -> None:
    from jixiao.api import check_document, extract_document, read_bytes

    print("1. checking time against the report's length (median of", runs, "runs)")
    base = None
    for repeats in (40, 80, 160):
        doc = read_bytes(SAMPLE.read_bytes() * repeats, source="repeated.txt", fmt="txt")
        extraction = extract_document(doc)
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            check_document(extraction)
            times.append(time.perf_counter() - start)
        median = statistics.median(times)
        base = base or median
        print(f"   {repeats:4d} times ({len(doc.text):7d} characters, {len(extraction.metrics):5d} "
              f"figures): {median:.3f} s, {median / base:.2f}x the 40-times baseline")


def reading(runs: int) -> None:
    print("2. the flooded Word file against a normal one (median of", runs, "fresh processes)")
    with tempfile.TemporaryDirectory() as tmp:
        flooded, normal = Path(tmp) / "flooded.docx", Path(tmp) / "sample.docx"
        flooded.write_bytes(flooded_docx(12_000))
        sample_docx(normal)
        cases = [("sample .docx (baseline)", normal, []),
                 ("flooded .docx, default bounds", flooded, []),
                 ("flooded .docx, bounds raised", flooded,
                  ["ratio=1000", "unzipped=100", "paragraphs=20000"])]
        base = None
        for name, path, items in cases:
            seconds, peaks, outcome = [], [], ""
            for _ in range(runs):
                out = subprocess.run([sys.executable, "-c", PROBE, str(path), *items],
                                     capture_output=True, text=True, check=True).stdout
                s, mb, outcome = out.strip().split("\t")
                seconds.append(float(s))
                peaks.append(int(mb))
            median = statistics.median(seconds)
            base = base or median
            print(f"   {name:32s} {path.stat().st_size / 1024:6.0f} KB: {median:7.3f} s "
                  f"({median / base:6.1f}x), peak {statistics.median(peaks)} MB — {outcome}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    checking(args.runs)
    reading(max(3, args.runs // 2))


if __name__ == "__main__":
    main()
