"""Mutation evaluation of ``jixiao check``: slips in every figure a person annotated, and
whether the checker points at them.

The reports are the four corpus reports (their gold figures, ``corpus/gold/NNN.jsonl``, and
the relations a person found in them, ``corpus/gold/NNN.relations.json``) and, with
``--real dev``, the documents of the real-report set whose page text is cached here (their
figures and relations, ``corpus/real/docs``). Every annotated figure with a value gets
slips (seeded):

* ``digit-change``  one digit replaced by another (a position and a digit drawn);
* ``digit-swap``    two adjacent, different digits swapped;
* ``digit-drop``    one digit left out;
* ``unit``          万元 written 元, or 元 written 万元 (money);
* ``off-by-one``    the last written digit ±1.

A slip is made in the page text at the annotated place, the text is read, extracted and
checked again, and it is FOUND when a finding the untouched text does not have rests on the
slipped figure (its evidence covers it: a span, or the table cell). Whether a slip breaks a
relation a person states is decided apart from the checker: each annotated relation that
holds is recomputed with the slipped value (a sum at the written precision — n rounded
figures cannot reach the sum of their half units, so reaching it is a slip; a ratio or a
growth rate rounded or cut to its written decimals, as the report's own figures were).
Recall is reported for the slips that break such a relation and, apart, for the rest.

False alarms: errors on the untouched texts that rest on no relation a person annotated as
failing (and, in the corpus, are no template placeholder).

    python bench/mutate_check.py [--seed 4] [--real dev] [--report 003] [--limit N] [--verbose]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
REPORTS = {
    "001": "001_16794bffd2751457",
    "002": "002_14d9c8f6bc945b17",
    "003": "003_9838b6f1644cf041",
    "004": "004_c8ea8cb1556f9aed",
}
KINDS = ("digit-change", "digit-swap", "digit-drop", "unit", "off-by-one")
_PLACEHOLDER = re.compile(r"^(?:[Xx×]{1,3}|□+|20[xX]{2})")
_CN = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
       "八": 8, "九": 9}
_CN_OF = {1: "一", 2: "两", 3: "三", 4: "四", 5: "五", 6: "六", 7: "七", 8: "八", 9: "九"}
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?|[零一二两三四五六七八九十]+")


# ---------------------------------------------------------------------------- sources


@dataclass
class Source:
    """One annotated text: its figures and relations (as ``jixiao.extract.realset``
    objects), and the checker's baseline on it."""

    name: str
    group: str                # corpus, real:dev …
    raw: str
    doc: Any                  # RealDoc
    fmt: str = "txt"
    baseline: Any = None      # (extraction, result, mapping)

    @property
    def figures(self) -> list[Any]:
        return self.doc.figures


def _pipeline(raw: str, name: str) -> tuple[Any, Any, list[int | None]]:
    from jixiao.api import check_document, extract_document, read_bytes
    from jixiao.extract.realeval import offset_map

    doc = read_bytes(raw.encode("utf-8"), source=f"{name}.txt", fmt="txt")
    extraction = extract_document(doc)
    return extraction, check_document(extraction), offset_map(doc.text, raw)


def load_corpus(key: str) -> Source:
    from jixiao.extract.realset import RealDoc, RealFigure, RealRelation

    raw = (CORPUS / f"{REPORTS[key]}.txt").read_text(encoding="utf-8")
    figures = []
    for line in (ROOT / "corpus" / "gold" / f"{key}.jsonl").read_text(encoding="utf-8").splitlines():
        g = json.loads(line)
        figures.append(RealFigure(g["surface"], g["offset"], g["value"], g["unit"], g["key"],
                                  qualifiers=g.get("qualifiers", {}),
                                  writing="table" if g.get("qualifiers", {}).get("entity")
                                  or not re.search(r"[^\d.,%\s]", g["surface"]) else "simplified",
                                  placeholder=g.get("placeholder", False)))
    rel_file = ROOT / "corpus" / "gold" / f"{key}.relations.json"
    relations = [RealRelation(r["kind"], r["result"], r["operands"], r["holds"],
                              r.get("stated", True), r.get("arithmetic", ""))
                 for r in json.loads(rel_file.read_text(encoding="utf-8"))] if rel_file.exists() else []
    doc = RealDoc(url=f"corpus:{key}", doc_type="work_report", split="corpus", figures=figures,
                  relations=relations)
    source = Source(key, "corpus", raw, doc)
    source.baseline = _pipeline(raw, key)
    return source


def load_real(split: str) -> list[Source]:
    from jixiao.extract.realset import load_all, text_of

    out = []
    for d in load_all():
        if d.split != split:
            continue
        raw = text_of(d.url)
        if raw is None:
            continue
        source = Source(d.sha1[:12], f"real:{split}", raw, d)
        try:
            source.baseline = _pipeline(raw, source.name)
        except Exception:  # a page the readers refuse has no baseline to mutate
            continue
        out.append(source)
    return out


# ---------------------------------------------------------------------------- the oracle


def _number(surface: str) -> tuple[str, int] | None:
    """The number as written in a figure's surface and where it starts."""
    m = _NUMBER.search(surface)
    return (m.group(0), m.start()) if m else None


def _decimals(number: str) -> int:
    return len(number.split(".", 1)[1]) if "." in number else 0


def _written_value(number: str) -> Decimal | None:
    if number and all(c in _CN for c in number):
        return Decimal(_CN[number]) if len(number) == 1 else None
    try:
        return Decimal(number.replace(",", ""))
    except InvalidOperation:
        return None


@dataclass(frozen=True)
class Figure:
    """A figure's value and precision for the oracle (normalised unit: 万元, %, count)."""

    value: Decimal
    step: Decimal          # one unit of the last written digit, normalised
    exact: bool
    unit: str              # as written after the number (万元, 亿元, 个 …)


def figure_of(f: Any, surface: str | None = None, value: Decimal | None = None) -> Figure | None:
    """``f`` as annotated, or as slipped (``surface`` and its normalised ``value``)."""
    surface = f.surface if surface is None else surface
    if f.value is None or f.unit == "date":
        return None
    try:
        annotated = Decimal(f.value)
    except InvalidOperation:
        return None
    num = _number(f.surface)
    if num is None:
        return None
    written = _written_value(num[0])
    scale = annotated / written if written else Decimal(1)
    new_num = _number(surface)
    if new_num is None:
        return None
    v = value if value is not None else annotated
    step = abs(scale) * Decimal(10) ** -_decimals(new_num[0])
    unit = surface[new_num[1] + len(new_num[0]):].strip()
    exact = f.unit not in ("万元", "%", "百分点", "分") and "." not in new_num[0]
    return Figure(v, step if step else Decimal(1), exact, unit)


def _round_or_cut(stated: Figure, computed: Decimal) -> bool:
    half = stated.step / 2
    if abs(computed - stated.value) <= half:
        return True
    return stated.value <= computed < stated.value + stated.step  # written cut, not rounded


def _sum_holds(result: Figure, parts: list[Figure]) -> bool:
    finest: dict[str, Decimal] = {}
    for t in [result, *parts]:
        if not t.exact:
            finest[t.unit] = min(finest.get(t.unit, t.step), t.step)
    allowance = sum((Decimal(0) if t.exact else finest[t.unit] / 2 for t in [result, *parts]),
                    Decimal(0))
    diff = abs(sum((p.value for p in parts), Decimal(0)) - result.value)
    return diff == 0 or diff < allowance


def _signed(fig: Figure, sign: str | None) -> Decimal:
    return -fig.value if sign == "-" else fig.value


def _formulas(kind: str) -> list[Callable[[Figure, list[Figure], str | None], bool]]:
    h = Decimal(100)

    def ratio(a: int, b: int) -> Callable[[Figure, list[Figure], str | None], bool]:
        return lambda r, o, s: bool(o[b].value) and _round_or_cut(r, o[a].value / o[b].value * h)

    def growth(f: Callable[[Decimal, Decimal], Decimal]) -> Callable[..., bool]:
        def test(r: Figure, o: list[Figure], s: str | None) -> bool:
            try:
                g = f(o[0].value, o[1].value) * h
            except (ArithmeticError, InvalidOperation):
                return False
            return _round_or_cut(replace(r, value=_signed(r, s)), g) or _round_or_cut(r, abs(g))
        return test

    if kind == "sum":
        return [lambda r, o, s: _sum_holds(r, o)]
    if kind in ("share", "rate"):
        return [ratio(0, 1), ratio(1, 0)]
    if kind == "growth":
        return [growth(lambda c, n: c / (n - c)), growth(lambda n, c: c / (n - c)),
                growth(lambda c, n: -c / (n + c)), growth(lambda n, c: -c / (n + c)),
                growth(lambda n, b: (n - b) / b), growth(lambda b, n: (n - b) / b),
                growth(lambda c, b: c / b), growth(lambda b, c: c / b)]
    if kind == "difference":  # three rounded figures: r = |a − b|
        return [lambda r, o, s: _sum_holds(r, [o[0], replace(o[1], value=-o[1].value)])
                or _sum_holds(r, [replace(o[0], value=-o[0].value), o[1]])]
    if kind == "count":
        return [lambda r, o, s: True]  # decided on the stated count itself (see breaks)
    return []


@dataclass
class Judged:
    """A holding relation the oracle can recompute: the formula that holds on the text."""

    index: int
    rel: Any
    test: Callable[[Figure, list[Figure], str | None], bool]


def judged_relations(source: Source) -> list[Judged]:
    out = []
    for k, rel in enumerate(source.doc.relations):
        if not rel.holds:
            continue
        figs = [figure_of(source.figures[i]) for i in [rel.result, *rel.operands]]
        if any(f is None for f in figs):
            continue
        r, ops = figs[0], figs[1:]
        sign = source.figures[rel.result].sign
        for test in _formulas(rel.kind):
            if len(ops) >= (1 if rel.kind in ("sum", "count") else 2) and test(r, ops, sign):
                out.append(Judged(k, rel, test))
                break
    return out


# ---------------------------------------------------------------------------- slips


@dataclass
class Slip:
    source: str
    index: int             # the annotated figure
    kind: str
    old: str
    new: str
    new_value: Decimal | None
    breaks: bool = False
    relations: list[str] = field(default_factory=list)
    status: str = ""       # found / missed / lost / unplaced
    found_by: list[str] = field(default_factory=list)
    collateral: list[str] = field(default_factory=list)
    new_findings: list[str] = field(default_factory=list)


def _swap(s: str, i: int) -> str:
    return s[:i] + s[i + 1] + s[i] + s[i + 2:]


def slips_for(source: Source, index: int, rng: random.Random, kinds: set[str]) -> list[Slip]:
    f = source.figures[index]
    if f.value is None or f.placeholder or f.unit == "date" or _PLACEHOLDER.match(f.surface):
        return []
    num = _number(f.surface)
    if num is None:
        return []
    nt, at = num
    annotated = Decimal(f.value) if f.value else Decimal(0)
    written = _written_value(nt)
    scale = annotated / written if written else Decimal(1)
    out: list[Slip] = []
    seen: set[str] = set()

    def add(kind: str, new_nt: str, surface: str | None = None,
            value: Decimal | None = None) -> None:
        new = surface if surface is not None else f.surface[:at] + new_nt + f.surface[at + len(nt):]
        if new == f.surface or new in seen or kind not in kinds:
            return
        seen.add(new)
        if value is None:
            w = _written_value(new_nt)
            value = None if w is None else w * scale
        out.append(Slip(source.name, index, kind, f.surface, new, value))

    if all(c in _CN for c in nt):
        if len(nt) == 1 and written:
            other = [c for v, c in _CN_OF.items() if v != int(written)]
            add("digit-change", rng.choice(other))
            for v in (int(written) - 1, int(written) + 1):
                if v in _CN_OF:
                    add("off-by-one", _CN_OF[v])
                    break
        return out
    digits = [i for i, c in enumerate(nt) if c.isdigit()]

    def odd(s: str) -> bool:
        integer = s.replace(",", "").split(".", 1)[0]
        return not s or s.startswith((".", ",")) or s.endswith((".", ",")) or (
            len(integer) > 1 and integer.startswith("0"))

    if digits:
        i = rng.choice(digits)
        options = [c for c in "0123456789" if c != nt[i] and not odd(nt[:i] + c + nt[i + 1:])]
        if options:
            add("digit-change", nt[:i] + rng.choice(options) + nt[i + 1:])
        pairs = [i for i in digits if i + 1 in digits and nt[i] != nt[i + 1]
                 and not odd(_swap(nt, i))]
        if pairs:
            add("digit-swap", _swap(nt, rng.choice(pairs)))
        drops = [i for i in digits if not odd(nt[:i] + nt[i + 1:]) and len(digits) > 1]
        if drops:
            j = rng.choice(drops)
            add("digit-drop", nt[:j] + nt[j + 1:])
        d = _decimals(nt)
        delta = rng.choice((-1, 1))
        stepped = Decimal(nt.replace(",", "")) + delta * Decimal(10) ** -d
        if stepped > 0:
            text = f"{stepped:,.{d}f}" if "," in nt else f"{stepped:.{d}f}"
            add("off-by-one", text)
    tail = f.surface[at + len(nt):]
    if f.unit == "万元" and tail.strip() in ("万元", "萬元"):
        add("unit", nt, f.surface[:at + len(nt)] + tail.replace("万", "").replace("萬", ""),
            annotated / 10000)
    elif f.unit == "万元" and tail.strip() == "元":
        add("unit", nt, f.surface[:at + len(nt)] + tail.replace("元", "万元"), annotated * 10000)
    return out


def breaks(source: Source, judged: list[Judged], slip: Slip) -> list[str]:
    """The annotated holding relations the slip breaks (their kinds)."""
    f = source.figures[slip.index]
    out = []
    for j in judged:
        members = [j.rel.result, *j.rel.operands]
        if slip.index not in members:
            continue
        if j.rel.kind == "count":
            if slip.index == j.rel.result:
                out.append("count")
            continue
        if slip.new_value is None:
            out.append(j.rel.kind)
            continue
        figs = []
        for i in members:
            g = source.figures[i]
            figs.append(figure_of(g, slip.new, slip.new_value) if i == slip.index
                        else figure_of(g))
        if any(x is None for x in figs) or not j.test(figs[0], figs[1:], f.sign if
                                                       slip.index == j.rel.result else
                                                       source.figures[j.rel.result].sign):
            out.append(j.rel.kind)
    return out


# ---------------------------------------------------------------------------- evaluation


def _finding_key(f: Any) -> tuple[str, str, str]:
    return f.rule, f.severity, f.message


def _evidence_key(f: Any) -> tuple:
    return f.rule, f.severity, tuple(e.surface for e in f.evidence)


def _moved(source: Source, slip: Slip) -> Any:
    """The annotation of the slipped text: the figure's new surface, later offsets moved."""
    from jixiao.extract.realset import RealDoc

    f = source.figures[slip.index]
    delta = len(slip.new) - len(slip.old)
    figures = []
    for i, g in enumerate(source.figures):
        if i == slip.index:
            figures.append(replace(g, surface=slip.new))
        elif g.offset is not None and g.offset > f.offset:
            figures.append(replace(g, offset=g.offset + delta))
        else:
            figures.append(g)
    d = source.doc
    return RealDoc(url=d.url, doc_type=d.doc_type, split=d.split, figures=figures,
                   relations=d.relations)


def evaluate(source: Source, slip: Slip) -> Slip:
    from jixiao.extract.realeval import _covers, _spans

    f = source.figures[slip.index]
    if f.offset is None or source.raw[f.offset:f.offset + len(f.surface)] != f.surface:
        slip.status = "unplaced"
        return slip
    raw = source.raw[:f.offset] + slip.new + source.raw[f.offset + len(f.surface):]
    try:
        extraction, result, mapping = _pipeline(raw, source.name)
    except Exception as exc:  # a slip the reader refuses is no finding
        slip.status, slip.new_findings = "lost", [f"{type(exc).__name__}"]
        return slip
    moved = _moved(source, slip)
    target = moved.figures[slip.index]
    # a finding is the baseline's when its rule and message, or its rule, severity and the
    # figures it rests on, are the baseline's (a message may quote a sum the slip changed)
    base = Counter(_finding_key(x) for x in source.baseline[1].findings)
    base_ev = Counter(_evidence_key(x) for x in source.baseline[1].findings)
    new = []
    for x in result.findings:
        if base[_finding_key(x)] > 0:
            base[_finding_key(x)] -= 1
        elif base_ev[_evidence_key(x)] > 0:
            base_ev[_evidence_key(x)] -= 1
        else:
            new.append(x)
    pointing = [x for x in new if _covers(_spans(x.evidence, mapping, extraction.document,
                                                 moved), target)]
    slip.new_findings = [f"{x.rule}/{x.severity}: {x.message}" for x in new]
    slip.found_by = sorted({x.rule for x in pointing})
    slip.collateral = [f"{x.rule}: {x.message}" for x in new
                       if x.severity == "error" and x not in pointing]
    seen = target.writing == "table" or any(
        _covers(_spans([m], mapping), target) for m in extraction.metrics
        if getattr(m, "origin", "text") == "text" and m.value is not None)
    slip.status = "found" if pointing else ("missed" if seen else "lost")
    return slip


def false_alarms(source: Source) -> list[str]:
    """Errors on the untouched text resting on no relation annotated as failing."""
    from jixiao.extract.realeval import _spans, _touches

    extraction, result, mapping = source.baseline
    failing = [r for r in source.doc.relations if not r.holds]
    out = []
    for x in result.findings:
        if x.severity != "error":
            continue
        if x.rule == "placeholder" and all(_PLACEHOLDER.match(e.surface) for e in x.evidence):
            continue  # a template placeholder left in the text is real
        spans = _spans(x.evidence, mapping, extraction.document, source.doc)
        if not any(_touches(spans, source.doc, r) for r in failing):
            out.append(f"{x.rule}: {x.message}")
    return out


# ---------------------------------------------------------------------------- the run


def make_slip(source: Source, index: int, kind: str, new: str) -> Slip:
    """A slip written by hand: figure ``index`` written ``new`` (the smoke tests)."""
    f = source.figures[index]
    num, at = _number(f.surface) or ("", 0)
    new_num = _number(new)
    annotated = Decimal(f.value)
    written = _written_value(num)
    scale = annotated / written if written else Decimal(1)
    if kind == "unit":
        value = annotated / 10000 if "万" in f.surface[at:] else annotated * 10000
    else:
        w = _written_value(new_num[0]) if new_num else None
        value = None if w is None else w * scale
    slip = Slip(source.name, index, kind, f.surface, new, value)
    slip.relations = breaks(source, judged_relations(source), slip)
    slip.breaks = bool(slip.relations)
    return slip


def run(sources: list[Source], seed: int, kinds: set[str], limit: int | None,
        progress: bool = False) -> list[Slip]:
    rng = random.Random(seed)
    slips: list[tuple[Source, Slip]] = []
    for source in sources:
        judged = judged_relations(source)
        mine = []
        for i in range(len(source.figures)):
            for slip in slips_for(source, i, rng, kinds):
                slip.relations = breaks(source, judged, slip)
                slip.breaks = bool(slip.relations)
                mine.append(slip)
        if limit is not None and len(mine) > limit:
            keep = [s for s in mine if s.breaks]
            rest = [s for s in mine if not s.breaks]
            mine = keep + rng.sample(rest, max(0, min(len(rest), limit - len(keep))))
        slips += [(source, s) for s in mine]
    done = []
    for n, (source, slip) in enumerate(slips, 1):
        done.append(evaluate(source, slip))
        if progress and n % 100 == 0:
            print(f"  {n}/{len(slips)} slips", file=sys.stderr)
    return done


def _rate(hit: int, total: int) -> str:
    return f"{hit / total:.3f}" if total else "—"


def print_report(sources: list[Source], slips: list[Slip], verbose: bool) -> int:
    print("== False alarms on the untouched texts (errors on no relation annotated as failing)")
    alarms = 0
    for source in sources:
        for line in false_alarms(source):
            alarms += 1
            print(f"  [{source.group} {source.name}] {line}")
    print(f"false alarms: {alarms} in {len(sources)} texts")

    print("\n== Recall")
    head = (f"{'group':10} {'slips':12} {'kind':13} {'n':>6} {'lost':>5} {'found':>6} "
            f"{'recall':>7} {'collat.':>8}")
    print(head)
    print("-" * len(head))
    groups = sorted({s.group for s in sources})
    group_of = {s.name: s.group for s in sources}
    for group in [*groups, "all"]:
        for breaking in (True, False):
            for kind in [*KINDS, "all"]:
                pick = [s for s in slips if s.status in ("found", "missed", "lost")
                        and s.breaks == breaking and kind in ("all", s.kind)
                        and group in ("all", group_of[s.source])]
                if not pick:
                    continue
                found = sum(s.status == "found" for s in pick)
                lost = sum(s.status == "lost" for s in pick)
                collat = sum(bool(s.collateral) for s in pick)
                label = "break a relation" if breaking else "break none"
                print(f"{group:10} {label:12} {kind:13} {len(pick):6} {lost:5} {found:6} "
                      f"{_rate(found, len(pick)):>7} {collat:8}")
    print("recall = found / n (slips the extractor no longer sees — lost — count as missed); "
          "collat. = slips with a new error finding elsewhere")
    unplaced = [s for s in slips if s.status == "unplaced"]
    if unplaced:
        print(f"unplaced (the annotation's surface is not at its offset): {len(unplaced)}")
    by_rule = Counter(r for s in slips if s.status == "found" and s.breaks for r in s.found_by)
    print("relation-breaking slips found by rule:",
          ", ".join(f"{r} {n}" for r, n in by_rule.most_common()))

    missed = [s for s in slips if s.breaks and s.status in ("missed", "lost")]
    print(f"\n== Relation-breaking slips missed ({len(missed)})")
    for s in missed:
        print(f"  [{group_of[s.source]} {s.source}] {s.kind:12} {s.old} → {s.new} "
              f"({', '.join(s.relations)}; {s.status})")
        if verbose:
            for x in s.new_findings:
                print(f"      new finding not on the figure: {x}")
    collateral = [(s, c) for s in slips for c in s.collateral]
    print(f"\n== Collateral: new errors not on the slipped figure ({len(collateral)})")
    for s, c in collateral[: None if verbose else 30]:
        print(f"  [{s.source}] {s.kind:12} {s.old} → {s.new}: {c}")
    return alarms


def summary(slips: list[Slip]) -> dict[str, Any]:
    """Recall figures as data (the smoke tests and the README read these)."""
    counted = [s for s in slips if s.status in ("found", "missed", "lost")]
    out: dict[str, Any] = {}
    for name, pick in (("breaking", [s for s in counted if s.breaks]),
                       ("other", [s for s in counted if not s.breaks])):
        found = sum(s.status == "found" for s in pick)
        out[name] = {"n": len(pick), "found": found,
                     "recall": round(found / len(pick), 4) if pick else None}
    return out


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--report", action="append", choices=sorted(REPORTS),
                        help="only these corpus reports (repeatable); default all four")
    parser.add_argument("--real", choices=["dev", "test"], default=None,
                        help="also the real-report set's split (dev while tuning; test only "
                             "when an issue is closed)")
    parser.add_argument("--no-corpus", action="store_true", help="only the real-report set")
    parser.add_argument("--kind", action="append", choices=KINDS)
    parser.add_argument("--limit", type=int, default=None,
                        help="at most N slips per text (all relation-breaking ones kept)")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(list(argv) if argv is not None else None)
    t0 = time.perf_counter()
    sources: list[Source] = []
    if not args.no_corpus:
        missing = [REPORTS[k] for k in args.report or REPORTS
                   if not (CORPUS / f"{REPORTS[k]}.txt").exists()]
        if missing:
            print(f"corpus files missing under {CORPUS}: {', '.join(missing)}", file=sys.stderr)
            return 2
        sources += [load_corpus(k) for k in args.report or sorted(REPORTS)]
    if args.real:
        sources += load_real(args.real)
    kinds = set(args.kind or KINDS)
    slips = run(sources, args.seed, kinds, args.limit, progress=True)
    alarms = print_report(sources, slips, args.verbose)
    print(f"\n{json.dumps(summary(slips))}")
    by_group: dict[str, list[Slip]] = defaultdict(list)
    group_of = {s.name: s.group for s in sources}
    for s in slips:
        by_group[group_of[s.source]].append(s)
    for group, pick in sorted(by_group.items()):
        print(f"{group}: {json.dumps(summary(pick))}")
    print(f"\n{len(slips)} slips in {len(sources)} texts, {time.perf_counter() - t0:.0f} s "
          f"(seed {args.seed})")
    return 1 if alarms else 0


if __name__ == "__main__":
    sys.exit(main())
