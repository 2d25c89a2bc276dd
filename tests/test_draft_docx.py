"""The drafted report as a person checks it in Word: GB/T 9704-2012 page, fonts and layout.

The .docx is opened with python-docx and checked for what Word shows: the page set-up,
the East Asian font and size of each style (the font Word uses for Chinese text), the
indents and alignments, the Heading styles behind the navigation pane, the "— N —" page
numbers at the outer edge and the issuer and date at the end. Where LibreOffice is
installed the document is also converted to PDF, to see that it lays out and numbers its
pages.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from jixiao.generate.draft import draft_report, previous_from_file

from .conftest import require

PREVIOUS = Path(__file__).resolve().parents[1] / "corpus" / "sample" / "qinghe_2024.txt"
COUNTY, YEAR = "青禾县", 2025

FIGURES = (Path(__file__).parent / "data" / "figures_qinghe_2025.yaml").read_text("utf-8")

TWO_CHARACTERS = Pt(32)  # first-line indent: two 三号 (16 pt) characters
DATE = re.compile(r"\d{4}年[1-9]\d?月[1-9]\d?日")


@pytest.fixture(scope="module")
def draft_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("draft_docx")
    figures = tmp / "figures.yaml"
    figures.write_text(FIGURES, encoding="utf-8")
    out = tmp / "draft.docx"
    draft_report(figures, county=COUNTY, year=YEAR, output=out,
                 previous=previous_from_file(PREVIOUS))
    return out


@pytest.fixture(scope="module")
def doc(draft_path: Path) -> Any:
    return Document(str(draft_path))


@pytest.fixture(scope="module")
def issuer() -> str:
    return previous_from_file(PREVIOUS).issuer or f"{COUNTY}财政局"


# --------------------------------------------------------------------------- helpers
# Word resolves a property from the run, then the paragraph's style and the styles it is
# based on, then the document defaults. Within one w:rFonts, a theme font (w:eastAsiaTheme)
# wins over the named one (w:eastAsia), so a style that keeps its theme attribute shows the
# theme's font whatever font it names.

def _east_asian_font(rpr_chain: list[Any]) -> str | None:
    for rpr in rpr_chain:
        rfonts = None if rpr is None else rpr.find(qn("w:rFonts"))
        if rfonts is None:
            continue
        theme = rfonts.get(qn("w:eastAsiaTheme"))
        if theme is not None:
            return f"theme:{theme}"
        name = rfonts.get(qn("w:eastAsia"))
        if name is not None:
            return name
    return None


def _style_chain(style: Any) -> list[Any]:
    chain = []
    while style is not None:
        chain.append(style)
        style = style.base_style
    return chain


def _defaults_rpr(document: Any) -> Any:
    return document.styles.element.find(
        f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")


def style_font(document: Any, style: Any) -> str | None:
    """The East Asian font Word shows for text in ``style``."""
    chain = [s.element.rPr for s in _style_chain(style)] + [_defaults_rpr(document)]
    return _east_asian_font(chain)


def run_font(document: Any, paragraph: Any, run: Any) -> str | None:
    return _east_asian_font([run._r.rPr] + [s.element.rPr for s in _style_chain(paragraph.style)]
                            + [_defaults_rpr(document)])


def style_size(style: Any) -> Any:
    for s in _style_chain(style):
        if s.font.size is not None:
            return s.font.size
    return None


def run_size(paragraph: Any, run: Any) -> Any:
    return run.font.size if run.font.size is not None else style_size(paragraph.style)


def alignment(paragraph: Any) -> Any:
    if paragraph.alignment is not None:
        return paragraph.alignment
    for s in _style_chain(paragraph.style):
        if s.paragraph_format.alignment is not None:
            return s.paragraph_format.alignment
    return None


def first_line_indent(paragraph: Any) -> Any:
    if paragraph.paragraph_format.first_line_indent is not None:
        return paragraph.paragraph_format.first_line_indent
    for s in _style_chain(paragraph.style):
        if s.paragraph_format.first_line_indent is not None:
            return s.paragraph_format.first_line_indent
    return 0


def outline_level(style: Any) -> int | None:
    ppr = style.element.pPr
    level = None if ppr is None else ppr.find(qn("w:outlineLvl"))
    return None if level is None else int(level.get(qn("w:val")))


def body_paragraphs(document: Any) -> list[Any]:
    """The report's text: Normal paragraphs with text, without the issuer and date."""
    return [p for p in document.paragraphs[:-2] if p.style.name == "Normal" and p.text.strip()]


def field_tokens(paragraph: Any) -> list[str]:
    """Text, field characters and field codes of a paragraph, in document order."""
    tokens = []
    for el in paragraph._p.iter(qn("w:t"), qn("w:fldChar"), qn("w:instrText")):
        if el.tag == qn("w:fldChar"):
            tokens.append(f"<{el.get(qn('w:fldCharType'))}>")
        elif el.tag == qn("w:instrText"):
            tokens.append(f"[{el.text.strip()}]")
        else:
            tokens.append(el.text)
    return tokens


# --------------------------------------------------------------------------- the page

def test_page_is_a4_with_official_margins(doc: Any) -> None:
    assert len(doc.sections) == 1
    section = doc.sections[0]
    assert section.page_width.mm == pytest.approx(210, abs=0.5)
    assert section.page_height.mm == pytest.approx(297, abs=0.5)
    margins = (section.top_margin, section.bottom_margin, section.left_margin,
               section.right_margin)
    assert [m.mm for m in margins] == [pytest.approx(v, abs=0.5) for v in (37, 35, 28, 26)]
    # The page number sits in the bottom margin, below the type area.
    assert 0 < section.footer_distance.mm < section.bottom_margin.mm


def test_document_language_is_chinese(doc: Any) -> None:
    lang = _defaults_rpr(doc).find(qn("w:lang"))
    assert lang is not None and lang.get(qn("w:eastAsia")) == "zh-CN"


# --------------------------------------------------------------------------- the title

def test_title_is_centred_xiaobiaosong_22pt_in_the_title_style(doc: Any) -> None:
    title = doc.paragraphs[0]
    assert title.text == f"{COUNTY}{YEAR}年度预算绩效管理工作情况说明"
    assert title.style.name == "Title"
    style = title.style
    assert style_font(doc, style) == "方正小标宋简体"
    assert style_size(style) == Pt(22)
    assert alignment(title) == WD_ALIGN_PARAGRAPH.CENTER
    assert first_line_indent(title) == 0
    for run in title.runs:
        assert run_font(doc, title, run) == "方正小标宋简体"
        assert run_size(title, run) == Pt(22)
    # Word's Title style draws a blue rule under the title, colours it and spreads its
    # letters: an official title has none of that.
    ppr, rpr = style.element.pPr, style.element.rPr
    assert ppr is None or ppr.find(qn("w:pBdr")) is None
    assert style.font.color.theme_color is None
    assert style.font.color.rgb in (None, RGBColor(0, 0, 0))
    assert rpr.find(qn("w:spacing")) is None
    assert not style.font.bold and not style.font.italic


# --------------------------------------------------------------------------- the body

def test_body_is_fangsong_16pt_with_a_two_character_indent(doc: Any) -> None:
    normal = doc.styles["Normal"]
    assert style_font(doc, normal) == "仿宋_GB2312"
    assert style_size(normal) == Pt(16)
    paragraphs = body_paragraphs(doc)
    assert len(paragraphs) >= 10
    for p in paragraphs:
        assert first_line_indent(p) == TWO_CHARACTERS, p.text
        assert alignment(p) in (None, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.JUSTIFY), p.text
        for run in p.runs:
            assert run_font(doc, p, run) == "仿宋_GB2312", p.text
            assert run_size(p, run) == Pt(16), p.text
            assert not run.bold, p.text


def test_body_has_a_fixed_line_pitch_of_22_lines_a_page(doc: Any) -> None:
    pf = doc.styles["Normal"].paragraph_format
    assert pf.line_spacing is not None and pf.line_spacing.pt == pytest.approx(28.95, abs=0.1)
    section = doc.sections[0]
    type_area_pt = (section.page_height - section.top_margin - section.bottom_margin) / 12700
    assert int(type_area_pt // pf.line_spacing.pt) == 22
    assert pf.space_before in (None, 0) and pf.space_after in (None, 0)


# --------------------------------------------------------------------------- headings

@pytest.mark.parametrize(("level", "font"), [(1, "黑体"), (2, "楷体_GB2312")])
def test_headings_use_the_builtin_heading_styles(doc: Any, level: int, font: str) -> None:
    name = f"Heading {level}"
    headings = [p for p in doc.paragraphs if p.style.name == name]
    assert headings, f"no paragraph in {name}"
    style = headings[0].style
    # The built-in style (not a look-alike custom style) with its outline level is what
    # the navigation pane lists.
    assert style.builtin
    assert outline_level(style) == level - 1
    assert style_font(doc, style) == font
    assert style_size(style) == Pt(16)
    assert not style.font.bold and not style.font.italic
    assert style.font.color.theme_color is None
    assert style.font.color.rgb in (None, RGBColor(0, 0, 0))
    for p in headings:
        assert first_line_indent(p) == TWO_CHARACTERS, p.text
        for run in p.runs:
            assert run_font(doc, p, run) == font, p.text
            assert run_size(p, run) == Pt(16), p.text
    if level == 1:
        # the part titles of last year's report (corpus/sample/qinghe_2024.txt), renumbered
        assert [p.text for p in headings][:3] == ["一、主要工作及成效", "二、存在的问题",
                                                  "三、下一步工作计划"]
    else:
        assert all(re.match(r"（[一二三四五六七八九十]+）", p.text) for p in headings)


# --------------------------------------------------------------------------- page numbers

def test_footer_has_a_page_field_between_dashes(doc: Any) -> None:
    section = doc.sections[0]
    for footer in (section.footer, section.even_page_footer):
        assert not footer.is_linked_to_previous
        texts = [p for p in footer.paragraphs if p.text.strip()]
        assert len(texts) == 1
        p = texts[0]
        tokens = field_tokens(p)
        assert tokens[0] == "— " and tokens[-1] == " —", tokens
        inner = tokens[1:-1]
        assert inner[0] == "<begin>" and inner[-1] == "<end>", tokens
        assert "[PAGE]" in inner and inner.index("[PAGE]") < inner.index("<separate>"), tokens
        assert p.text == "— 1 —"
        assert first_line_indent(p) == 0
        for run in p.runs:
            assert run_font(doc, p, run) == "宋体"
            assert run_size(p, run) == Pt(14)  # 四号


def test_page_numbers_sit_at_the_outer_edge(doc: Any) -> None:
    section = doc.sections[0]
    assert doc.settings.odd_and_even_pages_header_footer
    odd = next(p for p in section.footer.paragraphs if p.text.strip())
    even = next(p for p in section.even_page_footer.paragraphs if p.text.strip())
    assert alignment(odd) == WD_ALIGN_PARAGRAPH.RIGHT
    assert alignment(even) == WD_ALIGN_PARAGRAPH.LEFT


# --------------------------------------------------------------------------- the end

def test_issuer_and_date_close_the_report_right_aligned(doc: Any, issuer: str) -> None:
    *_, issuer_p, date_p = doc.paragraphs
    assert issuer_p.text == issuer
    assert DATE.fullmatch(date_p.text), date_p.text
    assert date_p.text.startswith(f"{YEAR + 1}年")
    for p in (issuer_p, date_p):
        assert alignment(p) == WD_ALIGN_PARAGRAPH.RIGHT
        assert first_line_indent(p) == 0
        for run in p.runs:
            assert run_font(doc, p, run) == "仿宋_GB2312"
            assert run_size(p, run) == Pt(16)
    # Set off from the last paragraph of the text by an empty line.
    assert doc.paragraphs[-3].text == ""


# --------------------------------------------------------------------------- LibreOffice

def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.slow
def test_libreoffice_lays_out_and_numbers_the_pages(draft_path: Path, tmp_path: Path,
                                                    issuer: str) -> None:
    if _soffice() is None:
        require("soffice", "LibreOffice (soffice) is not installed: the PDF rendering check is "
                           "skipped; install it with apt-get install libreoffice-writer")
    pypdf = pytest.importorskip("pypdf")
    soffice = _soffice()
    assert soffice is not None
    outdir = tmp_path / "pdf"
    home = tmp_path / "home"  # a profile of its own: no clash with a running LibreOffice
    home.mkdir()
    env = {**os.environ, "HOME": str(home)}
    try:
        done = subprocess.run(
            [soffice, "--headless", f"-env:UserInstallation={home.as_uri()}",
             "--convert-to", "pdf", "--outdir", str(outdir), str(draft_path)],
            env=env, capture_output=True, text=True, timeout=180, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail("LibreOffice did not convert the draft within 180 s")
    pdf = outdir / "draft.pdf"
    assert done.returncode == 0 and pdf.exists(), done.stdout + done.stderr
    reader = pypdf.PdfReader(str(pdf))
    pages = len(reader.pages)
    assert pages >= 1
    texts = [re.sub(r"\s+", "", page.extract_text() or "") for page in reader.pages]
    assert f"{COUNTY}{YEAR}年度预算绩效管理工作情况说明" in texts[0]
    assert "—1—" in texts[0]
    assert f"—{pages}—" in texts[-1]
    assert issuer in texts[-1]
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(595.3, abs=2)  # A4 in points
    assert float(box.height) == pytest.approx(841.9, abs=2)
