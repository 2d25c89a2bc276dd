"""``jixiao ingest/list/show/export/compare`` as a user runs them, on SQLite and PostgreSQL:
summary lines, output shapes, and one-line errors (exit 2, no traceback) for bad queries,
bad database URLs, a read-only store and bad files in a batch.

PostgreSQL runs when JIXIAO_TEST_PG_URL is set (see tests/conftest.py and .ci/run).
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import stat
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from jixiao.cli import main

from .conftest import BACKENDS, CORPUS, STEMS, require

OCR_ONLY = (".scan.pdf", ".nounicode.pdf")
FILES = sorted(p for p in CORPUS.glob("*") if p.suffix in (".txt", ".docx", ".pdf")
               and not p.name.endswith(OCR_ONLY)) if CORPUS.exists() else []
SUMMARY_FIRST = ("共 13 个文件：入库 13 个（新报告 4 份，已有报告的其他版本 9 个），"
                 "重复跳过 0 个，失败 0 个")
SUMMARY_AGAIN = ("共 13 个文件：入库 0 个（新报告 0 份，已有报告的其他版本 0 个），"
                 "重复跳过 13 个，失败 0 个")
SUMMARY_FORCED = ("共 13 个文件：入库 13 个（新报告 0 份，已有报告的其他版本 0 个，重新读入 13 个），"
                  "重复跳过 0 个，失败 0 个")
EXPORT_KEYS = ["county", "year", "key", "label", "value", "unit", "qualifiers", "placeholder",
               "source", "sentence"]

# our own fictional report: tests that need any report, not the corpus, always run
SAMPLE = Path(__file__).resolve().parents[1] / "corpus" / "sample" / "qinghe_2024.txt"
needs_corpus = pytest.mark.usefixtures("corpus_complete")


@pytest.fixture()
def corpus_complete() -> None:
    if len(FILES) != 13:
        require("corpus", f"corpus incomplete in {CORPUS}")


def run(*args: object, env: dict[str, str] | None = None):
    result = CliRunner().invoke(main, [str(a) for a in args], env=env)
    assert "Traceback" not in result.output
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def one_error_line(result) -> str:
    """Exit 2 and exactly one line on stderr, ``错误：…``; returns it."""
    assert result.exit_code == 2, (result.stdout, result.stderr)
    got = lines(result.stderr)
    assert len(got) == 1, result.stderr
    assert got[0].startswith("错误："), got[0]
    assert "Traceback" not in result.stderr
    return got[0]


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in lines(text)]


@pytest.fixture(scope="module", params=BACKENDS)
def store(request, new_db_url):
    """The corpus ingested through the CLI three times: plain, again, and --force."""
    if len(FILES) != 13:
        require("corpus", f"corpus incomplete in {CORPUS}")
    url = new_db_url(request.param)
    files = [str(p) for p in FILES]
    first = run("ingest", *files, "--db", url)
    again = run("ingest", *files, "--db", url)
    forced = run("ingest", *files, "--db", url, "--force")
    reports = json_lines(run("list", "--db", url, "--format", "json").stdout)
    by_county = {r["county"]: r for r in reports}
    return SimpleNamespace(url=url, first=first, again=again, forced=forced, reports=reports,
                           by_county=by_county)


# --------------------------------------------------------------------------- ingest


def test_ingest_prints_a_chinese_summary_and_exits_0(store):
    assert store.first.exit_code == 0, store.first.stderr
    assert lines(store.first.stdout) == [SUMMARY_FIRST]
    assert lines(store.first.stderr) == []


def test_ingest_again_skips_everything(store):
    assert store.again.exit_code == 0, store.again.stderr
    assert lines(store.again.stdout) == [SUMMARY_AGAIN]


def test_ingest_force_rewrites_without_new_reports(store):
    assert store.forced.exit_code == 0, store.forced.stderr
    assert lines(store.forced.stdout) == [SUMMARY_FORCED]
    assert len(store.reports) == 4
    assert sum(len(r["renditions"]) for r in store.reports) == 13


def test_ingest_folder_recursively(tmp_path, new_db_url):
    if len(FILES) != 13:
        require("corpus", f"corpus incomplete in {CORPUS}")
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(CORPUS / f"{STEMS['001']}.txt", folder)
    shutil.copy(CORPUS / f"{STEMS['002']}.txt", folder / "sub")
    (folder / "notes.md").write_text("不是报告", encoding="utf-8")
    url = new_db_url("sqlite")
    result = run("ingest", folder, "--db", url)
    assert result.exit_code == 0, result.stderr
    assert lines(result.stdout) == ["共 2 个文件：入库 2 个（新报告 2 份，已有报告的其他版本 0 个），"
                                    "重复跳过 0 个，失败 0 个"]


def test_batch_with_bad_files_goes_on_and_exits_2(tmp_path, db_url):
    if len(FILES) != 13:
        require("corpus", f"corpus incomplete in {CORPUS}")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    missing = tmp_path / "missing.pdf"
    good = [CORPUS / f"{STEMS['001']}.txt", CORPUS / f"{STEMS['002']}.docx"]
    result = run("ingest", good[0], empty, broken, good[1], missing, "--db", db_url)
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr
    errors = lines(result.stderr)
    assert len(errors) == 3, result.stderr
    for line, bad in zip(errors, (empty, broken, missing), strict=True):
        assert line.startswith(f"错误：{bad}: "), line
        assert len(line) > len(f"错误：{bad}: ")  # a reason is given
    assert lines(result.stdout) == ["共 5 个文件：入库 2 个（新报告 2 份，已有报告的其他版本 0 个），"
                                    "重复跳过 0 个，失败 3 个"]
    listed = json_lines(run("list", "--db", db_url, "--format", "json").stdout)
    assert sorted(r["renditions"][0]["source"] for r in listed) == sorted(p.name for p in good)


# --------------------------------------------------------------------------- list / show


@needs_corpus
def test_list_json_is_one_object_per_report(store):
    result = run("list", "--db", store.url, "--format", "json")
    assert result.exit_code == 0
    rows = json_lines(result.stdout)
    assert len(rows) == 4 == len(result.stdout.splitlines())
    for row in rows:
        assert {"id", "county", "year", "title", "renditions", "metrics", "errors",
                "warnings"} <= set(row)
        assert {d["format"] for d in row["renditions"]} == {"docx", "pdf", "txt"}
        assert len({d["source"].split(".")[0] for d in row["renditions"]}) == 1
    assert {(r["county"], r["year"]) for r in rows} == {
        ("西工区", 2022), ("尉犁县", 2025), ("民丰县", 2024), (None, 2021)}


@needs_corpus
def test_list_table(store):
    result = run("list", "--db", store.url)
    assert result.exit_code == 0
    assert "库中报告 4 份" in result.stdout
    assert "民丰县" in result.stdout and "docx、pdf、txt" in result.stdout


@needs_corpus
def test_show_by_id_file_name_and_hash(store):
    report = store.by_county["民丰县"]
    by_id = json_lines(run("show", report["id"], "--db", store.url, "--format", "json").stdout)
    by_name = json_lines(run("show", f"{STEMS['003']}.txt", "--db", store.url,
                             "--format", "json").stdout)
    sha = report["renditions"][0]["sha256"][:10]
    by_hash = json_lines(run("show", sha, "--db", store.url, "--format", "json").stdout)
    assert by_id == by_name == by_hash
    shown = by_id[0]
    assert (shown["county"], shown["year"]) == ("民丰县", 2024)
    assert shown["source"] == f"{STEMS['003']}.docx"
    focus = [m for m in shown["metrics"] if m["key"] == "focus.amount"]
    assert any(Decimal(str(m["value"])) == Decimal("81296.2157") for m in focus)
    assert all(m["label"] for m in shown["metrics"])


@needs_corpus
def test_show_table_has_chinese_labels(store):
    result = run("show", f"{STEMS['003']}.docx", "--db", store.url)
    assert result.exit_code == 0
    assert "民丰县" in result.stdout
    assert "81296.2157" in result.stdout
    assert "重点评价涉及资金" in result.stdout


@needs_corpus
@pytest.mark.parametrize("ident", ["999999", "没有这个文件.docx", "ffffffffffff"])
def test_show_unknown_doc_is_one_line(store, ident):
    line = one_error_line(run("show", ident, "--db", store.url))
    assert ident in line


# --------------------------------------------------------------------------- export


@needs_corpus
def test_export_csv(store):
    result = run("export", "--db", store.url, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == EXPORT_KEYS
    body = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    assert body
    # the primary (Word) rendition of each report only: no report counted twice
    assert {r["source"] for r in body} == {f"{s}.docx" for s in STEMS.values()}
    assert any(r["key"] == "focus.amount" and r["value"] == "81296.2157" for r in body)


@needs_corpus
def test_export_json(store):
    result = run("export", "--db", store.url, "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = json_lines(result.stdout)
    assert rows and set(rows[0]) == set(EXPORT_KEYS)
    csv_rows = list(csv.reader(io.StringIO(
        run("export", "--db", store.url, "--format", "csv").stdout)))
    assert len(rows) == len(csv_rows) - 1


@needs_corpus
def test_export_xlsx_needs_output(store, tmp_path):
    line = one_error_line(run("export", "--db", store.url, "--format", "xlsx"))
    assert "--output" in line
    out = tmp_path / "figures.xlsx"
    result = run("export", "--db", store.url, "--format", "xlsx", "-o", out)
    assert result.exit_code == 0, result.stderr
    from openpyxl import load_workbook

    ws = load_workbook(out).active
    header = [c.value for c in ws[1]]
    assert header[:5] == ["县区", "年度", "指标键", "指标", "数值"]
    assert ws.freeze_panes == "A2"
    values = [row[4] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert values and all(v is None or isinstance(v, int | float) for v in values)
    assert 81296.2157 in values


# --------------------------------------------------------------------------- compare


@needs_corpus
def test_compare_table(store):
    result = run("compare", "--db", store.url)
    assert result.exit_code == 0, result.stderr
    assert "县区年度比较（4 行" in result.stdout
    for county in ("西工区", "尉犁县", "民丰县"):
        assert result.stdout.count(county) == 1, county


@needs_corpus
def test_compare_csv_counts_each_report_once(store):
    result = run("compare", "--db", store.url, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0][:3] == ["县区", "报告年度", "数据年度"]
    assert len(rows) == 1 + 4
    assert sorted((r[0], r[1]) for r in rows[1:]) == sorted(
        [("西工区", "2022"), ("尉犁县", "2025"), ("民丰县", "2024"), ("—", "2021")])


@needs_corpus
def test_compare_json_with_filters(store):
    # the key evaluations 民丰县 reports in 2024 are of 2023 projects ("2023年重点评价清单")
    result = run("compare", "--db", store.url, "--format", "json", "--county", "民丰县",
                 "--key", "key_eval.amount", "--key", "target.projects")
    assert result.exit_code == 0, result.stderr
    assert json_lines(result.stdout) == [{
        "county": "民丰县", "year": 2024, "data_year": "2023/2024", "key_eval.amount": 11285.11,
        "target.projects": 535, "outliers": []}]
    every = json_lines(run("compare", "--db", store.url, "--format", "json").stdout)
    assert len(every) == 4
    assert json_lines(run("compare", "--db", store.url, "--format", "json",
                          "--year", "1999").stdout) == []


@needs_corpus
def test_compare_xlsx(store, tmp_path):
    line = one_error_line(run("compare", "--db", store.url, "--format", "xlsx"))
    assert "--output" in line
    out = tmp_path / "compare.xlsx"
    result = run("compare", "--db", store.url, "--format", "xlsx", "-o", out)
    assert result.exit_code == 0, result.stderr
    from openpyxl import load_workbook

    ws = load_workbook(out).active
    assert ws.freeze_panes == "A2"
    assert [c.value for c in ws[1]][:3] == ["县区", "报告年度", "数据年度"]
    assert ws.max_row == 1 + 4


@needs_corpus
@pytest.mark.parametrize(("option", "value"), [("--county", "不存在县"), ("--key", "no.such.key"),
                                               ("--key", "不存在的指标")])
def test_compare_unknown_county_or_key_is_one_line(store, option, value):
    line = one_error_line(run("compare", "--db", store.url, option, value))
    assert value in line


# --------------------------------------------------------------------------- database errors


@pytest.mark.parametrize("command", [["list"], ["compare"], ["export"], ["show", "1"],
                                     ["ingest", "x.txt"]])
@pytest.mark.parametrize("url", ["foo://", "postgresql+psycopg://u@127.0.0.1:1/x",
                                 "not a url ://", "sqlite+nosuchdriver:///x.db"],
                         ids=["malformed", "unreachable", "garbage", "unknown-driver"])
def test_bad_database_url_is_one_line(command, url, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    line = one_error_line(run(*command, "--db", url))
    assert "数据库" in line


def test_bad_database_url_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("list", env={"JIXIAO_DB": "postgresql+psycopg://u@127.0.0.1:1/x"})
    assert "无法连接" in one_error_line(result)


def test_jixiao_db_names_the_store(tmp_path):
    path = tmp_path / "from-env.db"
    env = {"JIXIAO_DB": str(path)}
    # reading a store that is not there says so, and does not make an empty one
    missing = run("list", "--format", "json", env=env)
    assert missing.exit_code == 2
    assert "数据库文件不存在" in one_error_line(missing) and not path.exists()
    ingested = run("ingest", SAMPLE, env=env)
    assert ingested.exit_code == 0, ingested.stderr
    assert path.exists()
    listed = run("list", "--format", "json", env=env)
    assert listed.exit_code == 0 and len(json_lines(listed.stdout)) == 1


def test_real_process_bad_url_exits_2_without_traceback(tmp_path):
    """The installed entry point, not CliRunner: exit status and stderr as a user sees them."""
    for url in ("foo://", "postgresql+psycopg://u@127.0.0.1:1/x"):
        proc = subprocess.run([sys.executable, "-c", "from jixiao.cli import run; run()",
                               "compare", "--db", url], capture_output=True, text=True,
                              cwd=tmp_path, timeout=60)
        assert proc.returncode == 2, proc.stderr
        assert len(lines(proc.stderr)) == 1 and proc.stderr.startswith("错误："), proc.stderr
        assert proc.stdout == ""


def _read_only_store(tmp_path: Path) -> Path:
    from jixiao.store.db import open_store

    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "jixiao.db"
    open_store(str(db)).dispose()
    return db


def test_read_only_database_file_is_one_line(tmp_path):
    """chmod 444 on the store and its folder: a clear error, not one failure per file."""
    db = _read_only_store(tmp_path)
    folder = db.parent
    db.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH
                 | stat.S_IXOTH)
    try:
        try:
            with db.open("ab"):
                writable = True
        except PermissionError:
            writable = False
        if writable:
            require("unprivileged", "以 root（或有 CAP_DAC_OVERRIDE）运行：chmod 444 挡不住写入，"
                    "无法模拟只读数据库文件；.ci/run 以普通用户另行运行本测试")
        files = [SAMPLE, SAMPLE.with_name("songlin_2024.txt")]  # any two reports
        line = one_error_line(run("ingest", *files, "--db", db))
        assert "只读" in line or "无法打开" in line, line
    finally:
        folder.chmod(stat.S_IRWXU)
        db.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_read_only_database_is_one_line(tmp_path, monkeypatch):
    """A store SQLite opens read-only (here via mode=ro, which holds for root too): ingest
    says once that the database is read-only, instead of one 'OperationalError' per file."""
    db = _read_only_store(tmp_path)
    monkeypatch.chdir(tmp_path)
    url = f"sqlite:///file:{db}?mode=ro&uri=true"
    files = [SAMPLE, SAMPLE.with_name("songlin_2024.txt")]  # any two reports
    result = run("ingest", *files, "--db", url)
    assert result.exit_code == 2
    assert "只读" in one_error_line(result)


def test_sqlite_uri_makes_no_stray_folder(tmp_path, monkeypatch):
    """``sqlite:///file:PATH?mode=ro&uri=true`` (SQLite URI filename, supported by SQLAlchemy)
    names PATH: opening it must not create a folder called ``file:`` in the current folder."""
    db = _read_only_store(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = run("list", "--db", f"sqlite:///file:{db}?mode=ro&uri=true", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert not (tmp_path / "file:").exists()


def test_missing_folder_for_sqlite_is_created_by_ingest_only(tmp_path):
    db = tmp_path / "a" / "b" / "store.db"
    listed = run("list", "--db", db)  # a reader: a mistyped path is not a new store
    assert listed.exit_code == 2 and "数据库文件不存在" in one_error_line(listed)
    assert not (tmp_path / "a").exists()
    result = run("ingest", SAMPLE, "--db", db)
    assert result.exit_code == 0, result.stderr
    assert db.exists()


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_unwritable_folder_for_sqlite_is_one_line(tmp_path):
    parent = tmp_path / "locked"
    parent.mkdir()
    parent.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        probe = parent / "probe"
        try:
            probe.mkdir()
            probe.rmdir()
            require("unprivileged", "以 root 运行：目录权限挡不住写入；.ci/run 以普通用户另行运行本测试")
        except PermissionError:
            pass
        one_error_line(run("list", "--db", parent / "sub" / "store.db"))
    finally:
        parent.chmod(stat.S_IRWXU)
