"""A handful of slips from the mutation evaluation (bench/mutate_check.py), run as tests:
the untouched corpus reports raise no error on a relation a person found to hold, a slip
that breaks a relation a person annotated is pointed at, and the oracle that decides
"breaks" is the person's arithmetic, not the checker's."""

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
def sources(mc):
    return {key: mc.load_corpus(key) for key in STEMS}


def _slip(mc, source, surface: str, kind: str, new: str):
    index = next(i for i, f in enumerate(source.figures) if f.surface == surface)
    return mc.evaluate(source, mc.make_slip(source, index, kind, new))


def test_untouched_reports_raise_no_false_error(mc, sources) -> None:
    assert {key: mc.false_alarms(s) for key, s in sources.items()} == {k: [] for k in sources}


@pytest.mark.parametrize(("report", "surface", "kind", "new", "rule"), [
    ("002", "39.9%", "off-by-one", "38.9%", "growth"),
    ("002", "61个", "digit-change", "31个", "share"),
    ("003", "188个", "digit-drop", "88个", "sum-of-parts"),
    ("003", "928.56", "digit-swap", "982.56", "rate"),       # a table cell
    ("003", "279个", "off-by-one", "278个", "sum-of-parts"),  # counts are exact
    ("004", "3个", "off-by-one", "4个", "listed-count"),
])
def test_a_slip_that_breaks_a_relation_is_pointed_at(mc, sources, report, surface, kind,
                                                     new, rule) -> None:
    slip = _slip(mc, sources[report], surface, kind, new)
    assert slip.breaks
    assert slip.status == "found", slip.new_findings
    assert rule in slip.found_by
    assert slip.collateral == []


def test_a_unit_slip_is_reported_as_magnitude(mc, sources) -> None:
    # 55134.12万元 written 元 in a rate that already fails by a hair (86.9% for 87.0%)
    slip = _slip(mc, sources["003"], "55134.12万元", "unit", "55134.12元")
    assert "magnitude" in slip.found_by


def test_a_slip_within_rounding_breaks_nothing(mc, sources) -> None:
    # 9993.67 → 9993.64: 9993.64 ÷ 10113.65 = 98.813% still rounds to the stated 98.81%.
    slip = _slip(mc, sources["003"], "9993.67", "digit-change", "9993.64")
    assert not slip.breaks
    assert not any(f.startswith(("rate/error", "table/error")) and "98.81" in f
                   for f in slip.new_findings)


def test_the_oracle_is_the_annotated_arithmetic(mc, sources) -> None:
    judged = {j.rel.kind for j in mc.judged_relations(sources["003"])}
    assert judged == {"rate", "sum", "count"}  # the failing rate and sum are not judged
    # 70 + 188 + 21 = 279: one more in a part breaks it, the other grade's count does not
    # take part in it
    source = sources["003"]
    part = next(i for i, f in enumerate(source.figures) if f.surface == "70个")
    assert mc.make_slip(source, part, "off-by-one", "71个").relations == ["sum"]
    threshold = next(i for i, f in enumerate(source.figures) if f.surface == "20%")
    assert mc.make_slip(source, threshold, "digit-change", "30%").relations == []
