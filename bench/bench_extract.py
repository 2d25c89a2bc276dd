"""Benchmark: figure extraction of 200 reports against jieba's plain segmentation.

Builds 200 report variants from the four ``.txt`` corpus reports of ../shared/corpus and the
fictional sample reports of corpus/sample (written by generate/samples.py) — figures,
county names and years changed with a seeded random generator, so no two texts are the
same —, reads them into Documents before any timing, warms up every side, then times in
one process, alternating, N runs each of

* the baseline: ``list(jieba.cut(doc.text))`` (Python jieba) over the 200 texts;
* the same segmentation by jieba-rs (``rjieba.cut``), the segmenter the pipeline uses;
* jixiao: ``jixiao.api.extract_document(doc)`` over the 200 documents (segmentation with
  the domain dictionary, the span rulers, figures, attribution, tables);

and reports the medians, the time per report and the ratios (target: extraction at most
2x Python jieba's plain segmentation; the ratio to jieba-rs is printed too, since the
pipeline's own segmentation is that one). The first extraction pass over the 200 documents,
before the timed runs, samples the resident memory after reports 1, 50, 100, 150 and 200
(target: flat).

    python bench/bench_extract.py [--runs 5] [--reports 200] [--seed 20240601]
"""

from __future__ import annotations

import argparse
import gc
import random
import re
import statistics
import sys
import time
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
STEMS = ["001_16794bffd2751457", "002_14d9c8f6bc945b17", "003_9838b6f1644cf041",
         "004_c8ea8cb1556f9aed"]
# The counties named in the corpus, and others to put in their place.
CORPUS_COUNTIES = ["西工区", "尉犁县", "民丰县"]
COUNTIES = ["西工区", "尉犁县", "民丰县", "涧西区", "老城区", "伊川县", "嵩县", "栾川县",
            "宜阳县", "洛宁县", "和静县", "轮台县", "若羌县", "且末县", "于田县", "策勒县",
            "皮山县", "墨玉县", "洛浦县", "和田县", "博湖县", "焉耆县", "和硕县", "库尔勒市"]
TARGET_RATIO = 2.0
SAMPLES = Path(__file__).resolve().parents[1] / "corpus" / "sample"
CHECKPOINTS = (1, 50, 100, 150, 200)

_COUNTY_RE = re.compile("|".join(CORPUS_COUNTIES))
# A year (2015-2029 standing alone), a day or month number (kept: 13月 is not a date), or
# any other run of digits (a figure: its digits are redrawn, its length kept).
_NUMBER_RE = re.compile(r"(?<!\d)(20[12]\d)(?!\d)|(?<!\d)(\d{1,2})(?=\s*[月日号])|\d+")


def vary(text: str, rng: random.Random, county: str | None = None,
         shift: int | None = None) -> str:
    """A variant of a report: another county, years shifted together, figures redrawn
    (the county and the shift drawn too unless the caller chooses them)."""
    county = county if county is not None else rng.choice(COUNTIES)
    shift = shift if shift is not None else rng.randint(-4, 1)

    def number(m: re.Match[str]) -> str:
        if m.group(1):
            return str(int(m.group(1)) + shift)
        if m.group(2):
            return m.group(2)
        digits = m.group(0)
        drawn = [str(rng.randint(0, 9)) for _ in digits]
        if len(digits) > 1 and digits[0] != "0":
            drawn[0] = str(rng.randint(1, 9))  # no new leading zeros
        return "".join(drawn)

    text = _COUNTY_RE.sub(county, text)
    return _NUMBER_RE.sub(number, text)


def build_documents(n: int, seed: int) -> list:
    from jixiao.api import read_bytes

    rng = random.Random(seed)
    sources = [(stem, (CORPUS / f"{stem}.txt").read_text(encoding="utf-8")) for stem in STEMS]
    sources += [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(SAMPLES.glob("*.txt"))]
    docs = []
    for i in range(n):
        stem, text = sources[i % len(sources)]
        if i >= len(sources):  # the first of each is the report as published
            text = vary(text, rng)
        docs.append(read_bytes(text.encode("utf-8"), source=f"{stem}-v{i:03d}.txt", fmt="txt"))
    return docs


def rss_mb() -> float:
    """Current resident set size in MB (psutil, else /proc, else the peak from resource)."""
    try:
        import psutil
    except ImportError:
        pass
    else:
        return psutil.Process().memory_info().rss / 2**20
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # peak, not current


def run_jieba(docs: list) -> int:
    import jieba

    return sum(len(list(jieba.cut(doc.text))) for doc in docs)


def run_rjieba(docs: list) -> int:
    import rjieba

    return sum(len(rjieba.cut(doc.text)) for doc in docs)


def run_extract(docs: list) -> int:
    from jixiao.api import extract_document

    return sum(len(extract_document(doc).metrics) for doc in docs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each side")
    parser.add_argument("--reports", type=int, default=200, help="report variants")
    parser.add_argument("--seed", type=int, default=20240601, help="seed of the variants")
    args = parser.parse_args()
    missing = [s for s in STEMS if not (CORPUS / f"{s}.txt").exists()]
    if missing:
        sys.exit(f"missing corpus reports under {CORPUS}: {', '.join(missing)}")

    docs = build_documents(args.reports, args.seed)
    chars = sum(len(d.text) for d in docs)
    distinct = len({d.text for d in docs})
    print(f"{len(docs)} reports ({distinct} distinct texts, {chars} characters), "
          f"median of {args.runs} runs, alternating")

    # Warm-up: the pipeline is built once per process, jieba's dictionary loaded once.
    import jieba

    from jixiao.extract.nlp import get_nlp

    start = time.perf_counter()
    jieba.initialize()
    get_nlp()
    print(f"  pipeline built in {(time.perf_counter() - start) * 1000:.0f} ms (not counted)")
    run_extract(docs[:4])
    run_jieba(docs[:4])
    run_rjieba(docs[:4])

    # Memory across the first extraction pass over the 200 documents (before the timed
    # runs, so a cache keyed by text would show here), one document at a time.
    from jixiao.api import extract_document

    gc.collect()
    samples: dict[int, float] = {}
    before = rss_mb()
    for i, doc in enumerate(docs, 1):
        extract_document(doc)
        if i in CHECKPOINTS or i == len(docs):
            samples[i] = rss_mb()

    times: dict[str, list[float]] = {"jieba": [], "rjieba": [], "extract": []}
    counts: dict[str, int] = {}
    for _ in range(args.runs):
        for name, fn in (("jieba", run_jieba), ("rjieba", run_rjieba),
                         ("extract", run_extract)):
            start = time.perf_counter()
            counts[name] = fn(docs)
            times[name].append(time.perf_counter() - start)
    base = statistics.median(times["jieba"])
    ours = statistics.median(times["extract"])
    ratio = ours / base
    rows = [("jieba.cut (baseline)", times["jieba"], f"{counts['jieba']} tokens"),
            ("rjieba.cut (jieba-rs)", times["rjieba"], f"{counts['rjieba']} tokens"),
            ("jixiao extract_document", times["extract"], f"{counts['extract']} metrics")]
    print(f"  {'':26s} {'median':>9s} {'min':>9s} {'max':>9s} {'per report':>11s}  per pass")
    for name, ts, what in rows:
        med = statistics.median(ts)
        print(f"  {name:26s} {med * 1000:7.1f}ms {min(ts) * 1000:7.1f}ms "
              f"{max(ts) * 1000:7.1f}ms {med / len(docs) * 1000:9.2f}ms  {what}")
    verdict = "meets" if ratio <= TARGET_RATIO else "MISSES"
    print(f"  extract / jieba ratio: {ratio:.2f}x ({verdict} the {TARGET_RATIO}x target); "
          f"extract / jieba-rs: {ours / statistics.median(times['rjieba']):.1f}x")

    print(f"  RSS before the first pass: {before:.1f} MB")
    print("  RSS after report " + ", ".join(f"{i}: {mb:.1f} MB" for i, mb in samples.items()))
    if 50 in samples and len(docs) in samples:
        growth = samples[len(docs)] - samples[50]
        print(f"  growth from report 50 to {len(docs)}: {growth:+.1f} MB")
    print(f"  RSS after the {args.runs} timed runs of both sides: {rss_mb():.1f} MB")


if __name__ == "__main__":
    main()
