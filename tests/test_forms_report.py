"""The report against its forms (jixiao check --forms) and the draft from forms (jixiao
draft --forms): a report of our own words whose figures the test takes from the figures
the generator meant, one of them retyped."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from jixiao.cli import main
from jixiao.generate.form_samples import FormSamples, write_form_samples

from .test_forms import expected_figures


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> FormSamples:
    return write_form_samples(tmp_path_factory.mktemp("forms"), pdf=False, bad=False)


def n(value: Decimal) -> str:
    return format(value.normalize(), "f")


def report(samples: FormSamples, folder: Path, *, projects_typed: Decimal | None = None) -> Path:
    want = expected_figures(samples)
    projects = want[("self_eval.projects", ())]
    text = "\n".join([
        "青禾县2024年度预算绩效管理工作情况说明",
        "一、工作开展情况",
        "（一）组织绩效自评",
        f"组织{n(projects_typed or projects)}个项目开展绩效自评，"
        f"{n(want[('self_eval.departments', ())])}个单位开展整体绩效自评。"
        f"项目自评平均得分{n(want[('self_eval.avg_score', ())])}分。"
        f"自评结果为“优”的项目{n(want[('self_eval.grade_count', (('grade', '优'),))])}个。",
        "（二）预算执行情况",
        f"全县项目预算金额{n(want[('execution.budget', ())])}万元，实际执行金额"
        f"{n(want[('execution.spent', ())])}万元，预算执行率为{n(want[('execution.rate', ())])}%。",
    ])
    path = folder / "青禾县2024.txt"
    path.write_text(text + "\n", encoding="utf-8")
    return path


def test_report_figures_set_against_the_forms(samples: FormSamples, tmp_path: Path) -> None:
    want = expected_figures(samples)
    typed = want[("self_eval.projects", ())] + 2
    path = report(samples, tmp_path, projects_typed=typed)
    result = CliRunner().invoke(main, ["check", str(path), "--forms", str(samples.folder),
                                       "--format", "json"])
    data = json.loads(result.stdout.splitlines()[0])
    found = [f for f in data["findings"] if f["rule"] == "forms.reconcile"]
    assert len(found) == 1, found
    finding = found[0]
    assert finding["found"] == f"{n(typed)}个"
    assert finding["expected"] == f"{n(want[('self_eval.projects', ())])}个"
    sources = {e.get("source") for e in finding["evidence"]}
    assert None in sources and any(s and s.startswith(str(samples.folder)) for s in sources)
    assert all(e["cell"] for e in finding["evidence"] if e.get("source"))
    held = [v for v in data["verified"] if v["rule"] == "forms.reconcile"]
    assert len(held) >= 5  # departments, average, 优, budget, spent, rate


def test_report_that_agrees_with_its_forms(samples: FormSamples, tmp_path: Path) -> None:
    path = report(samples, tmp_path)
    result = CliRunner().invoke(main, ["check", str(path), "--forms", str(samples.folder),
                                       "--format", "json"])
    data = json.loads(result.stdout.splitlines()[0])
    assert [f for f in data["findings"] if f["rule"] == "forms.reconcile"] == []


def test_draft_straight_from_forms(samples: FormSamples, tmp_path: Path) -> None:
    from jixiao.api import extract_file

    out = tmp_path / "青禾县2024.docx"
    result = CliRunner().invoke(main, ["draft", "--forms", str(samples.folder), "--county",
                                       "青禾县", "--year", "2024", "--no-store", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.exists() and out.with_suffix(".figures.yaml").exists()
    want = expected_figures(samples)
    got = {(m.key, m.value) for m in extract_file(out).metrics if m.key}
    for key in ("self_eval.projects", "self_eval.avg_score", "execution.budget",
                "execution.spent", "execution.rate", "target.projects"):
        assert (key, want[(key, ())]) in got, key


def test_demo_forms_step(tmp_path: Path) -> None:
    """The demo's forms step: every planted slip found (with the example province rule),
    the figures file and the draft written."""
    from jixiao.demo import _forms_step

    written: list = []
    step = _forms_step(tmp_path, "岚溪县", 2025, written)
    summary = next(line for line in step.lines if "埋下的" in line and "发现" in line)
    planted = int(summary.split("埋下的 ")[1].split(" ")[0])
    assert f"发现 {planted} 处" in summary
    assert all(path.is_file() for path, _ in written) and len(written) == 4
