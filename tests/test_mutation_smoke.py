"""A handful of slips from the mutation evaluation (bench/mutate_check.py), run as tests:
the untouched corpus reports raise no error a person did not judge real, and a slip in a
figure of a relation that holds is pointed at by a new finding."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from .conftest import CORPUS, STEMS, require

BENCH = Path(__file__).resolve().parents[1] / "bench" / "mutate_check.py"


@pytest.fixture(scope="module")
def mc():
    if not all((CORPUS / f"{stem}.txt").exists() for stem in STEMS.values()):
        require("corpus", f"corpus .txt files missing under {CORPUS}")
    spec = importlib.util.spec_from_file_location("mutate_check", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("mutate_check", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def reports(mc):
    return {key: mc.load_report(key) for key in STEMS}


def _slip(mc, rep, surface: str, kind: str, new: str):
    index = next(i for i, m in enumerate(rep.metrics) if m.surface == surface)
    return mc.evaluate_slip(rep, mc.make_slip(rep, index, kind, new))


def test_untouched_reports_raise_no_false_error(mc, reports) -> None:
    false_alarms = [(key, f.rule, f.message) for key, rep in reports.items()
                    for f in rep.result.findings
                    if f.severity == "error" and mc.judged_real(key, f) is None]
    assert false_alarms == []


@pytest.mark.parametrize(("report", "surface", "kind", "new", "rule"), [
    ("002", "39.9%", "share", "38.9%", "growth"),
    ("002", "61个", "digit-change", "31个", "share"),
    ("002", "6.2%", "digit-change", "6.7%", "grade-shares"),
    ("003", "188个", "digit-drop", "88个", "sum-of-parts"),
    ("003", "928.56", "digit-swap", "982.56", "rate"),       # a table cell
    ("004", "3个", "off-by-one", "4个", "listed-count"),
])
def test_a_slip_that_breaks_a_relation_is_pointed_at(mc, reports, report, surface, kind,
                                                     new, rule) -> None:
    slip = _slip(mc, reports[report], surface, kind, new)
    assert slip.breaks
    assert slip.status == "found", slip.new_findings
    assert rule in slip.found_by
    assert slip.collateral == []


def test_a_unit_slip_is_reported_as_magnitude(mc, reports) -> None:
    slip = _slip(mc, reports["003"], "55134.12万元", "unit", "55134.12元")
    assert "magnitude" in slip.found_by


def test_a_slip_within_rounding_breaks_nothing(mc, reports) -> None:
    # 9993.67 → 9993.64: 9993.64 ÷ 10113.65 = 98.813% still rounds to the stated 98.81%.
    slip = _slip(mc, reports["003"], "9993.67", "digit-change", "9993.64")
    assert not slip.breaks
    assert slip.status == "holds"
    assert not any(f.startswith(("rate/error", "table/error")) and "98.81" in f
                   for f in slip.new_findings)


# Regression: counts were once compared with a rounding allowance of 0.5 per term.
def test_a_count_total_off_by_one_is_pointed_at(mc, reports) -> None:
    slip = _slip(mc, reports["003"], "279个", "off-by-one", "278个")
    assert slip.status == "found"


# Regression: growth was once skipped when the derived base was not positive.
def test_an_increase_larger_than_the_total_is_pointed_at(mc, reports) -> None:
    slip = _slip(mc, reports["002"], "270个", "digit-drop", "70个")
    assert slip.status == "found"
