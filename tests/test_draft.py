"""``jixiao draft``: figures in, a checked draft out (issue 6).

Round trip over every catalog key the templates can express, derived figures, dropped
sentences, problems chosen by the figures, overlap with last year's report, user templates.
The CLI's own behaviour (exit status, messages, --init, problems, passages) is in
test_cli_draft.py.
"""

from __future__ import annotations

import re
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from docx import Document

from jixiao.api import check_document, extract_file
from jixiao.check.tolerance import rounded
from jixiao.cli import main
from jixiao.extract.catalog import load_catalog
from jixiao.generate.derive import derive
from jixiao.generate.draft import PreviousReport, draft_report
from jixiao.generate.figures import Figures, FigureValue, load_figures
from jixiao.generate.problems import _catalog as problem_catalog
from jixiao.generate.problems import choose_topics, draft_problems
from jixiao.generate.render import format_value
from jixiao.generate.wording import sentence_overlap

PACKAGE = Path(str(resources.files("jixiao")))
TEMPLATES = PACKAGE / "templates" / "draft"
PROBLEMS_YAML = PACKAGE / "generate" / "data" / "problems.yaml"

# Figures the generator computes (derive.py); never typed in the sets below.
DERIVED_KEYS = {"monitoring.projects", "evaluation.grade_share", "overall_eval.grade_share",
                "execution.rate", "key_eval.rate", "target.projects_change",
                "target.projects_growth"}

# Catalog keys no template (templates/draft/*.j2, generate/data/problems.yaml) can express;
# test_inexpressible_keys_are_the_known_ones notices when one is added or dropped. They are
# the figures of the sibling documents (a budget execution report's headline figures, one
# project's self-evaluation form, a bulletin's grade amounts and score lines), which a
# county's work report does not restate.
INEXPRESSIBLE: set[str] = {
    "evaluation.grade_amount", "evaluation.grade_threshold",
    *(f"self_eval.{m}" for m in ("budget_initial", "budget_full", "spent", "rate", "weight",
                                 "score", "target_value", "actual_value")),
    *(f"budget.{m}" for m in (
        "general_revenue", "general_revenue_growth", "tax_revenue", "tax_revenue_growth",
        "nontax_revenue", "nontax_revenue_growth", "general_expenditure",
        "general_expenditure_growth", "revenue_total", "expenditure_total", "transfer_revenue",
        "debt_transfer_revenue", "debt_repayment", "carryover_in", "carryover_out",
        "funds_transferred_in", "stabilization_used", "stabilization_set", "remitted_up",
        "fund_revenue", "fund_revenue_growth", "fund_expenditure", "fund_expenditure_growth",
        "revenue_completion", "expenditure_completion", "tax_share", "debt_balance")),
    # counted from the units' forms (jixiao forms) for the drafter's reference
    "self_eval.grade_count", "self_eval.grade_share", "self_eval.deviation_count",
    "monitoring.deviation_count",
}


def template_keys() -> set[str]:
    """Every key a template or a problem phrasing writes or tests."""
    keys: set[str] = set()
    sources = [p.read_text("utf-8") for p in sorted(TEMPLATES.glob("*.j2"))]
    sources.append(PROBLEMS_YAML.read_text("utf-8"))
    for text in sources:
        keys |= set(re.findall(r"f\.(?:n|has|v|grades|months)\(\s*'([\w.]+)'", text))
    return keys


# ------------------------------------------------------------------------------ figure sets
# Set A: every amount below 1亿元, monitoring in May, grades 优/良/中/差, execution under 90%.
SET_A: dict[str, Any] = {
    "pre_assessment.threshold": 30, "pre_assessment.projects": 9, "pre_assessment.amount": 1850.6,
    "target.projects": 146, "target.project_amount": 8630.4, "target.departments": 31,
    "target.department_amount": 9480, "target.coverage": 98.6, "target.approved": 140,
    "target.revisions": 42,
    "monitoring.projects": 146, "monitoring.amount": 7920.3,
    "monitoring.grade_projects": [{"month": 5, "grade": "优", "value": 90},
                                  {"month": 5, "grade": "良", "value": 40},
                                  {"month": 5, "grade": "中", "value": 10},
                                  {"month": 5, "grade": "差", "value": 6}],
    "monitoring.grade_amount": [{"month": 5, "grade": "优", "value": 5100.2},
                                {"month": 5, "grade": "差", "value": 310.5}],
    "monitoring.supervised": [{"month": 5, "value": 6}],
    "monitoring.rectified_rate": 87.5, "monitoring.deadline_days": 15,
    "self_eval.projects": 146, "self_eval.departments": 31, "self_eval.reports": 31,
    "self_eval.coverage": 100, "self_eval.avg_score": 88.7, "self_eval.review_score": 90.2,
    "dept_eval.sample_share": 15, "dept_eval.projects": 12, "dept_eval.cycle_years": 5,
    "dept_eval.score": 86.5,
    "evaluation.projects": 160, "evaluation.amount": 9200.8,
    "key_eval.projects": 4, "key_eval.departments": 2, "key_eval.amount": 2400.5,
    "key_eval.units": 3,
    "evaluation.grade_count": [{"grade": "优", "value": 1}, {"grade": "良", "value": 2},
                               {"grade": "中", "value": 1}],
    "overall_eval.departments": 8, "overall_eval.amount": 3100,
    "overall_eval.grade_count": [{"grade": "优", "value": 5}, {"grade": "良", "value": 3}],
    "overall_eval.score": 89.3,
    "execution.budget": 9350, "execution.spent": 7800.6, "execution.target_completion": 85.2,
    "application.cut_projects": 3, "application.cut_amount": 120.5,
    "application.rectify_projects": 2, "application.rectify_days": 20,
    "application.rectify_amount": 86,
    "disclosure.projects": 146,
    "capacity.staff": 2, "capacity.staff_before": 1, "capacity.staff_change": 1,
    "capacity.third_parties": 2, "capacity.experts": 18,
    "key_eval.budget": 2380.5, "key_eval.spent": 2150.6, "key_eval.score": 88.6,
    "evaluation.score": 87.9, "dept_eval.share": 8.2, "dept_eval.review_score": 90.5,
    "overall_eval.reports": 8, "monitoring.deviation_threshold": 20,
    "focus.projects": 11, "focus.amount": 3650.8,
}
SET_A_PREVIOUS_PROJECTS = 120  # → 较上年增加26个, 增长21.7%

# Set B: amounts above 1亿元, monitoring in August, other grades, execution above 90%.
SET_B: dict[str, Any] = {
    "pre_assessment.threshold": 100, "pre_assessment.projects": 27,
    "pre_assessment.amount": 15230.8,
    "target.projects": 512, "target.project_amount": 128400.5, "target.departments": 76,
    "target.department_amount": 256000, "target.coverage": 100, "target.approved": 498,
    "target.revisions": 203,
    "monitoring.projects": 512, "monitoring.amount": 118000,
    "monitoring.grade_projects": [{"month": 8, "grade": "优", "value": 350},
                                  {"month": 8, "grade": "良", "value": 120},
                                  {"month": 8, "grade": "中", "value": 30},
                                  {"month": 8, "grade": "差", "value": 12}],
    "monitoring.grade_amount": [{"month": 8, "grade": "优", "value": 80500},
                                {"month": 8, "grade": "良", "value": 21000.6}],
    "monitoring.supervised": [{"month": 8, "value": 12}],
    "monitoring.rectified_rate": 96.8, "monitoring.deadline_days": 30,
    "self_eval.projects": 512, "self_eval.departments": 76, "self_eval.reports": 76,
    "self_eval.coverage": 100, "self_eval.avg_score": 93.6, "self_eval.review_score": 94.8,
    "dept_eval.sample_share": 25, "dept_eval.projects": 40, "dept_eval.cycle_years": 3,
    "dept_eval.score": 91.8,
    "evaluation.projects": 560, "evaluation.amount": 142000,
    "key_eval.projects": 12, "key_eval.departments": 3, "key_eval.amount": 35600,
    "key_eval.units": 9,
    "evaluation.grade_count": [{"grade": "良", "value": 6}, {"grade": "中", "value": 4},
                               {"grade": "差", "value": 2}],
    "overall_eval.departments": 20, "overall_eval.amount": 61000,
    "overall_eval.grade_count": [{"grade": "优", "value": 14}, {"grade": "中", "value": 5},
                                 {"grade": "差", "value": 1}],
    "overall_eval.score": 92.6,
    "execution.budget": 132500, "execution.spent": 125800, "execution.target_completion": 95.5,
    "application.cut_projects": 7, "application.cut_amount": 1260,
    "application.rectify_projects": 5, "application.rectify_days": 45,
    "application.rectify_amount": 980,
    "disclosure.projects": 512,
    "capacity.staff": 8, "capacity.staff_before": 6, "capacity.staff_change": 2,
    "capacity.third_parties": 6, "capacity.experts": 120,
    "key_eval.budget": 35800.5, "key_eval.spent": 33920.4, "key_eval.score": 91.2,
    "evaluation.score": 90.3, "dept_eval.share": 12.5, "dept_eval.review_score": 93.1,
    "overall_eval.reports": 20, "monitoring.deviation_threshold": 15,
    "focus.projects": 36, "focus.amount": 48000,
}
SET_B_PREVIOUS_PROJECTS = 450  # → 较上年增加62个, 增长13.8%

SETS = {"A": (SET_A, SET_A_PREVIOUS_PROJECTS), "B": (SET_B, SET_B_PREVIOUS_PROJECTS)}

# Rules and rates a county keeps from year to year; everything else moves.
STABLE = ("threshold", "coverage", "deadline_days", "cycle_years", "sample_share",
          "rectify_days", "capacity.staff", "third_parties")


def next_year(figures: dict[str, Any]) -> dict[str, Any]:
    """A plausible next year: counts and amounts grow, rules stay, rates move a little."""
    out: dict[str, Any] = {}
    for key, value in figures.items():
        if isinstance(value, list):
            out[key] = [dict(item, value=item["value"] + 1) for item in value]
        elif key.endswith(STABLE):
            out[key] = value
        elif key.endswith(("rate", "completion", "score")):
            out[key] = round(value - 0.4, 1)
        elif isinstance(value, int):
            out[key] = value + 3
        else:
            out[key] = round(value * 1.07, 1)
    # staff stays as it was (STABLE): no one joined, so no before/after to state
    out.pop("capacity.staff_before", None)
    out.pop("capacity.staff_change", None)
    # the year's monitored projects include each checkpoint's (graded parts grew by one each)
    checkpoint = sum(item["value"] for item in out.get("monitoring.grade_projects", []))
    if "monitoring.projects" in out:
        out["monitoring.projects"] = max(out["monitoring.projects"], checkpoint)
    return out


def write_figures(path: Path, figures: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(figures, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def as_figures(data: dict[str, Any]) -> Figures:
    values = []
    for key, raw in data.items():
        for item in raw if isinstance(raw, list) else [{"value": raw}]:
            quals = {k: v for k, v in item.items() if k != "value"}
            values.append(FigureValue(key, Decimal(str(item["value"])), quals))
    return Figures(values)


def previous_with(projects: int) -> PreviousReport:
    return PreviousReport(Figures([FigureValue("target.projects", Decimal(projects))]), "")


def triple(key: str, value: Decimal, quals: dict[str, Any]) -> tuple[str, str, frozenset]:
    return key, format(value.normalize(), "f"), frozenset(quals.items())


def docx_paragraphs(path: Path) -> list[str]:
    return [p.text.strip() for p in Document(str(path)).paragraphs if p.text.strip()]


def body_text(result_paths: list[Path]) -> str:
    """All text a user sees: the .docx paragraphs and the .md file."""
    docx = next(p for p in result_paths if p.suffix == ".docx")
    md = next(p for p in result_paths if p.suffix == ".md")
    return "\n".join(docx_paragraphs(docx)) + "\n" + md.read_text("utf-8")


# --------------------------------------------------------------------------------- coverage
def test_template_keys_are_catalog_keys() -> None:
    assert template_keys() - set(load_catalog().indicators) == set()


def test_inexpressible_keys_are_the_known_ones() -> None:
    """Keep the comment above in step with the templates."""
    assert set(load_catalog().indicators) - template_keys() == INEXPRESSIBLE


@pytest.mark.parametrize("name", sorted(SETS))
def test_figure_set_covers_every_template_key(name: str) -> None:
    figures, _ = SETS[name]
    assert set(figures) & DERIVED_KEYS <= {"monitoring.projects"}  # the plain total only
    assert template_keys() - set(figures) - DERIVED_KEYS == set()


# ------------------------------------------------------------------------------- round trip
def stage_wordings() -> dict[str, list[Path]]:
    """Each stage's phrasings as files: <stage>.j2, <stage>.2.j2, …"""
    out: dict[str, list[Path]] = {}
    for path in TEMPLATES.glob("*.j2"):
        out.setdefault(path.name.partition(".")[0], []).append(path)
    number = lambda p: int(p.suffixes[0][1:]) if len(p.suffixes) > 1 else 1  # noqa: E731
    return {stage: sorted(paths, key=number) for stage, paths in sorted(out.items())}


WORDINGS = max(len(paths) for paths in stage_wordings().values())
# every figure set drafted with every phrasing: ("A", 1), ("A", 2), ("B", 1), …
TRIPS = [(name, n) for name in sorted(SETS) for n in range(1, WORDINGS + 1)]
TRIP_IDS = [f"{name}-wording{n}" for name, n in TRIPS]


@pytest.fixture(scope="module")
def round_trips(tmp_path_factory) -> dict[tuple[str, int], dict[str, Any]]:
    """Each figure set drafted once per phrasing: figures in (given + derived), the result,
    extraction."""
    out = {}
    for name, wording in TRIPS:
        data, before = SETS[name]
        tmp = tmp_path_factory.mktemp(f"set{name}{wording}")
        path = write_figures(tmp / "figures.yaml", data)
        previous = previous_with(before)
        result = draft_report(path, county="青禾县", year=2025, output=tmp / "draft.docx",
                              previous=previous, issued="2026年1月20日", wording=wording)
        given = derive(load_figures(path), previous.figures, str(path))
        out[name, wording] = {"result": result, "given": given,
                              "extraction": extract_file(result.paths[0])}
    return out


@pytest.mark.parametrize("trip", TRIPS, ids=TRIP_IDS)
def test_round_trip_figures_in_equal_figures_extracted(round_trips, trip) -> None:
    trip = round_trips[trip]
    given = {triple(v.key, v.value, v.qualifiers) for v in trip["given"].values}
    extracted = {triple(m.key, m.value, m.qualifiers) for m in trip["extraction"].metrics
                 if m.key and m.value is not None}
    assert {k for k, _, _ in given} >= template_keys()  # every expressible key is in play
    assert given - extracted == set(), "given but not read back from the draft"
    assert extracted - given == set(), "read back from the draft but never given"


@pytest.mark.parametrize("trip", TRIPS, ids=TRIP_IDS)
def test_round_trip_checker_finds_no_error(round_trips, trip) -> None:
    findings = check_document(round_trips[trip]["extraction"]).findings
    assert [f.message for f in findings if f.severity == "error"] == []


@pytest.mark.parametrize("trip", TRIPS, ids=TRIP_IDS)
def test_round_trip_derived_figures_are_stated(round_trips, trip) -> None:
    derived = [v for v in round_trips[trip]["given"].values if v.derived]
    assert {v.key for v in derived} == DERIVED_KEYS
    text = "".join(docx_paragraphs(round_trips[trip]["result"].paths[0]))
    for v in derived:
        assert format_value(v.key, v.value) in text, (v.key, v.value)


@pytest.mark.parametrize("trip", TRIPS, ids=TRIP_IDS)
def test_round_trip_draws_every_section_from_the_asked_phrasing(round_trips, trip) -> None:
    """Wording N really was used: each section's text begins as its N-th template does."""
    text = "".join(docx_paragraphs(round_trips[trip]["result"].paths[0]))
    for stage, paths in stage_wordings().items():
        source = paths[trip[1] - 1].read_text("utf-8")
        opening = re.split(r"\{[{%]", source, maxsplit=1)[0].strip()
        if len(opening) >= 4:  # a template that opens with its own words
            assert opening in text, (stage, opening)


def test_every_stage_has_phrasings_that_state_the_same_figures() -> None:
    """Choosing a phrasing must never cost a figure: all phrasings of a stage use the
    same keys."""
    for stage, paths in stage_wordings().items():
        assert len(paths) >= 2, f"{stage} has one phrasing"
        keys = [set(re.findall(r"f\.(?:n|has|grades|months)\(\s*'([\w.]+)'",
                               p.read_text("utf-8"))) for p in paths]
        assert all(k == keys[0] for k in keys), (stage, keys)


def test_round_trip_writes_amounts_in_the_unit_a_report_uses(round_trips) -> None:
    """Below 1亿 in 万元, from 1亿 up in 亿元."""
    text_a = "".join(docx_paragraphs(round_trips["A", 1]["result"].paths[0]))
    text_b = "".join(docx_paragraphs(round_trips["B", 1]["result"].paths[0]))
    assert "8630.4万元" in text_a and "亿元" not in text_a
    assert "25.6亿元" in text_b and "13.25亿元" in text_b


# ---------------------------------------------------------------------------- derived figures
@pytest.mark.parametrize(("spent", "budget", "rate"), [
    ("8765", "10000", "87.7"),     # exactly on the half: half up, as the checker rounds
    ("2", "3", "66.7"),
    ("42100", "46800", "90.0"),    # 89.957… keeps its decimal
    ("125800", "132500", "94.9"),
])
def test_rate_is_spent_over_budget_rounded_as_the_checker_rounds(spent: str, budget: str,
                                                                   rate: str) -> None:
    figures = derive(as_figures({"execution.spent": spent, "execution.budget": budget}))
    got = figures.get("execution.rate")
    assert got == rounded(Decimal(spent) / Decimal(budget) * 100, 1)
    assert format(got, "f") == rate
    assert [v.derived for v in figures.all("execution.rate")] == [True]


def test_shares_and_totals_are_derived_from_their_parts() -> None:
    figures = derive(as_figures({
        "key_eval.projects": 7,
        "evaluation.grade_count": [{"grade": "优", "value": 3}, {"grade": "良", "value": 4}],
        "overall_eval.departments": 9,
        "overall_eval.grade_count": [{"grade": "优", "value": 2}],
        "monitoring.grade_projects": [{"month": 8, "grade": "优", "value": 30},
                                      {"month": 8, "grade": "差", "value": 5}],
    }), previous_with(10).figures)
    assert figures.get("evaluation.grade_share", grade="优") == Decimal("42.9")
    assert figures.get("evaluation.grade_share", grade="良") == Decimal("57.1")
    assert figures.get("overall_eval.grade_share", grade="优") == Decimal("22.2")
    assert figures.get("monitoring.projects", month=8) == 35
    assert figures.get("target.projects_change") is None  # no target.projects this year


# ------------------------------------------------------------------ missing figures, numbering
FORBIDDEN = ("X", "x", "×", "缺", "None", "\u2063", "{{", "}}", "{%")


def assert_clean(text: str) -> None:
    for bad in FORBIDDEN:
        assert bad not in text, f"{bad!r} in the draft"
    assert not any(ord(c) >= 0xF0000 for c in text), "a private figure mark reached the draft"


def headings(path: Path) -> tuple[list[str], list[str]]:
    paras = docx_paragraphs(path)
    top = [p for p in paras if re.match(r"^[一二三四五六七八九十]+、", p)]
    second = [p for p in paras if re.match(r"^（[一二三四五六七八九十]+）", p)]
    return top, second


def outline_headings() -> dict[str, str]:
    outline = yaml.safe_load((TEMPLATES / "outline.yaml").read_text("utf-8"))
    return {s["stage"]: s["heading"] for part in outline["parts"] for s in part.get("sections", [])}


def test_missing_figures_drop_their_sentences(tmp_path: Path) -> None:
    # one figure of a sentence missing (spent without budget, a rate without its parts,
    # a grade count without the number evaluated, month totals without grades)
    data = {
        "target.projects": 230, "target.coverage": 100,
        "execution.spent": 4100,                      # budget missing: its sentence goes
        "execution.target_completion": 93.2,
        "evaluation.grade_count": [{"grade": "优", "value": 4}, {"grade": "良", "value": 2}],
        "overall_eval.grade_count": [{"grade": "优", "value": 3}],
        "monitoring.supervised": [{"month": 9, "value": 7}],
        "capacity.experts": 40,
    }
    result = draft_report(write_figures(tmp_path / "f.yaml", data), county="青禾县", year=2025,
                          output=tmp_path / "d.docx", issued="2026年1月20日")
    text = body_text(result.paths)
    assert_clean(text)
    assert "230个" in text and "93.2%" in text and "40人" in text
    assert "4100万元" not in text  # spent alone has no sentence of its own


def test_every_paragraph_ends_a_sentence(tmp_path: Path) -> None:
    """A kept sentence never ends on a comma left by a dropped clause."""
    data = {
        "evaluation.grade_count": [{"grade": "优", "value": 4}, {"grade": "良", "value": 2}],
        "execution.budget": 5000, "execution.target_completion": 91.5, "capacity.staff": 3,
    }
    result = draft_report(write_figures(tmp_path / "f.yaml", data), county="青禾县", year=2025,
                          output=tmp_path / "d.docx", issued="2026年1月20日")
    top, second = headings(result.paths[0])
    body = [p for p in docx_paragraphs(result.paths[0])[1:-2] if p not in top + second]
    for para in body:
        assert para.endswith(("。", "：")), para


def test_section_without_figures_is_left_out_and_numbering_stays_continuous(tmp_path: Path
                                                                             ) -> None:
    data = {  # target, self_eval and capacity only; execution has a figure but no sentence
        "target.projects": 180, "target.project_amount": 9100,
        "self_eval.projects": 180, "self_eval.avg_score": 90.1,
        "execution.spent": 800,
        "capacity.staff": 4, "capacity.third_parties": 3,
    }
    result = draft_report(write_figures(tmp_path / "f.yaml", data), county="青禾县", year=2025,
                          output=tmp_path / "d.docx", issued="2026年1月20日")
    top, second = headings(result.paths[0])
    names = outline_headings()
    assert second == [f"（一）{names['target']}", f"（二）{names['self_eval']}",
                      f"（三）{names['capacity']}"]
    assert [t.split("、")[0] for t in top] == ["一", "二", "三"]
    md = result.paths[1].read_text("utf-8")
    assert names["execution"] not in md and names["pre_assessment"] not in md
    assert_clean(body_text(result.paths))


def test_an_empty_figures_file_makes_no_draft(tmp_path: Path) -> None:
    """It used to give a 'report' of an introduction and generic problems and measures."""
    from jixiao.generate.figures import FiguresError

    with pytest.raises(FiguresError, match="没有填写任何数字"):
        draft_report(write_figures(tmp_path / "f.yaml", {}), county="青禾县", year=2025,
                     output=tmp_path / "d.docx", issued="2026年1月20日")
    assert not (tmp_path / "d.docx").exists()


# ------------------------------------------------------------------------------------ problems
def topics_for(data: dict[str, Any]) -> list[str]:
    return [t.topic for t in choose_topics(derive(as_figures(data)))]


def test_staff_topic_follows_the_staff_figure() -> None:
    assert "staff" in topics_for({"capacity.staff": 1, "target.projects": 300})
    assert "staff" not in topics_for({"capacity.staff": 8, "target.projects": 300})


def test_monitoring_topic_follows_the_execution_rate() -> None:
    slow = {"execution.budget": 10000, "execution.spent": 8700}     # 87.0%
    fine = {"execution.budget": 10000, "execution.spent": 9600}     # 96.0%
    edge = {"execution.budget": 10000, "execution.spent": 9000}     # 90.0%: not under 90
    assert "monitoring" in topics_for(slow)
    assert "monitoring" not in topics_for(fine)
    assert "monitoring" not in topics_for(edge)


def test_problems_text_changes_with_the_figures() -> None:
    weak = derive(as_figures({"capacity.staff": 1, "capacity.third_parties": 1,
                              "execution.budget": 10000, "execution.spent": 8000}))
    strong = derive(as_figures({"capacity.staff": 9, "capacity.third_parties": 7,
                                "execution.budget": 10000, "execution.spent": 9800}))
    p_weak, m_weak, t_weak = draft_problems(weak, year=2025)
    p_strong, m_strong, t_strong = draft_problems(strong, year=2025)
    assert set(t_weak) == {"staff", "third_party", "monitoring"}
    assert not set(t_strong) & {"staff", "third_party", "monitoring"}
    assert p_weak != p_strong and m_weak != m_strong


@pytest.mark.parametrize("data", [
    {},
    {"capacity.staff": 9},
    {"capacity.staff": 1},
    {"capacity.staff": 1, "capacity.third_parties": 1, "execution.budget": 100,
     "execution.spent": 50, "key_eval.projects": 1, "target.projects": 500,
     "target.project_amount": 90000, "application.cut_amount": 10,
     "monitoring.projects": 100,
     "monitoring.grade_projects": [{"month": 6, "grade": "优", "value": 50},
                                   {"month": 6, "grade": "差", "value": 50}]},
], ids=["none", "no-trigger", "one-trigger", "all-triggers"])
def test_two_to_four_topics_each_with_its_measure(data: dict[str, Any]) -> None:
    problems, measures, topics = draft_problems(derive(as_figures(data)), year=2025)
    assert 2 <= len(topics) <= 4
    assert len(problems) == len(measures) == len(topics)
    assert len(set(topics)) == len(topics)
    numerals = "一二三四"
    for i, (p, m) in enumerate(zip(problems, measures, strict=True)):
        assert p.startswith(f"{numerals[i]}是") and m.startswith(f"{numerals[i]}是")
        assert_clean(p + m)


# For each triggered topic: figures that raise it, and the figure text its paragraph cites.
TRIGGERED = {
    "staff": ({"capacity.staff": 1, "target.projects": 300}, ["1人"]),
    "third_party": ({"capacity.third_parties": 1}, ["1家"]),
    "monitoring": ({"execution.budget": 10000, "execution.spent": 8500}, ["85.0%"]),
    "monitoring_deviation": ({"monitoring.projects": 100, "monitoring.grade_projects": [
        {"month": 6, "grade": "优", "value": 80}, {"month": 6, "grade": "差", "value": 20}]},
        ["20个", "20%", "20.0%"]),
    "coverage": ({"key_eval.projects": 2, "target.projects": 300}, ["2个"]),
    "results_use": ({"application.cut_amount": 50, "target.project_amount": 60000}, ["50万元"]),
}


def test_every_triggered_topic_has_a_citation_case() -> None:
    assert {t["topic"] for t in problem_catalog()["topics"]} == set(TRIGGERED)


@pytest.mark.parametrize("topic", sorted(TRIGGERED))
@pytest.mark.parametrize("year", [2024, 2025])  # the phrasing depends on the year
def test_problem_paragraph_cites_the_figure_behind_it(topic: str, year: int) -> None:
    data, cited = TRIGGERED[topic]
    problems, _, topics = draft_problems(derive(as_figures(data)), year=year)
    assert topic in topics
    paragraph = problems[topics.index(topic)]
    assert any(c in paragraph for c in cited), f"{topic}: {paragraph} cites none of {cited}"


def test_deviation_topic_is_judged_per_checkpoint_not_summed_over_months() -> None:
    """差 4% in May and 4% in August is not 8% of the projects monitored."""
    data = {"monitoring.projects": 500, "monitoring.grade_projects": [
        {"month": 5, "grade": "优", "value": 480}, {"month": 5, "grade": "差", "value": 20},
        {"month": 8, "grade": "优", "value": 480}, {"month": 8, "grade": "差", "value": 20}]}
    assert "monitoring_deviation" not in topics_for(data)


def test_problems_and_measures_differ_from_last_years_when_the_same_topics_recur() -> None:
    """Two years running with the same topics raised: the phrasings change (≤ 20% alike)."""
    figures = derive(as_figures(TRIGGERED["monitoring_deviation"][0]
                                | TRIGGERED["results_use"][0]))
    p1, m1, _ = draft_problems(figures, year=2025)
    last = "\n".join(p1 + m1)
    p2, m2, _ = draft_problems(figures, year=2026, previous_text=last)
    share = sentence_overlap("\n".join(p2 + m2), last)
    assert share <= 0.2, f"{share:.0%} of the problems/measures sentences repeat last year's"


# ------------------------------------------------------------------------------------ overlap
def _draft_cli(*args: object) -> str:
    result = CliRunner().invoke(main, ["draft", *map(str, args)])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("name", sorted(SETS))
def test_next_years_draft_from_this_years_draft_overlaps_at_most_20_percent(
        tmp_path: Path, name: str) -> None:
    this_year, _ = SETS[name]
    first = tmp_path / "2025.docx"
    _draft_cli(write_figures(tmp_path / "2025.yaml", this_year), "--county", "青禾县",
               "--year", 2025, "--no-store", "-o", first)
    second = tmp_path / "2026.docx"
    out = _draft_cli(write_figures(tmp_path / "2026.yaml", next_year(this_year)),
                     "--county", "青禾县", "--year", 2026, "--previous", first, "-o", second)
    shown = re.search(r"相同的句子占\s*(\d+)%", out)
    assert shown, out
    # measured independently, on the text read back from both .docx files
    last = "\n".join(docx_paragraphs(first))
    top, sub = headings(second)
    now = "\n".join(p for p in docx_paragraphs(second)[1:] if p not in top + sub)  # body only
    share = sentence_overlap(now, last)
    repeated = [s for s in re.split(r"(?<=[。；])", now)
                if len(s) > 8 and re.sub(r"\s+", "", s) in re.sub(r"\s+", "", last)]
    assert share <= 0.2, f"{share:.0%} repeated: {repeated}"
    assert int(shown.group(1)) <= 20, out


@pytest.mark.parametrize("name", sorted(SETS))
def test_same_figures_two_years_running_still_give_a_fresh_text(tmp_path: Path,
                                                                name: str) -> None:
    """A county whose figures did not move: the draft takes the other phrasings, so it
    does not hand in last year's sentences (with one phrasing per section: 75–82 %)."""
    figures, _ = SETS[name]
    first = tmp_path / "2025.docx"
    _draft_cli(write_figures(tmp_path / "2025.yaml", figures), "--county", "青禾县",
               "--year", 2025, "--no-store", "-o", first)
    second = tmp_path / "2026.docx"
    _draft_cli(write_figures(tmp_path / "2026.yaml", figures), "--county", "青禾县",
               "--year", 2026, "--previous", first, "-o", second)
    last = "\n".join(docx_paragraphs(first))
    top, sub = headings(second)
    now = "\n".join(p for p in docx_paragraphs(second)[1:] if p not in top + sub)
    assert sentence_overlap(now, last) <= 0.2


# ------------------------------------------------------------------------------ user templates
def test_user_template_overrides_the_builtin_one(tmp_path: Path) -> None:
    folder = tmp_path / "tpl"
    folder.mkdir()
    (folder / "capacity.j2").write_text(
        "本局配备预算绩效管理专职人员{{ f.n('capacity.staff') }}，"
        "另有专家库专家{{ f.n('capacity.experts') }}。\n", "utf-8")
    data = {"capacity.staff": 5, "capacity.experts": 27, "target.projects": 200}
    result = draft_report(write_figures(tmp_path / "f.yaml", data), county="青禾县", year=2025,
                          output=tmp_path / "d.docx", templates=folder, issued="2026年1月20日")
    text = "".join(docx_paragraphs(result.paths[0]))
    assert "本局配备预算绩效管理专职人员5人，另有专家库专家27人。" in text
    for builtin in sorted(TEMPLATES.glob("capacity*.j2")):  # no built-in phrasing either
        words = max(re.split(r"\{[{%].*?[}%]\}", builtin.read_text("utf-8")), key=len)
        assert words.strip() and words.strip() not in text
    assert "200个" in text  # the other sections still come from the built-in templates
    got = {(m.key, m.value) for m in extract_file(result.paths[0]).metrics}
    assert {("capacity.staff", 5), ("capacity.experts", 27)} <= got
