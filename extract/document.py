"""Assemble a :class:`~jixiao.model.Document` from what a reader produced."""

from __future__ import annotations

from jixiao.extract import metadata
from jixiao.extract.normalize import to_simplified
from jixiao.extract.structure import build_sections
from jixiao.model import Block, Document, Paragraph, Table


def build_document(blocks: list[Block], tables: list[Table], *, source: str, sha256: str,
                   fmt: str, pages: int | None = None) -> Document:
    """Join blocks into the cleaned text, place tables, find structure and metadata.

    A report in traditional characters keeps them in ``Document.text``; its structure,
    title, county and headings are read from the simplified text (``Document.plain``).
    """
    text_parts: list[str] = []
    paragraphs: list[Paragraph] = []
    page_starts: list[tuple[int, int]] = []
    offset = 0
    last_page: int | None = None
    previous: Block | None = None
    for block in blocks:
        if block.kind == "table" and not block.text:
            if block.table is not None and block.table < len(tables):
                table = tables[block.table]
                table.anchor = max(offset - 1, 0)
                if previous is not None and previous.kind == "caption":
                    table.caption = previous.text
            continue
        if not block.text:
            continue
        if block.page is not None and block.page != last_page:
            page_starts.append((offset, block.page))
            last_page = block.page
        for at, page in block.page_breaks:
            page_starts.append((offset + at, page))
            last_page = page
        kind = block.kind
        if not paragraphs and kind == "paragraph" and \
                metadata.looks_like_title(to_simplified(block.text)):
            kind = "title"
        paragraphs.append(Paragraph(index=len(paragraphs), start=offset,
                                    end=offset + len(block.text), kind=kind, page=block.page,
                                    style_level=block.style_level))
        text_parts.append(block.text)
        offset += len(block.text) + 1
        previous = block
    text = "\n".join(text_parts)
    plain = to_simplified(text)
    # Structure and metadata read the simplified text (offsets are the same); the document
    # keeps the characters it was written in.
    doc = Document(source=source, sha256=sha256, format=fmt, text=plain,
                   paragraphs=paragraphs, tables=tables, page_starts=page_starts, pages=pages)
    first = paragraphs[0] if paragraphs else None
    if first is not None and first.kind == "title":
        doc.title = doc.text[first.start : first.end]
    doc.issuer, doc.issued = metadata.issuer_and_date(doc)
    doc.year = metadata.report_year(doc)
    doc.county = metadata.county(doc)
    doc.sections = build_sections(doc)
    for table in tables:
        # a table that ends the document stands at len(text), just past the last section
        section = doc.section_at(min(table.anchor, max(len(doc.text) - 1, 0)))
        table.section = section.id if section else None
    if plain != text:
        doc.text, doc.norm_text = text, plain
    return doc
