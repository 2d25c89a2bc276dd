"""Rules on arithmetic between figures: sums of parts, shares, rates, growth, grade shares.

Each rule takes its relations from ``data/relations.yaml`` and its tolerance from the
precision the figure was written with (:mod:`jixiao.check.tolerance`). A relation that
fails by a factor of ten thousand is reported as a 元/万元 slip (rule ``magnitude``).
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Any

from jixiao.check.context import CheckContext, agree, load_check_yaml
from jixiao.check.tolerance import decimals_of, fmt, holds, tolerance
from jixiao.extract.metrics import Metric

HUNDRED = Decimal(100)


@cache
def relations() -> dict[str, Any]:
    return load_check_yaml("relations.yaml")


def _find_breakdown(text: str, start: int, end: int) -> int:
    """Where the first word opening a breakdown (其中) stands in ``text[start:end]``, or -1."""
    found = [i for w in relations()["words"]["breakdown"] if (i := text.find(w, start, end)) >= 0]
    return min(found, default=-1)


def _complete_grades() -> set[str]:
    """Grades whose presence says every grade of the whole is listed."""
    return set(relations()["words"]["complete_grades"])


def _amount(m: Metric) -> str:
    return f"{fmt(m.value)}{m.unit}"


def _written(m: Metric) -> str:
    """The figure as the report wrote it (95.0% stays 95.0%: its precision is the point)."""
    return f"{m.number_text}{m.unit}" if m.origin == "table" or not m.surface else m.surface


def _label(m: Metric) -> str:
    return m.label


def _is_magnitude_slip(stated: Decimal, computed: Decimal) -> bool:
    if stated == 0 or computed == 0:
        return False
    ratio = abs(computed / stated)
    return any(abs(ratio / k - 1) < Decimal("0.01") for k in (Decimal(10000), Decimal("0.0001")))


def _mismatch(ctx: CheckContext, rule: str, message: str, stated: Decimal, computed: Decimal,
              evidence: list[Metric], found: str, expected: str) -> None:
    if _is_magnitude_slip(stated, computed):
        ctx.report("magnitude", "warning",
                   f"{message}；两者相差约一万倍，疑似“元”与“万元”混用", evidence, found, expected)
    else:
        ctx.report(rule, "error", message, evidence, found, expected)


def _ratios(ctx: CheckContext, rule: str, stated_key: str, num_key: str, den_key: str,
            match: tuple[str, ...], den_match: tuple[str, ...]) -> None:
    """A stated percentage against numerator ÷ denominator (rates and shares alike)."""
    for stated in ctx.by_key(stated_key):
        if ctx.decided(rule, stated):
            continue  # the sentence's own structure decided it
        num = ctx.partner(stated, num_key, match)
        den = ctx.partner(stated, den_key, den_match)
        if num is None or den is None or den.value == 0:
            continue
        computed = num.value / den.value * HUNDRED
        d = decimals_of(stated.number_text)
        evidence = [stated, num, den]
        if holds(stated.value, computed, d):
            ctx.verified(rule, f"{_label(stated)} = {_label(num)} ÷ {_label(den)}", evidence)
            continue
        expected = f"{fmt(computed, d)}%"
        if rule == "rate":
            message = (f"{_label(stated)}写为{_written(stated)}，按{_label(num)}{_amount(num)}÷"
                       f"{_label(den)}{_amount(den)}计算应为{expected}，"
                       f"相差{fmt(abs(computed - stated.value), d)}个百分点")
        else:
            grade = stated.qualifiers.get("grade")
            what = f"“{grade}”等次占比" if grade else "占比"
            part = (f"“{num.qualifiers['grade']}”的{_amount(num)}" if "grade" in num.qualifiers
                    else f"{_label(num)}{_amount(num)}")
            message = (f"{what}写为{_written(stated)}，按{part}÷{_label(den)}{_amount(den)}"
                       f"计算应为{expected}")
        _mismatch(ctx, rule, message, stated.value, computed, evidence, _written(stated), expected)


def check_rates(ctx: CheckContext) -> None:
    """执行率 and other rates against numerator ÷ denominator."""
    for rel in relations()["rates"]:
        match = tuple(rel.get("match", ()))
        _ratios(ctx, "rate", rel["rate"], rel["numerator"], rel["denominator"], match, match)


def check_shares(ctx: CheckContext) -> None:
    """A stated share against part ÷ whole."""
    for rel in relations()["shares"]:
        _ratios(ctx, "share", rel["share"], rel["part"], rel["whole"],
                tuple(rel.get("match", ())), ())


# ---------------------------------------------------------------------------- growth


def check_growth(ctx: CheckContext) -> None:
    """同比增长 against change ÷ base, the base derived as this year minus the increase."""
    for rel in relations()["growth"]:
        match = tuple(rel.get("match", ()))
        for growth in ctx.by_key(rel["growth"]):
            if ctx.decided("growth", growth):
                continue
            change = ctx.partner(growth, rel["change"], match)
            current = ctx.partner(growth, rel["current"], match)
            if change is None or current is None:
                continue
            base = current.value - change.value
            if base <= 0:
                ctx.report("growth", "error",
                           f"写明较上年增加{_amount(change)}，但本年只有{_amount(current)}，"
                           f"上年数（{fmt(base)}{current.unit}）不可能为零或负数",
                           [change, current, growth], _amount(change), f"<{_amount(current)}")
                continue
            computed = change.value / base * HUNDRED
            d = decimals_of(growth.number_text)
            evidence = [growth, change, current]
            if holds(growth.value, computed, d):
                ctx.verified("growth", f"{_label(growth)} = 增加数 ÷（本年数 − 增加数）", evidence)
                continue
            ctx.report("growth", "error",
                       f"同比增长写为{_written(growth)}，按增加{_amount(change)}÷上年"
                       f"{fmt(base)}{current.unit}（{_amount(current)}−{_amount(change)}）计算应为"
                       f"{fmt(computed, d)}%", evidence, _written(growth),
                       f"{fmt(computed, d)}%")


# ---------------------------------------------------------------------------- sums


def _sum_holds(whole: Metric, parts: list[Metric]) -> tuple[bool, Decimal, int]:
    total = sum((p.value for p in parts), Decimal(0))
    d = max(decimals_of(m.number_text) for m in [whole, *parts])
    if all(m.kind == "count" for m in [whole, *parts]):
        return total == whole.value, total, 0  # counts are exact: no rounding to allow
    return holds(whole.value, total, d, terms=len(parts) + 1), total, d


def _report_sum(ctx: CheckContext, whole: Metric, parts: list[Metric], how: str) -> None:
    if ctx.decided("sum-of-parts", whole):
        return
    ok, total, _ = _sum_holds(whole, parts)
    evidence = [whole, *parts]
    listed = "＋".join(fmt(p.value) for p in parts)
    if ok:
        ctx.verified("sum-of-parts", f"{_label(whole)} = {how}", evidence)
        return
    diff = abs(total - whole.value)
    _mismatch(ctx, "sum-of-parts",
              f"{how}合计{fmt(total)}{whole.unit}（{listed}），与所写总数{_amount(whole)}不符，"
              f"相差{fmt(diff)}{whole.unit}", whole.value, total, evidence,
              _amount(whole), f"{fmt(total)}{whole.unit}")


def check_sums(ctx: CheckContext) -> None:
    """Parts against their whole: catalog sums, 其中 breakdowns, 共计 after an enumeration."""
    rel = relations()
    for row in rel["sums"]:
        for whole in ctx.by_key(row["whole"]):
            parts = [ctx.partner(whole, key) for key in row["parts"]]
            if all(parts):
                _report_sum(ctx, whole, parts, "各组成部分")  # type: ignore[arg-type]
    _breakdowns(ctx, rel["breakdowns"])
    # 其中 categories without a key and 共计 after a list are read from the sentence's
    # structure (check/structural.py), which keeps parenthesised figures out.


def _breakdowns(ctx: CheckContext, breakdowns: dict[str, list[str]]) -> None:
    text = ctx.doc.text
    for whole in ctx.usable:
        part_keys = breakdowns.get(whole.key or "")
        if not part_keys or ctx.decided("sum-of-parts", whole):
            continue
        _, s_end = ctx.sentence_of(whole)
        at = _find_breakdown(text, whole.end, s_end)
        # Parts follow 其中, or are graded counts later in the sentence (评价结果为“优”的4个…).
        start = at if at >= 0 else whole.end
        parts = [m for m in ctx.between(start + 1, s_end, ctx.usable) if m.key in part_keys
                 and m.unit == whole.unit and agree(m, whole, ("month", "year", "entity"))
                 and m is not whole and (at >= 0 or "grade" in m.qualifiers)]
        if m_same := [p for p in parts if p.key == whole.key]:
            # 其中年初预算项目270个: the same indicator narrowed by a field
            parts = [p for p in m_same if "field" in p.qualifiers or "entity" in p.qualifiers]
        if not parts:
            continue
        grades = {p.qualifiers.get("grade") for p in parts}
        complete = len(parts) >= 2 and (bool(grades & _complete_grades()) or len(grades) >= 3)
        if complete:
            _report_sum(ctx, whole, parts, "其中各项")
            continue
        total = sum((p.value for p in parts), Decimal(0))
        d = max(decimals_of(m.number_text) for m in [whole, *parts])
        slack = 0 if whole.kind == "count" else tolerance(d, len(parts) + 1)
        if total > whole.value + slack:
            ctx.report("sum-of-parts", "error",
                       f"其中所列部分合计{fmt(total)}{whole.unit}，超过总数{_amount(whole)}",
                       [whole, *parts], _amount(whole), f"≥{fmt(total)}{whole.unit}")


# ---------------------------------------------------------------------------- grade shares


def check_grade_shares(ctx: CheckContext) -> None:
    """Shares of the grades of one whole add up to 100%."""
    keys = set(relations()["grade_shares"])
    groups: dict[tuple, list[Metric]] = {}
    for m in ctx.usable:
        if m.key in keys and "grade" in m.qualifiers:
            q = m.qualifiers
            group = (m.key, ctx.scope(m), q.get("month"), q.get("year"), q.get("field"))
            groups.setdefault(group, []).append(m)
    for shares in groups.values():
        grades = {m.qualifiers["grade"] for m in shares}
        if len(grades) < 2 or len(grades) != len(shares):
            continue
        total = sum((m.value for m in shares), Decimal(0))
        d = max(decimals_of(m.number_text) for m in shares)
        tol = tolerance(d, len(shares))
        complete = bool(grades & _complete_grades()) or len(grades) >= 3
        listed = "＋".join(f"{m.qualifiers['grade']}{fmt(m.value)}%" for m in shares)
        if total > HUNDRED + tol or (complete and total < HUNDRED - tol):
            ctx.report("grade-shares", "error",
                       f"各等次占比合计{fmt(total)}%（{listed}），应为100%", shares,
                       f"{fmt(total)}%", "100%")
        elif complete:
            ctx.verified("grade-shares", "各等次占比合计为100%", shares)
