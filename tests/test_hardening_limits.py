"""Reading bounds (extract/limits.py) and containment of bugs (errors.internal_error):
issue 14. Every input here is made by the test from our own fictional sample report."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from jixiao.cli import main

SAMPLE = Path(__file__).resolve().parents[1] / "corpus" / "sample" / "qinghe_2024.txt"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>')
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>')


@pytest.fixture(autouse=True)
def _logs_and_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIXIAO_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setenv("JIXIAO_DB", str(tmp_path / "user.db"))
    monkeypatch.delenv("JIXIAO_LIMITS", raising=False)


def run(*args: object, env: dict[str, str] | None = None):
    result = CliRunner().invoke(main, [str(a) for a in args], env=env)
    assert "Traceback" not in result.output + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def error_lines(result) -> list[str]:
    return [ln for ln in result.stderr.splitlines() if ln.startswith("错误：")]


def flooded_docx(paragraphs: int) -> bytes:
    """A Word file of ``paragraphs`` repeated formatted paragraphs (about 2.3 KB of XML
    each, as a report's runs with their fonts are): 12,000 make 27 MB of XML in 170 KB."""
    run_xml = ('<w:r><w:rPr><w:rFonts w:ascii="仿宋" w:eastAsia="仿宋" w:hAnsi="仿宋"/>'
               '<w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr><w:t>全年共为{n}个项目设定绩效目标，</w:t></w:r>')
    body = "".join('<w:p><w:pPr><w:spacing w:line="560" w:lineRule="exact"/>'
                   '<w:ind w:firstLine="640"/></w:pPr>'
                   + run_xml.format(n=i % 97 + 3) * 12 + "</w:p>" for i in range(paragraphs))
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                f'<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


def sample_docx(path: Path) -> Path:
    from docx import Document

    doc = Document()
    for line in SAMPLE.read_text(encoding="utf-8").splitlines():
        if line.strip():
            doc.add_paragraph(line.strip())
    doc.save(str(path))
    return path


def blank_pdf(path: Path, pages: int) -> Path:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    for _ in range(pages):
        pdf.new_page(595, 842)
    pdf.save(str(path))
    pdf.close()
    return path


# ----------------------------------------------------------------------- the reviewer's file
def test_flooded_docx_is_refused_in_one_line_quickly_and_in_little_memory(tmp_path: Path) -> None:
    """The review's 155 KB .docx of 12,000 paragraphs (30 MB of XML) took 11 s and 837 MB."""
    path = tmp_path / "flooded.docx"
    path.write_bytes(flooded_docx(12_000))
    assert path.stat().st_size < 400_000
    probe = ("import resource, sys, time\n"
             "from jixiao.api import read_document\n"
             "from jixiao.errors import JixiaoError\n"
             "start = time.perf_counter()\n"
             "try:\n    read_document(sys.argv[1]); print('read')\n"
             "except JixiaoError as err:\n    print(err)\n"
             "print(time.perf_counter() - start)\n"
             # the peak of this program: VmHWM starts again at exec, ru_maxrss may not
             "status = open('/proc/self/status').read() if sys.platform == 'linux' else ''\n"
             "hwm = [ln.split()[1] for ln in status.splitlines() if ln.startswith('VmHWM:')]\n"
             "print(hwm[0] if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n")
    out = subprocess.run([sys.executable, "-c", probe, str(path)], capture_output=True,
                         text=True, timeout=60, check=True)
    message, seconds, peak_kb = out.stdout.strip().splitlines()
    assert str(path) in message and "--limit" in message, message
    assert float(seconds) < 5, seconds
    assert int(peak_kb) < 300 * 1024, peak_kb

    result = run("read", path)
    assert result.exit_code == 2 and len(error_lines(result)) == 1
    assert result.stderr.strip() == error_lines(result)[0]


# ----------------------------------------------------------------------- each bound
@pytest.mark.parametrize(("name", "limit", "words"), [
    ("report.txt", "size=0.001", "文件过大"),  # the sample is 2.1 KB, 21 lines
    ("report.txt", "text=0.001", "文本文件过大"),
    ("report.txt", "paragraphs=5", "文本行数过多"),
    ("report.docx", "paragraphs=5", "Word 文件段落过多"),
    ("report.docx", "unzipped=0.01", "解压后的内容过大"),
    ("flooded.docx", "ratio=50", "压缩比异常"),
    ("blank.pdf", "pages=3", "PDF 页数过多"),
])
def test_each_bound_refuses_in_one_line_and_names_the_option(tmp_path: Path, name: str,
                                                            limit: str, words: str) -> None:
    path = tmp_path / name
    if name == "report.txt":
        path.write_bytes(SAMPLE.read_bytes())
    elif name == "report.docx":
        sample_docx(path)
    elif name == "flooded.docx":
        path.write_bytes(flooded_docx(5_000))  # 11 MB of XML: above the ratio's floor
    else:
        blank_pdf(path, 5)
    result = run("read", "--limit", limit, path)
    assert result.exit_code == 2
    (line,) = error_lines(result)
    bound = limit.split("=")[0]
    assert line.startswith(f"错误：{path}: ") and words in line and f"--limit {bound}=" in line


def test_the_suggested_option_reads_the_file(tmp_path: Path) -> None:
    path = sample_docx(tmp_path / "report.docx")
    refused = run("read", "--limit", "paragraphs=5", path)
    suggested = error_lines(refused)[0].split("--limit ", 1)[1].split()[0]
    assert run("read", "--limit", "paragraphs=5", "--limit", suggested, path).exit_code == 0


def test_ocr_pages_bound_is_max_pages(tmp_path: Path) -> None:
    """Pages without a text layer would be OCRed: more of them than --max-pages is one line."""
    path = blank_pdf(tmp_path / "scan.pdf", 4)
    result = run("read", "--max-pages", "2", path)
    assert result.exit_code == 2
    (line,) = error_lines(result)
    assert str(path) in line and "OCR" in line and "--max-pages 4" in line


def test_bounds_from_the_environment(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(SAMPLE.read_bytes())
    result = run("extract", path, env={"JIXIAO_LIMITS": "size=0.001"})
    assert result.exit_code == 2 and "文件过大" in error_lines(result)[0]


def test_unknown_bound_is_a_usage_error(tmp_path: Path) -> None:
    result = run("read", "--limit", "colour=3", SAMPLE)
    assert result.exit_code == 2 and "colour" in result.stderr and "size" in result.stderr


def test_figures_file_and_word_template_are_bounded(tmp_path: Path) -> None:
    template = tmp_path / "house.docx"
    template.write_bytes(flooded_docx(5_000))
    figures = Path(__file__).parent / "data" / "figures_qinghe_2025.yaml"
    result = run("draft", figures, "--county", "青禾县", "--year", "2025", "--no-store",
                 "--word-template", template, "-o", tmp_path / "d.docx")
    assert result.exit_code == 2 and "压缩比异常" in error_lines(result)[0]
    result = run("draft", figures, "--county", "青禾县", "--year", "2025", "--no-store",
                 "-o", tmp_path / "d.docx", env={"JIXIAO_LIMITS": "text=0.0001"})
    assert result.exit_code == 2 and str(figures) in error_lines(result)[0]


def test_bounds_reach_ingest_workers(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes(SAMPLE.read_bytes())
    sample_docx(folder / "b.docx")
    result = run("ingest", folder, "--jobs", "2", "--db", tmp_path / "s.db",
                 "--limit", "paragraphs=5")
    assert result.exit_code == 2
    assert len(error_lines(result)) == 2 and "失败 2 个" in result.stdout


# ----------------------------------------------------------------------- containment
def _boom(*_args, **_kwargs):
    raise RuntimeError("a table pass that fails")


def test_a_bug_on_one_file_is_one_line_naming_the_log_and_the_batch_goes_on(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("jixiao.extract.readers.docx.read_docx", _boom)
    bad = sample_docx(tmp_path / "a.docx")
    good = tmp_path / "b.txt"
    good.write_bytes(SAMPLE.read_bytes())
    result = run("extract", "--format", "json", bad, good)
    assert result.exit_code == 2
    line = error_lines(result)[0]
    assert line.startswith(f"错误：{bad}: 内部错误（RuntimeError）")
    log = Path(line.split("详细信息已写入 ", 1)[1].split("，", 1)[0])
    assert log.parent == tmp_path / "logs"
    logged = log.read_text(encoding="utf-8")
    assert "Traceback" in logged and "a table pass that fails" in logged and str(bad) in logged
    assert json.loads(result.stdout.splitlines()[0])["source"] == str(good)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ingest_goes_on_past_a_bug(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                   jobs: str) -> None:
    monkeypatch.setattr("jixiao.extract.readers.docx.read_docx", _boom)
    folder = tmp_path / "in"
    folder.mkdir()
    sample_docx(folder / "a.docx")
    (folder / "b.txt").write_bytes(SAMPLE.read_bytes())
    result = run("ingest", folder, "--jobs", jobs, "--db", tmp_path / "s.db")
    assert result.exit_code == 2
    (line,) = error_lines(result)
    assert "a.docx" in line and "内部错误" in line and "errors.log" in line
    assert "入库 1 个" in result.stdout


def _die(*_args, **_kwargs):
    os._exit(3)  # a worker killed (out of memory, a crash in a C library)


@pytest.mark.skipif(sys.platform == "win32", reason="fork start method")
def test_ingest_survives_a_worker_that_dies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                            ) -> None:
    monkeypatch.setattr("jixiao.extract.readers.docx.read_docx", _die)
    folder = tmp_path / "in"
    folder.mkdir()
    sample_docx(folder / "a.docx")
    for name in ("b.txt", "c.txt"):
        text = SAMPLE.read_text(encoding="utf-8").replace("青禾县", "青禾县" if name == "b.txt"
                                                          else "松林县")
        (folder / name).write_text(text, encoding="utf-8")
    result = run("ingest", folder, "--jobs", "2", "--db", tmp_path / "s.db")
    assert result.exit_code == 2
    (line,) = error_lines(result)
    assert "a.docx" in line and "进程意外退出" in line
    assert "入库 2 个" in result.stdout


def test_a_bug_outside_any_file_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                            ) -> None:
    monkeypatch.setattr("jixiao.store.queries.list_reports", _boom)
    db = tmp_path / "s.db"
    run("ingest", SAMPLE, "--db", db)
    result = run("list", "--db", db)
    assert result.exit_code == 2
    (line,) = error_lines(result)
    assert "内部错误（RuntimeError）" in line and "errors.log" in line
