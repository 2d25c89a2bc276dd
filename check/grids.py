"""Tables as grids: row and column totals, 执行率 per row, points per group.

A grid is a table whose columns are named by kind (年初预算数, 全年预算数, 执行数, 执行率,
分值, 得分, 金额 …, ``check/data/tables.yaml``) and whose rows carry a label (年度资金总额,
其中：财政拨款, 合计 …). It is read from a :class:`~jixiao.model.Table`, or from a
self-evaluation form's funds block that a reader left as running text (年初预算数 全年预算数
全年执行数 分值 执行率 得分 年度资金总额: 0 0 0 10 0 0 其中:本年财政拨款 90 89.974 89.974).

- a total row against the rows it totals, column by column (a total at the top — 年度资金
  总额 — totals the rows below it; one at the bottom — 合计 — the rows above it, less the
  其中 sub-rows);
- 执行率 = 执行数 ÷ 预算数 in each row, with 全年/调整后预算数 and with 年初预算数 (both are
  in use: either agreeing verifies the row);
- the points of a group against the points its heading states (产出指标（50分）).

Every cell a relation uses becomes evidence with its place in the table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from jixiao.check.clauses import fold, folded
from jixiao.check.context import CheckContext, load_check_yaml
from jixiao.check.relate import HUNDRED, Term, holds_formula, judge_formula, judge_sum, shown
from jixiao.check.tolerance import fmt
from jixiao.extract.metrics import Metric
from jixiao.extract.normalize import to_simplified
from jixiao.extract.quantities import parse_number
from jixiao.model import Table

__all__ = ["check_grids", "read_grids"]

_AMOUNTS = ("budget_initial", "budget", "spent", "money", "count")
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\s*[%％]?$")


@cache
def _vocab() -> dict[str, Any]:
    data = load_check_yaml("tables.yaml")
    return {
        "columns": [(kind, re.compile(p)) for kind, p in data["columns"]],
        "total_row": re.compile(data["total_row"]),
        "sub_row": re.compile(data["sub_row"]),
        "points_group": re.compile(data["points_group"]),
        "form_rows": re.compile(data["form_rows"]),
    }


def _clean(text: str) -> str:
    return re.sub(r"\s+", "", fold(to_simplified(text)))


def column_kind(name: str) -> str | None:
    name = _clean(name)
    if not name:
        return None
    return next((kind for kind, p in _vocab()["columns"] if p.search(name)), None)


@dataclass
class Cell:
    text: str
    value: Decimal
    percent: bool
    m: Metric
    where: tuple[int, int, int] | None = None   # table, row, column


@dataclass
class Row:
    label: str
    cells: dict[int, Cell] = field(default_factory=dict)  # column → cell
    total: bool = False
    sub: bool = False

    def of(self, grid: Grid, kind: str) -> Cell | None:
        return next((c for i, c in sorted(self.cells.items()) if grid.kinds.get(i) == kind),
                    None)


@dataclass
class Grid:
    names: dict[int, str]
    kinds: dict[int, str | None]
    rows: list[Row]
    units: dict[int, str]
    table: Table | None = None

    def columns_of(self, *kinds: str) -> list[int]:
        return [i for i, k in sorted(self.kinds.items()) if k in kinds]


# ---------------------------------------------------------------------------- reading


def _value(text: str) -> tuple[Decimal, bool] | None:
    t = to_simplified(text).strip().replace("％", "%")
    if not _NUMBER.match(t):
        return None
    try:
        return parse_number(t.rstrip("%").strip()), t.endswith("%")
    except (ValueError, InvalidOperation):
        return None


_HEADER_UNIT = re.compile(r"[（(]\s*(万元|元|亿元|%|分)\s*[)）]")


def _unit(name: str, kind: str | None) -> str:
    found = _HEADER_UNIT.search(to_simplified(name))
    if found:
        return found.group(1)
    if kind == "rate":
        return "%"
    if kind in ("points", "score"):
        return "分"
    return ""


def _table_grid(ctx: CheckContext, t: Table) -> Grid | None:
    header = [_clean(h) for h in t.header]
    kinds = {i: column_kind(h) for i, h in enumerate(header)}
    if sum(1 for k in kinds.values() if k in (*_AMOUNTS, "rate", "points", "score")) < 1:
        return None
    rows = [list(r) for r in t.rows]
    # a header without the label column's name, one cell short at its end: 年初预算数 |
    # 全年预算数 … | (empty) over rows that start with their label (年度资金总额 | 7.29 …)
    if kinds.get(0) not in (None, "ordinal") and header and not header[-1] and rows and sum(
            1 for r in rows if r and r[0].strip() and _value(r[0]) is None) >= len(rows) / 2:
        header = ["", *header[:-1]]
        kinds = {i: column_kind(h) for i, h in enumerate(header)}
    # the extractor's figure of a cell, when its text is unique in its row (keys, evidence)
    seen: dict[tuple[str, str], list[Metric]] = {}
    for m in ctx.metrics:
        if m.origin == "table" and m.start == t.anchor:
            seen.setdefault((m.sentence, m.surface), []).append(m)
    page = t.page if t.page is not None else ctx.doc.locate(t.anchor).page
    names = dict(enumerate(header))
    units = {i: _unit(h, kinds[i]) for i, h in enumerate(header)}
    # 项目资金（万元） over the label column: the unit of the amounts beside it
    shared = next((_unit(h, None) for h in header[:2] if _unit(h, None)), "")
    for i, k in kinds.items():
        if k in _AMOUNTS and not units[i]:
            units[i] = shared
    out_rows = []
    rate_cols = [i for i, k in kinds.items() if k == "rate"]
    for r, row in enumerate(rows):
        label_cells = [c for c in row if c.strip() and _value(c) is None]
        label = _clean(label_cells[0]) if label_cells else ""
        sentence = " | ".join(c.strip() for c in row)
        texts = [c.strip() for c in row]
        out = Row(label)
        for i, text in enumerate(row):
            kind = kinds.get(i)
            parsed = _value(text)
            if parsed is None or kind in (None, "ordinal"):
                continue
            value, percent = parsed
            col = i
            if percent and kind not in ("rate", "share") and rate_cols and not any(
                    _value(row[j]) for j in rate_cols if j < len(row)):
                col = rate_cols[0]  # 其中 rows leave 分值 empty: the rate moves left
            unit = "%" if percent or kinds.get(col) in ("rate", "share") else units.get(col, "")
            found = seen.get((sentence, text.strip()), [])
            m = found[0] if len(found) == 1 and texts.count(text.strip()) == 1 else Metric(
                key=None, value=value, unit=unit or "", kind=_metric_kind(kinds.get(col)),
                surface=text.strip(), start=t.anchor, end=t.anchor, page=page,
                section=t.section, sentence=sentence, origin="table",
                number_text=text.strip().rstrip("%％").strip())
            out.cells[col] = Cell(text.strip(), value, percent, m, (t.index, r, i))
        out.total = bool(_vocab()["total_row"].search(label)) or any(
            _vocab()["total_row"].search(_clean(c)) for c in row[:3]
            if c.strip())
        out.sub = bool(_vocab()["sub_row"].match(label))
        out_rows.append(out)
    return Grid(names, kinds, out_rows, units, t)


def _metric_kind(kind: str | None) -> str:
    return {"rate": "percent", "share": "percent", "points": "score", "score": "score",
            "count": "count"}.get(kind or "", "money")


_TOKEN = re.compile(r"[+-]?\d[\d,]*(?:\.\d+)?(?:\s*[%％])?")


def _form_grids(ctx: CheckContext) -> list[Grid]:
    """Funds blocks of self-evaluation forms left as running text."""
    v = _vocab()
    names = re.compile("|".join(["年初预算数", "全年预算数", "调整后预算数", "预算数",
                                 "全年执行数", "执行数", "分值", "执行率", "得分"]))
    plain = folded(ctx)
    grids = []
    for para in ctx.doc.paragraphs:
        text = plain[para.start:para.end]
        heads = list(names.finditer(text))
        run: list[re.Match[str]] = []
        for h in heads:
            if run and h.start() - run[-1].end() > 6:
                if len(run) >= 3:
                    break
                run = []
            run.append(h)
        if len(run) < 3:
            continue
        cols = [h.group(0) for h in run]
        kinds = {i: column_kind(c) for i, c in enumerate(cols)}
        rows = []
        body_start = run[-1].end()
        labels = list(v["form_rows"].finditer(text, body_start, body_start + 400))
        for k, lab in enumerate(labels):
            stop = labels[k + 1].start() if k + 1 < len(labels) else min(len(text), lab.end() + 80)
            at = lab.end()
            while at < stop and text[at] in " ：:|\t":
                at += 1
            tokens = []
            for tok in _TOKEN.finditer(text, at, stop):
                if text[at:tok.start()].strip(" |\t"):
                    break
                tokens.append(tok)
                at = tok.end()
            row = Row(re.sub(r"\s+", "", lab.group(0)))
            amount_cols = [i for i, k2 in kinds.items() if k2 in _AMOUNTS]
            rate_cols = [i for i, k2 in kinds.items() if k2 == "rate"]
            plain_tokens = [t for t in tokens if "%" not in t.group(0) and "％" not in t.group(0)]
            if len(tokens) == len(cols):
                placed = list(enumerate(tokens))
            else:
                placed = list(zip(amount_cols, plain_tokens, strict=False))
                placed += list(zip(rate_cols, [t for t in tokens if t not in plain_tokens],
                                   strict=False))
            for col, tok in placed:
                parsed = _value(tok.group(0))
                if parsed is None:
                    continue
                value, percent = parsed
                start, end = para.start + tok.start(), para.start + tok.end()
                kind = kinds.get(col)
                m = Metric(key=None, value=value,
                           unit="%" if kind == "rate" or percent else ("分" if kind in (
                               "points", "score") else "万元"),
                           kind=_metric_kind(kind), surface=ctx.doc.text[start:end].strip(),
                           start=start, end=end, page=ctx.doc.locate(start).page,
                           section=(s.id if (s := ctx.doc.section_at(start)) else None),
                           sentence=text[lab.start():stop], origin="text",
                           number_text=tok.group(0).rstrip("%％").strip())
                row.cells[col] = Cell(tok.group(0), value, percent, m)
            row.total = bool(v["total_row"].search(row.label))
            row.sub = bool(v["sub_row"].match(row.label))
            rows.append(row)
        if rows:
            grids.append(Grid(dict(enumerate(cols)), kinds, rows,
                              {i: ("%" if k == "rate" else "万元") for i, k in kinds.items()}))
    return grids


def read_grids(ctx: CheckContext) -> list[Grid]:
    grids = [g for t in ctx.doc.tables if (g := _table_grid(ctx, t)) is not None]
    return grids + _form_grids(ctx)


# ---------------------------------------------------------------------------- rules


def check_grids(ctx: CheckContext) -> None:
    for grid in read_grids(ctx):
        cells = ctx.__dict__.setdefault("cell_of", {})
        for row in grid.rows:
            for c in row.cells.values():
                if c.where is not None:
                    cells[id(c.m)] = c.where
        _totals(ctx, grid)
        _rates(ctx, grid)
        _points(ctx, grid)


def _totals(ctx: CheckContext, grid: Grid) -> None:
    rows = grid.rows
    for k, total in enumerate(rows):
        if not total.total:
            continue
        filled_before = [r for r in rows[:k] if r.cells]
        if not filled_before:   # 年度资金总额 first: the rows below, to the next total
            block = []
            for r in rows[k + 1:]:
                if r.total:
                    break
                block.append(r)
        else:                   # 合计 last: the rows above since the last total, not 其中
            start = max((i + 1 for i, r in enumerate(rows[:k]) if r.total), default=0)
            block = [r for r in rows[start:k] if not r.sub]
        for col in grid.columns_of(*_AMOUNTS, "points", "score"):
            cell = total.cells.get(col)
            parts = [r.cells[col] for r in block if col in r.cells]
            if cell is None or not parts or (filled_before and len(parts) < 2):
                continue
            kind = grid.kinds[col]
            unit = cell.m.unit or grid.units.get(col, "")
            name = grid.names.get(col) or "各列"
            soft = "warning" if kind in ("points", "score") else "error"
            verdict = judge_sum(ctx, "table", cell.m, [Term(c.m, "行") for c in parts],
                                f"表内{name}各行", below=soft, above=soft,
                                formula=f"{total.label or '合计行'}的{name} = 各行之和")
            if verdict in ("error", "warning"):  # only a finding of this total is named
                _fix_units(ctx, unit)


def _fix_units(ctx: CheckContext, unit: str) -> None:
    """Messages quote table cells as written (no unit); name the column's unit once."""
    if not unit or not ctx.result.findings:
        return
    f = ctx.result.findings[-1]
    if f.rule == "table" and f.message.startswith("表内") and "合计" in f.message:
        f.message = re.sub(r"合计([\d.,-]+)（", lambda m: f"合计{m.group(1)}{unit}（", f.message,
                           count=1)


def _rates(ctx: CheckContext, grid: Grid) -> None:
    for row in grid.rows:
        rate = row.of(grid, "rate")
        spent = row.of(grid, "spent")
        if rate is None or spent is None:
            continue
        budgets = [c for c in (row.of(grid, "budget"), row.of(grid, "budget_initial"))
                   if c is not None and c.value]
        if not budgets:
            continue

        def fn(a: Decimal, b: Decimal) -> Decimal:
            return a / b * HUNDRED

        chosen = next((b for b in budgets if holds_formula(fn, rate.m, [spent.m, b.m])),
                      budgets[0])
        label = row.label or "该行"
        judge_formula(
            ctx, "rate", Term(rate.m, "执行率"), [Term(spent.m, "执行数"), Term(chosen.m, "预算数")],
            fn, f"{label}：{shown(rate.m)} = {spent.text} ÷ {chosen.text}",
            lambda c, dd, label=label, rate=rate, spent=spent, chosen=chosen: (
                f"{label}执行率写为{rate.text}，按执行数{spent.text}÷预算数{chosen.text}计算应为"
                f"{fmt(c, dd)}%"))


def _points(ctx: CheckContext, grid: Grid) -> None:
    """产出指标（50分）: the points of the group's rows add up to the points its heading states."""
    cols = grid.columns_of("points")
    if not cols:
        return
    col = cols[0]
    groups: list[tuple[Decimal, Row, list[Row]]] = []
    # 绩效指标（90分） heading the table: every indicator row is in its group
    heading = next((m for h in grid.names.values()
                    if (m := _vocab()["points_group"].search(h))), None)
    if heading is not None and not any(_vocab()["points_group"].search(r.label)
                                       for r in grid.rows):
        groups.append((Decimal(heading.group(1)), Row(grid.names.get(0) or "绩效指标"), []))
    for row in grid.rows:
        head = next((m for c in [row.label] if (m := _vocab()["points_group"].search(c))), None)
        if head is not None:
            groups.append((Decimal(head.group(1)), row, []))
        if groups and col in row.cells and not row.total:
            groups[-1][2].append(row)
    for target, head_row, members in groups:
        cells = [r.cells[col] for r in members]
        if not cells or (len(cells) < 2 and head_row in grid.rows):
            continue
        total = sum((c.value for c in cells), Decimal(0))
        evidence = [c.m for c in cells]
        if total == target:
            ctx.verified("table", f"{head_row.label}：各项分值之和等于{fmt(target)}分", evidence)
        else:
            ctx.report("table", "warning",
                       f"{head_row.label}各项分值合计{fmt(total)}分，与标明的{fmt(target)}分不符",
                       evidence, f"{fmt(target)}分", f"{fmt(total)}分")
