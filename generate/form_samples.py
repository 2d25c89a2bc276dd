"""Sample performance forms with planted slips: what the tests, the benchmark and the demo
read.

A fictional county's units file forms of every kind — project self-evaluations in both
template families (财政部 and the 指标性质 family), a department-wide self-evaluation, run-time
monitoring forms and target forms — as ``.xlsx`` workbooks (merged cells, a form per sheet,
a sheet of notes), ``.docx`` tables and a PDF printed from Word. Figures are invented from a
seed. Each :class:`SampleForm` keeps the figures the unit meant (``truth``) apart from the
ones written on the form, where a :class:`FormSlip` may differ: a total row left at 0, a
rate or total retyped, a blank score, 完成值 written as the word 完成, a grade that does not
match its score. Every slip names the rule that must find it and the cell it stands in.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from jixiao.generate.form_writers import Layout, pdf_from_docx, write_docx, write_xlsx

__all__ = ["FormSamples", "FormSlip", "SampleForm", "SampleIndicator", "write_form_samples"]

D = Decimal
HUNDRED = D(100)
BANDS = ((D(90), "优"), (D(80), "良"), (D(60), "中"), (D(0), "差"))


def q2(value: Decimal) -> Decimal:
    return value.quantize(D("0.01"), ROUND_HALF_UP)


def band(score: Decimal) -> str:
    """The grade of a score under the default bands (the test's own rule)."""
    return next(g for low, g in BANDS if score >= low)


@dataclass
class SampleIndicator:
    level1: str
    level2: str
    name: str
    op: str  # ≥, ≤, = or "" for a target in words
    target: str  # as written
    unit: str
    actual: str  # as written
    weight: Decimal
    score: Decimal
    reason: str = ""
    reason_group: str | None = None  # the group the reason belongs to (the test's truth)
    ticked: str | None = None  # monitoring: the reason column ticked


@dataclass
class FormSlip:
    """A planted mistake: the form, what it is, the rules it must raise, the cell."""

    form: str  # SampleForm.key
    kind: str
    rules: tuple[str, ...]
    place: str  # the logical figure it changes (money.total.budget, indicator.2.actual …)
    note: str
    cell: str = ""  # the address, known once the form is written
    path: Path | None = None


@dataclass
class SampleForm:
    key: str
    kind: str  # project_self_eval, dept_self_eval, monitoring, target
    family: str
    year: int
    project: str
    unit: str
    department: str
    parts: dict[str, tuple[Decimal, Decimal, Decimal]]  # row → (年初, 全年预算, 全年执行)
    indicators: list[SampleIndicator]
    money_weight: Decimal = Decimal(10)
    grade_cell: bool = False
    month: int = 7
    slips: list[FormSlip] = field(default_factory=list)
    written: dict[str, object] = field(default_factory=dict)  # place → value the slip wrote
    path: Path | None = None

    # -- what the unit meant

    def totals(self) -> tuple[Decimal, Decimal, Decimal]:
        return tuple(sum((p[i] for p in self.parts.values()), D(0)) for i in range(3))  # type: ignore[return-value]

    def rate(self) -> Decimal:
        _, budget, spent = self.totals()
        return spent / budget * HUNDRED if budget else D(0)

    def money_score(self) -> Decimal:
        return q2(self.money_weight * min(self.rate(), HUNDRED) / HUNDRED)

    def total_score(self) -> Decimal:
        return self.money_score() + sum((i.score for i in self.indicators), D(0))

    def grade(self) -> str:
        return band(self.total_score())

    def get(self, place: str, default: object) -> object:
        return self.written.get(place, default)


# --------------------------------------------------------------------------- vocabulary
# Indicator names, units and directions of our own; reasons in the words each group uses.

_OUTPUT = [
    ("数量指标", "培训基层人员", "人次", "≥", (200, 1500)),
    ("数量指标", "维修农村道路", "公里", "≥", (5, 60)),
    ("数量指标", "发放补助户数", "户", "≥", (100, 3000)),
    ("数量指标", "购置设备", "台", "≥", (5, 80)),
    ("数量指标", "开展宣传活动", "次", "≥", (4, 40)),
    ("质量指标", "工程验收合格率", "%", "≥", (95, 100)),
    ("质量指标", "资金使用合规率", "%", "=", (100, 100)),
    ("时效指标", "资金拨付及时率", "%", "≥", (90, 100)),
    ("时效指标", "项目按期完成率", "%", "≥", (90, 100)),
    ("成本指标", "项目总成本", "万元", "≤", (0, 0)),
]
_EFFECT = [
    ("社会效益指标", "受益群众人数", "人", "≥", (500, 20000)),
    ("社会效益指标", "政策知晓率", "%", "≥", (85, 95)),
    ("经济效益指标", "带动农户增收", "万元", "≥", (20, 300)),
    ("可持续影响指标", "设施正常使用年限", "年", "≥", (5, 15)),
]
_SATISFACTION = [("服务对象满意度指标", "服务对象满意度", "%", "≥", (85, 95))]
_WORDS = [("社会效益指标", "公共服务水平", "明显提升", "有所提升"),
          ("可持续影响指标", "长效管护机制", "建立健全", "已建立")]
REASONS = {
    "经费": ["上级资金下达较晚，资金拨付滞后", "部分配套资金未及时到位"],
    "制度": ["政府采购程序耗时较长", "项目审批手续办理周期长"],
    "人员": ["专业技术人员不足", "项目人员变动较大，衔接不畅"],
    "硬件": ["部分设备到货延迟", "场地条件受限，设施未能按期投入使用"],
    "其他": ["受天气影响，施工进度放缓", "服务对象需求发生变化"],
}
_BUREAUS = ["农业农村局", "教育体育局", "卫生健康局", "交通运输局", "民政局", "文化旅游局", "水利局",
            "自然资源局"]
_WORKS = ["高标准农田建设", "学校校舍维修", "基层医疗设备购置", "农村公路养护", "困难群众救助",
          "公共文化服务", "小型水利设施维修", "耕地保护补偿", "乡村振兴示范点建设", "城乡环境整治",
          "就业技能培训", "养老服务设施运营"]


def _amount(rng: random.Random, low: int, high: int) -> Decimal:
    return q2(D(rng.randint(low * 100, high * 100)) / 100)


def _indicators(rng: random.Random, budget: Decimal, spent: Decimal, total_weight: int,
                misses: int) -> list[SampleIndicator]:
    """Indicators of a project, weights adding up to ``total_weight``, ``misses`` of them
    short of their target (a lower score and a reason)."""
    picks = [*rng.sample(_OUTPUT[:-1], 3), _OUTPUT[-1], *rng.sample(_EFFECT, 1), *_SATISFACTION]
    if rng.random() < 0.5:
        picks.insert(4, rng.choice(_WORDS))
    n = len(picks)
    base = total_weight // n
    weights = [D(base)] * n
    weights[0] += total_weight - base * n
    out = []
    miss_at = set(rng.sample([i for i, p in enumerate(picks) if len(p) == 5 and p[3] == "≥"],
                             min(misses, sum(1 for p in picks if len(p) == 5 and p[3] == "≥"))))
    level1 = {"数量指标": "产出指标", "质量指标": "产出指标", "时效指标": "产出指标",
              "成本指标": "产出指标", "社会效益指标": "效益指标", "经济效益指标": "效益指标",
              "可持续影响指标": "效益指标", "服务对象满意度指标": "满意度指标"}
    for i, (pick, weight) in enumerate(zip(picks, weights, strict=True)):
        if len(pick) == 4:
            l2, name, target, actual = pick
            out.append(SampleIndicator(level1[l2], l2, name, "", target, "", actual, weight, weight))
            continue
        l2, name, unit, op, (low, high) = pick
        if unit == "万元":
            target_value = budget if op == "≤" else D(rng.randint(low, high))
            actual_value = spent if op == "≤" else target_value + rng.randint(0, 10)
        else:
            target_value = D(rng.randint(low, high))
            actual_value = target_value if unit == "%" and target_value == 100 else (
                target_value + (rng.randint(0, 3) if unit == "%" else rng.randint(0, max(1, int(low)))))
            if unit == "%":
                actual_value = min(actual_value, HUNDRED)
        ind = SampleIndicator(level1[l2], l2, name, op, _num(target_value), unit, _num(actual_value),
                              weight, weight)
        if i in miss_at:
            short = target_value * D(rng.choice(["0.4", "0.5", "0.6", "0.8", "0.9"]))
            short = short.quantize(D(1)) if unit != "%" else short.quantize(D("0.1"))
            ind.actual = _num(short)
            ind.score = q2(weight * short / target_value)
            group = rng.choice(list(REASONS))
            ind.reason, ind.reason_group = rng.choice(REASONS[group]), group
        out.append(ind)
    return out


def _num(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)


# --------------------------------------------------------------------------- forms


def _project_form(rng: random.Random, key: str, family: str, year: int, project: str, unit: str,
                  kind: str = "project_self_eval") -> SampleForm:
    budget = _amount(rng, 20, 900)
    initial = budget if rng.random() < 0.6 else q2(budget * D(rng.choice(["0.8", "0.9", "1.1"])))
    spent = q2(budget * D(rng.randint(62, 100)) / 100)
    if family == "mof" and kind == "project_self_eval":
        fiscal_share = D(rng.choice(["1", "0.8", "0.7"]))
        f_budget = q2(budget * fiscal_share)
        f_spent = q2(spent * fiscal_share)
        f_initial = q2(initial * fiscal_share)
        parts = {"fiscal": (f_initial, f_budget, f_spent)}
        if fiscal_share < 1:
            parts["carryover"] = (initial - f_initial, budget - f_budget, spent - f_spent)
    elif family == "mof":  # a department: basic and project spending
        basic = D(rng.choice(["0.6", "0.7"]))
        parts = {"basic": (q2(initial * basic), q2(budget * basic), q2(spent * basic))}
        parts["project"] = (initial - parts["basic"][0], budget - parts["basic"][1],
                            spent - parts["basic"][2])
    else:
        own = D(rng.choice(["0", "0", "0.1"]))
        parts = {"fiscal": (q2(initial * (1 - own)), q2(budget * (1 - own)), q2(spent * (1 - own)))}
        if own:
            parts["own"] = (initial - parts["fiscal"][0], budget - parts["fiscal"][1],
                            spent - parts["fiscal"][2])
    misses = rng.choice([0, 1, 2, 3, 4])
    form = SampleForm(key, kind, family, year, project, unit, unit.replace("局", "") + "主管部门",
                      parts, [])
    form.department = unit
    form.indicators = _indicators(rng, budget, spent, 90, misses)
    form.grade_cell = rng.random() < 0.5
    return form


def _monitoring_form(rng: random.Random, key: str, year: int, project: str, unit: str
                     ) -> SampleForm:
    initial = _amount(rng, 30, 600)
    spent = q2(initial * D(rng.randint(35, 80)) / 100)
    form = SampleForm(key, "monitoring", "mof_monitoring", year, project, unit, unit,
                      {"fiscal": (initial, initial, spent)}, [], D(0), month=7)
    inds = _indicators(rng, initial, spent, 90, 0)
    for ind in inds:
        if ind.op == "≥" and rng.random() < 0.35:
            group = rng.choice(list(REASONS))
            ind.ticked, ind.reason_group = group, group
    form.indicators = inds
    return form


def _target_form(rng: random.Random, key: str, year: int, project: str, unit: str) -> SampleForm:
    amount = _amount(rng, 20, 800)
    other = q2(amount * D(rng.choice(["0", "0", "0.2"])))
    form = SampleForm(key, "target", "mof_target", year, project, unit, unit,
                      {"fiscal": (amount - other, amount - other, D(0)),
                       "other": (other, other, D(0))}, [], D(0))
    form.indicators = _indicators(rng, amount, amount, 90, 0)
    return form


# --------------------------------------------------------------------------- slips

SLIP_KINDS: dict[str, tuple[tuple[str, ...], str]] = {
    "money_total_zero": (("form.money_sum",), "资金总额行填了0，其中各行不是0"),
    "money_part_typo": (("form.money_sum", "form.rate"), "本年财政拨款的全年预算数抄错"),
    "rate_typo": (("form.rate",), "执行率与金额不符"),
    "total_score_typo": (("form.total_score",), "总分与各项得分之和不符"),
    "blank_score": (("form.blank_score",), "一项指标的得分空白"),
    "actual_words": (("form.actual_not_number",), "完成值写成“完成”"),
    "actual_blank": (("form.blank_actual",), "完成值空白"),
    "actual_missed_full": (("form.actual_missed",), "完成值低于≥指标值，却得满分"),
    "grade_band": (("form.grade",), "自评等级与得分不符"),
    "grade_blank": (("form.blank_grade",), "自评等级空白"),
    "score_above_weight": (("form.score_above_weight", "form.total_score"), "得分超过分值"),
    "cap": (("form.cap",), "执行率低于60%，总分却超过省里规定的上限"),
}


def plant(form: SampleForm, kind: str, rng: random.Random) -> FormSlip:
    """Change what ``form`` writes so that it holds a slip of ``kind``."""
    rules, note = SLIP_KINDS[kind]
    numeric = [i for i, ind in enumerate(form.indicators, start=1) if ind.op in ("≥",)
               and ind.unit != "%" and not ind.reason]
    k = rng.choice(numeric) if numeric else 1
    ind = form.indicators[k - 1]
    if kind == "money_total_zero":
        place = "money.total.budget"
        for col in ("initial", "budget", "spent"):
            form.written[f"money.total.{col}"] = D(0)
    elif kind == "money_part_typo":
        place = "money.fiscal.budget"
        form.written[place] = form.parts["fiscal"][1] + D(10)
    elif kind == "rate_typo":
        place = "money.total.rate"
        form.written[place] = q2(form.rate() / HUNDRED + D("0.013"))
    elif kind == "total_score_typo":
        place = "total.score"
        form.written[place] = form.total_score() + D(2)
    elif kind == "blank_score":
        place = f"indicator.{k}.score"
        form.written[place] = None
    elif kind == "actual_words":
        place = f"indicator.{k}.actual"
        form.written[place] = "完成"
    elif kind == "actual_blank":
        place = f"indicator.{k}.actual"
        form.written[place] = None
    elif kind == "actual_missed_full":
        place = f"indicator.{k}.actual"
        form.written[place] = _num((D(ind.target) * D("0.7")).quantize(D(1)))
    elif kind == "grade_band":
        place = "grade"
        form.grade_cell = True
        order = [g for _, g in BANDS]
        true = form.grade()
        form.written[place] = order[order.index(true) + 1] if true != "差" else "中"
    elif kind == "grade_blank":
        place = "grade"
        form.grade_cell = True
        form.written[place] = None
    elif kind == "score_above_weight":
        place = f"indicator.{k}.score"
        form.written[place] = ind.weight + D(2)
    elif kind == "cap":
        place = "total.score"
        for row, (a, b, _c) in list(form.parts.items()):
            form.parts[row] = (a, b, q2(b / 2))
    else:  # pragma: no cover
        raise ValueError(kind)
    slip = FormSlip(form.key, kind, rules, place, note)
    form.slips.append(slip)
    return slip


# --------------------------------------------------------------------------- layouts


def _blank_rows(n: int, width: int) -> list[list[object]]:
    return [[None] * width for _ in range(n)]


def _money_rows(form: SampleForm) -> list[tuple[str, str, tuple[Decimal, Decimal, Decimal]]]:
    labels = {"fiscal": "其中：当年财政拨款", "carryover": "上年结转资金", "other": "其他资金",
              "basic": "其中：基本支出", "project": "项目支出"}
    if form.family == "sichuan":
        labels = {"fiscal": "其中：财政资金", "special": "财政专户管理资金", "own": "单位资金",
                  "other": "其他资金"}
        order = ["fiscal", "special", "own", "other"]
    elif form.kind == "dept_self_eval":
        order = ["basic", "project"]
    else:
        order = ["fiscal", "carryover", "other"]
    zero = (D(0), D(0), D(0))
    return [(row, labels[row], form.parts.get(row, zero)) for row in order]


def _mof_layout(form: SampleForm) -> Layout:
    """财政部 project (or department) self-evaluation form: 9 columns."""
    w = 9
    dept = form.kind == "dept_self_eval"
    titles = ["部门整体支出绩效自评表" if dept else "项目支出绩效自评表", f"（{form.year}年度）"]
    rows: list[list[object]] = []
    merges: list[tuple[int, int, int, int]] = []
    formats: dict[tuple[int, int], str] = {}
    places: dict[str, tuple[int, int]] = {}

    def add(values: list[object]) -> int:
        rows.append(values + [None] * (w - len(values)))
        return len(rows) - 1

    if dept:
        r = add(["部门（单位）名称", form.unit])
        merges.append((r, 1, r, 8))
    else:
        r = add(["项目名称", form.project])
        merges.append((r, 1, r, 8))
        r = add(["主管部门", form.department, None, None, None, "实施单位", form.unit])
        merges += [(r, 1, r, 4), (r, 6, r, 8)]
    head = add(["年度预算资金（万元）" if dept else "项目资金（万元）", None, "年初预算数", "全年预算数",
                "全年执行数", "分值", "执行率", "得分"])
    merges.append((head, 7, head, 8))
    total = form.totals()
    r = add([None, "年度资金总额", *total, form.money_weight, form.rate() / HUNDRED, form.money_score()])
    _money_places(places, formats, r, "total", (2, 3, 4), rate_col=6, weight_col=5, score_col=7)
    merges.append((r, 7, r, 8))
    for key, label, values in _money_rows(form):
        r = add([None, label, *(v if v else None for v in values), "—",
                 (values[2] / values[1]) if values[1] else None, "—"])
        _money_places(places, formats, r, key, (2, 3, 4), rate_col=6)
        merges.append((r, 7, r, 8))
    merges.append((head, 0, len(rows) - 1, 0))
    g = add(["年度总体目标", "预期目标", None, None, None, "实际完成情况"])
    add([None, f"完成{form.project}建设任务，资金使用规范", None, None, None,
         "已按计划完成年度任务，资金使用规范"])
    merges += [(g, 0, g + 1, 0), (g, 1, g, 4), (g, 5, g, 8), (g + 1, 1, g + 1, 4), (g + 1, 5, g + 1, 8)]
    ih = add(["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
              "偏差原因分析及改进措施"])
    first = len(rows)
    for n, ind in enumerate(form.indicators, start=1):
        r = add([None, ind.level1, ind.level2, ind.name, f"{ind.op}{ind.target}{ind.unit}",
                 ind.actual, ind.weight, ind.score, ind.reason or None])
        places[f"indicator.{n}.target"] = (r, 4)
        places[f"indicator.{n}.actual"] = (r, 5)
        places[f"indicator.{n}.weight"] = (r, 6)
        places[f"indicator.{n}.score"] = (r, 7)
    _merge_levels(rows, merges, first)
    merges.append((ih, 0, len(rows) - 1, 0))
    t = add(["总分", None, None, None, None, None, D(100), form.total_score()])
    merges.append((t, 0, t, 5))
    places["total.weight"] = (t, 6)
    places["total.score"] = (t, 7)
    if form.grade_cell:
        gr = add(["自评等级", None, None, None, None, None, form.grade()])
        merges += [(gr, 0, gr, 5), (gr, 6, gr, 8)]
        places["grade"] = (gr, 6)
    layout = Layout(titles, rows, merges, formats, places)
    return _apply(form, layout)


def _sichuan_layout(form: SampleForm) -> Layout:
    """The 指标性质 family's project form: 11 columns."""
    w = 11
    titles = [f"部门预算项目支出绩效自评表（{form.year}年度）"]
    rows: list[list[object]] = []
    merges: list[tuple[int, int, int, int]] = []
    formats: dict[tuple[int, int], str] = {}
    places: dict[str, tuple[int, int]] = {}

    def add(values: list[object]) -> int:
        rows.append(values + [None] * (w - len(values)))
        return len(rows) - 1

    r = add(["项目名称", form.project])
    merges.append((r, 1, r, 10))
    r = add(["主管部门", form.department, None, None, None, "实施单位", form.unit])
    merges += [(r, 1, r, 4), (r, 6, r, 10)]
    head = add([f"预算执行情况({form.money_weight}分)", "年度预算数(万元)", "年初预算", "调整后预算数",
                "预算执行数", "预算执行率", "权重", "得分", "原因"])
    merges.append((head, 8, head, 10))
    total = form.totals()
    r = add([None, "总额", *total, form.rate() / HUNDRED, form.money_weight, form.money_score(),
              "按计划执行" if form.rate() >= 90 else "部分资金尚未支付"])
    _money_places(places, formats, r, "total", (2, 3, 4), rate_col=5, weight_col=6, score_col=7)
    merges.append((r, 8, r, 10))
    for key, label, values in _money_rows(form):
        r = add([None, label, *values, (values[2] / values[1]) if values[1] else D(0), "/", "/"])
        _money_places(places, formats, r, key, (2, 3, 4), rate_col=5)
        merges.append((r, 8, r, 10))
    merges.append((head, 0, len(rows) - 1, 0))
    ih = add(["绩效指标(90分)", "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位",
              "完成值", "权重", "得分", "未完成原因分析"])
    first = len(rows)
    for n, ind in enumerate(form.indicators, start=1):
        r = add([None, ind.level1, ind.level2, ind.name, ind.op or "定性", ind.target, ind.unit or None,
                 ind.actual, ind.weight, ind.score, ind.reason or None])
        places[f"indicator.{n}.target"] = (r, 5)
        places[f"indicator.{n}.actual"] = (r, 7)
        places[f"indicator.{n}.weight"] = (r, 8)
        places[f"indicator.{n}.score"] = (r, 9)
    _merge_levels(rows, merges, first)
    merges.append((ih, 0, len(rows) - 1, 0))
    t = add(["合计", None, None, None, None, None, None, None, D(100), form.total_score()])
    merges.append((t, 0, t, 7))
    places["total.weight"] = (t, 8)
    places["total.score"] = (t, 9)
    for label, text in (("评价结论", "项目按计划实施，资金使用规范，绩效目标基本实现。"),
                        ("存在问题", "个别指标完成进度偏慢。"), ("改进措施", "加强项目全过程管理。")):
        r = add([label, text])
        merges.append((r, 1, r, 10))
    if form.grade_cell:
        gr = add(["自评等级", form.grade()])
        merges.append((gr, 1, gr, 10))
        places["grade"] = (gr, 1)
    add(["项目负责人：张明", None, None, None, None, "财务负责人：李华"])
    layout = Layout(titles, rows, merges, formats, places)
    return _apply(form, layout)


def _monitoring_layout(form: SampleForm) -> Layout:
    w = 12
    titles = ["项目支出绩效目标执行监控表", f"（{form.year}年度）"]
    rows: list[list[object]] = []
    merges: list[tuple[int, int, int, int]] = []
    formats: dict[tuple[int, int], str] = {}
    places: dict[str, tuple[int, int]] = {}

    def add(values: list[object]) -> int:
        rows.append(values + [None] * (w - len(values)))
        return len(rows) - 1

    r = add(["项目名称", form.project])
    merges.append((r, 1, r, 11))
    r = add(["主管部门", form.department, None, None, None, "实施单位", form.unit])
    merges += [(r, 1, r, 4), (r, 6, r, 11)]
    m = form.month
    head = add(["项目资金（万元）", None, "年初预算数", f"1-{m}月执行数", f"1-{m}月执行率", "全年预计执行数"])
    initial, _, spent = form.totals()
    r = add([None, "年度资金总额", initial, spent, spent / initial, initial])
    _money_places(places, formats, r, "total", (2, None, 3), rate_col=4)
    for key, label, values in [*_money_rows(form)[:1], ("other", "其他资金", (D(0), D(0), D(0)))]:
        r = add([None, "其中：财政拨款" if key == "fiscal" else label, values[0] or None,
                 values[2] or None, (values[2] / values[0]) if values[0] else None,
                 values[0] or None])
        _money_places(places, formats, r, key, (2, None, 3), rate_col=4)
    merges.append((head, 0, len(rows) - 1, 0))
    ih = add(["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", f"1-{m}月实际完成值",
              "全年预计完成情况", "偏差原因分析", None, None, None, None])
    add([None, None, None, None, None, None, None, "经费保障", "制度保障", "人员保障", "硬件条件保障", "其他"])
    merges += [(ih, c, ih + 1, c) for c in range(1, 7)] + [(ih, 7, ih, 11)]
    first = len(rows)
    groups = ["经费", "制度", "人员", "硬件", "其他"]
    for n, ind in enumerate(form.indicators, start=1):
        ticks: list[object] = [None] * 5
        if ind.ticked:
            ticks[groups.index(ind.ticked)] = "√"
        r = add([None, ind.level1, ind.level2, ind.name, f"{ind.op}{ind.target}{ind.unit}",
                 ind.actual, "能完成", *ticks])
        places[f"indicator.{n}.target"] = (r, 4)
        places[f"indicator.{n}.actual"] = (r, 5)
    _merge_levels(rows, merges, first)
    merges.append((ih, 0, len(rows) - 1, 0))
    return _apply(form, Layout(titles, rows, merges, formats, places))


def _target_layout(form: SampleForm) -> Layout:
    w = 6
    titles = ["项目支出绩效目标申报表", f"（{form.year}年度）"]
    rows: list[list[object]] = []
    merges: list[tuple[int, int, int, int]] = []
    places: dict[str, tuple[int, int]] = {}
    formats: dict[tuple[int, int], str] = {}

    def add(values: list[object]) -> int:
        rows.append(values + [None] * (w - len(values)))
        return len(rows) - 1

    r = add(["项目名称", form.project])
    merges.append((r, 1, r, 5))
    r = add(["主管部门", form.department, None, "实施单位", form.unit])
    merges += [(r, 4, r, 5)]
    amount = form.totals()[0]
    first_money = add(["项目资金（万元）", "年度资金总额", amount])
    places["money.total.amount"] = (first_money, 2)
    formats[(first_money, 2)] = "0.00"
    for key, label in (("fiscal", "其中：财政拨款"), ("other", "其他资金")):
        r = add([None, label, form.parts[key][0]])
        places[f"money.{key}.amount"] = (r, 2)
        formats[(r, 2)] = "0.00"
    merges.append((first_money, 0, len(rows) - 1, 0))
    g = add(["年度总体目标", f"按期完成{form.project}，资金使用规范"])
    merges.append((g, 1, g, 5))
    ih = add(["绩效指标", "一级指标", "二级指标", "三级指标", "指标值"])
    first = len(rows)
    for n, ind in enumerate(form.indicators, start=1):
        r = add([None, ind.level1, ind.level2, ind.name, f"{ind.op}{ind.target}{ind.unit}"])
        places[f"indicator.{n}.target"] = (r, 4)
    _merge_levels(rows, merges, first)
    merges.append((ih, 0, len(rows) - 1, 0))
    return _apply(form, Layout(titles, rows, merges, formats, places))


def _money_places(places: dict[str, tuple[int, int]], formats: dict[tuple[int, int], str],
                  r: int, key: str, cols: tuple[int | None, int | None, int | None],
                  rate_col: int | None = None, weight_col: int | None = None,
                  score_col: int | None = None) -> None:
    for name, c in zip(("initial", "budget", "spent"), cols, strict=True):
        if c is not None:
            places[f"money.{key}.{name}"] = (r, c)
            formats[(r, c)] = "0.00"
    if rate_col is not None:
        places[f"money.{key}.rate"] = (r, rate_col)
        formats[(r, rate_col)] = "0.00%"
    if weight_col is not None:
        places[f"money.{key}.weight"] = (r, weight_col)
    if score_col is not None:
        places[f"money.{key}.score"] = (r, score_col)
        formats[(r, score_col)] = "0.00"


def _merge_levels(rows: list[list[object]], merges: list[tuple[int, int, int, int]],
                  first: int) -> None:
    """Merge the runs of equal first- and second-level names down the indicator rows (the
    name stays in the run's first row, the merged range gives it to the others)."""
    keys = {1: [(r[1],) for r in rows[first:]], 2: [(r[1], r[2]) for r in rows[first:]]}
    for col, values in keys.items():
        start = 0
        for i in range(1, len(values) + 1):
            if i < len(values) and values[i] == values[start]:
                continue
            if i - 1 > start:
                merges.append((first + start, col, first + i - 1, col))
                for r in range(first + start + 1, first + i):
                    rows[r][col] = None
            start = i


def _apply(form: SampleForm, layout: Layout) -> Layout:
    """Write the slips' values into the layout's cells."""
    for place, value in form.written.items():
        if place not in layout.places:
            continue
        r, c = layout.places[place]
        layout.rows[r][c] = value
    return layout


LAYOUTS = {"mof": _mof_layout, "sichuan": _sichuan_layout, "mof_monitoring": _monitoring_layout,
           "mof_target": _target_layout}


def layout_of(form: SampleForm) -> Layout:
    return LAYOUTS[form.family](form)


# --------------------------------------------------------------------------- the folder


@dataclass
class FormSamples:
    folder: Path
    files: list[Path]
    forms: list[SampleForm]
    slips: list[FormSlip]
    bad: dict[Path, str]  # file → what is wrong with it
    pdf: Path | None = None

    def form(self, key: str) -> SampleForm:
        return next(f for f in self.forms if f.key == key)


def write_form_samples(folder: str | Path, *, seed: int = 7, year: int = 2024, pdf: bool = True,
                       bad: bool = True, county: str = "青禾县") -> FormSamples:
    """A folder of forms of every kind filed by a (fictional) county's units, with planted
    slips (and, with ``bad``, files that are not forms jixiao can read)."""
    rng = random.Random(seed)
    units = [county + b for b in _BUREAUS]
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    works = list(_WORKS)
    rng.shuffle(works)
    forms: list[SampleForm] = []

    def project(i: int) -> str:
        return f"{year}年{works[i % len(works)]}项目"

    # 1) a workbook of 财政部-family project forms, a sheet each, and a sheet of notes
    mof = [_project_form(rng, f"mof{i}", "mof", year, project(i), units[i % 4]) for i in range(4)]
    # 2) a workbook of 指标性质-family forms
    sc = [_project_form(rng, f"sc{i}", "sichuan", year, project(4 + i), units[4 + i % 3])
          for i in range(3)]
    # 3) Word: two project forms, one of each family
    word = [_project_form(rng, "wd0", "mof", year, project(7), units[5]),
            _project_form(rng, "wd1", "sichuan", year, project(8), units[6])]
    # 4) a department-wide form, 5) monitoring forms, 6) target forms (Word)
    dept = _project_form(rng, "dept0", "mof", year, "", units[1], kind="dept_self_eval")
    mon = [_monitoring_form(rng, f"mon{i}", year, project(i), units[i % 4]) for i in range(3)]
    tgt = [_target_form(rng, f"tgt{i}", year, project(9 + i), units[i]) for i in range(2)]
    # 7) printed to PDF: a 财政部-family form
    printed = _project_form(rng, "pdf0", "mof", year, project(11), units[7])
    forms = [*mof, *sc, *word, dept, *mon, *tgt, printed]

    slips = [plant(mof[0], "money_total_zero", rng), plant(mof[1], "rate_typo", rng),
             plant(mof[2], "actual_words", rng), plant(mof[2], "grade_band", rng),
             plant(sc[0], "total_score_typo", rng), plant(sc[1], "blank_score", rng),
             plant(sc[2], "actual_missed_full", rng), plant(word[0], "money_part_typo", rng),
             plant(word[1], "grade_blank", rng), plant(dept, "actual_blank", rng),
             plant(mof[3], "cap", rng), plant(printed, "score_above_weight", rng)]
    mof[3].grade_cell = False

    files: list[Path] = []
    path = folder / "单位A_项目支出绩效自评表.xlsx"
    addresses = write_xlsx(path, [(f"项目{i + 1}", layout_of(f)) for i, f in enumerate(mof)]
                           + [("填表说明", ["1.金额单位为万元。", "2.执行率=全年执行数/全年预算数。"])])
    _place(mof, [addresses[f"项目{i + 1}"] for i in range(len(mof))], path)
    files.append(path)
    path = folder / "单位B_部门预算项目支出绩效自评表.xlsx"
    addresses = write_xlsx(path, [(f"自评表{i + 1}", layout_of(f)) for i, f in enumerate(sc)])
    _place(sc, [addresses[f"自评表{i + 1}"] for i in range(len(sc))], path)
    files.append(path)
    path = folder / "单位C_自评表.docx"
    _place(word, write_docx(path, [layout_of(f) for f in word]), path)
    files.append(path)
    path = folder / "部门整体支出绩效自评表.xlsx"
    _place([dept], [write_xlsx(path, [("整体自评", layout_of(dept))])["整体自评"]], path)
    files.append(path)
    path = folder / "绩效运行监控表.xlsx"
    addresses = write_xlsx(path, [(f"监控{i + 1}", layout_of(f)) for i, f in enumerate(mon)])
    _place(mon, [addresses[f"监控{i + 1}"] for i in range(len(mon))], path)
    files.append(path)
    path = folder / "绩效目标申报表.docx"
    _place(tgt, write_docx(path, [layout_of(f) for f in tgt]), path)
    files.append(path)
    pdf_path = None
    if pdf:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            source = Path(tmp) / "printed.docx"
            places = write_docx(source, [layout_of(printed)])
            pdf_path = folder / "单位D_项目支出绩效自评表.pdf"
            if pdf_from_docx(source, pdf_path):
                _place([printed], [{k: v.replace("表1!", "第1页表1!") for k, v in places[0].items()}],
                       pdf_path)
                files.append(pdf_path)
            else:
                pdf_path = None
    if pdf_path is None:
        forms.remove(printed)
        slips = [s for s in slips if s.form != printed.key]
    for slip in slips:
        form = next(f for f in forms if f.key == slip.form)
        slip.path = form.path
    broken = _bad_files(folder) if bad else {}
    return FormSamples(folder, sorted([*files, *broken]), forms, slips, broken, pdf_path)


def _place(forms: list[SampleForm], addresses: list[dict[str, str]], path: Path) -> None:
    for form, where in zip(forms, addresses, strict=True):
        form.path = path
        for slip in form.slips:
            slip.cell = where.get(slip.place, "")


def _bad_files(folder: Path) -> dict[Path, str]:
    """Files a batch meets and must get past: an unknown layout, a form without the
    columns its template has, a workbook with a password to open."""
    from openpyxl import Workbook

    out: dict[Path, str] = {}
    path = folder / "其他_通讯录.xlsx"
    book = Workbook()
    ws = book.active
    ws.append(["姓名", "科室", "电话"])
    ws.append(["王芳", "预算股", "0000-1234567"])
    book.save(path)
    out[path] = "unknown"
    path = folder / "单位E_项目支出绩效自评表_列名被改.xlsx"
    book = Workbook()
    ws = book.active
    ws.append(["项目支出绩效自评表"])
    ws.append(["项目名称", "示例项目"])
    ws.append(["资金", "甲", "乙", "丙"])
    ws.append(["合计", 10, 20, 30])
    book.save(path)
    out[path] = "columns"
    path = folder / "单位F_加密的自评表.xlsx"
    plain = folder / "_plain.xlsx"
    write_xlsx(plain, [("项目1", ["项目支出绩效自评表"])])
    if _encrypt(plain, path):
        out[path] = "encrypted"
    plain.unlink(missing_ok=True)
    return out


def _encrypt(plain: Path, target: Path) -> bool:
    try:
        import msoffcrypto
        from msoffcrypto.format.ooxml import OOXMLFile
    except ImportError:  # pragma: no cover - a dependency of the readers
        return False
    del msoffcrypto
    with plain.open("rb") as src, target.open("wb") as dst:
        OOXMLFile(src).encrypt("secret", dst)
    return True
