"""spaCy components of the jixiao pipeline and every custom attribute they set.

All ``Doc._``/``Span._`` extensions are registered here, in one place, so a reader of a
``Doc`` knows where its attributes come from:

* ``Doc._.context`` — the :class:`~jixiao.extract.attribution.Context` of the paragraph
  (section stages, heading year, report year), set by the caller before the components run;
* ``Doc._.quantities`` — the figures of the text when the caller has found them already
  (otherwise ``jixiao_figures`` finds them);
* ``doc.spans["figures"]`` — one span per figure, with ``Span._.quantity`` (the
  :class:`~jixiao.extract.quantities.Quantity`, exact offsets in ``doc.text``),
  ``Span._.key`` and ``Span._.qualifiers`` (set by ``jixiao_attribution``).

Figures are found on the characters, not the tokens: jieba may glue a number to the next
word (20万以下), so the span is aligned to tokens by expansion while the quantity keeps the
exact character offsets.
"""

from __future__ import annotations

from jixiao.extract.nlp import import_spacy

import_spacy()  # spaCy with its unused CLI deferred: a third of its import time

from spacy.language import Language  # noqa: E402
from spacy.tokens import Doc, Span  # noqa: E402

from jixiao.extract.attribution import Context, attribute  # noqa: E402
from jixiao.extract.quantities import find_quantities  # noqa: E402

FIGURES = "figures"

for _name in ("context", "quantities"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)
for _name in ("quantity", "key", "measure", "qualifiers"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)


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
    """Give each figure its catalog key and qualifiers."""
    spans = list(doc.spans.get(FIGURES, []))
    ctx = doc._.context or Context()
    results = attribute(doc.text, [s._.quantity for s in spans], ctx)
    for span, result in zip(spans, results, strict=True):
        span._.key = result.key
        span._.measure = result.measure
        span._.qualifiers = result.qualifiers
    return doc
