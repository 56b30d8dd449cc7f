"""The review view of an item: every annotator's current labels side by side, with what
they disagree on marked (pure comparison over plain values).

The same comparison decides unanimous gold (``gold``), so what a reviewer sees as a
disagreement is exactly what keeps an item from becoming gold on its own.
"""

from collections import Counter
from dataclasses import dataclass
from typing import NamedTuple

# The parts of an item's labels that can disagree, in the order a reviewer reads them.
PARTS = ("sentiment", "topics", "spans", "entity sentiment")
# models.LabelOrigin.ACCEPTED, spelled out: this module compares plain values, without Django.
ACCEPTED = "accepted"


class ReviewSpan(NamedTuple):
    start: int
    end: int
    label: str
    text: str
    sentiment: str = ""  # toward the entity; "" when the annotator gave none


@dataclass(frozen=True, slots=True)
class Version:
    annotator: str
    annotation_id: int
    version: int
    sentiment: str
    topics: tuple[int, ...]
    spans: tuple[ReviewSpan, ...]
    # Suggestion keys ("sentiment", "topic:<id>", "span:<start>:<end>:<label>",
    # "entity-sentiment:<start>:<end>:<label>") of the labels the annotator took from a
    # predictor unchanged: agreement on those may be the machine's, not the annotators'.
    accepted: frozenset[str] = frozenset()


def span_key(span: ReviewSpan) -> str:
    return f"span:{span.start}:{span.end}:{span.label}"


def entity_sentiment_key(span: ReviewSpan) -> str:
    return f"entity-sentiment:{span.start}:{span.end}:{span.label}"


def accepted_keys(*, sentiment: str, topics, provenance: dict, spans) -> frozenset[str]:
    """The suggestion keys of the labels taken from a predictor unchanged, from a document's
    ``provenance`` ({"sentiment": SOURCE, "topics": {"<id>": SOURCE}}) and its spans' origins."""
    keys = set()
    if sentiment and (provenance.get("sentiment") or {}).get("origin") == ACCEPTED:
        keys.add("sentiment")
    sources = provenance.get("topics") or {}
    keys.update(f"topic:{topic}" for topic in topics if (sources.get(str(topic)) or {}).get("origin") == ACCEPTED)
    for span in spans:
        if span.origin == ACCEPTED:
            keys.add(span_key(span))
        if span.sentiment and span.sentiment_origin == ACCEPTED:
            keys.add(entity_sentiment_key(span))
    return frozenset(keys)


def disagreements(versions: list[Version]) -> dict:
    """What not every annotator agrees on: sentiment, each topic, each span, and the
    sentiment toward each span's entity among the annotators who marked the span.

    Every entry names who chose what (``votes``, ``annotators``) and who took it from a
    suggestion unchanged (``accepted``), so a reviewer can compose gold from the parts most
    agree on and tell agreement from a shared machine guess.
    """
    everyone = len(versions)
    sentiments = Counter(v.sentiment for v in versions)
    topic_votes = _votes((topic, v) for v in versions for topic in v.topics)
    span_votes = _votes((span[:4], v) for v in versions for span in v.spans)
    return {
        "sentiment": {"agreed": len(sentiments) <= 1, "votes": dict(sentiments),
                      "accepted": [v.annotator for v in versions if "sentiment" in v.accepted]},
        "topics": [{"topic": topic, "annotators": _names(chosen), "agreed": len(chosen) == everyone,
                    "accepted": _names(v for v in chosen if f"topic:{topic}" in v.accepted)}
                   for topic, chosen in sorted(topic_votes.items())],
        "spans": [_span_entry(ReviewSpan(*key), chosen, everyone) for key, chosen in sorted(span_votes.items())],
    }


def _span_entry(span: ReviewSpan, chosen: list[Version], everyone: int) -> dict:
    toward = {v.annotator: next(s.sentiment for s in v.spans if s[:4] == span[:4]) for v in chosen}
    votes: dict[str, list[str]] = {}
    for annotator, value in toward.items():
        votes.setdefault(value, []).append(annotator)
    return {"start": span.start, "end": span.end, "label": span.label, "text": span.text,
            "annotators": _names(chosen), "agreed": len(chosen) == everyone,
            "accepted": _names(v for v in chosen if span_key(span) in v.accepted),
            # Among those who marked the span: "" (no sentiment) against a value is a disagreement too.
            "sentiment": {"agreed": len(votes) <= 1, "votes": votes,
                          "accepted": _names(v for v in chosen if entity_sentiment_key(span) in v.accepted)}}


def disagreeing_parts(found: dict) -> list[str]:
    """Which of ``PARTS`` the annotators disagree on, from ``disagreements``' answer."""
    disputed = {
        "sentiment": not found["sentiment"]["agreed"],
        "topics": any(not entry["agreed"] for entry in found["topics"]),
        "spans": any(not entry["agreed"] for entry in found["spans"]),
        "entity sentiment": any(not entry["sentiment"]["agreed"] for entry in found["spans"]),
    }
    return [part for part in PARTS if disputed[part]]


def agreed_parts(found: dict, everyone: int) -> dict:
    """How many single labels there are (document sentiment, each topic, each span and each
    entity sentiment someone gave), how many every annotator chose, and how many of those
    every annotator took from the same suggestion unchanged."""
    entries = [(entry["agreed"], entry["accepted"]) for entry in [found["sentiment"], *found["topics"],
                                                                  *found["spans"]]]
    # An entity sentiment is agreed only where everyone marked the span and gave the same one.
    entries += [(span["agreed"] and span["sentiment"]["agreed"], span["sentiment"]["accepted"])
                for span in found["spans"] if any(span["sentiment"]["votes"])]
    agreed = [accepted for is_agreed, accepted in entries if is_agreed]
    return {"parts": len(entries), "parts_agreed": len(agreed),
            "parts_agreed_from_suggestions": sum(1 for accepted in agreed if everyone and len(accepted) == everyone)}


def _votes(pairs) -> dict:
    votes: dict = {}
    for key, version in pairs:
        votes.setdefault(key, []).append(version)
    return votes


def _names(versions) -> list[str]:
    return [v.annotator for v in versions]
