"""Forms whose cells ran together: a table's text joined without separators, as document
sites and some converters give it (``预算数(A)执行数(B)执行率…年度财政资金总额10001000100%20``).

The words of the families (headers, row labels, block labels, level names, meta labels,
titles) are found in the text with the spaces taken out; they cut it back into cells, each
keeping the offset of its first character in the file. What lies between the words is cut
by what a form's rows hold:

- after a money row label, a run of digits is split into the header's columns by what must
  hold between them: 执行率 = 执行数 ÷ 预算数, 得分 = 分值 × 执行率 (the split that satisfies
  them, when it is the only one);
- in the indicator block, records end at their score (a number followed by a word that is
  not a unit); within a record, the two quantities at its end are its target and its
  actual value (``5亿元6.47亿元``), or the words written twice are (``专款专用专款专用``).

The result is rows of cells the form reader reads like any page of text; a line that does
not run together (cells separated by spaces, pipes or tabs) is left as it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from functools import cache
from itertools import combinations, pairwise

from jixiao.check.tolerance import decimals_of, holds
from jixiao.extract.formgrid import Cell, Row
from jixiao.extract.formspec import FormSpec, declared_points, fold
from jixiao.extract.normalize import normalize_chars, to_simplified

__all__ = ["run_together"]

MIN_CHARS = 60
_OPEN, _CLOSE = "(（", ")）"
_NUMBER_RUN = re.compile(r"[\d.,%]+")
_VALID = re.compile(r"(?:0|[1-9]\d*)(?:\.\d+)?%?")
_UNIT = "(?:%|亿元|万元|千元|元|个|家|项|人次|人|次|天|年|月|台|套|件|户|公里|米|平方米|吨|份|所|辆|条|座|处|名)"
_QUANTITY = re.compile(rf"\d[\d,]*(?:\.\d+)?{_UNIT}")
_SCORE_END = re.compile(rf"(?<![\d.])(\d+(?:\.\d+)?)(?!\d|\.\d|{_UNIT})")


@cache
def _vocabulary(words: tuple[str, ...]) -> tuple[str, ...]:
    """The words, longest first (a longer word wins where two start at the same place)."""
    return tuple(sorted(set(words), key=len, reverse=True))


def _words(spec: FormSpec) -> tuple[str, ...]:
    out: list[str] = []
    for fam in spec.families:
        for col in (*fam.money_columns, *fam.money_rows, *fam.indicator_columns):
            out += [p.pattern for p in col.patterns if p.pattern.isalnum()]
        out += [p.pattern for p in fam.total_patterns if p.pattern.isalnum()]
    for kind in ("money", "indicators", "goal", "texts", "end"):
        out += [p.pattern for p in spec.blocks.get(kind, ()) if p.pattern.isalnum()]
    for patterns in spec.meta.values():
        out += [p.pattern for p in patterns if p.pattern.isalnum()]
    out += [*spec.level1, *spec.level2]
    out += [t for _, _, titles in spec.form_types for t in titles]
    return _vocabulary(tuple(w for w in out if len(w) >= 2))


def run_together(row: Row, spec: FormSpec) -> list[Row] | None:
    """The rows of a line whose cells ran together, or None when it is not such a line."""
    if row.sep in ("pipe", "tab") or any(c.offset is None for c in row.cells):
        return None
    chars = [(ch, c.offset + i) for c in row.cells for i, ch in enumerate(c.text)  # type: ignore[operator]
             if not ch.isspace()]
    if len(chars) < MIN_CHARS:
        return None
    text = "".join(to_simplified(normalize_chars(ch)) or ch for ch, _ in chars)
    if len(text) != len(chars):  # a character that folded to two: offsets would drift
        return None
    offsets = [o for _, o in chars]
    hits = list(_hits(text, _words(spec)))
    if not _runs_together(text, hits, offsets):
        return None
    base = offsets[0]
    line = [" "] * (offsets[-1] - base + 1)
    for c in row.cells:
        for i, ch in enumerate(c.text):
            line[c.offset + i - base] = ch  # type: ignore[operator]
    return list(_Builder(text, offsets, hits, spec, row.index, "".join(line), base).rows())


def _hits(text: str, words: tuple[str, ...]) -> Iterator[tuple[int, int]]:
    """Non-overlapping occurrences of the words, longest first at each place."""
    i = 0
    first: dict[str, list[str]] = {}
    for w in words:
        first.setdefault(w[0], []).append(w)
    while i < len(text):
        found = next((w for w in first.get(text[i], ()) if text.startswith(w, i)), None)
        if found:
            yield i, i + len(found)
            i += len(found)
        else:
            i += 1


def _runs_together(text: str, hits: list[tuple[int, int]], offsets: list[int]) -> bool:
    """Words of the forms touching each other, or a digit, with not even a space between
    them in the file."""
    def adjacent(end: int, start: int) -> bool:
        return offsets[start] - offsets[end - 1] == 1

    touching = sum(1 for (_, e), (s, _) in pairwise(hits)
                   if e == s and adjacent(e, s))
    digits = sum(1 for _, e in hits if e < len(text) and text[e].isdigit() and adjacent(e, e))
    return touching >= 2 and touching + digits >= 3


class _Builder:
    def __init__(self, text: str, offsets: list[int], hits: list[tuple[int, int]],
                 spec: FormSpec, index: int, line: str, base: int) -> None:
        self.text, self.offsets, self.hits, self.spec, self.index = text, offsets, hits, spec, index
        self.line, self.base = line, base  # the line as written, and its offset in the file
        self.out: list[list[Cell]] = [[]]
        self.money_fields: list[str] = []
        self.weight: Decimal | None = None
        self.region = ""  # money, indicators
        self.after_row_label = False

    def cell(self, start: int, end: int) -> Cell:
        """The cell of ``text[start:end]``: the characters as written (spaces and all),
        with the offset of the first in the file."""
        first, last = self.offsets[start] - self.base, self.offsets[end - 1] - self.base
        return Cell(self.line[first:last + 1], f"第{self.index}行第{first + 1}字", 0,
                    offset=self.offsets[start])

    def new_row(self) -> None:
        if self.out[-1]:
            self.out.append([])

    def rows(self) -> Iterator[Row]:
        spec = self.spec
        at = 0
        previous_header = False
        for n, (s, e) in enumerate(self.hits):
            if s < at:
                continue
            if s > at:
                self.between(at, s)
            end = self._notes(e, self.hits[n + 1][0] if n + 1 < len(self.hits) else len(self.text))
            word = fold(self.text[s:e])
            money = [f for f in spec.families if f.money_field(word)]
            header = bool(money) or any(f.indicator_field(word) for f in spec.families)
            if not (header and previous_header):
                self.new_row()
            self.out[-1].append(self.cell(s, end))
            self._note_word(word, s, end, money)
            previous_header = header or spec.block("money", word) or spec.block("indicators", word)
            at = end
        if at < len(self.text):
            self.between(at, len(self.text))
        for cells in self.out:
            if cells:
                for col, c in enumerate(cells):
                    c.col = col
                yield Row(cells, self.index, "pipe")

    def _notes(self, end: int, limit: int) -> int:
        """A word's bracketed notes (万元, 20分, A) go with it, up to the next word."""
        while end < len(self.text) and self.text[end] in _OPEN:
            close = next((i for i in range(end + 1, min(len(self.text), end + 24))
                          if self.text[i] in _CLOSE), None)
            if close is None or close >= limit:
                return max(end, min(limit, len(self.text)))
            end = close + 1
        return end

    def _note_word(self, word: str, start: int, end: int, money: list) -> None:
        spec = self.spec
        if spec.block("money", word):
            self.region = "money"
            if d := declared_points(self.text[start:end]):
                self.weight = d[0]
        indicator = any(f.indicator_field(word) for f in spec.families)
        if money and not (indicator and self.region == "indicators"):
            self.region = "money"
            field = money[0].money_field(word).field  # type: ignore[union-attr]
            if field not in self.money_fields:
                self.money_fields.append(field)
        elif indicator and not money:
            self.region = "indicators"
        self.after_row_label = bool(self.region == "money" and any(
            f.money_row(word) for f in spec.families))

    def between(self, start: int, end: int) -> None:
        """The text between two words of the forms."""
        if self.after_row_label:
            run = _NUMBER_RUN.match(self.text, start, end)
            if run and (split := split_numbers(run.group(0), self.money_fields, self.weight)):
                for piece, at in split:
                    self.out[-1].append(self.cell(run.start() + at, run.start() + at + len(piece)))
                self.after_row_label = False
                if run.end() < end:
                    self.new_row()
                    self.out[-1].append(self.cell(run.end(), end))
                return
        if self.region == "indicators":
            first = True
            for rs, re_ in _records(self.text, start, end):
                if not first:
                    self.new_row()
                first = False
                for s, e in _record_cells(self.text, rs, re_):
                    self.out[-1].append(self.cell(s, e) if e > s else Cell("", "", 0))
            return
        self.out[-1].append(self.cell(start, end))


def _records(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Indicator records in run-together text: each ends with its score."""
    at = start
    for m in _SCORE_END.finditer(text, start, end):
        stop = m.end()
        if stop < end and not ("\u4e00" <= text[stop] <= "\u9fff"):
            continue
        yield at, stop
        at = stop
    if at < end:
        yield at, end


def _record_cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(name, target, actual, score) of one record; (name,) when it has no score."""
    score = None
    m = re.search(r"(?<![\d.])(\d+(?:\.\d+)?)$", text[start:end])
    if m:
        score = (start + m.start(1), end)
    body_end = score[0] if score else end
    body = text[start:body_end]
    quantities = list(_QUANTITY.finditer(body))
    if score is None:
        return [(start, end)]
    if len(quantities) >= 2 and quantities[-1].end() == len(body) and \
            quantities[-2].end() == quantities[-1].start():
        t, a = quantities[-2], quantities[-1]
        return [(start, start + t.start()), (start + t.start(), start + t.end()),
                (start + a.start(), start + a.end()), score]
    for size in range(len(body) // 2, 1, -1):  # words written twice: target and actual
        if body.endswith(body[-size:] * 2):
            cut = body_end - 2 * size
            return [(start, cut), (cut, cut + size), (cut + size, body_end), score]
    return [(start, body_end), (body_end, body_end), (body_end, body_end), score]


def split_numbers(run: str, fields: list[str], weight: Decimal | None
                  ) -> list[tuple[str, int]] | None:
    """A run of digits split into one number per field, the only split that satisfies
    执行率 = 执行数 ÷ 预算数 and 得分 = 分值 × 执行率 (None when none or several do).

    >>> split_numbers("10001000100%20", ["budget", "spent", "rate", "score"], Decimal(20))
    [('1000', 0), ('1000', 4), ('100%', 8), ('20', 12)]
    """
    k = len(fields)
    if k < 2 or len(run) < k:
        return None
    found = []
    for cuts in combinations(range(1, len(run)), k - 1):
        bounds = [0, *cuts, len(run)]
        pieces = [run[a:b] for a, b in pairwise(bounds)]
        if not all(_VALID.fullmatch(p) for p in pieces):
            continue
        if any(p.endswith("%") != (f == "rate") for p, f in zip(pieces, fields, strict=True)) \
                and "%" in run:
            continue
        if _consistent(dict(zip(fields, pieces, strict=True)), weight):
            found.append(list(zip(pieces, bounds[:-1], strict=False)))
    return found[0] if len(found) == 1 else None


def _consistent(values: dict[str, str], weight: Decimal | None) -> bool:
    try:
        num = {f: Decimal(v.rstrip("%")) for f, v in values.items()}
    except InvalidOperation:
        return False
    checked = False
    if {"budget", "spent", "rate"} <= set(num) and num["budget"]:
        computed = num["spent"] / num["budget"] * 100
        if not holds(num["rate"], computed, decimals_of(values["rate"])):
            return False
        checked = True
    if weight is not None and {"rate", "score"} <= set(num):
        expected = weight * min(num["rate"], Decimal(100)) / 100
        if not holds(num["score"], expected, decimals_of(values["score"]), 2):
            return False
        checked = True
    return checked
