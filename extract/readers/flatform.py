"""Forms whose cells a converter joined with single spaces into one line of text.

Text taken out of a Word form (a 项目支出绩效自评表) often comes as one long line: ``…项目资金
(万元) 年初预算数 全年预算数 全年执行数 分值 执行率 得分 年度资金总额: 0 0 0 10 0 0 其中:本年
财政拨款 90 89.974 89.974 上年结转资金 …``. The cells are the words between spaces. A header is
three or more words in a row that name columns (``data/readers.yaml``: 年初预算数, 分值,
执行率, 年度指标值, 一级指标 …); each row after it is a few words naming it and the figures
that follow them (``≥50个 50 8 8``), up to a sentence or words with no figure after them.
Such a line is cut into its text and the form, written as rows of cells between pipes, so
that :mod:`.pipes` reads it like any form; the text around stays text.
"""

from __future__ import annotations

import re
from functools import lru_cache

from jixiao.extract.normalize import clean_text, to_simplified
from jixiao.extract.readers.tableshape import header_unit, is_figure, known_column

__all__ = ["unflatten"]

_TOKEN = re.compile(r"\S+")
_UNIT_NOTE = re.compile(r"[（(][^（()）]{1,4}[)）]")
_SENTENCE = re.compile(r"[。；;！？]")
_MIN_HEADER = 3  # names of columns in a row that make a header
_MAX_LABEL = 6  # words naming a row
_LONG_WORD = 40


def unflatten(lines: list[str]) -> list[str]:
    """``lines`` with every line holding a flattened form cut into its text and the form's
    rows (``| 年初预算数 | 全年预算数 | …``). A header alone on its line takes the lines
    below it that are rows of single-spaced cells (a name, then two figures or more)."""
    out: list[str] = []
    k = 0
    while k < len(lines):
        line = lines[k]
        if "|" in line or "｜" in line or line.count(" ") < _MIN_HEADER - 1:
            out.append(line)
            k += 1
            continue
        pieces = _split(line)
        if pieces == [line] and _single_spaced(line) and _ends_in_header(line):
            below = k + 1
            while below < len(lines) and _single_spaced(lines[below]) \
                    and _is_row(lines[below]):
                below += 1
            merged = " ".join(lines[k:below])
            if below > k + 1 and (joined := _split(merged)) != [merged]:
                out.extend(joined)
                k = below
                continue
        out.extend(pieces)
        k += 1
    return out


def _single_spaced(line: str) -> bool:
    """Cells joined by one space (runs of spaces or tabs are tables of :mod:`.delimited`)."""
    return "\t" not in line and "  " not in line.strip() and " " in line.strip()


def _ends_in_header(line: str) -> bool:
    kinds = [_kind(w) for w in line.split()]
    return len(kinds) >= _MIN_HEADER and all(k == "N" for k in kinds[-_MIN_HEADER:])


def _is_row(line: str) -> bool:
    """A name (a word or a few) and then two figures or more, nothing else."""
    kinds = "".join(_kind(w) for w in line.split())
    return re.fullmatch(rf"[TN]{{1,{_MAX_LABEL}}}F{{2,}}", kinds) is not None


@lru_cache(maxsize=8192)  # cells repeat within a form; a batch must not grow it forever
def _kind(word: str) -> str:
    """F (a figure: 89.974, 100%, ≥50个), N (a column's name), P (prose) or T (other)."""
    plain = to_simplified(clean_text(word))
    if is_figure(plain) or _one_figure(plain):
        return "F"
    if _SENTENCE.search(plain) or len(plain) > _LONG_WORD:
        return "P"
    if (len(plain) >= 2 and known_column(plain)) or (
            _UNIT_NOTE.fullmatch(plain) and header_unit(plain)):
        return "N"  # a column's name is a word, not a character of spaced-out text
    return "T"


def _one_figure(plain: str) -> bool:
    """A word that is one figure with its unit, maybe after a sign (≥50个, ≤90万元)."""
    from jixiao.extract.quantities import find_quantities

    bare = re.sub(r"^[=＝﹦≥≤><＞＜]+", "", plain)
    if not bare or not (bare[0].isdigit() or bare[0] in "Xx×"):
        return False
    qs = find_quantities(bare)
    return len(qs) == 1 and qs[0].start == 0 and qs[0].end == len(bare)


def _split(line: str) -> list[str]:
    words = list(_TOKEN.finditer(line))
    kinds = [_kind(w.group()) for w in words]
    pieces: list[str] = []
    at = 0
    k = 0
    while k < len(words):
        if kinds[k] != "N":
            k += 1
            continue
        j = k
        while j < len(words) and kinds[j] == "N":
            j += 1
        if j - k >= _MIN_HEADER and (form := _form(words, kinds, k, j)) is not None:
            rows, end = form
            pieces.append(line[at : words[k].start()])
            pieces.extend("| " + " | ".join(row) + " |" for row in rows)
            at = words[end - 1].end()
            k = end
            continue
        k = j
    if not pieces:
        return [line]
    pieces.append(line[at:])
    return [p for p in pieces if p.strip()]


def _form(words: list[re.Match[str]], kinds: list[str], start: int, stop: int
          ) -> tuple[list[list[str]], int] | None:
    """The rows (header first) of a form whose header is ``words[start:stop]``, and the
    index after its last word; None without two figures in a row."""
    header = [w.group() for w in words[start:stop]]
    rows: list[list[str]] = []
    most = 0  # figures of the fullest row
    k = stop
    end = stop
    while k < len(words):
        label: list[str] = []
        while k < len(words) and kinds[k] in "TN" and len(label) < _MAX_LABEL:
            label.append(words[k].group())
            k += 1
        figures: list[str] = []
        while k < len(words) and kinds[k] == "F":
            figures.append(words[k].group())
            k += 1
        if not figures:
            break
        if not label and not rows and len(header) > _MIN_HEADER:
            label = [header.pop()]  # the header's last word names the first row
        if not label:
            break
        rows.append(label + figures)
        most = max(most, len(figures))
        end = k
    if most < 2:
        return None
    merged: list[str] = []
    for h in header:  # 项目资金 (万元): a unit note belongs to the name before it
        if merged and _UNIT_NOTE.fullmatch(h):
            merged[-1] += h
        else:
            merged.append(h)
    return [merged, *rows], end
