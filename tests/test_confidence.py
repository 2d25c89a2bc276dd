"""Confidence and abstention: a figure's key is given only when the words say it clearly
enough; otherwise the key stays empty, the candidate keys are kept, ``extract`` says the
figure is unsure, and the checks leave it alone. Sentences are our own."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from jixiao.cli import main
from jixiao.extract.attribution import Context, attribute, rules
from jixiao.extract.quantities import find_quantities

MONITORING = Context(stages=("monitoring", "work"), report_year=2024)


def _one(text: str, ctx: Context = MONITORING):
    (result,) = attribute(text, find_quantities(text), ctx)
    return result


def test_cue_in_the_figures_own_clause_is_strong() -> None:
    a = _one("全县共将40个项目纳入绩效运行监控。")
    assert (a.key, a.candidates) == ("monitoring.projects", [])
    assert a.confidence == rules().source_confidence["clause"]


def test_section_alone_speaks_for_a_sentence_that_names_no_stage() -> None:
    a = _one("对32个项目进行评审。")
    assert (a.key, a.candidates) == ("monitoring.projects", [])
    assert a.confidence == rules().source_confidence["section"]


def test_section_contested_by_another_stage_in_the_sentence_abstains() -> None:
    """专家 names capacity, which counts things too but not projects: the monitoring
    heading alone no longer decides, so no key is given and both candidates are kept."""
    a = _one("聘请专家对32个项目进行评审。")
    assert a.key is None
    assert a.candidates == ["monitoring.projects", "evaluation.projects"]
    assert a.confidence < rules().threshold


def test_threshold_is_data(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rules(), "threshold", 0.2)
    assert _one("聘请专家对32个项目进行评审。").key == "monitoring.projects"


def test_a_stage_named_only_as_who_scored_does_not_contest() -> None:
    """第三方机构 before a score names who gave it; capacity holds no scores."""
    a = _one("第三方机构评价得分为84.5分。", Context(stages=("key_eval", "work")))
    assert a.key == "key_eval.score" and a.confidence >= rules().threshold


def test_extract_marks_unsure_figures_and_checks_ignore_them(tmp_path: Path) -> None:
    report = tmp_path / "r.txt"
    report.write_text("一、绩效运行监控\n聘请专家对32个项目进行评审。全县共将40个项目纳入绩效运行监控。\n",
                      encoding="utf-8")
    runner = CliRunner()
    table = runner.invoke(main, ["extract", str(report)])
    assert table.exit_code == 0, table.output
    assert "未定：监控项目数／开展绩效评价的项目数" in table.output
    assert "其中 1 个数字归属未定" in table.output

    from jixiao.api import check_document, extract_file

    extraction = extract_file(str(report))
    metrics = extraction.metrics
    unsure = [m for m in metrics if m.candidates]
    assert [(m.surface, m.key, m.to_dict()["candidates"]) for m in unsure] == [
        ("32个", None, ["monitoring.projects", "evaluation.projects"])]
    result = check_document(extraction)
    assert not any(e.surface == "32个" for f in result.findings for e in f.evidence)
    assert not any(e.surface == "32个" for v in result.verified for e in v.evidence)
