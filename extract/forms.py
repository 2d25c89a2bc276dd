"""Performance forms: recognise each form in a file, its type and template family, and read
its figures with the cell each came from.

A file may hold several forms (a sheet each, a table each, or one after another in a page
of text); a form starts at its title (项目支出绩效自评表 …) or at its 项目名称 row once the
form before it has its blocks. Within a form the reader finds the blocks by their labels
and headers, as the family's data names them (``data/form_families.yaml``):

- the money block: the header row (年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 |
  得分) and the rows under it named by the family (年度资金总额, 其中：本年财政拨款 …);
- the indicator block: one or two header rows (一级指标 | 二级指标 | 三级指标 | 年度指标值 …)
  and a row per indicator, first- and second-level names carried down from the row above
  when a merged cell gives them once;
- the total row (总分 / 合计), the grade, the texts (评价结论 …), and the labels at the top
  (项目名称, 主管部门, 实施单位).

In a spreadsheet or a Word or PDF table a value is read from its header's column; in text
(a page copied from the web, OCR) the columns are lost where cells were merged, so values
are assigned in the header's order: a percentage only to a rate column, ``/`` keeping a
column's place, first- and second-level names known by their words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from jixiao.errors import FormLayoutError
from jixiao.extract.formgrid import Cell, Grid, Row, read_grids
from jixiao.extract.formrun import run_together
from jixiao.extract.formspec import (
    MONEY_FACTORS,
    Family,
    FormSpec,
    comparator_of,
    declared_points,
    fold,
    is_blank,
    load_spec,
    money_unit_of,
    parse_number,
    parse_target,
)

__all__ = ["FormFigure", "FormRecord", "Indicator", "read_forms"]

_YEAR = re.compile(r"(20\d{2})\s*年")
_MONTH_SPAN = re.compile(r"\d{1,2}\s*[-—~至]\s*(\d{1,2})\s*月|截至\s*(\d{1,2})\s*月")
_TICK = re.compile(r"^[√✓✔☑●■是Yy]$")
_CODE_PREFIX = re.compile(r"^[0-9A-Za-z]{6,}\s*[-－—]\s*")


@dataclass(slots=True)
class FormFigure:
    """One figure of a form: what it is, its value (money in 万元), where it stands."""

    name: str  # money.total.budget, indicator.3.actual, total.score …
    label: str  # 年度资金总额·全年预算数
    value: Decimal | None  # None: blank, or words where a number belongs
    unit: str
    cell: str  # 工作表!D7, 表1!D7, 第1页表1!D7, 第12行第3格
    text: str  # as written
    offset: int | None = None  # text files: offset of the number (or the cell) in the file

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "label": self.label,
                "value": None if self.value is None else _plain(self.value),
                "unit": self.unit, "cell": self.cell, "text": self.text}


@dataclass(slots=True)
class Indicator:
    number: int
    level1: str
    level2: str
    name: str
    op: str | None  # ge, le, gt, lt, eq (from 指标性质 or the target's words)
    unit: str
    target: FormFigure | None = None
    actual: FormFigure | None = None
    weight: FormFigure | None = None
    score: FormFigure | None = None
    reason: str = ""
    reason_cell: str | None = None
    ticked: list[str] = field(default_factory=list)  # monitoring: reason groups ticked


@dataclass
class FormRecord:
    """One form as read: who filed it, its figures, and (after checking) its findings."""

    source: str
    index: int  # the form's number within its file, from 1
    where: str  # the sheet or table it starts in
    form_type: str | None
    family: str | None
    title: str | None = None
    year: int | None = None
    month: int | None = None  # monitoring: the month the figures run to (1-7月 → 7)
    project: str | None = None
    unit: str | None = None
    department: str | None = None
    complete: bool = True  # False: a fragment (the tail of a form) without its title
    money_unit: str = "万元"
    money: dict[str, dict[str, FormFigure]] = field(default_factory=dict)
    money_texts: dict[str, str] = field(default_factory=dict)
    money_declared: FormFigure | None = None
    indicators: list[Indicator] = field(default_factory=list)
    indicators_declared: FormFigure | None = None
    level1_declared: dict[str, FormFigure] = field(default_factory=dict)
    total_weight: FormFigure | None = None
    total_score: FormFigure | None = None
    grade: FormFigure | None = None
    texts: dict[str, str] = field(default_factory=dict)
    findings: list[Any] = field(default_factory=list)
    extra: list[FormFigure] = field(default_factory=list)

    def figures(self) -> list[FormFigure]:
        """Every figure of the form, in reading order."""
        out: list[FormFigure] = []
        if self.money_declared:
            out.append(self.money_declared)
        for cols in self.money.values():
            out.extend(cols.values())
        if self.indicators_declared:
            out.append(self.indicators_declared)
        out.extend(self.level1_declared.values())
        for ind in self.indicators:
            out.extend(f for f in (ind.target, ind.actual, ind.weight, ind.score) if f is not None)
        out.extend(f for f in (self.total_weight, self.total_score, self.grade) if f is not None)
        out.extend(self.extra)
        return out

    def worst(self) -> str:
        """error, warning or clean: the form's worst finding."""
        severities = {f.severity for f in self.findings}
        return next((s for s in ("error", "warning") if s in severities), "clean")

    def key(self) -> tuple[str, str]:
        """Who and what: a project filed twice counts once."""
        return (fold(self.unit or ""), fold(self.project or self.title or ""))

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source, "form": self.index, "where": self.where,
            "form_type": self.form_type, "family": self.family, "title": self.title,
            "year": self.year, "project": self.project, "unit": self.unit,
            "department": self.department, "complete": self.complete,
            "figures": [f.to_dict() for f in self.figures()],
            "indicators": [{"number": i.number, "level1": i.level1, "level2": i.level2,
                            "name": i.name, "op": i.op, "unit": i.unit, "reason": i.reason,
                            "ticked": i.ticked} for i in self.indicators],
            "texts": self.texts,
            "findings": [f.to_dict() for f in self.findings],
        }


def _plain(value: Decimal) -> int | float | str:
    """A Decimal for JSON: an int when whole, else its exact decimal text."""
    if value == value.to_integral_value():
        return int(value)
    return format(value.normalize(), "f")


# --------------------------------------------------------------------------- entry


def read_forms(path: str | Path, spec: FormSpec | None = None) -> list[FormRecord]:
    """Every form of a file, read; a file without one raises :class:`FormLayoutError`."""
    return forms_of_grids(read_grids(path), str(path), spec)


def forms_of_grids(grids: list[Grid], source: str, spec: FormSpec | None = None
                   ) -> list[FormRecord]:
    spec = spec or load_spec()
    rows: list[tuple[Grid, Row]] = []
    for grid in grids:
        for row in grid.rows:
            rows.extend((grid, r) for r in _rerow(row, spec))
    records: list[FormRecord] = []
    refused: list[str] = []
    for segment in _segments(rows, spec):
        record = _Reader(segment, spec, source, len(records) + 1).read()
        if isinstance(record, str):
            refused.append(record)
        elif record is not None:
            records.append(record)
    if not records:
        raise FormLayoutError(source, refused[0] if refused else
                              "未识别出绩效表格：没有找到表头（如 年初预算数、全年执行数、一级指标、实际完成值、得分）")
    return records


# --------------------------------------------------------------------------- rows


def _starter(folded: str, spec: FormSpec) -> bool:
    """A word that opens a row when a form's text lost its line breaks."""
    if not folded:
        return False
    if spec.meta_field(folded) or folded in spec.level1 or folded in spec.level2:
        return True
    if any(spec.block(kind, folded) for kind in ("money", "indicators", "goal", "texts", "end")):
        return True
    if any(folded.endswith(t) for _, _, titles in spec.form_types for t in titles):
        return True
    return any(f.money_row(folded) or f.is_total(folded) for f in spec.families)


def _header_word(folded: str, spec: FormSpec) -> bool:
    return any(f.money_field(folded) or f.indicator_field(folded) for f in spec.families)


def _rerow(row: Row, spec: FormSpec) -> list[Row]:
    """A line of space-separated words holding several rows of a form (its line breaks
    lost) cut before every word that opens a row; header words stay together. A line whose
    cells ran together without separators is cut by :mod:`jixiao.extract.formrun`."""
    if row.sep == "space" and (joined := run_together(row, spec)) is not None:
        return joined
    if row.sep != "space" or len(row.cells) < 3:
        return [row]
    out: list[list[Cell]] = [[]]
    previous_header = False
    for cell in row.cells:
        folded = fold(cell.text)
        header = _header_word(folded, spec)
        opens = _starter(folded, spec) and not (header and previous_header)
        if opens and out[-1]:
            out.append([])
        out[-1].append(cell)
        previous_header = header or spec.block("money", folded) or spec.block("indicators", folded)
    return [Row(cells, row.index, row.sep) for cells in out if cells]


def _title_of(row: Row, spec: FormSpec) -> tuple[str, str] | None:
    """(type, the title as written) when the row is a form's title."""
    texts = _distinct(row)
    if not texts or len(texts) > 3:
        return None
    best: tuple[int, str, str] | None = None
    for text in texts:
        folded = fold(text) if not text.startswith(("(", "（")) else ""
        whole = fold(re.sub(r"[（(][^）)]*[)）]", "", text))
        for form_type, _, titles in spec.form_types:
            for t in titles:
                if t in whole or t in folded:
                    if best is None or len(t) > best[0]:
                        best = (len(t), form_type, text)
    return (best[1], best[2]) if best else None


def _distinct(row: Row) -> list[str]:
    seen: list[str] = []
    for c in row.cells:
        if c.text and c.text not in seen:
            seen.append(c.text)
    return seen


def _segments(rows: list[tuple[Grid, Row]], spec: FormSpec) -> Iterable[list[tuple[Grid, Row]]]:
    """Rows cut into forms: a title or a 项目名称 row opens a new form once the current one
    has a block (a money or indicator header)."""
    current: list[tuple[Grid, Row]] = []
    has_block = False
    for grid, row in rows:
        opens = _title_of(row, spec) is not None or any(
            spec.meta_field(fold(c.text)) == "project" for c in row.cells[:2])
        if opens and has_block:
            yield current
            current, has_block = [], False
        current.append((grid, row))
        if _is_header(row, spec):
            has_block = True
    if current:
        yield current


def _is_header(row: Row, spec: FormSpec) -> bool:
    folded = [fold(c.text) for c in row.cells if c.text]
    for fam in spec.families:
        money = {col.field for t in folded if (col := fam.money_field(t))}
        if len(money) >= 2 and money & {"initial", "budget", "spent", "amount"}:
            return True
        ind = {col.field for t in folded if (col := fam.indicator_field(t))}
        if len(ind) >= 2 and ind & {"level1", "level2", "level3", "target", "actual"}:
            return True
    return False


# --------------------------------------------------------------------------- reading


class _Reader:
    """Reads one form (a segment of rows)."""

    def __init__(self, rows: list[tuple[Grid, Row]], spec: FormSpec, source: str,
                 index: int) -> None:
        self.rows = rows
        self.spec = spec
        self.source = source
        self.index = index

    # -- the parts

    def read(self) -> FormRecord | str | None:
        spec = self.spec
        title = form_type = None
        year = None
        for _, row in self.rows[:12]:
            found = _title_of(row, spec)
            if found and (title is None or len(fold(found[1])) > len(fold(title))):
                form_type, title = found
                m = _YEAR.search("".join(_distinct(row)))
                year = int(m.group(1)) if m else None
            elif title is not None and year is None and len(_distinct(row)) == 1:
                m = re.fullmatch(r"[（(]?\s*(20\d{2})\s*年度?\s*[)）]?", _distinct(row)[0].strip())
                year = int(m.group(1)) if m else None  # （2024年度） on the line below the title
        family = self._family(form_type)
        if family is None:
            if form_type is not None:
                label = spec.type_label(form_type)
                return (f"第{self.index}张表有“{label}”标题，但没有找到预期的列"
                        "（如 年初预算数、全年执行数、一级指标、实际完成值、得分），无法按已知模板读取")
            return None
        rec = FormRecord(source=self.source, index=self.index, where=self.rows[0][0].name,
                         form_type=form_type, family=family.name, title=title,
                         money_unit=family.money_unit)
        rec.year = year
        self._meta(rec)
        rec.complete = form_type is not None
        money_at = self._find_header(family, "money")
        ind_at = self._find_header(family, "indicators")
        if money_at is not None:
            self._money(rec, family, money_at, ind_at)
        if ind_at is not None:
            self._indicators(rec, family, ind_at)
        self._texts(rec, family)
        if not rec.money and not rec.indicators:
            if form_type is None:
                return None
            return (f"第{self.index}张表“{spec.type_label(form_type)}”没有读到资金行或绩效指标行"
                    "（表头之下为空，或行名与模板不符）")
        return rec

    def _family(self, form_type: str | None) -> Family | None:
        """The family whose headers the form's header rows match best: a header word only
        one family has counts twice."""
        counts: dict[str, int] = {}
        header_words: list[str] = []
        for _, row in self.rows:
            if _is_header(row, self.spec):
                header_words.extend(fold(c.text) for c in row.cells if c.text and not c.copy)
        if not header_words:
            return None
        owners: dict[str, set[str]] = {}
        for fam in self.spec.families:
            for w in set(header_words):
                if fam.money_field(w) or fam.indicator_field(w):
                    owners.setdefault(w, set()).add(fam.name)
        for fam in self.spec.families:
            if form_type is not None and fam.types and form_type not in fam.types:
                continue
            counts[fam.name] = sum(2 if owners[w] == {fam.name} else 1
                                   for w in set(header_words) if fam.name in owners.get(w, ()))
        best = max(counts.items(), key=lambda kv: kv[1], default=(None, 0))
        return self.spec.family(best[0]) if best[1] >= 2 else None

    def _meta(self, rec: FormRecord) -> None:
        for r, (_, row) in enumerate(self.rows):
            cells = [c for c in row.cells if c.text]
            for n, cell in enumerate(cells):
                label, inline = _split_label(cell.text)
                name = self.spec.meta_field(fold(label))
                if name is None:
                    continue
                value, where = inline, cell
                if not value:
                    for later in cells[n + 1:]:
                        if later.text == cell.text:
                            continue
                        if self.spec.meta_field(fold(_split_label(later.text)[0])):
                            break
                        value, where = later.text, later
                        if row.sep == "space":  # the words up to the next label
                            more = []
                            for w in cells[cells.index(later) + 1:]:
                                if self.spec.meta_field(fold(_split_label(w.text)[0])):
                                    break
                                more.append(w.text)
                            value = "".join([value, *more])
                        break
                if not value and n == len(cells) - 1 and r + 1 < len(self.rows):
                    below = self.rows[r + 1][1]  # the value wrapped onto the next line
                    texts = _distinct(below)
                    if len(texts) == 1 and not self.spec.meta_field(fold(texts[0])) \
                            and not _is_header(below, self.spec):
                        value = texts[0]
                        where = next(c for c in below.cells if c.text)
                if not value and name == "grade" and rec.grade is None:
                    blank = next((c for c in row.cells if c.col > cell.col and c.text != cell.text),
                                 None)
                    if blank is not None and not blank.text:  # the grade cell left empty
                        rec.grade = FormFigure("grade", "自评等级", None, "", blank.address, "",
                                               blank.offset)
                if not value:
                    continue
                if name == "grade":
                    if rec.grade is None:
                        rec.grade = FormFigure("grade", "自评等级", None, "", where.address,
                                               value, where.offset)
                elif name == "filled":
                    continue
                elif getattr(rec, name) is None:
                    setattr(rec, name, value.strip(" :：\u3000"))

    def _find_header(self, family: Family, kind: str) -> int | None:
        for i, (_, row) in enumerate(self.rows):
            folded = [fold(c.text) for c in row.cells if c.text]
            if kind == "money":
                fields = {col.field for t in folded if (col := family.money_field(t))}
                if len(fields) >= 2 and fields & {"initial", "budget", "spent", "amount"}:
                    return i
                if len(family.money_columns) == 1 and any(family.money_row(t) for t in folded):
                    return i - 1  # label | amount rows without a header row
            else:
                fields = {col.field for t in folded if (col := family.indicator_field(t))}
                if len(fields) >= 2 and fields & {"level1", "level2", "level3", "target", "actual"}:
                    return i
        return None

    # -- money

    def _money(self, rec: FormRecord, family: Family, at: int, stop: int | None) -> None:
        spec = self.spec
        header_rows = [self.rows[i][1] for i in range(max(at - 2, 0), at + 1) if i >= 0]
        for row in header_rows:
            for c in row.cells:
                if spec.block("money", fold(c.text)) or family.money_field(fold(c.text)):
                    if unit := money_unit_of(c.text):
                        rec.money_unit = unit
                    if (d := declared_points(c.text)) and rec.money_declared is None \
                            and spec.block("money", fold(c.text)):
                        rec.money_declared = FormFigure(
                            "money.weight_declared", f"{_clean_label(c.text)}（分值）", d[0], "分",
                            c.address, c.text, _at(c, d[1]))
        header = self.rows[at][1] if at >= 0 else None
        columns = self._columns(header, family) if header is not None else {}
        order = _ordered(header, family) if header is not None else [
            c.field for c in family.money_columns]
        factor = MONEY_FACTORS.get(rec.money_unit, Decimal(1))
        end = stop if stop is not None and stop > at else len(self.rows)
        for i in range(at + 1, end):
            grid, row = self.rows[i]
            label_at, rowcol = None, None
            for n, c in enumerate(row.cells):
                folded = fold(c.text)
                if not folded:
                    continue
                rowcol = family.money_row(folded)
                if rowcol is not None:
                    label_at = n
                    break
                if parse_number(c.text) is not None:
                    break
            if rowcol is None:
                if self._ends_money(row, family):
                    break
                continue
            if rowcol.field in rec.money:
                continue  # a second 合计 further down belongs to another block
            if not columns and len(family.money_columns) == 1:  # label | amount, no header
                only = family.money_columns[0].field
                values = [(only, c) for c in row.cells[(label_at or 0) + 1:]
                          if not c.copy and parse_number(c.text) is not None][:1]
            elif grid.aligned:
                values = self._aligned_values(row, columns, label_at)
            else:
                values = self._ordered_values(row, order, label_at, family)
            figures: dict[str, FormFigure] = {}
            for fname, cell in values:
                col = next(c for c in family.money_columns if c.field == fname)
                if col.text:
                    if not is_blank(cell.text):
                        rec.money_texts[rowcol.field] = cell.text
                    continue
                figures[fname] = self._money_figure(rowcol, col, cell, fname, factor)
            rec.money[rowcol.field] = figures
        if rec.month is None and header is not None:
            for c in header.cells:
                m = _MONTH_SPAN.search(c.text)
                if m:
                    rec.month = int(m.group(1) or m.group(2))
                    break

    def _money_figure(self, row: Any, col: Any, cell: Cell, fname: str, factor: Decimal
                      ) -> FormFigure:
        num = parse_number(cell.text)
        name = f"money.{row.field}.{fname}"
        label = f"{row.label}·{col.label}"
        if fname == "rate":
            return FormFigure(name, label, num.value if num else None, "%", cell.address,
                              cell.text, _at(cell, num.start if num else 0))
        if fname in ("weight", "score"):
            return FormFigure(name, label, num.value if num else None, "分", cell.address,
                              cell.text, _at(cell, num.start if num else 0))
        value = None
        if num is not None:
            own = MONEY_FACTORS.get(num.unit) if num.unit else None
            value = num.value * (own if own is not None else factor)
        return FormFigure(name, label, value, "万元", cell.address, cell.text,
                          _at(cell, num.start if num else 0))

    def _columns(self, header: Row, family: Family) -> dict[int, str]:
        out: dict[int, str] = {}
        for c in header.cells:
            col = family.money_field(fold(c.text))
            if col is not None and col.field not in out.values():
                out[c.col] = col.field
        return out

    def _aligned_values(self, row: Row, columns: dict[int, str], label_at: int | None
                        ) -> list[tuple[str, Cell]]:
        out = []
        for c in row.cells:
            if c.col in columns and not c.copy and (label_at is None or c.col > row.cells[label_at].col):
                out.append((columns[c.col], c))
        return out

    def _ordered_values(self, row: Row, order: list[str], label_at: int | None, family: Family
                        ) -> list[tuple[str, Cell]]:
        """Values of a text row in the header's order: a percentage goes to the next rate
        column, ``/`` and (between pipes) an empty cell keep a column's place, words go to
        the next column of words."""
        texts = {c.field for c in family.money_columns if c.text}
        out: list[tuple[str, Cell]] = []
        j = 0
        start = (label_at or 0) + 1
        for cell in row.cells[start:]:
            if j >= len(order):
                break
            if not cell.text:
                if row.sep == "pipe":
                    j += 1
                continue
            if is_blank(cell.text):
                j += 1
                continue
            num = parse_number(cell.text)
            if num is None:
                k = next((k for k in range(j, len(order)) if order[k] in texts), None)
                if k is not None:
                    out.append((order[k], cell))
                    j = k + 1
                continue
            wanted = (lambda f: f == "rate") if num.percent else (lambda f: f not in texts)
            k = next((k for k in range(j, len(order)) if wanted(order[k])), None)
            if k is None:
                continue
            out.append((order[k], cell))
            j = k + 1
        return out

    def _ends_money(self, row: Row, family: Family) -> bool:
        for c in row.cells:
            folded = fold(c.text)
            if not folded:
                continue
            return any(self.spec.block(k, folded) for k in ("goal", "indicators", "texts", "end"))
        return False

    # -- indicators

    def _indicators(self, rec: FormRecord, family: Family, at: int) -> None:
        spec = self.spec
        stack = [at]
        while stack[-1] + 1 < len(self.rows) and self._header_like(self.rows[stack[-1] + 1][1],
                                                                   family):
            stack.append(stack[-1] + 1)
        for i in stack:
            for c in self.rows[i][1].cells:
                if spec.block("indicators", fold(c.text)) and rec.indicators_declared is None:
                    if d := declared_points(c.text):
                        rec.indicators_declared = FormFigure(
                            "indicators.weight_declared", f"{_clean_label(c.text)}（分值）", d[0],
                            "分", c.address, c.text, _at(c, d[1]))
        grid = self.rows[at][0]
        state = _LevelState()
        for i in range(stack[-1] + 1, len(self.rows)):
            g, row = self.rows[i]
            first = next((fold(c.text) for c in row.cells if c.text), "")
            if family.is_total(first):
                self._total(rec, family, row, stack, g.aligned)
                continue
            if self._ends_indicators(first, family):
                break
            if _is_header(row, spec):
                break
            if grid.aligned and g.aligned:
                self._aligned_indicator(rec, family, row, self._indicator_columns(stack, family),
                                        state)
            else:
                self._ordered_indicators(rec, family, row, self._indicator_order(stack, family),
                                         state)

    def _header_like(self, row: Row, family: Family) -> bool:
        """A row continuing a header: header words and block labels only, no figures."""
        words = [fold(c.text) for c in row.cells if c.text]
        if not words:
            return False
        return all(family.indicator_field(w) or self.spec.block("indicators", w)
                   or _reason_group(w, self.spec) for w in words)

    def _indicator_columns(self, stack: list[int], family: Family) -> dict[int, str]:
        out: dict[int, str] = {}
        for i in stack:
            for c in self.rows[i][1].cells:
                w = fold(c.text)
                col = family.indicator_field(w)
                if col is not None:
                    out[c.col] = col.field
                elif (group := _reason_group(w, self.spec)) is not None:
                    out[c.col] = f"tick:{group}"
        return out

    def _indicator_order(self, stack: list[int], family: Family) -> list[str]:
        """The header's fields in order; a second header row spells out the parts of the
        first (绩效指标 → 一级/二级/三级指标, 年度指标值 → 指标性质/指标值/度量单位)."""
        rows = [[self._field(fold(c.text), family) for c in self.rows[i][1].cells if c.text]
                for i in stack]
        first = [f for f in rows[0] if f]
        rest = [f for r in rows[1:] for f in r if f and f != "group"]
        levels = ("level1", "level2", "level3")
        parts = ("nature", "target", "unit")
        merged: list[str] = []
        j = 0
        for i, f in enumerate(first):
            if f == "group":
                if i + 1 < len(first) and first[i + 1] in levels:
                    continue
                while j < len(rest) and rest[j] in levels:
                    merged.append(rest[j])
                    j += 1
            elif f == "target" and j < len(rest) and rest[j] in parts:
                while j < len(rest) and rest[j] in parts:
                    merged.append(rest[j])
                    j += 1
            else:
                merged.append(f)
        merged.extend(rest[j:])
        seen: list[str] = []
        for f in merged:
            if f not in seen:
                seen.append(f)
        return seen

    def _field(self, folded: str, family: Family) -> str | None:
        col = family.indicator_field(folded)
        if col is not None:
            return col.field
        if self.spec.block("indicators", folded):
            return "group"
        group = _reason_group(folded, self.spec)
        return f"tick:{group}" if group else None

    def _ends_indicators(self, first: str, family: Family) -> bool:
        spec = self.spec
        if any(spec.block(k, first) for k in ("texts", "end", "goal", "money")):
            return True
        return any(p.fullmatch(first) for ps in family.texts.values() for p in ps) or bool(
            spec.meta_field(first))

    def _aligned_indicator(self, rec: FormRecord, family: Family, row: Row,
                           columns: dict[int, str], state: _LevelState) -> None:
        cells: dict[str, Cell] = {}
        ticks: list[str] = []
        for c in row.cells:
            name = columns.get(c.col)
            if name is None:
                continue
            if name.startswith("tick:"):
                if not c.copy and _TICK.match(c.text.strip()):
                    ticks.append(name[5:])
                continue
            if name in ("level1", "level2", "level3") or not c.copy:
                cells.setdefault(name, c)
        for level in ("level1", "level2"):
            if level in cells and cells[level].text:
                state.set(level, cells[level], rec, self.spec)
        l3 = cells.get("level3")
        if l3 is None or not l3.text or (l3.copy and l3.text in (state.level1, state.level2)):
            return
        if fold(l3.text) in self.spec.level2 or fold(l3.text) in self.spec.level1:
            return
        self._add_indicator(rec, family, state, l3, cells, ticks)

    def _ordered_indicators(self, rec: FormRecord, family: Family, row: Row,
                            order: list[str], state: _LevelState) -> None:
        """Indicators of a text row: first- and second-level names by their words, then
        the third-level name, then one cell per header field after it."""
        after = order[order.index("level3") + 1:] if "level3" in order else [
            f for f in order if f not in ("level1", "level2", "group")]
        if row.sep == "space":  # words at the end of a record cannot be told from the next name
            while after and after[-1] in ("reason", "note", "likelihood", "forecast"):
                after = after[:-1]
        cells = [c for c in row.cells if row.sep == "pipe" or c.text]
        i = 0
        while i < len(cells):
            c = cells[i]
            w = fold(c.text)
            if not w:
                i += 1
                continue
            nxt = next((fold(x.text) for x in cells[i + 1:] if x.text), "")
            if w in self.spec.level1 and (w not in self.spec.level2 or nxt in self.spec.level2
                                          or declared_points(c.text) is not None):
                state.set("level1", c, rec, self.spec)
                i += 1
                continue
            if w in self.spec.level2:
                state.set("level2", c, rec, self.spec)
                i += 1
                continue
            if family.is_total(w) or _is_header_cell(w, family, self.spec):
                return
            values: dict[str, Cell] = {}
            k = i + 1
            for f in after:
                if k >= len(cells):
                    break
                if row.sep != "pipe" and fold(cells[k].text) in (self.spec.level1 | self.spec.level2):
                    break
                values[f] = cells[k]
                k += 1
            ticks = [f[5:] for f, v in values.items() if f.startswith("tick:") and _TICK.match(v.text)]
            self._add_indicator(rec, family, state, c, values, ticks)
            i = k if row.sep != "pipe" else len(cells)

    def _add_indicator(self, rec: FormRecord, family: Family, state: _LevelState, name: Cell,
                       cells: dict[str, Cell], ticks: list[str]) -> None:
        spec = self.spec
        n = len(rec.indicators) + 1
        nature = cells.get("nature")
        op_hint = comparator_of(nature.text, spec.comparators) if nature is not None else None
        unit_cell = cells.get("unit")
        written_unit = unit_cell.text.strip() if unit_cell is not None else ""
        label = f"指标{n}“{name.text}”"
        ind = Indicator(n, state.level1, state.level2, name.text, op_hint, written_unit)
        factor = MONEY_FACTORS.get(written_unit)
        if (t := cells.get("target")) is not None:
            target = parse_target(t.text, spec.comparators, op_hint)
            ind.op = target.op
            unit = written_unit or target.unit
            ind.unit = unit
            factor = MONEY_FACTORS.get(unit)
            value = target.value
            if value is not None and factor is not None:
                value = value * factor
            ind.target = FormFigure(f"indicator.{n}.target", f"{label}·指标值", value,
                                    "万元" if factor is not None else unit, t.address, t.text,
                                    _at(t, target.start or 0))
        if (a := cells.get("actual")) is not None:
            num = parse_number(a.text)
            value = num.value if num else None
            unit = ind.unit
            if num is not None and num.unit and MONEY_FACTORS.get(num.unit) is not None:
                factor, unit = MONEY_FACTORS[num.unit], num.unit
            if value is not None and factor is not None:
                value = value * factor
            ind.actual = FormFigure(f"indicator.{n}.actual", f"{label}·完成值", value,
                                    "万元" if factor is not None else unit, a.address, a.text,
                                    _at(a, num.start if num else 0))
        for fname, what in (("weight", "分值"), ("score", "得分")):
            if (c := cells.get(fname)) is not None:
                num = parse_number(c.text)
                setattr(ind, fname, FormFigure(f"indicator.{n}.{fname}", f"{label}·{what}",
                                               num.value if num else None, "分", c.address,
                                               c.text, _at(c, num.start if num else 0)))
        if (r := cells.get("reason")) is not None and not is_blank(r.text):
            ind.reason, ind.reason_cell = r.text, r.address
        ind.ticked = ticks
        if not (ind.target or ind.actual or ind.weight or ind.score):
            return
        rec.indicators.append(ind)

    def _total(self, rec: FormRecord, family: Family, row: Row, stack: list[int],
               aligned: bool) -> None:
        if rec.total_weight is not None or rec.total_score is not None:
            return
        grade_cell = next((c for c in row.cells if c.text.strip() in self.spec.grade_aliases
                           and not c.copy), None)
        if grade_cell is not None and rec.grade is None:
            rec.grade = FormFigure("grade", "自评等级", None, "", grade_cell.address,
                                   grade_cell.text, grade_cell.offset)
        if aligned and self.rows[stack[0]][0].aligned:
            columns = self._indicator_columns(stack, family)
            for c in row.cells:
                name = columns.get(c.col)
                if name in ("weight", "score") and not c.copy:
                    num = parse_number(c.text)
                    fig = FormFigure(f"total.{name}", "总分·分值" if name == "weight" else "总分·得分",
                                     num.value if num else None, "分", c.address, c.text,
                                     _at(c, num.start if num else 0))
                    setattr(rec, f"total_{name}", fig)
            return
        numbers = [(c, n) for c in row.cells[1:] if (n := parse_number(c.text)) is not None]
        full = (family.money_weight or 0) + (family.indicator_weight or 0)
        names = ["weight", "score"]
        if len(numbers) == 1 and numbers[0][1].value != full:
            names = ["score"]
        for (c, num), name in zip(numbers, names, strict=False):
            setattr(rec, f"total_{name}", FormFigure(
                f"total.{name}", "总分·分值" if name == "weight" else "总分·得分", num.value, "分",
                c.address, c.text, _at(c, num.start)))

    # -- texts

    def _texts(self, rec: FormRecord, family: Family) -> None:
        for _, row in self.rows:
            cells = [c for c in row.cells if c.text]
            if not cells:
                continue
            first = fold(cells[0].text)
            for name, patterns in family.texts.items():
                if any(p.fullmatch(first) for p in patterns) and name not in rec.texts:
                    rest = [c.text for c in cells[1:] if c.text != cells[0].text]
                    rec.texts[name] = rest[0] if rest else ""
            if self.spec.block("goal", first) and "goal" not in rec.texts:
                rec.texts["goal"] = ""


class _LevelState:
    """First- and second-level names carried down the rows (merged cells give them once)."""

    def __init__(self) -> None:
        self.level1 = ""
        self.level2 = ""

    def set(self, level: str, cell: Cell, rec: FormRecord, spec: FormSpec) -> None:
        name = _clean_label(cell.text)
        if level == "level1":
            self.level1, self.level2 = name, ""
            d = declared_points(cell.text)
            if d and name not in rec.level1_declared:
                rec.level1_declared[name] = FormFigure(
                    f"level1.{name}.weight_declared", f"{name}（分值）", d[0], "分",
                    cell.address, cell.text, _at(cell, d[1]))
        else:
            self.level2 = name


def _ordered(header: Row, family: Family) -> list[str]:
    """The money header's fields in order (a merged header counts once)."""
    out: list[str] = []
    for c in header.cells:
        col = family.money_field(fold(c.text))
        if col is not None and col.field not in out:
            out.append(col.field)
    return out


def _is_header_cell(folded: str, family: Family, spec: FormSpec) -> bool:
    return bool(family.indicator_field(folded) or spec.block("indicators", folded))


def _reason_group(folded: str, spec: FormSpec) -> str | None:
    for group, _, columns, _ in spec.reason_groups:
        if folded in columns:
            return group
    return None


def _split_label(text: str) -> tuple[str, str]:
    """``单位名称：某某局`` → (单位名称, 某某局); a bare label → (label, "")."""
    m = re.match(r"^([^:：]{2,12})[:：]\s*(.*)$", text.strip())
    if m:
        return m.group(1), m.group(2).strip()
    return text, ""


def _clean_label(text: str) -> str:
    """A label without its bracketed note: 产出指标(50分) → 产出指标."""
    return re.sub(r"\s*[（(][^）)]*[)）]\s*", "", text).strip() or text.strip()


def _at(cell: Cell, inner: int) -> int | None:
    return None if cell.offset is None else cell.offset + inner


def project_name(rec: FormRecord) -> str:
    """The project as people name it: without a leading budget code."""
    return _CODE_PREFIX.sub("", rec.project or "").strip()


def score_items(rec: FormRecord) -> tuple[list[FormFigure], bool]:
    """The item scores that make a form's total (the money score, then each indicator's),
    and whether every one of them is written (an indicator without a score counts as
    written only when it has no weight either)."""
    items: list[FormFigure] = []
    complete = True
    money = rec.money.get("total", {}).get("score")
    if money is not None:
        items.append(money)
        complete &= money.value is not None
    for ind in rec.indicators:
        if ind.score is None:
            complete &= ind.weight is None or not ind.weight.value
            continue
        items.append(ind.score)
        complete &= ind.score.value is not None
    return items, complete
