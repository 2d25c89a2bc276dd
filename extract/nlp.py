"""The spaCy pipeline: blank Chinese with the jieba segmenter and jixiao's two components.

Built once per process from :data:`NLP_CONFIG` and reused for every document. jieba's
prefix dictionary is what makes a cold start slow (it unmarshals half a million entries);
we keep a pickled copy in the user cache, which loads three times faster, and add the
domain terms of ``data/userdict.txt`` so tokens follow the domain (绩效目标, 事前绩效评估 …).
The components (figures, attribution) are defined in :mod:`jixiao.extract.components`.
"""

from __future__ import annotations

import gc
import hashlib
import importlib
import logging
import os
import pickle
import sys
import types
from functools import cache
from pathlib import Path
from typing import Any

from jixiao.extract.resources import data_path

NLP_CONFIG = """
[nlp]
lang = "zh"
pipeline = ["jixiao_figures", "jixiao_attribution"]

[nlp.tokenizer]
@tokenizers = "spacy.zh.ChineseTokenizer"
segmenter = "jieba"

[components]

[components.jixiao_figures]
factory = "jixiao_figures"

[components.jixiao_attribution]
factory = "jixiao_attribution"
"""

USER_DICT = "userdict.txt"


def cache_dir() -> Path:
    """Where jixiao keeps derived data (jieba dictionary, OCR results)."""
    override = os.environ.get("JIXIAO_CACHE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("jixiao"))


def _import_jieba() -> Any:
    """Import jieba without ``pkg_resources``.

    jieba imports ``pkg_resources`` only to open its own dictionary file and falls back to
    a plain ``open`` without it; that import alone is 0.17 s of every cold start.
    """
    if "jieba" in sys.modules:
        return sys.modules["jieba"]
    blocked = "pkg_resources" not in sys.modules
    if blocked:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]  (ImportError)
    try:
        return importlib.import_module("jieba")
    finally:
        if blocked and sys.modules.get("pkg_resources", 0) is None:
            del sys.modules["pkg_resources"]


def init_jieba() -> Any:
    """Initialise jieba's default tokenizer quickly and add the domain dictionary."""
    jieba = _import_jieba()

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.dt
    if not tokenizer.initialized:
        source = Path(jieba.__file__).with_name("dict.txt")
        stamp = hashlib.sha1(f"{source.stat().st_size}:{jieba.__version__}".encode()).hexdigest()
        cached = cache_dir() / f"jieba-{stamp[:12]}.pickle"
        loaded = False
        if cached.exists():
            gc.disable()  # half a million small objects: the collector only slows loading
            try:
                with cached.open("rb") as fh:
                    tokenizer.FREQ, tokenizer.total = pickle.load(fh)
                tokenizer.initialized = loaded = True
            except (OSError, pickle.UnpicklingError, ValueError, EOFError):
                loaded = False
            finally:
                gc.enable()
        if not loaded:
            tokenizer.initialize()
            try:
                cached.parent.mkdir(parents=True, exist_ok=True)
                tmp = cached.with_suffix(".tmp")
                with tmp.open("wb") as fh:
                    pickle.dump((tokenizer.FREQ, tokenizer.total), fh, protocol=5)
                tmp.replace(cached)
            except OSError:
                pass  # a read-only cache only costs speed
        tokenizer.load_userdict(str(data_path(USER_DICT)))
    return jieba


class _DeferredSpacyCli(types.ModuleType):
    """Stand-in for ``spacy.cli`` until something actually uses spaCy's command line.

    ``import spacy`` imports its whole CLI (requests, typer, the download machinery) only
    to re-export ``spacy.info``; jixiao never uses it, and it is a third of spaCy's import
    time, which every ``jixiao extract`` pays at a cold start. Any attribute access loads
    the real module, so nothing that does use the CLI sees a difference.
    """

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)  # the import system probing, not a user
        return getattr(_real_spacy_cli(), name)


def _real_spacy_cli() -> types.ModuleType:
    for name in ("spacy.cli.info", "spacy.cli"):
        if isinstance(sys.modules.get(name), _DeferredSpacyCli):
            del sys.modules[name]
    real = importlib.import_module("spacy.cli")
    spacy = sys.modules.get("spacy")
    if spacy is not None:
        spacy.cli = real  # type: ignore[attr-defined]
    return real


def import_spacy() -> None:
    """Import spaCy with its CLI deferred (see :class:`_DeferredSpacyCli`)."""
    if "spacy" in sys.modules:
        return
    cli = _DeferredSpacyCli("spacy.cli")
    info = _DeferredSpacyCli("spacy.cli.info")
    info.info = lambda *args, **kwargs: _real_spacy_cli().info(*args, **kwargs)  # type: ignore[attr-defined]
    cli.info = info  # type: ignore[attr-defined]
    sys.modules.setdefault("spacy.cli", cli)
    sys.modules.setdefault("spacy.cli.info", info)
    spacy = importlib.import_module("spacy")
    if not hasattr(spacy, "cli"):
        spacy.cli = sys.modules["spacy.cli"]


@cache
def get_nlp() -> Any:
    """The shared pipeline (built on first use)."""
    init_jieba()
    import_spacy()
    from spacy.util import load_config_from_str, load_model_from_config

    import jixiao.extract.components  # noqa: F401  (registers the factories)

    return load_model_from_config(load_config_from_str(NLP_CONFIG), auto_fill=True)
