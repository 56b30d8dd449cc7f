"""A project's agreement report, from its annotators' LabelSets and, optionally, gold."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations

from annotations.agreement.coefficients import cohen_kappa, krippendorff_alpha
from annotations.agreement.report import AgreementReport, LabelSet
from annotations.agreement.spans import MODES, Span, span_matches

ALL_LABELS = "ALL"  # the span_f1 key pooling every entity label

Annotator = int | str
ByItem = dict[int, dict[Annotator, LabelSet]]
Pair = tuple[Annotator, Annotator]
Scale = dict[str, int]  # sentiment value -> its index on the project's scale


def project_agreement(
    label_sets: Iterable[LabelSet],
    *,
    sentiment_scale: Sequence[str],
    topic_ids: Iterable[int],
    entity_labels: Iterable[str],
    gold: Iterable[LabelSet] = (),
) -> AgreementReport:
    """Agreement between a project's annotators and, on items that have gold, with gold.

    Pure and deterministic. A sentiment outside `sentiment_scale` counts as not given; a
    later LabelSet for the same (item, annotator) replaces an earlier one. Span F1 is None
    for a label nobody in the compared pairs used: agreeing on nothing is no evidence.
    """
    scale = {value: index for index, value in enumerate(sentiment_scale)}
    by_item = _by_item(label_sets)
    shared = _shared_items(by_item)
    kappas = _pairwise_kappa(by_item, shared, scale)
    tallies = {
        pair: _span_tallies((by_item[item][pair[0]].spans, by_item[item][pair[1]].spans) for item in items)
        for pair, items in shared.items()
    }
    return AgreementReport(
        sentiment_alpha=_sentiment_alpha(by_item, scale),
        entity_sentiment_alpha=_entity_sentiment_alpha(by_item, scale),
        topic_alpha={topic: _topic_alpha(by_item, topic) for topic in topic_ids},
        span_f1=_span_summary(tallies, [*dict.fromkeys(entity_labels), ALL_LABELS]),
        pairwise_kappa=kappas,
        per_annotator=_per_annotator(by_item, {g.item: g for g in gold}, kappas, tallies, scale),
        items=sum(1 for sets in by_item.values() if len(sets) >= 2),
    )


@dataclass(slots=True)
class _Tally:
    """Span counts of two sides pooled over several items, for one label or all of them."""

    matched: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MODES, 0))
    left: int = 0
    right: int = 0

    def add(self, left: set[Span], right: set[Span]) -> None:
        self.left += len(left)
        self.right += len(right)
        for mode in MODES:
            self.matched[mode] += span_matches(left, right, mode=mode)

    def f1(self, mode: str) -> float | None:
        """Pooled F1 (symmetric, so neither side needs to be the reference); None without spans."""
        total = self.left + self.right
        return 2 * self.matched[mode] / total if total else None


def _by_item(label_sets: Iterable[LabelSet]) -> ByItem:
    by_item: ByItem = defaultdict(dict)
    for label_set in label_sets:
        by_item[label_set.item][label_set.annotator] = label_set
    return dict(by_item)


def _order(annotator: Annotator) -> tuple[bool, Annotator]:
    # User ids and names may mix; ints first keeps sorting from comparing int with str.
    return (isinstance(annotator, str), annotator)


def _shared_items(by_item: ByItem) -> dict[Pair, list[int]]:
    """{(a, b): items both labelled}, a before b, pairs in a stable order."""
    shared: dict[Pair, list[int]] = defaultdict(list)
    for item in sorted(by_item):
        for pair in combinations(sorted(by_item[item], key=_order), 2):
            shared[pair].append(item)
    return dict(sorted(shared.items(), key=lambda entry: (_order(entry[0][0]), _order(entry[0][1]))))


def _sentiment_alpha(by_item: ByItem, scale: Scale) -> float | None:
    units = {item: {a: scale.get(ls.sentiment) for a, ls in sets.items()} for item, sets in by_item.items()}
    return krippendorff_alpha(units, level="ordinal")


def _entity_sentiment_alpha(by_item: ByItem, scale: Scale) -> float | None:
    """One unit per (item, span) that two or more of the item's annotators marked exactly; the
    values are their sentiments toward the entity (none given, or off the scale: missing)."""
    units: dict[tuple[int, Span], dict[Annotator, int | None]] = {}
    for item, sets in by_item.items():
        toward = {annotator: dict(ls.entity_sentiments) for annotator, ls in sets.items()}
        for annotator, label_set in sets.items():
            for span in label_set.spans:
                units.setdefault((item, span), {})[annotator] = scale.get(toward[annotator].get(span))
    return krippendorff_alpha({unit: values for unit, values in units.items() if len(values) >= 2},
                              level="ordinal")


def _topic_alpha(by_item: ByItem, topic: int) -> float | None:
    # Every annotator of an item answered "is this topic here?", if only by leaving it out.
    units = {item: {a: int(topic in ls.topics) for a, ls in sets.items()} for item, sets in by_item.items()}
    return krippendorff_alpha(units, level="nominal")


def _pairwise_kappa(by_item: ByItem, shared: dict[Pair, list[int]], scale: Scale) -> list[dict]:
    rows = []
    for (a, b), items in shared.items():
        both = [(scale.get(by_item[i][a].sentiment), scale.get(by_item[i][b].sentiment)) for i in items]
        both = [(x, y) for x, y in both if x is not None and y is not None]
        if len(both) >= 2:
            left, right = zip(*both)
            rows.append({"a": a, "b": b, "items": len(both), "kappa": cohen_kappa(left, right)})
    return rows


def _span_tallies(item_pairs: Iterable[tuple[Iterable[Span], Iterable[Span]]]) -> dict[str, _Tally]:
    """{label and ALL_LABELS: pooled counts}; only labels someone used get a tally."""
    tallies: dict[str, _Tally] = defaultdict(_Tally)
    for left, right in item_pairs:
        left_by_label, right_by_label = _by_label(left), _by_label(right)
        for label in left_by_label.keys() | right_by_label.keys():
            # Spans of different labels never match, so ALL is the sum of the labels.
            for key in {label, ALL_LABELS}:
                tallies[key].add(left_by_label.get(label, set()), right_by_label.get(label, set()))
    return dict(tallies)


def _by_label(spans: Iterable[Span]) -> dict[str, set[Span]]:
    grouped: dict[str, set[Span]] = defaultdict(set)
    for span in spans:
        grouped[span[2]].add(span)
    return grouped


def _span_summary(tallies: dict[Pair, dict[str, _Tally]], keys: list[str]) -> dict[str, dict[str, float | None]]:
    return {
        key: {mode: _mean(t[key].f1(mode) for t in tallies.values() if key in t) for mode in MODES}
        for key in keys
    }


def _per_annotator(by_item: ByItem, gold: dict[int, LabelSet], kappas: list[dict],
                   tallies: dict[Pair, dict[str, _Tally]], scale: Scale) -> dict[Annotator, dict]:
    own: dict[Annotator, list[LabelSet]] = defaultdict(list)
    for item in sorted(by_item):
        for annotator, label_set in by_item[item].items():
            own[annotator].append(label_set)
    summaries = {}
    for annotator in sorted(own, key=_order):
        pair_spans = [t[ALL_LABELS] for pair, t in tallies.items() if annotator in pair and ALL_LABELS in t]
        summaries[annotator] = {
            "items": len(own[annotator]),
            "sentiment_kappa_mean": _mean(row["kappa"] for row in kappas if annotator in (row["a"], row["b"])),
            "span_f1_exact": _mean(t.f1("exact") for t in pair_spans),
            "span_f1_overlap": _mean(t.f1("overlap") for t in pair_spans),
            "accepted_suggestions": _accepted_shares(own[annotator]),
            "gold": _gold_summary([(ls, gold[ls.item]) for ls in own[annotator] if ls.item in gold], scale),
        }
    return summaries


def _accepted_shares(own: list[LabelSet]) -> dict[str, float | None]:
    """The shares of an annotator's spans and document labels that are suggestions accepted unchanged."""
    spans = sum(len(ls.spans) for ls in own)
    document = sum(bool(ls.sentiment) + len(ls.topics) for ls in own)
    return {"spans": sum(len(ls.accepted_spans & ls.spans) for ls in own) / spans if spans else None,
            "document_labels": sum(_accepted_document_labels(ls) for ls in own) / document if document else None}


def _accepted_document_labels(label_set: LabelSet) -> int:
    given = {f"topic:{topic}" for topic in label_set.topics} | ({"sentiment"} if label_set.sentiment else set())
    return len(label_set.accepted_document_labels & given)


def _gold_summary(compared: list[tuple[LabelSet, LabelSet]], scale: Scale) -> dict | None:
    """One annotator against gold, pooled over the items that have gold; None without any."""
    if not compared:
        return None
    sentiments = [(scale.get(ls.sentiment), scale.get(g.sentiment)) for ls, g in compared]
    spans = _span_tallies((ls.spans, g.spans) for ls, g in compared).get(ALL_LABELS, _Tally())
    topics_matched = sum(len(set(ls.topics) & set(g.topics)) for ls, g in compared)
    topics_total = sum(len(ls.topics) + len(g.topics) for ls, g in compared)
    toward = [_same_entity_sentiment(ls, g) for ls, g in compared]
    judged = sum(len(same) for same in toward)
    return {
        "items": len(compared),
        "sentiment_accuracy": _mean(float(x == y) for x, y in sentiments if x is not None and y is not None),
        "entity_sentiment_accuracy": sum(sum(same) for same in toward) / judged if judged else None,
        "span_f1_exact": spans.f1("exact"),
        "span_f1_overlap": spans.f1("overlap"),
        "topic_f1": 2 * topics_matched / topics_total if topics_total else None,
    }


def _same_entity_sentiment(left: LabelSet, right: LabelSet) -> list[bool]:
    """For each span both marked exactly where either gave a sentiment toward the entity: the same one?"""
    ours, theirs = dict(left.entity_sentiments), dict(right.entity_sentiments)
    return [ours.get(span, "") == theirs.get(span, "") for span in left.spans & right.spans
            if ours.get(span) or theirs.get(span)]


def _mean(values: Iterable[float | None]) -> float | None:
    """Mean of the defined values; None when there are none."""
    defined = [value for value in values if value is not None]
    return sum(defined) / len(defined) if defined else None
