"""Writing a form layout as a workbook sheet, a Word table, or a PDF printed from Word.

A :class:`Layout` is what a template looks like: title lines, a grid of cell values with
merged ranges, number formats, and the place of every logical figure (``money.total.budget``
→ row and column), so a planted slip can be named by the cell address the reader reports.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from jixiao.extract.formgrid import column_letter

__all__ = ["Layout", "pdf_from_docx", "write_docx", "write_xlsx"]


@dataclass
class Layout:
    titles: list[str]
    rows: list[list[object]]  # None: an empty cell
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r0, c0, r1, c1
    formats: dict[tuple[int, int], str] = field(default_factory=dict)  # Excel number formats
    places: dict[str, tuple[int, int]] = field(default_factory=dict)  # figure → (row, col)

    @property
    def width(self) -> int:
        return max(len(r) for r in self.rows)


def _text(value: object, number_format: str | None = None) -> str:
    """A value as the Word or PDF form shows it (the spreadsheet shows it by its format)."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        if number_format and "%" in number_format:
            decimals = number_format.count("0") - 1
            return f"{(value * 100).quantize(Decimal(1).scaleb(-decimals))}%"
        if number_format == "0.00":
            return str(value.quantize(Decimal("0.01")))
        return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)
    return str(value)


def write_xlsx(path: Path, sheets: list[tuple[str, Layout | list[str]]]) -> dict[str, dict[str, str]]:
    """A workbook, one sheet per layout (a list of lines makes a sheet of notes); returns
    the cell address of every placed figure, by sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    book = Workbook()
    book.remove(book.active)
    addresses: dict[str, dict[str, str]] = {}
    for name, layout in sheets:
        ws = book.create_sheet(name)
        if isinstance(layout, list):
            for i, line in enumerate(layout, start=1):
                ws.cell(i, 1, line)
            continue
        width = layout.width
        top = len(layout.titles)
        for i, title in enumerate(layout.titles, start=1):
            ws.cell(i, 1, title).alignment = Alignment(horizontal="center")
            ws.merge_cells(start_row=i, start_column=1, end_row=i, end_column=width)
        for r, row in enumerate(layout.rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                cell = ws.cell(top + r + 1, c + 1)
                fmt = layout.formats.get((r, c))
                if isinstance(value, Decimal) and fmt and "%" in fmt:
                    cell.value = float(value)  # Excel holds 0.9167 and shows 91.67%
                    cell.number_format = fmt
                elif isinstance(value, Decimal):
                    cell.value = float(value)
                    cell.number_format = fmt or "General"
                else:
                    cell.value = value
        for r0, c0, r1, c1 in layout.merges:
            ws.merge_cells(start_row=top + r0 + 1, start_column=c0 + 1, end_row=top + r1 + 1,
                           end_column=c1 + 1)
        addresses[name] = {k: f"{name}!{column_letter(c)}{top + r + 1}"
                           for k, (r, c) in layout.places.items()}
    book.save(path)
    return addresses


def write_docx(path: Path, layouts: list[Layout]) -> list[dict[str, str]]:
    """A Word document, each layout as its title paragraphs and a table; returns the
    address of every placed figure, table by table."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = docx.Document()
    out = []
    for n, layout in enumerate(layouts, start=1):
        if n > 1:
            document.add_page_break()
        for title in layout.titles:
            document.add_paragraph(title).alignment = WD_ALIGN_PARAGRAPH.CENTER
        table = document.add_table(rows=len(layout.rows), cols=layout.width)
        table.style = "Table Grid"
        for r0, c0, r1, c1 in layout.merges:
            table.cell(r0, c0).merge(table.cell(r1, c1))
        covered = {(r, c) for r0, c0, r1, c1 in layout.merges
                   for r in range(r0, r1 + 1) for c in range(c0, c1 + 1) if (r, c) != (r0, c0)}
        for r, row in enumerate(layout.rows):
            for c, value in enumerate(row):
                if value is None or (r, c) in covered:
                    continue
                table.cell(r, c).text = _text(value, layout.formats.get((r, c)))
        out.append({k: f"表{n}!{column_letter(c)}{r + 1}" for k, (r, c) in layout.places.items()})
    document.save(path)
    return out


def pdf_from_docx(docx_path: Path, pdf_path: Path, timeout: int = 180) -> bool:
    """Print a Word file to PDF with LibreOffice; False when LibreOffice is not installed."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        return False
    with tempfile.TemporaryDirectory(prefix="jixiao-forms-pdf-") as tmp:
        profile = Path(tmp) / "profile"
        subprocess.run([exe, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                        "--convert-to", "pdf", "--outdir", tmp, str(docx_path)],
                       check=True, capture_output=True, timeout=timeout)
        shutil.copyfile(Path(tmp) / (docx_path.stem + ".pdf"), pdf_path)
    return True
