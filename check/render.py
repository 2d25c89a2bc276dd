"""Findings for people: a terminal listing and the HTML page a reviewer opens.

The HTML is the document itself with every finding's evidence highlighted in place and the
findings listed in a side panel, each linking to its first highlight. It is rendered by a
Jinja2 template (``templates/check_report.html.j2``) with autoescaping on: report text is
data, never markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from itertools import pairwise
from pathlib import Path

from jixiao.check.findings import SEVERITY_LABEL, SEVERITY_RANK, CheckResult, Finding
from jixiao.check.rules import RULE_LABELS
from jixiao.extract.metrics import sentence_bounds
from jixiao.model import Document

__all__ = ["render_html", "render_text"]


@dataclass(frozen=True)
class Piece:
    """A run of paragraph text, highlighted when findings rest on it."""

    text: str
    findings: tuple[int, ...] = ()
    severity: str = ""


def _pieces(text: str, start: int, end: int, marks: list[tuple[int, int, int, str]]) -> list[Piece]:
    cuts = {start, end}
    inside = [(s, e, i, sev) for s, e, i, sev in marks if s < end and e > start]
    for s, e, _, _ in inside:
        cuts.update((max(s, start), min(e, end)))
    bounds = sorted(cuts)
    pieces = []
    for a, b in pairwise(bounds):
        ids = tuple(i for s, e, i, _ in inside if s <= a and b <= e)
        worst = max((sev for s, e, i, sev in inside if i in ids),
                    key=lambda x: SEVERITY_RANK[x], default="")
        pieces.append(Piece(text[a:b], ids, worst))
    return pieces


def _blocks(doc: Document, marks: list[tuple[int, int, int, str]]) -> list[dict]:
    """The page in reading order: paragraphs, and each table where it stands (the title is
    the page heading; a table flattened into a text paragraph is shown as its table)."""
    tables = sorted(doc.tables, key=lambda t: t.anchor)
    blocks: list[dict] = []
    placed: set[int] = set()

    def place_tables(upto: int) -> None:
        for t in tables:
            if t.index not in placed and t.anchor < upto:
                ids = sorted({i for s, e, i, _ in marks if s <= t.anchor < e})
                blocks.append({"type": "table", "table": t, "findings": ids})
                placed.add(t.index)

    for p in doc.paragraphs:
        place_tables(p.start)
        if p.kind == "title" or (p.kind == "table" and tables):
            continue
        blocks.append({"type": "p", "kind": p.kind,
                       "pieces": _pieces(doc.text, p.start, p.end, marks)})
    place_tables(len(doc.text) + 1)
    return blocks


def render_html(doc: Document, result: CheckResult) -> str:
    """A self-contained HTML page of the document with its findings."""
    from jinja2 import Environment, select_autoescape

    marks = []
    for i, f in enumerate(result.findings):
        for ev in f.evidence:
            if ev.source is not None:
                continue  # a cell of another file (a unit's form): nothing to mark here
            end = ev.end if ev.end > ev.start else ev.start + 1  # a table: mark its place
            marks.append((ev.start, end, i, f.severity))
    blocks = _blocks(doc, marks)
    source = resources.files("jixiao").joinpath("templates", "check_report.html.j2")
    env = Environment(autoescape=select_autoescape(default=True), trim_blocks=True,
                      lstrip_blocks=True)
    template = env.from_string(source.read_text(encoding="utf-8"))
    counts = result.counts()
    from jixiao.store.reviews import VERDICTS, scope_of

    return template.render(doc=doc, findings=list(enumerate(result.findings)),
                           blocks=blocks, labels=SEVERITY_LABEL, counts=counts,
                           verified=result.verified, rules=RULE_LABELS,
                           dismissed=result.dismissed, uncertain=result.uncertain,
                           scope=scope_of(doc), verdicts=VERDICTS,
                           source_name=Path(doc.source).name)


def render_index(rows: list[dict[str, object]], tally: dict[str, int]) -> str:
    """The page that lists a folder's check pages, files with errors first (rows: name,
    page, title, errors, warnings, verified, worst)."""
    from jinja2 import Environment, select_autoescape

    order = {"error": 0, "warning": 1, "clean": 2}
    rows = sorted(rows, key=lambda r: (order[str(r["worst"])], str(r["name"])))
    source = resources.files("jixiao").joinpath("templates", "check_index.html.j2")
    env = Environment(autoescape=select_autoescape(default=True), trim_blocks=True,
                      lstrip_blocks=True)
    return env.from_string(source.read_text(encoding="utf-8")).render(rows=rows, tally=tally)


QUOTE_LIMIT = 200  # characters of the report quoted under a finding


def _sentence_markup(doc: Document, f: Finding) -> str:
    """The sentence of the flagged figure (the first evidence), widened to the sentences of
    the other evidence when they are near, figures highlighted; cut with … when long."""
    from rich.markup import escape

    evidence = [e for e in f.evidence if e.source is None]  # the spans of this document
    if not evidence:
        return ""
    text = doc.text
    start, end = sentence_bounds(text, evidence[0].start, evidence[0].start)
    for e in evidence[1:]:
        s2, e2 = sentence_bounds(text, e.start, e.start)
        if max(end, e2) - min(start, s2) <= QUOTE_LIMIT:
            start, end = min(start, s2), max(end, e2)
    cut = end - start > QUOTE_LIMIT
    end = min(end, start + QUOTE_LIMIT)
    spans = sorted((max(e.start, start), min(e.end, end)) for e in evidence
                   if e.end > e.start and start <= e.start < end)
    out, at = [], start
    for s, e in spans:
        if s < at:
            continue
        out.append(escape(text[at:s]))
        out.append(f"[bold yellow]{escape(text[s:e])}[/bold yellow]")
        at = e
    out.append(escape(text[at:end]))
    quoted = "".join(out).strip().replace("\n", " ")
    return quoted + ("…" if cut else "")


def render_text(doc: Document, result: CheckResult) -> list[str]:
    """Rich-markup lines: each finding, then its sentence with the figures highlighted."""
    from rich.markup import escape

    colours = {"error": "red", "warning": "yellow", "info": "cyan"}
    lines = []
    for f in result.findings:
        loc = ""
        if f.evidence:
            ev = f.evidence[0]
            loc = f"第{ev.page}页 " if ev.page else ""
            if ev.section:
                loc += f"第{ev.section}节 "
        review = ""
        if f.review and f.review.get("verdict") == "confirmed":
            review = "[green]（已确认）[/green]"
        lines.append(f"[{colours[f.severity]}]{SEVERITY_LABEL[f.severity]}[/] "
                     f"[dim]{RULE_LABELS.get(f.rule, f.rule)}[/dim] {escape(loc)}{escape(f.message)}"
                     f"{review} [dim]#{f.fingerprint[:8]}[/dim]")
        sentence = _sentence_markup(doc, f)
        if sentence:
            lines.append(f"    {sentence}")
        elsewhere = [e for e in f.evidence if e.source is not None]
        if elsewhere:
            lines.append("    [dim]出处：" + escape("；".join(
                f"{e.source} {e.cell or ''} {e.surface}".strip() for e in elsewhere)) + "[/dim]")
    return lines
