"""Relations read from the structure of the text, with or without catalog keys.

- a whole and its parts: 其中…, …中，, 分别为…, a run of graded clauses; 合计/共计/总计
  after a list; 加上… / 减… chains, whose base may stand in the sentence before;
  parenthesised figures and the sub-items of one part are never parts of the whole;
- growth: 本年数, 增加额 and 增长率, or 上年数 with either: any two give the third;
- ratios: 完成预算数Y的X%, 占Y的X%, 执行率 from the spent and the budgeted amount (both
  budgets tried: 年初 and 调整后), 占比 after a part, 占 + a named whole;
- differences: 超收 = 完成数 − 预算数, 结余/未分配 = 预算数 − 已支出数;
- the changes of a breakdown's parts add up to the change of its whole.

Clauses are read by :mod:`jixiao.check.clauses`; each relation is decided by
:mod:`jixiao.check.relate`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.check.clauses import Fig, Paragraph, read_paragraphs, vocabulary
from jixiao.check.context import CheckContext
from jixiao.check.relate import (
    HUNDRED,
    Term,
    holds_formula,
    holds_sum,
    judge_formula,
    judge_sum,
    shown,
)
from jixiao.check.tolerance import fmt

__all__ = ["check_structure"]

_LEVELS = ("level", "total", "add", "subtract", "remainder")
_WHOLE_ROLES = ("level", "total", "add", "remainder")
_PART_ROLES = ("level", "total", "add")


@dataclass(eq=False)
class Breakdown:
    whole: Fig
    parts: list[Fig]
    how: str
    complete: bool
    verdict: str = ""
    open: bool = False   # a part without its figure (…万元 with no number): the sum is open


@dataclass
class State:
    """What one paragraph's rules have found so far."""

    breakdowns: list[Breakdown] = field(default_factory=list)
    claimed: set[int] = field(default_factory=set)   # id(Fig) of parts already placed


def check_structure(ctx: CheckContext) -> None:
    paragraphs = read_paragraphs(ctx)
    for n, para in enumerate(paragraphs):
        before = paragraphs[n - 1] if n else None
        state = State()
        _breakdowns(ctx, para, before, state)
        _respectively(ctx, para, state)
        _graded_runs(ctx, para, state)
        _totals(ctx, para, before, state)
        _ratios(ctx, para)
        _rates(ctx, para)
        _remainders(ctx, para)
        _shares(ctx, para, state)
        _growth(ctx, para, before)
        _change_sums(ctx, para, state)
        _implied_partitions(ctx, para, state)
        _complementary_pairs(ctx, para, paragraphs[:n], state)


# ---------------------------------------------------------------------------- helpers


def _complete(parts: list[Fig], context: str = "") -> bool:
    """Parts that name all of their whole: three grades or the lowest one, or both sides
    of a complementary pair (中央/地方, 一般/专项 …)."""
    v = vocabulary()
    grades = {p.grade for p in parts if p.grade}
    if len(parts) >= 2 and grades and len(grades) == len(parts):
        if len(grades) >= 3 or grades & v.complete_grades:
            return True
    named = re.findall(v.grades.pattern, context) if context else []
    if len(set(named)) >= 3 and len(parts) == len(set(named)):
        return True
    if set(named) & v.complete_grades and len(parts) == len(set(named)):
        return True
    for group in v.complementary:
        hit = set()
        for p in parts:
            words = [w for w in group if w in p.label]
            if len(words) != 1:
                break
            hit.add(words[0])
        else:
            if hit == set(group) and len(parts) == len(group):
                return True
    return False


def _close(whole: Fig, parts: list[Fig], share: str = "0.02") -> bool:
    """Parts a hair short of their whole: a slip, not a selection."""
    total = sum((p.m.value for p in parts), Decimal(0))
    w = whole.m.value
    return bool(w) and total < w and (w - total) / w <= Decimal(share)


def _parallel(parts: list[Fig]) -> bool:
    """Three or more parts named alike (返还性收入, 一般转移支付收入, 专项转移支付收入; 农业类,
    文化教育类 …): a list that sets out its whole rather than picking from it."""
    labels = [p.label for p in parts]
    if len(labels) < 3 or any(len(x) < 2 for x in labels):
        return False
    suffix = labels[0]
    for x in labels[1:]:
        while suffix and not x.endswith(suffix):
            suffix = suffix[1:]
    return len(suffix) >= 2 or suffix in ("类", "项")


_ADJUSTS = re.compile(r"调减|核减|压减|扣减|削减|收回|减少|调增|追加")
_BARE_UNIT = re.compile(r"(?<![\d.０-９一二三四五六七八九十百千万亿两])(?:万元|亿元)")


def _judge_breakdown(ctx: CheckContext, b: Breakdown) -> None:
    parts = [Term(p.m, f"部分{i + 1}") for i, p in enumerate(b.parts)]
    counts_unnamed = b.whole.family.startswith("count") and not all(p.grade for p in b.parts)
    above = "warning" if counts_unnamed and not b.complete else "error"
    if b.complete:
        below = "error"
    elif len(b.parts) >= 2 and _close(b.whole, b.parts, "0.10" if _parallel(b.parts) else "0.02"):
        below = "warning"  # short of the whole by a little, or a list set out like one
    else:
        below = "uncertain"
    if len(b.parts) == 1 and b.parts[0].m.value == b.whole.m.value:
        below = "uncertain"
    if b.open or any(_ADJUSTS.search(p.label) for p in b.parts):
        below = above = "uncertain"  # parts not given, or reductions whose sign is unclear
    b.verdict = judge_sum(ctx, "sum-of-parts", b.whole.m, parts, b.how, below=below, above=above)


def _wholes_before(para: Paragraph, before: Paragraph | None, at: int, family: str,
                   depth: int, group: int = -1, reach: int = 1) -> list[Fig]:
    """The figures a marker at ``at`` may break down, most likely first: in its sentence,
    the nearest before it at the marker's depth; when the sentence has no figure before
    the marker, the figures of the sentence before (or of the paragraph before, when the
    marker opens a paragraph), its subject first; with ``reach`` 2, the subject of the
    sentence before that too."""
    sentence = para.sentence_of(at)

    def fits(f: Fig) -> bool:
        return (f.role in _WHOLE_ROLES and f.family == family and f.depth == depth
                and (group < 0 or f.group == group))

    inside = [f for f in para.figs if f.start < at and f.sentence == sentence]
    if inside:
        return [f for f in reversed(inside) if fits(f)]
    out: list[Fig] = []
    for back in range(1, reach + 1):
        if sentence - back >= 0:
            pool = [f for f in para.figs if f.sentence == sentence - back]
        elif before is not None and before.figs and back == sentence + 1:
            pool = [f for f in before.figs if f.sentence == before.figs[-1].sentence]
        else:
            break
        pool = [f for f in pool if fits(f) and f.role != "remainder"]
        out += pool[:1] + (pool[:0:-1] if back == 1 else [])
    return out


def _depth_at(para: Paragraph, offset: int) -> tuple[int, int]:
    depth, group = 0, -1
    stack: list[int] = []
    for i, c in enumerate(para.text[:offset - para.start]):
        if c in "）】" and stack:
            stack.pop()
        if c in "（【":
            stack.append(i)
        if c in "。！？\n":
            stack.clear()
    depth = len(stack)
    group = para.start + stack[-1] if stack else -1
    return depth, group


def _scope_end(para: Paragraph, at: int, depth: int) -> int:
    """Where the parts opened at ``at`` end: the sentence's end, or the closing parenthesis."""
    text = para.text
    level = 0
    for i in range(at - para.start, len(text)):
        c = text[i]
        if c in "。！？\n":
            return para.start + i
        if c in "（【":
            level += 1
        elif c in "）】":
            if level == 0 and depth > 0:
                return para.start + i
            level = max(level - 1, 0)
    return para.end


# ---------------------------------------------------------------------------- 其中


@dataclass(frozen=True)
class Marker:
    begin: int              # where the parts begin
    at: int                 # where the marker is written
    whole: Fig | None = None  # the whole named right before a …中， marker
    intro: bool = False     # 分部门情况是： an earlier whole by another dimension


def _markers(para: Paragraph) -> list[Marker]:
    v = vocabulary()
    out = [Marker(para.start + m.end(), para.start + m.start())
           for m in v.breakdown.finditer(para.text)]
    out += [Marker(para.start + m.end(), para.start + m.start(), intro=True)
            for m in v.breakdown_intro.finditer(para.text)]
    for f in para.figs:
        if f.family.startswith("count"):
            tail = para.text[f.end - para.start:f.end - para.start + 12]
            if mm := v.count_then_in.match(tail):
                out.append(Marker(f.end + mm.end(), f.end, f))
    return sorted(out, key=lambda x: x.begin)


def _families_before(para: Paragraph, at: int) -> set[str]:
    """The kinds of figure a marker may break down: that of the nearest amount before it,
    and of those written right beside that one (共监管项目79项，6.89亿元。其中…)."""
    before = [f for f in para.figs if f.start < at and f.role in _WHOLE_ROLES]
    if not before:
        return {"money"} | {f.family for f in para.figs if f.family.startswith("count")}
    nearest = before[-1]
    out = {nearest.family}
    for f in reversed(before[:-1]):
        if len(para.slice(f.end, nearest.start).strip("，、 ")) > 0:
            break
        out.add(f.family)
        nearest = f
    return out


def _parts_in(para: Paragraph, mk: Marker, end: int, depth: int, group: int,
              nested: list[tuple[int, int]]) -> list[Fig]:
    """The parts a marker opens: figures of its scope at its depth, until one too far from
    the list; a figure that says something of the whole (…，涉及单位7个) ends its kind;
    sub-items of one part (after a later 其中, to the end of its clause) are left out."""
    v = vocabulary()
    out: list[Fig] = []
    last = mk.begin
    stopped: set[str] = set()
    for f in para.figs:
        if not mk.begin <= f.start < end or f.depth != depth or (depth and f.group != group):
            continue
        if f.start - last > 120:
            break
        last = f.end
        if v.part_stop.match(f.label):
            stopped.add(f.family)
        if f.family in stopped:
            continue
        if f.role in _PART_ROLES and not any(a <= f.start < b for a, b in nested) \
                and not v.sub_item.match(f.label):
            out.append(f)
    return out


def _breakdowns(ctx: CheckContext, para: Paragraph, before: Paragraph | None,
                state: State) -> None:
    v = vocabulary()
    markers = _markers(para)
    scopes: list[tuple[int, int]] = []
    for k, mk in enumerate(markers):
        depth, group = _depth_at(para, mk.at)
        end = _scope_end(para, mk.begin, depth)
        if any(a < mk.at < b for a, b in scopes):
            # a 其中 inside another's parts: sub-items of one part, to the end of its clause
            stop = para.text.find("；", mk.begin - para.start, end - para.start)
            end = para.start + stop if stop >= 0 else end
        scopes.append((mk.at, end))
        nested: list[tuple[int, int]] = []
        for later in markers[k + 1:]:
            if later.at >= end:
                break
            if _depth_at(para, later.at)[0] == depth:
                stop = para.text.find("；", later.begin - para.start, end - para.start)
                nested.append((later.at, para.start + stop if stop >= 0 else end))
        families = {mk.whole.family} if mk.whole else _families_before(
            para, group if depth else mk.at)
        by_family: dict[str, list[Fig]] = {}
        for f in _parts_in(para, mk, end, depth, group, nested):
            by_family.setdefault(f.family, []).append(f)
        for family, parts in by_family.items():
            if family not in families or (family != "money" and not family.startswith("count")):
                continue
            if any(v.not_partition.search(p.label) for p in parts):
                continue
            if mk.whole is not None:
                wholes = [mk.whole]
            elif depth > 0:
                wholes = [w for w in _wholes_before(para, before, group, family, depth - 1)[:1]
                          if not para.slice(w.end, group).strip()]
            else:
                wholes = _wholes_before(para, before, mk.at, family, 0,
                                        reach=2 if mk.intro else 1)
            wholes = [w for w in wholes if w not in parts]
            if not wholes:
                continue
            whole, parts = _best_fit(wholes, parts)
            if mk.intro and not holds_sum(whole.m, [Term(p.m, "") for p in parts]):
                continue  # the whole of another dimension is not certain enough to fault
            context = para.slice(mk.begin, end)
            b = Breakdown(whole, parts, "其中各项" if not mk.intro else "分项",
                          _complete(parts, context if "分别" in context else ""))
            b.open = family == "money" and bool(_BARE_UNIT.search(context))
            state.breakdowns.append(b)
            state.claimed.update(id(p) for p in parts)
            _judge_breakdown(ctx, b)


def _best_fit(wholes: list[Fig], parts: list[Fig]) -> tuple[Fig, list[Fig]]:
    """The whole and the run of parts that add up, if any: the most likely whole with all
    its parts, another candidate whole, or the longest first run of the parts (a later
    clause may open a new whole: …，其中A、B；核定限额Z，其中…)."""
    for w in wholes:
        if holds_sum(w.m, [Term(p.m, "") for p in parts]):
            return w, parts
    for n in range(len(parts) - 1, 1, -1):
        for w in wholes[:1]:
            if holds_sum(w.m, [Term(p.m, "") for p in parts[:n]]):
                return w, parts[:n]
    return wholes[0], parts


# ---------------------------------------------------------------------------- 分别


def _respectively(ctx: CheckContext, para: Paragraph, state: State) -> None:
    v = vocabulary()
    for mm in v.respectively.finditer(para.text):
        at = para.start + mm.end()
        sentence = para.sentence_of(at)
        after = [f for f in para.figs if f.start >= at and f.sentence == sentence]
        if not after:
            continue
        family = after[0].family
        if family != "money" and not family.startswith("count"):
            continue
        parts = []
        for f in after:
            gap = para.slice(parts[-1].end, f.start) if parts else para.slice(at, f.start)
            if f.family != family or f.role not in _PART_ROLES or len(gap) > 12 or \
                    re.search("[；。]", gap):
                break
            parts.append(f)
        if len(parts) < 2 or any(id(p) in state.claimed for p in parts):
            continue
        depth = parts[0].depth
        wholes = _wholes_before(para, None, para.start + mm.start(), family, depth)
        whole = wholes[0] if wholes else None
        if whole is None or whole.sentence != sentence:
            continue
        subject = para.slice(whole.end, para.start + mm.start())
        b = Breakdown(whole, parts, "所列各项", _complete(parts, subject))
        state.breakdowns.append(b)
        state.claimed.update(id(p) for p in parts)
        _judge_breakdown(ctx, b)


# ---------------------------------------------------------------------------- graded runs


def _graded_runs(ctx: CheckContext, para: Paragraph, state: State) -> None:
    """“良”的8个，“中”的1个: graded figures of one family, not yet parts of a whole."""
    runs: dict[str, list[Fig]] = {}
    for f in para.figs:
        if f.grade and f.role in _PART_ROLES and id(f) not in state.claimed and (
                f.family == "money" or f.family.startswith("count")):
            runs.setdefault(f.family, []).append(f)
    for family, parts in runs.items():
        grades = [p.grade for p in parts]
        if len(parts) < 2 or len(set(grades)) != len(grades):
            continue
        first = parts[0]
        wholes = [b.whole for b in state.breakdowns if b.verdict == "verified"
                  and b.whole.family == family and b.whole.start < first.start]
        nearest = [f for f in para.figs if f.start < first.start and f.family == family
                   and f.role in _WHOLE_ROLES and not f.grade and id(f) not in state.claimed
                   and f.depth == 0]
        candidates = wholes[::-1] + [f for f in reversed(nearest) if f not in wholes]
        if not candidates:
            continue
        terms = [Term(p.m, f"“{p.grade}”") for p in parts]
        whole = next((w for w in candidates if holds_sum(w.m, terms)), candidates[0])
        b = Breakdown(whole, parts, "各等次", _complete(parts))
        state.breakdowns.append(b)
        state.claimed.update(id(p) for p in parts)
        _judge_breakdown(ctx, b)


# ---------------------------------------------------------------------------- totals


def _totals(ctx: CheckContext, para: Paragraph, before: Paragraph | None, state: State) -> None:
    """合计/共计/总计 after a list, and 加上…/减… chains: the parts since the sentence's start
    or its previous total, at the total's depth."""
    v = vocabulary()
    figs = para.figs
    for k, t in enumerate(figs):
        if t.family != "money" and not t.family.startswith("count"):
            continue
        same = [f for f in figs[:k] if f.sentence == t.sentence and f.family == t.family
                and f.depth == t.depth]
        prev = same[-1] if same else None
        chained = prev is not None and prev.role in ("add", "subtract")
        if t.role != "total" and not (chained and t.role in ("level", "remainder", "total")
                                      and v.result.search(t.label)):
            continue
        start_i = 0
        for i, f in enumerate(same):
            if f.role == "total" or f.result:
                start_i = i
        ops = [f for f in same[start_i:] if f.role in (*_PART_ROLES, "subtract", "remainder")]
        # the parts of a breakdown whose whole is in the list are counted by their whole
        listed = {id(f) for f in ops}
        inner = {id(p) for b in state.breakdowns if id(b.whole) in listed for p in b.parts}
        ops = [f for f in ops if id(f) not in inner]
        terms = [Term(f.m, _role_name(f), -1 if f.role == "subtract" else 1) for f in ops]
        has_chain = any(f.role in ("add", "subtract") for f in ops)
        t.result = True
        if ops and ops[0].role in ("add", "subtract") and not any(
                f.role not in ("add", "subtract") for f in ops[:1]) and len(
                [f for f in same if f.start < ops[0].start]) == 0:
            _chain_from_before(ctx, para, before, t, terms)
            continue
        if len(terms) < 2:
            continue
        how = "所列各项" if not has_chain else "加减各项"
        judge_sum(ctx, "sum-of-parts", t.m, terms, how)


def _role_name(f: Fig) -> str:
    return {"add": "加项", "subtract": "减项"}.get(f.role, "分项")


def _chain_from_before(ctx: CheckContext, para: Paragraph, before: Paragraph | None, t: Fig,
                       terms: list[Term]) -> None:
    """加上…后，总额达Z: the base stands in the sentence before; the candidates of that
    sentence are tried nearest first."""
    pool: list[Fig] = []
    if t.sentence > 0:
        pool = [f for f in para.figs if f.sentence == t.sentence - 1]
    elif before is not None and before.figs:
        pool = [f for f in before.figs if f.sentence == before.figs[-1].sentence]
    candidates = [f for f in reversed(pool) if f.family == t.family and f.depth == 0
                  and f.role in _LEVELS]
    for c in candidates:
        chain = [Term(c.m, "基数"), *terms]
        if holds_sum(t.m, chain):
            judge_sum(ctx, "sum-of-parts", t.m, chain, "基数与加减各项")
            return
    if len(candidates) == 1:
        judge_sum(ctx, "sum-of-parts", t.m, [Term(candidates[0].m, "基数"), *terms],
                  "基数与加减各项", below="warning", above="warning")


# ---------------------------------------------------------------------------- ratios


_NAME_LEAD = re.compile(r"^(?:全县|全市|全区|全省|项目支出目标|截至\S*?|其中|已|共|累计)+")
_NAME_TAIL = re.compile(r"(?:为|达|达到|是|完成|共计|共)+$")


def _named(f: Fig) -> str:
    """A figure with the words that name it, for a message: 实际执行金额47967.66万元."""
    name = _NAME_TAIL.sub("", _NAME_LEAD.sub("", f.label))
    if not 2 <= len(name) <= 12 or re.search(r"[\d%]", name):
        return shown(f.m)
    return name + shown(f.m)


def _rate_word(p: Fig) -> str:
    """The rate by its catalog name when it has a key (预算执行率), else as the sentence
    names it (支付率 …)."""
    if p.m.key is not None and p.m.label and p.m.label != p.m.key:
        return p.m.label
    found = vocabulary().rate.search(p.label)
    word = re.sub(r"(?:为|达|达到|是)$", "", found.group(0)) if found else ""
    return word or "执行率"


def _numerator_before(para: Paragraph, f: Fig) -> Fig | None:
    found = [g for g in para.figs if g.start < f.start and g.sentence == f.sentence
             and g.family == f.family and g.depth == f.depth and g.role in ("level", "total")]
    return found[-1] if found else None


def _ratios(ctx: CheckContext, para: Paragraph) -> None:
    """完成预算数Y的X% / 占Y的X%: X = the subject's amount ÷ Y; 超收 = amount − Y."""
    for p in para.figs:
        if p.role != "ratio" or p.den is None:
            continue
        d = p.den
        n = _numerator_before(para, d)
        if n is None:
            continue
        judge_formula(
            ctx, "rate", Term(p.m, "比率"), [Term(n.m, "分子"), Term(d.m, "分母")],
            lambda a, b: a / b * HUNDRED, f"{shown(p.m)} = {shown(n.m)} ÷ {shown(d.m)}",
            lambda c, dd, n=n, d=d, p=p: (f"写为{shown(p.m)}，按{_named(n)}÷{_named(d)}计算应为"
                                          f"{fmt(c, dd)}%"))
        # 超收/短收 right after: the amount less the budget
        after = [g for g in para.figs if g.start > p.start and g.sentence == p.sentence
                 and g.family == n.family]
        if after and after[0].role == "change" and after[0].versus == "budget":
            c = after[0]
            judge_formula(
                ctx, "difference", Term(c.m, "超收额"), [Term(n.m, "完成数"), Term(d.m, "预算数")],
                lambda a, b: abs(a - b), f"{shown(c.m)} = {shown(n.m)} − {shown(d.m)}",
                lambda x, dd, c=c: f"写为{shown(c.m)}，按完成数减预算数计算应为{fmt(x)}{c.m.unit}",
                decimals=0)


def _rates(ctx: CheckContext, para: Paragraph) -> None:
    """执行率/支付率 X%: the spent amount ÷ the budget, both before it (every budget named
    in the sentence is tried: 年初预算 and 调整后预算 are both in use)."""
    v = vocabulary()
    for p in para.figs:
        if p.role != "rate":
            continue
        pool = [g for g in para.figs if g.start < p.start and g.sentence >= p.sentence - 1
                and g.depth <= p.depth and g.family in ("money",) and g.role in _LEVELS]
        same = [g for g in pool if g.sentence == p.sentence]
        pool = same if len(same) >= 2 else pool
        nums = [g for g in pool if g.role in ("level", "total") and
                v.rate_numerator.search(g.label)]
        if not nums:
            _rate_from_remainder(ctx, p, pool)
            continue
        n = nums[-1]
        dens = [g for g in pool if g.start < n.start and g.role in ("level", "total")
                and v.rate_denominator.search(g.label)]
        if not dens:
            dens = [g for g in pool if g.start < n.start and g.role in ("level", "total")]
        if not dens:
            continue
        dens = dens[::-1][:3]
        fn = lambda a, b: a / b * HUNDRED  # noqa: E731
        chosen = next((d for d in dens if holds_formula(fn, p.m, [n.m, d.m])), None)
        explicit = bool(v.rate_denominator.search(dens[0].label)) and n.sentence == p.sentence
        d = chosen or dens[0]
        judge_formula(
            ctx, "rate", Term(p.m, "执行率"), [Term(n.m, "执行数"), Term(d.m, "预算数")], fn,
            f"{shown(p.m)} = {shown(n.m)} ÷ {shown(d.m)}",
            lambda c, dd, n=n, d=d, p=p: (f"{_rate_word(p)}写为{shown(p.m)}，按{_named(n)}÷{_named(d)}"
                                          f"计算应为{fmt(c, dd)}%，相差"
                                          f"{fmt(abs(c - p.m.value), dd)}个百分点"),
            verdict_on_fail="error" if explicit and len(dens) == 1 else "warning")


def _rate_from_remainder(ctx: CheckContext, p: Fig, pool: list[Fig]) -> None:
    """资金45.66亿元，未分配0.32亿元，分配率99.3%: the rate is (total − remainder) ÷ total."""
    rems = [g for g in pool if g.role == "remainder" and g.sentence == p.sentence]
    if not rems:
        return
    u = rems[-1]
    dens = [g for g in pool if g.start < u.start and g.role in ("level", "total")]
    if not dens:
        return
    d = dens[-1]
    judge_formula(
        ctx, "rate", Term(p.m, "比率"), [Term(d.m, "总数"), Term(u.m, "未用数")],
        lambda a, b: (a - b) / a * HUNDRED,
        f"{shown(p.m)} = （{shown(d.m)} − {shown(u.m)}）÷ {shown(d.m)}",
        lambda c, dd: (f"写为{shown(p.m)}，按（{shown(d.m)}−{shown(u.m)}）÷{shown(d.m)}计算应为"
                       f"{fmt(c, dd)}%"), verdict_on_fail="warning")


def _remainders(ctx: CheckContext, para: Paragraph) -> None:
    """结余/未分配 Z after the budget and the spent amount: Z = budget − spent."""
    v = vocabulary()
    for r in para.figs:
        if r.role != "remainder" or r.family != "money" or r.result:
            continue  # a chain's result (收入总计…减支出总计…结余) is checked as the chain
        pool = [g for g in para.figs if g.start < r.start and g.sentence == r.sentence
                and g.family == "money" and g.depth == r.depth
                and g.role in ("level", "total", "subtract")]
        if len(pool) < 2:
            continue
        spent = [g for g in pool if v.rate_numerator.search(g.label)]
        if not spent:
            continue
        n = spent[-1]
        dens = [g for g in pool if g.start < n.start]
        if not dens:
            continue
        d = dens[-1]
        judge_formula(
            ctx, "difference", Term(r.m, "结余"), [Term(d.m, "预算数"), Term(n.m, "已用数")],
            lambda a, b: a - b, f"{shown(r.m)} = {shown(d.m)} − {shown(n.m)}",
            lambda x, dd, r=r: f"写为{shown(r.m)}，按预算数减已用数计算应为{fmt(x)}{r.m.unit}",
            verdict_on_fail="warning", decimals=0)


def _shares(ctx: CheckContext, para: Paragraph, state: State) -> None:
    """占比 X% after a part: the part ÷ its whole; 占 + a named whole: the named figures."""
    whole_of = {id(p): b.whole for b in state.breakdowns for p in b.parts}
    figs = para.figs
    for k, p in enumerate(figs):
        if p.role == "share" and k:
            part = figs[k - 1]
            if part.family == "percent" or part.family == "points":
                continue
            whole = whole_of.get(id(part))
            known = whole is not None
            if whole is None:
                earlier = [f for f in figs[:k - 1] if f.family == part.family and f.depth == 0
                           and f.role in ("level", "total") and not f.grade]
                whole = earlier[-1] if earlier else None
            if whole is None:
                continue
            _judge_share(ctx, p, part, whole, "error" if known else "warning")
        elif p.role == "share-named" and p.whole_label:
            subject = p.label[:p.label.find("占")].strip()
            part = _labelled(para, p, subject) if subject else (figs[k - 1] if k else None)
            whole = _labelled(para, p, p.whole_label, exclude=part)
            if whole is None and part is not None:
                whole = whole_of.get(id(part))  # 1个项目评为优，占评定项目的2.44%
            if whole is None or part is None or part is whole or part.family != whole.family:
                continue
            _judge_share(ctx, p, part, whole, "warning")


def _judge_share(ctx: CheckContext, p: Fig, part: Fig, whole: Fig, verdict: str) -> None:
    judge_formula(
        ctx, "share", Term(p.m, "占比"), [Term(part.m, "部分"), Term(whole.m, "整体")],
        lambda a, b: a / b * HUNDRED, f"{shown(p.m)} = {shown(part.m)} ÷ {shown(whole.m)}",
        lambda c, dd: (f"占比写为{shown(p.m)}，按{shown(part.m)}÷{shown(whole.m)}计算应为"
                       f"{fmt(c, dd)}%"), verdict_on_fail=verdict)


_PREFIX = re.compile(r"^(?:全县|全市|全省|全区|全州|全国|本级|同期|总|全部|累计)+")


def _labelled(para: Paragraph, p: Fig, name: str, exclude: Fig | None = None) -> Fig | None:
    """The figure before ``p`` in the paragraph whose label names ``name``: one whose label
    holds the name (less 全县/总/累计…), else one sharing most of it."""
    core = _PREFIX.sub("", name)
    if len(core) < 2:
        return None
    pool = [f for f in para.figs if f.start < p.start and f.role in ("level", "total")
            and f.family != "percent" and f is not exclude]
    exact = [f for f in pool if core in f.label]
    if exact:
        return exact[-1]
    near = [f for f in pool if _common(core, f.label) >= max(4, len(core) - 2)]
    return near[-1] if near else None


def _common(a: str, b: str) -> int:
    best = 0
    for i in range(len(a)):
        for j in range(i + best + 1, len(a) + 1):
            if a[i:j] in b:
                best = j - i
            else:
                break
    return best


# ---------------------------------------------------------------------------- growth


def _growth(ctx: CheckContext, para: Paragraph, before: Paragraph | None) -> None:
    """This year's figure L, last year's B, the change C and the growth G: any two of
    L, B, C give the third, and G = C ÷ (L − C) = (L − B) ÷ B."""
    figs = para.figs
    for k, g in enumerate(figs):
        if g.role not in ("growth", "change") or (g.role == "change" and g.versus != "previous"):
            continue
        if g.role == "change":
            _difference(ctx, para, g)
            continue
        near = [f for f in figs if f.sentence == g.sentence and f.role == "change"
                and f.versus == "previous" and abs(f.index - g.index) == 1]
        c = near[0] if near else None
        base = [f for f in figs[:k] if f.sentence == g.sentence and f.role == "base"
                and f.depth <= g.depth]
        b = base[-1] if base else None
        family = (c or b).family if (c or b) else None
        if family is None:
            continue
        stop = min(x.start for x in (c, b) if x is not None)
        levels = [f for f in figs if f.start < stop and f.sentence == g.sentence
                  and f.family == family and f.role in ("level", "total") and f.depth == 0]
        if not levels and g.sentence > 0:
            levels = [f for f in figs if f.sentence == g.sentence - 1 and f.family == family
                      and f.role in ("level", "total") and f.depth == 0]
        el = levels[-1] if levels else None
        sign = Decimal(g.sign)
        signed = sign * g.m.value
        if c is not None and c.sign != g.sign and c.m.value and g.m.value:
            ctx.report("growth", "error",
                       f"{shown(c.m)}与{shown(g.m)}方向相反：一处写增加，一处写减少",
                       [g.m, c.m], shown(g.m), None)
            ctx.decide("growth", g.m)
            continue
        if b is not None and el is not None:
            judge_formula(
                ctx, "growth", Term(g.m, "增长率"), [Term(el.m, "本年数"), Term(b.m, "上年数")],
                lambda a, z: (a - z) / z * HUNDRED,
                f"{shown(g.m)} = （{shown(el.m)} − {shown(b.m)}）÷ {shown(b.m)}",
                lambda x, dd, el=el, b=b, g=g: (f"增长率写为{_signed(g)}，按本年{shown(el.m)}、上年"
                                           f"{shown(b.m)}计算应为{_growth_text(x, dd)}"),
                signed=signed)
        elif c is not None and el is not None:
            cs = Decimal(c.sign)
            judge_formula(
                ctx, "growth", Term(g.m, "增长率"), [Term(c.m, "增加额"), Term(el.m, "本年数")],
                lambda a, z, cs=cs: cs * a / (z - cs * a) * HUNDRED,
                f"{shown(g.m)} = {shown(c.m)} ÷（{shown(el.m)} {'−' if cs > 0 else '＋'} "
                f"{shown(c.m)}）",
                lambda x, dd, c=c, el=el, cs=cs, g=g: (
                    f"增长率写为{_signed(g)}，按{'增加' if cs > 0 else '减少'}{shown(c.m)}÷上年"
                    f"{fmt(el.m.value - cs * c.m.value)}{el.m.unit}（{shown(el.m)}"
                    f"{'−' if cs > 0 else '＋'}{shown(c.m)}）计算应为{_growth_text(x, dd)}"),
                signed=signed)
        elif c is not None and b is not None:
            cs = Decimal(c.sign)
            judge_formula(
                ctx, "growth", Term(g.m, "增长率"), [Term(c.m, "增加额"), Term(b.m, "上年数")],
                lambda a, z, cs=cs: cs * a / z * HUNDRED,
                f"{shown(g.m)} = {shown(c.m)} ÷ {shown(b.m)}",
                lambda x, dd, g=g: f"增长率写为{_signed(g)}，按增加额÷上年数计算应为{_growth_text(x, dd)}",
                signed=signed)


def _growth_text(x: Decimal, decimals: int) -> str:
    """A computed growth rate for people: 8.7%, 下降10.0%."""
    return f"下降{fmt(-x, decimals)}%" if x < 0 else f"{fmt(x, decimals)}%"


def _signed(f: Fig) -> str:
    return ("下降" if f.sign < 0 else "") + shown(f.m)


def _difference(ctx: CheckContext, para: Paragraph, c: Fig) -> None:
    """较上年同期B增加C, after this year's L: C = L − B (a change in 百分点 against two
    percentages: 达成率33.57%，较同期（38.40%）低4.83个百分点)."""
    figs = para.figs
    k = c.index
    family = "percent" if c.family == "points" else c.family
    between = [f for f in figs[:k] if f.sentence == c.sentence and f.family == family]
    base = [f for f in between if f.role == "base"]
    if not base or any(f.role in ("level", "total") for f in between if f.start > base[-1].start):
        return
    b = base[-1]
    levels = [f for f in between if f.start < b.start and f.depth == 0 and (
        f.role in ("level", "total") or (family == "percent" and f.role in ("rate", "other")))]
    if not levels:
        return
    el = levels[-1]
    cs = Decimal(c.sign)
    judge_formula(
        ctx, "difference", Term(c.m, "增加额"), [Term(el.m, "本年数"), Term(b.m, "上年数")],
        lambda a, z: cs * (a - z), f"{shown(c.m)} = {shown(el.m)} − {shown(b.m)}",
        lambda x, dd: (f"写为{'减少' if cs < 0 else '增加'}{shown(c.m)}，按本年{shown(el.m)}"
                       f"减上年{shown(b.m)}计算应为{'减少' if cs * x < 0 else '增加'}"
                       f"{fmt(abs(x))}{'个百分点' if c.m.unit == '百分点' else c.m.unit}"))


# ---------------------------------------------------------------------------- changes


def _change_of(para: Paragraph, f: Fig) -> Fig | None:
    """The change stated right after a figure, before the next figure of its kind."""
    for g in para.figs[f.index + 1:]:
        if g.family != f.family:
            continue
        if g.role == "change" and g.versus == "previous":
            return g
        if g.role in ("level", "total") or g.sentence != f.sentence:
            return None
    return None


def _change_sums(ctx: CheckContext, para: Paragraph, state: State) -> None:
    """A breakdown that adds up: the changes of its parts add up to the change of its whole
    (implied, so a mismatch is a warning)."""
    for b in state.breakdowns:
        if b.verdict != "verified" or len(b.parts) < 2:
            continue
        cw = _change_of(para, b.whole)
        cs = [_change_of(para, p) for p in b.parts]
        if cw is None or any(c is None for c in cs):
            continue
        terms = [Term(c.m, f"部分{i + 1}的增减", c.sign * cw.sign)  # type: ignore[union-attr]
                 for i, c in enumerate(cs)]
        judge_sum(ctx, "sum-of-parts", cw.m, terms, "各部分的增减额", below="warning",
                  above="warning", note="；各部分之和与总数相符，各部分的增减额之和也应等于总数的增减额")


# ---------------------------------------------------------------------------- implied


def _implied_partitions(ctx: CheckContext, para: Paragraph, state: State) -> None:
    """对6个项目开展评估，决定对2个项目不予支持，对4个项目调整完善 / 调减191万元，调配到
    新增项目63万元和原有项目128万元: a whole shared out later in its sentence with no word
    that says so. Only verified: a run of the figures after it that adds up to it exactly;
    anything else says nothing (the sentence does not state the relation)."""
    settled = {id(p) for b in state.breakdowns if b.verdict not in ("uncertain", "seen")
               for p in [b.whole, *b.parts]}
    figs = [f for f in para.figs if f.depth == 0 and f.role in _PART_ROLES
            and (f.family == "money" or f.family.startswith("count"))]
    for k, whole in enumerate(figs):
        if id(whole) in settled:
            continue
        after = [f for f in figs[k + 1:] if f.sentence == whole.sentence
                 and f.family == whole.family and id(f) not in settled]
        for n in range(min(len(after), 6), 1, -1):
            run = after[:n]
            if holds_sum(whole.m, [Term(f.m, "") for f in run]) and sum(
                    (f.m.value for f in run), Decimal(0)) == whole.m.value:
                judge_sum(ctx, "sum-of-parts", whole.m, [Term(f.m, f"部分{i + 1}")
                                                         for i, f in enumerate(run)],
                          "其后所分各项", below="uncertain", above="uncertain")
                state.claimed.update(id(f) for f in run)
                break


def _complementary_pairs(ctx: CheckContext, para: Paragraph, earlier: list[Paragraph],
                         state: State) -> None:
    """中央…收入A；地方…收入B — after 全国…收入W: both sides of a complementary pair and a
    whole named by what they share, in this paragraph or the three before it. Only
    verified (the text implies, not states, it)."""
    v = vocabulary()
    pool = [f for p in [*earlier[-3:], para] for f in p.figs
            if f.depth == 0 and f.role in ("level", "total") and f.family == "money"]
    for group in v.complementary:
        for k, a in enumerate(para.figs):
            if a.role not in ("level", "total") or a.family != "money" or id(a) in state.claimed:
                continue
            if group[0] not in a.label:
                continue
            rest_a = a.label.replace(group[0], "")
            b = next((f for f in para.figs[k + 1:k + 4] if f.family == "money"
                      and f.role in ("level", "total") and group[1] in f.label), None)
            if b is None or len(rest_a) < 2:
                continue
            wholes = [w for w in pool if w.start < a.start and w is not a and w is not b
                      and _common(rest_a, w.label) >= min(len(rest_a), 4)]
            for w in reversed(wholes):
                terms = [Term(a.m, group[0]), Term(b.m, group[1])]
                if holds_sum(w.m, terms):
                    judge_sum(ctx, "sum-of-parts", w.m, terms, f"{group[0]}与{group[1]}",
                              below="uncertain", above="uncertain")
                    break
