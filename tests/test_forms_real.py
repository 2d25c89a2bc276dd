"""The form reader on real public forms: the dev part of the real-report set's
``self_eval_form`` documents (page text annotated by reading it, facts only).

A form's figures are the figures of its cells: the annotated figures whose measure is a
column or a declared weight of the form (listed below, the test's own input). Left out:
figures of the prose inside a cell (年度总体目标's 其中 list, 项目实施内容), of the page around
the form (填报日期 in a file name), numbers inside an indicator's name, and the formula a
header states (得分(20分*执行率)). A figure is read when the reader gives, at the annotated
offset, the annotated value.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.check.forms import check_form
from jixiao.extract.formgrid import text_grid
from jixiao.extract.forms import forms_of_grids
from jixiao.extract.realset import load_all, text_of

FORM_MEASURES = {
    "年初预算数", "全年预算数", "全年执行数", "调整后预算数", "预算执行数", "预算数", "执行数",
    "执行率", "预算执行率", "预算执行分值", "预算执行权重", "预算执行得分", "预算执行情况分值",
    "指标值", "年初目标值", "实际完成值", "指标分值", "指标权重", "指标得分", "权重合计",
    "绩效指标分值", "产出指标分值", "效益指标分值", "满意度指标分值", "年度绩效目标分值",
}
TARGET = 0.97


def dev_forms() -> list:
    docs = [d for d in load_all() if d.doc_type == "self_eval_form" and d.split == "dev"]
    have = [(d, text) for d in docs if (text := text_of(d.url)) is not None]
    if not have:
        pytest.skip("the page texts of the real-report set are not in the local cache")
    return have


def read(doc, text: str) -> list:
    return forms_of_grids([text_grid(text)], doc.url)


def test_real_forms_figures_read() -> None:
    total = found = wrong = read_count = 0
    lines = []
    for doc, text in dev_forms():
        figures = [f for r in read(doc, text) for f in r.figures()
                   if f.offset is not None and f.value is not None]
        at: dict[int, list] = {}
        for f in figures:
            at.setdefault(f.offset, []).append(f)
        wanted = [a for a in doc.figures if a.measure in FORM_MEASURES]
        hits = sum(any(f.value == Decimal(a.value) for f in at.get(a.offset, [])) for a in wanted)
        annotated = {a.offset for a in doc.figures}
        stray = [f for f in figures if f.offset not in annotated]
        lines.append(f"{doc.sha1[:12]} {hits}/{len(wanted)}")
        total, found = total + len(wanted), found + hits
        wrong, read_count = wrong + len(stray), read_count + len(figures)
    recall = found / total
    print(f"real forms (dev): {found}/{total} figures read = {recall:.3f}; "
          f"{read_count - wrong}/{read_count} read figures annotated; " + "; ".join(lines))
    assert recall >= TARGET
    assert wrong <= read_count * (1 - TARGET)


def test_real_forms_slips_found() -> None:
    """A relation the annotation says does not hold, between figures of a form's cells,
    is a finding at its total; and a 完成值 written as words where the target is a number."""
    checked = 0
    for doc, text in dev_forms():
        records = read(doc, text)
        findings = [f for r in records for f in check_form(r)]
        flagged = {e.start for f in findings if f.severity == "error" for e in f.evidence}
        for rel in doc.relations:
            involved = [doc.figures[rel.result], *(doc.figures[i] for i in rel.operands)]
            if rel.holds or not all(f.measure in FORM_MEASURES for f in involved):
                continue
            checked += 1
            assert doc.figures[rel.result].offset in flagged, (doc.sha1[:12], rel.arithmetic)
        for r in records:
            for ind in r.indicators:
                if ind.target is not None and ind.target.value is not None and ind.actual is not None \
                        and ind.actual.text.strip() == "完成":
                    checked += 1
                    assert any(f.rule == "form.actual_not_number" for f in r.findings)
    assert checked >= 2
