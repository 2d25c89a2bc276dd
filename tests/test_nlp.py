"""The spaCy pipeline: built from its config string, patterns valid, domain words kept whole."""

from __future__ import annotations

import pytest

from jixiao.extract.nlp import get_nlp, load_patterns


def test_patterns_are_valid_span_ruler_patterns() -> None:
    from spacy.lang.zh import Chinese

    patterns = load_patterns()
    assert patterns and all({"label", "pattern"} <= set(p) for p in patterns)
    ruler = Chinese().add_pipe("span_ruler", config={"validate": True})
    ruler.add_patterns(patterns)  # raises on an invalid pattern


@pytest.fixture(scope="module")
def nlp():
    return get_nlp()


def test_pipeline_is_built_once(nlp) -> None:
    assert get_nlp() is nlp
    assert nlp.pipe_names == ["cue_ruler"]


@pytest.mark.parametrize("term", ["事前绩效评估", "衔接资金", "第三方机构", "整改完成率"])
def test_domain_terms_are_single_tokens(nlp, term: str) -> None:
    doc = nlp(f"今年我县对项目开展{term}工作，成效明显。")
    assert term in [t.text for t in doc]


def test_cues_are_found(nlp) -> None:
    doc = nlp("对12个项目核减预算共计80万元，评价结果为“优”。")
    labels = {span.label_ for span in doc.spans["cues"]}
    assert {"CUT", "TOTAL", "GRADE"} <= labels
