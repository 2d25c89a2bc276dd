"""The spaCy pipeline: built from its config string, domain words kept whole, figures as spans."""

from __future__ import annotations

import pytest

from jixiao.extract.attribution import Context
from jixiao.extract.components import FIGURES
from jixiao.extract.nlp import NLP_CONFIG, get_nlp


@pytest.fixture(scope="module")
def nlp():
    return get_nlp()


def test_pipeline_is_built_once_from_its_config(nlp) -> None:
    assert get_nlp() is nlp
    assert nlp.pipe_names == ["jixiao_figures", "jixiao_attribution"]
    assert 'segmenter = "jieba"' in NLP_CONFIG
    assert nlp.tokenizer.segmenter == "jieba"


@pytest.mark.parametrize("term", ["事前绩效评估", "衔接资金", "第三方机构", "整改完成率"])
def test_domain_terms_are_single_tokens(nlp, term: str) -> None:
    doc = nlp(f"今年我县对项目开展{term}工作，成效明显。")
    assert term in [t.text for t in doc]


def test_figures_are_spans_with_their_meaning(nlp) -> None:
    doc = nlp.make_doc("今年对12个项目核减预算共计80万元。")
    doc._.context = Context(stages=("application",), report_year=2024)
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    spans = doc.spans[FIGURES]
    assert [s._.quantity.value for s in spans] == [12, 80]
    assert [s._.key for s in spans] == ["application.cut_projects", "application.cut_amount"]
    # The span covers whole tokens around the figure's exact characters.
    assert all(s.start_char <= s._.quantity.start < s._.quantity.end <= s.end_char for s in spans)
