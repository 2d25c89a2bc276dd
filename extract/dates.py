"""Find the dates in a report's running text: deadlines, cut-off days, dates of events.

A date is a figure of its own kind (``kind`` and ``unit`` ``date``) whose value is the
ISO-like text of the parts written: ``2024年3月15日`` → ``2024-03-15``, ``3月15日`` →
``--03-15``; the end of a month or a year is its last day (``截至6月底`` → ``--06-30``,
``截止2023年末`` → ``2023-12-31``). A date names a day: a year alone (``2023年``,
``2023年度``), a month alone (``8月份``, ``5月监控``) or a year and a month (``2025年5月、8月
两个监控节点``) frame the figures around them, which the attribution step reads. The
vocabulary is ``data/dates.yaml``.

Like :mod:`jixiao.extract.quantities` this reads simplified characters; offsets are those
of the text given.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from functools import cache

from jixiao.extract.resources import load_yaml

__all__ = ["DateFigure", "find_dates"]


@dataclass(frozen=True, slots=True)
class DateFigure:
    """One date as found: ``iso`` is the parts written (``2024-03-15``, ``--06-30``);
    ``comparator`` is ``<=`` for a deadline (6月30日前)."""

    iso: str
    start: int
    end: int
    comparator: str | None = None


_CN_YEAR_DIGIT = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0", "○": "0"}
_CN_SMALL = {c: i for i, c in enumerate("〇一二三四五六七八九十")}



def _y(tag: str) -> str:
    return rf"(?:(?P<y{tag}>\d{{2,4}})|(?P<cy{tag}>[〇零○一二三四五六七八九]{{4}}))[ ]?年"


_M = r"(?:(?P<m>1[0-2]|0?[1-9])|(?P<cm>十[一二]?|[一二三四五六七八九]))[ ]?月"
_D = (r"(?:(?P<d>3[01]|[12]\d|0?[1-9])|(?P<cd>三十一?|二十[一二三四五六七八九]?"
      r"|十[一二三四五六七八九]?|[一二三四五六七八九]))[ ]?")


_DAY_NUMBER = r"(?:3[01]|[12]\d|0?[1-9])"


@cache
def _pattern() -> tuple[re.Pattern[str], dict[str, object]]:
    data = load_yaml("dates.yaml")
    end = "".join(data["period_end"])
    day = "|".join(data["day"])
    deadline = "|".join(sorted(data["deadline"], key=len, reverse=True))
    signs = re.escape(data["range_signs"])
    pattern = re.compile(
        rf"""
        (?<![\d.〇零○一二三四五六七八九十])
        (?:
            {_y("e")}(?P<yend>[{end}])                                  # 2023年末
          | (?:{_y("")}[ ]?)?{_M}(?:
                [ ]?{_D}(?:{day})
              | [ ]?(?P<d1>{_DAY_NUMBER})[ ]?[{signs}][ ]?(?P<d2>{_DAY_NUMBER})[ ]?(?:{day})
              | [ ]?(?P<mend>[{end}]))?                                 # 6月5日 6月5-6日 6月底
          | (?<![月\d])(?P<alone>{_DAY_NUMBER})[ ]?(?:{day})           # 8日 (checked below)
        )
        (?P<dl>[ ]?(?:{deadline})(?!后))?
        """,
        re.VERBOSE,
    )
    return pattern, data


@cache
def _furniture() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in load_yaml("dates.yaml")["furniture_after"]))


def _day_alone_ok(text: str, m: re.Match[str], last_end: int | None,
                  data: dict[str, object]) -> bool:
    """A day written alone is a date after a range sign that follows a date (至8日) or
    before a time of day (6日上午)."""
    between = text[last_end : m.start()].strip(" ") if last_end is not None else ""
    if len(between) == 1 and between in str(data["range_signs"]):
        return True
    after = text[m.end("alone"):].lstrip(" ")
    after = after[1:] if after[:1] in data["day"] else after  # type: ignore[operator]
    return after.startswith(tuple(data["day_alone_before"]))  # type: ignore[arg-type]


def _range_end(start: str | None, between: str, day: int, data: dict[str, object]) -> str:
    """A day written alone: the end of a range (2022年12月6日至8日) takes the year and month
    written at the range's start (2022-12-08); any other day alone is that day only (---08).
    """
    m = re.fullmatch(r"(.*-\d{2})-(\d{2})", start or "")
    if m and between.strip(" ") in str(data["range_signs"]) and int(m.group(2)) < day:
        month = int(m.group(1)[-2:])
        year = int(m.group(1)[:4]) if m.group(1)[:4].isdigit() else 2000
        if day <= calendar.monthrange(year, month)[1]:
            return f"{m.group(1)}-{day:02d}"
    return f"---{day:02d}"


def _cn(text: str) -> int:
    """一 … 三十一: the month and day numerals."""
    if len(text) == 1:
        return _CN_SMALL[text]
    tens = _CN_SMALL[text[0]] if text[0] != "十" else 1
    rest = text[1:] if text[0] == "十" else text[2:]
    return tens * 10 + (_CN_SMALL[rest] if rest else 0)


def _year(m: re.Match[str], roc: dict[str, int]) -> int | None:
    """The year written (None: none; -1: a number before 年 that is no year we can read)."""
    written, chinese = m["y"] or m["ye"], m["cy"] or m["cye"]
    if chinese:
        return int("".join(_CN_YEAR_DIGIT[c] for c in chinese))
    if not written:
        return None
    y = int(written)
    if len(written) == 4:
        return y if 1900 <= y <= 2099 else -1
    if len(written) == 3 or roc["first"] <= y:
        return y + roc["offset"] if roc["first"] <= y <= roc["last"] else -1
    return -1


def find_dates(text: str) -> list[DateFigure]:
    """Every date in ``text`` that names a day: a day of a month, or a month's or a year's
    end.

    >>> [d.iso for d in find_dates("于2024年3月15日前报送，截至6月底完成，截止2023年末")]
    ['2024-03-15', '--06-30', '2023-12-31']
    >>> [d.comparator for d in find_dates("6月30日前报送")]
    ['<=']
    >>> find_dates("2023年度，8月份，5月监控，2025年5月、8月两个节点，112年")
    []
    >>> [d.iso for d in find_dates("6月5-6日考评；12月6日至8日调查；12月前完成，30日内报送")]
    ['--06-05', '--06-06', '--12-06', '--12-08', '--12']
    >>> find_dates("本报北京4月20日电（记者）")
    []
    """
    pattern, data = _pattern()
    roc: dict[str, int] = data["roc"]  # type: ignore[assignment]
    feb_end = int(data["february_end_without_year"])  # type: ignore[call-overload]
    furniture = _furniture()
    out: list[DateFigure] = []
    last_end: int | None = None
    for m in pattern.finditer(text):
        end = m.start("dl") if m["dl"] else m.end()
        comparator = "<=" if m["dl"] else None
        if furniture.match(text, end):
            continue  # a dateline or a newspaper's issue line
        if m["alone"]:
            if _day_alone_ok(text, m, last_end, data):
                iso = _range_end(out[-1].iso if out and out[-1].end == last_end else None,
                                 text[last_end or 0 : m.start()], int(m["alone"]), data)
                out.append(DateFigure(iso, m.start(), end, comparator))
                last_end = end
            continue
        year = _year(m, roc)
        if year == -1:
            continue  # 5年3月: a duration, not a year we know how to read
        month = int(m["m"]) if m["m"] else (_cn(m["cm"]) if m["cm"] else None)
        day = int(m["d"]) if m["d"] else (_cn(m["cd"]) if m["cd"] else None)
        head = (f"{year:04d}" if year is not None else "-")
        if month is not None and m["d1"]:  # 6月5-6日: two dates sharing month and 日
            d1, d2 = int(m["d1"]), int(m["d2"])
            last = calendar.monthrange(year or 2000, month)[1]
            if d1 < d2 <= last:
                out.append(DateFigure(f"{head}-{month:02d}-{d1:02d}", m.start(), m.end("d1")))
                out.append(DateFigure(f"{head}-{month:02d}-{d2:02d}", m.start("d2"), end,
                                      comparator))
                last_end = end
            continue
        if month is None:
            month, day = 12, 31  # 2023年末
        elif day is None and not m["mend"]:
            if comparator:  # 12月前: a deadline by the month
                out.append(DateFigure(f"{head}-{month:02d}", m.start(), end, comparator))
                last_end = end
            continue  # a month, with or without its year: 8月, 5月监控, 2025年5月
        elif m["mend"]:
            if year is not None:
                day = calendar.monthrange(year, month)[1]
            else:
                day = feb_end if month == 2 else calendar.monthrange(2001, month)[1]
        if day is not None and day > calendar.monthrange(year or 2000, month)[1]:
            continue  # 2月30日: not a day
        out.append(DateFigure(f"{head}-{month:02d}-{day:02d}", m.start(), end, comparator))
        last_end = end
    return out
