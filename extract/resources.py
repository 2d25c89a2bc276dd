"""Access to the data files under ``extract/data`` (catalog, patterns, dictionary)."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml


def data_path(name: str) -> Path:
    """Filesystem path of a data file shipped with the package."""
    return Path(str(resources.files("jixiao.extract").joinpath("data", name)))


# libyaml's loader parses the data files several times faster than the pure-Python one.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def load_yaml(name: str) -> Any:
    with data_path(name).open(encoding="utf-8") as fh:
        return yaml.load(fh, Loader=SafeLoader)
