"""A county's Word template is rendered in Jinja2's sandbox: a template received from
another county cannot reach Python's internals or exhaust the machine (issue 14)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from jixiao.cli import main

FIGURES = (Path(__file__).parent / "data" / "figures_qinghe_2025.yaml").read_text("utf-8")
COUNTY = ("--county", "青禾县", "--year", "2025")
PROBE = "{{ ''.__class__.__mro__[1].__subclasses__()|length }}"


def _template(path: Path, paragraph: str) -> Path:
    doc = Document()
    doc.add_paragraph("{{ title }}")
    doc.add_paragraph(paragraph)
    doc.save(str(path))
    return path


def _draft(tmp_path: Path, paragraph: str):
    figures = tmp_path / "f.yaml"
    figures.write_text(FIGURES, encoding="utf-8")
    template = _template(tmp_path / "house.docx", paragraph)
    out = tmp_path / "d.docx"
    result = CliRunner().invoke(main, ["draft", str(figures), *COUNTY, "--no-store",
                                       "--word-template", str(template), "-o", str(out)])
    return result, template, out


@pytest.mark.parametrize("paragraph", [
    PROBE,                                   # the reviewer's probe: Python's class list
    "{{ title.__class__ }}",                 # any attribute starting with _
    "{{ cycler.__init__.__globals__ }}",     # a route to os through Jinja's own globals
    "{{ (2**64)**64 }}",                      # a number that would fill the memory
    "{{ 'x' * 100000000 }}",                 # a string that would fill the memory
])
def test_unsafe_template_is_refused_in_one_line_and_nothing_written(tmp_path: Path,
                                                                   paragraph: str) -> None:
    result, template, out = _draft(tmp_path, paragraph)
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, result.stderr
    assert str(template) in lines[0] and "Word 模板" in lines[0]
    assert not out.exists() and not out.with_suffix(".md").exists()


def test_plain_template_still_renders_with_markup_characters_escaped(tmp_path: Path) -> None:
    """Autoescape: a title or issuer with & or < stays text instead of breaking the XML."""
    from jixiao.generate.docx_writer import write_house_style
    from jixiao.generate.render import Draft

    template = _template(tmp_path / "house.docx", "{{ issuer }}")
    out = tmp_path / "out.docx"
    draft = Draft(title="甲县<乙>说明", sections=[], issuer="财政局&审计局", date=None)
    write_house_style(draft, template, out)
    texts = [p.text for p in Document(str(out)).paragraphs]
    assert texts == ["甲县<乙>说明", "财政局&审计局"]
