"""Access that holds: in a blind project an annotator learns nothing of the others' work
(filters, fields, counts), and only current members read a project's items."""

import pytest
from rest_framework.test import APIClient

from annotations.api.serializers import OTHERS_WORK
from annotations.models import Item
from annotations.pages.labeling.selectors import labeling_progress
from annotations.projects import member_remove
from tests.factories import ItemFactory, ProjectFactory, UserFactory, label, member

pytestmark = pytest.mark.django_db


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def blind():
    """A blind project with one item Ana and Ben both labelled: Ben chose a topic, Ana did not."""
    project = ProjectFactory(overlap=2, blind=True)
    item = ItemFactory(project=project)
    ana, ben = member(project), member(project)
    topic = project.topics.get(name="Economy")
    label(item, ana, sentiment="positive")
    label(item, ben, sentiment="negative", topics=[topic.pk])
    return {"project": project, "item": item, "ana": ana, "ben": ben, "topic": topic,
            "reviewer": member(project, "reviewer")}


def ids(response):
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


def test_the_topic_filter_matches_only_the_annotators_own_labels(blind):
    url = f"/api/items/?topic={blind['topic'].pk}"

    assert ids(client_for(blind["ana"]).get(url)) == [], "Ana must not learn that Ben chose the topic"
    assert ids(client_for(blind["ben"]).get(url)) == [blind["item"].pk]
    assert ids(client_for(blind["reviewer"]).get(url)) == [blind["item"].pk]


def test_the_annotator_filter_finds_other_peoples_items_only_for_reviewers(blind):
    ben = blind["ben"].pk

    assert ids(client_for(blind["ana"]).get(f"/api/items/?annotator={ben}")) == []
    assert ids(client_for(blind["ana"]).get(f"/api/items/?annotator={blind['ana'].pk}")) == [blind["item"].pk]
    assert ids(client_for(blind["reviewer"]).get(f"/api/items/?annotator={ben}")) == [blind["item"].pk]


@pytest.mark.parametrize("query", ["status=annotated", "agreement_min=0", "agreement_max=1"])
def test_filters_over_others_work_match_nothing_for_an_annotator(blind, query):
    Item.objects.filter(pk=blind["item"].pk).update(agreement=0.5)

    assert ids(client_for(blind["ana"]).get(f"/api/items/?{query}")) == []
    assert ids(client_for(blind["reviewer"]).get(f"/api/items/?{query}")) == [blind["item"].pk]


def test_ordering_by_agreement_or_counts_reveals_nothing(blind):
    project, ana = blind["project"], blind["ana"]
    second = ItemFactory(project=project)
    label(second, ana, sentiment="neutral")
    Item.objects.filter(pk=blind["item"].pk).update(agreement=0.9)
    Item.objects.filter(pk=second.pk).update(agreement=0.1)

    # Every agreement is unknown to her: the order is the items' ids, in the direction asked, and
    # never the agreement's (0.9 then 0.1 would put the second item first in ascending order).
    by_id = {"agreement": [blind["item"].pk, second.pk], "-agreement": [second.pk, blind["item"].pk]}
    for ordering, expected in by_id.items():
        assert ids(client_for(ana).get(f"/api/items/?ordering={ordering}")) == expected
    for ordering in ("submitted_count", "assigned_count", "status"):
        assert client_for(ana).get(f"/api/items/?ordering={ordering}").status_code == 400
    assert ids(client_for(blind["reviewer"]).get("/api/items/?ordering=agreement")) == [second.pk, blind["item"].pk]


def test_item_fields_made_of_others_work_are_null_for_an_annotator(blind):
    Item.objects.filter(pk=blind["item"].pk).update(agreement=0.5)
    url = f"/api/items/{blind['item'].pk}/"

    seen = client_for(blind["ana"]).get(url).json()
    listed = client_for(blind["ana"]).get("/api/items/").json()["results"][0]
    reviewed = client_for(blind["reviewer"]).get(url).json()

    assert {field: seen[field] for field in OTHERS_WORK} == dict.fromkeys(OTHERS_WORK)
    assert {field: listed[field] for field in OTHERS_WORK} == dict.fromkeys(OTHERS_WORK)
    assert (reviewed["status"], reviewed["submitted_count"], reviewed["agreement"]) == ("annotated", 2, 0.5)
    assert seen["body"] == reviewed["body"]


def test_next_hides_the_same_fields(blind):
    item = ItemFactory(project=blind["project"])
    newcomer = member(blind["project"])
    label(item, blind["ben"])

    handed = client_for(newcomer).post(f"/api/projects/{blind['project'].pk}/next/").json()

    assert handed["id"] == item.pk
    assert {field: handed[field] for field in OTHERS_WORK} == dict.fromkeys(OTHERS_WORK)


def test_annotations_of_an_item_are_only_the_annotators_own(blind):
    url = f"/api/items/{blind['item'].pk}/annotations/"

    assert [a["annotator"] for a in client_for(blind["ana"]).get(url).json()] == [blind["ana"].username]
    assert len(client_for(blind["reviewer"]).get(url).json()) == 2


def test_a_non_blind_project_shows_annotators_the_figures():
    project = ProjectFactory(blind=False)
    item = ItemFactory(project=project)
    ana = member(project)
    label(item, ana, sentiment="positive")

    seen = client_for(ana).get(f"/api/items/{item.pk}/").json()

    assert (seen["status"], seen["submitted_count"]) == ("open", 1)


def test_the_labeling_progress_of_a_blind_project_hides_how_far_the_others_are(blind):
    assert labeling_progress(project=blind["project"], annotator=blind["ana"]).project_done is None
    blind["project"].blind = False
    assert labeling_progress(project=blind["project"], annotator=blind["ana"]).project_done == 1


def test_the_labeling_page_of_a_blind_project_shows_no_project_progress(blind, client):
    client.force_login(blind["ana"])

    page = client.get(f"/projects/{blind['project'].pk}/label/")

    assert page.status_code == 200
    assert "fully annotated" not in page.content.decode()


# --- current members only -----------------------------------------------------------

def test_a_removed_member_reads_none_of_their_former_items(blind):
    ana, item = blind["ana"], blind["item"]
    api = client_for(ana)
    assert ids(api.get("/api/items/")) == [item.pk]

    member_remove(membership=blind["project"].memberships.get(user=ana))

    assert ids(api.get("/api/items/")) == []
    assert api.get(f"/api/items/{item.pk}/").status_code == 404
    assert api.get(f"/api/items/{item.pk}/annotations/").status_code == 404
    assert api.get(f"/api/items/{item.pk}/predictions/").status_code == 404
    assert api.get(f"/api/articles/{item.article_id}/").status_code == 403


def test_a_removed_reviewer_reads_nothing_either(blind, client):
    reviewer = blind["reviewer"]
    member_remove(membership=blind["project"].memberships.get(user=reviewer))

    assert ids(client_for(reviewer).get("/api/items/")) == []
    client.force_login(reviewer)
    assert client.get(f"/projects/{blind['project'].pk}/review/").status_code == 403
    assert client.get(f"/projects/{blind['project'].pk}/label/").status_code == 403


def test_an_outsider_reads_no_articles_or_items(blind):
    outsider = client_for(UserFactory())

    assert outsider.get("/api/articles/").status_code == 403
    assert outsider.get(f"/api/articles/{blind['item'].article_id}/").status_code == 403
    assert ids(outsider.get("/api/items/")) == []
