"""Word reports (.docx) through python-docx: paragraphs and tables in body order."""

from __future__ import annotations

import io
import re
import zipfile

from jixiao.errors import CorruptDocumentError, EncryptedDocumentError
from jixiao.extract import limits
from jixiao.extract.normalize import clean_text
from jixiao.model import Block, Table

_HEADING_STYLE = re.compile(r"^(?:Heading|标题)\s*(\d)$", re.IGNORECASE)


def read_docx(data: bytes, source: str) -> tuple[list[Block], list[Table]]:
    """Blocks and tables of a Word file; an empty ``table`` block marks where each table
    stands among the paragraphs."""
    import docx  # deferred: python-docx costs 0.1 s to import
    from docx.opc.exceptions import PackageNotFoundError

    limits.check_file(data, "docx", source)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        # OLE container: an old .doc, or a .docx encrypted by Word.
        raise EncryptedDocumentError(source, "文件是加密的 Word 文档或旧版 .doc 格式，请另存为未加密的 .docx")
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise CorruptDocumentError(source, "Word 文件已损坏或不完整，无法打开") from exc
    except Exception as exc:  # lxml errors inside a damaged package
        raise CorruptDocumentError(source, f"Word 文件无法解析（{type(exc).__name__}）") from exc

    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph as DocxParagraph

    blocks: list[Block] = []
    tables: list[Table] = []
    pending_caption: str | None = None
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = DocxParagraph(child, document)
            text = clean_text(para.text)
            if not text:
                continue
            style = para.style.name if para.style is not None else ""
            block = Block(text=text, kind=_kind(style, para))
            m = _HEADING_STYLE.match(style)
            if m:
                block.style_level = int(m.group(1))
            blocks.append(block)
            pending_caption = text if block.kind == "caption" else None
        elif tag == "tbl":
            rows = _table_rows(DocxTable(child, document))
            if rows:
                blocks.append(Block(text="", kind="table", table=len(tables)))
                tables.append(Table(index=len(tables), header=rows[0], rows=rows[1:],
                                    caption=pending_caption))
            pending_caption = None
    return blocks, tables


def _kind(style: str, para: object) -> str:
    lowered = style.lower()
    if lowered == "title" or style == "标题":
        return "title"
    if lowered == "caption" or style == "题注":
        return "caption"
    if _HEADING_STYLE.match(style):
        return "heading"
    alignment = getattr(getattr(para, "paragraph_format", None), "alignment", None)
    if alignment is not None and int(alignment) == 2:  # WD_ALIGN_PARAGRAPH.RIGHT
        return "signature"
    return "paragraph"


def _table_rows(table: object) -> list[list[str]]:
    """Rows of cell texts, one per grid column so columns stay aligned with the header:
    a cell merged across columns gives its text once and empty cells for the rest (a
    合计 spanning 序号..项目名称 does not shift the figures left), multi-line cells are
    joined, and a cell merged down rows repeats its text in each row it covers."""
    rows: list[list[str]] = []
    for row in table.rows:  # type: ignore[attr-defined]
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen:
                cells.append("")
                continue
            seen.add(id(cell._tc))
            cells.append(clean_text("".join(p.text for p in cell.paragraphs)))
        if any(cells):
            rows.append(cells)
    return rows
