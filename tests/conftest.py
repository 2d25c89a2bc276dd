"""Shared fixtures: the corpus of real reports lives beside the repository in ../shared."""

from __future__ import annotations

from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
STEMS = {
    "001": "001_16794bffd2751457",
    "002": "002_14d9c8f6bc945b17",
    "003": "003_9838b6f1644cf041",
    "004": "004_c8ea8cb1556f9aed",
}


def corpus_file(report: str, suffix: str) -> Path:
    """Path of a corpus rendition, e.g. ``corpus_file("003", ".docx")``; skips if absent."""
    path = CORPUS / f"{STEMS[report]}{suffix}"
    if not path.exists():
        pytest.skip(f"corpus file missing: {path}")
    return path


@pytest.fixture(scope="session")
def read_cached():
    """Read each corpus file once per test session."""
    from jixiao.api import read_document

    cache: dict[Path, object] = {}

    def read(report: str, suffix: str):
        path = corpus_file(report, suffix)
        if path not in cache:
            cache[path] = read_document(path)
        return cache[path]

    return read
