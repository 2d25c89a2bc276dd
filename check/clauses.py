"""How the figures of a paragraph stand to one another, read from the sentence itself.

A figure without a catalog key still says what it is by the words before it: 比上年增收
1284万元 is a change, 增长18.8% a growth rate, 完成年初预算数60999万元的40.4% a denominator
and its ratio, 其中… opens the parts of the figure before it, 合计/共计 closes a list,
加上… / 减… are the operands of a chain. :func:`read_paragraphs` gives every figure of the
running text a :class:`Fig` with that reading (its role, its sign, its label, its depth in
parentheses, its sentence and clause); :mod:`jixiao.check.structural` builds the relations.

The vocabulary is data (``check/data/structure.yaml``); the patterns read the simplified
text (``Document.plain``) with ASCII punctuation folded to Chinese, so offsets stay those of
``Document.text``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from jixiao.check.context import CheckContext, load_check_yaml
from jixiao.check.tolerance import Written, decimals_of
from jixiao.extract.metrics import Metric
from jixiao.extract.quantities import parse_number

__all__ = ["Fig", "Paragraph", "fold", "folded", "read_paragraphs", "vocabulary", "written"]

_FOLD = str.maketrans({",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "!": "！",
                       "?": "？", "[": "【", "]": "】", "\u3000": " "})
_PUNCT = "，；。：、（）！？【】\n"
_OPEN, _CLOSE = "（【", "）】"
_SENTENCE_END = "。！？\n"
_KINDS = ("money", "count", "percent", "score")


# Pinyin glosses some pages print after characters (直达(dá)资金): blanked, same length.
_GLOSS = re.compile(r"[（(][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{2,7}[)）]")


def folded(ctx: CheckContext) -> str:
    """The document's simplified text, folded (:func:`fold`), made once per check."""
    text = ctx.__dict__.get("_folded")
    if text is None:
        text = ctx.__dict__["_folded"] = fold(ctx.doc.plain)
    return text


def fold(text: str) -> str:
    """ASCII punctuation as Chinese, one character for one, pinyin glosses blanked
    (offsets are kept)."""
    return _GLOSS.sub(lambda m: " " * len(m.group(0)), text).translate(_FOLD)


@dataclass(frozen=True)
class Vocabulary:
    growth: re.Pattern[str]
    decrease: re.Pattern[str]
    change: re.Pattern[str]
    change_versus_budget: re.Pattern[str]
    points_change: re.Pattern[str]
    points_decrease: re.Pattern[str]
    not_change: re.Pattern[str]
    base: re.Pattern[str]
    ratio_verbs: re.Pattern[str]
    ratio_after: re.Pattern[str]
    rate: re.Pattern[str]
    rate_not: re.Pattern[str]
    rate_numerator: re.Pattern[str]
    rate_denominator: re.Pattern[str]
    remainder: re.Pattern[str]
    share: re.Pattern[str]
    share_named: re.Pattern[str]
    total: re.Pattern[str]
    sub_item: re.Pattern[str]
    add: re.Pattern[str]
    subtract: re.Pattern[str]
    result: re.Pattern[str]
    breakdown: re.Pattern[str]
    breakdown_intro: re.Pattern[str]
    part_stop: re.Pattern[str]
    not_partition: re.Pattern[str]
    respectively: re.Pattern[str]
    count_then_in: re.Pattern[str]
    grades: re.Pattern[str]
    grade_context: re.Pattern[str]
    per_unit: re.Pattern[str]
    complete_grades: frozenset[str]
    complementary: tuple[tuple[str, ...], ...]
    count_family: dict[str, str]


@cache
def vocabulary() -> Vocabulary:
    data: dict[str, Any] = load_check_yaml("structure.yaml")
    patterns = {k: re.compile(v) for k, v in data.items() if isinstance(v, str)}
    family = {}
    for group in data["count_families"]:
        for unit in group:
            family[unit] = group[0]
    return Vocabulary(**patterns, complete_grades=frozenset(data["complete_grades"]),
                      complementary=tuple(tuple(g) for g in data["complementary"]),
                      count_family=family)


@dataclass(eq=False)
class Fig:
    """A figure of the running text as its sentence presents it."""

    m: Metric
    index: int                     # position among the paragraph's figures
    lead: str                      # words since the previous figure (or the paragraph start)
    label: str                     # the lead after its last punctuation
    depth: int                     # parentheses around it
    group: int                     # offset of the innermost open parenthesis, or -1
    sentence: int                  # sentence number in the paragraph
    clause: int                    # ；-clause number in the paragraph
    family: str                    # money, percent, points, score, count:<unit>
    role: str = "level"            # level, change, growth, base, den, ratio, rate, share,
    #                                share-named, total, add, subtract, remainder, other
    sign: int = 1                  # a change or growth: +1 increase, −1 decrease
    versus: str = "previous"       # a change: against last year, or the budget (超收)
    den: Fig | None = None         # a ratio: its denominator
    grade: str | None = None       # the grade its clause names
    whole_label: str | None = None  # share-named: the named whole
    result: bool = False           # states the result of the list or chain before it

    @property
    def start(self) -> int:
        return self.m.start

    @property
    def end(self) -> int:
        return self.m.end

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Fig({self.m.surface} {self.role} {self.label!r})"


@dataclass
class Paragraph:
    start: int
    end: int
    text: str                      # folded simplified text of the paragraph
    figs: list[Fig] = field(default_factory=list)
    sentence_starts: list[int] = field(default_factory=list)  # paragraph-relative

    def slice(self, a: int, b: int) -> str:
        return self.text[max(a, self.start) - self.start:max(min(b, self.end), self.start) - self.start]

    def sentence_of(self, offset: int) -> int:
        return max(bisect.bisect_right(self.sentence_starts, offset - self.start) - 1, 0)


def _family(m: Metric) -> str:
    if m.kind == "money":
        return "money"
    if m.kind == "percent":
        return "points" if m.unit == "百分点" else ("percent" if m.unit == "%" else "other")
    if m.kind == "count":
        return "count:" + vocabulary().count_family.get(m.unit, m.unit)
    if m.kind == "score":
        return "score"
    return "other"


def written(m: Metric) -> Written:
    """The figure's value with the precision it is written with."""
    value = m.value if m.value is not None else Decimal(0)
    nt = m.number_text or ""
    at = m.surface.find(nt) if nt else -1
    unit_text = m.surface[at + len(nt):].strip() if at >= 0 else m.unit
    try:
        number = parse_number(nt) if nt else value
        scale = value / number if number else Decimal(1)
    except (ValueError, InvalidOperation, ArithmeticError):
        scale = Decimal(1)
    step = scale * Decimal(10) ** -decimals_of(nt) if re.search(r"\d", nt) else scale
    exact = m.kind == "count" and "." not in nt
    return Written(value, abs(step) or Decimal(1), exact, unit_text)


def usable_figures(ctx: CheckContext) -> list[Metric]:
    """Figures of the running text a relation can rest on: a value, not a placeholder, not
    a threshold or a rule, not approximate."""
    out = []
    for m in ctx.metrics:
        if (m.origin != "text" or m.value is None or m.placeholder or m.comparator
                or m.kind not in _KINDS or m.qualifiers.get("approx")):
            continue
        if m.key is not None and m.role != "figure":
            continue
        out.append(m)
    return out


def _depths(text: str) -> list[tuple[int, int]]:
    """(depth, offset of the innermost open parenthesis or −1) at each character."""
    out = []
    stack: list[int] = []
    for i, c in enumerate(text):
        if c in _CLOSE and stack:
            stack.pop()
        out.append((len(stack), stack[-1] if stack else -1))
        if c in _OPEN:
            stack.append(i)
        if c in _SENTENCE_END:
            stack.clear()
    return out


def _label(lead: str) -> str:
    """The words right before a figure; for a figure opening a parenthesis, the words
    before it (较去年同期（4,343亿元）: the parenthesis names last year's figure)."""
    lead = lead.rstrip()
    if lead.endswith(tuple(_OPEN)):
        lead = lead[:-1]
    cut = max(lead.rfind(c) for c in _PUNCT)
    return re.sub(r"\s+", "", lead[cut + 1:])


def read_paragraphs(ctx: CheckContext) -> list[Paragraph]:
    """Every paragraph of running text that holds a figure, its figures read."""
    cached = ctx.__dict__.get("_clause_paragraphs")
    if cached is not None:
        return cached
    v = vocabulary()
    plain = folded(ctx)
    by_para: dict[int, list[Metric]] = {}
    for m in usable_figures(ctx):
        by_para.setdefault(ctx.paragraph_index(m.start), []).append(m)
    paragraphs = []
    for pi, metrics in sorted(by_para.items()):
        p = ctx.doc.paragraphs[pi]
        text = plain[p.start:p.end]
        para = Paragraph(p.start, p.end, text)
        para.sentence_starts = [0] + [i + 1 for i, c in enumerate(text)
                                      if c in _SENTENCE_END and i + 1 < len(text)]
        depths = _depths(text)
        clause_ends = [i for i, c in enumerate(text) if c in "；。！？"]
        metrics.sort(key=lambda m: m.start)
        prev_end = p.start
        for i, m in enumerate(metrics):
            rel = m.start - p.start
            lead = text[max(prev_end - p.start, 0):max(rel, 0)]
            depth, group = depths[rel] if 0 <= rel < len(depths) else (0, -1)
            fig = Fig(m, i, lead, _label(lead), depth, p.start + group if group >= 0 else -1,
                      para.sentence_of(m.start), sum(1 for e in clause_ends if e < rel),
                      _family(m))
            para.figs.append(fig)
            prev_end = m.end
        _roles(para, v)
        paragraphs.append(para)
    ctx.__dict__["_clause_paragraphs"] = paragraphs
    return paragraphs


def _roles(para: Paragraph, v: Vocabulary) -> None:
    figs = para.figs
    for k, f in enumerate(figs):
        label, sign_word = f.label, getattr(f.m, "sign", None)
        if f.family in ("percent",):
            prev = figs[k - 1] if k else None
            if (prev is not None and prev.family not in ("percent", "points")
                    and prev.sentence == f.sentence and v.ratio_after.match(f.lead.strip())
                    and v.ratio_verbs.search(prev.lead)):
                f.role, f.den = "ratio", prev
                prev.role = "den"
            elif v.rate.search(label) and not v.rate_not.search(label):
                f.role = "rate"
            elif v.share.match(label) and prev is not None and prev.sentence == f.sentence:
                f.role = "share"
            elif (named := v.share_named.search(label)) and not v.growth.search(label):
                f.role, f.whole_label = "share-named", named.group("whole")
            elif v.growth.search(label):
                f.role = "growth"
                f.sign = -1 if v.decrease.search(label) or sign_word == "-" else 1
            elif v.base.search(label):
                f.role = "base"  # last year's rate: 较同期（38.40%）低4.83个百分点
            else:
                f.role = "other"
        elif f.family == "points" and v.points_change.search(label):
            f.role = "change"
            f.sign = -1 if v.points_decrease.search(label[-3:]) or sign_word == "-" else 1
        elif f.family in ("points", "score", "other"):
            f.role = "other"
        else:
            if f.role == "den":
                continue
            if v.add.match(label):
                f.role = "add"
            elif v.subtract.match(label) and not v.change.search(label):
                f.role = "subtract"
            elif v.change.search(label) and not v.not_change.search(label[-4:]):
                f.role = "change"
                f.sign = -1 if v.decrease.search(label[-3:]) or sign_word == "-" else 1
                f.versus = "budget" if v.change_versus_budget.search(label) else "previous"
            elif v.base.search(label):
                f.role = "base"
            elif v.remainder.search(label):
                f.role = "remainder"
            elif v.total.search(label):
                f.role = "total"
        f.grade = _grade(para, f, v)


def _grade(para: Paragraph, f: Fig, v: Vocabulary) -> str | None:
    """The grade the figure's clause names before it (“优”的项目有1项，涉及金额460万元)."""
    graded = f.m.qualifiers.get("grade")
    if graded:
        return str(graded)
    rel = f.start - para.start
    clause_start = max(para.text.rfind(c, 0, rel) for c in "；。")
    before = para.text[clause_start + 1:rel]
    if "分别" in before:
        return None  # 优、良、差的项目分别有9个、4个、1个: the grades are shared out in order
    found = _last_grade(before, v)
    if found is None:  # 其中70个项目无偏差，得分为“优”: the grade after the figure
        ends = [i for i in (para.text.find(c, f.end - para.start) for c in "；。") if i >= 0]
        if f.index + 1 < len(para.figs):  # not into the next figure's own label
            nxt = para.figs[f.index + 1]
            ends.append(nxt.start - para.start - len(nxt.label))
        after = para.text[f.end - para.start:min(ends) if ends else len(para.text)]
        found = _last_grade(after, v, first=True)
    return found


_GRADE_WORD = re.compile(r"[“\"‘]([^”\"’]{1,4})[”\"’]|(?:为|评为|等次|等级|结论为|结果为)"
                         r"(优秀|优良|良好|优|良|中等|中|合格|不合格|较差|差)")


def _last_grade(text: str, v: Vocabulary, first: bool = False) -> str | None:
    if not v.grade_context.search(text):
        return None
    found = None
    for mm in _GRADE_WORD.finditer(text):
        word = mm.group(1) or mm.group(2)
        if word and v.grades.fullmatch(word):
            found = word
            if first:
                break
    return found
