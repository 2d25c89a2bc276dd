"""``jixiao check`` over many reports: each read, extracted and checked (against last
year's report when one is given), tallied by its worst finding, and, for the HTML view, a
page per report and an index page for the folder. Nothing here prints."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jixiao.api import Extraction, Progress, check_document, extract_file

if TYPE_CHECKING:
    from jixiao.check.findings import CheckResult
    from jixiao.errors import JixiaoError
    from jixiao.formsrun import FormsRun
    from jixiao.generate.aggregate import Aggregate

__all__ = ["CheckRun"]


@dataclass
class CheckRun:
    """Reports checked so far: ``tally`` counts them by verdict (error, warning, clean),
    ``worst`` is the worst severity rank met, ``pages`` the HTML pages written."""

    previous: Extraction | None = None
    tally: dict[str, int] = field(default_factory=lambda: {"error": 0, "warning": 0, "clean": 0})
    worst: int = -1
    pages: list[dict[str, Any]] = field(default_factory=list)
    db_url: str | None = None  # the store whose reviewers' verdicts apply (None: the default)
    reviews: bool = True
    forms: FormsRun | None = None  # the units' forms the reports' figures are set against
    forms_label: str = ""
    aggregates: dict[int | None, Aggregate] = field(default_factory=dict)

    @classmethod
    def against(cls, previous: str | Path | None, db_url: str | None = None,
                reviews: bool = True) -> CheckRun:
        """A run whose reports are checked against ``previous`` (last year's report), the
        reviewers' verdicts of the store at ``db_url`` applied (dismissed findings hidden)."""
        return cls(extract_file(previous) if previous is not None else None, db_url=db_url,
                   reviews=reviews)

    def check(self, path: str, progress: Progress | None = None
              ) -> tuple[Extraction, CheckResult]:
        extraction = extract_file(path, progress=progress)
        result = check_document(extraction, self.previous)
        if self.forms is not None:
            self.reconcile(extraction, result)
        if self.reviews:
            self._apply_reviews(extraction, result)
        self.worst = max(self.worst, result.worst())
        self.tally[result.verdict()] += 1
        return extraction, result

    def _apply_reviews(self, extraction: Extraction, result: CheckResult) -> None:
        from jixiao.errors import StoreError
        from jixiao.store.reviews import apply_reviews, load_reviews

        try:
            reviews = load_reviews(extraction.document, self.db_url)
        except StoreError:
            if self.db_url is not None:
                raise  # the store asked for must be usable
            return  # the default store, older or unreadable: checking needs none
        apply_reviews(result, reviews)

    def read_forms(self, paths: list[str], families: str | Path | None = None
                   ) -> list[JixiaoError]:
        """Read the units' forms the reports are set against; returns the files that are not
        forms (the rest are used)."""
        from jixiao.formsrun import FormsRun

        self.forms = FormsRun.create(families)
        self.forms_label = "、".join(paths)
        return self.forms.read_all(paths)

    def reconcile(self, extraction: Extraction, result: CheckResult) -> None:
        """Add to ``result`` the report's figures that differ from the forms of its year."""
        from jixiao.check.reconcile import reconcile

        assert self.forms is not None
        year = extraction.document.year
        if year not in self.aggregates:
            self.aggregates[year] = self.forms.aggregate(year)
        findings, verified = reconcile(extraction.metrics, self.aggregates[year],
                                       self.forms_label)
        result.findings.extend(findings)
        result.verified.extend(verified)

    def write_page(self, path: str, extraction: Extraction, result: CheckResult,
                   output: Path, many: bool) -> Path:
        """The report's HTML page: ``output`` itself for one report, else a page in the
        folder ``output`` named after the whole file name (003.docx and 003.pdf are two)."""
        from jixiao.check.render import render_html

        target = output / f"{Path(path).name}.check.html" if many else output
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(render_html(extraction.document, result), encoding="utf-8")
        counts = result.counts()
        self.pages.append({"name": Path(path).name, "page": target.name,
                           "title": extraction.document.title or "",
                           "errors": counts["error"], "warnings": counts["warning"],
                           "verified": len(result.verified), "worst": result.verdict()})
        return target

    def write_index(self, output: Path) -> Path | None:
        """The folder's index page (files with errors first), if any page was written."""
        from jixiao.check.render import render_index

        if not self.pages:
            return None
        index = output / "index.html"
        index.write_text(render_index(self.pages, self.tally), encoding="utf-8")
        return index

    def summary(self) -> str:
        t = self.tally
        return (f"共核对 {sum(t.values())} 个文件：有错误的 {t['error']} 个，"
                f"只有警告的 {t['warning']} 个，未发现问题的 {t['clean']} 个")

    def fails(self, fail_on: str) -> bool:
        """Did any report reach ``fail_on`` (error or warning)?"""
        from jixiao.check.findings import SEVERITY_RANK

        return self.worst >= SEVERITY_RANK[fail_on]
