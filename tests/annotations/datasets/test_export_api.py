"""Exporting gold over the API: every format reads back with the same labels."""

import csv
import io
import json

import pytest
from rest_framework.test import APIClient

from annotations.datasets.importers import parse_labels
from annotations.models import Item
from annotations.queue import assignment_claim_next
from annotations.services import annotation_submit
from annotations.gold import gold_accept
from annotations.validation import SpanInput
from tests.factories import ArticleFactory, ItemFactory, ProjectFactory, member

pytestmark = pytest.mark.django_db

BODY = "Mayor Zoë Brandt 🚀 met Harbor Ledger editors in Portvale on Monday.\nThe talks went well."


def span(text, label):
    start = BODY.index(text)
    return SpanInput(start, start + len(text), label, text)


@pytest.fixture
def project():
    project = ProjectFactory(overlap=1)
    gold_item = ItemFactory(project=project, article=ArticleFactory(body=BODY, title="Brandt meets editors"))
    ItemFactory(project=project)  # no gold: left out of gold-only exports
    annotator = member(project, "annotator")
    assignment_claim_next(project=project, annotator=annotator)
    politics = project.topics.get(name="Elections")
    annotation = annotation_submit(item=gold_item, annotator=annotator, sentiment="positive", topics=[politics.pk],
                                   spans=[span("Zoë Brandt", "PERSON"), span("Harbor Ledger", "ORG"),
                                          span("Portvale", "GPE")])
    gold_accept(item=gold_item, reviewer=None, annotation=annotation)
    return project


def export(project, user, **params):
    client = APIClient()
    client.force_authenticate(user)
    return client.get(f"/api/projects/{project.pk}/export/", params)


def test_jsonl_export_reads_back_with_identical_gold(project):
    response = export(project, member(project, "manager"), export_format="jsonl")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.jsonl"')
    data = b"".join(response.streaming_content)
    documents = [d for d in parse_labels(data, fmt="newsroom") if getattr(d, "annotator", "x") is None]
    assert len(documents) == 1
    gold = documents[0].labels
    assert documents[0].text == BODY
    assert [(s.start, s.end, s.label, s.text) for s in gold.spans] == [
        (6, 16, "PERSON", "Zoë Brandt"), (BODY.index("Harbor"), BODY.index("Harbor") + 13, "ORG", "Harbor Ledger"),
        (BODY.index("Portvale"), BODY.index("Portvale") + 8, "GPE", "Portvale")]
    assert (gold.sentiment, gold.topics) == ("positive", ("Politics/Elections",))


def test_all_items_and_annotations_on_request(project):
    data = b"".join(export(project, member(project, "manager"), export_format="jsonl", gold_only="false",
                           include_annotations="true").streaming_content)
    lines = data.decode().splitlines()
    assert len(lines) == 2
    assert '"annotations"' in lines[0]


def test_conll_export_has_bio_tags(project):
    data = b"".join(export(project, member(project, "manager"), export_format="conll").streaming_content).decode()
    assert data.startswith("-DOCSTART-")
    tags = [line.split()[-1] for line in data.splitlines() if line and not line.startswith("-DOCSTART-")]
    assert tags.count("B-PERSON") == 1 and tags.count("I-PERSON") == 1
    assert tags.count("B-ORG") == 1 and tags.count("B-GPE") == 1


def test_spacy_export_loads_as_docbin_with_the_gold_entities(project):
    import spacy
    from spacy.tokens import DocBin

    data = b"".join(export(project, member(project, "manager"), export_format="spacy").streaming_content)
    docs = list(DocBin().from_bytes(data).get_docs(spacy.blank("en").vocab))
    assert [(e.text, e.label_) for e in docs[0].ents] == [("Zoë Brandt", "PERSON"), ("Harbor Ledger", "ORG"),
                                                          ("Portvale", "GPE")]


def test_csv_export_and_filters(project):
    source = project.items.first().article.source_id
    rows = list(csv.DictReader(io.StringIO(b"".join(
        export(project, member(project, "manager"), export_format="csv", source=source).streaming_content).decode())))
    assert [(r["title"], r["sentiment"]) for r in rows] == [("Brandt meets editors", "positive")]
    nothing = b"".join(export(project, member(project, "manager"), export_format="csv",
                              published_after="2999-01-01T00:00:00Z").streaming_content).decode()
    assert len(nothing.strip().splitlines()) == 1  # the header only


@pytest.mark.parametrize("role", ["annotator", "reviewer"])
def test_only_managers_export(project, role):
    assert export(project, member(project, role)).status_code == 403


@pytest.mark.django_db
def test_export_filters_by_minimum_agreement_and_carries_it():
    project = ProjectFactory(overlap=1)
    agreed, disputed = ItemFactory(project=project), ItemFactory(project=project)
    Item.objects.filter(pk=agreed.pk).update(agreement=1.0)
    Item.objects.filter(pk=disputed.pk).update(agreement=0.4)
    client = APIClient()
    client.force_authenticate(member(project, "manager"))
    response = client.get(f"/api/projects/{project.pk}/export/",
                          {"export_format": "jsonl", "gold_only": "false", "min_agreement": "0.9",
                           "include_annotations": "true"})
    lines = [json.loads(line) for line in b"".join(response.streaming_content).splitlines()]
    assert [line["article_id"] for line in lines] == [agreed.article_id]
    assert lines[0]["agreement"] == {"item": 1.0}
    bad = client.get(f"/api/projects/{project.pk}/export/", {"min_agreement": "2"})
    assert bad.status_code == 400


def test_every_item_as_csv_has_rows_without_gold_marked(project):
    data = b"".join(export(project, member(project, "manager"), export_format="csv", gold_only="false")
                    .streaming_content).decode()

    rows = list(csv.DictReader(io.StringIO(data, newline="")))
    assert [(r["has_gold"], r["sentiment"], r["topics"]) for r in rows] == [
        ("true", "positive", '["Politics/Elections"]'), ("false", "", "")]


@pytest.mark.parametrize("export_format", ["conll", "spacy"])
def test_every_item_is_refused_by_the_formats_that_hold_only_gold(project, export_format):
    response = export(project, member(project, "manager"), export_format=export_format, gold_only="false")

    assert response.status_code == 400
    error = response.data["error"]
    assert error["code"] == "export_refused"
    assert "cannot export every item" in error["message"] and "as csv or jsonl" in error["message"]
    assert error["detail"]["every_item_formats"] == ["csv", "jsonl"]


def test_csv_formula_cells_are_escaped_unless_asked_raw():
    project = ProjectFactory()
    item = ItemFactory(project=project, article=ArticleFactory(title="=SUM(A1:A9) shock", body="-5 degrees today."))
    gold_accept(item=item, reviewer=None)
    manager = member(project, "manager")

    escaped, raw = (list(csv.DictReader(io.StringIO(b"".join(export(
        project, manager, export_format="csv", **options).streaming_content).decode(), newline="")))[0]
        for options in ({}, {"csv_formulas": "raw"}))

    assert (escaped["title"], escaped["text"]) == ("'=SUM(A1:A9) shock", "'-5 degrees today.")
    assert (raw["title"], raw["text"]) == ("=SUM(A1:A9) shock", "-5 degrees today.")
    assert export(project, manager, export_format="csv", csv_formulas="eval").status_code == 400
