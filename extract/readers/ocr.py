"""OCR of PDF pages that have no usable text layer (scans, fonts without /ToUnicode).

The PDF reader extracts text with pypdfium2 and asks :func:`text_layer_unusable` whether
a page's text can be trusted. Pages that fail go to :func:`ocr_pdf_pages`, which renders
them with pypdfium2 and runs RapidOCR (PP-OCR models on onnxruntime). The result is a list
of :class:`OcrLine` per page whose boxes are in PDF points with the origin at the top-left
of the page, exactly like pdfplumber's and the text-layer lines, so the caller can repair
layout (indents, short lines, right-aligned signatures) the same way for both.

Design points (figures measured on the corpus, whose scan and no-Unicode PDFs are
renditions of PDFs with a good text layer; see ``tests/test_ocr.py``):

* Nothing is fetched at run time. RapidOCR 3.x ships its ONNX models inside the wheel;
  we pass their paths explicitly, which skips RapidOCR's download code, check that the
  files exist, and disable its downloader outright in case a later version reaches it.
* Pages are rendered at 150 dpi: an A4 page is then 1241 x 1754 px, just under RapidOCR's
  own 2000 px limit (bigger renders are shrunk again, so they cost time for nothing), and
  a 150 dpi scan is OCRed at its native resolution. 108 dpi read the corpus as well and
  25% faster, but leaves a 9 pt table figure only 13 px tall; 200-300 dpi gained nothing.
* The text-line orientation classifier is off: pages are rendered upright (it could only
  flip a line by 180 degrees) and it costs time.
* Result: about 3.5-4 s per A4 page on 2 cores (7 s of CPU); characters as in the
  original text layer: 99.5 % (difflib ratio, whitespace ignored) on body pages, every
  figure recovered.
* The engine is built once per process; importing this module stays cheap (rapidocr,
  onnxruntime, numpy and OpenCV are imported on first use).
* Results are cached per file hash and page, so re-reading a report is instant.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import re
import tempfile
import threading
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jixiao.errors import OcrRequiredError

if TYPE_CHECKING:  # pragma: no cover - typing only
    import numpy as np

__all__ = [
    "OcrLine",
    "OcrPage",
    "OcrUnavailableError",
    "clean_ocr_text",
    "ocr_available",
    "ocr_pdf",
    "ocr_pdf_pages",
    "text_layer_unusable",
]

# Bump whenever rendering, the models, the post-processing or the line format change:
# entries written under another version are simply not found. (5: table grids cached.)
CACHE_VERSION = 5

# 150 dpi: see the module docstring. Capped so the longest side stays within RapidOCR's
# max_side_len (2000 px), beyond which it would downscale the image itself.
RENDER_DPI = 150
MAX_SIDE_PX = 2000

# RapidOCR drops recognised lines below this confidence (its default too).
MIN_SCORE = 0.5

# The models bundled in the rapidocr 3.x wheel (rapidocr/models/), i.e. its defaults:
# PP-OCRv6 small detection and recognition (the recogniser carries its character list
# in the ONNX metadata, so no dictionary file is needed either).
_DET_MODEL = "PP-OCRv6_det_small.onnx"
_REC_MODEL = "PP-OCRv6_rec_small.onnx"

_INSTALL_HINT = "请安装可选组件：pip install 'jixiao[ocr]'"


@dataclass(frozen=True, slots=True)
class OcrLine:
    """One recognised line of text.

    Coordinates are PDF points, origin at the top-left corner of the page (as pdfplumber
    reports them), so OCR lines and text-layer lines go through the same layout code.
    ``score`` is the recogniser's confidence (0-1).
    """

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    score: float


@dataclass(frozen=True, slots=True)
class OcrPage:
    """An OCRed page: its lines in reading order, and the ruled tables drawn in its image
    (each a list of rows of cell boxes in points, ``None`` for a cell covered by a merged
    neighbour; see :mod:`jixiao.extract.readers.grid`)."""

    lines: list[OcrLine]
    grids: list[list[list[tuple[float, float, float, float] | None]]]


class OcrUnavailableError(OcrRequiredError):
    """OCR is needed but the ``jixiao[ocr]`` extra (or its bundled models) is missing.

    A :class:`jixiao.errors.JixiaoError`, so the CLI prints ``str(err)`` — file name and
    a Chinese reason — and exits with status 2 instead of showing a traceback.
    """


# --------------------------------------------------------------------------------------
# Is the text layer usable?

_CID_TOKEN = re.compile(r"\(cid:\d+\)")
# Fewer CJK characters and digits than this on a page: treat it as having no text layer.
# A scan often carries only a page number or a header stamp as text; OCRing a genuinely
# short page costs a few seconds and gives the same text, missing a scanned page loses it.
MIN_USEFUL_CHARS = 20
# More than this share of control / private-use / replacement characters (or (cid:N)
# tokens): the fonts have no usable Unicode map.
MAX_GARBAGE_SHARE = 0.05
# Less than this share of CJK characters and digits: not the text of a Chinese report
# page (garbage from fonts with a wrong map often comes out as Latin-1 letters).
MIN_USEFUL_SHARE = 0.3
# Less than this share of the CJK characters among the 500 most frequent ones: a wrong
# map that lands on CJK code points, or mojibake ("骞村害姘戜赴"). Report pages in the
# corpus score 0.70-0.82; mis-mapped text 0.005-0.2.
MIN_COMMON_SHARE = 0.35
# The 500 most frequent characters of modern Chinese (plus a few of every report: 绩 预
# 财 项 县 ...).
_COMMON_CJK = frozenset(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同"
    "工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理"
    "起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义"
    "事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结"
    "解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设"
    "及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决"
    "西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济"
    "阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万"
    "每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记"
    "需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技"
    "备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候"
    "毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细"
    "引听该铁价严绩预财项评监"
)


def _is_cjk(ch: str) -> bool:
    cp = ord(ch)
    return (
        0x4E00 <= cp <= 0x9FFF
        or 0x3400 <= cp <= 0x4DBF
        or 0xF900 <= cp <= 0xFAFF
        or 0x20000 <= cp <= 0x3134F
    )


def _is_digit(ch: str) -> bool:
    return "0" <= ch <= "9" or "０" <= ch <= "９"


def _is_garbage(ch: str) -> bool:
    # Cc: control characters (pdfium returns raw glyph codes 0x01..0x1f for fonts without
    # a map), Co: private use, Cs: lone surrogates, Cn: unassigned; U+FFFD replacement.
    return ch == "\ufffd" or unicodedata.category(ch) in ("Cc", "Co", "Cs", "Cn")


def text_layer_unusable(text: str) -> bool:
    """True when a page's extracted text cannot stand for the page, so it must be OCRed.

    That is when it is empty or nearly so (scans), or mostly garbage: ``(cid:12)`` runs
    (pdfminer/pdfplumber), control, private-use or replacement characters (pdfium on fonts
    without a /ToUnicode map), or text with almost no CJK characters or digits where a
    Chinese report page is full of them, or CJK characters that are nearly all rare ones
    (a font map pointing at the wrong code points, mojibake).

    >>> text_layer_unusable("")
    True
    >>> text_layer_unusable("- 3 -")
    True
    >>> text_layer_unusable("(cid:12)(cid:7)(cid:3)" * 40)
    True
    >>> text_layer_unusable("\\x01\\x04\\x05\\x06\\x07 hghihj k§¨©ª¡¢" * 20)
    True
    >>> text_layer_unusable("2023年部门单位整体支出绩效评价自评表76个及自评报告76个。")
    False
    >>> text_layer_unusable("2024 骞村害姘戜赴鍘块勭畻缁╂晥宸ヤ綔寮灞曟儏鍐佃鏄锛堜竴")
    True
    """
    body, n_cid = _CID_TOKEN.subn("", text)
    chars = [c for c in body if not c.isspace()]
    total = len(chars) + n_cid
    useful = sum(1 for c in chars if _is_cjk(c) or _is_digit(c))
    if useful < MIN_USEFUL_CHARS:
        return True
    garbage = n_cid + sum(1 for c in chars if _is_garbage(c))
    if garbage > MAX_GARBAGE_SHARE * total:
        return True
    if useful < MIN_USEFUL_SHARE * total:
        return True
    cjk = [c for c in chars if _is_cjk(c)]
    if len(cjk) >= MIN_USEFUL_CHARS:
        common = sum(1 for c in cjk if c in _COMMON_CJK)
        return common < MIN_COMMON_SHARE * len(cjk)
    return False


# --------------------------------------------------------------------------------------
# Post-processing of recognised text

_CJK_CLASS = (
    r"\u2e80-\u2fff\u3001-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff0f"
    r"\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2014\u2018-\u201f\u2026"
)
_FOLD = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)}  # ０-９ -> 0-9
_FOLD |= {0xFF05: ord("%"), 0xFE6A: ord("%"), 0x3000: ord(" "), 0x00A0: ord(" ")}
# A letter O/o or l/I between digits is a misread 0/1 ("2O23", "1l285").
_ZERO_IN_NUMBER = re.compile(r"(?<=\d)[Oo](?=\d)")
_ONE_IN_NUMBER = re.compile(r"(?<=\d)[lI](?=\d)")
# A decimal point read as a full-width stop or a middle dot, or with spaces around it
# ("11285 . 11", "92·8"). The ideographic full stop 。 is not touched: "为100。2023年".
_DECIMAL_POINT = re.compile(r"(?<=\d) *[.．·•∙] *(?=\d)")
# Spaces around a thousands separator ("10, 113.65").
_THOUSANDS = re.compile(r"(?<=\d) *, *(?=\d{3}(?!\d))")
# OCR puts spaces between CJK characters and around numbers in CJK text; a Chinese text
# layer has none there.
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK_CLASS}]) +| +(?=[{_CJK_CLASS}])")
# ASCII punctuation touching CJK text is the full-width mark misread ("占比1%;同步").
_ASCII_PUNCT = re.compile(rf"(?<=[{_CJK_CLASS}])[,;:?!()]|[,;:?!()](?=[{_CJK_CLASS}])")
_FULLWIDTH_PUNCT = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
# After that, a bracket pair may be mixed ("(1）加强"); make it consistent.
_MIXED_PARENS = re.compile(r"[(（]([^()（）]{0,30})[)）]")
_MULTI_SPACE = re.compile(r" {2,}")


def clean_ocr_text(text: str) -> str:
    """Minimal clean-up of one recognised line, so it reads like a Chinese text layer.

    Kept deliberately small (and local, not the shared normaliser) so that cached results
    only change when :data:`CACHE_VERSION` does.

    >>> clean_ocr_text("总金额为１１２８５．１１万元，占比９２.８％")
    '总金额为11285.11万元，占比92.8%'
    >>> clean_ocr_text("民 丰 县 2023 年 预算 11285 . 11 万元")
    '民丰县2023年预算11285.11万元'
    >>> clean_ocr_text("10, 113.65 9993.67 98.81% 96.97")
    '10,113.65 9993.67 98.81% 96.97'
    >>> clean_ocr_text("次占比1%;同步对64个部门(单位)开展:")
    '次占比1%；同步对64个部门（单位）开展：'
    >>> clean_ocr_text("(1)加强培训")
    '（1）加强培训'
    """
    text = unicodedata.normalize("NFC", text).translate(_FOLD)
    text = _ZERO_IN_NUMBER.sub("0", text)
    text = _ONE_IN_NUMBER.sub("1", text)
    text = _DECIMAL_POINT.sub(".", text)
    text = _THOUSANDS.sub(",", text)
    text = _SPACE_NEAR_CJK.sub("", text)
    text = _ASCII_PUNCT.sub(lambda m: _FULLWIDTH_PUNCT[m.group()], text)
    if "（" in text or "）" in text:
        text = _MIXED_PARENS.sub(_parens, text)
    return _MULTI_SPACE.sub(" ", text).strip()


def _parens(match: re.Match[str]) -> str:
    whole = match.group()
    if whole[0] == "(" and whole[-1] == ")":
        return whole
    return f"（{match.group(1)}）"


# --------------------------------------------------------------------------------------
# Engine (lazy, one per process)

_engine: Any = None
_engine_lock = threading.Lock()
# RapidOCR's __call__ stores its per-call options on the engine; serialise calls.
_call_lock = threading.Lock()


def _models_dir() -> Path:
    import rapidocr

    return Path(rapidocr.__file__).resolve().parent / "models"


@cache
def _ocr_problem() -> str | None:
    """Why OCR cannot run here (Chinese, for the user), or None when it can."""
    try:
        import numpy  # noqa: F401
        import onnxruntime  # noqa: F401
        import rapidocr
        from rapidocr import RapidOCR  # noqa: F401  (imports OpenCV, omegaconf, ...)
    except Exception:  # ImportError, or a broken native library (OSError)
        return f"没有可用的文字层，需要OCR识别；{_INSTALL_HINT}"
    models = Path(rapidocr.__file__).resolve().parent / "models"
    missing = [name for name in (_DET_MODEL, _REC_MODEL) if not (models / name).is_file()]
    if missing:
        return (
            f"没有可用的文字层，需要OCR识别，但OCR组件缺少内置模型（{', '.join(missing)}）；"
            "jixiao 不在运行时下载模型，请重新安装：pip install --force-reinstall 'jixiao[ocr]'"
        )
    return None


def ocr_available() -> bool:
    """True when rapidocr, onnxruntime and the models bundled with rapidocr are present.

    Imports them on first call (about a second), never at module import.
    """
    return _ocr_problem() is None


def _threads() -> int:
    """onnxruntime intra-op threads: all cores up to 4 (more gains little for these small
    models and starves the rest of the machine); JIXIAO_OCR_THREADS overrides."""
    env = os.environ.get("JIXIAO_OCR_THREADS", "").strip()
    cpus = os.cpu_count() or 1
    if env.isdigit() and int(env) > 0:
        return min(int(env), cpus)
    return max(1, min(cpus, 4))


def _refuse_download(*_args: Any, **_kwargs: Any) -> None:
    raise RuntimeError("jixiao: OCR models must be bundled; downloading at run time is disabled")


def _get_engine() -> Any:
    """The process-wide RapidOCR engine, built on first use (model loading is slow)."""
    global _engine
    if _engine is not None:
        return _engine
    with _engine_lock:
        if _engine is None:
            from rapidocr import RapidOCR
            from rapidocr.utils.download_file import DownloadFile

            # Defence in depth: with explicit model paths RapidOCR never reaches its
            # downloader, but if a future version did, fail instead of going online.
            DownloadFile.run = _refuse_download  # type: ignore[method-assign]
            models = _models_dir()
            threads = _threads()
            _engine = RapidOCR(
                params={
                    "Global.log_level": "error",
                    "Global.use_cls": False,
                    "Global.text_score": MIN_SCORE,
                    "Det.model_path": str(models / _DET_MODEL),
                    "Rec.model_path": str(models / _REC_MODEL),
                    "EngineConfig.onnxruntime.intra_op_num_threads": threads,
                    "EngineConfig.onnxruntime.inter_op_num_threads": 1,
                }
            )
    return _engine


# --------------------------------------------------------------------------------------
# One page

# A recognised line in pixels: (text, score, x0, top, x1, bottom).
_PxLine = tuple[str, float, float, float, float, float]


def _render(pdf: Any, index: int) -> tuple[np.ndarray, float]:
    """Page ``index`` as a BGR image, and the scale (pixels per point) it was drawn at."""
    page = pdf[index]
    try:
        width, height = page.get_size()
        scale = min(RENDER_DPI / 72, MAX_SIDE_PX / max(width, height, 1.0))
        bitmap = page.render(scale=scale)  # BGR(x), what OpenCV/RapidOCR expect
        try:
            image = bitmap.to_numpy().copy()
        finally:
            bitmap.close()
    finally:
        page.close()
    if image.ndim == 3 and image.shape[2] == 4:
        image = image[:, :, :3].copy()
    return image, scale


def _rule_columns(dark: np.ndarray, x0: int, y0: int, x1: int, y1: int) -> list[int]:
    """x positions where a vertical rule crosses the text box, e.g. a table cell border.

    The detector joins text on both sides of a thin cell border into one line
    ("年初预算金" | "资金执行金"). A border is a column dark over the whole box and
    beyond it, which no glyph is (glyphs stay inside their box).
    """
    import numpy as np

    pad = 2
    height = dark.shape[0]
    ya, yb = y0 - pad, y1 + pad
    if ya < 0 or yb > height or x1 - x0 < 4 * (y1 - y0) // 3:
        return []
    band = dark[ya:yb, x0:x1]
    # Tolerate a border that wanders by a pixel (scans).
    widened = band.copy()
    widened[:, 1:] |= band[:, :-1]
    widened[:, :-1] |= band[:, 1:]
    is_rule = (widened.mean(axis=0) >= 0.9) & widened[0] & widened[-1]
    margin = max(3, (y1 - y0) // 4)
    is_rule[:margin] = False
    is_rule[-margin:] = False
    rules: list[int] = []
    cols = np.flatnonzero(is_rule)
    if cols.size == 0:
        return rules
    max_width = max(4, (y1 - y0) // 3)
    start = prev = int(cols[0])
    for col in [*cols[1:].tolist(), None]:
        if col is not None and col == prev + 1:
            prev = col
            continue
        if prev - start + 1 <= max_width:
            rules.append(x0 + (start + prev) // 2)
        if col is not None:
            start = prev = col
    return rules


def _ink_span(dark: np.ndarray, x0: int, y0: int, x1: int, y1: int) -> tuple[int, int]:
    """The columns of box (x0, y0, x1, y1) that hold ink: text-layer boxes start and end
    at the glyphs, detector boxes a little outside them (more so for short lines)."""
    import numpy as np

    cols = np.flatnonzero(dark[y0:y1, x0:x1].any(axis=0))
    if cols.size == 0:
        return x0, x1
    return x0 + int(cols[0]), x0 + int(cols[-1]) + 1


def _recognise(engine: Any, crop: np.ndarray) -> tuple[str, float]:
    res = engine(crop, use_det=False, use_cls=False, use_rec=True)
    txts = getattr(res, "txts", None) or ()
    scores = getattr(res, "scores", None) or ()
    if not txts:
        return "", 0.0
    return str(txts[0]), float(scores[0])


def _ocr_image(engine: Any, image: np.ndarray) -> list[_PxLine]:
    """Run detection + recognition; lines as (text, score, x0, top, x1, bottom) in pixels.

    Lines that run across a vertical table rule are split at it and the parts recognised
    again, so table cells come out as separate lines, as they do from a text layer.
    """
    import numpy as np

    with _call_lock:
        res = engine(image, use_det=True, use_cls=False, use_rec=True)
        boxes = getattr(res, "boxes", None)
        txts = getattr(res, "txts", None)
        scores = getattr(res, "scores", None)
        if boxes is None or not txts:
            return []
        # Dark in every channel: black rules and text, not a red seal.
        dark = image.max(axis=2) < 128 if image.ndim == 3 else image < 128
        out: list[_PxLine] = []
        for box, text, score in zip(boxes, txts, scores, strict=False):
            pts = np.asarray(box, dtype=float)
            x0, y0 = (max(0, int(v)) for v in np.floor(pts.min(axis=0)))
            x1, y1 = (int(v) for v in np.ceil(pts.max(axis=0)))
            x1, y1 = min(x1, dark.shape[1]), min(y1, dark.shape[0])
            if x1 <= x0 or y1 <= y0:
                continue
            rules = _rule_columns(dark, x0, y0, x1, y1)
            parts = _split_at_rules(engine, image, dark, x0, y0, x1, y1, rules) if rules else []
            if parts:
                out.extend(parts)
            else:
                ix0, ix1 = _ink_span(dark, x0, y0, x1, y1)
                out.append((str(text), float(score), float(ix0), float(y0), float(ix1), float(y1)))
        return out


def _split_at_rules(
    engine: Any,
    image: np.ndarray,
    dark: np.ndarray,
    x0: int,
    y0: int,
    x1: int,
    y1: int,
    rules: list[int],
) -> list[_PxLine]:

    parts: list[_PxLine] = []
    half = max(2, (y1 - y0) // 8)
    edges = [x0, *rules, x1]
    for left, right in itertools.pairwise(edges):
        sa = left + (half if left != x0 else 0)
        sb = right - (half if right != x1 else 0)
        if sb - sa < 3:
            continue
        if dark[y0:y1, sa:sb].sum() < (y1 - y0):
            continue  # blank between two rules
        ia, ib = _ink_span(dark, sa, y0, sb, y1)
        text, score = _recognise(engine, image[y0:y1, max(sa, ia - 3) : min(sb, ib + 3)])
        if text.strip() and score >= MIN_SCORE:
            parts.append((text, score, float(ia), float(y0), float(ib), float(y1)))
    return parts


def _reading_order(lines: list[OcrLine]) -> list[OcrLine]:
    """Top to bottom, then left to right within a row.

    Lines whose vertical extents overlap by at least half the smaller height form one row
    (cells of a table row, a heading and its page number); rows are ordered by their
    first line's top.
    """
    rows: list[list[OcrLine]] = []
    for line in sorted(lines, key=lambda ln: (ln.top, ln.x0)):
        if rows:
            anchor = rows[-1][0]
            overlap = min(anchor.bottom, line.bottom) - max(anchor.top, line.top)
            smaller = min(anchor.bottom - anchor.top, line.bottom - line.top)
            if smaller > 0 and overlap >= 0.5 * smaller:
                rows[-1].append(line)
                continue
        rows.append([line])
    return [ln for row in rows for ln in sorted(row, key=lambda ln: ln.x0)]


# Text layers give each character's whole advance box (one em for CJK), OCR boxes end at
# the ink. A CJK glyph leaves a small side bearing on both sides; full-width punctuation
# draws its ink on one side of its em: an opening bracket or quote on the right half, a
# comma or full stop on the left. Without this a line starting with "（二）" would look
# indented by an extra half character and a line ending in "。" half a character short.
# Shares of the OCR line height, measured against the corpus's text layers.
_SIDE_BEARING = 0.04
_OPENERS = "（“‘《〈「『【〔"
_CLOSERS = "，。、；：！？）”’》〉」』】〕"
_OPENER_INK_OFFSET = 0.62
_CLOSER_INK_OFFSET = 0.65


def _ocr_page(engine: Any, pdf: Any, index: int) -> OcrPage:
    """OCR one page of an open pypdfium2 document: lines in reading order and table
    grids, in points."""
    from jixiao.extract.readers.grid import find_grids

    image, scale = _render(pdf, index)
    lines = []
    for text, score, x0, top, x1, bottom in _ocr_image(engine, image):
        cleaned = clean_ocr_text(text)
        if not cleaned:
            continue
        em = bottom - top
        if _is_cjk(cleaned[0]) or cleaned[0] in _OPENERS:
            x0 -= (_OPENER_INK_OFFSET if cleaned[0] in _OPENERS else _SIDE_BEARING) * em
        if _is_cjk(cleaned[-1]) or cleaned[-1] in _CLOSERS:
            x1 += (_CLOSER_INK_OFFSET if cleaned[-1] in _CLOSERS else _SIDE_BEARING) * em
        x0, x1 = max(0.0, x0), min(float(image.shape[1]), x1)
        lines.append(
            OcrLine(
                text=cleaned,
                x0=round(x0 / scale, 2),
                top=round(top / scale, 2),
                x1=round(x1 / scale, 2),
                bottom=round(bottom / scale, 2),
                score=round(score, 4),
            )
        )
    dark = image.max(axis=2) < 128 if image.ndim == 3 else image < 128
    grids = [[[None if c is None else tuple(round(v, 2) for v in c) for c in row]
              for row in grid] for grid in find_grids(dark, scale)]
    return OcrPage(_reading_order(lines), grids)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------
# Cache

_SHA256 = re.compile(r"[0-9a-f]{64}")


def _cache_dir() -> Path:
    """``$JIXIAO_CACHE_DIR/ocr``, else ``platformdirs.user_cache_dir('jixiao')/ocr``."""
    root = os.environ.get("JIXIAO_CACHE_DIR", "").strip()
    if root:
        return Path(root).expanduser() / "ocr"
    import platformdirs

    return Path(platformdirs.user_cache_dir("jixiao")) / "ocr"


def _cache_path(sha256: str, index: int) -> Path:
    return _cache_dir() / sha256[:2] / f"{sha256}.p{index}.v{CACHE_VERSION}.json"


def _load_cached(sha256: str, index: int) -> OcrPage | None:
    """The cached page, or None if absent or unreadable (then re-OCRed)."""
    path = _cache_path(sha256, index)
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
        if payload["version"] != CACHE_VERSION or payload["sha256"] != sha256:
            return None
        if payload["page"] != index:
            return None
        lines = []
        for item in payload["lines"]:
            line = OcrLine(
                text=str(item["text"]),
                x0=float(item["x0"]),
                top=float(item["top"]),
                x1=float(item["x1"]),
                bottom=float(item["bottom"]),
                score=float(item["score"]),
            )
            lines.append(line)
        grids = [[[None if c is None else (float(c[0]), float(c[1]), float(c[2]), float(c[3]))
                   for c in row] for row in grid] for grid in payload["grids"]]
        return OcrPage(lines, grids)
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None


def _store_cached(sha256: str, index: int, page: OcrPage) -> None:
    """Write atomically (temp file + rename); a cache that cannot be written is skipped."""
    path = _cache_path(sha256, index)
    payload = {
        "version": CACHE_VERSION,
        "sha256": sha256,
        "page": index,
        "dpi": RENDER_DPI,
        "lines": [asdict(line) for line in page.lines],
        "grids": page.grids,
    }
    tmp_name: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=path.parent, prefix=".tmp-", suffix=".json", delete=False
        ) as tmp:
            tmp_name = tmp.name
            json.dump(payload, tmp, ensure_ascii=False)
        os.replace(tmp_name, path)
    except OSError:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


# --------------------------------------------------------------------------------------
# Public entry point


def _pages_zh(pages: Sequence[int]) -> str:
    """``[0, 2, 4]`` -> ``'1、3、5'`` (1-based, as a user counts pages)."""
    shown = "、".join(str(p + 1) for p in pages[:5])
    return shown if len(pages) <= 5 else f"{shown}等{len(pages)}"


def ocr_pdf_pages(
    path: Path,
    pages: Sequence[int],
    *,
    sha256: str,
    progress: Callable[[int, int], None] | None = None,
) -> dict[int, list[OcrLine]]:
    """The lines of :func:`ocr_pdf`'s pages: ``{page: lines}``."""
    return {index: page.lines for index, page in
            ocr_pdf(path, pages, sha256=sha256, progress=progress).items()}


def ocr_pdf(
    path: Path,
    pages: Sequence[int],
    *,
    sha256: str,
    progress: Callable[[int, int], None] | None = None,
) -> dict[int, OcrPage]:
    """OCR the given 0-based pages of the PDF at ``path``.

    Returns ``{page: OcrPage}`` in the order of ``pages``: lines in reading order and
    table grids, boxes in PDF points (origin top-left). Results are cached under the file's
    ``sha256`` (see :func:`_cache_dir`); cached pages are returned even when the OCR
    extra is not installed. ``progress(done, total)`` is called after every page.

    Raises :class:`OcrUnavailableError` when some page is not cached and OCR cannot run.
    """
    path = Path(path)
    sha = sha256.strip().lower()
    if not _SHA256.fullmatch(sha):
        raise ValueError(f"sha256 must be 64 hex digits, got {sha256!r}")
    wanted = list(dict.fromkeys(int(p) for p in pages))
    if any(p < 0 for p in wanted):
        raise ValueError(f"page indices are 0-based and non-negative, got {list(pages)!r}")
    total = len(wanted)
    done = 0
    results: dict[int, OcrPage] = {}
    todo: list[int] = []
    for index in wanted:
        cached = _load_cached(sha, index)
        if cached is None:
            todo.append(index)
            continue
        results[index] = cached
        done += 1
        if progress is not None:
            progress(done, total)

    if todo:
        problem = _ocr_problem()
        if problem is not None:
            raise OcrUnavailableError(path.name, f"第{_pages_zh(todo)}页{problem}")
        import pypdfium2 as pdfium

        engine = _get_engine()
        pdf = pdfium.PdfDocument(path)
        try:
            n_pages = len(pdf)
            beyond = [p for p in todo if p >= n_pages]
            if beyond:
                raise ValueError(f"{path.name}: 第{beyond[0] + 1}页不存在（文件共{n_pages}页）")
            for index in todo:
                page = _ocr_page(engine, pdf, index)
                _store_cached(sha, index, page)
                results[index] = page
                done += 1
                if progress is not None:
                    progress(done, total)
        finally:
            pdf.close()
    return {index: results[index] for index in wanted}
