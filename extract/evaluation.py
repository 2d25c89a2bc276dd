"""Measure extraction against the gold annotation of ``corpus/gold/``.

Figures are matched as multisets per document, not by offset: the renditions of one report
(text, Word, PDF) place the same figure at different offsets, and a table cell has no
offset in a Word file. Two levels are scored: (value, unit) says whether the figures were
found; (value, unit, key, qualifiers) whether they were also understood.

A value is compared as text: a number in its shortest exact decimal form, a date as its
ISO-like text (``2024-03-15``, ``--06-30``). Dates are scored only against a gold file that
annotates dates (unit ``date``): the annotation guideline of ``corpus/README.md`` leaves
them out, and a report read under it must not count every date found as a false alarm.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from jixiao.extract.metrics import Metric

__all__ = ["GoldFigure", "Score", "gold_dir", "gold_for", "load_gold", "metric_value", "score"]

DATE_UNIT = "date"


@dataclass(frozen=True, slots=True)
class GoldFigure:
    key: str | None
    value: str | None
    unit: str
    surface: str
    qualifiers: tuple[tuple[str, Any], ...]
    placeholder: bool


def gold_dir() -> Path:
    """Folder of the shipped gold annotation."""
    return Path(str(resources.files("jixiao").joinpath("corpus", "gold")))


def gold_for(path: str | Path, folder: Path | None = None) -> Path | None:
    """The gold file of a corpus file: ``003_9838….pdf`` → ``gold/003.jsonl``."""
    m = re.match(r"(\d{3})_", Path(path).name)
    if not m:
        return None
    candidate = (folder or gold_dir()) / f"{m.group(1)}.jsonl"
    return candidate if candidate.exists() else None


# A date value as Metric.date writes it: 2024-03-15, 2024-03, --06-30.
_DATE_VALUE = re.compile(r"(?:\d{4}|-)-\d{2}(?:-\d{2})?")


def _norm_value(value: Decimal | str | None) -> str | None:
    """The value as compared: ``"1.50"`` → ``"1.5"``; a date stays its ISO-like text.

    >>> _norm_value("15200.0"), _norm_value(Decimal("1E+2")), _norm_value("--06-30")
    ('15200', '100', '--06-30')
    """
    if value is None:
        return None
    if isinstance(value, str) and _DATE_VALUE.fullmatch(value):
        return value
    d = Decimal(value).normalize()
    return format(d, "f")


def metric_value(m: Metric) -> str | None:
    """What a metric's value is compared as: its date, or its number."""
    return m.date if m.date is not None else _norm_value(m.value)


def _quals(q: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted(q.items()))


def load_gold(path: Path) -> list[GoldFigure]:
    figures = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            row = json.loads(line)
            figures.append(GoldFigure(row["key"], _norm_value(row["value"]), row["unit"],
                                      row["surface"], _quals(row.get("qualifiers", {})),
                                      bool(row.get("placeholder"))))
    return figures


@dataclass(slots=True)
class Level:
    """Precision, recall and F1 at one level, with the unmatched items."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[tuple] = field(default_factory=list)
    false_alarms: list[tuple] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Level) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn


@dataclass(slots=True)
class Score:
    source: str
    found: Level
    understood: Level

    def to_dict(self) -> dict[str, Any]:
        def level(lv: Level) -> dict[str, Any]:
            return {"precision": round(lv.precision, 4), "recall": round(lv.recall, 4),
                    "f1": round(lv.f1, 4), "tp": lv.tp, "fp": lv.fp, "fn": lv.fn,
                    "misses": [list(m) for m in lv.misses],
                    "false_alarms": [list(m) for m in lv.false_alarms]}
        return {"source": self.source, "value_unit": level(self.found),
                "full": level(self.understood)}


def _compare(gold: Iterable[tuple], found: Iterable[tuple]) -> Level:
    g, f = Counter(gold), Counter(found)
    level = Level()
    level.tp = sum((g & f).values())
    level.fn = sum((g - f).values())
    level.fp = sum((f - g).values())
    level.misses = sorted((g - f).elements(), key=str)
    level.false_alarms = sorted((f - g).elements(), key=str)
    return level


def score(source: str, gold: list[GoldFigure], metrics: list[Metric]) -> Score:
    """Score the metrics of one document against its gold figures."""
    def vu(value: str | None, unit: str, placeholder: bool) -> tuple:
        return ("X" if placeholder else value, unit)

    if not any(g.unit == DATE_UNIT for g in gold):
        metrics = [m for m in metrics if m.unit != DATE_UNIT]  # dates not annotated here
    gold_vu = [vu(g.value, g.unit, g.placeholder) for g in gold]
    found_vu = [vu(metric_value(m), m.unit, m.placeholder) for m in metrics]
    gold_full = [(*vu(g.value, g.unit, g.placeholder), g.key, g.qualifiers) for g in gold]
    found_full = [(*vu(metric_value(m), m.unit, m.placeholder), m.key,
                   _quals(m.qualifiers)) for m in metrics]
    return Score(source, _compare(gold_vu, found_vu), _compare(gold_full, found_full))
