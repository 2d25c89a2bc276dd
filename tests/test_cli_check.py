"""``jixiao check`` as a user runs it: exit status, output formats, bad input, --previous."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from jixiao.cli import main

HEAD = "青溪县2024年预算绩效管理工作情况说明\n一、工作开展情况\n"

# Every relation holds.
GOOD = HEAD + (
    "（一）预算执行\n全县预算金额3200万元，实际执行金额2880万元，执行率90%。\n"
    "（二）绩效运行监控\n5月共监控项目120个，其中“优”的项目80个，“良”的项目30个，“差”的项目10个。\n"
)
# One error: 2880 ÷ 3200 = 90 %, not 91 %.
BAD = HEAD + "（一）预算执行\n全县预算金额3200万元，实际执行金额2880万元，执行率91%。\n"
RATE_MESSAGE_PARTS = ("91%", "90%")
# One warning only: a name placeholder.
WARN = HEAD + (
    "（一）重点绩效评价\n组织第三方对XX县城区污水管网项目开展重点绩效评价。\n"
    "（二）预算执行\n全县预算金额3200万元，实际执行金额2880万元，执行率90%。\n"
)
LAST_YEAR = ("青溪县2023年预算绩效管理工作情况说明\n一、工作开展情况\n"
             "（一）绩效目标管理\n全县共对400个项目设定绩效目标。\n")
THIS_YEAR_RIGHT = HEAD + "（一）绩效目标管理\n全县共对560个项目设定绩效目标，较上年增加160个。\n"
THIS_YEAR_WRONG = HEAD + "（一）绩效目标管理\n全县共对560个项目设定绩效目标，较上年增加150个。\n"


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    out = {}
    for name, text in {"good": GOOD, "bad": BAD, "warn": WARN, "last": LAST_YEAR,
                       "right": THIS_YEAR_RIGHT, "wrong": THIS_YEAR_WRONG}.items():
        out[name] = tmp_path / f"{name}.txt"
        out[name].write_text(text, encoding="utf-8")
    out["empty"] = tmp_path / "empty.txt"
    out["empty"].write_bytes(b"")
    out["missing"] = tmp_path / "missing.txt"
    return out


def run(*args: object):
    result = CliRunner().invoke(main, ["check", *map(str, args)])
    assert "Traceback" not in result.output
    assert "Traceback" not in result.stderr
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def json_lines(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("错误")]


# ------------------------------------------------------------------------------ exit status


@pytest.mark.parametrize(("name", "args", "code"), [
    pytest.param("good", (), 0, id="clean-report"),
    pytest.param("good", ("--fail-on", "warning"), 0, id="clean-report-fail-on-warning"),
    pytest.param("warn", (), 0, id="warning-below-default-fail-on"),
    pytest.param("warn", ("--fail-on", "error"), 0, id="warning-below-fail-on-error"),
    pytest.param("warn", ("--fail-on", "warning"), 1, id="warning-at-fail-on-warning"),
    pytest.param("bad", (), 1, id="error-default"),
    pytest.param("bad", ("--fail-on", "warning"), 1, id="error-above-fail-on-warning"),
])
def test_exit_status(files, name: str, args: tuple[str, ...], code: int) -> None:
    result = run(files[name], *args)
    assert result.exit_code == code, result.output


def test_batch_exit_is_worst_of_its_files(files) -> None:
    assert run(files["good"], files["warn"]).exit_code == 0
    assert run(files["good"], files["bad"]).exit_code == 1
    assert run(files["good"], files["warn"], "--fail-on", "warning").exit_code == 1


# ------------------------------------------------------------------------------ bad input


@pytest.mark.parametrize("name", ["missing", "empty"])
def test_bad_input_exits_2_with_one_line(files, name: str) -> None:
    result = run(files[name])
    assert result.exit_code == 2
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("错误") and str(files[name]) in lines[0]
    assert result.stdout.strip() == ""


def test_batch_goes_on_after_bad_input(files) -> None:
    result = run(files["missing"], files["good"], files["empty"], "--format", "json")
    assert result.exit_code == 2
    docs = json_lines(result.stdout)
    assert [d["source"] for d in docs] == [str(files["good"])]
    errors = error_lines(result.stderr)
    assert len(errors) == 2
    assert str(files["missing"]) in errors[0] and str(files["empty"]) in errors[1]


def test_batch_with_findings_and_bad_input_exits_2(files) -> None:
    result = run(files["bad"], files["missing"])
    assert result.exit_code == 2
    assert all(part in result.stdout for part in RATE_MESSAGE_PARTS), result.stdout
    assert len(error_lines(result.stderr)) == 1


# ------------------------------------------------------------------------------ formats


def test_json_one_object_per_file(files) -> None:
    result = run(files["good"], files["bad"], "--format", "json")
    assert result.exit_code == 1
    docs = json_lines(result.stdout)
    assert len(docs) == 2 == len(result.stdout.strip().splitlines())
    good, bad = docs
    assert set(good) == set(bad) == {"source", "findings", "verified", "uncertain", "dismissed"}
    # what holds is listed too, with its evidence (an auditor's "checked and fine")
    held = {v["rule"]: [e["surface"] for e in v["evidence"]] for v in good["verified"]}
    assert held["rate"] == ["90%", "2880万元", "3200万元"]
    assert held["sum-of-parts"] == ["120个", "80个", "30个", "10个"]
    assert (good["source"], bad["source"]) == (str(files["good"]), str(files["bad"]))
    assert good["findings"] == []
    [finding] = bad["findings"]
    assert set(finding) == {"rule", "severity", "message", "found", "expected", "evidence",
                            "arithmetic", "fingerprint", "review"}
    assert (finding["rule"], finding["severity"]) == ("rate", "error")
    assert (finding["found"], finding["expected"]) == ("91%", "90%")
    # the work shown: formula, stated against computed, the operands with their places
    arithmetic = finding["arithmetic"]
    assert arithmetic["stated"] == "91%" and arithmetic["computed"] == "90.00%"
    assert [o["surface"] for o in arithmetic["operands"]] == ["91%", "2880万元", "3200万元"]
    assert "2880万元" in arithmetic["formula"] and "3200万元" in arithmetic["formula"]
    text = files["bad"].read_text(encoding="utf-8")
    surfaces = set()
    for ev in finding["evidence"]:
        assert set(ev) == {"surface", "start", "end", "page", "section"}
        surfaces.add(ev["surface"])
        # offsets into the cleaned text; this file needs no cleaning
        assert text[ev["start"]:ev["end"]] == ev["surface"]
    assert surfaces == {"91%", "2880万元", "3200万元"}


def test_text_output_shows_findings_and_their_sentences(files) -> None:
    result = run(files["bad"])
    assert result.exit_code == 1
    assert str(files["bad"]) in result.stdout
    assert all(part in result.stdout for part in RATE_MESSAGE_PARTS)
    assert "执行率91%" in result.stdout  # the sentence the finding is in


def test_html_page_written_to_file(files, tmp_path: Path) -> None:
    target = tmp_path / "out" / "bad.html"
    result = run(files["bad"], "--format", "html", "-o", target)
    assert result.exit_code == 1
    page = target.read_text(encoding="utf-8")
    assert page.lstrip().lower().startswith("<!doctype html")
    data = json_lines(run(files["bad"], "--format", "json").stdout)[0]
    for finding in data["findings"]:
        assert html.escape(finding["message"], quote=False) in page
    assert "<mark" in page
    marked = page.split("<mark", 1)[1].split("</mark>", 1)[0].split(">", 1)[1]
    assert marked in {"91%", "2880万元", "3200万元"}
    assert "全县预算金额" in page  # the document itself is shown


def test_html_of_a_warning_marks_the_placeholder(files, tmp_path: Path) -> None:
    target = tmp_path / "warn.html"
    result = run(files["warn"], "--format", "html", "-o", target)
    assert result.exit_code == 0
    page = target.read_text(encoding="utf-8")
    assert "<mark" in page and ">XX</mark>" in page


# ------------------------------------------------------------------------------ --previous


def test_previous_increase_agrees(files) -> None:
    result = run(files["right"], "--previous", files["last"], "--format", "json")
    assert result.exit_code == 0, result.output
    assert json_lines(result.stdout)[0]["findings"] == []


def test_previous_increase_disagrees(files) -> None:
    result = run(files["wrong"], "--previous", files["last"], "--format", "json")
    assert result.exit_code == 1, result.output
    [finding] = json_lines(result.stdout)[0]["findings"]
    assert (finding["rule"], finding["severity"]) == ("cross-year", "error")
    assert "150" in finding["message"] and "400" in finding["message"]
    assert "160" in finding["message"]
    assert "150个" in {ev["surface"] for ev in finding["evidence"]}


def test_without_previous_no_cross_year_finding(files) -> None:
    result = run(files["wrong"], "--format", "json")
    assert result.exit_code == 0, result.output
    assert json_lines(result.stdout)[0]["findings"] == []


def test_previous_missing_exits_2(files) -> None:
    result = run(files["wrong"], "--previous", files["missing"])
    assert result.exit_code == 2
    errors = error_lines(result.stderr)
    assert len(errors) == 1 and str(files["missing"]) in errors[0]


# ------------------------------------------------------------------------------ folders
def test_a_folder_checks_every_report_inside_and_sums_up(tmp_path: Path) -> None:
    """A reviewer points the checker at the folder of this year's reports."""
    folder = tmp_path / "reports"
    (folder / "east").mkdir(parents=True)
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "east" / "bad.txt").write_text(BAD, encoding="utf-8")
    (folder / "east" / "warn.txt").write_text(WARN, encoding="utf-8")
    (folder / "notes.md").write_text("不是报告", encoding="utf-8")  # not a report: skipped
    result = run(folder)
    assert result.exit_code == 1  # one report has an error
    assert result.stdout.count("错误 ") >= 1
    for name in ("good.txt", "bad.txt", "warn.txt"):
        assert name in result.stdout
    assert "notes.md" not in result.stdout + result.stderr
    assert "共核对 3 个文件：有错误的 1 个，只有警告的 1 个，未发现问题的 1 个" in result.stdout


def test_a_folder_to_html_gives_one_page_per_file_even_for_renditions(tmp_path: Path) -> None:
    """report.txt and report.pdf of one report must not overwrite each other's page."""
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "report.txt").write_text(GOOD, encoding="utf-8")
    (folder / "report.text").write_text(BAD, encoding="utf-8")
    out = tmp_path / "pages"
    result = run(folder, "--format", "html", "-o", out)
    assert result.exit_code == 1, result.output
    pages = sorted(p.name for p in out.iterdir())
    assert pages == ["index.html", "report.text.check.html", "report.txt.check.html"]
    assert "91%" in (out / "report.text.check.html").read_text("utf-8")
    # the index lists both pages, the one with an error first
    index = (out / "index.html").read_text("utf-8")
    assert index.index('href="report.text.check.html"') < index.index('href="report.txt.check.html"')
    assert "有错误的 1 个" in index


def test_a_folder_without_reports_is_one_line_and_exit_2(tmp_path: Path) -> None:
    folder = tmp_path / "nothing"
    folder.mkdir()
    (folder / "readme.md").write_text("说明", encoding="utf-8")
    result = run(folder)
    assert result.exit_code == 2
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and str(folder) in lines[0] and "没有可读取的报告" in lines[0]
