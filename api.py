"""The library surface: plain functions returning plain data objects.

The CLI (and later a local web app) are thin layers over these functions; nothing here
prints. Every failure a user can cause raises a :class:`jixiao.errors.JixiaoError` whose
message names the file and the reason in Chinese.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jixiao.errors import (
    CorruptDocumentError,
    EmptyDocumentError,
    MissingFileError,
    NotAReportError,
    UnsupportedFormatError,
)
from jixiao.extract import limits
from jixiao.model import Document

if TYPE_CHECKING:
    from jixiao.check.findings import CheckResult
    from jixiao.extract.metrics import Metric

READABLE_SUFFIXES = {".txt": "txt", ".text": "txt", ".docx": "docx", ".pdf": "pdf",
                     ".html": "html", ".htm": "html", ".doc": "doc", ".wps": "wps",
                     ".xlsx": "xlsx", ".xls": "xls"}
# How the readable formats are named to users in messages.
READABLE_NAMES = "、".join(s for s in READABLE_SUFFIXES if s != ".text")
# Fewer CJK characters than this and the file is not a report, whatever its format.
MIN_REPORT_CJK = 20

Progress = Callable[[int, int], None]


def detect_format(path: Path) -> str:
    """The reader to use for ``path``, from its extension."""
    suffix = path.suffix.lower()
    if suffix in READABLE_SUFFIXES:
        return READABLE_SUFFIXES[suffix]
    shown = suffix or "（无扩展名）"
    raise UnsupportedFormatError(str(path), f"不支持的文件类型 {shown}，可读取 {READABLE_NAMES}")


def collect_paths(paths: Iterable[str]) -> list[str]:
    """Files named, and the readable files inside folders named (recursively, sorted).

    A folder without a single report file stays in the list as itself, so that reading
    it says why (see :func:`read_document`) instead of silently doing nothing.
    """
    out: list[str] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            found = [str(f) for f in sorted(path.rglob("*"))
                     if f.is_file() and f.suffix.lower() in READABLE_SUFFIXES
                     and not _own_output(f)]
            out.extend(found or [p])
        else:
            out.append(p)
    return out


def _own_output(path: Path) -> bool:
    """A page or workbook jixiao wrote (check results, comparisons, exports) found in a
    folder of reports: left out, so checking a folder twice does not read its own pages."""
    import zipfile

    from lxml import etree

    suffix = path.suffix.lower()
    try:
        if suffix in (".html", ".htm"):
            with path.open("rb") as fh:
                return b'<meta name="generator" content="jixiao">' in fh.read(4096)
        if suffix == ".xlsx":
            with zipfile.ZipFile(path) as archive:
                core = etree.fromstring(archive.read("docProps/core.xml"))
            creator = core.find("{http://purl.org/dc/elements/1.1/}creator")
            return creator is not None and creator.text == "jixiao"
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return False
    return False


def read_document(path: str | Path, *, progress: Progress | None = None) -> Document:
    """Read one report file into a :class:`Document`.

    ``progress(done, total)`` is called while slow pages are OCRed.
    """
    path = Path(path)
    source = str(path)
    if not path.exists():
        raise MissingFileError(source, "文件不存在")
    if path.is_dir():
        if collect_paths([source]) == [source]:
            raise MissingFileError(source, f"这是一个文件夹，其中没有可读取的报告（{READABLE_NAMES}）")
        raise MissingFileError(source, "这是一个文件夹，不是文件（命令行中给出文件夹时会逐个读取其中的报告）")
    fmt = detect_format(path)
    limits.check_file(path, fmt)  # before the bytes are read into memory
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise MissingFileError(source, f"无法读取文件（{exc.strerror or type(exc).__name__}）") from exc
    return read_bytes(data, source=source, fmt=fmt, progress=progress)


def read_bytes(data: bytes, *, source: str, fmt: str, progress: Progress | None = None
               ) -> Document:
    """Read report bytes of a known format (a value of :data:`READABLE_SUFFIXES`)."""
    from jixiao.extract.document import build_document
    from jixiao.extract.normalize import cjk_count

    if not data:
        raise EmptyDocumentError(source, "文件为空（0 字节）")
    sha256 = hashlib.sha256(data).hexdigest()
    notes: list[str] = []
    pages = None
    if fmt == "txt":
        from jixiao.extract.readers.text import read_text

        blocks, tables, info = read_text(data, source)
        notes.append(f"文本编码：{info['encoding']}")
    elif fmt == "docx":
        from jixiao.extract.readers.docx import read_docx

        if not data.startswith(b"PK") and not data.startswith(b"\xd0\xcf\x11\xe0"):
            raise CorruptDocumentError(source, "不是有效的 .docx 文件（内容不是 Word 文档）")
        blocks, tables = read_docx(data, source)
    elif fmt == "pdf":
        from jixiao.extract.readers.pdf import read_pdf

        if b"%PDF" not in data[:1024]:
            raise CorruptDocumentError(source, "不是有效的 PDF 文件（缺少 PDF 文件头）")
        content = read_pdf(data, source, sha256=sha256, progress=progress)
        blocks, tables, pages = content.blocks, content.tables, content.pages
        if content.ocr_pages:
            notes.append(f"OCR 识别页：{_page_ranges(content.ocr_pages)}")
    elif fmt == "html":
        from jixiao.extract.readers.html import read_html

        page = read_html(data, source)
        blocks, tables = page.blocks, page.tables
        notes.append(f"网页编码：{page.encoding}")
        notes.extend(f"附件：{name}（{href}）" for name, href in page.attachments)
    elif fmt in ("doc", "wps"):
        from jixiao.extract.readers.office import read_word_binary

        blocks, tables, how = read_word_binary(data, source, f".{fmt}")
        notes.extend(how)
    elif fmt in ("xls", "xlsx"):
        from jixiao.extract.readers.sheet import read_sheet

        blocks, tables = read_sheet(data, source, fmt)
    else:  # pragma: no cover - detect_format only returns the formats above
        raise UnsupportedFormatError(source, f"不支持的格式 {fmt}")
    doc = build_document(blocks, tables, source=source, sha256=sha256, fmt=fmt, pages=pages)
    doc.notes.extend(notes)
    # a workbook's words are in its cells, and so are those of a page or a self-evaluation
    # form that is nothing but a table
    cjk = cjk_count(doc.text) + sum(
        cjk_count(c) for t in doc.tables for row in [t.header, *t.rows] for c in row)
    if cjk < MIN_REPORT_CJK:
        if not doc.text.strip() and not doc.tables:
            raise EmptyDocumentError(source, "文件中没有可读取的文字")
        raise NotAReportError(source, "文件中几乎没有中文正文，不像是一份情况说明")
    return doc


def document_text(doc: Document, *, cell_separator: str = "\t") -> str:
    """The document's text, one paragraph a line, with each table printed where it stands,
    one row a line, cells joined by ``cell_separator`` (what ``jixiao read`` prints).

    A table that text extraction had flattened into lines (the ``table`` paragraph that
    follows it) is printed once, as its rebuilt rows.
    """
    placed: dict[int, list[Any]] = {}
    for table in doc.tables:
        placed.setdefault(table.anchor, []).append(table)
    lines: list[str] = []

    def print_tables(anchor: int) -> bool:
        tables = placed.pop(anchor, [])
        for table in tables:
            for row in [table.header, *table.rows]:
                lines.append(cell_separator.join(c.replace("\n", " ") for c in row))
        return bool(tables)

    # a table before the first paragraph stands at offset 0 (a paragraph never ends at 0)
    printed = print_tables(0)
    for para in doc.paragraphs:
        if not (para.kind == "table" and printed):
            lines.append(doc.text[para.start : para.end])
        printed = print_tables(para.end)
    for anchor in sorted(placed):
        print_tables(anchor)
    return "\n".join(lines)


def _page_ranges(pages: list[int]) -> str:
    """0-based page indexes as 1-based ranges for people.

    >>> _page_ranges([0, 1, 2, 5])
    '1-3、6'
    """
    out: list[str] = []
    start = prev = None
    for p in [*pages, None]:
        if p is not None and prev is not None and p == prev + 1:
            prev = p
            continue
        if start is not None:
            out.append(f"{start + 1}" if start == prev else f"{start + 1}-{prev + 1}")
        start = prev = p
    return "、".join(out)


@dataclass(slots=True)
class Extraction:
    """A document and the figures extracted from it (what ``jixiao extract`` prints)."""

    document: Document
    metrics: list[Metric]

    def to_dict(self) -> dict[str, Any]:
        doc = self.document
        return {
            "source": doc.source, "sha256": doc.sha256, "format": doc.format,
            "title": doc.title, "county": doc.county, "year": doc.year,
            "sections": [{"id": s.id, "heading": s.heading, "level": s.level, "stage": s.stage,
                          "start": s.start, "end": s.end, "parent": s.parent}
                         for s in doc.sections],
            "metrics": [m.to_dict() for m in self.metrics],
        }


def extract_document(doc: Document) -> Extraction:
    """Attributed figures of a document already read."""
    from jixiao.extract.metrics import extract_metrics

    return Extraction(doc, extract_metrics(doc))


def extract_file(path: str | Path, *, progress: Progress | None = None) -> Extraction:
    """Read a report and extract its figures."""
    return extract_document(read_document(path, progress=progress))


def check_document(extraction: Extraction, previous: Extraction | None = None) -> CheckResult:
    """Check a document's figures (and, with ``previous``, against last year's report)."""
    from jixiao.check.rules import check_metrics

    return check_metrics(extraction.document, extraction.metrics,
                         previous.metrics if previous is not None else None)


def check_file(path: str | Path, *, previous: str | Path | None = None,
               progress: Progress | None = None) -> tuple[Extraction, CheckResult]:
    """Read, extract and check a report."""
    extraction = extract_file(path, progress=progress)
    before = extract_file(previous) if previous is not None else None
    return extraction, check_document(extraction, before)


# --------------------------------------------------------------------------- units' forms


def read_form_file(path: str | Path, *, families: str | Path | None = None,
                   province: str | None = None) -> list[Any]:
    """The performance forms of one file (``FormRecord``s), each checked: its findings on
    ``record.findings``. A file without a form jixiao knows raises a JixiaoError."""
    from jixiao.formsrun import FormsRun

    return FormsRun.create(families, province).read(str(path))  # type: ignore[return-value]


def aggregate_forms(paths: Iterable[str], *, year: int | None = None,
                    families: str | Path | None = None, province: str | None = None
                    ) -> tuple[Any, list[Any]]:
    """The forms of files and folders added up (an ``Aggregate``, every figure traced to its
    forms and cells), and the files that could not be read as forms (JixiaoErrors)."""
    from jixiao.formsrun import FormsRun

    run = FormsRun.create(families, province, summaries=True)
    failures = run.read_all(paths)
    return run.aggregate(year), failures
