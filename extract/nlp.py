"""The spaCy pipeline: blank Chinese with the jieba segmenter and a rule component.

Built once per process from :data:`NLP_CONFIG` and reused for every document. jieba's
prefix dictionary is what makes a cold start slow (it unmarshals half a million entries);
we keep a pickled copy in the user cache, which loads three times faster, and add the
domain terms of ``data/userdict.txt`` so tokens follow the domain (绩效目标, 事前绩效评估 …).
"""

from __future__ import annotations

import gc
import hashlib
import logging
import os
import pickle
from functools import cache
from pathlib import Path
from typing import Any

from jixiao.extract.resources import data_path

NLP_CONFIG = """
[nlp]
lang = "zh"
pipeline = ["cue_ruler"]

[nlp.tokenizer]
@tokenizers = "spacy.zh.ChineseTokenizer"
segmenter = "jieba"

[components]

[components.cue_ruler]
factory = "span_ruler"
spans_key = "cues"
validate = true
overwrite = false
"""

CUE_PATTERNS = "cues.jsonl"
USER_DICT = "userdict.txt"


def cache_dir() -> Path:
    """Where jixiao keeps derived data (jieba dictionary, OCR results)."""
    override = os.environ.get("JIXIAO_CACHE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("jixiao"))


def init_jieba() -> Any:
    """Initialise jieba's default tokenizer quickly and add the domain dictionary."""
    import jieba

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


def load_patterns() -> list[dict[str, Any]]:
    """The SpanRuler patterns of ``data/cues.jsonl``."""
    import json

    with data_path(CUE_PATTERNS).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip() and not line.startswith("//")]


@cache
def get_nlp() -> Any:
    """The shared pipeline (built on first use)."""
    init_jieba()
    from spacy.util import load_config_from_str, load_model_from_config

    nlp = load_model_from_config(load_config_from_str(NLP_CONFIG), auto_fill=True)
    nlp.get_pipe("cue_ruler").add_patterns(load_patterns())
    return nlp
