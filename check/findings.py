"""What a check reports: findings that point at the text, and the relations it verified.

A :class:`Finding` says what was stated, what the other figures give and where; its
evidence spans are offsets into ``Document.text`` so a reviewer's tool can highlight them.
A :class:`Verified` relation is one that held: reviewers see what was checked, and the
mutation evaluation knows which numbers a slip would have to break.
"""

from __future__ import annotations

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

    @classmethod
    def of(cls, m: Metric) -> Evidence:
        return cls(m.surface, m.start, m.end, m.page, m.section)

    def to_dict(self) -> dict[str, Any]:
        """The span; ``cell`` and ``source`` only when it stands elsewhere (a form's cell)."""
        d = asdict(self)
        for name in ("cell", "source"):
            if d[name] is None:
                del d[name]
        return d


@dataclass(slots=True)
class Finding:
    """One thing that does not add up (or a template leftover, or a typo)."""

    rule: str
    severity: Severity
    message: str
    found: str | None = None
    expected: str | None = None
    evidence: list[Evidence] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["evidence"] = [e.to_dict() for e in self.evidence]
        return d


@dataclass(slots=True)
class Verified:
    """A relation that held within the stated precision."""

    rule: str
    description: str
    evidence: list[Evidence] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["evidence"] = [e.to_dict() for e in self.evidence]
        return d


@dataclass(slots=True)
class CheckResult:
    """Findings and verified relations of one document."""

    source: str
    findings: list[Finding] = field(default_factory=list)
    verified: list[Verified] = field(default_factory=list)

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
                "verified": [v.to_dict() for v in self.verified]}
