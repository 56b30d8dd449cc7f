"""The review list: items awaiting review, filtered, ordered and paginated by the agreement
stored at submit, in the query."""

import importlib
import re

import pytest
from django.apps import apps
from django.urls import reverse

from annotations.models import Item
from annotations.pages import review
from tests.factories import ItemFactory, ProjectFactory, label, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk():
    """Three items awaiting review, oldest first: agreed, disputed on everything, disputed on topics."""
    project = ProjectFactory(overlap=2)
    ana, ben = member(project, "annotator", username="ana"), member(project, "annotator", username="ben")
    politics, economy = (project.topics.get(name=name).pk for name in ("Politics", "Economy"))
    agreed, disputed, mild = ItemFactory.create_batch(3, project=project)
    for annotator in (ana, ben):
        label(agreed, annotator, sentiment="positive", spans=[("Ana Reyes", "PERSON")])
    label(disputed, ana, sentiment="positive", topics=[politics], spans=[("Ana Reyes", "PERSON")])
    label(disputed, ben, sentiment="negative", topics=[economy], spans=[("Portvale", "GPE")])
    label(mild, ana, sentiment="neutral", topics=[politics])
    label(mild, ben, sentiment="neutral", topics=[politics, economy])
    return project, agreed, disputed, mild


def listed(client, project, **params) -> list[int]:
    response = client.get(reverse("pages:review-list", args=[project.pk]), params)
    assert response.status_code == 200
    return [row["item"] for row in response.context["rows"]]


@pytest.fixture
def reviewer_client(client, desk):
    client.force_login(member(desk[0], "reviewer"))
    return client


def test_the_list_filters_by_disagreement(reviewer_client, desk):
    project, agreed, disputed, mild = desk

    assert listed(reviewer_client, project) == [agreed.pk, disputed.pk, mild.pk]
    assert listed(reviewer_client, project, disagreement="yes") == [disputed.pk, mild.pk]
    assert listed(reviewer_client, project, disagreement="no") == [agreed.pk]


def test_rows_say_what_the_annotators_disagree_on_and_how_much_they_agree(reviewer_client, desk):
    project, agreed, disputed, mild = desk
    response = reviewer_client.get(reverse("pages:review-list", args=[project.pk]))

    rows = {row["item"]: row for row in response.context["rows"]}
    assert rows[disputed.pk]["disagreements"] == ["sentiment", "topics", "spans"]
    assert rows[mild.pk]["disagreements"] == ["topics"]
    assert (rows[agreed.pk]["disagreements"], rows[agreed.pk]["agreement"]) == ([], 1.0)
    assert rows[agreed.pk]["annotators"] == ["ana", "ben"]
    assert f'<td class="agreement">{rows[mild.pk]["agreement"]:.2f}</td>' in response.content.decode()


def test_least_agreement_first_puts_items_without_an_agreement_last(reviewer_client, desk):
    project, agreed, disputed, mild = desk
    Item.objects.filter(pk=agreed.pk).update(agreement=None)  # as if fewer than two annotators

    assert listed(reviewer_client, project, order="agreement") == [disputed.pk, mild.pk, agreed.pk]
    assert listed(reviewer_client, project, order="whatever") == [agreed.pk, disputed.pk, mild.pk]
    assert listed(reviewer_client, project, disagreement="no") == [agreed.pk]


def test_the_filter_reads_the_stored_agreement_not_the_labels(reviewer_client, desk):
    project, agreed, disputed, mild = desk
    Item.objects.filter(pk=agreed.pk).update(agreement=0.5)

    assert listed(reviewer_client, project, disagreement="yes") == [agreed.pk, disputed.pk, mild.pk]


def test_only_the_shown_page_is_compared(reviewer_client, desk, monkeypatch, django_assert_max_num_queries):
    project, agreed, disputed, mild = desk
    monkeypatch.setattr(review, "REVIEW_PAGE_SIZE", 2)
    compared = []
    monkeypatch.setattr(review, "disagreements", lambda versions: compared.append(versions) or {
        "sentiment": {"agreed": True}, "topics": [], "spans": []})

    url = reverse("pages:review-list", args=[project.pk])
    first = reviewer_client.get(url, {"order": "agreement"}).context["page"]
    compared.clear()
    with django_assert_max_num_queries(12):
        response = reviewer_client.get(url, {"cursor": first.next_cursor, "order": "agreement"})

    assert [row["item"] for row in response.context["rows"]] == [agreed.pk]
    assert len(compared) == 1
    assert response.context["waiting"] == 3
    assert not response.context["page"].has_next
    previous = re.search(r'rel="prev" href="\?([^"]+)"', response.content.decode()).group(1)
    assert reviewer_client.get(f"{url}?{previous}").context["page"].rows == first.rows


def test_migration_backfills_the_agreement_of_items_labelled_before_it(desk):
    project, agreed, disputed, mild = desk
    expected = dict(Item.objects.values_list("pk", "agreement"))
    Item.objects.update(agreement=None)
    untouched = ItemFactory(project=project)  # nobody labelled it: stays None

    importlib.import_module("annotations.migrations.0005_item_agreement_backfill").backfill(apps, None)

    assert dict(Item.objects.exclude(pk=untouched.pk).values_list("pk", "agreement")) == expected
    assert expected[agreed.pk] == 1.0 and expected[disputed.pk] < expected[mild.pk] < 1.0
    assert Item.objects.get(pk=untouched.pk).agreement is None


# --- entity sentiment, gold history --------------------------------------------------

@pytest.fixture
def opposite(desk):
    """An item both annotators labelled alike except for the sentiment toward Ana Reyes."""
    project = desk[0]
    project.entity_sentiment = True
    project.save()
    item = ItemFactory(project=project)
    for name, toward in (("cara", "positive"), ("dan", "negative")):
        annotation = label(item, member(project, "annotator", username=name), sentiment="neutral",
                           spans=[("Ana Reyes", "PERSON")])
        annotation.spans.update(sentiment=toward)
    refresh = importlib.import_module("annotations.migrations.0007_review_item_agreement_entity_sentiment").refresh
    refresh(apps, None)  # the spans' sentiment was set after the submit stored the agreement
    return item


def test_the_list_shows_entity_sentiment_disagreements(reviewer_client, desk, opposite):
    project = desk[0]
    response = reviewer_client.get(reverse("pages:review-list", args=[project.pk]))

    row = next(row for row in response.context["rows"] if row["item"] == opposite.pk)
    assert row["disagreements"] == ["entity sentiment"]
    assert opposite.pk in listed(reviewer_client, project, disagreement="yes")
    assert opposite.pk not in listed(reviewer_client, project, disagreement="no")
    assert "entity sentiment" in response.content.decode()


def test_migration_refreshes_agreement_stored_before_entity_sentiment_counted(desk, opposite):
    project, agreed, disputed, mild = desk
    before = dict(Item.objects.values_list("pk", "agreement"))
    Item.objects.filter(pk=opposite.pk).update(agreement=1.0)  # as stored before: "unanimous"

    importlib.import_module("annotations.migrations.0007_review_item_agreement_entity_sentiment").refresh(apps, None)

    after = dict(Item.objects.values_list("pk", "agreement"))
    # Same sentiment, same span, opposite sentiment toward the entity: (1 + 1 + 0) / 3.
    assert after[opposite.pk] == pytest.approx(2 / 3)
    assert after == {**before, opposite.pk: pytest.approx(2 / 3)}


def test_the_item_page_carries_entity_sentiment_votes_agreement_and_gold_history(reviewer_client, desk, opposite):
    from annotations.gold import gold_accept, gold_reopen

    project = desk[0]
    reviewer = member(project, "reviewer", username="rita")
    gold_accept(item=opposite, reviewer=reviewer, sentiment="neutral")
    gold_reopen(item=opposite, reviewer=reviewer, reason="Check Ana Reyes.")

    response = reviewer_client.get(reverse("pages:review-item", args=[project.pk, opposite.pk]))

    payload = response.context["payload"]
    assert payload["agreement"]["disagreements"] == ["entity sentiment"]
    assert payload["item_agreement"] == pytest.approx(2 / 3)
    [ana_span] = payload["disagreements"]["spans"]
    assert ana_span["sentiment"]["votes"] == {"positive": ["cara"], "negative": ["dan"]}
    assert [(g["version"], g["status"], g["reopened_by"], g["reopen_reason"]) for g in payload["gold_history"]] == [
        (1, "reopened", "rita", "Check Ana Reyes.")]
    assert payload["api"]["reopen"] == f"/api/items/{opposite.pk}/gold/reopen/"
    listing = reviewer_client.get(reverse("pages:review-list", args=[project.pk]))
    row = next(row for row in listing.context["rows"] if row["item"] == opposite.pk)
    assert row["reopened"] == "Check Ana Reyes."
    assert 'title="Check Ana Reyes."' in listing.content.decode()
