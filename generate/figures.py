"""The drafter's figures file: this year's values by catalog key, checked before anything is
written.

YAML (or JSON, which YAML reads) with a plain figure as ``key: value`` and a qualified one
as a list of mappings with its qualifiers and ``value``::

    target.projects: 480
    monitoring.grade_projects:
      - {month: 5, grade: 优, value: 80}

or an XLSX sheet with columns key, value and optional qualifier columns (month, grade, …).
Every error names the file, the line (or row) and the key, in Chinese, and nothing is
written: a draft built on a mistyped figure is worse than none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from jixiao.errors import JixiaoError
from jixiao.extract.catalog import GRADES as CATALOG_GRADES
from jixiao.extract.catalog import load_catalog

__all__ = ["FigureValue", "Figures", "FiguresError", "init_figures", "load_figures"]

QUALIFIERS = {"month", "grade", "evaluator", "year", "entity", "field", "approx"}
# Computed by generate/derive.py from the other figures; the drafter does not type them.
DERIVED_KEYS = {"execution.rate", "key_eval.rate", "evaluation.grade_share",
                "overall_eval.grade_share",
                "target.projects_change", "target.projects_growth"}
GRADES = set(CATALOG_GRADES)


class FiguresError(JixiaoError):
    """The figures file has a mistake (unknown key, text for a number, impossible value)."""


@dataclass(frozen=True)
class FigureValue:
    key: str
    value: Decimal
    qualifiers: dict[str, Any] = field(default_factory=dict)
    line: int | None = None
    derived: bool = False


class Figures:
    """This year's figures, looked up by key and qualifiers."""

    def __init__(self, values: list[FigureValue]) -> None:
        self.values = values

    def all(self, key: str, **quals: Any) -> list[FigureValue]:
        return [v for v in self.values if v.key == key
                and all(v.qualifiers.get(k) == q for k, q in quals.items())]

    def get(self, key: str, **quals: Any) -> Decimal | None:
        """The value of ``key`` with exactly these qualifiers (None when not given)."""
        for v in self.values:
            if v.key == key and v.qualifiers == quals:
                return v.value
        return None

    def add(self, value: FigureValue) -> None:
        self.values.append(value)

    def keys(self) -> set[str]:
        return {v.key for v in self.values}


def _number(raw: Any, where: str, key: str) -> Decimal:
    if isinstance(raw, bool):
        raise FiguresError(where, f"“{key}”的值应为数字，不能是是/否")
    try:
        value = Decimal(str(raw).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise FiguresError(where, f"“{key}”的值应为数字，写的是“{raw}”") from None
    if not value.is_finite() or value.adjusted() > 15:  # NaN, .inf, 1e400: no figure
        raise FiguresError(where, f"“{key}”的值应为数字，写的是“{raw}”")
    return value


# 1000亿元 in 万元: more than any county's budget, so a figure typed in 元 (468000000 for
# 4.68亿) is caught before the draft calls it 46800亿元.
MAX_COUNTY_MONEY = Decimal(10_000_000)


def _check_value(key: str, value: Decimal, where: str) -> None:
    catalog = load_catalog()
    unit = catalog[key].unit
    label = catalog[key].label
    if value < 0:
        raise FiguresError(where, f"“{key}”（{label}）不能为负数：{value}")
    if unit == "万元" and value > MAX_COUNTY_MONEY:
        raise FiguresError(where, f"“{key}”（{label}）{value}万元超过1000亿元，像是按元填写的；"
                                  "金额请以万元为单位")
    if unit == "分" and value > 100:
        raise FiguresError(where, f"“{key}”（{label}）是百分制得分，不能超过100：{value}")
    if unit == "%" and 0 < value < 1 and not key.endswith(("growth", "_growth")):
        raise FiguresError(where, f"“{key}”（{label}）写的是{value}，像是小数形式的比例；"
                                  f"百分比请写百分数（{value * 100:g} 表示 {value * 100:g}%）")
    if unit == "%" and value > 100 and not key.endswith(("growth", "_growth")):
        raise FiguresError(where, f"“{key}”（{label}）是百分比，不能超过100：{value}")
    if unit in ("个", "家", "处", "人", "天", "年") and value != value.to_integral_value():
        raise FiguresError(where, f"“{key}”（{label}）是个数，应为整数：{value}")


def _qualifiers(raw: dict[str, Any], where: str, key: str) -> dict[str, Any]:
    quals = {k: v for k, v in raw.items() if k != "value"}
    for name, value in quals.items():
        if name not in QUALIFIERS:
            raise FiguresError(where, f"“{key}”的限定“{name}”不认识，可用：{'、'.join(sorted(QUALIFIERS))}")
        if name == "month" and (not isinstance(value, int) or not 1 <= value <= 12):
            raise FiguresError(where, f"“{key}”的月份应为1到12的整数：{value}")
        if name == "grade" and value not in GRADES:
            raise FiguresError(where, f"“{key}”的等次应为{'、'.join(sorted(GRADES))}之一：{value}")
        if name == "year" and not isinstance(value, int):
            raise FiguresError(where, f"“{key}”的年份应为整数：{value}")
    return quals


MAX_REPORTED = 10  # mistakes of one figures file shown at once


def _from_mapping(data: Any, lines: dict[str, int], path: str) -> Figures:
    """Every value of the file, checked; all its mistakes (up to MAX_REPORTED) reported
    together, one line each, so a drafter fixes them in one pass."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise FiguresError(path, "数字文件应为“指标键: 数值”的映射")
    values: list[FigureValue] = []
    mistakes: list[FiguresError] = []
    for key, raw in data.items():
        try:
            values += _values_of(key, raw, lines, path)
        except FiguresError as err:
            mistakes.append(err)
    if mistakes:
        raise _together(mistakes)
    if not values:  # an empty file would still make a "report" of generic paragraphs
        raise FiguresError(path, "数字文件中没有填写任何数字（可先用 jixiao draft --init 生成清单再填写）")
    return Figures(values)


def _together(mistakes: list[FiguresError]) -> FiguresError:
    """One error that prints as one line per mistake (the CLI puts 错误： before the first)."""
    if len(mistakes) == 1:
        return mistakes[0]
    first, rest = mistakes[0], mistakes[1:MAX_REPORTED]
    more = len(mistakes) - MAX_REPORTED
    reason = first.reason + "".join(f"\n错误：{m}" for m in rest)
    if more > 0:
        reason += f"\n……另有{more}处，请一并检查"
    return FiguresError(first.source, reason)


def _values_of(key: Any, raw: Any, lines: dict[str, int], path: str) -> list[FigureValue]:
    catalog = load_catalog()
    line = lines.get(str(key))
    where = f"{path}:{line}" if line else path
    if key not in catalog:
        raise FiguresError(where, f"指标键“{key}”不在指标目录中（见 jixiao draft --init 生成的清单）")
    if raw is None:
        return []  # listed but not filled in: the sentence is left out
    values = []
    items = raw if isinstance(raw, list) else [{"value": raw}]
    for item in items:
        if isinstance(item, dict) and "__row__" in item:
            item = dict(item)
            where = f"{path}:{item.pop('__row__')}"  # an XLSX row
        if not isinstance(item, dict) or "value" not in item:
            raise FiguresError(where, f"“{key}”的每一项应写成 {{限定…, value: 数值}}")
        if item["value"] is None:
            continue
        value = _number(item["value"], where, key)
        _check_value(key, value, where)
        values.append(FigureValue(key, value, _qualifiers(item, where, key), line))
    return values


def _yaml_lines(text: str) -> dict[str, int]:
    """Line (1-based) of each top-level key, so errors can point at it."""
    import yaml

    lines: dict[str, int] = {}
    try:
        node = yaml.compose(text)
    except yaml.YAMLError:
        return lines
    if isinstance(node, yaml.MappingNode):
        for k, _ in node.value:
            if str(k.value) in lines:  # YAML would silently keep the last one
                raise FiguresError(str(k.value), f"第{lines[str(k.value)]}行和第"
                                   f"{k.start_mark.line + 1}行写了同一个指标，请只保留一个")
            lines[str(k.value)] = k.start_mark.line + 1
    return lines


def load_figures(path: str | Path) -> Figures:
    """Read and validate a figures file (.yaml/.yml/.json/.xlsx)."""
    import yaml

    path = Path(path)
    shown = str(path)
    if not path.exists():
        raise FiguresError(shown, "文件不存在")
    from jixiao.extract import limits

    limits.check_file(path, "xlsx" if path.suffix.lower() == ".xlsx" else "txt")
    if path.suffix.lower() == ".xlsx":
        return _from_xlsx(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise FiguresError(shown, "不是 UTF-8 编码的文本文件") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{shown}:{mark.line + 1}" if mark else shown
        near = ""
        if mark is not None:
            line = text.splitlines()[mark.line] if mark.line < len(text.splitlines()) else ""
            key = line.split(":", 1)[0].strip()
            near = f"（“{key}”一行）" if key else ""
        # a full-width colon (an input-method slip) makes YAML fail on the line after it
        for number, line in enumerate(text.splitlines(), start=1):
            if "：" in line and ":" not in line.split("#", 1)[0] and not line.lstrip().startswith("#"):
                raise FiguresError(f"{shown}:{number}", "这一行用了全角冒号“：”，请改为半角冒号“:”") from None
        raise FiguresError(where, f"格式有误，无法解析（YAML/JSON）{near}") from None
    try:
        lines = _yaml_lines(text)
    except FiguresError as err:
        raise FiguresError(shown, f"“{err.source}”：{err.reason}") from None
    return _from_mapping(data, lines, shown)


def _percent_cell(cell: Any) -> Any:
    """A cell's value; one formatted as a percentage (Excel shows 98%, holds 0.98) as the
    percentage it shows, computed in Decimal (0.98 × 100 is 98.00000000000001 in floats)."""
    value = cell.value
    if isinstance(value, int | float) and not isinstance(value, bool) \
            and "%" in str(getattr(cell, "number_format", "") or ""):
        return (Decimal(str(value)) * 100).normalize()
    return value


def _from_xlsx(path: Path) -> Figures:
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(path, read_only=True, data_only=True).active
    except Exception:
        raise FiguresError(str(path), "无法打开 XLSX 文件") from None
    # A cell Excel shows as 98% holds 0.98: read it as the percentage it shows.
    rows = [tuple(_percent_cell(c) for c in row) for row in sheet.iter_rows()]
    if not rows:
        raise FiguresError(str(path), "表格是空的")
    aliases = {"指标": "key", "指标键": "key", "数值": "value", "值": "value",
               "月份": "month", "等次": "grade"}
    header = [aliases.get(str(h).strip(), str(h).strip()) if h is not None else ""
              for h in rows[0]]
    if "key" not in header or "value" not in header:
        raise FiguresError(str(path), "第一行应有 key（指标键）和 value（数值）两列")
    data: dict[str, list[dict[str, Any]]] = {}
    lines: dict[str, int] = {}
    for i, row in enumerate(rows[1:], start=2):
        item = {h: v for h, v in zip(header, row, strict=False) if h and v is not None}
        key = item.pop("key", None)
        if key is None:
            continue
        item["__row__"] = i
        data.setdefault(str(key), []).append(item)
        lines.setdefault(str(key), i)
    return _from_mapping(data, lines, str(path))


def init_figures(previous: Figures | None = None, *, county: str | None = None,
                 year: int | None = None) -> str:
    """A figures file listing every catalog key, last year's values as comments."""
    catalog = load_catalog()
    lines = [f"# {county or ''}{year or ''}年度预算绩效管理工作情况说明：本年数字",
             "# 每行一个指标：填上本年数值；不填的指标，对应句子不会出现。",
             "# 带限定的数字写成列表：monitoring.grade_projects: [{month: 5, grade: 优, value: 80}]",
             "# 金额一律以万元为单位，百分比写百分数（92.8 表示 92.8%）。", ""]
    stage = None
    for ind in catalog.indicators.values():
        if ind.stage != stage:
            stage = ind.stage
            lines.append(f"# ---- {stage}")
        last = previous.all(ind.key) if previous else []
        note = f"{ind.label}（{ind.unit}）"
        if ind.role != "figure":
            note += "，门槛/规则"
        lines.append(f"# {note}" + ("；上年：" + "、".join(
            _last(v) for v in last) if last else ""))
        if ind.key in DERIVED_KEYS:
            lines.append(f"# {ind.key}: （由程序根据其他数字计算，无需填写）")
        else:
            lines.append(f"{ind.key}:")
    return "\n".join(lines) + "\n"


def _last(v: FigureValue) -> str:
    """Last year's value for a comment of --init: 70（5月；等次：优）."""
    from jixiao.extract.metrics import describe_qualifiers

    quals = describe_qualifiers(v.qualifiers)
    return f"{format(v.value.normalize(), 'f')}" + (f"（{quals}）" if quals else "")
