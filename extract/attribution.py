"""Attribute each figure of a paragraph to a catalog key and its qualifiers.

A figure's meaning in these reports is spread over its clause: the stage of the work is
named by a cue word (事前评估, 监控, 自评 …) somewhere in the clause or the sentence, or only
by the section heading; what is counted follows the measure word (5个重点项目) or precedes
the number (自评报告76个); the verb frame says whether money was cut, rectified or evaluated;
grades, months, years and fields are stated once and govern the figures around them. The
rules that read this are tables in ``data/attribution.yaml``; this module only knows how a
sentence is built: clauses (，；：), sentences (。), parts opened by 其中, quotes and
parentheses that hold names and remarks rather than statements.

The words are not searched in the string: the pipeline's span rulers have matched them on
jieba's tokens (``doc.spans["cues"]``, ``["nouns"]``, ``["grades"]``, ``["evaluators"]``,
``["fields"]``, ``["frames"]``, see :mod:`jixiao.extract.components`), so a word inside a
longer token is no match (部门评价 in 财政部门评价, 差 in 偏差): segmentation decides.
Numbers, years and months are read with regular expressions, as quantities.py reads them.

Every key comes with a confidence, from where its stage was found (``confidence`` in
attribution.yaml); below the threshold the key is withheld and the candidates are kept.

Unit of work: one paragraph (a spaCy ``Doc``) and the figures found in it, plus a
:class:`Context` saying where the paragraph stands (section stages, the year its headings
state, the report year).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from jixiao.extract.catalog import load_catalog
from jixiao.extract.quantities import Quantity
from jixiao.extract.resources import load_data

__all__ = ["Attribution", "Context", "attribute", "attribute_doc", "document_evaluator",
           "document_topic",
           "form_label", "paragraph_periods", "table_entity_column", "table_entity_name",
           "table_grade", "table_key", "table_stages", "topic_stage", "vocabulary_data",
           "year_of_heading"]

_CLAUSE_BREAKS = "，；：。！？,;:!?\n"
_SENTENCE_BREAKS = "。！？!?\n"
_SEGMENT_BREAKS = "；;。！？!?\n"
_QUOTES = re.compile(r"“[^“”\n]{0,40}”|\"[^\"\n]{0,40}\"|「[^「」\n]{0,40}」")
_TITLES = re.compile(r"《[^《》\n]{0,80}》")
_PARENS = re.compile(r"（[^（）\n]{0,60}）|\([^()\n]{0,60}\)")
# A year or a month that is part of a date (2023年1月29日, 6月20日, 8月底) is a point in time,
# not the period a figure belongs to.
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年(?:度)?(?!\s*\d{1,2}\s*月)(?![底初末])")
_MONTH = re.compile(r"(?<![\d.])(1[0-2]|[1-9])\s*月"
                    r"(?!\s*\d{1,2}\s*(?:[-—–~～至到]\s*\d{1,2}\s*)?[日号])"  # 6月5-6日: a date
                    r"(?![底初末]|上旬|中旬|下旬)")
_MONTH_AHEAD = re.compile(r"\s*(?:1[0-2]|[1-9])\s*月")
_NAMED_DOCUMENT = re.compile(r"《([^《》]{4,60}?(?:报告|说明|总结|情况|通报|自评表))(?:\.\w{2,4})?》")
# A numbered heading (一、 （二） 3、 1.): a part of the document, not what it is about.
_NUMBERED = re.compile(r"^[（(]?[一二三四五六七八九十\d]{1,3}\s*[)）、.．,，]")


@dataclass(frozen=True, slots=True)
class Context:
    """Where a paragraph stands: its section's stage chain and the years that frame it."""

    stages: tuple[str, ...] = ()
    heading_year: int | None = None
    report_year: int | None = None
    # the month of the cumulative period framing the paragraph from outside it (截至4月底 at
    # the start of an earlier paragraph, 1-6月 in the title): see paragraph_periods
    period_month: int | None = None
    # what the whole document is about: its title and its 现将…如下 sentence
    topic: str = ""
    # the paragraph as the document writes it (traditional characters kept), the same length
    # as the text attribution reads: qualifier values are taken from it
    written: str = ""


@dataclass(slots=True)
class Attribution:
    """What a figure is: its catalog key (or None), measure and qualifiers."""

    key: str | None
    measure: str | None
    qualifiers: dict[str, Any] = field(default_factory=dict)
    confidence: float | None = None
    candidates: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Cue:
    start: int
    end: int
    stage: str
    priority: int
    weak: bool = False
    framed: bool = False
    subset: bool = False


@dataclass(frozen=True, slots=True)
class _Item:
    """A revenue or spending item named in a budget report (一般公共预算收入); ``measures``
    by role, empty for an item the catalog does not hold (上划收入) or not meant here."""

    start: int
    end: int
    measures: dict[str, str]


@dataclass(frozen=True, slots=True)
class _Grade:
    start: int
    end: int
    grades: tuple[str, ...]


class _Rules:
    """``data/attribution.yaml`` compiled once (the vocabulary itself is in the pipeline)."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.frame_modifiers = frozenset(data["frame_modifiers"])
        self.frame_bonus = int(data["frame_bonus"])
        # row of the topics table -> (stage, priority, weak)
        self.topics = [(t["stage"], int(t["priority"]), bool(t.get("weak")))
                       for t in data["topics"]]
        self.topic_unless = [frozenset(t.get("unless_section", ())) for t in data["topics"]]
        self.topic_subset = [bool(t.get("subset")) for t in data["topics"]]
        self.field_of_word = {w: f["field"] for f in data["fields"] for w in f.get("words", ())}
        self.topic_sentence = re.compile(data["geometry"]["topic_sentence"])
        self.title_words = re.compile(data["geometry"]["title_words"])
        self.generic_stages = frozenset(data["geometry"]["generic_stages"])
        own = data["own_report"]
        self.own_topic = re.compile(own["topic"])
        self.own_stage = own["stage"]
        self.own_measures = dict(own["measures"])
        self.own_kept = frozenset(own["kept"])
        self.own_bound = re.compile(f"(?:{own['bound']})\\s*$")
        self.own_budget_before = frozenset(own["budget_before"])
        # row of the subjects table -> (measures by role, general budget only)
        self.subjects = [(dict(x.get("measures", {})), bool(x.get("general")))
                         for x in data["subjects"]]
        self.subject_gap = re.compile(data["subject_gap"])
        self.subject_modifiers = frozenset(data["subject_modifiers"])
        self.base_words = re.compile("|".join(map(re.escape, data["base_words"])))
        self.nouns = [n["noun"] for n in data["nouns"]]
        self.continuation = re.compile(data["continuation"])
        self.noun_gap = re.compile(data["noun_gap"])
        self.relative_clause = re.compile(data["relative_clause"])
        self.verb_gap = data["verb_gap"]
        self.measures = [self._measure(m) for m in data["measures"]]
        grades = data["grades"]
        # grade -> (words after it naming its band, the band): 良 + 及以上 -> 良及以上
        self.grade_bands = {b["grade"]: (frozenset(b["words"]), b["band"])
                            for b in grades["bands"]}
        self.band_names = frozenset(b["band"] for b in grades["bands"])
        self.grade_markers = frozenset(grades["markers"])
        self.open_quotes = frozenset(grades["open_quotes"])
        self.close_quotes = frozenset(grades["close_quotes"])
        self.grade_joins = frozenset(grades["joins"])
        self.grade_separators = frozenset(grades["list_separators"])
        self.entity_verb = re.compile(rf"(?:{data['entity_verbs']})\s*$")
        self.entity_verb_any = re.compile(data["entity_verbs"])
        self.entity_verb_first = re.compile(rf"^.*?(?:{data['entity_verbs']})(?:了)?")
        self.entity_skip = re.compile(data["entity_skip"])
        self.list_opener = re.compile(rf"^.*?(?:{data['list_openers']})")
        self.scoring = re.compile(data["scoring_words"])
        self.month_ahead = re.compile(f"(?:{data['periods']['ahead']})\\s*$")
        self.previous_year = re.compile(data["previous_year"])
        self.shared_tail = re.compile(data["list_shared_tail"])
        self.delegated = [(re.compile(d["pattern"]), d["evaluator"])
                          for d in data["delegated_evaluators"]]
        self.label_entity = re.compile(data["label_entity"])
        self.label_not = re.compile(data["label_not"])
        subj = data["subject_entity"]
        name = f"[^\\W\\d_{subj['not_in_names']}]"
        place = f"{name}{{1,5}}?(?:{subj['place_suffixes']})"
        self.subject_prefix = re.compile(f"(?:{subj['prefixes']}|[，,：:\\s])*")
        self.subject_level = re.compile(f"(?:{place})?(?:{subj['levels']})")
        self.subject_place = re.compile(f"{place}(?={subj['place_before']})")
        self.list_measure_name = re.compile(data["list_measure_names"])
        self.list_share_words = re.compile(data["list_share_words"])
        self.list_use = re.compile(rf"\s*(?:{data['list_uses']})\s*([^；;。，,]+)")
        columns = [(re.compile(c["pattern"]), {"unit": None, **c}) for c in data["table_columns"]]
        self.table_columns = [(p, c) for p, c in columns if not c.get("form")]
        self.form_columns = [(p, c) for p, c in columns if c.get("form")]
        self.table_home = {c["measure"]: c["home"] for c in data["table_columns"] if c.get("home")}
        self.form_header = re.compile(data["form_header"])
        self.grade_column = re.compile(data["grade_column"])
        self.grade_names = dict(grades["names"])
        self.table_entities = [re.compile(x) for x in data["table_entity"]]
        self.table_entity = re.compile("|".join(data["table_entity"]))
        self.form_label = re.compile(data["form_label"])
        geo = data["geometry"]
        alt = "|".join(map(re.escape, geo["breakdown"]))
        self.breakdown = re.compile(alt)
        self.back_reference = re.compile("|".join(map(re.escape, geo["back_reference"])))
        self.distribute = re.compile("|".join(map(re.escape, geo["distribute"])))
        words = "|".join(map(re.escape, geo["noun_stop"]))
        self.noun_stop = re.compile(rf"[，。；、：（(,;:]|{words}")
        self.checkpoint_stages = tuple(geo["checkpoint_stages"])
        self.year_frame = re.compile(f"(?:{'|'.join(map(re.escape, geo['year_frames']))})$")
        self.fund_stages = frozenset(geo["fund_stages"])
        self.category_suffixes = tuple(geo["category_suffixes"])
        self.flow_words = re.compile(geo["flow_words"])
        self.flow_opening = re.compile(geo["flow_opening"])
        self.part_parens = re.compile(geo["part_parens"])
        periods = data["periods"]
        self.period_patterns = [re.compile(p) for p in periods["patterns"]]
        self.period_words = {w: int(m) for w, m in periods["words"].items()}
        words = sorted(self.period_words, key=len, reverse=True)
        self.period_word = re.compile("|".join(map(re.escape, words)))
        self.period_resets = re.compile("|".join(map(re.escape, periods["resets"])))
        prefixes = sorted(geo["entity_prefixes"], key=len, reverse=True)
        self.entity_prefix = re.compile(f"^(?:{'|'.join(map(re.escape, prefixes))})")
        conf = data["confidence"]
        self.threshold = float(conf["threshold"])
        self.source_confidence = {k: float(v) for k, v in conf["sources"].items()}
        self.contested = float(conf["contested"])

    def _measure(self, row: dict[str, Any]) -> dict[str, Any]:
        rule = dict(row)
        if "unit" in rule and isinstance(rule["unit"], str):
            rule["unit"] = [rule["unit"]]
        if "clause" in rule:
            rule["clause"] = re.compile(rule["clause"])
        if "before" in rule:
            rule["before"] = re.compile(f"(?:{rule['before']}){self.verb_gap}")
        if "after" in rule:
            rule["after"] = re.compile(f"(?:{rule['after']})")
        if "lead" in rule:
            rule["lead"] = re.compile(rule["lead"])
        return rule


def vocabulary_data() -> dict[str, Any]:
    """``attribution.yaml``, checked against its schema (the span rulers' source)."""
    return load_data("attribution.yaml")


@cache
def rules() -> _Rules:
    """The compiled attribution rules (built on first use)."""
    return _Rules(vocabulary_data())


# ----------------------------------------------------------------------- text geometry


class _Text:
    """A paragraph with its clause, sentence and segment boundaries and masked regions."""

    def __init__(self, doc: Any, r: _Rules) -> None:
        self.doc = doc
        self._spans: dict[str, list[Any]] = {}
        text = self.text = doc.text
        self.clause_breaks = [i for i, c in enumerate(text) if c in _CLAUSE_BREAKS]
        self.sentence_breaks = [i for i, c in enumerate(text) if c in _SENTENCE_BREAKS]
        # 其中 opens a breakdown whose parts do not share what the whole said before it.
        seg = {i for i, c in enumerate(text) if c in _SEGMENT_BREAKS}
        seg |= {m.start() - 1 for m in r.breakdown.finditer(text)}
        self.segment_breaks = sorted(seg)
        self.quoted = [m.span() for m in _QUOTES.finditer(text)]
        self.titles = [m.span() for m in _TITLES.finditer(text)]
        self.parens = [m.span() for m in _PARENS.finditer(text)]

    @staticmethod
    def _unit(breaks: list[int], i: int, n: int) -> tuple[int, int]:
        k = bisect.bisect_left(breaks, i)
        start = breaks[k - 1] + 1 if k > 0 else 0
        end = breaks[k] if k < len(breaks) else n
        return start, end

    def clause(self, i: int) -> tuple[int, int]:
        return self._unit(self.clause_breaks, i, len(self.text))

    def sentence(self, i: int) -> tuple[int, int]:
        return self._unit(self.sentence_breaks, i, len(self.text))

    def segment(self, i: int) -> tuple[int, int]:
        return self._unit(self.segment_breaks, i, len(self.text))

    def item(self, i: int, sentence: tuple[int, int]) -> tuple[int, int]:
        """The list item of the sentence holding offset ``i``: the part between ；."""
        start = max((self.text.rfind(c, sentence[0], i) for c in "；;"), default=-1)
        ends = [e for c in "；;" if (e := self.text.find(c, i, sentence[1])) >= 0]
        return (start + 1 if start >= 0 else sentence[0]), min(ends, default=sentence[1])

    def clauses_before(self, clause_start: int, sentence_start: int) -> list[tuple[int, int]]:
        """Earlier clauses of the sentence, nearest first."""
        out = []
        end = clause_start - 1  # the break that closes the previous clause
        while end > sentence_start:
            start = max(self.clause(end - 1)[0], sentence_start)
            out.append((start, end))
            end = start - 1
        return out

    def context_clause(self, clause: tuple[int, int], r: _Rules) -> tuple[int, int]:
        """The clause, widened to the one before when it only continues it."""
        if clause[0] > 0 and r.continuation.match(self.text, clause[0], clause[1]) \
                and self.text[clause[0] - 1] in "，,":
            return self.clause(clause[0] - 2)[0], clause[1]
        return clause

    @staticmethod
    def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
        return any(s <= start and end <= e for s, e in spans)

    def in_quote(self, start: int, end: int) -> bool:
        return self._inside(self.quoted, start, end) or self._inside(self.titles, start, end)

    def in_paren(self, start: int, end: int) -> bool:
        return self._inside(self.parens, start, end)

    def spans(self, key: str) -> list[Any]:
        """The spans a vocabulary ruler put on the doc, in text order."""
        if key not in self._spans:
            self._spans[key] = sorted(self.doc.spans.get(key, []),
                                      key=lambda s: (s.start_char, -s.end_char))
        return self._spans[key]

    def token(self, i: int) -> str:
        """Text of token ``i`` ('' outside the doc)."""
        return self.doc[i].text if 0 <= i < len(self.doc) else ""


# ----------------------------------------------------------------------- finders


def _framed(t: _Text, r: _Rules, span: Any) -> bool:
    """A frame verb right before the cue (开展重点评价, 进行了全面绩效评价)."""
    i = span.start - 1
    while i >= 0 and i > span.start - 4 and t.token(i) in r.frame_modifiers:
        i -= 1
    return i >= 0 and any(f.end - 1 == i for f in t.spans("frames"))


def _topic_fields(r: _Rules, ctx: Context) -> frozenset[str]:
    """The fields the document as a whole is about (named in its title or 现将…如下)."""
    return frozenset(f for w, f in r.field_of_word.items() if w in ctx.topic)


def _cues(t: _Text, r: _Rules, ctx: Context) -> list[_Cue]:
    cues: list[_Cue] = []
    whole = _topic_fields(r, ctx)
    # an earlier row of the topics table (a more specific topic) claims its words first
    for span in sorted(t.spans("cues"), key=lambda sp: (int(sp.id_), sp.start_char,
                                                          -sp.end_char)):
        stage, priority, weak = r.topics[int(span.id_)]
        if r.topic_unless[int(span.id_)].intersection(ctx.stages):
            continue  # under this heading the word means something else
        if r.topic_subset[int(span.id_)] and r.field_of_word.get(span.text) in whole:
            continue  # the whole document is about this part of the money
        s, e = span.start_char, span.end_char
        if t.in_quote(s, e) or t.in_paren(s, e):
            continue
        if any(c.start <= s < c.end or s <= c.start < e for c in cues):
            continue
        framed = _framed(t, r, span)
        cues.append(_Cue(s, e, stage, priority + (r.frame_bonus if framed and priority else 0),
                         weak, framed, r.topic_subset[int(span.id_)]))
    return cues


def _items(t: _Text, r: _Rules, ctx: Context) -> list[_Item]:
    """The budget items named in the paragraph, in text order (a longer match first)."""
    out: list[_Item] = []
    fund = bool(r.fund_stages.intersection(ctx.stages))
    for span in sorted(t.spans("subjects"), key=lambda sp: (sp.start_char, -sp.end_char,
                                                             int(sp.id_))):
        s, e = span.start_char, span.end_char
        if out and s < out[-1].end:
            continue
        measures, general = r.subjects[int(span.id_)]
        if measures and (t.token(span.start - 1) in r.subject_modifiers
                         or (general and fund)
                         or r.base_words.search(t.text, t.clause(s)[0], s)):
            measures = {}  # 中央…收入, a fund's 收入总计, 年初…余额: not the headline item
        out.append(_Item(s, e, measures))
    return out


def _item_measure(t: _Text, r: _Rules, items: list[_Item], q: Quantity, rule: dict[str, Any],
                  clause: tuple[int, int], sentence: tuple[int, int]) -> tuple[bool, str | None]:
    """Whether a ``role`` rule holds for ``q`` and the measure its item gives (None: the
    item has no such figure in the catalog)."""
    role = rule["role"]
    if role == "amount":
        # the item's own figure: the item right before it, only subject_gap words between
        near = [it for it in items if clause[0] <= it.start and it.end <= q.start]
        if not near or not near[-1].measures or not r.subject_gap.match(t.text, near[-1].end,
                                                                        q.start):
            return False, None
        return True, near[-1].measures.get(role)
    lead = rule["lead"].search(_without_parens(t, (clause[0], q.start)))
    if lead is None:
        return False, None
    # 完成预算的40.4%, 同比增长8.2%, 占…66.19%: the nearest item named before the lead
    lead_start = clause[0] + lead.start()
    near = [it for it in items if sentence[0] <= it.start and it.end <= lead_start]
    if not any(it.measures for it in near):
        return False, None  # a sentence about no budget item (部门整体支出…占比)
    return True, near[-1].measures.get(role)


def _words_at(t: _Text, i: int, words: frozenset[str]) -> int:
    """How many tokens from token ``i`` on spell one of ``words`` (及以下 = 及 + 以下)."""
    text = ""
    for j in range(i, min(i + 4, len(t.doc))):
        text += t.doc[j].text
        if text in words:
            return j - i + 1
    return 0


def _band_at(t: _Text, r: _Rules, grade: str, i: int) -> tuple[str | None, int]:
    """The band a grade's words from token ``i`` on name (良 + 及以上 → 良及以上) and how many
    tokens they take."""
    words, band = r.grade_bands.get(grade, (frozenset(), None))
    n = _words_at(t, i, words)
    return (band, n) if n else (None, 0)


def _grade_of(t: _Text, r: _Rules, span: Any) -> _Grade | None:
    """The grade a grade word states, if it stands where reports put grades."""
    grade = span.label_
    before = t.token(span.start - 1)
    end = span.end
    band, n = _band_at(t, r, grade, end)
    if before in r.open_quotes and t.token(end + n) in r.close_quotes:
        end += n + 1  # “优”, “中及以下”
        if not n:
            band, n = _band_at(t, r, grade, end)  # “良”及以上
            end += n
    else:
        after = t.token(end + n)
        if not (span.text in r.band_names  # 良及以上 written out is a grade wherever it stands
                or after in r.grade_markers
                or (n and (after in ("的", "") or after in _CLAUSE_BREAKS))  # 良好以上的
                or (before.endswith("为") and (after in ("的", "", "（", "(")
                                              or after in _CLAUSE_BREAKS))):
            return None
        end += n
    return _Grade(span.start_char, t.doc[span.start:end].end_char, (band or grade,))


def _grade_lists(t: _Text, r: _Rules, words: list[Any]) -> list[_Grade]:
    """为优、良、中: grades listed after 为, handed out in order by 分别 later."""
    found = []
    by_start = {w.start: w for w in words}
    for w in words:
        if not t.token(w.start - 1).endswith("为"):
            continue
        seq = [w]
        while t.token(seq[-1].end) in r.grade_separators and seq[-1].end + 1 in by_start:
            seq.append(by_start[seq[-1].end + 1])
        if len(seq) > 1:
            found.append(_Grade(seq[0].start_char, seq[-1].end_char,
                                tuple(x.label_ for x in seq)))
    return found


def _lower_pairs(t: _Text, r: _Rules, words: list[Any]) -> list[_Grade]:
    """“中”和“差” named together: 中及以下."""
    found = []
    by_start = {w.start: w for w in words}
    for w in words:
        if w.label_ != "中" or t.token(w.start - 1) not in r.open_quotes \
                or t.token(w.end) not in r.close_quotes or t.token(w.end + 1) not in r.grade_joins \
                or t.token(w.end + 2) not in r.open_quotes:
            continue
        other = by_start.get(w.end + 3)
        if other is not None and other.label_ == "差" and t.token(other.end) in r.close_quotes:
            found.append(_Grade(t.doc[w.start - 1].idx, t.doc[w.start - 1:other.end + 1].end_char,
                                ("中及以下",)))
    return found


def _grades(t: _Text, r: _Rules) -> list[_Grade]:
    words = t.spans("grades")
    found: list[_Grade] = _lower_pairs(t, r, words) + _grade_lists(t, r, words)
    for w in words:
        if any(g.start <= w.start_char < g.end for g in found):
            continue
        g = _grade_of(t, r, w)
        if g is not None:
            found.append(g)
    return sorted(found, key=lambda g: g.start)


_YEAR_RANGE = re.compile(r"(?:19|20)\d{2}\s*年?\s*(?:-|—|–|~|～|至|到)\s*(?:19|20)\d{2}\s*年")
_YEAR_LIST = re.compile(r"(?:19|20)\d{2}\s*年(?:度)?\s*[、和及与]\s*(?:19|20)\d{2}\s*年")


def _years(t: _Text) -> list[tuple[int, int, int]]:
    """Years that can be a figure's: not in quotes, not a range (2018年-2022年) or a list of
    years (2019年、2020年), which state no one year."""
    several = [m.span() for pat in (_YEAR_RANGE, _YEAR_LIST) for m in pat.finditer(t.text)]
    return [(m.start(), m.end(), int(m.group(1))) for m in _YEAR.finditer(t.text)
            if not t.in_quote(m.start(), m.end())
            and not any(s <= m.start() < e for s, e in several)]


@dataclass(frozen=True, slots=True)
class _Month:
    pos: int
    month: int
    period: bool  # the last month of a cumulative period (截至4月底, 1-6月, 上半年)
    dated: bool   # a month with its year (2024年3月): a date unless it is a period
    year: int | None = None  # the year a cut-off date writes (截至2024年6月20日)


def _months(text: str, r: _Rules) -> list[_Month]:
    """The months the text states: checkpoints (5月监控) and periods (截至4月底)."""
    spans: list[tuple[int, int, int]] = []
    whole_year: set[int] = set()
    written: dict[int, int] = {}
    for pattern in r.period_patterns:
        for m in pattern.finditer(text):
            spans.append((m.start(), m.end(), int(m.group(1))))
            day = m.group(2) if pattern.groups >= 2 else None
            if int(m.group(1)) == 12 and (day is None or int(day) == 31):
                whole_year.add(m.start())
            year = re.search(r"((?:19|20)\d{2})\s*年", m.group(0))
            if year:
                written[m.start()] = int(year.group(1))
    spans += [(m.start(), m.end(), r.period_words[m.group(0)])
              for m in r.period_word.finditer(text)]
    # a period up to the year's end (1-12月, 截至12月31日) is the whole year: no month of
    # its own; a cut-off date before it (截止12月8日) gives its month
    out = [_Month(s, month, True, False, written.get(s)) for s, _, month in spans
           if s not in whole_year]
    for m in _MONTH.finditer(text):
        if not any(s <= m.start() < e for s, e, _ in spans):
            dated = bool(re.search(r"(?:19|20)\d\d\s*年\s*$", text[max(0, m.start() - 8):m.start()]))
            out.append(_Month(m.start(), int(m.group(1)), False, dated))
    return sorted(out, key=lambda x: x.pos)


def _frames(text: str, r: _Rules, months: list[_Month],
            incoming: int | None) -> list[tuple[int, int | None, bool]]:
    """(sentence start, month in effect after it, whether it is a period's) for each sentence
    of a paragraph: a period (截至4月底, 1-6月) frames the sentences that follow; a checkpoint
    month opening a sentence (4月，…) frames only the sentences that go on listing its parts
    (其中：…); a reset word (全年) ends the frame, and so does a sentence stating months
    elsewhere (its months are its own)."""
    out = []
    current: tuple[int | None, bool] = (incoming, True)
    start = 0
    for end in [i for i, c in enumerate(text) if c in _SENTENCE_BREAKS] + [len(text)]:
        if start >= end:
            start = end + 1
            continue
        first = next((i for i in range(start, end) if text[i] in _CLAUSE_BREAKS), end)
        mine = [m for m in months if start <= m.pos < end and (m.period or not m.dated)]
        framing = [m for m in mine if m.period or m.pos < first]
        if framing:
            current = (framing[-1].month, framing[-1].period)
        elif mine or r.period_resets.search(text, start, end):
            current = (None, True)
        out.append((start, *current))
        start = end + 1
    return out


def paragraph_periods(text: str, incoming: int | None = None) -> tuple[int | None, int | None]:
    """The month of the period a paragraph's first sentence states (截至4月底，…; None when
    none) and the period month in effect at its end, given the month framing it from
    outside."""
    r = rules()
    months = _months(text, r)
    frames = _frames(text, r, months, incoming)
    end = next((i for i, c in enumerate(text) if c in _SENTENCE_BREAKS), len(text))
    opening = [m for m in months if m.period and m.pos < end]
    last = frames[-1] if frames else (0, incoming, True)
    return (opening[-1].month if opening else None), (last[1] if last[2] else None)


# ----------------------------------------------------------------------- per figure


def _noun(t: _Text, q: Quantity, neighbours: tuple[Quantity | None, Quantity | None],
          clause: tuple[int, int], r: _Rules) -> tuple[str | None, tuple[int, int] | None]:
    """What a count counts and the span of the words saying it.

    The noun follows the measure word (5个重点项目, 402个项目的绩效目标) or, when nothing
    follows, precedes the number (自评报告76个; in 监控项目213个、247个 the second count
    shares the first one's noun). Words that follow but name no known noun (两个节点)
    mean the count is of something else: no noun.
    """
    previous, following = neighbours
    text = t.text
    nouns = t.spans("nouns")
    after_start = q.end
    if following is not None and following.start - q.end <= 1:
        after_start = following.end  # 33个0.335875亿元涉密项目: the noun follows both
    stop = r.noun_stop.search(text, after_start, clause[1])
    after_end = min(stop.start() if stop else clause[1], after_start + 8)
    if text.startswith("的", after_end):  # 402个项目的绩效目标: the phrase goes on
        more = [n for n in nouns if after_end < n.start_char <= after_end + 5
                and n.end_char <= clause[1]]
        if more:
            after_end = more[0].end_char
    if text[after_start:after_end].strip():
        near = [n for n in nouns if after_start <= n.start_char <= after_start + 4
                and n.start_char < after_end]
        if near:
            first = min(near, key=lambda n: int(n.id_))  # first row of the table wins
            return first.label_, (after_start, max(after_end, first.end_char))
        return _relative_noun(t, q, after_start, following, r)
    if previous is not None and previous.kind == q.kind and \
            re.fullmatch(r"\s*[、和及与]\s*", text[previous.end:q.start]):
        return _noun(t, previous, (None, None), clause, r)
    before = text[clause[0]:q.start].rstrip()
    gap = r.noun_gap.search(before)
    head = before[: gap.start()] if gap else before
    head = re.sub(r"[（(][^（()）]{1,12}[)）]$", "", head.rstrip())  # 评估项目（政策）10个
    head_end = clause[0] + len(head.rstrip())
    if head_end == clause[0] and clause[0] >= 2 and text[clause[0] - 1] in "，,":
        # …实施的政策和项目，共计11个: a count of nothing named counts what the clause before
        # it ended with
        ending = [n for n in nouns if n.end_char == clause[0] - 1]
        if ending:
            m = min(ending, key=lambda n: int(n.id_))
            return m.label_, (m.start_char, m.end_char)
    ending = [n for n in nouns if n.end_char == head_end and n.start_char >= clause[0]]
    if ending:
        m = min(ending, key=lambda n: int(n.id_))
        # 公开绩效目标的项目: the words before 的 say what was done, not what is counted
        de = text.rfind("的", clause[0], m.start_char)
        start = de + 1 if de >= 0 else max(m.start_char - 8, clause[0])
        return m.label_, (start, head_end)
    return None, None


def _relative_noun(t: _Text, q: Quantity, start: int, following: Quantity | None,
                   r: _Rules) -> tuple[str | None, tuple[int, int] | None]:
    """5个预算执行进度较差的项目: the noun right after the 的 that closes a describing
    clause (relative_clause words) after the count, in its sentence and before the next
    figure."""
    sentence = t.sentence(q.start)
    end = min(sentence[1], start + 40, following.start if following else sentence[1])
    de = t.text.find("的", start, end)
    if de < 0 or not r.relative_clause.search(t.text, start, de) \
            or any(c in "；;：:" for c in t.text[start:de]):
        return None, None
    after = [n for n in t.spans("nouns") if n.start_char == de + 1]
    if not after:
        return None, None
    first = min(after, key=lambda n: int(n.id_))
    return first.label_, (start, first.end_char)


def _own_budget_lines(t: _Text, r: _Rules, figs: list[Quantity],
                      found_rules: list[dict[str, Any] | None]) -> None:
    """In a project's own report, 项目资金共2179万元，…已完成拨付2113.63万元，执行率97%: an
    amount of money named before the spending or the rate of its own sentence is the budget
    they are measured against (``budget_before``)."""
    for i, q in enumerate(figs):
        rule = found_rules[i]
        if q.kind != "money" or rule is None or rule.get("measure") != "amount":
            continue
        sentence = t.sentence(q.start)
        mine = [(j, found_rules[j]) for j, f in enumerate(figs)
                if sentence[0] <= f.start < sentence[1]]
        spending = [j for j, x in mine if x is not None and x.get("measure") in r.own_budget_before]
        if spending and i < spending[0]:  # named before the spending (结余0万元 after it is not)
            found_rules[i] = {**rule, "measure": "budget"}


def _measure(t: _Text, q: Quantity, noun: str | None, grade: str | None,
             clause: tuple[int, int], governed: bool, previous_end: int,
             r: _Rules, items: Sequence[_Item] = (), sentence: tuple[int, int] = (0, 0),
             ) -> dict[str, Any] | None:
    """The first measure rule that holds for the figure (None: no rule)."""
    text = t.text
    # Words before a figure belong to it only back to the previous figure (原有一人，后增添
    # 一人共两人: 增添 is the second figure's word, not the third's).
    before = text[max(clause[0], previous_end):q.start]
    clause_text = _without_parens(t, t.context_clause(clause, r))
    own_paren = next(((s, e) for s, e in t.parens if s <= q.start < e), None)
    if own_paren is not None:  # 等级为优良（80分以上）: the figure's own remark is its clause
        clause_text += " " + text[own_paren[0]:own_paren[1]]
    for rule in r.measures:
        if rule["kind"] != q.kind:
            continue
        if "unit" in rule and q.unit not in rule["unit"]:
            continue
        if "noun" in rule and rule["noun"] != noun:
            continue
        if rule.get("grade") and grade is None:
            continue
        if "role" in rule:
            held, measure = _item_measure(t, r, list(items), q, rule, clause, sentence)
            if not held:
                continue
            return {**rule, "measure": measure}
        if rule.get("comparator") and q.comparator is None:
            continue
        if rule.get("verb") and governed and "clause" in rule \
                and not rule["clause"].search(text, q.end, clause[1]):
            continue  # 责令整改的N个项目开展监控: 整改 only modifies what is counted
        if "before" in rule and not rule["before"].search(before):
            continue
        if "clause" in rule and not rule["clause"].search(clause_text):
            continue
        if "after" in rule and not rule["after"].match(text, q.end):
            continue
        return rule
    return None


def _without_parens(t: _Text, span: tuple[int, int]) -> str:
    s, e = span
    chunk = t.text[s:e]
    for ps, pe in t.parens:
        if s <= ps and pe <= e:
            chunk = chunk[: ps - s] + " " * (pe - ps) + chunk[pe - s:]
    return chunk


def _topic_chain(t: _Text, cues: list[_Cue], q: Quantity, clause: tuple[int, int],
                 sentence: tuple[int, int], noun_span: tuple[int, int] | None,
                 ctx: Context, section_first: bool = False,
                 named: Sequence[tuple[int, int]] = (),
                 figures: Sequence[Quantity] = ()) -> list[tuple[str, str]]:
    """Stages to try, most telling first, each with where it was found (see the topics
    and confidence tables of attribution.yaml). ``named``: the words of the paragraph that
    say what a count counts (a cue among them names a thing more than a stage)."""
    def inside(c: _Cue, span: tuple[int, int]) -> bool:
        return span[0] <= c.start and c.end <= span[1]

    def distance(c: _Cue) -> int:
        return q.start - c.end if c.end <= q.start else c.start - q.end

    def naming(c: _Cue) -> bool:
        return any(inside(c, span) for span in named)

    def own_rank(c: _Cue) -> tuple[int, bool, bool, int]:
        mine = noun_span is not None and inside(c, noun_span)
        return (-c.priority, mine, c.weak, distance(c))

    stated: list[tuple[str, str]] = []
    generic: list[tuple[str, str]] = []
    later: list[tuple[str, str]] = []
    own = [c for c in cues if inside(c, clause)]
    if any(c.framed for c in own if c.start >= q.end):
        # a frame verb after the figure says what was done to it: a subset word (专项债券项目
        # 共11个项目开展绩效评价) only says which money
        own = [c for c in own if not (c.subset and c.start < q.start)]
    for c in sorted(own, key=own_rank):
        (stated if c.priority > 0 else generic).append((c.stage, "clause"))
    # An earlier clause of the same list item (up to a ；) is read like the figure's own:
    # a strong cue before a weak one (公开 before the 绩效目标 that names what was
    # published; 直达资金 before 监控), a cue that names what another count counts last.
    # A 其中 clause listing two or more parts (其中项目支出评价4个、部门整体评价2个，涉及部门
    # 单位7个) names parts: the clauses after it speak of the whole.
    item = t.item(clause[0], sentence)
    for span in t.clauses_before(clause[0], item[0]):
        if _lists_parts(t, span, figures):
            continue
        for c in sorted((c for c in cues if inside(c, span)),
                        key=lambda c: (naming(c), -c.priority, c.weak, span[1] - c.end)):
            (stated if c.priority > 0 else generic).append((c.stage, "sentence"))
    # 其中：农业类21项，2.41亿元 opening a sentence lists parts of what the sentence before
    # counted, 此次… speaks of what it named: that sentence's cues are read like earlier
    # clauses.
    opener = _opening_part(t, sentence)
    if opener is not None:
        for c in sorted((c for c in cues if inside(c, opener)),
                        key=lambda c: (-c.priority, opener[1] - c.end)):
            if c.priority > 0 and not c.weak:
                stated.append((c.stage, "sentence"))
    # 对…30万元以上的项目，须开展事前评估: a later clause may say what the figure is for.
    for c in sorted((c for c in cues if clause[1] <= c.start < item[1]),
                    key=lambda c: c.start):
        if c.priority > 0:
            later.append((c.stage, "later"))
    section = [(stage, "section") for stage in ctx.stages]
    # A generic cue (绩效评价) says less than a section devoted to one stage.
    if section_first:
        return [*section, *stated, *later, *generic]
    return [*stated, *section, *later, *generic]


def _lists_parts(t: _Text, span: tuple[int, int], figures: Sequence[Quantity]) -> bool:
    """The clause opens with 其中 and lists two or more parts joined by 、."""
    if not rules().breakdown.match(t.text[span[0]:span[1]].lstrip()):
        return False
    inner = [f for f in figures if span[0] <= f.start < span[1]]
    return len(inner) >= 2 and "、" in t.text[inner[0].end:inner[-1].start]


def _part_of_item(t: _Text, r: _Rules, figs: list[Quantity], item_amount: list[bool],
                  items: list[_Item], i: int) -> bool:
    """Figure ``i`` is a part listed after 其中 (in its sentence, or opening it) of an item's
    amount, and names no item of its own."""
    q = figs[i]
    marks = [m for m in r.breakdown.finditer(t.text, 0, q.start)
             if not any(c in _SENTENCE_BREAKS for c in t.text[m.end():q.start])]
    if not marks:
        return False
    mark = marks[-1]
    whole = [j for j in range(i) if figs[j].end <= mark.start()]
    if not whole or not item_amount[whole[-1]]:
        return False
    return not any(mark.end() <= it.start < q.start and it.measures for it in items)


def _opening_part(t: _Text, sentence: tuple[int, int]) -> tuple[int, int] | None:
    """The sentence before, when this one opens with 其中 and lists its parts, or refers
    back to what it named (此次现场评审会…)."""
    opening = t.text[sentence[0]:sentence[1]].lstrip()
    if sentence[0] < 2 or not (rules().breakdown.match(opening)
                               or rules().back_reference.match(opening)):
        return None
    return t.sentence(sentence[0] - 2)


def _shared_noun(t: _Text, figs: list[Quantity], nouns: list[str | None], i: int,
                 ) -> str | None:
    """其中：农业类21项，…: a part named as a category (category_suffixes) counts what the
    whole before 其中 counted (监管项目79项), when it is counted in the same measure word."""
    q = figs[i]
    start = max(t.text.rfind(c, 0, q.start) for c in "，；：、,;:")
    if not t.text[start + 1:q.start].strip().endswith(rules().category_suffixes):
        return None
    marks = [m for m in rules().breakdown.finditer(t.text, 0, q.start)
             if not any(c in _SENTENCE_BREAKS for c in t.text[m.end():q.start])]
    if not marks:
        return None
    whole = [j for j in range(i) if figs[j].end <= marks[-1].start() and figs[j].kind == "count"]
    if not whole or figs[whole[-1]].unit != q.unit:
        return None
    return nouns[whole[-1]]


def _in_part_paren(t: _Text, r: _Rules, q: Quantity) -> bool:
    """The figure stands in a parenthesis that lists parts (（含…）) of the figure before."""
    return any(s <= q.start < e and r.part_parens.match(t.text, s) for s, e in t.parens)


def _governed(cues: list[_Cue], q: Quantity, clause: tuple[int, int]) -> bool:
    """A frame verb after the figure says what was done to it (对N个项目开展跟踪监控)."""
    return any(c.framed and q.end <= c.start < clause[1] for c in cues)


def _year(t: _Text, years: list[tuple[int, int, int]], figures: list[Quantity],
          q: Quantity, clause: tuple[int, int], sentence: tuple[int, int],
          ctx: Context) -> int | None:
    # a year in parentheses (含2023年转列…) speaks only inside them
    inside = next(((s, e) for s, e in t.parens if s <= q.start < e), None)
    if inside is not None and ctx.report_year:
        # 较去年同期（4,343亿元）, 较109年同期（38.40%）: the figure of the year before
        last = rules().previous_year.search(t.text, max(0, inside[0] - 12), inside[0])
        if last is not None:
            roc = last.group(1)
            return int(roc) + 1911 if roc else ctx.report_year - 1
    years = [(s, e, y) for s, e, y in years
             if not t.in_paren(s, e) or (inside is not None and inside[0] <= s < inside[1])]
    own = [y for s, e, y in years if clause[0] <= s and e <= q.start]
    if own:
        return own[-1]
    item = t.item(clause[0], sentence)  # nor does one cross a ； into another list item
    for span in t.clauses_before(clause[0], item[0]):
        ys = [(s, e, y) for s, e, y in years if span[0] <= s and e <= span[1]]
        if not ys:
            continue
        s, e, y = ys[-1]
        chunk = t.text[span[0]:span[1]].strip()
        has_figure = any(span[0] <= f.start < span[1] for f in figures)
        only_year = chunk == t.text[s:e].strip()
        frame = bool(rules().year_frame.search(chunk))
        if has_figure or only_year or frame:
            return y
        break  # the nearest year is not a frame for this figure: stop looking
    return ctx.heading_year


def _month(t: _Text, months: list[tuple[int, int]], q: Quantity,
           sentence: tuple[int, int]) -> int | None:
    """The checkpoint or period month the figure's own sentence states for it."""
    in_sentence = [(p, m) for p, m in months if sentence[0] <= p < sentence[1]]
    if not in_sentence:
        return None
    before = [(p, m) for p, m in in_sentence if p < q.start]
    if len({m for _, m in in_sentence}) == 1:
        if not before and rules().month_ahead.search(t.text, sentence[0], in_sentence[0][0]) \
                and not re.match(r"\s*\d{1,2}\s*月\s*[前后底末]", t.text[in_sentence[0][0]:]):
            return in_sentence[0][1]  # 选取…10个项目，拟于10月开展重点监控
        return before[-1][1] if before else None
    # Several months in one sentence: each governs only its own list item, unless the
    # months are themselves a list the figure counts (5月、8月两个节点).
    # 5月监控项目286个、资金4.12亿元: 、 joins figures of one checkpoint; it starts a new
    # item only when a month follows it (5月……、9月……)
    breaks = [i for i in range(sentence[0], q.start) if t.text[i] in "，；,;"
              or (t.text[i] == "、" and _MONTH_AHEAD.match(t.text, i + 1))]
    item_start = breaks[-1] + 1 if breaks else sentence[0]
    if breaks and t.text[: breaks[-1]].rstrip().endswith("月"):
        return None
    mine = {m for p, m in before if p >= item_start}
    return mine.pop() if len(mine) == 1 else None


def _months_by_list(t: _Text, r: _Rules, figures: list[Quantity]) -> list[int | None]:
    """5月、8月分别监控项目213个、247个: months handed out in order by 分别."""
    out: list[int | None] = [None] * len(figures)
    for m in re.finditer(r"((?:1[0-2]|[1-9])\s*月(?:\s*[、和及与]\s*(?:1[0-2]|[1-9])\s*月)+)",
                         t.text):
        values = tuple(int(x) for x in re.findall(r"(1[0-2]|[1-9])\s*月", m.group(1)))
        _distribute(t, r, m.end(), values, figures, out)
    return out


def _field_in(t: _Text, span: tuple[int, int], items: Sequence[_Item] = ()) -> str | None:
    """The first field named in ``span`` outside parentheses and outside the name of a
    budget item (转贷政府债券 is the item, not a field of it)."""
    for f in t.spans("fields"):
        if span[0] <= f.start_char and f.end_char <= span[1] \
                and not t.in_paren(f.start_char, f.end_char) \
                and not any(it.start <= f.start_char and f.end_char <= it.end for it in items):
            return f.label_
    return None


def _field(t: _Text, figures: list[Quantity], clause: tuple[int, int],
           items: Sequence[_Item] = ()) -> str | None:
    """The field named in the figure's clause, or in an earlier clause with figures of the
    same part of the sentence (其中年初预算项目270个，…，较往年增加77个项目): a field does
    not cross a ； or a 其中 into another list item."""
    found = _field_in(t, clause, items)
    if found:
        return found
    segment = t.segment(clause[0])
    for span in t.clauses_before(clause[0], segment[0]):
        if not any(span[0] <= f.start < span[1] for f in figures):
            continue
        found = _field_in(t, span, items)
        if found:
            return found
    return _category(t, figures, clause)


def _category(t: _Text, figures: list[Quantity], clause: tuple[int, int]) -> str | None:
    """其中：农业类21项，2.41亿元；…: the category a part of a breakdown is named by (its list
    item opens with it, category_suffixes) is the field of the item's figures."""
    r = rules()
    segment = t.segment(clause[0])
    opens = r.breakdown.match(t.text, segment[0]) is not None
    if not opens and (segment[0] == 0 or t.text[segment[0] - 1] not in "；;"):
        return None  # not a part listed after 其中
    first = next((f for f in figures if segment[0] <= f.start < segment[1]), None)
    if first is None:
        return None
    name = t.text[segment[0]:first.start].strip().lstrip("：:，, ")
    name = r.entity_prefix.sub("", name).lstrip("：:，, ")
    if 2 <= len(name) <= 12 and name.endswith(r.category_suffixes) \
            and not re.search(r"[，,。；;、\d]", name):
        return name
    return None


def _evaluator(t: _Text, q: Quantity, clause: tuple[int, int]) -> str | None:
    """The last evaluator named in the clause before the score, when a word of scoring
    stands between (财政部门评价得分96.03分; not 主管部门 … (20分) of a form's label)."""
    found = [e for e in t.spans("evaluators") if clause[0] <= e.start_char and e.end_char <= q.start]
    if not found or not rules().scoring.search(t.text, found[-1].end_char, q.start):
        return None
    return found[-1].label_


def _entity(t: _Text, r: _Rules, q: Quantity, clause: tuple[int, int]) -> str | None:
    """The named item right before 调减/核减… in an enumeration of cuts."""
    before = t.text[clause[0]:q.start]
    items = re.split(r"[、，；,;]", before)
    item = items[-1]
    m = r.entity_verb.search(item)
    ss, se = t.sentence(q.start)
    if m and len(r.entity_verb_any.findall(t.text, ss, se)) < 2:
        return None  # one 安排/调减 in the sentence: a statement, not an enumeration of items
    if m:
        name = item[: m.start()].strip()  # …工作经费调减5万元
    else:
        # 核减A经费12万元、B经费5万元: the verb opens the list, each item names its entity
        opener = next((x for x in reversed(items) if r.entity_verb_first.search(x)), None)
        listed = re.search(r"(?:万元|亿元|元)\s*、", t.text[clause[0]:clause[1]])
        if opener is None or not listed:
            return None  # not an enumeration of amounts
        name = r.entity_verb_first.sub("", item, count=1) if item is opener else item
        name = re.sub(r"[\d.]+\s*(?:万元|亿元|元)$", "", name).strip()
    name = r.entity_prefix.sub("", name)
    name = re.sub(r"[“”\"「」\s]", "", name)
    if len(name) < 2 or r.entity_skip.search(name) or re.search(r"\d", name):
        return None
    return name


def _written(t: _Text, ctx: Context, name: str | None, before: int) -> str | None:
    """``name`` (read in the paragraph's simplified text) as the document writes it: the
    same characters of ``ctx.written`` where it stands last before offset ``before``."""
    if not name or not ctx.written or len(ctx.written) != len(t.text):
        return name
    at = t.text.rfind(name, 0, before)
    return ctx.written[at:at + len(name)] if at >= 0 else name


def _subject(t: _Text, r: _Rules, q: Quantity, sentence: tuple[int, int],
             topic: str = "") -> tuple[int, int] | None:
    """The place or level a list item opens with as its subject (市级完成对27个…, 眉县对总额…,
    仅济南市市级财政部门就对…, 市本级直达资金45.66亿元): the figures of the item are its.
    A sentence opening with 其中 and naming none continues the subject of the one before."""
    start = max(t.text.rfind(c, sentence[0], q.start) for c in "；;") + 1 or sentence[0]
    start = max(start, sentence[0])
    p = r.subject_prefix.match(t.text, start).end()
    m = r.subject_level.match(t.text, p) or r.subject_place.match(t.text, p)
    if m and m.re is r.subject_place and m.group(0) in topic:
        return None  # the document's own place (青禾县共设定…) is what every figure is about
    if m:
        return m.span()
    if start == sentence[0] and sentence[0] >= 2 and r.breakdown.match(t.text, sentence[0]):
        before = t.sentence(sentence[0] - 2)
        p = r.subject_prefix.match(t.text, before[0]).end()
        m = r.subject_level.match(t.text, p) or r.subject_place.match(t.text, p)
        if m:
            return m.span()
    return None


_LIST_JOINS = "、，,；;和及与"


def _listed_entities(t: _Text, r: _Rules, figs: list[Quantity],
                     items: Sequence[_Item]) -> list[str | None]:
    """包含城乡环境综合整治78,000万元、美丽乡村建设60,000万元…: in a list of two or more amounts
    each named right before it, the name is the amount's entity. A budget report's items
    (税收收入…, 一般债券) are what the amount is, not an entity."""
    out: list[str | None] = [None] * len(figs)
    names: dict[int, str] = {}
    for kind in ("money", "percent"):
        _listed_of_kind(t, r, figs, items, [i for i, f in enumerate(figs) if f.kind == kind],
                        names, out)
    # 其中：30万元用于基建工程项目预算编制；30万元用于基建工程项目审计: amounts each followed by
    # what it is for, two or more in a sentence
    uses: dict[int, str] = {}
    for i, q in enumerate(figs):
        m = r.list_use.match(t.text, q.end)
        if q.kind == "money" and m and 2 <= len(m.group(1)) <= 30:
            uses[i] = m.group(1)
    for i, name in uses.items():
        sentence = t.sentence(figs[i].start)
        if out[i] is None and sum(sentence[0] <= figs[j].start < sentence[1] for j in uses) >= 2:
            out[i] = name
    return out


def _listed_of_kind(t: _Text, r: _Rules, figs: list[Quantity], items: Sequence[_Item],
                    money: list[int], names: dict[int, str], out: list[str | None]) -> None:
    """_listed_entities for the figures ``money`` of one kind (a list of amounts, or of
    shares: 高新区41.8%，市本级51.4%，连江62.6%)."""
    for k, i in enumerate(money):
        q = figs[i]
        sentence = t.sentence(q.start)
        start = max(sentence[0], figs[money[k - 1]].end if k else sentence[0])
        chunk = t.text[start:q.start]
        cut = max(chunk.rfind(c) for c in "、，,；;：:（(")
        name = chunk[cut + 1:].lstrip("和及与")  # 和 joining two amounts; inside a name it stays
        name = r.list_opener.sub("", name).strip()
        name = r.entity_prefix.sub("", name)
        name = re.sub(r"[“”\"「」\s]", "", name)
        name = re.sub(r"^(?:19|20)\d{2}年度?", "", name)
        if not (2 <= len(name) <= 20) or re.search(r"[\d%]", name) or r.entity_skip.search(name) \
                or r.list_measure_name.search(name) \
                or (q.kind == "percent" and r.list_share_words.search(name)) \
                or any(it.start < q.start and t.text[it.start:it.end] in name for it in items):
            continue
        names[i] = name
    for k, i in enumerate(money):
        if i not in names:
            continue
        # a list: the next (or previous) amount is named too, with only a join between
        def joined(a: int, b: int) -> bool:
            gap = t.text[figs[a].end:figs[b].start]
            return a in names and b in names and gap[:1] in _LIST_JOINS + "（(" \
                and not any(c in _SENTENCE_BREAKS for c in gap)
        if (k and joined(money[k - 1], i)) or (k + 1 < len(money) and joined(i, money[k + 1])):
            out[i] = names[i]


def _named_by_list(t: _Text, r: _Rules, ctx: Context,
                   figures: list[Quantity]) -> list[str | None]:
    """东部、中部、西部、东北地区收入分别增长6.7%、6.9%、10.7%、12%: names listed before 分别,
    handed out in order like grades (the tail they share, 地区收入, leaves the last name)."""
    out: list[str | None] = [None] * len(figures)
    written = ctx.written if len(ctx.written) == len(t.text) else t.text
    for m in r.distribute.finditer(t.text):
        clause = t.clause(m.start())
        head = t.text[clause[0]:m.start()]
        if any(clause[0] <= f.start < m.start() for f in figures):
            continue
        parts = head.split("、")
        if len(parts) < 2 or any(clause[0] <= g.start_char < m.start() for g in t.spans("grades")):
            continue  # (为优、良、中的项目分别有…: grades, handed out as grades)
        starts = [clause[0] + sum(len(x) + 1 for x in parts[:k]) for k in range(len(parts))]
        last = r.shared_tail.sub("", parts[-1])
        spans = [(a, a + len(x)) for a, x in zip(starts[:-1], parts[:-1], strict=True)]
        spans.append((starts[-1], starts[-1] + len(last)))
        first = r.list_opener.sub("", parts[0])
        spans[0] = (spans[0][1] - len(first), spans[0][1])
        names = tuple(written[a:b].strip() for a, b in spans)
        if all(1 <= len(x) <= 8 and not re.search(r"[\d%，,的为]", x) for x in names):
            _distribute(t, r, m.start(), names, figures, out)
    return out


def _distribute(t: _Text, r: _Rules, start: int, values: tuple[Any, ...],
                figures: list[Quantity], out: list[Any]) -> None:
    """分别: hand ``values`` out in order to the figures after 分别 (and to those of a
    clause that continues it: …分别为11个和4个，占…的73.3%和26.7%)."""
    sentence = t.sentence(start)
    m = r.distribute.search(t.text, start, sentence[1])
    if not m:
        return
    clause = t.clause(m.start())
    spans = [(m.start(), clause[1])]
    while clause[1] + 1 < sentence[1]:
        nxt = t.clause(clause[1] + 1)
        if not r.continuation.match(t.text, nxt[0], nxt[1]):
            break
        spans.append(nxt)
        clause = nxt
    for a, b in spans:
        idx = [i for i, f in enumerate(figures) if a < f.start < b]
        if len(idx) == len(values):
            for i, value in zip(idx, values, strict=True):
                out[i] = value


def _assign_grades(t: _Text, r: _Rules, grades: list[_Grade],
                   figures: list[Quantity]) -> list[str | None]:
    out: list[str | None] = [None] * len(figures)
    clause_of = [t.clause(f.start) for f in figures]
    # 1. 分别: an enumeration of grades handed out in order to the figures after 分别.
    for g in (g for g in grades if len(g.grades) > 1):
        _distribute(t, r, g.end, g.grades, figures, out)
    singles = [g for g in grades if len(g.grades) == 1]
    # 1b. 优…、良…、中…，涉及资金分别为a、b、c: the grades named one by one earlier in the
    #     sentence are handed out in order, when there are as many as figures after 分别.
    for m in r.distribute.finditer(t.text):
        ss, _ = t.sentence(m.start())
        seq = [g.grades[0] for g in singles if ss <= g.start < m.start()]
        _, ce = t.clause(m.start())
        idx = [i for i, f in enumerate(figures) if m.start() < f.start < ce and out[i] is None]
        if len(seq) > 1 and len(seq) == len(idx):
            for i, grade in zip(idx, seq, strict=True):
                out[i] = grade
    for i, f in enumerate(figures):
        if out[i] is not None:
            continue
        cs, ce = clause_of[i]
        mine = [g for g in singles if cs <= g.start < ce]
        before = [g for g in mine if g.end <= f.start]
        if before:
            out[i] = before[-1].grades[0]
        elif mine:
            out[i] = mine[0].grades[0]
        elif i and out[i - 1] is not None and t.context_clause((cs, ce), r)[0] < cs \
                and figures[i - 1].start >= t.context_clause((cs, ce), r)[0]:
            out[i] = out[i - 1]  # ，占比N% / ，涉及资金N万元 after a graded count
    # 2. A clause that only states a grade (N个项目…，得分为“良”) grades the counted things
    #    before it and the figures about them in the same part of the sentence; it says
    #    so with 为 (评价结果均为“优”), not as a sentence of its own subject (市财政…保持优秀等次),
    #    and right after the clause of the count (共涉及2个单位，分别是…，预算资金总额…，等级均为
    #    “优” grades neither the units nor the money).
    for g in singles:
        cs, ce = t.clause(g.start)
        if any(cs <= f.start < ce for f in figures):
            continue
        if not re.search(r"为\s*[“\"「]?\s*$", t.text[cs:g.start]):
            continue
        ss, se = t.segment(g.start)
        if not any(ss <= f.start < g.start and f.kind == "count" for f in figures):
            continue
        ps = t.clause(cs - 2)[0] if cs >= 2 else cs
        if not any(ps <= f.start < cs and f.kind == "count" for f in figures):
            continue
        for i, f in enumerate(figures):
            if out[i] is None and ss <= f.start < se:
                out[i] = g.grades[0]
    return out


def _choose_key(chain: list[tuple[str, str]], measures: list[str], noun: str | None,
                cues: list[_Cue], sentence: tuple[int, int], r: _Rules,
                rule: dict[str, Any]) -> tuple[str | None, float | None, list[str]]:
    """The key of the first stage of ``chain`` with one of ``measures``, its confidence,
    and every key the chain offers (the candidates, best first)."""
    catalog = load_catalog()
    found: list[tuple[str, str, str]] = []  # (key, stage, source)
    for stage, source in chain:
        for m in measures:
            k = catalog.key_for(stage, m, noun)
            if k and all(k != f[0] for f in found):
                found.append((k, stage, source))
    if not found:
        return None, None, []
    key, stage, _ = found[0]
    # the best support the stage has: a section stage also named in the clause is a cue
    sources = {src for st, src in chain if st == stage}
    if stage == rule.get("home"):
        sources.add("home")  # the measure's own stage, however it was reached
    # (a tie goes to a cue over the section: the same stage named in the text is stated)
    source = max(sorted(sources), key=lambda src: (r.source_confidence[src],
                                                   src not in ("section", "default")))
    confidence = r.source_confidence[source]
    if source == "default" or (source == "section" and not rule.get("section_first")):
        # Sentence first: the section (or the catch-all) only speaks for a sentence that
        # names no other stage that could hold such a figure (a weak cue such as 绩效目标
        # names what is counted; 第三方机构 before a score names who gave it).
        named = {c.stage for c in cues if c.priority > 0 and not c.weak
                 and sentence[0] <= c.start < sentence[1]
                 and catalog.has_kind(c.stage, rule["kind"])}
        if named - {stage}:
            confidence = min(confidence, r.contested)
    return key, confidence, [f[0] for f in found]


def attribute_doc(doc: Any, figures: Sequence[Quantity], ctx: Context) -> list[Attribution]:
    """Key, qualifiers and confidence of each figure of ``figures`` (found in ``doc.text``,
    in order), read from the vocabulary spans the pipeline put on ``doc``."""
    r = rules()
    catalog = load_catalog()
    t = _Text(doc, r)
    figs = list(figures)
    cues = _cues(t, r, ctx)
    topic_fields = _topic_fields(r, ctx)
    own_report = bool(ctx.topic) and r.own_topic.search(ctx.topic) is not None
    items = _items(t, r, ctx)
    years = _years(t)
    months = _months(t.text, r)
    frames = _frames(t.text, r, months, ctx.period_month)
    grades = _assign_grades(t, r, _grades(t, r), figs)
    months_by_list = _months_by_list(t, r, figs)
    item_amount: list[bool] = []  # per figure so far: an item's own amount (一般公共预算收入X)
    nouns: list[str | None] = []  # per figure so far: what a count counts
    listed = _listed_entities(t, r, figs, items)
    named_by_list = _named_by_list(t, r, ctx, figs)
    # pass 1: what each figure counts and the measure rule that holds for it
    noun_spans: list[tuple[int, int] | None] = []
    found_rules: list[dict[str, Any] | None] = []
    for i, q in enumerate(figs):
        clause = t.clause(q.start)
        sentence = t.sentence(q.start)
        following = figs[i + 1] if i + 1 < len(figs) else None
        noun, noun_span = (_noun(t, q, (figs[i - 1] if i else None, following), clause, r)
                           if q.kind == "count" else (None, None))
        if noun is None and q.kind == "count" and noun_span is None:
            noun = _shared_noun(t, figs, nouns, i)
        nouns.append(noun)
        noun_spans.append(noun_span)
        rule = _measure(t, q, noun, grades[i], clause, _governed(cues, q, clause),
                        figs[i - 1].end if i else 0, r, items, sentence)
        item_amount.append(bool(rule and rule.get("role") == "amount" and rule["measure"]))
        if rule is not None and q.kind == "money" and not rule.get("role") \
                and _part_of_item(t, r, figs, item_amount, items, i):
            rule = None  # 其中：一般债券19609万元 under a keyed item: a part with no key
        if rule is not None and (r.flow_words.search(t.text, clause[0], q.start)
                                 or (r.flow_opening.match(t.text, sentence[0])
                                     and r.flow_words.search(t.text, *sentence))
                                 or _in_part_paren(t, r, q)):
            rule = None  # 当月实际支出…, (含省发改委1000万元): not the figure a key holds
        if own_report and q.comparator and r.own_bound.search(t.text, max(0, q.start - 2), q.start):
            # 服务对象满意度≥80%: in a project's own report, an indicator's target value
            rule = {"measure": "target_value", "kind": q.kind, "home": r.own_stage}
        found_rules.append(rule)
    if own_report:
        _own_budget_lines(t, r, figs, found_rules)
    out = []
    for i, q in enumerate(figs):
        clause = t.clause(q.start)
        sentence = t.sentence(q.start)
        noun, noun_span, rule, grade = nouns[i], noun_spans[i], found_rules[i], grades[i]
        measure = rule["measure"] if rule else None
        key: str | None = None
        confidence: float | None = None
        candidates: list[str] = []
        if rule is not None and measure is not None and own_report \
                and measure in r.own_measures:
            # a project's own self-evaluation: its budget, spending and rate are the form's
            measure = r.own_measures[measure]
            rule = {k: v for k, v in rule.items() if k != "fallback"}
            rule |= {"measure": measure, "home": r.own_stage}
        if rule is not None and measure is not None:
            measures = [measure, *([rule["fallback"]] if "fallback" in rule else [])]
            chain = _topic_chain(t, cues, q, clause, sentence, noun_span, ctx,
                                 bool(rule.get("section_first")),
                                 [sp for j, sp in enumerate(noun_spans) if sp and j != i], figs)
            if "home" in rule:
                chain.append((rule["home"], "home"))
            chain.append(("evaluation", "default"))
            key, confidence, candidates = _choose_key(chain, measures, noun, cues, sentence, r,
                                                      rule)
            if own_report and key is not None and confidence is not None \
                    and catalog[key].measures[0] not in r.own_kept:
                confidence = min(confidence, r.contested)  # the county's work: not meant here
        quals: dict[str, Any] = {}
        year = _year(t, years, figs, q, clause, sentence, ctx)
        # a cut-off in another year than the figure's (截至2024年6月20日，已完成2023年…76个)
        # is the day of a submission, not how far into the figure's year it counts
        own_year = year or ctx.report_year
        own = [m for m in months if sentence[0] <= m.pos < sentence[1]
               and (m.year is None or own_year is None or m.year == own_year)]
        month = months_by_list[i] or _month(t, [(m.pos, m.month) for m in own], q, sentence)
        if month is not None and not any(m.period and m.month == month for m in own) \
                and (key is None or key.split(".")[0] not in r.checkpoint_stages) \
                and any(m.dated and m.month == month for m in own):
            month = None  # 2024年3月，县财政局对…: a date, not a monitoring checkpoint
        if month is None and not own and not r.period_resets.search(t.text, *sentence):
            # a frame stated earlier: 截至4月底，…。全市一般公共预算支出…; 4月，…。其中：…
            frame = next(((m, period) for s, m, period in reversed(frames) if s < sentence[0]),
                         (ctx.period_month, True))
            if frame[1] or r.breakdown.match(t.text[sentence[0]:sentence[1]].lstrip()):
                month = frame[0]
        if month is not None and not t.in_quote(q.start, q.end):
            quals["month"] = month  # (「年累计支用比未达90%」: a criterion quoted, of no period)
        if grade is not None and q.kind in ("count", "money", "percent", "score"):
            quals["grade"] = grade  # (连续3年被评为优秀等次: a duration has no grade)
        if q.kind == "score":
            evaluator = _evaluator(t, q, clause)
            if evaluator:
                quals["evaluator"] = evaluator
        if year is not None and year != ctx.report_year:
            quals["year"] = year
        entity = None
        if q.kind == "money" and not (rule and rule.get("role")):
            # (安排预算稳定调节基金3500万元: the words name the budget item, not an entity)
            entity = _written(t, ctx, _entity(t, r, q, clause), q.start)
        if entity is None and q.kind in ("money", "percent") and not (rule and rule.get("role")):
            entity = _written(t, ctx, listed[i], len(t.text))
        if entity is None:
            entity = named_by_list[i]
        if entity is None:
            subject = _subject(t, r, q, sentence, ctx.topic)
            if subject is not None:
                entity = (ctx.written or t.text)[subject[0]:subject[1]]
        if entity is None and own_report:
            # 开展工作督导：一个季度开展一次，共4次 — an indicator's line in a project's own
            # report: the label before the colon names what its figures measure
            label = r.label_entity.match(t.text)
            if label and not r.label_not.search(label.group(1)) and label.end() <= q.start:
                entity = (ctx.written or t.text)[label.start(1):label.end(1)]
        if entity:
            quals["entity"] = entity
        fld = _field(t, figs, clause, items)
        if fld and fld not in topic_fields:
            quals["field"] = fld
        if q.approx and not (key in catalog and catalog[key].role == "threshold"):
            quals["approx"] = q.approx  # (80分以上 as a grade's band is a bound, not about 80)
        if key is not None and confidence is not None and confidence < r.threshold:
            key = None  # a wrong key is worse than none: keep the candidates instead
        else:
            candidates = []
        out.append(Attribution(key, measure, quals, confidence, candidates))
    return out


def table_stages(stages: Sequence[str], caption: str | None, topic: str) -> tuple[str, ...]:
    """The stages a table's cells may belong to: its caption's (2025年财政重点项目绩效评价
    结果表), its section's, then the one the document's topic names."""
    from jixiao.extract.structure import stage_of_heading

    out = [s for s in (stage_of_heading(caption) if caption else None,) if s]
    out += [s for s in stages if s not in out and s != "work"]
    named = topic_stage(topic)
    if named and named not in out:
        out.append(named)
    return tuple(out)


_NOT_NAME_ROLES = ("ordinal", "unit", "comparator", "value", "number")
_FIGURE_CELL = re.compile(r"[-+]?[\d,.]+\s*%?|[/／—-]+")


def table_entity_column(header: Sequence[str], roles: Sequence[str],
                        rows: Sequence[Sequence[str]], figures: set[int]) -> int | None:
    """The column naming what each row is about: the first ``table_entity`` pattern a name
    column's header matches (三级指标 in a form's indicator rows, 项目名称), else the first
    column whose cells are all words (a form's money rows: 年度资金总额, 其中：财政资金)."""
    r = rules()
    for pattern in r.table_entities:
        for i, head in enumerate(header):
            if i not in figures and (i >= len(roles) or roles[i] not in _NOT_NAME_ROLES) \
                    and pattern.search(head):
                return i
    for i in range(len(header)):
        cells = [row[i].strip() for row in rows if i < len(row) and row[i].strip()]
        if cells and (i >= len(roles) or roles[i] != "ordinal") \
                and not any(_FIGURE_CELL.fullmatch(c) for c in cells):
            return i
    return None


def table_entity_name(cell: str) -> str | None:
    """A row's entity as written, without spaces, a leading 其中 or a trailing colon."""
    name = re.sub(r"[\s“”\"「」]", "", cell)  # as the guideline writes it: no spaces, no quotes
    name = rules().breakdown.sub("", name, count=1) if rules().breakdown.match(name) else name
    return name.strip("：:") or None


def form_label(cell: str) -> str | None:
    """The label of a form cell that states its own weight (产出指标（50分） → 产出指标)."""
    m = rules().form_label.match(cell)
    return m.group("label").strip() if m else None


def table_grade(cell: str) -> str | None:
    """The grade a cell of a grade column states (优, “良”, 良好, 良及以上), if it is one."""
    r = rules()
    word = re.sub(r"[\s“”\"「」]", "", cell)
    if word in r.grade_names:
        return r.grade_names[word]
    for name, grade in r.grade_names.items():
        words, band = r.grade_bands.get(grade, ((), None))
        if word.startswith(name) and word[len(name):] in words:
            return band
    return None


def table_key(stages: Sequence[str], measure: str) -> tuple[str | None, float | None, list[str]]:
    """Key, confidence and candidates of a table column's cells: the column header says
    the measure, the section the stage (``evaluation`` when no section stage has it); a
    form's own column has its home stage (self_eval)."""
    r = rules()
    chain = [*((s, "section") for s in stages)]
    if measure in r.table_home:
        chain.append((r.table_home[measure], "home"))
    chain.append(("evaluation", "default"))
    key, confidence, candidates = _choose_key(chain, [measure], None, [], (0, 0), r,
                                              {"kind": ""})
    if key is not None and confidence is not None and confidence < r.threshold:
        return None, confidence, candidates
    return key, confidence, []


def attribute(text: str, figures: Sequence[Quantity], ctx: Context,
              nlp: Any = None) -> list[Attribution]:
    """Attribute the figures of one paragraph of text: run the pipeline (the shared one
    unless ``nlp`` is given) over ``text`` with ``figures`` and read the results."""
    if nlp is None:
        from jixiao.extract.nlp import get_nlp

        nlp = get_nlp()
    doc = nlp.make_doc(text)
    doc._.context = ctx
    doc._.quantities = list(figures)
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return [Attribution(s._.key, s._.measure, s._.qualifiers, s._.confidence,
                        s._.candidates) for s in doc.spans["figures"]]


def document_topic(title: str | None, text: str) -> str:
    """What the whole document is about: its title, the title-like lines among its first
    lines (a web page puts furniture before them: …2023年度绩效自评报告) and the clause that
    introduces it (我局组织开展了…评价工作，现将评价情况通报如下), read in the first 3000
    characters of ``text``."""
    r = rules()
    head = text[:3000]
    lines = [x.strip() for x in head.splitlines() if x.strip()][:12]
    titles = [x for x in lines if len(x) <= 60 and r.title_words.search(x) and x != title
              and not re.search(r"[。，；：,;]", x)
              and not _NUMBERED.match(x) and not x.startswith("附件")]  # not a heading
    # a page sharing a document names it in book-title marks: 《…绩效自评价报告.docx》由会员分享
    named = [x.group(1) for x in _NAMED_DOCUMENT.finditer(lines[0] if lines else "")]
    # a form flattened into one line with the file's metadata: …附件: 项目支出绩效自评表 (2022年度)
    chunk = re.search(rf"(?:^|[\s:：])([^\s，。；：:,;|]{{0,30}}(?:{r.own_topic.pattern}))"
                      r"(?=\s|[（(]|$)", head[:600])
    m = r.topic_sentence.search(head)
    return "\n".join([title or "", *titles, *named, chunk.group(1) if chunk else "",
                      m.group(0) if m else ""])


def document_evaluator(text: str) -> str | None:
    """Who gave the scores of a document that says, near its top, that the evaluation was
    delegated (我局委托第三方机构对…实施了重点绩效评价): ``delegated_evaluators``."""
    for row in rules().delegated:
        if row[0].search(text[:3000]):
            return row[1]
    return None


def topic_stage(topic: str) -> str | None:
    """The stage the document's topic names (…重点项目绩效评价工作，现将…通报如下), if any."""
    from jixiao.extract.structure import stage_of_heading

    for line in topic.splitlines():
        stage = stage_of_heading(line) if line.strip() else None
        if stage and stage not in rules().generic_stages:
            return stage
    return None


def year_of_heading(heading: str) -> int | None:
    """The year a section heading states (2、2023年项目支出绩效评价 → 2023)."""
    m = _YEAR.search(heading)
    return int(m.group(1)) if m else None
