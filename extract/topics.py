"""Passages of the problems and next-steps parts, each with its topic.

Reports write these parts as short paragraphs or 一是…二是… runs; each run is one passage.
The topic is the one of ``data/topics.yaml`` whose words the passage uses most — enough to
find how a county phrased "staff" or "third parties" in earlier years.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from jixiao.extract.resources import load_yaml
from jixiao.model import Document

__all__ = ["Passage", "Topic", "load_topics", "passages", "topic_of"]

_ITEM = re.compile(r"(?=(?:[一二三四五六七八九十]是|[（(][一二三四五六七八九十][)）]))")


@dataclass(frozen=True, slots=True)
class Topic:
    topic: str
    label: str
    measure: str
    words: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class Passage:
    """A paragraph (or one 一是… item) of the problems or measures part."""

    stage: str
    section: str | None
    topic: str | None
    text: str
    start: int
    end: int


@cache
def load_topics() -> tuple[Topic, ...]:
    return tuple(Topic(t["topic"], t["label"], t["measure"], re.compile(t["words"]))
                 for t in load_yaml("topics.yaml")["topics"])


def topic_of(text: str) -> str | None:
    """The topic whose words occur most often in ``text`` (None: none occurs)."""
    best, score = None, 0
    for t in load_topics():
        n = len(t.words.findall(text))
        if n > score:
            best, score = t.topic, n
    return best


def passages(doc: Document) -> list[Passage]:
    """Passages of the sections whose stage is problems or measures."""
    out: list[Passage] = []
    for para in doc.paragraphs:
        section = doc.section_at(para.start)
        if section is None or section.stage not in ("problems", "measures"):
            continue
        text = doc.text[para.start:para.end]
        if section.start == para.start and len(text) <= 40:
            continue  # the heading itself
        cuts = [m.start() for m in _ITEM.finditer(text) if m.start() > 0] + [len(text)]
        at = 0
        for cut in cuts:
            chunk = text[at:cut].strip()
            if len(chunk) >= 8:
                out.append(Passage(section.stage, section.id, topic_of(chunk), chunk,
                                   para.start + at, para.start + cut))
            at = cut
    return out
