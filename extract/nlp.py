"""The spaCy pipeline: blank Chinese, jieba with the domain dictionary, the vocabulary
span rulers and jixiao's two components (see :mod:`jixiao.extract.components`).

The pipeline is defined by :data:`NLP_CONFIG`. The first time it is needed it is built
from that config, its span rulers get their patterns from ``data/attribution.yaml``, and
it is written with ``nlp.to_disk`` into the user cache folder under a name made from a
hash of the config, the data files and the library versions; later processes load it
with ``spacy.load`` (patterns included). spaCy and the segmenter are imported only here,
when a pipeline is asked for: ``jixiao --help`` or ``jixiao read`` never load them.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import sys
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from jixiao.extract.resources import data_path

NLP_CONFIG = """
[nlp]
lang = "zh"
pipeline = ["cues", "cues_heads", "nouns", "nouns_heads", "subjects", "subjects_heads", "grades", "evaluators", "fields", "frames", "jixiao_figures", "jixiao_attribution"]

[nlp.tokenizer]
@tokenizers = "jixiao.JiebaTokenizer.v1"
segmenter = "jieba"
userdict = "userdict.txt"

[components]

[components.cues]
factory = "span_ruler"
spans_key = "cues"

[components.cues_heads]
factory = "jixiao_head_ruler"
spans_key = "cues"

[components.nouns]
factory = "span_ruler"
spans_key = "nouns"

[components.nouns_heads]
factory = "jixiao_head_ruler"
spans_key = "nouns"

[components.subjects]
factory = "span_ruler"
spans_key = "subjects"

[components.subjects_heads]
factory = "jixiao_head_ruler"
spans_key = "subjects"

[components.grades]
factory = "span_ruler"
spans_key = "grades"

[components.evaluators]
factory = "span_ruler"
spans_key = "evaluators"

[components.fields]
factory = "span_ruler"
spans_key = "fields"

[components.frames]
factory = "span_ruler"
spans_key = "frames"

[components.jixiao_figures]
factory = "jixiao_figures"

[components.jixiao_attribution]
factory = "jixiao_attribution"
"""

# The data files the serialised pipeline is made from: a change to any of them rebuilds it.
PIPELINE_DATA = ("attribution.yaml", "userdict.txt")
# Bump when the way patterns are made from the data changes (components.py).
PATTERN_VERSION = "2"
_KEY_LENGTH = 16  # hex digits of the pipeline key


def cache_dir() -> Path:
    """Where jixiao keeps derived data (the serialised pipeline, OCR results)."""
    override = os.environ.get("JIXIAO_CACHE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("jixiao"))


def _version(package: str) -> str:
    """A stamp of the installed ``package``: its version, or for an extension module
    without one, the size and time of its file (cheaper than reading the metadata)."""
    module = sys.modules.get(package)
    if module is not None and hasattr(module, "__version__"):
        return str(module.__version__)
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        return "none"
    folder = Path(spec.origin).parent
    stamps = sorted(f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}"
                    for p in folder.iterdir() if p.suffix in (".so", ".pyd", ".py"))
    return ";".join(stamps)


def pipeline_key(segmenter: str = "jieba") -> str:
    """Hash of everything the serialised pipeline depends on."""
    h = hashlib.sha256()
    for part in (NLP_CONFIG, segmenter, PATTERN_VERSION, _version("spacy"), _version("rjieba")):
        h.update(part.encode("utf-8") + b"\0")
    for name in PIPELINE_DATA:
        h.update(data_path(name).read_bytes() + b"\0")
    return h.hexdigest()[:_KEY_LENGTH]


def build_nlp(segmenter: str = "jieba") -> Any:
    """A new pipeline from :data:`NLP_CONFIG`, its span rulers filled from the data."""
    from spacy.util import load_config_from_str, load_model_from_config

    from jixiao.extract.attribution import vocabulary_data
    from jixiao.extract.components import add_vocabulary

    config = load_config_from_str(NLP_CONFIG)
    config["nlp"]["tokenizer"]["segmenter"] = segmenter
    nlp = load_model_from_config(config, auto_fill=True)
    add_vocabulary(nlp, vocabulary_data())
    return nlp


def _save(nlp: Any, target: Path) -> None:
    """Write the pipeline to ``target`` atomically (a half-written copy is never loaded)."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=target.name + ".", dir=target.parent))
        nlp.to_disk(tmp)
        try:
            tmp.rename(target)
        except OSError:  # another process got there first
            shutil.rmtree(tmp, ignore_errors=True)
        for old in target.parent.glob("pipeline-" + "?" * _KEY_LENGTH):
            if old != target and old.is_dir():  # built from data files changed since
                shutil.rmtree(old, ignore_errors=True)
    except OSError:
        pass  # a read-only cache only costs speed


def load_nlp(segmenter: str = "jieba") -> Any:
    """The pipeline from the cache folder, built and saved there first if missing."""
    import spacy

    import jixiao.extract.components  # noqa: F401  (registers the tokenizer and components)

    target = cache_dir() / f"pipeline-{pipeline_key(segmenter)}"
    if (target / "config.cfg").exists():
        try:
            return spacy.load(target)
        except (OSError, ValueError, KeyError):
            pass  # damaged: build again
    nlp = build_nlp(segmenter)
    _save(nlp, target)
    return nlp


@cache
def get_nlp() -> Any:
    """The shared pipeline (loaded on first use, once per process)."""
    return load_nlp()
