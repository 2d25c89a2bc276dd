"""Reading the real corpus: every rendition of a report gives the same text and structure.

Expected values here were checked by a person in the source documents (the Word files'
headings and table, the PDFs' pages), not copied from the program's output.
"""

from __future__ import annotations

import re

import pytest

from jixiao.model import Document

from .conftest import corpus_file, require

REPORTS = ["001", "002", "003", "004"]


def _paragraphs(doc: Document) -> list[str]:
    """Body paragraphs without whitespace (tables flattened in a .txt are not paragraphs)."""
    return [re.sub(r"\s+", "", doc.text[p.start : p.end]) for p in doc.paragraphs
            if p.kind != "table"]


def _tree(doc: Document) -> list[tuple[str, str, int, str | None]]:
    return [(s.id, re.sub(r"\s+", "", s.heading), s.level, s.stage) for s in doc.sections]


# Differences that are in the files themselves, checked by rendering the page: the PDF of
# 003 has no 、 after 重分配轻管理 at the end of a line on page 5 (LibreOffice dropped the
# line-final mark when it exported the Word file); no reader can recover it.
KNOWN_SOURCE_DIFFERENCES = {("003", ".pdf"): [("重分配轻管理、重使用", "重分配轻管理重使用")]}


@pytest.mark.parametrize("report", REPORTS)
@pytest.mark.parametrize("other", [".txt", ".pdf"])
def test_renditions_give_the_same_paragraphs(read_cached, report: str, other: str) -> None:
    expected = _paragraphs(read_cached(report, ".docx"))
    for old, new in KNOWN_SOURCE_DIFFERENCES.get((report, other), []):
        expected = [p.replace(old, new) for p in expected]
    assert _paragraphs(read_cached(report, other)) == expected


@pytest.mark.parametrize("report", REPORTS)
@pytest.mark.parametrize("other", [".txt", ".pdf"])
def test_renditions_give_the_same_section_tree(read_cached, report: str, other: str) -> None:
    assert _tree(read_cached(report, other)) == _tree(read_cached(report, ".docx"))


def test_gb18030_text_reads_like_its_utf8_twin(read_cached) -> None:
    gb = read_cached("001", ".gb18030.txt")
    utf8 = read_cached("001", ".txt")
    assert gb.text == utf8.text
    assert "文本编码：gb18030" in gb.notes


# The stage of every section, as a person reads the headings (DOMAIN.md stage keys).
EXPECTED_STAGES = {
    "001": [
        ("1", "system"), ("2", "work"), ("2.1", "target"), ("2.2", "pre_assessment"),
        ("2.3", "monitoring"), ("2.4", "self_eval"), ("2.5", "key_eval"),
        ("2.6", "application"), ("3", "problems"), ("3.1", "problems"), ("3.2", "problems"),
        ("3.3", "problems"), ("4", "measures"), ("4.1", "measures"), ("4.2", "measures"),
        ("4.3", "measures"),
    ],
    "002": [
        ("1", "work"), ("1.1", "system"), ("1.2", "pre_assessment"), ("1.3", "monitoring"),
        # 提高绩效评价质效，提升重点评价报告质量: the first phrase names the topic
        ("1.4", "evaluation"), ("1.5", "application"), ("1.6", "capacity"), ("2", "problems"),
        ("2.1", "problems"), ("2.2", "problems"), ("3", "measures"), ("3.1", "measures"),
        ("3.2", "measures"), ("3.3", "measures"),
    ],
    "003": [
        ("1", "system"), ("2", "work"), ("2.1", "overall_eval"), ("2.2", "self_eval"),
        ("2.3", "key_eval"), ("2.4", "target"), ("2.5", "monitoring"), ("2.6", "evaluation"),
        ("2.7", "application"), ("2.8", "focus"), ("3", "capacity"), ("3.1", "capacity"),
        ("3.2", "capacity"), ("3.3", "capacity"), ("3.4", "capacity"), ("4", "measures"),
        ("4.1", "measures"), ("4.1.1", "measures"), ("4.2", "measures"),
        ("4.2.1", "measures"), ("4.3", "measures"),
    ],
    "004": [
        ("1", "work"), ("1.1", "pre_assessment"), ("1.2", "monitoring"),
        # 做深事后综合评价，将绩效自评与第三方…评价紧密结合: ex-post evaluation as a whole
        ("1.3", "evaluation"),
        ("1.4", "application"), ("2", "problems"), ("3", "measures"), ("3.1", "measures"),
        ("3.2", "measures"), ("3.3", "measures"),
    ],
}


@pytest.mark.parametrize("report", REPORTS)
def test_section_stages(read_cached, report: str) -> None:
    doc = read_cached(report, ".docx")
    assert [(s.id, s.stage) for s in doc.sections] == EXPECTED_STAGES[report]


def test_headings_and_levels_of_003(read_cached) -> None:
    doc = read_cached("003", ".pdf")
    by_id = {s.id: s for s in doc.sections}
    assert by_id["2.5"].heading == "5、注重过程，开展绩效监控管理"
    assert by_id["4.1"].heading == "1.进一步夯实绩效管理基础"
    assert (by_id["4.1"].level, by_id["4.1"].parent) == (2, "4")
    # A section spans its children: the monitoring figures sit inside 2.5.
    start = doc.text.index("5月监控共跟踪监控279个项目")
    assert doc.section_at(start).id == "2.5"


@pytest.mark.parametrize(("report", "title", "county", "year"), [
    ("001", "西工区2022年预算绩效工作开展情况说明", "西工区", 2022),
    ("002", "第七部分本级汇总的预算绩效情况说明", "尉犁县", 2025),
    ("003", "2024年度民丰县预算绩效工作开展情况说明", "民丰县", 2024),
    ("004", None, None, 2021),  # no title; the county is anonymised as XX县
])
@pytest.mark.parametrize("suffix", [".txt", ".docx", ".pdf"])
def test_title_county_year(read_cached, report, title, county, year, suffix) -> None:
    doc = read_cached(report, suffix)
    assert (doc.title, doc.county, doc.year) == (title, county, year)


def test_issuer_and_date(read_cached) -> None:
    doc = read_cached("001", ".pdf")
    assert (doc.issuer, doc.issued) == ("西工区财政局", "2023年1月29日")


def test_table_of_003_is_identical_from_docx_and_pdf(read_cached) -> None:
    from_docx = read_cached("003", ".docx").tables
    from_pdf = read_cached("003", ".pdf").tables
    assert len(from_docx) == len(from_pdf) == 1
    assert from_docx[0].header == from_pdf[0].header
    assert from_docx[0].rows == from_pdf[0].rows


def test_table_of_003_cells(read_cached) -> None:
    table = read_cached("003", ".pdf").tables[0]
    assert table.header == ["序号", "部门单位", "项目名称", "年初预算金额", "资金执行金额",
                            "执行率", "评价得分", "项目属性"]
    assert len(table.rows) == 5
    assert table.rows[3][3:7] == ["10,113.65", "9993.67", "98.81%", "96.97"]
    assert table.rows[1][2] == "2023年困难群众救助资金"
    assert table.caption == "2023年重点评价清单"
    assert table.page == 3
    assert table.section == "2.3"


def test_pdf_body_does_not_repeat_the_table(read_cached) -> None:
    doc = read_cached("003", ".pdf")
    assert "928.56" not in doc.text
    assert "民丰县尼雅镇农村污水处理项目" not in doc.text


def test_pdf_drops_page_numbers_and_joins_across_pages(read_cached) -> None:
    doc = read_cached("002", ".pdf")
    assert not re.search(r"—\s*\d+\s*—", doc.text)
    # The paragraph cut by the first page break of 002 is whole again.
    assert "定期对第三方机构进行考核" in doc.text


def test_every_character_maps_to_its_page(read_cached) -> None:
    import pypdfium2 as pdfium

    path_doc = read_cached("003", ".pdf")
    pdf = pdfium.PdfDocument(str(path_doc.source))
    for needle in ["123235.09万元", "13.304271亿元", "8.12962157亿元", "第三方机构只有一家"]:
        offset = path_doc.text.index(needle)
        page = path_doc.locate(offset).page
        raw = re.sub(r"\s+", "", pdf[page - 1].get_textpage().get_text_range())
        assert needle in raw, (needle, page)


def test_docx_offsets_map_to_paragraphs(read_cached) -> None:
    doc = read_cached("001", ".docx")
    offset = doc.text.index("评价金额1.52亿元")
    para = doc.paragraphs[doc.locate(offset).paragraph]
    assert doc.text[para.start : para.end].startswith("我区积极推进预算单位对超过20万元")


def test_layout_spaces_are_removed_but_number_separators_kept(read_cached) -> None:
    doc = read_cached("002", ".txt")
    assert "涉及金额2.36亿元" in doc.text
    assert "限期30天整改的项目38个约3.2亿元" in doc.text
    assert "2025年5月、8月两个关键监控节点" in doc.text


@pytest.mark.ocr
@pytest.mark.slow
@pytest.mark.parametrize(("report", "suffix"), [("002", ".scan.pdf"), ("003", ".nounicode.pdf")])
def test_ocr_recovers_every_annotated_figure(read_cached, report: str, suffix: str) -> None:
    """Every figure a person annotated in the report is in the OCRed text or its tables'
    cells, as written."""
    import json
    from pathlib import Path

    from jixiao.extract.readers.ocr import ocr_available

    if not ocr_available():
        require("ocr", "OCR extra not installed: pip install 'jixiao[ocr]'")
    doc = read_cached(report, suffix)
    cells = [c for t in doc.tables for row in [t.header, *t.rows] for c in row]
    text = re.sub(r"\s+", "", "\n".join([doc.text, *cells]))  # body text and table cells
    gold_file = Path(__file__).resolve().parents[1] / "corpus" / "gold" / f"{report}.jsonl"
    surfaces = [re.sub(r"\s+", "", json.loads(line)["surface"]) for line in
                gold_file.read_text(encoding="utf-8").splitlines() if line.strip()]
    missing = [s for s in surfaces if s not in text]
    assert not missing
    assert any(n.startswith("OCR 识别页") for n in doc.notes)
    # The structure survives OCR: the same sections as the text-layer PDF.
    assert _tree(doc) == _tree(read_cached(report, ".pdf"))


@pytest.mark.ocr
@pytest.mark.slow
def test_nounicode_table_is_read_cell_for_cell_as_in_word(read_cached) -> None:
    """003's PDF without Unicode maps still draws its table's rules: the cells are the
    rule grid's, filled with the OCR lines inside them, so the table equals the Word one
    (a person checked the Word table: 8 columns, header 序号 … 项目属性, 5 project rows,
    row 4's 年初预算金额 written 10,113.65). Regression: the cells used to come out as a
    column of fragments (年初预算金 / 额) without their header's unit."""
    from jixiao.extract.readers.ocr import ocr_available

    if not ocr_available():
        require("ocr", "OCR extra not installed: pip install 'jixiao[ocr]'")
    word = read_cached("003", ".docx").tables
    ocr = read_cached("003", ".nounicode.pdf").tables
    assert len(ocr) == len(word) == 1
    assert ocr[0].header == word[0].header
    assert ocr[0].header[3] == "年初预算金额"
    assert ocr[0].rows == word[0].rows
    assert len(ocr[0].rows) == 5 and ocr[0].rows[3][3] == "10,113.65"


@pytest.mark.ocr
@pytest.mark.slow
def test_scanned_table_is_read_cell_for_cell_as_in_word(read_cached, tmp_path) -> None:
    """A scan has no vector rules: the grid comes from the ruled lines in the image. 003's
    table page, printed to an image (150 dpi) and wrapped in a PDF as a scanner does,
    gives the table a person reads in the Word file (8 columns, 5 project rows), and its
    cells are not repeated as body text."""
    import pypdfium2 as pdfium

    from jixiao.api import read_document
    from jixiao.extract.readers.ocr import ocr_available

    if not ocr_available():
        require("ocr", "OCR extra not installed: pip install 'jixiao[ocr]'")
    source = pdfium.PdfDocument(str(corpus_file("003", ".pdf")))
    image = source[2].render(scale=150 / 72).to_pil().convert("RGB")
    scan = tmp_path / "003_table_page.scan.pdf"
    image.save(scan, "PDF", resolution=150)
    doc = read_document(scan)
    word = read_cached("003", ".docx").tables[0]
    assert len(doc.tables) == 1
    assert doc.tables[0].header == word.header
    assert doc.tables[0].rows == word.rows
    assert "9993.67" not in doc.text  # a cell, not a line of the body
