"""OCR of PDF pages without a usable text layer (jixiao.extract.readers.ocr).

The corpus holds two such PDFs, each a rendition of a PDF that does have a text layer:
``002_…scan.pdf`` (150 dpi page images of ``002_….pdf``) and ``003_…nounicode.pdf``
(``003_….pdf`` with the fonts' /ToUnicode maps removed). So the text layer of the
originals is the exact, page by page, truth for what OCR should read, and where.

OCR takes a few seconds per page on a 2-core machine, so the tests OCR only the pages
the asserted figures sit on, once per session, into one temporary cache.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from jixiao.errors import JixiaoError, OcrRequiredError
from jixiao.extract.readers import ocr
from jixiao.extract.readers.ocr import (
    OcrLine,
    OcrPage,
    OcrUnavailableError,
    clean_ocr_text,
    ocr_pdf_pages,
    text_layer_unusable,
)

from .conftest import require, require_corpus

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
SCAN = CORPUS / "002_14d9c8f6bc945b17.scan.pdf"
SCAN_ORIGINAL = CORPUS / "002_14d9c8f6bc945b17.pdf"
NOUNICODE = CORPUS / "003_9838b6f1644cf041.nounicode.pdf"
NOUNICODE_ORIGINAL = CORPUS / "003_9838b6f1644cf041.pdf"

# Pages (0-based) holding the figures asserted below; found in the originals' text layer.
SCAN_PAGES = [1, 2, 3]
NOUNICODE_PAGES = [0, 1, 2]

A4 = (595.3, 841.9)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _page_text(lines: list[OcrLine]) -> str:
    # Chinese lines wrap anywhere, even inside a number's unit ("19.94亿" / "元").
    return "".join(line.text for line in lines)


def _text_layer(path: Path, index: int) -> str:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    try:
        return pdf[index].get_textpage().get_text_range()
    finally:
        pdf.close()


def _squash(text: str) -> str:
    """Text without whitespace, digits and % folded: what a reader compares."""
    from jixiao.extract.normalize import normalize_chars

    return re.sub(r"\s+", "", normalize_chars(text))


# --------------------------------------------------------------------------------------
# Fixtures


@pytest.fixture(scope="session")
def corpus() -> Path:
    require_corpus(SCAN, NOUNICODE)
    return CORPUS


@pytest.fixture(scope="session")
def session_cache(tmp_path_factory: pytest.TempPathFactory):
    """One OCR cache for the whole session, never the user's own cache."""
    directory = tmp_path_factory.mktemp("ocr-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("JIXIAO_CACHE_DIR", str(directory))
        yield directory


@pytest.fixture(scope="session")
def requires_ocr() -> None:
    if not ocr.ocr_available():
        require("ocr", "OCR extra not installed: pip install 'jixiao[ocr]'")


@pytest.fixture(scope="session")
def scan_ocr(corpus, session_cache, requires_ocr) -> dict[int, list[OcrLine]]:
    start = time.perf_counter()
    result = ocr_pdf_pages(SCAN, SCAN_PAGES, sha256=_sha256(SCAN))
    elapsed = time.perf_counter() - start
    print(f"\nOCR {SCAN.name}: {elapsed / len(SCAN_PAGES):.1f} s/page (incl. engine start)")
    return result


@pytest.fixture(scope="session")
def nounicode_ocr(corpus, session_cache, requires_ocr) -> dict[int, list[OcrLine]]:
    start = time.perf_counter()
    result = ocr_pdf_pages(NOUNICODE, NOUNICODE_PAGES, sha256=_sha256(NOUNICODE))
    elapsed = time.perf_counter() - start
    print(f"\nOCR {NOUNICODE.name}: {elapsed / len(NOUNICODE_PAGES):.1f} s/page")
    return result


# --------------------------------------------------------------------------------------
# Cheap import


def test_importing_the_module_loads_no_ocr_machinery() -> None:
    code = (
        "import sys, jixiao.extract.readers.ocr as m\n"
        "heavy = [n for n in ('rapidocr', 'onnxruntime', 'cv2', 'numpy', 'pypdfium2')"
        " if n in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == ""


# --------------------------------------------------------------------------------------
# text_layer_unusable

NORMAL_PARAGRAPH = (
    "2023年部门单位整体支出绩效评价自评表76个及自评报告76个（不含涉密单位）。"
    "整体绩效目标预算金额为123235.09万元，财政部门评价得分96.03分。"
)


@pytest.mark.parametrize(
    ("text", "unusable"),
    [
        pytest.param("", True, id="empty"),
        pytest.param(" \r\n \n\t", True, id="whitespace"),
        pytest.param("— 3 —", True, id="page-number-only"),
        pytest.param("(cid:3)(cid:17)(cid:254) " * 60, True, id="cid-runs"),
        pytest.param(
            "\x01\x01 \x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f\x10\x11\x12\x13" * 20,
            True,
            id="control-chars",
        ),
        pytest.param("\ue001\ue002\ue0a3\uf8ff、" * 40, True, id="private-use"),
        pytest.param("\ufffd\ufffd 年 \ufffd\ufffd\ufffd 元" * 30, True, id="replacement"),
        pytest.param("hghihj k§rs VWb t¨©4ª¡¢ «¬ ^®lm¯notV" * 10, True, id="latin1-garbage"),
        pytest.param("2024 骞村害姘戜赴鍘块勭畻缁╂晥宸ヤ綔寮灞曟儏鍐佃" * 5, True, id="mojibake"),
        pytest.param(NORMAL_PARAGRAPH, False, id="normal-paragraph"),
        pytest.param(NORMAL_PARAGRAPH.replace("，", " , ") * 8, False, id="normal-page"),
        pytest.param(
            "序号 部门单位 项目名称 年初预算金额\r\n4 民丰县农业农村和水利局 "
            "10,113.65 9993.67 98.81% 96.97\r\n5 民丰县尼雅镇 631.4 520.22 82.38%",
            False,
            id="table-rows",
        ),
        pytest.param(NORMAL_PARAGRAPH + "(cid:5)\x01", False, id="normal-with-a-stray-glyph"),
    ],
)
def test_text_layer_unusable_on_written_strings(text: str, unusable: bool) -> None:
    assert text_layer_unusable(text) is unusable


def _corpus_pdfs() -> list[Path]:
    return sorted(CORPUS.glob("*.pdf")) if CORPUS.is_dir() else []


@pytest.mark.parametrize("path", _corpus_pdfs(), ids=lambda p: p.name)
def test_text_layer_unusable_on_corpus_pages(corpus, path: Path) -> None:
    """Every page of the scan and no-Unicode PDFs needs OCR; no page of the others does."""
    import pypdfium2 as pdfium

    needs_ocr = ".scan." in path.name or ".nounicode." in path.name
    pdf = pdfium.PdfDocument(path)
    try:
        verdicts = [
            text_layer_unusable(pdf[i].get_textpage().get_text_range()) for i in range(len(pdf))
        ]
    finally:
        pdf.close()
    assert verdicts == [needs_ocr] * len(verdicts)


def test_cid_text_from_pdfplumber_is_unusable(corpus) -> None:
    import pdfplumber

    with pdfplumber.open(NOUNICODE) as pdf:
        text = pdf.pages[0].extract_text()
    assert "(cid:" in text
    assert text_layer_unusable(text)


# --------------------------------------------------------------------------------------
# Post-processing


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("金额为１２３２３５．０９万元", "金额为123235.09万元"),
        ("优等次占比９２.８％", "优等次占比92.8%"),
        ("总金额为11285 . 11万元", "总金额为11285.11万元"),
        ("资金19·94亿元", "资金19.94亿元"),
        ("民 丰 县 预 算 绩 效", "民丰县预算绩效"),
        ("2023 年 重点评价清单", "2023年重点评价清单"),
        ("10, 113.65", "10,113.65"),
        ("100 100 100.00% 99.37", "100 100 100.00% 99.37"),
        ("占比1%;同步对64家部门单位", "占比1%；同步对64家部门单位"),
        ("(一)健全预算绩效管理机制", "（一）健全预算绩效管理机制"),
        ("情况如下:", "情况如下："),
        ("2O25年", "2025年"),
        ("[2022]20号", "[2022]20号"),
        ("  ", ""),
    ],
)
def test_clean_ocr_text(raw: str, clean: str) -> None:
    assert clean_ocr_text(raw) == clean


# --------------------------------------------------------------------------------------
# Cache, progress and errors, with the engine replaced by a stub (no OCR needed)


@pytest.fixture
def blank_pdf(tmp_path: Path) -> Path:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    for _ in range(3):
        pdf.new_page(*A4)
    path = tmp_path / "扫描件.pdf"
    pdf.save(path)
    pdf.close()
    return path


@pytest.fixture
def stub_engine(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[int]:
    """OCR 'works' and returns one line per page; records the pages it was run on."""
    calls: list[int] = []

    def fake_ocr_page(engine: object, pdf: object, index: int) -> OcrPage:
        calls.append(index)
        return OcrPage([
            OcrLine(f"第{index + 1}页共计11285.11万元", 90.0, 100.0 + index, 500.0, 116.0, 0.99)
        ], [])

    monkeypatch.setenv("JIXIAO_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(ocr, "_ocr_problem", lambda: None)
    monkeypatch.setattr(ocr, "_get_engine", lambda: object())
    monkeypatch.setattr(ocr, "_ocr_page", fake_ocr_page)
    return calls


SHA = "ab" * 32


def test_results_are_cached_as_json_and_progress_is_reported(
    blank_pdf: Path, stub_engine: list[int], tmp_path: Path
) -> None:
    seen: list[tuple[int, int]] = []
    first = ocr_pdf_pages(blank_pdf, [2, 0], sha256=SHA, progress=lambda d, t: seen.append((d, t)))
    assert list(first) == [2, 0]
    assert first[2][0].text == "第3页共计11285.11万元"
    assert seen == [(1, 2), (2, 2)]
    assert stub_engine == [2, 0]

    files = sorted((tmp_path / "cache" / "ocr").rglob("*.json"))
    assert len(files) == 2
    payload = json.loads(files[0].read_text(encoding="utf-8"))
    assert payload["sha256"] == SHA and payload["version"] == ocr.CACHE_VERSION

    seen.clear()
    again = ocr_pdf_pages(
        blank_pdf, [0, 1, 2], sha256=SHA, progress=lambda d, t: seen.append((d, t))
    )
    assert again[0] == first[0] and again[2] == first[2]
    assert stub_engine == [2, 0, 1]  # only the new page was OCRed
    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_corrupt_cache_entry_is_ignored_and_rewritten(
    blank_pdf: Path, stub_engine: list[int]
) -> None:
    ocr_pdf_pages(blank_pdf, [1], sha256=SHA)
    entry = ocr._cache_path(SHA, 1)
    for garbage in ('{"version": 1, "lines": [', '{"version": 1, "sha256": 5}', "\x00\xff"):
        entry.write_text(garbage, encoding="utf-8")
        result = ocr_pdf_pages(blank_pdf, [1], sha256=SHA)
        assert result[1][0].text == "第2页共计11285.11万元"
        assert json.loads(entry.read_text(encoding="utf-8"))["page"] == 1
    assert stub_engine == [1, 1, 1, 1]
    ocr_pdf_pages(blank_pdf, [1], sha256=SHA)
    assert stub_engine == [1, 1, 1, 1]


def test_cache_key_is_file_hash_and_page(blank_pdf: Path, stub_engine: list[int]) -> None:
    ocr_pdf_pages(blank_pdf, [0], sha256=SHA)
    ocr_pdf_pages(blank_pdf, [0], sha256="cd" * 32)
    ocr_pdf_pages(blank_pdf, [0], sha256=SHA.upper())  # same hash, other spelling
    assert stub_engine == [0, 0]


def test_missing_extra_raises_chinese_error(
    blank_pdf: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("JIXIAO_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(
        ocr,
        "_ocr_problem",
        lambda: "没有可用的文字层，需要OCR识别；请安装可选组件：pip install 'jixiao[ocr]'",
    )
    with pytest.raises(OcrUnavailableError) as info:
        ocr_pdf_pages(blank_pdf, [1, 2], sha256=SHA)
    err = info.value
    assert isinstance(err, OcrRequiredError) and isinstance(err, JixiaoError)
    assert str(err) == (
        "扫描件.pdf: 第2、3页没有可用的文字层，需要OCR识别；"
        "请安装可选组件：pip install 'jixiao[ocr]'"
    )


def test_cached_pages_need_no_extra(
    blank_pdf: Path, stub_engine: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    ocr_pdf_pages(blank_pdf, [0], sha256=SHA)
    monkeypatch.setattr(ocr, "_ocr_problem", lambda: "没有可用的文字层")
    assert ocr_pdf_pages(blank_pdf, [0], sha256=SHA)[0][0].text == "第1页共计11285.11万元"
    with pytest.raises(OcrUnavailableError, match="第2页"):
        ocr_pdf_pages(blank_pdf, [0, 1], sha256=SHA)


def test_bad_arguments(blank_pdf: Path, stub_engine: list[int]) -> None:
    with pytest.raises(ValueError, match="第4页不存在"):
        ocr_pdf_pages(blank_pdf, [3], sha256=SHA)
    with pytest.raises(ValueError, match="sha256"):
        ocr_pdf_pages(blank_pdf, [0], sha256="../../etc")
    with pytest.raises(ValueError):
        ocr_pdf_pages(blank_pdf, [-1], sha256=SHA)


def test_unwritable_cache_does_not_break_ocr(
    blank_pdf: Path, stub_engine: list[int], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    monkeypatch.setenv("JIXIAO_CACHE_DIR", str(blocker))
    assert ocr_pdf_pages(blank_pdf, [0], sha256=SHA)[0]
    assert ocr_pdf_pages(blank_pdf, [0], sha256=SHA)[0]
    assert stub_engine == [0, 0]


# --------------------------------------------------------------------------------------
# Real OCR of the corpus


@pytest.mark.ocr
@pytest.mark.parametrize(
    ("page", "figure"),
    [
        (1, "218.74万元"),
        (1, "项目绩效目标459个"),
        (1, "涉及资金19.94亿元"),
        (1, "同比增长39.9%"),
        (2, "“优”等次项目占比92.8%"),
        (2, "5月完成107个项目督办"),
        (3, "涉及金额2.36亿元"),
        (3, "100.56万元"),
    ],
)
def test_scan_pdf_figures(scan_ocr: dict[int, list[OcrLine]], page: int, figure: str) -> None:
    assert figure in _page_text(scan_ocr[page])


@pytest.mark.ocr
@pytest.mark.parametrize(
    ("page", "figure"),
    [
        (0, "整体绩效目标预算金额为123235.09万元"),
        (0, "绩效评价中心得分98.30分"),
        (1, "总金额为11285.11万元"),
        (2, "对81个部门、13.304271亿元整体预算"),
        (2, "2023年重点评价清单"),
    ],
)
def test_nounicode_pdf_figures(
    nounicode_ocr: dict[int, list[OcrLine]], page: int, figure: str
) -> None:
    assert figure in _page_text(nounicode_ocr[page])


def _word_box(path: Path, index: int, word: str) -> tuple[float, float, float, float]:
    """Where the text layer of ``path`` draws ``word``: (x0, top, x1, bottom) in points."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for w in pdf.pages[index].extract_words():
            if w["text"] == word:
                return w["x0"], w["top"], w["x1"], w["bottom"]
    raise AssertionError(f"{word} not on page {index + 1} of {path.name}")


@pytest.mark.ocr
def test_nounicode_table_cells_are_separate_lines_where_the_pdf_draws_them(
    nounicode_ocr: dict[int, list[OcrLine]],
) -> None:
    """Row 4 of 2023年重点评价清单: 年初预算金额 10,113.65, 资金执行金额 9993.67."""
    lines = nounicode_ocr[2]
    budget = [ln for ln in lines if ln.text.replace(",", "") == "10113.65"]
    spent = [ln for ln in lines if ln.text == "9993.67"]
    assert len(budget) == 1 and len(spent) == 1, [ln.text for ln in lines]
    budget_line, spent_line = budget[0], spent[0]
    # Same table row, budget column left of the spent column, budget read first.
    assert abs(budget_line.top - spent_line.top) < 5
    assert budget_line.x1 < spent_line.x0
    assert lines.index(budget_line) < lines.index(spent_line)
    # The boxes sit where the original's text layer draws these numbers (PDF points,
    # origin top-left, like pdfplumber).
    for line, word in ((budget_line, "10,113.65"), (spent_line, "9993.67")):
        x0, top, x1, bottom = _word_box(NOUNICODE_ORIGINAL, 2, word)
        assert abs(line.x0 - x0) < 3 and abs(line.x1 - x1) < 3
        assert abs(line.top - top) < 4 and abs(line.bottom - bottom) < 4
    # The header cells on both sides of a column rule are not run together.
    texts = [ln.text for ln in lines]
    assert "年初预算金" in texts and "资金执行金" in texts


@pytest.mark.ocr
def test_boxes_are_pdf_points_in_reading_order(scan_ocr: dict[int, list[OcrLine]]) -> None:
    lines = scan_ocr[1]
    assert all(0 <= ln.x0 < ln.x1 <= A4[0] and 0 <= ln.top < ln.bottom <= A4[1] for ln in lines)
    assert all(0.5 <= ln.score <= 1 for ln in lines)
    # Body lines come top to bottom; the page ends with its page number "-2-".
    tops = [ln.top for ln in lines]
    assert tops == sorted(tops)
    assert lines[0].text.startswith("三方机构进行考核")
    assert lines[-1].text.strip("-—一") == "2"
    # Paragraph starts are indented two characters (32 pt) in the original; OCR shows it.
    first = next(ln for ln in lines if ln.text.startswith("（二）推进事前绩效评估"))
    x0, top, _, _ = _word_box(
        SCAN_ORIGINAL, 1, "（二）推进事前绩效评估，严把项目预算入口。一是事前"
    )
    assert abs(first.x0 - x0) < 3 and abs(first.top - top) < 4
    assert first.x0 - lines[0].x0 > 25


@pytest.mark.ocr
def test_line_boxes_match_the_text_layer_of_the_original(
    scan_ocr: dict[int, list[OcrLine]],
) -> None:
    """Every OCR line that reads exactly like a text-layer line of the original spans the
    same x range (within 3 pt = 0.2 em): indents and short last lines of paragraphs look
    the same to the layout code, also for lines starting with （ or ending in ，。、"""
    import pdfplumber

    compared = 0
    with pdfplumber.open(SCAN_ORIGINAL) as pdf:
        for page in SCAN_PAGES:
            truth = {_squash(t["text"]): t for t in pdf.pages[page].extract_text_lines()}
            for line in scan_ocr[page]:
                match = truth.get(_squash(line.text))
                if match is None:
                    continue
                compared += 1
                assert abs(line.x0 - match["x0"]) < 3, (line, match["x0"])
                assert abs(line.x1 - match["x1"]) < 3, (line, match["x1"])
                assert abs(line.top - match["top"]) < 4, (line, match["top"])
    assert compared >= 50


@pytest.mark.ocr
def test_character_accuracy_against_the_originals_text_layer(
    scan_ocr: dict[int, list[OcrLine]], nounicode_ocr: dict[int, list[OcrLine]]
) -> None:
    """difflib ratio of OCR text vs the original's text layer, whitespace ignored.

    Measured: 0.99-0.997 per body page (differences: page numbers "—2—" read "-2-",
    a dash read as 一); the table page scores lower only because multi-line cells are
    read row by row rather than cell by cell.
    """
    cases = [(SCAN_ORIGINAL, scan_ocr, p, 0.98) for p in SCAN_PAGES]
    cases += [(NOUNICODE_ORIGINAL, nounicode_ocr, p, 0.98) for p in (0, 1)]
    cases += [(NOUNICODE_ORIGINAL, nounicode_ocr, 2, 0.8)]
    for original, result, page, floor in cases:
        truth = _squash(_text_layer(original, page))
        got = _squash("\n".join(ln.text for ln in result[page]))
        ratio = difflib.SequenceMatcher(None, truth, got, autojunk=False).ratio()
        assert ratio >= floor, (original.name, page, ratio)


@pytest.mark.ocr
def test_second_call_comes_from_the_cache(
    scan_ocr: dict[int, list[OcrLine]], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_engine(*_args: object) -> None:
        raise AssertionError("OCR engine used although the pages are cached")

    monkeypatch.setattr(ocr, "_get_engine", no_engine)
    monkeypatch.setattr(ocr, "_ocr_page", no_engine)
    start = time.perf_counter()
    again = ocr_pdf_pages(SCAN, SCAN_PAGES, sha256=_sha256(SCAN))
    assert time.perf_counter() - start < 1.0
    assert again == scan_ocr


@pytest.mark.ocr
def test_blank_page_gives_no_lines(requires_ocr) -> None:
    import numpy as np

    white = np.full((1754, 1241, 3), 255, dtype=np.uint8)
    assert ocr._ocr_image(ocr._get_engine(), white) == []


@pytest.mark.ocr
def test_engine_runs_offline_on_the_bundled_models(
    corpus, requires_ocr, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing is fetched at run time: build a fresh engine with the network cut off."""
    import pypdfium2 as pdfium

    models = ocr._models_dir()
    before = sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in models.iterdir())

    def no_network(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("network access during OCR")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.setattr(ocr, "_engine", None)

    engine = ocr._get_engine()
    pdf = pdfium.PdfDocument(SCAN)
    try:
        image, scale = ocr._render(pdf, 1)
    finally:
        pdf.close()
    assert scale == pytest.approx(150 / 72)
    # The top half of the page, to keep it quick. (Not less: RapidOCR scales images whose
    # short side is under 736 px up for detection, and very wide strips read worse.)
    lines = ocr._ocr_image(engine, image[:800])
    text = "".join(clean_ocr_text(t) for t, *_ in lines)
    assert "三方机构进行考核" in text

    from rapidocr.utils.download_file import DownloadFile

    with pytest.raises(RuntimeError, match="download"):
        DownloadFile.run(None)
    after = sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in models.iterdir())
    assert after == before
