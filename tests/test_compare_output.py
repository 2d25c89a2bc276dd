"""``jixiao compare`` output: XLSX, CSV, JSON Lines and the HTML page with SVG charts.

A store is built from small fictional reports (three counties, two of them in two years,
one with an outlying figure) and, where ../shared/corpus is present, from the four corpus
reports.
"""

from __future__ import annotations

import csv
import json
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from jixiao.cli import main
from jixiao.store.charts import (
    Bar,
    Series,
    bar_chart,
    format_number,
    line_chart,
    nice_ticks,
    render_compare_html,
    spread,
    text_width,
)
from jixiao.store.compare import Column, CompareRow, CompareTable, compare
from jixiao.store.compare_out import number_format, write_compare

from .conftest import corpus_file

SVG = "{http://www.w3.org/2000/svg}"


def _report(county: str, year: int, lines: list[str]) -> str:
    body = "\n".join(f"（{'一二三四'[i]}）{line}" for i, line in enumerate(lines))
    return (f"{county}{year}年预算绩效管理工作情况说明\n\n"
            f"{year}年，{county}财政局推进预算绩效管理，现将有关情况说明如下：\n\n"
            f"一、工作开展情况\n{body}\n\n"
            "二、存在的问题\n绩效管理专职人员偏少。\n\n"
            "三、下一步工作打算\n扩大重点评价范围。\n\n"
            f"                              {county}财政局\n"
            f"                              {year + 1}年1月20日\n")


REPORTS = {
    "qx2023": _report("青溪县", 2023, [
        "绩效目标管理。全县共为298个项目设定绩效目标，涉及资金3.90亿元。",
        "事前绩效评估。全年评估项目11个，涉及资金4210万元。",
        "绩效评价。选取4个重点项目开展重点评价，涉及资金8600万元。",
        "结果应用。根据评价结果核减预算资金260万元。"]),
    "qx2024": _report("青溪县", 2024, [
        "绩效目标管理。全县共为312个项目设定绩效目标，涉及资金4.25亿元。",
        "事前绩效评估。全年评估项目15个，涉及资金5030万元。",
        "绩效评价。委托第三方机构对6个重点项目开展重点评价，涉及资金1.12亿元。",
        "结果应用。对评价结果较差的项目核减预算资金318万元。"]),
    "bl2023": _report("白岭县", 2023, [
        "绩效目标管理。全县共为305个项目设定绩效目标，涉及资金3.52亿元。",
        "事前绩效评估。全年评估项目9个，涉及资金2870万元。",
        "绩效评价。选取3个重点项目开展重点评价，涉及资金5400万元。"]),
    "bl2024": _report("白岭县", 2024, [
        "绩效目标管理。全县共为320个项目设定绩效目标，涉及资金3.76亿元。",
        "事前绩效评估。全年评估项目13个，涉及资金3350万元。",
        "绩效评价。组织对5个重点项目开展重点评价，涉及资金7200万元。",
        "结果应用。依据评价结果核减预算资金195.5万元。"]),
    # Ten times the others' projects: an outlier. No 核减 figure: absent from that chart.
    "sm2024": _report("石门县", 2024, [
        "绩效目标管理。全县共为2980个项目设定绩效目标，涉及资金3.98亿元。",
        "事前绩效评估。全年评估项目14个，涉及资金4480万元。",
        "绩效评价。选取5个重点项目开展重点评价，涉及资金9100万元。"]),
}
PROJECTS = "target.projects"
AMOUNT = "target.project_amount"
CUT = "application.cut_amount"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from jixiao.store.db import open_store
    from jixiao.store.ingest import ingest

    folder = tmp_path_factory.mktemp("compare")
    paths = []
    for name, text in REPORTS.items():
        path = folder / f"{name}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    path = folder / "s.db"
    summary = ingest(paths, open_store(str(path)))
    assert not summary.failed, summary.failed
    return path


@pytest.fixture(scope="module")
def table(db: Path) -> CompareTable:
    from jixiao.store.db import open_store

    return compare(open_store(str(db)))


@pytest.fixture(scope="module")
def page(table: CompareTable) -> str:
    return render_compare_html(table)


def _row(table: CompareTable, county: str, year: int) -> CompareRow:
    return next(r for r in table.rows if r.county == county and r.year == year)


def _column(table: CompareTable, cid: str) -> Column:
    return next(c for c in table.columns if c.id == cid)


def _svgs(html: str) -> list[ET.Element]:
    return [ET.fromstring(m) for m in re.findall(r"<svg\b.*?</svg>", html, flags=re.S)]


def _svg_title(svg: ET.Element) -> str:
    title = svg.find(f"{SVG}title")
    assert title is not None
    return title.text or ""


def _texts(svg: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in svg.iter(f"{SVG}text")]


def test_fixture_store_has_what_the_tests_rely_on(table: CompareTable) -> None:
    assert [(r.county, r.year) for r in table.rows] == [
        ("白岭县", 2023), ("白岭县", 2024), ("石门县", 2024), ("青溪县", 2023), ("青溪县", 2024)]
    assert _row(table, "青溪县", 2024).values[PROJECTS] == 312
    assert _row(table, "青溪县", 2024).values[AMOUNT] == 42500
    assert _row(table, "石门县", 2024).outliers == {PROJECTS}
    assert _row(table, "石门县", 2024).values[CUT] is None
    assert _row(table, "白岭县", 2024).values[CUT] == Decimal("195.5")


# --------------------------------------------------------------------------- XLSX


def test_xlsx_frozen_header_numbers_and_marks(table: CompareTable, tmp_path: Path) -> None:
    out = tmp_path / "out" / "c.xlsx"
    write_compare(table, "xlsx", out)
    ws = load_workbook(out).active
    assert ws.freeze_panes == "A2"
    header = [c.value for c in ws[1]]
    assert header[:3] == ["县区", "报告年度", "数据年度"]
    assert "设定绩效目标的项目数（个）" in header
    assert "项目绩效目标涉及资金（万元）" in header
    assert all(c.font.bold for c in ws[1])
    assert ws.max_row == 1 + len(table.rows)
    col = {name: i + 1 for i, name in enumerate(header)}
    rows = {(ws.cell(r, 1).value, ws.cell(r, 2).value): r for r in range(2, ws.max_row + 1)}

    projects = ws.cell(rows["青溪县", 2024], col["设定绩效目标的项目数（个）"])
    assert isinstance(projects.value, int | float) and projects.value == 312
    assert projects.data_type == "n"
    assert projects.number_format == "#,##0"
    amount = ws.cell(rows["青溪县", 2024], col["项目绩效目标涉及资金（万元）"])
    assert amount.value == 42500 and amount.data_type == "n"
    assert amount.number_format != "General"
    cut_header = next(h for h in header if h.startswith(_column(table, CUT).label))
    cut = ws.cell(rows["白岭县", 2024], col[cut_header])
    assert cut.value == pytest.approx(195.5) and cut.number_format == "#,##0.0"
    assert ws.cell(rows["石门县", 2024], col[cut_header]).value is None  # missing stays empty

    outlier = ws.cell(rows["石门县", 2024], col["设定绩效目标的项目数（个）"])
    assert outlier.value == 2980
    assert outlier.fill.fill_type == "solid"
    assert outlier.comment is not None and "偏离" in outlier.comment.text
    assert projects.fill.fill_type is None and projects.comment is None


def test_number_format_follows_the_most_precise_value() -> None:
    assert number_format([Decimal(3), Decimal(40)]) == "#,##0"
    assert number_format([Decimal("66.7"), None, Decimal(60)]) == "#,##0.0"
    assert number_format([Decimal("1.23456")]) == "#,##0.0000"
    assert number_format([None, None]) == "#,##0"


# --------------------------------------------------------------------------- CSV, JSON


def test_csv_one_row_per_county_year(table: CompareTable, tmp_path: Path) -> None:
    out = tmp_path / "c.csv"
    write_compare(table, "csv", out)
    # a BOM first, so Excel on Chinese Windows reads the file as UTF-8 (not GBK)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["县区", "报告年度", "数据年度"]
    assert "设定绩效目标的项目数（个）" in header
    assert len(body) == len(table.rows)
    assert len({(r[0], r[1]) for r in body}) == len(body)
    assert all(len(r) == len(header) for r in body)
    qx = next(r for r in body if r[:2] == ["青溪县", "2024"])
    assert qx[header.index("设定绩效目标的项目数（个）")] == "312"
    sm = next(r for r in body if r[0] == "石门县")
    assert sm[header.index(next(h for h in header if h.startswith("核减")))] == ""


def test_json_lines_parse(table: CompareTable, tmp_path: Path) -> None:
    out = tmp_path / "c.jsonl"
    write_compare(table, "json", out)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == len(table.rows)
    qx = next(r for r in records if r["county"] == "青溪县" and r["year"] == 2024)
    assert qx[PROJECTS] == 312 and qx["data_year"] == "2024"
    sm = next(r for r in records if r["county"] == "石门县")
    assert sm["outliers"] == [PROJECTS] and sm[CUT] is None


# --------------------------------------------------------------------------- HTML page


def test_html_is_self_contained(page: str) -> None:
    urls = set(re.findall(r"https?://[^\s\"'<>)]+", page))
    assert urls <= {"http://www.w3.org/2000/svg"}  # the SVG namespace name, never fetched
    lowered = page.lower()
    for fetching in ("<script", "<link", "<img", "<iframe", "@import", "url(", "src=", "href="):
        assert fetching not in lowered, fetching
    assert page.startswith("<!doctype html>") and '<meta charset="utf-8">' in page


def test_html_table_labels_years_and_outliers(page: str, table: CompareTable) -> None:
    assert "预算绩效管理县区年度比较" in page
    for c in table.columns:
        assert c.label in page
    assert "设定绩效目标的项目数" in page and "（万元）" in page
    assert re.search(r"<th>报告年度</th>\s*<th>数据年度</th>", page)
    for county in ("青溪县", "白岭县", "石门县"):
        assert county in page
    marked = re.findall(r'<td class="num outlier"[^>]*>([^<]*)<span class="mark">※</span></td>',
                        page)
    assert marked == ["2,980"]
    assert 'class="bar outlier"' in page


def test_html_one_svg_per_chart(page: str, table: CompareTable) -> None:
    svgs = _svgs(page)  # each parses as XML
    with_values = [c for c in table.columns if any(r.values.get(c.id) is not None
                                                   for r in table.rows)]
    bars = [s for s in svgs if s.find(f"{SVG}rect") is not None]
    trends = [s for s in svgs if s.find(f"{SVG}circle") is not None]
    assert len(bars) == len(with_values)
    assert len(bars) + len(trends) == len(svgs)
    # Every column with values here is given by both counties in both years: a trend each.
    assert len(trends) == len(with_values)
    titles = [_svg_title(s) for s in svgs]
    for c in with_values:
        assert titles.count(f"{c.label}（{c.unit}）") == 2
    empty = [c for c in table.columns if c not in with_values]
    assert empty and all(f"{c.label}（{c.unit}）" not in titles for c in empty)
    assert "未作图" in page


def _chart(page: str, title: str, kind: str) -> ET.Element:
    return next(s for s in _svgs(page) if _svg_title(s) == title
                and s.find(f"{SVG}{kind}") is not None)


def test_bar_chart_latest_year_per_county_and_missing_absent(page: str) -> None:
    projects = _chart(page, "设定绩效目标的项目数（个）", "rect")
    texts = _texts(projects)
    assert {"青溪县 2024", "白岭县 2024", "石门县 2024"} <= set(texts)
    assert "312" in texts and "298" not in texts  # 青溪县's latest year, not 2023
    assert "2,980※" in texts
    rects = list(projects.iter(f"{SVG}rect"))
    assert len(rects) == 3
    widths = {r.findtext(f"{SVG}title"): float(r.get("width", 0)) for r in rects}
    assert widths["石门县 2024：2,980※（明显偏离其他县区的值（稳健 z 分数大于 3.5））"] > 5 * max(
        w for t, w in widths.items() if not t.startswith("石门县"))

    cut = _chart(page, "核减调减资金（万元）", "rect")
    labels = [t for t in _texts(cut) if "县" in t]
    assert sorted(labels) == ["白岭县 2024", "青溪县 2024"]  # 石门县 gives no figure
    assert len(list(cut.iter(f"{SVG}rect"))) == 2


def test_trend_chart_only_counties_with_two_years(page: str) -> None:
    trend = _chart(page, "设定绩效目标的项目数（个）", "circle")
    texts = _texts(trend)
    assert "青溪县" in texts and "白岭县" in texts
    assert not any("石门县" in t for t in texts)
    assert {"2023", "2024", "298", "312", "305", "320"} <= set(texts)
    assert len(list(trend.iter(f"{SVG}circle"))) == 4
    cut = _chart(page, "核减调减资金（万元）", "circle")
    assert [t for t in _texts(cut) if "县" in t] == ["青溪县"]  # 白岭县 has 2024 only


def test_html_escapes_labels() -> None:
    col = Column("x", "<b>项目</b>&", "个", key="x")
    rows = [CompareRow(1, "<i>县</i>", 2023, "2023", {"x": Decimal(1)}),
            CompareRow(2, "<i>县</i>", 2024, "2024", {"x": Decimal(2)})]
    html = render_compare_html(CompareTable([col], rows))
    assert "<b>" not in html and "<i>" not in html
    assert "&lt;b&gt;项目&lt;/b&gt;&amp;" in html
    assert len(_svgs(html)) == 2


def test_html_for_an_empty_comparison() -> None:
    html = render_compare_html(CompareTable([Column("x", "项目数", "个", key="x")], []))
    assert "<svg" not in html and "共 0 份报告" in html


def test_html_for_the_corpus(tmp_path: Path) -> None:
    from jixiao.store.db import open_store
    from jixiao.store.ingest import ingest

    files = [str(corpus_file(n, ".docx")) for n in ("001", "002", "003", "004")]
    engine = open_store(str(tmp_path / "s.db"))
    assert not ingest(files, engine).failed
    table = compare(engine)
    html = render_compare_html(table)
    svgs = _svgs(html)
    assert len(svgs) >= 5
    for county in {r.county for r in table.rows if r.county}:
        assert county in html
    assert "项目绩效目标涉及资金（万元）" in [_svg_title(s) for s in svgs]
    write_compare(table, "xlsx", tmp_path / "c.xlsx")
    assert load_workbook(tmp_path / "c.xlsx").active.freeze_panes == "A2"


# --------------------------------------------------------------------------- chart pieces


def test_text_width_counts_cjk_as_one_em() -> None:
    assert text_width("青溪县", 12) == 36
    assert text_width("2024", 10) == pytest.approx(24)
    assert text_width("（％）", 10) == 30


def test_format_number() -> None:
    assert format_number(Decimal("213000")) == "213,000"
    assert format_number(Decimal("60270.850")) == "60,270.85"
    assert format_number(Decimal("0.10")) == "0.1"
    assert format_number(Decimal("-1234.5")) == "-1,234.5"


@pytest.mark.parametrize(("lo", "hi", "integer"), [
    (0, 312, False), (0, 2, True), (0, Decimal("1.9"), False), (298, 320, True),
    (0, 213000, False), (-40, 75, False), (5, 5, False), (0, 0, True)])
def test_nice_ticks(lo, hi, integer) -> None:
    ticks = nice_ticks(Decimal(lo), Decimal(hi), 4, integer=integer)
    assert ticks[0] <= lo and ticks[-1] >= hi and ticks[0] < ticks[-1]
    steps = {b - a for a, b in pairwise(ticks)}
    assert len(steps) == 1
    step = steps.pop()
    assert step.normalize().as_tuple().digits[0] in (1, 2, 5)  # 1, 2, 2.5 or 5 × 10ⁿ
    assert 2 <= len(ticks) <= 9
    if integer:
        assert all(t == t.to_integral_value() for t in ticks)
    assert all("E" not in format_number(t) for t in ticks)


def test_nice_ticks_centre_a_single_value() -> None:
    assert nice_ticks(Decimal(1), Decimal(1), 4, integer=True) == [0, 1, 2]
    assert nice_ticks(Decimal(0), Decimal(0), 4, integer=True) == [0, 1]
    ticks = nice_ticks(Decimal("66.7"), Decimal("66.7"), 4)
    assert ticks[0] < Decimal("66.7") < ticks[-1]


def test_spread_keeps_gap_order_and_bounds() -> None:
    assert spread([10, 50, 90], 12, 0, 100) == [10, 50, 90]
    placed = spread([50, 51, 49], 12, 0, 100)
    ordered = sorted(placed)
    assert all(b - a >= 12 - 1e-9 for a, b in pairwise(ordered))
    assert placed[2] < placed[0] < placed[1]  # 49 stays above 50 stays above 51
    assert spread([99, 100], 12, 0, 100) == [88, 100]  # pushed back inside
    assert spread([], 12, 0, 100) == []


def test_bar_chart_geometry() -> None:
    svg = ET.fromstring(bar_chart("测试（个）", [Bar("甲县", Decimal(100), note="2024"),
                                                Bar("乙县", Decimal(50), outlier=True),
                                                Bar("很长很长很长很长很长很长的县区名称", Decimal(0))]))
    rects = list(svg.iter(f"{SVG}rect"))
    widths = [float(r.get("width", 0)) for r in rects]
    assert widths[0] == pytest.approx(2 * widths[1], rel=0.01)
    assert widths[2] <= 1.0  # zero: a hairline
    assert rects[1].get("fill") != rects[0].get("fill")
    texts = _texts(svg)
    assert "甲县 2024" in texts and "50※" in texts
    long = next(t for t in texts if t.startswith("很长"))
    assert long.endswith("…") and text_width(long, 13) <= 200
    view = [float(v) for v in svg.get("viewBox", "").split()]
    for t in svg.iter(f"{SVG}text"):  # nothing drawn left of the frame
        assert float(t.get("x", 0)) >= 0 and float(t.get("x", 0)) <= view[2]


def test_line_chart_dashes_over_missing_years_and_labels_points() -> None:
    svg = ET.fromstring(line_chart("趋势（万元）", [
        Series("甲县", ((2021, Decimal(10)), (2023, Decimal(30)), (2024, Decimal(35)))),
        Series("乙县", ((2023, Decimal(20)), (2024, Decimal(25))), "#f28e2b")]))
    segments = [ln for ln in svg.iter(f"{SVG}line") if ln.get("stroke-width") == "2.5"]
    assert len(segments) == 3
    assert [s.get("stroke-dasharray") for s in segments] == ["5 4", None, None]
    assert len(list(svg.iter(f"{SVG}circle"))) == 5
    values = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "value"]
    assert sorted(values) == sorted(["10", "30", "35", "20", "25"])
    assert {"2021", "2022", "2023", "2024", "甲县", "乙县"} <= set(_texts(svg))


# --------------------------------------------------------------------------- CLI


def test_cli_compare_html(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.html"
    result = CliRunner().invoke(main, ["compare", "--db", str(db), "--format", "html",
                                       "-o", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "<svg" in html and "青溪县" in html


def test_cli_compare_xlsx_needs_output(db: Path) -> None:
    result = CliRunner().invoke(main, ["compare", "--db", str(db), "--format", "xlsx"])
    assert result.exit_code == 2
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1
    assert lines[0].startswith("错误：") and "xlsx" in lines[0] and "--output" in lines[0]
    assert "Traceback" not in result.output
