"""Figures the drafter must not type: shares, rates, sums and changes from last year.

Computed with Decimal arithmetic and rounded once, by :func:`jixiao.check.tolerance.rounded`
(the rule the checker applies), so the draft states exactly what the checker will accept.
A derived figure the drafter typed anyway must agree with the computation within the
precision it was typed with; otherwise the figures file is rejected naming the key.
"""

from __future__ import annotations

from decimal import Decimal

from jixiao.check.tolerance import decimals_of, holds, rounded
from jixiao.extract.catalog import load_catalog
from jixiao.generate.figures import Figures, FiguresError, FigureValue

__all__ = ["derive"]

HUNDRED = Decimal(100)
SHARE_DECIMALS = 1


def _put(figures: Figures, key: str, raw: Decimal, path: str, decimals: int = 0,
         **quals: object) -> None:
    """Add ``key`` computed as ``raw``, rounded to ``decimals`` by the checker's rule. A
    value the drafter typed must agree with ``raw`` at the precision it was typed with
    (89.96 for 89.957…% is right, 90 too); it is then written at that precision, and
    never with fewer decimals than a computed one (90 becomes 90.0)."""
    typed = figures.get(key, **quals)
    if typed is not None:
        typed_decimals = max(decimals_of(format(typed, "f")), 0)
        if not holds(typed, raw, typed_decimals):
            where = next((f"{path}:{v.line}" for v in figures.all(key, **quals) if v.line), path)
            shown = format(rounded(raw, max(decimals, typed_decimals)), "f")
            raise FiguresError(where, f"“{key}”由其他数字计算应为{shown}，"
                                      f"文件中写的是{format(typed, 'f')}；请删去此项，由程序计算")
        value = rounded(raw, max(decimals, typed_decimals))
        figures.values = [FigureValue(v.key, value, v.qualifiers, v.line, derived=True)
                          if v.key == key and v.qualifiers == quals else v
                          for v in figures.values]
        return
    figures.add(FigureValue(key, rounded(raw, decimals), dict(quals), derived=True))


def _where(figures: Figures, key: str, path: str) -> str:
    return next((f"{path}:{v.line}" for v in figures.all(key) if v.line), path)


def _at_most(figures: Figures, part_key: str, whole_key: str, path: str,
             part_quals: dict[str, object] | None = None) -> None:
    """A part typed (or derived) above its whole is a typing slip, not a figure to state."""
    part = figures.get(part_key, **(part_quals or {}))
    whole = figures.get(whole_key)
    if part is None or whole is None or part <= whole:
        return
    labels = load_catalog()
    what = (f"{part_quals['month']}月" if part_quals and "month" in part_quals else "")
    raise FiguresError(_where(figures, whole_key if part_quals else part_key, path),
                       f"{what}“{part_key}”（{labels[part_key].label}）{part}大于“{whole_key}”"
                       f"（{labels[whole_key].label}）{whole}，请核对")


def _share(part: Decimal, whole: Decimal) -> Decimal:
    """part ÷ whole in percent, unrounded (_put rounds it)."""
    return part / whole * HUNDRED


# A checkpoint's graded projects add up to its total only when the grades named cover the
# range: the lowest grade (差, 中及以下) is among them, or three grades are (the checker's
# rule for a complete breakdown).
_LOWEST = {"差", "中及以下"}


def _complete(grades: set[str]) -> bool:
    return (len(grades) >= 2 and bool(grades & _LOWEST)) or len(grades) >= 3


def derive(figures: Figures, previous: Figures | None = None, path: str = "") -> Figures:
    """Add the derived figures to ``figures`` (in place) and return it."""
    # monitoring: a checkpoint's total is the sum of its graded parts, when they are all
    months = sorted({v.qualifiers.get("month") for v in figures.all("monitoring.grade_projects")
                     if v.qualifiers.get("month")})
    for month in months:
        graded = [v for v in figures.all("monitoring.grade_projects", month=month)
                  if set(v.qualifiers) == {"month", "grade"}]
        if _complete({v.qualifiers["grade"] for v in graded}):
            _put(figures, "monitoring.projects", sum((v.value for v in graded), Decimal(0)),
                 path, month=month)
    # grade shares of the evaluated projects and of the evaluated units
    for count_key, share_key, whole_keys in (
            ("evaluation.grade_count", "evaluation.grade_share",
             ("key_eval.projects", "evaluation.projects")),
            ("overall_eval.grade_count", "overall_eval.grade_share",
             ("overall_eval.departments",))):
        whole = next((w for k in whole_keys if (w := figures.get(k)) is not None), None)
        if not whole:
            continue
        for v in figures.all(count_key):
            grade = v.qualifiers.get("grade")
            if grade and len(v.qualifiers) == 1:
                _put(figures, share_key, _share(v.value, whole), path, SHARE_DECIMALS,
                     grade=grade)
    # execution rate
    spent, budget = figures.get("execution.spent"), figures.get("execution.budget")
    if spent is not None and budget:
        _at_most(figures, "execution.spent", "execution.budget", path)
        _put(figures, "execution.rate", _share(spent, budget), path, SHARE_DECIMALS)
    # the key-evaluated projects' execution rate, as the checker computes it
    spent, budget = figures.get("key_eval.spent"), figures.get("key_eval.budget")
    if spent is not None and budget:
        _at_most(figures, "key_eval.spent", "key_eval.budget", path)
        _put(figures, "key_eval.rate", _share(spent, budget), path, SHARE_DECIMALS)
    # parts never above their whole
    _at_most(figures, "target.approved", "target.projects", path)
    for month in months:
        amounts = [v.value for v in figures.all("monitoring.grade_amount", month=month)]
        whole = figures.get("monitoring.amount")
        if amounts and whole is not None and sum(amounts, Decimal(0)) > whole:
            raise FiguresError(_where(figures, "monitoring.grade_amount", path),
                               f"{month}月各等级项目涉及资金合计{sum(amounts, Decimal(0))}万元，"
                               f"超过纳入监控的资金（monitoring.amount）{whole}万元，请核对")
    cut_projects, cut_amount = (figures.get("application.cut_projects"),
                                figures.get("application.cut_amount"))
    if cut_projects == 0 and cut_amount:
        raise FiguresError(_where(figures, "application.cut_amount", path),
                           f"核减调减资金{cut_amount}万元，但核减调减的项目数为0，请核对")
    for month in months:
        _at_most(figures, "monitoring.projects", "monitoring.projects", path, part_quals={
            "month": month})
    for count_key, whole_key in (("evaluation.grade_count", "key_eval.projects"),
                                 ("overall_eval.grade_count", "overall_eval.departments")):
        counted = [v for v in figures.all(count_key) if set(v.qualifiers) == {"grade"}]
        whole = figures.get(whole_key)
        total = sum((v.value for v in counted), Decimal(0))
        if counted and whole is not None and total > whole:
            raise FiguresError(_where(figures, count_key, path),
                               f"“{count_key}”各等次合计{total}，超过“{whole_key}”{whole}")
    # change from last year's report
    if previous is not None:
        this, last = figures.get("target.projects"), previous.get("target.projects")
        if this is not None and last and this > last:
            _put(figures, "target.projects_change", this - last, path)
            _put(figures, "target.projects_growth", _share(this - last, last), path,
                 SHARE_DECIMALS)
    return figures
