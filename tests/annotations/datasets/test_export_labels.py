"""Exports of gold, of each annotator's latest labels, or of both (``labels=``), in every format,
read back with the tools people use (Hugging Face datasets, pandas, spaCy) and compared exactly."""

import io
import json

import datasets
import pandas
import pytest
from rest_framework.test import APIClient
from spacy.tokens import DocBin
from spacy.training.converters import conll_ner_to_docs

from annotations.datasets.formats import FORMATS
from annotations.datasets.formats.conll import DOCSTART
from annotations.datasets.formats.nlp import pipeline
from annotations.gold import gold_accept
from tests.factories import ArticleFactory, ItemFactory, ProjectFactory, UserFactory, label

pytestmark = pytest.mark.django_db

HARBOUR = "Mayor Zoë Brandt met Harbor Ledger editors in Portvale on Monday.\nThe talks went well."
STORM = "A storm closed the Lowmere ferry on Friday, said Tomas Reyes of Bluewake Lines."


@pytest.fixture
def project():
    """Two items: Ana and Ben labelled the harbour story differently (Ana's became gold); only Ana
    labelled the storm story (no gold yet)."""
    project = ProjectFactory(overlap=2)
    harbour = ItemFactory(project=project, article=ArticleFactory(body=HARBOUR, title="Harbour"))
    storm = ItemFactory(project=project, article=ArticleFactory(body=STORM, title="Storm"))
    ana, ben = UserFactory(username="ana"), UserFactory(username="ben")
    for user in (ana, ben):
        project.memberships.create(user=user, role="annotator")
    economy = project.topics.get(name="Economy")
    chosen = label(harbour, ana, sentiment="positive", topics=[economy.pk],
                   spans=[("Zoë Brandt", "PERSON"), ("Harbor Ledger", "ORG"), ("Portvale", "GPE")])
    label(harbour, ben, sentiment="neutral", spans=[("Zoë Brandt", "PERSON"), ("Portvale", "ORG")])
    label(storm, ana, sentiment="negative", spans=[("Lowmere", "GPE"), ("Tomas Reyes", "PERSON")])
    gold_accept(item=harbour, reviewer=None, annotation=chosen)
    return project


def spans(text, *pairs):
    return sorted((text.index(words), text.index(words) + len(words), name) for words, name in pairs)


GOLD = ("gold", HARBOUR, spans(HARBOUR, ("Zoë Brandt", "PERSON"), ("Harbor Ledger", "ORG"), ("Portvale", "GPE")),
        "positive", ["Economy"])
ANA_HARBOUR = ("ana", *GOLD[1:])
BEN_HARBOUR = ("ben", HARBOUR, spans(HARBOUR, ("Zoë Brandt", "PERSON"), ("Portvale", "ORG")), "neutral", [])
ANA_STORM = ("ana", STORM, spans(STORM, ("Lowmere", "GPE"), ("Tomas Reyes", "PERSON")), "negative", [])
EXPECTED = {"gold": [GOLD], "annotations": [ANA_HARBOUR, BEN_HARBOUR, ANA_STORM],
            "both": [GOLD, ANA_HARBOUR, BEN_HARBOUR, ANA_STORM]}


def export(project, export_format, labels, **params) -> bytes:
    client = APIClient()
    client.force_authenticate(UserFactory(is_staff=True))
    response = client.get(f"/api/projects/{project.pk}/export/",
                          {"export_format": export_format, "labels": labels, "gold_only": "false", **params})
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content)


def test_every_registered_format_is_read_back_here():
    assert set(FORMATS) == {"jsonl", "csv", "spacy", "conll"}


@pytest.mark.parametrize("labels", ["gold", "annotations", "both"])
def test_jsonl_read_by_hugging_face_datasets(project, labels, tmp_path, monkeypatch):
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    path = tmp_path / "export.jsonl"
    path.write_bytes(export(project, "jsonl", labels))

    rows = datasets.load_dataset("json", data_files=str(path), split="train", cache_dir=str(tmp_path / "cache"))

    def read(row):
        if row["labeled_by"] == "gold":
            labelled = row["gold"]
        else:
            assert row["gold"] is None and [entry["annotator"] for entry in row["annotations"]] == [row["labeled_by"]]
            labelled = row["annotations"][0]["labels"]
        return (row["labeled_by"], row["text"], sorted((s["start"], s["end"], s["label"]) for s in labelled["spans"]),
                labelled["sentiment"], labelled["topics"])

    read_back = [read(row) for row in rows if row["labeled_by"] is not None]
    assert read_back == EXPECTED[labels]
    if labels == "gold":  # every item: the storm story has no gold, so a record without labels
        assert [(row["text"], row["labeled_by"], row["gold"]) for row in rows][1] == (STORM, None, None)


@pytest.mark.parametrize("labels", ["gold", "annotations", "both"])
def test_csv_read_by_pandas(project, labels):
    frame = pandas.read_csv(io.BytesIO(export(project, "csv", labels, csv_formulas="raw")), dtype=str,
                            keep_default_na=False)

    read_back = [(row.labeled_by, row.text, sorted((s["start"], s["end"], s["label"]) for s in json.loads(row.spans)),
                  row.sentiment, json.loads(row.topics)) for row in frame.itertuples() if row.has_gold == "true"]

    assert read_back == EXPECTED[labels]
    assert all(row.labeled_by == "" for row in frame.itertuples() if row.has_gold == "false")


@pytest.mark.parametrize("labels", ["gold", "annotations", "both"])
def test_spacy_docbin_read_by_spacy(project, labels):
    data = export(project, "spacy", labels, gold_only="true" if labels == "gold" else "false")

    docs = list(DocBin().from_bytes(data).get_docs(pipeline().vocab))

    read_back = [(doc.user_data["labeled_by"], doc.text, sorted((e.start_char, e.end_char, e.label_) for e in doc.ents),
                  next((name.split(":", 1)[1] for name, value in doc.cats.items()
                        if name.startswith("sentiment:") and value == 1.0), None),
                  sorted(name for name, value in doc.cats.items() if value == 1.0 and ":" not in name))
                 for doc in docs]
    assert read_back == EXPECTED[labels]


@pytest.mark.parametrize("labels", ["gold", "annotations", "both"])
def test_conll_read_by_spacy_convert(project, labels):
    text = export(project, "conll", labels, gold_only="true" if labels == "gold" else "false").decode()

    docs = list(conll_ner_to_docs(text, n_sents=0, no_print=True))
    blocks = [block for block in text.split(DOCSTART) if block.strip()]
    labelers = [{line.split(" ")[2] for line in block.splitlines() if line} for block in blocks]

    expected = EXPECTED[labels]
    assert [(ent.text, ent.label_) for doc in docs for ent in doc.ents] == [
        (body[start:end], name) for _, body, found, _, _ in expected for start, end, name in found]
    assert [len(doc.ents) for doc in docs] == [len(found) for _, _, found, _, _ in expected]
    assert labelers == ([{"_"}] if labels == "gold" else [{who} for who, *_ in expected])


def test_conll_and_spacy_still_refuse_every_item_of_gold(project):
    client = APIClient()
    client.force_authenticate(UserFactory(is_staff=True))
    for export_format in ("conll", "spacy"):
        response = client.get(f"/api/projects/{project.pk}/export/",
                              {"export_format": export_format, "labels": "gold", "gold_only": "false"})
        assert response.status_code == 400


def test_an_unknown_label_set_is_refused(project):
    client = APIClient()
    client.force_authenticate(UserFactory(is_staff=True))
    assert client.get(f"/api/projects/{project.pk}/export/", {"labels": "everyone"}).status_code == 400
