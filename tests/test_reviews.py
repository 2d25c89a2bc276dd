"""Review state: a finding's fingerprint, a reviewer's verdict kept in the store, and what
checking, showing and the check page make of it. Reports are our own sentences."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from jixiao.api import check_document, extract_document, read_bytes
from jixiao.cli import main

HEAD = "青溪县2024年预算绩效管理工作情况说明\n一、工作开展情况\n"
# Two errors: 2880 ÷ 3200 = 90 %, not 91 %; 80 + 30 + 15 = 125, not 120.
BAD = HEAD + (
    "（一）预算执行\n全县预算金额3200万元，实际执行金额2880万元，执行率91%。\n"
    "（二）绩效运行监控\n5月共监控项目120个，其中“优”的项目80个，“良”的项目30个，“差”的项目15个。\n"
)


def run(*args: object):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.output + result.stderr
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def findings_of(text: str):
    doc = read_bytes(text.encode("utf-8"), source="r.txt", fmt="txt")
    return check_document(extract_document(doc)).findings


@pytest.fixture
def report(tmp_path: Path) -> Path:
    path = tmp_path / "report.txt"
    path.write_text(BAD, encoding="utf-8")
    return path


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "store.db"


def listed(report: Path, db: Path) -> dict[str, dict]:
    out = run("review", report, "--db", db, "--format", "json")
    assert out.exit_code == 0, out.output
    return {row["rule"]: row for row in map(json.loads, out.stdout.splitlines())}


# ------------------------------------------------------------------------------ fingerprint


def test_fingerprint_survives_moved_text_and_changes_with_the_operands() -> None:
    before = {f.rule: f.fingerprint for f in findings_of(BAD)}
    # a paragraph added in front moves every offset, not the finding
    moved = BAD.replace("（一）预算执行\n", "（一）预算执行\n本节说明全县预算执行情况。\n")
    assert {f.rule: f.fingerprint for f in findings_of(moved)} == before
    # another figure written: another finding
    other = BAD.replace("执行率91%", "执行率92%")
    after = {f.rule: f.fingerprint for f in findings_of(other)}
    assert after["rate"] != before["rate"] and after["sum-of-parts"] == before["sum-of-parts"]


# ------------------------------------------------------------------------------ jixiao review


def test_dismissed_finding_stays_hidden_on_a_recheck(report: Path, db: Path) -> None:
    rows = listed(report, db)
    assert {r["verdict"] for r in rows.values()} == {None}
    fp = rows["rate"]["fingerprint"]
    done = run("review", report, fp[:8], "--dismiss", "--note", "按调整后预算核算无误", "--by", "李审",
               "--db", db)
    assert done.exit_code == 0 and "已排除" in done.stdout
    checked = run("check", report, "--db", db, "--format", "json")
    result = json.loads(checked.stdout)
    assert [f["rule"] for f in result["findings"]] == ["sum-of-parts"]
    [hidden] = result["dismissed"]
    assert hidden["fingerprint"] == fp
    assert hidden["review"]["note"] == "按调整后预算核算无误"
    assert hidden["review"]["reviewer"] == "李审"
    # the text listing counts it apart; the exit status ignores it
    text = run("check", report, "--db", db)
    assert "审核排除 1 项" in text.stdout and "错误 1 项" in text.stdout
    # withdrawn: it shows again
    assert run("review", report, fp, "--reopen", "--db", db).exit_code == 0
    again = json.loads(run("check", report, "--db", db, "--format", "json").stdout)
    assert sorted(f["rule"] for f in again["findings"]) == ["rate", "sum-of-parts"]


def test_confirmed_finding_is_marked_and_still_counts(report: Path, db: Path) -> None:
    fp = listed(report, db)["sum-of-parts"]["fingerprint"]
    assert run("review", report, fp, "--confirm", "--note", "差等项目应为10个", "--db", db).exit_code == 0
    checked = run("check", report, "--db", db)
    assert checked.exit_code == 1
    assert "（已确认）" in checked.stdout
    rows = listed(report, db)
    assert rows["sum-of-parts"]["verdict"] == "confirmed"
    assert rows["sum-of-parts"]["note"] == "差等项目应为10个"
    everything = run("review", "--db", db)
    assert "已确认：差等项目应为10个" in everything.stdout and "青溪县|2024" in everything.stdout


def test_a_verdict_survives_another_rendition_and_a_reingest(report: Path, db: Path,
                                                             tmp_path: Path) -> None:
    fp = listed(report, db)["rate"]["fingerprint"]
    run("review", report, fp, "--dismiss", "--db", db)
    # the same report saved under another name (same county and year): still dismissed
    copy = tmp_path / "青溪县报告副本.txt"
    copy.write_text(BAD, encoding="utf-8")
    result = json.loads(run("check", copy, "--db", db, "--format", "json").stdout)
    assert [f["rule"] for f in result["dismissed"]] == ["rate"]
    # stored, shown, ingested again: hidden each time
    for _ in range(2):
        assert run("ingest", report, "--db", db, "--force").exit_code == 0
        shown = json.loads(run("show", "1", "--db", db, "--format", "json").stdout)
        assert [f["rule"] for f in shown["findings"]] == ["sum-of-parts"]
        assert shown["dismissed"] == 1
        [row] = map(json.loads, run("list", "--db", db, "--format", "json").stdout.splitlines())
        assert row["errors"] == 1  # the dismissed one is not counted


def test_bad_review_requests_say_why_in_one_line(report: Path, db: Path, tmp_path: Path) -> None:
    unknown = run("review", report, "0123456789", "--dismiss", "--db", db)
    assert unknown.exit_code == 2
    assert len(unknown.stderr.strip().splitlines()) == 1 and "没有指纹为" in unknown.stderr
    short = run("review", report, "abc", "--confirm", "--db", db)
    assert short.exit_code == 2 and "至少" in short.stderr
    marks = tmp_path / "marks.json"
    marks.write_text('{"not": "a list"}', encoding="utf-8")
    bad = run("review", "--import", marks, "--db", db)
    assert bad.exit_code == 2 and "marks.json" in bad.stderr


def test_marks_saved_from_the_page_are_imported(report: Path, db: Path, tmp_path: Path) -> None:
    fp = listed(report, db)["rate"]["fingerprint"]
    page = tmp_path / "page.html"
    assert run("check", report, "--db", db, "--format", "html", "-o", page).exit_code == 1
    html = page.read_text(encoding="utf-8")
    # the page names each finding by its fingerprint, offers the verdicts, shows the work
    assert f'data-fp="{fp}"' in html and "排除（不是错误）" in html and "保存审核记录" in html
    assert "2880万元 ÷ 3200万元" in html
    # what its “保存审核记录” writes: the report's scope, the fingerprint, the verdict
    marks = tmp_path / "审核记录.json"
    marks.write_text(json.dumps([{"scope": "青溪县|2024", "fingerprint": fp,
                                  "verdict": "dismissed", "note": "口径不同",
                                  "rule": "rate", "message": "执行率"}], ensure_ascii=False),
                     encoding="utf-8")
    assert run("review", "--import", marks, "--db", db).stdout.startswith("已导入 1 条")
    run("check", report, "--db", db, "--format", "html", "-o", page)
    html = page.read_text(encoding="utf-8")
    assert f'data-fp="{fp}"' not in html
    assert "审核时已排除的问题 1 项" in html and "口径不同" in html


# ------------------------------------------------------------------------------ migration


def test_a_store_of_revision_0003_gains_reviews_and_keeps_its_findings(tmp_path: Path) -> None:
    import sqlalchemy as sa
    from alembic import command

    from jixiao.store.db import alembic_config, open_store

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = sa.create_engine(url)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0003")
        conn.execute(sa.text("INSERT INTO reports (id, county, year, sketch) VALUES (1, '甲县', 2024, '[]')"))
        conn.execute(sa.text(
            "INSERT INTO documents (id, report_id, sha256, source, format, text, ingested_at) "
            "VALUES (1, 1, 'x', 'a.txt', 'txt', '…', '2026-01-01')"))
        conn.execute(sa.text(
            "INSERT INTO findings (id, document_id, rule, severity, message, evidence) "
            "VALUES (1, 1, 'rate', 'error', '执行率写为91%', '[]')"))
    engine.dispose()
    engine = open_store(url)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT rule, fingerprint FROM findings")).one() == ("rate", None)
        assert conn.execute(sa.text("SELECT count(*) FROM reviews")).scalar() == 0
