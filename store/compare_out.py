"""Write a comparison (:class:`~jixiao.store.queries.CompareTable`) for people and tools."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any

from jixiao.errors import JixiaoError
from jixiao.store.queries import CompareTable


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
        from jixiao.cli import _json_default

        lines = [json.dumps(rec, ensure_ascii=False, default=_json_default)
                 for rec in table.to_records()]
        _emit("\n".join(lines) + ("\n" if lines else ""), output)
    elif fmt == "csv":
        stream = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
        writer = csv.writer(stream)
        writer.writerow(_header(table))
        for row in _cells(table):
            writer.writerow([_text(v) for v in row])
        if output:
            stream.close()
    elif fmt == "xlsx":
        from jixiao.store.export import write_xlsx

        offset = 3
        marks = [{offset + i for i, c in enumerate(table.columns) if c.id in r.outliers}
                 for r in table.rows]
        write_xlsx(output, "比较", _header(table), _cells(table),  # type: ignore[arg-type]
                   number_columns=set(range(offset, offset + len(table.columns))), marks=marks)
    elif fmt == "html":
        from jixiao.store.charts import render_compare_html

        output.write_text(render_compare_html(table), encoding="utf-8")  # type: ignore[union-attr]


def _emit(text: str, output: Path | None) -> None:
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


def _print_table(table: CompareTable) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False)
    if not console.is_terminal:
        console.width = 200
    view = Table(title=f"县区年度比较（{len(table.rows)} 行；※ 为明显偏离其他县区的值）")
    for h in _header(table):
        view.add_column(h, overflow="fold")
    for row, cells in zip(table.rows, _cells(table), strict=True):
        shown = [_text(v) for v in cells]
        for i, c in enumerate(table.columns):
            if c.id in row.outliers:
                shown[3 + i] += "※"
        view.add_row(*shown)
    console.print(view)
