"""The form families as objects (``data/form_families.yaml``), and how cells are compared
with them: folded text, numbers and targets as written on forms.

A drafter's own families and rules (``--families FILE``) are merged over the shipped ones:
a family of the same name replaces the shipped one, rules are added.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from jixiao.errors import JixiaoError
from jixiao.extract.normalize import normalize_chars, to_simplified
from jixiao.extract.resources import load_yaml

__all__ = ["Family", "FormSpec", "Target", "fold", "load_spec", "parse_number", "parse_target"]


MEMO_SIZE = 4096


class FamiliesFileError(JixiaoError):
    """A families file given with --families cannot be used."""


@dataclass(frozen=True)
class Column:
    field: str
    label: str
    patterns: tuple[re.Pattern[str], ...]
    text: bool = False  # a column of words (原因), never a figure


@dataclass(frozen=True)
class Family:
    name: str
    label: str
    types: tuple[str, ...]
    money_columns: tuple[Column, ...]
    money_rows: tuple[Column, ...]
    part_groups: tuple[tuple[str, ...], ...]
    money_unit: str
    rate: tuple[str, str] | None  # (numerator, denominator) fields of 执行率
    score_rule: str  # proportional | none
    money_weight: Decimal | None
    indicator_columns: tuple[Column, ...]
    indicator_weight: Decimal | None
    total_patterns: tuple[re.Pattern[str], ...]
    texts: dict[str, tuple[re.Pattern[str], ...]]
    provinces: tuple[str, ...] = ()
    # header and label lookups, remembered: a batch meets the same few words in every form
    memo: dict[tuple[str, str], Column | None] = field(default_factory=dict, compare=False,
                                                       hash=False, repr=False)

    def _lookup(self, kind: str, columns: tuple[Column, ...], folded: str) -> Column | None:
        key = (kind, folded)
        if key not in self.memo:
            if len(self.memo) > MEMO_SIZE:
                self.memo.clear()
            self.memo[key] = _first(columns, folded)
        return self.memo[key]

    def money_field(self, folded: str) -> Column | None:
        return self._lookup("m", self.money_columns, folded)

    def money_row(self, folded: str) -> Column | None:
        return self._lookup("r", self.money_rows, folded)

    def indicator_field(self, folded: str) -> Column | None:
        return self._lookup("i", self.indicator_columns, folded)

    def column_label(self, name: str) -> str:
        for col in (*self.money_columns, *self.money_rows):
            if col.field == name:
                return col.label
        return name

    def is_total(self, folded: str) -> bool:
        return any(p.fullmatch(folded) for p in self.total_patterns)


def _first(columns: tuple[Column, ...], folded: str) -> Column | None:
    for col in columns:
        if any(p.fullmatch(folded) for p in col.patterns):
            return col
    return None


@dataclass(frozen=True)
class Rule:
    """A province's cap: below ``rate_below`` % of 执行率, the total score is at most
    ``max_total`` or the grade at most ``max_grade``."""

    family: str | None
    province: str | None
    years: tuple[int, ...]
    rate_below: Decimal
    max_total: Decimal | None
    max_grade: str | None
    source: str


@dataclass
class FormSpec:
    form_types: list[tuple[str, str, tuple[str, ...]]]  # (type, label, titles)
    meta: dict[str, tuple[re.Pattern[str], ...]]
    blocks: dict[str, tuple[re.Pattern[str], ...]]
    level1: frozenset[str]
    level2: frozenset[str]
    comparators: list[tuple[str, str]]  # (word, op), longest first
    bands: list[tuple[str, Decimal]]  # (grade, min), best first
    grade_aliases: dict[str, str]  # written → grade
    reason_none: frozenset[str]
    reason_groups: list[tuple[str, str, tuple[str, ...], tuple[str, ...]]]  # group, label, columns, words
    families: list[Family]
    rules: list[Rule] = field(default_factory=list)

    def type_label(self, form_type: str | None) -> str:
        return next((label for t, label, _ in self.form_types if t == form_type), "未识别的表")

    def family(self, name: str | None) -> Family | None:
        return next((f for f in self.families if f.name == name), None)

    def block(self, kind: str, folded: str) -> bool:
        return any(p.fullmatch(folded) for p in self.blocks.get(kind, ()))

    def meta_field(self, folded: str) -> str | None:
        for name, patterns in self.meta.items():
            if any(p.fullmatch(folded) for p in patterns):
                return name
        return None

    def grade_of(self, score: Decimal) -> str:
        for grade, low in self.bands:
            if score >= low:
                return grade
        return self.bands[-1][0]

    def band_text(self, grade: str) -> str:
        """优：90分及以上 …, for messages."""
        lows = dict(self.bands)
        order = [g for g, _ in self.bands]
        i = order.index(grade)
        low = lows[grade]
        if i == 0:
            return f"{low}分及以上"
        high = lows[order[i - 1]]
        return f"{low}分至{high}分（不含）" if low > 0 else f"{high}分以下"


# --------------------------------------------------------------------------- folding

_BRACKET = re.compile(r"[（(【\[].*$")
_PINYIN_GLOSS = re.compile(r"[（(][a-zü\u00e0-\u01dc\u0300-\u036f]+[)）]")
_SKIP = re.compile(r"[\s:：;；,，、。.·*＊\"'“”‘’]+")


@lru_cache(maxsize=MEMO_SIZE)
def fold(text: str) -> str:
    """A header or label as compared with the families: simplified, no spaces, no colon,
    no pinyin glosses, nothing from the first bracket on.

    >>> fold("項(xiàng)目資金 (萬元)"), fold("其中：当年财政拨款"), fold("执行率(B/A1")
    ('项目资金', '其中当年财政拨款', '执行率')
    """
    text = normalize_chars(text)
    text = _PINYIN_GLOSS.sub("", text)
    text = to_simplified(text)
    text = _BRACKET.sub("", text.strip())
    return _SKIP.sub("", text)


_DECLARED = re.compile(r"[（(]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]")
_UNIT_NOTE = re.compile(r"[（(]\s*(万元|元|亿元)\s*[)）]")


def declared_points(text: str) -> tuple[Decimal, int] | None:
    """The weight a label declares, ``绩效指标(90分)`` → (90, offset of "90")."""
    m = _DECLARED.search(normalize_chars(text))
    return (Decimal(m.group(1)), m.start(1)) if m else None


def money_unit_of(text: str) -> str | None:
    """The unit a header names: ``项目资金（万元）`` → 万元."""
    m = _UNIT_NOTE.search(normalize_chars(to_simplified(text)))
    return m.group(1) if m else None


# --------------------------------------------------------------------------- numbers

_NUMBER = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?|[-+]?\.\d+")
_BLANK = {"", "/", "\\", "—", "——", "-", "－", "–", "无", "空", "——/——", "…", "--"}
MONEY_FACTORS = {"万元": Decimal(1), "元": Decimal("0.0001"), "亿元": Decimal(10000),
                 "千元": Decimal("0.1")}


def is_blank(text: str) -> bool:
    return normalize_chars(text).strip() in _BLANK


@dataclass(frozen=True)
class Number:
    value: Decimal
    percent: bool
    start: int  # offset of the number in the text
    end: int
    unit: str  # the unit written right after it (%, 万元, 个 …), "" when none


_UNIT_AFTER = re.compile(r"\s*(%|百分比|百分点|亿元|万元|千元|元|万|个|家|项|人次|人|次|天|日|年|月|分|台|套|件|户|"
                         r"公里|千米|米|平方米|㎡|亩|吨|份|篇|场|所|辆|条|本|册|间|座|处|名|小时|课时|批|期|张|页)?")


def parse_number(text: str) -> Number | None:
    """The one number a cell holds (``7.29``, ``100%``, ``1,234.50``, ``91.67 %``), or None
    when it holds none, several, or words around it that make it more than a figure.

    >>> parse_number("100.00%").value, parse_number("1,234.5").value, parse_number("—")
    (Decimal('100.00'), Decimal('1234.5'), None)
    >>> parse_number("完成") is None, parse_number("72890元").unit
    (True, '元')
    """
    raw = normalize_chars(text)
    stripped = raw.strip()
    if stripped in _BLANK:
        return None
    m = _NUMBER.search(raw)
    if m is None:
        return None
    rest = raw[m.end():]
    u = _UNIT_AFTER.match(rest)
    unit = (u.group(1) or "") if u else ""
    tail = rest[u.end():] if u else rest
    head = raw[:m.start()]
    if head.strip() or tail.strip():
        return None
    try:
        value = Decimal(m.group(0).replace(",", ""))
    except InvalidOperation:
        return None
    percent = unit in ("%", "百分比")
    return Number(value, percent, m.start(), m.end(), "%" if percent else unit)


@dataclass(frozen=True)
class Target:
    """An indicator's target as written: direction, number and unit when it has them."""

    op: str | None  # ge, le, gt, lt, eq
    value: Decimal | None
    unit: str
    start: int | None  # offset of the number in the text
    end: int | None


_TARGET_NUMBER = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(%|百分比|亿元|万元|千元|元)?")


def parse_target(text: str, comparators: list[tuple[str, str]], op_hint: str | None = None
                 ) -> Target:
    """``≥50个`` → (ge, 50, 个); ``不低于95%`` → (ge, 95, %); ``100`` with op_hint from the
    指标性质 column; words only (``效果明显``) → no number."""
    raw = normalize_chars(text).strip()
    op = op_hint
    body = raw
    for word, name in comparators:
        if body.startswith(word):
            op = name
            body = body[len(word):]
            break
    shift = len(raw) - len(body)
    number = parse_number(body)
    if number is None:
        m = _TARGET_NUMBER.match(body.strip())
        if m is None or op is None:
            return Target(op, None, "", None, None)
        # a number that opens words (95%以上): the words do not change the figure
        lead = len(body) - len(body.lstrip())
        value = Decimal(m.group(1).replace(",", ""))
        unit = m.group(2) or ""
        return Target(op, value, "%" if unit in ("%", "百分比") else unit, shift + lead + m.start(1),
                      shift + lead + m.end(1))
    return Target(op, number.value, number.unit, shift + number.start, shift + number.end)


def comparator_of(text: str, comparators: list[tuple[str, str]]) -> str | None:
    """The direction a 指标性质 cell states (``≥`` → ge)."""
    raw = normalize_chars(text).strip()
    return next((name for word, name in comparators if raw == word), None)


# --------------------------------------------------------------------------- loading


def _patterns(aliases: Any) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(fold(a) if not any(ch in a for ch in "\\[]{}+*?") else a)
                 for a in aliases or ())


def _columns(raw: Any) -> tuple[Column, ...]:
    out = []
    for name, spec in (raw or {}).items():
        if isinstance(spec, dict):
            out.append(Column(name, str(spec.get("label", name)), _patterns(spec.get("aliases")),
                              bool(spec.get("text", False))))
        else:
            out.append(Column(name, name, _patterns(spec), name in ("reason", "likelihood", "note",
                                                                    "forecast")))
    return tuple(out)


def _family(raw: dict[str, Any]) -> Family:
    money = raw.get("money") or {}
    indicators = raw.get("indicators") or {}
    rate = money.get("rate")
    return Family(
        name=str(raw["family"]), label=str(raw.get("label", raw["family"])),
        types=tuple(raw.get("types") or ()),
        money_columns=_columns(money.get("columns")), money_rows=_columns(money.get("rows")),
        part_groups=tuple(tuple(g) for g in money.get("part_groups") or ()),
        money_unit=str(money.get("unit", "万元")),
        rate=(str(rate["of"]), str(rate["over"])) if rate else None,
        score_rule=str(money.get("score", "none")),
        money_weight=Decimal(str(money["weight"])) if money.get("weight") is not None else None,
        indicator_columns=_columns(indicators.get("columns")),
        indicator_weight=(Decimal(str(indicators["weight"]))
                          if indicators.get("weight") is not None else None),
        total_patterns=_patterns(raw.get("total")),
        texts={k: _patterns(v) for k, v in (raw.get("texts") or {}).items()},
        provinces=tuple(raw.get("provinces") or ()),
    )


def _rules(raw: Any, source: str) -> list[Rule]:
    out = []
    for item in raw or []:
        try:
            out.append(Rule(family=item.get("family"), province=item.get("province"),
                            years=tuple(int(y) for y in item.get("years") or ()),
                            rate_below=Decimal(str(item["rate_below"])),
                            max_total=(Decimal(str(item["max_total"]))
                                       if item.get("max_total") is not None else None),
                            max_grade=item.get("max_grade"), source=source))
        except (KeyError, TypeError, ValueError, InvalidOperation, AttributeError):
            raise FamiliesFileError(source, f"规则写法有误：{item}（应有 rate_below，以及 max_total 或 max_grade）") from None
    return out


def _build(data: dict[str, Any], extra: dict[str, Any] | None, extra_source: str) -> FormSpec:
    families = {f["family"]: f for f in data["families"]}
    rules = _rules(data.get("rules"), "form_families.yaml")
    if extra:
        for f in extra.get("families") or []:
            if not isinstance(f, dict) or "family" not in f:
                raise FamiliesFileError(extra_source, "families 的每一项应有 family（名称）")
            families[f["family"]] = f
        rules += _rules(extra.get("rules"), extra_source)
    comparators = sorted(((normalize_chars(w), op) for op, words in data["comparators"].items()
                          for w in words), key=lambda p: -len(p[0]))
    grades = data["grades"]
    aliases = {w: g for g, words in grades["aliases"].items() for w in words}
    reasons = data["deviation_reasons"]
    try:
        built = [_family(f) for f in families.values()]
    except (KeyError, TypeError, re.error) as exc:
        raise FamiliesFileError(extra_source or "form_families.yaml", f"模板族写法有误（{exc}）") from None
    return FormSpec(
        form_types=[(t["type"], t["label"], tuple(fold(x) for x in t["titles"]))
                    for t in data["form_types"]],
        meta={k: _patterns(v) for k, v in data["meta"].items()},
        blocks={k: _patterns(v) for k, v in data["blocks"].items()},
        level1=frozenset(fold(x) for x in data["levels"]["level1"]),
        level2=frozenset(fold(x) for x in data["levels"]["level2"]),
        comparators=comparators,
        bands=[(b["grade"], Decimal(str(b["min"]))) for b in grades["bands"]],
        grade_aliases=aliases,
        reason_none=frozenset(reasons["none"]),
        reason_groups=[(g["group"], g["label"], tuple(fold(c) for c in g.get("columns", ())),
                        tuple(g.get("words", ()))) for g in reasons["groups"]],
        families=built, rules=rules,
    )


@cache
def _shipped() -> FormSpec:
    return _build(load_yaml("form_families.yaml"), None, "")


def load_spec(extra: str | Path | None = None) -> FormSpec:
    """The shipped families, with a drafter's own file merged over them."""
    if extra is None:
        return _shipped()
    import yaml

    path = Path(extra)
    if not path.exists():
        raise FamiliesFileError(str(path), "文件不存在")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError):
        raise FamiliesFileError(str(path), "不是有效的 YAML 文件（UTF-8）") from None
    if not isinstance(data, dict):
        raise FamiliesFileError(str(path), "应为含 families 和/或 rules 的映射")
    return _build(load_yaml("form_families.yaml"), data, str(path))
