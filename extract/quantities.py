"""Find the figures in a report's running text: a number, its unit, and how it is qualified.

A figure in these reports is always written as *number [万/亿] [余/多] [space] unit* —
``459个``, ``13.304271亿元``, ``约 3.2 亿元``, ``X％``, ``两人``, ``1万余元``. The finder is
therefore one regular expression built from ``data/units.yaml`` (which units exist, what they
normalise to, and the lexical facts that tell a unit from the first character of an ordinary
word such as 分别 or 项目), followed by a few checks that need the value or the context:
calendar years and dates are not durations, a number after 第 or 〔2023〕 is not a figure,
numbers inside quoted slogans and 《titles》 are not figures.

Money is normalised to 万元 and every value is a :class:`~decimal.Decimal` computed exactly,
because the consistency checks compare sums and shares to the stated decimals: a binary
float would turn ``8.12962157亿元`` into a value that no longer equals its own parts.

An amount may be written in mixed units (``12亿3,456万7千元``, ``3亿5000万元``): it is one
figure, read before the others. A figure right after a word of change (下降3.2%, 减少120万元,
同比增长12%) carries the direction the word states (``data/directions.yaml``); its value
stays the magnitude as written.

What this module deliberately does not do: decide what a figure *means* (its catalog key,
month, grade — that is the attribution step), parse table cells (their unit is in the column
header; use :func:`parse_number`), or read dates (:mod:`jixiao.extract.dates`). It reads
simplified characters: a text in traditional characters goes through
:func:`jixiao.extract.normalize.to_simplified` first (same length, same offsets).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal, localcontext
from functools import cache
from typing import Any, NamedTuple

from .resources import load_yaml

__all__ = ["Quantity", "find_quantities", "parse_number", "to_wanyuan"]


@dataclass(frozen=True, slots=True)
class Quantity:
    """One figure as found in the text.

    ``value`` is normalised (money in 万元, percentages in percent, counts as integers) so
    figures from different reports compare directly; ``number_text``/``unit_text`` keep the
    figure as written, because the number of decimals written is the rounding a share check
    must allow. ``approx`` says the value itself is approximate (约3.2亿元, 90%以上);
    ``comparator`` says the phrase defines a set instead of reporting a value (超过20万元的项目,
    偏差小于等于20%), so it must never be summed or compared as a result. ``kind`` is one of
    ``money``, ``percent``, ``count``, ``score``, ``duration`` or ``measure`` (公里, 亩).
    ``sign`` is ``"+"`` or ``"-"`` when the figure is a change whose direction the text states
    (增长12%, 下降3.2%, 减少120万元), else None; ``value`` is the magnitude either way.
    """

    value: Decimal | None
    unit: str
    kind: str
    number_text: str
    unit_text: str
    start: int
    end: int
    approx: str | None = None
    comparator: str | None = None
    placeholder: bool = False
    sign: str | None = None


# --------------------------------------------------------------------------- numbers

# Full-width digits, percent, X and the full-width point fold to ASCII, one character for one
# so that offsets into the folded text are offsets into the input.
_FOLD = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)}  # ０-９
_FOLD |= {0xFF05: ord("%"), 0xFE6A: ord("%"), 0xFF38: ord("X"), 0xFF58: ord("x")}
_FOLD |= {0xFF0E: ord("."), 0xFF1E: ord(">"), 0xFF1C: ord("<")}

# Arabic number: thousands groups must be exactly three digits (10,113.65); a comma followed
# by anything else is a list separator, not part of the number.
_ARABIC = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?"
# Chinese numeral: starts with a digit word or 十 (百/千 alone are not numbers: 百分之, 千元).
# 万/亿 are left out on purpose and handled as multipliers, like after Arabic digits.
_CN_DIGITS = "〇零一二两三四五六七八九十百千"
_CHINESE = r"[一二两三四五六七八九十〇零][〇零一二两三四五六七八九十百千]*"
# Template placeholder: X, XX, XXX, x, ×× — not part of a Latin word or code.
_PLACEHOLDER = r"(?:X{1,3}|x{1,3}|×{1,3})"
# An amount in mixed units (12亿3,456万7千元, 1亿2千万元) is a run of segments, each a number
# and the place it stands for, the places decreasing.
_SEGMENT = rf"(?:{_ARABIC}|{_CHINESE})"
# The places are the multipliers of units.yaml (万, 亿, 兆) and these.
_PLACES = {"千万": 10**7, "百万": 10**6, "千": 10**3, "百": 10**2}

# Single-character numerals, read without cn2an; longer ones (十二, 一百零五) go to cn2an.
_CN_SMALL = {c: i for i, c in enumerate("零一二三四五六七八九十")}

# Decimal precision for normalising: far above any figure written in a report, so that
# multiplying by 万/亿 and the unit factor never rounds.
_PREC = 60

_ARABIC_FULL = re.compile(rf"[+-]?{_ARABIC}")
_ARABIC_MULT = re.compile(rf"(?P<n>[+-]?{_ARABIC})(?P<m>[万亿])")
_CHINESE_FULL = re.compile(r"[〇零一二两三四五六七八九十百千万亿]+")


def parse_number(text: str) -> Decimal:
    """Read one number as written in a report, exactly.

    Table cells and figures share this parser so that ``10,113.65`` in a cell and in a
    sentence give the same Decimal. Raises ``ValueError`` for anything that is not a number
    (placeholders included: they have no value).

    >>> parse_number("10,113.65")
    Decimal('10113.65')
    >>> parse_number("８.１２９６２１５７")
    Decimal('8.12962157')
    >>> parse_number("两"), parse_number("十二"), parse_number("一百零五")
    (Decimal('2'), Decimal('12'), Decimal('105'))
    >>> parse_number("1.2万")
    Decimal('12000.0')
    >>> parse_number("X")
    Traceback (most recent call last):
    ...
    ValueError: not a number: 'X'
    """
    s = text.strip().translate(_FOLD)
    if _ARABIC_FULL.fullmatch(s):
        return Decimal(s.replace(",", ""))
    if m := _ARABIC_MULT.fullmatch(s):
        return Decimal(m["n"].replace(",", "")) * _multipliers()[m["m"]]
    if _CHINESE_FULL.fullmatch(s):
        cn = s.replace("两", "二").replace("〇", "零")
        if cn in _CN_SMALL:  # 一人, 两个, 五个方面: most numerals in these reports
            return Decimal(_CN_SMALL[cn])
        if cn[0] in "百千万亿":  # 百分之百, 千人: the leading 一 is implied
            cn = "一" + cn
        import cn2an  # deferred: importing it compiles large patterns (0.2 s of a cold start)

        try:
            n = cn2an.cn2an(cn, "strict")
        except (ValueError, KeyError, IndexError) as exc:
            raise ValueError(f"not a number: {text!r}") from exc
        return Decimal(str(n)) if isinstance(n, float) else Decimal(n)
    raise ValueError(f"not a number: {text!r}")


def to_wanyuan(value: Decimal, unit_text: str) -> Decimal:
    """Convert an amount written in ``unit_text`` to 万元, exactly.

    ``unit_text`` is a money unit of ``units.yaml`` (元 千元 万元 亿元, bare 万 and 亿), possibly
    preceded by a multiplier (``万`` + ``元`` as in 1万余元). The result is canonical (no
    trailing zeros) so that equal amounts print alike.

    >>> to_wanyuan(Decimal("13.304271"), "亿元")
    Decimal('133042.71')
    >>> to_wanyuan(Decimal("5000"), "元"), to_wanyuan(Decimal("21.3"), "亿")
    (Decimal('0.5'), Decimal('213000'))
    >>> to_wanyuan(Decimal("1"), "个")
    Traceback (most recent call last):
    ...
    ValueError: not a money unit: '个'
    """
    factor = _money_factor(unit_text.strip().replace("％", "%"))
    if factor is None:
        raise ValueError(f"not a money unit: {unit_text!r}")
    with localcontext() as ctx:
        ctx.prec = _PREC  # products of written decimals are exact at this precision
        return _canonical(value * factor)


def _money_factor(unit_text: str) -> Decimal | None:
    """Factor to 万元 of a money unit, or None when ``unit_text`` is not money."""
    units = _grammar().units
    if (u := units.get(unit_text)) is not None and u.kind == "money":
        return u.factor
    mult = _multipliers().get(unit_text[:1])
    if mult is not None and (u := units.get(unit_text[1:])) is not None and u.kind == "money":
        return mult * u.factor
    return None


def _canonical(d: Decimal) -> Decimal:
    """Drop trailing zeros without switching to exponent notation (1E+4 → 10000).

    >>> _canonical(Decimal("133042.710000")), _canonical(Decimal("1E+4"))
    (Decimal('133042.71'), Decimal('10000'))
    """
    with localcontext() as ctx:
        ctx.prec = _PREC
        d = d.normalize()
        return d.quantize(Decimal(1)) if d == d.to_integral_value() else d


# --------------------------------------------------------------------------- the unit table


@dataclass(frozen=True, slots=True)
class _Unit:
    """One row of ``units.yaml``; see the comments there for what each field is for."""

    surface: str
    unit: str
    kind: str
    factor: Decimal
    chinese: bool
    placeholder: bool
    multiplier: bool
    not_before: str
    only_before: str
    not_after: str
    max_value: Decimal | None
    approx: str | None


@dataclass(frozen=True, slots=True)
class _Qualifier:
    approx: str | None
    comparator: str | None
    set: str | None  # comparator to use when the phrase defines a set
    kinds: frozenset[str] | None
    after: frozenset[str] | None  # suffixes: only after these unit surfaces


@dataclass(frozen=True, slots=True)
class _Grammar:
    units: dict[str, _Unit]
    pattern: re.Pattern[str]
    number_not_after: str
    chinese_not_after: str
    chinese_not_before: tuple[str, ...]
    mask_pattern: re.Pattern[str]
    prefix: dict[str, _Qualifier | None]
    suffix: dict[str, _Qualifier | None]
    infix: dict[str, _Qualifier | None]
    prefix_max: int
    suffix_max: int
    compound: re.Pattern[str]


@cache
def _multipliers() -> dict[str, Decimal]:
    return {k: Decimal(v) for k, v in load_yaml("units.yaml")["multipliers"].items()}


@cache
def _placeholder_words() -> tuple[str, ...]:
    return tuple(load_yaml("units.yaml").get("placeholder_words", ()))


@cache
def _magnitudes() -> dict[str, int]:
    """Place words of an amount in mixed units: 兆, 亿, 千万, 百万, 万, 千, 百."""
    return _PLACES | {k: int(v) for k, v in _multipliers().items()}


def _magnitude_alts() -> str:
    return "|".join(sorted(_magnitudes(), key=len, reverse=True))


@cache
def _compound_part() -> re.Pattern[str]:
    return re.compile(rf"零?(?P<n>{_ARABIC}|{_CHINESE})(?P<m>{_magnitude_alts()})?")


def _unit_from_row(row: dict[str, Any]) -> _Unit:
    kind = row["kind"]
    max_value = row.get("max_value")
    return _Unit(
        surface=row["surface"],
        unit=row["unit"],
        kind=kind,
        factor=Decimal(str(row.get("factor", "1"))),
        chinese=row.get("chinese", True),
        placeholder=row.get("placeholder", True),
        multiplier=row.get("multiplier", kind in ("count", "measure")),
        not_before=row.get("not_before", ""),
        only_before=row.get("only_before", ""),
        not_after=row.get("not_after", ""),
        max_value=None if max_value is None else Decimal(str(max_value)),
        approx=row.get("approx"),
    )


def _qualifiers(table: dict[str, Any]) -> dict[str, _Qualifier | None]:
    out: dict[str, _Qualifier | None] = {}
    for word, spec in table.items():
        if spec is None:  # a mask: the word qualifies nothing
            out[word] = None
            continue
        out[word] = _Qualifier(
            approx=spec.get("approx"),
            comparator=spec.get("comparator"),
            set=spec.get("set"),
            kinds=frozenset(spec["kinds"]) if "kinds" in spec else None,
            after=frozenset(spec["after"]) if "after" in spec else None,
        )
    return out


_CJK = r"\u3400-\u4dbf\u4e00-\u9fff"


def _unit_alternative(u: _Unit) -> str:
    """The regex of one unit: its surface, then what may not / may only follow it."""
    alt = re.escape(u.surface)
    if u.not_before:
        alt += f"(?![{re.escape(u.not_before)}])"
    if u.only_before:
        alt += f"(?:(?![{_CJK}])|(?=[{re.escape(u.only_before)}]))"
    return alt


@cache
def _grammar() -> _Grammar:
    """Compile the finder from ``units.yaml`` once per process."""
    data = load_yaml("units.yaml")
    units = {row["surface"]: _unit_from_row(row) for row in data["units"]}
    by_length = sorted(units.values(), key=lambda u: -len(u.surface))  # longest wins
    unit_alts = "|".join(_unit_alternative(u) for u in by_length)
    mult_units = "|".join(re.escape(u.surface) for u in by_length if u.multiplier)
    mults = "".join(_multipliers())
    infixes = "".join(data["qualifiers"]["infix"])
    held = "".join(f"|{re.escape(w)}" for w in _placeholder_words())
    pattern = re.compile(
        rf"""
        # 百分之二十, 百分之百: the unit comes first
        (?P<pct>百分之)(?P<pnum>{_ARABIC}|[{_CN_DIGITS}]+)
        |
        (?P<num>
            (?<![\dA-Za-z.])(?<!\d,){_ARABIC}              # 10,113.65 — never mid-number
          | (?<![\dA-Za-z])(?:{_PLACEHOLDER}{held})(?![A-Za-z])  # X个, XX万元, 点击查看>> 万元
          | (?<![{_CN_DIGITS}]){_CHINESE}                   # 两人, 十二个 — a whole run
        )
        # 万/亿 as a multiplier, only when a unit that takes one follows: 1万人, 1万余元
        (?P<mult>[{mults}](?=[{infixes}]?(?:{mult_units})))?
        (?P<infix>[{infixes}])?                            # 100余个, 30多家
        # one space (PDF: 38 个), or a line break with at most one blank line (hard wraps)
        (?P<ws>[ \u3000\xa0]|[ \t]*\n(?:[ \t]*\n)?[ \t\u3000]*)?
        (?P<unit>{unit_alts})
        """,
        re.VERBOSE,
    )
    slogan = int(data["slogan_max_chars"])
    title = int(data["title_max_chars"])
    fixed = "|".join(re.escape(w) for w in sorted(data["fixed_expressions"], key=len, reverse=True))
    mask_pattern = re.compile(
        rf"(?P<quote>“[^“”]{{1,{slogan}}}”|‘[^‘’]{{1,{slogan}}}’|「[^「」]{{1,{slogan}}}」"
        rf"|\"[^\"\n]{{1,{slogan}}}\")|《[^《》]{{1,{title}}}》|{fixed}"
    )
    quals = data["qualifiers"]
    prefix, suffix = _qualifiers(quals["prefix"]), _qualifiers(quals["suffix"])
    mult_alts = "|".join(_unit_alternative(u) for u in by_length if u.multiplier)
    compound = re.compile(
        rf"""
        (?P<body>
            (?<![\dA-Za-z.{_CN_DIGITS}])(?<!\d,){_SEGMENT}[{mults}]   # 12亿, 三亿, 3万
            (?:零?{_SEGMENT}(?:{_magnitude_alts()})?)+                 # 3,456万 7千 | 五千万
        )
        (?P<infix>[{infixes}])?
        (?P<unit>{mult_alts})?                                          # 元, 人, 亩 … or none
        """,
        re.VERBOSE,
    )
    return _Grammar(
        units=units,
        pattern=pattern,
        number_not_after=data["number_not_after"],
        chinese_not_after=data["chinese_not_after"],
        chinese_not_before=tuple(data["chinese_not_before"]),
        mask_pattern=mask_pattern,
        prefix=prefix,
        suffix=suffix,
        infix=_qualifiers(quals["infix"]),
        prefix_max=max(map(len, prefix)),
        suffix_max=max(map(len, suffix)),
        compound=compound,
    )


# --------------------------------------------------------------------------- context

_WS = re.compile(r"\s+")
_CJK_CHAR = re.compile(f"[{_CJK}]")
# A bare number right before a figure and joined to it by a range sign: 60-80分, 5至10个.
_RANGE_SIGN = re.compile(r"[ ]?[-~～—–至到][ ]?")
# 第1、2、3项: every number of a list opened by 第 is an ordinal. Only 、和及 join such a list:
# after a comma a new clause begins (排名第1，12个项目获评优秀).
_ORDINAL_LIST = re.compile(
    rf"第[ ]?(?:\d+|{_CHINESE})(?:[ ]?[、和及][ ]?(?:\d+|{_CHINESE}))*[ ]?[、和及][ ]?$")
_RANGE_HEAD = re.compile(
    rf"(?:(?<![\dA-Za-z.])(?P<a>{_ARABIC})|(?<![{_CN_DIGITS}])(?P<c>{_CHINESE}))"
    r"[ ]?[-~～—–至到][ ]?$"
)


def _longest_end(window: str, table: Mapping[str, object], longest: int) -> str | None:
    """The longest word of ``table`` that ``window`` ends with."""
    for n in range(min(longest, len(window)), 0, -1):
        if window[-n:] in table:
            return window[-n:]
    return None


def _longest_start(window: str, table: dict[str, _Qualifier | None], longest: int) -> str | None:
    """The longest word of ``table`` that ``window`` starts with."""
    for n in range(min(longest, len(window)), 0, -1):
        if window[:n] in table:
            return window[:n]
    return None


def _skip_ws(text: str, i: int, limit: int = 6) -> int:
    """Index of the first non-whitespace character at or after ``i`` (at most ``limit`` on)."""
    stop = min(len(text), i + limit)
    while i < stop and text[i].isspace():
        i += 1
    return i


# A quotation holding this many CJK characters besides its figures quotes a criterion.
_CRITERION_WORDS = 6


def _masks(text: str, g: _Grammar) -> tuple[list[int], list[int]]:
    """Spans (starts, ends) of slogans, titles and fixed expressions, in text order.

    A quotation is no slogan where it holds an Arabic number with its unit among words:
    it quotes a criterion (「执行率未达90%」), whose figure is one of the report's, and the
    figure's span is left out of the mask. Slogans are short or count in words (“一加五”,
    “两个维护”, “5个一”).
    """
    starts: list[int] = []
    ends: list[int] = []
    for m in g.mask_pattern.finditer(text):
        at = m.start()
        if m["quote"] and len(_CJK_CHAR.findall(m.group())) >= _CRITERION_WORDS:
            for q in g.pattern.finditer(text, m.start() + 1, m.end() - 1):
                if q["num"] and q["num"][0].isdigit():
                    if q.start() > at:
                        starts.append(at)
                        ends.append(q.start())
                    at = q.end()
        if m.end() > at:
            starts.append(at)
            ends.append(m.end())
    return starts, ends


def _masked(start: int, end: int, masks: tuple[list[int], list[int]]) -> bool:
    """Does [start, end) overlap a masked span? Masks do not overlap each other."""
    starts, ends = masks
    i = bisect.bisect_right(starts, start) - 1
    if i >= 0 and ends[i] > start:
        return True
    j = i + 1
    return j < len(starts) and starts[j] < end


def _qualify(
    text: str, start: int, end: int, unit: _Unit, unit_text: str, infix: str | None, g: _Grammar
) -> tuple[str | None, str | None]:
    """(approx, comparator) from the words around the figure text[start:end].

    A threshold such as 超过20万元的项目 or 20万以下的项目 defines the projects it talks
    about; 达90%以上 reports a value that is only bounded. The difference is what follows:
    的 after a prefixed figure, any CJK character after a suffix.
    """
    before = _WS.sub("", text[max(0, start - g.prefix_max - 4) : start])
    p_word = _longest_end(before, g.prefix, g.prefix_max)
    p = g.prefix.get(p_word) if p_word else None
    if p is not None and p.kinds is not None and unit.kind not in p.kinds:
        p = None

    i = _skip_ws(text, end)
    s_word = _longest_start(text[i : i + g.suffix_max], g.suffix, g.suffix_max)
    s = g.suffix.get(s_word) if s_word else None
    if s is not None and (
        (s.after is not None and unit_text not in s.after)
        or (s.kinds is not None and unit.kind not in s.kinds)
    ):
        s, s_word = None, None
    after_phrase = _skip_ws(text, i + len(s_word)) if s_word else i
    follower = text[after_phrase : after_phrase + 1]

    comparator = (p.comparator if p else None) or (s.comparator if s else None)
    if comparator is None and s is not None and s.set and _CJK_CHAR.match(follower):
        comparator = s.set
    if comparator is None and p is not None and p.set and follower == "的":
        comparator = p.set
    if comparator is not None:
        return None, comparator
    i_q = g.infix.get(infix) if infix else None
    for q in (p, i_q, s):
        if q is not None and q.approx:
            return q.approx, None
    return unit.approx, None


# --------------------------------------------------------------------------- the finder


def _char_before(text: str, start: int) -> str:
    """The character before ``start``, skipping spaces (PDF text: 第 3 个, 1月 29日)."""
    j = start - 1
    while j >= 0 and text[j] in " \u3000\xa0":
        j -= 1
    return text[j] if j >= 0 else ""


def _number_ok(text: str, start: int, chinese: bool, g: _Grammar) -> bool:
    """Is the number at ``start`` free of the context that makes it an ordinal or a name?"""
    prev = _char_before(text, start)
    if prev and prev in g.number_not_after:
        return False
    return not (chinese and prev and prev in g.chinese_not_after)


def _value(number_text: str, mult: str, unit: _Unit) -> Decimal:
    """Normalised value of a number written before ``mult`` (万/亿 or '') and ``unit``."""
    n = parse_number(number_text)
    with localcontext() as ctx:
        ctx.prec = _PREC
        if mult:
            n *= _multipliers()[mult]
        return _canonical(n * unit.factor)


def find_quantities(text: str) -> list[Quantity]:
    """Every figure with a unit in ``text``, in text order, non-overlapping.

    A bare number (a table cell, ``100`` on its own) is not returned: without a unit it
    cannot be told from a year, an ordinal or a code.

    >>> [(str(q.value), q.unit, q.approx) for q in find_quantities("限期 30 天的 38 个约 3.2 亿元")]
    [('30', '天', None), ('38', '个', None), ('32000', '万元', 'about')]
    >>> [(str(q.value), q.comparator) for q in find_quantities("超过20万元的项目，20万以下的项目")]
    [('20', '>'), ('20', '<')]
    >>> find_quantities("2023年1月29日，8月份，第六幼儿园，“一加五”，分别")
    []
    >>> [(str(q.value), q.unit) for q in find_quantities("共12亿3,456万7千元")]
    [('123456.7', '万元')]
    >>> [(str(q.value), q.sign) for q in find_quantities("同比下降3.2%，增长了5%，增长率为6%")]
    [('3.2', '-'), ('5', '+'), ('6', None)]
    """
    g = _grammar()
    folded = text.translate(_FOLD)
    masks = _masks(folded, g)
    compounds = [q for q in _compound_amounts(text, folded, g)
                 if not _masked(q.start, q.end, masks)]
    taken = ([q.start for q in compounds], [q.end for q in compounds])
    found: list[Quantity] = []
    for m in g.pattern.finditer(folded):
        if compounds and _masked(m.start(), m.end(), taken):
            continue  # part of an amount in mixed units, read as one figure
        last_end = found[-1].end if found else 0
        if m["pct"]:
            q = _percent_word(text, m)
            if q is not None and not _masked(q.start, q.end, masks):
                found.append(q)
            continue
        q = _figure(text, folded, m, g)
        if q is None or _masked(q.start, q.end, masks):
            continue
        head = _range_head(folded, q.start, last_end, g.units[m["unit"]], m["mult"] or "", g)
        if head is not None and head.rank:  # 第1-3名: a rank, not a figure
            continue
        if head is not None:
            unit = g.units[m["unit"]]
            h_approx, h_comp = _qualify(folded, head.start, head.end, unit, q.unit_text, None, g)
            found.append(
                replace(
                    q,
                    value=head.value,
                    number_text=text[head.start : head.end],
                    start=head.start,
                    end=head.end,
                    approx=h_approx,
                    comparator=h_comp,
                )
            )
        found.append(q)
    if compounds:
        found = sorted(found + compounds, key=lambda q: q.start)
    signed: list[Quantity] = []
    for q in found:
        q = _with_sign(folded, q, g)
        prev = signed[-1] if signed else None
        if prev is not None and prev.sign and q.sign is None \
                and _RANGE_SIGN.fullmatch(folded, prev.end, q.start):
            q = replace(q, sign=prev.sign)  # 下降2-3个百分点: the range falls as a whole
        signed.append(q)
    return signed


def _compound_amounts(text: str, folded: str, g: _Grammar) -> list[Quantity]:
    """Amounts written in mixed units: 12亿3,456万7千元, 3亿5000万元, 1亿2千万元, 1万2千人.

    The places must decrease (12亿 then 3,456万 then 7千) and each part stay below the
    place before it; a run that ends without a unit must end in 万 or 亿, which are money on
    their own (3亿5000万的), under the same condition as a bare 万 (see ``units.yaml``).
    """
    out: list[Quantity] = []
    for m in g.compound.finditer(folded):
        start = m.start("body")
        parts = list(_compound_part().finditer(m["body"]))
        chinese = m["body"][0] in _CN_DIGITS
        if not _number_ok(folded, start, chinese, g):
            continue
        total = Decimal(0)
        place: int | None = None
        try:
            for p in parts:
                mag = _magnitudes()[p["m"]] if p["m"] else 1
                amount = parse_number(p["n"]) * mag
                if amount <= 0 or (place is not None and (mag >= place or amount >= place)):
                    raise ValueError(m["body"])
                if mag == 1 and not _units_place(p, place):
                    raise ValueError(m["body"])  # 3亿5个: not 300000005个
                total += amount
                place = mag
        except ValueError:
            continue
        if m["unit"]:
            unit = g.units[m["unit"]]
            unit_text = text[m.start("unit") : m.end("unit")]
        else:
            unit = g.units["万"]  # a bare amount is money in these reports, like 20万
            last = parts[-1]["m"] or ""
            after = folded[m.end() : m.end() + 1]
            if not last.endswith(("万", "亿")) or (
                _CJK_CHAR.match(after) and after not in unit.only_before
            ):
                continue
            unit_text = last[-1]
            total /= Decimal(10000)  # written in 元 with the place words: to 万元
        with localcontext() as ctx:
            ctx.prec = _PREC
            value = _canonical(total * unit.factor)
        approx, comparator = _qualify(folded, start, m.end(), unit, unit_text, m["infix"], g)
        out.append(Quantity(
            value=value, unit=unit.unit, kind=unit.kind,
            number_text=text[start : m.end("body")], unit_text=unit_text,
            start=start, end=m.end(), approx=approx, comparator=comparator,
        ))
    return out


def _units_place(part: re.Match[str], place: int | None) -> bool:
    """May a last part without a place word stand for ones? Only when 零 says so (1万零500人)
    or its digits fill the places left (3万2500元); 3万5 alone is spoken for 3.5万."""
    if part.group(0).startswith("零") or part["n"][-1] in "十百千":  # 三万五千元
        return True
    digits = part["n"].replace(",", "")
    return place is not None and digits.isdigit() and 10 ** len(digits) == place


# --------------------------------------------------------------------------- direction


@dataclass(frozen=True, slots=True)
class _Directions:
    words: dict[str, str]  # word → "+" | "-"
    between: dict[str, str]  # words that may stand between the word and the figure
    signs: dict[str, str]  # a sign written before the number → "+" | "-"
    longest: int


@cache
def _directions() -> _Directions:
    data = load_yaml("directions.yaml")
    words = {w: "+" for w in data["increase"]} | {w: "-" for w in data["decrease"]}
    between = {w: w for w in data["between"]}
    signs = {c: "+" for c in data["signs"]["plus"]} | {c: "-" for c in data["signs"]["minus"]}
    return _Directions(words, between, signs, max(map(len, [*words, *between])))


def _with_sign(folded: str, q: Quantity, g: _Grammar) -> Quantity:
    """``q`` with the direction of change its context states (下降3.2%, 增长-1.5%)."""
    d = _directions()
    sign = None
    j = q.start
    if j and folded[j - 1] in d.signs and not (j > 1 and folded[j - 2].isalnum()
                                                and not _CJK_CHAR.match(folded[j - 2])):
        sign = d.signs[folded[j - 1]]  # 增长-1.5%; 60-80分 is a range, not a sign
        j -= 1
    window = _WS.sub("", folded[max(0, j - 4 * d.longest) : j])
    while True:  # 下降幅度为约3%: step back over 为, 幅度 and the qualifiers (约, 超过)
        word = _longest_end(window, d.between, d.longest) or _longest_end(
            window, g.prefix, g.prefix_max)
        if word is None or g.prefix.get(word, d.between.get(word)) is None:
            break
        window = window[: -len(word)]
    word = _longest_end(window, d.words, d.longest)
    if word is not None and sign is None:  # a sign written with the number comes first
        sign = d.words[word]
    return q if sign is None else replace(q, sign=sign)


def _figure(text: str, folded: str, m: re.Match[str], g: _Grammar) -> Quantity | None:
    """The figure of one match of the number/unit pattern, or None when the context shows
    it is something else: an ordinal, a discourse word, a date, a calendar year."""
    start, end = m.start("num"), m.end()
    num = m["num"]
    unit = g.units[m["unit"]]
    chinese = num[0] in _CN_DIGITS
    placeholder = num[0] in "Xx×" or num in _placeholder_words()
    mult = m["mult"] or ""
    if not _number_ok(folded, start, chinese, g):
        return None
    if (chinese and not unit.chinese) or (placeholder and not unit.placeholder):
        return None
    if chinese and folded.startswith(g.chinese_not_before, end):  # 一条就是…
        return None
    prev = _char_before(folded, start)
    if prev and prev in unit.not_after:  # 1月29日 is a date
        return None
    if prev in "、和及" and _ORDINAL_LIST.search(folded, max(0, start - 40), start):
        return None
    value: Decimal | None = None
    if not placeholder:
        try:
            value = _value(num, mult, unit)
        except ValueError:  # 一二个, 二〇二三年
            return None
        if unit.max_value is not None and value > unit.max_value:  # 2022年 is a year
            return None
    unit_text = text[m.start("unit") : m.end("unit")]
    if mult:
        unit_text = text[m.start("mult") : m.end("mult")] + unit_text
    approx, comparator = _qualify(folded, start, end, unit, unit_text, m["infix"], g)
    return Quantity(
        value=value,
        unit=unit.unit,
        kind=unit.kind,
        number_text=text[start : m.end("num")],
        unit_text=unit_text,
        start=start,
        end=end,
        approx=approx,
        comparator=comparator,
        placeholder=placeholder,
    )


class _Head(NamedTuple):
    """The first number of a range; ``rank`` when the range is 第1-3名 (no figure at all)."""

    start: int
    end: int
    value: Decimal | None
    rank: bool


def _range_head(
    folded: str, start: int, last_end: int, unit: _Unit, mult: str, g: _Grammar
) -> _Head | None:
    """The first number of a range (60 in 60-80分), which takes the unit written after the
    second. Only a bare number qualifies, so 60分-80分 stays two ordinary figures."""
    rm = _RANGE_HEAD.search(folded, max(last_end, start - 24), start)
    if rm is None:
        return None
    h_start = rm.start("a") if rm["a"] else rm.start("c")
    h_text = rm["a"] or rm["c"]
    prev = _char_before(folded, h_start)
    if prev and prev in g.number_not_after:
        return _Head(h_start, h_start + len(h_text), None, rank=True)
    if rm["c"] and ((prev and prev in g.chinese_not_after) or not unit.chinese):
        return None
    try:
        value = _value(h_text, mult, unit)
    except ValueError:
        return None
    if unit.max_value is not None and value > unit.max_value:
        return None
    return _Head(h_start, h_start + len(h_text), value, rank=False)


def _percent_word(text: str, m: re.Match[str]) -> Quantity | None:
    """百分之二十 → 20 %; the unit is written before the number."""
    try:
        value = _canonical(parse_number(m["pnum"]))
    except ValueError:
        return None
    return Quantity(
        value=value,
        unit="%",
        kind="percent",
        number_text=text[m.start("pnum") : m.end("pnum")],
        unit_text=m["pct"],
        start=m.start(),
        end=m.end(),
    )
