"""The demo's sample reports (:mod:`jixiao.generate.samples`): generated, then slipped.

Each planted slip must be found by the checker under its rule with the changed number, and
nothing else may be: undo the slips and every report checks clean. The figures differ
between a small, a middle and a large county, grow in the second year and come from the
seed alone.
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.api import check_document, extract_file
from jixiao.generate.samples import (
    COUNTIES,
    YEARS,
    Samples,
    county_figures,
    write_figures,
    write_samples,
)

# A slip can break a second relation too: a wrong grade share no longer adds up to 100%.
ALSO = {"share": {"grade-shares"}}


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> Samples:
    return write_samples(tmp_path_factory.mktemp("samples"))


def _check_all(samples: Samples, paths: dict[tuple[str, int], Path]) -> dict[tuple[str, int], list]:
    extractions = {where: extract_file(path) for where, path in paths.items()}
    return {(county, year): check_document(ex, extractions.get((county, year - 1))).findings
            for (county, year), ex in extractions.items()}


def test_three_counties_over_two_years_in_two_formats(samples: Samples) -> None:
    assert len(samples.reports) == 6 and all(p.exists() for p in samples.reports)
    assert sorted(samples.origin.values()) == sorted((c.name, y) for c in COUNTIES for y in YEARS)
    assert {p.suffix for p in samples.reports} == {".docx", ".txt"}
    for path, (county, year) in samples.origin.items():
        doc = extract_file(path).document
        assert (doc.county, doc.year) == (county, year), path
        assert doc.title == f"{county}{year}年度预算绩效管理工作情况说明"


def test_figures_differ_by_county_grow_and_follow_the_seed() -> None:
    small, middle, large = COUNTIES
    for key in ("target.projects", "target.project_amount", "key_eval.projects"):
        values = [county_figures(c, 0)[key] for c in (small, middle, large)]
        assert values == sorted(values) and len(set(values)) == 3, key
    for c in COUNTIES:
        first, second, third = (county_figures(c, i) for i in range(3))
        for key in ("target.projects", "target.project_amount", "evaluation.projects"):
            assert first[key] < second[key] < third[key], (c.name, key)
        assert county_figures(c, 1) == second  # the same seed gives the same figures
    assert county_figures(middle, 0, seed=8) != county_figures(middle, 0)
    # The monitored projects are graded in full; the grade counts add up.
    f = county_figures(middle, 1)
    assert sum(g["value"] for g in f["monitoring.grade_projects"]) == f["target.projects"]


def test_figures_file_reads_back(tmp_path: Path) -> None:
    from jixiao.generate.figures import load_figures

    raw = county_figures(COUNTIES[0], 2)
    loaded = load_figures(write_figures(raw, tmp_path / "f.yaml", county="岚溪县", year=2026))
    assert loaded.get("target.projects") == Decimal(raw["target.projects"])
    assert loaded.get("monitoring.grade_projects", month=8, grade="差") == Decimal(
        raw["monitoring.grade_projects"][2]["value"])
    assert len(loaded.values) == sum(len(v) if isinstance(v, list) else 1 for v in raw.values())


def test_every_slip_is_in_the_text_and_found_with_its_number(samples: Samples) -> None:
    assert {s.rule for s in samples.slips} == {"sum-of-parts", "rate", "share", "placeholder"}
    paths = {where: path for path, where in samples.origin.items()}
    findings = _check_all(samples, paths)
    for slip in samples.slips:
        text = "\n".join(extract_file(slip.path).document.text.splitlines())
        assert slip.after in text.replace("\n", "") and slip.before not in text, slip
        assert slip.found_in(findings[(slip.county, slip.year)]), slip
    # Nothing but the slips: every error is one a slip explains, the unslipped reports are clean.
    for where, found in findings.items():
        rules = {s.rule for s in samples.slips if (s.county, s.year) == where}
        allowed = rules | {r for rule in rules for r in ALSO.get(rule, ())}
        assert {f.rule for f in found} <= allowed, (where, [f.message for f in found])
        assert {f.rule for f in found} >= rules, where
    assert sum(1 for found in findings.values() if found) == 2  # two reports were slipped


def test_slip_expectations_name_the_right_numbers(samples: Samples) -> None:
    by_rule = {s.rule: s for s in samples.slips}
    count = by_rule["sum-of-parts"]
    # The "优" count was raised by 2, so the parts add up to 2 more than the total.
    written = int(count.after.split("项目")[1].rstrip("个"))
    assert written == int(count.before.split("项目")[1].rstrip("个")) + 2
    assert count.expect.startswith("其中各项合计")
    rate = by_rule["rate"]
    assert rate.expect == "应为" + rate.before.split("执行率")[1].lstrip("为")  # as given
    assert by_rule["placeholder"].after.endswith("X万元")
    assert by_rule["placeholder"].path.suffix == ".txt"


def test_without_the_slips_every_report_checks_clean(samples: Samples, tmp_path: Path) -> None:
    from jixiao.generate.samples import _replace

    copies = {}
    for path, where in samples.origin.items():
        copies[where] = tmp_path / path.name
        shutil.copyfile(path, copies[where])
    for slip in samples.slips:
        _replace(copies[samples.origin[slip.path]], slip.after, slip.before)
    findings = _check_all(samples, copies)
    assert findings == {where: [] for where in copies}
