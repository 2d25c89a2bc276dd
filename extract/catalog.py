"""The indicator catalog (``data/catalog.yaml``): keys, Chinese labels, units, measures.

Attribution asks one question of the catalog: *which key does stage S have for measure M?*
Keeping that mapping in data means a new indicator is a line in the YAML file, not code.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from jixiao.extract.resources import load_yaml

__all__ = ["GRADES", "Catalog", "Indicator", "load_catalog"]

# The grades a report gives (优良中差; 良及以上 for the two highest together, 中及以下 for the
# two lowest).
GRADES = ("优", "良", "中", "差", "良及以上", "中及以下")


# The kind of figure an indicator's unit holds (any other unit is a count: 个, 家, 人 …).
_KIND_OF_UNIT = {"万元": "money", "%": "percent", "分": "score", "天": "duration",
                 "年": "duration"}


@dataclass(frozen=True, slots=True)
class Indicator:
    """One catalog entry. ``role`` is figure, threshold or rule (see catalog.yaml)."""

    key: str
    label: str
    unit: str
    stage: str
    measures: tuple[str, ...]
    role: str = "figure"
    counts: tuple[str, ...] = ()


class Catalog:
    """Lookup of indicators by key and by (stage, measure)."""

    def __init__(self, indicators: list[Indicator]) -> None:
        self.indicators = {i.key: i for i in indicators}
        self._by_stage: dict[tuple[str, str], list[Indicator]] = {}
        for ind in indicators:
            for measure in ind.measures:
                self._by_stage.setdefault((ind.stage, measure), []).append(ind)

    def has_kind(self, stage: str, kind: str) -> bool:
        """Whether ``stage`` has an indicator for figures of ``kind`` (count, money, …)."""
        return any(i.stage == stage and _KIND_OF_UNIT.get(i.unit, "count") == kind
                   for i in self.indicators.values())

    def __contains__(self, key: object) -> bool:
        return key in self.indicators

    def __getitem__(self, key: str) -> Indicator:
        return self.indicators[key]

    def key_for(self, stage: str, measure: str, noun: str | None = None) -> str | None:
        """The key stage ``stage`` has for ``measure`` (counting ``noun``), if any.

        An indicator that says what it counts (``counts: [departments]``) is not the home
        of a count of something else: 5个项目评级为优 is not a count of units.
        """
        for ind in self._by_stage.get((stage, measure), ()):
            if noun is None or not ind.counts or noun in ind.counts:
                return ind.key
        return None

    def label(self, key: str | None) -> str:
        """Chinese label of a key ('未归类' for figures without one)."""
        if key is None or key not in self.indicators:
            return "未归类"
        return self.indicators[key].label


@cache
def load_catalog() -> Catalog:
    """The catalog shipped in ``data/catalog.yaml`` (loaded once)."""
    rows = load_yaml("catalog.yaml")["indicators"]
    indicators = []
    for row in rows:
        measures = row.get("measure") or row["key"].split(".", 1)[1]
        if isinstance(measures, str):
            measures = [measures]
        indicators.append(Indicator(key=row["key"], label=row["label"], unit=str(row["unit"]),
                                    stage=row["stage"], measures=tuple(measures),
                                    role=row.get("role", "figure"),
                                    counts=tuple(row.get("counts", ()))))
    return Catalog(indicators)
