"""Run the doctests of every module that carries examples in its docstrings."""

import doctest
import importlib
import pkgutil

import pytest

import jixiao

from .conftest import require

# Modules whose examples run the OCR extra's libraries (opencv through rapidocr).
NEEDS_OCR = ("jixiao.extract.readers.grid", "jixiao.extract.readers.ocr")


def _modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(jixiao.__path__, "jixiao."):
        # migrations run only inside Alembic (store/db.py:upgrade)
        if ".tests" in info.name or info.name.startswith(
                ("jixiao.bench", "jixiao.corpus", "jixiao.store.migrations")):
            continue
        names.append(info.name)
    return names


@pytest.mark.parametrize("name", _modules())
def test_doctests(name: str) -> None:
    if name in NEEDS_OCR:
        from jixiao.extract.readers.ocr import ocr_available

        if not ocr_available():
            require("ocr", f"{name}: OCR extra not installed: pip install 'jixiao[ocr]'")
    try:
        module = importlib.import_module(name)
    except ImportError as exc:  # optional extras (OCR) may be absent
        require("ocr", f"{name}: {exc}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
