"""Where imported gold's labels came from: as our JSONL export says, else "imported".

Our JSONL export carries the provenance of every label (formats.records); gold imported from it
keeps it, so that a project moved between instances still knows which labels a person typed and
which were a machine's suggestions a person accepted or changed. Labels from other tools (Label
Studio, doccano, CoNLL), and any label our file gives no provenance for, are "imported".
"""

from collections.abc import Iterable

from ..models import Gold, GoldSpan, LabelOrigin
from ..validation import SpanInput
from .formats import Labels, Span
from .formats.records import source


def span_provenance(span: Span, entity_sentiment: str) -> dict[str, str]:
    """The provenance fields of SpanInput for an imported span (its own where the file has it)."""
    return {
        "origin": span.origin or LabelOrigin.IMPORTED,
        "sentiment_origin": (span.sentiment_origin or LabelOrigin.IMPORTED) if entity_sentiment else "",
        "predictor": span.predictor or "",
        "predictor_version": span.predictor_version or "",
    }


def document_provenance(labels: Labels, sentiment: str, topics: Iterable[tuple[str, int]]) -> dict:
    """The stored form of document labels' provenance, {"sentiment": SOURCE, "topics": {"<id>": SOURCE}},
    for a sentiment and topics (each as the name the file gave and the project's topic id)."""
    given = labels.provenance or {}
    by_name = {entry["topic"]: entry for entry in given.get("topics", ())}
    provenance: dict = {"topics": {str(topic): _source(by_name.get(name)) for name, topic in topics}}
    if sentiment:
        provenance["sentiment"] = _source(given.get("sentiment"))
    return provenance


def _source(given: dict | None) -> dict:
    if not given:
        return source(LabelOrigin.IMPORTED)
    return source(given.get("origin"), given.get("predictor"), given.get("version"))


def gold_provenance_store(*, gold: Gold, provenance: dict, spans: list[SpanInput]) -> None:
    """Write the provenance of gold's document labels and spans (gold just accepted from ``spans``).

    Spans are matched on (start, end, label), unique within one gold; one UPDATE per distinct
    provenance, so a document of many spans costs a few queries.
    """
    Gold.objects.filter(pk=gold.pk).update(provenance=provenance)
    wanted = {(s.start, s.end, s.label): (s.origin, s.sentiment_origin, s.predictor, s.predictor_version)
              for s in spans}
    groups: dict[tuple, list[int]] = {}
    for span_id, start, end, label in GoldSpan.objects.filter(gold=gold).values_list("id", "start", "end", "label"):
        groups.setdefault(wanted.get((start, end, label), (LabelOrigin.IMPORTED, "", "", "")), []).append(span_id)
    for (origin, sentiment_origin, predictor, version), ids in groups.items():
        GoldSpan.objects.filter(pk__in=ids).update(origin=origin, sentiment_origin=sentiment_origin,
                                                   predictor=predictor, predictor_version=version)
