"""What a check reports: findings that point at the text, and the relations it verified.

A :class:`Finding` says what was stated, what the other figures give and where; its
evidence spans are offsets into ``Document.text`` so a reviewer's tool can highlight them.
A :class:`Verified` relation is one that held: reviewers see what was checked, and the
mutation evaluation knows which numbers a slip would have to break. A relation the checker
found stated but could not decide (an operand missing or ambiguous) is kept as *uncertain*.

Every arithmetic relation carries its :class:`Arithmetic`: the formula, the operands with
their evidence, the computed and the stated value and the tolerance the written precision
allows. A finding's :attr:`Finding.fingerprint` (rule, the operands as written, the
section) stays the same when the report is checked again, so a reviewer's verdict on it
(:mod:`jixiao.store.reviews`) survives a re-check.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from jixiao.extract.metrics import Metric

Severity = Literal["error", "warning", "info"]
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}
SEVERITY_LABEL = {"error": "错误", "warning": "警告", "info": "提示"}


@dataclass(frozen=True, slots=True)
class Evidence:
    """A span of the document text a finding rests on."""

    surface: str
    start: int
    end: int
    page: int | None = None
    section: str | None = None
    # a figure of a form, or of another file than the one checked: where it stands
    cell: str | None = None
    source: str | None = None
    # a cell of one of the document's tables, read by check/grids.py: (table, row, column)
    table_cell: tuple[int, int, int] | None = None

    @classmethod
    def of(cls, m: Metric) -> Evidence:
        return cls(m.surface, m.start, m.end, m.page, m.section)

    def to_dict(self) -> dict[str, Any]:
        """The span; ``cell``, ``source`` and ``table_cell`` only when it stands elsewhere
        (a form's cell, a table's cell)."""
        d = asdict(self)
        for name in ("cell", "source", "table_cell"):
            if d[name] is None:
                del d[name]
        return d


@dataclass(frozen=True, slots=True)
class Operand:
    """One figure of a relation: its role in the formula and where it is written."""

    role: str          # 合计, 部分, 分子, 分母, 本年数, 上年数, 增加额, 增长率 …
    surface: str
    value: str         # normalised (万元, %, count), as a decimal string
    unit: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Arithmetic:
    """The check in figures: ``stated`` against ``computed`` by ``formula``, allowing
    ``tolerance`` (from the precision the figures are written with)."""

    formula: str
    stated: str
    computed: str | None
    tolerance: str | None
    operands: tuple[Operand, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["operands"] = [asdict(o) for o in self.operands]
        return d


def _fingerprint(rule: str, evidence: list[Evidence], found: str | None) -> str:
    written = "|".join(e.surface for e in evidence) or (found or "")
    section = next((e.section for e in evidence if e.section), "") or ""
    return hashlib.sha1(f"{rule}\x1f{written}\x1f{section}".encode()).hexdigest()[:16]


@dataclass(slots=True)
class Finding:
    """One thing that does not add up (or a template leftover, or a typo)."""

    rule: str
    severity: Severity
    message: str
    found: str | None = None
    expected: str | None = None
    evidence: list[Evidence] = field(default_factory=list)
    arithmetic: Arithmetic | None = None
    review: dict[str, Any] | None = None  # a reviewer's verdict (store/reviews.py)

    @property
    def fingerprint(self) -> str:
        """Stable across re-checks: the rule, the operands as written, the section (not
        offsets, which move when a paragraph is added above)."""
        return _fingerprint(self.rule, self.evidence, self.found)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["evidence"] = [e.to_dict() for e in self.evidence]
        d["arithmetic"] = self.arithmetic.to_dict() if self.arithmetic else None
        d["fingerprint"] = self.fingerprint
        return d


@dataclass(slots=True)
class Verified:
    """A relation that held within the stated precision (``verdict`` "verified"), or one
    the text states that could not be decided (``verdict`` "uncertain")."""

    rule: str
    description: str
    evidence: list[Evidence] = field(default_factory=list)
    arithmetic: Arithmetic | None = None
    verdict: str = "verified"

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["evidence"] = [e.to_dict() for e in self.evidence]
        d["arithmetic"] = self.arithmetic.to_dict() if self.arithmetic else None
        return d


@dataclass(slots=True)
class CheckResult:
    """Findings and verified relations of one document."""

    source: str
    findings: list[Finding] = field(default_factory=list)
    verified: list[Verified] = field(default_factory=list)
    uncertain: list[Verified] = field(default_factory=list)
    dismissed: list[Finding] = field(default_factory=list)  # a reviewer said: not an error

    def worst(self) -> int:
        return max((SEVERITY_RANK[f.severity] for f in self.findings), default=-1)

    def counts(self) -> dict[str, int]:
        """Findings by severity: {"error": 2, "warning": 1, "info": 0}."""
        return {sev: sum(1 for f in self.findings if f.severity == sev) for sev in SEVERITY_RANK}

    def verdict(self) -> str:
        """error, warning (only warnings) or clean: how a batch summary files the report."""
        counts = self.counts()
        return next((sev for sev in ("error", "warning") if counts[sev]), "clean")

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "findings": [f.to_dict() for f in self.findings],
                "verified": [v.to_dict() for v in self.verified],
                "uncertain": [v.to_dict() for v in self.uncertain],
                "dismissed": [f.to_dict() for f in self.dismissed]}
