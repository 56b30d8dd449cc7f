"""Per-item agreement, stored at submit, and the item filters that use it."""

import pytest
from rest_framework.test import APIClient

from annotations import queue, services
from annotations.agreement.items import Labels, entity_sentiment_agreement, item_agreement, labels_agreement
from annotations.validation import SpanInput
from tests import factories

BODY = "Ana Reyes met the Harbour Board in Portvale."


def test_labels_agreement_parts():
    a = Labels("positive", frozenset({1}), frozenset({(0, 9, "PERSON")}))
    assert labels_agreement(a, a) == 1.0
    b = Labels("negative", frozenset({1, 2}), frozenset({(0, 9, "PERSON"), (35, 43, "GPE")}))
    # sentiment 0, topics 1/2, spans F1 2*1/(1+2)
    assert labels_agreement(a, b) == pytest.approx((0 + 0.5 + 2 / 3) / 3)
    assert labels_agreement(Labels("", frozenset(), frozenset()), Labels("", frozenset(), frozenset())) == 1.0


PERSON, PLACE = (0, 9, "PERSON"), (35, 43, "GPE")


def toward(**sentiments) -> Labels:
    """Positive, topic 1, both spans; the sentiment toward each entity as given ("" for none)."""
    spans = {"person": PERSON, "place": PLACE}
    return Labels("positive", frozenset({1}), frozenset(spans.values()),
                  frozenset((spans[name], value) for name, value in sentiments.items() if value))


def test_opposite_sentiment_toward_the_same_entity_is_a_disagreement():
    ana, ben = toward(person="positive", place="neutral"), toward(person="negative", place="neutral")

    # Sentiment 1, topics 1, spans 1; entity sentiment: same on the place, not on the person -> 1/2.
    assert entity_sentiment_agreement(ana, ben) == 0.5
    assert labels_agreement(ana, ben) == pytest.approx((1 + 1 + 1 + 0.5) / 4)
    assert item_agreement([ana, ben]) < 1.0
    assert labels_agreement(ana, ana) == 1.0


def test_a_sentiment_against_none_differs_and_spans_only_one_marked_are_not_judged():
    given, missing = toward(person="positive", place="neutral"), toward(person="positive")
    assert entity_sentiment_agreement(given, missing) == 0.5  # place: "neutral" against none

    only_ana = Labels("positive", frozenset(), frozenset({PERSON}), frozenset({(PERSON, "positive")}))
    only_ben = Labels("positive", frozenset(), frozenset({PLACE}), frozenset({(PLACE, "negative")}))
    assert entity_sentiment_agreement(only_ana, only_ben) is None  # the spans differ: span F1 says so
    assert labels_agreement(only_ana, only_ben) == pytest.approx((1 + 0) / 2)
    assert entity_sentiment_agreement(toward(), toward()) is None


def test_item_agreement_needs_two_annotators():
    labels = Labels("positive", frozenset(), frozenset())
    assert item_agreement([labels]) is None
    assert item_agreement([labels, labels, Labels("negative", frozenset(), frozenset())]) == pytest.approx(1 / 3)


def _submit(project, item, annotator, sentiment, topics=()):
    queue.assignment_claim_next(project=project, annotator=annotator)
    services.annotation_submit(item=item, annotator=annotator, sentiment=sentiment, topics=topics,
                               spans=[SpanInput(start=0, end=9, label="PERSON", text="Ana Reyes")])


@pytest.mark.django_db
def test_agreement_is_stored_and_filters_items():
    project = factories.ProjectFactory(overlap=2)
    agreed, disputed = (factories.ItemFactory(project=project, article=factories.ArticleFactory(body=BODY))
                        for _ in range(2))
    economy = project.topics.get(name="Economy").pk
    a, b = factories.member(project, "annotator"), factories.member(project, "annotator")
    _submit(project, agreed, a, "positive", [economy])
    _submit(project, disputed, a, "positive")
    _submit(project, agreed, b, "positive", [economy])
    _submit(project, disputed, b, "negative")
    agreed.refresh_from_db()
    disputed.refresh_from_db()
    assert agreed.agreement == 1.0 and disputed.agreement == pytest.approx(0.5)
    client = APIClient()
    client.force_authenticate(factories.member(project, "reviewer"))
    ids = lambda query: [i["id"] for i in client.get(f"/api/items/?project={project.pk}&{query}").json()["results"]]  # noqa: E731
    assert ids("agreement_max=0.9") == [disputed.pk]
    assert ids("agreement_min=0.9") == [agreed.pk]
    assert ids("ordering=agreement") == [disputed.pk, agreed.pk]
    assert ids(f"topic={economy}") == [agreed.pk]
