"""``jixiao demo``: the README's main command runs the whole loop on a fresh install.

It writes sample reports for three fictional counties over two years with the generator,
plants slips in two of them, ingests them, prints the comparison and the findings, and
drafts the next year's report for one county — all into one output folder. The figures
come from a fixed seed, so the numbers below are the demo's own.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from jixiao.check.rules import RULE_LABELS
from jixiao.cli import main

COUNTIES = ("岚溪县", "桐川县", "枫原县")
REPORT = re.compile(r"（(\w+_\d{4}\.(?:docx|txt))[，）]")
RULE_OF = {label: rule for rule, label in RULE_LABELS.items()}  # findings name rules in Chinese


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("demo") / "out"
    result = CliRunner().invoke(main, ["demo", "--output", str(folder)])
    assert result.exit_code == 0, result.output
    return folder, result.stdout


def _findings_by_report(out: str) -> dict[str, list[str]]:
    """The finding lines printed under each report's summary line in the 核对 part."""
    part = out.split("4. 核对", 1)[1].split("5. 起草", 1)[0]
    found: dict[str, list[str]] = {}
    current = None
    for line in part.splitlines():
        if (m := REPORT.search(line)) and "数字" in line:
            current = m[1]
            found[current] = []
        elif line.startswith(("错误 ", "警告 ")):
            assert current is not None, line
            # each finding ends with its fingerprint (#1f8e4f80, for jixiao review)
            found[current].append(re.sub(r" #[0-9a-f]{8}$", "", line))
    return found


def test_demo_writes_into_the_output_folder_and_says_so(demo_run: tuple[Path, str]) -> None:
    folder, out = demo_run
    assert f"输出目录：{folder.resolve()}" in out
    for name in ("lanxi", "tongchuan"):
        for year in (2024, 2025):
            assert (folder / "samples" / f"{name}_{year}.docx").exists()
    assert (folder / "samples" / "fengyuan_2024.txt").exists()  # one report as plain text
    assert (folder / "samples" / "fengyuan_2025.docx").exists()
    assert "入库 6 份，失败 0 份" in out


def test_demo_compares_three_counties_over_two_years(demo_run: tuple[Path, str]) -> None:
    folder, out = demo_run
    assert "县区年度比较（6 行" in out
    for county in COUNTIES:
        for year in (2024, 2025):
            assert re.search(rf"│ {county} │ {year} ", out), (county, year)
    # The store behind it holds exactly those six reports.
    result = CliRunner().invoke(main, ["compare", "--db", str(folder / "demo.db"),
                                       "--key", "target.projects", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted((r["county"], r["year"]) for r in rows) == sorted(
        (c, y) for c in COUNTIES for y in (2024, 2025))
    projects = {(r["county"], r["year"]): int(r["target.projects"]) for r in rows}
    for county in COUNTIES:
        assert projects[(county, 2025)] > projects[(county, 2024)]  # the second year grows
    assert projects[("岚溪县", 2025)] < projects[("桐川县", 2025)] < projects[("枫原县", 2025)]


def test_demo_finds_the_planted_slips_and_nothing_else(demo_run: tuple[Path, str]) -> None:
    _, out = demo_run
    found = _findings_by_report(out)
    assert sorted(found) == sorted(f"{n}_{y}.{'txt' if (n, y) == ('fengyuan', 2024) else 'docx'}"
                                   for n in ("lanxi", "tongchuan", "fengyuan")
                                   for y in (2024, 2025))
    # 桐川县 2025: "优" 249 retyped as 251 → 251+65+19 = 335 against 333 monitored; the
    # execution rate 42570÷48680 = 87.4% written 88.6%; 4÷7 = 57.1% written 67.1% (so the
    # grade shares no longer add up to 100% either).
    slipped = found.pop("tongchuan_2025.docx")
    rules = [RULE_OF.get(line.split()[1], line.split()[1]) for line in slipped]
    assert sorted(rules) == ["grade-shares", "rate", "share", "sum-of-parts"]
    text = "\n".join(slipped)
    assert "其中各项合计335个（251＋65＋19），与所写总数333个不符" in text
    assert "预算执行率写为88.6%" in text and "应为87.4%" in text
    assert "“优”等次占比写为67.1%，按“优”的4个÷重点评价项目数7个计算应为57.1%" in text
    assert "各等次占比合计110%" in text
    # 枫原县 2024 (the plain-text report): the key evaluation's money left as X万元.
    assert found.pop("fengyuan_2024.txt") == [
        f"错误 {RULE_LABELS['placeholder']} 第1.7节 “重点评价涉及资金”仍是模板占位符“X万元”，"
        "尚未填写实际数字"]
    assert found == {name: [] for name in found}  # the other four reports are clean
    assert "埋下的 4 处差错全部被发现" in out
    # Second-year reports are checked against the first year's.
    assert "（tongchuan_2025.docx，对照上年报告 tongchuan_2024.docx）" in out
    assert "（fengyuan_2025.docx，对照上年报告 fengyuan_2024.txt）" in out


def test_demo_drafts_next_year_from_the_store(demo_run: tuple[Path, str]) -> None:
    from docx import Document

    folder, out = demo_run
    assert "岚溪县2026年度：数字文件 lanxi_2026_figures.yaml，从数据库取岚溪县2025年度报告作为上年报告" in out
    overlap = re.search(r"与上年报告相同的句子占 (\d+)%", out)
    assert overlap and int(overlap[1]) <= 20
    draft = folder / "lanxi_2026_draft.docx"
    doc = Document(str(draft))
    assert doc.paragraphs[0].text == "岚溪县2026年度预算绩效管理工作情况说明"
    assert any(p.style.name == "Heading 1" for p in doc.paragraphs)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert re.search("[较比]上年增加", text) and "X万元" not in text
    assert (folder / "lanxi_2026_draft.md").read_text(encoding="utf-8").startswith(
        "# 岚溪县2026年度预算绩效管理工作情况说明")


def test_every_file_named_in_the_output_exists(demo_run: tuple[Path, str]) -> None:
    folder, out = demo_run
    listing = out.split("7. 写入的文件", 1)[1].splitlines()[1:]
    named = [Path(line.split("  ", 1)[0]) for line in listing if line.strip()]
    # 6 samples, the database, the figures file, the draft twice; from the forms: the
    # province's rules, the figures file and the draft twice
    assert len(named) == 14
    for path in named:
        assert path.is_file(), path
        assert path.is_relative_to(folder.resolve())
    assert {p.name for p in named} >= {"demo.db", "lanxi_2026_figures.yaml",
                                       "lanxi_2026_draft.docx", "lanxi_2026_draft.md"}


def test_demo_runs_again_in_the_same_folder_with_a_fresh_store(
        demo_run: tuple[Path, str]) -> None:
    folder, first = demo_run
    result = CliRunner().invoke(main, ["demo", "--output", str(folder)])
    assert result.exit_code == 0, result.output
    assert "入库 6 份，失败 0 份" in result.stdout
    assert "县区年度比较（6 行" in result.stdout
    assert result.stdout == first  # same seed: the same reports, findings and draft
