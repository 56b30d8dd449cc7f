"""The review view of an item: every annotator's current labels side by side, with what
they disagree on marked (pure comparison over plain values)."""

from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Version:
    annotator: str
    annotation_id: int
    version: int
    sentiment: str
    topics: tuple[int, ...]
    spans: tuple[tuple[int, int, str, str], ...]  # (start, end, label, text)


def disagreements(versions: list[Version]) -> dict:
    """What not every annotator agrees on: sentiment, each topic, each span.

    Spans and topics come with the annotators who chose them, so a reviewer can compose
    gold from the parts most agree on.
    """
    everyone = len(versions)
    sentiments = Counter(v.sentiment for v in versions)
    topic_votes = _votes((topic, v.annotator) for v in versions for topic in v.topics)
    span_votes = _votes((span, v.annotator) for v in versions for span in v.spans)
    return {
        "sentiment": {"agreed": len(sentiments) <= 1, "votes": dict(sentiments)},
        "topics": [{"topic": topic, "annotators": names, "agreed": len(names) == everyone}
                   for topic, names in sorted(topic_votes.items())],
        "spans": [{"start": s[0], "end": s[1], "label": s[2], "text": s[3], "annotators": names,
                   "agreed": len(names) == everyone} for s, names in sorted(span_votes.items())],
    }


def _votes(pairs) -> dict:
    votes: dict = {}
    for key, annotator in pairs:
        votes.setdefault(key, []).append(annotator)
    return votes
