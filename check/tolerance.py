"""Rounding, written once: a stated figure is compared after rounding to its own precision.

A share written ``95%`` holds for 61 ÷ 64 = 95.3125 %, one written ``95.0%`` does not;
reports round half up, but a figure exactly on the half may have been rounded either way,
so the comparison accepts both neighbours at the boundary.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, DivisionByZero, InvalidOperation
from itertools import product

__all__ = ["Written", "bounds", "decimals_of", "fmt", "holds", "overlaps", "rounded",
           "sum_agrees", "tolerance"]


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


# ---------------------------------------------------------------------------- intervals
#
# A written figure stands for every value that rounds to it: 75.32万元 for [75.315, 75.325],
# 6.89亿元 for ±50万元, a count for itself. A stated result agrees with a formula when the
# formula, evaluated over the intervals of its operands, can give a value that rounds to it.


@dataclass(frozen=True, slots=True)
class Written:
    """A figure as written: its normalised value, the size of one unit of its last written
    digit in the normalised unit (0.01 for 75.32万元, 100 for 6.89亿元), and whether it is
    exact (a count)."""

    value: Decimal
    step: Decimal
    exact: bool = False
    written_unit: str = ""

    @property
    def half(self) -> Decimal:
        return Decimal(0) if self.exact else self.step / 2

    @property
    def low(self) -> Decimal:
        return self.value - self.half

    @property
    def high(self) -> Decimal:
        return self.value + self.half


def bounds(fn: Callable[..., Decimal], operands: Sequence[Written]) -> tuple[Decimal, Decimal] | None:
    """Smallest and largest value of ``fn`` over the operands' intervals, for a formula that
    is monotone in each operand (sums, ratios, growth): its corners bound it. None when a
    corner divides by zero or crosses it.

    >>> lo, hi = bounds(lambda n, d: n / d * 100, [Written(Decimal(1025), Decimal(1)),
    ...                                             Written(Decimal(2000), Decimal(1))])
    >>> fmt(lo, 3), fmt(hi, 3)
    ('51.212', '51.288')
    """
    values = []
    for corner in product(*[(w.low, w.high) if w.half else (w.value,) for w in operands]):
        try:
            values.append(fn(*corner))
        except (DivisionByZero, InvalidOperation, ZeroDivisionError):
            return None
    return min(values), max(values)


def overlaps(stated: Written, low: Decimal, high: Decimal) -> bool:
    """Does the stated figure's rounding interval meet [low, high]? (A figure exactly on
    the half may have been rounded either way: both ends count.)"""
    return stated.low <= high and low <= stated.high


def sum_agrees(total: Written, parts: Sequence[tuple[int, Written]]) -> tuple[bool, Decimal, Decimal]:
    """Signed parts against a total: (agrees, computed, allowance).

    Each figure may be off by half a unit of its last digit; figures written without
    decimals beside others with decimals in the same unit (30万元 beside 29.99万元) are
    taken at the finer precision. The sum of n rounded parts can reach the total's
    allowance only if every figure sits exactly on a half, so the allowance itself is a
    difference (75.32 against 25+25+25.34 = 75.34 is not rounding):

    >>> w = lambda v, s="0.01": Written(Decimal(v), Decimal(s), written_unit="万元")
    >>> sum_agrees(w("75.32"), [(1, w("25", "1")), (1, w("25", "1")), (1, w("25.34"))])[0]
    False
    >>> sum_agrees(w("75.33"), [(1, w("25", "1")), (1, w("25", "1")), (1, w("25.34"))])[0]
    True
    """
    terms = [total, *(w for _, w in parts)]
    finest: dict[str, Decimal] = {}
    for t in terms:
        if not t.exact:
            finest[t.written_unit] = min(finest.get(t.written_unit, t.step), t.step)
    allowance = sum((Decimal(0) if t.exact else finest[t.written_unit] / 2 for t in terms),
                    Decimal(0))
    computed = sum((sign * w.value for sign, w in parts), Decimal(0))
    diff = abs(computed - total.value)
    return diff == 0 or diff < allowance, computed, allowance
