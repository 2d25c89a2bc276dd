"""Regressions from a colleague's QA pass as three users (drafter, reviewer, auditor).

One test per problem found, named after what a user does; each failed before its fix.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from jixiao.cli import main

from .conftest import corpus_file

FIGURES = (Path(__file__).parent / "data" / "figures_qinghe_2025.yaml").read_text("utf-8")
COUNTY = ("--county", "青禾县", "--year", "2025")


@pytest.fixture(autouse=True)
def no_user_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the user's own database."""
    monkeypatch.setenv("JIXIAO_DB", str(tmp_path / "user" / "jixiao.db"))


def run(*args: object):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.output + result.stderr
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def one_line(result) -> str:
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


# ------------------------------------------------------------------------------- crashes
def test_parallel_ingest_with_one_empty_file_stores_the_others(tmp_path: Path) -> None:
    """The worker's error crossed the process boundary as an exception that could not be
    rebuilt, which broke the pool and lost every file of the batch."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a_empty.txt").write_bytes(b"")
    (folder / "b_report.txt").write_bytes(corpus_file("001", ".txt").read_bytes())
    db = tmp_path / "s.db"
    result = run("ingest", folder, "--jobs", "2", "--db", db)
    assert result.exit_code == 2
    assert one_line(result).startswith(f"错误：{folder / 'a_empty.txt'}: ")
    assert "入库 1 个" in result.stdout and "失败 1 个" in result.stdout
    listed = run("list", "--db", db, "--format", "json")
    assert len([ln for ln in listed.stdout.splitlines() if ln.strip()]) == 1


@pytest.mark.parametrize("command", ["draft", "check-html", "compare-csv", "init"])
def test_output_that_cannot_be_written_is_one_line_and_exit_2(tmp_path: Path,
                                                             command: str) -> None:
    """A file standing where a folder should be: not writable, whoever runs it (root
    included, which ignores permission bits)."""
    blocker = tmp_path / "a_file"
    blocker.write_text("x", encoding="utf-8")
    target = blocker / "sub"
    figures = tmp_path / "f.yaml"
    figures.write_text(FIGURES, encoding="utf-8")
    args = {
        "draft": ["draft", figures, *COUNTY, "--no-store", "-o", target / "d.docx"],
        "check-html": ["check", corpus_file("001", ".txt"), "--format", "html",
                       "-o", target / "c.html"],
        "compare-csv": ["compare", "--db", tmp_path / "s.db", "--format", "csv",
                        "-o", target / "c.csv"],
        "init": ["draft", "--init", target / "f.yaml", *COUNTY, "--no-store"],
    }[command]
    if command == "compare-csv":
        run("ingest", corpus_file("001", ".txt"), "--db", tmp_path / "s.db")
    result = run(*args)
    assert result.exit_code == 2
    line = one_line(result)
    assert "无法写入" in line and str(blocker) in line


@pytest.mark.parametrize("url", ["postgresql+psycopg://u:secret@127.0.0.1:notaport/db",
                                 "postgresql+psycopg://u@[::1/db"])
def test_malformed_database_url_is_one_line(url: str) -> None:
    result = run("list", "--db", url)
    assert result.exit_code == 2
    line = one_line(result)
    assert "数据库地址格式不正确" in line and "secret" not in line


@pytest.mark.parametrize(("name", "text"), [("nan.yaml", "target.projects: .nan\n"),
                                            ("inf.yaml", "target.projects: .inf\n"),
                                            ("nan.json", '{"target.projects": NaN}'),
                                            ("huge.json", '{"target.projects": 1e400}')])
def test_nan_or_infinity_in_figures_names_the_key(tmp_path: Path, name: str, text: str) -> None:
    figures = tmp_path / name
    figures.write_text(text, encoding="utf-8")
    result = run("draft", figures, *COUNTY, "--no-store", "-o", tmp_path / "d.docx")
    assert result.exit_code == 2
    assert re.search(rf"{re.escape(name)}:1: “target.projects”的值应为数字", one_line(result))
    assert not (tmp_path / "d.docx").exists()


# ----------------------------------------------------------------------------- data loss
def test_init_does_not_overwrite_a_figures_file(tmp_path: Path) -> None:
    figures = tmp_path / "filled.yaml"
    figures.write_text(FIGURES, encoding="utf-8")
    result = run("draft", "--init", figures, *COUNTY, "--no-store")
    assert result.exit_code == 2
    assert "已存在" in one_line(result)
    assert figures.read_text(encoding="utf-8") == FIGURES


@pytest.mark.parametrize("output", ["f.yaml", "d.md", "d.pdf", "noext"])
def test_draft_is_written_to_a_docx_and_never_over_an_input(tmp_path: Path,
                                                            output: str) -> None:
    figures = tmp_path / "f.yaml"
    figures.write_text(FIGURES, encoding="utf-8")
    result = run("draft", figures, *COUNTY, "--no-store", "-o", tmp_path / output)
    assert result.exit_code == 2
    assert ".docx" in one_line(result)
    assert figures.read_text(encoding="utf-8") == FIGURES
    assert not (tmp_path / "d.md").exists()


# ------------------------------------------------------------------------- wrong results
def test_a_district_draft_says_quan_qu_not_quan_xian(tmp_path: Path) -> None:
    figures = tmp_path / "f.yaml"
    figures.write_text(FIGURES, encoding="utf-8")
    out = tmp_path / "d.docx"
    result = run("draft", figures, "--county", "柳河区", "--year", "2025", "--no-store", "-o", out)
    assert result.exit_code == 0, result.output
    text = out.with_suffix(".md").read_text("utf-8")
    assert "全区" in text and "区财政局" in text
    assert not re.search("全县|我县|(?<!柳河)县财政局", text)


def test_previous_report_of_another_county_is_flagged_and_not_signed(tmp_path: Path) -> None:
    figures = tmp_path / "f.yaml"
    figures.write_text(FIGURES, encoding="utf-8")
    out = tmp_path / "d.docx"
    # 001 is 西工区's report (its title and signature say so)
    result = run("draft", figures, *COUNTY, "--previous", corpus_file("001", ".txt"), "-o", out)
    assert result.exit_code == 0, result.output
    assert "上年报告是西工区的" in result.stderr
    assert "西工区财政局" not in out.with_suffix(".md").read_text("utf-8")


def test_check_quotes_the_sentence_of_the_flagged_figure(tmp_path: Path) -> None:
    """The share is in the second sentence; the count it is computed from in the first."""
    report = tmp_path / "r.txt"
    report.write_text("青溪县2024年预算绩效管理工作情况说明\n一、工作开展情况\n（一）重点绩效评价\n"
                      "全年选取8个重点项目开展重点绩效评价。评价结果为“优”的4个，"
                      "“优”等次占比60%。\n", encoding="utf-8")
    result = run("check", report)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    at = next(i for i, ln in enumerate(lines) if "“优”等次占比写为60%" in ln)
    assert "60%" in lines[at + 1]


def test_check_json_goes_to_output(tmp_path: Path) -> None:
    out = tmp_path / "c.json"
    result = run("check", corpus_file("003", ".txt"), "--format", "json", "-o", out)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert out.read_text("utf-8").startswith('{"source": ')


def test_export_csv_file_opens_in_chinese_excel(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    run("ingest", corpus_file("001", ".txt"), "--db", db)
    out = tmp_path / "e.csv"
    assert run("export", "--db", db, "--format", "csv", "-o", out).exit_code == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8, not GBK


def test_show_speaks_chinese_and_refuses_an_ambiguous_prefix(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    run("ingest", corpus_file("003", ".txt"), corpus_file("004", ".txt"), "--db", db)
    shown = run("show", "1", "--db", db)
    assert shown.exit_code == 0
    assert "执行率" in shown.stdout and " rate " not in shown.stdout
    ambiguous = run("show", "0", "--db", db)  # no report 0; too short for a sha256 prefix
    assert ambiguous.exit_code == 2 and "jixiao list" in one_line(ambiguous)


def test_compare_table_never_breaks_a_figure(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    run("ingest", corpus_file("003", ".txt"), "--db", db)
    result = run("compare", "--db", db, "--key", "key_eval.amount")
    assert "11285.11" in result.stdout  # 民丰县's 重点评价 money, on one line


# ------------------------------------------------------------------ implausible figures
@pytest.mark.parametrize(("change", "words"), [
    (("execution.budget: 46800", "execution.budget: 468000000"), ("execution.budget", "元")),
    (("execution.spent: 42100", "execution.spent: 48100"), ("execution.spent", "大于")),
    (("self_eval.avg_score: 92.4", "self_eval.avg_score: 924"), ("self_eval.avg_score", "100")),
    (("target.approved: 290", "target.approved: 390"), ("target.approved", "大于")),
    (("monitoring.projects: 312", "monitoring.projects: 250"), ("6月", "monitoring.projects")),
    (("self_eval.coverage: 100", "self_eval.coverage: 0.95"), ("self_eval.coverage", "百分数")),
])
def test_implausible_figures_are_refused_before_the_draft(tmp_path: Path, change: tuple,
                                                          words: tuple) -> None:
    """Each of these used to pass the self-check and be written as fact (执行率102.8%,
    预算金额46800亿元, 覆盖率0.95%)."""
    before, after = change
    assert before in FIGURES
    figures = tmp_path / "f.yaml"
    figures.write_text(FIGURES.replace(before, after), encoding="utf-8")
    out = tmp_path / "d.docx"
    result = run("draft", figures, *COUNTY, "--no-store", "-o", out)
    assert result.exit_code == 2, result.output
    line = one_line(result)
    assert all(w in line for w in words), line
    assert not out.exists()


def test_excel_percent_cells_are_read_as_the_percent_they_show(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["key", "value"])
    sheet.append(["target.projects", 312])
    sheet.append(["target.coverage", 0.98])
    sheet["B3"].number_format = "0%"  # Excel shows 98%
    path = tmp_path / "f.xlsx"
    book.save(path)
    out = tmp_path / "d.docx"
    result = run("draft", path, *COUNTY, "--no-store", "-o", out)
    assert result.exit_code == 0, result.output
    assert re.search(r"覆盖率(?:为|达到)?98%", out.with_suffix(".md").read_text("utf-8"))


def test_draft_docx_has_its_own_properties_and_keeps_the_signature_with_the_text(
        tmp_path: Path) -> None:
    from docx import Document

    figures = tmp_path / "f.yaml"
    figures.write_text(FIGURES, encoding="utf-8")
    out = tmp_path / "d.docx"
    assert run("draft", figures, *COUNTY, "--no-store", "-o", out).exit_code == 0
    doc = Document(str(out))
    props = doc.core_properties
    assert props.title == "青禾县2025年度预算绩效管理工作情况说明"
    assert props.author == "青禾县财政局" and props.created.year >= 2026
    paragraphs = [p for p in doc.paragraphs]
    issuer = next(i for i, p in enumerate(paragraphs) if p.text == "青禾县财政局")
    # the last body paragraph, the blank line and the issuer all keep with the next one
    assert all(paragraphs[i].paragraph_format.keep_with_next for i in range(issuer - 2, issuer + 1))


def test_a_corrected_reissue_replaces_the_figures_compared(tmp_path: Path) -> None:
    """Same text, one figure corrected (003's 执行率 86.9% written 87.0%): it used to join
    as one more rendition and compare kept the old figure without a word."""
    first = tmp_path / "v1.txt"
    first.write_bytes(corpus_file("003", ".txt").read_bytes())
    text = first.read_text(encoding="utf-8")
    assert "执行率为86.9%" in text  # as a person reads it in the report
    second = tmp_path / "v2.txt"
    second.write_text(text.replace("执行率为86.9%", "执行率为87.0%"), encoding="utf-8")
    db = tmp_path / "s.db"
    assert run("ingest", first, "--db", db).exit_code == 0
    result = run("ingest", second, "--db", db)
    assert result.exit_code == 0
    assert "修订版 1 个" in result.stdout and "新报告 0 份" in result.stdout
    assert "86.9→87" in result.stderr
    rows = run("compare", "--db", db, "--key", "execution.rate", "--format", "csv").stdout
    assert rows.splitlines()[1].endswith(",87")


# ----------------------------------------------------------------- messages and arguments
@pytest.mark.parametrize(("args", "words"), [
    (["--county", "青禾县", "--year", "25"], ("--year", "四位年份")),
    (["--county", " ", "--year", "2025"], ("--county", "县区名称")),
    ([*COUNTY, "--date", "明天"], ("--date", "2026年1月20日")),
])
def test_draft_arguments_that_make_no_report_are_refused(tmp_path: Path, args: list,
                                                         words: tuple) -> None:
    figures = tmp_path / "f.yaml"
    figures.write_text(FIGURES, encoding="utf-8")
    result = run("draft", figures, *args, "--no-store", "-o", tmp_path / "d.docx")
    assert result.exit_code == 2
    line = one_line(result)
    assert all(w in line for w in words), line


def test_draft_date_in_iso_form_is_written_the_official_way(tmp_path: Path) -> None:
    figures = tmp_path / "f.yaml"
    figures.write_text(FIGURES, encoding="utf-8")
    out = tmp_path / "d.docx"
    assert run("draft", figures, *COUNTY, "--no-store", "--date", "2026-01-20",
               "-o", out).exit_code == 0
    assert "2026年1月20日" in out.with_suffix(".md").read_text("utf-8")


def test_full_width_colon_is_named_on_its_own_line(tmp_path: Path) -> None:
    figures = tmp_path / "f.yaml"
    figures.write_text(FIGURES.replace("target.projects: 312", "target.projects：312"),
                       encoding="utf-8")
    line_no = FIGURES.splitlines().index("target.projects: 312") + 1
    result = run("draft", figures, *COUNTY, "--no-store", "-o", tmp_path / "d.docx")
    assert result.exit_code == 2
    assert f"f.yaml:{line_no}: " in one_line(result) and "全角冒号" in one_line(result)


def test_passages_take_the_chinese_topic_name(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    run("ingest", corpus_file("003", ".txt"), "--db", db)
    by_label = run("passages", "--topic", "第三方机构", "--db", db)
    by_id = run("passages", "--topic", "third_party", "--db", db)
    assert by_label.exit_code == by_id.exit_code == 0
    assert by_label.stdout == by_id.stdout and by_label.stdout.strip()


@pytest.mark.parametrize(("name", "words"), [("missing.docx", "不存在"), ("house.pdf", ".docx")])
def test_word_template_that_is_no_docx_says_why(tmp_path: Path, name: str, words: str) -> None:
    figures = tmp_path / "f.yaml"
    figures.write_text(FIGURES, encoding="utf-8")
    template = tmp_path / name
    if name.endswith(".pdf"):
        template.write_bytes(corpus_file("001", ".pdf").read_bytes())
    result = run("draft", figures, *COUNTY, "--no-store", "--word-template", template,
                 "-o", tmp_path / "d.docx")
    assert result.exit_code == 2
    assert words in one_line(result) and str(template) in one_line(result)


def test_fewer_targets_than_last_year_is_noted(tmp_path: Path) -> None:
    """312 last year (corpus/sample/qinghe_2024.txt), 300 this year: the draft states 300
    and says that the decrease is not explained."""
    figures = tmp_path / "f.yaml"
    figures.write_text(FIGURES.replace("target.projects: 312", "target.projects: 300"),
                       encoding="utf-8")
    previous = Path(__file__).resolve().parents[1] / "corpus" / "sample" / "qinghe_2024.txt"
    result = run("draft", figures, *COUNTY, "--previous", previous, "-o", tmp_path / "d.docx")
    assert result.exit_code == 0, result.output
    assert "减少12个（312→300）" in result.stderr


def test_a_typed_rate_that_agrees_is_written_like_a_computed_one(tmp_path: Path) -> None:
    """execution.rate: 90 (42100 ÷ 46800 = 89.96…%) was written 执行率90%, while a computed
    rate reads 90.0%."""
    figures = tmp_path / "f.yaml"
    figures.write_text(FIGURES + "execution.rate: 90\n", encoding="utf-8")
    out = tmp_path / "d.docx"
    assert run("draft", figures, *COUNTY, "--no-store", "-o", out).exit_code == 0
    assert re.search(r"执行率(?:为)?90\.0%", out.with_suffix(".md").read_text("utf-8"))


def test_every_mistake_of_a_figures_file_is_reported_at_once(tmp_path: Path) -> None:
    """A drafter with a deadline fixes them in one pass, not one run per typo."""
    figures = tmp_path / "f.yaml"
    figures.write_text("target.projects: 三百\ntarget.projectz: 5\nself_eval.avg_score: 924\n"
                       "target.coverage: 100\n", encoding="utf-8")
    result = run("draft", figures, *COUNTY, "--no-store", "-o", tmp_path / "d.docx")
    assert result.exit_code == 2
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert [ln.split(": ")[0] for ln in lines] == [f"错误：{figures}:{n}" for n in (1, 2, 3)]
    assert "target.projectz" in lines[1] and "100" in lines[2]


def test_a_read_only_store_can_still_be_read(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """A prefecture archive on a read-only share: list and compare read it, nothing is
    written (root ignores permission bits, so the share's refusal is simulated where the
    store asks whether it may write)."""
    from jixiao.store import db as store_db

    db = tmp_path / "archive.db"
    run("ingest", corpus_file("003", ".txt"), "--db", db)
    before = {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()}
    monkeypatch.setattr(store_db, "_writable", lambda _file: False)
    listed = run("list", "--db", db)
    assert listed.exit_code == 0, listed.stderr
    assert "民丰县" in listed.stdout
    compared = run("compare", "--db", db, "--key", "execution.rate", "--format", "csv")
    assert compared.exit_code == 0 and compared.stdout.splitlines()[1].endswith(",86.9")
    engine = store_db.open_store(str(db), create=False)
    assert "mode=ro" in str(engine.url)
    engine.dispose()
    # nothing was written: the files beside the store are as they were
    assert {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()} == before


@pytest.mark.parametrize(("change", "words"), [
    (("application.cut_projects: 4", "application.cut_projects: 0"), ("核减调减", "为0")),
    (("monitoring.amount: 42000", "monitoring.amount: 20000"), ("6月", "monitoring.amount")),
])
def test_figures_that_contradict_each_other_are_refused(tmp_path: Path, change: tuple,
                                                        words: tuple) -> None:
    before, after = change
    assert before in FIGURES
    figures = tmp_path / "f.yaml"
    figures.write_text(FIGURES.replace(before, after), encoding="utf-8")
    result = run("draft", figures, *COUNTY, "--no-store", "-o", tmp_path / "d.docx")
    assert result.exit_code == 2
    assert all(w in one_line(result) for w in words), one_line(result)


def test_a_lone_grade_count_is_no_checkpoint_total(tmp_path: Path) -> None:
    """Only the 差 projects of June are given: the draft must not say June monitored 10."""
    figures = tmp_path / "f.yaml"
    figures.write_text("target.projects: 300\nmonitoring.grade_projects:\n"
                       "  - {month: 6, grade: 差, value: 10}\n", encoding="utf-8")
    out = tmp_path / "d.docx"
    assert run("draft", figures, *COUNTY, "--no-store", "-o", out).exit_code == 0
    text = out.with_suffix(".md").read_text("utf-8")
    assert "“差”的项目10个" in text and not re.search(r"6月[^。]*(?:共跟踪|覆盖)项目10个", text)


def test_zero_counts_leave_their_sentence_out(tmp_path: Path) -> None:
    figures = tmp_path / "f.yaml"
    text = FIGURES.replace("application.cut_projects: 4", "application.cut_projects: 0")
    text = re.sub(r"application.cut_amount: .*\n", "", text)
    figures.write_text(text, encoding="utf-8")
    out = tmp_path / "d.docx"
    result = run("draft", figures, *COUNTY, "--no-store", "-o", out)
    assert result.exit_code == 0, result.output
    assert not re.search(r"[^\d.]0个项目", out.with_suffix(".md").read_text("utf-8"))
    assert "“application.cut_projects”为0" in result.stderr
