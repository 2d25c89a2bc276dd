"""Rules on the wording: template placeholders, a word written twice, unbalanced pairs."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from jixiao.check.context import CheckContext, load_check_yaml
from jixiao.check.findings import Evidence
from jixiao.extract.metrics import sentence_bounds


@cache
def _data() -> dict[str, Any]:
    return load_check_yaml("wording.yaml")


def _span(ctx: CheckContext, start: int, end: int) -> Evidence:
    loc = ctx.doc.locate(start)
    section = ctx.doc.section_at(start)
    return Evidence(ctx.doc.text[start:end], start, end, loc.page, section.id if section else None)


@cache
def _withheld_words() -> tuple[str, ...]:
    from jixiao.extract.resources import load_yaml

    return tuple(load_yaml("units.yaml").get("placeholder_words", []))


def _withheld(surface: str) -> bool:
    return any(w in surface for w in _withheld_words())


def check_placeholders(ctx: CheckContext) -> None:
    """Figures and names still holding the template's X / XX / ×× / □ / 20xx."""
    # one finding per sentence and indicator: a list of twelve 调减X万元 is one thing to fix
    groups: dict[tuple[int, str | None], list] = {}
    withheld: dict[int, list] = {}
    for m in ctx.metrics:
        if m.placeholder and _withheld(m.surface):
            # 点击查看>>万元: the page hides a number the report has; nothing to fill in
            withheld.setdefault(sentence_bounds(ctx.doc.text, m.start, m.end)[0], []).append(m)
        elif m.placeholder:
            start = sentence_bounds(ctx.doc.text, m.start, m.end)[0]
            groups.setdefault((start, m.key), []).append(m)
    for found in withheld.values():
        ctx.report("placeholder", "info",
                   f"网页隐去了此处{len(found)}个数字（“{found[0].surface}”），无法核对",
                   found, found[0].surface)
    for (_, key), found in groups.items():
        what = f"“{found[0].label}”" if key else "此处数字"
        surfaces = "、".join(dict.fromkeys(f"“{m.surface}”" for m in found))
        count = f"有{len(found)}处" if len(found) > 1 else ""
        ctx.report("placeholder", "error",
                   f"{what}{count}仍是模板占位符{surfaces}，尚未填写实际数字", found,
                   found[0].surface)
    taken = [(m.start, m.end) for m in ctx.metrics if m.placeholder]
    pattern = re.compile(_data()["placeholder"])
    by_sentence: dict[int, list[Evidence]] = {}
    text = ctx.doc.text
    for hit in pattern.finditer(text):
        if any(s <= hit.start() < e for s, e in taken):
            continue
        sentence = sentence_bounds(text, hit.start(), hit.end())[0]
        by_sentence.setdefault(sentence, []).append(_span(ctx, hit.start(), hit.end()))
    for spans in by_sentence.values():
        names = "、".join(dict.fromkeys(f"“{s.surface}”" for s in spans))
        ctx.report("placeholder", "warning",
                   f"名称或文字中留有模板占位符{names}（{len(spans)}处），请替换为实际名称",
                   [], spans[0].surface, spans=spans)


def check_text(ctx: CheckContext) -> None:
    """A word written twice in a row (人民人民), and brackets or quotes left open."""
    text = ctx.doc.text
    allowed = set(_data()["reduplications"])
    one_by_one = re.compile(_data()["reduplication_pattern"])
    for hit in re.finditer(r"([\u4e00-\u9fff]{2,4})\1", text):
        word = hit.group(1)
        if hit.group(0) in allowed or word in allowed or len(set(word)) == 1 \
                or one_by_one.match(word):
            continue
        ctx.report("text", "warning", f"“{word}”连写了两次，疑为笔误", [], hit.group(0),
                   word, spans=[_span(ctx, hit.start(), hit.end())])
    for para in ctx.doc.paragraphs:
        chunk = text[para.start:para.end]
        for left, right in _data()["pairs"]:
            n_left, n_right = chunk.count(left), chunk.count(right)
            if n_left != n_right:
                at = para.start + max(chunk.find(left if n_left > n_right else right), 0)
                ctx.report("text", "warning",
                           f"本段“{left}”有{n_left}个、“{right}”有{n_right}个，括号或引号不成对",
                           [], f"{left}{n_left} {right}{n_right}", None,
                           spans=[_span(ctx, at, at + 1)])
