"""Deciding one relation: compare, choose the verdict, and report it with its arithmetic.

Every structural rule ends here. A relation is a stated figure, its operands (each with a
role and a sign) and a formula; :func:`judge_sum` and :func:`judge_formula` compute it
over the intervals the written precision allows (:mod:`jixiao.check.tolerance`), try the
元/万元 reading of each money figure when it fails, and report error, warning, verified or
uncertain with an :class:`~jixiao.check.findings.Arithmetic` that shows the work.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from jixiao.check.clauses import written
from jixiao.check.context import CheckContext
from jixiao.check.findings import Arithmetic, Operand, Verified
from jixiao.check.tolerance import Written, bounds, fmt, overlaps, sum_agrees
from jixiao.extract.metrics import Metric

__all__ = ["Term", "amount", "judge_formula", "judge_sum", "shown"]

TEN_THOUSAND = Decimal(10000)
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Term:
    """An operand: the figure, its role in the formula (for people), its sign in a sum."""

    m: Metric
    role: str
    sign: int = 1


def shown(m: Metric) -> str:
    """The figure as the report wrote it (95.0% stays 95.0%: its precision is the point)."""
    return f"{m.number_text}{m.unit}" if m.origin == "table" or not m.surface else m.surface


def amount(value: Decimal, m: Metric, decimals: int | None = None) -> str:
    unit = "%" if m.kind == "percent" else m.unit
    return f"{fmt(value, decimals)}{unit}"


def _operand(t: Term) -> Operand:
    v = t.m.value if t.m.value is not None else Decimal(0)
    return Operand(t.role, shown(t.m), format(v.normalize(), "f"), t.m.unit, t.m.start, t.m.end)


def _arith(formula: str, stated: Term, operands: Sequence[Term], computed: str | None,
           tolerance: str | None) -> Arithmetic:
    return Arithmetic(formula, shown(stated.m), computed, tolerance,
                      tuple(_operand(t) for t in [stated, *operands]))


def _key(rule: str, stated: Metric, operands: Sequence[Term]) -> tuple:
    return (rule, stated.start, stated.end, frozenset((t.m.start, t.m.end, id(t.m))
                                                      for t in operands))


def _seen(ctx: CheckContext, rule: str, stated: Metric, operands: Sequence[Term]) -> bool:
    seen: set = ctx.__dict__.setdefault("_relations_seen", set())
    key = _key(rule, stated, operands)
    if key in seen:
        return True
    seen.add(key)
    return False


def _record(ctx: CheckContext, verdict: str, rule: str, message: str, stated: Term,
            operands: Sequence[Term], arithmetic: Arithmetic, found: str | None = None,
            expected: str | None = None) -> None:
    evidence = [stated.m, *(t.m for t in operands)]
    if verdict in ("error", "warning"):
        ctx.report(rule, verdict, message, evidence, found, expected)  # type: ignore[arg-type]
        ctx.result.findings[-1].arithmetic = arithmetic
        ctx.decide(rule, stated.m)
    elif verdict == "verified":
        ctx.verified(rule, message, evidence)
        ctx.result.verified[-1].arithmetic = arithmetic
        ctx.decide(rule, stated.m)
    else:
        ctx.result.uncertain.append(Verified(rule, message, [ctx.evidence(m) for m in evidence],
                                             arithmetic, "uncertain"))


# ---------------------------------------------------------------------------- sums


@dataclass(frozen=True)
class SumOutcome:
    ok: bool
    computed: Decimal
    allowance: Decimal
    magnitude: Term | None = None   # the figure whose 元/万元 reading makes it hold
    corrected: Decimal | None = None


def _sum(total: Term, parts: Sequence[Term]) -> SumOutcome:
    ok, computed, allowance = sum_agrees(written(total.m),
                                         [(t.sign, written(t.m)) for t in parts])
    if ok:
        return SumOutcome(True, computed, allowance)
    terms = [total, *parts]
    base = {id(x.m): written(x.m) for x in terms}  # each figure read once, then rescaled
    for term, factor in sorted(((t, f) for t in terms for f in _rescales(t.m)),
                               key=lambda x: x[1] < 1):
        w = dict(base)
        w[id(term.m)] = _scaled(base[id(term.m)], factor)
        good, _, _ = sum_agrees(w[id(total.m)], [(x.sign, w[id(x.m)]) for x in parts])
        if good:
            return SumOutcome(False, computed, allowance, term, w[id(term.m)].value)
    return SumOutcome(False, computed, allowance)


def _truncated(stated: Written, low: Decimal, high: Decimal, decimals: int) -> bool:
    """The stated figure is the computed one cut (not rounded) at its last digit."""
    unit = Decimal(10) ** -decimals
    value = stated.value
    if value >= 0:
        return low < value + unit and value <= high
    return value - unit < high and low <= value


def _whole_scale(computed: Decimal, stated: Decimal) -> bool:
    """The whole relation off by a factor of ten thousand (every part in the other unit)."""
    if not computed or not stated:
        return False
    ratio = abs(computed / stated)
    return any(abs(ratio / k - 1) < Decimal("0.01") for k in (TEN_THOUSAND, 1 / TEN_THOUSAND))


def _rescales(m: Metric) -> tuple[Decimal, ...]:
    """A 万 dropped (written 元, meant 万元) or added: the factors to try on a money figure."""
    if m.kind != "money" or m.origin != "text":
        return ()
    unit = m.surface[m.surface.find(m.number_text) + len(m.number_text):] if m.number_text else ""
    if unit.strip() == "元":
        return (TEN_THOUSAND,)
    if unit.strip() in ("万元", "亿元", "万"):
        return (1 / TEN_THOUSAND,)
    return ()


def _scaled(w: Written, factor: Decimal) -> Written:
    return Written(w.value * factor, w.step * factor, w.exact, w.written_unit)


def judge_sum(ctx: CheckContext, rule: str, total: Metric, parts: Sequence[Term], how: str,
              *, below: str = "error", above: str = "error", formula: str | None = None,
              note: str | None = None) -> str:
    """A total against its signed parts. ``below``/``above``: the verdict when the parts
    add up to less / more than the total (error, warning or uncertain); ``note``: what a
    warning adds to the message. Returns the verdict."""
    stated = Term(total, "合计")
    if _seen(ctx, rule, total, parts):
        return "seen"
    out = _sum(stated, parts)
    listed = "".join(("＋" if t.sign > 0 else "－") + fmt(t.m.value) for t in parts).lstrip("＋")
    unit = total.unit
    formula = formula or f"{how}：{'＋'.join(t.role for t in parts)} = 合计"
    arithmetic = _arith(formula, stated, parts, f"{fmt(out.computed)}{unit}",
                        f"±{fmt(out.allowance)}{unit}")
    if out.ok:
        _record(ctx, "verified", rule, f"{how}之和等于所写总数", stated, parts, arithmetic)
        return "verified"
    if out.magnitude is None and _whole_scale(out.computed, total.value):
        _record(ctx, "warning", "magnitude",
                f"{how}合计{fmt(out.computed)}{unit}（{listed}），与所写总数{shown(total)}相差约一万倍，"
                f"疑似“元”与“万元”混用（按各项应为{fmt(out.computed)}{unit}）", stated, parts,
                arithmetic, shown(total), f"{fmt(out.computed)}{unit}")
        return "warning"
    if out.magnitude is not None:
        t = out.magnitude
        _record(ctx, "warning", "magnitude",
                f"{how}合计{fmt(out.computed)}{unit}（{listed}），与所写总数{shown(total)}相差约一万倍"
                f"的一项：若{shown(t.m)}写作{fmt(out.corrected)}万元则相符，疑似“元”与“万元”混用",
                stated, parts, arithmetic, shown(t.m), f"{fmt(out.corrected)}万元")
        return "warning"
    diff = abs(out.computed - total.value)
    verdict = above if out.computed > total.value else below
    if out.computed > total.value and below != "error" and above == "error" and len(parts) < 2:
        verdict = "error"
    if verdict == "uncertain":
        _record(ctx, "uncertain", rule, f"{how}合计{fmt(out.computed)}{unit}，少于总数{shown(total)}"
                "（可能只列出了一部分）", stated, parts, arithmetic)
        return verdict
    if out.computed > total.value and len(parts) >= 1 and verdict == "error" and below != "error":
        message = (f"{how}合计{fmt(out.computed)}{unit}（{listed}），超过总数{shown(total)}，"
                   f"相差{fmt(diff)}{unit}")
    else:
        message = (f"{how}合计{fmt(out.computed)}{unit}（{listed}），与所写总数{shown(total)}不符，"
                   f"相差{fmt(diff)}{unit}")
    if verdict == "warning" and note:
        message += note
    elif verdict == "warning" and out.computed < total.value:
        message += "；若所列为全部组成部分，应有一处数字有误"
    elif verdict == "warning":
        message += "；若各项互不重叠，应有一处数字有误"
    _record(ctx, verdict, rule, message, stated, parts, arithmetic, shown(total),
            f"{fmt(out.computed)}{unit}")
    return verdict


# ---------------------------------------------------------------------------- formulas


def judge_formula(ctx: CheckContext, rule: str, stated: Term, operands: Sequence[Term],
                  fn: Callable[..., Decimal], formula: str, describe: Callable[[Decimal, int], str],
                  *, verdict_on_fail: str = "error", signed: Decimal | None = None,
                  decimals: int | None = None) -> str:
    """A stated figure against ``fn(*operands)`` over the operands' rounding intervals.

    ``describe(computed, decimals)`` words the mismatch for people; ``signed``: the stated
    value with its direction (a decrease is negative) when it differs from its magnitude.
    """
    if _seen(ctx, rule, stated.m, operands):
        return "seen"
    ws = [operand(t.m) for t in operands]
    sw = written(stated.m)
    if signed is not None:
        sw = Written(signed, sw.step, sw.exact, sw.written_unit)
    d = decimals if decimals is not None else _decimals(stated.m)
    span = bounds(fn, ws)
    if span is None:
        return "none"
    lo, hi = span
    mid = fn(*[w.value for w in ws])
    tolerance = f"{fmt(lo, d + 2)}～{fmt(hi, d + 2)}，所写数允许±{fmt(sw.half)}"
    arithmetic = _arith(formula, stated, operands, amount(mid, stated.m, d + 2), tolerance)
    if overlaps(sw, lo, hi):
        _record(ctx, "verified", rule, formula, stated, operands, arithmetic)
        return "verified"
    # a 万 dropped (tried first: the commoner slip) or added in one money figure
    tries = sorted(((i, f) for i, t in enumerate(operands) for f in _rescales(t.m)),
                   key=lambda x: x[1] < 1)
    for i, factor in tries:
        trial = list(ws)
        trial[i] = _scaled(ws[i], factor)
        sp = bounds(fn, trial)
        if sp is not None and overlaps(sw, *sp):
            _record(ctx, "warning", "magnitude",
                    f"{describe(mid, d)}；若{shown(operands[i].m)}写作{fmt(trial[i].value)}万元"
                    "则相符，两者相差约一万倍，疑似“元”与“万元”混用", stated, operands,
                    arithmetic, shown(stated.m), amount(mid, stated.m, d))
            return "warning"
    for factor in _rescales(stated.m):
        if overlaps(_scaled(sw, factor), lo, hi):
            _record(ctx, "warning", "magnitude",
                    f"{describe(mid, d)}；所写{shown(stated.m)}与计算值相差约一万倍，"
                    f"应为{fmt(mid, d)}万元，疑似“元”与“万元”混用", stated, operands,
                    arithmetic, shown(stated.m), amount(mid, stated.m, d))
            return "warning"
    if verdict_on_fail != "uncertain" and _truncated(sw, lo, hi, d):
        _record(ctx, "warning", rule,
                f"{describe(mid, d)}；所写{shown(stated.m)}与按截尾取数的结果相同，"
                "按四舍五入则不符", stated, operands, arithmetic, shown(stated.m),
                amount(mid, stated.m, d))
        return "warning"
    if _whole_scale(mid, sw.value):
        _record(ctx, "warning", "magnitude",
                f"{describe(mid, d)}；两者相差约一万倍，疑似“元”与“万元”混用", stated, operands,
                arithmetic, shown(stated.m), amount(mid, stated.m, d))
        return "warning"
    if verdict_on_fail == "uncertain":
        _record(ctx, "uncertain", rule, describe(mid, d), stated, operands, arithmetic)
        return "uncertain"
    _record(ctx, verdict_on_fail, rule, describe(mid, d), stated, operands, arithmetic,
            shown(stated.m), amount(mid, stated.m, d))
    return verdict_on_fail


def operand(m: Metric) -> Written:
    """An operand of a ratio or a growth rate. Amounts written without decimals are taken
    as written (200 ÷ 300 is 66.7%, not anything from 66.4% to 66.9%): budgets are set in
    whole 万元, and a rounded whole amount moves a rate by less than its last digit for the
    amounts reports write. Amounts written with decimals stand for their rounding interval
    (45.76 ÷ 75.20 may be written 60.8%)."""
    w = written(m)
    if m.kind == "money" and "." not in (m.number_text or ""):
        return Written(w.value, w.step, True, w.written_unit)
    return w


def _decimals(m: Metric) -> int:
    from jixiao.check.tolerance import decimals_of

    return decimals_of(m.number_text)


def holds_formula(fn: Callable[..., Decimal], stated: Metric, operands: Sequence[Metric],
                  signed: Decimal | None = None) -> bool:
    """Whether the relation holds, without reporting (to choose among candidates)."""
    sw = written(stated)
    if signed is not None:
        sw = Written(signed, sw.step, sw.exact, sw.written_unit)
    span = bounds(fn, [operand(m) for m in operands])
    return span is not None and overlaps(sw, *span)


def holds_sum(total: Metric, parts: Sequence[Term]) -> bool:
    return _sum(Term(total, "合计"), parts).ok
