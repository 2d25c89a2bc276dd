"""``jixiao demo``: the whole loop on fictional counties, as a sequence of steps.

Writes two years of reports for three fictional counties with the drafting generator and
plants slips in them, ingests them into a fresh SQLite file, compares them, checks every
report against its previous year, and drafts the next year's report for one county. Each
step is yielded as it is done (a title and lines in rich markup, as ``check.render`` writes
them), so a caller can show progress; nothing here prints.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["DEMO_FOLDER", "DemoStep", "run_demo"]

DEMO_KEYS = ["target.projects", "target.project_amount", "key_eval.projects", "key_eval.amount",
             "evaluation.grade_share@优", "execution.rate", "application.cut_amount"]
DEMO_FOLDER = "jixiao-demo"
DEMO_DRAFT_COUNTY = 0  # the county whose next report the demo drafts (index in COUNTIES)


@dataclass
class DemoStep:
    """One part of the demo's output: a title (None for the opening line), lines in rich
    markup, and ``table``, a comparison to be shown as a table."""

    title: str | None
    lines: list[str] = field(default_factory=list)
    table: Any = None


def run_demo(folder: Path, db_url: str | None = None) -> Iterator[DemoStep]:
    """Run the demo in ``folder`` (a fresh ``demo.db`` there unless ``db_url``)."""
    from rich.markup import escape

    from jixiao.api import check_document, extract_file
    from jixiao.check.render import render_text
    from jixiao.generate.draft import draft_report, previous_from_store
    from jixiao.generate.problems import topic_label
    from jixiao.generate.samples import (
        COUNTIES,
        YEARS,
        county_figures,
        write_figures,
        write_samples,
    )
    from jixiao.store.compare import compare
    from jixiao.store.db import open_store
    from jixiao.store.ingest import ingest

    folder = folder.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    yield DemoStep(None, [f"输出目录：{escape(str(folder))}"])
    written: list[tuple[Path, str]] = []

    samples = write_samples(folder / "samples")
    names = "、".join(c.name for c in COUNTIES)
    step = DemoStep("1. 生成示例报告", [
        f"用起草程序为虚构的{names}写了{YEARS[0]}、{YEARS[-1]}两个年度的报告 "
        f"{len(samples.reports)} 份（{escape(str(folder / 'samples'))}），"
        f"并在写好的文本中故意埋下 {len(samples.slips)} 处差错："])
    step.lines += [f"  {slip.county}{slip.year}（{slip.path.name}）：{slip.note}"
                   for slip in samples.slips]
    written += [(path, "示例报告，{}{}年度".format(*samples.origin[path]))
                for path in samples.reports]
    yield step

    db_file = folder / "demo.db"
    if db_url is None:
        db_file.unlink(missing_ok=True)  # a fresh store every run
    url = db_url or str(db_file)
    engine = open_store(url, write=True)
    try:
        summary = ingest([str(p) for p in samples.reports], engine)
        step = DemoStep("2. 入库", [f"示例报告 {len(samples.reports)} 份已读入 {escape(url)}："
                                   f"入库 {len(summary.ingested)} 份，失败 {len(summary.failed)} 份"])
        step.lines += [f"  {escape(path)}：{escape(reason)}" for path, reason in summary.failed]
        if db_url is None:
            written.append((db_file, "SQLite 数据库（jixiao list/compare/show --db 可查看）"))
        yield step

        yield DemoStep("3. 县区年度比较", table=compare(
            engine, keys=DEMO_KEYS, counties=[c.name for c in COUNTIES], years=list(YEARS)))

        yield _check_step(samples, extract_file, check_document, render_text)

        county = COUNTIES[DEMO_DRAFT_COUNTY]
        year = YEARS[-1] + 1
        figures = write_figures(county_figures(county, len(YEARS)),
                                folder / f"{county.slug}_{year}_figures.yaml",
                                county=county.name, year=year)
        written.append((figures, f"{county.name}{year}年度的数字文件（在{YEARS[-1]}年数字上略有增长）"))
        previous = previous_from_store(engine, county.name, year)
        drafted = draft_report(figures, county=county.name, year=year, previous=previous,
                               output=folder / f"{county.slug}_{year}_draft.docx",
                               issued=f"{year + 1}年1月20日")
    finally:
        engine.dispose()
    source = (f"从数据库取{county.name}{year - 1}年度报告作为上年报告" if previous
              else "数据库中没有上年报告")
    yield DemoStep("5. 起草下一年度报告", [
        f"{county.name}{year}年度：数字文件 {figures.name}，{source}。",
        f"数字 {drafted.figures_stated} 个已读回核对无误；"
        f"问题与措施：{'、'.join(topic_label(t) for t in drafted.topics)}；"
        f"与上年报告相同的句子占 {drafted.overlap:.0%}"])
    for path in drafted.paths:
        kind = "Word 公文格式" if path.suffix == ".docx" else "Markdown"
        written.append((path, f"{county.name}{year}年度报告草稿（{kind}）"))
    yield _forms_step(folder, county.name, YEARS[-1], written)
    yield DemoStep("7. 写入的文件", [f"{escape(str(path))}  {what}" for path, what in written])


def _forms_step(folder: Path, county: str, year: int, written: list[tuple[Path, str]]
                ) -> DemoStep:
    """Step 6: the units' forms (with planted slips and three files that are not forms)
    read and checked, added up into a figures file, and a draft written from them."""
    from rich.markup import escape

    from jixiao.formsrun import FormsRun, form_lines
    from jixiao.generate.aggregate import write_figures
    from jixiao.generate.draft import draft_report
    from jixiao.generate.form_samples import write_form_samples

    samples = write_form_samples(folder / "forms", year=year, county=county, pdf=False)
    step = DemoStep("6. 单位绩效表：逐表核对、汇总、起草", [
        f"为{county}各单位写了{year}年度的绩效表 {len(samples.forms)} 张（自评表两种格式、"
        f"部门整体自评表、运行监控表、目标申报表；{escape(str(samples.folder))}），"
        f"埋下 {len(samples.slips)} 处差错，另放入 {len(samples.bad)} 个读不了的文件："])
    rules = folder / "forms_rules.yaml"  # a province's scoring rule: an example of our own
    rules.write_text("# 示例：某省规定预算执行率低于60%的项目，自评总分不得超过80分\n"
                     "rules:\n  - {family: mof, rate_below: 60, max_total: 80}\n", encoding="utf-8")
    run = FormsRun.create(rules)
    failures = run.read_all([str(samples.folder)])
    for rec in run.records:
        if rec.findings:  # type: ignore[union-attr]
            step.lines += form_lines(rec, run.spec)  # type: ignore[arg-type]
    step.lines += [f"  [red]错误[/red] {escape(str(err))}" for err in failures]
    found = sum(1 for slip in samples.slips if any(
        f.rule in slip.rules and slip.cell in {e.cell for e in f.evidence}
        for r in run.records for f in r.findings))  # type: ignore[union-attr]
    step.lines.append(run.summary(len(failures)) + f"；埋下的 {len(samples.slips)} 处差错发现 {found} 处"
                      f"（执行率过低时的总分上限按 {rules.name} 中示例的省级规则）")
    agg = run.aggregate(year)
    figures = write_figures(agg, folder / f"forms_{year}_figures.yaml", county=county, year=year)
    step.lines.append(f"汇总出数字 {len(agg.figures)} 个，写入 {figures.name}，例如：" + "；".join(
        f"{f.label}{fmt}" for f, fmt in (
            (f, f"{f.value.normalize():f}{f.unit}") for f in agg.figures if not f.qualifiers))[:160] + "……")
    drafted = draft_report(figures, county=county, year=year,
                           output=folder / f"forms_{year}_draft.docx")
    step.lines.append(f"由绩效表起草{county}{year}年度报告：数字 {drafted.figures_stated} 个已读回核对无误")
    written.append((rules, "示例的省级评分规则（jixiao forms --families 读取）"))
    written.append((figures, f"{county}{year}年度由绩效表汇总的数字文件"))
    written += [(p, f"由绩效表起草的{county}{year}年度报告（{'Word' if p.suffix == '.docx' else 'Markdown'}）")
                for p in drafted.paths]
    return step


def _check_step(samples: Any, extract_file: Any, check_document: Any, render_text: Any
                ) -> DemoStep:
    """Step 4: every report checked against its previous year; were the slips found?"""
    from rich.markup import escape

    step = DemoStep("4. 核对")
    extractions = {path: extract_file(path) for path in samples.reports}
    by_report = {(ex.document.county, ex.document.year): ex for ex in extractions.values()}
    findings: list[Any] = []
    for path, extraction in extractions.items():
        doc = extraction.document
        before = by_report.get((doc.county, (doc.year or 0) - 1))
        result = check_document(extraction, before)
        findings += result.findings
        counts = result.counts()
        compared = f"，对照上年报告 {Path(before.document.source).name}" if before else ""
        step.lines.append(
            f"[bold]{escape(doc.title or path.name)}[/bold]（{path.name}{compared}）：数字 "
            f"{len(extraction.metrics)} 个，错误 {counts['error']} 项，警告 "
            f"{counts['warning']} 项，已核对相符 {len(result.verified)} 项")
        step.lines += render_text(doc, result)
    missed = [s for s in samples.slips if not s.found_in(findings)]
    if missed:
        step.lines.append(f"埋下的 {len(samples.slips)} 处差错中有 {len(missed)} 处未被发现："
                          + "；".join(s.note for s in missed))
    else:
        step.lines.append(f"埋下的 {len(samples.slips)} 处差错全部被发现。")
    return step
