"""Checking time grows linearly with the report's length (issue 14: a report repeated 80
times took four times as long to check as 40 times, not twice)."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from jixiao.api import check_document, extract_document, read_bytes

SAMPLE = Path(__file__).resolve().parents[1] / "corpus" / "sample" / "qinghe_2024.txt"


def _check_seconds(repeats: int) -> float:
    doc = read_bytes(SAMPLE.read_bytes() * repeats, source="repeated.txt", fmt="txt")
    extraction = extract_document(doc)
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        check_document(extraction)
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def test_checking_eight_times_the_text_takes_about_eight_times_as_long() -> None:
    # linear: 8x; before the fix about 26x (quadratic: 64x). 16x leaves room for noise.
    small, large = _check_seconds(20), _check_seconds(160)
    assert large / small < 16, f"20 repeats {small:.3f}s, 160 repeats {large:.3f}s"


def test_sentence_lookup_agrees_with_the_extractor(tmp_path: Path) -> None:
    """The checker finds a figure's sentence by bisection; it must be the sentence
    extract.metrics.sentence_bounds gives (closing mark dropped as before)."""
    from jixiao.check.context import CheckContext
    from jixiao.extract.metrics import sentence_bounds

    doc = read_bytes(SAMPLE.read_bytes(), source="q.txt", fmt="txt")
    extraction = extract_document(doc)
    ctx = CheckContext(doc, extraction.metrics)
    for m in extraction.metrics:
        start, end = sentence_bounds(doc.text, m.start, m.end)
        end = end - 1 if doc.text[end - 1:end] in "。！？\n" else end
        assert ctx.sentence_of(m) == (start, end)
