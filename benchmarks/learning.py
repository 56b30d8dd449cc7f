"""Entity, entity-sentiment and document-sentiment learning curves: the trained models against the shipped ones.

    python -m benchmarks.learning [--gold FILE] [--sizes 25,50,100,150,200] [--head fresh|shipped|both]
                                  [--parts entities,document] [--quick]

Gold: by default wire-copy stories from ``benchmarks.learning_news`` (PER/ORG/LOC/MISC entities,
teams named after cities as ORG, entity sentiment that differs within a sentence); or our JSONL
export (``.jsonl``: the gold spans and their sentiment) or a CoNLL-2003 file (entities only).
Split as the product splits gold: document number n (from 1) is held out when
``(n * 2654435761) % 2**32 % 5 == 0`` (``GoldSplit.for_item``), about 1 in 5.

For each training size, the first N training documents train a version; every figure is on
the same held-out documents: the shipped ``en_core_web_sm`` with its labels mapped onto
PER/ORG/LOC/MISC, the trained NER (exact-span P/R/F1), entity sentiment trained against the
sentence-VADER baseline (macro-F1 over the scale), and training times.

Document sentiment (``--parts document``) has gold of its own: financial wire stories from
``benchmarks.learning_finance`` (1,000, split the same way, about 200 held out), where tone words
often mislead; the trained ``sentiment`` kind's model against VADER's document sentiment mapped
onto the scale as pre-annotation maps it, and the majority class, on the same held-out stories.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from annotations.preannotation.learning.entity_sentiment import EntitySentimentModel, sentence_vader_labels
from annotations.preannotation.learning.metrics import label_scores, span_scores
from annotations.preannotation.learning.ner import NerModel

from .learning_finance import finance_corpus
from .learning_news import ENTITY_TYPES, SCALE, news_corpus

# The product's split (annotations.models.GoldSplit.for_item), copied so this runs without Django.
HELD_OUT_ONE_IN = 5
# Generated stories: enough for 200 training documents once about a fifth is held out.
DEFAULT_DOCUMENTS = 260
# Financial stories for document sentiment: cheap to train on, so a held-out set of about 200
# keeps the figures' sampling error near 0.03.
FINANCE_DOCUMENTS = 1000
QUICK_SIZES = "50,200"
# The shipped model's OntoNotes labels on a 4-type news schema (the best map, as in the issue).
SHIPPED_LABEL_MAP = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC", "NORP": "MISC",
                     "EVENT": "MISC", "PRODUCT": "MISC", "WORK_OF_ART": "MISC", "LAW": "MISC", "LANGUAGE": "MISC"}


def held_out(number: int) -> bool:
    return (number * 2654435761) % 2**32 % HELD_OUT_ONE_IN == 0


def load_gold(path: str | None) -> list[dict]:
    """Documents as {"text", "spans": [(start, end, label)], "targets": [((start, end), sentiment)]}."""
    if path is None:
        stories = news_corpus(DEFAULT_DOCUMENTS, held_out=held_out)
        return [{"text": d.text, "spans": d.spans, "targets": d.targets} for d in stories]
    from annotations.datasets.importers.conll import parse_conll
    from annotations.datasets.importers.newsroom import parse_newsroom

    data = Path(path).read_bytes()
    parse = parse_newsroom if path.endswith(".jsonl") else parse_conll
    documents = []
    for result in parse(data, Path(path).name):
        labels = getattr(result, "labels", None)
        if labels is None:
            continue  # an error, or a record without gold
        documents.append({"text": result.text, "spans": [(s.start, s.end, s.label) for s in labels.spans],
                          "targets": [((s.start, s.end), s.sentiment) for s in labels.spans if s.sentiment]})
    return documents


def shipped_spans(documents: list[dict], labels: list[str]) -> list[list]:
    """The shipped pipeline's spans mapped onto the schema."""
    from annotations.preannotation.predictors.spacy_ner import load_pipeline

    predicted = []
    for doc in load_pipeline().pipe([d["text"] for d in documents], batch_size=32):
        predicted.append([(e.start_char, e.end_char, SHIPPED_LABEL_MAP[e.label_]) for e in doc.ents
                          if SHIPPED_LABEL_MAP.get(e.label_) in labels])
    return predicted


def unseen_recall(train: list[dict], test: list[dict], predicted: list[list]) -> float:
    """Recall on the held-out mentions whose text no training document has as a mention: how
    well names are found that the model cannot have memorised."""
    seen = {d["text"][s:e] for d in train for s, e, _ in d["spans"]}
    hits = total = 0
    for document, spans in zip(test, predicted):
        found = {span[:3] for span in spans}
        for span in document["spans"]:
            if document["text"][span[0]:span[1]] not in seen:
                total += 1
                hits += span in found
    return hits / total if total else 0.0


def sentiment_examples(documents: list[dict]) -> list:
    return [(d["text"], target, label) for d in documents for target, label in d["targets"]]


def mixed_sentence_targets(documents: list[dict]) -> list:
    """The targets that share a sentence with a target of another gold label: where the
    sentence-level baseline must be wrong for at least one of them."""
    from annotations.preannotation.predictors.sentiment import sentence_bounds

    mixed = []
    for document in documents:
        for start, end in sentence_bounds(document["text"]):
            inside = [(target, label) for target, label in document["targets"] if start <= target[0] < end]
            if len({label for _, label in inside}) > 1:
                mixed.extend((document["text"], target, label) for target, label in inside)
    return mixed


def run(documents: list[dict], sizes: list[int], heads: list[str]) -> None:
    train = [d for n, d in enumerate(documents, start=1) if not held_out(n)]
    test = [d for n, d in enumerate(documents, start=1) if held_out(n)]
    labels = sorted({label for d in documents for _, _, label in d["spans"]})
    scale = SCALE if all(t[1] in SCALE for d in documents for t in d["targets"]) else sorted(
        {t[1] for d in documents for t in d["targets"]})
    if not test or not train:
        raise SystemExit(f"{len(documents)} documents leave {len(train)} to train on and {len(test)} held out: too few")
    test_ner = [(d["text"], d["spans"]) for d in test]
    test_targets = sentiment_examples(test)
    print(f"gold: {len(documents)} documents, {len(train)} train / {len(test)} held out; labels {labels}")
    shipped = None
    if set(labels) <= set(ENTITY_TYPES):
        shipped_predicted = shipped_spans(test, labels)
        shipped = span_scores([d["spans"] for d in test], shipped_predicted, labels)
        print("shipped en_core_web_sm (mapped): F1 %.3f P %.3f R %.3f; per label %s" % (
            shipped["micro"]["f1"], shipped["micro"]["p"], shipped["micro"]["r"],
            {k: v["f1"] for k, v in shipped["per_label"].items()}))
    mixed = mixed_sentence_targets(test)
    if test_targets:
        vader = _vader(test_targets, scale)
        print(f"sentence-VADER on {len(test_targets)} held-out targets: macro-F1 {vader['macro_f1']:.3f} "
              f"accuracy {vader['accuracy']:.3f}; on the {len(mixed)} targets sharing a sentence with another "
              f"label: macro-F1 {_vader(mixed, scale)['macro_f1']:.3f}")
    print("\n| docs | head | NER F1 shipped | NER F1 trained (P/R) | ORG F1 shipped / trained "
          "| recall on unseen names shipped / trained | NER train s "
          "| targets | ent. sentiment macro-F1 trained / VADER | the same on mixed sentences | sentiment train s |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for size in sizes:
        if size > len(train):
            print(f"(only {len(train)} training documents: {size} skipped)")
            continue
        part = train[:size]
        sentiment_row = _sentiment_row(part, test_targets, mixed, scale, vader if test_targets else None)
        for head in heads:
            started = time.monotonic()
            model = NerModel.train([(d["text"], d["spans"]) for d in part], labels, settings={"head": head})
            seconds = time.monotonic() - started
            predicted = model.predict([text for text, _ in test_ner])
            figures = span_scores([spans for _, spans in test_ner], [[s[:3] for s in p] for p in predicted], labels)
            org = (f"{shipped['per_label']['ORG']['f1']:.3f} / {figures['per_label']['ORG']['f1']:.3f}"
                   if shipped and "ORG" in labels else "-")
            unseen = (f"{unseen_recall(part, test, shipped_predicted):.2f} / "
                      f"{unseen_recall(part, test, predicted):.2f}" if shipped else "-")
            print(f"| {size} | {head} | {shipped['micro']['f1'] if shipped else '-'} | {figures['micro']['f1']:.3f} "
                  f"({figures['micro']['p']:.2f}/{figures['micro']['r']:.2f}) | {org} | {unseen} | {seconds:.0f} | "
                  + sentiment_row, flush=True)


def _vader(targets: list, scale: list[str]) -> dict:
    return label_scores([label for *_, label in targets],
                        sentence_vader_labels([(text, target) for text, target, _ in targets], scale), scale)


def _sentiment_row(part: list[dict], test_targets: list, mixed: list, scale: list[str], vader: dict | None) -> str:
    examples = sentiment_examples(part)
    if not examples or vader is None or len({label for *_, label in examples}) < 2:
        return "- | - | - | - |"
    started = time.monotonic()
    model = EntitySentimentModel.train(examples, scale)
    seconds = time.monotonic() - started
    figures = model.evaluate(test_targets)
    on_mixed = (f"{model.evaluate(mixed)['macro_f1']:.3f} / {_vader(mixed, scale)['macro_f1']:.3f}"
                if mixed else "-")
    return f"{len(examples)} | {figures['macro_f1']:.3f} / {vader['macro_f1']:.3f} | {on_mixed} | {seconds:.1f} |"


def document_sentiment(sizes: list[int]) -> None:
    """The ``sentiment`` kind's model trained on the first N training stories against VADER's
    document sentiment and the majority class, on the same held-out financial stories."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    django.setup()  # the kind's module sits beside the ORM; nothing here touches a database
    from annotations.preannotation.learning.sentiment import SentimentModel
    from annotations.preannotation.predictors.base import PredictionContext
    from annotations.preannotation.predictors.mapping import sentiment_label
    from annotations.preannotation.predictors.sentiment import VaderSentimentPredictor
    from sklearn.linear_model import LogisticRegression  # noqa: F401  loaded before the clock runs

    stories = finance_corpus(FINANCE_DOCUMENTS, held_out=held_out)
    train = [s for n, s in enumerate(stories, start=1) if not held_out(n)]
    test = [s for n, s in enumerate(stories, start=1) if held_out(n)]
    gold = [story.sentiment for story in test]
    vader = label_scores(gold, [sentiment_label(s.sentiment, tuple(SCALE)) or "" for s in
                                VaderSentimentPredictor().predict([s.text for s in test], PredictionContext())], SCALE)
    majority = max(SCALE, key=gold.count)
    baseline = label_scores(gold, [majority] * len(gold), SCALE)
    print(f"\ndocument sentiment: {len(stories)} financial stories, {len(train)} train / {len(test)} held out "
          f"({', '.join(f'{label} {gold.count(label)}' for label in SCALE)})")
    print(f"VADER (mapped onto the scale): accuracy {vader['accuracy']:.3f} macro-F1 {vader['macro_f1']:.3f}; "
          f"majority class ({majority}): accuracy {baseline['accuracy']:.3f} macro-F1 {baseline['macro_f1']:.3f}")
    print("\n| docs | accuracy trained / VADER / majority | macro-F1 trained / VADER | train s |")
    print("|---|---|---|---|")
    for size in sizes:
        part = train[:size]
        started = time.monotonic()
        model = SentimentModel.train([s.text for s in part], [s.sentiment for s in part], scale=SCALE)
        seconds = time.monotonic() - started
        figures = label_scores(gold, [label for label, _ in model.predict([s.text for s in test])], SCALE)
        print(f"| {size} | {figures['accuracy']:.3f} / {vader['accuracy']:.3f} / {baseline['accuracy']:.3f} | "
              f"{figures['macro_f1']:.3f} / {vader['macro_f1']:.3f} | {seconds:.2f} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", help="our JSONL export (.jsonl) or a CoNLL-2003 file; default: generated news")
    parser.add_argument("--sizes", default="25,50,100,150,200", help="training documents per version")
    parser.add_argument("--head", choices=["fresh", "shipped", "both"], default="fresh",
                        help="start from a fresh NER head on the shipped encoder, or the shipped head")
    parser.add_argument("--parts", default="entities,document",
                        help="entities (NER and entity sentiment, on --gold) and/or document (document sentiment)")
    parser.add_argument("--quick", action="store_true", help=f"only sizes {QUICK_SIZES} (about a minute on 2 cores)")
    parser.add_argument("--order", action="store_true",
                        help="also compare random vs uncertainty queue order (benchmarks.learning_order)")
    args = parser.parse_args()
    heads = ["fresh", "shipped"] if args.head == "both" else [args.head]
    sizes = [int(size) for size in (QUICK_SIZES if args.quick else args.sizes).split(",")]
    parts = set(args.parts.split(","))
    if "entities" in parts:
        run(load_gold(args.gold), sizes, heads)
    if "document" in parts:
        document_sentiment(sizes)
    if args.order:
        from .learning_order import compare_orders  # sets Django up (the sentiment learner's package needs it)

        compare_orders()


if __name__ == "__main__":
    main()
