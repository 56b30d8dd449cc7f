"""Where each submitted label came from, and what became of each suggestion: accepted, changed,
typed by a person, rejected or pending (pure: the suggestions are made from unsaved predictions
by the same function the labeling page uses)."""

import pytest

from annotations.models import Prediction, Topic
from annotations.preannotation.suggestions import suggestions_from
from annotations.provenance import Pending, PendingOverlap, PendingSuggestions, labels_derive
from annotations.validation import SpanInput

BODY = "Mayor Zoë Brandt 🚀 met Harbor Ledger editors in Portvale on Monday."
SCHEMA = {"entity_types": [{"name": "PERSON"}, {"name": "ORG"}, {"name": "GPE"}],
          "sentiment_scale": ["negative", "neutral", "positive"], "entity_sentiment": True}
POLITICS, ECONOMY = Topic(pk=1, name="Politics"), Topic(pk=2, name="Economy")


def at(words, label, sentiment=""):
    start = BODY.index(words)
    return SpanInput(start, start + len(words), label, words, sentiment)


def key(words, label, kind="span"):
    start = BODY.index(words)
    return f"{kind}:{start}:{start + len(words)}:{label}"


def suggested(words, label, score=0.9, **extra):
    start = BODY.index(words)
    return {"start": start, "end": start + len(words), "label": label, "text": words, "score": score, **extra}


def offered(*predictions, schema=SCHEMA):
    return suggestions_from(list(predictions), body=BODY, schema=schema, topics=[POLITICS, ECONOMY])


def ner(*spans, version="3", **labels):
    return Prediction(predictor="spacy-ner", version=version, labels={"spans": list(spans), **labels})


def brandt_is_criticised():
    """spaCy suggests two spans and a negative sentiment toward Zoë Brandt."""
    return ner(suggested("Zoë Brandt", "PERSON", entity=0), suggested("Harbor Ledger editors", "ORG"),
               entities=[{"name": "Zoë Brandt", "label": "PERSON", "mentions": [0], "sentiment": "negative"}])


def mood_and_topics():
    return Prediction(predictor="vader", version="1", labels={
        "sentiment": {"label": "positive", "polarity": 0.3, "score": 0.3},
        "topics": [{"id": 1, "score": 0.6}, {"id": 2, "score": 0.24}]})


def derive(suggestions, *, sentiment="", topics=(), spans=(), **options):
    return labels_derive(offered=suggestions, sentiment=sentiment, topics=list(topics), spans=list(spans), **options)


def origins(span):
    return span.origin, span.sentiment_origin, span.predictor, span.predictor_version


# --- accepted, changed, person --------------------------------------------------------------

def test_labels_equal_to_the_suggestions_are_accepted_with_their_predictor_and_version():
    labels = derive(offered(brandt_is_criticised(), mood_and_topics()), sentiment="positive", topics=[1, 2],
                    spans=[at("Zoë Brandt", "PERSON", "negative"), at("Harbor Ledger editors", "ORG")])

    assert [origins(span) for span in labels.spans] == [("accepted", "accepted", "spacy-ner", "3"),
                                                        ("accepted", "", "spacy-ner", "3")]
    vader = {"origin": "accepted", "predictor": "vader", "version": "1"}
    assert labels.provenance == {"sentiment": vader, "topics": {"1": vader, "2": vader}}
    assert labels.rejected == []
    assert set(labels.fates.values()) == {"accepted"} and len(labels.fates) == 6


def test_other_offsets_label_or_sentiment_than_suggested_are_changed_suggestions():
    labels = derive(offered(brandt_is_criticised(), mood_and_topics()), sentiment="negative", topics=[1, 2],
                    spans=[at("Brandt", "PERSON", "positive"), at("Harbor Ledger", "ORG")])

    assert [origins(span) for span in labels.spans] == [("changed", "changed", "spacy-ner", "3"),
                                                        ("changed", "", "spacy-ner", "3")]
    assert labels.provenance["sentiment"] == {"origin": "changed", "predictor": "vader", "version": "1"}
    assert labels.fates == {key("Zoë Brandt", "PERSON"): "changed", key("Harbor Ledger editors", "ORG"): "changed",
                            key("Zoë Brandt", "PERSON", "entity-sentiment"): "changed",
                            "sentiment": "changed", "topic:1": "accepted", "topic:2": "accepted"}


def test_a_span_with_another_label_over_the_suggestion_is_changed():
    [span] = derive(offered(brandt_is_criticised()), pending=Pending.REJECT,
                    spans=[at("Harbor Ledger editors", "PERSON")]).spans
    assert origins(span) == ("changed", "", "spacy-ner", "3")


def test_labels_without_suggestions_are_typed_by_a_person():
    labels = derive(offered(), sentiment="neutral", topics=[2], spans=[at("Portvale", "GPE", "neutral")])

    assert [origins(span) for span in labels.spans] == [("person", "person", "", "")]
    person = {"origin": "person", "predictor": "", "version": ""}
    assert labels.provenance == {"sentiment": person, "topics": {"2": person}}
    assert (labels.rejected, labels.fates) == ([], {})


def test_a_span_beside_the_suggestions_and_a_topic_not_suggested_are_a_persons():
    labels = derive(offered(brandt_is_criticised(), mood_and_topics()), pending=Pending.REJECT, topics=[1, 3],
                    spans=[at("Portvale", "GPE")])
    assert origins(labels.spans[0]) == ("person", "", "", "")
    assert labels.provenance["topics"]["3"] == {"origin": "person", "predictor": "", "version": ""}


# --- pending: refused, accepted, rejected -------------------------------------------------------

def test_pending_suggestions_refuse_the_submit_listing_every_one():
    with pytest.raises(PendingSuggestions) as refused:
        derive(offered(brandt_is_criticised(), mood_and_topics()), topics=[2])

    assert refused.value.code == "pending_suggestions"
    brandt = {"start": 6, "end": 16, "label": "PERSON", "text": "Zoë Brandt"}
    assert refused.value.detail == {"pending": [
        {"key": "sentiment", "kind": "sentiment", "predictor": "vader", "version": "1", "value": "positive"},
        {"key": "topic:1", "kind": "topic", "predictor": "vader", "version": "1", "id": 1, "name": "Politics"},
        {"key": "span:6:16:PERSON", "kind": "span", "predictor": "spacy-ner", "version": "3", **brandt},
        {"key": "entity-sentiment:6:16:PERSON", "kind": "entity_sentiment", "predictor": "spacy-ner", "version": "3",
         **brandt, "value": "negative"},
        {"key": "span:23:44:ORG", "kind": "span", "predictor": "spacy-ner", "version": "3",
         "start": 23, "end": 44, "label": "ORG", "text": "Harbor Ledger editors"},
    ]}


def test_accepting_a_span_leaves_the_sentiment_suggested_toward_it_pending():
    with pytest.raises(PendingSuggestions) as refused:
        derive(offered(brandt_is_criticised()), spans=[at("Zoë Brandt", "PERSON"), at("Harbor Ledger editors", "ORG")])
    assert [entry["key"] for entry in refused.value.detail["pending"]] == [
        key("Zoë Brandt", "PERSON", "entity-sentiment")]


def test_pending_accept_adds_every_pending_suggestion_as_an_accepted_label():
    labels = derive(offered(brandt_is_criticised(), mood_and_topics()), topics=[2],
                    spans=[at("Portvale", "GPE")], pending=Pending.ACCEPT)

    assert (labels.sentiment, labels.topics) == ("positive", [1, 2])
    assert [(span.text, span.sentiment, *origins(span)) for span in labels.spans] == [
        ("Zoë Brandt", "negative", "accepted", "accepted", "spacy-ner", "3"),
        ("Harbor Ledger editors", "", "accepted", "", "spacy-ner", "3"),
        ("Portvale", "", "person", "", "", "")]
    assert labels.provenance["sentiment"]["origin"] == "accepted"
    assert set(labels.fates.values()) == {"accepted"}


def test_pending_reject_records_every_pending_suggestion_as_rejected():
    labels = derive(offered(brandt_is_criticised(), mood_and_topics()), topics=[1],
                    spans=[at("Zoë Brandt", "PERSON")], pending=Pending.REJECT)

    assert (labels.sentiment, labels.topics, [span.sentiment for span in labels.spans]) == ("", [1], [""])
    assert labels.rejected == [
        {"key": "entity-sentiment:6:16:PERSON", "predictor": "spacy-ner", "version": "3"},
        {"key": "sentiment", "predictor": "vader", "version": "1"},
        {"key": "span:23:44:ORG", "predictor": "spacy-ner", "version": "3"},
        {"key": "topic:2", "predictor": "vader", "version": "1"}]
    assert labels.fates["topic:2"] == "rejected" and labels.fates["topic:1"] == "accepted"


def test_accepting_pending_spans_that_would_overlap_is_refused_listing_them():
    gazetteer = Prediction(predictor="gazetteer", version="7", labels={"spans": [suggested("Harbor Ledger", "ORG")]})
    with pytest.raises(PendingOverlap) as refused:
        derive(offered(brandt_is_criticised(), gazetteer), spans=[at("Zoë Brandt", "PERSON", "negative")],
               pending=Pending.ACCEPT)

    overlapping = refused.value.detail["overlapping"]
    assert [(entry["key"], entry["overlaps"]) for entry in overlapping] == [
        (key("Harbor Ledger", "ORG"), [key("Harbor Ledger editors", "ORG")]),
        (key("Harbor Ledger editors", "ORG"), [key("Harbor Ledger", "ORG")])]


def test_overlapping_pending_spans_are_accepted_where_the_project_allows_overlaps():
    gazetteer = Prediction(predictor="gazetteer", version="7", labels={"spans": [suggested("Harbor Ledger", "ORG")]})
    labels = derive(offered(brandt_is_criticised(), gazetteer), spans=[at("Zoë Brandt", "PERSON", "negative")],
                    pending=Pending.ACCEPT, allow_overlapping_spans=True)
    assert [(span.text, span.predictor) for span in labels.spans] == [
        ("Zoë Brandt", "spacy-ner"), ("Harbor Ledger", "gazetteer"), ("Harbor Ledger editors", "spacy-ner")]


def test_a_span_over_a_suggestion_decides_it_only_where_spans_may_not_overlap():
    suggestions = offered(ner(suggested("Harbor Ledger editors", "ORG")))
    labels = derive(suggestions, spans=[at("Harbor Ledger", "ORG")])
    assert labels.fates == {key("Harbor Ledger editors", "ORG"): "changed"}

    with pytest.raises(PendingSuggestions) as refused:
        derive(suggestions, spans=[at("Harbor Ledger", "ORG")], allow_overlapping_spans=True)
    assert [entry["key"] for entry in refused.value.detail["pending"]] == [key("Harbor Ledger editors", "ORG")]


# --- rejections ------------------------------------------------------------------------------

def test_rejected_suggestions_are_stored_and_stay_rejected_in_the_next_version():
    suggestions = offered(brandt_is_criticised(), mood_and_topics())
    first = derive(suggestions, topics=[1, 2], spans=[at("Zoë Brandt", "PERSON", "negative")],
                   rejected=["sentiment", key("Harbor Ledger editors", "ORG")])
    assert [record["key"] for record in first.rejected] == ["sentiment", key("Harbor Ledger editors", "ORG")]

    second = derive(suggestions, topics=[1, 2], spans=[at("Zoë Brandt", "PERSON", "negative")],
                    previous_rejected=first.rejected)
    assert second.rejected == first.rejected
    assert second.fates["sentiment"] == "rejected"


def test_a_rejected_suggestion_submitted_later_is_accepted_and_no_longer_rejected():
    suggestions = offered(mood_and_topics())
    previous = [{"key": "sentiment", "predictor": "vader", "version": "1"},
                {"key": "topic:9", "predictor": "vader", "version": "0"}]  # no longer offered: kept
    labels = derive(suggestions, sentiment="positive", topics=[1, 2], previous_rejected=previous)
    assert labels.provenance["sentiment"]["origin"] == "accepted"
    assert labels.rejected == [{"key": "topic:9", "predictor": "vader", "version": "0"}]


def test_another_sentiment_than_a_rejected_one_is_still_a_changed_suggestion_and_the_rejection_stays():
    labels = derive(offered(mood_and_topics()), sentiment="negative", topics=[1, 2], rejected=["sentiment"])
    assert labels.provenance["sentiment"] == {"origin": "changed", "predictor": "vader", "version": "1"}
    assert [record["key"] for record in labels.rejected] == ["sentiment"]


def test_rejecting_a_span_also_settles_the_sentiment_toward_it():
    labels = derive(offered(brandt_is_criticised()), spans=[at("Harbor Ledger editors", "ORG")],
                    rejected=[key("Zoë Brandt", "PERSON")])
    assert labels.fates == {key("Zoë Brandt", "PERSON"): "rejected", key("Harbor Ledger editors", "ORG"): "accepted"}
    assert [record["key"] for record in labels.rejected] == [key("Zoë Brandt", "PERSON")]


def test_keys_not_offered_are_ignored():
    labels = derive(offered(), sentiment="neutral", rejected=["topic:42", "span:0:5:PERSON", "nonsense"])
    assert (labels.rejected, labels.fates) == ([], {})


def test_a_suggestion_taken_as_it_is_by_one_label_stays_accepted_when_another_changes_it():
    editors = ner(suggested("Harbor Ledger editors", "ORG", entity=0),
                  entities=[{"name": "Harbor Ledger", "label": "ORG", "mentions": [0], "sentiment": "negative"}])
    labels = derive(offered(editors), spans=[at("Harbor", "ORG", "negative"), at("editors", "ORG", "positive")])
    assert [span.sentiment_origin for span in labels.spans] == ["accepted", "changed"]
    assert labels.fates[key("Harbor Ledger editors", "ORG", "entity-sentiment")] == "accepted"
