"""Gold is deliberate and reversible: unanimity by the reviewer's own rule (entity sentiment
included), gold versions, reopening with a reason, sending back with a note, composed gold's
provenance, and exports of the current version only."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from annotations.datasets.exports import ExportFilters, export_records
from annotations.gold import gold_accept, gold_reopen, item_gold_if_unanimous, item_send_back
from annotations.models import Gold, Item, SendBack
from annotations.queue import assignment_create
from annotations.review import disagreeing_parts
from annotations.selectors import item_review
from annotations.services import annotation_submit
from annotations.validation import SpanInput
from newsroom.errors import Conflict, DomainError
from tests.factories import ArticleFactory, ItemFactory, ProjectFactory, member

pytestmark = pytest.mark.django_db

BODY = "Mayor Ana Reyes opened the bridge in Portvale on Monday. Crowds cheered."


@pytest.fixture
def project():
    return ProjectFactory(overlap=2, entity_sentiment=True)


@pytest.fixture
def item(project):
    return ItemFactory(project=project, article=ArticleFactory(body=BODY))


def span(words, label, sentiment=""):
    start = BODY.index(words)
    return SpanInput(start, start + len(words), label, words, sentiment)


def submit(item, name, *, sentiment="positive", topics=(), spans=()):
    annotator = member(item.project, "annotator", username=name)
    assignment_create(item=item, annotator=annotator)
    return annotation_submit(item=item, annotator=annotator, sentiment=sentiment, topics=topics, spans=spans)


def politics(project):
    return project.topics.get(name="Politics").pk


# --- unanimity: the rule the reviewer sees --------------------------------------------

@pytest.mark.parametrize("ben, part", [
    ({"sentiment": "negative"}, "sentiment"),
    ({"topics": "politics"}, "topics"),
    ({"spans": [span("Ana Reyes", "PERSON", "positive"), span("Portvale", "GPE")]}, "spans"),
    ({"spans": [span("Ana Reyes", "PERSON", "negative")]}, "entity sentiment"),
    ({"spans": [span("Ana Reyes", "PERSON")]}, "entity sentiment"),  # none against "positive"
])
def test_auto_gold_never_accepts_what_the_reviewer_sees_as_a_disagreement(project, item, ben, part):
    project.auto_gold_unanimous = True
    project.save()
    ana = {"sentiment": "positive", "topics": [], "spans": [span("Ana Reyes", "PERSON", "positive")]}
    ben = {**ana, **ben}
    if ben["topics"] == "politics":
        ben["topics"] = [politics(project)]

    submit(item, "ana", **ana)
    submit(item, "ben", **ben)

    assert not Gold.objects.exists()
    assert Item.objects.get(pk=item.pk).status == Item.Status.ANNOTATED
    assert disagreeing_parts(item_review(item=item)["disagreements"]) == [part]
    assert item_gold_if_unanimous(item=item) is None
    assert Item.objects.get(pk=item.pk).agreement < 1.0


def test_unanimous_annotators_entity_sentiment_included_become_gold(project, item):
    project.auto_gold_unanimous = True
    project.save()
    labels = {"sentiment": "neutral", "topics": [politics(project)], "spans": [span("Ana Reyes", "PERSON", "positive")]}

    submit(item, "ana", **labels)
    submit(item, "ben", **labels)

    gold = Gold.objects.get(item=item)
    assert (gold.origin, gold.version, gold.status) == (Gold.Origin.UNANIMOUS, 1, Gold.Status.ACCEPTED)
    assert list(gold.spans.values_list("text", "sentiment")) == [("Ana Reyes", "positive")]
    assert disagreeing_parts(item_review(item=item)["disagreements"]) == []
    assert Item.objects.get(pk=item.pk).agreement == 1.0


def test_the_review_shows_the_votes_on_each_entity_sentiment(item):
    submit(item, "ana", spans=[span("Ana Reyes", "PERSON", "positive"), span("Portvale", "GPE", "neutral")])
    submit(item, "ben", spans=[span("Ana Reyes", "PERSON", "negative"), span("Portvale", "GPE", "neutral")])

    spans = {s["text"]: s for s in item_review(item=item)["disagreements"]["spans"]}

    assert spans["Ana Reyes"]["agreed"] is True, "both marked the span"
    assert spans["Ana Reyes"]["sentiment"] == {"agreed": False, "votes": {"positive": ["ana"], "negative": ["ben"]},
                                               "accepted": []}
    assert spans["Portvale"]["sentiment"]["agreed"] is True


# --- versions, reopening, exports -----------------------------------------------------

def exported_gold(project):
    return [(record.gold.sentiment if record.gold else None)
            for record in export_records(project=project, filters=ExportFilters(gold_only=True))]


def test_reopened_gold_keeps_who_when_why_and_the_next_accept_is_a_new_version(project, item):
    annotation = submit(item, "ana", sentiment="negative")
    reviewer, second = member(project, "reviewer"), member(project, "reviewer")
    first = gold_accept(item=item, reviewer=reviewer, annotation=annotation, note="Clear case.")
    assert exported_gold(project) == ["negative"]

    reopened = gold_reopen(item=item, reviewer=second, reason="  The mayor was criticised, not praised.  ")

    assert reopened.pk == first.pk
    assert (reopened.status, reopened.reopened_by, reopened.reopen_reason) == (
        Gold.Status.REOPENED, second, "The mayor was criticised, not praised.")
    assert reopened.reopened_at is not None and reopened.note == "Clear case."
    assert Item.objects.get(pk=item.pk).status == Item.Status.ANNOTATED
    assert exported_gold(project) == [], "reopened gold is not exported"

    again = gold_accept(item=item, reviewer=second, sentiment="positive")

    assert (again.version, again.status) == (2, Gold.Status.ACCEPTED)
    assert exported_gold(project) == ["positive"]
    assert [(g["version"], g["status"]) for g in item_review(item=item)["gold_history"]] == [
        (2, "accepted"), (1, "reopened")]
    assert Item.objects.get(pk=item.pk).status == Item.Status.GOLD


def test_accepting_again_supersedes_and_exports_only_the_current_version(project, item):
    reviewer = member(project, "reviewer")
    gold_accept(item=item, reviewer=reviewer, sentiment="negative")
    gold_accept(item=item, reviewer=reviewer, sentiment="neutral")
    latest = gold_accept(item=item, reviewer=reviewer, sentiment="positive")

    assert list(item.gold.values_list("version", "status")) == [
        (3, "accepted"), (2, "superseded"), (1, "superseded")]
    assert latest.version == 3
    assert exported_gold(project) == ["positive"]


def test_reopening_needs_a_reason_and_accepted_gold(project, item):
    reviewer = member(project, "reviewer")
    with pytest.raises(Conflict):
        gold_reopen(item=item, reviewer=reviewer, reason="Looks wrong.")
    gold_accept(item=item, reviewer=reviewer, sentiment="neutral")

    with pytest.raises(DomainError) as error:
        gold_reopen(item=item, reviewer=reviewer, reason="   ")

    assert "reason" in error.value.detail
    assert item.gold.get().status == Gold.Status.ACCEPTED


# --- send back --------------------------------------------------------------------------

def test_send_back_stores_the_note_and_reopens_gold(project, item):
    ana = submit(item, "ana").annotator
    submit(item, "ben")
    reviewer = member(project, "reviewer")
    gold_accept(item=item, reviewer=reviewer, sentiment="positive")

    item = item_send_back(item=item, reviewer=reviewer, note="Tag Portvale as a place.")

    note = SendBack.objects.get(item=item)
    assert (note.reviewer, note.note) == (reviewer, "Tag Portvale as a place.")
    gold = item.gold.get()
    assert (gold.status, gold.reopened_by) == (Gold.Status.REOPENED, reviewer)
    assert gold.reopen_reason == "Sent back to the annotators: Tag Portvale as a place."
    assert (item.status, item.submitted_count) == (Item.Status.OPEN, 0)
    assert item.assignments.get(annotator=ana).status == "active"
    assert item_review(item=item)["send_backs"][0]["note"] == "Tag Portvale as a place."


def test_send_back_without_a_note_is_refused(project, item):
    submit(item, "ana")
    with pytest.raises(DomainError):
        item_send_back(item=item, reviewer=member(project, "reviewer"), note=" ")
    assert not SendBack.objects.exists()
    assert item.assignments.get().status == "submitted"


# --- composed gold's provenance ---------------------------------------------------------

def test_composed_gold_takes_each_labels_provenance_from_the_annotators(project, item):
    topic = politics(project)
    ana = submit(item, "ana", sentiment="negative", topics=[topic],
                 spans=[span("Ana Reyes", "PERSON", "positive"), span("Portvale", "GPE")])
    submit(item, "ben", sentiment="negative", spans=[span("Ana Reyes", "PERSON", "negative")])
    # As the submit records them: ana accepted spaCy's span and changed its sentiment, and VADER's sentiment.
    ana.provenance = {"sentiment": {"origin": "accepted", "predictor": "vader-sentiment", "version": "3.3"},
                      "topics": {str(topic): {"origin": "person"}}}
    ana.save()
    ana.spans.filter(text="Ana Reyes").update(origin="accepted", sentiment_origin="changed", predictor="spacy-ner",
                                              predictor_version="3.8")

    gold = gold_accept(item=item, reviewer=member(project, "reviewer"), sentiment="negative", topics=[topic],
                       spans=[span("Ana Reyes", "PERSON", "negative"), span("Portvale", "GPE", "neutral"),
                              SpanInput(0, 5, "PERSON", "Mayor", origin="accepted", predictor="forged")])

    assert gold.provenance == {"sentiment": {"origin": "accepted", "predictor": "vader-sentiment", "version": "3.3"},
                               "topics": {str(topic): {"origin": "person"}}}
    spans = {s.text: (s.origin, s.sentiment, s.sentiment_origin, s.predictor, s.predictor_version)
             for s in gold.spans.all()}
    assert spans == {
        # The span is spaCy's (ana accepted it); "negative" toward her is ben's, typed.
        "Ana Reyes": ("accepted", "negative", "person", "spacy-ner", "3.8"),
        # Ana typed the span; the sentiment toward Portvale nobody gave: the reviewer's.
        "Portvale": ("person", "neutral", "person", "", ""),
        # Nobody marked it: the reviewer's, whatever the request claimed.
        "Mayor": ("person", "", "", "", ""),
    }


def test_gold_note_is_kept_with_its_version(project, item):
    gold = gold_accept(item=item, reviewer=member(project, "reviewer"), sentiment="neutral", note=" Borderline. ")
    assert gold.note == "Borderline."


# --- the API ----------------------------------------------------------------------------

def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_reopens_gold_with_a_reason_and_shows_the_history(project, item):
    reviewer = member(project, "reviewer", username="rita")
    client = client_for(reviewer)
    assert client.post(f"/api/items/{item.pk}/gold/reopen/", {"reason": "Wrong."}, format="json").status_code == 409
    accepted = client.post(f"/api/items/{item.pk}/gold/", {"sentiment": "neutral", "note": "Calm piece."},
                           format="json")
    assert accepted.status_code == 201 and accepted.json()["version"] == 1

    assert client.post(f"/api/items/{item.pk}/gold/reopen/", {"reason": ""}, format="json").status_code == 400
    annotator = member(project, "annotator")
    assert client_for(annotator).post(f"/api/items/{item.pk}/gold/reopen/", {"reason": "Mine."},
                                      format="json").status_code in (403, 404)
    response = client.post(f"/api/items/{item.pk}/gold/reopen/", {"reason": "It is angry, not calm."}, format="json")

    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["gold"]["status"], body["gold"]["reopened_by"], body["gold"]["reopen_reason"]) == (
        "annotated", "reopened", "rita", "It is angry, not calm.")
    history = client.get(f"/api/items/{item.pk}/review/").json()["gold_history"]
    assert [(g["version"], g["status"], g["reviewer"], g["note"], g["reopen_reason"]) for g in history] == [
        (1, "reopened", "rita", "Calm piece.", "It is angry, not calm.")]


def test_api_send_back_needs_a_note(project, item):
    submit(item, "ana")
    client = client_for(member(project, "reviewer"))

    refused = client.post(f"/api/items/{item.pk}/send-back/", {}, format="json")
    sent = client.post(f"/api/items/{item.pk}/send-back/", {"note": "Mark the bridge's town."}, format="json")

    assert refused.status_code == 400 and "note" in refused.json()["error"]["detail"]
    assert sent.status_code == 200 and sent.json()["status"] == "open"
    assert list(SendBack.objects.values_list("note", flat=True)) == ["Mark the bridge's town."]


# --- the admin ----------------------------------------------------------------------------

def test_admin_shows_the_gold_history_read_only_with_the_item(admin_client, project, item):
    reviewer = member(project, "reviewer")
    first = gold_accept(item=item, reviewer=reviewer, sentiment="negative")
    gold_reopen(item=item, reviewer=reviewer, reason="Sarcasm, read again.")
    gold_accept(item=item, reviewer=reviewer, sentiment="positive")
    item_send_back(item=item, reviewer=reviewer, note="Mind the sarcasm.")

    page = admin_client.get(reverse("admin:annotations_item_change", args=[item.pk])).content.decode()
    reopened = admin_client.get(reverse("admin:annotations_gold_changelist"), {"status__exact": "reopened"})
    change = admin_client.get(reverse("admin:annotations_gold_change", args=[first.pk])).content.decode()

    assert "Gold history" in page and "Sarcasm, read again." in page and "Mind the sarcasm." in page
    assert [gold.version for gold in reopened.context["cl"].result_list] == [2, 1]
    assert "Sarcasm, read again." in change and 'name="sentiment"' not in change
