"""Readers for what bureaus publish besides .docx/.pdf/.txt: saved web pages, binary Word
and WPS documents (through LibreOffice), spreadsheets, and tables typed as text.

Every input is made here, in words of our own; the expected values are what we wrote.
"""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from jixiao.api import collect_paths, document_text, extract_document, read_document
from jixiao.cli import main

from .conftest import require

TITLE = "青禾县2024年度预算绩效管理工作情况说明"
INTRO = "2024年，县财政局围绕全面实施预算绩效管理，推进目标、监控、评价和结果应用各环节工作。"
TARGETS = "全县共编制项目绩效目标120个，涉及资金3.5亿元。"
AFTER = "评价结果已反馈各部门，督促整改问题15个。"

PAGE = f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=@CHARSET@">
<title>{TITLE}_青禾县人民政府</title>
<script>document.write("脚本里的文字不应读出");</script>
<style>.nav{{color:red}}</style></head>
<body>
<div class="header"><a href="/">首页</a> <a href="/zwgk">政务公开</a> <a href="/hd">互动交流</a></div>
<div class="main-nav"><ul><li><a href="/a">机构概况</a></li><li><a href="/b">政策文件</a></li></ul></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; 财政预决算</div>
<div class="container"><div class="left"><div class="article">
<h1>{TITLE}</h1>
<div class="info">发布时间：2025-03-01 来源：县财政局 【字体：<a>大</a> <a>中</a> <a>小</a>】</div>
<div id="zoom">
<p>{INTRO}</p>
<p>一、绩效目标管理</p>
<p>{TARGETS}</p>
<p>重点评价项目情况表</p>
<table border="1">
<tr><td rowspan="2">项目名称</td><td colspan="2">预算金额（万元）</td><td rowspan="2">执行率</td></tr>
<tr><td>年初</td><td>调整后</td></tr>
<tr><td>农村道路养护</td><td>150</td><td>160</td><td>98.5%</td></tr>
<tr><td>校舍维修改造</td><td>80</td><td>80</td><td>100%</td></tr>
</table>
<p>二、评价结果应用</p>
<p>{AFTER}</p>
<p style="text-align:right">青禾县财政局</p>
<p style="text-align:right">2025年2月20日</p>
</div>
<p>附件：<a href="/upload/2025/P020250301.docx">1.重点评价报告.docx</a>
<a href="/upload/2025/qingdan.xls">2.项目清单</a></p>
<div class="bdshare_t">分享到：<a>微信</a> <a>微博</a></div>
<p>【打印本页】【关闭窗口】</p>
</div></div>
<div class="right"><h3>相关链接</h3><ul><li><a href="/x">青禾县2023年度情况说明</a></li></ul></div></div>
<div class="footer"><p>主办单位：青禾县人民政府办公室 版权所有</p><p>网站标识码0000000001</p></div>
</body></html>
"""


def _page(charset: str) -> str:
    return PAGE.replace("@CHARSET@", charset)


FURNITURE = ["脚本", "首页", "政务公开", "机构概况", "当前位置", "字体", "分享到", "打印本页",
             "关闭窗口", "相关链接", "版权所有", "网站标识码", "发布时间"]


def _run(*args: str, env: dict[str, str] | None = None):
    result = CliRunner().invoke(main, list(args), env=env)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def _one_error_line(result, path: Path, reason: str) -> None:
    assert result.exit_code == 2, result.output
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, lines
    assert str(path) in lines[0] and reason in lines[0], lines[0]


def _need_soffice() -> str:
    """LibreOffice, or a skip; a failure when the environment says it must be there."""
    from jixiao.extract.readers.office import soffice_path

    exe = soffice_path()
    if exe is None:
        require("soffice", "LibreOffice (soffice) is not installed")
    return exe


def _soffice_convert(src: Path, target: str, tmp: Path) -> Path:
    exe = _need_soffice()
    out = tmp / "converted"
    subprocess.run([exe, "--headless", "--norestore",
                    f"-env:UserInstallation={(tmp / 'lo-profile').as_uri()}",
                    "--convert-to", target, "--outdir", str(out), str(src)],
                   check=True, capture_output=True, timeout=180)
    result = out / f"{src.stem}.{target.split(':')[0]}"
    assert result.is_file()
    return result


# --------------------------------------------------------------------------- web pages


def test_saved_page_reads_the_article_without_the_page_around_it(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(_page("utf-8"), encoding="utf-8")
    doc = read_document(page)
    assert doc.format == "html"
    assert doc.title == TITLE
    for text in (INTRO, "一、绩效目标管理", TARGETS, "二、评价结果应用", AFTER):
        assert text in doc.paragraph_texts()
    for word in FURNITURE:
        assert word not in doc.text, word
    # the table, its two-level header joined, stands between its caption and the next part
    (table,) = doc.tables
    assert table.header == ["项目名称", "预算金额（万元）年初", "预算金额（万元）调整后", "执行率"]
    assert table.rows == [["农村道路养护", "150", "160", "98.5%"], ["校舍维修改造", "80", "80", "100%"]]
    assert table.caption == "重点评价项目情况表"
    lines = document_text(doc).splitlines()
    at = lines.index("项目名称\t预算金额（万元）年初\t预算金额（万元）调整后\t执行率")
    assert lines[at - 1] == "重点评价项目情况表"
    assert lines[at + 1 : at + 4] == ["农村道路养护\t150\t160\t98.5%", "校舍维修改造\t80\t80\t100%",
                                      "二、评价结果应用"]
    # the attachments, with the names the page gives them
    assert "附件：1.重点评价报告.docx（/upload/2025/P020250301.docx）" in doc.notes
    assert "附件：2.项目清单（/upload/2025/qingdan.xls）" in doc.notes
    # the signature lines are the issuer and the date
    assert doc.issuer == "青禾县财政局"
    # figures of the text and of the table
    metrics = extract_document(doc).metrics
    assert any(m.value == Decimal(120) and m.unit == "个" for m in metrics)
    rates = sorted(m.value for m in metrics if m.origin == "table" and m.unit == "%")
    assert rates == [Decimal("98.5"), Decimal(100)]


def test_gbk_page_is_decoded_from_its_declared_charset(tmp_path: Path) -> None:
    page = tmp_path / "gbk.htm"
    page.write_bytes(_page("gb2312").encode("gbk"))
    doc = read_document(page)
    assert TARGETS in doc.paragraph_texts()
    assert doc.title == TITLE
    assert "网页编码：gb18030" in doc.notes


def test_gbk_page_without_a_declaration_is_detected(tmp_path: Path) -> None:
    page = tmp_path / "nodecl.html"
    text = _page("x").replace('<meta http-equiv="Content-Type" '
                                            'content="text/html; charset=x">', "")
    page.write_bytes(text.encode("gb18030"))
    doc = read_document(page)
    assert INTRO in doc.paragraph_texts()


@pytest.mark.parametrize("html", [
    "<html><head><title>青禾县人民政府</title></head></html>",
    '<html><body><div class="nav"><a href="/">首页</a><a href="/b">政策文件</a></div>'
    '<div class="footer">版权所有</div></body></html>',
])
def test_page_without_a_body_is_refused_in_one_line(tmp_path: Path, html: str) -> None:
    page = tmp_path / "empty.html"
    page.write_text(html, encoding="utf-8")
    _one_error_line(_run("read", str(page)), page, "网页中没有正文")


# --------------------------------------------------------------------------- .doc / .wps


def _write_docx(path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_paragraph(TITLE, style="Title")
    d.add_paragraph(INTRO)
    d.add_paragraph("一、绩效目标管理", style="Heading 1")
    d.add_paragraph(TARGETS)
    d.add_paragraph("重点评价项目情况表", style="Caption")
    table = d.add_table(rows=3, cols=3)
    for r, row in enumerate([["项目名称", "预算金额（万元）", "执行率"],
                             ["农村道路养护", "150", "98.5%"], ["校舍维修改造", "80", "100%"]]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    d.add_paragraph(AFTER)
    d.save(str(path))


def test_doc_made_by_libreoffice_reads_as_the_docx_it_came_from(tmp_path: Path) -> None:
    source = tmp_path / "report.docx"
    _write_docx(source)
    doc_file = _soffice_convert(source, "doc", tmp_path)
    assert doc_file.read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    from_docx = read_document(source)
    from_doc = read_document(doc_file)
    assert from_doc.format == "doc"
    assert document_text(from_doc) == document_text(from_docx)
    assert [(t.header, t.rows, t.caption) for t in from_doc.tables] == \
        [(["项目名称", "预算金额（万元）", "执行率"],
          [["农村道路养护", "150", "98.5%"], ["校舍维修改造", "80", "100%"]], "重点评价项目情况表")]
    assert any("LibreOffice" in n for n in from_doc.notes)
    # a WPS document in the Word binary format (what WPS writes as .wps) reads the same
    wps = tmp_path / "report.wps"
    shutil.copy(doc_file, wps)
    assert document_text(read_document(wps)) == document_text(from_docx)


def test_doc_that_is_not_a_word_document_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "fake.doc"
    fake.write_bytes("这不是一份 Word 文档，只是改了扩展名的文字。".encode() * 20)
    _one_error_line(_run("read", str(fake)), fake, "不是有效的 .doc 文件")
    other = tmp_path / "sheet.doc"  # an OLE header without a Word body
    other.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024)
    _one_error_line(_run("read", str(other)), other, ".doc")


def test_doc_without_libreoffice_says_what_to_install(tmp_path: Path, monkeypatch) -> None:
    from jixiao.extract.readers import office

    source = tmp_path / "report.docx"
    _write_docx(source)
    doc_file = _soffice_convert(source, "doc", tmp_path)  # a real .doc, made while we can
    monkeypatch.setattr(office, "soffice_path", lambda: None)
    result = _run("read", str(doc_file))
    _one_error_line(result, doc_file, "LibreOffice")
    assert "安装" in result.stderr


# --------------------------------------------------------------------------- spreadsheets


def _write_workbook(path: Path, *, unit_header: str = "预算金额") -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "重点评价"
    ws.append(["青禾县2024年重点评价项目情况表"])
    ws.merge_cells("A1:D1")
    ws.append(["单位：万元"])
    ws.merge_cells("A2:D2")
    ws.append(["项目名称", unit_header, None, "执行率"])
    ws.append([None, "年初", "调整后", None])
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:C3")
    ws.merge_cells("D3:D4")
    ws.append(["农村道路养护", 150, 160, 0.985])
    ws.append(["校舍维修改造", 80, 80, 1])
    for row in (5, 6):
        ws.cell(row, 4).number_format = "0.0%"
    second = wb.create_sheet("说明")
    second.append(["本表由县财政局绩效股根据各部门报送的重点评价结果汇总。"])
    wb.save(str(path))


def test_xlsx_every_sheet_merged_cells_filled_unit_applied(tmp_path: Path) -> None:
    book = tmp_path / "评价.xlsx"
    _write_workbook(book)
    doc = read_document(book)
    (table,) = doc.tables
    assert table.caption == "青禾县2024年重点评价项目情况表"
    assert table.unit == "万元"
    assert table.header == ["项目名称", "预算金额年初", "预算金额调整后", "执行率"]
    assert table.rows == [["农村道路养护", "150", "160", "98.5%"], ["校舍维修改造", "80", "80", "100.0%"]]
    assert "本表由县财政局绩效股根据各部门报送的重点评价结果汇总。" in doc.paragraph_texts()
    budgets = sorted((m.value, m.unit) for m in extract_document(doc).metrics
                     if m.origin == "table" and m.kind == "money")
    assert budgets == [(Decimal(80), "万元"), (Decimal(80), "万元"), (Decimal(150), "万元"),
                       (Decimal(160), "万元")]


def test_xlsx_header_in_yuan_gives_the_unit_of_bare_cells(tmp_path: Path) -> None:
    import openpyxl

    book = tmp_path / "元.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["项目名称", "预算金额（元）", "执行率"])
    ws.append(["农村道路养护项目", 1500000, "98.5%"])
    ws.append(["校舍维修改造项目", 800000, "100%"])
    wb.save(str(book))
    doc = read_document(book)
    money = sorted(m.value for m in extract_document(doc).metrics if m.kind == "money")
    assert money == [Decimal(80), Decimal(150)]  # 800000元 and 1500000元 in 万元


def test_xls_reads_like_the_xlsx(tmp_path: Path) -> None:
    book = tmp_path / "评价.xlsx"
    _write_workbook(book)
    xls = _soffice_convert(book, "xls", tmp_path)
    from_xls, from_xlsx = read_document(xls), read_document(book)
    assert from_xls.format == "xls"
    assert [(t.header, t.rows, t.unit) for t in from_xls.tables] == \
        [(t.header, t.rows, t.unit) for t in from_xlsx.tables]


def test_password_protected_workbook_is_refused(tmp_path: Path) -> None:
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = tmp_path / "plain.xlsx"
    _write_workbook(plain)
    locked = tmp_path / "locked.xlsx"
    with plain.open("rb") as src, locked.open("wb") as out:
        OOXMLFile(src).encrypt("青禾2024", out)
    assert locked.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"
    _one_error_line(_run("read", str(locked)), locked, "加密")


def test_fifty_megabyte_spreadsheet_is_refused_before_parsing(tmp_path: Path) -> None:
    big = tmp_path / "big.xlsx"
    with big.open("wb") as fh:  # a sparse file: 50 MB on paper, nothing to parse
        fh.write(b"PK\x03\x04")
        fh.truncate(50 * 1024 * 1024)
    result = _run("read", str(big))
    _one_error_line(result, big, "电子表格过大")
    assert "--limit sheet=" in result.stderr
    # raised, the limit lets the file through to the reader, which finds it damaged
    raised = _run("read", str(big), "--limit", "sheet=100")
    assert raised.exit_code == 2 and "电子表格过大" not in raised.stderr
    assert _run("read", str(big), env={"JIXIAO_LIMITS": "sheet=100"}).stderr == raised.stderr


def test_workbook_with_too_many_cells_is_refused(tmp_path: Path) -> None:
    book = tmp_path / "评价.xlsx"
    _write_workbook(book)
    _one_error_line(_run("read", str(book), "--limit", "cells=10"), book, "单元格过多")


def test_not_a_workbook_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "fake.xls"
    fake.write_text("项目名称,金额\n道路,150\n", encoding="utf-8")
    _one_error_line(_run("read", str(fake)), fake, "不是有效的 .xls 文件")


# --------------------------------------------------------------------------- text tables

TEXT_TABLES = f"""{TITLE}
一、重点评价
{INTRO}
重点评价项目情况表（单位：万元）
| 项目名称 | 预算金额 | 执行率 |
|---|---:|---:|
| 农村道路养护 | 150 | 98.5% |
| 校舍维修改造 | 80 | 100% |
以上项目评价结果均为优。
项目名称\t执行金额（元）\t评价得分
农村饮水工程\t600000\t95
乡村公路\t400000\t91
二、下一步工作
项目名称      预算金额      执行率
文化活动中心    60    97.5%
农田水利设施    45    9751000%
体育健身场地    30    96.0%
{AFTER}
"""


def test_text_tables_with_pipes_tabs_and_space_runs(tmp_path: Path) -> None:
    path = tmp_path / "tables.txt"
    path.write_text(TEXT_TABLES, encoding="utf-8")
    doc = read_document(path)
    pipes, tabs, spaces = doc.tables
    assert pipes.header == ["项目名称", "预算金额", "执行率"]
    assert pipes.rows == [["农村道路养护", "150", "98.5%"], ["校舍维修改造", "80", "100%"]]
    assert pipes.caption == "重点评价项目情况表（单位：万元）" and pipes.unit == "万元"
    assert tabs.header == ["项目名称", "执行金额（元）", "评价得分"]
    assert tabs.rows == [["农村饮水工程", "600000", "95"], ["乡村公路", "400000", "91"]]
    assert spaces.rows[1] == ["农田水利设施", "45", "9751000%"]
    # the rows are not left in the text as paragraphs; the text around them is
    assert "农村道路养护" not in doc.text and "乡村公路" not in doc.text
    assert "以上项目评价结果均为优。" in doc.paragraph_texts()
    assert AFTER in doc.paragraph_texts()
    metrics = [m for m in extract_document(doc).metrics if m.origin == "table"]
    money = sorted((m.value, m.unit) for m in metrics if m.kind == "money")
    # 万元 from the caption, 元 from the header (600000元 = 60万元), bare cells in 万元
    assert money == [(Decimal(30), "万元"), (Decimal(40), "万元"), (Decimal(45), "万元"),
                     (Decimal(60), "万元"), (Decimal(60), "万元"), (Decimal(80), "万元"),
                     (Decimal(150), "万元")]
    rates = sorted(m.value for m in metrics if m.unit == "%")
    # "97.5%" and "100%" of two rows glued into one cell give no absurd 9751000%
    assert rates == [Decimal("96.0"), Decimal("97.5"), Decimal("98.5"), Decimal(100)]
    assert sorted(m.value for m in metrics if m.kind == "score") == [Decimal(91), Decimal(95)]


def test_prose_with_spaces_or_tabs_is_not_a_table(tmp_path: Path) -> None:
    path = tmp_path / "prose.txt"
    path.write_text(f"{TITLE}\n一、  工作开展情况\n二、  存在问题\n{INTRO}\n"
                    f"（一）目标管理\t{TARGETS}\n（二）评价\t共评价项目35个，涉及资金8000万元。\n"
                    "项目    金额\n道路    150\n", encoding="utf-8")
    doc = read_document(path)
    assert doc.tables == []
    values = {m.value for m in extract_document(doc).metrics}
    assert {Decimal(120), Decimal(35)} <= values


def test_years_may_head_the_columns(tmp_path: Path) -> None:
    path = tmp_path / "years.txt"
    path.write_text(f"{TITLE}\n{INTRO}\n| 项目 | 2023 | 2024 |\n| 评价项目数 | 30 | 35 |\n",
                    encoding="utf-8")
    (table,) = read_document(path).tables
    assert table.header == ["项目", "2023", "2024"] and table.rows == [["评价项目数", "30", "35"]]


# Forms as real pages give them to text (issue 11): rows broken inside a cell, cells merged
# down from the row above, one cell per line, a whole form joined by spaces into one line.
# The forms are ours; the expected figures are what a reader of each form sees.

FORM_PIPES = f"""{TITLE}
{INTRO}
| 2024年度项目支出绩效自评表 | |||||
| 项目名称 |
乡村道路养护补助 |
|||||
|
项目资金（万元） |
年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 | ||
| 年度资金总额 | 52.4 | 60 | 57 | 10 | 95% | 9.5 | ||
| 其中：财政拨款 | 52.4 | 60 | 57 | 95% |
| 绩效指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因 |
| 一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位 | |||||
| 产出指标 | 数量指标 | 养护里程 | ≥ | 120 | 公里 | 126 | 20 | 20 | |
| 质量指标 | 验收合格率 | ＝ | 100 | % | 98 | 20 | 18 | |
| 成本指标 | 每公里养护成本 | ≤ | 5000 | 元 | 4750 | 10 | 10 | |
{AFTER}
"""

FORM_CELL_PER_LINE = f"""{TITLE}
{INTRO}
序号 |
项目名称 |
主管部门 |
资金规模（万元） |
评价得分 |
评价等级 |
1 |
城区供水管网改造 |
县水务局 |
860 |
91.5 |
优 |
2 |
校园安全设施提升 |
县教育局 |
325.5 |
84 |
良 |
{AFTER}
"""

FORM_ONE_LINE = (
    f"{TITLE}\n{INTRO}\n"
    "附件 项目支出绩效自评表 项目资金 (万元) 年初预算数 全年预算数 全年执行数 分值 执行率 得分 "
    "年度资金总额: 30 32 28.8 10 90% 9 其中:财政拨款 30 32 28.8 上年结转资金 其他资金 "
    "年度总体目标 完成全年技能培训任务。 绩效指标 一级指标 二级指标 三级指标 年度指标值 实际完成值 "
    "分值 得分 产出指标 数量指标 培训人次 ≥200人次 236 30 30 满意度指标 学员满意度 ≥90% 93% 20 18 "
    f"效益指标 社会效益 就业技能提升 明显提高 达成预期 10 9\n{AFTER}\n"
)


def _table_figures(text: str, tmp_path: Path) -> list[tuple[str, str]]:
    path = tmp_path / "form.txt"
    path.write_text(text, encoding="utf-8")
    doc = read_document(path)
    return sorted((str(m.value), m.unit) for m in extract_document(doc).metrics
                  if m.origin == "table")


def test_form_rows_broken_and_merged_keep_their_columns(tmp_path: Path) -> None:
    money = [("52.4", "万元"), ("60", "万元"), ("57", "万元")]
    scores = [("10", "分"), ("9.5", "分"), ("20", "分"), ("20", "分"), ("20", "分"),
              ("18", "分"), ("10", "分"), ("10", "分")]
    # 5000元 a kilometre is 0.5万元; 100% and 98% take the row's unit (度量单位 %)
    indicators = [("120", "公里"), ("126", "公里"), ("100", "%"), ("98", "%"),
                  ("0.5", "万元"), ("0.475", "万元")]
    assert _table_figures(FORM_PIPES, tmp_path) == sorted(
        money * 2 + [("95", "%")] * 2 + scores + indicators)
    doc = read_document(tmp_path / "form.txt")
    assert "养护里程" not in doc.text and AFTER in doc.paragraph_texts()


def test_table_with_one_cell_per_line(tmp_path: Path) -> None:
    # the row numbers 1 and 2 are no figures
    assert _table_figures(FORM_CELL_PER_LINE, tmp_path) == sorted(
        [("860", "万元"), ("325.5", "万元"), ("91.5", "分"), ("84", "分")])


def test_form_aligned_with_spaces_rows_shorter_than_its_header(tmp_path: Path) -> None:
    text = (f"{TITLE}\n{INTRO}\n"
            "项目资金（万元）  年初预算数  全年预算数  全年执行数  分值  执行率  得分\n"
            "年度资金总额  41  45  44.1  10  98%  9.8\n"
            "其中：财政拨款  41  45  44.1  98%\n"
            f"{AFTER}\n")
    money = [("41", "万元"), ("45", "万元"), ("44.1", "万元")]
    # the 财政拨款 row lost its 分值 cell: its 98% is still the rate, not a score
    assert _table_figures(text, tmp_path) == sorted(
        money * 2 + [("10", "分"), ("9.8", "分"), ("98", "%"), ("98", "%")])


def test_form_of_single_spaced_lines_without_a_name_column(tmp_path: Path) -> None:
    text = (f"{TITLE}\n{INTRO}\n"
            "年初预算数 全年预算数 全年执行数 分值 执行率 得分\n"
            "年度资金总额 18 20 19.5 10 97.5% 9.75\n"
            "其中财政拨款 18 20 19.5\n"
            f"{AFTER}\n")
    money = [("18", "万元"), ("20", "万元"), ("19.5", "万元")]
    assert _table_figures(text, tmp_path) == sorted(
        money * 2 + [("10", "分"), ("97.5", "%"), ("9.75", "分")])
    # a header over prose is no table
    prose = f"{TITLE}\n年初预算数 全年预算数 执行率\n{INTRO}\n{AFTER}\n"
    assert _table_figures(prose, tmp_path) == []


def test_one_cell_per_line_without_row_numbers(tmp_path: Path) -> None:
    cells = ["项目名称", "预算金额（万元）", "执行率", "评价得分",
             "渠道防渗改造", "150", "98%", "91", "村级文化广场", "80", "100%", "88"]
    text = f"{TITLE}\n{INTRO}\n" + "".join(f"{c} |\n" for c in cells) + f"{AFTER}\n"
    assert _table_figures(text, tmp_path) == sorted(
        [("150", "万元"), ("80", "万元"), ("98", "%"), ("100", "%"), ("91", "分"), ("88", "分")])


def test_counts_take_the_unit_their_header_names(tmp_path: Path) -> None:
    text = (f"{TITLE}\n{INTRO}\n| 评价等级 | 项目个数 | 受益户数 | 涉及资金（万元） |\n"
            "| 优 | 12 | 340 | 860.5 |\n| 良 | 8 | 95 | 420 |\n"
            f"{AFTER}\n")
    assert _table_figures(text, tmp_path) == sorted(
        [("12", "个"), ("8", "个"), ("340", "户"), ("95", "户"), ("860.5", "万元"),
         ("420", "万元")])


def test_page_cut_off_in_a_table_keeps_its_last_cell(tmp_path: Path) -> None:
    cut = FORM_CELL_PER_LINE.replace(f"84 |\n良 |\n{AFTER}\n", "84\n")
    assert cut != FORM_CELL_PER_LINE
    assert _table_figures(cut, tmp_path) == sorted(
        [("860", "万元"), ("325.5", "万元"), ("91.5", "分"), ("84", "分")])


def test_form_joined_into_one_line(tmp_path: Path) -> None:
    funds = [("30", "万元"), ("32", "万元"), ("28.8", "万元")] * 2 + [
        ("10", "分"), ("90", "%"), ("9", "分")]
    indicators = [("200", "人次"), ("236", "人次"), ("30", "分"), ("30", "分"),
                  ("90", "%"), ("93", "%"), ("20", "分"), ("18", "分"),
                  ("10", "分"), ("9", "分")]
    assert _table_figures(FORM_ONE_LINE, tmp_path) == sorted(funds + indicators)
    doc = read_document(tmp_path / "form.txt")
    assert "完成全年技能培训任务。" in doc.text  # the sentence between stays text


def test_pipes_in_prose_or_names_only_make_no_table(tmp_path: Path) -> None:
    path = tmp_path / "prose.txt"
    path.write_text(f"{TITLE}\n{INTRO}\n本年度完成评价项目12个 | 涉及资金3000万元。\n"
                    "| 项目名称 | 乡村道路养护补助 |\n| 主管部门 | 县交通运输局 |\n"
                    "一 二 三 四 五 六 七 八 九\n", encoding="utf-8")
    doc = read_document(path)
    assert doc.tables == []
    found = {(str(m.value), m.unit) for m in extract_document(doc).metrics}
    assert {("12", "个"), ("3000", "万元")} <= found


def test_a_document_that_is_only_a_table_is_read(tmp_path: Path) -> None:
    path = tmp_path / "only.txt"
    path.write_text("| 项目名称 | 预算金额（万元） | 执行率 |\n| 农村道路养护工程 | 150 | 98.5% |\n"
                    "| 中小学校舍维修改造 | 80 | 100% |\n", encoding="utf-8")
    doc = read_document(path)
    assert len(doc.tables) == 1
    assert sorted((str(m.value), m.unit) for m in extract_document(doc).metrics) == [
        ("100", "%"), ("150", "万元"), ("80", "万元"), ("98.5", "%")]


# --------------------------------------------------------------------------- read, folders


def test_read_prints_tables_in_place_for_docx_and_txt_alike(tmp_path: Path) -> None:
    docx_file = tmp_path / "report.docx"
    _write_docx(docx_file)
    txt_file = tmp_path / "report.txt"
    txt_file.write_text("\n".join([
        TITLE, INTRO, "一、绩效目标管理", TARGETS, "重点评价项目情况表",
        "项目名称\t预算金额（万元）\t执行率", "农村道路养护\t150\t98.5%", "校舍维修改造\t80\t100%",
        AFTER]) + "\n", encoding="utf-8")
    from_docx = _run("read", str(docx_file))
    from_txt = _run("read", str(txt_file))
    assert from_docx.exit_code == 0 and from_txt.exit_code == 0
    assert from_docx.stdout == from_txt.stdout
    lines = from_docx.stdout.splitlines()
    at = lines.index("项目名称\t预算金额（万元）\t执行率")
    assert lines[at - 1] == "重点评价项目情况表"
    assert lines[at + 1 : at + 4] == ["农村道路养护\t150\t98.5%", "校舍维修改造\t80\t100%", AFTER]


def test_folders_collect_the_new_formats(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(_page("utf-8"), encoding="utf-8")
    _write_workbook(tmp_path / "book.xlsx")
    (tmp_path / "old.htm").write_text(_page("utf-8"), encoding="utf-8")
    (tmp_path / "readme.md").write_text("说明", encoding="utf-8")
    found = sorted(Path(p).name for p in collect_paths([str(tmp_path)]))
    assert found == ["book.xlsx", "old.htm", "page.html"]
    result = _run("extract", str(tmp_path), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.splitlines()) == 3


def test_check_and_ingest_take_the_new_formats(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "page.html").write_text(_page("utf-8"), encoding="utf-8")
    book = folder / "book.xlsx"
    _write_workbook(book)
    checked = _run("check", str(folder / "page.html"))
    assert checked.exit_code in (0, 1), checked.stderr  # read and checked, findings or not
    url = f"sqlite:///{tmp_path / 'store.db'}"
    ingested = _run("ingest", str(folder), "--db", url)
    assert ingested.exit_code == 0, ingested.stderr
    listed = _run("list", "--db", url, "--format", "json")
    formats = sorted(r["format"] for line in listed.stdout.splitlines()
                     for r in __import__("json").loads(line)["renditions"])
    assert formats == ["html", "xlsx"]


def test_pages_and_workbooks_jixiao_wrote_are_not_read_as_reports(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "page.html").write_text(_page("utf-8"), encoding="utf-8")
    _write_workbook(folder / "book.xlsx")
    pages = folder / "pages"
    written = _run("check", str(folder), "--format", "html", "-o", str(pages))
    assert written.exit_code in (0, 1), written.stderr
    assert (pages / "index.html").is_file()
    # a folder holding the pages written into it reads only the report
    assert sorted(Path(p).name for p in collect_paths([str(folder)])) == ["book.xlsx", "page.html"]
    # and so does a folder holding a comparison workbook exported into it
    url = f"sqlite:///{tmp_path / 'store.db'}"
    assert _run("ingest", str(folder), "--db", url).exit_code == 0
    exported = _run("compare", "--db", url, "--format", "xlsx", "-o", str(folder / "比较.xlsx"))
    assert exported.exit_code == 0, exported.stderr
    assert sorted(Path(p).name for p in collect_paths([str(folder)])) == ["book.xlsx", "page.html"]
    _one_error_line(_run("read", str(folder / "比较.xlsx")), folder / "比较.xlsx", "jixiao 导出的表格")
    # named on the command line, such a page is refused in one line
    index = pages / "index.html"
    _one_error_line(_run("read", str(index)), index, "jixiao 生成的页面")


def test_unit_note_in_traditional_characters_applies_to_the_table(tmp_path: Path) -> None:
    # a mirror page in traditional characters: the 單位：元 note above the table says the
    # bare cells are in 元, so 1500000 is 150 万元 (as its simplified twin reads it)
    page = ("<html><body><h1>某縣項目支出績效評價情況</h1>"
            "<p>現將本年度項目支出績效評價情況公布如下，評價結果供各部門參考使用。</p>"
            "<table><tr><td>單位：元</td></tr>"
            "<tr><th>項目名稱</th><th>預算金額</th></tr>"
            "<tr><td>農村道路養護項目</td><td>1500000</td></tr></table></body></html>")
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    values = {(m.value, m.unit) for m in extract_document(read_document(path)).metrics}
    assert (Decimal("150"), "万元") in values
    assert all(v != Decimal("1500000") for v, _ in values)
