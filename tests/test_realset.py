"""The real-report set (corpus/real): its annotations follow the rules, and every
annotated figure of the dev part is a test row — found at its place with its value and
unit, and given the annotated key (or none). Rows that fail today are strict ``xfail``
rows listed in ``corpus/real/xfail.txt``: a fixed row then fails until it is removed from
the list, and a failing row is never deleted.

The page texts are not in the repository (facts only); rows whose text is not in the local
cache skip with the reason. The test part is scored with ``jixiao eval --real test`` only
when an issue is closed; its rows join here at that point.
"""

from __future__ import annotations

import hashlib
from functools import cache

import pytest

from jixiao.extract import realeval, realset

DOCS = realset.load_all()
XFAIL_FILE = realset.docs_dir().parent / "xfail.txt"


def _xfail_rows() -> dict[str, str]:
    rows: dict[str, str] = {}
    if XFAIL_FILE.exists():
        for line in XFAIL_FILE.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                row, _, reason = line.partition(" ")
                rows[row] = reason.strip()
    return rows


XFAIL = _xfail_rows()


def _scored_splits() -> set[str]:
    """The parts whose rows run: ``# scored: dev test`` in the xfail file (dev by default)."""
    if XFAIL_FILE.exists():
        for line in XFAIL_FILE.read_text(encoding="utf-8").splitlines():
            if line.startswith("# scored:"):
                return set(line.removeprefix("# scored:").split())
    return {"dev"}


SCORED = _scored_splits()


def test_every_address_is_admissible_and_named_by_its_hash() -> None:
    for doc in DOCS:
        assert realset.admissible(doc.url), doc.url
        assert doc.path is not None and doc.path.stem == doc.sha1[:12]


def test_no_address_twice() -> None:
    urls = [d.url for d in DOCS]
    assert len(urls) == len(set(urls))


def test_split_is_the_salted_hash_of_the_address() -> None:
    for doc in DOCS:
        h = int(hashlib.sha256(("jixiao-real-split-v1:" + doc.url).encode()).hexdigest()[:8], 16)
        assert doc.split == ("test" if h % 5 < 2 else "dev")


def test_annotation_holds_no_page_sentence() -> None:
    # facts only: a figure's surface is number-through-unit, notes are the annotator's words
    for doc in DOCS:
        for f in doc.figures:
            assert len(f.surface) <= 24, (doc.sha1[:12], f.surface)


def test_schema_refuses_a_held_back_address(monkeypatch: pytest.MonkeyPatch) -> None:
    # an address whose SHA-1 starts with c–f, made by the hash itself: no such address is
    # ever written into the repository
    monkeypatch.setattr(realset, "url_sha1", lambda url: "c" + "0" * 39)
    with pytest.raises(realset.SchemaError, match="c–f"):
        realset.parse_doc({"url": "地址", "doc_type": "news"}, "x")


def test_schema_refuses_an_unknown_field(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(realset, "url_sha1", lambda url: "0" * 40)
    with pytest.raises(realset.SchemaError, match="未知字段"):
        realset.parse_doc({"url": "地址", "doc_type": "news",
                           "figures": [{"surface": "3个", "value": "3", "unit": "个",
                                        "qualifer": {}}]}, "x")


def test_relations_point_at_figures_and_state_their_verdict() -> None:
    for doc in DOCS:
        for r in doc.relations:
            assert r.arithmetic, (doc.sha1[:12], r)


@cache
def _result(sha: str) -> realeval.DocResult | None:
    doc = next(d for d in DOCS if d.sha1[:12] == sha)
    text = realset.text_of(doc.url)
    if text is None:
        return None
    if hashlib.sha256(text.encode("utf-8")).hexdigest() != doc.text_sha256:
        pytest.fail(f"{sha}: cached text differs from the annotated one")
    return realeval.evaluate_doc(doc, realeval.extract_text(text, sha), text)


def _rows(kind: str) -> list:
    rows = []
    for doc in DOCS:
        if doc.split not in SCORED:
            continue
        for i, f in enumerate(doc.figures):
            if kind == "key" and f.key is None:
                continue
            rid = f"{doc.sha1[:12]}#{i}" + ("" if kind == "found" else ":key")
            marks = ([pytest.mark.xfail(strict=True, reason=XFAIL[rid])] if rid in XFAIL else [])
            rows.append(pytest.param(doc.sha1[:12], i, id=f"{rid} {f.surface}", marks=marks))
    return rows


@pytest.mark.parametrize(("sha", "index"), _rows("found"))
def test_real_figure_found(sha: str, index: int) -> None:
    result = _result(sha)
    if result is None:
        pytest.skip("page text not in the local cache (python -m jixiao.extract.realset missing)")
    assert result.found[index]


@pytest.mark.parametrize(("sha", "index"), _rows("key"))
def test_real_figure_keyed(sha: str, index: int) -> None:
    result = _result(sha)
    if result is None:
        pytest.skip("page text not in the local cache (python -m jixiao.extract.realset missing)")
    assert result.found[index]
    gold = result.doc.figures[index]
    assert result.matched[index].key == gold.key


def test_xfail_rows_name_annotated_figures() -> None:
    known = {f"{d.sha1[:12]}#{i}" for d in DOCS for i in range(len(d.figures))}
    for row in XFAIL:
        assert row.removesuffix(":key") in known, row
