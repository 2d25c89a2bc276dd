"""Mutation evaluation of ``jixiao check``: inject typical slips into the corpus reports and
see whether the checker points at them.

For each ``.txt`` report of ../shared/corpus the untouched text is checked first: its
findings are the baseline, and every error among them that a person did not judge real is a
false alarm. The figures of every relation that *holds* on the untouched text (the
checker's verified relations) are the targets: a slip in one of them can break a relation
the report states. Each target gets the slips that apply to it:

* ``digit-change``  one digit replaced by another (each digit position, the new digit drawn
  with a seeded generator; a Chinese numeral 一…九 by another one);
* ``digit-swap``    two adjacent, different digits swapped;
* ``digit-drop``    one digit left out (each position);
* ``unit``          万元 written 元, or 元 written 万元 (money written in running text);
* ``off-by-one``    a whole (the total of a sum, the whole of a share, a rate's
  denominator, a table total, a listed count, this year's figure of a growth) ±1 in its
  last written digit;
* ``share``         a percentage ±1 in its last written digit.

The slip is made in the raw file (the text figure mapped back through an alignment of the
document text with the raw text, a table cell found as a whole token after the table's
caption), the file is read, extracted and checked again, and the slip is FOUND when a
finding that the baseline does not have (same rule, severity and message) has evidence on
the changed figure. Whether the slip breaks a relation is decided independently of the
checker: the relation is recomputed with the changed value and the stated precision
(a figure with d decimals allows 0.5·10⁻ᵈ per term). Slips that leave every relation
holding within rounding, and slips the extractor no longer sees as a figure, are counted
apart. New error findings that do not point at the changed figure are collateral.

    python bench/mutate_check.py [--seed 4] [--report 003] [--verbose]
"""

from __future__ import annotations

import argparse
import difflib
import random
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
REPORTS = {
    "001": "001_16794bffd2751457",
    "002": "002_14d9c8f6bc945b17",
    "003": "003_9838b6f1644cf041",
    "004": "004_c8ea8cb1556f9aed",
}
KINDS = ("digit-change", "digit-swap", "digit-drop", "unit", "off-by-one", "share")

# Findings on the untouched reports that a person judged real: (report, rule, a surface of
# its evidence). Template placeholders are real whenever the evidence is the placeholder.
JUDGED_REAL = {
    ("003", "rate", "86.9%"),          # 执行率86.9%, 47967.66 ÷ 55134.12 = 87.0%
    ("003", "table", "11285.11万元"),   # 年初预算 column adds up to 12085.11
}
_PLACEHOLDER = re.compile(r"^(?:[Xx×]{1,3}|□+|20[xX]{2})")

_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
_CN_OF = {1: "一", 2: "两", 3: "三", 4: "四", 5: "五", 6: "六", 7: "七", 8: "八", 9: "九"}
_TOTAL_ENTITY = re.compile(r"^(?:合计|总计|小计)$")
# Position of a figure in a verified relation that makes it a whole (off-by-one targets).
_WHOLE_AT = {"sum-of-parts": {0}, "share": {2}, "rate": {2}, "growth": {2}, "listed-count": {0}}


# ---------------------------------------------------------------------------- pipeline


def _pipeline(data: bytes, name: str) -> tuple[Any, Any, Any]:
    from jixiao.api import check_document, extract_document, read_bytes

    doc = read_bytes(data, source=name, fmt="txt")
    extraction = extract_document(doc)
    return doc, extraction, check_document(extraction)


@dataclass
class Relation:
    rule: str
    description: str
    metrics: list[Any]


def _relations(doc: Any, metrics: list[Any]) -> list[Relation]:
    """The verified relations with the Metric objects themselves (Evidence loses which
    table cell a span is)."""
    from jixiao.check.context import CheckContext
    from jixiao.check.rules import RULES

    found: list[Relation] = []

    class Recording(CheckContext):
        def verified(self, rule: str, description: str, evidence: list[Any]) -> None:
            super().verified(rule, description, evidence)
            found.append(Relation(rule, description, list(evidence)))

    ctx = Recording(doc, metrics)
    for rule in RULES:
        rule.run(ctx)
    return found


# ---------------------------------------------------------------------------- the oracle


def _decimals(number_text: str) -> int:
    t = number_text.strip().rstrip("%％")
    return len(t.split(".", 1)[1]) if "." in t else 0


def _within(stated: Decimal, computed: Decimal, decimals: int, terms: int = 1) -> bool:
    return abs(stated - computed) <= terms * Decimal(5) * Decimal(10) ** -(decimals + 1)


def relation_holds(rel: Relation, values: list[Decimal], texts: list[str]) -> bool:
    """Recompute a verified relation with (possibly changed) values, independently of the
    checker's code, allowing the rounding the stated precision permits (none for counts)."""
    rule, v = rel.rule, values
    if rule in ("rate", "share"):
        return v[2] != 0 and _within(v[0], v[1] / v[2] * 100, _decimals(texts[0]))
    if rule == "growth":
        base = v[2] - v[1]
        return base > 0 and _within(v[0], v[1] / base * 100, _decimals(texts[0]))
    if rule == "sum-of-parts":
        if all(m.kind == "count" for m in rel.metrics):
            return v[0] == sum(v[1:], Decimal(0))  # counts are exact: 278 is not 279 rounded
        d = max(_decimals(t) for t in texts)
        return _within(v[0], sum(v[1:], Decimal(0)), d, len(v))
    if rule == "grade-shares":
        d = max(_decimals(t) for t in texts)
        return _within(Decimal(100), sum(v, Decimal(0)), d, len(v))
    if rule == "listed-count":
        return v[0] == rel.metrics[0].value
    if rule == "table":
        if "合计行" in rel.description:
            total = [i for i, m in enumerate(rel.metrics)
                     if _TOTAL_ENTITY.match(m.qualifiers.get("entity") or "")]
            rows = [v[i] for i in range(len(v)) if i not in total]
            d = max(_decimals(t) for t in texts)
            return len(total) == 1 and _within(v[total[0]], sum(rows, Decimal(0)), d,
                                               len(rows) + 1)
        d = max(_decimals(texts[0]), 2)
        return _within(v[0], sum(v[1:], Decimal(0)), d, len(v))
    raise ValueError(f"no oracle for relation rule {rule!r}")


# ---------------------------------------------------------------------------- slips


@dataclass
class Slip:
    report: str
    kind: str
    index: int             # the target's index in the baseline metrics
    old: str               # surface before
    new: str               # surface after
    new_number_text: str
    new_value: Decimal | None
    breaks: bool = False
    # outcome
    status: str = ""       # found / missed / holds / lost / unmapped
    found_by: list[str] = field(default_factory=list)
    only_changed_baseline: bool = False
    collateral: list[str] = field(default_factory=list)
    new_findings: list[str] = field(default_factory=list)
    new_key: str | None = None
    note: str = ""


def _scale(m: Any) -> Decimal:
    try:
        written = Decimal(m.number_text.replace(",", ""))
    except InvalidOperation:
        return Decimal(1)
    return m.value / written if written else Decimal(1)


def _value_of(number_text: str, scale: Decimal) -> Decimal | None:
    if number_text in _CN_DIGITS:
        return Decimal(_CN_DIGITS[number_text]) * scale
    try:
        return Decimal(number_text.replace(",", "")) * scale
    except InvalidOperation:
        return None


def _leading_zero(nt: str) -> bool:
    integer = nt.replace(",", "").split(".", 1)[0]
    return len(integer) > 1 and integer.startswith("0")


def _odd(nt: str) -> bool:
    """Shapes no one types: no digits, a dangling point, a leading zero."""
    return (not any(c.isdigit() for c in nt) or nt.startswith((".", ",")) or
            nt.endswith((".", ",")) or _leading_zero(nt))


def _step(nt: str, delta: int) -> str | None:
    """``nt`` ±1 in its last written digit, written with the same decimals and grouping."""
    d = _decimals(nt)
    value = Decimal(nt.replace(",", "")) + Decimal(delta) * Decimal(10) ** -d
    if value <= 0:
        return None
    text = f"{value:,.{d}f}" if "," in nt else f"{value:.{d}f}"
    return text


def slips_for(report: str, index: int, m: Any, kinds: set[str], rng: random.Random,
              exhaustive: bool = False) -> list[Slip]:
    """The slips of each kind in ``kinds`` that apply to figure ``m`` (``exhaustive``:
    every other digit at each position instead of one drawn at random)."""
    s, nt = m.surface, m.number_text
    at = s.find(nt)
    if at < 0 or not nt:
        return []
    scale = _scale(m) if nt not in _CN_DIGITS else (m.value / _CN_DIGITS[nt]
                                                     if _CN_DIGITS[nt] else Decimal(1))
    out: list[Slip] = []
    seen: set[tuple[str, str]] = set()

    def add(kind: str, new_nt: str, *, surface: str | None = None,
            value: Decimal | None = None) -> None:
        new = surface if surface is not None else s[:at] + new_nt + s[at + len(nt):]
        if new == s or (kind, new) in seen:
            return
        seen.add((kind, new))
        out.append(Slip(report, kind, index, s, new, new_nt,
                        value if value is not None else _value_of(new_nt, scale)))

    if nt in _CN_DIGITS:  # a Chinese numeral written for a small count
        if "digit-change" in kinds:
            options = [c for v, c in _CN_OF.items() if v != m.value]
            for c in options if exhaustive else [rng.choice(options)]:
                add("digit-change", c)
        if "digit-drop" in kinds:
            add("digit-drop", "")
        if "off-by-one" in kinds and m.value is not None:
            for v in (m.value - 1, m.value + 1):
                if int(v) in _CN_OF:
                    add("off-by-one", _CN_OF[int(v)])
        return out

    digits = [i for i, c in enumerate(nt) if c.isdigit()]
    if "digit-change" in kinds:
        for i in digits:
            options = [c for c in "0123456789" if c != nt[i]
                       and not _odd(nt[:i] + c + nt[i + 1:])]
            for c in options if exhaustive else options and [rng.choice(options)]:
                add("digit-change", nt[:i] + c + nt[i + 1:])
    if "digit-swap" in kinds:
        for i in digits:
            if i + 1 in digits and nt[i] != nt[i + 1]:
                new_nt = nt[:i] + nt[i + 1] + nt[i] + nt[i + 2:]
                if not _odd(new_nt):
                    add("digit-swap", new_nt)
    if "digit-drop" in kinds:
        for i in digits:
            new_nt = nt[:i] + nt[i + 1:]
            if len(digits) == 1 or not _odd(new_nt):
                add("digit-drop", new_nt)
    if "unit" in kinds and m.kind == "money" and m.origin == "text":
        if s.endswith("万元"):
            add("unit", nt, surface=s[:-2] + "元", value=m.value / 10000)
        elif s.endswith("元") and not s.endswith(("亿元", "千元")):
            add("unit", nt, surface=s[:-1] + "万元", value=m.value * 10000)
    for kind in ("off-by-one", "share"):
        if kind not in kinds:
            continue
        for delta in (-1, 1):
            new_nt = _step(nt, delta)
            if new_nt is not None:
                add(kind, new_nt)
    return out


# ---------------------------------------------------------------------------- raw edits


def _char_map(doc_text: str, raw: str) -> list[int | None]:
    """For each character of the document text, its offset in the raw text (or None)."""
    out: list[int | None] = [None] * len(doc_text)
    sm = difflib.SequenceMatcher(None, doc_text, raw, autojunk=False)
    for op, a0, a1, b0, b1 in sm.get_opcodes():
        if op == "equal" or (op == "replace" and a1 - a0 == b1 - b0):
            for k in range(a1 - a0):
                out[a0 + k] = b0 + k
    return out


@dataclass
class Report:
    """One corpus report, its baseline and what a slip needs to be placed in it."""

    key: str
    raw: str
    doc: Any
    extraction: Any
    result: Any
    relations: list[Relation]
    char_map: list[int | None]

    @property
    def metrics(self) -> list[Any]:
        return self.extraction.metrics


def load_report(key: str) -> Report:
    data = (CORPUS / f"{REPORTS[key]}.txt").read_bytes()
    doc, extraction, result = _pipeline(data, REPORTS[key])
    raw = data.decode("utf-8")
    return Report(key, raw, doc, extraction, result, _relations(doc, extraction.metrics),
                  _char_map(doc.text, raw))


def _common(a: str, b: str) -> tuple[int, int]:
    p = 0
    while p < min(len(a), len(b)) and a[p] == b[p]:
        p += 1
    q = 0
    while q < min(len(a), len(b)) - p and a[-1 - q] == b[-1 - q]:
        q += 1
    return p, q


def _text_edit(rep: Report, m: Any, new: str) -> tuple[str, str] | None:
    """(mutated raw text, expected mutated document text) for a figure of running text."""
    p, q = _common(m.surface, new)
    a, b = m.start + p, m.end - q
    mid = new[p:len(new) - q]
    cmap = rep.char_map
    if a < b:
        ra, rb = cmap[a], cmap[b - 1]
        if ra is None or rb is None:
            return None
        rb += 1
    else:  # an insertion before document offset a
        if a < len(cmap) and cmap[a] is not None:
            ra = rb = cmap[a]
        elif cmap[a - 1] is not None:
            ra = rb = cmap[a - 1] + 1  # type: ignore[operator]
        else:
            return None
    raw = rep.raw[:ra] + mid + rep.raw[rb:]
    return raw, rep.doc.text[:a] + mid + rep.doc.text[b:]


def _cell_of(rep: Report, m: Any) -> tuple[int, int, int] | None:
    """(table, row, column) of a table figure."""
    for t, table in enumerate(rep.doc.tables):
        if m.start != table.anchor:
            continue
        same = [x for x in rep.metrics if x.origin == "table" and x.start == table.anchor]
        for r, row in enumerate(table.rows):
            if " | ".join(c.strip() for c in row) != m.sentence:
                continue
            in_row = [x for x in same if x.sentence == m.sentence and x.surface == m.surface]
            k = next(i for i, x in enumerate(in_row) if x is m)
            cols = [c for c, cell in enumerate(row) if cell.strip() == m.surface]
            if k < len(cols):
                return t, r, cols[k]
    return None


def _table_edit(rep: Report, m: Any, new: str) -> tuple[str, tuple[int, int, int]] | None:
    """The mutated raw text for a table cell: the cell as a whole token after the
    caption, its ordinal among equal cells of the table."""
    cell = _cell_of(rep, m)
    if cell is None:
        return None
    t, r, c = cell
    table = rep.doc.tables[t]
    start = 0
    if table.caption:
        pattern = r"\s*".join(re.escape(ch) for ch in table.caption if not ch.isspace())
        found = re.search(pattern, rep.raw)
        start = found.end() if found else 0
    grid = [table.header, *table.rows]
    flat = [(i, j) for i, row in enumerate(grid) for j, _ in enumerate(row)
            if grid[i][j].strip() == m.surface]
    ordinal = flat.index((r + 1, c))
    tokens = list(re.finditer(rf"(?<!\S){re.escape(m.surface)}(?!\S)", rep.raw[start:]))
    if ordinal >= len(tokens):
        return None
    at = start + tokens[ordinal].start()
    return rep.raw[:at] + new + rep.raw[at + len(m.surface):], cell


# ---------------------------------------------------------------------------- evaluation


def _finding_key(f: Any) -> tuple[str, str, str]:
    return f.rule, f.severity, f.message


def spans_of(f: Any) -> tuple:
    return f.rule, tuple((e.surface, e.start, e.end) for e in f.evidence)


def _describe(f: Any) -> str:
    return f"{f.rule}/{f.severity}: {f.message}"


def _overlaps(e: Any, span: tuple[int, int]) -> bool:
    return e.start < span[1] and e.end > span[0]


def evaluate_slip(rep: Report, slip: Slip) -> Slip:
    """Place the slip, re-run the pipeline, and record what the checker said."""
    m = rep.metrics[slip.index]
    if m.origin == "table":
        placed = _table_edit(rep, m, slip.new)
        if placed is None:
            slip.status, slip.note = "unmapped", "table cell not found in the raw text"
            return slip
        raw, (t, r, c) = placed
    else:
        edited = _text_edit(rep, m, slip.new)
        if edited is None:
            slip.status, slip.note = "unmapped", "figure not aligned with the raw text"
            return slip
        raw, expected_text = edited
    doc, extraction, result = _pipeline(raw.encode("utf-8"), REPORTS[rep.key])

    def points(f: Any) -> bool:
        if m.origin == "table":
            anchor = doc.tables[t].anchor if t < len(doc.tables) else -1
            return any(e.start == e.end == anchor and e.surface == slip.new
                       for e in f.evidence)
        return any(_overlaps(e, span) for e in f.evidence)

    if m.origin == "table":
        if t >= len(doc.tables) or len(doc.tables[t].rows) <= r:
            slip.status, slip.note = "unmapped", "the table was not rebuilt after the slip"
            return slip
        want = [list(row) for row in rep.doc.tables[t].rows]
        want[r][c] = want[r][c].replace(m.surface, slip.new)
        if [list(row) for row in doc.tables[t].rows] != want:
            slip.note = "table rows differ elsewhere after the slip"
        row_text = " | ".join(cell.strip() for cell in doc.tables[t].rows[r])
        seen = [x for x in extraction.metrics if x.origin == "table"
                and x.surface == slip.new and x.sentence == row_text and x.value is not None]
    else:
        span = (m.start, m.start + len(slip.new))
        if doc.text != expected_text:
            slip.note = "layout changed after the slip"
        seen = [x for x in extraction.metrics if x.origin == "text"
                and _overlaps(x, span) and x.value is not None]
    slip.new_key = seen[0].key if seen else None

    # A finding is the baseline's when its rule and message, or its rule and evidence
    # (offsets after the slip moved back by the length it changed), are the baseline's.
    delta = len(slip.new) - len(slip.old) if m.origin == "text" else 0
    moved_from = m.end + delta if m.origin == "text" else len(doc.text) + 1

    def spans(f: Any) -> tuple:
        return f.rule, tuple((e.surface, *((e.start - delta, e.end - delta)
                                           if e.start >= moved_from else (e.start, e.end)))
                             for e in f.evidence)

    by_message = Counter(_finding_key(f) for f in rep.result.findings)
    by_spans = Counter(spans_of(f) for f in rep.result.findings)
    new = []
    for f in result.findings:
        if by_message[_finding_key(f)] > 0:
            by_message[_finding_key(f)] -= 1
        elif by_spans[spans(f)] > 0:
            by_spans[spans(f)] -= 1
        else:
            new.append(f)
    slip.new_findings = [_describe(f) for f in new]
    pointing = [f for f in new if points(f)]
    slip.collateral = [_describe(f) for f in new if f.severity == "error" and not points(f)]
    slip.found_by = sorted({f.rule for f in pointing})
    before = {f.rule for f in rep.result.findings
              if any((e.start == e.end == m.start and e.surface == m.surface)
                     if m.origin == "table" else _overlaps(e, (m.start, m.end))
                     for e in f.evidence)}
    slip.only_changed_baseline = bool(pointing) and all(f.rule in before for f in pointing)
    if not seen:
        slip.status = "lost"
    elif not slip.breaks:
        slip.status = "holds"
    else:
        slip.status = "found" if pointing else "missed"
    return slip


def make_slip(rep: Report, index: int, kind: str, new: str) -> Slip:
    """A slip written by hand: figure ``index`` of ``rep`` written ``new``."""
    m = rep.metrics[index]
    at = m.surface.find(m.number_text)
    prefix, suffix = m.surface[:at], m.surface[at + len(m.number_text):]
    if m.kind == "money" and new.endswith("元") and new[:-1].rstrip("万") == \
            m.surface[:-1].rstrip("万"):  # a 万元↔元 slip: same digits, unit changed
        nt = m.number_text
        value = m.value / 10000 if m.surface.endswith("万元") else m.value * 10000
    else:
        if not (new.startswith(prefix) and new.endswith(suffix)):
            raise ValueError(f"{new!r} does not keep the unit of {m.surface!r}")
        nt = new[len(prefix):len(new) - len(suffix)]
        value = _value_of(nt, _scale(m) if m.number_text not in _CN_DIGITS else Decimal(1))
    slip = Slip(rep.key, kind, index, m.surface, new, nt, value)
    slip.breaks = _breaks(rep, slip)
    return slip


def _breaks(rep: Report, slip: Slip) -> bool:
    m = rep.metrics[slip.index]
    if slip.new_value is None:
        return True
    for rel in rep.relations:
        if not any(x is m for x in rel.metrics):
            continue
        values = [slip.new_value if x is m else x.value for x in rel.metrics]
        texts = [slip.new_number_text if x is m else x.number_text for x in rel.metrics]
        if not relation_holds(rel, values, texts):
            return True
    return False


def targets(rep: Report) -> dict[int, set[str]]:
    """Index of each target figure → the slip kinds that apply to it."""
    ids = {id(m): i for i, m in enumerate(rep.metrics)}
    out: dict[int, set[str]] = defaultdict(set)
    for rel in rep.relations:
        for pos, m in enumerate(rel.metrics):
            kinds = {"digit-change", "digit-swap", "digit-drop", "unit"}
            whole = pos in _WHOLE_AT.get(rel.rule, set()) or (
                rel.rule == "table" and (("合计行" in rel.description and _TOTAL_ENTITY.match(
                    m.qualifiers.get("entity") or "")) or ("正文" in rel.description and pos == 0)))
            if whole and m.kind != "percent":
                kinds.add("off-by-one")
            if m.kind == "percent":
                kinds.add("share")
            out[ids[id(m)]] |= kinds
    return out


def supplementary_targets(rep: Report) -> dict[int, set[str]]:
    """Money written in running text that takes part in a relation the baseline reports
    (the relation already fails by a hair): a 万元↔元 slip should still be pointed at."""
    main = targets(rep)
    out: dict[int, set[str]] = {}
    for f in rep.result.findings:
        if f.rule in ("placeholder", "text", "years"):
            continue
        for e in f.evidence:
            for i, m in enumerate(rep.metrics):
                if (m.origin == "text" and m.kind == "money" and (m.start, m.end) ==
                        (e.start, e.end) and i not in main):
                    out[i] = {"unit"}
    return out


def judged_real(key: str, f: Any) -> str | None:
    if f.rule == "placeholder" and all(_PLACEHOLDER.match(e.surface) for e in f.evidence):
        return "template placeholder left in the text"
    if any((key, f.rule, e.surface) in JUDGED_REAL for e in f.evidence):
        return "judged real by a person"
    return None


# ---------------------------------------------------------------------------- report


def run(keys: list[str], seed: int, kinds: set[str] | None = None,
        exhaustive: bool = False) -> tuple[dict[str, Report], list[Slip], list[Slip]]:
    """Every slip of the chosen reports, evaluated; (reports, main slips, supplementary)."""
    rng = random.Random(seed)
    kinds = set(KINDS) if kinds is None else kinds
    reports = {k: load_report(k) for k in keys}
    main: list[Slip] = []
    extra: list[Slip] = []
    for key, rep in reports.items():
        for pool, chosen in ((main, targets(rep)), (extra, supplementary_targets(rep))):
            for index in sorted(chosen):
                for slip in slips_for(key, index, rep.metrics[index], chosen[index] & kinds,
                                      rng, exhaustive):
                    slip.breaks = _breaks(rep, slip)
                    pool.append(slip)
    for slip in [*main, *extra]:
        evaluate_slip(reports[slip.report], slip)
    return reports, main, extra


def _context(rep: Report, slip: Slip, width: int = 14) -> str:
    m = rep.metrics[slip.index]
    if m.origin == "table":
        return f"[表格行] {m.sentence}"
    text = rep.doc.text
    left = text[max(0, m.start - width):m.start].replace("\n", " ")
    right = text[m.end:m.end + width].replace("\n", " ")
    return f"…{left}【{slip.new}】{right}…"


def print_report(reports: dict[str, Report], main: list[Slip], extra: list[Slip],
                 verbose: bool = False) -> int:
    false_alarms = 0
    print("== Baseline findings on the untouched reports")
    for key, rep in reports.items():
        print(f"[{key}] {len(rep.result.findings)} findings, "
              f"{len(rep.relations)} verified relations")
        for f in rep.result.findings:
            verdict = judged_real(key, f)
            if f.severity == "error" and verdict is None:
                false_alarms += 1
                verdict = "FALSE ALARM"
            spans = "、".join(e.surface for e in f.evidence)
            print(f"  {f.severity:7} {f.rule:13} {verdict or '(warning, not counted)'}: "
                  f"{f.message} [{spans}]")
    print(f"error-severity false alarms on untouched text: {false_alarms}")

    print("\n== Targets: figures of relations that hold on the untouched text")
    for key, rep in reports.items():
        for rel in rep.relations:
            print(f"  [{key}] {rel.rule:13} {rel.description}: "
                  f"{'、'.join(m.surface for m in rel.metrics)}")

    print("\n== Recall per slip kind (slips that break a relation)")
    head = (f"{'kind':13} {'injected':>8} {'lost':>5} {'holds':>6} {'breaks':>7} "
            f"{'found':>6} {'recall':>7} {'strict':>7} {'collat.':>8}")
    print(head)
    print("-" * len(head))
    rows = [*KINDS, "overall"]
    for kind in rows:
        group = [s for s in main if kind in ("overall", s.kind)]
        lost = sum(s.status == "lost" for s in group)
        holds = sum(s.status == "holds" for s in group)
        breaking = [s for s in group if s.status in ("found", "missed")]
        found = [s for s in breaking if s.status == "found"]
        strict = [s for s in found if not s.only_changed_baseline]
        collateral = sum(bool(s.collateral) for s in group)
        recall = f"{len(found) / len(breaking):.3f}" if breaking else "—"
        strict_recall = f"{len(strict) / len(breaking):.3f}" if breaking else "—"
        print(f"{kind:13} {len(group):8} {lost:5} {holds:6} {len(breaking):7} "
              f"{len(found):6} {recall:>7} {strict_recall:>7} {collateral:8}")
    unmapped = [s for s in main if s.status == "unmapped"]
    print("injected = all slips placed; lost = the extractor no longer sees the figure; "
          "holds = every relation still holds within rounding; strict = found by a rule "
          "that had no finding on the figure before; collat. = slips with a new error "
          "finding elsewhere")
    if unmapped:
        print(f"unmapped (not placed): {len(unmapped)}")
        for s in unmapped:
            print(f"  [{s.report}] {s.kind} {s.old} → {s.new}: {s.note}")

    by_rule = Counter(r for s in main if s.status == "found" for r in s.found_by)
    print("found by rule:", ", ".join(f"{r} {n}" for r, n in by_rule.most_common()))
    changed = [s for s in main if s.status == "found" and s.only_changed_baseline]
    if changed:
        print(f"found only through a baseline finding whose numbers changed: {len(changed)}")
        for s in changed:
            print(f"  [{s.report}] {s.kind:12} {s.old} → {s.new} ({', '.join(s.found_by)})")

    missed = [s for s in main if s.status == "missed"]
    print(f"\n== Missed slips ({len(missed)})")
    for s in missed:
        rep = reports[s.report]
        m = rep.metrics[s.index]
        rels = [r.rule for r in rep.relations if any(x is m for x in r.metrics)]
        print(f"  [{s.report}] {s.kind:12} {m.key} {s.old} → {s.new}  relations: "
              f"{', '.join(rels)}; re-extracted as {s.new_key}; {_context(rep, s)}")
        for f in s.new_findings:
            print(f"      new finding not on the figure: {f}")
        if s.note:
            print(f"      note: {s.note}")

    lost = [s for s in main if s.status == "lost"]
    print(f"\n== Slips the extractor no longer sees as a figure ({len(lost)})")
    for s in lost:
        print(f"  [{s.report}] {s.kind:12} {s.old} → {s.new}  "
              f"{'pointed at anyway' if s.found_by else 'no finding'}")

    holds = [s for s in main if s.status == "holds"]
    flagged = [s for s in holds if any(f.split("/")[1].startswith("error")
                                       for f in s.new_findings)]
    print(f"\n== Slips that leave every relation holding within rounding ({len(holds)}); "
          f"with a new error finding: {len(flagged)}")
    for s in holds if verbose else flagged:
        print(f"  [{s.report}] {s.kind:12} {s.old} → {s.new}  found by: "
              f"{', '.join(s.found_by) or '—'}"
              f"{' (a baseline finding on this figure, its numbers changed)' if s.only_changed_baseline else ''}")

    collateral = Counter(c for s in main if s.status != "unmapped" for c in s.collateral)
    print(f"\n== Collateral: new error findings not pointing at the changed figure "
          f"({sum(collateral.values())} in {sum(bool(s.collateral) for s in main)} slips)")
    for s in main:
        for c in s.collateral:
            print(f"  [{s.report}] {s.kind:12} {s.old} → {s.new}: {c}")

    notes = [s for s in main if s.note and s.status != "unmapped"]
    if notes:
        print(f"\n== Slips whose re-read text differs beyond the slip ({len(notes)})")
        for s in notes:
            print(f"  [{s.report}] {s.kind:12} {s.old} → {s.new}: {s.note} ({s.status})")

    print(f"\n== Supplementary: 万元↔元 on money of relations the baseline already reports "
          f"({len(extra)})")
    for s in extra:
        print(f"  [{s.report}] {s.old} → {s.new}: "
              f"{'FOUND by ' + ', '.join(s.found_by) if s.found_by else 'not pointed at'}"
              f"{' (only a changed baseline finding)' if s.only_changed_baseline else ''}")
    return false_alarms


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--report", action="append", choices=sorted(REPORTS),
                        help="only these reports (repeatable); default all four")
    parser.add_argument("--kind", action="append", choices=KINDS,
                        help="only these slip kinds (repeatable)")
    parser.add_argument("--exhaustive", action="store_true",
                        help="digit-change: every other digit at each position, not one")
    parser.add_argument("--verbose", action="store_true",
                        help="also list every slip that leaves the relations holding")
    args = parser.parse_args(argv)
    missing = [REPORTS[k] for k in args.report or REPORTS
               if not (CORPUS / f"{REPORTS[k]}.txt").exists()]
    if missing:
        print(f"corpus files missing under {CORPUS}: {', '.join(missing)}", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    reports, main_slips, extra = run(args.report or sorted(REPORTS), args.seed,
                                     set(args.kind) if args.kind else None, args.exhaustive)
    false_alarms = print_report(reports, main_slips, extra, args.verbose)
    print(f"\n{len(main_slips) + len(extra)} slips in {time.perf_counter() - t0:.1f} s "
          f"(seed {args.seed})")
    return 1 if false_alarms else 0


if __name__ == "__main__":
    sys.exit(main())
