"""The comparison as one self-contained HTML page: a table and SVG charts.

``render_compare_html`` writes a page that fetches nothing when it is opened (no CDN, no
web font, no script): offices that read these reports are often offline. It holds

* the comparison table: report year and the year the figures refer to side by side,
  outliers highlighted and marked ※;
* for each indicator, horizontal bars across counties (each county's latest report that
  gives the figure, its year in the label), largest first;
* for each indicator that some county reports in two or more years, a trend chart with a
  line per such county.

Why hand-written SVG and not a charting library. The labels are Chinese. A raster library
(matplotlib and the like) draws text into pixels on the machine that generates the page,
so it needs a CJK font installed there — on a server or CI machine usually there is none
and every label becomes a box. SVG leaves the text to the viewer's browser, which always
has a font for the reader's own language. The SVG libraries (pygal) do that too, but
estimate label widths from Latin glyphs, so Chinese axis labels overlap or get cut; their
tooltips load a script from the web; and they are one more dependency to keep. The charts
needed here are two simple kinds, so this module draws them itself (about 400 lines, no
dependency beyond MarkupSafe, which Jinja2 brings) and measures text as a browser lays it
out: a CJK character one em wide, others about 0.6 em. Every text and attribute goes
through :func:`markupsafe.escape`; the page template is rendered with autoescaping on.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from importlib import resources
from itertools import pairwise
from typing import Any

from markupsafe import Markup, escape

from jixiao.store.compare import Column, CompareRow, CompareTable, clean

__all__ = ["Bar", "Series", "bar_chart", "format_number", "line_chart", "nice_ticks",
           "render_compare_html", "spread", "text_width"]

WIDTH = 560  # viewBox width of every chart; the page scales it to its column
FONT = ('"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", '
        '"WenQuanYi Micro Hei", sans-serif')
BAR_COLOR = "#4e79a7"
OUTLIER_COLOR = "#e15759"
GRID = "#e3e3e3"
MUTED = "#666"
# Tableau 10 without its red (kept for outliers): distinct, readable on white.
PALETTE = ("#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2", "#edc948", "#9c755f",
           "#ff9da7", "#bab0ac", "#2f4b7c")
OUTLIER_NOTE = "明显偏离其他县区的值（稳健 z 分数大于 3.5）"


# --------------------------------------------------------------------------- helpers


def text_width(text: str, size: float) -> float:
    """Width in px a browser gives ``text`` at font ``size``: wide (CJK) characters take
    one em, others about 0.6 em.

    >>> text_width("青溪县", 10), text_width("2024", 10)
    (30.0, 24.0)
    """
    return float(sum(size if unicodedata.east_asian_width(ch) in "WF" else 0.6 * size
                     for ch in text))


def clip(text: str, size: float, limit: float) -> str:
    """``text`` cut with an ellipsis so that it is at most ``limit`` px wide."""
    if text_width(text, size) <= limit:
        return text
    while text and text_width(text + "…", size) > limit:
        text = text[:-1]
    return text + "…"


def format_number(value: Decimal | float | int) -> str:
    """A number as people read it in a report: thousands separators, no trailing zeros.

    >>> format_number(Decimal("60270.850")), format_number(Decimal("2E+5")), format_number(7)
    ('60,270.85', '200,000', '7')
    """
    return format(clean(value if isinstance(value, Decimal) else str(value)), ",f")


def nice_ticks(lo: Decimal, hi: Decimal, count: int = 5, *, integer: bool = False
               ) -> list[Decimal]:
    """About ``count`` round tick values (steps of 1, 2, 2.5 or 5 × 10ⁿ) covering lo…hi;
    with ``integer`` (counts of projects, people) no step below 1 and no step of 2.5.

    >>> [str(t) for t in nice_ticks(Decimal(0), Decimal(312))]
    ['0', '100', '200', '300', '400']
    """
    lo, hi = Decimal(lo), Decimal(hi)
    if hi < lo:
        lo, hi = hi, lo
    if hi == lo:  # one value: centre it (never below zero for values that are not)
        pad = abs(lo) / 10 or Decimal(1)
        lo, hi = (lo - pad if lo < 0 else max(Decimal(0), lo - pad)), hi + pad
    raw = (hi - lo) / count
    exp = raw.adjusted()
    frac = raw.scaleb(-exp)
    mults = (1, 2, 5, 10) if integer and exp <= 0 else (1, 2, Decimal("2.5"), 5, 10)
    step = Decimal(next(m for m in mults if frac <= m)).scaleb(exp)
    if integer:
        step = max(step, Decimal(1))
    first = (lo / step).to_integral_value(rounding=ROUND_FLOOR)
    last = (hi / step).to_integral_value(rounding=ROUND_CEILING)
    return [clean((first + i) * step) for i in range(int(last - first) + 1)]  # type: ignore[misc]


def spread(positions: Sequence[float], gap: float, lo: float, hi: float) -> list[float]:
    """Move positions as little as needed so that any two are ``gap`` apart, inside lo…hi
    when they fit; returned in the given order (for stacking labels without overlap)."""
    order = sorted(range(len(positions)), key=lambda i: positions[i])
    placed = [float(positions[i]) for i in order]
    for i in range(len(placed)):
        placed[i] = max(placed[i], lo if i == 0 else placed[i - 1] + gap)
    for i in range(len(placed) - 1, -1, -1):
        placed[i] = min(placed[i], hi if i == len(placed) - 1 else placed[i + 1] - gap)
    for i in range(len(placed)):  # too many to fit: keep the gap, let the last overflow
        placed[i] = max(placed[i], lo if i == 0 else placed[i - 1] + gap)
    out = [0.0] * len(placed)
    for rank, i in enumerate(order):
        out[i] = placed[rank]
    return out


def _integral(values: Sequence[Decimal]) -> bool:
    return all(v == v.to_integral_value() for v in values)


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _el(tag: str, attrs: dict[str, Any] | None = None, *children: Any) -> Markup:
    """One SVG element; attribute values and text children are escaped."""
    parts = [tag]
    for name, value in (attrs or {}).items():
        if value is None:
            continue
        shown = _num(value) if isinstance(value, float) else str(value)
        parts.append(f'{name.rstrip("_").replace("_", "-")}="{escape(shown)}"')
    head = " ".join(parts)
    if not children:
        return Markup(f"<{head}/>")
    body = "".join(str(escape(c)) for c in children)
    return Markup(f"<{head}>{body}</{tag}>")


def _svg(height: float, title: str, body: list[Markup]) -> Markup:
    return _el("svg", {"xmlns": "http://www.w3.org/2000/svg", "viewBox": f"0 0 {WIDTH} "
                       f"{_num(height)}", "role": "img", "aria-label": title,
                       "class": "chart", "font-family": FONT},
               _el("title", None, title), *body)


# --------------------------------------------------------------------------- bar chart


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal
    outlier: bool = False
    note: str = ""  # shown grey after the label, e.g. the year


def bar_chart(title: str, bars: Sequence[Bar]) -> Markup:
    """Horizontal bars, one a row, value written at the bar's end; outliers red with ※."""
    label_size, note_size, value_size, tick_size = 13, 11, 12, 11
    top, row, bar_h, bottom = 40, 26, 16, 26
    labels = [b.label + (f" {b.note}" if b.note else "") for b in bars]
    note_w = [text_width(f" {b.note}", note_size) if b.note else 0.0 for b in bars]
    need = [text_width(b.label, label_size) + w for b, w in zip(bars, note_w, strict=True)]
    label_w = min(max([*need, 40.0]), 200.0) + 10
    values = [format_number(b.value) + ("※" if b.outlier else "") for b in bars]
    value_w = max([text_width(v, value_size) for v in values] + [0]) + 8
    numbers = [b.value for b in bars]
    ticks = nice_ticks(min([Decimal(0), *numbers]), max([Decimal(0), *numbers]), 4,
                       integer=_integral(numbers))
    t0, t1 = float(ticks[0]), float(ticks[-1])
    negative = t0 < 0
    x0 = label_w + 8 + (value_w if negative else 0)
    x1 = WIDTH - 10 - value_w
    plot_h = row * len(bars)
    height = top + plot_h + bottom

    def x(v: float) -> float:
        return x0 + (v - t0) / (t1 - t0) * (x1 - x0)

    body: list[Markup] = [_el("text", {"x": 0, "y": 18, "font-size": 15, "font-weight": "bold",
                                       "fill": "#222"}, title)]
    for t in ticks:
        xt = x(float(t))
        body.append(_el("line", {"x1": xt, "x2": xt, "y1": top - 4, "y2": top + plot_h,
                                 "stroke": GRID}))
        body.append(_el("text", {"x": xt, "y": top + plot_h + 16, "font-size": tick_size,
                                 "fill": MUTED, "text-anchor": "middle"}, format_number(t)))
    zero = x(0.0)
    for i, (b, shown, value, w_note) in enumerate(zip(bars, labels, values, note_w,
                                                      strict=True)):
        y = top + i * row + (row - bar_h) / 2
        mid = y + bar_h / 2 + 4.5
        end = x(float(b.value))
        left, right = min(zero, end), max(zero, end)
        color = OUTLIER_COLOR if b.outlier else BAR_COLOR
        label = clip(b.label, label_size, label_w - 10 - w_note + 0.01)
        body.append(_el("text", {"x": label_w, "y": mid, "font-size": label_size,
                                 "text-anchor": "end", "fill": "#222"}, label,
                        *([_el("tspan", {"fill": MUTED, "font-size": note_size}, f" {b.note}")]
                          if b.note else [])))
        tip = f"{shown}：{value}" + (f"（{OUTLIER_NOTE}）" if b.outlier else "")
        body.append(_el("rect", {"x": left, "y": y, "width": max(right - left, 1.0),
                                 "height": bar_h, "fill": color, "class":
                                 "bar outlier" if b.outlier else "bar"},
                        _el("title", None, tip)))
        before = float(b.value) < 0
        body.append(_el("text", {"x": left - 4 if before else right + 4, "y": mid,
                                 "font-size": value_size, "fill": color if b.outlier else "#333",
                                 "text-anchor": "end" if before else "start"}, value))
    body.append(_el("line", {"x1": zero, "x2": zero, "y1": top - 4, "y2": top + plot_h,
                             "stroke": "#888"}))
    return _svg(height, title, body)


# --------------------------------------------------------------------------- line chart


@dataclass(frozen=True)
class Series:
    name: str
    points: tuple[tuple[int, Decimal], ...]  # (year, value), years ascending
    color: str = PALETTE[0]


def line_chart(title: str, series: Sequence[Series], *, value_labels: bool | None = None
               ) -> Markup:
    """Years across, one line per series (dashed over years without a figure), a legend
    under the title; each point's value written above it when there are few lines."""
    tick_size, legend_size, value_size = 11, 12, 11
    if value_labels is None:
        value_labels = len(series) <= 4
    # Legend: swatch + name, wrapped into rows.
    legend: list[Markup] = []
    lx, ly = 0.0, 44.0
    for s in series:
        w = 26 + text_width(s.name, legend_size) + 16
        if lx and lx + w > WIDTH:
            lx, ly = 0.0, ly + 20
        legend.append(_el("line", {"x1": lx, "x2": lx + 20, "y1": ly - 4, "y2": ly - 4,
                                   "stroke": s.color, "stroke-width": 3}))
        legend.append(_el("text", {"x": lx + 26, "y": ly, "font-size": legend_size,
                                   "fill": "#222"}, s.name))
        lx += w
    values = [v for s in series for _, v in s.points]
    years = sorted({y for s in series for y, _ in s.points})
    # The axis spans the values, not zero: a line's meaning is its slope, not its length.
    ticks = nice_ticks(min(values), max(values), 4, integer=_integral(values))
    t0, t1 = float(ticks[0]), float(ticks[-1])
    tick_w = max(text_width(format_number(t), tick_size) for t in ticks)
    shown = {id(s): [format_number(v) for _, v in s.points] for s in series}
    label_w = max([text_width(t, value_size) for s in series for t in shown[id(s)]] + [0])
    top = ly + 22 + (value_size if value_labels else 0)
    plot_h, bottom = 170.0, 28
    x0, x1 = tick_w + 10, WIDTH - 6
    inner = label_w + 10 if value_labels else 24.0
    y_min, y_max = years[0], years[-1]

    def x(year: int) -> float:
        if y_max == y_min:
            return (x0 + x1) / 2
        return x0 + inner + (year - y_min) / (y_max - y_min) * (x1 - x0 - 2 * inner)

    # Room inside the frame for the value written under the lowest point.
    pad_top, pad_bottom = 6.0, (value_size + 10.0 if value_labels else 6.0)

    def y(v: float) -> float:
        return top + plot_h - pad_bottom - (v - t0) / (t1 - t0) * (plot_h - pad_top - pad_bottom)

    body: list[Markup] = [_el("text", {"x": 0, "y": 18, "font-size": 15, "font-weight": "bold",
                                       "fill": "#222"}, title), *legend]
    for t in ticks:
        yt = y(float(t))
        body.append(_el("line", {"x1": x0, "x2": x1, "y1": yt, "y2": yt, "stroke": GRID}))
        body.append(_el("text", {"x": x0 - 6, "y": yt + 4, "font-size": tick_size,
                                 "fill": MUTED, "text-anchor": "end"}, format_number(t)))
    stride = max(1, -(-(y_max - y_min + 1) // 12))
    for year in range(y_min, y_max + 1, stride):
        body.append(_el("text", {"x": x(year), "y": top + plot_h + 18, "font-size": tick_size,
                                 "fill": MUTED, "text-anchor": "middle"}, str(year)))
    body.append(_el("line", {"x1": x0, "x2": x1, "y1": top + plot_h, "y2": top + plot_h,
                             "stroke": "#888"}))
    marks: list[Markup] = []
    for s in series:
        pts = [(x(yr), y(float(v))) for yr, v in s.points]
        for ((ya, _), (xa, pa)), ((yb, _), (xb, pb)) in pairwise(zip(s.points, pts,
                                                                     strict=True)):
            body.append(_el("line", {"x1": xa, "x2": xb, "y1": pa, "y2": pb,
                                     "stroke": s.color, "stroke-width": 2.5,
                                     "stroke-dasharray": "5 4" if yb - ya > 1 else None}))
        for (yr, _), (px, py), text in zip(s.points, pts, shown[id(s)], strict=True):
            marks.append(_el("circle", {"cx": px, "cy": py, "r": 4, "fill": "#fff",
                                        "stroke": s.color, "stroke-width": 2},
                             _el("title", None, f"{s.name} {yr}：{text}")))
    if value_labels:
        for year in years:
            body.extend(_year_labels(year, [(s, v, text) for s in series for (yr, v), text
                                            in zip(s.points, shown[id(s)], strict=True)
                                            if yr == year],
                                     x(year), y, value_size, (top - value_size, top + plot_h),
                                     "end" if year == y_min < y_max else
                                     "start" if year == y_max > y_min else None))
    body.extend(marks)  # points over the labels' halos
    return _svg(top + plot_h + bottom, title, body)


def _year_labels(year: int, here: list[tuple[Series, Decimal, str]], px: float,
                 y: Any, size: float, bounds: tuple[float, float],
                 side: str | None) -> list[Markup]:
    """The values of one year: beside the points at the first and last year (``side``
    "end" = left of them, "start" = right), elsewhere the lowest under its point and the
    others above; stacked so that no two overlap."""
    here = sorted(here, key=lambda h: h[1])
    halo = {"stroke": "#fff", "stroke-width": 3, "stroke-linejoin": "round",
            "paint-order": "stroke"}  # readable where a label crosses a line
    if side:
        # Baselines just above the points: a gridline through a "1" would read "-1".
        ys = spread([y(float(v)) - 3 for _, v, _ in here], size + 2, *bounds)
        return [_el("text", {"x": px - 8 if side == "end" else px + 8, "y": ty,
                             "font-size": size, "fill": s.color, "text-anchor": side,
                             "class": "value", **halo}, text)
                for (s, _, text), ty in zip(here, ys, strict=True)]
    below = here[:1] if len(here) > 1 else []
    above = here[len(below):]
    placed = [(h, y(float(h[1])) + size + 6) for h in below]
    placed += zip(above, spread([y(float(v)) - 8 for _, v, _ in above], size + 2, *bounds),
                  strict=True)
    return [_el("text", {"x": px, "y": ty, "font-size": size, "fill": s.color,
                         "text-anchor": "middle", "class": "value", **halo}, text)
            for (s, _, text), ty in placed]


# --------------------------------------------------------------------------- the page


def _group(row: CompareRow) -> tuple[str, str]:
    """(key, label) of the county a row belongs to; rows without one stay apart."""
    if row.county:
        return row.county, row.county
    return f"#{row.report_id}", f"县区未识别（报告{row.report_id}）"


def _chart_title(c: Column) -> str:
    return f"{c.label}（{c.unit}）" if c.unit else c.label


def _bars(table: CompareTable, c: Column) -> list[Bar]:
    latest: dict[str, tuple[CompareRow, str]] = {}
    for r in table.rows:
        if r.values.get(c.id) is None:
            continue
        key, label = _group(r)
        held = latest.get(key)
        if held is None or (r.year or 0, r.report_id) > (held[0].year or 0, held[0].report_id):
            latest[key] = (r, label)
    bars = [Bar(label, r.values[c.id], c.id in r.outliers,  # type: ignore[arg-type]
                str(r.year) if r.year else "") for r, label in latest.values()]
    return sorted(bars, key=lambda b: (-b.value, b.label))


def _series(table: CompareTable, c: Column, colors: dict[str, str]) -> list[Series]:
    points: dict[str, dict[int, Decimal]] = {}
    labels: dict[str, str] = {}
    for r in sorted(table.rows, key=lambda r: r.report_id):
        value = r.values.get(c.id)
        if value is None or r.year is None:
            continue
        key, labels[key] = _group(r)
        points.setdefault(key, {})[r.year] = value
    return [Series(labels[k], tuple(sorted(p.items())), colors[k])
            for k, p in sorted(points.items()) if len(p) >= 2]


def _cell(row: CompareRow, c: Column) -> dict[str, Any]:
    value = row.values.get(c.id)
    return {"text": "" if value is None else format_number(value),
            "outlier": c.id in row.outliers}


def render_compare_html(table: CompareTable) -> str:
    """The comparison as a self-contained HTML page (table, bars across counties, trends)."""
    from jinja2 import Environment, select_autoescape

    # A county keeps its colour in every trend chart; only counties with trends get one.
    years_of: dict[str, set[int]] = {}
    for r in table.rows:
        if r.year:
            years_of.setdefault(_group(r)[0], set()).add(r.year)
    trended = sorted(k for k, ys in years_of.items() if len(ys) >= 2)
    colors = {k: PALETTE[i % len(PALETTE)] for i, k in enumerate(trended)}
    bar_charts, trend_charts, empty = [], [], []
    for c in table.columns:
        bars = _bars(table, c)
        if not bars:
            empty.append(_chart_title(c))
            continue
        bar_charts.append({"column": c, "svg": bar_chart(_chart_title(c), bars)})
        series = _series(table, c, colors)
        if series:
            trend_charts.append({"column": c, "svg": line_chart(_chart_title(c), series)})
    years = sorted({r.year for r in table.rows if r.year})
    counties = {r.county for r in table.rows if r.county}
    source = resources.files("jixiao").joinpath("templates", "compare_report.html.j2")
    env = Environment(autoescape=select_autoescape(default=True), trim_blocks=True,
                      lstrip_blocks=True)
    template = env.from_string(source.read_text(encoding="utf-8"))
    rows = [{"county": _group(r)[1], "year": r.year or "—", "data_year": r.data_year or "—",
             "cells": [_cell(r, c) for c in table.columns],
             "outliers": len(r.outliers)} for r in table.rows]
    return template.render(
        title="预算绩效管理县区年度比较", columns=table.columns, rows=rows,
        n_reports=len(table.rows), n_counties=len(counties),
        years=f"{years[0]}–{years[-1]}" if len(years) > 1 else (str(years[0]) if years else "—"),
        n_outliers=sum(len(r.outliers) for r in table.rows), outlier_note=OUTLIER_NOTE,
        bar_charts=bar_charts, trend_charts=trend_charts, empty=empty, font=FONT)
