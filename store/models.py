"""The database schema (SQLAlchemy 2): reports, their renditions, and what was read from them.

A *report* is one county's report for one year; a *document* is one rendition of it (the
Word file, the PDF exported from it, the text pasted out of that PDF). Figures, findings,
sections and passages belong to a document; comparisons read the report's primary
rendition only, so a report ingested three times is counted once.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from jixiao.store.types import exact_decimal


class Base(DeclarativeBase):
    pass


class Report(Base):
    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    county: Mapped[str | None] = mapped_column(String(64), index=True)
    year: Mapped[int | None] = mapped_column(Integer, index=True)
    title: Mapped[str | None] = mapped_column(String(256))
    # bottom-k MinHash sketch of the text: recognises renditions of the same report
    sketch: Mapped[list[int]] = mapped_column(JSON)
    primary_document_id: Mapped[int | None] = mapped_column(Integer)
    documents: Mapped[list[Document]] = relationship(back_populates="report")


class Document(Base):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[str] = mapped_column(String(512))
    format: Mapped[str] = mapped_column(String(16))
    county: Mapped[str | None] = mapped_column(String(64))
    year: Mapped[int | None] = mapped_column(Integer)
    title: Mapped[str | None] = mapped_column(String(256))
    text: Mapped[str] = mapped_column(Text)
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    report: Mapped[Report] = relationship(back_populates="documents")


class Section(Base):
    __tablename__ = "sections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    sid: Mapped[str] = mapped_column(String(32))
    heading: Mapped[str] = mapped_column(Text)
    level: Mapped[int] = mapped_column(Integer)
    stage: Mapped[str | None] = mapped_column(String(32))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    parent: Mapped[str | None] = mapped_column(String(32))


class Metric(Base):
    __tablename__ = "metrics"
    __table_args__ = (Index("ix_metrics_key_document", "key", "document_id"),
                      Index("ix_metrics_headline_document", "headline", "document_id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    key: Mapped[str | None] = mapped_column(String(64))
    value: Mapped[Decimal | None] = mapped_column(exact_decimal())
    unit: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))
    qualifiers: Mapped[dict[str, Any]] = mapped_column(JSON)
    surface: Mapped[str] = mapped_column(String(128))
    number_text: Mapped[str] = mapped_column(String(64))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    page: Mapped[int | None] = mapped_column(Integer)
    section: Mapped[str | None] = mapped_column(String(32))
    sentence: Mapped[str] = mapped_column(Text)
    placeholder: Mapped[bool] = mapped_column(Boolean)
    origin: Mapped[str] = mapped_column(String(8))
    # For comparisons (revision 0002): the grade, the year the figure refers to when the
    # text states one, and whether this is the report's headline figure for its key and
    # grade — the first statement without month, entity or field.
    grade: Mapped[str | None] = mapped_column(String(8))
    data_year: Mapped[int | None] = mapped_column(Integer)
    headline: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # Revision 0003: the direction of a change the text states ("+" 增长, "-" 下降; value is
    # the magnitude), and a date's ISO-like text (2024-03-15, --06-30) for kind "date".
    sign: Mapped[str | None] = mapped_column(String(1))
    date: Mapped[str | None] = mapped_column(String(10))


class Finding(Base):
    __tablename__ = "findings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    rule: Mapped[str] = mapped_column(String(32))
    severity: Mapped[str] = mapped_column(String(8))
    message: Mapped[str] = mapped_column(Text)
    found: Mapped[str | None] = mapped_column(String(128))
    expected: Mapped[str | None] = mapped_column(String(128))
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    # stable across re-checks (revision 0004): a reviewer's verdict is found by it
    fingerprint: Mapped[str | None] = mapped_column(String(32))


class Review(Base):
    """A reviewer's verdict on a finding: confirmed (a real error) or dismissed (not one),
    with a note. Keyed by the report (``scope``: county and year, else the file name) and
    the finding's fingerprint (rule, operands as written, section), not by a document row:
    it survives re-checking, re-ingesting and another rendition of the same report."""

    __tablename__ = "reviews"
    __table_args__ = (UniqueConstraint("scope", "fingerprint", name="uq_reviews_scope_fingerprint"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scope: Mapped[str] = mapped_column(String(256), index=True)
    fingerprint: Mapped[str] = mapped_column(String(32))
    verdict: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    reviewer: Mapped[str | None] = mapped_column(String(64))
    rule: Mapped[str] = mapped_column(String(32))
    message: Mapped[str] = mapped_column(Text)
    reviewed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Passage(Base):
    __tablename__ = "passages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    stage: Mapped[str] = mapped_column(String(16))
    section: Mapped[str | None] = mapped_column(String(32))
    topic: Mapped[str | None] = mapped_column(String(32), index=True)
    text: Mapped[str] = mapped_column(Text)


__all__ = ["Base", "Document", "Finding", "Metric", "Passage", "Report", "Review", "Section"]
