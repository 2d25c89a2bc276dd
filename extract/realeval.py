"""Score extraction on the real-report set (``corpus/real``): figures at the place written.

A figure is found when the program reports the same value and unit at the place the
annotation marks (its span overlaps the annotated span, after mapping the program's
offsets back onto the cached page text). Table cells, which the program places at their
table, are matched by value and unit among the annotated cells. Keys, qualifiers and
signs are scored on the figures found (among annotated cells of equal value and unit, a
cell is matched to the one written as it is, in its own row: nearest after the row's label):

- keys given are right: of the found figures the program gave a key, how many keys equal
  the annotated one (an annotated ``null`` makes any key wrong);
- keyed figures keyed: of the found figures annotated with a key, how many got that key;
- qualifiers right: of the found figures, how many carry exactly the annotated qualifiers;
- sign right: of the found figures annotated with a direction, how many carry it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from difflib import SequenceMatcher
from typing import Any

from jixiao.extract.evaluation import metric_value
from jixiao.extract.realset import RealDoc, RealFigure, load_all, text_of

__all__ = ["DocResult", "Ratio", "Summary", "evaluate_doc", "summarise"]


@dataclass(slots=True)
class Ratio:
    hit: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.total += 1
        self.hit += int(ok)

    @property
    def value(self) -> float | None:
        return self.hit / self.total if self.total else None

    def merge(self, other: Ratio) -> None:
        self.hit += other.hit
        self.total += other.total

    def to_dict(self) -> dict[str, Any]:
        v = self.value
        return {"hit": self.hit, "total": self.total,
                "value": None if v is None else round(v, 4)}


@dataclass(slots=True)
class DocResult:
    doc: RealDoc
    found: list[bool]                       # per annotated figure
    matched: dict[int, Any]                 # annotated index -> program metric
    false_alarms: list[Any]                 # program metrics matching no annotation
    error: str | None = None
    caught: list[bool] = field(default_factory=list)    # per annotated relation: flagged
    verified: list[bool] = field(default_factory=list)  # per annotated relation: verified
    false_errors: list[Any] = field(default_factory=list)  # errors on a relation that holds
    other_errors: list[Any] = field(default_factory=list)  # errors on no annotated relation


def _norm(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str) and not _is_number(value):
        return value
    d = Decimal(str(value)).normalize()
    return format(d, "f")


def _is_number(s: str) -> bool:
    try:
        Decimal(s)
    except Exception:
        return False
    return True


# The set's guideline writes some units as signs the program spells out.
UNIT_ALIASES = {"㎡": "平方米", "m": "米", "km": "公里", "千米": "公里"}


def offset_map(doc_text: str, raw: str) -> list[int | None]:
    """For each offset of the program's text, the offset of the same character in ``raw``.

    Readers rebuild the text (lines joined, spaces dropped, full-width folded), so the two
    are aligned on their non-space characters.
    """
    def nonspace(s: str) -> tuple[str, list[int]]:
        idx = [i for i, c in enumerate(s) if not c.isspace()]
        return "".join(s[i] for i in idx), idx

    a, ai = nonspace(doc_text)
    b, bi = nonspace(raw)
    fold = _fold  # one character for one: the positions stay those of ai and bi
    mapping: list[int | None] = [None] * (len(doc_text) + 1)
    if len(a) == len(b) and fold(a) == fold(b):
        pairs: Iterable[tuple[int, int, int]] = [(0, 0, len(a))]
    else:
        pairs = SequenceMatcher(None, fold(a), fold(b), autojunk=False).get_matching_blocks()
    for i, j, n in pairs:
        for k in range(n):
            mapping[ai[i + k]] = bi[j + k]
    return mapping


def evaluate_doc(doc: RealDoc, extraction: Any, raw: str,
                 mapping: list[int | None] | None = None) -> DocResult:
    """Match the program's metrics for one document against its annotation."""
    metrics = list(extraction.metrics)
    if mapping is None:
        mapping = offset_map(extraction.document.text, raw)
    gold = doc.figures
    found = [False] * len(gold)
    matched: dict[int, Any] = {}
    unmatched: list[Any] = []
    by_vu: dict[tuple[str | None, str], list[int]] = defaultdict(list)
    for i, g in enumerate(gold):
        by_vu[("X" if g.placeholder else _norm(g.value), UNIT_ALIASES.get(g.unit, g.unit))].append(i)
    table_metrics = []
    for m in metrics:
        vu = ("X" if m.placeholder else metric_value(m), m.unit)
        if getattr(m, "origin", "text") != "text":
            table_metrics.append((m, vu))
            continue
        start = next((mapping[k] for k in range(m.start, min(m.end, len(mapping)))
                      if mapping[k] is not None), None)
        end = next((mapping[k] for k in range(min(m.end, len(mapping)) - 1, m.start - 1, -1)
                    if mapping[k] is not None), None)
        hit = None
        if start is not None and end is not None:
            for i in by_vu.get(vu, []):
                g = gold[i]
                if found[i] or g.offset is None:
                    continue
                if start <= g.offset + len(g.surface) - 1 and g.offset <= end:
                    hit = i
                    break
        if hit is None:
            unmatched.append(m)
        else:
            found[hit] = True
            matched[hit] = m
    places = _RowPlaces(extraction.document.text, mapping)
    for m, vu in table_metrics:
        # Among the annotated cells of the same value and unit, the one in the cell's own
        # row (nearest after the row's label) written as the cell is written; then a table
        # cell; then the first. Only which of those equal cells is taken changes.
        candidates = [i for i in by_vu.get(vu, []) if not found[i]]
        hit = min(candidates, default=None, key=lambda i: (
            _surface(gold[i].surface) != _surface(m.surface),
            places.distance(m, gold[i].offset), gold[i].writing != "table", i))
        if hit is None:
            unmatched.append(m)
        else:
            found[hit] = True
            matched[hit] = m
    return DocResult(doc, found, matched, unmatched)


def _table_span(document: Any, index: int, mapping: list[int | None]) -> tuple[int, int] | None:
    """Where table ``index`` stands in the page text: after its anchor, before the next
    paragraph of the document."""
    table = next((t for t in document.tables if t.index == index), None)
    if table is None:
        return None
    lo = next((mapping[k] for k in range(min(table.anchor, len(mapping) - 1), -1, -1)
               if mapping[k] is not None), 0)
    caption = (table.caption or "").strip()
    after = next((p.start for p in document.paragraphs if p.start > table.anchor
                  and p.kind not in ("caption", "table")
                  and (not caption or document.text[p.start:p.end].strip() != caption)), None)
    # the first letter of that paragraph (a lone | of a text table aligns anywhere)
    hi = None if after is None else next(
        (mapping[k] for k in range(after, len(mapping)) if mapping[k] is not None
         and document.text[k:k + 1] not in "|｜ \t"), None)
    return lo, (hi if hi is not None else 10**9)


def _norm_cell(s: str) -> str:
    return s.strip().replace(",", "").replace("％", "%")


def _cell_span(e: Any, document: Any, doc: RealDoc, mapping: list[int | None]
               ) -> tuple[int, int] | None:
    """A table cell as evidence: the annotated table figure with the same surface, in the
    table's stretch of the page, the same one in reading order among equal cells."""
    t_index, r, c = e.table_cell
    span = _table_span(document, t_index, mapping)
    table = next((t for t in document.tables if t.index == t_index), None)
    if span is None or table is None:
        return None
    target = _norm_cell(e.surface)
    grid = [table.header, *table.rows]
    ordinal = sum(1 for i, row in enumerate(grid) for j, cell in enumerate(row)
                  if (i, j) < (r + 1, c) and _norm_cell(cell) == target)
    figs = sorted((f for f in doc.figures if f.offset is not None
                   and span[0] <= f.offset < span[1] and _norm_cell(f.surface) == target),
                  key=lambda f: f.offset)
    if ordinal >= len(figs):
        return None
    f = figs[ordinal]
    return f.offset, f.offset + len(f.surface) - 1


def _surface(s: str) -> str:
    """A figure as written, for comparing a cell with an annotation: the number with its
    unit, without spaces or a bound's sign (≥50个 is the cell of the annotated 50个)."""
    return "".join(_fold(s).split()).lstrip("≥≤<>=＝﹦")


def _fold(s: str) -> str:
    """Full-width forms folded one character for one (offsets stay)."""
    import unicodedata

    out = []
    for c in s:
        f = unicodedata.normalize("NFKC", c)
        out.append(f if len(f) == 1 else c)
    return "".join(out)


class _RowPlaces:
    """Where a table metric's row stands in the page text: the offsets (in the page text)
    of its label, the first cell of its row that holds words."""

    _FAR = 10**9

    def __init__(self, text: str, mapping: list[int | None]) -> None:
        self.text = _fold(text)
        self.mapping = mapping
        self._cache: dict[str, list[int]] = {}

    def _label(self, m: Any) -> str | None:
        for cell in (getattr(m, "sentence", "") or "").split(" | "):
            cell = "".join(_fold(cell).split())
            if len(cell) >= 2 and not _is_number(cell.rstrip("%％")):
                return cell[:20]
        return None

    def _starts(self, label: str) -> list[int]:
        if label not in self._cache:
            import re

            pattern = re.compile(r"\s*".join(map(re.escape, label)))
            found = []
            for hit in pattern.finditer(self.text):
                k = hit.end() - 1
                if k < len(self.mapping) and self.mapping[k] is not None:
                    found.append(self.mapping[k])
            self._cache[label] = found
        return self._cache[label]

    def distance(self, m: Any, offset: int | None) -> int:
        """How far after the nearest place of the metric's row label the annotated cell
        stands (far when the label is not found before it)."""
        label = self._label(m)
        if label is None or offset is None:
            return self._FAR
        before = [p for p in self._starts(label) if p <= offset]
        return offset - max(before) if before else self._FAR


def _spans(evidence: list[Any], mapping: list[int | None], document: Any = None,
           doc: RealDoc | None = None) -> list[tuple[int, int]]:
    out = []
    for e in evidence:
        if getattr(e, "table_cell", None) is not None and document is not None and doc is not None:
            cell = _cell_span(e, document, doc, mapping)
            if cell is not None:
                out.append(cell)
            continue
        lo = next((mapping[k] for k in range(e.start, min(e.end, len(mapping)))
                   if mapping[k] is not None), None)
        hi = next((mapping[k] for k in range(min(e.end, len(mapping)) - 1, e.start - 1, -1)
                   if mapping[k] is not None), None)
        if lo is not None and hi is not None:
            out.append((lo, hi))
    return out


def _covers(spans: list[tuple[int, int]], f: RealFigure) -> bool:
    if f.offset is None:
        return False
    end = f.offset + len(f.surface) - 1
    return any(lo <= end and f.offset <= hi for lo, hi in spans)


def _touches(spans: list[tuple[int, int]], doc: RealDoc, rel: Any) -> bool:
    """The evidence holds the relation's stated figure and at least one operand (a count
    against the names listed has the stated count as its only figure)."""
    figs = doc.figures
    operands = [i for i in rel.operands if i != rel.result]
    return _covers(spans, figs[rel.result]) and (
        not operands or any(_covers(spans, figs[i]) for i in operands))


def score_relations(result: DocResult, checked: Any, mapping: list[int | None],
                    document: Any = None) -> None:
    """Which annotated relations the checker flagged or verified, and its other errors.
    With the ``document``, evidence that names a table cell is placed on the page too."""
    doc = result.doc
    flagged = [(f, _spans(f.evidence, mapping, document, doc)) for f in checked.findings
               if f.severity in ("error", "warning")]
    held = [_spans(v.evidence, mapping, document, doc) for v in checked.verified]
    result.caught = [any(_touches(sp, doc, r) for _, sp in flagged) for r in doc.relations]
    result.verified = [any(_touches(sp, doc, r) for sp in held) for r in doc.relations]
    for f, sp in flagged:
        if f.severity != "error":
            continue
        on = [r for r in doc.relations if _touches(sp, doc, r)]
        if any(r.holds for r in on) and not any(not r.holds for r in on):
            result.false_errors.append(f)
        elif not on:
            result.other_errors.append(f)


@dataclass(slots=True)
class Summary:
    recall: Ratio = field(default_factory=Ratio)
    precision: Ratio = field(default_factory=Ratio)
    keys_right: Ratio = field(default_factory=Ratio)
    keyed: Ratio = field(default_factory=Ratio)
    qualifiers: Ratio = field(default_factory=Ratio)
    sign: Ratio = field(default_factory=Ratio)
    by_writing: dict[str, Ratio] = field(default_factory=lambda: defaultdict(Ratio))
    inconsistencies_found: Ratio = field(default_factory=Ratio)
    holding_verified: Ratio = field(default_factory=Ratio)
    false_errors: int = 0
    other_errors: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"figures_found": self.recall.to_dict(),
                "precision": self.precision.to_dict(),
                "keys_right": self.keys_right.to_dict(), "keyed": self.keyed.to_dict(),
                "qualifiers_right": self.qualifiers.to_dict(), "sign_right": self.sign.to_dict(),
                "found_by_writing": {k: v.to_dict() for k, v in sorted(self.by_writing.items())},
                "inconsistencies_found": self.inconsistencies_found.to_dict(),
                "holding_verified": self.holding_verified.to_dict(),
                "errors_on_holding": self.false_errors, "other_errors": self.other_errors}


def _quals_equal(g: RealFigure, m: Any) -> bool:
    mq = {k: v for k, v in dict(m.qualifiers).items() if v not in (None, "")}
    return {k: str(v) for k, v in g.qualifiers.items()} == {k: str(v) for k, v in mq.items()}


def add_to(summary: Summary, r: DocResult) -> None:
    for i, g in enumerate(r.doc.figures):
        ok = r.found[i]
        summary.recall.add(ok)
        summary.by_writing[g.writing].add(ok)
        summary.precision.add(True) if ok else None
        if not ok:
            continue
        m = r.matched[i]
        if m.key is not None:
            summary.keys_right.add(m.key == g.key)
        if g.key is not None:
            summary.keyed.add(m.key == g.key)
        summary.qualifiers.add(_quals_equal(g, m))
        if g.sign is not None:
            summary.sign.add(getattr(m, "sign", None) == g.sign)
    for _ in r.false_alarms:
        summary.precision.add(False)
    for k, rel in enumerate(r.doc.relations):
        if k >= len(r.caught):
            break
        if rel.holds:
            summary.holding_verified.add(r.verified[k])
        else:
            summary.inconsistencies_found.add(r.caught[k])
    summary.false_errors += len(r.false_errors)
    summary.other_errors += len(r.other_errors)


def summarise(results: list[DocResult]) -> dict[str, Any]:
    """Scores overall, per split and per document type."""
    groups: dict[str, Summary] = defaultdict(Summary)
    for r in results:
        if r.error:
            continue
        for name in ("all", f"split:{r.doc.split}", f"{r.doc.split}:{r.doc.doc_type}"):
            add_to(groups[name], r)
    if len([k for k in groups if k.startswith("split:")]) == 1:
        groups.pop(next(k for k in groups if k.startswith("split:")))
    return {k: groups[k].to_dict() for k in sorted(groups)}


def run(docs: list[RealDoc], extract: Any, check: Any = None) -> list[DocResult]:
    """Extract every cached document with ``extract(text, name)`` and match it; with
    ``check(extraction)``, also score the annotated relations against its findings."""
    out = []
    for doc in docs:
        raw = text_of(doc.url)
        if raw is None:
            out.append(DocResult(doc, [], {}, [], error="缓存中没有文本"))
            continue
        try:
            extraction = extract(raw, doc.sha1[:12])
        except Exception as exc:  # one page must not end the evaluation
            out.append(DocResult(doc, [False] * len(doc.figures), {}, [],
                                 error=f"{type(exc).__name__}: {exc}"))
            continue
        mapping = offset_map(extraction.document.text, raw)
        result = evaluate_doc(doc, extraction, raw, mapping)
        if check is not None:
            score_relations(result, check(extraction), mapping, extraction.document)
        out.append(result)
    return out


def check_extraction(extraction: Any) -> Any:
    from jixiao.api import check_document

    return check_document(extraction)


def extract_text(raw: str, name: str) -> Any:
    """The program's extraction of a cached page, read as a UTF-8 ``.txt`` file."""
    from jixiao.api import extract_document, read_bytes

    doc = read_bytes(raw.encode("utf-8"), source=f"{name}.txt", fmt="txt")
    return extract_document(doc)


_LABELS = {"figures_found": "找到", "precision": "精确率", "keys_right": "键正确",
           "keyed": "有键得键", "qualifiers_right": "限定语", "sign_right": "方向",
           "inconsistencies_found": "不一致查出", "holding_verified": "成立已核"}


def print_summary(summary: dict[str, Any], n_docs: int, missing: list[str]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"真实报告集评估（{n_docs} 篇，缺文本 {len(missing)} 篇）；"
                  "找到＝数值、单位与位置都对")
    table.add_column("分组")
    for label in _LABELS.values():
        table.add_column(label, justify="right")

    def cell(r: dict[str, Any]) -> str:
        return "—" if r["value"] is None else f"{r['value']:.3f}\n{r['hit']}/{r['total']}"

    table.add_column("错报", justify="right")
    for group, s in summary.items():
        table.add_row(group, *(cell(s[k]) for k in _LABELS),
                      f"{s['errors_on_holding']}+{s['other_errors']}")
    Console().print(table)
    if "all" in summary:
        w = Table(title="按书写方式的找到率")
        w.add_column("分组")
        w.add_column("书写方式")
        w.add_column("找到", justify="right")
        for group, s in summary.items():
            for writing, r in s["found_by_writing"].items():
                w.add_row(group, writing, cell(r))
        Console().print(w)


def print_misses(results: list[DocResult]) -> None:
    from rich.console import Console
    from rich.markup import escape

    console = Console()
    for r in results:
        if r.error:
            console.print(f"[bold]{r.doc.sha1[:12]}[/bold] {escape(r.error)}")
            continue
        lines = []
        for i, g in enumerate(r.doc.figures):
            if not r.found[i]:
                lines.append(f"  漏报 #{i} {g.surface} = {g.value} {g.unit} @{g.offset} [{g.writing}]")
            elif r.matched[i].key != g.key:
                lines.append(f"  键   #{i} {g.surface}: 应为 {g.key}，得到 {r.matched[i].key}")
        for m in r.false_alarms:
            lines.append(f"  误报 {m.surface} = {metric_value(m)} {m.unit} ({m.key})")
        for k, rel in enumerate(r.doc.relations):
            if k < len(r.caught) and not rel.holds and not r.caught[k]:
                lines.append(f"  未查出 关系{k} {rel.kind}：{rel.arithmetic}")
        for f in r.false_errors:
            lines.append(f"  错报（关系成立）{f.rule}：{f.message}")
        for f in r.other_errors:
            lines.append(f"  其他错误 {f.rule}：{f.message}")
        if lines:
            console.print(f"[bold]{r.doc.sha1[:12]}[/bold] {r.doc.split} {r.doc.doc_type}",
                          highlight=False)
            for line in lines:
                console.print(escape(line), highlight=False)


def failing_rows(results: list[DocResult]) -> list[str]:
    """The rows of tests/test_realset.py that fail: ``<id>#<i>`` (not found) and
    ``<id>#<i>:key`` (found with another key), each with what went wrong."""
    rows = []
    for r in results:
        sha = r.doc.sha1[:12]
        for i, g in enumerate(r.doc.figures):
            if r.error or not r.found[i]:
                surface = " ".join(g.surface.split())  # one line: a break inside a figure
                rows.append(f"{sha}#{i} 未找到 {surface}（{g.writing}）")
                if g.key is not None:
                    rows.append(f"{sha}#{i}:key 未找到")
            elif g.key is not None and r.matched[i].key != g.key:
                rows.append(f"{sha}#{i}:key 得到 {r.matched[i].key}")
    return rows


def main(argv: list[str] | None = None) -> int:
    """``python -m jixiao.extract.realeval xfail SPLIT…``: the failing rows, to list them as
    strict xfail rows in corpus/real/xfail.txt (rows are added, never deleted while failing)."""
    import sys

    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] != "xfail":
        print("用法：python -m jixiao.extract.realeval xfail dev [test]")
        return 2
    splits = set(args[1:]) or {"dev"}
    docs = [d for d in load_all() if d.split in splits]
    for row in failing_rows(run(docs, extract_text)):
        print(row)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
