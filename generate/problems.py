"""Problems and measures: topics raised by this year's figures, each problem with its measure.

The topic catalog is data (``generate/data/problems.yaml``): a trigger over the figures,
several phrasings of the problem and of the measure. The clearest problems (figures
furthest past their bound) come first; fallback topics without a figure fill the part to
its minimum. Phrasings are chosen to differ from last year's report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from jixiao.extract.resources import load_yaml
from jixiao.generate.figures import Figures
from jixiao.generate.render import MISSING, FigureText, _clean, strip_marks
from jixiao.generate.wording import pick, seed_of

__all__ = ["Topic", "choose_topics", "draft_problems", "topic_label"]

_TRIGGER = re.compile(r"^\s*(?P<a>[\w.@]+)\s*(?:/\s*(?P<b>[\w.@]+))?\s*(?P<op><=|>=|<|>)\s*(?P<n>[\d.]+)\s*$")


@dataclass
class Topic:
    topic: str
    label: str
    problems: list[str]
    measures: list[str]
    strength: Decimal


def _catalog() -> dict[str, Any]:
    return load_yaml("problems.yaml", "jixiao.generate")


def _value(figures: Figures, term: str, month: int | None = None) -> tuple[Decimal | None, int | None]:
    """A trigger term's value: ``key`` (the plain figure, else the latest checkpoint) or
    ``key@grade``; figures given per month are judged at one checkpoint, never summed."""
    key, _, grade = term.partition("@")
    values = figures.all(key, grade=grade) if grade else figures.all(key)
    if month is None and not grade:
        plain = [v for v in values if not v.qualifiers]
        if plain:
            return plain[0].value, None
    months = sorted({v.qualifiers["month"] for v in values if "month" in v.qualifiers})
    if month is None and months:
        month = months[-1]
    if month is not None:
        values = [v for v in values if v.qualifiers.get("month") == month]
    if not values:
        return None, month
    return sum((v.value for v in values), Decimal(0)), month


def trigger_strength(figures: Figures, when: str) -> Decimal | None:
    """How far the figures are past the trigger's bound (None: the trigger does not hold)."""
    m = _TRIGGER.match(when)
    if not m:
        raise ValueError(f"bad trigger: {when!r}")
    a, month = _value(figures, m["a"])
    if a is None:
        return None
    if m["b"]:
        b, _ = _value(figures, m["b"], month)
        if not b:
            return None
        a = a / b
    bound = Decimal(m["n"])
    op = m["op"]
    holds = {"<": a < bound, "<=": a <= bound, ">": a > bound, ">=": a >= bound}[op]
    if not holds:
        return None
    scale = abs(bound) or Decimal(1)
    return abs(a - bound) / scale + Decimal("0.01")


def topic_label(topic: str) -> str:
    """The Chinese name of a problems topic (人员力量 for staff)."""
    data = _catalog()
    for t in [*data["topics"], *data["fallback"]]:
        if t["topic"] == topic:
            return t.get("label", topic)
    return topic


def choose_topics(figures: Figures) -> list[Topic]:
    data = _catalog()
    raised = []
    for t in data["topics"]:
        strength = trigger_strength(figures, t["when"])
        if strength is not None:
            raised.append(Topic(t["topic"], t["label"], t["problems"], t["measures"], strength))
    raised.sort(key=lambda t: -t.strength)
    raised = raised[: data["maximum"]]
    for t in data["fallback"]:
        if len(raised) >= data["minimum"]:
            break
        raised.append(Topic(t["topic"], t["label"], t["problems"], t["measures"], Decimal(0)))
    return raised


def draft_problems(figures: Figures, *, year: int, previous_text: str = "",
                   env: Any = None, area: str = "县", county: str = ""
                   ) -> tuple[list[str], list[str], list[str]]:
    """(problem paragraphs, measure paragraphs, topic ids) for the draft; ``area`` is what
    the report calls its area (县, 区, 市: render.area_word)."""
    from jinja2.sandbox import SandboxedEnvironment

    env = env or SandboxedEnvironment()
    f = FigureText(figures)

    def render(source: str) -> str:
        paragraphs = _clean(env.from_string(source).render(f=f, area=area))
        return strip_marks("".join(paragraphs).replace(MISSING, ""))

    problems, measures, names = [], [], []
    numerals = "一二三四五六七八九"
    for i, topic in enumerate(choose_topics(figures)):
        options_p = [render(o) for o in topic.problems]
        options_m = [render(o) for o in topic.measures]
        p = options_p[pick(options_p, seed_of(county, year) + i, previous_text)]
        m = options_m[pick(options_m, seed_of(county, year) + i, previous_text)]
        if not p or not m:
            continue
        problems.append(f"{numerals[len(problems)]}是{p}")
        measures.append(f"{numerals[len(measures)]}是{m}")
        names.append(topic.topic)
    return problems, measures, names
