"""Recognise the numbering that opens a heading (``一、`` ``（一）`` ``1、`` ``一是`` …).

The patterns live in ``data/numbering.yaml``; this module only compiles and applies them.
Both layout repair (a numbered line always starts a new paragraph) and the section tree
use it, so a heading is recognised the same way in every rendition of a report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from jixiao.extract.resources import load_yaml


@dataclass(frozen=True, slots=True)
class Numbering:
    kind: str
    rank: int
    text: str  # the numbering as written, e.g. "（一）"
    end: int  # offset just past the numbering (and a following space)


@cache
def _patterns() -> list[tuple[str, int, re.Pattern[str]]]:
    rows = load_yaml("numbering.yaml")["numbering"]
    return [(r["kind"], int(r["rank"]), re.compile(r["pattern"])) for r in rows]


def match_numbering(text: str) -> Numbering | None:
    """The numbering at the start of ``text``, if any.

    >>> match_numbering("（三）加强绩效监控").kind
    'paren_cn'
    >>> match_numbering("2.继续完善").text
    '2.'
    >>> match_numbering("2.36亿元") is None
    True
    >>> match_numbering("一是健全指标体系").kind
    'ordinal_cn'
    """
    for kind, rank, pattern in _patterns():
        m = pattern.match(text)
        if m:
            return Numbering(kind=kind, rank=rank, text=m.group("num"), end=m.end())
    return None
