"""Relations read from the sentence's structure, with or without catalog keys, and table
rules: each on sentences and tables written for these tests, holding and failing, at the
rounding edges. (The helpers and the case shape are those of test_check_rules.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.api import check_document, extract_document, read_document

from .test_check_rules import Case, check_text, fails, holds, params, run_case

INCOME = "（一）收入情况\n"
SPEND = "（二）支出情况\n"
FUNDS = "（三）资金情况\n"
EVAL = "（四）绩效评价\n"

BREAKDOWN_CASES = [
    # 其中 with figures no catalog key names; a complementary pair names the whole
    holds("qizhong-pair", INCOME + "全县一般公共预算收入68250万元，其中：税收收入45120万元，非税收入23130万元。",
          "sum-of-parts", ("68250万元", "45120万元", "23130万元")),
    fails("qizhong-pair-short", INCOME + "全县一般公共预算收入68250万元，其中：税收收入45120万元，非税收入23100万元。",
          "sum-of-parts", "error", ("68250万元", "45120万元", "23100万元"), ("68220万元", "68250万元", "30万元")),
    # the rounding edge: four figures at two decimals may differ by less than 0.02 in sum
    holds("qizhong-rounding-0.01", FUNDS + "专项资金86.42万元，其中上级补助30万元、县级配套30万元、乡镇自筹26.43万元。",
          "sum-of-parts", ("86.42万元", "30万元", "26.43万元")),
    fails("qizhong-rounding-0.02", FUNDS + "专项资金86.41万元，其中上级补助30万元、县级配套30万元、乡镇自筹26.43万元。",
          "sum-of-parts", "error", ("86.41万元", "30万元", "26.43万元"), ("86.43万元", "86.41万元", "0.02万元")),
    # a figure in parentheses is not a part of the list around it; the parenthesis has its own
    holds("parenthesis-kept-apart", INCOME + "上级补助收入348,000万元（其中：返还性收入12,000万元、一般性转移支付收入336,000万元），加上本级收入52,000万元，收入总计400,000万元。",
          "sum-of-parts", ("400,000万元", "348,000万元", "52,000万元")),
    # the sub-items of one part (a later 其中, to the end of its clause) are not parts
    holds("sub-items-kept-apart", FUNDS + "资金总额500万元，其中：工程费用420万元，其中土建工程300万元；其他费用80万元。",
          "sum-of-parts", ("500万元", "420万元", "80万元")),
    # a new whole after ； with its own 其中
    holds("two-wholes-one-sentence", FUNDS + "年末债务余额8,000万元，其中一般债务5,000万元，专项债务3,000万元；债务限额9,000万元，其中一般债务5,500万元、专项债务3,500万元。",
          "sum-of-parts", ("9,000万元", "5,500万元", "3,500万元")),
    # a few categories picked out: a selection, nothing to say
    holds("a-selection", FUNDS + "全年监控资金900万元，其中教育项目300万元。", "sum-of-parts", verified=False),
    # a hair short and not named complete: a warning
    fails("a-hair-short", FUNDS + "全年监控资金900万元，其中教育项目500万元、卫生项目390万元。",
          "sum-of-parts", "warning", ("900万元", "500万元", "390万元"), ("890万元", "900万元")),
    # parts that name no whole are not summed: 其中 right after a money figure, counts beside
    holds("other-kind-not-summed", FUNDS + "涉及303个行政村的资金2823万元，其中奖补项目32个，奖补资金1303万元；行政村运行资金1520万元。",
          "sum-of-parts", ("2823万元", "1303万元", "1520万元")),
    # …中，: the count before it is the whole
    holds("count-then-zhong", EVAL + "全所130个课题中，52个课题进度高于平均，其中50个课题超过序时进度；78个课题低于平均。",
          "sum-of-parts", ("130个", "52个", "78个")),
    # graded clauses without 其中: 良 + 中 of the projects evaluated
    holds("graded-clauses", EVAL + "共评价项目9个，评价结论为“良”的8个，“中”的1个。",
          "sum-of-parts", ("9个", "8个", "1个")),
    fails("graded-clauses-over", EVAL + "共评价项目9个，评价结论为“良”的8个，“中”的2个。",
          "sum-of-parts", "error", ("9个", "8个", "2个"), ("10个", "9个")),
    # the grade written after the figure in its clause
    holds("grade-after-figure", EVAL + "抽审项目41个，其中1个项目评为优，3个项目评为良，35个项目评为中，2个项目评为差。",
          "sum-of-parts", ("41个", "1个", "3个", "35个", "2个")),
    # a breakdown by another dimension, two sentences on: verified when it adds up
    holds("another-dimension", INCOME + "全区收入20,000万元。其中：地方收入14,000万元，上划收入6,000万元。分部门情况是：税务部门完成9,000万元，财政部门完成11,000万元。",
          "sum-of-parts", ("20,000万元", "9,000万元", "11,000万元")),
    holds("another-dimension-unsure", INCOME + "全区收入20,000万元。其中：地方收入14,000万元，上划收入6,000万元。分部门情况是：税务部门完成9,000万元，财政部门完成10,000万元。",
          "sum-of-parts", ("20,000万元", "14,000万元", "6,000万元")),
]

TOTAL_CASES = [
    holds("total-after-list", SPEND + "教育支出1200万元，卫生支出800万元，农业支出500万元，合计2500万元。",
          "sum-of-parts", ("2500万元", "1200万元", "800万元", "500万元")),
    fails("total-after-list-off", SPEND + "教育支出1200万元，卫生支出800万元，农业支出500万元，合计2600万元。",
          "sum-of-parts", "error", ("2600万元", "1200万元", "500万元"), ("2500万元", "2600万元", "100万元")),
    # 加…，总收入…，加…，收入总计…: each total starts from the one before
    holds("chained-totals", INCOME + "本级收入43,000万元，加上级补助收入35,000万元，一般预算总收入78,000万元，加上年结余300万元，再加调入资金1,700万元，收入总计80,000万元。",
          "sum-of-parts", ("80,000万元", "78,000万元", "300万元", "1,700万元")),
    holds("subtraction", "（三）平衡情况\n收入总计5,000万元，减支出总计4,200万元，年终结余800万元。",
          "sum-of-parts", ("800万元", "5,000万元", "4,200万元")),
    fails("subtraction-off", "（三）平衡情况\n收入总计5,000万元，减支出总计4,200万元，年终结余900万元。",
          "sum-of-parts", "error", ("900万元", "5,000万元", "4,200万元"), ("800万元", "900万元")),
    # 加上…后 with its base in the sentence before
    holds("base-before", "（三）国库支付\n截至6月底，实际支付资金4,680万元。加上统发工资支出1,320万元，国库集中支付总额达6,000万元。",
          "sum-of-parts", ("6,000万元", "4,680万元", "1,320万元")),
    fails("base-before-off", "（三）国库支付\n截至6月底，实际支付资金4,680万元。加上统发工资支出1,320万元，国库集中支付总额达6,100万元。",
          "sum-of-parts", "warning", ("6,100万元", "4,680万元", "1,320万元"), ("6000万元", "6,100万元")),
    # the changes of the parts of a breakdown that adds up add up to the change of the whole
    holds("changes-add-up", SPEND + "财政总支出48,000万元，比上年增支8,000万元，其中：一般公共预算支出30,000万元，比上年增支5,000万元；政府性基金支出18,000万元，比上年增支3,000万元。",
          "sum-of-parts", ("8,000万元", "5,000万元", "3,000万元")),
    fails("changes-do-not", SPEND + "财政总支出48,000万元，比上年增支8,000万元，其中：一般公共预算支出30,000万元，比上年增支5,000万元；政府性基金支出18,000万元，比上年增支3,500万元。",
          "sum-of-parts", "warning", ("8,000万元", "5,000万元", "3,500万元"), ("8500万元", "增减额")),
]

GROWTH_CASES = [
    # this year and the increase: 1000 ÷ 11500 = 8.696%
    holds("increase", INCOME + "一般公共预算收入12,500万元，比上年增收1,000万元，增长8.7%。",
          "growth", ("8.7%", "1,000万元", "12,500万元")),
    fails("increase-off", INCOME + "一般公共预算收入12,500万元，比上年增收1,000万元，增长8.9%。",
          "growth", "error", ("8.9%", "1,000万元", "12,500万元"), ("8.9%", "8.7%", "11500")),
    # a decrease: the base is this year plus the decrease (400 ÷ 4000 = 10.0%, not 400 ÷ 3600)
    holds("decrease", INCOME + "非税收入3,600万元，比上年减收400万元，下降10.0%。",
          "growth", ("10.0%", "400万元", "3,600万元")),
    fails("decrease-divided-by-this-year", INCOME + "非税收入3,600万元，比上年减收400万元，下降11.1%。",
          "growth", "error", ("11.1%", "400万元", "3,600万元"), ("下降11.1%", "下降10.0%")),
    fails("directions-differ", INCOME + "一般公共预算收入12,500万元，比上年增收1,000万元，下降8.7%。",
          "growth", "error", ("8.7%", "1,000万元"), ("方向相反",)),
    # last year written: growth and the increase both follow
    holds("base-written", SPEND + "财政总支出48,000万元，较上年同期40,000万元增长20.0%，增支8,000万元。",
          "growth", ("20.0%", "48,000万元", "40,000万元")),
    fails("base-written-increase-off", SPEND + "财政总支出48,000万元，较上年同期40,000万元增长20.0%，增支7,000万元。",
          "difference", "error", ("7,000万元", "48,000万元", "40,000万元"), ("7,000万元", "8000万元")),
    # 百分点 between two rates, last year's in parentheses
    holds("points", "（五）绩效监控\n第2季经费达成率33.57%，较上年同期（38.40%）低4.83个百分点。",
          "difference", ("4.83个百分点", "33.57%", "38.40%")),
    fails("points-off", "（五）绩效监控\n第2季经费达成率33.57%，较上年同期（38.40%）低4.38个百分点。",
          "difference", "error", ("4.38个百分点", "33.57%", "38.40%"), ("减少4.83个百分点",)),
]

RATIO_CASES = [
    # 完成预算数Y的X%: the subject's amount ÷ Y
    holds("of-budget", INCOME + "税收收入8,400万元，完成年初预算数10,000万元的84.0%。",
          "rate", ("84.0%", "8,400万元", "10,000万元")),
    fails("of-budget-off", INCOME + "税收收入8,400万元，完成年初预算数10,000万元的84.1%。",
          "rate", "error", ("84.1%", "8,400万元", "10,000万元"), ("84.1%", "84.0%")),
    holds("over-budget", INCOME + "税收收入9,900万元，完成预算9,000万元的110.0%，超收900万元。",
          "difference", ("900万元", "9,900万元", "9,000万元")),
    fails("over-budget-off", INCOME + "税收收入9,900万元，完成预算9,000万元的110.0%，超收800万元。",
          "difference", "error", ("800万元", "9,900万元", "9,000万元"), ("800万元", "900万元")),
    # 执行率 against either budget (年初 and 调整后 are both in use)
    holds("rate-initial-budget", "（二）预算执行\n年初预算1,000万元，调整后预算1,200万元，实际支出1,080万元，执行率108.0%。",
          "rate", ("108.0%", "1,080万元", "1,000万元")),
    holds("rate-adjusted-budget", "（二）预算执行\n年初预算1,000万元，调整后预算1,200万元，实际支出1,080万元，执行率90.0%。",
          "rate", ("90.0%", "1,080万元", "1,200万元")),
    fails("rate-neither", "（二）预算执行\n年初预算1,000万元，调整后预算1,200万元，实际支出1,080万元，执行率95.0%。",
          "rate", "warning", ("95.0%", "1,080万元"), ("95.0%", "90.0%")),
    # the part not yet spent
    holds("rate-from-remainder", FUNDS + "直达资金总额45.66亿元，未分配0.32亿元，分配率99.3%。",
          "rate", ("99.3%", "45.66亿元", "0.32亿元")),
    fails("rate-from-remainder-off", FUNDS + "直达资金总额45.66亿元，未分配0.32亿元，分配率99.1%。",
          "rate", "warning", ("99.1%", "45.66亿元", "0.32亿元"), ("99.1%", "99.3%")),
    holds("remainder", FUNDS + "项目资金60万元，已支付45万元，结余15万元。",
          "difference", ("15万元", "60万元", "45万元")),
    fails("remainder-off", FUNDS + "项目资金60万元，已支付45万元，结余16万元。",
          "difference", "warning", ("16万元", "60万元", "45万元"), ("16万元", "15万元")),
    # amounts with decimals stand for their rounding: 45.76 ÷ 75.20 may be written 60.8%
    holds("rounded-operands", FUNDS + "直达资金总量75.20亿元，已支出45.76亿元，支付率为60.8%。",
          "rate", ("60.8%", "45.76亿元", "75.20亿元")),
    # 占 + a named whole
    holds("named-share", INCOME + "一般公共预算收入12,000万元，其中税收收入8,400万元，非税收入3,600万元，税收收入占一般公共预算收入的70.0%。",
          "share", ("70.0%", "8,400万元", "12,000万元")),
    fails("named-share-off", INCOME + "一般公共预算收入12,000万元，其中税收收入8,400万元，非税收入3,600万元，税收收入占一般公共预算收入的72.0%。",
          "share", "warning", ("72.0%", "8,400万元", "12,000万元"), ("72.0%", "70.0%")),
    # 占…的 after a graded part: the whole of its breakdown; a figure cut, not rounded
    holds("share-of-evaluated", EVAL + "抽审的41个项目审核等级为：1个项目评为优，占评定项目的2.44%；3个项目评为良，占评定项目的7.32%；35个项目评为中，占评定项目的85.37%；2个项目评为差，占评定项目的4.88%。",
          "share", ("85.37%", "35个", "41个")),
    fails("share-of-evaluated-cut", EVAL + "抽审的41个项目审核等级为：1个项目评为优，占评定项目的2.44%；3个项目评为良，占评定项目的7.32%；35个项目评为中，占评定项目的85.36%；2个项目评为差，占评定项目的4.88%。",
          "share", "warning", ("85.36%", "35个", "41个"), ("85.37%", "截尾")),
]

MAGNITUDE_CASES = [
    # a 万 dropped from this year's revenue: the growth holds once it is read in 万元
    fails("dropped-wan-in-growth", INCOME + "全年一般公共预算收入38562元，同比增长8.2%，增收2923万元。",
          "magnitude", "warning", ("38562元", "2923万元"), ("38562元", "万元")),
    # the same revenue named twice, once in 元
    fails("dropped-wan-named-twice", INCOME + "全县一般公共预算收入38562元。\n（二）说明\n本年一般公共预算收入38562万元，主要来自税收。",
          "magnitude", "warning", ("38562元", "38562万元"), ("38562元", "38562万元")),
    holds("standard-in-yuan", FUNDS + "按生均1000元安排公用经费，共计239万元。", "magnitude",
          verified=False),
]

COUNT_CASES = [
    holds("names-after-respectively", EVAL + "本次部门整体支出绩效评价共涉及2个单位，分别是县能源局、县长城乡人民政府，预算资金总额5789.67万元。",
          "listed-count", ("2个",)),
    fails("names-after-respectively-off", EVAL + "本次部门整体支出绩效评价共涉及3个单位，分别是县能源局、县长城乡人民政府，预算资金总额5789.67万元。",
          "listed-count", "error", ("3个",), ("3个", "2项")),
    holds("open-list-as-many", EVAL + "对县交通运输局、县林业局、县医疗集团等3家预算单位开展评价。",
          "listed-count", ("3家",)),
    fails("open-list-more-names", EVAL + "对县交通运输局、县林业局、县医疗集团等2家预算单位开展评价。",
          "listed-count", "error", ("2家",), ("2家", "3项")),
    holds("open-list-fewer-names", EVAL + "对县交通运输局、县林业局等19家预算单位开展评价。",
          "listed-count", verified=False),
    holds("two-parts-joined", EVAL + "本项目由基本支出和项目支出两个部分构成。", "listed-count", ("两个",)),
    holds("ordinals-after", FUNDS + "评价资金范围包括两个部分：一是清单管理项目资金，二是部门业务费。",
          "listed-count", ("两个",)),
]


IMPLIED_CASES = [
    # a whole shared out later in its sentence with no word that says so: only verified
    holds("implied-partition", EVAL + "对6个重大政策项目开展了重点评估，决定对2个项目不予支持，对4个项目进一步调整完善。",
          "sum-of-parts", ("6个", "2个", "4个")),
    holds("implied-partition-silent", EVAL + "对6个重大政策项目开展了重点评估，决定对2个项目不予支持，对3个项目进一步调整完善。",
          "sum-of-parts", verified=False),
    # both sides of a complementary pair, their whole named by what they share before them
    holds("complementary-pair", INCOME + "全国一般公共预算收入62037亿元，同比增长8.6%。\n收入方面，中央一般公共预算收入28949亿元；地方一般公共预算本级收入33088亿元。",
          "sum-of-parts", ("62037亿元", "28949亿元", "33088亿元")),
    holds("complementary-pair-silent", INCOME + "全国一般公共预算收入62037亿元，同比增长8.6%。\n收入方面，中央一般公共预算收入28949亿元；地方一般公共预算本级收入33000亿元。",
          "sum-of-parts", verified=False),
    # three parts named alike set out their whole: 8% short is a warning, not a selection
    fails("parallel-list-short", INCOME + "上级补助收入1000万元，其中：返还性收入100万元，一般转移支付收入600万元，专项转移支付收入220万元。",
          "sum-of-parts", "warning", ("1000万元", "100万元", "600万元", "220万元"), ("920万元", "1000万元")),
    holds("major-items-picked", SPEND + "一般公共预算支出50000万元，其中：教育支出12000万元，社会保障和就业支出8000万元，卫生健康支出6000万元。",
          "sum-of-parts", verified=False),
]


@pytest.mark.parametrize("case", params(IMPLIED_CASES))
def test_implied_and_parallel(case: Case) -> None:
    run_case(case)


@pytest.mark.parametrize("case", params(BREAKDOWN_CASES))
def test_breakdowns(case: Case) -> None:
    run_case(case)


@pytest.mark.parametrize("case", params(TOTAL_CASES))
def test_totals_and_chains(case: Case) -> None:
    run_case(case)


@pytest.mark.parametrize("case", params(GROWTH_CASES))
def test_growth_and_differences(case: Case) -> None:
    run_case(case)


@pytest.mark.parametrize("case", params(RATIO_CASES))
def test_ratios_rates_shares(case: Case) -> None:
    run_case(case)


@pytest.mark.parametrize("case", params(MAGNITUDE_CASES))
def test_magnitude(case: Case) -> None:
    run_case(case)


@pytest.mark.parametrize("case", params(COUNT_CASES))
def test_listed_counts(case: Case) -> None:
    run_case(case)


def test_every_relation_shows_its_work() -> None:
    """Formula, stated and computed figures, tolerance, operands with their places."""
    doc, result = check_text(INCOME + "一般公共预算收入12,500万元，比上年增收1,000万元，增长8.9%。")
    [finding] = result.findings
    work = finding.arithmetic
    assert work is not None and work.stated == "8.9%"
    assert work.computed.startswith("8.69")  # 1000 ÷ 11500 = 8.6957%
    assert "12,500万元" in work.formula and "1,000万元" in work.formula
    assert "±0.05" in work.tolerance  # 8.9% written with one decimal
    for op in work.operands:
        assert doc.text[op.start:op.end] == op.surface
    # and a relation that could not be decided is kept as uncertain, not reported
    _, result = check_text(FUNDS + "全年监控资金900万元，其中教育项目300万元。")
    assert result.findings == [] and [u.verdict for u in result.uncertain] == ["uncertain"]


# ------------------------------------------------------------------------------ tables

FORM_HEADER = ["项目资金（万元）", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]


def form_rows(total: list[str], own: list[str]) -> list[list[str]]:
    return [["年度资金总额", *total], ["其中：当年财政拨款", *own],
            ["上年结转资金", "", "", "", "", "", ""], ["其他资金", "", "", "", "", "", ""]]


def build_form(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    import docx

    d = docx.Document()
    d.add_heading("青溪县2024年农村公路养护项目支出绩效自评报告", level=0)
    d.add_heading("一、项目资金情况", level=1)
    d.add_paragraph("本项目资金情况如下表。")
    table = d.add_table(rows=1, cols=len(header))
    for i, head in enumerate(header):
        table.rows[0].cells[i].text = head
    for row in rows:
        cells = table.add_row().cells
        for i, value in enumerate(row):
            cells[i].text = value
    d.add_heading("二、绩效目标完成情况", level=1)
    d.add_paragraph("项目按期完成。")
    d.save(path)
    return path


TABLE_CASES = [
    # 年度资金总额 at the top totals the rows below it; 执行率 with 全年预算数 …
    ("form-holds", FORM_HEADER,
     form_rows(["100", "120", "108", "10", "90%", "9"], ["100", "120", "108", "", "", ""]),
     None, "rate", ("90%", "108", "120")),
    # … or with 年初预算数 (both definitions are in use)
    ("form-rate-initial", FORM_HEADER,
     form_rows(["100", "120", "108", "10", "108%", "10"], ["100", "120", "108", "", "", ""]),
     None, "rate", ("108%", "108", "100")),
    ("form-total-zero", FORM_HEADER,
     form_rows(["0", "0", "0", "10", "0%", "0"], ["90", "89.97", "89.97", "", "", ""]),
     "error", "table", ("0", "90")),
    ("form-rate-off", FORM_HEADER,
     form_rows(["100", "120", "108", "10", "80%", "8"], ["100", "120", "108", "", "", ""]),
     "error", "rate", ("80%", "108", "120")),
    # the rounding edge of a rate cell: 89.97 ÷ 90 = 99.967%
    ("form-rate-edge-holds", FORM_HEADER,
     form_rows(["90", "90", "89.97", "10", "99.97%", "10"], ["90", "90", "89.97", "", "", ""]),
     None, "rate", ("99.97%", "89.97", "90")),
    ("form-rate-edge-off", FORM_HEADER,
     form_rows(["90", "90", "89.97", "10", "99.95%", "10"], ["90", "90", "89.97", "", "", ""]),
     "error", "rate", ("99.95%", "89.97", "90")),
    # a 合计 row at the bottom totals the rows above it, not their 其中 rows
    ("bottom-total-holds", ["项目名称", "预算金额", "执行金额"],
     [["校舍维修", "600", "540"], ["其中：屋面防水", "200", "180"], ["村医培训", "400", "360"],
      ["合计", "1000", "900"]], None, "table", ("1000", "600", "400")),
    ("bottom-total-off", ["项目名称", "预算金额", "执行金额"],
     [["校舍维修", "600", "540"], ["其中：屋面防水", "200", "180"], ["村医培训", "400", "360"],
      ["合计", "1000", "910"]], "error", "table", ("910", "540", "360")),
    # the points of a group against its heading
    ("points-group-off", ["一级指标", "二级指标", "三级指标", "分值", "得分"],
     [["产出指标（50分）", "数量指标", "养护里程", "20", "20"], ["", "质量指标", "验收合格率", "20", "18"],
      ["", "时效指标", "按期完成率", "15", "15"], ["效益指标（30分）", "社会效益", "出行改善", "30", "28"],
      ["满意度指标（20分）", "服务对象满意度", "群众满意度", "20", "19"]],
     "warning", "table", ("20", "15")),
    ("points-group-holds", ["一级指标", "二级指标", "三级指标", "分值", "得分"],
     [["产出指标（50分）", "数量指标", "养护里程", "20", "20"], ["", "质量指标", "验收合格率", "20", "18"],
      ["", "时效指标", "按期完成率", "10", "10"], ["效益指标（30分）", "社会效益", "出行改善", "30", "28"],
      ["满意度指标（20分）", "服务对象满意度", "群众满意度", "20", "19"], ["合计", "", "", "100", "95"]],
     None, "table", ("100", "20", "10", "30")),
]


@pytest.mark.parametrize(("id", "header", "rows", "severity", "rule", "evidence"),
                         [pytest.param(*c, id=c[0]) for c in TABLE_CASES])
def test_table_grids(tmp_path: Path, id: str, header: list[str], rows: list[list[str]],
                     severity: str | None, rule: str, evidence: tuple[str, ...]) -> None:
    doc = read_document(build_form(tmp_path / f"{id}.docx", header, rows))
    result = check_document(extract_document(doc))
    if severity is None:
        assert result.findings == [], [f.message for f in result.findings]
        assert any(v.rule == rule and set(evidence) <= {e.surface for e in v.evidence}
                   for v in result.verified), [(v.rule, v.description) for v in result.verified]
        return
    hits = [f for f in result.findings if f.rule == rule and f.severity == severity]
    assert hits, [f.message for f in result.findings]
    assert any(set(evidence) <= {e.surface for e in f.evidence} for f in hits)
    # a cell is evidence with its place in the table
    assert all(e.table_cell is not None for f in hits for e in f.evidence)


def test_a_form_left_as_running_text_is_read_as_a_table() -> None:
    doc, result = check_text(
        "（一）项目资金\n项目资金(万元)年初预算数全年预算数全年执行数分值执行率得分"
        "年度资金总额: 0 0 0 10 0 0其中:本年财政拨款90 89.97 89.97上年结转资金其他资金年度总体目标")
    errors = [f for f in result.findings if f.rule == "table" and f.severity == "error"]
    assert sorted(tuple(e.surface for e in f.evidence) for f in errors) == [
        ("0", "89.97"), ("0", "89.97"), ("0", "90")]
    for f in errors:  # the cells are in the running text: the evidence points at them
        for e in f.evidence:
            assert doc.text[e.start:e.end] == e.surface
