"""What every rule sees: the document, its figures, last year's figures, and helpers to
find the figures a relation needs in the same paragraph or table row."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any, ClassVar

from jixiao.check.findings import CheckResult, Evidence, Finding, Severity, Verified
from jixiao.extract.metrics import _SENTENCE_END, Metric
from jixiao.extract.resources import load_yaml
from jixiao.model import Document

__all__ = ["CheckContext", "load_check_yaml"]

# Qualifiers that, when both figures carry them, must agree for the figures to be related.
SCOPE_QUALIFIERS = ("month", "year", "field", "entity")


def load_check_yaml(name: str) -> Any:
    """A data file of ``check/data``."""
    return load_yaml(name, "jixiao.check")


@dataclass
class CheckContext:
    doc: Document
    metrics: list[Metric]
    previous: list[Metric] | None = None
    result: CheckResult = field(default_factory=lambda: CheckResult(""))

    def __post_init__(self) -> None:
        self.result.source = self.doc.source
        self._starts = [p.start for p in self.doc.paragraphs]

    # ------------------------------------------------------------------ reporting
    def report(self, rule: str, severity: Severity, message: str, evidence: list[Metric],
               found: str | None = None, expected: str | None = None,
               spans: list[Evidence] | None = None) -> None:
        ev = [self.evidence(m) for m in evidence] + list(spans or [])
        self.result.findings.append(Finding(rule, severity, message, found, expected, ev))

    def verified(self, rule: str, description: str, evidence: list[Metric]) -> None:
        self.result.verified.append(Verified(rule, description,
                                             [self.evidence(m) for m in evidence]))

    def evidence(self, m: Metric) -> Evidence:
        """Where a figure is written; a table cell read by check/grids.py names its cell."""
        ev = Evidence.of(m)
        cell = self.__dict__.get("cell_of", {}).get(id(m))
        return replace(ev, table_cell=cell) if cell is not None else ev

    # A stated figure whose relation a structural rule has decided (verified or reported):
    # the keyed rules that would pair it by catalog key leave it alone.
    _FAMILY: ClassVar[dict[str, str]] = {"share": "ratio", "rate": "ratio", "magnitude": "any"}

    def decide(self, rule: str, stated: Metric) -> None:
        decided = self.__dict__.setdefault("_decided", set())
        decided.add((self._FAMILY.get(rule, rule), id(stated)))

    def decided(self, rule: str, stated: Metric) -> bool:
        decided = self.__dict__.get("_decided", set())
        return any((family, id(stated)) in decided
                   for family in (self._FAMILY.get(rule, rule), "any"))

    # ------------------------------------------------------------------ lookup
    def paragraph_index(self, offset: int) -> int:
        return max(bisect.bisect_right(self._starts, offset) - 1, 0)

    def scope(self, m: Metric) -> tuple:
        """Figures in the same scope may be related: one paragraph, or one table row."""
        if m.origin == "table":
            return ("table", m.start, m.qualifiers.get("entity"))
        return ("text", self.paragraph_index(m.start))

    @cached_property
    def usable(self) -> list[Metric]:
        """Figures with a value that state a result (placeholders and thresholds excluded)."""
        return [m for m in self.metrics if not m.placeholder and m.value is not None
                and m.key is not None and m.role == "figure"]

    # The lookups below are indexed once per document, so that checking stays linear in
    # the report's length (a report repeated 80 times takes twice as long as 40 times).
    @cached_property
    def _by_key(self) -> dict[str | None, list[Metric]]:
        index: dict[str | None, list[Metric]] = {}
        for m in self.usable:
            index.setdefault(m.key, []).append(m)
        return index

    @cached_property
    def _by_key_and_scope(self) -> dict[tuple[str | None, tuple], list[Metric]]:
        index: dict[tuple[str | None, tuple], list[Metric]] = {}
        for m in self.usable:
            index.setdefault((m.key, self.scope(m)), []).append(m)
        return index

    @cached_property
    def _sentence_ends(self) -> list[int]:
        return [i for i, c in enumerate(self.doc.text) if c in _SENTENCE_END]

    def by_key(self, key: str) -> list[Metric]:
        """The usable figures of ``key``, in the order of :attr:`usable` (do not modify)."""
        return self._by_key.get(key, [])

    def between(self, low: int, high: int, pool: list[Metric]) -> list[Metric]:
        """The figures of ``pool`` (:attr:`usable` or :attr:`metrics`) starting at
        ``low <= start < high``, in the pool's order."""
        starts, order = self._start_index(pool)
        lo, hi = bisect.bisect_left(starts, low), bisect.bisect_left(starts, high)
        return [pool[i] for i in sorted(order[lo:hi])]

    def _start_index(self, pool: list[Metric]) -> tuple[list[int], list[int]]:
        # keyed by identity; the pool is kept with its index, so its id is not reused
        cache = self.__dict__.setdefault("_start_indexes", {})
        held = cache.get(id(pool))
        if held is None or held[0] is not pool or len(held[2]) != len(pool):
            order = sorted(range(len(pool)), key=lambda i: pool[i].start)
            held = cache[id(pool)] = (pool, [pool[i].start for i in order], order)
        return held[1], held[2]

    def partner(self, m: Metric, key: str, match: tuple[str, ...] = ()) -> Metric | None:
        """The figure of ``key`` related to ``m``: same scope, agreeing qualifiers, the
        qualifiers of ``match`` equal (both absent or the same: 年初预算 growth goes with
        年初预算 counts only), nearest (those written before ``m`` first, as a rate
        follows the amounts it is made of)."""
        candidates = [c for c in self._by_key_and_scope.get((key, self.scope(m)), [])
                      if c is not m and agree(m, c, SCOPE_QUALIFIERS)
                      and all(m.qualifiers.get(n) == c.qualifiers.get(n) for n in match)]
        if not candidates:
            return None
        return min(candidates, key=lambda c: (c.start > m.start, abs(c.start - m.start)))

    def sentence_of(self, m: Metric) -> tuple[int, int]:
        """Offsets of the sentence holding ``m`` in the document text."""
        ends = self._sentence_ends  # what sentence_bounds finds, by bisection
        before = bisect.bisect_left(ends, m.start) - 1
        after = bisect.bisect_left(ends, m.end)
        start = ends[before] + 1 if before >= 0 else 0
        end = ends[after] + 1 if after < len(ends) else len(self.doc.text)
        return start, end - 1 if self.doc.text[end - 1:end] in "。！？\n" else end


def agree(a: Metric, b: Metric, names: tuple[str, ...]) -> bool:
    """Qualifiers in ``names`` agree where both figures state them."""
    for name in names:
        va, vb = a.qualifiers.get(name), b.qualifiers.get(name)
        if va is not None and vb is not None and va != vb:
            return False
        if name in ("grade",) and (va is None) != (vb is None):
            return False
    return True
