"""Bounds on what jixiao agrees to read, checked before a file is parsed.

A 155 KB Word file can hold 30 MB of XML that takes a gigabyte to parse; a PDF can claim
ten thousand pages; a scan can ask for hours of OCR. Each reader calls
:func:`check_file` at its entry point (one line: ``limits.check_file(data, "docx", source)``)
and the PDF reader :func:`check_ocr_pages` before OCR. Each bound has a name a user can
raise with ``--limit NAME=VALUE`` (or ``JIXIAO_LIMITS="NAME=VALUE,…"`` in the environment),
and the refusal says which one to raise. Inspection costs a pass over the bytes at most;
a file too damaged to inspect is left to its reader, which says what is wrong with it.
"""

from __future__ import annotations

import io
import math
import os
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from pathlib import Path

from jixiao.errors import JixiaoError, LimitExceededError

__all__ = ["Limits", "check_cells", "check_file", "check_ocr_pages", "current", "parse", "set_current", "using"]

ENV = "JIXIAO_LIMITS"
MB = 1024 * 1024
ZIP_FORMATS = {"docx", "xlsx"}
TEXT_FORMATS = {"txt", "html", "htm"}
SHEET_FORMATS = {"xls", "xlsx"}
# below this much XML a high compression ratio is only Word's repetitive markup
RATIO_FLOOR_BYTES = 8 * MB


@dataclass(frozen=True, slots=True)
class Limits:
    """The bounds; the field names are what ``--limit`` takes (``ocr_pages`` also as
    ``ocr-pages``). Defaults leave a hundredfold room over the reports we know (a report
    is 10–20 pages, under 1 MB of XML, a few hundred paragraphs)."""

    size: float = 100.0  # MB, any file
    text: float = 5.0  # MB, a plain-text (or HTML) file
    unzipped: float = 50.0  # MB of XML inside a DOCX/XLSX once uncompressed
    ratio: float = 100.0  # uncompressed ÷ compressed size of a DOCX/XLSX
    pages: int = 1000  # PDF pages
    paragraphs: int = 10_000  # DOCX paragraphs (table cells included), text lines
    ocr_pages: int = 100  # pages to OCR in one file (also --max-pages)
    sheet: float = 20.0  # MB, a spreadsheet (.xls/.xlsx)
    cells: int = 500_000  # cells of one workbook (counted as its rows are streamed)


UNITS = {"size": "MB", "text": "MB", "unzipped": "MB", "ratio": "倍", "pages": "页",
         "paragraphs": "段", "ocr_pages": "页", "sheet": "MB", "cells": "个"}

_active: Limits | None = None


def current() -> Limits:
    """The bounds in force: those set by :func:`using`, else ``$JIXIAO_LIMITS`` over the
    defaults (so worker processes see what the command line set)."""
    if _active is not None:
        return _active
    spec = os.environ.get(ENV, "").strip()
    return parse([p for p in spec.split(",") if p.strip()], source=ENV) if spec else Limits()


def set_current(limits: Limits | None) -> None:
    """Make ``limits`` the bounds in force (``None``: back to the environment's)."""
    global _active
    _active = limits


@contextmanager
def using(limits: Limits) -> Iterator[Limits]:
    """Make ``limits`` the bounds in force for the duration of a ``with`` block."""
    global _active
    before = _active
    _active = limits
    try:
        yield limits
    finally:
        _active = before


def parse(items: Sequence[str], *, max_pages: int | None = None, base: Limits | None = None,
          source: str = "--limit") -> Limits:
    """Bounds from ``NAME=VALUE`` items (and ``--max-pages``) over ``base``.

    >>> parse(["size=200", "ocr-pages=300"]).size, parse(["ocr-pages=300"]).ocr_pages
    (200.0, 300)
    >>> parse(["colour=3"])
    Traceback (most recent call last):
    ...
    jixiao.errors.JixiaoError: --limit: 没有名为 colour 的上限，可用：size、text、unzipped、ratio、pages、paragraphs、ocr-pages、sheet、cells
    """
    limits = base or Limits()
    known = {f.name: f for f in fields(Limits)}
    shown = "、".join(n.replace("_", "-") for n in known)
    for item in items:
        name, eq, value = item.partition("=")
        key = name.strip().replace("-", "_")
        if key not in known:
            raise JixiaoError(source, f"没有名为 {name.strip()} 的上限，可用：{shown}")
        kind = int if known[key].type in (int, "int") else float
        try:
            number = kind(value.strip()) if eq else None
        except ValueError:
            number = None
        if number is None or number <= 0:
            raise JixiaoError(source, f"{item.strip()}：上限应写成 名称=正数，如 {name.strip()}=200")
        limits = replace(limits, **{key: number})
    if max_pages is not None:
        if max_pages <= 0:
            raise JixiaoError("--max-pages", "应为正整数")
        limits = replace(limits, ocr_pages=max_pages)
    return limits


def _refuse(source: str, what: str, found: str, name: str, bound: float, needed: float
            ) -> LimitExceededError:
    """The one line: what is too big, by how much, and the option that would read it."""
    unit = UNITS[name]
    return LimitExceededError(
        source, f"{what}（{found}，上限 {bound:g} {unit}），未读取；"
                f"确需读取时用 --limit {name.replace('_', '-')}={math.ceil(needed)} 放宽")


def _size(n: int) -> str:
    """>>> _size(41_507), _size(31_457_280)
    ('41 KB', '30.0 MB')
    """
    return f"{n / 1024:.0f} KB" if n < MB else f"{n / MB:.1f} MB"


def check_file(data: bytes | str | Path, fmt: str, source: str | None = None) -> None:
    """Refuse, before parsing, a file beyond the bounds in force.

    ``data`` is the file's bytes or its path; ``fmt`` the reader's format name (``txt``,
    ``docx``, ``pdf``, ``xlsx``, …; other formats get the size bound only). Raises
    :class:`~jixiao.errors.LimitExceededError` naming ``source`` (default: the path).
    """
    limits = current()
    if isinstance(data, bytes | bytearray):
        size, path = len(data), None
    else:
        path = Path(data)
        source = source or str(path)
        try:
            size = path.stat().st_size
        except OSError:
            return  # the reader says the file is missing or unreadable
    source = source or "输入"
    if size > limits.size * MB:
        raise _refuse(source, "文件过大", _size(size), "size", limits.size, size / MB)
    if fmt in SHEET_FORMATS and size > limits.sheet * MB:
        raise _refuse(source, "电子表格过大", _size(size), "sheet", limits.sheet, size / MB)
    if fmt in TEXT_FORMATS and size > limits.text * MB:
        raise _refuse(source, "文本文件过大", _size(size), "text", limits.text, size / MB)
    if fmt in TEXT_FORMATS:
        lines = _count_lines(data if path is None else path)
        if lines > limits.paragraphs:
            raise _refuse(source, "文本行数过多", f"{lines} 行", "paragraphs", limits.paragraphs,
                          lines)
    elif fmt in ZIP_FORMATS:
        _check_zip(data if path is None else path, fmt, source, size, limits)
    elif fmt == "pdf":
        pages = _pdf_pages(data if path is None else path)
        if pages is not None and pages > limits.pages:
            raise _refuse(source, "PDF 页数过多", f"{pages} 页", "pages", limits.pages, pages)


def check_ocr_pages(count: int, source: str) -> None:
    """Refuse a file that would need more pages OCRed than the bound (``--max-pages``)."""
    limits = current()
    if count > limits.ocr_pages:
        raise LimitExceededError(
            source, f"需要 OCR 识别的页有 {count} 页（上限 {limits.ocr_pages} 页），未识别；"
                    f"确需识别时用 --max-pages {count} 放宽")


def check_cells(count: int, source: str) -> None:
    """Refuse a workbook with more cells than the bound (``count``: its sheets' sizes as
    they declare them, or the cells read so far)."""
    limits = current()
    if count > limits.cells:
        raise _refuse(source, "电子表格单元格过多", f"{count} 个", "cells", limits.cells, count)


def _count_lines(data: bytes | Path) -> int:
    if isinstance(data, Path):
        with data.open("rb") as fh:
            return sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(MB), b"")) + 1
    return data.count(b"\n") + 1


def _check_zip(data: bytes | Path, fmt: str, source: str, size: int, limits: Limits) -> None:
    try:
        archive = zipfile.ZipFile(data if isinstance(data, Path) else io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip at all: the reader names the problem
    with archive:
        members = archive.infolist()
        xml = sum(i.file_size for i in members if i.filename.endswith((".xml", ".rels")))
        name = "Word" if fmt == "docx" else "Excel"
        if xml > limits.unzipped * MB:
            raise _refuse(source, f"{name} 文件解压后的内容过大", _size(xml),
                          "unzipped", limits.unzipped, xml / MB)
        unzipped = sum(i.file_size for i in members)
        if unzipped > RATIO_FLOOR_BYTES and unzipped > limits.ratio * max(size, 1):
            ratio = unzipped / max(size, 1)
            raise _refuse(source, f"{name} 文件压缩比异常",
                          f"{_size(size)} 解压为 {_size(unzipped)}，{ratio:.0f} 倍", "ratio",
                          limits.ratio, ratio)
        if fmt == "docx":
            paragraphs = _docx_paragraphs(archive)
            if paragraphs > limits.paragraphs:
                raise _refuse(source, "Word 文件段落过多", f"{paragraphs} 段",
                              "paragraphs", limits.paragraphs, paragraphs)


def _docx_paragraphs(archive: zipfile.ZipFile) -> int:
    """``<w:p>`` elements in the body, counted by streaming the XML (never parsed)."""
    try:
        member = archive.open("word/document.xml")
    except (KeyError, zipfile.BadZipFile, RuntimeError, OSError):
        return 0
    count, tail = 0, b""
    try:
        with member:
            for chunk in iter(lambda: member.read(MB), b""):
                window = tail + chunk
                count += window.count(b"<w:p>") + window.count(b"<w:p ")
                # the 4 bytes kept hold no whole 5-byte tag: a tag split across two
                # chunks is counted once, in the window that joins them
                tail = window[-4:]
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        pass  # damaged: the reader says so
    return count


def _pdf_pages(data: bytes | Path) -> int | None:
    try:
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(data if isinstance(data, bytes) else str(data))
    except Exception:  # encrypted, damaged: the reader says which
        return None
    try:
        return len(pdf)
    finally:
        pdf.close()
