"""The draft's outline: ours (templates/draft/outline.yaml), or last year's report's.

A county writes its report in its own words year after year: its headings (做优事前目标
评价，将……紧密结合), their order, the names of its problems and measures parts. A draft
in a generic outline would have to be re-headed by hand. So when last year's report is
known, the draft follows it: each work section our templates can fill takes the heading
of last year's section of the same stage (the stage its heading was read as, by
``extract/data/stages.yaml``), in last year's order, any year in it set to the draft's; sections last year did not have keep our heading and our relative
order (each goes just before the next section that follows our outline order); the work,
problems and measures parts take last year's part headings. Numbering is always ours
(一、 / （一）), so the structure reads back the same way.
"""

from __future__ import annotations

import copy
import math
import re
from dataclasses import dataclass
from typing import Any

from jixiao.extract.numbering import match_numbering

__all__ = ["PreviousSection", "follow_previous"]

MAX_HEADING = 48  # characters: a longer "heading" is a run-in paragraph, not a title


@dataclass(frozen=True)
class PreviousSection:
    """A section of last year's report as read: its heading (numbering included), level
    in the section tree and stage."""

    heading: str
    level: int
    stage: str | None


_YEAR = re.compile(r"(?<!\d)20\d\d(?=年)")


def _title(heading: str, year: int, rename: dict[str, str] | None = None) -> str | None:
    """Last year's heading without its numbering and with its year set to the year the
    draft's figures are for, or None when it is no usable title. (Reports date headings
    by the report year or by the year before it, so the year is set, not shifted.)

    >>> _title("1、2023年部门（单位）整体支出绩效评价", 2025)
    '2025年部门（单位）整体支出绩效评价'
    >>> _title("（二）事前绩效评价", 2025)
    '事前绩效评价'
    >>> _title("（三）民丰县预算绩效管理保障措施建设情况", 2025, {"民丰县": "青禾县"})
    '青禾县预算绩效管理保障措施建设情况'
    """
    numbering = match_numbering(heading)
    text = heading[numbering.end:] if numbering else heading
    text = text.strip().rstrip("。：:")
    if not text or len(text) > MAX_HEADING:
        return None
    for old, new in (rename or {}).items():
        text = text.replace(old, new)
    return _YEAR.sub(str(year), text)


def follow_previous(outline: dict[str, Any], previous: list[PreviousSection], *, year: int,
                    rename: dict[str, str] | None = None) -> tuple[dict[str, Any], int]:
    """``outline`` (outline.yaml's shape) re-titled and re-ordered after last year's
    sections; also how many headings were taken from last year. ``rename`` replaces
    names in the headings (last year's county by this draft's, when they differ)."""
    result = copy.deepcopy(outline)
    work_stages = {s["stage"] for part in result["parts"] for s in part.get("sections", [])}
    taken: dict[str, tuple[int, str]] = {}  # stage -> (position last year, heading)
    part_heading: dict[str, str] = {}  # "work" / "problems" / "measures" -> heading
    top = min((p.level for p in previous), default=1)
    for position, sec in enumerate(previous):
        title = _title(sec.heading, year, rename)
        if title is None or sec.stage is None:
            continue
        if sec.stage in work_stages and sec.stage not in taken:
            taken[sec.stage] = (position, title)
        elif (sec.stage in ("work", "problems", "measures") and sec.level == top
              and sec.stage not in part_heading):
            part_heading[sec.stage] = title
    used = len(taken) + len(part_heading)
    for part in result["parts"]:
        kind = part.get("generator", "work")
        if kind in part_heading:
            part["heading"] = part_heading[kind]
        if "sections" not in part:
            continue
        ours = part["sections"]
        for sec in ours:
            if sec["stage"] in taken:
                sec["heading"] = taken[sec["stage"]][1]

        def order(index: int, ours: list[dict[str, Any]] = ours) -> tuple[float, int, int]:
            stage = ours[index]["stage"]
            if stage in taken:
                return (taken[stage][0], 0, index)
            later = [taken[s["stage"]][0] for s in ours[index + 1:] if s["stage"] in taken]
            return (later[0] if later else math.inf, -1, index)

        part["sections"] = [ours[i] for i in sorted(range(len(ours)), key=order)]
    return result, used
