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

from jixiao.extract.normalize import clean_text, display_width
from jixiao.extract.numbering import match_numbering
from jixiao.model import Block

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
    """Paragraphs from the lines of a ``.txt`` file.

    Three shapes occur: one paragraph per line (typed or exported text); one paragraph per
    line with blank lines between and paragraphs cut at page breaks (copied from a PDF);
    and hard-wrapped lines (every line as printed, also with blank lines between).
    """
    lines = [ln.rstrip() for ln in raw_lines]
    nonblank = [i for i, ln in enumerate(lines) if ln.strip()]
    if not nonblank:
        return []
    # Signature lines are pushed to the right with runs of spaces.
    signature = {i for i in nonblank if len(lines[i]) - len(lines[i].lstrip(" ")) >= 8
                 and display_width(lines[i].strip()) < 20}
    texts = [(i, clean_text(lines[i])) for i in nonblank]
    texts = [(i, t) for i, t in texts if t and not is_page_number(t)]
    gaps = sum(1 for a, b in itertools.pairwise(nonblank) if b - a > 1)
    from_pdf = len(nonblank) > 3 and gaps >= 0.8 * (len(nonblank) - 1)
    if not from_pdf:
        return [Block(text=t, kind="signature" if i in signature else "paragraph")
                for i, t in texts]
    widths = sorted(display_width(t) for _, t in texts)
    wrap = widths[int(0.9 * (len(widths) - 1))]
    near_wrap = sum(1 for w in widths if w >= wrap - 1.5)
    hard_wrapped = near_wrap >= 0.4 * len(widths)
    table_lines = _table_region(texts, wrap) if hard_wrapped else set()

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
    return blocks


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
    wrap width and none ending a sentence; it ends at the next numbered paragraph.
    """
    region: set[int] = set()
    n = 0
    while n < len(texts):
        run = n
        while run < len(texts) and display_width(texts[run][1]) < 0.75 * wrap \
                and texts[run][1][-1:] not in TERMINAL:
            run += 1
        if run - n >= 6:
            if CAPTION.search(texts[n][1]):
                n += 1  # the caption stays a paragraph of its own, as in Word
            end = run
            while end < len(texts) and not match_numbering(texts[end][1]):
                end += 1
            region.update(range(n, end))
            n = end
        else:
            n = max(run, n + 1)
    return region
