"""Run the doctests of every module that carries examples in its docstrings."""

import doctest
import importlib
import pkgutil

import pytest

import jixiao


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
    try:
        module = importlib.import_module(name)
    except ImportError as exc:  # optional extras (OCR) may be absent
        pytest.skip(f"{name}: {exc}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
