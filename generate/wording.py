"""Choosing between phrasings so that a draft does not repeat last year's report.

A drafter who copies last year's file and changes the numbers hands in a report whose
sentences are last year's; a reviewer notices. Every section template and every problem
and measure therefore comes in several phrasings (our own words, the same figures), and the
draft takes, for each, the one that repeats fewest of last year's sentences. With nothing
to compare against, the report year picks the phrasing, so consecutive years differ.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["pick", "repeated", "seed_of", "sentence_overlap", "sentences"]

MIN_SENTENCE = 8  # characters: shorter pieces (整改到位。) repeat in any two reports
_SPACE = re.compile(r"\s+")


def sentences(text: str) -> list[str]:
    """The sentences and semicolon clauses of ``text`` long enough to count.

    >>> sentences("全年共评价项目12个，涉及资金300万元。整改到位。")
    ['全年共评价项目12个，涉及资金300万元。']
    """
    return [s.strip() for s in re.split(r"(?<=[。！？；])", text)
            if len(s.strip()) > MIN_SENTENCE]


def repeated(text: str, previous_text: str) -> int:
    """How many sentences of ``text`` stand word for word in ``previous_text``.

    >>> repeated("今年评价项目12个。对问题限期整改到位。", "去年评价项目10个。对问题 限期整改到位。")
    1
    """
    if not previous_text:
        return 0
    compact = _SPACE.sub("", previous_text)
    return sum(1 for s in sentences(text) if _SPACE.sub("", s) in compact)


def sentence_overlap(draft_text: str, previous_text: str) -> float:
    """Share of the draft's sentences found word for word in last year's report."""
    found = sentences(draft_text)
    if not found or not previous_text:
        return 0.0
    return repeated(draft_text, previous_text) / len(found)


def seed_of(county: str, year: int) -> int:
    """The rotation start for a county's report of a year: consecutive years differ, and
    so (when the phrasings allow) do neighbouring counties' reports of the same year, which
    a prefecture reviewer reads side by side.

    >>> seed_of("青禾县", 2025) - seed_of("青禾县", 2024)
    1
    """
    return year + sum(ord(c) for c in county)


def pick(options: Sequence[str], seed: int, previous_text: str = "",
         weights: Sequence[int] | None = None) -> int:
    """The index of the phrasing to use.

    Highest weight first (for a section template, the number of figures it states, so a
    phrasing never costs a figure), then fewest sentences repeated from ``previous_text``,
    then the order starting at ``seed % len(options)`` (the report year).

    >>> pick(["甲句子说了十二个字。", "乙句子也说了十二个字。"], 2024)
    0
    >>> pick(["甲句子说了十二个字。", "乙句子也说了十二个字。"], 2025)
    1
    >>> pick(["甲句子说了十二个字。", "乙句子也说了十二个字。"], 2025, "甲句子说了十二个字。乙句子也说了十二个字。")
    1
    >>> pick(["甲句子说了十二个字。", "乙句子也说了十二个字。"], 2025, "乙句子也说了十二个字。")
    0
    """
    n = len(options)
    if n == 0:
        raise ValueError("no phrasing to pick from")

    def rank(i: int) -> tuple[int, int, int]:
        return (-(weights[i] if weights else 0), repeated(options[i], previous_text),
                (i - seed) % n)

    return min(range(n), key=rank)
