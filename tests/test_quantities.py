"""Tests of the quantity finder (extract/quantities.py).

The cases are data: one row per sentence, the figures a reader sees in it. The sentences are
written for these tests in the style of the reports (fictional counties, our own figures),
so they can be read and extended without opening a report. A few tests at the end read the
real corpus and assert figures anyone can see in it.
"""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise
from pathlib import Path

import pytest

from jixiao.extract.quantities import Quantity, find_quantities, parse_number, to_wanyuan

from .conftest import require

# A figure as a row: (value as a string or None, normalised unit, flag). The flag is the
# approximation ('about' 'over' 'under'), the comparator ('>' '>=' '<' '<='), 'X' for a
# placeholder, or None.
Row = tuple[str | None, str, str | None]


def _row(q: Quantity) -> Row:
    flag = q.approx or q.comparator or ("X" if q.placeholder else None)
    return (None if q.value is None else str(q.value), q.unit, flag)


CASES: list[tuple[str, list[Row]]] = [
    # --- counts with Arabic numerals and their measure words
    ("全县共有128个项目纳入绩效目标管理。", [("128", "个", None)]),
    ("聘请第三方机构7家参与重点评价。", [("7", "家", None)]),
    ("目标审核中发现并修改问题52处。", [("52", "处", None)]),
    ("完成整改事项9项，印发评价报告23份。", [("9", "项", None), ("23", "份", None)]),
    ("建立分行业指标库6类，共计1,350条指标。", [("6", "类", None), ("1350", "条", None)]),
    ("项目惠及全县18所学校、230户农户。", [("18", "所", None), ("230", "户", None)]),
    ("全年举办培训班3期，参训120人次。", [("3", "期", None), ("120", "人次", None)]),
    ("对41个部门/单位开展整体评价。", [("41", "个", None)]),
    # --- counts with Chinese numerals
    ("绩效股现有工作人员三人，其中专职一人。", [("3", "人", None), ("1", "人", None)]),
    ("组织业务培训两次，参训人员85名。", [("2", "次", None), ("85", "名", None)]),
    ("从决策、过程、产出、效益四个方面设置指标。", [("4", "个", None)]),
    ("全年收回结余资金项目十二个。", [("12", "个", None)]),
    ("目前仅有一家中介机构入库。", [("1", "家", None)]),
    # --- money in every unit, normalised to 万元
    ("支付专家评审费共计5000元。", [("0.5", "万元", None)]),
    ("核减公用经费350千元。", [("35", "万元", None)]),
    ("年初预算2,345.67万元。", [("2345.67", "万元", None)]),
    ("涉及资金4.075亿元。", [("40750", "万元", None)]),
    ("整体预算7.654321亿元，", [("76543.21", "万元", None)]),
    ("全年一般公共预算支出18.6亿的绩效目标", [("186000", "万元", None)]),
    ("当月到位资金12万，", [("12", "万元", None)]),
    ("县级配套三百万元。", [("300", "万元", None)]),
    ("中央资金0.5亿元、县级资金2000万元", [("5000", "万元", None), ("2000", "万元", None)]),
    ("累计拨付8.00万元", [("8", "万元", None)]),
    # --- percentages, half- and full-width, and percentage points
    ("预算执行率为97.35%。", [("97.35", "%", None)]),
    ("自评覆盖率达到１００％。", [("100", "%", None)]),
    ("整体评价优良率86％，", [("86", "%", None)]),
    ("较上年提高2.5个百分点。", [("2.5", "百分点", None)]),
    ("百分之三十的项目开展复核", [("30", "%", None)]),
    ("随机抽取15%的项目开展再评价。", [("15", "%", None)]),
    # --- scores, and 分 that is not a score
    ("单位自评平均得分88.5分，", [("88.5", "分", None)]),
    ("第三方复核得分为92分。", [("92", "分", None)]),
    ("评分在70-80分之间的为“中”", [("70", "分", None), ("80", "分", None)]),
    ("评价结果分别为优、良，分析原因后分类指导、分配资金。", []),
    ("县委十分重视，三分之二的单位已完成。", []),
    # --- durations: deadlines and cycles
    ("责令限期15天整改。", [("15", "天", None)]),
    ("部门须在20日内反馈意见。", [("20", "天", None)]),
    ("原则上以3年为周期实现全覆盖。", [("3", "年", None)]),
    ("整改期限为两个月。", [("2", "月", None)]),
    ("财政部门在5个工作日内完成审核。", [("5", "工作日", None)]),
    ("力争两年内完成。", [("2", "年", None)]),
    # --- dates, years and months are not figures
    ("各单位于2023年3月15日前报送。", []),
    ("2021年度部门决算已经批复。", []),
    ("分别于5月、9月份开展两轮监控。", [("2", "轮", None)]),
    ("截至2024年6月底，", []),
    ("每月10日前报送进度。", []),
    # --- document numbers, ordinals, names, slogans, fixed expressions
    ("依据某财预〔2023〕18号文件", []),
    ("按照某财绩[2021]7 号要求", []),
    ("1、完善制度\n2.加强监控\n（一）总体情况\n(1)事前评估", []),
    ("一是强化培训，二是完善机制，三是加强应用。", []),
    ("第二中学、某镇一期工程、第三方机构", []),
    ("落实“三个清单”和“两个全覆盖”要求。", []),
    ("完善“一加三”制度体系。", []),
    ("一方面加强审核，另一方面一同申报、一律公开、一并批复，推进一体化。", []),
    ("统一标准，进一步规范，存在一些问题，一直以来，一般公共预算。", []),
    ("对上一年度结果，下一年的预算，每一个单位都要落实。", []),
    ("给予一次性补助，重要的一条就是落实责任。", []),
    ("几十个项目、数百家单位参与。", []),
    ("编制《三年行动计划》", []),
    ("序号 项目名称 金额\n1 污水处理项目 100\n2 救助资金 940", []),
    ("坚持“一项目一方案”原则。", []),
    ("排在第 3 个的项目，又一次提出。", []),
    # --- placeholders left from a template
    (
        "监控项目X个，资金XX万元，占比X％。",
        [(None, "个", "X"), (None, "万元", "X"), (None, "%", "X")],
    ),
    ("共计调减××万元。", [(None, "万元", "X")]),
    ("评价项目x个。", [(None, "个", "X")]),
    ("XX县20XX年X月X日", []),
    # --- approximations
    ("涉及资金约2.8亿元。", [("28000", "万元", "about")]),
    ("近600个项目纳入监控。", [("600", "个", "about")]),
    ("涉及30余家单位。", [("30", "家", "over")]),
    ("资金规模在50万元左右。", [("50", "万元", "about")]),
    ("全年共计200多个项目。", [("200", "个", "over")]),
    ("整改完成率达95%。", [("95", "%", None)]),
    ("整改完成率达95%以上。", [("95", "%", "over")]),
    ("年度结余不足1万元。", [("1", "万元", "under")]),
    ("调减项目资金1万余元。", [("1", "万元", "over")]),
    ("全年共节约30万元。", [("30", "万元", None)]),
    ("整改历时3个多月。", [("3", "月", "over")]),
    # --- comparators: the phrase defines a set
    ("对超过100万元的项目开展事前评估。", [("100", "万元", ">")]),
    ("对50万以上的项目开展事前评估。", [("50", "万元", ">")]),
    ("10万元以下的项目简化程序。", [("10", "万元", "<")]),
    ("偏差率小于等于10%的为黄标，", [("10", "%", "<=")]),
    ("偏差大于10%的为红标。", [("10", "%", ">")]),
    ("单笔不超过5万元。", [("5", "万元", "<=")]),
    ("自评得分不低于80分。", [("80", "分", ">=")]),
    ("得分85分及以上为优。", [("85", "分", ">=")]),
    ("项目金额在30万元以内的由部门评价。", [("30", "万元", "<=")]),
    ("偏差率控制在5%以内。", [("5", "%", None)]),
    ("须在30日以内完成整改。", [("30", "天", None)]),
    # --- 万/亿 as a multiplier before a measure word
    ("惠及群众3万人。", [("30000", "人", None)]),
    ("开展宣传约1.5万人次。", [("15000", "人次", "about")]),
    ("改造高标准农田1.2万亩，新建道路3.6公里。", [("12000", "亩", None), ("3.6", "公里", None)]),
    ("购买饲料1万头牛", []),
    # --- text from PDFs: spaces and line breaks
    ("项目 26 个，资金 1.8 亿元", [("26", "个", None), ("18000", "万元", None)]),
    ("100 95 95.00% 97.2 政府采购服务", [("95", "%", None)]),
    ("资金执行金额3.5\n\n亿元，", [("35000", "万元", None)]),
    # --- ranges: the first number takes the unit written after the second
    ("财政部门在5至8个工作日内反馈。", [("5", "工作日", None), ("8", "工作日", None)]),
    ("排名第1-3名的单位予以通报表扬。", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:14] for c in CASES])
def test_find_quantities(text: str, expected: list[Row]) -> None:
    assert [_row(q) for q in find_quantities(text)] == expected


SURFACES: list[tuple[str, list[str]]] = [
    # the span runs from the number through the unit: never the 约 before, never the 以上 after
    ("38 个约 3.2 亿元", ["38 个", "3.2 亿元"]),
    ("达90%以上；", ["90%"]),
    ("资金3.5\n\n亿元", ["3.5\n\n亿元"]),
    ("占比１２．５％", ["１２．５％"]),
    ("两人", ["两人"]),
    ("1万余元", ["1万余元"]),
    ("百分之二十", ["百分之二十"]),
]


@pytest.mark.parametrize(("text", "surfaces"), SURFACES)
def test_surface_is_the_figure_as_written(text: str, surfaces: list[str]) -> None:
    assert [text[q.start : q.end] for q in find_quantities(text)] == surfaces


@pytest.mark.parametrize(
    ("text", "number_text", "unit_text"),
    [
        ("共10,113.65万元", "10,113.65", "万元"),
        ("18.6亿的支出", "18.6", "亿"),
        ("覆盖率１００％", "１００", "％"),
        ("XX万元", "XX", "万元"),
        ("两个", "两", "个"),
        ("1.2万人", "1.2", "万人"),
        ("3天", "3", "天"),
        ("20日内", "20", "日"),
    ],
)
def test_number_and_unit_as_written(text: str, number_text: str, unit_text: str) -> None:
    (q,) = find_quantities(text)
    assert (q.number_text, q.unit_text) == (number_text, unit_text)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("5个", "count"),
        ("5万元", "money"),
        ("5%", "percent"),
        ("95分", "score"),
        ("5天", "duration"),
        ("5公里", "measure"),
    ],
)
def test_kind(text: str, kind: str) -> None:
    assert find_quantities(text)[0].kind == kind


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10,113.65", Decimal("10113.65")),
        ("9993.67", Decimal("9993.67")),
        ("１２．５", Decimal("12.5")),
        ("0.335875", Decimal("0.335875")),
        (" 100 ", Decimal("100")),
        ("两", Decimal(2)),
        ("十二", Decimal(12)),
        ("一百零五", Decimal(105)),
        ("三千", Decimal(3000)),
        ("1.2万", Decimal("12000")),
        ("-3.5", Decimal("-3.5")),
    ],
)
def test_parse_number(text: str, expected: Decimal) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["X", "XX", "", "abc", "1.2.3", "一二", "10,11"])
def test_parse_number_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_number(text)


@pytest.mark.parametrize(
    ("value", "unit_text", "expected"),
    [
        ("13.304271", "亿元", "133042.71"),
        ("8.12962157", "亿元", "81296.2157"),
        ("0.18778", "亿元", "1877.8"),
        ("5000", "元", "0.5"),
        ("350", "千元", "35"),
        ("100.56", "万元", "100.56"),
        ("21.3", "亿", "213000"),
        ("20", "万", "20"),
        ("1", "万元", "1"),
        ("3", "亿元", "30000"),
    ],
)
def test_to_wanyuan_is_exact(value: str, unit_text: str, expected: str) -> None:
    result = to_wanyuan(Decimal(value), unit_text)
    assert isinstance(result, Decimal)
    assert str(result) == expected


def test_to_wanyuan_rejects_other_units() -> None:
    with pytest.raises(ValueError):
        to_wanyuan(Decimal(1), "%")


def test_values_are_decimals_and_quantities_frozen() -> None:
    q = find_quantities("涉及资金8.12962157亿元")[0]
    assert type(q.value) is Decimal and q.value == Decimal("81296.2157")
    with pytest.raises(AttributeError):
        q.value = Decimal(0)  # type: ignore[misc]


# --------------------------------------------------------------------------- real corpus

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
REPORT_002 = CORPUS / "002_14d9c8f6bc945b17.txt"
REPORT_003 = CORPUS / "003_9838b6f1644cf041.txt"


def _read(path: Path) -> str:
    if not path.exists():
        require("corpus", f"corpus file missing: {path}")
    return path.read_text(encoding="utf-8")


def _at(text: str, surface: str, nth: int = 0) -> Quantity:
    """The figure found exactly where ``surface`` is written (its nth occurrence)."""
    offset = -1
    for _ in range(nth + 1):
        offset = text.index(surface, offset + 1)
    for q in find_quantities(text):
        if q.start == offset and q.end == offset + len(surface):
            return q
    raise AssertionError(f"no figure at {surface!r} (offset {offset})")


def test_corpus_002_figures() -> None:
    text = _read(REPORT_002)
    q = _at(text, "3.2 亿元")
    assert (q.value, q.unit, q.approx) == (Decimal(32000), "万元", "about")
    assert _at(text, "19.94亿元").value == Decimal(199400)
    assert _at(text, "459个").value == Decimal(459)
    assert _row(_at(text, "30 天")) == ("30", "天", None)
    assert _row(_at(text, "38 个")) == ("38", "个", None)
    assert _row(_at(text, "90%")) == ("90", "%", "over")
    assert _row(_at(text, "100.56 万元")) == ("100.56", "万元", None)


def test_corpus_002_no_years_or_months() -> None:
    text = _read(REPORT_002)
    found = find_quantities(text)
    assert all(q.unit != "年" for q in found)  # 2025年 appears often, never a duration here
    assert not any(text[q.start : q.end].startswith("2025") for q in found)


def test_corpus_003_long_decimals_and_split_words() -> None:
    text = _read(REPORT_003)
    assert _at(text, "13.304271亿元").value == Decimal("133042.71")
    assert _at(text, "8.12962157亿元").value == Decimal("81296.2157")
    assert _row(_at(text, "20%")) == ("20", "%", "<=")  # 偏差小于等\n\n于20%
    assert _row(_at(text, "5年")) == ("5", "年", None)  # 以5年为周期
    assert _row(_at(text, "30日")) == ("30", "天", None)


def _utf8_reports() -> list[Path]:
    if not CORPUS.exists():
        return []
    return sorted(p for p in CORPUS.glob("*.txt") if not p.name.endswith(".gb18030.txt"))


@pytest.mark.parametrize("path", _utf8_reports(), ids=lambda p: p.name[:3])
def test_corpus_spans_sorted_and_disjoint(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    found = find_quantities(text)
    assert found
    for a, b in pairwise(found):
        assert a.end <= b.start
    for q in found:
        surface = text[q.start : q.end]
        assert surface.startswith(q.number_text)
        assert surface.endswith(q.unit_text[-1]) or q.unit_text == "百分之"
