"""元/万元/亿元 slips that no relation exposes: the same amount named twice, once in 元.

Inside a relation a dropped 万 is found by :mod:`jixiao.check.relate` (the relation holds
once one figure is read in the other unit). Here: a money figure written in 元 whose label
names the same thing as a figure written in 万元 or 亿元 elsewhere in the report, the two
about ten thousand times apart (一般公共预算收入38562元 … 一般公共预算收入38562万元).
Standards and prices (生均1000元, 补助标准每人500元) are left alone.
"""

from __future__ import annotations

import re
from decimal import Decimal

from jixiao.check.clauses import Fig, read_paragraphs, vocabulary
from jixiao.check.context import CheckContext
from jixiao.check.relate import shown

__all__ = ["check_magnitude"]

_LEADING = re.compile(r"^(?:\d{4}年(?:度)?|全年|全县|全市|全省|全区|本年|当年|其中|累计|共|实现|完成)+")
_TRAILING = re.compile(r"(?:累计)?(?:完成|实现|达到|达|为|是|共计|合计|共)+$")


def _core(label: str) -> str:
    return _TRAILING.sub("", _LEADING.sub("", label))


def _written_unit(f: Fig) -> str:
    m = f.m
    at = m.surface.find(m.number_text) if m.number_text else -1
    return m.surface[at + len(m.number_text):].strip() if at >= 0 else ""


def check_magnitude(ctx: CheckContext) -> None:
    v = vocabulary()
    figs = [f for p in read_paragraphs(ctx) for f in p.figs if f.family == "money"
            and f.role in ("level", "total")]
    in_yuan = [f for f in figs if _written_unit(f) == "元" and not v.per_unit.search(f.lead)
               and not v.per_unit.search(ctx.doc.plain[f.end:f.end + 4])]
    if not in_yuan:
        return
    big = [f for f in figs if _written_unit(f) in ("万元", "亿元", "万", "亿")]
    by_core: dict[str, list[Fig]] = {}
    for f in big:
        core = _core(f.label)
        if len(core) >= 3:
            by_core.setdefault(core, []).append(f)
    for f in in_yuan:
        core = _core(f.label)
        if len(core) < 3 or not f.m.value:
            continue
        for other in by_core.get(core, []):
            ratio = other.m.value / f.m.value
            if Decimal(3000) <= ratio <= Decimal(30000):
                ctx.report("magnitude", "warning",
                           f"{core}此处写作{shown(f.m)}，报告另一处写为{shown(other.m)}，两者相差约"
                           f"一万倍，疑似漏写或多写“万”字", [f.m, other.m], shown(f.m),
                           f"{f.m.number_text}万元")
                break
