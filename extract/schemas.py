"""Schemas of the rule and vocabulary files (``extract/data``, ``check/data``).

Every table is a pydantic model that forbids unknown fields, so a misspelt field
(``clasue`` for ``clause``) is an error when the file is loaded, not a rule that silently
stops applying; patterns must compile and catalog keys named by a relation must exist.
:func:`validate` turns the first problem into one line naming the file and the field.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from jixiao.errors import JixiaoError

__all__ = ["DataFileError", "validate"]

Kind = Literal["count", "money", "percent", "score", "duration"]


class DataFileError(JixiaoError):
    """A data file shipped with (or edited into) jixiao does not follow its schema."""


def _regex(value: str | None) -> str | None:
    if value is not None:
        try:
            re.compile(value)
        except re.error as err:
            raise ValueError(f"正则表达式无法编译（{err}）") from None
    return value


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Words(_Row):
    words: list[str] = []
    heads: list[str] = []


class Topic(_Words):
    stage: str
    priority: int
    weak: bool = False
    unless_section: list[str] = []
    subset: bool = False


Role = Literal["amount", "growth", "completion", "share"]


class Subject(_Words):
    subject: str
    measures: dict[Role, str] = {}
    general: bool = False


class Noun(_Words):
    noun: str


class Evaluator(_Words):
    evaluator: str


class Field(_Words):
    field: str


class Measure(_Row):
    measure: str | None
    kind: Kind
    unit: str | list[str] | None = None
    noun: str | None = None
    grade: bool = False
    comparator: bool = False
    before: str | None = None
    clause: str | None = None
    after: str | None = None
    verb: bool = False
    fallback: str | None = None
    section_first: bool = False
    home: str | None = None
    role: Role | None = None
    lead: str | None = None

    _patterns = field_validator("before", "clause", "after", "lead")(_regex)


class GradeBand(_Row):
    grade: str
    words: list[str]
    band: str


class Grades(_Row):
    names: dict[str, str]
    bands: list[GradeBand]
    markers: list[str]
    open_quotes: list[str]
    close_quotes: list[str]
    joins: list[str]
    list_separators: list[str]


class Periods(_Row):
    patterns: list[str]
    words: dict[str, int]
    resets: list[str]
    ahead: str

    @field_validator("patterns")
    @classmethod
    def _compile(cls, value: list[str]) -> list[str]:
        for pattern in value:
            _regex(pattern)
        return value


class TableColumn(_Row):
    pattern: str
    measure: str
    kind: Kind | Literal["value"]
    unit: str | None = None
    form: bool = False
    home: str | None = None
    field: str | None = None

    _patterns = field_validator("pattern")(_regex)


Source = Literal["clause", "home", "sentence", "later", "section", "generic", "default"]


class Confidence(_Row):
    threshold: float
    sources: dict[Source, float]
    contested: float


class Geometry(_Row):
    """Words (not punctuation) that shape a sentence for attribution."""

    breakdown: list[str]
    back_reference: list[str]
    distribute: list[str]
    noun_stop: list[str]
    checkpoint_stages: list[str]
    year_frames: list[str]
    entity_prefixes: list[str]
    fund_stages: list[str]
    category_suffixes: list[str]
    flow_words: str
    flow_opening: str
    part_parens: str
    topic_sentence: str
    title_words: str
    generic_stages: list[str]

    _patterns = field_validator("topic_sentence", "title_words", "flow_words", "flow_opening",
                                "part_parens")(_regex)


class OwnReport(_Row):
    topic: str
    stage: str
    measures: dict[str, str]
    kept: list[str]
    budget_before: list[str]
    bound: str

    _bound = field_validator("bound")(_regex)

    _patterns = field_validator("topic")(_regex)


class SubjectEntity(_Row):
    prefixes: str
    levels: str
    place_suffixes: str
    not_in_names: str
    place_before: str

    _patterns = field_validator("prefixes", "levels", "place_suffixes", "place_before")(_regex)


class Delegated(_Row):
    pattern: str
    evaluator: str

    _patterns = field_validator("pattern")(_regex)


class AttributionFile(_Row):
    frame_verbs: list[str]
    frame_modifiers: list[str]
    frame_bonus: int
    topics: list[Topic]
    nouns: list[Noun]
    noun_gap: str
    relative_clause: str
    subjects: list[Subject]
    subject_gap: str
    subject_modifiers: list[str]
    base_words: list[str]
    verb_gap: str
    measures: list[Measure]
    grades: Grades
    periods: Periods
    evaluators: list[Evaluator]
    fields: list[Field]
    entity_verbs: str
    entity_skip: str
    list_openers: str
    list_measure_names: str
    list_share_words: str
    list_uses: str
    subject_entity: SubjectEntity
    delegated_evaluators: list[Delegated]
    scoring_words: str
    previous_year: str
    list_shared_tail: str
    label_entity: str
    label_not: str
    own_report: OwnReport
    table_columns: list[TableColumn]
    form_header: str
    grade_column: str
    table_entity: list[str]
    form_label: str
    continuation: str
    geometry: Geometry
    confidence: Confidence

    _patterns = field_validator("noun_gap", "relative_clause", "verb_gap", "entity_verbs", "entity_skip",
                                "list_openers", "list_measure_names", "list_share_words", "list_uses",
                                "label_entity", "label_not", "scoring_words", "previous_year",
                                "list_shared_tail",
                                "continuation", "subject_gap", "form_header", "grade_column",
                                "form_label")(_regex)

    @field_validator("table_entity")
    @classmethod
    def _entity_patterns(cls, value: list[str]) -> list[str]:
        for pattern in value:
            _regex(pattern)
        return value


class Indicator(_Row):
    key: str
    label: str
    unit: str
    stage: str
    measure: str | list[str] | None = None
    role: Literal["figure", "threshold", "rule"] = "figure"
    counts: list[str] = []


class CatalogFile(_Row):
    indicators: list[Indicator]


class StageRule(_Row):
    stage: str
    pattern: str

    _patterns = field_validator("pattern")(_regex)


class StagesFile(_Row):
    stages: list[StageRule]


class SumRelation(_Row):
    whole: str
    parts: list[str]


class ShareRelation(_Row):
    share: str
    part: str
    whole: str
    match: list[str] = []


class RateRelation(_Row):
    rate: str
    numerator: str
    denominator: str
    match: list[str] = []


class GrowthRelation(_Row):
    growth: str
    change: str
    current: str
    match: list[str] = []


class CheckWords(_Row):
    """Vocabulary of check/listing.py and check/arithmetic.py."""

    complete_grades: list[str]
    list_starts: list[str]
    counted_nouns: list[str]
    count_verbs: list[str]
    breakdown: list[str]
    item_joins: list[str]
    open_list_ends: list[str]
    distribute: list[str]


class RelationsFile(_Row):
    sums: list[SumRelation]
    breakdowns: dict[str, list[str]]
    shares: list[ShareRelation]
    rates: list[RateRelation]
    growth: list[GrowthRelation]
    grade_shares: list[str]
    words: CheckWords


SCHEMAS: dict[str, type[BaseModel]] = {
    "jixiao.extract/attribution.yaml": AttributionFile,
    "jixiao.extract/catalog.yaml": CatalogFile,
    "jixiao.extract/stages.yaml": StagesFile,
    "jixiao.check/relations.yaml": RelationsFile,
}

_REASONS = {
    "extra_forbidden": "不是已知字段（拼写有误？）",
    "missing": "缺失",
}


def _where(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif not str(part).startswith("function-"):
            out += ("." if out else "") + str(part)
    return out


def validate(name: str, package: str, data: Any) -> Any:
    """``data`` (the parsed file ``name`` of ``package``) if it follows its schema, else
    :class:`DataFileError` naming the file and the first field in error."""
    schema = SCHEMAS.get(f"{package}/{name}")
    if schema is None:
        return data
    where = f"{package.removeprefix('jixiao.')}/data/{name}"
    try:
        schema.model_validate(data)
    except ValidationError as err:
        # a misspelt field shows as unknown and its right name as missing: name the typo
        errors = sorted(err.errors(), key=lambda e: e["type"] != "extra_forbidden")
        first = errors[0]
        reason = _REASONS.get(first["type"], first["msg"].removeprefix("Value error, "))
        raise DataFileError(where, f"字段 {_where(first['loc'])} {reason}") from None
    if schema is RelationsFile:
        _keys_exist(where, data)
    return data


def _keys_exist(where: str, data: dict[str, Any]) -> None:
    """Every catalog key a relation names is in the catalog."""
    from jixiao.extract.catalog import load_catalog

    catalog = load_catalog()
    named: list[tuple[str, str]] = []
    for table in ("sums", "shares", "rates", "growth"):
        for i, row in enumerate(data[table]):
            for fld, value in row.items():
                if fld == "match":
                    continue
                for key in value if isinstance(value, list) else [value]:
                    named.append((f"{table}[{i}].{fld}", key))
    for whole, parts in data["breakdowns"].items():
        named += [(f"breakdowns.{whole}", k) for k in [whole, *parts]]
    named += [(f"grade_shares[{i}]", k) for i, k in enumerate(data["grade_shares"])]
    for path, key in named:
        if key not in catalog:
            raise DataFileError(where, f"字段 {path} 的指标 {key} 不在指标目录（catalog.yaml）中")
