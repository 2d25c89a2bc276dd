"""Title, county, report year and issuer of a report, from its text.

The county comes from the title, then the issuer line, then the most repeated county name
in the body; an anonymised name (``XX县``) gives no county. The report year comes from the
title, then from the sentence that introduces the report (``现将我县2021年…报告如下``),
then from the years the body mentions most.
"""

from __future__ import annotations

import re
from collections import Counter

from jixiao.model import Document

TITLE_WORDS = re.compile(r"说明|报告|情况|总结|汇报")
_YEAR = re.compile(r"(20\d{2}|19\d{2})\s*年")
_INTRO = re.compile(r"现将[^。]{0,40}?(20\d{2})\s*年[^。]{0,60}?(?:报告|汇报|说明)如下")
# A county-level name ends in 县/区/旗; it is two to four characters before that suffix.
_SUFFIX = re.compile(r"(?:自治县|县|区|旗)")
_NAME_CHAR = re.compile(r"[\u4e00-\u9fffXx×]")
# Characters a county name does not start with: pronouns, scope words, function words.
_NOT_FIRST = set("全我本该各每市州省城辖地县区乡镇村社小园林景片新老两三四一年度的在对和与及了为是将从把由向至等")
_GENERIC = {"自治区", "开发区", "示范区", "保护区", "功能区", "城区", "市区", "景区", "社区", "园区", "库区", "牧区", "山区", "灾区"}
_PLACEHOLDER = re.compile(r"^[Xx×]+")
_ISSUER = re.compile(r"^(.{2,12}?(?:县|区|旗|市))(?:人民政府)?财政局")


def looks_like_title(text: str) -> bool:
    """A short unpunctuated first paragraph naming the report.

    >>> looks_like_title("某某县2023年预算绩效管理工作情况说明")
    True
    >>> looks_like_title("全面实施预算绩效管理是重要举措，现将情况报告如下：")
    False
    """
    return len(text) <= 60 and not re.search(r"[。，；：]", text) and bool(TITLE_WORDS.search(text))


def report_year(doc: Document) -> int | None:
    if doc.title:
        m = _YEAR.search(doc.title)
        if m:
            return int(m.group(1))
    m = _INTRO.search(doc.text[:3000])
    if m:
        return int(m.group(1))
    counts = Counter(int(y) for y in _YEAR.findall(doc.text[:3000]))
    return counts.most_common(1)[0][0] if counts else None


def _county_names(text: str) -> list[str]:
    """County names in ``text``: for each suffix, the longest plausible name before it.

    >>> _county_names("2024年度民丰县预算绩效工作")
    ['民丰县']
    >>> _county_names("全县、我区和自治区")
    []
    """
    names = []
    for m in _SUFFIX.finditer(text):
        best = None
        for length in (2, 3, 4):
            start = m.start() - length
            if start < 0 or not all(_NAME_CHAR.match(c) for c in text[start : m.start()]):
                break
            if text[start] not in _NOT_FIRST:
                best = text[start : m.end()]
        if best and best not in _GENERIC:
            names.append(best)
    return names


def county(doc: Document) -> str | None:
    """The county or district the report is about; None when it is anonymised."""
    candidates: list[str] = []
    if doc.title:
        candidates += _county_names(doc.title)[:1]
    if doc.issuer:
        candidates += _county_names(doc.issuer)[:1]
    if not candidates:
        counts = Counter(_county_names(doc.text))
        candidates += [name for name, n in counts.most_common(3) if n >= 2]
    for name in candidates:
        if _PLACEHOLDER.match(name):
            return None
        return name
    return None


def issuer_and_date(doc: Document) -> tuple[str | None, str | None]:
    """The signature lines at the end: issuing bureau and date (as written)."""
    issuer = issued = None
    for para in doc.paragraphs[-4:]:
        text = doc.text[para.start : para.end]
        if re.fullmatch(r"(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日", text):
            issued = text
        elif _ISSUER.match(text) and len(text) <= 20:
            issuer = text
    return issuer, issued
