"""Cross-year: "较上年增加N个" / "同比增长N%" against last year's report."""

from __future__ import annotations

from decimal import Decimal

from jixiao.check.arithmetic import relations
from jixiao.check.context import CheckContext, agree
from jixiao.check.tolerance import decimals_of, fmt, holds


def check_cross_year(ctx: CheckContext) -> None:
    if not ctx.previous:
        return
    previous = [m for m in ctx.previous if not m.placeholder and m.value is not None]
    for rel in relations()["growth"]:
        match = tuple(rel.get("match", ()))
        for current in ctx.by_key(rel["current"]):
            last = [p for p in previous if p.key == rel["current"]
                    and agree(p, current, ("field", "month", "entity", *match))
                    and p.qualifiers.get("field") == current.qualifiers.get("field")]
            if not last:
                continue
            base = last[0].value
            change = ctx.partner(current, rel["change"], match)
            growth = ctx.partner(current, rel["growth"], match)
            if change is not None:
                expected = current.value - base
                if change.value == expected:
                    ctx.verified("cross-year", "增加数 = 本年数 − 上年报告数", [change, current])
                else:
                    ctx.report("cross-year", "error",
                               f"写明较上年增加{fmt(change.value)}{change.unit}，上年报告为"
                               f"{fmt(base)}{current.unit}、本年为{fmt(current.value)}{current.unit}，"
                               f"实际增加{fmt(expected)}{current.unit}", [change, current],
                               fmt(change.value), fmt(expected))
            if growth is not None and base:
                computed = (current.value - base) / base * Decimal(100)
                d = decimals_of(growth.number_text)
                if holds(growth.value, computed, d):
                    ctx.verified("cross-year", "增长率按上年报告数计算相符", [growth, current])
                else:
                    ctx.report("cross-year", "error",
                               f"同比增长写为{fmt(growth.value)}%，按上年报告{fmt(base)}{current.unit}"
                               f"计算应为{fmt(computed, d)}%", [growth, current],
                               f"{fmt(growth.value)}%", f"{fmt(computed, d)}%")
