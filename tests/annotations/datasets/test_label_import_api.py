"""Importing labels over the API: a JSONL export round-trips into a new project; other tools' files; roles."""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from annotations.models import Gold, Project
from annotations.gold import gold_accept
from annotations.validation import SpanInput
from ingest.models import Article, Source
from tests.factories import ArticleFactory, ItemFactory, ProjectFactory, UserFactory, member

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "export_fixtures"
# An emoji (one code point, two UTF-16 units), accented names, a double space and a blank line.
BODY = "Mayor Zoë Brandt 🚀 met Harbor Ledger editors in Portvale  on Monday.\n\nSeñora Ñúñez said the talks went well."
OTHER_BODY = "Fog 🌫️ closed the Lowmere ferry terminal again."


def span(body, text, label, sentiment=""):
    start = body.index(text)
    return SpanInput(start, start + len(text), label, text, sentiment)


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def upload(project, user, data, fmt, name="labels.jsonl", **fields):
    files = {"file": SimpleUploadedFile(name, data), "format": fmt, **fields}
    return client_for(user).post(f"/api/projects/{project.pk}/label-imports/", files, format="multipart")


def export_jsonl(project):
    response = client_for(UserFactory(is_staff=True)).get(f"/api/projects/{project.pk}/export/",
                                                          {"export_format": "jsonl"})
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def without_ids(data):
    records = [json.loads(line) for line in data.decode().splitlines()]
    for record in records:
        record.pop("article_id")
    return records


@pytest.fixture
def exported():
    """A project with gold on two articles, exported as JSONL."""
    project = ProjectFactory(entity_sentiment=True)
    published = datetime(2024, 5, 6, 7, 30, tzinfo=UTC)
    rich = ItemFactory(project=project, article=ArticleFactory(
        body=BODY, title="Brandt meets editors", url="https://ledger.example/brandt", byline="By Ana Reyes",
        dateline="PORTVALE", language="en", published_at=published))
    plain = ItemFactory(project=project, article=ArticleFactory(body=OTHER_BODY, title="Fog again"))
    ItemFactory(project=project)  # no gold: not exported
    elections, economy = project.topics.get(name="Elections"), project.topics.get(name="Economy")
    gold = gold_accept(item=rich, reviewer=None, sentiment="positive", topics=[elections.pk, economy.pk], spans=[
        span(BODY, "Zoë Brandt", "PERSON", "positive"), span(BODY, "Harbor Ledger", "ORG"),
        span(BODY, "Portvale", "GPE"), span(BODY, "Señora Ñúñez", "PERSON")])
    # Labels a person accepted or changed from suggestions (as the labeling page records them).
    Gold.objects.filter(pk=gold.pk).update(provenance={
        "sentiment": {"origin": "accepted", "predictor": "vader", "version": "3.3.2"},
        "topics": {str(economy.pk): {"origin": "changed", "predictor": "topic-model", "version": "4"}}})
    gold.spans.filter(text="Zoë Brandt").update(origin="accepted", sentiment_origin="changed", predictor="spacy-ner",
                                                 predictor_version="3.8.0")
    gold_accept(item=plain, reviewer=None, topics=[economy.pk])
    return export_jsonl(project)


@pytest.mark.parametrize("fresh_instance", [False, True], ids=["same-instance", "fresh-instance"])
def test_jsonl_export_imported_into_a_new_project_exports_identical_gold(exported, fresh_instance):
    if fresh_instance:  # as if the file came from another Newsroom: none of its articles are stored here
        Project.objects.all().delete()
        Article.objects.all().delete()
        Source.objects.all().delete()
    target = ProjectFactory(entity_sentiment=True)  # same entity types and topic names, other ids

    response = upload(target, member(target, "manager"), exported, "newsroom", name="export.jsonl")

    assert response.status_code == 201, response.data
    assert response.data == {"created": 2, "updated": 0, "unchanged": 0, "unlabelled": 0, "skipped": 0, "failed": 0,
                             "errors": []}
    again = export_jsonl(target)
    assert without_ids(again) == without_ids(exported)
    first = json.loads(again.decode().splitlines()[0])
    assert first["text"] == BODY
    assert first["gold"]["provenance"] == {
        "sentiment": {"origin": "accepted", "predictor": "vader", "version": "3.3.2"},
        "topics": [{"topic": "Politics/Elections", "origin": "person", "predictor": None, "version": None},
                   {"topic": "Economy", "origin": "changed", "predictor": "topic-model", "version": "4"}]}
    assert first["gold"]["spans"][0] | {"text": "", "start": 0, "end": 0} == {
        "start": 0, "end": 0, "label": "PERSON", "text": "", "sentiment": "positive", "origin": "accepted",
        "sentiment_origin": "changed", "predictor": "spacy-ner", "predictor_version": "3.8.0"}
    assert Gold.objects.filter(item__project=target, origin=Gold.Origin.IMPORT).count() == 2


def test_reimporting_the_export_adds_nothing(exported):
    target = ProjectFactory(entity_sentiment=True)
    manager = member(target, "manager")
    upload(target, manager, exported, "newsroom")

    response = upload(target, manager, exported, "newsroom")

    assert (response.data["created"], response.data["unchanged"]) == (0, 2)
    assert Gold.objects.filter(item__project=target).count() == 2


def test_doccano_upload_reports_bad_lines_and_keeps_exact_text():
    project = ProjectFactory(schema=False)
    for label in ("PER", "ORG", "LOC"):
        project.entity_types.create(name=label)
    for topic in ("Weather", "Sport"):
        project.topics.create(name=topic)
    data = (FIXTURES / "doccano.jsonl").read_bytes()

    response = upload(project, member(project, "manager"), data, "doccano", name="doccano.jsonl")

    assert response.status_code == 201
    assert (response.data["created"], response.data["failed"]) == (3, 2)
    assert [e["origin"] for e in response.data["errors"]] == ["doccano.jsonl:3", "doccano.jsonl:4"]
    texts = [json.loads(line)["text"] for line in data.decode().splitlines() if line.startswith('{"id": 1,')]
    assert Article.objects.get(items__project=project, body=texts[0]).raw_text == texts[0]


def test_label_studio_upload_with_choice_fields():
    project = ProjectFactory(schema=False)
    project.entity_types.create(name="TEAM")
    project.topics.create(name="Sport")
    text = "The Lowmere  Gulls win the cup 🏆."
    tasks = [{"data": {"text": text}, "annotations": [{"completed_by": 1, "result": [
        {"type": "labels", "from_name": "label", "value": {"start": 4, "end": 18, "text": "Lowmere  Gulls",
                                                           "labels": ["TEAM"]}},
        {"type": "choices", "from_name": "tone", "value": {"choices": ["Positive"]}},
        {"type": "choices", "from_name": "section", "value": {"choices": ["Sport"]}}]}]}]

    response = upload(project, member(project, "manager"), json.dumps(tasks).encode(), "label-studio",
                      name="tasks.json", choice_fields=json.dumps({"sentiment": "tone", "topics": "section"}))

    assert response.status_code == 201, response.data
    assert response.data["created"] == 1
    gold = Gold.objects.get(item__project=project)
    assert (gold.sentiment, gold.topics) == ("positive", [project.topics.get().pk])
    assert [(s.start, s.end, s.text) for s in gold.spans.all()] == [(4, 18, "Lowmere  Gulls")]
    assert gold.item.article.body == text


@pytest.mark.parametrize("fields, message", [
    ({"format": "brat"}, "format"),
    ({"choice_fields": "not json"}, "choice_fields"),
    ({"choice_fields": json.dumps({"mood": "tone"})}, "unknown field"),
])
def test_bad_options_are_refused(fields, message):
    project = ProjectFactory()
    fields = dict(fields)
    fmt = fields.pop("format", "label-studio")

    response = upload(project, member(project, "manager"), b"[]", fmt, **fields)

    assert response.status_code == 400
    assert message in json.dumps(response.data)


def test_a_file_is_required():
    project = ProjectFactory()
    response = client_for(member(project, "manager")).post(
        f"/api/projects/{project.pk}/label-imports/", {"format": "doccano"}, format="multipart")
    assert response.status_code == 400 and "file" in response.data["error"]["detail"]


@pytest.mark.parametrize("role, code", [("annotator", 403), ("reviewer", 403), ("manager", 201)])
def test_only_the_projects_managers_import(role, code):
    project = ProjectFactory()
    data = b'{"text": "Calm sea.", "gold": {"sentiment": "neutral"}}'

    assert upload(project, member(project, role), data, "newsroom").status_code == code


def test_a_manager_of_another_project_finds_no_project():
    project, other = ProjectFactory(), ProjectFactory()
    data = b'{"text": "Calm sea.", "gold": {"sentiment": "neutral"}}'

    response = upload(project, member(other, "manager"), data, "newsroom")

    assert response.status_code == 404
    assert not Gold.objects.exists() and not Article.objects.filter(body="Calm sea.").exists()


def test_anonymous_callers_are_refused():
    project = ProjectFactory()
    response = APIClient().post(f"/api/projects/{project.pk}/label-imports/",
                                {"file": SimpleUploadedFile("a.jsonl", b"{}"), "format": "newsroom"},
                                format="multipart")
    assert response.status_code in (401, 403)


def test_label_studio_export_imports_its_good_tasks_and_reports_the_others():
    project = ProjectFactory(schema=False, entity_sentiment=True)
    for label in ("PER", "LOC"):
        project.entity_types.create(name=label)
    for topic in ("Transport", "Local"):
        project.topics.create(name=topic)
    project.topics.create(name="Harbour", parent=project.topics.get(name="Local"))
    data = (FIXTURES / "label_studio.json").read_bytes()

    response = upload(project, member(project, "manager"), data, "label-studio", name="label_studio.json")

    # Task 4 has only a cancelled annotation: its text is an item without gold.
    assert (response.data["created"], response.data["failed"], response.data["unlabelled"]) == (3, 2, 1)
    vessel, bakery = response.data["errors"]
    assert vessel["origin"] == "label_studio.json:1" and "'VESSEL'" in vessel["message"]
    assert bakery["origin"] == "label_studio.json:2" and "'Brackwater Bakery'" in bakery["message"]
    festival = Gold.objects.get(item__project=project, item__article__body__startswith="🎉🎉")
    assert [s.text for s in festival.spans.order_by("start")] == ["Noor Haddad", "𝔏owmere"]
