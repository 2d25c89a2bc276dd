"""Benchmark: PDF reading speed and memory, against bare pdfplumber and bare pypdfium2.

Reads every text-layer PDF of ../shared/corpus N times with jixiao's reader (text, layout
repair and tables) and, in the same process, with pdfplumber's ``extract_text`` and
pypdfium2's ``get_text_range`` on the same pages; reports pages/s (median of the runs) and
the ratios. Then builds a 200-page PDF by repeating corpus pages and reports the peak
resident memory of reading it in a fresh process.

    python bench/bench_read.py [--runs 5]
"""

from __future__ import annotations

import argparse
import io
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
# Scans and PDFs without Unicode maps need OCR: their speed is OCR's, measured apart.
PDFS = sorted(p for p in CORPUS.glob("*.pdf") if p.name.count(".") == 1)


def _pages(paths: list[Path]) -> int:
    import pypdfium2 as pdfium

    return sum(len(pdfium.PdfDocument(str(p))) for p in paths)


def run_jixiao(paths: list[Path]) -> None:
    from jixiao.api import read_document

    for p in paths:
        read_document(p)


def run_pdfplumber(paths: list[Path]) -> None:
    import pdfplumber

    for p in paths:
        with pdfplumber.open(p) as pdf:
            for page in pdf.pages:
                page.extract_text()


def run_pypdfium2(paths: list[Path]) -> None:
    import pypdfium2 as pdfium

    for p in paths:
        pdf = pdfium.PdfDocument(str(p))
        for page in pdf:
            page.get_textpage().get_text_range()
        pdf.close()


def timed(fn, paths: list[Path], runs: int) -> float:
    fn(paths)  # warm-up: imports and caches
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn(paths)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def make_long_pdf(pages: int, out: Path) -> None:
    import pypdfium2 as pdfium

    dest = pdfium.PdfDocument.new()
    sources = [pdfium.PdfDocument(str(p)) for p in PDFS]
    while len(dest) < pages:
        for src in sources:
            n = min(len(src), pages - len(dest))
            if n <= 0:
                break
            dest.import_pages(src, list(range(n)))
    buf = io.BytesIO()
    dest.save(buf)
    out.write_bytes(buf.getvalue())


PEAK_SNIPPET = """
import resource, sys
from jixiao.api import read_document
doc = read_document(sys.argv[1])
print(doc.pages, len(doc.text), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--long-pages", type=int, default=200)
    args = parser.parse_args()
    if not PDFS:
        sys.exit(f"no corpus PDFs under {CORPUS}")
    pages = _pages(PDFS)
    print(f"{len(PDFS)} PDFs, {pages} pages, median of {args.runs} runs")
    results = {}
    for name, fn in [("pdfplumber extract_text", run_pdfplumber),
                     ("pypdfium2 get_text_range", run_pypdfium2),
                     ("jixiao read_document", run_jixiao)]:
        seconds = timed(fn, PDFS, args.runs)
        results[name] = pages / seconds
        print(f"  {name:26s} {seconds * 1000:8.1f} ms  {pages / seconds:8.1f} pages/s")
    base = results["pdfplumber extract_text"]
    print(f"  jixiao / pdfplumber speed ratio: {results['jixiao read_document'] / base:.2f}x")
    print(f"  jixiao / pypdfium2 speed ratio:  "
          f"{results['jixiao read_document'] / results['pypdfium2 get_text_range']:.2f}x")
    with tempfile.TemporaryDirectory() as tmp:
        long_pdf = Path(tmp) / "long.pdf"
        make_long_pdf(args.long_pages, long_pdf)
        out = subprocess.run([sys.executable, "-c", PEAK_SNIPPET, str(long_pdf)],
                             capture_output=True, text=True, check=True).stdout.split()
        print(f"{out[0]}-page PDF: {out[1]} characters read, peak RSS {out[2]} MB")


if __name__ == "__main__":
    main()
