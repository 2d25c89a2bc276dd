"""Character-level cleaning shared by every reader.

Reports arrive with full-width digits (``１２３``), full-width ``％``, ideographic spaces,
and — from PDFs — spaces between every CJK character of a justified line or around numbers
(``8903 万元``, ``算 金``). We fold those to one canonical form so that the same report read
from DOCX, PDF or TXT gives the same characters, while keeping the spaces that separate two
numbers (``100 100 100.00%`` in a flattened table row).

Pages served in traditional characters (``36.15億元``, ``預算績效``) keep their characters in
the document text; :func:`to_simplified` gives the same text in simplified characters, of
the same length, which is what structure, metadata and extraction read.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Any

# Full-width ASCII digits and letters, and the percent sign, to ASCII. Chinese punctuation
# (，。：（）) is kept: headings are numbered with it and readers expect it.
_FULLWIDTH = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)}  # ０-９
_FULLWIDTH |= {c: c - 0xFEE0 for c in range(0xFF21, 0xFF3B)}  # Ａ-Ｚ
_FULLWIDTH |= {c: c - 0xFEE0 for c in range(0xFF41, 0xFF5B)}  # ａ-ｚ
_FULLWIDTH |= {0xFF05: ord("%"), 0xFE6A: ord("%")}
# Every kind of space to a plain space; zero-width characters and soft hyphens vanish.
_SPACES = {c: ord(" ") for c in (0x3000, 0x00A0, 0x2002, 0x2003, 0x2009, 0x202F, 0x0009, 0x000B)}
_DROP = {c: None for c in (0x200B, 0x200C, 0x200D, 0xFEFF, 0x00AD, 0xFFFE)}
_TABLE = _FULLWIDTH | _SPACES | _DROP

_CJK = (
    r"\u2e80-\u2fff\u3001-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff0f"
    r"\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2014\u2018-\u201f\u2026\u00b7"
)
# Whitespace with a CJK character (or CJK punctuation) on at least one side is an
# artefact of PDF layout or typing, never a separator a reader needs.
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])[ ]+|[ ]+(?=[{_CJK}])")
# A full-width full stop between digits is a decimal point (``１２．５``).
_DECIMAL_DOT = re.compile(r"(?<=\d)．(?=\d)")
# A full-width comma inside a number written in thousands groups (``2，468万元``): one to
# three digits, then groups of exactly three. ``3，5个`` and ``12，34`` are lists, not numbers.
_THOUSANDS = re.compile(r"(?<![\d.,，])\d{1,3}(?:，\d{3})+(?!\d)")
_MULTI_SPACE = re.compile(r" {2,}")


def normalize_chars(text: str) -> str:
    """Fold full-width digits/letters/percent and odd spaces to ASCII.

    >>> normalize_chars("覆盖率１００％，共１２．５万元")
    '覆盖率100%，共12.5万元'
    >>> normalize_chars("资金2，468万元，项目3，5个")
    '资金2,468万元，项目3，5个'
    """
    text = unicodedata.normalize("NFC", text).translate(_TABLE)
    text = _THOUSANDS.sub(lambda m: m.group(0).replace("，", ","), text)
    return _DECIMAL_DOT.sub(".", text)


def remove_layout_spaces(text: str) -> str:
    """Drop spaces next to CJK characters; keep single spaces between two numbers or words.

    >>> remove_layout_spaces("涉及金额 2.36 亿元，预 算 金 额")
    '涉及金额2.36亿元，预算金额'
    >>> remove_layout_spaces("100 100 100.00% 99.37")
    '100 100 100.00% 99.37'
    >>> remove_layout_spaces("5月、8月")
    '5月、8月'
    """
    text = _SPACE_NEAR_CJK.sub("", text)
    return _MULTI_SPACE.sub(" ", text).strip()


@cache
def _inserted_reading() -> re.Pattern[str]:
    from jixiao.extract.resources import load_yaml

    return re.compile(load_yaml("readers.yaml")["inserted_reading"])


def drop_inserted_readings(text: str) -> str:
    """Drop the pinyin a mirror site inserts after characters (``data/readers.yaml``).

    >>> drop_inserted_readings("提升12.7個(gè)百分點(diǎn)，預(yù)算(A)")
    '提升12.7個百分點，預算(A)'
    """
    if "(" not in text and "（" not in text:
        return text
    return _inserted_reading().sub("", text)


def clean_text(text: str) -> str:
    """The three steps: what every paragraph and table cell goes through.

    >>> clean_text("　对 81 个 部 门 、 13.304271 亿 元 整 体 预 算 ")
    '对81个部门、13.304271亿元整体预算'
    """
    return remove_layout_spaces(drop_inserted_readings(normalize_chars(text)))


@cache
def _t2s() -> Any:
    import opencc  # deferred: only documents that hold traditional characters need it

    return opencc.OpenCC("t2s")


@cache
def _char_t2s(char: str) -> str:
    out = _t2s().convert(char)
    return out if len(out) == 1 else char


def to_simplified(text: str) -> str:
    """``text`` in simplified characters, character for character: the same length, so
    every offset into the result is an offset into ``text``.

    OpenCC converts whole phrases (乾隆 stays 乾隆, 乾燥 becomes 干燥); should a phrase ever
    change length, or shift what follows (a digit or a punctuation mark no longer where it
    was), the text is converted one character at a time instead.

    >>> to_simplified("項目12個，涉及資金36.15億元；預算績效評價")
    '项目12个，涉及资金36.15亿元；预算绩效评价'
    >>> to_simplified("预算绩效管理")
    '预算绩效管理'
    """
    if text.isascii():
        return text
    out = _t2s().convert(text)
    if len(out) == len(text) and all(
        a == b for a, b in zip(text, out, strict=True) if not _IDEOGRAPH.match(a)
    ):
        return out
    return "".join(_char_t2s(c) if _IDEOGRAPH.match(c) else c for c in text)


_IDEOGRAPH = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")


def cjk_count(text: str) -> int:
    """How many CJK ideographs ``text`` holds (used to tell a report from other files)."""
    return len(_CJK_CHAR.findall(text))


def display_width(text: str) -> float:
    """Width of a line in em: a CJK character is 1, an ASCII character about half.

    Used to tell a full (hard-wrapped) line from a short one in text extracted from PDFs.

    >>> display_width("资金2.36亿元")
    6.0
    """
    return sum(0.5 if ord(c) < 0x2000 else 1.0 for c in text)
