"""Tables typed with pipes as web pages and forms come out as text: rows broken over
several lines, one cell per line, and self-evaluation forms made of blocks.

A run of lines holding pipes is cut into rows in one of three ways:

- rows that begin with a pipe (``| 年度资金总额 | 7.29 |``): a line that does not is the
  rest of the row above, broken inside a cell;
- one cell per line (``序号 |``, ``项目名称 |``, ``162.00 |``): the cells make one stream,
  cut into rows of the header's width, at the row numbers 1, 2, 3 … of a 序号 column and
  after a line that ends a row with a pipe of its own;
- otherwise one row per line.

The rows then fall into blocks: a header row (two names or more, no figure) — or two, the
upper one's first names spanning the lower's — and the rows below it that hold figures,
up to the next header row or a row of prose. Each row's cells are placed under the
header's columns (:func:`align`) so that figures sit under number columns, unit words under
度量单位 and names under names: a cell merged down from the row above, or left out, shifts
no figure into the wrong column. Rows outside every block stay text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from jixiao.extract.normalize import clean_text, to_simplified
from jixiao.extract.readers.tableshape import (
    ColumnType,
    column_type,
    is_empty_cell,
    is_figure,
    known_column,
)

__all__ = ["PipeBlock", "align", "has_pipe", "pipe_blocks", "run_end", "with_label_column"]

_YEAR = re.compile(r"(?:19|20)\d\d")
_SENTENCE = re.compile(r"[。！？；;]|[\u4e00-\u9fff）)]\.$")
_PROSE_CELL = 60
_COMPARATOR = frozenset("=＝﹦≥≤>＞<＜≧≦")
_MARKDOWN_RULE = re.compile(r":?-{2,}:?")
_CN_ORDINAL = re.compile(r"[一二三四五六七八九十]{1,2}、?")
_ARABIC_ORDINAL = re.compile(r"\d{1,3}")
# Costs of the alignment: a column that gets no cell, and a cell left out by kind.
_SKIP = 0.1
_DROP = {"empty": 0.0, "text": 0.3, "comparator": 0.3, "unit": 1.0, "quantity": 1.0,
         "valued": 1.5, "figure": 1.5, "percent": 1.5}


@dataclass(slots=True)
class _Row:
    cells: list[str]
    first: int  # its first line (index into the lines of the run)
    last: int  # its last line


@dataclass(slots=True)
class PipeBlock:
    """A table found in a run of pipe lines: lines ``first``..``last`` (inclusive) hold it;
    ``grid`` is its header and rows, every row as wide as the header."""

    first: int
    last: int
    grid: list[list[str]]


def has_pipe(line: str) -> bool:
    return "|" in line or "｜" in line


def run_end(lines: list[str], start: int) -> int:
    """End (exclusive) of the run of lines holding pipes that starts at ``start``; blank
    lines inside it belong to it."""
    end = k = start
    while k < len(lines):
        if has_pipe(lines[k]):
            k += 1
            end = k
        elif not lines[k].strip():
            k += 1
        else:
            break
    return end


def pipe_blocks(lines: list[str]) -> list[PipeBlock]:
    """The tables of one run of pipe lines (as :func:`run_end` delimits it)."""
    out: list[PipeBlock] = []
    rows = _rows(lines)
    kinds = [_kind(r.cells) for r in rows]
    numbered = False
    for n, r in enumerate(rows):  # in a table numbered by 序号, 一 | 项目绩效评价 is a row
        if kinds[n] == "header":
            if numbered and r.cells and _ordinal(_plain(r.cells[0])):
                kinds[n] = "other"
            else:
                numbered = column_type(r.cells[0]).role == "ordinal" if r.cells else False
    i = 0
    while i < len(rows):
        if kinds[i] != "header":
            i += 1
            continue
        j = i
        while j + 1 < len(rows) and kinds[j + 1] == "header":
            j += 1
        k = j + 1
        while k < len(rows) and kinds[k] in ("data", "other"):
            k += 1
        while k > j + 1 and kinds[k - 1] == "other":  # a closing label row stays text
            k -= 1
        body = rows[j + 1 : k]
        if body:
            upper = rows[j - 1] if j > i else None
            header, first = _header(upper, rows[j], body)
            header = with_label_column(header, [r.cells for r in body])
            grid = [header] + [align(header, r.cells) for r in body if _has_digit(r.cells)]
            out.append(PipeBlock(first=first, last=body[-1].last, grid=grid))
        i = max(k, j + 1)
    return out


# --------------------------------------------------------------------------- rows


def _cells(text: str) -> list[str]:
    """``| a | b |`` or ``a | b |`` → ``[a, b]``."""
    text = text.strip()
    text = text[1:] if text.startswith("|") else text
    text = text[:-1] if text.endswith("|") else text
    return [c.strip() for c in text.split("|")]


def _stream_cells(text: str) -> list[str]:
    """In one-cell-per-line text every pipe closes a cell: ``||||`` is four empty cells."""
    text = text.strip()
    parts = text.split("|")
    return [p.strip() for p in (parts[:-1] if text.endswith("|") else parts)]


def _rows(lines: list[str]) -> list[_Row]:
    texts = [(i, line.replace("｜", "|")) for i, line in enumerate(lines)
             if line.strip() and not _is_rule(line)]
    if not texts:
        return []
    leading = sum(1 for _, t in texts if t.lstrip().startswith("|"))
    single = sum(1 for _, t in texts if sum(1 for c in _stream_cells(t) if c) <= 1)
    if len(texts) >= 6 and single >= 0.7 * len(texts) and leading < 0.3 * len(texts):
        return _stream_rows(texts)
    if leading * 2 >= len(texts):
        rows: list[_Row] = []
        for i, t in texts:
            if t.lstrip().startswith("|") or not rows:
                rows.append(_Row([t], i, i))
            else:  # the row above broke inside a cell
                rows[-1].cells.append(t)
                rows[-1].last = i
        return [_Row(_cells(" ".join(r.cells)), r.first, r.last) for r in rows]
    return [_Row(_cells(t), i, i) for i, t in texts]


def _is_rule(line: str) -> bool:
    """A Markdown header rule ``|---|:--:|``."""
    cells = [c for c in _cells(line.replace("｜", "|")) if c]
    return bool(cells) and all(_MARKDOWN_RULE.fullmatch(c) for c in cells)


def _ordinal(cell: str) -> bool:
    return bool(_ARABIC_ORDINAL.fullmatch(cell) or _CN_ORDINAL.fullmatch(cell))


def _stream_rows(texts: list[tuple[int, str]]) -> list[_Row]:
    """Rows of one-cell-per-line text; the header's width cuts them."""
    cells: list[tuple[str, int]] = []
    ends: set[int] = set()  # a row ends before cells[k] for k in ends
    for i, t in texts:
        parts = _stream_cells(t)
        cells.extend((p, i) for p in parts)
        if len(parts) >= 2 and any(parts):
            ends.add(len(cells))
    numbered = column_type(cells[0][0]).role == "ordinal"
    if numbered:
        width = next((k for k in range(1, len(cells)) if _ordinal(cells[k][0])), 0)
    elif ends:
        width = min(ends)
    else:  # the header is the run of names of known columns it opens with
        width = next((k for k, (c, _) in enumerate(cells) if not known_column(c)), 0)
    if width < 2:
        return []
    groups: list[list[tuple[str, int]]] = [cells[:width]]
    current: list[tuple[str, int]] = []
    expect = 1
    for k in range(width, len(cells)):
        text = cells[k][0]
        if current and (k in ends or len(current) >= width or (
                numbered and len(current) >= 2 and (
                    text == str(expect) or _CN_ORDINAL.fullmatch(text)))):
            groups.append(current)
            current = []
        if not current and numbered and text == str(expect):
            expect += 1
        current.append(cells[k])
    if current:
        groups.append(current)
    return [_Row([c for c, _ in g], g[0][1], g[-1][1]) for g in groups]


# --------------------------------------------------------------------------- blocks


def _plain(cell: str) -> str:
    return re.sub(r"\s+", "", to_simplified(clean_text(cell)))


def _kind(cells: list[str]) -> str:
    """``header`` (two names or more, no figure), ``data`` (a figure), ``prose`` or
    ``other``."""
    names = [c for c in cells if not is_empty_cell(c)]
    if any(is_figure(c) and not _YEAR.fullmatch(c.strip()) for c in names):
        return "data"
    if any(_SENTENCE.search(c) or len(c) > _PROSE_CELL for c in names):
        return "prose"
    return "header" if len(names) >= 2 else "other"


def _has_digit(cells: list[str]) -> bool:
    return any(ch.isdigit() for c in cells for ch in c)


def _trimmed(cells: list[str]) -> list[str]:
    out = list(cells)
    while out and not out[-1].strip():
        out.pop()
    return out


def _header(upper: _Row | None, lower: _Row, body: list[_Row]) -> tuple[list[str], int]:
    """The block's header and its first line. Two header rows make one when the upper
    row's first names span the lower row's columns (绩效指标 over 一级指标 … and 年度指标值
    over 指标性质 …, their words ending alike) and the rows below are wider than the lower
    row: the names after the spanning ones stand above columns of their own."""
    head = _trimmed(lower.cells)
    if upper is None:
        return head, lower.first
    top = [c for c in upper.cells if c.strip()]
    low = [_plain(c) for c in head]
    k = 0
    while k < len(top) and any(_ends_alike(_plain(top[k]), c) for c in low):
        k += 1
    wide = max(len(_trimmed(r.cells)) for r in body)
    if 0 < k < len(top) and wide > len(head):
        return head + top[k:], upper.first
    return head, lower.first


def with_label_column(header: list[str], rows: list[list[str]]) -> list[str]:
    """``header`` with a blank first column when it names only figures and its rows are
    wider, opening with their names, with a figure for every column it names (年初预算数 …
    over 年度资金总额 30 32 …).

    >>> with_label_column(["年初预算数", "全年预算数", "执行率"], [["合计", "30", "32", "90%"]])
    ['', '年初预算数', '全年预算数', '执行率']
    >>> with_label_column(["项目资金（万元）", "年初预算数"], [["合计", "30"]])
    ['项目资金（万元）', '年初预算数']
    """
    if not header or column_type(header[0]).role not in ("number", "value"):
        return header
    wide = max((len(_trimmed(r)) for r in rows), default=0)
    named = sum(1 for r in rows if r and _cell_kind(r[0]) == "text")
    columns = sum(1 for h in header if column_type(h).role in ("number", "value"))
    figures = max((sum(1 for c in r if _cell_kind(c) in ("figure", "percent", "valued"))
                   for r in rows), default=0)
    if wide > len(_trimmed(header)) and named * 2 >= len(rows) and figures >= columns:
        return ["", *header]
    return header


def _ends_alike(a: str, b: str) -> bool:
    return len(a) >= 2 and len(b) >= 2 and a[-2:] == b[-2:]


# --------------------------------------------------------------------------- alignment


@lru_cache(maxsize=8192)  # cells repeat within a form; a batch must not grow it forever
def _cell_kind(cell: str) -> str:
    """empty, figure, percent, unit (a unit word alone), comparator, valued (one figure
    with its unit, maybe after a sign: ≥50个), quantity (words holding a figure: 产出指标
    （50分）), text."""
    from jixiao.extract.quantities import find_quantities

    if is_empty_cell(cell):
        return "empty"
    plain = _plain(cell)
    if is_figure(plain):
        return "percent" if plain.endswith("%") else "figure"
    if all(ch in _COMPARATOR for ch in plain):
        return "comparator"
    if len(plain) <= 4 and len(q := find_quantities("1" + plain)) == 1 \
            and q[0].start == 0 and q[0].end == len(plain) + 1:
        return "unit"
    if qs := find_quantities(plain):
        bare = re.sub(r"^[=＝﹦≥≤><＞＜]+", "", plain)
        if len(qs) == 1 and qs[0].end - qs[0].start == len(bare) and plain.endswith(bare):
            return "valued"
        return "quantity"
    return "text"


def _pair(kind: str, col: ColumnType, unit: bool) -> float:
    """How well a cell of ``kind`` sits under a column of type ``col``; ``unit``: the row
    states an indicator (a 度量单位 cell, a value such as ≥50个, a sign ≥ before a value):
    without one, a bare number is no indicator's value."""
    role = col.role
    if kind == "empty":
        return 0.0
    if kind == "figure":
        if role == "value":
            return 1.0 if unit else 0.1
        return {"ordinal": 1.0, "number": 1.0, "blank": -0.5}.get(role, -1.0)
    if kind == "valued":
        return {"value": 1.5, "number": 0.5, "text": 0.3}.get(role, -0.5)
    if kind == "percent":
        if role == "number":
            return 2.0 if col.kind == "percent" else -1.0
        return {"value": 1.0, "blank": -0.5}.get(role, -1.0)
    if kind == "unit":
        return 2.0 if role == "unit" else -1.0
    if kind == "comparator":
        return {"comparator": 1.5, "text": 0.5}.get(role, -1.0)
    if role == "comparator":
        return -0.5
    if kind == "quantity":
        return {"value": 1.0, "text": 0.5}.get(role, -0.5)
    # a name; a value written in words (完成, 达成预期) may stand under a value column
    return {"text": 0.5, "blank": 0.0, "value": 0.2}.get(role, -1.0)


def _skip_cost(i: int, n: int, j: int, m: int) -> float:
    """Leaving column ``j`` blank before cell ``i``: free after the row's last cell,
    cheap before its first (a name merged down from the row above, as 一级指标 is), and in
    between a little dearer the earlier it is, so that a row packs left after its name."""
    if i == n:
        return 0.0
    if i == 0:
        return _SKIP / 2
    return _SKIP * (1 + (m - j) / (10 * m))


def align(header: list[str], row: list[str]) -> list[str]:
    """``row``'s cells placed under ``header``'s columns, in order, as well as their kinds
    allow; a column that gets no cell is blank, a cell that fits nowhere is left out.

    >>> align(["项目资金（万元）", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
    ...       ["其中：财政拨款", "7.29", "7.29", "7.29", "100%"])
    ['其中：财政拨款', '7.29', '7.29', '7.29', '', '100%', '']
    >>> align(["一级指标", "二级指标", "三级指标", "指标值", "度量单位", "实际完成值", "分值", "得分"],
    ...       ["质量指标", "验收合格率", "100", "%", "100", "20", "19"])
    ['', '质量指标', '验收合格率', '100', '%', '100', '20', '19']
    """
    cols = [column_type(h) for h in header]
    if cols and cols[0].role != "ordinal":
        cols[0] = ColumnType("text")  # the first column names the rows (项目资金（万元）)
    kinds = [_cell_kind(c) for c in row]
    unit = any(k in ("unit", "valued", "comparator") for k in kinds)
    n, m = len(row), len(cols)
    neg = float("-inf")
    best = [[neg] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int, bool] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0

    def relax(i: int, j: int, score: float, step: tuple[int, int, bool]) -> None:
        if score > best[i][j] + 1e-9:
            best[i][j] = score
            back[i][j] = step

    for i in range(n + 1):
        for j in range(m + 1):
            here = best[i][j]
            if here == neg:
                continue
            if i < n and j < m:
                relax(i + 1, j + 1, here + _pair(kinds[i], cols[j], unit), (i, j, True))
            if j < m:  # a column left blank (see _skip_cost)
                relax(i, j + 1, here - _skip_cost(i, n, j, m), (i, j, False))
            if i < n:
                relax(i + 1, j, here - _DROP[kinds[i]], (i, j, False))
    out = [""] * m
    i, j = n, m
    while (step := back[i][j]) is not None:
        pi, pj, paired = step
        if paired:
            out[pj] = row[pi]
        i, j = pi, pj
    return out
