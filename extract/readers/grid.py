"""Table grids drawn in a page image: the cell boxes of ruled tables in a scan.

A PDF with a text layer (or at least vector rules) gives its table grid to pdfplumber. A
scanned page is one image, so its rules are pixels: long thin horizontal and vertical runs
of ink, which no glyph makes. They are picked out with a morphological opening (a line
kernel a few percent of the page long), the vertical rules are grouped into tables by
the height they share, and each table's cells are the boxes between consecutive rules. A
rule missing between two cells (a merged cell) makes them one box; the covered cell is
``None``, as pdfplumber reports it, so both kinds of grid are filled the same way.

Only used on pages that are OCRed; numpy and OpenCV come with the ``jixiao[ocr]`` extra.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover - typing only
    import numpy as np

__all__ = ["Box", "find_grids"]

Box = tuple[float, float, float, float]  # x0, top, x1, bottom

MIN_RULE_SHARE = 0.6  # of a row band's height / a column band's width: a rule is there
LINE_KERNEL_SHARE = 1 / 40  # of the page's side: shorter dark runs are glyph strokes
MERGE_PX = 4  # rule pixels closer than this are one rule (a thick or wandering line)


def _positions(profile: np.ndarray, threshold: float) -> list[int]:
    """Centres of the runs of ``profile`` at or above ``threshold``."""
    import numpy as np

    idx = np.flatnonzero(profile >= threshold)
    out: list[list[int]] = []
    for i in idx.tolist():
        if out and i - out[-1][-1] <= MERGE_PX:
            out[-1].append(i)
        else:
            out.append([i])
    return [(run[0] + run[-1]) // 2 for run in out]


def _segments(mask_column: np.ndarray, min_length: int) -> list[tuple[int, int]]:
    """Runs of ink down one column of a rule mask, at least ``min_length`` long."""
    import numpy as np

    ink = np.flatnonzero(mask_column)
    runs: list[tuple[int, int]] = []
    for i in ink.tolist():
        if runs and i - runs[-1][1] <= MERGE_PX:
            runs[-1] = (runs[-1][0], i)
        else:
            runs.append((i, i))
    return [(a, b) for a, b in runs if b - a + 1 >= min_length]


def find_grids(dark: np.ndarray, scale: float = 1.0) -> list[list[list[Box | None]]]:
    """The ruled tables of a page image: each a list of rows of cell boxes.

    ``dark`` is a boolean image (ink); boxes are returned in the image's pixels divided by
    ``scale`` (pixels per point gives PDF points, origin top-left).

    >>> import numpy as np
    >>> page = np.zeros((200, 300), dtype=bool)
    >>> for y in (20, 60, 100):
    ...     page[y, 20:281] = True
    >>> for x in (20, 150, 280):
    ...     page[20:101, x] = True
    >>> page[60:101, 150] = False  # the second row is one merged cell
    >>> find_grids(page)
    [[[(20.0, 20.0, 150.0, 60.0), (150.0, 20.0, 280.0, 60.0)], [(20.0, 60.0, 280.0, 100.0), None]]]
    """
    import cv2
    import numpy as np

    ink = dark.astype(np.uint8)
    height, width = ink.shape
    h_kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (max(15, int(width * LINE_KERNEL_SHARE)), 1))
    v_kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(15, int(height * LINE_KERNEL_SHARE))))
    h_rules = cv2.morphologyEx(ink, cv2.MORPH_OPEN, h_kernel).astype(bool)
    v_rules = cv2.morphologyEx(ink, cv2.MORPH_OPEN, v_kernel).astype(bool)

    # vertical rule segments, grouped into tables by the rows they span
    segments = []
    min_length = max(15, int(height * LINE_KERNEL_SHARE))
    for x in _positions(v_rules.sum(axis=0), min_length):
        band = v_rules[:, max(0, x - MERGE_PX):x + MERGE_PX + 1].any(axis=1)
        segments += [(x, a, b) for a, b in _segments(band, min_length)]
    segments.sort(key=lambda s: s[1])
    groups: list[list[tuple[int, int, int]]] = []
    for seg in segments:
        if groups and seg[1] <= max(s[2] for s in groups[-1]) - MERGE_PX:
            groups[-1].append(seg)
        else:
            groups.append([seg])

    grids = []
    for group in groups:
        top, bottom = min(s[1] for s in group), max(s[2] for s in group)
        xs = sorted({s[0] for s in group})
        if len(xs) < 3:  # two columns at least (three rules)
            continue
        left, right = xs[0], xs[-1]
        rows_profile = h_rules[top - MERGE_PX:bottom + MERGE_PX + 1, left:right + 1].sum(axis=1)
        ys = [top - MERGE_PX + y for y in _positions(rows_profile, (right - left) * 0.5)]
        if len(ys) < 3:  # two rows at least
            continue
        grids.append(_cells(xs, ys, h_rules, v_rules, scale))
    return grids


def _cells(xs: list[int], ys: list[int], h_rules: np.ndarray, v_rules: np.ndarray,
           scale: float) -> list[list[Box | None]]:
    """Cell boxes between the rules; a missing inner rule merges two cells."""
    n_rows, n_cols = len(ys) - 1, len(xs) - 1

    def v_present(j: int, i: int) -> bool:  # rule at xs[j] within row band i
        band = v_rules[ys[i]:ys[i + 1], max(0, xs[j] - MERGE_PX):xs[j] + MERGE_PX + 1]
        return band.any(axis=1).mean() >= MIN_RULE_SHARE

    def h_present(i: int, j: int) -> bool:  # rule at ys[i] within column band j
        band = h_rules[max(0, ys[i] - MERGE_PX):ys[i] + MERGE_PX + 1, xs[j]:xs[j + 1]]
        return band.any(axis=0).mean() >= MIN_RULE_SHARE

    owner: dict[tuple[int, int], tuple[int, int]] = {}  # cell -> the cell it is part of
    for i in range(n_rows):
        for j in range(n_cols):
            if j > 0 and not v_present(j, i):
                owner[i, j] = owner[i, j - 1]
            elif i > 0 and not h_present(i, j):
                owner[i, j] = owner[i - 1, j]
            else:
                owner[i, j] = (i, j)
    extent: dict[tuple[int, int], list[int]] = {}
    for (i, j), o in owner.items():
        e = extent.setdefault(o, [j, i, j, i])
        e[2], e[3] = max(e[2], j), max(e[3], i)
    rows: list[list[Box | None]] = []
    for i in range(n_rows):
        row: list[Box | None] = []
        for j in range(n_cols):
            if owner[i, j] != (i, j):
                row.append(None)
                continue
            j0, i0, j1, i1 = extent[i, j]
            row.append((xs[j0] / scale, ys[i0] / scale, xs[j1 + 1] / scale, ys[i1 + 1] / scale))
        rows.append(row)
    return rows
