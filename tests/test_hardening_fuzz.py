"""Property-based tests (hypothesis) for issue 14: random text and bytes never crash the
number parser, the layout code or a reader. A reader may refuse its input, but only with a
JixiaoError (one line for the user); anything else is a bug."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from jixiao.errors import JixiaoError

SAMPLE = Path(__file__).resolve().parents[1] / "corpus" / "sample" / "qinghe_2024.txt"
# Characters reports are made of, so that random text often looks like a figure.
REPORT_CHARS = ("0123456789０１２３４５６７８９.,，。、%％‰万亿元千百十个项分点年月日"
                "〇零一二两三四五六七八九增长下降减少约近余以上其中合计（）()“”：:；\n\t \u3000"
                "优良中差率预算执行绩效目标项目资金第章节一二三四、-—~～/")
report_text = st.text(alphabet=st.sampled_from(REPORT_CHARS), max_size=300)
any_text = st.one_of(report_text, st.text(max_size=200))
FUZZ = settings(max_examples=150, deadline=None, database=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])


# ----------------------------------------------------------------------- numbers
@FUZZ
@given(any_text)
def test_parse_number_returns_a_decimal_or_says_not_a_number(text: str) -> None:
    from jixiao.extract.quantities import parse_number

    try:
        value = parse_number(text)
    except ValueError:
        return
    assert isinstance(value, Decimal) and value.is_finite()


@FUZZ
@given(st.integers(min_value=-10**12, max_value=10**12), st.integers(min_value=0, max_value=4))
def test_parse_number_reads_back_what_a_report_writes(n: int, places: int) -> None:
    """Any amount written with thousands separators and decimals reads back exactly."""
    from jixiao.extract.quantities import parse_number

    value = Decimal(n).scaleb(-places)
    assert parse_number(f"{value:,}") == value
    assert parse_number(f"{value}") == value


@FUZZ
@given(any_text)
def test_find_quantities_spans_lie_in_the_text(text: str) -> None:
    from jixiao.extract.quantities import find_quantities

    for q in find_quantities(text):
        assert 0 <= q.start <= q.end <= len(text)


# ----------------------------------------------------------------------- layout
@FUZZ
@given(st.lists(any_text.map(lambda t: t.replace("\n", " ")), max_size=40))
def test_text_layout_never_crashes_and_keeps_table_marks_valid(lines: list[str]) -> None:
    from jixiao.extract.layout import text_layout

    blocks, tables = text_layout(lines)
    for block in blocks:
        assert block.table is None or 0 <= block.table < len(tables)


finite = st.floats(min_value=-2000, max_value=2000, allow_nan=False, allow_infinity=False)


@FUZZ
@given(st.lists(st.builds(lambda text, page, x0, w, top, h: (text, page, x0, x0 + w, top, top + h),
                          report_text.map(lambda t: t.replace("\n", "")),
                          st.integers(min_value=1, max_value=4), finite,
                          st.floats(min_value=0, max_value=600), finite,
                          st.floats(min_value=0, max_value=40)), max_size=40))
def test_positioned_layout_never_crashes(rows: list[tuple]) -> None:
    from jixiao.extract.layout import Line, blocks_from_positioned_lines

    lines = [Line(text=t, page=p, x0=x0, x1=x1, top=top, bottom=bottom)
             for t, p, x0, x1, top, bottom in sorted(rows, key=lambda r: (r[1], r[4]))]
    blocks_from_positioned_lines(lines)


# ----------------------------------------------------------------------- readers
def _read(data: bytes, fmt: str) -> None:
    from jixiao.api import read_bytes

    try:
        read_bytes(data, source=f"fuzz.{fmt}", fmt=fmt)
    except JixiaoError as err:
        assert str(err).startswith(f"fuzz.{fmt}: ") and "\n" not in str(err)


def _valid(fmt: str) -> bytes:
    """A small valid file of each zip or PDF format, made from our own sample report."""
    text = SAMPLE.read_text(encoding="utf-8")
    if fmt == "docx":
        from docx import Document

        doc = Document()
        for line in text.splitlines()[:8]:
            doc.add_paragraph(line)
        buffer = io.BytesIO()
        doc.save(buffer)
        return buffer.getvalue()
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        for i, line in enumerate(text.splitlines()[:8], start=1):
            book.active.cell(row=i, column=1, value=line)
            book.active.cell(row=i, column=2, value=i * 10)
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()
    if fmt == "pdf":
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument.new()
        pdf.new_page(595, 842)
        buffer = io.BytesIO()
        pdf.save(buffer)
        return buffer.getvalue()
    raise AssertionError(fmt)


VALID = {fmt: _valid(fmt) for fmt in ("docx", "xlsx", "pdf")}
TEXT_FORMATS = ["txt", "html"]


@FUZZ
@given(st.sampled_from(TEXT_FORMATS), st.one_of(st.binary(max_size=400),
                                                 any_text.map(lambda t: t.encode("utf-8")),
                                                 any_text.map(lambda t: t.encode("gb18030"))))
def test_text_readers_take_any_bytes(fmt: str, data: bytes) -> None:
    _read(data, fmt)


OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .wps, .xls, encrypted Office


@FUZZ
@given(st.sampled_from([*sorted(VALID), "xls", "doc", "wps"]),
       st.one_of(st.binary(max_size=400), st.binary(max_size=400).map(lambda b: OLE_HEADER + b)))
def test_binary_readers_take_random_bytes(fmt: str, data: bytes) -> None:
    _read(data, fmt)


@FUZZ
@given(st.sampled_from(sorted(VALID)), st.data())
def test_binary_readers_take_damaged_files(fmt: str, data: st.DataObject) -> None:
    """A valid file cut short or with bytes overwritten: the reader refuses or reads it."""
    raw = bytearray(VALID[fmt])
    cut = data.draw(st.integers(min_value=1, max_value=len(raw)), label="cut")
    raw = raw[:cut]
    for _ in range(data.draw(st.integers(min_value=0, max_value=8), label="flips")):
        at = data.draw(st.integers(min_value=0, max_value=len(raw) - 1), label="at")
        raw[at] = data.draw(st.integers(min_value=0, max_value=255), label="byte")
    _read(bytes(raw), fmt)


@FUZZ
@given(st.dictionaries(st.sampled_from(["word/document.xml", "[Content_Types].xml",
                                         "_rels/.rels", "xl/workbook.xml",
                                         "xl/worksheets/sheet1.xml"]),
                       st.binary(max_size=200), max_size=5),
       st.sampled_from(["docx", "xlsx"]))
def test_zip_readers_take_archives_of_random_parts(parts: dict[str, bytes], fmt: str) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    assume(buffer.getvalue())
    _read(buffer.getvalue(), fmt)


@pytest.mark.parametrize("fmt", ["txt", "html", *sorted(VALID)])
def test_empty_and_tiny_inputs(fmt: str) -> None:
    for data in (b"", b"\x00", b"PK", b"%PDF", b"\xef\xbb\xbf", "年".encode()):
        _read(data, fmt)
