"""Submitting annotations, validation, stale edits, and review into gold."""

import pytest

from annotations.models import Annotation, Gold, Item
from annotations.queue import assignment_claim_next
from annotations.services import annotation_submit
from annotations.gold import gold_accept, item_send_back
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
