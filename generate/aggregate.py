"""The units' forms added up into the figures of a report, each with its trace.

What is added up, and how, is data (``data/form_aggregate.yaml``). Every figure keeps the
forms and cells it came from (:class:`Trace`), so ``jixiao forms --explain KEY`` can show
where a number of the report stands on the forms, and the figures file it writes is the
one ``jixiao draft`` reads. Rounding is :func:`jixiao.check.tolerance.rounded`.

A form counts once: a project filed twice (the same unit and project, the same type —
a workbook and the PDF printed from it) is kept the first time and listed as a duplicate.
A fragment (a form's tail without its title) and a form of another year are left out,
with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from jixiao.check.tolerance import fmt, holds, rounded
from jixiao.extract.catalog import load_catalog
from jixiao.extract.forms import FormFigure, FormRecord, project_name, score_items
from jixiao.extract.formspec import FormSpec, fold, load_spec
from jixiao.extract.resources import load_yaml

__all__ = ["AggFigure", "Aggregate", "FormSummary", "Trace", "aggregate", "form_amount",
           "form_score", "summarize"]

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Trace:
    """One form's part in a figure: the file, the form, the cell and the value taken."""

    source: str
    form: int
    who: str  # the unit and project, for people
    cell: str | None
    value: Decimal | None
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "form": self.form, "who": self.who, "cell": self.cell,
                "value": None if self.value is None else fmt(self.value), "note": self.note}


@dataclass
class AggFigure:
    key: str
    value: Decimal
    qualifiers: dict[str, Any]
    how: str
    traces: list[Trace] = field(default_factory=list)
    report_key: str | None = None
    cue: str | None = None

    @property
    def label(self) -> str:
        return load_catalog().label(self.key)

    @property
    def unit(self) -> str:
        catalog = load_catalog()
        return catalog[self.key].unit if self.key in catalog else ""

    def qualifier_text(self) -> str:
        q = self.qualifiers
        return "、".join(f"{v}" for v in q.values())

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "value": fmt(self.value), "unit": self.unit,
                "qualifiers": self.qualifiers, "how": self.how,
                "traces": [t.to_dict() for t in self.traces]}


@dataclass(slots=True)
class FormSummary:
    """What the aggregate reads of one form: who filed it, the amounts and the score it
    gives (with their traces), its deviation reasons. A batch of thousands of forms keeps
    these, a few KB a form, instead of the forms."""

    source: str
    index: int
    where: str
    form_type: str | None
    family: str | None
    year: int | None
    unit: str | None
    project: str | None
    complete: bool
    verdict: str
    amounts: dict[str, tuple[Decimal | None, list[Trace]]]
    score: tuple[Decimal | None, list[Trace]]
    reasons: list[tuple[str, Trace]]

    def key(self) -> tuple[str, str]:
        return (fold(self.unit or ""), fold(self.project or ""))

    def worst(self) -> str:
        return self.verdict


def summarize(rec: FormRecord | FormSummary, spec: FormSpec | None = None) -> FormSummary:
    """The part of a form the aggregate reads."""
    if isinstance(rec, FormSummary):
        return rec
    spec = spec or load_spec()
    fields = {r["field"] for r in _rules() if r["measure"] == "sum"}
    reasons: list[tuple[str, Trace]] = []
    for ind in rec.indicators:
        marked = list(ind.ticked) or ([g] if (g := _reason_group(ind.reason, spec)) else [])
        for g in marked:
            reasons.append((g, Trace(rec.source, rec.index, _who(rec),
                                     ind.reason_cell or (ind.actual.cell if ind.actual else None),
                                     Decimal(1), f"指标“{ind.name}”：{ind.reason or '勾选' + g}")))
    return FormSummary(rec.source, rec.index, rec.where, rec.form_type, rec.family, rec.year,
                       rec.unit, project_name(rec) or rec.project or rec.title, rec.complete,
                       rec.worst(), {f: form_amount(rec, f, spec) for f in fields},
                       form_score(rec), reasons)


@cache
def _rules() -> list[dict[str, Any]]:
    return load_yaml("form_aggregate.yaml", "jixiao.generate")["figures"]


@dataclass
class Aggregate:
    figures: list[AggFigure]
    records: list[FormSummary]  # the forms counted
    duplicates: list[tuple[FormSummary, FormSummary]]  # (left out, the one kept)
    left_out: list[tuple[FormSummary, str]]  # (form, why)
    year: int | None = None

    def get(self, key: str, **quals: Any) -> AggFigure | None:
        return next((f for f in self.figures if f.key == key and f.qualifiers == quals), None)

    def find(self, key: str) -> list[AggFigure]:
        """``key`` or ``key@value`` (any qualifier equal to value): the figures it names."""
        base, _, wanted = key.partition("@")
        return [f for f in self.figures if f.key == base
                and (not wanted or wanted in {str(v) for v in f.qualifiers.values()})]


def _who(rec: FormRecord | FormSummary) -> str:
    name = project_name(rec) if isinstance(rec, FormRecord) else rec.project
    return "，".join(x for x in (rec.unit, name) if x) or rec.where


def _trace(rec: FormRecord, fig: FormFigure | None, value: Decimal | None, note: str = "") -> Trace:
    return Trace(rec.source, rec.index, _who(rec), fig.cell if fig is not None else rec.where,
                 value, note)


def form_amount(rec: FormRecord, column: str, spec: FormSpec | None = None
                ) -> tuple[Decimal | None, list[Trace]]:
    """A money field of the form's total row (万元), with the cells it came from. A total
    left blank or at 0 above parts that are not takes the sum of its parts."""
    spec = spec or load_spec()
    total = rec.money.get("total", {}).get(column)
    family = spec.family(rec.family)
    parts: list[FormFigure] = []
    if family is not None:
        for group in family.part_groups:
            cells = [rec.money[p][column] for p in group
                     if p in rec.money and column in rec.money[p]
                     and rec.money[p][column].value is not None]
            if cells:
                parts = cells
                break
    parts_sum = sum((p.value for p in parts), Decimal(0))  # type: ignore[misc]
    if total is not None and total.value is not None and (total.value != 0 or parts_sum == 0):
        return total.value, [_trace(rec, total, total.value)]
    if parts and parts_sum != 0:
        note = "合计行为0，按其中各行之和" if total is not None and total.value == 0 else "合计行空白，按其中各行之和"
        return parts_sum, [_trace(rec, p, p.value, note) for p in parts]
    return None, []


def form_score(rec: FormRecord) -> tuple[Decimal | None, list[Trace]]:
    """The form's total score: the written 总分 when it agrees with the items (or they are
    not all written, or one of them is above its weight: then the items are the slip),
    else the items' sum."""
    items, complete = score_items(rec)
    # no indicator read, or an item above its weight: the items cannot stand for the total
    complete &= bool(rec.indicators) and all(
        ind.score is None or ind.score.value is None or ind.weight is None
        or ind.weight.value is None or ind.score.value <= ind.weight.value
        for ind in rec.indicators)
    summed = sum((i.value for i in items if i.value is not None), Decimal(0)) if complete else None
    stated = rec.total_score
    if stated is not None and stated.value is not None:
        decimals = max((len(i.text.split(".", 1)[1]) if "." in i.text else 0
                        for i in [stated, *items]), default=0)
        if summed is None or holds(stated.value, summed, decimals):
            return stated.value, [_trace(rec, stated, stated.value)]
        return summed, [_trace(rec, stated, summed, f"总分写为{fmt(stated.value)}，与分项得分之和不符，按分项得分之和")]
    if summed is not None:
        return summed, [_trace(rec, stated, summed, "总分空白，按分项得分之和")]
    return None, []


def _reason_group(text: str, spec: FormSpec) -> str | None:
    words = text.strip()
    if not words or words in spec.reason_none:
        return None
    for group, _, _, keywords in spec.reason_groups:
        if any(k in words for k in keywords):
            return group
    return spec.reason_groups[-1][0]


def _select(records: list[FormSummary], year: int | None
            ) -> tuple[list[FormSummary], list[tuple[FormSummary, FormSummary]],
                       list[tuple[FormSummary, str]]]:
    kept: dict[tuple[str, str, str], FormSummary] = {}
    duplicates: list[tuple[FormSummary, FormSummary]] = []
    left_out: list[tuple[FormSummary, str]] = []
    for rec in records:
        if not rec.complete or rec.form_type is None:
            left_out.append((rec, "表格不完整（只有表的一部分，没有标题），不计入汇总"))
            continue
        if year is not None and rec.year is not None and rec.year != year:
            left_out.append((rec, f"是{rec.year}年度的表，不是{year}年度的，不计入汇总"))
            continue
        unit, name = rec.key()
        # a form that names neither its unit nor its project is only ever itself
        key = (rec.form_type, unit, name or f"{rec.source}#{rec.index}")
        if key in kept:
            duplicates.append((rec, kept[key]))
            continue
        kept[key] = rec
    return list(kept.values()), duplicates, left_out


def aggregate(records: list[FormRecord] | list[FormSummary], *, year: int | None = None,
              spec: FormSpec | None = None) -> Aggregate:
    """The figures of the forms (read, or summarised as they were read)."""
    spec = spec or load_spec()
    used, duplicates, left_out = _select([summarize(r, spec) for r in records], year)
    out: list[AggFigure] = []
    for rule in _rules():
        out.extend(_figure(rule, used, out, spec))
    return Aggregate(out, used, duplicates, left_out, year)


def _figure(rule: dict[str, Any], used: list[FormSummary], done: list[AggFigure],
            spec: FormSpec) -> list[AggFigure]:
    key, measure, how = rule["key"], rule["measure"], rule["how"]
    forms = [r for r in used if r.form_type in rule.get("types", ())]
    extra = {"report_key": rule.get("report_key"), "cue": rule.get("cue")}
    if measure == "count":
        if not forms:
            return []
        return [AggFigure(key, Decimal(len(forms)), {}, how,
                          [_trace(r, None, Decimal(1)) for r in forms], **extra)]
    if measure == "sum":
        total, traces = Decimal(0), []
        missing = 0
        for r in forms:
            value, tr = r.amounts.get(rule["field"], (None, []))
            if value is None:
                missing += 1
                continue
            total += value
            traces += tr
        if not traces:
            return []
        note = f"（另有{missing}张表此栏空白，未计入）" if missing else ""
        return [AggFigure(key, total, {}, how + note, traces, **extra)]
    if measure == "rate":
        of = next((f for f in done if f.key == rule["of"] and not f.qualifiers), None)
        over = next((f for f in done if f.key == rule["over"] and not f.qualifiers), None)
        if of is None or over is None or not over.value:
            return []
        return [AggFigure(key, rounded(of.value / over.value * HUNDRED, 1), {}, how,
                          [*of.traces, *over.traces], **extra)]
    scored = [(r, *r.score) for r in forms]
    scored = [(r, v, t) for r, v, t in scored if v is not None]
    if measure == "mean_score":
        if not scored:
            return []
        mean = sum((v for _, v, _ in scored), Decimal(0)) / len(scored)
        return [AggFigure(key, rounded(mean, 2), {}, how + f"（{len(scored)}张表）",
                          [t for _, _, ts in scored for t in ts], **extra)]
    if measure in ("grades", "grade_shares"):
        if not scored:
            return []
        out = []
        for grade, _ in spec.bands:
            mine = [(r, v, t) for r, v, t in scored if spec.grade_of(v) == grade]
            count = Decimal(len(mine))
            value = count if measure == "grades" else rounded(count / len(scored) * HUNDRED, 1)
            out.append(AggFigure(key, value, {"grade": grade},
                                 how + f"（{grade}：{spec.band_text(grade)}）",
                                 [t for _, _, ts in mine for t in ts], **extra))
        return out
    if measure == "reasons":
        groups: dict[str, list[Trace]] = {g: [] for g, *_ in spec.reason_groups}
        for r in forms:
            for g, trace in r.reasons:
                groups[g].append(trace)
        if not any(groups.values()):
            return []
        return [AggFigure(key, Decimal(len(ts)), {"field": g}, how, ts, **extra)
                for g, ts in groups.items()]
    raise ValueError(f"unknown measure {measure}")  # pragma: no cover - data error


# --------------------------------------------------------------------------- output


def figures_yaml(agg: Aggregate, *, county: str | None = None, year: int | None = None) -> str:
    """The aggregate as the figures file ``jixiao draft`` reads (YAML); each figure with a
    comment saying how it was computed from how many forms."""
    from jixiao.generate.figures import DERIVED_KEYS

    catalog = load_catalog()
    lines = [f"# {county or ''}{year or agg.year or ''}年度：由 {len(agg.records)} 张绩效表汇总"
             "（jixiao forms），数字的出处：jixiao forms 文件夹 --explain 指标键",
             "# 金额以万元为单位；可补充其他指标（如 capacity.staff）后用 jixiao draft 起草。", ""]
    seen: list[str] = []
    for fig in agg.figures:
        if fig.key not in seen:
            seen.append(fig.key)
    for key in seen:
        figs = [f for f in agg.figures if f.key == key]
        label = catalog.label(key)
        forms = len({(t.source, t.form) for f in figs for t in f.traces})
        if key in DERIVED_KEYS:
            lines.append(f"# {key}: {fmt(figs[0].value)}  （{label}，由 jixiao draft 根据其他数字计算，此处仅供核对）")
            continue
        lines.append(f"# {label}：{figs[0].how.split('（')[0]}，{forms}张表")
        if len(figs) == 1 and not figs[0].qualifiers:
            lines.append(f"{key}: {fmt(figs[0].value)}")
            continue
        lines.append(f"{key}:")
        for f in figs:
            quals = ", ".join(f"{k}: {v}" for k, v in f.qualifiers.items())
            lines.append(f"  - {{{quals}, value: {fmt(f.value)}}}")
    return "\n".join(lines) + "\n"


def write_figures(agg: Aggregate, path: str | Path, *, county: str | None = None,
                  year: int | None = None, extra: str | Path | None = None) -> Path:
    """Write the figures file; with ``extra`` (the drafter's own figures file) its figures
    are added, and where both name a key, the drafter's value is kept."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = figures_yaml(agg, county=county, year=year)
    if extra is not None:
        text = _merged(text, Path(extra))
    path.write_text(text, encoding="utf-8")
    return path


def _merged(text: str, extra: Path) -> str:
    import yaml

    from jixiao.generate.figures import FiguresError, load_figures

    load_figures(extra)  # its mistakes are reported as they would be by jixiao draft
    try:
        own = yaml.safe_load(extra.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError):  # pragma: no cover - load_figures said it
        raise FiguresError(str(extra), "格式有误，无法解析") from None
    if not isinstance(own, dict):  # an .xlsx figures file: its rows as the mapping
        own = {}
    ours = yaml.safe_load(text) or {}
    keys = [k for k in ours if k not in own]
    lines = [line for line in text.splitlines() if line.startswith("#") and ":" not in line[:2]][:2]
    lines.append(f"# 以下数字中，{'、'.join(str(k) for k in own)} 取自 {extra}，其余由绩效表汇总")
    merged = {**{k: ours[k] for k in keys}, **own}
    body = yaml.safe_dump(merged, allow_unicode=True, sort_keys=False, default_flow_style=None)
    return "\n".join(lines) + "\n" + body


def explain(agg: Aggregate, key: str) -> list[str]:
    """Lines saying how the figures ``key`` names were computed, form by form."""
    figs = agg.find(key)
    lines = []
    for f in figs:
        q = f"（{f.qualifier_text()}）" if f.qualifiers else ""
        lines.append(f"{f.label}{q} {f.key} = {fmt(f.value)}{f.unit}：{f.how}")
        for t in f.traces:
            value = "" if t.value is None else f" {fmt(t.value)}"
            note = f"  {t.note}" if t.note else ""
            lines.append(f"  {t.source} 第{t.form}张表 {t.who} {t.cell or ''}{value}{note}")
    return lines
