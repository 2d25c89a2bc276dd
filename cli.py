"""The ``jixiao`` command: thin click commands over :mod:`jixiao.api`.

Every command that takes files goes on with the rest when one fails, prints one line per
failure on stderr (file and reason, never a traceback), a summary when several files were
given, and exits with status 2 if any file could not be used.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import click

from jixiao.errors import JixiaoError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="jixiao")
def main() -> None:
    """jixiao：预算绩效管理工作情况说明的读取、抽取、核对、比较与起草。"""


class Batch:
    """Run one action per input, collect failures, and report them the way users expect."""

    def __init__(self, inputs: tuple[str, ...]) -> None:
        self.inputs = inputs
        self.failures: list[JixiaoError] = []

    def run(self, action: Callable[[str], None]) -> None:
        for item in self.inputs:
            try:
                action(item)
            except JixiaoError as err:
                self.failures.append(err)
                click.echo(f"错误：{err}", err=True)

    def finish(self) -> None:
        if len(self.inputs) > 1 and self.failures:
            ok = len(self.inputs) - len(self.failures)
            names = "；".join(f"{e.source}（{e.reason}）" for e in self.failures)
            click.echo(f"共 {len(self.inputs)} 个文件：成功 {ok} 个，失败 {len(self.failures)} 个：{names}",
                       err=True)
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
              show_default=True, help="text：清洗后的正文；json：每个文件一行结构信息")
def read(files: tuple[str, ...], fmt: str) -> None:
    """读取报告（.txt/.docx/.pdf），输出清洗后的正文或结构。"""
    from jixiao.api import read_document

    batch = Batch(files)

    def one(path: str) -> None:
        with ocr_progress() as progress:
            doc = read_document(path, progress=progress)
        if fmt == "json":
            click.echo(json.dumps(doc.to_dict(), ensure_ascii=False))
        else:
            if len(files) > 1:
                click.echo(f"==> {path} <==")
            click.echo(doc.text)

    batch.run(one)
    batch.finish()


@main.command()
def demo() -> None:
    """演示：读取内置的示例报告并显示其结构。"""
    from rich.console import Console
    from rich.tree import Tree

    from jixiao.api import read_document

    sample = Path(str(resources.files("jixiao").joinpath("corpus", "sample", "qinghe_2024.txt")))
    doc = read_document(sample)
    console = Console()
    console.print(f"[bold]{doc.title}[/bold]")
    console.print(f"县区：{doc.county or '未识别'}　年度：{doc.year or '未识别'}　"
                  f"段落：{len(doc.paragraphs)}　章节：{len(doc.sections)}")
    tree = Tree("章节结构（阶段）")
    nodes: dict[str, Tree] = {}
    for s in doc.sections:
        parent = nodes.get(s.parent or "", tree)
        nodes[s.id] = parent.add(f"{s.heading}  [dim]{s.stage}[/dim]")
    console.print(tree)
