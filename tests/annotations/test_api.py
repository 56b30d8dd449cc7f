"""The labeling API: the annotate-review flow, errors, blindness, and the role matrix."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework.test import APIClient

from annotations.models import Assignment, Item
from annotations.queue import assignments_expire
from tests.factories import ArticleFactory, ItemFactory, ProjectFactory, UserFactory, member

pytestmark = pytest.mark.django_db

BODY = "Mayor Zoë Brandt 🚀 met Harbor Ledger editors in Portvale on Monday."


@pytest.fixture
def project():
    project = ProjectFactory(overlap=2)
    ItemFactory(project=project, article=ArticleFactory(body=BODY))
    return project


@pytest.fixture
def people(project):
    return {"annotator": member(project, "annotator"), "annotator2": member(project, "annotator"),
            "reviewer": member(project, "reviewer"), "manager": member(project, "manager"),
            "outsider": UserFactory(), "anonymous": None}


def client_for(user):
    client = APIClient()
    if user:
        client.force_authenticate(user)
    return client


def person_span(text="Zoë Brandt", label="PERSON"):
    start = BODY.index(text)
    return {"start": start, "end": start + len(text), "label": label, "text": text}


def test_annotate_then_review_flow(project, people):
    item_id = client_for(people["annotator"]).post(f"/api/projects/{project.pk}/next/").json()["id"]
    first = client_for(people["annotator"]).post(f"/api/items/{item_id}/annotations/",
                                                 {"sentiment": "positive", "spans": [person_span()]}, format="json")
    assert first.status_code == 201, first.json()
    assert first.json()["spans"][0]["text"] == "Zoë Brandt"
    assert client_for(people["annotator2"]).post(f"/api/projects/{project.pk}/next/").json()["id"] == item_id
    client_for(people["annotator2"]).post(f"/api/items/{item_id}/annotations/", {"sentiment": "neutral"},
                                          format="json")
    seen_by_reviewer = client_for(people["reviewer"]).get(f"/api/items/{item_id}/annotations/").json()
    assert sorted(a["sentiment"] for a in seen_by_reviewer) == ["neutral", "positive"]
    accepted = client_for(people["reviewer"]).post(f"/api/items/{item_id}/gold/",
                                                   {"annotation": first.json()["id"]}, format="json")
    assert accepted.status_code == 201
    assert Item.objects.get(pk=item_id).status == "gold"


def test_blind_project_hides_other_annotators_labels(project, people):
    item_id = client_for(people["annotator"]).post(f"/api/projects/{project.pk}/next/").json()["id"]
    client_for(people["annotator"]).post(f"/api/items/{item_id}/annotations/", {"sentiment": "positive"},
                                         format="json")
    client_for(people["annotator2"]).post(f"/api/projects/{project.pk}/next/")
    mine = client_for(people["annotator2"]).get(f"/api/items/{item_id}/annotations/").json()
    assert mine == []


def test_stale_edit_is_409_and_bad_labels_400_in_the_error_envelope(project, people):
    client = client_for(people["annotator"])
    item_id = client.post(f"/api/projects/{project.pk}/next/").json()["id"]
    client.post(f"/api/items/{item_id}/annotations/", {"sentiment": "positive"}, format="json")
    client.post(f"/api/items/{item_id}/annotations/", {"sentiment": "neutral", "base_version": 1}, format="json")
    stale = client.post(f"/api/items/{item_id}/annotations/", {"sentiment": "negative", "base_version": 1},
                        format="json")
    assert stale.status_code == 409
    assert stale.json()["error"]["detail"] == {"current_version": 2}
    wrong = dict(person_span(), text="Zoe Brandt")
    bad = client.post(f"/api/items/{item_id}/annotations/", {"spans": [wrong], "base_version": 2}, format="json")
    assert bad.status_code == 400
    assert "does not match" in bad.json()["error"]["detail"]["spans[0]"][0]


def test_skip_needs_a_reason_and_hands_the_item_on(project, people):
    client = client_for(people["annotator"])
    item_id = client.post(f"/api/projects/{project.pk}/next/").json()["id"]
    assert client.post(f"/api/items/{item_id}/skip/", {}, format="json").status_code == 400
    assert client.post(f"/api/items/{item_id}/skip/", {"reason": "Duplicate"}, format="json").status_code == 204
    assert client.post(f"/api/projects/{project.pk}/next/").status_code == 204


# (endpoint, method, roles allowed) — every other role is refused.
MATRIX = [
    ("project_list", "get", {"annotator", "annotator2", "reviewer", "manager", "outsider"}),
    ("project_detail", "get", {"annotator", "annotator2", "reviewer", "manager"}),
    ("project_update", "patch", {"manager"}),
    ("next", "post", {"annotator", "annotator2"}),
    ("item_detail", "get", {"annotator", "reviewer", "manager"}),
    ("annotations", "get", {"annotator", "reviewer", "manager"}),
    ("gold", "post", {"reviewer", "manager"}),
    ("send_back", "post", {"reviewer", "manager"}),
    ("lease", "post", {"annotator"}),
]


def call(endpoint, method, client, project, item):
    urls = {"project_list": "/api/projects/", "project_detail": f"/api/projects/{project.pk}/",
            "project_update": f"/api/projects/{project.pk}/", "next": f"/api/projects/{project.pk}/next/",
            "item_detail": f"/api/items/{item.pk}/", "annotations": f"/api/items/{item.pk}/annotations/",
            "gold": f"/api/items/{item.pk}/gold/", "send_back": f"/api/items/{item.pk}/send-back/",
            "lease": f"/api/items/{item.pk}/lease/"}
    data = {"project_update": {"guidelines": "Tag people."}, "gold": {"sentiment": "neutral"},
            "send_back": {"note": "Tag every person."}}.get(endpoint, {})
    return getattr(client, method)(urls[endpoint], data, format="json")


@pytest.mark.parametrize("endpoint, method, allowed", MATRIX, ids=[row[0] for row in MATRIX])
@pytest.mark.parametrize("role", ["annotator", "annotator2", "reviewer", "manager", "outsider", "anonymous"])
def test_role_matrix(project, people, role, endpoint, method, allowed):
    item = project.items.get()
    client_for(people["annotator"]).post(f"/api/projects/{project.pk}/next/")  # annotator holds the item
    response = call(endpoint, method, client_for(people[role]), project, item)
    if role in allowed:
        assert response.status_code < 400, (role, endpoint, response.status_code, response.content[:300])
    else:
        assert response.status_code in (401, 403, 404), (role, endpoint, response.status_code)
    if endpoint == "project_list" and role == "outsider":
        assert response.json()["results"] == []


def test_agreement_endpoint_for_reviewers(project, people, django_capture_on_commit_callbacks):
    item_id = project.items.get().pk
    # Without a worker (eager) the submits only mark the stored report stale; reading it refreshes it.
    with django_capture_on_commit_callbacks(execute=True):
        for who, sentiment in (("annotator", "positive"), ("annotator2", "negative")):
            client_for(people[who]).post(f"/api/projects/{project.pk}/next/")
            client_for(people[who]).post(f"/api/items/{item_id}/annotations/",
                                         {"sentiment": sentiment, "spans": [person_span()]}, format="json")
    report = client_for(people["reviewer"]).get(f"/api/projects/{project.pk}/agreement/")
    assert report.status_code == 200
    body = report.json()
    assert body["items"] == 1 and body["annotations"] == 2
    assert body["span_f1"]["PERSON"]["exact"] == 1.0
    assert body["computed_at"] is not None and body["pending"] is False and body["stale_since"] is None
    assert client_for(people["annotator"]).get(f"/api/projects/{project.pk}/agreement/").status_code == 403


def test_item_filters_for_reviewers(project, people):
    other = ItemFactory(project=project)
    client_for(people["annotator"]).post(f"/api/projects/{project.pk}/next/")
    client = client_for(people["reviewer"])
    assert len(client.get("/api/items/", {"project": project.pk}).json()["results"]) == 2
    mine = client.get("/api/items/", {"annotator": people["annotator"].pk}).json()["results"]
    assert [i["id"] for i in mine] == [project.items.exclude(pk=other.pk).get().pk]
    by_source = client.get("/api/items/", {"source": other.article.source_id}).json()["results"]
    assert [i["id"] for i in by_source] == [other.pk]
    assert client.get("/api/items/", {"status": "gold"}).json()["results"] == []


def test_review_shows_labels_side_by_side_with_disagreements(project, people):
    item_id = project.items.get().pk
    portvale = person_span("Portvale", "GPE")
    for who, sentiment, spans in (("annotator", "positive", [person_span(), portvale]),
                                  ("annotator2", "neutral", [person_span()])):
        client_for(people[who]).post(f"/api/projects/{project.pk}/next/")
        client_for(people[who]).post(f"/api/items/{item_id}/annotations/", {"sentiment": sentiment, "spans": spans},
                                     format="json")
    review = client_for(people["reviewer"]).get(f"/api/items/{item_id}/review/").json()
    assert [a["annotator"] for a in review["annotations"]] == [people["annotator"].username,
                                                                people["annotator2"].username]
    marks = review["disagreements"]
    assert marks["sentiment"] == {"agreed": False, "votes": {"positive": 1, "neutral": 1}, "accepted": []}
    assert [(s["text"], s["agreed"]) for s in marks["spans"]] == [("Zoë Brandt", True), ("Portvale", False)]
    assert review["gold"] is None
    assert client_for(people["annotator"]).get(f"/api/items/{item_id}/review/").status_code == 403


def test_lease_renewal_keeps_the_item_until_it_is_no_longer_the_annotators(project, people):
    client = client_for(people["annotator"])
    item_id = client.post(f"/api/projects/{project.pk}/next/").json()["id"]
    assignment = Assignment.objects.get(item=item_id, annotator=people["annotator"])
    Assignment.objects.filter(pk=assignment.pk).update(leased_until=timezone.now() + timedelta(minutes=1))

    renewed = client.post(f"/api/items/{item_id}/lease/")

    assert renewed.status_code == 200
    leased_until = Assignment.objects.get(pk=assignment.pk).leased_until
    assert leased_until > timezone.now() + timedelta(minutes=project.lease_minutes - 1)
    assert parse_datetime(renewed.json()["leased_until"]) == leased_until
    Assignment.objects.filter(pk=assignment.pk).update(leased_until=timezone.now() - timedelta(seconds=1))
    assignments_expire(project=project)
    gone = client.post(f"/api/items/{item_id}/lease/")
    assert gone.status_code == 409
    assert gone.json()["error"]["detail"] == {"status": "expired"}
    assert Assignment.objects.get(pk=assignment.pk).status == Assignment.Status.EXPIRED, "never revived"


# --- suggestions: refused while pending, then decided -----------------------------------------------

def test_submit_with_suggestions_round_trips_their_provenance(project, people):
    project.entity_sentiment = True
    project.save()
    item = project.items.get()
    economy = project.topics.get(name="Economy").pk
    brandt = dict(person_span(), score=0.9, entity=0)
    item.predictions.create(predictor="spacy-ner", version="3", labels={
        "spans": [brandt, dict(person_span("Portvale", "GPE"), score=0.8)],
        "entities": [{"name": "Zoë Brandt", "label": "PERSON", "mentions": [0], "sentiment": "negative"}],
        "sentiment": {"label": "positive", "score": 0.3}, "topics": [{"id": economy, "score": 0.24}]})
    client = client_for(people["annotator"])
    client.post(f"/api/projects/{project.pk}/next/")
    url = f"/api/items/{item.pk}/annotations/"

    refused = client.post(url, {"spans": [person_span()]}, format="json")

    assert refused.status_code == 400
    error = refused.json()["error"]
    assert error["code"] == "pending_suggestions"
    assert [(p["key"], p["kind"], p["predictor"], p["version"]) for p in error["detail"]["pending"]] == [
        ("sentiment", "sentiment", "spacy-ner", "3"), (f"topic:{economy}", "topic", "spacy-ner", "3"),
        ("entity-sentiment:6:16:PERSON", "entity_sentiment", "spacy-ner", "3"),
        (f"span:{BODY.index('Portvale')}:{BODY.index('Portvale') + 8}:GPE", "span", "spacy-ner", "3")]
    assert error["detail"]["pending"][2]["value"] == "negative"

    saved = client.post(url, {"spans": [person_span()], "sentiment": "neutral", "rejected": ["sentiment"],
                              "pending": "accept"}, format="json")

    assert saved.status_code == 201, saved.json()
    body = saved.json()
    source = {"origin": "accepted", "predictor": "spacy-ner", "version": "3"}
    assert body["provenance"] == {"sentiment": dict(source, origin="changed"), "topics": {str(economy): source}}
    assert body["rejected_suggestions"] == [{"key": "sentiment", "predictor": "spacy-ner", "version": "3"}]
    assert [(s["text"], s["sentiment"], s["origin"], s["sentiment_origin"], s["predictor"], s["predictor_version"])
            for s in body["spans"]] == [("Zoë Brandt", "negative", "accepted", "accepted", "spacy-ner", "3"),
                                        ("Portvale", "", "accepted", "", "spacy-ner", "3")]
    [listed] = client.get(url).json()
    assert (listed["provenance"], listed["spans"], listed["rejected_suggestions"]) == (
        body["provenance"], body["spans"], body["rejected_suggestions"])
    stale = client.post(url, {"pending": "reject"}, format="json")
    assert stale.status_code == 409


def test_pending_must_say_refuse_accept_or_reject(project, people):
    client = client_for(people["annotator"])
    item_id = client.post(f"/api/projects/{project.pk}/next/").json()["id"]
    response = client.post(f"/api/items/{item_id}/annotations/", {"pending": "ignore"}, format="json")
    assert response.status_code == 400
    assert "pending" in response.json()["error"]["detail"]
