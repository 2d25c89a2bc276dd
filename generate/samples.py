"""Sample reports for the demo: three fictional counties over two years, with planted slips.

The figures are invented, deterministically from a seed: a small, a middle and a large
county, each a little bigger in the second year. Every report is written by the generator
(:func:`jixiao.generate.draft.draft_report`, so it passed the self-check: the figures read
back as given and the checker finds nothing). Then a few slips are planted in the written
text, the way they creep into real reports — a graded count retyped wrong, an execution
rate and a grade share that no longer follow from their figures, an ``X万元`` left from the
template — so the checker has something to find. :class:`Slip` says what each one is and
what the finding it must cause says.
"""

from __future__ import annotations

import random
import re
import tempfile
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from jixiao.generate.figures import Figures

__all__ = ["COUNTIES", "YEARS", "County", "Samples", "Slip", "county_figures", "write_figures",
           "write_samples"]


@dataclass(frozen=True)
class County:
    name: str
    slug: str  # file names stay ASCII
    scale: float  # size against a middle county
    staff: int
    third_parties: int
    experts: int
    threshold: int  # 万元: projects above it get a 事前绩效评估


# Fictional names (no county of these names exists).
COUNTIES = (
    County("岚溪县", "lanxi", 0.55, 2, 1, 18, 30),
    County("桐川县", "tongchuan", 1.0, 3, 3, 36, 50),
    County("枫原县", "fengyuan", 1.9, 5, 6, 64, 100),
)
YEARS = (2024, 2025)
TEXT_SAMPLE = ("枫原县", 2024)  # written as plain text too, to show another format


@dataclass(frozen=True)
class Slip:
    """One planted mistake: where, what was changed, and what the checker must say."""

    path: Path
    county: str
    year: int
    rule: str  # the checker rule that must report it
    before: str  # the text the generator wrote
    after: str  # the text after the slip
    expect: str  # a fragment of the finding's message
    note: str  # the slip in words, for the demo

    def found_in(self, findings: list[Any]) -> bool:
        return any(f.rule == self.rule and self.expect in f.message for f in findings)


@dataclass
class Samples:
    reports: list[Path]
    slips: list[Slip]
    figures: dict[tuple[str, int], dict[str, Any]] = field(default_factory=dict)
    origin: dict[Path, tuple[str, int]] = field(default_factory=dict)  # path → (county, year)


def _round(value: float, step: int = 1) -> int:
    return int(Decimal(value / step).quantize(Decimal(1), ROUND_HALF_UP)) * step


def _money(value: float) -> int:
    """万元, as reports write them: whole 万元, above 1亿 to the 10万元 (4.864亿元)."""
    return _round(value, 10 if value >= 10000 else 1)


def _dec1(value: float) -> float:
    return float(Decimal(str(value)).quantize(Decimal("0.1"), ROUND_HALF_UP))


def county_figures(county: County, year_index: int, seed: int = 7) -> dict[str, Any]:
    """The figures file (as a YAML mapping) of ``county`` in its ``year_index``-th year
    (0 for the first sample year); later years grow by 5–12% a year."""
    rng = random.Random(f"{seed}:{county.slug}")
    growth = [1.0]
    for _ in range(max(year_index, 2)):
        growth.append(growth[-1] * rng.uniform(1.05, 1.12))
    yrng = random.Random(f"{seed}:{county.slug}:{year_index}")  # this year's own noise
    s = county.scale * growth[year_index]

    def n(base: float) -> float:  # a size: the county's scale, this year's growth, ±2%
        return base * s * yrng.uniform(0.98, 1.02)

    projects = _round(n(300))
    departments = _round(58 * county.scale ** 0.5 + year_index)
    project_amount = _money(n(46000))
    # monitoring in August: every project graded
    bad = max(2, _round(projects * yrng.uniform(0.03, 0.07)))
    good = _round(projects * yrng.uniform(0.18, 0.26))
    best = projects - good - bad
    key_projects = {"lanxi": 4, "tongchuan": 6, "fengyuan": 10}[county.slug] + year_index
    key_best = _round(key_projects * 0.6)
    key_grades = [{"grade": "优", "value": key_best}, {"grade": "良", "value": key_projects - key_best}]
    overall_departments = _round(departments * 0.2) + year_index
    overall_best = _round(overall_departments * 0.7)
    budget = _money(project_amount * yrng.uniform(0.95, 1.0))
    spent = _money(budget * yrng.uniform(0.86, 0.97))
    cut_projects = max(2, _round(key_projects * 0.6))
    figures: dict[str, Any] = {
        "pre_assessment.threshold": county.threshold,
        "pre_assessment.projects": _round(n(18)),
        "pre_assessment.amount": _money(n(6400)),
        "target.projects": projects,
        "target.project_amount": project_amount,
        "target.departments": departments,
        "target.department_amount": _money(project_amount * yrng.uniform(1.8, 2.1)),
        "target.coverage": 100,
        "target.approved": projects - _round(projects * yrng.uniform(0.04, 0.08)),
        "target.revisions": _round(projects * yrng.uniform(0.3, 0.45)),
        "monitoring.projects": projects,
        "monitoring.amount": _money(project_amount * yrng.uniform(0.85, 0.92)),
        "monitoring.grade_projects": [{"month": 8, "grade": "优", "value": best},
                                      {"month": 8, "grade": "良", "value": good},
                                      {"month": 8, "grade": "差", "value": bad}],
        "monitoring.supervised": [{"month": 8, "value": bad}],
        "monitoring.rectified_rate": _dec1(yrng.uniform(90, 98)),
        "monitoring.deadline_days": 30,
        "self_eval.projects": projects,
        "self_eval.departments": departments,
        "self_eval.reports": departments,
        "self_eval.coverage": 100,
        "self_eval.avg_score": _dec1(yrng.uniform(88, 95)),
        "self_eval.review_score": _dec1(yrng.uniform(85, 93)),
        "dept_eval.sample_share": 20,
        "dept_eval.projects": _round(n(24)),
        "dept_eval.cycle_years": 3,
        "dept_eval.score": _dec1(yrng.uniform(86, 93)),
        "evaluation.projects": _round(projects * yrng.uniform(1.02, 1.08)),
        "evaluation.amount": _money(project_amount * yrng.uniform(1.02, 1.08)),
        "key_eval.projects": key_projects,
        "key_eval.amount": _money(n(13500)),
        "key_eval.units": max(3, key_projects - 1),
        "evaluation.grade_count": key_grades,
        "overall_eval.departments": overall_departments,
        "overall_eval.amount": _money(n(23000)),
        "overall_eval.grade_count": [{"grade": "优", "value": overall_best},
                                     {"grade": "良", "value": overall_departments - overall_best}],
        "overall_eval.score": _dec1(yrng.uniform(87, 94)),
        "execution.budget": budget,
        "execution.spent": spent,
        "execution.target_completion": _dec1(yrng.uniform(88, 96)),
        "application.cut_projects": cut_projects,
        "application.cut_amount": _money(n(380)),
        "application.rectify_projects": max(1, cut_projects // 2),
        "application.rectify_days": 30,
        "application.rectify_amount": _money(n(250)),
        "disclosure.projects": projects,
        "capacity.staff": county.staff,
        "capacity.third_parties": county.third_parties,
        "capacity.experts": county.experts + 2 * year_index,
    }
    return figures


def write_figures(figures: dict[str, Any], path: Path, *, county: str, year: int) -> Path:
    """Write a figures mapping as the YAML file ``jixiao draft`` reads."""
    lines = [f"# {county}{year}年度预算绩效管理工作情况说明的数字（jixiao demo 生成）"]
    for key, value in figures.items():
        if isinstance(value, list):
            lines.append(f"{key}:")
            for item in value:
                inner = ", ".join(f"{k}: {v}" for k, v in item.items())
                lines.append(f"  - {{{inner}}}")
        else:
            lines.append(f"{key}: {value}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _docx_paragraphs(path: Path) -> list[str]:
    from docx import Document

    return [p.text for p in Document(str(path)).paragraphs]


def _write_text(docx_path: Path, path: Path) -> None:
    """The report as plain text, one paragraph a line (as a county's .txt copy would be)."""
    path.write_text("\n".join(_docx_paragraphs(docx_path)) + "\n", encoding="utf-8")


def _replace(path: Path, before: str, after: str) -> None:
    """Change the first ``before`` to ``after`` in a written .docx or .txt (the part on the
    work done; the problems part may cite the same figure again, and keeps it)."""
    if path.suffix == ".docx":
        from docx import Document

        doc = Document(str(path))
        para = next((p for p in doc.paragraphs if before in p.text), None)
        if para is None:
            raise ValueError(f"{path.name}: no “{before}”")
        text = para.text.replace(before, after, 1)
        for run in para.runs[1:]:
            run._r.getparent().remove(run._r)
        para.runs[0].text = text  # the paragraph keeps its style and run format
        doc.save(str(path))
    else:
        text = path.read_text(encoding="utf-8")
        if before not in text:
            raise ValueError(f"{path.name}: no “{before}”")
        path.write_text(text.replace(before, after, 1), encoding="utf-8")


def _find(path: Path, pattern: str) -> re.Match[str]:
    text = "\n".join(_docx_paragraphs(path)) if path.suffix == ".docx" \
        else path.read_text(encoding="utf-8")
    m = re.search(pattern, text)
    if m is None:
        raise ValueError(f"{path.name}: no “{pattern}”")
    return m


def _plant(path: Path, county: str, year: int, figures: Figures) -> list[Slip]:
    """Three slips in one report: a graded count, the execution rate, a grade share."""
    slips = []
    m = _find(path, r"“优”(?:等级)?的项目(\d+)个")
    best = int(m[1])
    total = sum(int(v.value) for v in figures.all("monitoring.grade_projects"))
    wrong = best + 2
    slips.append(Slip(path, county, year, "sum-of-parts", m[0], m[0].replace(m[1], str(wrong)),
                      f"其中各项合计{total + 2}个",
                      f"8月监控“优”的项目{best}个抄成{wrong}个，各等次之和不再等于总数{total}个"))
    m = _find(path, r"执行率为?(\d+\.\d)%")
    rate = Decimal(m[1])
    wrong_rate = rate + Decimal("1.2")
    slips.append(Slip(path, county, year, "rate", m[0], m[0].replace(m[1], str(wrong_rate)),
                      f"应为{rate}%", f"预算执行率{rate}%写成{wrong_rate}%"))
    m = _find(path, r"“优”等次占比(\d+\.\d)%")
    share = Decimal(m[1])
    wrong_share = share + 10 if share < 90 else share - 10
    slips.append(Slip(path, county, year, "share", m[0], m[0].replace(m[1], str(wrong_share)),
                      f"应为{share}%", f"重点评价“优”等次占比{share}%写成{wrong_share}%"))
    return slips


def _placeholder(path: Path, county: str, year: int) -> Slip:
    m = _find(path, r"重点绩效评价，(?:涉及|评价)资金([\d.]+(?:亿|万)元)")
    before = m[0]
    after = before.replace(m[1], "X万元")
    return Slip(path, county, year, "placeholder", before, after, "模板占位符“X万元”",
                f"重点评价涉及资金{m[1]}处留着模板的“X万元”")


def write_samples(folder: Path, seed: int = 7) -> Samples:
    """Write the six sample reports into ``folder`` and plant the slips; return the report
    paths (county by county, small to large, each year in turn), the slips and the figures each report was written from."""
    from jixiao.generate.draft import PreviousReport, draft_report
    from jixiao.generate.figures import load_figures

    folder.mkdir(parents=True, exist_ok=True)
    out = Samples([], [])
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="jixiao-samples-") as tmp:
        for county in COUNTIES:
            previous: PreviousReport | None = None
            for i, year in enumerate(YEARS):
                raw = county_figures(county, i, seed)
                out.figures[(county.name, year)] = raw
                fig_path = write_figures(raw, Path(tmp) / f"{county.slug}_{year}.yaml",
                                         county=county.name, year=year)
                path = folder / f"{county.slug}_{year}.docx"
                draft_report(fig_path, county=county.name, year=year, output=path,
                             previous=previous, issuer=f"{county.name}财政局",
                             issued=f"{year + 1}年1月{rng.randint(8, 26)}日", markdown=False)
                text = "\n".join(_docx_paragraphs(path))
                previous = PreviousReport(load_figures(fig_path), text, f"{county.name}财政局",
                                          county.name)
                if (county.name, year) == TEXT_SAMPLE:
                    txt = path.with_suffix(".txt")
                    _write_text(path, txt)
                    path.unlink()
                    path = txt
                out.reports.append(path)
                out.origin[path] = (county.name, year)
    path_of = {where: path for path, where in out.origin.items()}
    middle = (COUNTIES[1].name, YEARS[1])
    out.slips += _plant(path_of[middle], *middle, _loaded(out.figures[middle]))
    out.slips.append(_placeholder(path_of[TEXT_SAMPLE], *TEXT_SAMPLE))
    for slip in out.slips:
        _replace(slip.path, slip.before, slip.after)
    return out


def _loaded(raw: dict[str, Any]) -> Figures:
    from jixiao.generate.figures import FigureValue

    values = []
    for key, value in raw.items():
        items = value if isinstance(value, list) else [{"value": value}]
        for item in items:
            quals = {k: v for k, v in item.items() if k != "value"}
            values.append(FigureValue(key, Decimal(str(item["value"])), quals))
    return Figures(values)
