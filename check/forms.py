"""Checks of one performance form, in the checker's schema (:class:`Finding`).

- money rows against their total (年度资金总额 = 本年财政拨款 + 上年结转资金 + 其他资金 …,
  the parts as the family groups them), a total left at 0 above non-zero parts included;
- 执行率 recomputed under the family's definition (全年执行数 ÷ 全年预算数, 预算执行数 ÷
  调整后预算数 …);
- the money block's score under the family's rule (分值 × 执行率, at most 分值);
- every score against its weight, the total score against the item scores, the weights
  against the points each block declares (绩效指标(90分));
- a province's cap of the score or grade when 执行率 is low (rules of the families file);
- a 完成值 that is blank, words where the target is a number, or on the wrong side of a
  ≥/≤ target;
- the grade against the band of the total score (优 90–100 … configurable), a grade left
  blank.

Figures are compared at the precision they are written with (check/tolerance.py).
"""

from __future__ import annotations

from decimal import Decimal

from jixiao.check.findings import Evidence, Finding
from jixiao.check.tolerance import decimals_of, fmt, holds
from jixiao.extract.forms import FormFigure, FormRecord, Indicator, score_items
from jixiao.extract.formspec import FormSpec, load_spec, parse_number

__all__ = ["check_form"]

HUNDRED = Decimal(100)
_OP_WORD = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<", "eq": "="}


def evidence(fig: FormFigure, source: str) -> Evidence:
    start = fig.offset if fig.offset is not None else 0
    return Evidence(fig.text, start, start + len(fig.text), None, None, fig.cell, source)


def _decimals(*figs: FormFigure | None) -> int:
    return max((decimals_of(f.text.replace("%", "")) for f in figs if f is not None and f.text),
               default=0)


class _Checker:
    def __init__(self, rec: FormRecord, spec: FormSpec, province: str | None) -> None:
        self.rec = rec
        self.spec = spec
        self.family = spec.family(rec.family)
        self.province = province
        self.findings: list[Finding] = []

    def add(self, rule: str, severity: str, message: str, figs: list[FormFigure | None],
            found: str | None = None, expected: str | None = None) -> None:
        self.findings.append(Finding(rule, severity, message, found, expected,  # type: ignore[arg-type]
                                     [evidence(f, self.rec.source) for f in figs if f is not None]))

    # -- money

    def money_sums(self) -> None:
        rec, fam = self.rec, self.family
        if fam is None or "total" not in rec.money:
            return
        total = rec.money["total"]
        for group in fam.part_groups:
            parts = [p for p in group if p in rec.money]
            if len(parts) < 1 or not any(rec.money[p] for p in parts):
                continue
            for col in ("initial", "budget", "spent", "amount", "forecast"):
                cells = [rec.money[p].get(col) for p in parts]
                written = [c for c in cells if c is not None and c.value is not None]
                if not written:
                    continue
                whole = total.get(col)
                parts_sum = sum((c.value for c in written), Decimal(0))  # type: ignore[misc]
                listing = "＋".join(f"{fam.column_label(p)}{fmt(c.value)}" for p, c in zip(
                    parts, cells, strict=True) if c is not None and c.value is not None)
                col_label = next((c.label for c in fam.money_columns if c.field == col), col)
                if whole is None or whole.value is None:
                    if parts_sum != 0:
                        self.add("form.money_sum", "error",
                                 f"{fam.column_label('total')}的{col_label}空白，其中各行合计{fmt(parts_sum)}万元（{listing}）",
                                 [whole, *written], None, fmt(parts_sum))
                    continue
                decimals = _decimals(whole, *written)
                if holds(whole.value, parts_sum, decimals, max(len(written), 1)):
                    continue
                zero = "（合计行填了0），" if whole.value == 0 else "，"
                self.add("form.money_sum", "error",
                         f"{fam.column_label('total')}的{col_label}写为{fmt(whole.value)}万元{zero}"
                         f"其中各行合计{fmt(parts_sum)}万元（{listing}），相差{fmt(abs(whole.value - parts_sum))}万元",
                         [whole, *written], fmt(whole.value), fmt(parts_sum))

    def computed_rate(self, row: str = "total") -> Decimal | None:
        fam = self.family
        if fam is None or fam.rate is None:
            return None
        cols = self.rec.money.get(row, {})
        num, den = cols.get(fam.rate[0]), cols.get(fam.rate[1])
        if num is None or den is None or num.value is None or den.value is None or den.value == 0:
            return None
        return num.value / den.value * HUNDRED

    def rates(self) -> None:
        fam = self.family
        if fam is None or fam.rate is None:
            return
        for row, cols in self.rec.money.items():
            stated = cols.get("rate")
            num, den = cols.get(fam.rate[0]), cols.get(fam.rate[1])
            if num is not None and den is not None and num.value is not None \
                    and den.value is not None and num.value > den.value and den.value > 0:
                self.add("form.spent_above_budget", "warning",
                         f"{fam.column_label(row)}的{fam.column_label(fam.rate[0])}{fmt(num.value)}万元"
                         f"大于{fam.column_label(fam.rate[1])}{fmt(den.value)}万元",
                         [num, den])
            if stated is None or stated.value is None:
                continue
            computed = self.computed_rate(row)
            if computed is None:
                continue
            decimals = decimals_of(stated.text.replace("%", "").replace("％", ""))
            if holds(stated.value, computed, decimals):
                continue
            self.add("form.rate", "error",
                     f"{fam.column_label(row)}的执行率写为{stated.text}，按{fam.column_label(fam.rate[0])}"
                     f"{fmt(num.value)}万元÷{fam.column_label(fam.rate[1])}{fmt(den.value)}万元"  # type: ignore[union-attr]
                     f"计算应为{fmt(computed, max(decimals, 1))}%",
                     [stated, num, den], fmt(stated.value), fmt(computed, max(decimals, 1)))

    def money_score(self) -> None:
        fam, rec = self.family, self.rec
        if fam is None or fam.score_rule != "proportional":
            return
        cols = rec.money.get("total", {})
        weight, score, stated = cols.get("weight"), cols.get("score"), cols.get("rate")
        if score is not None and score.value is None and weight is not None and weight.value:
            self.add("form.blank_score", "error", "预算执行的得分空白", [score])
            return
        if weight is None or score is None or weight.value is None or score.value is None:
            return
        if score.value > weight.value:
            self.add("form.score_above_weight", "error",
                     f"预算执行得分{fmt(score.value)}分超过其分值{fmt(weight.value)}分",
                     [score, weight], fmt(score.value), fmt(weight.value))
            return
        candidates = []
        computed = self.computed_rate()
        if computed is not None:
            candidates.append(computed)
        if stated is not None and stated.value is not None:
            candidates.append(stated.value)
        if not candidates:
            return
        decimals = _decimals(score)
        expected = [weight.value * min(r, HUNDRED) / HUNDRED for r in candidates]
        if any(holds(score.value, e, decimals, 2) for e in expected):
            return
        self.add("form.money_score", "warning",
                 f"预算执行得分写为{fmt(score.value)}分，按分值{fmt(weight.value)}分×执行率"
                 f"{fmt(candidates[0], 2)}%应为{fmt(expected[0], max(decimals, 2))}分",
                 [score, weight, stated], fmt(score.value), fmt(expected[0], max(decimals, 2)))

    # -- scores

    def scores(self) -> None:
        rec = self.rec
        for ind in rec.indicators:
            if ind.weight is not None and ind.weight.value and ind.score is not None \
                    and ind.score.value is None:
                self.add("form.blank_score", "error", f"指标“{ind.name}”的得分空白", [ind.score])
            elif ind.weight is not None and ind.score is not None and ind.weight.value is not None \
                    and ind.score.value is not None and ind.score.value > ind.weight.value:
                self.add("form.score_above_weight", "error",
                         f"指标“{ind.name}”得分{fmt(ind.score.value)}分超过其分值{fmt(ind.weight.value)}分",
                         [ind.score, ind.weight], fmt(ind.score.value), fmt(ind.weight.value))
        self.total_score()
        self.weights()

    def _items(self) -> tuple[list[FormFigure], bool]:
        """The item scores that make the total, and whether all of them are written."""
        return score_items(self.rec)

    def item_sum(self) -> Decimal | None:
        items, complete = self._items()
        if not complete or not items:
            return None
        return sum((i.value for i in items), Decimal(0))  # type: ignore[misc]

    def total_score(self) -> None:
        rec = self.rec
        total = rec.total_score
        if total is None:
            if rec.total_weight is not None and rec.complete:
                self.add("form.blank_score", "error", "总分的得分空白", [rec.total_weight])
            return
        if total.value is None:
            self.add("form.blank_score", "error", "总分的得分空白", [total])
            return
        items, complete = self._items()
        if not complete or not items or not rec.indicators:
            return
        summed = sum((i.value for i in items), Decimal(0))  # type: ignore[misc]
        decimals = _decimals(total, *items)
        if holds(total.value, summed, decimals, 1):
            return
        self.add("form.total_score", "error",
                 f"总分写为{fmt(total.value)}分，预算执行和各项指标得分合计为{fmt(summed)}分，"
                 f"相差{fmt(abs(total.value - summed))}分",
                 [total], fmt(total.value), fmt(summed))

    def weights(self) -> None:
        rec = self.rec
        weights = [i.weight for i in rec.indicators if i.weight is not None]
        if not weights or any(w.value is None for w in weights):
            return
        summed = sum((w.value for w in weights), Decimal(0))  # type: ignore[misc]
        declared = rec.indicators_declared
        if declared is not None and declared.value is not None and summed != declared.value:
            self.add("form.weight_sum", "error",
                     f"绩效指标写明共{fmt(declared.value)}分，各指标分值合计{fmt(summed)}分",
                     [declared], fmt(declared.value), fmt(summed))
        for name, fig in rec.level1_declared.items():
            under = [i.weight for i in rec.indicators if i.level1 == name and i.weight is not None]
            if under and fig.value is not None:
                total = sum((w.value for w in under), Decimal(0))  # type: ignore[misc]
                if total != fig.value:
                    self.add("form.weight_sum", "error",
                             f"{name}写明共{fmt(fig.value)}分，其下各指标分值合计{fmt(total)}分",
                             [fig], fmt(fig.value), fmt(total))
        money_weight = rec.money.get("total", {}).get("weight")
        tw = rec.total_weight
        if tw is not None and tw.value is not None and money_weight is not None \
                and money_weight.value is not None:
            whole = summed + money_weight.value
            if whole != tw.value:
                self.add("form.weight_sum", "error",
                         f"总分的分值写为{fmt(tw.value)}分，预算执行分值与各指标分值合计{fmt(whole)}分",
                         [tw], fmt(tw.value), fmt(whole))

    # -- indicators

    def actuals(self) -> None:
        for ind in self.rec.indicators:
            self._actual(ind)

    def _actual(self, ind: Indicator) -> None:
        target, actual = ind.target, ind.actual
        if target is None or not target.text.strip():
            return
        if actual is None:
            return
        if not actual.text.strip():
            self.add("form.blank_actual", "error", f"指标“{ind.name}”的完成值空白（指标值{target.text}）",
                     [actual, target])
            return
        if target.value is None:
            return  # a target in words: its 完成值 is words too
        if actual.value is None:
            if parse_number(actual.text) is None:
                self.add("form.actual_not_number", "error",
                         f"指标“{ind.name}”的指标值是数字（{target.text}{ind.unit if ind.unit not in target.text else ''}），"
                         f"完成值却写为“{actual.text}”，应填实际完成的数值",
                         [actual, target], actual.text, None)
            return
        op = ind.op
        missed = ((op in ("ge", "gt") and actual.value < target.value)
                  or (op == "gt" and actual.value == target.value)
                  or (op in ("le", "lt") and actual.value > target.value)
                  or (op == "lt" and actual.value == target.value))
        if not missed:
            return
        sign = _OP_WORD[op]  # type: ignore[index]
        unit = ind.unit if ind.unit not in ("万元",) or not target.unit else target.unit
        if ind.weight is not None and ind.score is not None and ind.weight.value is not None \
                and ind.score.value is not None and ind.score.value >= ind.weight.value:
            self.add("form.actual_missed", "error",
                     f"指标“{ind.name}”要求{sign}{target.text.lstrip('≥≤=<>＜＞﹦＝')}{'' if unit in target.text else unit}，"
                     f"完成值{actual.text}未达到，却得满分{fmt(ind.score.value)}分",
                     [actual, target, ind.score], actual.text, f"{sign}{target.text}")
        elif not ind.reason:
            self.add("form.actual_missed", "warning",
                     f"指标“{ind.name}”要求{sign}{target.text.lstrip('≥≤=<>＜＞﹦＝')}，完成值{actual.text}未达到，"
                     "偏差原因未填写", [actual, target], actual.text, f"{sign}{target.text}")

    # -- grade and caps

    def grade(self) -> None:
        rec, spec = self.rec, self.spec
        score = rec.total_score.value if rec.total_score is not None else None
        if score is None:
            score = self.item_sum() if rec.indicators else None
        if rec.grade is not None:
            written = rec.grade.text.strip()
            if not written:
                self.add("form.blank_grade", "error", "自评等级空白"
                         + (f"，按得分{fmt(score)}分应为“{spec.grade_of(score)}”" if score is not None else ""),
                         [rec.grade], None, spec.grade_of(score) if score is not None else None)
                return
            grade = spec.grade_aliases.get(written)
            if grade is None or score is None:
                return
            band = spec.grade_of(score)
            if grade != band:
                self.add("form.grade", "error",
                         f"自评等级写为“{written}”，得分{fmt(score)}分应为“{band}”（{band}：{spec.band_text(band)}）",
                         [rec.grade, rec.total_score], grade, band)
        self.caps(score)

    def caps(self, score: Decimal | None) -> None:
        rec, spec = self.rec, self.spec
        rate = self.computed_rate()
        stated = rec.money.get("total", {}).get("rate")
        if rate is None and stated is not None:
            rate = stated.value
        if rate is None:
            return
        order = [g for g, _ in spec.bands]
        for rule in spec.rules:
            if rule.family and rule.family != rec.family:
                continue
            if rule.province and rule.province != self.province:
                continue
            if rule.years and rec.year not in rule.years:
                continue
            if rate >= rule.rate_below:
                continue
            where = f"（{rule.province}规则）" if rule.province else ""
            if rule.max_total is not None and score is not None and score > rule.max_total:
                self.add("form.cap", "error",
                         f"执行率{fmt(rate, 1)}%低于{fmt(rule.rate_below)}%，按规则{where}总分不得超过"
                         f"{fmt(rule.max_total)}分，写的是{fmt(score)}分",
                         [rec.total_score, stated], fmt(score), fmt(rule.max_total))
            if rule.max_grade and score is not None:
                grade = (spec.grade_aliases.get(rec.grade.text.strip()) if rec.grade is not None
                         else None) or spec.grade_of(score)
                if grade in order and rule.max_grade in order and \
                        order.index(grade) < order.index(rule.max_grade):
                    self.add("form.cap", "error",
                             f"执行率{fmt(rate, 1)}%低于{fmt(rule.rate_below)}%，按规则{where}等级最高为"
                             f"“{rule.max_grade}”，此表为“{grade}”",
                             [rec.grade or rec.total_score, stated], grade, rule.max_grade)


def check_form(rec: FormRecord, spec: FormSpec | None = None, *, province: str | None = None
               ) -> list[Finding]:
    """The findings of one form (also stored on ``rec.findings``)."""
    checker = _Checker(rec, spec or load_spec(), province)
    if checker.family is not None:
        checker.money_sums()
        checker.rates()
        checker.money_score()
        checker.scores()
        checker.actuals()
        checker.grade()
    rec.findings = checker.findings
    return checker.findings
