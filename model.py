"""The one document model every stage shares.

A reader turns a file into :class:`Block` objects and :class:`Table` objects; the
:func:`jixiao.extract.document.build_document` step joins them into a :class:`Document`
whose ``text`` is the cleaned report text. Every offset used later (sections, metrics,
findings) is an offset into ``Document.text``, and :meth:`Document.locate` maps it back to
the page (PDF) or the paragraph (DOCX, TXT) it came from, so evidence can be shown.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

BlockKind = Literal["title", "heading", "paragraph", "caption", "signature", "table"]


@dataclass(slots=True)
class Block:
    """A paragraph as a reader found it, before cleaning and structure.

    ``page_breaks`` lists ``(offset_in_text, page)`` for paragraphs that run over a page
    break, so the page of every character survives the joining of lines.
    """

    text: str
    kind: BlockKind = "paragraph"
    page: int | None = None
    style_level: int | None = None
    page_breaks: list[tuple[int, int]] = field(default_factory=list)
    table: int | None = None  # for kind "table" with empty text: where table N stands


@dataclass(slots=True)
class Table:
    """A table as rows of cell strings; ``header`` is the first row.

    ``anchor`` is the offset in ``Document.text`` of the paragraph the table follows, so a
    table can be placed in a section and a finding can point near it.
    """

    index: int
    header: list[str]
    rows: list[list[str]]
    caption: str | None = None
    page: int | None = None
    anchor: int = 0
    section: str | None = None
    # The unit a note such as 单位：万元 (above the table or in its caption) gives every
    # figure of the table that states none of its own; a column header's unit comes first.
    unit: str | None = None


@dataclass(slots=True)
class Paragraph:
    """A paragraph of the cleaned text: ``text[start:end]``, without its newline."""

    index: int
    start: int
    end: int
    kind: BlockKind
    page: int | None = None
    style_level: int | None = None


@dataclass(slots=True)
class Section:
    """A numbered part of the report and the span of text it covers (heading included)."""

    id: str
    heading: str
    level: int
    numbering: str
    stage: str | None
    start: int
    end: int
    parent: str | None = None


@dataclass(slots=True)
class Location:
    """Where an offset of ``Document.text`` came from."""

    page: int | None
    paragraph: int


@dataclass(slots=True)
class Document:
    """A report read from one file: cleaned text, paragraphs, tables, sections, metadata."""

    source: str
    sha256: str
    format: str
    text: str
    paragraphs: list[Paragraph]
    tables: list[Table] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    page_starts: list[tuple[int, int]] = field(default_factory=list)
    title: str | None = None
    county: str | None = None
    year: int | None = None
    issuer: str | None = None
    issued: str | None = None
    pages: int | None = None
    notes: list[str] = field(default_factory=list)
    # ``text`` in simplified characters, the same length (offsets shared), when the report
    # is written in traditional characters; None when it is ``text`` itself. See ``plain``.
    norm_text: str | None = None

    @property
    def plain(self) -> str:
        """The text that rules read: simplified characters, offsets those of ``text``."""
        return self.text if self.norm_text is None else self.norm_text

    def locate(self, offset: int) -> Location:
        """Page and paragraph of a character offset of ``text``."""
        starts = [p.start for p in self.paragraphs]
        para = max(0, bisect_right(starts, offset) - 1)
        page = None
        if self.page_starts:
            i = bisect_right([o for o, _ in self.page_starts], offset) - 1
            page = self.page_starts[max(i, 0)][1]
        return Location(page=page, paragraph=para)

    def section_at(self, offset: int) -> Section | None:
        """The innermost section containing ``offset``."""
        best = None
        for s in self.sections:
            if s.start <= offset < s.end and (best is None or s.level > best.level):
                best = s
        return best

    def paragraph_texts(self) -> list[str]:
        return [self.text[p.start : p.end] for p in self.paragraphs]

    def to_dict(self) -> dict[str, Any]:
        """The structure as plain JSON-ready data (what ``jixiao read --format json`` prints)."""
        return {
            "source": self.source,
            "sha256": self.sha256,
            "format": self.format,
            "title": self.title,
            "county": self.county,
            "year": self.year,
            "issuer": self.issuer,
            "issued": self.issued,
            "pages": self.pages,
            "sections": [
                {k: v for k, v in asdict(s).items() if k != "numbering"} for s in self.sections
            ],
            "tables": [asdict(t) for t in self.tables],
            "notes": list(self.notes),
        }
