"""spaCy parts of the jixiao pipeline: the segmenter, the vocabulary patterns, the figures
and attribution components, and every custom attribute they set.

The pipeline (see :data:`jixiao.extract.nlp.NLP_CONFIG`) runs, in order:

* the tokenizer ``jixiao.JiebaTokenizer.v1``: jieba (jieba-rs, through ``rjieba``) with
  the domain dictionary ``data/userdict.txt``, so 事前绩效评估, 财政部门 or 重点项目 are one
  token each (``segmenter = "char"`` gives one token per character instead);
* seven ``span_ruler`` components whose patterns come from ``data/attribution.yaml``
  (:func:`vocabulary_patterns`): ``doc.spans["cues"]`` (stage words, label = stage),
  ``["nouns"]`` (counted nouns), ``["subjects"]`` (a budget report's revenue and
  spending items), ``["grades"]``, ``["evaluators"]``, ``["fields"]`` and
  ``["frames"]`` (frame verbs). A span's ``id_`` is the row of its table;
* ``jixiao_figures``: ``doc.spans["figures"]``, one span per figure found by
  :mod:`~jixiao.extract.quantities` (numbers are read on the characters, where a regular
  expression is the right tool: jieba may glue a number to the next word, 20万以下);
* ``jixiao_attribution``: ``Span._.key``, ``_.qualifiers``, ``_.confidence`` and
  ``_.candidates`` of every figure, read from those spans by
  :func:`~jixiao.extract.attribution.attribute_doc`.

Extensions, all registered here: ``Doc._.context`` (the paragraph's
:class:`~jixiao.extract.attribution.Context`, set by the caller), ``Doc._.quantities``
(figures already found by the caller), and on figure spans ``_.quantity``, ``_.key``,
``_.measure``, ``_.qualifiers``, ``_.confidence``, ``_.candidates``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import srsly
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import DummyTokenizer, get_words_and_spaces, registry
from spacy.vocab import Vocab

from jixiao.extract.attribution import Context, attribute_doc
from jixiao.extract.quantities import find_quantities
from jixiao.extract.resources import data_path

FIGURES = "figures"
# The span_ruler components of NLP_CONFIG, each writing doc.spans[<its name>].
VOCABULARY = ("cues", "nouns", "subjects", "grades", "evaluators", "fields", "frames")
# Vocabulary whose rows may name heads: a jixiao_head_ruler <key>_heads follows the ruler.
HEADED = ("cues", "nouns", "subjects")

for _name in ("context", "quantities"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)
for _name in ("quantity", "key", "measure", "qualifiers", "confidence", "candidates"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)


# ----------------------------------------------------------------------------- segmenter


def read_userdict(path: Path) -> list[tuple[str, int | None, str | None]]:
    """Entries of a jieba user dictionary file."""
    return parse_userdict(path.read_text(encoding="utf-8"))


def parse_userdict(text: str) -> list[tuple[str, int | None, str | None]]:
    """Entries of a jieba user dictionary: ``word [freq] [tag]`` per line."""
    entries: list[tuple[str, int | None, str | None]] = []
    for line in text.splitlines():
        parts = line.split()
        if not parts:
            continue
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        tag = parts[-1] if len(parts) > 1 and not parts[-1].isdigit() else None
        entries.append((parts[0], freq, tag))
    return entries


_SEGMENTERS: dict[tuple[tuple[str, int | None, str | None], ...], Any] = {}


def _segmenter_for(userdict: tuple[tuple[str, int | None, str | None], ...]) -> Any:
    """jieba's ``cut`` with ``userdict`` added. Importing rjieba builds its default
    segmenter (the dictionary, 0.1–0.2 s); the first user dictionary goes into that one,
    as ``jieba.load_userdict`` does, and only another dictionary builds another."""
    import rjieba

    if userdict not in _SEGMENTERS:
        if not _SEGMENTERS:
            seg = rjieba  # the module's own segmenter, through its public functions
        else:
            seg = rjieba.Jieba()
        for word, freq, tag in userdict:
            seg.add_word(word, freq, tag)
        _SEGMENTERS[userdict] = seg.cut
    return _SEGMENTERS[userdict]


class JiebaTokenizer(DummyTokenizer):
    """jieba segmentation with the domain dictionary, as spaCy's ``ChineseTokenizer`` does
    it for Python jieba, but through jieba-rs (``rjieba``): the same dictionary and the
    same algorithm, loaded in a tenth of the time and without touching jieba's globals.

    The user dictionary travels with the serialised pipeline (``to_disk``/``from_disk``).
    """

    def __init__(self, vocab: Vocab, segmenter: str = "jieba",
                 userdict: list[tuple[str, int | None, str | None]] | None = None) -> None:
        if segmenter not in ("jieba", "char"):
            raise ValueError(f"unknown segmenter {segmenter!r} (jieba or char)")
        self.vocab = vocab
        self.segmenter = segmenter
        self.userdict = list(userdict or [])
        self._jieba: Any = None

    def _segmenter(self) -> Any:
        if self._jieba is None:
            self._jieba = _segmenter_for(tuple(self.userdict))
        return self._jieba

    def __call__(self, text: str) -> Doc:
        if self.segmenter == "char":
            words = list(text)
        else:
            words = [w for w in self._segmenter()(text) if w]
        words, spaces = get_words_and_spaces(words, text)
        return Doc(self.vocab, words=words, spaces=spaces)

    def to_bytes(self, **kwargs: Any) -> bytes:
        return "\n".join(" ".join(str(x) for x in e if x is not None)
                         for e in self.userdict).encode("utf-8")

    def from_bytes(self, data: bytes, **kwargs: Any) -> JiebaTokenizer:
        self.userdict = parse_userdict(data.decode("utf-8"))
        self._jieba = None
        return self

    def to_disk(self, path: str | Path, **kwargs: Any) -> None:
        Path(path).write_bytes(self.to_bytes())

    def from_disk(self, path: str | Path, **kwargs: Any) -> JiebaTokenizer:
        return self.from_bytes(Path(path).read_bytes())


@registry.tokenizers("jixiao.JiebaTokenizer.v1")
def create_tokenizer(segmenter: str = "jieba", userdict: str = "userdict.txt") -> Any:
    """The segmenter of the pipeline; ``userdict`` names a file of ``extract/data``."""
    entries = read_userdict(data_path(userdict)) if userdict else []

    def make(nlp: Language) -> JiebaTokenizer:
        return JiebaTokenizer(nlp.vocab, segmenter, entries)

    return make


# ----------------------------------------------------------------------------- patterns


class HeadRuler:
    """Spans of the tokens that end with a head word: Chinese compounds are head-final, so
    绩效运行监控 is a 监控 and 预算单位 a 单位, while 项目支出 is no 项目. Patterns are
    ``{"label", "id", "head"}``; the spans are added to ``doc.spans[spans_key]`` after those
    a span_ruler put there. (A span_ruler token pattern with a REGEX predicate does the
    same ten times slower.)"""

    def __init__(self, name: str, spans_key: str) -> None:
        self.name = name
        self.spans_key = spans_key
        self.patterns: list[dict[str, str]] = []
        self._heads: tuple[str, ...] = ()

    def add_patterns(self, patterns: list[dict[str, str]]) -> None:
        self.patterns += patterns
        self._heads = tuple(sorted({p["head"] for p in self.patterns}, key=len, reverse=True))

    def clear(self) -> None:
        self.patterns, self._heads = [], ()

    def __call__(self, doc: Doc) -> Doc:
        found = list(doc.spans[self.spans_key]) if self.spans_key in doc.spans else []
        for tok in doc:
            if tok.text.endswith(self._heads):
                for p in self.patterns:
                    if tok.text.endswith(p["head"]) and len(tok.text) >= len(p["head"]):
                        found.append(Span(doc, tok.i, tok.i + 1, label=p["label"],
                                          span_id=p["id"]))
        doc.spans[self.spans_key] = found
        return doc

    def to_disk(self, path: str | Path, exclude: Any = ()) -> None:
        Path(path).mkdir(parents=True, exist_ok=True)
        srsly.write_jsonl(Path(path) / "patterns.jsonl", self.patterns)

    def from_disk(self, path: str | Path, exclude: Any = ()) -> HeadRuler:
        self.clear()
        self.add_patterns(list(srsly.read_jsonl(Path(path) / "patterns.jsonl")))
        return self


@Language.factory("jixiao_head_ruler", default_config={"spans_key": "cues"})
def create_head_ruler(nlp: Language, name: str, spans_key: str) -> HeadRuler:
    return HeadRuler(name, spans_key)


def _word_patterns(label: str, row: int, spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Phrase patterns (span_ruler) for the ``words`` of a row of the data."""
    return [{"label": label, "id": str(row), "pattern": w} for w in spec.get("words", ())]


def _head_patterns(label: str, row: int, spec: dict[str, Any]) -> list[dict[str, str]]:
    """Head patterns (jixiao_head_ruler) for the ``heads`` of a row of the data."""
    return [{"label": label, "id": str(row), "head": h} for h in spec.get("heads", ())]


def vocabulary_patterns(data: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The patterns of each vocabulary component (span_ruler ``cues``, head ruler
    ``cue_heads`` …), from ``attribution.yaml``."""
    patterns: dict[str, list[dict[str, Any]]] = {name: [] for name in VOCABULARY}
    patterns |= {f"{key}_heads": [] for key in HEADED}
    tables = {"cues": ("topics", "stage"), "nouns": ("nouns", "noun"),
              "subjects": ("subjects", "subject"),
              "evaluators": ("evaluators", "evaluator"), "fields": ("fields", "field")}
    for key, (table, label) in tables.items():
        for i, row in enumerate(data[table]):
            patterns[key] += _word_patterns(row[label], i, row)
            if key in HEADED:
                patterns[f"{key}_heads"] += _head_patterns(row[label], i, row)
    for word, grade in data["grades"]["names"].items():
        patterns["grades"].append({"label": grade, "id": word, "pattern": word})
    patterns["frames"] += _word_patterns("frame", 0, {"words": data["frame_verbs"]})
    return patterns


def add_vocabulary(nlp: Language, data: dict[str, Any]) -> None:
    """Give each vocabulary component its patterns (when the pipeline is first built)."""
    for name, patterns in vocabulary_patterns(data).items():
        ruler = nlp.get_pipe(name)
        ruler.clear()
        ruler.add_patterns(patterns)


# ----------------------------------------------------------------------------- components


@Language.component("jixiao_figures")
def find_figures(doc: Doc) -> Doc:
    """Put every figure of the text on ``doc.spans["figures"]``."""
    spans = []
    found = doc._.quantities if doc._.quantities is not None else find_quantities(doc.text)
    for i, q in enumerate(found, start=1):
        # span_id keeps two figures inside one token (一人共三人) apart: extension values
        # are stored per (characters, label, span_id).
        span = doc.char_span(q.start, q.end, label="FIGURE", alignment_mode="expand",
                             span_id=i)
        if span is None:
            continue
        span._.quantity = q
        spans.append(span)
    doc.spans[FIGURES] = spans
    return doc


@Language.component("jixiao_attribution")
def attribute_figures(doc: Doc) -> Doc:
    """Give each figure its catalog key, qualifiers, confidence and candidate keys."""
    spans = list(doc.spans.get(FIGURES, []))
    ctx = doc._.context or Context()
    results = attribute_doc(doc, [s._.quantity for s in spans], ctx)
    for span, result in zip(spans, results, strict=True):
        span._.key = result.key
        span._.measure = result.measure
        span._.qualifiers = result.qualifiers
        span._.confidence = result.confidence
        span._.candidates = result.candidates
    return doc
