"""Turn a :class:`~jixiao.model.Document` into attributed figures (:class:`Metric`).

Running text goes through the spaCy pipeline paragraph by paragraph (only paragraphs that
hold a figure are segmented: the rest cannot yield one). Table cells are read from the
:class:`~jixiao.model.Table` objects, their unit taken from the column header, their entity
from the row's project or unit name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from statistics import median
from typing import Any

from jixiao.extract.attribution import (
    Context,
    document_evaluator,
    document_topic,
    form_label,
    paragraph_periods,
    rules,
    table_entity_column,
    table_entity_name,
    table_grade,
    table_key,
    table_stages,
    topic_stage,
    year_of_heading,
)
from jixiao.extract.catalog import load_catalog
from jixiao.extract.dates import find_dates
from jixiao.extract.normalize import to_simplified
from jixiao.extract.quantities import find_quantities, parse_number
from jixiao.extract.readers.tableshape import column_type
from jixiao.extract.tablecells import (
    CellFigure,
    cell_figures,
    column_spec,
    money_unit,
    read_cell,
    row_unit,
)
from jixiao.model import Document, Section, Table

__all__ = ["Metric", "extract_metrics", "json_default", "json_number", "sentence_bounds"]


@dataclass(slots=True)
class Metric:
    """One reported figure with its meaning and its evidence.

    ``value`` is normalised (money in 万元, percentages in percent, counts as integers) and
    None for a template placeholder; ``surface`` is the figure as written; ``start``/``end``
    are offsets into ``Document.text`` (for a table cell: where the table stands);
    ``number_text`` keeps the digits as written, whose decimals are the precision a check
    must allow. ``sign`` is the direction of a change the text states (``"-"`` for 下降3.2%,
    ``"+"`` for 增长12%; the value stays the magnitude). A date (``kind`` and ``unit``
    ``date``) has no Decimal value: ``date`` holds its ISO-like text (``2024-03-15``,
    ``--06-30``).
    """

    key: str | None
    value: Decimal | None
    unit: str
    kind: str
    surface: str
    start: int
    end: int
    page: int | None
    section: str | None
    sentence: str
    qualifiers: dict[str, Any] = field(default_factory=dict)
    placeholder: bool = False
    origin: str = "text"
    number_text: str = ""
    comparator: str | None = None
    sign: str | None = None
    date: str | None = None
    confidence: float | None = None
    candidates: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return load_catalog().label(self.key)

    @property
    def role(self) -> str:
        catalog = load_catalog()
        return catalog[self.key].role if self.key in catalog else "figure"

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``jixiao extract --format json``."""
        return {
            "key": self.key, "value": json_number(self.value), "unit": self.unit,
            "surface": self.surface, "start": self.start, "end": self.end, "page": self.page,
            "section": self.section, "sentence": self.sentence,
            "qualifiers": dict(self.qualifiers), "placeholder": self.placeholder,
            "sign": self.sign, "date": self.date,
            "confidence": self.confidence, "candidates": list(self.candidates),
        }


def json_number(value: Decimal | None) -> int | float | None:
    """A Decimal as a JSON number: integers stay integers, others the shortest float."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def json_default(value: Any) -> Any:
    """``json.dumps(default=…)`` for the plain data objects: Decimals and sets."""
    if isinstance(value, Decimal):
        return json_number(value)
    if isinstance(value, set):
        return sorted(value)
    raise TypeError(type(value).__name__)


_SENTENCE_END = "。！？!?\n"


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets of the sentence holding ``text[start:end]``, its closing mark included."""
    s = max(text.rfind(c, 0, start) for c in _SENTENCE_END) + 1
    ends = [i for i in (text.find(c, end) for c in _SENTENCE_END) if i >= 0]
    return s, (min(ends) + 1 if ends else len(text))


def _sentence(text: str, start: int, end: int) -> str:
    s, e = sentence_bounds(text, start, end)
    return text[s:e].strip()


def _chain(doc: Document, section: Section | None) -> tuple[tuple[str, ...], int | None]:
    """Stages of a section and its parents, and the year the nearest heading states."""
    stages: list[str] = []
    year = None
    by_id = {s.id: s for s in doc.sections}
    while section is not None:
        if section.stage and section.stage not in stages:
            stages.append(section.stage)
        if year is None:
            year = year_of_heading(section.heading)
        section = by_id.get(section.parent) if section.parent else None
    return tuple(stages), year


def _context(doc: Document, section: Section | None, period: int | None = None,
             topic: str = "", written: str = "") -> Context:
    stages, year = _chain(doc, section)
    named = topic_stage(topic)  # after the sections': what the whole document is about
    if named and named not in stages:
        stages = (*stages, named)
    return Context(stages=stages, heading_year=year, report_year=doc.year, period_month=period,
                   topic=topic, written=written)


def _topic(doc: Document) -> str:
    """What the whole document is about (attribution.document_topic), in simplified text."""
    title = next((doc.plain[p.start : p.end] for p in doc.paragraphs if p.kind == "title"),
                 doc.title)
    return document_topic(title, doc.plain)


class _Periods:
    """The month of the cumulative period each paragraph stands in, from outside it: the
    title's (1-8月…执行情况), or that of an earlier paragraph opening with one (截至4月底，…)
    up to the next heading; a paragraph opening with 其中 continues the one before it.
    Within a paragraph, attribution reads its own sentences (attribution.paragraph_periods)."""

    def __init__(self, doc: Document) -> None:
        self.headings = {s.start for s in doc.sections}
        self.title: int | None = None
        self.carried: int | None = None
        self.last: int | None = None

    def enter(self, start: int, kind: str, plain: str) -> int | None:
        if kind == "title":
            self.title = self.carried = self.last = paragraph_periods(plain)[0]
            return None
        if start in self.headings:
            self.carried = self.title
        continues = rules().breakdown.match(plain.lstrip()) is not None
        incoming = self.last if continues else self.carried
        opening, self.last = paragraph_periods(plain, incoming)
        if opening is not None:
            self.carried = opening
        elif self.last is None:
            self.carried = None  # 全年… ended the frame
        return incoming


def extract_metrics(doc: Document) -> list[Metric]:
    """Every figure of ``doc`` (running text, then tables), attributed.

    The rules read the simplified text (``Document.plain``); surfaces and sentences are
    taken from ``Document.text`` at the same offsets, as the report wrote them.
    """
    from jixiao.extract.components import FIGURES
    from jixiao.extract.nlp import get_nlp

    nlp = get_nlp()
    metrics: list[Metric] = []
    periods = _Periods(doc)
    topic = _topic(doc)
    table_months: list[tuple[int, int | None]] = []  # (offset, period month in effect there)
    for para in doc.paragraphs:
        if para.kind == "table":
            continue  # table figures come from the Table objects below
        text = doc.text[para.start : para.end]
        plain = doc.plain[para.start : para.end]
        period = periods.enter(para.start, para.kind, plain)
        # (a table after a month's flow still stands in the title's period: 附表 of 1-6月…)
        table_months.append((para.start, periods.carried if periods.carried is not None
                             else periods.title))
        dates = find_dates(plain)
        # a day is a date, not a duration (至8日, 6月5-6日): the date wins where both read
        found = [q for q in find_quantities(plain)
                 if not any(d.start < q.end and q.start < d.end for d in dates)]
        if not found and not dates:
            continue  # no figure: no need to segment the paragraph at all
        section = doc.section_at(para.start)
        here: list[Metric] = []
        if found:
            spacy_doc = nlp.make_doc(plain)
            spacy_doc._.context = _context(doc, section, period, topic, text)
            spacy_doc._.quantities = found
            for _, proc in nlp.pipeline:
                spacy_doc = proc(spacy_doc)
            for span in spacy_doc.spans[FIGURES]:
                q = span._.quantity
                start, end = para.start + q.start, para.start + q.end
                here.append(Metric(
                    key=span._.key, value=q.value, unit=q.unit, kind=q.kind,
                    surface=text[q.start : q.end], start=start, end=end,
                    page=doc.locate(start).page, section=section.id if section else None,
                    sentence=_sentence(text, q.start, q.end), qualifiers=span._.qualifiers,
                    placeholder=q.placeholder, number_text=q.number_text,
                    comparator=q.comparator, sign=q.sign, confidence=span._.confidence,
                    candidates=list(span._.candidates or ())))
        for d in dates:
            start = para.start + d.start
            here.append(Metric(
                key=None, value=None, unit="date", kind="date", surface=text[d.start : d.end],
                start=start, end=para.start + d.end, page=doc.locate(start).page,
                section=section.id if section else None,
                sentence=_sentence(text, d.start, d.end), comparator=d.comparator,
                number_text=text[d.start : d.end], date=d.iso))
        metrics.extend(sorted(here, key=lambda m: m.start) if dates and found else here)
    delegated = document_evaluator(doc.plain)
    for table in doc.tables:
        month = next((m for start, m in reversed(table_months) if start <= table.anchor), None)
        metrics.extend(table_metrics(doc, table, month, delegated, topic))
    return metrics


_HEADER_UNIT = re.compile(r"[（(]\s*(亿元|万元|千元|元|%|％|分)\s*[)）]")
_MONEY_FACTOR = {"亿元": Decimal(10000), "万元": Decimal(1), "千元": Decimal("0.1"),
                 "元": Decimal("0.0001")}


def table_metrics(doc: Document, table: Table, month: int | None = None,
                  evaluator: str | None = None, topic: str | None = None) -> list[Metric]:
    """Figures of a table's cells; the unit comes from the column header. ``month``: the
    cumulative period's month the table stands in (1-6月… in the title); ``evaluator``: who
    gave the scores, when the document says it delegated the evaluation (委托第三方…)."""
    r = rules()
    section = next((s for s in doc.sections if s.id == table.section), None)
    ctx = _context(doc, section)
    stages = table_stages(ctx.stages, table.caption, topic if topic is not None else _topic(doc))
    year = year_of_heading(table.caption or "") or ctx.heading_year
    columns: dict[int, dict[str, Any]] = {}
    entity_col = None
    header = [to_simplified(h) for h in table.header]  # a table in traditional characters
    types = [column_type(h) for h in header]
    form = r.form_header.search("".join(header)) is not None  # a self-evaluation form
    grade_col = next((i for i, h in enumerate(header) if r.grade_column.search(h)), None)
    money = money_unit(header, table.unit)  # 单位：元 above it, 项目资金（万元） in a form
    for i, head in enumerate(header):
        for pattern, col in (r.form_columns if form else []) + r.table_columns:
            if pattern.search(head):
                columns[i] = dict(col)
                unit = _HEADER_UNIT.search(head)
                if unit and col["kind"] == "money":
                    columns[i]["factor"] = _MONEY_FACTOR[unit.group(1)]
                elif col["kind"] == "money" and money in _MONEY_FACTOR:
                    columns[i]["factor"] = _MONEY_FACTOR[money]
                break
        else:
            spec = column_spec(types[i], money)  # figures in a unit, no measure: no key
            if spec is not None:
                columns[i] = spec
    entity_col = table_entity_column(header, [t.role for t in types], table.rows, set(columns))
    # Two columns of one form claiming the same measure: a group header (年度预算数（万元）
    # over 年初预算 | 调整后预算数 | …) shifted the header against the cells. Which cell is
    # which is then unsure: the form's keys are withheld, their candidates kept.
    claimed = [c["measure"] for c in columns.values() if c.get("form")]
    if len(claimed) != len(set(claimed)):
        columns = _unshifted(columns, table.rows)
        claimed = [c["measure"] for c in columns.values() if c.get("form")]
    unsure = len(claimed) != len(set(claimed))
    metrics = []
    page = table.page if table.page is not None else doc.locate(table.anchor).page
    glued = _implausible_cells(table, columns)
    quals: dict[str, Any] = {}

    def add(f: CellFigure, sentence: str, measure: str | None, field: str | None = None) -> None:
        key, confidence, candidates = (table_key(stages, measure) if measure
                                       else (None, None, []))
        if unsure and key is not None and measure in claimed:
            key, confidence, candidates = None, r.contested, [key]
        extra = {"field": field} if field else {}
        if evaluator and f.kind == "score" and measure in ("score", "form_score"):
            extra["evaluator"] = evaluator
        metrics.append(Metric(
            key=key, value=f.value, unit=f.unit, kind=f.kind, surface=f.surface,
            start=table.anchor, end=table.anchor, page=page, section=table.section,
            sentence=sentence, qualifiers=dict(quals, **extra),
            placeholder=f.placeholder,
            origin="table", number_text=f.number_text, comparator=f.comparator,
            sign=f.sign, date=f.date, confidence=confidence, candidates=candidates))

    if year is not None and year != doc.year:
        quals["year"] = year
    if month is not None:
        quals["month"] = month
    for head in table.header:  # 绩效指标（90分）: in a form, the weight of what it names
        label = form_label(to_simplified(head)) if form else None
        for f in cell_figures(head):
            if label:
                quals["entity"] = head.strip()[: len(label)]
            add(f, " | ".join(c.strip() for c in table.header), "weight" if label else None)
            quals.pop("entity", None)
    for n, row in enumerate(table.rows):
        if form:
            row = _realigned(row)
        entity = (table_entity_name(row[entity_col])  # as written (年度資金總額)
                  if entity_col is not None and entity_col < len(row) else None)
        quals.pop("entity", None)
        if entity:
            quals["entity"] = entity
        quals.pop("grade", None)
        grade = table_grade(row[grade_col]) if grade_col is not None and grade_col < len(row) \
            else None
        if grade:
            quals["grade"] = grade  # a 评价等级 column grades its row
        sentence = " | ".join(c.strip() for c in row)
        unit = row_unit(row, types)
        read: set[int] = set()
        for i, col in columns.items():
            if i >= len(row) or (n, i) in glued:
                read.add(i)
                continue
            f = read_cell(row[i], col, unit)
            if f is not None:
                read.add(i)
                own = col["unit"] in (None, f.unit)
                add(f, sentence, col["measure"] if own else None, col.get("field") if own else None)
        for i, cell in enumerate(row):  # words with figures: ≥50个, a remark, a date
            if i not in read and (i >= len(types) or types[i].role != "ordinal"):
                label = form_label(to_simplified(cell)) if form else None
                remark = len(cell.strip()) > _REMARK_LENGTH  # a note's figures: not the row's
                if remark:
                    quals.pop("entity", None)
                for f in cell_figures(cell):
                    if label:
                        quals["entity"] = cell.strip()[: len(label)]
                    add(f, sentence, "weight" if label else None)
                if (label or remark) and entity:
                    quals["entity"] = entity
    return metrics


# A words cell longer than this is a note (填报说明: 1.预算执行率=…未达到90%的需说明原因…):
# the figures in it are not about the row's entity.
_REMARK_LENGTH = 40

_BARE_NUMBER = re.compile(r"\s*[-+]?\d[\d,]*(?:\.\d+)?\s*[%％]?\s*")


def _realigned(row: list[str]) -> list[str]:
    """A form's indicator row whose first cells were merged with the rows above and lost
    when the form was copied: its words stand left of empty cells before its first bare
    number (经费支出合规性 | 严格执行相关制度规定 | 达成预期指标 | | | 8 | 8). They belong
    right-aligned against the numbers, the lost cells first.

    >>> _realigned(["经费支出合规性", "严格执行", "达成预期", "", "", "8", "8"])
    ['', '', '经费支出合规性', '严格执行', '达成预期', '8', '8']
    >>> _realigned(["", "质量指标", "合格率", "≥100%", "100", "8", "8"])[1]
    '质量指标'
    """
    first = next((i for i, c in enumerate(row) if _BARE_NUMBER.fullmatch(c)), None)
    if first is None or not row or not row[0].strip():
        return row
    words = [i for i in range(first) if row[i].strip()]
    if not words:
        return row
    gap = first - 1 - words[-1]
    if gap <= 0 or len(words) != words[-1] + 1:
        return row
    return [""] * gap + row[:words[-1] + 1] + row[first:]


def _unshifted(columns: dict[int, dict[str, Any]],
               rows: list[list[str]]) -> dict[int, dict[str, Any]]:
    """A form's columns with a group header's shift undone: 年度预算数（万元） over 年初预算 |
    调整后预算数 | 预算执行数 takes a column of its own in the header row but none in the
    rows, so the cells of the group's column and of those after it belong one header to the
    right, up to the first column of the group that is empty in every row. The group header
    claims a measure a later column claims too; without such an empty column the columns
    are left as they are (and stay unsure).

    >>> cols = {1: {"measure": "budget_full", "form": True}, 2: {"measure": "budget_initial",
    ...         "form": True}, 3: {"measure": "budget_full", "form": True},
    ...         4: {"measure": "form_spent", "form": True}, 5: {"measure": "form_rate", "form": True}}
    >>> fixed = _unshifted(cols, [["总额", "1", "2", "2", "", "100%"]])
    >>> [fixed[i]["measure"] for i in sorted(fixed)]
    ['budget_initial', 'budget_full', 'form_spent', 'form_rate']
    """
    form = sorted(i for i, c in columns.items() if c.get("form"))
    for g in form:
        later = [i for i in form if i > g and columns[i]["measure"] == columns[g]["measure"]]
        if not later:
            continue
        def empty(i: int) -> bool:
            return all(i >= len(row) or not row[i].strip() for row in rows)
        group = [i for i in form if i >= g]
        e = next((i for i in group if i > later[0] and empty(i)), None)
        if e is None or any(i not in columns for i in range(g, e + 1)) or empty(g):
            continue
        out = {i: c for i, c in columns.items() if not g <= i <= e}
        for i in range(g, e):
            out[i] = columns[i + 1]
        return out
    return columns


# A cell whose number has this many more digits than the rest of its column holds two
# figures glued together when the table was copied (or a slip): it is left out, not read.
_GLUED_DIGITS = 4
# No percentage or score in these reports is meant to reach these.
_KIND_LIMIT = {"percent": Decimal(1000), "score": Decimal(1000)}


def _implausible_cells(table: Table, columns: dict[int, dict[str, Any]]) -> set[tuple[int, int]]:
    """``(row, column)`` of cells whose number cannot be meant for their column.

    >>> t = Table(0, ["项目", "执行率"], [["甲", "98.5%"], ["乙", "96.1%97.3%"], ["丙", "9610973"]])
    >>> sorted(_implausible_cells(t, {1: {"kind": "percent"}}))
    [(2, 1)]
    """
    out: set[tuple[int, int]] = set()
    for i, col in columns.items():
        values: dict[int, Decimal] = {}
        for r, row in enumerate(table.rows):
            if i < len(row):
                try:
                    values[r] = abs(parse_number(row[i].strip().rstrip("%％").strip()))
                except (ValueError, InvalidOperation):
                    continue
        limit = _KIND_LIMIT.get(col["kind"])
        digits = {r: (v.adjusted() + 1 if v >= 1 else 0) for r, v in values.items()}
        for r, v in values.items():
            others = [d for k, d in digits.items() if k != r]
            if (limit is not None and v >= limit) or (
                    len(others) >= 2 and digits[r] - median(others) >= _GLUED_DIGITS):
                out.add((r, i))
    return out


_APPROX = {"about": "约", "over": "以上", "under": "不足"}
_QUALIFIER_FORMAT = {"month": "{}月", "year": "{}年", "grade": "等次：{}", "evaluator": "评价方：{}",
                     "entity": "对象：{}", "field": "范围：{}"}


def describe_qualifiers(qualifiers: dict[str, Any]) -> str:
    """The qualifiers in words for people: 5月；等次：优；2023年 …"""
    parts = []
    for name, value in qualifiers.items():
        if name == "approx":
            parts.append(_APPROX.get(value, str(value)))
        else:
            parts.append(_QUALIFIER_FORMAT.get(name, name + "：{}").format(value))
    return "；".join(parts)
