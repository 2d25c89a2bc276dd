"""A county's own Word template (docxtpl placeholders) filled with the draft."""

from __future__ import annotations

import re
from pathlib import Path

from docx import Document

from jixiao.generate.draft import draft_report

FIGURES = """\
target.projects: 226
target.project_amount: 31500
key_eval.projects: 4
key_eval.amount: 8120
capacity.staff: 3
capacity.third_parties: 2
"""


def _house_template(path: Path) -> Path:
    doc = Document()
    doc.add_paragraph("柏溪县财政局文件")  # the house letterhead, kept as is
    doc.add_paragraph("{{ title }}")
    doc.add_paragraph("{%p for s in sections %}")
    doc.add_paragraph("{{ s.heading }}")
    doc.add_paragraph("{%p for para in s.paragraphs %}")
    doc.add_paragraph("{{ para }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{{ issuer }}")
    doc.save(str(path))
    return path


def test_house_template_keeps_its_letterhead_and_states_the_figures(tmp_path: Path) -> None:
    figures = tmp_path / "figures.yaml"
    figures.write_text(FIGURES, encoding="utf-8")
    out = tmp_path / "draft.docx"
    result = draft_report(figures, county="柏溪县", year=2025, output=out,
                          word_template=_house_template(tmp_path / "house.docx"))
    texts = [p.text for p in Document(str(out)).paragraphs if p.text.strip()]
    assert texts[0] == "柏溪县财政局文件"
    assert texts[1] == "柏溪县2025年度预算绩效管理工作情况说明"
    body = "".join(texts)
    assert re.search("226个项目|项目共226个", body) and "3.15亿元" in body and "8120万元" in body
    assert texts[-1] == "柏溪县财政局"
    assert result.figures_stated >= 6  # and the self-check read every one back
