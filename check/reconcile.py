"""A report's figures set against the figures its units' forms add up to.

For every figure of the report whose key (and grade, field) the aggregate has, the two are
compared at the precision the report wrote (2.36亿元 agrees with anything that rounds to
it); a difference is a finding that names both sources: the sentence of the report, and
the forms and cells the aggregate came from. A figure written as approximate (约, 近) or
about another year is not compared; neither is one whose sentence lacks the aggregate
figure's cue (a count of 优 is compared only when it is a self-evaluation count).
"""

from __future__ import annotations

from jixiao.check.findings import Evidence, Finding, Verified
from jixiao.check.tolerance import decimals_of, fmt, holds
from jixiao.extract.metrics import Metric
from jixiao.generate.aggregate import AggFigure, Aggregate

__all__ = ["reconcile"]

COMPARED_QUALIFIERS = ("grade", "field", "month")
SHOWN_TRACES = 3


def _precision(m: Metric) -> int:
    """Decimals of the figure in its normalised unit: 2.36亿元 is 23600万元 to the 100万元."""
    decimals = decimals_of(m.number_text or m.surface)
    if m.unit == "万元":
        if "亿" in m.surface:
            decimals -= 4
        elif "元" in m.surface and "万" not in m.surface:
            decimals += 4
    return decimals


def _match(m: Metric, agg: Aggregate) -> AggFigure | None:
    if m.key is None or m.value is None or m.placeholder or m.role != "figure":
        return None
    quals = m.qualifiers or {}
    if quals.get("approx") or quals.get("year") not in (None, agg.year):
        return None
    wanted = {k: quals[k] for k in COMPARED_QUALIFIERS if k in quals}
    for fig in agg.figures:
        if (fig.report_key or fig.key) != m.key or fig.qualifiers != wanted:
            continue
        if fig.cue and fig.cue not in (m.sentence or ""):
            continue
        return fig
    return None


def _form_evidence(fig: AggFigure) -> list[Evidence]:
    def shown(value: object) -> str:  # a count's traces are the forms counted: no value
        return "" if value is None or fig.unit == "个" else f"：{fmt(value)}"  # type: ignore[arg-type]

    return [Evidence(f"{t.who}{shown(t.value)}", 0, 0, None, None, t.cell, t.source)
            for t in fig.traces[:SHOWN_TRACES]]


def reconcile(metrics: list[Metric], agg: Aggregate, forms: str) -> tuple[list[Finding], list[Verified]]:
    """Findings for the report's figures that differ from the forms' aggregate (``forms``
    names the folder), and the comparisons that held."""
    findings: list[Finding] = []
    verified: list[Verified] = []
    for m in metrics:
        fig = _match(m, agg)
        if fig is None:
            continue
        n = len({(t.source, t.form) for t in fig.traces})
        quals = f"（{fig.qualifier_text()}）" if fig.qualifiers else ""
        if holds(m.value, fig.value, _precision(m)):  # type: ignore[arg-type]
            verified.append(Verified("forms.reconcile",
                                     f"{m.label}{quals}{m.surface}与{n}张绩效表汇总的{fmt(fig.value)}{fig.unit}相符",
                                     [Evidence.of(m)]))
            continue
        diff = abs(m.value - fig.value)  # type: ignore[operator]
        unit = "个百分点" if fig.unit == "%" else fig.unit
        findings.append(Finding(
            "forms.reconcile", "error",
            f"报告写{m.label}{quals}为{m.surface}，{forms} 中 {n} 张绩效表汇总为{fmt(fig.value)}{fig.unit}"
            f"（{fig.how}），相差{fmt(diff)}{unit}",
            m.surface, f"{fmt(fig.value)}{fig.unit}", [Evidence.of(m), *_form_evidence(fig)]))
    return findings, verified
