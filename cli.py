"""The ``jixiao`` command: thin click commands over :mod:`jixiao.api`.

Every command that takes files goes on with the rest when one fails, prints one line per
failure on stderr (file and reason, never a traceback), a summary when several files were
given, and exits with status 2 if any file could not be used.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from jixiao.errors import JixiaoError


class _Commands(click.Group):
    """The command group: a file that cannot be written is the user's to fix, not a bug,
    so it ends like every other bad input, with one line and exit status 2."""

    def invoke(self, ctx: click.Context) -> Any:
        from jixiao.extract import limits

        limits.set_current(None)  # --limit of an earlier command in this process is gone
        try:
            return super().invoke(ctx)
        except BrokenPipeError:  # jixiao list --format json | head -1: the reader has enough
            sys.exit(0)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except OSError as exc:
            where = exc.filename if exc.filename is not None else "输出"
            reason = exc.strerror or exc.__class__.__name__
            click.echo(f"错误：{where}: 无法写入（{reason}），请检查目录是否存在、是否只读或有无权限",
                       err=True)
            sys.exit(2)
        except JixiaoError as err:  # a user's mistake a command did not catch itself
            click.echo(f"错误：{err}", err=True)
            sys.exit(2)
        except Exception as exc:  # a bug: one line naming the log, never a traceback
            from jixiao.errors import internal_error

            name = ctx.invoked_subcommand or "jixiao"
            click.echo(f"错误：{internal_error(f'jixiao {name}', exc)}", err=True)
            sys.exit(2)


def _set_limits(ctx: click.Context, param: click.Parameter, value: Any) -> None:
    """--limit NAME=VALUE and --max-pages N: the reading bounds for this command."""
    from jixiao.extract import limits

    if value is None or value == ():
        return
    try:
        if param.name == "max_pages":
            limits.set_current(limits.parse([], max_pages=value, base=limits.current()))
        else:
            limits.set_current(limits.parse(value, base=limits.current()))
    except JixiaoError as err:
        raise click.BadParameter(err.reason) from None


def limit_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options that raise the bounds of extract/limits.py (README: 不可用的输入)."""
    command = click.option("--max-pages", type=int, default=None, expose_value=False,
                           callback=_set_limits, metavar="N",
                           help="单个文件最多 OCR 识别的页数（默认 100）")(command)
    return click.option("--limit", multiple=True, expose_value=False, callback=_set_limits,
                        metavar="NAME=VALUE",
                        help="放宽读取上限：size、text、unzipped、ratio、pages、paragraphs、"
                             "ocr-pages、sheet、cells，如 --limit size=200（见 README）")(command)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="jixiao")
def main() -> None:
    """jixiao：预算绩效管理工作情况说明的读取、抽取、核对、比较与起草。"""


def run() -> None:
    """Console-script entry: run the command; when the reader of a pipe stopped early
    (… | head -1), what is left unwritten is dropped quietly."""
    try:
        main()
    finally:
        try:
            sys.stdout.flush()
        except (BrokenPipeError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


class Batch:
    """:class:`jixiao.batch.Batch` that reports each failure on stderr as it happens."""

    def __init__(self, inputs: tuple[str, ...]) -> None:
        from jixiao.batch import Batch as Files

        self.files = Files(inputs, on_failure=lambda err: click.echo(f"错误：{err}", err=True))
        self.inputs = self.files.inputs
        self.failures = self.files.failures
        self.each = self.files.each
        self.run = self.files.run

    def finish(self) -> None:
        """The summary line, and exit status 2 if any file failed."""
        if (summary := self.files.summary()) is not None:
            click.echo(summary, err=True)
        if self.failures:
            sys.exit(2)


@contextmanager
def ocr_progress() -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr, started only if pages are actually OCRed."""
    bar: Any = None
    task: Any = None

    def update(done: int, total: int) -> None:
        nonlocal bar, task
        if bar is None:
            from rich.progress import Progress

            bar = Progress(transient=True, console=_stderr_console())
            bar.start()
            task = bar.add_task("OCR 识别中", total=total)
        bar.update(task, completed=done)

    try:
        yield update
    finally:
        if bar is not None:
            bar.stop()


def _stderr_console() -> Any:
    from rich.console import Console

    return Console(stderr=True)


@main.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text：清洗后的正文（表格逐行、单元格以制表符分隔）；json：每个文件一行结构信息")
@limit_options
def read(files: tuple[str, ...], fmt: str) -> None:
    """读取报告（.txt/.docx/.pdf/.html/.doc/.wps/.xlsx/.xls；给出文件夹时读取其中全部报告），输出清洗后的正文或结构。"""
    from jixiao.api import document_text, read_document

    batch = Batch(files)

    def one(path: str) -> None:
        with ocr_progress() as progress:
            doc = read_document(path, progress=progress)
        if fmt == "json":
            click.echo(json.dumps(doc.to_dict(), ensure_ascii=False))
        else:
            if len(files) > 1:
                click.echo(f"==> {path} <==")
            click.echo(document_text(doc))

    batch.run(one)
    batch.finish()


def _value_text(value: Any, placeholder: bool) -> str:
    if placeholder:
        return "（占位符）"
    if isinstance(value, str):  # a date: 2024-03-15, --06-30
        return value
    return "" if value is None else format(value.normalize(), "f")


@main.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["json", "table", "csv"]), default="table",
              show_default=True, help="json：每个文件一行；table：供人阅读的表格；csv：每个数字一行")
@limit_options
def extract(files: tuple[str, ...], fmt: str) -> None:
    """抽取报告中的全部数字，归入指标目录并附原文依据（文件或文件夹）。"""
    import csv

    from jixiao.api import extract_file

    batch = Batch(files)
    writer = None
    if fmt == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(["source", "key", "label", "value", "unit", "surface", "start", "end",
                         "page", "section", "qualifiers", "placeholder", "sentence"])

    def one(path: str) -> None:
        with ocr_progress() as progress:
            result = extract_file(path, progress=progress)
        if fmt == "json":
            click.echo(json.dumps(result.to_dict(), ensure_ascii=False))
        elif writer is not None:
            for m in result.metrics:
                writer.writerow([path, m.key or "", m.label, _value_text(m.date or m.value, False),
                                 m.unit, m.surface, m.start, m.end, m.page or "",
                                 m.section or "", json.dumps(m.qualifiers, ensure_ascii=False),
                                 "1" if m.placeholder else "0", m.sentence])
        else:
            _print_metrics_table(result)

    batch.run(one)
    batch.finish()


def _print_metrics_table(result: Any) -> None:
    from rich.console import Console
    from rich.table import Table

    from jixiao.extract.catalog import load_catalog
    from jixiao.extract.metrics import describe_qualifiers

    catalog = load_catalog()
    doc = result.document
    headings = {s.id: s.heading for s in doc.sections}
    table = Table(title=f"{doc.title or doc.source}（{doc.county or '县区未识别'}，"
                        f"{doc.year or '年度未识别'}）：{len(result.metrics)} 个数字")
    for column in ("指标", "数值", "单位", "限定", "原文"):
        table.add_column(column, overflow="fold")
    section = None
    for m in result.metrics:
        if m.section != section:
            section = m.section
            table.add_row(f"[bold]{headings.get(section or '', '（未分章节）')}[/bold]",
                          end_section=False)
        quals = describe_qualifiers(m.qualifiers)
        if m.role != "figure":
            quals = "；".join(filter(None, [quals, "门槛/规则，不作结果"]))
        label = m.label
        if m.candidates:  # not sure enough to give a key: say so and name the candidates
            label = "[yellow]未定：" + "／".join(catalog.label(k) for k in m.candidates) + "[/yellow]"
        table.add_row(label, _value_text(m.date or m.value, m.placeholder), m.unit, quals,
                      _snippet(m.sentence, m.surface))
    unsure = sum(1 for m in result.metrics if m.candidates)
    if unsure:
        table.caption = (f"其中 {unsure} 个数字归属未定（句中依据不足），列出候选指标，"
                         "不计入核对和比较")
    console = Console()
    if not console.is_terminal:
        console.width = 160  # piped to a file: do not fold at 80 columns
    console.print(table)


def _snippet(sentence: str, surface: str, width: int = 18) -> str:
    """The words around a figure, the figure in bold (rich markup)."""
    from rich.markup import escape

    at = sentence.find(surface)
    if at < 0:
        return escape(sentence[: 2 * width]) + ("……" if len(sentence) > 2 * width else "")
    start, end = max(at - width, 0), min(at + len(surface) + width, len(sentence))
    return ("……" if start > 0 else "") + escape(sentence[start:at]) + \
        f"[bold yellow]{escape(surface)}[/bold yellow]" + escape(sentence[at + len(surface):end]) + \
        ("……" if end < len(sentence) else "")


@main.command(name="eval")
@click.argument("files", nargs=-1)
@click.option("--real", "real_split", type=click.Choice(["dev", "test", "all"]), default=None,
              help="改为评估真实报告集 corpus/real（dev 调参用，test 只在结项时测）")
@click.option("--gold", "gold_folder", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="金标准标注目录（默认用随包提供的 corpus/gold）")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
@click.option("--errors/--no-errors", default=True, show_default=True,
              help="列出漏报和误报")
@limit_options
def evaluate(files: tuple[str, ...], real_split: str | None, gold_folder: Path | None, fmt: str,
             errors: bool) -> None:
    """用金标准标注评估抽取效果：按文件给出精确率、召回率和 F1。"""
    if real_split is not None:
        _evaluate_real(real_split, fmt, errors)
        return
    if not files:
        _fail(JixiaoError("eval", "请给出要评估的文件，或用 --real 评估真实报告集"))
    from jixiao.api import extract_file
    from jixiao.errors import JixiaoError as _Err
    from jixiao.extract.evaluation import Level, gold_for, load_gold, score

    if gold_folder is not None and not gold_folder.is_dir():
        _fail(JixiaoError(str(gold_folder), "金标准目录不存在"))
    batch = Batch(files)
    scores = []

    def one(path: str) -> None:
        gold = gold_for(path, gold_folder)
        if gold is None:
            raise _Err(path, "没有找到对应的金标准标注（文件名需以三位编号开头，如 003_…）")
        result = extract_file(path)
        s = score(path, load_gold(gold), result.metrics)
        scores.append(s)
        if fmt == "json":
            click.echo(json.dumps(s.to_dict(), ensure_ascii=False))

    batch.run(one)
    if fmt == "table" and scores:
        total_found, total_full = Level(), Level()
        for s in scores:
            total_found.add(s.found)
            total_full.add(s.understood)
        _print_scores(scores, total_found, total_full, errors)
    batch.finish()


def _evaluate_real(split: str, fmt: str, errors: bool) -> None:
    from jixiao.extract import realeval, realset

    docs = [d for d in realset.load_all() if split == "all" or d.split == split]
    results = realeval.run(docs, realeval.extract_text, realeval.check_extraction)
    missing = [r.doc.url for r in results if r.error == "缓存中没有文本"]
    summary = realeval.summarise(results)
    if fmt == "json":
        click.echo(json.dumps({"split": split, "documents": len(docs), "missing": missing,
                               "scores": summary}, ensure_ascii=False))
    else:
        realeval.print_summary(summary, len(docs), missing)
        if errors:
            realeval.print_misses(results)
    if missing:
        click.echo(f"缓存中缺少 {len(missing)} 篇的文本，未计入（python -m jixiao.extract.realset missing 列出地址）",
                   err=True)


def _print_scores(scores: list[Any], found: Any, full: Any, errors: bool) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table(title="抽取评估（数值+单位 / 数值+单位+指标+限定）")
    for column in ("文件", "金标", "P", "R", "F1", "P", "R", "F1"):
        table.add_column(column, justify="left" if column == "文件" else "right")

    def row(name: str, a: Any, b: Any) -> list[str]:
        return [name, str(a.tp + a.fn), f"{a.precision:.3f}", f"{a.recall:.3f}", f"{a.f1:.3f}",
                f"{b.precision:.3f}", f"{b.recall:.3f}", f"{b.f1:.3f}"]

    for s in scores:
        table.add_row(*row(_short_name(s.source), s.found, s.understood))
    table.add_row(*row("合计", found, full), style="bold")
    console.print(table)
    if not errors:
        return
    for s in scores:
        if not s.understood.misses and not s.understood.false_alarms:
            continue
        console.print(f"[bold]{_short_name(s.source)}[/bold]")
        for item in s.understood.misses:
            console.print(f"  漏报  {_item_text(item)}", highlight=False)
        for item in s.understood.false_alarms:
            console.print(f"  误报  {_item_text(item)}", highlight=False)


def _short_name(source: str) -> str:
    """003_9838b6f1644cf041.nounicode.pdf → 003….nounicode.pdf (the table stays narrow)."""
    name = Path(source).name
    stem, dot, rest = name.partition(".")
    if len(stem) > 8 and "_" in stem:
        return f"{stem.split('_', 1)[0]}…{dot}{rest}"
    return name


def _item_text(item: tuple) -> str:
    from jixiao.extract.catalog import load_catalog
    from jixiao.extract.metrics import describe_qualifiers

    value, unit, key, quals = item
    label = load_catalog().label(key)
    return f"{value}{unit}  {label}（{key or '—'}）  {describe_qualifiers(dict(quals))}"


@main.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html"]), default="text",
              show_default=True, help="text：终端列表；json：每个文件一行；html：在浏览器中查看的核对页面")
@click.option("--fail-on", type=click.Choice(["error", "warning"]), default="error",
              show_default=True, help="有此级别及以上的问题时退出码为 1")
@click.option("--previous", type=click.Path(path_type=Path), default=None,
              help="上年报告，用于核对“较上年增加”“同比增长”")
@click.option("--output", "-o", type=click.Path(path_type=Path), default=None,
              help="输出位置：text/json 写入这个文件；html 一个文件时为文件名，多个文件时为目录")
@click.option("--db", "db_url", default=None, metavar="URL",
              help="审核记录所在的数据库（默认 JIXIAO_DB 或用户数据目录下的 jixiao.db；不存在时不用）")
@click.option("--forms", "forms_paths", multiple=True, metavar="FOLDER",
              help="单位填报的绩效表所在文件夹：报告中的数字与各表汇总逐一对照")
@limit_options
def check(files: tuple[str, ...], fmt: str, fail_on: str, previous: Path | None,
          output: Path | None, db_url: str | None, forms_paths: tuple[str, ...]) -> None:
    """核对报告中的数字：合计、占比、执行率、增长、表格、列举个数、年份、占位符。

    可给出文件夹：逐个核对其中的报告，最后汇总有错误、只有警告和未发现问题的文件数。"""
    from rich.console import Console

    from jixiao.check.render import render_html, render_text
    from jixiao.checking import CheckRun

    batch = Batch(files)
    many = len(batch.inputs) > 1
    if fmt == "html" and output is None and many:
        raise click.UsageError("多个文件输出 html 时请用 --output 指定目录")
    try:
        run = CheckRun.against(previous, db_url)
    except JixiaoError as err:
        _fail(err)
    if forms_paths:
        for err in run.read_forms(list(forms_paths)):
            click.echo(f"提示：绩效表 {err}（未计入汇总）", err=True)
    # text and json go to --output when one is given (html writes its own pages)
    sink = None
    if output is not None and fmt != "html":
        output.parent.mkdir(parents=True, exist_ok=True)
        sink = output.open("w", encoding="utf-8")
    console = Console(highlight=False, file=sink) if sink else Console(highlight=False)
    if sink is not None or not console.is_terminal:
        console.width = 160

    def one(path: str) -> None:
        with ocr_progress() as progress:
            extraction, result = run.check(path, progress)
        if fmt == "json":
            click.echo(json.dumps(result.to_dict(), ensure_ascii=False), file=sink)
        elif fmt == "html" and output is None:
            click.echo(render_html(extraction.document, result))
        elif fmt == "html":
            click.echo(f"已写入 {run.write_page(path, extraction, result, output, many)}", err=True)
        else:
            counts = result.counts()
            hidden = f"，审核排除 {len(result.dismissed)} 项" if result.dismissed else ""
            console.print(f"[bold]{path}[/bold]：错误 {counts['error']} 项，"
                          f"警告 {counts['warning']} 项，已核对相符 {len(result.verified)} 项{hidden}")
            for line in render_text(extraction.document, result):
                console.print(line)

    try:
        batch.run(one)
        if many and fmt == "text":
            click.echo(run.summary(), file=sink)  # with the report, wherever it goes
    finally:
        if sink is not None:
            sink.close()
    if many and fmt == "html":
        if output is not None and (index := run.write_index(output)) is not None:
            click.echo(f"已写入 {index}（汇总页）", err=True)
        click.echo(run.summary(), err=True)
    if sink is not None:
        click.echo(f"已写入 {output}", err=True)
    if batch.failures:
        batch.finish()
    if run.fails(fail_on):
        sys.exit(1)


@main.command()
@click.argument("file", required=False)
@click.argument("fingerprint", required=False)
@click.option("--confirm", "verdict", flag_value="confirmed", help="确认：这是报告中的真实错误")
@click.option("--dismiss", "verdict", flag_value="dismissed", help="排除：不是错误，以后不再显示")
@click.option("--reopen", "verdict", flag_value="open", help="撤销审核结论，重新显示")
@click.option("--note", default="", help="审核说明（为什么确认或排除）")
@click.option("--by", "reviewer", default=None, help="审核人")
@click.option("--import", "marks", type=click.Path(path_type=Path), default=None,
              help="导入在核对页面上保存的审核记录（JSON 文件）")
@click.option("--db", "db_url", default=None, metavar="URL",
              help="数据库：SQLite 文件路径或 postgresql+psycopg://…（默认 JIXIAO_DB 或用户数据目录下的 jixiao.db）")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
def review(file: str | None, fingerprint: str | None, verdict: str | None, note: str,
           reviewer: str | None, marks: Path | None, db_url: str | None, fmt: str) -> None:
    """审核核对结果：确认或排除某一问题，审核记录存入数据库，重新核对后仍然有效。

    \b
    jixiao review 报告.docx                      列出该报告的问题及其指纹和审核结论
    jixiao review 报告.docx 3f2a9c --dismiss --note "表内合计含上年结转，非错误"
    jixiao review --import 审核记录.json          导入核对页面上保存的审核记录
    jixiao review                                列出数据库中的全部审核记录"""
    from jixiao.reviewing import ReviewSession

    try:
        if marks is not None:
            n = ReviewSession.open(db_url, write=True).import_marks(marks)
            click.echo(f"已导入 {n} 条审核记录")
            return
        if file is None:
            records = ReviewSession.open(db_url, write=False).records()
            _print_reviews([r.to_dict() for r in records], fmt)
            return
        session = ReviewSession.open(db_url, write=verdict is not None)
        if verdict is None:
            _print_review_list(session.findings_of(file), fmt)
            return
        if fingerprint is None:
            raise click.UsageError("请给出问题的指纹（jixiao review 文件 列出各问题的指纹）")
        line = session.decide(file, fingerprint, verdict, note, reviewer)
        click.echo(line)
    except JixiaoError as err:
        _fail(err)


def _json_lines(rows: list[dict[str, Any]]) -> None:
    """Plain rows as JSON Lines (no Decimals in them: no metrics import)."""
    for row in rows:
        click.echo(json.dumps(row, ensure_ascii=False))


def _print_reviews(rows: list[dict[str, Any]], fmt: str) -> None:
    if fmt == "json":
        _json_lines(rows)
        return
    if not rows:
        click.echo("数据库中还没有审核记录")
        return
    from jixiao.store.reviews import VERDICTS

    for r in rows:
        note = f"：{r['note']}" if r["note"] else ""
        click.echo(f"{r['scope']}  {r['fingerprint']}  {VERDICTS[r['verdict']]}{note}  "
                   f"（{r['rule']}）{r['message']}")


def _print_review_list(rows: list[dict[str, Any]], fmt: str) -> None:
    if fmt == "json":
        _json_lines(rows)
        return
    if not rows:
        click.echo("没有发现问题")
        return
    from jixiao.store.reviews import VERDICTS

    for r in rows:
        state = VERDICTS.get(r["verdict"] or "", "未审核")
        note = f"：{r['note']}" if r.get("note") else ""
        click.echo(f"{r['fingerprint']}  {r['severity_label']}  [{state}{note}]  {r['message']}")


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text：每张表一行及其问题；json：每张表一行（数字附单元格地址）")
@click.option("--figures", "figures_out", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="把汇总写成数字文件（YAML，jixiao draft 可直接读取）")
@click.option("--explain", "explain_key", default=None, metavar="KEY",
              help="说明一个汇总数字来自哪些表、哪些单元格，如 execution.budget、self_eval.grade_count@优")
@click.option("--county", default=None, help="县区名称（写入数字文件的说明行）")
@click.option("--year", type=int, default=None, help="只汇总这一年度的表（未写年度的表照计）")
@click.option("--families", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="本省的模板族和评分规则（YAML），补充或替换内置的 form_families.yaml")
@click.option("--province", default=None, help="省份：适用families文件中该省的评分规则")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="每张表的结果（text 或 json）写入这个文件，不在终端显示")
def forms(paths: tuple[str, ...], fmt: str, figures_out: Path | None, explain_key: str | None,
          county: str | None, year: int | None, families: Path | None,
          province: str | None, output: Path | None) -> None:
    """读取单位填报的绩效表（自评表、监控表、目标申报表；.xls/.xlsx/.docx/.pdf），
    逐表核对，并汇总为情况说明的数字（可写成 jixiao draft 读取的数字文件）。"""
    from rich.console import Console

    from jixiao.batch import Batch as Files
    from jixiao.formsrun import FormsRun, collect_form_paths, form_lines
    from jixiao.generate.aggregate import explain, write_figures

    try:
        run = FormsRun.create(families, province, summaries=True)
    except JixiaoError as err:
        _fail(err)
    sink = None
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        sink = output.open("w", encoding="utf-8")
    console = Console(highlight=False, file=sink) if sink else Console(highlight=False)
    if sink is not None or not console.is_terminal:
        console.width = 200
    quiet = explain_key is not None
    files = Files([], on_failure=lambda err: click.echo(f"错误：{err}", err=True))
    files.inputs = collect_form_paths(paths)
    try:
        with _files_progress(len(files.inputs), "读取绩效表") as advance:
            for _, records in files.each(run.read):
                advance()
                for rec in records:
                    if fmt == "json":
                        click.echo(json.dumps(rec.to_dict(), ensure_ascii=False), file=sink)
                    elif not quiet:
                        for line in form_lines(rec, run.spec):
                            console.print(line)
    finally:
        if sink is not None:
            sink.close()
            click.echo(f"已写入 {output}", err=True)
    agg = run.aggregate(year)
    if explain_key is not None:
        lines = explain(agg, explain_key)
        if not lines:
            _fail(JixiaoError(explain_key, "汇总中没有这个指标（可用的有："
                              + "、".join(dict.fromkeys(f.key for f in agg.figures)) + "）"))
        for line in lines:
            click.echo(line)
    elif fmt == "text":
        click.echo(run.summary(len(files.failures)))
        for fig in agg.figures:
            quals = f"（{fig.qualifier_text()}）" if fig.qualifiers else ""
            click.echo(f"  {fig.label}{quals} {fig.key}：{_plain(fig.value)}{fig.unit}")
        for rec, kept in agg.duplicates:
            click.echo(f"  提示：{rec.source} 第{rec.index}张与 {kept.source} 第{kept.index}张是同一项目，只计一次")
        for rec, why in agg.left_out:
            click.echo(f"  提示：{rec.source} 第{rec.index}张{why}")
    if figures_out is not None:
        write_figures(agg, figures_out, county=county, year=year)
        click.echo(f"已写入 {figures_out}（汇总数字 {len(agg.figures)} 个，出处可用 --explain 查看）", err=True)
    if files.failures:
        if (summary := files.summary()) is not None:
            click.echo(summary, err=True)
        sys.exit(2)


@contextmanager
def _files_progress(total: int, what: str) -> Iterator[Callable[[], None]]:
    """A progress bar on stderr for a long batch (shown on a terminal only)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    console = _stderr_console()
    if total < 20 or not console.is_terminal:
        yield lambda: None
        return
    bar = Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                   TimeRemainingColumn(), console=console, transient=True)
    task = bar.add_task(what, total=total)
    with bar:
        yield lambda: bar.advance(task)


def _plain(value: Any) -> str:
    from jixiao.check.tolerance import fmt

    return fmt(value)


_DB_OPTION = click.option("--db", "db_url", default=None, metavar="URL",
                          help="数据库：SQLite 文件路径或 sqlite:///…、postgresql+psycopg://…（默认用 JIXIAO_DB 或用户数据目录下的 jixiao.db）")


def _open_store(db_url: str | None, write: bool = False) -> Any:
    """The store; only writing commands create a SQLite file that is not there yet or
    upgrade its schema (those that only read say when ``jixiao db upgrade`` is needed)."""
    from jixiao.store.db import open_store

    try:
        return open_store(db_url, write=write, create=write, migrate=write)
    except JixiaoError as err:
        click.echo(f"错误：{err}", err=True)
        sys.exit(2)


def _fail(err: JixiaoError) -> None:
    click.echo(f"错误：{err}", err=True)
    sys.exit(2)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@_DB_OPTION
@click.option("--jobs", "-j", default=1, show_default=True, type=click.IntRange(1, 64),
              help="并行抽取的进程数（写库始终只有一个进程）")
@click.option("--force", is_flag=True, help="已入库的文件也重新抽取并覆盖")
@limit_options
def ingest(paths: tuple[str, ...], db_url: str | None, jobs: int, force: bool) -> None:
    """入库：读取、抽取、核对并保存报告（文件或目录，目录递归）。"""
    from rich.progress import Progress

    from jixiao.api import collect_paths
    from jixiao.store.ingest import ingest_into

    files = collect_paths(paths)
    with Progress(transient=True, console=_stderr_console(), disable=len(files) < 2) as bar:
        task = bar.add_task("入库中", total=len(files))
        try:
            summary = ingest_into(db_url, files, jobs=jobs, force=force,
                                  progress=lambda done, total, _: bar.update(task, completed=done))
        except JixiaoError as err:
            bar.stop()
            _fail(err)
    for line in summary.failure_lines() + summary.notes():
        click.echo(line, err=True)
    click.echo(summary.line())
    if summary.failed:
        sys.exit(2)


@main.group(name="db")
def db_group() -> None:
    """数据库维护（升级数据表结构）。"""


@db_group.command(name="upgrade")
@_DB_OPTION
def db_upgrade(db_url: str | None) -> None:
    """把数据库升级到本版本的数据表结构；list、show、compare、export 等只读命令从不升级。"""
    from jixiao.store.db import upgrade_store

    try:
        before, after = upgrade_store(db_url)
    except JixiaoError as err:
        _fail(err)
    if before == after:
        click.echo(f"数据库已是最新版本（{after}），无需升级")
    else:
        click.echo(f"数据库已从 {before or '空库'} 升级到 {after}")


def _records_out(rows: list[dict[str, Any]]) -> None:
    from jixiao.extract.metrics import json_default

    for row in rows:
        click.echo(json.dumps(row, ensure_ascii=False, default=json_default))


@main.command(name="list")
@_DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
def list_command(db_url: str | None, fmt: str) -> None:
    """列出库中的报告（每份报告一行，含各版本）。"""
    from rich.console import Console
    from rich.table import Table

    from jixiao.store.queries import list_reports

    rows = list_reports(_open_store(db_url))
    if fmt == "json":
        _records_out(rows)
        return
    table = Table(title=f"库中报告 {len(rows)} 份")
    for column in ("编号", "县区", "年度", "标题", "版本", "数字", "错误", "警告"):
        table.add_column(column)
    for r in rows:
        table.add_row(str(r["id"]), r["county"] or "—", str(r["year"] or "—"), r["title"] or "（无标题）",
                      "、".join(d["format"] for d in r["renditions"]), str(r["metrics"]),
                      str(r["errors"]), str(r["warnings"]))
    console = Console()
    if not console.is_terminal:
        console.width = 140
    console.print(table)


@main.command()
@click.argument("ident", metavar="DOC")
@_DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
def show(ident: str, db_url: str | None, fmt: str) -> None:
    """显示一份报告的数字（中文指标名）和核对结果；DOC 为编号、文件名或 sha256 前缀。"""
    from rich.console import Console
    from rich.table import Table

    from jixiao.check.rules import RULE_LABELS
    from jixiao.extract.metrics import describe_qualifiers
    from jixiao.store.queries import show_report

    try:
        report = show_report(_open_store(db_url), ident)
    except JixiaoError as err:
        _fail(err)
    if fmt == "json":
        _records_out([report])
        return
    console = Console(highlight=False)
    if not console.is_terminal:
        console.width = 140
    console.print(f"[bold]{report['title'] or '（无标题）'}[/bold]　{report['county'] or '—'}　"
                  f"{report['year'] or '—'}　（{report['source']}）")
    table = Table()
    for column in ("指标", "数值", "单位", "限定"):
        table.add_column(column)
    for m in report["metrics"]:
        table.add_row(m["label"], _value_text(m["value"], m["placeholder"]), m["unit"],
                      describe_qualifiers(m["qualifiers"] or {}))
    console.print(table)
    for f in report["findings"]:
        label = {"error": "错误", "warning": "警告"}.get(f["severity"], "提示")
        console.print(f"{label} {RULE_LABELS.get(f['rule'], f['rule'])} {f['message']}")


@main.command()
@_DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "json"]), default="csv",
              show_default=True)
@click.option("--output", "-o", type=click.Path(path_type=Path), default=None,
              help="输出文件（xlsx 必须指定）")
def export(db_url: str | None, fmt: str, output: Path | None) -> None:
    """导出全部数字（长表：县区、年度、指标、数值、单位、限定、来源、原句）。"""
    from jixiao.store.export import write_export

    rows = _export_rows(db_url)
    try:
        write_export(rows, fmt, output)
    except JixiaoError as err:
        _fail(err)


def _export_rows(db_url: str | None) -> list[dict[str, Any]]:
    from jixiao.store.queries import export_rows

    return export_rows(_open_store(db_url))


@main.command(name="compare")
@_DB_OPTION
@click.option("--key", "keys", multiple=True, help="指标键（可多次；key@优 表示某一等次）")
@click.option("--county", "counties", multiple=True, help="县区（可多次）")
@click.option("--year", "years", multiple=True, type=int, help="报告年度（可多次）")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "xlsx", "html", "json"]),
              default="table", show_default=True)
@click.option("--output", "-o", type=click.Path(path_type=Path), default=None,
              help="输出文件（xlsx、html 必须指定）")
def compare_command(db_url: str | None, keys: tuple[str, ...], counties: tuple[str, ...],
                    years: tuple[int, ...], fmt: str, output: Path | None) -> None:
    """比较各县区、各年度的指标：每行一个县区年度，每列一个指标，附可比比例和异常值标记。"""
    from jixiao.store.compare import compare
    from jixiao.store.compare_out import write_compare

    try:
        table = compare(_open_store(db_url), keys=list(keys), counties=list(counties),
                        years=list(years))
        write_compare(table, fmt, output)
    except JixiaoError as err:
        _fail(err)


@main.command()
@click.option("--output", "-o", "folder", type=click.Path(file_okay=False, path_type=Path),
              default=Path("jixiao-demo"), show_default=True,
              help="输出目录：示例报告、数据库和起草的报告都写在这里")
@click.option("--db", "db_url", default=None, metavar="URL",
              help="演示用数据库（默认在输出目录新建 demo.db）")
def demo(folder: Path, db_url: str | None) -> None:
    """演示全流程：生成三个县区两个年度的示例报告（含故意埋下的差错），入库，比较，核对，
    再为一个县区起草下一年度的报告。"""
    from rich.console import Console

    from jixiao.demo import run_demo
    from jixiao.store.compare_out import write_compare

    console = Console(highlight=False)
    if not console.is_terminal:
        console.width = 160
    try:
        for step in run_demo(folder, db_url):
            if step.title:
                console.rule(f"[bold]{step.title}[/bold]")
            for line in step.lines:
                console.print(line)
            if step.table is not None:
                write_compare(step.table, "table", None)
    except JixiaoError as err:
        _fail(err)


def _draft_args(county: str, year: int, issued: str | None) -> tuple[str, str | None]:
    """The county, checked, and the date written as an official document writes it.

    >>> _draft_args(" 青禾县 ", 2025, "2026-01-20")
    ('青禾县', '2026年1月20日')
    """
    import re

    county = county.strip()
    if not county:
        raise JixiaoError("--county", "请给出县区名称，如 青禾县")
    if not 2000 <= year <= 2100:
        raise JixiaoError("--year", f"报告年度应为四位年份，如 2025（写的是 {year}）")
    if issued is not None:
        issued = issued.strip()
        if m := re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", issued):
            issued = f"{int(m[1])}年{int(m[2])}月{int(m[3])}日"
        elif not re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", issued):
            raise JixiaoError("--date", f"成文日期应写成 2026年1月20日（写的是 {issued}）")
    return county, issued


def _check_draft_output(output: Path, inputs: list[Path]) -> None:
    """The draft goes to a .docx (and a .md beside it), never over one of its inputs."""
    if output.suffix.lower() != ".docx":
        raise JixiaoError(str(output), "草稿应写成 .docx 文件（同时在旁边写同名 .md），请改用 .docx 结尾的文件名")
    written = {output.resolve(), output.with_suffix(".md").resolve()}
    for path in inputs:
        if path.resolve() in written:
            raise JixiaoError(str(output), f"会覆盖输入文件 {path}，请换一个输出文件名")


def _previous_report(previous: Path | None, db_url: str | None, county: str, year: int,
                     use_store: bool) -> Any:
    from jixiao.generate.draft import previous_from_file, previous_from_store
    from jixiao.store.db import resolve_url, sqlite_file

    if previous is not None:
        return previous_from_file(previous)
    if not use_store:
        return None
    file = sqlite_file(resolve_url(db_url))
    if db_url is None and file is not None and not file.exists():
        return None  # no store yet (a drafter who never ingested): nothing to look up
    return previous_from_store(_open_store(db_url), county, year)


@main.command()
@click.argument("figures", required=False, type=click.Path(path_type=Path))
@click.option("--county", required=True, help="县区名称，如 青禾县")
@click.option("--year", required=True, type=int, help="报告年度")
@click.option("--init", "init_path", type=click.Path(path_type=Path), default=None,
              help="生成数字清单文件（列出全部指标，附上年数值）")
@click.option("--previous", type=click.Path(path_type=Path), default=None,
              help="上年报告文件（不给时从数据库找同一县区上一年的报告）")
@_DB_OPTION
@click.option("--no-store", is_flag=True, help="不读数据库")
@click.option("--templates", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="自定义模板目录，同名文件覆盖内置模板")
@click.option("--word-template", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="本单位的 Word 模板（docxtpl 占位符：title、sections、issuer、date）")
@click.option("--outline", "outline", type=click.Choice(["previous", "ours"]), default="previous",
              show_default=True,
              help="previous：沿用上年报告的标题和顺序（有上年报告时）；ours：用内置提纲")
@click.option("--issuer", default=None, help="落款单位（默认沿用上年报告或“县区财政局”）")
@click.option("--date", "issued", default=None, help="成文日期，如 2026年1月20日")
@click.option("--output", "-o", type=click.Path(path_type=Path), default=None,
              help="草稿文件（.docx，同时写同名 .md）")
@click.option("--forms", "forms_paths", multiple=True, metavar="FOLDER",
              help="由单位填报的绩效表汇总数字后起草（汇总写入草稿旁的 .figures.yaml；同时给出数字文件时，以数字文件为准）")
def draft(figures: Path | None, county: str, year: int, init_path: Path | None,
          previous: Path | None, db_url: str | None, no_store: bool, templates: Path | None,
          word_template: Path | None, outline: str, issuer: str | None, issued: str | None,
          output: Path | None, forms_paths: tuple[str, ...]) -> None:
    """起草：由本年数字和上年报告生成下一份情况说明（Word 公文格式和 Markdown）。"""
    from jixiao.generate.draft import draft_report
    from jixiao.generate.figures import init_figures

    try:
        county, issued = _draft_args(county, year, issued)
        if init_path is not None and init_path.exists():
            raise JixiaoError(str(init_path), "文件已存在；为免覆盖已填写的数字，请换一个文件名或先删除它")
        if output is not None:
            _check_draft_output(output, [p for p in (figures, previous) if p is not None])
        before = _previous_report(previous, db_url, county, year, not no_store)
        if init_path is not None:
            init_path.write_text(init_figures(before.figures if before else None,
                                              county=county, year=year), encoding="utf-8")
            click.echo(f"已写入数字清单 {init_path}，填好后运行：jixiao draft {init_path} "
                       f"--county {county} --year {year} -o 草稿.docx")
            return
        if (figures is None and not forms_paths) or output is None:
            raise click.UsageError("请给出数字文件（或 --forms 绩效表文件夹）和 --output（或用 --init 先生成数字清单）")
        if forms_paths:
            figures = _figures_from_forms(forms_paths, figures, output, county, year)
        result = draft_report(figures, county=county, year=year, output=output,
                              previous=before, templates=templates, issuer=issuer,
                              issued=issued, word_template=word_template,
                              follow_outline=outline == "previous")
    except JixiaoError as err:
        _fail(err)
    for path in result.paths:
        click.echo(f"已写入 {path}")
    from jixiao.generate.problems import topic_label

    click.echo(f"数字 {result.figures_stated} 个已读回核对无误；问题与措施："
               f"{'、'.join(topic_label(t) for t in result.topics)}；"
               f"与上年报告相同的句子占 {result.overlap:.0%}")
    if before is not None:
        click.echo(f"上年报告：{before.source}（用于较上年的变化、提纲和避免重复）")
    elif not no_store:
        click.echo(f"提示：数据库中没有{county}{year - 1}年度的报告，未写较上年的变化"
                   "（可用 --previous 指定上年报告文件）", err=True)
    if result.headings_kept:
        click.echo(f"提纲沿用上年报告：{result.headings_kept} 个标题及其顺序")
    for note in result.notes:
        click.echo(f"提示：{note}", err=True)


def _figures_from_forms(paths: tuple[str, ...], extra: Path | None, output: Path, county: str,
                       year: int) -> Path:
    """The figures file the forms add up to (with the drafter's own file over it), written
    beside the draft."""
    from jixiao.formsrun import FormsRun
    from jixiao.generate.aggregate import write_figures

    run = FormsRun.create()
    for err in run.read_all(list(paths)):
        click.echo(f"提示：绩效表 {err}（未计入汇总）", err=True)
    agg = run.aggregate(year)
    if not agg.figures:
        raise JixiaoError("、".join(paths), f"没有读到{year}年度可汇总的绩效表")
    target = write_figures(agg, output.with_suffix(".figures.yaml"), county=county, year=year,
                           extra=extra)
    click.echo(f"由 {len(agg.records)} 张绩效表汇总出数字 {len(agg.figures)} 个，写入 {target}"
               f"（出处：jixiao forms {' '.join(paths)} --explain 指标键）")
    return target


@main.command()
@click.argument("figures", type=click.Path(path_type=Path))
@click.option("--county", required=True, help="县区名称，如 青禾县")
@click.option("--year", required=True, type=int, help="报告年度")
@click.option("--previous", type=click.Path(path_type=Path), default=None,
              help="上年报告文件（用于避免与上年措辞重复）")
@_DB_OPTION
@click.option("--no-store", is_flag=True, help="不读数据库")
def problems(figures: Path, county: str, year: int, previous: Path | None, db_url: str | None,
             no_store: bool) -> None:
    """只起草“存在的问题”和“下一步工作措施”两部分。"""
    from jixiao.generate.derive import derive
    from jixiao.generate.figures import load_figures
    from jixiao.generate.problems import draft_problems
    from jixiao.generate.render import area_word

    try:
        before = _previous_report(previous, db_url, county, year, not no_store)
        values = derive(load_figures(figures), before.figures if before else None, str(figures))
    except JixiaoError as err:
        _fail(err)
    found, steps, _ = draft_problems(values, year=year, previous_text=before.text if before else "",
                                     area=area_word(county), county=county)
    click.echo("存在的问题")
    for p in found:
        click.echo(p)
    click.echo("\n下一步工作措施")
    for m in steps:
        click.echo(m)


@main.command()
@click.option("--topic", required=True, help="主题：英文名或中文名，如 third_party 或 第三方机构")
@click.option("--county", default=None, help="只看某县区")
@_DB_OPTION
def passages(topic: str, county: str | None, db_url: str | None) -> None:
    """查看库中各报告对某一主题（问题与措施）的写法，附出处。"""
    from jixiao.store.queries import find_topic, topic_passages

    try:
        known = find_topic(topic)
    except JixiaoError as err:
        _fail(err)
    rows = topic_passages(_open_store(db_url), known.topic, county)
    click.echo(f"主题“{known.label}”（措施：{known.measure}）共 {len(rows)} 段")
    for r in rows:
        kind = "问题" if r["stage"] == "problems" else "措施"
        click.echo(f"[{r['county'] or '—'} {r['year'] or '—'} {kind}，{r['source']}] {r['text']}")
