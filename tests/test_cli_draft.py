"""``jixiao draft`` / ``problems`` / ``passages`` as a user runs them (issue 6).

Bad input exits with status 2 and one Chinese line naming the file, the line (or row) and
the key, with nothing written; the generator's output is tested in test_draft.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from jixiao.cli import main
from jixiao.extract.catalog import load_catalog

SAMPLES = Path(__file__).resolve().parents[1] / "corpus" / "sample"
PREVIOUS = SAMPLES / "qinghe_2024.txt"

# A full year's figures (the example figures file of issue 6).
FIGURES = (Path(__file__).parent / "data" / "figures_qinghe_2025.yaml").read_text("utf-8")
FIGURES_LINES = len(FIGURES.splitlines())
COUNTY = ("--county", "青禾县", "--year", "2025")


@pytest.fixture(autouse=True)
def no_user_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the user's own database."""
    monkeypatch.setenv("JIXIAO_DB", str(tmp_path / "unused.db"))


def invoke(*args: object):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.output
    assert "Traceback" not in result.stderr
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def has_chinese(text: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", text))


def assert_refused(result, out: Path, *names: str) -> str:
    """Exit 2, one Chinese line on stderr naming each of ``names``, nothing written."""
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    message = lines[0]
    assert has_chinese(message)
    for name in names:
        assert name in message, f"{name!r} not in {message!r}"
    assert not out.exists() and not out.with_suffix(".md").exists()
    return message


# --------------------------------------------------------------------------- bad figures
BAD_YAML = {
    # case: (file text, line, key)
    "unknown key": ("target.projects: 10\nfoo.bar: 3\n", 2, "foo.bar"),
    "text for a number": ("target.projects: 10\ncapacity.staff: 三人\n", 2, "capacity.staff"),
    "yes for a number": ("target.projects: 10\ncapacity.staff: yes\n", 2, "capacity.staff"),
    "fraction of a count": ("target.projects: 10\ncapacity.staff: 2.5\n", 2, "capacity.staff"),
    "negative money": ("target.projects: 10\nexecution.budget: -5\n", 2, "execution.budget"),
    "negative money in a list": ("target.projects: 10\nmonitoring.grade_amount:\n"
                                 "  - {month: 5, grade: 优, value: -3}\n",
                                 2, "monitoring.grade_amount"),
    "share above 100%": ("target.projects: 10\ntarget.coverage: 100.5\n", 2, "target.coverage"),
    "month 13": ("target.projects: 10\nmonitoring.grade_projects:\n"
                 "  - {month: 13, grade: 优, value: 3}\n", 2, "monitoring.grade_projects"),
    "grade 甲": ("target.projects: 10\nevaluation.grade_count:\n  - {grade: 甲, value: 3}\n",
                2, "evaluation.grade_count"),
    "unknown qualifier": ("target.projects: 10\nevaluation.grade_count:\n"
                          "  - {level: 优, value: 3}\n", 2, "evaluation.grade_count"),
}


@pytest.mark.parametrize("case", sorted(BAD_YAML))
def test_bad_figures_file_is_refused_naming_line_and_key(tmp_path: Path, case: str) -> None:
    text, line, key = BAD_YAML[case]
    figures = tmp_path / "figures.yaml"
    figures.write_text(text, "utf-8")
    out = tmp_path / "draft.docx"
    message = assert_refused(invoke("draft", figures, *COUNTY, "--no-store", "-o", out), out,
                             key)
    # the key's line, or for a list the item's line
    assert re.search(rf"figures\.yaml:({line}|{line + 1})\b", message), message


def test_bad_json_figures_file_names_line_and_key(tmp_path: Path) -> None:
    figures = tmp_path / "figures.json"
    figures.write_text('{"target.projects": 10,\n "capacity.staff": "abc"}\n', "utf-8")
    out = tmp_path / "draft.docx"
    assert_refused(invoke("draft", figures, *COUNTY, "--no-store", "-o", out), out,
                   "figures.json:2", "capacity.staff")


def test_broken_yaml_names_the_key_on_that_line(tmp_path: Path) -> None:
    figures = tmp_path / "figures.yaml"
    figures.write_text("target.projects: 10\ncapacity.staff: 2: 3\nexecution.budget: 100\n",
                       "utf-8")
    out = tmp_path / "draft.docx"
    assert_refused(invoke("draft", figures, *COUNTY, "--no-store", "-o", out), out,
                   "figures.yaml:2", "capacity.staff")


def test_missing_figures_file(tmp_path: Path) -> None:
    out = tmp_path / "draft.docx"
    assert_refused(invoke("draft", tmp_path / "nowhere.yaml", *COUNTY, "--no-store", "-o", out),
                   out, "nowhere.yaml")


def test_key_given_twice_is_refused(tmp_path: Path) -> None:
    """YAML keeps the last of two equal keys silently; a drafter who typed the figure twice
    should be told which one counts rather than get either."""
    figures = tmp_path / "figures.yaml"
    figures.write_text("target.projects: 10\ncapacity.staff: 2\ntarget.projects: 12\n", "utf-8")
    out = tmp_path / "draft.docx"
    assert_refused(invoke("draft", figures, *COUNTY, "--no-store", "-o", out), out,
                   "target.projects")


# --------------------------------------------------------------------------------- XLSX
def xlsx(path: Path, rows: list[list[object]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


HEADER = ["key", "value", "month", "grade"]


def test_xlsx_with_key_value_columns_drafts(tmp_path: Path) -> None:
    from jixiao.api import extract_file

    figures = xlsx(tmp_path / "figures.xlsx", [
        HEADER,
        ["target.projects", 480, None, None],
        ["monitoring.grade_projects", 80, 5, "优"],
        ["monitoring.grade_projects", 20, 5, "差"],
        ["capacity.staff", 3, None, None],
    ])
    out = tmp_path / "draft.docx"
    result = invoke("draft", figures, *COUNTY, "--no-store", "-o", out)
    assert result.exit_code == 0, result.output
    got = {(m.key, m.value, tuple(sorted(m.qualifiers.items())))
           for m in extract_file(out).metrics}
    assert ("target.projects", 480, ()) in got
    assert ("monitoring.grade_projects", 20, (("grade", "差"), ("month", 5))) in got
    assert ("monitoring.projects", 100, (("month", 5),)) in got  # derived


@pytest.mark.parametrize(("rows", "row", "key"), [
    ([HEADER, ["target.projects", 480, None, None], ["capacity.staff", "三人", None, None]],
     3, "capacity.staff"),
    ([HEADER, ["target.projects", 480, None, None], ["execution.budget", -10, None, None]],
     3, "execution.budget"),
    ([HEADER, ["target.projects", 480, None, None], ["capacity.staff", 3, None, None],
      ["foo.bar", 1, None, None]], 4, "foo.bar"),
    ([HEADER, ["evaluation.grade_count", 3, None, "甲"]], 2, "evaluation.grade_count"),
], ids=["text", "negative", "unknown-key", "grade"])
def test_bad_xlsx_names_row_and_key(tmp_path: Path, rows, row: int, key: str) -> None:
    figures = xlsx(tmp_path / "figures.xlsx", rows)
    out = tmp_path / "draft.docx"
    assert_refused(invoke("draft", figures, *COUNTY, "--no-store", "-o", out), out,
                   f"figures.xlsx:{row}", key)


def test_bad_xlsx_row_is_the_bad_row_not_the_keys_first(tmp_path: Path) -> None:
    figures = xlsx(tmp_path / "figures.xlsx", [
        HEADER,
        ["monitoring.grade_projects", 80, 5, "优"],
        ["monitoring.grade_projects", 20, 5, "差"],
        ["monitoring.grade_projects", 20, 13, "良"],   # row 4: month 13
    ])
    out = tmp_path / "draft.docx"
    assert_refused(invoke("draft", figures, *COUNTY, "--no-store", "-o", out), out,
                   "figures.xlsx:4", "monitoring.grade_projects")


def test_xlsx_without_key_value_columns(tmp_path: Path) -> None:
    figures = xlsx(tmp_path / "figures.xlsx", [["名称", "金额"], ["target.projects", 480]])
    out = tmp_path / "draft.docx"
    assert_refused(invoke("draft", figures, *COUNTY, "--no-store", "-o", out), out,
                   "figures.xlsx", "key（指标键）")


def test_xlsx_with_chinese_column_names(tmp_path: Path) -> None:
    """A drafter names the columns in Chinese: 指标 / 数值 (and 月份 / 等次)."""
    figures = xlsx(tmp_path / "figures.xlsx", [["指标", "数值"], ["target.projects", 480]])
    out = tmp_path / "draft.docx"
    result = invoke("draft", figures, *COUNTY, "--no-store", "-o", out)
    assert result.exit_code == 0, result.output
    assert "480个" in out.with_suffix(".md").read_text("utf-8")


# ---------------------------------------------------------------------- typed derived figures
TYPED_DERIVED = {
    "rate": ("execution.rate: 95\n", "execution.rate", "90.0"),
    "grade share": ("evaluation.grade_share:\n  - {grade: 优, value: 70}\n",
                    "evaluation.grade_share", "66.7"),
    "unit share": ("overall_eval.grade_share:\n  - {grade: 优, value: 80}\n",
                   "overall_eval.grade_share", "75.0"),
    "month total": ("monitoring.projects:\n  - {month: 6, value: 300}\n",
                    "monitoring.projects", "296"),
}


@pytest.mark.parametrize("case", sorted(TYPED_DERIVED))
def test_typed_derived_figure_that_disagrees_is_refused(tmp_path: Path, case: str) -> None:
    extra, key, computed = TYPED_DERIVED[case]
    text = FIGURES.replace("monitoring.projects: 312\n", "") if case == "month total" else FIGURES
    figures = tmp_path / "figures.yaml"
    figures.write_text(text + extra, "utf-8")
    out = tmp_path / "draft.docx"
    message = assert_refused(invoke("draft", figures, *COUNTY, "--no-store", "-o", out), out,
                             key, computed)
    assert re.search(r"figures\.yaml:\d+", message), message


def test_typed_derived_figure_that_agrees_is_accepted(tmp_path: Path) -> None:
    figures = tmp_path / "figures.yaml"
    figures.write_text(FIGURES + "execution.rate: 90.0\n", "utf-8")
    out = tmp_path / "draft.docx"
    result = invoke("draft", figures, *COUNTY, "--no-store", "-o", out)
    assert result.exit_code == 0, result.output
    assert re.search(r"执行率(?:为)?90\.0%", out.with_suffix(".md").read_text("utf-8"))


# ------------------------------------------------------------------------------ templates
UNSAFE = {
    "mro": "{{ f.__class__.__mro__ }}",
    "str class": "{{ ''.__class__ }}",
    "globals": "{{ f.n.__globals__ }}",
    "subclasses": "{{ ''.__class__.__base__.__subclasses__() }}",
}


@pytest.mark.parametrize("case", sorted(UNSAFE))
def test_unsafe_user_template_fails_safely(tmp_path: Path, case: str) -> None:
    folder = tmp_path / "tpl"
    folder.mkdir()
    (folder / "capacity.j2").write_text("县财政局现有专职人员{{ f.n('capacity.staff') }}。"
                                        + UNSAFE[case] + "\n", "utf-8")
    figures = tmp_path / "figures.yaml"
    figures.write_text(FIGURES, "utf-8")
    out = tmp_path / "draft.docx"
    message = assert_refused(invoke("draft", figures, *COUNTY, "--no-store", "--templates",
                                    folder, "-o", out), out)
    assert "capacity.j2" in message
    assert "object at 0x" not in message and "<class" not in message


@pytest.mark.parametrize("source", [
    "{{ f.n('capacity.staff') ",          # syntax error
    "专职人员{{ staff_count }}。",           # a name the templates do not have
], ids=["syntax", "undefined"])
def test_broken_user_template_is_refused(tmp_path: Path, source: str) -> None:
    folder = tmp_path / "tpl"
    folder.mkdir()
    (folder / "capacity.j2").write_text(source + "\n", "utf-8")
    figures = tmp_path / "figures.yaml"
    figures.write_text(FIGURES, "utf-8")
    out = tmp_path / "draft.docx"
    assert_refused(invoke("draft", figures, *COUNTY, "--no-store", "--templates", folder,
                          "-o", out), out, "capacity.j2")


# ---------------------------------------------------------------------------------- --init
def test_init_lists_every_catalog_key_with_its_label(tmp_path: Path) -> None:
    path = tmp_path / "figures.yaml"
    result = invoke("draft", *COUNTY, "--no-store", "--init", path)
    assert result.exit_code == 0, result.output
    assert str(path) in result.output
    text = path.read_text("utf-8")
    lines = text.splitlines()
    from jixiao.generate.figures import DERIVED_KEYS

    for ind in load_catalog().indicators.values():
        if ind.key in DERIVED_KEYS:  # listed, but as computed: the drafter must not type it
            at = next(i for i, ln in enumerate(lines) if ln.startswith(f"# {ind.key}: "))
            assert "由程序" in lines[at], ind.key
        else:
            at = lines.index(f"{ind.key}:")
        assert ind.label in lines[at - 1] and lines[at - 1].startswith("#"), ind.key
        assert ind.unit in lines[at - 1]
    assert "上年：" not in text  # no previous report, no last year's values
    # as written (nothing filled in) it parses, and says that nothing is filled in yet
    out = tmp_path / "draft.docx"
    assert_refused(invoke("draft", path, *COUNTY, "--no-store", "-o", out), out, "没有填写任何数字")


def test_init_with_previous_shows_last_years_values_as_comments(tmp_path: Path) -> None:
    path = tmp_path / "figures.yaml"
    result = invoke("draft", *COUNTY, "--previous", PREVIOUS, "--init", path)
    assert result.exit_code == 0, result.output
    lines = path.read_text("utf-8").splitlines()

    def comment(key: str) -> str:
        return lines[lines.index(f"{key}:") - 1]

    assert re.search(r"上年：.*\b312\b", comment("target.projects"))
    assert re.search(r"上年：.*\b48600\b", comment("target.project_amount"))  # 4.86亿元 in 万元
    assert re.search(r"上年：.*\b385\b", comment("application.cut_amount"))
    assert re.search(r"上年：.*4（等次：优）", comment("evaluation.grade_count"))
    assert not any(re.match(r"^[a-z_]+\.[a-z_]+:\s*\S", line) for line in lines), \
        "last year's values are comments, never filled-in values"


def test_filled_in_init_file_drafts(tmp_path: Path) -> None:
    path = tmp_path / "figures.yaml"
    invoke("draft", *COUNTY, "--no-store", "--init", path)
    text = path.read_text("utf-8")
    for key, value in (("target.projects", 280), ("capacity.staff", 2), ("execution.budget", 900),
                       ("execution.spent", 810)):
        text = text.replace(f"\n{key}:\n", f"\n{key}: {value}\n")
    path.write_text(text, "utf-8")
    out = tmp_path / "draft.docx"
    result = invoke("draft", path, *COUNTY, "--no-store", "-o", out)
    assert result.exit_code == 0, result.output
    md = out.with_suffix(".md").read_text("utf-8")
    assert "280个" in md and "90.0%" in md


# ----------------------------------------------------------------------------------- draft
def test_draft_prints_written_paths_and_overlap(tmp_path: Path) -> None:
    figures = tmp_path / "figures.yaml"
    figures.write_text(FIGURES, "utf-8")
    out = tmp_path / "sub" / "draft.docx"
    result = invoke("draft", figures, *COUNTY, "--previous", PREVIOUS, "--date", "2026年1月20日",
                    "-o", out)
    assert result.exit_code == 0, result.output
    assert out.exists() and out.with_suffix(".md").exists()
    assert str(out) in result.output and str(out.with_suffix(".md")) in result.output
    overlap = re.search(r"相同的句子占\s*(\d+)%", result.output)
    assert overlap and int(overlap.group(1)) <= 20, result.output
    md = out.with_suffix(".md").read_text("utf-8")
    assert "青禾县财政局" in md and "2026年1月20日" in md  # issuer carried over, date given
    # change from last year (312 last year): not stated, the count did not grow
    assert "较上年增加" not in md


def test_draft_computes_change_from_the_previous_report(tmp_path: Path) -> None:
    figures = tmp_path / "figures.yaml"
    figures.write_text(FIGURES.replace("target.projects: 312", "target.projects: 390"), "utf-8")
    out = tmp_path / "draft.docx"
    result = invoke("draft", figures, *COUNTY, "--previous", PREVIOUS, "-o", out)
    assert result.exit_code == 0, result.output
    md = out.with_suffix(".md").read_text("utf-8")
    # either phrasing of the target section: 较上年增加…同比增长 / 比上年增加…增长
    assert re.search(r"[较比]上年增加78个，(?:同比)?增长25\.0%", md)  # 78 / 312


def test_draft_issuer_option(tmp_path: Path) -> None:
    figures = tmp_path / "figures.yaml"
    figures.write_text(FIGURES, "utf-8")
    out = tmp_path / "draft.docx"
    result = invoke("draft", figures, *COUNTY, "--no-store", "--issuer", "青禾县财政局绩效科",
                    "-o", out)
    assert result.exit_code == 0, result.output
    assert "青禾县财政局绩效科" in out.with_suffix(".md").read_text("utf-8")


def test_draft_without_output_is_a_usage_error(tmp_path: Path) -> None:
    figures = tmp_path / "figures.yaml"
    figures.write_text(FIGURES, "utf-8")
    result = invoke("draft", figures, *COUNTY, "--no-store")
    assert result.exit_code == 2
    assert has_chinese(result.output)


# -------------------------------------------------------------------------------- problems
def test_problems_prints_both_parts(tmp_path: Path) -> None:
    figures = tmp_path / "figures.yaml"
    figures.write_text(FIGURES, "utf-8")
    result = invoke("problems", figures, *COUNTY, "--no-store")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "存在的问题" in out and "下一步工作措施" in out
    problems, measures = out.split("下一步工作措施")
    assert re.search(r"^一是", problems, re.M) and re.search(r"^二是", problems, re.M)
    assert re.search(r"^一是", measures, re.M) and re.search(r"^二是", measures, re.M)
    assert "2人" in problems  # the staff topic cites its figure


def test_problems_change_with_the_figures(tmp_path: Path) -> None:
    weak = tmp_path / "weak.yaml"
    weak.write_text("capacity.staff: 1\nexecution.budget: 1000\nexecution.spent: 800\n", "utf-8")
    strong = tmp_path / "strong.yaml"
    strong.write_text("capacity.staff: 8\nexecution.budget: 1000\nexecution.spent: 980\n", "utf-8")
    a = invoke("problems", weak, *COUNTY, "--no-store")
    b = invoke("problems", strong, *COUNTY, "--no-store")
    assert a.exit_code == b.exit_code == 0
    assert "1人" in a.output and "80.0%" in a.output
    assert "1人" not in b.output and "98.0%" not in b.output
    assert a.output != b.output


def test_problems_bad_figures_file(tmp_path: Path) -> None:
    figures = tmp_path / "figures.yaml"
    figures.write_text("capacity.staff: -1\n", "utf-8")
    result = invoke("problems", figures, *COUNTY, "--no-store")
    assert result.exit_code == 2
    assert "figures.yaml:1" in result.stderr and "capacity.staff" in result.stderr


# -------------------------------------------------------------------------------- passages
@pytest.fixture(scope="module")
def store(tmp_path_factory) -> str:
    """A SQLite store with the sample reports of two counties over two years."""
    from jixiao.store.db import open_store
    from jixiao.store.ingest import ingest

    url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'jixiao.db'}"
    engine = open_store(url)
    summary = ingest([str(SAMPLES)], engine)
    engine.dispose()
    assert summary.failed == [] and len(summary.ingested) == 4
    return url


def test_passages_lists_a_topics_passages_with_their_source(store: str) -> None:
    result = invoke("passages", "--topic", "staff", "--db", store)
    assert result.exit_code == 0, result.output
    rows = [line for line in result.output.splitlines() if line.startswith("[")]
    assert rows, result.output
    assert any("qinghe_2024.txt" in r and "青禾县" in r and "2024" in r for r in rows)
    assert any("问题" in r for r in rows) and any("措施" in r for r in rows)
    assert any("专职" in r for r in rows)


def test_passages_for_one_county(store: str) -> None:
    result = invoke("passages", "--topic", "third_party", "--county", "青禾县", "--db", store)
    assert result.exit_code == 0, result.output
    rows = [line for line in result.output.splitlines() if line.startswith("[")]
    assert rows and all(r.startswith("[青禾县") for r in rows)


def test_passages_unknown_topic(store: str) -> None:
    result = invoke("passages", "--topic", "no_such_topic", "--db", store)
    assert result.exit_code == 2
    assert "no_such_topic" in result.stderr and has_chinese(result.stderr)
    assert "staff" in result.stderr  # lists the topics there are


def test_draft_takes_last_year_from_the_store(store: str, tmp_path: Path) -> None:
    figures = tmp_path / "figures.yaml"
    figures.write_text(FIGURES.replace("target.projects: 312", "target.projects: 390"), "utf-8")
    out = tmp_path / "draft.docx"
    result = invoke("draft", figures, *COUNTY, "--db", store, "-o", out)
    assert result.exit_code == 0, result.output
    md = out.with_suffix(".md").read_text("utf-8")
    assert re.search(r"[较比]上年增加78个", md)
    # the outline of the stored report (corpus/sample/qinghe_2024.txt: 一、主要工作及成效,
    # （四）开展“双监控”, 三、下一步工作计划), read back from its sections in the store
    assert "## 一、主要工作及成效" in md and "## 三、下一步工作计划" in md
    assert re.search(r"### （[一二三四五六七八九十]+）开展“双监控”", md)
    assert "提纲沿用上年报告" in result.output
