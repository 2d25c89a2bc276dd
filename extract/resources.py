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
    """A YAML data file, parsed once per process."""
    with data_path(name, package).open(encoding="utf-8") as fh:
        return yaml.load(fh, Loader=SafeLoader)


def load_data(name: str, package: str = "jixiao.extract") -> Any:
    """A data file checked against its schema (see :mod:`jixiao.extract.schemas`)."""
    return load_yaml(name, package)
