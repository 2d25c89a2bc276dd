"""The section tree of a report, from the numbering of its headings, and each section's stage.

Headings are recognised by their numbering text (``一、`` ``（一）`` ``1、`` ``一是`` …), not by
Word styles, because text copied out of a PDF has no styles and the same report must give
the same tree from every rendition. Levels are relative: a report whose top headings are
``（一）`` has them at level 1, and a new heading closes every open heading of equal or
deeper numbering rank.
"""

from __future__ import annotations

import re
from functools import cache

from jixiao.extract.numbering import match_numbering
from jixiao.extract.resources import load_yaml
from jixiao.model import Document, Section

# A heading is the numbered paragraph's first sentence; longer than this, its first clause.
HEADING_MAX_CHARS = 40
_SENTENCE_END = re.compile(r"[。；：:！？]")
INHERITING_STAGES = frozenset({"problems", "measures"})
BODY_KINDS = frozenset({"paragraph", "heading"})


@cache
def _stage_rules() -> list[tuple[str, re.Pattern[str]]]:
    return [(r["stage"], re.compile(r["pattern"])) for r in load_yaml("stages.yaml")["stages"]]


def stage_of_heading(heading: str) -> str | None:
    """The stage a heading names, or None.

    >>> stage_of_heading("（二）推进事前绩效评估，严把项目预算入口")
    'pre_assessment'
    >>> stage_of_heading("（四）提高绩效评价质效，提升重点评价报告质量")
    'evaluation'
    >>> stage_of_heading("三、下一步工作计划")
    'measures'
    """
    rules = _stage_rules()
    for stage, pattern in rules:
        if stage in INHERITING_STAGES and pattern.search(heading):
            return stage
    # "推进事前绩效评估，严把项目预算入口": the first phrase names the topic, the rest
    # says what for; so the first phrase decides when it names a stage at all.
    first = re.split(r"[，,；;]", heading, maxsplit=1)[0]
    for text in (first, heading):
        for stage, pattern in rules:
            if pattern.search(text):
                return stage
    return None


def heading_text(paragraph: str) -> str:
    """The heading part of a numbered paragraph.

    >>> heading_text("（一）绩效管理观念有待进一步提高。几年来我们也制定了方案")
    '（一）绩效管理观念有待进一步提高'
    >>> heading_text("4、绩效目标设置：按照原则设定目标")
    '4、绩效目标设置'
    """
    m = _SENTENCE_END.search(paragraph)
    head = paragraph[: m.start()] if m else paragraph
    if len(head) > HEADING_MAX_CHARS and "，" in head:
        head = head[: head.index("，")]
    return head.strip()


def build_sections(doc: Document) -> list[Section]:
    """Sections of ``doc`` in document order, with ids like ``2.3`` and stages."""
    sections: list[Section] = []
    stack: list[tuple[int, Section]] = []  # (rank, section)
    counters: dict[str | None, int] = {}
    body_end = len(doc.text)
    for para in doc.paragraphs:
        if para.kind == "signature":
            body_end = min(body_end, para.start)
    for para in doc.paragraphs:
        if para.kind not in BODY_KINDS:
            continue
        text = doc.text[para.start : para.end]
        numbering = match_numbering(text)
        if numbering is None:
            continue
        while stack and stack[-1][0] >= numbering.rank:
            stack.pop()
        parent = stack[-1][1] if stack else None
        key = parent.id if parent else None
        counters[key] = counters.get(key, 0) + 1
        sid = f"{parent.id}.{counters[key]}" if parent else str(counters[key])
        head = heading_text(text)
        section = Section(id=sid, heading=head, level=len(stack) + 1, numbering=numbering.text,
                          stage=_stage(head[numbering.end:] or head, parent), start=para.start,
                          end=body_end, parent=parent.id if parent else None)
        _close(sections, section)
        sections.append(section)
        stack.append((numbering.rank, section))
    return sections


def _close(sections: list[Section], new: Section) -> None:
    """End every open section at the same or a deeper level where ``new`` starts."""
    for s in reversed(sections):
        if s.level >= new.level and s.end > new.start:
            s.end = new.start
        if s.level < new.level:
            break


def _stage(heading: str, parent: Section | None) -> str:
    if parent is not None and parent.stage in INHERITING_STAGES:
        return parent.stage
    stage = stage_of_heading(heading)
    if stage is not None:
        return stage
    return parent.stage if parent is not None and parent.stage else "work"
