"""Draft next year's report: figures in, a checked official document out.

The steps: load and validate the figures file; take last year's report (from the store or
a file) for its figures, issuer line and text; derive shares, rates and changes; choose the
problems and measures the figures call for; render the templates; write the draft to a
temporary file, read it back with jixiao's own reader, extract and check it; only if every
figure comes back as given and the checker finds no error is the draft written.
"""

from __future__ import annotations

import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from jixiao.errors import JixiaoError
from jixiao.generate.derive import derive
from jixiao.generate.figures import Figures, FigureValue, load_figures
from jixiao.generate.outline import PreviousSection
from jixiao.generate.wording import sentence_overlap

__all__ = ["DraftResult", "PreviousReport", "SelfCheckError", "draft_report", "previous_from_file",
           "previous_from_store"]


class SelfCheckError(JixiaoError):
    """The draft read back does not state what it was given, or the checker found errors."""


@dataclass
class PreviousReport:
    figures: Figures
    text: str = ""
    issuer: str | None = None
    county: str | None = None
    sections: list[PreviousSection] = field(default_factory=list)  # its outline, in order
    year: int | None = None
    source: str | None = None  # the file it was read from (or stored as)


@dataclass
class DraftResult:
    paths: list[Path]
    topics: list[str]
    overlap: float
    figures_stated: int
    notes: list[str] = field(default_factory=list)
    headings_kept: int = 0  # headings taken from last year's report


def _figures_from_metrics(metrics: list[Any]) -> Figures:
    values = []
    for m in metrics:
        if m.key is None or m.value is None or getattr(m, "placeholder", False):
            continue
        quals = {k: v for k, v in (m.qualifiers or {}).items() if k not in ("approx",)}
        values.append(FigureValue(m.key, Decimal(m.value), quals))
    return Figures(values)


def previous_from_file(path: str | Path) -> PreviousReport:
    from jixiao.api import extract_file

    extraction = extract_file(path)
    doc = extraction.document
    return PreviousReport(_figures_from_metrics(extraction.metrics), doc.text, doc.issuer,
                          doc.county, [PreviousSection(s.heading, s.level, s.stage)
                                       for s in doc.sections], doc.year, str(path))


def previous_from_store(engine: Any, county: str, year: int) -> PreviousReport | None:
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from jixiao.store import models

    with Session(engine) as session:
        report = session.scalar(select(models.Report).where(
            models.Report.county == county, models.Report.year == year - 1))
        if report is None or report.primary_document_id is None:
            return None
        doc = session.get(models.Document, report.primary_document_id)
        metrics = session.scalars(select(models.Metric).where(
            models.Metric.document_id == doc.id)).all()
        sections = session.scalars(select(models.Section).where(
            models.Section.document_id == doc.id).order_by(models.Section.start,
                                                           models.Section.id)).all()
        issuer = _issuer_line(doc.text)
        return PreviousReport(_figures_from_metrics(list(metrics)), doc.text, issuer, county,
                              [PreviousSection(s.heading, s.level, s.stage) for s in sections],
                              report.year, doc.source)


def _reference_only(key: str) -> bool:
    """A figure counted from the units' forms for reference (catalog measures forms_*), which
    no template states: not worth a note that it was left out."""
    from jixiao.extract.catalog import load_catalog

    catalog = load_catalog()
    return key in catalog and all(m.startswith("forms_") for m in catalog[key].measures)


def _issuer_line(text: str) -> str | None:
    for line in reversed(text.splitlines()[-6:]):
        line = line.strip()
        if line.endswith(("财政局", "财政厅")) and len(line) <= 30:
            return line
    return None


def _norm(value: Decimal) -> str:
    return format(value.normalize(), "f")


def self_check(path: Path, stated: list[tuple[str, Decimal, dict[str, Any]]],
               figures: Figures) -> None:
    """Read the draft back: every stated figure is extracted as stated, no figure contradicts
    the figures file, and the checker finds no error."""
    from jixiao.api import check_document, extract_file

    extraction = extract_file(path)
    expected = Counter((k, _norm(v), tuple(sorted(q.items()))) for k, v, q in stated)
    got = Counter((m.key, _norm(m.value), tuple(sorted(m.qualifiers.items())))
                  for m in extraction.metrics if m.value is not None and m.key)
    missing = expected - got
    if missing:
        key, value, quals = next(iter(missing.elements()))
        raise SelfCheckError(str(path), f"草稿读回后“{key}”{value}未被识别为所给数字"
                                        f"（限定 {dict(quals)}），请检查模板措辞")
    given = {(v.key, _norm(v.value)) for v in figures.values}
    for m in extraction.metrics:
        if m.key and m.value is not None and (m.key, _norm(m.value)) not in given:
            raise SelfCheckError(str(path), f"草稿中的“{m.surface}”被识别为“{m.label}”，"
                                            f"但数字文件中没有这个值：{m.sentence}")
    errors = [f for f in check_document(extraction).findings if f.severity == "error"]
    if errors:
        raise SelfCheckError(str(path), f"核对发现错误：{errors[0].message}")


def draft_report(figures_path: str | Path, *, county: str, year: int, output: Path,
                 previous: PreviousReport | None = None, templates: Path | None = None,
                 issuer: str | None = None, issued: str | None = None,
                 markdown: bool = True, word_template: Path | None = None,
                 wording: int | None = None, follow_outline: bool = True) -> DraftResult:
    """Write the draft (docx, and Markdown beside it) after it passed its self-check.

    Each section takes the phrasing that repeats least of the previous report; ``wording``
    forces phrasing number N everywhere (tests read every phrasing back this way). With
    ``follow_outline`` the draft keeps the previous report's headings and order; should a
    draft in that outline fail its self-check, it is written in our own outline instead,
    with a note saying so."""
    from jixiao.generate.docx_writer import write_docx, write_house_style, write_markdown
    from jixiao.generate.problems import draft_problems
    from jixiao.generate.render import Draft, _environment, area_word, render_sections

    figures = derive(load_figures(figures_path), previous.figures if previous else None,
                     str(figures_path))
    env = _environment(templates)
    previous_text = previous.text if previous else ""
    problems, measures, topics = draft_problems(figures, year=year, previous_text=previous_text,
                                                area=area_word(county), county=county,
                                                env=env)
    today = date.today()
    notes: list[str] = []
    carried_issuer = previous.issuer if previous else None
    if previous is not None and previous.county and previous.county != county:
        notes.append(f"上年报告是{previous.county}的，不是{county}的：落款未沿用，"
                     f"“较上年”的变化按这份报告计算，请确认用对了文件")
        carried_issuer = None
    if previous is not None and previous.year and previous.year != year - 1:
        notes.append(f"上年报告是{previous.year}年度的，不是{year - 1}年度的："
                     f"“较上年”的变化按这份报告计算，请确认用对了文件")
    sign = issuer or carried_issuer or f"{county}财政局"
    when = issued or f"{today.year}年{today.month}月{today.day}日"

    def write(sections: list[PreviousSection]) -> Draft:
        """Render, write to a temporary file, self-check, then copy to ``output``: nothing
        reaches ``output`` unless the check passed."""
        draft = render_sections(figures, county=county, year=year, templates=templates,
                                problems=problems, measures=measures,
                                previous_text=previous_text, wording=wording,
                                previous_sections=sections,
                                previous_county=previous.county if previous else None)
        draft.issuer, draft.date = sign, when
        with tempfile.TemporaryDirectory(prefix="jixiao-draft-") as tmp:
            candidate = Path(tmp) / "draft.docx"
            if word_template is not None:
                write_house_style(draft, word_template, candidate)
            else:
                write_docx(draft, candidate)
            try:
                self_check(candidate, draft.stated, figures)
            except SelfCheckError as err:  # name the draft asked for, not the scratch file
                where = ("，请检查 --templates 中的模板措辞" if templates else
                         "，请检查 Word 模板是否写出了全部段落" if word_template else "")
                raise SelfCheckError(str(output), err.reason + where) from None
            except JixiaoError as err:
                raise SelfCheckError(str(output), "草稿读回失败：" + err.reason + (
                    "（Word 模板要循环写出 sections 的标题和段落）" if word_template else "")) from None
            output.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(candidate, output)
        return draft

    if previous is not None:
        this, last = figures.get("target.projects"), previous.figures.get("target.projects")
        if this is not None and last is not None and this < last:
            notes.append(f"设定绩效目标的项目数比上年减少{_norm(last - this)}个（{_norm(last)}→{_norm(this)}），"
                         "草稿只写了本年数，如需说明减少原因请自行补充")
    sections = previous.sections if previous is not None and follow_outline else []
    try:
        draft = write(sections)
    except SelfCheckError as err:
        if not sections:
            raise
        draft = write([])
        notes.append(f"沿用上年报告的标题时草稿未通过自检（{err.reason}），已改用默认提纲")
    paths = [output]
    if markdown:
        md = output.with_suffix(".md")
        write_markdown(draft, md)
        paths.append(md)
    text = "\n".join(p for s in draft.sections for p in s.paragraphs)
    overlap = sentence_overlap(text, previous_text)
    stated = {(k, _norm(v)) for k, v, _ in draft.stated}
    notes += [f"“{v.key}”为0，草稿不写“0个/0万元”一类的句子" if v.value == 0 else
              f"“{v.key}”{_norm(v.value)}未写入草稿（模板没有用到它，或所在句子缺少其他数字）"
              for v in figures.values if not v.derived and (v.key, _norm(v.value)) not in stated
              and not _reference_only(v.key)]
    return DraftResult(paths, topics, overlap, len(draft.stated), notes, draft.headings_kept)

