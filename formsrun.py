"""``jixiao forms`` over files and folders: every form read and checked, a file that is not
a form reported and passed over, then the forms added up. Nothing here prints.

The same run serves ``jixiao check --forms`` (the report's figures against the forms) and
``jixiao draft --forms`` (the figures file written from the forms, then the draft).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from jixiao.errors import JixiaoError, MissingFileError

if TYPE_CHECKING:
    from jixiao.extract.forms import FormRecord
    from jixiao.extract.formspec import FormSpec
    from jixiao.generate.aggregate import Aggregate, FormSummary

__all__ = ["FormsRun", "collect_form_paths", "form_lines"]


def collect_form_paths(paths: Iterable[str]) -> list[str]:
    """Files named, and the form files inside folders named (recursively, sorted); a folder
    without one stays in the list as itself, so that reading it says why."""
    from jixiao.extract.formgrid import FORM_SUFFIXES

    out: list[str] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            found = [str(f) for f in sorted(path.rglob("*")) if f.is_file()
                     and f.suffix.lower() in FORM_SUFFIXES and not f.name.startswith(("~$", "."))]
            out.extend(found or [p])
        else:
            out.append(p)
    return out


@dataclass
class FormsRun:
    """Forms read so far (``records``), with their findings."""

    spec: FormSpec
    province: str | None = None
    records: list[FormRecord | FormSummary] = field(default_factory=list)
    files: int = 0
    # keep each form's summary only (what the aggregate reads), not the form: a batch of
    # thousands of forms whose records are printed as they are read stays small
    summaries: bool = False

    @classmethod
    def create(cls, families: str | Path | None = None, province: str | None = None, *,
               summaries: bool = False) -> FormsRun:
        """A run with the shipped template families, and a drafter's own file over them."""
        from jixiao.extract.formspec import load_spec

        return cls(load_spec(families), province, summaries=summaries)

    def read(self, path: str) -> list[FormRecord]:
        """The forms of one file, each checked; a file without one raises a JixiaoError."""
        from jixiao.check.forms import check_form
        from jixiao.extract.forms import read_forms

        if Path(path).is_dir():
            raise MissingFileError(path, "文件夹中没有绩效表文件（.xls、.xlsx、.docx、.pdf、.txt）")
        records = read_forms(path, self.spec)
        for rec in records:
            check_form(rec, self.spec, province=self.province)
        if self.summaries:
            from jixiao.generate.aggregate import summarize

            self.records.extend(summarize(r, self.spec) for r in records)
        else:
            self.records.extend(records)
        self.files += 1
        return records

    def read_all(self, paths: Iterable[str]) -> list[JixiaoError]:
        """Read every form file of ``paths``; the files that are not forms are passed over
        and returned."""
        from jixiao.batch import Batch

        batch = Batch([])
        batch.inputs = collect_form_paths(paths)
        batch.run(self.read)
        return batch.failures

    def aggregate(self, year: int | None = None) -> Aggregate:
        from jixiao.generate.aggregate import aggregate

        return aggregate(self.records, year=year, spec=self.spec)

    def by_type(self) -> Counter[str]:
        return Counter(self.spec.type_label(r.form_type) if r.form_type else "不完整的表"
                       for r in self.records)

    def summary(self, failed: int = 0) -> str:
        """共读取 12 个文件、18 张表（…）：有错误的 9 张，只有警告的 1 张，未发现问题的 8 张."""
        worst = Counter(r.worst() for r in self.records)
        kinds = "、".join(f"{label}{n}张" for label, n in self.by_type().most_common())
        text = (f"共读取 {self.files} 个文件、{len(self.records)} 张表（{kinds}）：有错误的 {worst['error']} 张，"
                f"只有警告的 {worst['warning']} 张，未发现问题的 {worst['clean']} 张")
        if failed:
            text += f"；{failed} 个文件无法作为绩效表读取"
        return text


SEVERITY_WORD = {"error": "错误", "warning": "警告", "info": "提示"}


def form_lines(rec: FormRecord, spec: FormSpec) -> list[str]:
    """A form as the terminal shows it (rich markup): who filed it, then its findings."""
    from rich.markup import escape

    from jixiao.extract.forms import project_name

    family = spec.family(rec.family)
    kind = spec.type_label(rec.form_type) if rec.form_type else "不完整的表（无标题）"
    who = "，".join(x for x in (rec.unit, project_name(rec)) if x) or "—"
    counts = Counter(f.severity for f in rec.findings)
    verdict = (f"错误 {counts['error']} 项，警告 {counts['warning']} 项" if rec.findings
               else "未发现问题")
    lines = [f"[bold]{escape(rec.source)}[/bold] 第{rec.index}张（{escape(rec.where)}）{kind}"
             f"·{family.label.split('（')[0] if family else '—'}：{escape(who)}；"
             f"数字 {len(rec.figures())} 个，{verdict}"]
    for f in rec.findings:
        cell = f.evidence[0].cell if f.evidence else ""
        color = "red" if f.severity == "error" else "yellow"
        lines.append(f"  [{color}]{SEVERITY_WORD[f.severity]}[/{color}] {escape(cell or '')} "
                     f"{escape(f.message)}")
    return lines
