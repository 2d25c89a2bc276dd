"""Listed counts: the number written against the items named.

Two shapes: the names before the count (从A、B、C三个方面 / 对A、B、C3个部门单位), which
must match it; and the names after it (项目5个，其中A项目、B项目和C项目评价为“优”；D项目与
E项目评价为“良”), which may be only some of them (其中 often picks out a few) but never
more than the count.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from types import SimpleNamespace

from jixiao.check.clauses import folded
from jixiao.check.context import CheckContext, load_check_yaml
from jixiao.check.tolerance import fmt
from jixiao.extract.metrics import Metric

_CLAUSE_BREAK = re.compile(r"[，。；！？,;\n]")


def _alt(words: list[str]) -> str:
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))


@cache
def _words() -> SimpleNamespace:
    """The vocabulary of this rule (``words`` of check/data/relations.yaml), compiled."""
    w = load_check_yaml("relations.yaml")["words"]
    counted, verbs, joins = _alt(w["counted_nouns"]), _alt(w["count_verbs"]), _alt(w["item_joins"])
    return SimpleNamespace(
        # the list starts after one of these (分别对A、B、C3个单位 / 从A、B五个方面)
        list_start=re.compile(f"(?:{_alt(w['list_starts'])})"),
        last_join=re.compile(f"(?:{joins})"),
        joins=joins,
        open_ends=tuple(w["open_list_ends"]),
        # 项目5个，其中… / 5个项目，其中…: the counted noun right before or after the count
        noun_before=re.compile(f"(?:{counted})(?:{verbs})?$"),
        noun_after=re.compile(f"^(?:{counted})"),
        then_breakdown=re.compile(f"^(?:{counted})?[，,]?(?:{_alt(w['breakdown'])})"),
        verb_end=re.compile(f"(?:{verbs})$"),
        # 优、良、差的项目分别有9个、4个、1个: the names are shared out, not counted
        distribute=re.compile(f"(?:{_alt(w['distribute'])})(?!对)"),
        next_count=re.compile(f"\\s*(?:、|{joins})\\s*[\\d一二两三四五六七八九十]"),
    )


def _items(before: str, joined: bool = False, open_list: bool = False) -> list[str] | None:
    """The names listed before a count; ``joined``: the last name not split at 和/及/与
    (提升小流域综合治理及环境监管能力 may be one name); ``open_list``: the names of a list
    that ends with 等 (…等19家单位), else None for it."""
    w = _words()
    starts = list(w.list_start.finditer(before))
    chunk = before[starts[-1].end():] if starts else before
    if open_list:
        cut = chunk.rfind("等")
        if cut < 0 or len(chunk) - cut > 4:
            return None
        chunk = chunk[:cut]
    if "、" not in chunk or chunk.endswith(w.open_ends) or re.search(r"\d", chunk):
        return None  # not a list of names, or an open list (…等N个)
    items = chunk.split("、")
    if not joined:
        last = w.last_join.split(items[-1])
        items = items[:-1] + [p for p in last if p]
    if any(not item.strip() or len(item) > 40 for item in items) or "等" in items[-1]:
        return None  # …等一行8人: an open list
    return items


# 共涉及2个单位，分别是甲局、乙乡: the names right after the count
_NAMED_AFTER = re.compile(r"^[\u4e00-\u9fff]{0,6}[，：]?(分别是|分别为|即|包括)[：]?")
# 由基本支出和项目支出两个部分构成: two names joined by 和, no 、
_PAIR = re.compile(r"([\u4e00-\u9fff“”]{2,20})(?:和|与|及)([\u4e00-\u9fff“”]{2,20})$")
# 包括两个部分：一是…；二是…
_ORDINALS = re.compile(r"(?:^|[：；。，])\s*([一二三四五六七八九十])是")


def _names_after(text: str, m: Metric) -> tuple[int, str] | None:
    """(how many names follow the count after 分别是/即/包括, the word) or None."""
    after = text[m.end:m.end + 12]
    found = _NAMED_AFTER.match(after)
    if found is None:
        return None
    start = m.end + found.end()
    stop = min((i for i in (text.find(c, start) for c in "，。；\n") if i >= 0),
               default=len(text))
    names = [n for n in re.split(f"、|{_words().joins}", text[start:stop]) if n.strip()]
    if not names or any(re.search(r"\d", n) or len(n) > 40 or len(n) < 2 for n in names):
        return None
    return len(names), found.group(1)


def _ordinals_after(text: str, m: Metric) -> int | None:
    """包括两个部分：一是…；二是…: how many 一是/二是 follow the count in its paragraph,
    counted from 一 on without a gap, or None."""
    colon = text.find("：", m.end, m.end + 12)
    if colon < 0:
        return None
    end = text.find("\n", colon)
    seen = [o.group(1) for o in _ORDINALS.finditer(text, colon, end if end >= 0 else len(text))]
    order = "一二三四五六七八九十"
    n = 0
    for word in seen:
        if word == order[n:n + 1]:
            n += 1
    return n if n >= 2 else None


def _items_after(text: str, noun: str) -> int | None:
    """How many ``noun``s the 其中 part names, group by group (；), or None if a group
    does not open with a list of them.

    A name ends with the noun; names are joined by 、 和 与 及 right after it, so 住房和
    城乡建设项目 stays one name.

    >>> _items_after("甲项目、乙项目和丙项目评价为“优”；丁项目与戊项目评价为“良”。", "项目")
    5
    >>> _items_after("住房和城乡建设项目、水利项目均为“优”。", "项目")
    2
    >>> _items_after("有2个项目评价为“良”。", "项目") is None
    True
    """
    total = 0
    for group in re.split(r"[；;]", text.split("。")[0]):
        group = group.strip()
        if not group:
            continue
        names = re.split(rf"(?<={noun})(?:、|{_words().joins})", group)
        # the last name ends at its noun; what follows is what is said of the names
        names[-1] = names[-1][:max(names[-1].find(noun), 0)] + noun
        # a name: text before the noun, no list or clause inside it, not a description
        # (评价结论为优、良、差的项目 names no project)
        if any(len(n) <= len(noun) or re.search(r"[\d、，,。]", n) or n[:-len(noun)].endswith("的")
               for n in names):
            return None
        total += len(names)
    return total or None


def _check_named_after(ctx: CheckContext, m: Metric) -> None:
    text = folded(ctx)
    after = text[m.end:m.end + 8]
    w = _words()
    if not (q := w.then_breakdown.match(after)):
        return
    noun_m = w.noun_after.match(after) or w.noun_before.search(text[max(0, m.start - 6):m.start])
    if noun_m is None:
        return
    noun = w.verb_end.sub("", noun_m.group(0))
    count = _items_after(text[m.end + q.end():m.end + q.end() + 400], noun)
    if count is None:
        return
    if Decimal(count) == m.value:
        ctx.verified("listed-count", f"其中列出的{count}个{noun}与所写总数相符", [m])
    elif Decimal(count) > m.value:
        ctx.report("listed-count", "error",
                   f"写明{fmt(m.value)}{m.unit}{noun}，其后“其中”却列出了{count}个",
                   [m], f"{fmt(m.value)}{m.unit}", str(count))


def check_listed_counts(ctx: CheckContext) -> None:
    text = folded(ctx)
    for m in ctx.metrics:
        if m.origin != "text" or m.kind != "count" or m.placeholder or m.value is None:
            continue
        _check_named_after(ctx, m)
        if _check_names_following(ctx, text, m):
            continue
        breaks = list(_CLAUSE_BREAK.finditer(text, max(0, m.start - 200), m.start))
        start = breaks[-1].end() if breaks else max(0, m.start - 200)
        before = text[start:m.start]
        # 优、良、差的项目分别有9个、4个、1个: the names are shared out, not counted
        w = _words()
        if w.distribute.search(before) or w.next_count.match(text[m.end:]):
            continue
        items = _items(before)
        if items is None:
            _check_open_or_pair(ctx, before, m)
            continue
        whole_last = _items(before, joined=True) or items
        if m.value in (Decimal(len(items)), Decimal(len(whole_last))):
            n = len(items) if Decimal(len(items)) == m.value else len(whole_last)
            ctx.verified("listed-count", f"写明的数目等于列出的{n}项", [m])
            continue
        ctx.report("listed-count", "error",
                   f"写明{fmt(m.value)}{m.unit}，实际列出{len(items)}项（{'、'.join(items)}）",
                   [m], f"{fmt(m.value)}{m.unit}", str(len(items)))


def _check_names_following(ctx: CheckContext, text: str, m: Metric) -> bool:
    """Names after the count (分别是甲局、乙乡) or ordinals (一是…二是…); True when decided."""
    named = _names_after(text, m)
    if named is not None:
        n, word = named
        if Decimal(n) == m.value:
            ctx.verified("listed-count", f"写明的数目等于其后“{word}”列出的{n}项", [m])
        elif word.startswith("分别") or Decimal(n) > m.value:
            ctx.report("listed-count", "error",
                       f"写明{fmt(m.value)}{m.unit}，其后“{word}”列出了{n}项",
                       [m], f"{fmt(m.value)}{m.unit}", str(n))
        return True
    ordinals = _ordinals_after(text, m)
    if ordinals is not None and Decimal(ordinals) == m.value:
        ctx.verified("listed-count", f"写明的数目等于其后“一是、二是……”列出的{ordinals}项", [m])
        return True
    return False


def _check_open_or_pair(ctx: CheckContext, before: str, m: Metric) -> None:
    """…等19家单位: as many names as the count holds, more is an error, fewer says nothing
    (等 may leave some out); 甲和乙两个部分: two names verify a count of two."""
    listed = _items(before, open_list=True)
    if listed is not None:
        if Decimal(len(listed)) == m.value:
            ctx.verified("listed-count", f"写明的数目等于列出的{len(listed)}项", [m])
        elif Decimal(len(listed)) > m.value:
            ctx.report("listed-count", "error",
                       f"写明{fmt(m.value)}{m.unit}，“等”之前已列出{len(listed)}项",
                       [m], f"{fmt(m.value)}{m.unit}", str(len(listed)))
        return
    pair = _PAIR.search(before[-42:])
    if pair is not None and m.value == 2 and not _words().list_start.search(pair.group(2)):
        ctx.verified("listed-count", "写明的数目等于列出的2项", [m])
