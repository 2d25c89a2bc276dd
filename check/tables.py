"""Tables against the text: a column's rows against the total a sentence or a total row
states, and the number of rows against the number the text announces."""

from __future__ import annotations

import re
from decimal import Decimal

from jixiao.check.context import CheckContext
from jixiao.check.findings import Evidence
from jixiao.check.tolerance import decimals_of, fmt, holds
from jixiao.extract.metrics import Metric
from jixiao.model import Table

_TOTAL_ROW = re.compile(r"^\s*(?:合\s*计|总\s*计|小\s*计)\s*$")
_ANNOUNCES = re.compile(r"如下|以下|下表|见表|清单")


def _table_span(ctx: CheckContext, table: Table) -> Evidence:
    caption = table.caption or "表格"
    return Evidence(caption, table.anchor, table.anchor, table.page, table.section)


def check_tables(ctx: CheckContext) -> None:
    for table in ctx.doc.tables:
        cells = [m for m in ctx.metrics if m.origin == "table" and m.start == table.anchor
                 and not m.placeholder and m.value is not None]
        if not cells:
            continue
        _total_rows(ctx, cells)
        _stated_total(ctx, table, cells)
        _row_count(ctx, table)


def _columns(cells: list[Metric]) -> dict[str, list[Metric]]:
    by_key: dict[str, list[Metric]] = {}
    for m in cells:
        if m.kind == "money" and m.key:
            by_key.setdefault(m.key, []).append(m)
    return by_key


def _is_total(m: Metric) -> bool:
    """A cell of a 合计/总计 row (the word may stand in any cell, usually 序号)."""
    cells = [m.qualifiers.get("entity", "") or "", *m.sentence.split(" | ")]
    return any(_TOTAL_ROW.match(c) for c in cells)


def _total_rows(ctx: CheckContext, cells: list[Metric]) -> None:
    for column in _columns(cells).values():
        total = [m for m in column if _is_total(m)]
        rows = [m for m in column if not _is_total(m)]
        if len(total) != 1 or len(rows) < 2 or ctx.decided("table", total[0]):
            continue  # check/grids.py read this column already
        s = sum((m.value for m in rows), Decimal(0))
        d = max(decimals_of(m.number_text) for m in column)
        if holds(total[0].value, s, d, len(rows) + 1):
            ctx.verified("table", f"{total[0].label}：各行之和等于合计行", column)
        else:
            ctx.report("table", "error",
                       f"表内{total[0].label}各行合计{fmt(s)}万元，合计行为{fmt(total[0].value)}万元，"
                       f"相差{fmt(abs(s - total[0].value))}万元", column,
                       f"{fmt(total[0].value)}万元", f"{fmt(s)}万元")


def _stated_total(ctx: CheckContext, table: Table, cells: list[Metric]) -> None:
    """A sentence of the same section stating the total money of the listed rows."""
    columns = {k: [m for m in v if not _is_total(m)] for k, v in _columns(cells).items()}
    # a table cut short (a page that shows a few rows, a row without its figures) states
    # no total of its column
    rows = [r for r in table.rows if not any(_TOTAL_ROW.match(c) for c in r) and any(
        c.strip() for c in r)]
    columns = {k: v for k, v in columns.items() if len(v) >= 2 and len(v) == len(rows)}
    if not columns:
        return
    stage = next(iter(columns)).split(".", 1)[0]
    stated = [m for m in ctx.usable if m.origin == "text" and m.section == table.section
              and m.key == f"{stage}.amount" and m.start <= table.anchor]
    if not stated:
        return
    claim = stated[-1]
    sums = {k: sum((m.value for m in v), Decimal(0)) for k, v in columns.items()}
    d = max(decimals_of(claim.number_text), 2)
    for key, s in sums.items():
        if holds(claim.value, s, d, len(columns[key]) + 1):
            ctx.verified("table", f"正文总金额等于表内{columns[key][0].label}之和",
                         [claim, *columns[key]])
            return
    # The column the sentence meant: the one a slip of few digits away (12085.11 written
    # 11285.11), then the nearest.
    order = {k: i for i, k in enumerate(columns)}  # ties: the first money column (预算)
    key, s = min(sums.items(), key=lambda kv: (_digit_distance(kv[1], claim.value),
                                               order[kv[0]], abs(kv[1] - claim.value)))
    label = columns[key][0].label
    others = "；".join(f"{columns[k][0].label}合计{fmt(v)}万元，也不相符"
                      for k, v in sums.items() if k != key)
    ctx.report("table", "error",
               f"表内{label}合计{fmt(s)}万元，正文为{fmt(claim.value)}万元，相差"
               f"{fmt(abs(s - claim.value))}万元" + (f"（{others}）" if others else ""),
               [claim, *columns[key]], f"{fmt(claim.value)}万元", f"{fmt(s)}万元")


def _digit_distance(a: Decimal, b: Decimal) -> int:
    """Digits that differ when both numbers are written with two decimals, right-aligned."""
    x, y = f"{a:.2f}".replace(".", ""), f"{b:.2f}".replace(".", "")
    width = max(len(x), len(y))
    return sum(c != d for c, d in zip(x.rjust(width), y.rjust(width), strict=True))


def _row_count(ctx: CheckContext, table: Table) -> None:
    """"以下为选取的N个重点评价项目" against the rows of the table that follows."""
    rows = [r for r in table.rows if not any(_TOTAL_ROW.match(c) for c in r)]
    text = ctx.doc.text
    for m in ctx.usable:
        if m.origin != "text" or m.section != table.section or m.kind != "count":
            continue
        if m.key is None or not m.key.endswith((".projects", ".units")) or m.start > table.anchor:
            continue
        s_start, s_end = ctx.sentence_of(m)
        if not _ANNOUNCES.search(text, s_start, s_end):
            continue
        if m.key.endswith(".projects"):
            n, what = len(rows), "行"
        else:
            unit_col = next((i for i, h in enumerate(table.header) if re.search("单位", h)), None)
            if unit_col is None:
                continue
            n = len({re.sub(r"\s+", "", r[unit_col]) for r in rows if unit_col < len(r)})
            what = "个不同的单位"
        if Decimal(n) == m.value:
            ctx.verified("listed-count", f"{m.label}等于表中所列{what}数", [m])
            continue
        severity = "error" if m.key.endswith(".projects") else "warning"
        ctx.report("listed-count", severity,
                   f"正文写{fmt(m.value)}{m.unit}，下表只列出{n}{what}", [m],
                   f"{fmt(m.value)}{m.unit}", f"{n}", spans=[_table_span(ctx, table)])
