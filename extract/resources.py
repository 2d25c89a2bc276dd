"""Access to the data files shipped with the package (``extract/data``, ``check/data`` …)."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml


def data_path(name: str, package: str = "jixiao.extract") -> Path:
    """Filesystem path of a data file shipped in ``package``'s ``data`` folder."""
    return Path(str(resources.files(package).joinpath("data", name)))


# libyaml's loader parses the data files several times faster than the pure-Python one.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def load_yaml(name: str, package: str = "jixiao.extract") -> Any:
    """A YAML data file, parsed once per process and checked against its schema when it
    has one (:mod:`jixiao.extract.schemas`: a misspelt field is an error, not ignored)."""
    from jixiao.extract.schemas import validate

    with data_path(name, package).open(encoding="utf-8") as fh:
        data = yaml.load(fh, Loader=SafeLoader)
    return validate(name, package, data)


load_data = load_yaml  # the name callers use for rule files
