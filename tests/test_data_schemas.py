"""The rule and vocabulary files follow their schemas: a misspelt or unknown field is an
error at load, one line naming the file and the field (it used to change a key silently)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml

from jixiao.errors import JixiaoError
from jixiao.extract.resources import data_path, load_data
from jixiao.extract.schemas import DataFileError, validate

FILES = [("attribution.yaml", "jixiao.extract"), ("catalog.yaml", "jixiao.extract"),
         ("stages.yaml", "jixiao.extract"), ("relations.yaml", "jixiao.check")]


def _raw(name: str, package: str) -> Any:
    with data_path(name, package).open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@pytest.mark.parametrize(("name", "package"), FILES)
def test_shipped_files_follow_their_schema(name: str, package: str) -> None:
    assert load_data(name, package)


def _error(name: str, package: str, change) -> str:
    data = copy.deepcopy(_raw(name, package))
    change(data)
    with pytest.raises(DataFileError) as info:
        validate(name, package, data)
    assert isinstance(info.value, JixiaoError)  # the CLI prints it as one line, exit 2
    message = str(info.value)
    assert "\n" not in message
    return message


def _index(rows: list[dict], field: str) -> int:
    return next(i for i, row in enumerate(rows) if field in row)


def test_misspelt_measure_condition_names_file_and_field() -> None:
    data = _raw("attribution.yaml", "jixiao.extract")
    i = _index(data["measures"], "clause")

    def misspell(d: dict) -> None:
        d["measures"][i]["clasue"] = d["measures"][i].pop("clause")

    message = _error("attribution.yaml", "jixiao.extract", misspell)
    assert message.startswith("extract/data/attribution.yaml: ")
    assert f"measures[{i}].clasue" in message and "不是已知字段" in message


def test_missing_and_mistyped_fields() -> None:
    message = _error("attribution.yaml", "jixiao.extract", lambda d: d["topics"][0].pop("stage"))
    assert "topics[0].stage" in message and "缺失" in message
    message = _error("attribution.yaml", "jixiao.extract",
                     lambda d: d["measures"][0].update(kind="monies"))
    assert "measures[0].kind" in message


def test_a_pattern_that_does_not_compile_is_named() -> None:
    message = _error("attribution.yaml", "jixiao.extract",
                     lambda d: d["measures"][_index(d["measures"], "before")].update(before="(预算"))
    assert ".before" in message and "正则表达式" in message


def test_catalog_role_and_unknown_field() -> None:
    assert "indicators[0].role" in _error("catalog.yaml", "jixiao.extract",
                                           lambda d: d["indicators"][0].update(role="figures"))
    assert "indicators[1].lable" in _error("catalog.yaml", "jixiao.extract",
                                            lambda d: d["indicators"][1].update(lable="x"))


def test_relations_name_fields_and_catalog_keys() -> None:
    message = _error("relations.yaml", "jixiao.check",
                     lambda d: d["rates"][0].update(numerater=d["rates"][0].pop("numerator")))
    assert message.startswith("check/data/relations.yaml: ") and "rates[0].numerater" in message
    message = _error("relations.yaml", "jixiao.check",
                     lambda d: d["shares"][0].update(part="evaluation.grade_counts"))
    assert "shares[0].part" in message and "evaluation.grade_counts" in message


def test_stages_file_is_checked() -> None:
    assert "stages[0].patern" in _error("stages.yaml", "jixiao.extract",
                                         lambda d: d["stages"][0].update(patern="x"))
