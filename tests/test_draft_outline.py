"""A draft follows last year's outline: its headings, their order, its part titles.

The unit tests build last year's sections by hand; the corpus tests draft next year's report
after each of the four real reports and compare the draft's headings with the headings a
person reads in that report (the docx of ../shared/corpus).
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from docx import Document

from jixiao.cli import main
from jixiao.generate.draft import PreviousReport, draft_report, previous_from_file
from jixiao.generate.figures import Figures
from jixiao.generate.outline import PreviousSection, follow_previous

from .conftest import corpus_file

FIGURES = Path(__file__).parent / "data" / "figures_qinghe_2025.yaml"
OUTLINE = yaml.safe_load(
    resources.files("jixiao").joinpath("templates", "draft", "outline.yaml").read_text("utf-8"))


def work_sections(outline: dict) -> list[tuple[str, str]]:
    return [(s["stage"], s["heading"]) for s in outline["parts"][0]["sections"]]


def part_headings(outline: dict) -> list[str]:
    return [p["heading"] for p in outline["parts"]]


# ------------------------------------------------------------------------ follow_previous
LAST_YEAR = [
    PreviousSection("一、主要做法", 1, "work"),
    PreviousSection("（一）强化运行监控，压实主体责任", 2, "monitoring"),
    PreviousSection("（二）2024年绩效目标审核", 2, "target"),
    PreviousSection("（三）完善制度体系", 2, "system"),  # no template fills it: not taken
    PreviousSection("（四）再谈监控", 2, "monitoring"),  # a stage is taken once, first wins
    PreviousSection("二、存在的不足", 1, "problems"),
    PreviousSection("（一）人员偏少", 2, "problems"),
    PreviousSection("三、2025年改进措施", 1, "measures"),
]


def test_headings_and_order_come_from_last_year() -> None:
    outline, kept = follow_previous(OUTLINE, LAST_YEAR, year=2025)
    sections = work_sections(outline)
    stages = [stage for stage, _ in sections]
    # last year's two sections in last year's order; 事前评估 (ours only, before 绩效目标 in
    # our outline) goes just before it; the rest keep our order after them
    assert stages[:3] == ["monitoring", "pre_assessment", "target"]
    assert stages[3:] == [s for s, _ in work_sections(OUTLINE) if s not in stages[:3]]
    headings = dict(sections)
    assert headings["monitoring"] == "强化运行监控，压实主体责任"
    assert headings["target"] == "2025年绩效目标审核"  # the year set to the draft's
    assert headings["pre_assessment"] == dict(work_sections(OUTLINE))["pre_assessment"]
    assert part_headings(outline) == ["主要做法", "存在的不足", "2025年改进措施"]
    assert kept == 5  # two sections and three parts


def test_our_outline_is_left_as_it_was() -> None:
    before = yaml.safe_dump(OUTLINE, allow_unicode=True)
    follow_previous(OUTLINE, LAST_YEAR, year=2025)
    assert yaml.safe_dump(OUTLINE, allow_unicode=True) == before


def test_run_in_paragraph_and_unnumbered_text_are_no_headings() -> None:
    long = "（一）" + "围绕预算编制、执行和监督全过程，" * 4 + "推进绩效目标管理。"
    outline, kept = follow_previous(OUTLINE, [PreviousSection(long, 2, "target")], year=2025)
    assert dict(work_sections(outline))["target"] == dict(work_sections(OUTLINE))["target"]
    assert kept == 0


def test_last_years_county_becomes_this_drafts() -> None:
    previous = [PreviousSection("（三）石门县绩效管理队伍建设", 2, "capacity")]
    outline, _ = follow_previous(OUTLINE, previous, year=2025, rename={"石门县": "青禾县"})
    assert dict(work_sections(outline))["capacity"] == "青禾县绩效管理队伍建设"


# --------------------------------------------------------------------- after real reports
# What a person reads in each corpus report: the heading of its first work section our
# templates can fill (year set to the draft's), and its work / problems / measures part
# titles (003 has no problems part, so ours stays).
CORPUS_OUTLINES = {
    "001": ("绩效目标管理",
            ["绩效评价工作开展情况", "预算绩效评价管理工作存在的问题", "预算绩效评价工作的建议"]),
    "002": ("推进事前绩效评估，严把项目预算入口",
            ["工作开展情况", "存在的主要问题", "下一步工作计划"]),
    "003": ("2025年部门（单位）整体支出绩效评价",
            ["工作开展情况", "存在的问题", "全面实施预算绩效管理下一步工作措施"]),
    "004": ("做优事前目标评价，将预算项目绩效目标事前评价与预算编制紧密结合",
            ["加强预算绩效管理的主要措施及成效", "存在的问题", "下一步努力方向及工作措施"]),
}


def _strip(heading: str) -> str:
    return re.sub(r"^[一二三四五六七八九十]+、|^（[一二三四五六七八九十]+）", "", heading)


@pytest.mark.parametrize("report", sorted(CORPUS_OUTLINES))
def test_draft_after_a_real_report_keeps_its_headings(tmp_path: Path, report: str) -> None:
    path = corpus_file(report, ".docx")
    first, parts = CORPUS_OUTLINES[report]
    result = draft_report(FIGURES, county="青禾县", year=2025, output=tmp_path / "d.docx",
                          previous=previous_from_file(path), issued="2026年1月20日")
    assert not [n for n in result.notes if "默认提纲" in n]  # passed its self-check as is
    doc = Document(str(result.paths[0]))
    level1 = [_strip(p.text) for p in doc.paragraphs if p.style.name == "Heading 1"]
    level2 = [_strip(p.text) for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert level1 == parts
    assert level2[0] == first
    assert not any("民丰县" in h or "尉犁县" in h or "西工区" in h for h in level1 + level2)
    assert result.headings_kept >= 3


def test_outline_ours_ignores_last_years_headings(tmp_path: Path) -> None:
    out = tmp_path / "d.docx"
    result = CliRunner().invoke(main, [
        "draft", str(FIGURES), "--county", "青禾县", "--year", "2025", "--no-store",
        "--previous", str(corpus_file("004", ".docx")), "--outline", "ours", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "提纲沿用上年报告" not in result.output
    headings = [p.text for p in Document(str(out)).paragraphs if p.style.name == "Heading 1"]
    assert headings[0] == "一、" + OUTLINE["parts"][0]["heading"]


def test_a_draft_that_fails_its_check_in_last_years_outline_falls_back_to_ours(
        tmp_path: Path) -> None:
    """Last year's heading reads as another stage than the one recorded (结果应用 read as
    monitoring): the 30天 deadline under it would read back as a rectification deadline, so
    the self-check refuses that outline and the draft is written in ours, with a note."""
    previous = PreviousReport(Figures([]), "", None, "青禾县",
                              [PreviousSection("（一）评价结果应用", 2, "monitoring")])
    result = draft_report(FIGURES, county="青禾县", year=2025, output=tmp_path / "d.docx",
                          previous=previous, issued="2026年1月20日")
    assert any("已改用默认提纲" in n for n in result.notes), result.notes
    assert result.headings_kept == 0
    headings = [p.text for p in Document(str(result.paths[0])).paragraphs
                if p.style.name == "Heading 2"]
    assert "（三）" + dict(work_sections(OUTLINE))["monitoring"] in headings
