"""Write a comparison (:class:`~jixiao.store.compare.CompareTable`) for people and tools."""

from __future__ import annotations

import csv
import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from jixiao.errors import JixiaoError
from jixiao.store.compare import CompareTable


def _header(table: CompareTable) -> list[str]:
    return ["县区", "报告年度", "数据年度"] + [f"{c.label}（{c.unit}）" for c in table.columns]


def _cells(table: CompareTable) -> list[list[Any]]:
    return [[r.county or "—", r.year, r.data_year] + [r.values.get(c.id) for c in table.columns]
            for r in table.rows]


def _text(value: Any) -> str:
    if value is None:
        return ""
    return format(value, "f") if not isinstance(value, str | int) else str(value)


def write_compare(table: CompareTable, fmt: str, output: Path | None) -> None:
    if fmt in ("xlsx", "html") and output is None:
        raise JixiaoError("--output", f"{fmt} 格式需要用 --output 指定文件名")
    if fmt == "table":
        _print_table(table)
    elif fmt == "json":
        lines = _json_lines(table)
        _emit("\n".join(lines) + ("\n" if lines else ""), output)
    elif fmt == "csv":
        # a BOM so Excel on Chinese Windows opens the file as UTF-8, not GBK
        stream = output.open("w", encoding="utf-8-sig", newline="") if output else sys.stdout
        writer = csv.writer(stream)
        writer.writerow(_header(table))
        for row in _cells(table):
            writer.writerow([_text(v) for v in row])
        if output:
            stream.close()
    elif fmt == "xlsx":
        _write_xlsx(table, output)  # type: ignore[arg-type]
    elif fmt == "html":
        from jixiao.store.charts import render_compare_html

        output.write_text(render_compare_html(table), encoding="utf-8")  # type: ignore[union-attr]


def number_format(values: list[Decimal | None]) -> str:
    """An Excel format showing a column's values as written: thousands separators and as
    many decimals as the most precise value (up to 4), none for whole numbers.

    >>> number_format([Decimal(459), None]), number_format([Decimal("60270.85"), Decimal(1)])
    ('#,##0', '#,##0.00')
    """
    places = 0
    for v in values:
        if v is not None:
            exponent = v.normalize().as_tuple().exponent
            places = max(places, -exponent if isinstance(exponent, int) and exponent < 0 else 0)
    return "#,##0" + ("." + "0" * min(places, 4) if places else "")


def _write_xlsx(table: CompareTable, path: Path) -> None:
    """One sheet: bold wrapped header with units, frozen; figures as numbers with a format
    per column; outliers filled and explained in a cell comment."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    offset = 3  # 县区, 报告年度, 数据年度
    wb = Workbook()
    wb.properties.creator = "jixiao"  # our own output: not read back as a report
    ws = wb.active
    ws.title = "比较"
    ws.append(_header(table))
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="bottom", horizontal="center")
    flagged = PatternFill("solid", fgColor="FFE1DC")
    formats = [number_format([r.values.get(c.id) for r in table.rows]) for c in table.columns]
    for i, (row, cells) in enumerate(zip(table.rows, _cells(table), strict=True), start=2):
        ws.append([float(v) if isinstance(v, Decimal) else v for v in cells])
        for j, c in enumerate(table.columns):
            cell = ws.cell(row=i, column=offset + j + 1)
            cell.number_format = formats[j]
            if c.id in row.outliers:
                cell.fill = flagged
                cell.font = Font(bold=True, color="A61B0F")
                cell.comment = Comment("明显偏离其他县区的值（稳健 z 分数大于 3.5）", "jixiao")
    ws.freeze_panes = "A2"
    ws.row_dimensions[1].height = 48
    ws.column_dimensions["A"].width = max([10] + [len(str(r[0])) * 2 + 2
                                                  for r in _cells(table)[:200]])
    ws.column_dimensions["B"].width = 9
    ws.column_dimensions["C"].width = 11
    for j in range(len(table.columns)):
        ws.column_dimensions[get_column_letter(offset + j + 1)].width = 14
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def _json_value(value: Any) -> str:
    """One JSON value; a Decimal as its exact digits, never through float.

    >>> [_json_value(v) for v in (Decimal("60270.85"), None, 2024, "石门县")]
    ['60270.85', 'null', '2024', '"石门县"']
    """
    if value is None:
        return "null"
    if isinstance(value, Decimal):
        return format(value, "f")
    return json.dumps(value, ensure_ascii=False)


def _json_lines(table: CompareTable) -> list[str]:
    """One JSON object per report (the fields of :meth:`CompareTable.to_records`), written
    without a per-value callback: a prefecture's comparison has tens of thousands of rows,
    and this is most of what `jixiao compare --format json` spends after its query."""
    names = [json.dumps(n, ensure_ascii=False) + ": "
             for n in ("county", "year", "data_year", *(c.id for c in table.columns))]
    quoted: dict[Any, str] = {}  # county names and years repeat: encode each once

    def text(v: Any) -> str:
        if v is None:
            return "null"
        if type(v) is Decimal:
            t = str(v)  # exact digits; str only switches to an exponent for tiny values
            return format(v, "f") if "E" in t else t
        if (t := quoted.get(v)) is None:
            t = quoted[v] = _json_value(v)
        return t

    lines = []
    for row in table.rows:
        got = row.values.get
        values = (row.county, row.year, row.data_year, *(got(c.id) for c in table.columns))
        parts = [name + text(v) for name, v in zip(names, values, strict=True)]
        parts.append('"outliers": ' + (json.dumps(sorted(row.outliers)) if row.outliers
                                        else "[]"))
        lines.append("{" + ", ".join(parts) + "}")
    return lines


def _emit(text: str, output: Path | None) -> None:
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


def _print_table(table: CompareTable) -> None:
    from rich.cells import cell_len
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False)
    if not console.is_terminal:
        console.width = 200
    view = Table(title=f"县区年度比较（{len(table.rows)} 行；※ 为明显偏离其他县区的值）")
    rows = []
    for row, cells in zip(table.rows, _cells(table), strict=True):
        shown = [_text(v) for v in cells]
        for i, c in enumerate(table.columns):
            if c.id in row.outliers:
                shown[3 + i] += "※"
        rows.append(shown)
    for i, h in enumerate(_header(table)):
        # a column is never narrower than its widest value: headers may wrap, figures and
        # names not (60270.85 must not read as 60270.8 with a 5 on the next line)
        widest = max((cell_len(r[i]) for r in rows), default=0)
        view.add_column(h, overflow="fold", min_width=widest,
                        justify="right" if i >= 3 else "left")
    for shown in rows:
        view.add_row(*shown)
    console.print(view)
