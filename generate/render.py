"""Render the draft's text from the templates and the figures.

Templates are Jinja2 files in ``templates/draft/`` (one per stage, our own words) rendered
in Jinja2's sandbox; a user folder (``--templates DIR``) overrides any of them. A template
writes ``f.n('key', month=5)`` for a figure as it should be written (312个, 4.86亿元, 92.8%);
a sentence whose figure was not given is dropped, so no ``X万元`` reaches the draft.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from jixiao.check.tolerance import fmt
from jixiao.errors import JixiaoError
from jixiao.extract.catalog import load_catalog
from jixiao.generate.figures import Figures
from jixiao.generate.outline import PreviousSection, follow_previous
from jixiao.generate.wording import pick, seed_of

__all__ = ["Draft", "DraftSection", "FigureText", "render_sections", "wordings"]

MISSING = "\u2063缺\u2063"  # marks a figure not given; its sentence is dropped
STATED_BASE = 0xF0000  # supplementary private-use plane: never in a report's text
GRADE_ORDER = ["优", "良及以上", "良", "中", "中及以下", "差"]
ZERO_UNSAID = {"个", "家", "人", "处", "万元"}  # units whose zero is left unsaid
_SENTENCE = re.compile(r"[^。；！？]*[。；！？]?")


@dataclass
class DraftSection:
    heading: str
    level: int
    paragraphs: list[str] = field(default_factory=list)
    stage: str | None = None


@dataclass
class Draft:
    title: str
    sections: list[DraftSection]
    issuer: str | None = None
    date: str | None = None
    stated: list[tuple[str, Decimal, dict[str, Any]]] = field(default_factory=list)
    headings_kept: int = 0  # headings taken from last year's report


def format_value(key: str, value: Decimal) -> str:
    """A figure as a report writes it: money from 1亿 up in 亿元 when two decimals say it
    exactly (4.86亿元), otherwise in 万元 (29130万元); the rest in its unit."""
    unit = load_catalog()[key].unit
    if unit == "%":
        return f"{format(value, 'f')}%"  # a derived share keeps its decimal: 90.0%
    if unit == "万元":
        yi = (value / 10000).normalize()
        if value >= 10000 and -yi.as_tuple().exponent <= 2:  # 4.86亿元; 2.913亿元 reads as
            return f"{fmt(yi)}亿元"                          # machine-made: 29130万元
        return f"{fmt(value)}万元"
    return f"{fmt(value)}{unit}"


class FigureText:
    """What a template sees as ``f``: figures by key, written out, and noted as stated."""

    def __init__(self, figures: Figures) -> None:
        self.figures = figures
        self.stated: list[tuple[str, Decimal, dict[str, Any]]] = []

    def _said(self, key: str, **quals: Any) -> Decimal | None:
        """The figure to state, or None: not given, or a zero count or amount ("选取0个重点
        项目开展评价" says something did not happen as if it did), which drops its
        sentence like a missing figure (the draft's notes list it as not written)."""
        value = self.figures.get(key, **quals)
        if value is None or (value == 0 and load_catalog()[key].unit in ZERO_UNSAID):
            return None
        return value

    def has(self, key: str, **quals: Any) -> bool:
        return self._said(key, **quals) is not None

    def v(self, key: str, **quals: Any) -> Decimal | None:
        return self.figures.get(key, **quals)

    def n(self, key: str, **quals: Any) -> str:
        value = self._said(key, **quals)
        if value is None:
            return MISSING
        self.stated.append((key, value, dict(quals)))
        # A private-use mark ties the text to this figure, so only the figures of the
        # sentences that survive are counted as stated (see kept_figures).
        return chr(STATED_BASE + len(self.stated) - 1) + format_value(key, value)

    def kept_figures(self, paragraphs: list[str]) -> list[tuple[str, Decimal, dict[str, Any]]]:
        marks = {ord(c) - STATED_BASE for p in paragraphs for c in p
                 if STATED_BASE <= ord(c) < STATED_BASE + len(self.stated)}
        return [self.stated[i] for i in sorted(marks)]

    def months(self, key: str) -> list[int]:
        return sorted({v.qualifiers["month"] for v in self.figures.all(key)
                       if "month" in v.qualifiers})

    def grades(self, key: str, **quals: Any) -> list[str]:
        found = {v.qualifiers["grade"] for v in self.figures.all(key, **quals)
                 if "grade" in v.qualifiers}
        return [g for g in GRADE_ORDER if g in found]


def area_word(county: str) -> str:
    """What a report calls its own area: 县, 区, 市 or 旗 (全县 / 全区, 区财政局).

    >>> area_word("西工区"), area_word("青禾县"), area_word("青禾")
    ('区', '县', '县')
    """
    return county[-1] if county and county[-1] in "县区市旗" else "县"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (heading numbers)."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return (digits[tens] if tens > 1 else "") + "十" + (digits[ones] if ones else "")


def _environment(user_dir: Path | None) -> Any:
    from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    package = Path(str(resources.files("jixiao").joinpath("templates", "draft")))
    loaders = [FileSystemLoader(str(user_dir))] if user_dir else []
    loaders.append(FileSystemLoader(str(package)))
    return SandboxedEnvironment(loader=ChoiceLoader(loaders), autoescape=False,
                                undefined=StrictUndefined, keep_trailing_newline=False)


def _clean(text: str) -> list[str]:
    """Paragraphs of rendered text without the sentences whose figures are missing."""
    paragraphs = []
    for block in re.split(r"\n\s*\n", text):
        block = re.sub(r"\s*\n\s*", "", block).strip()
        kept = [s for s in _SENTENCE.findall(block) if s and MISSING not in s]
        para = "".join(kept).strip()
        if para.endswith("；"):
            para = para[:-1] + "。"
        # a clause whose figure was missing inside a kept sentence
        if para and re.search(r"[\u4e00-\u9fff“”]", para):
            paragraphs.append(para)
    return paragraphs


class TemplateError(JixiaoError):
    """A draft template cannot be rendered (syntax, an unknown name, an unsafe access)."""


def render_template(env: Any, name: str, **context: Any) -> str:
    """Render one template; every Jinja2 failure becomes a one-line Chinese error."""
    from jinja2 import TemplateError as JinjaError
    from jinja2.exceptions import SecurityError

    try:
        return env.get_template(name).render(**context)
    except SecurityError:
        raise TemplateError(name, "模板访问了不允许的内容（沙箱已阻止）") from None
    except JinjaError as exc:
        line = getattr(exc, "lineno", None)
        where = f"{name}:{line}" if line else name
        raise TemplateError(where, f"模板无法渲染：{exc.__class__.__name__}：{exc}") from None


def wordings(env: Any, stage: str) -> list[str]:
    """The templates of a stage's phrasings: ``<stage>.j2``, then ``<stage>.2.j2``, … from
    the first folder that has ``<stage>.j2`` (a user folder replaces all built-in ones)."""
    pattern = re.compile(rf"{re.escape(stage)}\.(\d+)\.j2")
    for loader in env.loader.loaders:
        names = loader.list_templates()
        if f"{stage}.j2" in names:
            numbered = sorted((int(m[1]), n) for n in names if (m := pattern.fullmatch(n)))
            return [f"{stage}.j2"] + [n for _, n in numbered]
    return [f"{stage}.j2"]  # missing: render_template says so


def _render_stage(env: Any, stage: str, context: dict[str, Any], f: FigureText, *,
                  previous_text: str, seed: int, wording: int | None) -> list[str]:
    """The paragraphs of the phrasing that states most figures and repeats least of last
    year's report (generate/wording.py), or phrasing number ``wording`` when one is asked
    for (the first if the stage has fewer)."""
    names = wordings(env, stage)
    if wording is not None:
        names = [names[wording - 1] if wording <= len(names) else names[0]]
    options = [_clean(render_template(env, name, **context)) for name in names]
    texts = [strip_marks("\n".join(p)) for p in options]
    stated = [len(f.kept_figures(p)) for p in options]
    return options[pick(texts, seed, previous_text, stated)]


def render_sections(figures: Figures, *, county: str, year: int, templates: Path | None = None,
                    problems: list[str] | None = None, measures: list[str] | None = None,
                    previous_text: str = "", wording: int | None = None,
                    previous_sections: list[PreviousSection] | None = None,
                    previous_county: str | None = None) -> Draft:
    """The draft's title and sections, rendered from the templates: for each section the
    phrasing that repeats least of ``previous_text`` (or phrasing number ``wording``); with
    ``previous_sections``, in last year's outline (generate/outline.py)."""
    import yaml

    env = _environment(templates)
    try:
        outline = yaml.safe_load(env.loader.get_source(env, "outline.yaml")[0])
    except yaml.YAMLError:
        raise TemplateError("outline.yaml", "模板大纲格式有误，无法解析") from None
    headings_kept = 0
    if previous_sections:
        rename = {previous_county: county} if previous_county else None
        outline, headings_kept = follow_previous(outline, previous_sections, year=year,
                                                 rename=rename)
    f = FigureText(figures)
    context = {"f": f, "county": county, "year": year, "area": area_word(county)}
    sections: list[DraftSection] = []
    choose = {"context": context, "f": f, "previous_text": previous_text,
              "seed": seed_of(county, year),
              "wording": wording}
    intro = _render_stage(env, "intro", **choose)
    if intro:
        sections.append(DraftSection("", 0, intro))
    top = 0
    for part in outline["parts"]:
        children: list[DraftSection] = []
        if "generator" in part:
            paragraphs = problems if part["generator"] == "problems" else measures
            if not paragraphs:
                continue
            body = DraftSection("", 0, list(paragraphs), part["generator"])
            children.append(body)
        else:
            for sec in part["sections"]:
                paragraphs = _render_stage(env, sec["stage"], **choose)
                if paragraphs:
                    n = sum(1 for c in children if c.level == 2)
                    children.append(DraftSection(f"（{chinese_number(n + 1)}）{sec['heading']}", 2,
                                                 paragraphs, sec["stage"]))
        if children:
            sections.append(DraftSection(f"{chinese_number(top + 1)}、{part['heading']}", 1))
            sections.extend(children)
            top += 1
    title = outline["title"].format(county=county, year=year)
    stated = f.kept_figures([p for sec in sections for p in sec.paragraphs])
    for sec in sections:
        sec.paragraphs = [strip_marks(p) for p in sec.paragraphs]
    return Draft(title, sections, stated=stated, headings_kept=headings_kept)


def strip_marks(text: str) -> str:
    """The text without the marks that tie figures to their sentences."""
    return "".join(c for c in text if ord(c) < STATED_BASE)
