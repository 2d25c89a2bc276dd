"""Layout repair: turn the lines a PDF (or text copied out of a PDF) gives into paragraphs.

Two sources of lines:

* positioned lines (PDF text layer, OCR): we know where each line starts and ends, so a
  paragraph starts where a line is indented (GB/T 9704 bodies indent the first line by two
  characters), centred or right-aligned, or follows a line that stopped short of the right
  margin; a paragraph continues over a page break when the last line of the page was full
  and the first line of the next is not indented;
* bare text lines (``.txt`` extracted from a PDF): we only have characters, so we estimate
  the wrap width from the lines themselves and treat a full line as wrapped.

Both keep the page of every character (``Block.page_breaks``) and never join a numbered
heading (``一、`` ``（二）`` ``3、`` …) onto the line before it.
"""

from __future__ import annotations

import itertools
import re
import statistics
from dataclasses import dataclass
from functools import cache

from jixiao.extract.normalize import clean_text, display_width, normalize_chars, to_simplified
from jixiao.extract.numbering import match_numbering
from jixiao.extract.resources import load_yaml
from jixiao.model import Block, Table

# A page number line as Word/WPS print it: "— 3 —", "- 3 -", "第3页", "3/8".
PAGE_NUMBER = re.compile(r"^\s*(?:[—–\-－]+\s*\d{1,4}\s*[—–\-－]+|第\s*\d{1,4}\s*页(?:\s*共\s*\d+\s*页)?|\d{1,4}\s*/\s*\d{1,4})\s*$")
# Characters that end a sentence or a paragraph in these reports.
TERMINAL = "。！？；：”」』…"
# A heading without terminal punctuation is short; a longer unpunctuated line is a
# paragraph cut by a page break.
HEADING_MAX_WIDTH = 30
# The caption above a table names it as a list or a table.
CAPTION = re.compile(r"(表|清单|一览|明细|情况)\s*$")


@dataclass(slots=True)
class Line:
    """One printed line. Coordinates are PDF points, origin top-left; None for bare text."""

    text: str
    page: int | None = None
    x0: float | None = None
    x1: float | None = None
    top: float | None = None
    bottom: float | None = None
    table: int | None = None  # a marker line: table N stands here


def is_page_number(text: str) -> bool:
    """
    >>> is_page_number("— 3 —"), is_page_number("第2页"), is_page_number("3个项目")
    (True, True, False)
    """
    return bool(PAGE_NUMBER.match(text))


def _join(parts: list[tuple[str, int | None]], kind: str = "paragraph") -> Block:
    """Join cleaned line texts into one block, recording where the page changes."""
    text = ""
    breaks: list[tuple[int, int]] = []
    first_page = parts[0][1]
    last_page = first_page
    for part, page in parts:
        if text and part and text[-1].isascii() and text[-1].isalnum() and part[0].isascii() \
                and part[0].isalnum():
            text += " "
        if page is not None and page != last_page:
            breaks.append((len(text), page))
            last_page = page
        text += part
    return Block(text=text, kind=kind, page=first_page, page_breaks=breaks)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- positioned


def blocks_from_positioned_lines(lines: list[Line]) -> list[Block]:
    """Paragraphs from lines with coordinates (PDF text layer or OCR)."""
    lines = [ln for ln in lines
             if ln.table is not None or (ln.text.strip() and not is_page_number(ln.text))]
    body = [ln for ln in lines if ln.table is None]
    if not body:
        return []
    heights = [ln.bottom - ln.top for ln in body if ln.bottom is not None and ln.top is not None]
    em = statistics.median(heights) if heights else 12.0
    if not em > 0:  # lines of no height (degenerate glyph boxes): a printed line's size
        em = 12.0
    left = _mode([ln.x0 for ln in body], em / 2)
    right = _right_margin([ln.x1 for ln in body], em)

    def indented(ln: Line) -> bool:
        return ln.x0 > left + 0.8 * em

    def full(ln: Line) -> bool:
        return ln.x1 >= right - 1.2 * em

    def centred(ln: Line) -> bool:
        return ln.x0 > left + 1.5 * em and ln.x1 < right - 1.5 * em and \
            abs((ln.x0 - left) - (right - ln.x1)) < max(3 * em, 0.1 * (right - left))

    def right_aligned(ln: Line) -> bool:
        return ln.x0 > left + 6 * em and ln.x1 >= right - 3 * em and not centred(ln)

    blocks: list[Block] = []
    current: list[tuple[str, int | None]] = []
    kind = "paragraph"
    prev: Line | None = None
    for ln in lines:
        if ln.table is not None:
            if current:
                blocks.append(_join(current, kind))
                current = []
            blocks.append(Block(text="", kind="table", page=ln.page, table=ln.table))
            prev = None
            continue
        text = clean_text(ln.text)
        if not text:
            continue
        new = prev is None
        if prev is not None:
            if kind == "title" and centred(ln) and ln.page == prev.page \
                    and ln.top - prev.bottom < max(em, _height(prev)):
                new = False  # a title wrapped over two centred lines
            elif centred(ln) or right_aligned(ln) or kind in ("title", "signature"):
                new = True
            elif ln.page != prev.page:
                new = indented(ln) or not full(prev) or _ends_heading(current)
            else:
                gap = ln.top - prev.bottom
                new = indented(ln) or not full(prev) or gap > 1.2 * em
        if new and current:
            blocks.append(_join(current, kind))
            current = []
        if new:
            kind = "paragraph"
            if not blocks and (centred(ln) or _height(ln) > 1.2 * em):
                kind = "title"
            elif centred(ln):
                kind = "caption"
            elif right_aligned(ln):
                kind = "signature"
        current.append((text, ln.page))
        prev = ln
    if current:
        blocks.append(_join(current, kind))
    return blocks


def _height(ln: Line) -> float:
    return (ln.bottom or 0.0) - (ln.top or 0.0)


def _ends_heading(parts: list[tuple[str, int | None]]) -> bool:
    return len(parts) == 1 and display_width(parts[0][0]) < HEADING_MAX_WIDTH and \
        match_numbering(parts[0][0]) is not None


def _mode(values: list[float], bin_size: float) -> float:
    """The most common value, binned; ties go to the smallest (the body's left margin)."""
    bins: dict[int, int] = {}
    for v in values:
        bins[round(v / bin_size)] = bins.get(round(v / bin_size), 0) + 1
    best = max(bins.values())
    return min(k for k, n in bins.items() if n == best) * bin_size


def _right_margin(values: list[float], em: float) -> float:
    """Where full lines end: the most common line end among the rightmost ones."""
    top = max(values)
    near = [v for v in values if v >= top - 3 * em]
    return _mode(near, em / 2) if len(near) > 2 else top


# --------------------------------------------------------------------------- bare text


def blocks_from_text_lines(raw_lines: list[str]) -> list[Block]:
    """Paragraphs from the lines of a ``.txt`` file (see :func:`text_layout`)."""
    return text_layout(raw_lines)[0]


def text_layout(raw_lines: list[str]) -> tuple[list[Block], list[Table]]:
    """Paragraphs and tables from the lines of a ``.txt`` file.

    Three shapes occur: one paragraph per line (typed or exported text); one paragraph per
    line with blank lines between and paragraphs cut at page breaks (copied from a PDF);
    and hard-wrapped lines (every line as printed, also with blank lines between).

    A table flattened into short lines stays one block of kind ``table`` holding its text;
    when its rows can be rebuilt (:func:`parse_flat_table`) an empty ``table`` block marking
    where table N stands comes just before it, as the DOCX and PDF readers place tables,
    and the caption line above it becomes a ``caption`` block.
    """
    lines = [ln.rstrip() for ln in raw_lines]
    nonblank = [i for i, ln in enumerate(lines) if ln.strip()]
    if not nonblank:
        return [], []
    # Signature lines are pushed to the right with runs of spaces.
    signature = {i for i in nonblank if len(lines[i]) - len(lines[i].lstrip(" ")) >= 8
                 and display_width(lines[i].strip()) < 20}
    texts = [(i, clean_text(lines[i])) for i in nonblank]
    texts = [(i, t) for i, t in texts if t and not is_page_number(t)]
    gaps = sum(1 for a, b in itertools.pairwise(nonblank) if b - a > 1)
    from_pdf = len(nonblank) > 3 and gaps >= 0.8 * (len(nonblank) - 1)
    if not from_pdf:
        return [Block(text=t, kind="signature" if i in signature else "paragraph")
                for i, t in texts], []
    widths = sorted(display_width(t) for _, t in texts)
    wrap = widths[int(0.9 * (len(widths) - 1))]
    near_wrap = sum(1 for w in widths if w >= wrap - 1.5)
    hard_wrapped = near_wrap >= 0.4 * len(widths)
    table_lines = _table_region(texts, wrap) if hard_wrapped else set()
    tables: list[Table] = []
    table_at: dict[int, int] = {}  # first line of a rebuilt table -> its index
    for start, end in _runs(sorted(table_lines)):
        above = texts[start - 1][1] if start else ""
        caption = above if CAPTION.search(to_simplified(above)) \
            and display_width(above) < 0.75 * wrap \
            and not match_numbering(above) else None
        table = parse_flat_table([lines[i] for i in range(texts[start][0], texts[end - 1][0] + 1)],
                                 index=len(tables), caption=caption)
        if table is not None:
            table_at[start] = table.index
            tables.append(table)

    blocks: list[Block] = []
    current: list[str] = []
    current_kind = "paragraph"

    def flush() -> None:
        nonlocal current
        if current:
            blocks.append(_join([(t, None) for t in current], current_kind))
            current = []

    for n, (i, text) in enumerate(texts):
        kind = "signature" if i in signature else "table" if n in table_lines else "paragraph"
        if n in table_at:
            table = tables[table_at[n]]
            if table.caption is not None and current == [table.caption]:
                current_kind = "caption"
            else:
                table.caption = None  # the caption line ran into a paragraph
            flush()
            blocks.append(Block(text="", kind="table", table=table_at[n]))
        if not current:
            current, current_kind = [text], kind
            continue
        prev = current[-1]
        if kind != current_kind or kind == "signature":
            new = True
        elif kind == "table":
            new = False
        elif hard_wrapped:
            new = _wrapped_break(prev, text, wrap, first_line=len(current) == 1)
        else:
            new = prev[-1:] in TERMINAL or _looks_like_heading(prev)
        if new:
            flush()
            current, current_kind = [text], kind
        else:
            current.append(text)
    flush()
    return blocks, tables


def _wrapped_break(prev: str, text: str, wrap: float, *, first_line: bool) -> bool:
    """Does a paragraph end between two hard-wrapped lines?

    A line that reaches the wrap width was wrapped (the first line of a paragraph is two
    characters shorter: it is indented). A short line ends its paragraph only if it ends a
    sentence or is a heading — justified lines full of digits look short but end in "、".
    ``一是`` at the start of a line opens a new paragraph only after a short line, since
    these ordinals mostly run inside paragraphs.
    """
    full = display_width(prev) >= wrap - (3.5 if first_line else 1.5)
    ends = prev[-1:] in TERMINAL or _looks_like_heading(prev)
    numbering = match_numbering(text)
    if numbering and numbering.kind != "ordinal_cn":
        return ends or not full
    return not full and ends


def _looks_like_heading(text: str) -> bool:
    """A short line with no sentence punctuation inside: a heading, not a cut paragraph.

    >>> _looks_like_heading("一、工作开展情况"), _looks_like_heading("三是强化管理。压实责任，严守事前")
    (True, False)
    """
    return display_width(text) < HEADING_MAX_WIDTH and not any(c in text for c in "。，；")


def _table_region(texts: list[tuple[int, str]], wrap: float) -> set[int]:
    """Indexes of lines that belong to a table flattened into short lines.

    A flattened table is a run of at least six lines, most of them far shorter than the
    wrap width and none ending a sentence; it ends at the next numbered paragraph, be it a
    short heading inside the run or a paragraph after it. A numbered line opening the run
    is a heading above the table, and a run cut by numbers into short pieces is a list.
    """
    region: set[int] = set()
    n = 0
    while n < len(texts):
        run = n
        while run < len(texts) and display_width(texts[run][1]) < 0.75 * wrap \
                and texts[run][1][-1:] not in TERMINAL:
            run += 1
        if run - n < 6:
            n = max(run, n + 1)
            continue
        if match_numbering(texts[n][1]):
            n += 1  # a heading above the table
            continue
        # the caption stays a paragraph
        start = n + 1 if CAPTION.search(to_simplified(texts[n][1])) else n
        end = start + 1
        while end < len(texts) and not _ends_table(texts[end][1], inside=end < run):
            end += 1
        if end - start >= 6:
            region.update(range(start, end))
        n = end
    return region


def _ends_table(text: str, *, inside: bool) -> bool:
    """A numbered line ends a flattened table; inside its run of short lines, ``一是`` …
    may open a cell's text instead."""
    numbering = match_numbering(text)
    return numbering is not None and not (inside and numbering.kind == "ordinal_cn")


def _runs(indexes: list[int]) -> list[tuple[int, int]]:
    """Consecutive stretches of sorted indexes as ``(start, end)`` half-open ranges.

    >>> _runs([3, 4, 5, 9, 10])
    [(3, 6), (9, 11)]
    """
    out: list[tuple[int, int]] = []
    for n in indexes:
        if out and out[-1][1] == n:
            out[-1] = (out[-1][0], n + 1)
        else:
            out.append((n, n + 1))
    return out


# --------------------------------------------------------------------------- flattened tables
#
# Text copied out of a PDF prints a table cell by cell: the header words wrapped over
# several lines, then each row as its ordinal on a line of its own, the text cells wrapped
# to their column width, and the figures of the row on one line separated by spaces:
#
#     序\n号\n\n部门单位 项目名称\n年初预算\n\n金额\n … \n项目属性
#     1\n民丰县住\n房和城乡\n建设局\n\n民丰县污水处理厂日常运营管理\n采购服务项目（服务费）
#     \n\n100 100 100.00% 99.37 政府采购服务
#
# The header is split into column names with the lexicon of data/table_headers.yaml; the
# columns that hold figures fix how many figures a row has; the text before a row's
# figures goes to the text columns before them, the text after to the columns after.

# CJK characters and punctuation. A space between two of them separates two cells (PDF
# layout spaces sit between a digit and a CJK character: "2023 年", "20 号").
_CJK_CHARS = (
    r"\u2e80-\u2fff\u3001-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff0f"
    r"\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"
)
_CELL_SPACE = re.compile(rf"(?<=[{_CJK_CHARS}])\s+(?=[{_CJK_CHARS}])")
# A figure cell: 100  10,113.65  98.78%  -3, or the dash or slash written in an empty cell.
_FIGURE = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?|[—－\-/]")
# Where a number touches a word: "资金940" and "96.49一般" are two tokens each.
_GLUE = re.compile(rf"(?<=[{_CJK_CHARS}])(?=[-+]?\d)|(?<=[\d%])(?=[{_CJK_CHARS}])")
# A number followed by one of these belongs to a phrase ("2023 年", "20 号"), not a figure.
_PHRASE_UNITS = tuple("年月日号个项次人家万亿元")
# "单位：万元" above the header gives the unit of the figures; it is not a column.
_UNIT_NOTE = re.compile(r"^[（(]?(?:金额)?单位[:：]")
# Lines of one wrapped cell are equally wide within this many em (justified lines vary).
_FULL_TOLERANCE = 1.5
# Costs of a cell split (see _group_cost, _best_split); only their order matters.
_COST_UNKNOWN_HEADER = 3.0  # plus _COST_UNKNOWN_CHAR per character
_COST_UNKNOWN_CHAR = 0.5
_COST_EMPTY_CELL = 5.0
_COST_NOT_FULL = 3.0
_COST_NOT_FULL_FOR_COLUMN = 1.0
_COST_SPACE_INSIDE = 1.5
_COST_BLANK_INSIDE = 0.3
_COST_CUT_WITHOUT_BLANK = 0.3
_COST_TOO_WIDE = 10.0
# More text columns than this on one side of the figures: not a table we rebuild.
_MAX_TEXT_COLUMNS = 6


@dataclass(slots=True)
class _Piece:
    """A run of cell text: a printed line, or part of one between cell spaces."""

    text: str  # cleaned
    gap: str  # what separates it from the piece before: "space", "line" or "blank"

    @property
    def width(self) -> float:
        return display_width(self.text)


@cache
def _header_lexicon() -> tuple[dict[str, str], tuple[str, ...]]:
    data = load_yaml("table_headers.yaml")
    words = {name: kind for kind, names in data["headers"].items() for name in names}
    return words, tuple(data["number_suffixes"])


def parse_flat_table(raw_lines: list[str], *, index: int = 0,
                     caption: str | None = None) -> Table | None:
    """Rebuild a table that text extraction flattened into short lines, or None.

    ``raw_lines`` are the lines of the table as they stand in the file (blank lines and
    spaces included, caption excluded). Rows are found by their ordinals 1, 2, 3 … on lines
    of their own; a row must hold as many figures on one line as the header has figure
    columns. Anything not understood gives None, never a guessed table.

    >>> t = parse_flat_table(["序", "号", "", "单位名称 项目名称", "预算", "金额", "执行率",
    ...                       "1", "甲县", "教育局", "", "校舍维修 120.5 98.00%",
    ...                       "2", "甲县水", "利局", "", "灌区改造", "", "80 100.00%"])
    >>> t.header
    ['序号', '单位名称', '项目名称', '预算金额', '执行率']
    >>> t.rows
    [['1', '甲县教育局', '校舍维修', '120.5', '98.00%'], ['2', '甲县水利局', '灌区改造', '80', '100.00%']]
    """
    lines: list[tuple[str, str]] = []  # (line, gap before it)
    gap = "line"
    for raw in raw_lines:
        text = to_simplified(normalize_chars(raw)).strip()  # header words are simplified
        if not text or is_page_number(text):
            gap = "blank"
            continue
        lines.append((text, gap))
        gap = "line"
    first = next((n for n, (text, _) in enumerate(lines) if clean_text(text) == "1"), None)
    if not first:
        return None
    head = [(text, gap) for text, gap in lines[:first] if not _UNIT_NOTE.match(clean_text(text))]
    header = _split_header(head) if head else None
    if header is None or len(header) < 3 or header[0][1] != "ordinal":
        return None
    figure_columns = [c for c, (_, kind) in enumerate(header) if kind == "number"]
    if not figure_columns or figure_columns != list(
            range(figure_columns[0], figure_columns[0] + len(figure_columns))):
        return None
    k = len(figure_columns)
    n_before = figure_columns[0] - 1
    n_after = len(header) - 1 - n_before - k
    if n_before > _MAX_TEXT_COLUMNS or n_after > _MAX_TEXT_COLUMNS:
        return None

    # Rows: a line holding the next ordinal starts a row once the row before has its figures.
    raw_rows: list[list[tuple[str, str]]] = []
    has_figures = True
    for text, gap in lines[first:]:
        if has_figures and clean_text(text) == str(len(raw_rows) + 1):
            raw_rows.append([])
            has_figures = False
            continue
        raw_rows[-1].append((text, gap))
        has_figures = has_figures or _figure_run(text, k) is not None
    if not has_figures:
        return None

    # Each row: pieces before its figures, the figures, pieces after them.
    parsed: list[tuple[list[_Piece], list[str], list[_Piece]]] = []
    for n, row in enumerate(raw_rows):
        at = next(j for j, (text, _) in enumerate(row) if _figure_run(text, k) is not None)
        text, gap = row[at]
        start, end, figures = _figure_run(text, k)  # type: ignore[misc]
        before = [p for t, g in row[:at] for p in _pieces(t, g)] + _pieces(text[:start], gap)
        after = _pieces(text[end:], "space")
        for t, g in row[at + 1 :]:
            if n == len(raw_rows) - 1 and (clean_text(t)[-1:] in TERMINAL or "：" in t):
                break  # a sentence or a note after the last row is not part of the table
            if _figure_run(t, k) is not None:
                return None  # two rows' figures: a row number is missing
            after += _pieces(t, g)
        if n_after == 0 and after:
            if n == len(raw_rows) - 1:
                after = []  # text following the table
            else:
                before += after  # a displaced piece of a text cell
                after = []
        if n_before == 0 and before:
            return None
        parsed.append((before, figures, after))

    befores = _split_columns([b for b, _, _ in parsed], n_before)
    afters = _split_columns([a for _, _, a in parsed], n_after)
    rows = [[str(n + 1), *befores[n], *figures, *afters[n]]
            for n, (_, figures, _) in enumerate(parsed)]
    return Table(index=index, header=[name for name, _ in header], rows=rows, caption=caption)


def _pieces(text: str, gap: str) -> list[_Piece]:
    """A line cut at the spaces between two CJK characters (cell separators)."""
    parts = [clean_text(p) for p in _CELL_SPACE.split(text)]
    return [_Piece(p, gap if n == 0 else "space") for n, p in enumerate(parts) if p]


def _figure_run(text: str, k: int) -> tuple[int, int, list[str]] | None:
    """Where the ``k`` figures of a row stand in ``text``: ``(start, end, figures)``.

    The run is a stretch of exactly ``k`` figures (the last such stretch), or else the last
    ``k`` of a longer one (a name ending in a number before the figures).

    >>> _figure_run("2023 年困难群众救助资金 940 928.56 98.78% 96.49 一般公共预算", 4)
    (15, 38, ['940', '928.56', '98.78%', '96.49'])
    >>> _figure_run("2023 年民丰县农业农村和水利局", 1) is None
    True
    """
    tokens: list[tuple[int, int, str]] = []
    for m in re.finditer(r"\S+", text):
        pos = m.start()
        for part in _GLUE.split(m.group()):
            if part:
                tokens.append((pos, pos + len(part), part))
                pos += len(part)
    figure = [bool(_FIGURE.fullmatch(t)) and not (
        n + 1 < len(tokens) and tokens[n + 1][2].startswith(_PHRASE_UNITS))
        for n, (_, _, t) in enumerate(tokens)]
    runs: list[tuple[int, int]] = []  # token ranges
    for is_figure, group in itertools.groupby(range(len(tokens)), key=lambda n: figure[n]):
        if is_figure:
            members = list(group)
            runs.append((members[0], members[-1] + 1))
    exact = [r for r in runs if r[1] - r[0] == k]
    longer = [(b - k, b) for a, b in runs if b - a > k]
    if not exact and not longer:
        return None
    a, b = exact[-1] if exact else longer[0]
    return tokens[a][0], tokens[b - 1][1], [t for _, _, t in tokens[a:b]]


def _split_header(lines: list[tuple[str, str]]) -> list[tuple[str, str]] | None:
    """Column names and kinds of a wrapped or glued header, or None.

    The header text is cut into the fewest names, preferring names of the lexicon; a name
    not in it must start and end where a line or a cell space does.

    >>> _split_header([("序", "line"), ("号", "line"), ("部门单位 项目名称", "blank"),
    ...                ("年初预算", "line"), ("金额", "blank"), ("评价", "line"), ("得分", "line")])
    [('序号', 'ordinal'), ('部门单位', 'text'), ('项目名称', 'text'), ('年初预算金额', 'number'), ('评价得分', 'number')]
    """
    words, suffixes = _header_lexicon()
    pieces = [p for text, gap in lines for p in _pieces(text, gap)]
    text = "".join(p.text for p in pieces)
    bounds: dict[int, str] = {}
    pos = 0
    for p in pieces:
        bounds[pos] = p.gap
        pos += len(p.text)
    bounds[pos] = "end"
    stops = sorted(bounds)
    inf = float("inf")
    best = [inf] * (len(text) + 1)
    back: list[tuple[int, str] | None] = [None] * (len(text) + 1)
    best[0] = 0.0

    def relax(i: int, j: int, cost: float, kind: str) -> None:
        if best[i] + cost < best[j]:
            best[j] = best[i] + cost
            back[j] = (i, kind)

    for i in range(len(text)):
        if best[i] == inf:
            continue
        for word, kind in words.items():
            if text.startswith(word, i):
                relax(i, i + len(word), 1.0, kind)
        if i in bounds:
            for j in stops:
                if j <= i:
                    continue
                name = text[i:j]
                relax(i, j, _COST_UNKNOWN_HEADER + _COST_UNKNOWN_CHAR * len(name),
                      "number" if name.endswith(suffixes) else "text")
                if bounds[j] == "space":
                    break  # a name not in the lexicon does not run over a cell space
    if best[-1] == inf:
        return None
    out: list[tuple[str, str]] = []
    j = len(text)
    while j > 0:
        i, kind = back[j]  # type: ignore[misc]
        out.append((text[i:j], kind))
        j = i
    return out[::-1]


def _split_columns(rows: list[list[_Piece]], ncols: int) -> list[list[str]]:
    """Cut each row's pieces into ``ncols`` cells.

    First each row on its own (a wrapped cell's lines are all about as wide as its widest,
    but the last), then again knowing each column's width from all rows: a line wider than
    its column does not belong to it, and a narrower wrapped line is a weak sign.
    """
    if ncols == 0:
        return [[] for _ in rows]
    groups = [_best_split(pieces, ncols, None) for pieces in rows]
    widths: list[float | None] = []
    for c in range(ncols):
        seen = [p.width for g in groups for p in g[c]]
        widths.append(max(seen) if seen else None)
    groups = [_best_split(pieces, ncols, widths) for pieces in rows]
    return [[clean_text("".join(p.text for p in cell)) for cell in g] for g in groups]


def _best_split(pieces: list[_Piece], ncols: int, widths: list[float | None] | None
                ) -> list[list[_Piece]]:
    """The cheapest cut of ``pieces`` into ``ncols`` consecutive groups (some maybe empty)."""
    m = len(pieces)
    inf = float("inf")
    # best[c][q]: cheapest cut of pieces[:q] into c groups; back[c][q]: where group c starts.
    best = [[inf] * (m + 1) for _ in range(ncols + 1)]
    back = [[0] * (m + 1) for _ in range(ncols + 1)]
    best[0][0] = 0.0
    for c in range(ncols):
        for q in range(m + 1):
            if best[c][q] == inf:
                continue
            cut = _COST_CUT_WITHOUT_BLANK if c and 0 < q < m and pieces[q].gap == "line" else 0.0
            for r in range(q, m + 1):
                cost = best[c][q] + cut + _group_cost(pieces[q:r], widths[c] if widths else None)
                if cost < best[c + 1][r] - 1e-9:
                    best[c + 1][r] = cost
                    back[c + 1][r] = q
    groups: list[list[_Piece]] = []
    r = m
    for c in range(ncols, 0, -1):
        q = back[c][r]
        groups.append(pieces[q:r])
        r = q
    return groups[::-1]


def _group_cost(group: list[_Piece], column: float | None) -> float:
    """How unlikely it is that these pieces are one cell of a column ``column`` em wide.

    The lines of a wrapped cell are about as wide as its widest but the last; a cell does
    not hold a space between CJK characters nor a line wider than its column.
    """
    if not group:
        return _COST_EMPTY_CELL
    cost = 0.0
    widest = max(p.width for p in group)
    for prev, piece in itertools.pairwise(group):
        if piece.gap == "space":
            cost += _COST_SPACE_INSIDE
            continue
        if widest - prev.width > _FULL_TOLERANCE:
            cost += _COST_NOT_FULL  # a wrapped line stops short of the cell's width
        if column is not None and column - prev.width > _FULL_TOLERANCE:
            cost += _COST_NOT_FULL_FOR_COLUMN
        if piece.gap == "blank":
            cost += _COST_BLANK_INSIDE
    if column is not None:
        cost += _COST_TOO_WIDE * sum(p.width > column + _FULL_TOLERANCE for p in group)
    return cost
