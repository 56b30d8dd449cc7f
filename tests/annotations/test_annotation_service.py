"""Submitting annotations, validation, stale edits, and review into gold."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from annotations.models import Annotation, Gold, Item, ProjectAgreement
from annotations.queue import assignment_claim_next, assignment_create
from annotations.services import annotation_submit
from annotations.gold import gold_accept, item_send_back
from annotations.provenance import PendingSuggestions
from annotations.validation import SpanInput
from newsroom.errors import Conflict, DomainError
from tests.factories import ArticleFactory, ItemFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db

BODY = "Mayor Zoë Brandt 🚀 met Harbor Ledger editors in Portvale on Monday."


@pytest.fixture
def project():
    return ProjectFactory(overlap=2)


@pytest.fixture
def item(project):
    return ItemFactory(project=project, article=ArticleFactory(body=BODY))


def span(text, label, occurrence=0):
    start = BODY.index(text)
    return SpanInput(start, start + len(text), label, text)


def claim(project, user=None):
    user = user or UserFactory()
    assignment_claim_next(project=project, annotator=user)
    return user


def topic(project, name):
    return project.topics.get(name=name).pk


def test_submit_stores_labels_and_completes_the_assignment(project, item):
    user = claim(project)
    annotation = annotation_submit(item=item, annotator=user, sentiment="positive",
                                   topics=[topic(project, "Politics")],
                                   spans=[span("Zoë Brandt", "PERSON"), span("Portvale", "GPE")])
    assert annotation.version == 1 and annotation.lead_time_ms >= 0
    stored = list(annotation.spans.values_list("start", "end", "label", "text"))
    assert stored == [(6, 16, "PERSON", "Zoë Brandt"), (BODY.index("Portvale"), BODY.index("Portvale") + 8, "GPE",
                                                           "Portvale")]
    assert item.assignments.get(annotator=user).status == "submitted"
    item.refresh_from_db()
    assert (item.submitted_count, item.status) == (1, "open")


def test_offsets_after_an_astral_character_are_code_points(project, item):
    user = claim(project)
    annotation = annotation_submit(item=item, annotator=user, spans=[span("Harbor Ledger", "ORG")])
    saved = annotation.spans.get()
    assert BODY[saved.start:saved.end] == "Harbor Ledger"


@pytest.mark.parametrize("spans, field, words", [
    ([SpanInput(5, 3, "PERSON", "")], "spans[0]", "start < end"),
    ([SpanInput(0, 999, "PERSON", "")], "spans[0]", "<= "),
    ([SpanInput(6, 16, "ANIMAL", "Zoë Brandt")], "spans[0]", "not one of"),
    ([SpanInput(6, 16, "PERSON", "Zoe Brandt")], "spans[0]", "does not match"),
    ([SpanInput(6, 16, "PERSON", "Zoë Brandt"), SpanInput(10, 16, "PERSON", "Brandt")], "spans[1]", "Overlaps"),
])
def test_invalid_spans_are_refused_with_a_reason(project, item, spans, field, words):
    user = claim(project)
    with pytest.raises(DomainError) as error:
        annotation_submit(item=item, annotator=user, spans=spans)
    assert words in " ".join(error.value.detail[field])
    assert not Annotation.objects.exists()


def test_sentiment_and_topics_must_be_in_the_schema(project, item):
    user = claim(project)
    with pytest.raises(DomainError) as error:
        annotation_submit(item=item, annotator=user, sentiment="ecstatic", topics=[999_999])
    assert set(error.value.detail) == {"sentiment", "topics"}


def test_overlapping_spans_allowed_when_the_project_says_so(project, item):
    project.allow_overlapping_spans = True
    project.save()
    user = claim(project)
    annotation = annotation_submit(item=item, annotator=user,
                                   spans=[span("Zoë Brandt", "PERSON"), span("Brandt", "PERSON")])
    assert annotation.spans.count() == 2


def test_every_submit_is_kept_and_a_stale_edit_is_refused(project, item):
    user = claim(project)
    first = annotation_submit(item=item, annotator=user, sentiment="neutral")
    second = annotation_submit(item=item, annotator=user, sentiment="positive", base_version=1)
    with pytest.raises(Conflict) as error:
        annotation_submit(item=item, annotator=user, sentiment="negative", base_version=1)
    assert error.value.detail == {"current_version": 2}
    assert [a.version for a in Annotation.objects.filter(item=item)] == [2, 1]
    assert (first.sentiment, second.sentiment) == ("neutral", "positive")
    item.refresh_from_db()
    assert item.submitted_count == 1, "edits do not count as new submits"


def test_an_annotator_without_the_item_cannot_submit(project, item):
    with pytest.raises(Conflict):
        annotation_submit(item=item, annotator=UserFactory(), sentiment="neutral")


def test_item_awaits_review_once_overlap_is_reached(project, item):
    for sentiment in ("positive", "negative"):
        annotation_submit(item=item, annotator=claim(project), sentiment=sentiment)
    item.refresh_from_db()
    assert (item.status, item.submitted_count) == ("annotated", 2)
    assert not Gold.objects.exists()


def test_unanimous_annotations_become_gold_when_allowed(project, item):
    project.auto_gold_unanimous = True
    project.save()
    for _ in range(2):
        annotation_submit(item=item, annotator=claim(project), sentiment="positive", spans=[span("Portvale", "GPE")])
    gold = Gold.objects.get(item=item)
    assert (gold.origin, gold.sentiment, gold.status) == ("unanimous", "positive", "accepted")
    assert list(gold.spans.values_list("text", flat=True)) == ["Portvale"]
    assert Item.objects.get(pk=item.pk).status == "gold"


def test_disagreeing_annotations_wait_for_review_even_when_unanimous_gold_is_on(project, item):
    project.auto_gold_unanimous = True
    project.save()
    for sentiment in ("positive", "neutral"):
        annotation_submit(item=item, annotator=claim(project), sentiment=sentiment)
    assert not Gold.objects.exists()


def test_reviewer_accepts_one_then_composes_gold_and_old_gold_is_superseded(project, item):
    annotation = annotation_submit(item=item, annotator=claim(project), sentiment="negative",
                                   spans=[span("Zoë Brandt", "PERSON")])
    reviewer = UserFactory()
    first = gold_accept(item=item, reviewer=reviewer, annotation=annotation)
    composed = gold_accept(item=item, reviewer=reviewer, sentiment="neutral",
                           spans=[span("Zoë Brandt", "PERSON"), span("Harbor Ledger", "ORG")])
    first.refresh_from_db()
    assert first.status == "superseded" and composed.status == "accepted"
    assert sorted(composed.spans.values_list("label", flat=True)) == ["ORG", "PERSON"]
    assert Gold.objects.filter(item=item, status="accepted").count() == 1


def test_send_back_reopens_the_item_for_its_annotators(project, item):
    users = [claim(project), claim(project)]
    for user in users:
        annotation_submit(item=item, annotator=user, sentiment="positive")
    gold_accept(item=item, reviewer=UserFactory(), sentiment="positive")
    item = item_send_back(item=item, reviewer=UserFactory(), note="Check the sentiment again.")
    assert (item.status, item.submitted_count) == ("open", 0)
    assert not Gold.objects.filter(status="accepted").exists()
    assert assignment_claim_next(project=project, annotator=users[0]).item_id == item.pk
    annotation_submit(item=item, annotator=users[0], sentiment="neutral", base_version=1)
    item.refresh_from_db()
    assert item.submitted_count == 1


def test_the_body_of_a_labelled_article_cannot_change(project, item):
    article = item.article
    article.body = BODY + " Unlabelled, so editable."
    article.save()
    annotation_submit(item=item, annotator=claim(project), sentiment="neutral")
    article.body = "Something else entirely."
    with pytest.raises(Conflict):
        article.save()
    article.refresh_from_db()
    assert article.body.endswith("Unlabelled, so editable.")
    article.title = "A new title is fine"
    article.save()


# --- suggestions: provenance, pending, rejections -----------------------------------------------

def suggest(item, *, predictor="spacy-ner", version="3", **labels):
    """A prediction on ``item``; spans are (words, label) pairs, with a negative sentiment toward
    the first when ``feeling`` is given."""
    feeling = labels.pop("feeling", None)
    spans = [{"start": s.start, "end": s.end, "label": s.label, "text": s.text, "score": 0.9}
             for s in (span(words, label) for words, label in labels.pop("spans", ()))]
    if feeling:
        spans[0]["entity"] = 0
        labels["entities"] = [{"name": spans[0]["text"], "label": spans[0]["label"], "mentions": [0],
                               "sentiment": feeling}]
    return item.predictions.create(predictor=predictor, version=version, labels={"spans": spans, **labels})


@pytest.fixture
def suggested(project, item):
    """spaCy suggests Zoë Brandt (with a negative sentiment toward her) and Portvale; VADER a
    positive document and the topic Politics."""
    project.entity_sentiment = True
    project.save()
    suggest(item, spans=[("Zoë Brandt", "PERSON"), ("Portvale", "GPE")], feeling="negative")
    suggest(item, predictor="vader", version="1", sentiment={"label": "positive", "score": 0.3},
            topics=[{"id": topic(project, "Politics"), "score": 0.24}])
    return item


def brandt(sentiment=""):
    return SpanInput(6, 16, "PERSON", "Zoë Brandt", sentiment)


def test_submit_with_suggestions_pending_is_refused_listing_them_and_saves_nothing(project, suggested):
    user = claim(project)
    with pytest.raises(PendingSuggestions) as refused:
        annotation_submit(item=suggested, annotator=user)
    assert [entry["key"] for entry in refused.value.detail["pending"]] == [
        "sentiment", f"topic:{topic(project, 'Politics')}", "span:6:16:PERSON", "entity-sentiment:6:16:PERSON",
        span_key_of("Portvale", "GPE")]
    assert not Annotation.objects.exists()
    assert suggested.assignments.get(annotator=user).status == "active"


def span_key_of(words, label):
    found = span(words, label)
    return f"span:{found.start}:{found.end}:{label}"


def test_accepting_a_suggested_span_leaves_the_sentiment_toward_it_pending(project, suggested):
    with pytest.raises(PendingSuggestions) as refused:
        annotation_submit(item=suggested, annotator=claim(project), spans=[brandt()],
                          rejected=["sentiment", f"topic:{topic(project, 'Politics')}", span_key_of("Portvale", "GPE")])
    assert [entry["key"] for entry in refused.value.detail["pending"]] == ["entity-sentiment:6:16:PERSON"]


def test_pending_accept_saves_the_suggestions_as_accepted_labels_with_their_provenance(project, suggested):
    annotation = annotation_submit(item=suggested, annotator=claim(project), sentiment="negative",
                                   spans=[span("Harbor Ledger", "ORG")], pending="accept")

    politics = topic(project, "Politics")
    assert (annotation.sentiment, annotation.topics) == ("negative", [politics])
    assert annotation.provenance == {
        "sentiment": {"origin": "changed", "predictor": "vader", "version": "1"},
        "topics": {str(politics): {"origin": "accepted", "predictor": "vader", "version": "1"}}}
    assert list(annotation.spans.values_list("text", "sentiment", "origin", "sentiment_origin", "predictor",
                                             "predictor_version")) == [
        ("Zoë Brandt", "negative", "accepted", "accepted", "spacy-ner", "3"),
        ("Harbor Ledger", "", "person", "", "", ""),
        ("Portvale", "", "accepted", "", "spacy-ner", "3")]
    assert annotation.rejected_suggestions == []


def test_pending_reject_stores_the_rejections_and_they_stay_in_the_next_version(project, suggested):
    user = claim(project)
    first = annotation_submit(item=suggested, annotator=user, spans=[brandt("positive")], pending="reject")
    rejected = ["sentiment", span_key_of("Portvale", "GPE"), f"topic:{topic(project, 'Politics')}"]
    assert [record["key"] for record in first.rejected_suggestions] == rejected
    assert first.spans.get().sentiment_origin == "changed"

    second = annotation_submit(item=suggested, annotator=user, spans=[brandt("positive")], base_version=1)
    assert [record["key"] for record in second.rejected_suggestions] == rejected

    third = annotation_submit(item=suggested, annotator=user, spans=[brandt("positive"), span("Portvale", "GPE")],
                              base_version=2)
    assert [record["key"] for record in third.rejected_suggestions] == [rejected[0], rejected[2]]
    assert third.spans.get(text="Portvale").origin == "accepted"


def test_a_stale_edit_is_still_a_conflict_when_suggestions_are_pending(project, suggested):
    user = claim(project)
    annotation_submit(item=suggested, annotator=user, pending="reject")
    annotation_submit(item=suggested, annotator=user, base_version=1)
    with pytest.raises(Conflict) as error:  # other labels: an edit, not a retry of the saved submit
        annotation_submit(item=suggested, annotator=user, sentiment="negative", base_version=1, pending="refuse")
    assert error.value.detail == {"current_version": 2}


def test_labels_on_an_item_without_predictions_are_a_persons(project, item):
    annotation = annotation_submit(item=item, annotator=claim(project), sentiment="neutral",
                                   topics=[topic(project, "Economy")], spans=[span("Portvale", "GPE")])
    person = {"origin": "person", "predictor": "", "version": ""}
    assert annotation.provenance == {"sentiment": person, "topics": {str(topic(project, "Economy")): person}}
    assert annotation.spans.get().origin == "person"
    assert (annotation.rejected_suggestions, annotation.suggestion_outcomes.count()) == ([], 0)


def test_gold_from_an_annotation_copies_its_provenance(project, suggested):
    annotation = annotation_submit(item=suggested, annotator=claim(project), spans=[brandt("positive")],
                                   sentiment="positive", pending="reject")
    gold = gold_accept(item=suggested, reviewer=UserFactory(), annotation=annotation)
    assert gold.provenance == annotation.provenance
    assert gold.provenance["sentiment"] == {"origin": "accepted", "predictor": "vader", "version": "1"}
    assert list(gold.spans.values_list("origin", "sentiment_origin", "predictor", "predictor_version")) == [
        ("accepted", "changed", "spacy-ner", "3")]


def test_the_submit_makes_no_query_per_span(project):
    words = [("Zoë Brandt", "PERSON"), ("Harbor Ledger", "ORG"), ("Portvale", "GPE"), ("Monday", "ORG")]
    # The project's first label change creates its agreement report's row; both submits come after.
    ProjectAgreement.objects.create(project=project, stale_since=timezone.now())
    queries = []
    for count in (1, len(words)):
        item = ItemFactory(project=project, article=ArticleFactory(body=BODY))
        suggest(item, spans=words, feeling="negative")
        user = UserFactory()
        assignment_create(item=item, annotator=user)
        spans = [span(text, label) for text, label in words[:count]]
        with CaptureQueriesContext(connection) as captured:
            annotation = annotation_submit(item=item, annotator=user, spans=spans, pending="accept")
        assert annotation.spans.count() == len(words)
        queries.append(len(captured))
    assert queries[0] == queries[1]
