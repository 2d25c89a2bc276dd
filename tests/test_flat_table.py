"""Tables that text extraction flattened into short lines are rebuilt from a ``.txt``.

The 003 table was checked by a person in the Word file and on page 3 of the PDF; the
other tables are written here in the raw style of text copied out of a PDF: the header
wrapped or glued, each row's ordinal on its own line, cell text wrapped to the column
width, the figures of a row on one line separated by spaces.
"""

from __future__ import annotations

from jixiao.extract.layout import blocks_from_text_lines, parse_flat_table, text_layout

# --------------------------------------------------------------------------- the corpus

# 003's "2023 年重点评价清单" as printed in the report (Word table, PDF page 3).
TABLE_003_HEADER = ["序号", "部门单位", "项目名称", "年初预算金额", "资金执行金额", "执行率",
                    "评价得分", "项目属性"]
TABLE_003_ROWS = [
    ["1", "民丰县住房和城乡建设局", "民丰县污水处理厂日常运营管理采购服务项目（服务费）",
     "100", "100", "100.00%", "99.37", "政府采购服务"],
    ["2", "民丰县民政局", "2023年困难群众救助资金", "940", "928.56", "98.78%", "96.49",
     "一般公共预算"],
    ["3", "民丰县文化体育广播电视和旅游局",
     "2023年中央专项彩票公益金支持地方社会公益事业发展（体育健身）资金和地财综[2022]20号",
     "300", "281.17", "93.72%", "96.42", "政府性基金"],
    ["4", "民丰县农业农村和水利局", "2023年民丰县农业农村和水利局部门整体支出",
     "10,113.65", "9993.67", "98.81%", "96.97", "单位部门单位整体"],
    ["5", "民丰县尼雅镇人民政府", "民丰县尼雅镇农村污水处理项目", "631.46", "520.22",
     "82.38%", "96.99", "债务"],
]


def test_table_of_003_from_txt_is_the_printed_table(read_cached) -> None:
    doc = read_cached("003", ".txt")
    assert len(doc.tables) == 1
    table = doc.tables[0]
    assert table.header == TABLE_003_HEADER
    assert len(table.rows) == len(TABLE_003_ROWS)
    for row, expected in zip(table.rows, TABLE_003_ROWS, strict=True):
        assert row == expected
    assert table.caption == "2023年重点评价清单"
    assert table.section == "2.3"
    # The table stands right after its caption, as in the Word file.
    assert doc.text[: table.anchor].endswith("2023年重点评价清单")


def test_table_of_003_from_txt_equals_the_docx_table_cell_by_cell(read_cached) -> None:
    txt = read_cached("003", ".txt").tables[0]
    docx = read_cached("003", ".docx").tables[0]
    assert txt.header == docx.header
    assert len(txt.rows) == len(docx.rows)
    for n, (ours, theirs) in enumerate(zip(txt.rows, docx.rows, strict=True)):
        for c, (a, b) in enumerate(zip(ours, theirs, strict=True)):
            assert a == b, (n + 1, txt.header[c])
    assert (txt.caption, txt.anchor, txt.section) == (docx.caption, docx.anchor, docx.section)


def test_the_flattened_table_text_stays_a_table_paragraph(read_cached) -> None:
    doc = read_cached("003", ".txt")
    kinds = [(p.kind, doc.text[p.start : p.end]) for p in doc.paragraphs]
    at = kinds.index(("caption", "2023年重点评价清单"))
    kind, text = kinds[at + 1]
    assert kind == "table"
    assert text.startswith("序号部门单位项目名称")
    assert "10,113.65 9993.67 98.81% 96.97" in text


# --------------------------------------------------------------------------- written here

# Body text of a report as copied out of a PDF: every printed line 28 characters wide,
# a blank line after each.
_SENTENCE = "县财政局会同各预算部门认真落实全面实施预算绩效管理的各项要求，推动绩效目标管理和" \
            "绩效运行监控有序开展，评价结果及时反馈并用于改进管理。"


def _wrapped(paragraph: str, width: int = 28) -> list[str]:
    return [paragraph[i : i + width] for i in range(0, len(paragraph), width)]


def _body(paragraphs: int) -> list[str]:
    lines: list[str] = []
    for _ in range(paragraphs):
        lines += _wrapped(_SENTENCE * 3)
    return lines


def _report(table: str, caption: str) -> list[str]:
    before = ["（二）重点绩效评价情况", *_body(12), "具体情况如下："]
    after = ["三、存在的问题", *_body(4)]
    text = "\n\n".join(before) + "\n\n" + caption + "\n\n" + table.strip("\n") + "\n\n" \
        + "\n\n".join(after) + "\n"
    return text.split("\n")


# Six columns, figures in the middle, a grade after them; the unit name of row 1 and the
# project name of row 2 wrapped; row 2's unit name and project name on the figures' line.
TABLE_A = """
序
号

单位名称 项目名称
预算
金额
执行率

评价
等级
1
县教育局

义务教育学校营养
改善计划补助

560.00 97.88% 优
2
县卫生健
康委员会
基层医疗机构设备购置 1,200.5 88.40% 良
3
县交通运

输局

农村公路养护 320 100.00% 优
"""


def test_flat_table_with_grades_is_rebuilt() -> None:
    blocks, tables = text_layout(_report(TABLE_A, "2024 年部门重点项目评价情况表"))
    assert len(tables) == 1
    table = tables[0]
    assert table.header == ["序号", "单位名称", "项目名称", "预算金额", "执行率", "评价等级"]
    assert table.rows == [
        ["1", "县教育局", "义务教育学校营养改善计划补助", "560.00", "97.88%", "优"],
        ["2", "县卫生健康委员会", "基层医疗机构设备购置", "1,200.5", "88.40%", "良"],
        ["3", "县交通运输局", "农村公路养护", "320", "100.00%", "优"],
    ]
    assert table.caption == "2024年部门重点项目评价情况表"
    # The caption is a paragraph of its own, then the marker of table 0, then the text.
    at = next(n for n, b in enumerate(blocks) if b.kind == "caption")
    assert blocks[at].text == "2024年部门重点项目评价情况表"
    assert (blocks[at + 1].kind, blocks[at + 1].text, blocks[at + 1].table) == ("table", "", 0)
    assert blocks[at + 2].kind == "table"
    assert blocks[at + 2].text.startswith("序号单位名称项目名称预算金额执行率评价等级1县教育局")
    assert blocks[at + 3].text == "三、存在的问题"


# Four figures with a remark after them; the unit of the figures above the header; a
# header name not in the lexicon (资金用途) and two names on one header line; row 2's
# remark displaced onto the lines after its figures and its unit name wrapped.
TABLE_B = """
单位：万元
序号 部门名称
资金用途

预算数
执行数 执行率
得分 备注
1
县农业农村局
高标准农田建设
850 812.3 95.56% 92.5 已整改
2
县自然资源

和规划局
国土空间规划编制 46.8 46.8 100.00% 88

部分指标
未完成
"""


def test_flat_table_with_remarks_and_an_unknown_header_is_rebuilt() -> None:
    _, tables = text_layout(_report(TABLE_B, "表 2 重点项目绩效评价结果一览表"))
    assert len(tables) == 1
    table = tables[0]
    assert table.header == ["序号", "部门名称", "资金用途", "预算数", "执行数", "执行率", "得分",
                            "备注"]
    assert table.rows == [
        ["1", "县农业农村局", "高标准农田建设", "850", "812.3", "95.56%", "92.5", "已整改"],
        ["2", "县自然资源和规划局", "国土空间规划编制", "46.8", "46.8", "100.00%", "88",
         "部分指标未完成"],
    ]
    assert table.caption == "表2重点项目绩效评价结果一览表"


def test_heading_right_above_a_flat_table_is_no_caption() -> None:
    lines = _report(TABLE_A, "")
    at = lines.index("具体情况如下：")
    lines[at] = "（三）重点项目评价情况"  # a heading, then the table without a caption
    blocks, tables = text_layout(lines)
    assert len(tables) == 1
    assert tables[0].caption is None
    assert tables[0].rows[2] == ["3", "县交通运输局", "农村公路养护", "320", "100.00%", "优"]
    marker = next(n for n, b in enumerate(blocks) if b.kind == "table")
    assert (blocks[marker - 1].kind, blocks[marker - 1].text) == ("paragraph", "（三）重点项目评价情况")


def test_flat_table_with_one_text_column_and_empty_figure() -> None:
    table = parse_flat_table([
        "序号", "项目名称", "金额", "得分",
        "1", "乡村道路", "硬化工程", "", "45.6 —",
        "2", "饮水安全巩固提升", "", "12 90",
    ])
    assert table is not None
    assert table.header == ["序号", "项目名称", "金额", "得分"]
    assert table.rows == [["1", "乡村道路硬化工程", "45.6", "—"],
                          ["2", "饮水安全巩固提升", "12", "90"]]


# --------------------------------------------------------------------------- not tables

NUMBERED_PARAGRAPHS = [
    "1、健全制度体系。全县共为120个项目设定绩效目标，涉及资金3.5亿元，",
    "目标覆盖率达到100%，较上年提高2个百分点，评价结果全部公开。",
    "2、强化运行监控。对85个项目开展绩效运行监控，涉及资金2.1亿元，",
    "发现偏差项目9个，已督促整改到位，整改率为100%，资金收回0.3亿",
    "元。",
    "3、做实重点评价。选取5个项目开展重点评价，评价金额1.52亿元，",
    "评价等级为优的4个、良的1个，结果用于预算安排。",
]


def test_numbered_paragraphs_are_not_a_table() -> None:
    lines = "\n\n".join(["（一）工作开展情况", *_body(6), *NUMBERED_PARAGRAPHS, *_body(3)])
    blocks, tables = text_layout(lines.split("\n"))
    assert tables == []
    assert all(b.kind != "table" for b in blocks)
    texts = [b.text for b in blocks]
    assert "3、做实重点评价。选取5个项目开展重点评价，评价金额1.52亿元，评价等级为优的4个、良的" \
           "1个，结果用于预算安排。" in texts


def test_short_numbered_lines_without_figures_are_not_a_table() -> None:
    # A list whose numbers stand on lines of their own, as a table's ordinals do, but
    # with no header and no figures: no table is made up from it.
    listing = "主要做法\n\n1\n\n健全制度\n\n2\n\n强化监控\n\n3\n\n做实评价\n\n4\n\n结果应用"
    lines = ("\n\n".join(["（一）工作开展情况", *_body(8)]) + "\n\n" + listing + "\n\n"
             + "\n\n".join(["（二）存在的问题", *_body(3)])).split("\n")
    blocks, tables = text_layout(lines)
    assert tables == []
    assert all(b.text or b.kind != "table" for b in blocks)  # no table marker
    assert blocks_from_text_lines(lines) == blocks


def test_ordinal_lines_need_the_figures_of_the_header() -> None:
    # A header from the lexicon, but the rows hold one figure where two are expected.
    assert parse_flat_table(["序号", "项目名称", "预算金额", "执行率",
                             "1", "农村公路养护 320", "2", "校舍维修 120"]) is None
    # Row 2 lost its number: two rows' figures in one row are not guessed apart.
    assert parse_flat_table(["序号", "项目名称", "预算金额", "执行率",
                             "1", "农村公路养护 320 99%", "校舍维修 120 98%",
                             "3", "灌区改造 80 100%"]) is None
    # No row numbered 1.
    assert parse_flat_table(["序号", "项目名称", "预算金额", "2", "校舍维修 120"]) is None
