"""Years: a figure's year that contradicts the year its section heading states."""

from __future__ import annotations

import re

from jixiao.check.context import CheckContext
from jixiao.check.findings import Evidence
from jixiao.extract.attribution import year_of_heading


def check_years(ctx: CheckContext) -> None:
    by_id = {s.id: s for s in ctx.doc.sections}
    seen: set[int] = set()
    for m in ctx.usable:
        year = m.qualifiers.get("year")
        section = by_id.get(m.section or "")
        if year is None or section is None or m.origin != "text":
            continue
        heading_year = year_of_heading(section.heading)
        if heading_year is None or heading_year == year:
            continue
        s_start, s_end = ctx.sentence_of(m)
        if s_start in seen:
            continue
        seen.add(s_start)
        spans = []
        for hit in re.finditer(rf"{year}\s*年", ctx.doc.text[s_start:s_end]):
            a, b = s_start + hit.start(), s_start + hit.end()
            spans.append(Evidence(hit.group(0), a, b, m.page, m.section))
        ctx.report("years", "warning",
                   f"本节标题写的是{heading_year}年，此句的数字却写为{year}年，请核对年份", [m],
                   f"{year}年", f"{heading_year}年", spans=spans)
