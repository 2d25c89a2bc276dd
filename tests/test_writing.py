"""Ways of writing figures (issue 11): traditional characters, amounts in mixed units, years
of the Republic of China, dates, changes with their direction, more units, thousands
separators.

Every sentence here is written for these tests (fictional counties, our own figures); the
expected values are what a reader of the sentence sees. The last tests convert the corpus
reports to traditional characters and ask for the same figures as from the originals.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest

from jixiao.extract.dates import find_dates
from jixiao.extract.normalize import clean_text, to_simplified
from jixiao.extract.quantities import Quantity, find_quantities

from .conftest import corpus_file

Row = tuple[str | None, str]


def _vu(q: Quantity) -> Row:
    return (None if q.value is None else str(q.value), q.unit)


def _read_text(text: str, name: str = "report.txt"):
    from jixiao.api import read_bytes

    return read_bytes(text.encode("utf-8"), source=name, fmt="txt")


def _extract(text: str, name: str = "report.txt"):
    from jixiao.api import extract_document

    return extract_document(_read_text(text, name))


# --------------------------------------------------------------------------- 1. traditional

REPORT_S = (
    "岚溪县2023年度预算绩效管理工作情况说明\n"
    "一、绩效目标管理\n"
    "全县共编制项目绩效目标128个，涉及资金36.15亿元，其中年初预算项目96个。\n"
    "二、绩效运行监控\n"
    "5月监控项目86个，资金2,468万元；8月监控项目90个。\n"
    "三、绩效评价\n"
    "对12个项目开展重点评价，评价结果为“优”的项目9个，占比75%，较上年提高2个百分点。\n"
    "单位自评平均得分92.5分，自评率达100%。\n"
)
# The same report as a reader of a traditional-character page sees it, written by hand
# (not by the converter under test).
REPORT_T = (
    "嵐溪縣2023年度預算績效管理工作情況說明\n"
    "一、績效目標管理\n"
    "全縣共編制項目績效目標128個，涉及資金36.15億元，其中年初預算項目96個。\n"
    "二、績效運行監控\n"
    "5月監控項目86個，資金2,468萬元；8月監控項目90個。\n"
    "三、績效評價\n"
    "對12個項目開展重點評價，評價結果為“優”的項目9個，佔比75%，較上年提高2個百分點。\n"
    "單位自評平均得分92.5分，自評率達100%。\n"
)


def test_to_simplified_keeps_every_offset() -> None:
    plain = to_simplified(REPORT_T)
    assert len(plain) == len(REPORT_T)
    assert plain == REPORT_S
    assert to_simplified(REPORT_S) == REPORT_S  # simplified text is left as it is


def test_traditional_figures_are_those_of_the_simplified_text() -> None:
    simplified, traditional = _extract(REPORT_S), _extract(REPORT_T)

    def facts(ex):
        return Counter((str(m.value), m.unit, m.key, tuple(sorted(m.qualifiers.items())))
                       for m in ex.metrics)

    assert facts(traditional) == facts(simplified)
    values = {(str(m.value), m.unit) for m in traditional.metrics}
    assert {("361500", "万元"), ("2468", "万元"), ("128", "个"), ("2", "百分点")} <= values
    text = traditional.document.text
    for m in traditional.metrics:
        assert text[m.start : m.end] == m.surface  # the offsets are those of the page
    surfaces = {m.surface for m in traditional.metrics}
    assert {"36.15億元", "2,468萬元", "128個", "2個百分點"} <= surfaces


def test_traditional_structure_and_metadata() -> None:
    doc = _read_text(REPORT_T)
    assert doc.text.startswith("嵐溪縣")  # the document keeps its own characters
    assert doc.plain.startswith("岚溪县")
    assert (doc.county, doc.year) == ("岚溪县", 2023)
    assert doc.title == "岚溪县2023年度预算绩效管理工作情况说明"
    assert [s.heading for s in doc.sections] == ["一、绩效目标管理", "二、绩效运行监控", "三、绩效评价"]
    assert [s.stage for s in doc.sections] == [s.stage for s in _read_text(REPORT_S).sections]
    assert [s.stage for s in doc.sections] == ["target", "monitoring", "evaluation"]


def test_traditional_qualifiers_month_and_grade() -> None:
    by_surface = {m.surface: m for m in _extract(REPORT_T).metrics}
    assert by_surface["86個"].qualifiers.get("month") == 5
    assert by_surface["90個"].qualifiers.get("month") == 8
    assert by_surface["9個"].qualifiers.get("grade") == "优"


# --------------------------------------------------------------------------- 2. mixed units

MIXED: list[tuple[str, list[Row]]] = [
    ("全年下达资金12亿3,456万7千元。", [("123456.7", "万元")]),
    ("项目总投资3亿5000万元。", [("35000", "万元")]),
    ("安排专项资金1亿2千万元", [("12000", "万元")]),
    ("县级配套三亿五千万元", [("35000", "万元")]),
    ("拨付补助3万2500元", [("3.25", "万元")]),
    ("惠及群众1万2千人", [("12000", "人")]),
    ("总额3亿5000万的项目", [("35000", "万元")]),
    # places that do not decrease, or a last part that is not a place: separate figures
    ("资金3亿5个项目", [("30000", "万元"), ("5", "个")]),
    ("中央资金1亿、省级资金5000万元", [("10000", "万元"), ("5000", "万元")]),
    ("投入2亿元，带动5000万元社会资金", [("20000", "万元"), ("5000", "万元")]),
]


@pytest.mark.parametrize(("text", "expected"), MIXED, ids=[c[0][:12] for c in MIXED])
def test_amounts_in_mixed_units_are_one_figure(text: str, expected: list[Row]) -> None:
    assert [_vu(q) for q in find_quantities(text)] == expected


def test_mixed_amount_surface_and_approximation() -> None:
    text = "涉及资金约12亿3,456万7千元。"
    (q,) = find_quantities(text)
    assert text[q.start : q.end] == "12亿3,456万7千元"
    assert (q.value, q.approx) == (Decimal("123456.7"), "about")


# --------------------------------------------------------------------------- 3. ROC years

@pytest.mark.parametrize("text", ["112年預算執行情況", "112年度預算", "民國112年", "民國79年",
                                  "自112年起實施"])
def test_roc_years_are_not_figures(text: str) -> None:
    assert find_quantities(to_simplified(text)) == []


def test_year_counts_stay_durations() -> None:
    assert [_vu(q) for q in find_quantities(to_simplified("以5年為週期開展評價"))] == [("5", "年")]
    assert [_vu(q) for q in find_quantities("力争两年内完成")] == [("2", "年")]


def test_roc_date_is_a_date() -> None:
    assert [d.iso for d in find_dates(to_simplified("於112年3月15日前報送"))] == ["2023-03-15"]


# --------------------------------------------------------------------------- 4. dates

DATES: list[tuple[str, list[str]]] = [
    ("各单位于2024年3月15日报送材料", ["2024-03-15"]),
    ("3月15日召开培训会", ["--03-15"]),
    ("截至6月底，执行进度过半", ["--06-30"]),
    ("截止2023年末，已全部完成", ["2023-12-31"]),
    ("须在6月30日前报送", ["--06-30"]),
    ("落款二〇二三年十二月二十日", ["2023-12-20"]),
    ("10月8号前完成整改", ["--10-08"]),
    ("2024年2月底完成", ["2024-02-29"]),
    # not dates: a year alone, a month alone, a day of every month, no such day
    ("2023年全县共有项目", []),
    ("2023年度部门决算", []),
    ("8月份开展第二轮监控", []),
    ("2024年3月，县财政局印发通知", []),
    ("2025年5月、8月两个监控节点", []),
    ("5月监控项目86个", []),
    ("每月10日前报送", []),
    ("2月30日", []),
]


@pytest.mark.parametrize(("text", "expected"), DATES, ids=[c[0][:10] for c in DATES])
def test_dates(text: str, expected: list[str]) -> None:
    assert [d.iso for d in find_dates(text)] == expected


def test_date_surface_and_deadline() -> None:
    text = "须在6月30日前报送，截至6月底完成。"
    dates = find_dates(text)
    assert [text[d.start : d.end] for d in dates] == ["6月30日", "6月底"]
    assert [d.comparator for d in dates] == ["<=", None]


def test_dates_are_metrics_of_their_own_kind() -> None:
    ex = _extract("甲县2023年度预算绩效工作情况说明\n一、绩效监控\n"
                  "截至2023年6月底，5月监控项目86个，各单位须在7月10日前报送自评报告。\n")
    dates = [m for m in ex.metrics if m.kind == "date"]
    assert [(m.date, m.unit, m.value, m.surface) for m in dates] == [
        ("2023-06-30", "date", None, "2023年6月底"), ("--07-10", "date", None, "7月10日")]
    assert dates[1].comparator == "<="
    (count,) = [m for m in ex.metrics if m.kind == "count"]
    # the checkpoint month still governs the count; the date does not move it
    assert (count.value, count.qualifiers.get("month")) == (86, 5)
    as_json = dates[0].to_dict()
    assert (as_json["date"], as_json["value"]) == ("2023-06-30", None)


# --------------------------------------------------------------------------- 5. direction

SIGNS: list[tuple[str, list[tuple[str, str | None]]]] = [
    ("执行率同比下降3.2%", [("3.2", "-")]),
    ("公用经费减少120万元", [("120", "-")]),
    ("优良率回落2个百分点", [("2", "-")]),
    ("非税收入负增长1.5%", [("1.5", "-")]),
    ("收入下滑4%，支出降低6%", [("4", "-"), ("6", "-")]),
    ("税收减收800万元", [("800", "-")]),
    ("下降幅度为约3%", [("3", "-")]),
    ("项目数增长12%，资金增加300万元", [("12", "+"), ("300", "+")]),
    ("覆盖率提高5个百分点，增收20万元", [("5", "+"), ("20", "+")]),
    ("增长了8%", [("8", "+")]),
    ("同比增长-1.5%", [("1.5", "-")]),
    ("下降2-3个百分点", [("2", "-"), ("3", "-")]),
    # a level reached, a rate, an ordinary amount: no direction
    ("执行率提高到95%", [("95", None)]),
    ("增长率为6%", [("6", None)]),
    ("共节约资金30万元", [("30", None)]),
    ("核减资金50万元", [("50", None)]),
    ("评分在70-80分之间", [("70", None), ("80", None)]),
]


@pytest.mark.parametrize(("text", "expected"), SIGNS, ids=[c[0][:10] for c in SIGNS])
def test_changes_carry_their_direction(text: str, expected: list[tuple[str, str | None]]) -> None:
    assert [(str(q.value), q.sign) for q in find_quantities(text)] == expected


def test_sign_reaches_the_metric_and_its_json() -> None:
    ex = _extract("甲县2023年度预算绩效工作情况说明\n一、绩效评价\n"
                  "评价项目较上年减少3个，优良率同比下降2.5个百分点。\n")
    signed = {m.surface: m.sign for m in ex.metrics}
    assert signed == {"3个": "-", "2.5个百分点": "-"}
    assert {m.to_dict()["sign"] for m in ex.metrics} == {"-"}
    assert all(m.value > 0 for m in ex.metrics)  # the value stays the magnitude


# --------------------------------------------------------------------------- 6. units

UNITS: list[tuple[str, list[Row]]] = [
    ("新建办公用房1200㎡", [("1200", "平方米")]),
    ("改造校舍3.6万平方米", [("36000", "平方米")]),
    ("硬化道路12.5公里、铺设管网8千米", [("12.5", "公里"), ("8", "公里")]),
    ("修建便道500米", [("500", "米")]),
    ("清运垃圾360吨", [("360", "吨")]),
    ("发放种子2000公斤、化肥3千克", [("2000", "公斤"), ("3", "公斤")]),
    ("惠及脱贫户215户、从业人员48名", [("215", "户"), ("48", "名")]),
    ("印发简报12篇、手册600册", [("12", "篇"), ("600", "册")]),
    ("高标准农田1.2万亩", [("12000", "亩")]),
    ("培训1,250人次", [("1250", "人次")]),
    ("购置设备5套、电脑20台、车辆3辆", [("5", "套"), ("20", "台"), ("3", "辆")]),
    ("新建桥梁2座、路灯150盏、栽植苗木800株", [("2", "座"), ("150", "盏"), ("800", "株")]),
    ("较上年提高1.5个百分点", [("1.5", "百分点")]),
    ("九成以上的项目达到预期", [("9", "成")]),
    ("约三成的单位未按时报送", [("3", "成")]),
    ("完成率提高两成。", [("2", "成")]),
    # 成 as the first character of a word, 一成不变: no figure
    ("取得3成效", []),
    ("新增3成员单位", []),
    ("培养2成熟团队", []),
    ("制度一成不变", []),
    ("已完成立项", []),
    ("座谈会", []),
]


@pytest.mark.parametrize(("text", "expected"), UNITS, ids=[c[0][:10] for c in UNITS])
def test_more_units(text: str, expected: list[Row]) -> None:
    assert [_vu(q) for q in find_quantities(text)] == expected


# --------------------------------------------------------------------------- 7. separators

SEPARATORS: list[tuple[str, list[Row]]] = [
    ("涉及资金2,468万元", [("2468", "万元")]),
    ("涉及资金2，468万元", [("2468", "万元")]),
    ("涉及资金1，234，567.5元", [("123.45675", "万元")]),
    ("资金１２，３４５万元", [("12345", "万元")]),
    # lists: never one number
    ("抽查了1、2、3月的数据", []),
    ("第1、2、3项任务已完成", []),
    ("排名全市第1，12个项目获评优秀", [("12", "个")]),
    ("按3，5个批次下达", [("5", "个")]),
    ("分为12，34两组", []),
]


@pytest.mark.parametrize(("text", "expected"), SEPARATORS, ids=[c[0][:10] for c in SEPARATORS])
def test_thousands_separators_and_lists(text: str, expected: list[Row]) -> None:
    assert [_vu(q) for q in find_quantities(clean_text(text))] == expected


def test_full_width_comma_folded_in_place() -> None:
    assert clean_text("2，468万元、3，5个") == "2,468万元、3，5个"


# --------------------------------------------------------------------------- evaluation


def test_evaluation_compares_dates_as_iso_text() -> None:
    from jixiao.extract.evaluation import GoldFigure, score
    from jixiao.extract.metrics import Metric

    def metric(value: Decimal | None, unit: str, date: str | None = None) -> Metric:
        return Metric(key=None, value=value, unit=unit, kind="date" if date else "count",
                      surface="", start=0, end=0, page=None, section=None, sentence="",
                      date=date)

    found = [metric(Decimal(5), "个"), metric(None, "date", "2024-03-15"),
             metric(None, "date", "--06-30")]
    plain = [GoldFigure(None, "5", "个", "5个", (), False)]
    # a gold file without dates does not score the dates found
    s = score("x", plain, found)
    assert (s.found.tp, s.found.fp, s.found.fn) == (1, 0, 0)
    dated = [*plain, GoldFigure(None, "2024-03-15", "date", "2024年3月15日", (), False)]
    s = score("x", dated, found)
    assert (s.found.tp, s.found.fp, s.found.fn) == (2, 1, 0)
    assert s.found.false_alarms == [("--06-30", "date")]


# --------------------------------------------------------------------------- store


def test_store_keeps_sign_and_date(tmp_path) -> None:
    import sqlalchemy as sa

    from jixiao.store.db import open_store
    from jixiao.store.ingest import ingest

    path = tmp_path / "report.txt"
    path.write_text("乙县2023年度预算绩效工作情况说明\n一、绩效评价\n"
                    "截至2023年末，评价项目较上年减少3个。\n", encoding="utf-8")
    engine = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    summary = ingest([str(path)], engine)
    assert not summary.failed
    with engine.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT unit, value, sign, date FROM metrics ORDER BY start")).all()
    assert [tuple(r) for r in rows] == [("date", None, None, "2023-12-31"), ("个", "3", "-", None)]


# --------------------------------------------------------------------------- the corpus


@pytest.mark.parametrize("report", ["001", "002", "003", "004"])
def test_traditional_rendition_of_the_corpus_gives_the_same_figures(report: str) -> None:
    import opencc

    from jixiao.api import extract_file

    path = corpus_file(report, ".txt")
    original = extract_file(path)
    traditional_text = opencc.OpenCC("s2t").convert(path.read_text(encoding="utf-8"))
    assert traditional_text != path.read_text(encoding="utf-8")
    converted = _extract(traditional_text, path.name)

    # (qualifier values are the document's words since issue 12's second round: 對象 names
    # in traditional characters stay so; the same figures mean the same in either script)
    def facts(ex):
        from jixiao.extract.normalize import to_simplified

        return Counter((m.date or str(m.value), m.unit, m.key,
                        tuple(sorted((k, to_simplified(v) if isinstance(v, str) else v)
                                     for k, v in m.qualifiers.items())))
                       for m in ex.metrics)

    assert facts(converted) == facts(original)
    text = converted.document.text
    assert text != converted.document.plain
    for m in converted.metrics:
        if m.origin == "text":
            assert text[m.start : m.end] == m.surface


def test_tenths_take_no_percent_indicator() -> None:
    ex = _extract("甲县2023年度预算绩效工作情况说明\n一、绩效目标管理\n"
                  "绩效目标覆盖率达九成，编制目标的项目120个。\n")
    (tenths,) = [m for m in ex.metrics if m.unit == "成"]
    assert (tenths.value, tenths.key) == (9, None)


def test_extract_command_shows_a_date_as_its_value(tmp_path) -> None:
    from click.testing import CliRunner

    from jixiao.cli import main

    path = tmp_path / "report.txt"
    path.write_text("丙县2023年度预算绩效工作情况说明\n一、绩效监控\n"
                    "各单位须在7月10日前报送监控表，共监控项目40个。\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(path), "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = [line.split(",") for line in result.output.splitlines()]
    assert any(row[3:5] == ["--07-10", "date"] for row in rows)
    assert any(row[3:5] == ["40", "个"] for row in rows)


# --------------------------------------------------------------------------- 8. real pages
# Ways of writing met on real pages (issue 11, the dev part of corpus/real): every sentence
# is our own; the values are what a reader of the sentence sees.

def _plain_figures(text: str) -> list[Row]:
    return [_vu(q) for q in find_quantities(to_simplified(clean_text(text)))]


REAL_UNITS: list[tuple[str, list[Row]]] = [
    # 万亿 is a trillion 元: 3.8万亿元 = 380000000 万元
    ("全省一般公共預算收入突破3.8萬億元", [("380000000", "万元")]),
    ("全年支出超过12.5万亿的规模", [("1250000000", "万元")]),
    # 兆 in pages from Taiwan is also 万亿: 2兆350.5億元 = 200000000 + 3505000 万元
    ("年度經費約新臺幣2兆350.5億元", [("203505000", "万元")]),
    # budgets counted in 百萬元: 1,234百萬元 = 123400 万元
    ("預算數新臺幣1,234百萬元", [("123400", "万元")]),
    ("补助1.5千万元", [("1500", "万元")]),
    # a mirror site's pinyin inside the unit
    ("覆蓋率提升3.5個(gè)百分點(diǎn)", [("3.5", "百分点")]),
    ("將80歲以上老人納入", [("80", "岁")]),
    ("年满60周岁的居民", [("60", "岁")]),
    ("分两个季度抽查一次", [("2", "季度"), ("1", "次")]),
    ("说明不超过300字", [("300", "字")]),
    ("桥面宽12.5m，引道长2km", [("12.5", "米"), ("2", "公里")]),
    ("验收合格率≥95百分比", [("95", "%")]),
    # a criterion quoted among words keeps its figure; a short slogan does not
    ("共有3项「年度支出进度未达85%」的计划", [("3", "项"), ("85", "%")]),
    # a page that hides the number behind a link: a placeholder of the figure
    ("下达补助资金 点击查看>> 万元。", [(None, "万元")]),
    # not figures: a quarter of the year, words beginning with the unit, a slogan, a
    # village's name, an article of a law, cells of a row glued into one number, bandwidth
    ("一季度收入平稳", []),
    ("岁末年初走访", []),
    ("管径5mm，耗时3min", []),
    ("落实十六字方针", []),
    ("推行“5个一”工作法", []),
    ("走访大坪村、三元村", []),
    ("依照《预算法》五十七条规定", []),
    ("资金总额10001000100%20", []),
    ("接入带宽100兆", []),
]


@pytest.mark.parametrize(("text", "expected"), REAL_UNITS, ids=[c[0][:10] for c in REAL_UNITS])
def test_ways_of_writing_of_real_pages(text: str, expected: list[Row]) -> None:
    assert _plain_figures(text) == expected


def test_hidden_figure_is_a_placeholder_and_pinyin_leaves_no_trace() -> None:
    (q,) = find_quantities(to_simplified(clean_text("下达资金 点击查看>> 万元")))
    assert q.placeholder and q.value is None
    assert clean_text("預(yù)算執(zhí)行率(A)") == "預算執行率(A)"


REAL_DATES: list[tuple[str, list[str]]] = [
    # a range written once shares its month and 日
    ("考评组于3月12-13日到县考评", ["--03-12", "--03-13"]),
    # a range's end takes the parts written at its start (the set's convention changed
    # from ---06 after a second reader: corpus/real/README.md, "A day written alone")
    ("2023年9月4日至6日开展实地核查", ["2023-09-04", "2023-09-06"]),
    # a day written alone, not ending a range, is that day only: nothing guessed
    ("7日上午召开座谈会", ["---07"]),
    # a deadline by the month
    ("须于11月前完成资金支付", ["--11"]),
    # publication furniture: a news agency's dateline, a newspaper's issue line
    ("新华社北京5月8日电（记者）财政部公布", []),
    ("《某某日报》（2023年05月09日04版）", []),
    # not dates: a day of every month, a span of days, 前后 (about)
    ("每月15日前报送", []),
    ("30日内完成整改", []),
    ("8月前后完成", []),
    ("5月8日电视台报道", ["--05-08"]),
]


@pytest.mark.parametrize(("text", "expected"), REAL_DATES, ids=[c[0][:10] for c in REAL_DATES])
def test_dates_of_real_pages(text: str, expected: list[str]) -> None:
    assert [d.iso for d in find_dates(text)] == expected


def test_month_deadline_and_day_after_a_range_are_dates_not_durations() -> None:
    (deadline,) = find_dates("须于11月前完成资金支付")
    assert deadline.comparator == "<="
    ex = _extract("丁县2023年度项目绩效自评报告\n一、自评工作\n"
                  "于2023年9月4日至6日对项目开展核查，考评组一行5人参加。\n")
    found = sorted((m.date or str(m.value), m.unit) for m in ex.metrics)
    # (the range's end takes the year and month of its start: convention changed, see above)
    assert found == [("2023-09-04", "date"), ("2023-09-06", "date"), ("5", "人")]
