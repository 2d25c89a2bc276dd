"""Bad input: exit status 2 and one line naming the file and the reason, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from jixiao.cli import main

from .conftest import corpus_file

REPORT_TEXT = "某某县2023年预算绩效管理工作情况说明\n一、工作开展情况\n全年共为120个项目设定绩效目标，涉及资金3.5亿元。\n"


def _run(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def _one_error_line(result, path: Path | str, reason: str) -> None:
    assert result.exit_code == 2
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, lines
    assert str(path) in lines[0]
    assert reason in lines[0]


@pytest.fixture()
def files(tmp_path: Path) -> dict[str, Path]:
    made = {}

    def put(name: str, data: bytes) -> None:
        made[name] = tmp_path / name
        made[name].write_bytes(data)

    put("empty.txt", b"")
    put("blank.txt", b"   \n\n  ")
    put("english.txt", b"This is a shopping list: eggs, milk, bread.\n" * 5)
    put("latin1.txt", "caf\xe9 cr\xe8me br\xfbl\xe9e, d\xe9j\xe0 vu\n".encode("latin-1") * 3)
    put("notes.md", "某某县报告".encode())
    put("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    put("fake.pdf", b"this is not a pdf at all")
    put("fake.docx", b"neither is this a word file")
    put("report.txt", REPORT_TEXT.encode())
    docx_bytes = corpus_file("001", ".docx").read_bytes()
    put("truncated.docx", docx_bytes[: len(docx_bytes) // 3])
    pdf_bytes = corpus_file("001", ".pdf").read_bytes()
    put("truncated.pdf", pdf_bytes[:2000])
    return made


@pytest.mark.parametrize(("name", "reason"), [
    ("empty.txt", "文件为空"),
    ("blank.txt", "文件为空"),
    ("english.txt", "没有中文正文"),
    ("latin1.txt", "无法识别文本编码"),
    ("notes.md", "不支持的文件类型 .md"),
    ("old.doc", ".doc"),
    ("fake.pdf", "不是有效的 PDF"),
    ("fake.docx", "不是有效的 .docx"),
    ("truncated.docx", "损坏"),
    ("truncated.pdf", "损坏"),
])
def test_bad_file_exits_2_with_one_line(files, name: str, reason: str) -> None:
    _one_error_line(_run("read", str(files[name])), files[name], reason)


def test_missing_path(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.pdf"
    _one_error_line(_run("read", str(missing)), missing, "文件不存在")


def test_directory_given_as_file(tmp_path: Path) -> None:
    _one_error_line(_run("read", str(tmp_path)), tmp_path, "文件夹")


def test_encrypted_pdf(tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter(clone_from=str(corpus_file("001", ".pdf")))
    writer.encrypt(user_password="secret", owner_password="owner")
    path = tmp_path / "locked.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    _one_error_line(_run("read", str(path)), path, "加密")


def test_batch_goes_on_and_summarises(files) -> None:
    result = _run("read", str(files["empty.txt"]), str(files["report.txt"]),
                  str(files["fake.pdf"]))
    assert result.exit_code == 2
    assert "120个项目" in result.stdout  # the good file was still read
    summary = result.stderr.strip().splitlines()[-1]
    assert "成功 1 个" in summary and "失败 2 个" in summary
    assert "empty.txt" in summary and "fake.pdf" in summary


def test_good_file_exits_0(files) -> None:
    result = _run("read", str(files["report.txt"]), "--format", "json")
    assert result.exit_code == 0
    import json

    data = json.loads(result.stdout)
    assert data["county"] == "某某县" and data["year"] == 2023
    assert data["sections"][0]["stage"] == "work"


def test_scan_without_ocr_extra_names_file_and_install(monkeypatch, tmp_path: Path) -> None:
    """Regression: one error path for a missing OCR extra, naming the full path."""
    import jixiao.extract.readers.ocr as ocr

    monkeypatch.setenv("JIXIAO_CACHE_DIR", str(tmp_path / "empty-cache"))
    monkeypatch.setattr(ocr, "_ocr_problem", lambda: "需要OCR识别；请安装可选组件：pip install 'jixiao[ocr]'")
    scan = corpus_file("002", ".scan.pdf")
    _one_error_line(_run("read", str(scan)), scan, "pip install 'jixiao[ocr]'")
