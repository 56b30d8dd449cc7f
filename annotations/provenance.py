"""Where each submitted label came from, and what became of each suggestion (pure: no database).

``labels_derive`` takes the suggestions an annotator was offered (the dict of
``preannotation.suggestions.suggestions_from``, the same the labeling page shows) and the labels
they submit, and returns the labels with their provenance, the suggestions rejected and the fate
of every suggestion. The rules, the same for the page and the API:

- a label equal to a suggestion is ``accepted`` (with the suggestion's predictor and version);
- a span overlapping a suggested span with other offsets or label, or a sentiment (document or
  entity) other than the suggested one, is ``changed`` (with the suggestion's predictor and
  version: the annotator saw the machine's guess and chose otherwise);
- anything else is ``person``.

A suggestion is decided by the labels when a label equals it (accepted), when another document
sentiment or entity sentiment is given (changed), or, in a project without overlapping spans,
when a submitted span overlaps a suggested span (changed: both could not be labels). Where
spans may overlap, a suggested span stays open beside an overlapping label, as the labeling page
shows it. The sentiment suggested toward a suggested span is a suggestion of its own: accepting
the span does not accept it; it is offered while its span is open or taken as it is.

A suggestion rejected, now or in the annotator's previous version, stays rejected until its
label is submitted. Any other suggestion, neither decided nor rejected, is pending: the request
says whether to refuse the submit (the default), accept them or reject them. Nothing a
predictor guessed is stored unless the annotator took it or said so.
"""

from dataclasses import dataclass, replace
from enum import StrEnum

from newsroom.errors import DomainError

from .validation import SpanInput

# Values of models.LabelOrigin (this module stays free of Django).
PERSON, ACCEPTED, CHANGED = "person", "accepted", "changed"
# The fate of a suggestion at a submit is accepted, changed or rejected (SuggestionOutcome's words).
REJECTED = "rejected"
SENTIMENT_KEY = "sentiment"
# What a pending suggestion shows of itself, besides key, kind, predictor and version.
PENDING_FIELDS = {
    "span": ("start", "end", "label", "text"),
    "entity_sentiment": ("start", "end", "label", "text", "value"),
    "sentiment": ("value",),
    "topic": ("id", "name"),
}


def span_key(start: int, end: int, label: str) -> str:
    """The key of a suggested span."""
    return f"span:{start}:{end}:{label}"


def entity_sentiment_key(start: int, end: int, label: str) -> str:
    """The key of the sentiment suggested toward the suggested span (start, end, label)."""
    return f"entity-sentiment:{start}:{end}:{label}"


def topic_key(topic_id: int) -> str:
    return f"topic:{topic_id}"


class Pending(StrEnum):
    """What a submit does with the suggestions still pending."""

    REFUSE = "refuse"
    ACCEPT = "accept"
    REJECT = "reject"


class PendingSuggestions(DomainError):
    """Suggestions the annotator neither took nor rejected: the submit is refused (400) with
    every one of them, until the request accepts or rejects them."""

    code = "pending_suggestions"


class PendingOverlap(DomainError):
    """Accepting the pending span suggestions would make spans overlap where the project does
    not allow it (400, listing them)."""

    code = "pending_overlap"


@dataclass(frozen=True, slots=True)
class DerivedLabels:
    sentiment: str
    topics: list[int]
    spans: list[SpanInput]  # with origin, sentiment_origin, predictor, predictor_version
    provenance: dict  # Annotation.provenance: {"sentiment": SOURCE, "topics": {"<id>": SOURCE}}
    rejected: list[dict]  # Annotation.rejected_suggestions: [{"key", "predictor", "version"}]
    fates: dict[str, str]  # key of each decided offered suggestion -> accepted | changed | rejected


def labels_derive(
    *, offered: dict, sentiment: str, topics: list[int], spans: list[SpanInput], rejected=(),
    previous_rejected=(), pending: str = Pending.REFUSE, allow_overlapping_spans: bool = False,
) -> DerivedLabels:
    """The submitted labels with their provenance, after ``rejected`` (keys) and
    ``previous_rejected`` (the previous version's records) and the ``pending`` decision.

    Raises PendingSuggestions when suggestions are pending and ``pending`` is "refuse", and
    PendingOverlap when accepting them would make spans overlap where that is not allowed.
    Keys of suggestions not offered are ignored (a newer prediction may have dropped them).
    """
    derivation = _Derivation(offered, rejected={*rejected, *(record["key"] for record in previous_rejected)},
                             submitted=spans, overlapping=allow_overlapping_spans)
    spans = [derivation.span(span) for span in spans]
    provenance = {"topics": {str(topic): derivation.topic(topic) for topic in topics}}
    if sentiment:
        provenance["sentiment"] = derivation.sentiment(sentiment)
    waiting = derivation.pending()
    if waiting and pending == Pending.ACCEPT:
        sentiment, topics, spans = _accept(waiting, derivation, sentiment, list(topics), spans, provenance)
        if not allow_overlapping_spans:
            _overlap_check(spans, waiting)
    elif waiting and pending == Pending.REJECT:
        for suggestion in waiting:
            derivation.fates[suggestion["key"]] = REJECTED
    elif waiting:
        raise PendingSuggestions(
            f"Suggestions are still pending ({len(waiting)}): accept or reject each one, or submit again saying "
            'what to do with the rest ("pending": "accept" or "reject").',
            detail={"pending": [pending_entry(suggestion) for suggestion in waiting]})
    return DerivedLabels(sentiment=sentiment, topics=sorted(topics), spans=spans, provenance=provenance,
                         rejected=derivation.rejections(previous_rejected), fates=derivation.fates)


def pending_entry(suggestion: dict) -> dict:
    """What the refusal says of one pending suggestion: its key, kind, predictor, version and value."""
    fields = ("key", "kind", "predictor", "version", *PENDING_FIELDS[suggestion["kind"]])
    return {name: suggestion[name] for name in fields}


def offered_suggestions(offered: dict) -> list[dict]:
    """Every suggestion of ``offered``, one list: sentiment, topics, spans, entity sentiments."""
    document = [offered["sentiment"]] if offered.get("sentiment") else []
    return [*document, *offered.get("topics", ()), *offered.get("spans", ()), *offered.get("entity_sentiments", ())]


def _source(origin: str, suggestion: dict | None = None) -> dict:
    """A label's SOURCE: its origin, and the suggestion's predictor and version when it had one."""
    if suggestion is None:
        return {"origin": origin, "predictor": "", "version": ""}
    return {"origin": origin, "predictor": suggestion["predictor"], "version": suggestion["version"]}


class _Derivation:
    """The offered suggestions, indexed, and the fate of each as the submitted labels are read."""

    def __init__(self, offered: dict, *, rejected: set[str], submitted: list[SpanInput], overlapping: bool):
        self.rejected, self.overlapping = rejected, overlapping
        self.document = offered.get("sentiment")
        self.topics = {topic["id"]: topic for topic in offered.get("topics", ())}
        self.spans = {(s["start"], s["end"], s["label"]): s for s in offered.get("spans", ())}
        self.feelings = {feeling["span"]: feeling for feeling in offered.get("entity_sentiments", ())}
        self.by_key = {suggestion["key"]: suggestion for suggestion in offered_suggestions(offered)}
        exact = {(span.start, span.end, span.label) for span in submitted}
        # Suggested spans a submitted span may have changed: those not submitted as they are.
        self.changeable = [suggestion for key, suggestion in self.spans.items() if key not in exact]
        self.fates: dict[str, str] = {}

    def decide(self, suggestion: dict, fate: str) -> None:
        """Record ``fate`` for the suggestion; taking it as it is outweighs changing it."""
        if self.fates.get(suggestion["key"]) != ACCEPTED:
            self.fates[suggestion["key"]] = fate

    def span(self, span: SpanInput) -> SpanInput:
        """``span`` with its provenance and its entity sentiment's."""
        source, origin = self.spans.get((span.start, span.end, span.label)), ACCEPTED
        if source is not None:
            self.decide(source, ACCEPTED)
        else:
            source, origin = self._changed_from(span), CHANGED
        if source is None:
            return replace(span, origin=PERSON, sentiment_origin=PERSON if span.sentiment else "",
                           predictor="", predictor_version="")
        return replace(span, origin=origin, predictor=source["predictor"], predictor_version=source["version"],
                       sentiment_origin=self._sentiment_origin(span.sentiment, self.feelings.get(source["key"])))

    def _changed_from(self, span: SpanInput) -> dict | None:
        """The suggested span ``span`` overlaps most, or None. Where spans may not overlap, every
        suggested span it overlaps is decided (changed): none of them could be added beside it."""
        best, best_overlap = None, 0
        for suggestion in self.changeable:
            overlap = min(span.end, suggestion["end"]) - max(span.start, suggestion["start"])
            if overlap > 0 and not self.overlapping:
                self.decide(suggestion, CHANGED)
            if overlap > best_overlap:
                best, best_overlap = suggestion, overlap
        return best

    def _sentiment_origin(self, value: str, suggestion: dict | None) -> str:
        """The origin of a sentiment (document or entity) given the one suggested, if any."""
        if not value:
            return ""
        if suggestion is None:
            return PERSON
        origin = ACCEPTED if value == suggestion["value"] else CHANGED
        self.decide(suggestion, origin)
        return origin

    def sentiment(self, value: str) -> dict:
        origin = self._sentiment_origin(value, self.document)
        return _source(origin, None if origin == PERSON else self.document)

    def topic(self, topic_id: int) -> dict:
        suggestion = self.topics.get(topic_id)
        if suggestion is None:
            return _source(PERSON)
        self.decide(suggestion, ACCEPTED)
        return _source(ACCEPTED, suggestion)

    def pending(self) -> list[dict]:
        """The offered suggestions the labels leave open and nobody rejected, in the order the
        page lists them; the rejected ones get that fate."""
        for key in self.rejected & (self.by_key.keys() - self.fates.keys()):
            self.fates[key] = REJECTED
        open_ = [self.document] if self.document else []
        open_ += self.topics.values()
        for span in self.spans.values():
            open_.append(span)
            feeling = self.feelings.get(span["key"])
            if feeling and self._feeling_offered(span):
                open_.append(feeling)
        return [suggestion for suggestion in open_ if suggestion["key"] not in self.fates]

    def _feeling_offered(self, span: dict) -> bool:
        """Whether the sentiment toward a suggested span is still to be decided: while the span
        is open or was taken as it is (not once it is rejected or changed)."""
        fate = self.fates.get(span["key"])
        return fate == ACCEPTED or (fate is None and span["key"] not in self.rejected)

    def rejections(self, previous: list[dict]) -> list[dict]:
        """Annotation.rejected_suggestions: the offered suggestions rejected and not taken, and
        the previous version's rejections of suggestions no longer offered."""
        records = {key: {"key": key, "predictor": suggestion["predictor"], "version": suggestion["version"]}
                   for key, suggestion in self.by_key.items()
                   if self.fates.get(key) == REJECTED or (key in self.rejected and self.fates.get(key) != ACCEPTED)}
        for record in previous:
            if record["key"] not in self.by_key:
                records.setdefault(record["key"], record)
        return sorted(records.values(), key=lambda record: record["key"])


def _accept(waiting: list[dict], derivation: _Derivation, sentiment: str, topics: list[int],
            spans: list[SpanInput], provenance: dict) -> tuple[str, list[int], list[SpanInput]]:
    """The labels with every pending suggestion added as accepted."""
    spans = list(spans)
    for suggestion in sorted(waiting, key=lambda s: s["kind"] == "entity_sentiment"):  # spans before feelings
        derivation.decide(suggestion, ACCEPTED)
        if suggestion["kind"] == "sentiment":
            sentiment = suggestion["value"]
            provenance["sentiment"] = _source(ACCEPTED, suggestion)
        elif suggestion["kind"] == "topic":
            topics.append(suggestion["id"])
            provenance["topics"][str(suggestion["id"])] = _source(ACCEPTED, suggestion)
        elif suggestion["kind"] == "span":
            spans.append(SpanInput(suggestion["start"], suggestion["end"], suggestion["label"], suggestion["text"],
                                   origin=ACCEPTED, predictor=suggestion["predictor"],
                                   predictor_version=suggestion["version"]))
        else:
            spans = [replace(span, sentiment=suggestion["value"], sentiment_origin=ACCEPTED)
                     if span_key(span.start, span.end, span.label) == suggestion["span"] else span
                     for span in spans]
    return sentiment, topics, sorted(spans, key=lambda span: (span.start, span.end, span.label))


def _overlap_check(spans: list[SpanInput], waiting: list[dict]) -> None:
    """Refuse accepting pending spans that would overlap another span (the project forbids it)."""
    accepted = {suggestion["key"]: suggestion for suggestion in waiting if suggestion["kind"] == "span"}
    clashes: dict[str, list[str]] = {}
    for index, span in enumerate(spans):  # sorted by start: each span is checked against the ones after it
        for other in spans[index + 1:]:
            if other.start >= span.end:
                break
            keys = span_key(span.start, span.end, span.label), span_key(other.start, other.end, other.label)
            for mine, theirs in (keys, keys[::-1]):
                if mine in accepted:
                    clashes.setdefault(mine, []).append(theirs)
    if clashes:
        raise PendingOverlap(
            f"Pending span suggestions ({len(clashes)}) overlap other spans, which this project does not allow: "
            "accept or reject them one by one.",
            detail={"overlapping": [{**pending_entry(accepted[key]), "overlaps": sorted(others)}
                                    for key, others in sorted(clashes.items())]})
