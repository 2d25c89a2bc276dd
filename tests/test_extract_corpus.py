"""Extraction on the four real reports, scored against the gold annotation a person made.

The gold files (corpus/gold/NNN.jsonl) were written by reading the reports; these tests say
how much of it the extractor recovers from each rendition, and check by hand-picked facts
what a reviewer would look at first.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.api import extract_document
from jixiao.extract.evaluation import Level, gold_dir, load_gold, score

from .conftest import STEMS, require

RENDITIONS = [".txt", ".docx", ".pdf"]


@pytest.fixture(scope="session")
def extracted(read_cached):
    cache = {}

    def get(report: str, suffix: str):
        if (report, suffix) not in cache:
            cache[report, suffix] = extract_document(read_cached(report, suffix))
        return cache[report, suffix]

    return get


def _score(extracted, report: str, suffix: str):
    result = extracted(report, suffix)
    return score(report, load_gold(gold_dir() / f"{report}.jsonl"), result.metrics)


@pytest.mark.parametrize("suffix", RENDITIONS)
def test_overall_f1_meets_the_targets(extracted, suffix: str) -> None:
    found, understood = Level(), Level()
    for report in STEMS:
        s = _score(extracted, report, suffix)
        found.add(s.found)
        understood.add(s.understood)
    assert found.f1 >= 0.98, (suffix, found.precision, found.recall)
    assert understood.f1 >= 0.90, (suffix, understood.precision, understood.recall)


@pytest.mark.parametrize("report", list(STEMS))
def test_renditions_agree_within_two_points(extracted, report: str) -> None:
    f1 = [_score(extracted, report, s).understood.f1 for s in RENDITIONS]
    assert max(f1) - min(f1) <= 0.02, dict(zip(RENDITIONS, f1, strict=True))


@pytest.mark.parametrize("report", list(STEMS))
def test_every_figure_is_found_in_the_word_file(extracted, report: str) -> None:
    s = _score(extracted, report, ".docx")
    assert s.found.fn == 0, s.found.misses
    assert s.found.fp == 0, s.found.false_alarms


@pytest.mark.parametrize("suffix", RENDITIONS)
def test_placeholders_of_004_stay_placeholders(extracted, suffix: str) -> None:
    # 004 was published with its template's X个 / X万元 / X％ left in: 22 of them.
    metrics = extracted("004", suffix).metrics
    placeholders = [m for m in metrics if m.placeholder]
    assert len(placeholders) == 22
    assert all(m.value is None for m in placeholders)
    # the nine cuts named one by one, then their total
    cuts = [m for m in placeholders if m.key == "application.cut_amount"]
    assert len(cuts) == 10
    assert sum(1 for m in cuts if "entity" in m.qualifiers) == 9


def _find(metrics, key, value, **quals):
    return [m for m in metrics if m.key == key and m.value == Decimal(value)
            and all(m.qualifiers.get(k) == v for k, v in quals.items())]


@pytest.mark.parametrize("suffix", RENDITIONS)
def test_monitoring_grades_of_003(extracted, suffix: str) -> None:
    m = extracted("003", suffix).metrics
    # 5月: 70 优, 188 良, 21 差 of 279; 8月: 102 优, 203 良, 46 差 of 351.
    for month, grade, n in [(5, "优", 70), (5, "良", 188), (5, "差", 21),
                            (8, "优", 102), (8, "良", 203), (8, "差", 46)]:
        assert _find(m, "monitoring.grade_projects", n, month=month, grade=grade), (month, grade)
    # the 20% deviation bound is a threshold, never a result
    bounds = [x for x in m if x.key == "monitoring.deviation_threshold"]
    assert len(bounds) == 4 and all(x.role == "threshold" for x in bounds)


@pytest.mark.parametrize("suffix", RENDITIONS)
def test_table_of_003_reads_with_header_units(extracted, suffix: str) -> None:
    m = extracted("003", suffix).metrics
    # row 4 of 2023年重点评价清单: 10,113.65 budget, 9993.67 spent, 98.81%, 96.97
    row = "2023年民丰县农业农村和水利局部门整体支出"
    assert _find(m, "key_eval.budget", "10113.65", entity=row, year=2023)
    assert _find(m, "key_eval.spent", "9993.67", entity=row)
    assert _find(m, "key_eval.rate", "98.81", entity=row)
    assert _find(m, "key_eval.score", "96.97", entity=row)


def test_document_numbers_and_names_are_not_figures(extracted) -> None:
    # 003 names 地财综[2022]20号 inside a project name; 004 names 第六幼儿园 and 一期.
    for report in ("003", "004"):
        for m in extracted(report, ".docx").metrics:
            assert m.surface not in {"20", "20号", "六", "一期"}, m


@pytest.mark.ocr
@pytest.mark.slow
@pytest.mark.parametrize(("report", "suffix"), [("002", ".scan.pdf"), ("003", ".nounicode.pdf")])
def test_ocr_renditions_score_as_the_text_layer_pdf(extracted, report: str, suffix: str) -> None:
    """A scan or a PDF without Unicode maps is read as well as the PDF it was made from
    (003's table included: its cells keep their header's unit)."""
    from jixiao.extract.readers.ocr import ocr_available

    if not ocr_available():
        require("ocr", "OCR extra not installed: pip install 'jixiao[ocr]'")
    ocr_score, pdf_score = _score(extracted, report, suffix), _score(extracted, report, ".pdf")
    assert ocr_score.found.f1 == pdf_score.found.f1
    assert ocr_score.understood.f1 == pdf_score.understood.f1
