"""``jixiao extract`` and ``jixiao eval`` as a user runs them: exit codes, output shapes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from jixiao.cli import main

from .conftest import corpus_file

OWN_REPORT = (
    "青溪县2024年预算绩效管理工作情况说明\n"
    "一、工作开展情况\n"
    "（一）绩效目标管理\n"
    "全年共为312个项目设定绩效目标，涉及资金4.25亿元。\n"
    "（二）重点绩效评价\n"
    "选取6个重点项目开展第三方评价，涉及资金X万元。\n"
)


def _run(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    return result


def test_extract_json_has_the_documented_shape(tmp_path: Path) -> None:
    path = tmp_path / "qingxi.txt"
    path.write_text(OWN_REPORT, encoding="utf-8")
    result = _run("extract", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert {"source", "sha256", "format", "title", "county", "year", "sections", "metrics"} <= set(doc)
    assert (doc["county"], doc["year"]) == ("青溪县", 2024)
    by_key = {m["key"]: m for m in doc["metrics"]}
    assert by_key["target.projects"]["value"] == 312
    assert by_key["target.project_amount"]["value"] == 42500  # 4.25亿元 in 万元
    assert by_key["key_eval.projects"]["value"] == 6
    placeholder = by_key["key_eval.amount"]
    assert placeholder["placeholder"] is True and placeholder["value"] is None
    m = by_key["target.projects"]
    assert doc_text_slice(path, m) == "312个"
    assert m["sentence"].startswith("全年共为312个项目")
    assert set(m) == {"key", "value", "unit", "surface", "start", "end", "page", "section",
                      "sentence", "qualifiers", "placeholder", "sign", "date", "confidence",
                      "candidates"}
    assert m["confidence"] >= 0.5 and m["candidates"] == []  # a key given is a sure one


def doc_text_slice(path: Path, metric: dict) -> str:
    from jixiao.api import read_document

    return read_document(path).text[metric["start"]:metric["end"]]


def test_extract_csv_one_row_per_figure(tmp_path: Path) -> None:
    path = tmp_path / "qingxi.txt"
    path.write_text(OWN_REPORT, encoding="utf-8")
    result = _run("extract", str(path), "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 4
    assert {r["label"] for r in rows} >= {"设定绩效目标的项目数", "重点评价项目数"}


def test_extract_table_for_people(tmp_path: Path) -> None:
    path = tmp_path / "qingxi.txt"
    path.write_text(OWN_REPORT, encoding="utf-8")
    result = _run("extract", str(path))
    assert result.exit_code == 0
    assert "设定绩效目标的项目数" in result.stdout and "（占位符）" in result.stdout


def test_extract_bad_input_exits_2_and_goes_on(tmp_path: Path) -> None:
    good = tmp_path / "qingxi.txt"
    good.write_text(OWN_REPORT, encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    missing = tmp_path / "missing.pdf"
    result = _run("extract", str(empty), str(good), str(missing), "--format", "json")
    assert result.exit_code == 2
    assert len(result.stdout.strip().splitlines()) == 1  # the good file was still extracted
    errors = [ln for ln in result.stderr.splitlines() if ln.startswith("错误")]
    assert len(errors) == 2 and str(empty) in errors[0] and str(missing) in errors[1]
    assert "失败 2 个" in result.stderr


def test_eval_prints_scores_and_lists_errors() -> None:
    path = corpus_file("004", ".docx")
    result = _run("eval", str(path))
    assert result.exit_code == 0
    assert "合计" in result.stdout and "F1" in result.stdout


def test_eval_json_and_file_without_gold(tmp_path: Path) -> None:
    path = corpus_file("001", ".txt")
    other = tmp_path / "qingxi.txt"
    other.write_text(OWN_REPORT, encoding="utf-8")
    result = _run("eval", str(path), str(other), "--format", "json")
    assert result.exit_code == 2
    row = json.loads(result.stdout.strip().splitlines()[0])
    assert row["value_unit"]["recall"] == 1.0 and row["value_unit"]["precision"] == 1.0
    assert "金标准" in result.stderr and str(other) in result.stderr
