"""The CLI is a thin layer (issue 14): the demo, checking many reports and ingest
orchestration are library functions a web app can call without click; the commands only
print what those return."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from jixiao.errors import InternalError, JixiaoError

SAMPLES = Path(__file__).resolve().parents[1] / "corpus" / "sample"
SAMPLE = SAMPLES / "qinghe_2024.txt"


@pytest.fixture(autouse=True)
def _logs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIXIAO_LOG_DIR", str(tmp_path / "logs"))


def test_batch_contains_every_failure_and_goes_on(tmp_path: Path) -> None:
    from jixiao.batch import Batch

    files = [tmp_path / n for n in ("a.txt", "b.txt", "c.txt")]
    for f in files:
        f.write_text("x", encoding="utf-8")
    seen: list[JixiaoError] = []

    def action(path: str) -> str:
        if path.endswith("a.txt"):
            raise JixiaoError(path, "用户的错")
        if path.endswith("b.txt"):
            raise KeyError("a bug")
        return "ok"

    batch = Batch([str(tmp_path)], on_failure=seen.append)
    done = list(batch.each(action))
    assert done == [(str(files[2]), "ok")]
    assert [type(e) for e in seen] == [JixiaoError, InternalError]
    assert "errors.log" in seen[1].reason and (tmp_path / "logs" / "errors.log").exists()
    summary = batch.summary()
    assert summary is not None and summary.startswith("共 3 个文件：成功 1 个，失败 2 个")


def test_checking_many_reports_tallies_and_writes_pages(tmp_path: Path) -> None:
    from jixiao.checking import CheckRun

    run = CheckRun.against(SAMPLES / "qinghe_2023.txt")
    _, result = run.check(str(SAMPLE))
    assert run.tally[result.verdict()] == 1 and sum(run.tally.values()) == 1
    page = run.write_page(str(SAMPLE), *run.check(str(SAMPLE)), tmp_path / "pages", many=True)
    assert page == tmp_path / "pages" / "qinghe_2024.txt.check.html" and page.exists()
    index = run.write_index(tmp_path / "pages")
    assert index is not None and "qinghe_2024.txt" in index.read_text(encoding="utf-8")
    assert run.summary().startswith("共核对 2 个文件")
    # failing "on error" means: some finding is an error
    assert run.fails("error") == any(f.severity == "error" for f in result.findings)


def test_ingest_into_opens_the_store_and_says_what_it_did(tmp_path: Path) -> None:
    from jixiao.store.ingest import ingest_into

    url = str(tmp_path / "s.db")
    first = ingest_into(url, [str(SAMPLE)])
    assert first.line().startswith("共 1 个文件：入库 1 个（新报告 1 份")
    again = ingest_into(url, [str(SAMPLE)])
    assert "重复跳过 1 个" in again.line() and again.failure_lines() == []


@pytest.mark.parametrize(("command", "most"), [("demo", 25), ("ingest", 25), ("passages", 20)])
def test_commands_are_a_few_lines_over_the_library(command: str, most: int) -> None:
    from jixiao.cli import main

    source = inspect.getsource(main.commands[command].callback).splitlines()
    body = [ln for ln in source if ln.strip() and not ln.strip().startswith(("@", "#"))]
    assert len(body) <= most, f"jixiao {command}: {len(body)} lines"
