"""A spaCy NER fine-tuned from the shipped English pipeline onto a project's own entity types.

Two starts are possible (``settings["head"]``):
- ``"fresh"`` (default): a new NER head that knows only the project's labels, whose token
  encoder (``tok2vec``) and state layer (``lower``) are copied from the shipped model's ``ner``.
  The shipped model's knowledge of what a name looks like is kept; its OntoNotes label set,
  which splits news entities differently (a team named after its city is a GPE there), is not.
- ``"shipped"``: the shipped ``ner`` itself with the project's labels added; its OntoNotes
  labels are unlearned as the gold marks those tokens as outside any entity, and are never
  predicted. Measured against ``"fresh"`` by ``python -m benchmarks.learning``.

Training runs on the CPU, bounded by ``epochs`` and ``max_seconds``. spaCy is imported on use.
Scores: spaCy's greedy NER gives no per-span probability, so a span's score is the precision of
its label, measured on the training examples after training (optimistic) until ``calibrate``
gives it held-out figures.
"""

from __future__ import annotations

import random
import time
import warnings
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from ..predictors.spacy_ner import EXCLUDED_COMPONENTS, MODEL_PACKAGE
from .metrics import Span, span_scores

if TYPE_CHECKING:
    from spacy.language import Language

NerExample = tuple[str, Sequence[Span]]
ScoredSpan = tuple[int, int, str, float]

DEFAULT_SETTINGS = {
    "head": "fresh",
    "epochs": 12,
    # Under the 3-minute budget for 200 documents on a loaded 2-core machine.
    "max_seconds": 150.0,
    "dropout": 0.2,
    "batch_start": 4,
    "batch_stop": 32,
    # Only spans of the training set: scoring 200 documents takes seconds, more adds nothing.
    "score_items": 200,
}
FORMAT = "newsroom-ner/1"
# The score of a label with no measured precision: neither trusted nor dismissed.
UNSCORED = 0.5
# Scores never claim certainty: a label perfect on its training examples is still wrong at times.
MAX_SCORE = 0.95


class NerModel:
    """A trained entity recogniser for a project's entity ``labels``."""

    def __init__(self, nlp: Language, labels: Sequence[str], settings: dict, label_scores: dict[str, float]):
        self.nlp = nlp
        self.labels = list(labels)
        self.settings = settings
        self.label_scores = label_scores

    @classmethod
    def train(cls, examples: Sequence[NerExample], labels: Sequence[str], seed: int = 0,
              settings: dict | None = None) -> NerModel:
        """Fine-tune on ``examples`` (text, character spans in ``labels``); deterministic for a seed."""
        import spacy

        if not examples:
            raise ValueError("no training examples")
        settings = {**DEFAULT_SETTINGS, **(settings or {})}
        spacy.util.fix_random_seed(seed)
        nlp, shipped_ner = _start_pipeline(labels, head=settings["head"])
        train_examples = _spacy_examples(nlp, examples, labels)
        _fit(nlp, train_examples, settings, seed=seed, encoder_from=shipped_ner)
        model = cls(nlp, labels, settings, {})
        model.label_scores = model._precision_on(examples[: settings["score_items"]])
        return model

    def predict(self, texts: Sequence[str]) -> list[list[ScoredSpan]]:
        """Spans per text as (start, end, label, score), only of the project's labels."""
        wanted = set(self.labels)
        results = []
        for doc in self.nlp.pipe(texts, batch_size=32):
            results.append([(ent.start_char, ent.end_char, ent.label_, self.label_scores.get(ent.label_, UNSCORED))
                            for ent in doc.ents if ent.label_ in wanted])
        return results

    def evaluate(self, examples: Sequence[NerExample]) -> dict:
        """Exact-span P/R/F1 per label and pooled, on ``examples`` (held-out gold)."""
        predicted = self.predict([text for text, _ in examples])
        return span_scores([spans for _, spans in examples],
                           [[span[:3] for span in spans] for spans in predicted], self.labels)

    def calibrate(self, evaluation: dict) -> None:
        """Take span scores from an ``evaluate`` result on held-out gold: each label's precision."""
        self.label_scores = {label: min(figures["p"], MAX_SCORE)
                             for label, figures in evaluation["per_label"].items()}

    def to_bytes(self) -> bytes:
        """The pipeline's config and weights, labels, settings and scores in one msgpack blob."""
        import srsly

        return srsly.msgpack_dumps({"format": FORMAT, "config": self.nlp.config.to_str(),
                                    "weights": self.nlp.to_bytes(), "labels": self.labels,
                                    "settings": self.settings, "label_scores": self.label_scores})

    @classmethod
    def from_bytes(cls, data: bytes) -> NerModel:
        import spacy
        import srsly
        from thinc.api import Config

        payload = srsly.msgpack_loads(data)
        if payload.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} artifact")
        config = Config().from_str(payload["config"])
        nlp = spacy.util.get_lang_class(config["nlp"]["lang"]).from_config(config)
        nlp.from_bytes(payload["weights"])
        return cls(nlp, payload["labels"], payload["settings"], payload["label_scores"])

    def _precision_on(self, examples: Sequence[NerExample]) -> dict[str, float]:
        if not examples:
            return {}
        per_label = self.evaluate(examples)["per_label"]
        # A label never predicted has no precision to speak of: it keeps the neutral default.
        return {label: min(figures["p"], MAX_SCORE) for label, figures in per_label.items() if figures["p"] > 0}


def _start_pipeline(labels: Iterable[str], *, head: str) -> tuple[Language, object | None]:
    """The shipped tokenizer and vocabulary with either a fresh NER head (returned with the
    shipped ``ner`` whose encoder it will copy) or the shipped head (and None)."""
    import spacy

    nlp = spacy.load(MODEL_PACKAGE, exclude=list(EXCLUDED_COMPONENTS))
    shipped = None
    if head == "shipped":
        ner = nlp.get_pipe("ner")
    elif head == "fresh":
        model_config = nlp.config["components"]["ner"]["model"]
        _, shipped = nlp.remove_pipe("ner")
        ner = nlp.add_pipe("ner", config={"model": model_config})
    else:
        raise ValueError(f'settings "head" must be "fresh" or "shipped", got {head!r}')
    for label in labels:
        ner.add_label(label)
    return nlp, shipped


def _spacy_examples(nlp: Language, examples: Sequence[NerExample], labels: Sequence[str]) -> list:
    """spaCy Examples; spans of other labels are dropped, spans not on token boundaries left
    unknown (neither entity nor outside) rather than moved."""
    from spacy.training import Example

    wanted = set(labels)
    result = []
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r".*\[W030\]")
        for text, spans in examples:
            entities = _without_overlaps([(s, e, label) for s, e, label in spans if label in wanted])
            result.append(Example.from_dict(nlp.make_doc(text), {"entities": entities}))
    return result


def _without_overlaps(spans: list[Span]) -> list[Span]:
    """The longest of overlapping spans, as NER cannot nest."""
    kept: list[Span] = []
    for span in sorted(spans, key=lambda s: (-(s[1] - s[0]), s[0])):
        if all(span[1] <= other[0] or other[1] <= span[0] for other in kept):
            kept.append(span)
    return sorted(kept)


def _fit(nlp: Language, examples: list, settings: dict, *, seed: int, encoder_from) -> None:
    """Minibatch training for up to ``epochs`` passes, stopping once ``max_seconds`` have gone.
    With ``encoder_from`` (the shipped ``ner``), the new head is initialised, then its encoder
    and state layer take that component's weights."""
    from spacy.util import compounding, minibatch

    if encoder_from is not None:
        # The component alone: nlp.initialize would rebuild the shipped vocabulary's lookups.
        nlp.get_pipe("ner").initialize(lambda: examples, nlp=nlp)
        optimizer = nlp.create_optimizer()
        for layer in ("tok2vec", "lower"):
            nlp.get_pipe("ner").model.get_ref(layer).from_bytes(encoder_from.model.get_ref(layer).to_bytes())
    else:
        optimizer = nlp.resume_training()
    order = random.Random(seed)
    started = time.monotonic()
    for _ in range(settings["epochs"]):
        shuffled = list(examples)
        order.shuffle(shuffled)
        sizes = compounding(settings["batch_start"], settings["batch_stop"], 1.001)
        for batch in minibatch(shuffled, size=sizes):
            nlp.update(batch, drop=settings["dropout"], sgd=optimizer)
            if time.monotonic() - started > settings["max_seconds"]:
                return
