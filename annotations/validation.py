"""Checks of submitted labels against a project's label rules and the article body (pure).

Errors are returned as data, {field: [messages]}, so the API can answer 400 with all of
them at once.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class LabelRules:
    """What a project accepts: its schema (sentiment scale, topics, entity types) and options."""

    sentiment_scale: tuple[str, ...]
    topic_ids: frozenset[int]
    entity_labels: frozenset[str]
    allow_overlapping_spans: bool = False
    entity_sentiment: bool = False


@dataclass(frozen=True, slots=True)
class SpanInput:
    start: int
    end: int
    label: str
    text: str
    sentiment: str = ""
    # Provenance (models.LabelOrigin): where the span and its entity sentiment came from, and the
    # predictor and version whose suggestion was accepted or changed.
    origin: str = "person"
    sentiment_origin: str = ""
    predictor: str = ""
    predictor_version: str = ""


@dataclass(slots=True)
class LabelErrors:
    errors: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    def __bool__(self) -> bool:
        return bool(self.errors)


def labels_validate(*, body: str, rules: LabelRules, sentiment: str, topics: Iterable[int],
                    spans: Iterable[SpanInput]) -> dict[str, list[str]]:
    """All problems with the labels, by field; empty when they are valid."""
    errors = LabelErrors()
    if sentiment and sentiment not in rules.sentiment_scale:
        errors.add("sentiment", f"{sentiment!r} is not on the sentiment scale {list(rules.sentiment_scale)}.")
    unknown = sorted(set(topics) - rules.topic_ids)
    if unknown:
        errors.add("topics", f"Topics {unknown} are not in the project's taxonomy.")
    spans = list(spans)
    for index, span in enumerate(spans):
        _span_check(errors, f"spans[{index}]", span, body, rules)
    if not rules.allow_overlapping_spans:
        _overlap_check(errors, spans)
    return errors.errors


def _span_check(errors: LabelErrors, name: str, span: SpanInput, body: str, rules: LabelRules) -> None:
    if not 0 <= span.start < span.end <= len(body):
        errors.add(name, f"Offsets [{span.start}, {span.end}) must satisfy 0 <= start < end <= {len(body)} "
                         "(code points of the article body).")
        return
    if span.label not in rules.entity_labels:
        errors.add(name, f"Label {span.label!r} is not one of {sorted(rules.entity_labels)}.")
    covered = body[span.start:span.end]
    if span.text != covered:
        errors.add(name, f"Text {span.text!r} does not match the body at [{span.start}, {span.end}): {covered!r}.")
    if span.sentiment and (not rules.entity_sentiment or span.sentiment not in rules.sentiment_scale):
        errors.add(name, f"Entity sentiment {span.sentiment!r} is not allowed here.")


def _overlap_check(errors: LabelErrors, spans: list[SpanInput]) -> None:
    ordered = sorted(range(len(spans)), key=lambda i: (spans[i].start, spans[i].end))
    for previous, current in zip(ordered, ordered[1:]):
        if spans[current].start < spans[previous].end:
            errors.add(f"spans[{current}]", f"Overlaps spans[{previous}]; this project does not allow overlapping "
                                            "spans.")
