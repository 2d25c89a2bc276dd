"""The spaCy pipeline: built from its config, serialised and loaded back, vocabulary matched on
jieba's tokens (so segmentation decides what is matched), figures as spans."""

from __future__ import annotations

import json

import pytest

from jixiao.extract.attribution import Context, attribute
from jixiao.extract.components import FIGURES, VOCABULARY
from jixiao.extract.nlp import NLP_CONFIG, build_nlp, get_nlp, load_nlp
from jixiao.extract.quantities import find_quantities


@pytest.fixture(scope="module")
def nlp():
    return get_nlp()


def _keys(nlp, text: str, *stages: str) -> list[tuple[str | None, dict]]:
    found = find_quantities(text)
    return [(a.key, a.qualifiers) for a in attribute(text, found, Context(stages or ("work",)),
                                                      nlp)]


def test_pipeline_is_built_once_from_its_config(nlp) -> None:
    assert get_nlp() is nlp
    assert nlp.pipe_names == ["cues", "cues_heads", "nouns", "nouns_heads", "subjects",
                              "subjects_heads", *VOCABULARY[3:],
                              "jixiao_figures", "jixiao_attribution"]
    assert 'segmenter = "jieba"' in NLP_CONFIG
    assert nlp.tokenizer.segmenter == "jieba"


def test_serialised_pipeline_is_loaded_from_the_cache(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("JIXIAO_CACHE_DIR", str(tmp_path))
    built = load_nlp()
    saved = [p for p in tmp_path.iterdir() if p.name.startswith("pipeline-")]
    assert len(saved) == 1 and (saved[0] / "config.cfg").exists()
    patterns = (saved[0] / "cues" / "patterns").read_text(encoding="utf-8").splitlines()
    assert {"label": "pre_assessment", "id": "2", "pattern": "事前绩效评估"} in map(json.loads, patterns)
    loaded = load_nlp()  # this time from disk
    text = "今年对12个项目核减预算共计80万元。"
    assert [t.text for t in loaded(text)] == [t.text for t in built(text)]
    assert _keys(loaded, text) == _keys(built, text) == [
        ("application.cut_projects", {}), ("application.cut_amount", {})]


@pytest.mark.parametrize("term", ["事前绩效评估", "衔接资金", "第三方机构", "整改完成率"])
def test_domain_terms_are_single_tokens(nlp, term: str) -> None:
    doc = nlp(f"今年我县对项目开展{term}工作，成效明显。")
    assert term in [t.text for t in doc]


def test_cues_are_spans_of_whole_tokens(nlp) -> None:
    doc = nlp("部门整体支出评价中，财政部门评价得分为93.4分，偏差较大的项目其中有3个。")
    cues = {(s.text, s.label_) for s in doc.spans["cues"]}
    assert ("部门整体支出", "overall_eval") in cues
    # 部门评价 is not a cue inside 财政部门 + 评价, nor 差 a grade inside 偏差, 中 inside 其中
    assert not any(s.label_ == "dept_eval" for s in doc.spans["cues"])
    # (the one grade word found is the 中 of 评价 + 中, a token of its own)
    assert [(s.text, s.start_char) for s in doc.spans["grades"]] == [("中", 8)]
    assert [s.text for s in doc.spans["evaluators"]] == ["财政部门"]


def test_one_token_per_character_changes_the_key(nlp) -> None:
    """Segmentation is load-bearing: with one token per character, 部门评价 is found inside
    财政部门评价 and the score goes to department evaluation."""
    text = "部门整体支出评价中，财政部门评价得分为93.4分。"
    assert _keys(nlp, text) == [("overall_eval.score", {"evaluator": "财政部门"})]
    chars = build_nlp(segmenter="char")
    assert [t.text for t in chars("财政部门")] == ["财", "政", "部", "门"]
    assert _keys(chars, text) == [("dept_eval.score", {"evaluator": "财政部门"})]


def test_a_word_missing_from_the_user_dictionary_loses_the_cue() -> None:
    """预算执行率 kept whole is the cue of an execution rate; without it in the dictionary
    jieba cuts 预算执行 + 率达, the cue spans a token boundary and is not found. (The key
    stays: since issue 12's second round a rate's home stage is execution, whatever the
    cues.)"""
    text = "全县项目支出预算执行率达98.2%。"
    full = build_nlp()
    assert _keys(full, text) == [("execution.rate", {})]
    kept = full(text)
    assert ("预算执行率", "execution") in {(s.text, s.label_) for s in kept.spans["cues"]}
    poorer = build_nlp()
    words = [e for e in poorer.tokenizer.userdict if e[0] != "预算执行率"]
    assert len(words) == len(poorer.tokenizer.userdict) - 1
    poorer.tokenizer.from_bytes("\n".join(f"{w} {f} {t}" for w, f, t in words).encode())
    assert "预算执行率" not in [t.text for t in poorer(text)]
    cut = poorer(text)
    assert not any(s.label_ == "execution" for s in cut.spans["cues"])


def test_figures_are_spans_with_their_meaning(nlp) -> None:
    doc = nlp.make_doc("今年对12个项目核减预算共计80万元。")
    doc._.context = Context(stages=("application",), report_year=2024)
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    spans = doc.spans[FIGURES]
    assert [s._.quantity.value for s in spans] == [12, 80]
    assert [s._.key for s in spans] == ["application.cut_projects", "application.cut_amount"]
    assert all(s._.confidence >= 0.5 and s._.candidates == [] for s in spans)
    # The span covers whole tokens around the figure's exact characters.
    assert all(s.start_char <= s._.quantity.start < s._.quantity.end <= s.end_char for s in spans)
