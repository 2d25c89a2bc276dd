"""Write the long-format export (one row per figure) as CSV, XLSX or JSON Lines."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any

from jixiao.errors import JixiaoError

COLUMNS = [("county", "县区"), ("year", "年度"), ("key", "指标键"), ("label", "指标"),
           ("value", "数值"), ("unit", "单位"), ("qualifiers", "限定"),
           ("placeholder", "占位符"), ("source", "来源文件"), ("sentence", "原句")]


def _cell(name: str, value: Any) -> Any:
    if name == "qualifiers":
        return json.dumps(value or {}, ensure_ascii=False)
    if name == "placeholder":
        return "是" if value else ""
    return value


def write_export(rows: list[dict[str, Any]], fmt: str, output: Path | None) -> None:
    if fmt == "xlsx":
        if output is None:
            raise JixiaoError("--output", "xlsx 格式需要用 --output 指定文件名")
        write_xlsx(output, "数字", [label for _, label in COLUMNS],
                   [[_cell(k, r[k]) for k, _ in COLUMNS] for r in rows],
                   number_columns={4})
        return
    # a CSV file gets a BOM so Excel on Chinese Windows reads it as UTF-8, not GBK
    encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
    stream = output.open("w", encoding=encoding, newline="") if output else sys.stdout
    try:
        if fmt == "json":
            from jixiao.extract.metrics import json_default

            for r in rows:
                stream.write(json.dumps(r, ensure_ascii=False, default=json_default) + "\n")
        else:
            writer = csv.writer(stream)
            writer.writerow([k for k, _ in COLUMNS])
            for r in rows:
                writer.writerow([_cell(k, r[k]) for k, _ in COLUMNS])
    finally:
        if output:
            stream.close()


def write_xlsx(path: Path, title: str, header: list[str], rows: list[list[Any]],
               number_columns: set[int], marks: list[set[int]] | None = None) -> None:
    """One sheet with a frozen, bold header and numbers stored as numbers (exact digits)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    wb = Workbook()
    wb.properties.creator = "jixiao"  # our own output: not read back as a report
    ws = wb.active
    ws.title = title
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    flagged = PatternFill("solid", fgColor="FFF2A8")
    for i, row in enumerate(rows):
        ws.append([float(v) if i_col in number_columns and v is not None and not isinstance(v, str)
                   else v for i_col, v in enumerate(row)])
        for col in number_columns:
            ws.cell(row=i + 2, column=col + 1).number_format = "General"  # 459, 81296.2157
        for col in (marks[i] if marks else ()):
            ws.cell(row=i + 2, column=col + 1).fill = flagged
    ws.freeze_panes = "A2"
    for col_cells in ws.columns:
        width = max(len(str(c.value or "")) for c in col_cells[:200])
        ws.column_dimensions[col_cells[0].column_letter].width = min(max(8, width * 1.6), 60)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
