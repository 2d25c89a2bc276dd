"""Listed counts: "A、B、C3个部门单位" — the number written against the items named."""

from __future__ import annotations

import re
from decimal import Decimal

from jixiao.check.context import CheckContext
from jixiao.check.tolerance import fmt

# The list starts after one of these words (分别对A、B、C3个单位 / 从A、B五个方面).
_LIST_START = re.compile(r"(?:分别对|对于|对|从|包括|涵盖|：|:)")
_CLAUSE_BREAK = re.compile(r"[，。；！？,;\n]")
_LAST_JOIN = re.compile(r"[和及与]")


def _items(before: str) -> list[str] | None:
    starts = list(_LIST_START.finditer(before))
    chunk = before[starts[-1].end():] if starts else before
    if "、" not in chunk or chunk.endswith(("、", "等")) or re.search(r"\d", chunk):
        return None  # not a list of names, or an open list (…等N个)
    items = chunk.split("、")
    last = _LAST_JOIN.split(items[-1])
    items = items[:-1] + [p for p in last if p]
    if any(not item.strip() or len(item) > 40 for item in items):
        return None
    return items


def check_listed_counts(ctx: CheckContext) -> None:
    text = ctx.doc.text
    for m in ctx.metrics:
        if m.origin != "text" or m.kind != "count" or m.placeholder or m.value is None:
            continue
        breaks = list(_CLAUSE_BREAK.finditer(text, max(0, m.start - 200), m.start))
        start = breaks[-1].end() if breaks else max(0, m.start - 200)
        before = text[start:m.start]
        # 优、良、差的项目分别有9个、4个、1个: the names are shared out, not counted
        if re.search("分别(?!对)", before) or re.match(r"\s*[、和及与]\s*[\d一二两三四五六七八九十]", text[m.end:]):
            continue
        items = _items(before)
        if items is None:
            continue
        if Decimal(len(items)) == m.value:
            ctx.verified("listed-count", f"写明的数目等于列出的{len(items)}项", [m])
            continue
        ctx.report("listed-count", "error",
                   f"写明{fmt(m.value)}{m.unit}，实际列出{len(items)}项（{'、'.join(items)}）",
                   [m], f"{fmt(m.value)}{m.unit}", str(len(items)))
