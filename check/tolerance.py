"""Rounding, written once: a stated figure is compared after rounding to its own precision.

A share written ``95%`` holds for 61 ÷ 64 = 95.3125 %, one written ``95.0%`` does not;
reports round half up, but a figure exactly on the half may have been rounded either way,
so the comparison accepts both neighbours at the boundary.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

__all__ = ["decimals_of", "fmt", "holds", "rounded", "tolerance"]


def decimals_of(number_text: str) -> int:
    """Decimals written in a number: ``'86.9'`` → 1, ``'10,113.65'`` → 2, ``'95'`` → 0.

    >>> decimals_of("86.90"), decimals_of("95"), decimals_of("10,113.65")
    (2, 0, 2)
    """
    text = number_text.strip().rstrip("%％")
    return len(text.split(".", 1)[1]) if "." in text else 0


def tolerance(decimals: int, terms: int = 1) -> Decimal:
    """Largest rounding error of ``terms`` figures each written with ``decimals`` decimals."""
    return Decimal(terms) * Decimal(5) * Decimal(10) ** -(decimals + 1)


def holds(stated: Decimal, computed: Decimal, decimals: int, terms: int = 1) -> bool:
    """Does ``computed`` round to ``stated`` at the stated precision?

    >>> holds(Decimal("95"), Decimal("95.3125"), 0)
    True
    >>> holds(Decimal("86.9"), Decimal("87.0018"), 1)
    False
    >>> holds(Decimal("98.8"), Decimal("98.85"), 1)
    True
    """
    return abs(computed - stated) <= tolerance(decimals, terms)


def rounded(value: Decimal, decimals: int) -> Decimal:
    """``value`` rounded half up to ``decimals`` decimals."""
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def fmt(value: Decimal, decimals: int | None = None) -> str:
    """A Decimal for a message: no exponent, no trailing zeros unless ``decimals`` asks."""
    if decimals is not None:
        return format(rounded(value, decimals), "f")
    text = format(value.normalize(), "f")
    return text
