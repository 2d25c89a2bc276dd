"""The registry of checking rules: name, what it checks, the function that runs it.

Add a rule by writing a function ``(CheckContext) -> None`` that calls ``ctx.report`` and
``ctx.verified``, and listing it here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from jixiao.check.arithmetic import (
    check_grade_shares,
    check_growth,
    check_rates,
    check_shares,
    check_sums,
)
from jixiao.check.context import CheckContext
from jixiao.check.crossyear import check_cross_year
from jixiao.check.findings import (
    SEVERITY_RANK,
    Arithmetic,
    CheckResult,
    Finding,
    Operand,
    Verified,
)
from jixiao.check.grids import check_grids
from jixiao.check.listing import check_listed_counts
from jixiao.check.magnitude import check_magnitude
from jixiao.check.structural import check_structure
from jixiao.check.tables import check_tables
from jixiao.check.wording import check_placeholders, check_text
from jixiao.check.years import check_years
from jixiao.extract.metrics import Metric
from jixiao.model import Document


@dataclass(frozen=True)
class Rule:
    name: str
    description: str
    run: Callable[[CheckContext], None]


RULES: tuple[Rule, ...] = (
    Rule("structure", "句中写明的关系：其中与合计、分别为、加减、增长、完成预算的比例、执行率、占比、结余",
         check_structure),
    Rule("grids", "表格的合计行、每行执行率、各组分值", check_grids),
    Rule("magnitude", "同一金额在别处写作万元、此处写作元（漏写“万”）", check_magnitude),
    Rule("sum-of-parts", "其中所列各项、所列各项与“共计”、各组成部分之和等于总数", check_sums),
    Rule("share", "占比等于部分÷整体", check_shares),
    Rule("rate", "执行率等于执行金额÷预算金额", check_rates),
    Rule("growth", "同比增长等于增加数÷（本年数−增加数）", check_growth),
    Rule("table", "表内各行之和等于合计行或正文所写总额", check_tables),
    Rule("listed-count", "写明的个数等于列出的名称、表格行数", check_listed_counts),
    Rule("grade-shares", "各等次占比合计为100%", check_grade_shares),
    Rule("years", "数字的年份与所在章节标题的年份一致", check_years),
    Rule("placeholder", "数字和名称中没有模板占位符（X、XX、××、□、20xx）", check_placeholders),
    Rule("text", "没有连写两次的词，括号和引号成对", check_text),
    Rule("cross-year", "较上年增加数、增长率与上年报告相符（需 --previous）", check_cross_year),
)
RULES_BY_NAME = {r.name: r.description for r in RULES}
# magnitude (元/万元 slips) is reported by the arithmetic rules when a relation fails by 10⁴.

# Rule names for people (the `rule` field of a finding stays the stable English id).
RULE_LABELS = {
    "sum-of-parts": "合计", "share": "占比", "rate": "执行率", "growth": "增长率",
    "table": "表格", "listed-count": "列举个数", "grade-shares": "等次占比", "years": "年份",
    "placeholder": "占位符", "text": "文字", "cross-year": "跨年度", "magnitude": "量级",
    "difference": "增减额", "structure": "句中关系",
    "forms.reconcile": "绩效表",
}


_ARITHMETIC_RULES = {"sum-of-parts", "share", "rate", "growth", "table", "listed-count",
                     "grade-shares", "cross-year", "magnitude", "difference"}


def _shown_work(item: Finding | Verified) -> Arithmetic:
    """The arithmetic of a relation decided by a keyed rule: what it states, what the other
    figures give, the figures it rests on (the first one is the stated figure)."""
    description = getattr(item, "description", None) or RULES_BY_NAME.get(item.rule, "")
    stated = getattr(item, "found", None) or (item.evidence[0].surface if item.evidence else "")
    computed = getattr(item, "expected", None)
    operands = tuple(Operand("所写数" if i == 0 else "依据", e.surface, "", "", e.start, e.end)
                     for i, e in enumerate(item.evidence))
    return Arithmetic(description, stated, computed, None, operands)


def check_metrics(doc: Document, metrics: list[Metric],
                  previous: list[Metric] | None = None) -> CheckResult:
    """Run every rule over a document and its extracted figures."""
    ctx = CheckContext(doc, metrics, previous)
    for rule in RULES:
        rule.run(ctx)
    for item in [*ctx.result.findings, *ctx.result.verified]:
        if item.arithmetic is None and item.rule in _ARITHMETIC_RULES:
            item.arithmetic = _shown_work(item)
    ctx.result.findings.sort(key=lambda f: (-SEVERITY_RANK[f.severity],
                                            min((e.start for e in f.evidence), default=0)))
    return ctx.result
