"""Column types: exact decimals on every backend.

PostgreSQL's NUMERIC keeps a Decimal exactly; SQLite has no decimal type and would store a
NUMERIC column as a binary float (92545908.54 comes back as 92545908.54000001), so on
SQLite the value is kept as its decimal text.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import Numeric, String
from sqlalchemy.types import TypeDecorator


class DecimalText(TypeDecorator[Decimal]):
    """A Decimal stored as text (SQLite)."""

    impl = String(48)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        return None if value is None else format(Decimal(value), "f")

    def process_result_value(self, value: Any, dialect: Any) -> Decimal | None:
        return None if value is None else Decimal(value)


def exact_decimal() -> Any:
    """NUMERIC(24, 8) on servers, decimal text on SQLite."""
    return Numeric(24, 8).with_variant(DecimalText(), "sqlite")
