"""Label imports with texts that have no labels: items without gold, the text kept byte for byte."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from annotations.datasets.importers import LabelImportError, parse_labels
from annotations.datasets.label_imports import labels_import
from annotations.models import Gold, Item, PreannotationRun
from ingest.models import Article
from tests.factories import ProjectFactory, member

# Everything cleaning would touch: CRLF line ends, a double space, a tab, a no-break space,
# accents, right-to-left script, an emoji (two UTF-16 units), trailing blanks and lines.
RAW = "  Zoë Brandt  met the\u00a0Harbour Board.\r\n\r\n\tالمجلس وافق 🚢 on Friday.  \r\n\r\n"
SECOND = "Señora Ñúñez\r\nopened the Lowmere  ferry terminal."


def project_with(labels=("PER", "ORG", "LOC")):
    project = ProjectFactory(schema=False)
    for label in labels:
        project.entity_types.create(name=label)
    return project


def jsonl(*records) -> bytes:
    return "\n".join(json.dumps(record, ensure_ascii=False) for record in records).encode()


def run(project, data, fmt, **options):
    return labels_import(project=project, data=data, fmt=fmt, user=None, **options)


def counts(result):
    return result.created, result.unlabelled, result.skipped, result.failed


def stored(text):
    return Article.objects.get(body=text)


def at(text, part):
    start = text.index(part)
    return start, start + len(part)


# --- pure: which records are unlabelled ---------------------------------------------------


@pytest.mark.parametrize("line", [{"text": RAW}, {"text": RAW, "label": []},
                                  {"text": RAW, "label": [], "entities": [], "cats": [], "meta": {"title": "T"}},
                                  {"text": RAW, "label": None}])
def test_a_doccano_line_without_labels_is_an_unlabelled_text(line):
    (document,) = parse_labels(jsonl(line), fmt="doccano")

    assert document.labels is None and document.text == RAW


def test_a_doccano_line_with_only_a_category_is_labelled():
    (document,) = parse_labels(jsonl({"text": RAW, "label": ["positive"]}), fmt="doccano")

    assert document.labels.sentiment == "positive" and document.labels.spans == ()


def test_our_jsonl_line_and_a_label_studio_task_without_labels_are_unlabelled_texts():
    (ours,) = parse_labels(jsonl({"text": RAW, "title": "Board"}), fmt="newsroom")
    (task,) = parse_labels(json.dumps([{"id": 9, "data": {"text": RAW}, "annotations": []}]), fmt="label-studio")

    assert (ours.labels, ours.text, ours.title) == (None, RAW, "Board")
    assert (task.labels, task.text, task.external_id) == (None, RAW, "9")


# --- stored: verbatim, without gold, idempotent -----------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("fmt, data", [
    ("newsroom", jsonl({"text": RAW}, {"text": SECOND, "title": "Ferry"})),
    ("doccano", jsonl({"id": 1, "text": RAW, "label": []}, {"id": 2, "text": SECOND})),
    ("label-studio", json.dumps([{"data": {"text": RAW}}, {"data": {"text": SECOND}, "annotations": []}]).encode()),
])
def test_texts_without_labels_become_items_without_gold_kept_byte_for_byte(fmt, data):
    project = project_with()

    result = run(project, data, fmt)

    assert counts(result) == (0, 2, 0, 0)
    for text in (RAW, SECOND):
        article = stored(text)
        assert article.body.encode() == article.raw_text.encode() == text.encode()
        assert Item.objects.filter(project=project, article=article, status=Item.Status.OPEN).exists()
    assert not Gold.objects.exists()


@pytest.mark.django_db
def test_reimporting_unlabelled_texts_adds_nothing():
    project = project_with()
    data = jsonl({"text": RAW}, {"text": SECOND}, {"text": RAW})  # the same text twice is one item
    first = run(project, data, "newsroom")
    rows = Article.objects.count(), Item.objects.count()

    again = run(project, data, "newsroom")

    assert counts(first) == counts(again) == (0, 3, 0, 0)
    assert (Article.objects.count(), Item.objects.count()) == rows == (2, 2)
    assert not Gold.objects.exists()


@pytest.mark.django_db
def test_gold_imported_later_lands_on_the_unlabelled_text_at_the_other_tools_offsets():
    project = project_with()
    run(project, jsonl({"text": RAW}), "doccano")
    item = Item.objects.get(project=project)
    person, board = at(RAW, "Zoë Brandt"), at(RAW, "Harbour Board")
    labelled = jsonl({"text": RAW, "label": [[*person, "PER"], [*board, "ORG"]]})

    result = run(project, labelled, "doccano")

    assert (result.created, result.unlabelled) == (1, 0)
    gold = Gold.objects.get(item=item, status=Gold.Status.ACCEPTED)
    assert [(s.start, s.end, s.text) for s in gold.spans.order_by("start")] == [
        (*person, "Zoë Brandt"), (*board, "Harbour Board")]
    assert [RAW[s.start:s.end] for s in gold.spans.order_by("start")] == ["Zoë Brandt", "Harbour Board"]


@pytest.mark.django_db
def test_a_mixed_file_imports_gold_and_unlabelled_texts_and_an_unlabelled_line_leaves_gold_alone():
    project = project_with()
    person = at(SECOND, "Señora Ñúñez")
    data = jsonl({"text": RAW}, {"text": SECOND, "label": [[*person, "PER"]]}, {"text": SECOND})

    result = run(project, data, "doccano")
    again = run(project, data, "doccano")

    assert counts(result) == (1, 2, 0, 0)
    assert (again.created, again.unchanged, again.unlabelled) == (0, 1, 2)
    assert Item.objects.filter(project=project).count() == 2
    gold = Gold.objects.get(item__article__body=SECOND)
    assert [(s.start, s.end, s.label) for s in gold.spans.all()] == [(*person, "PER")]
    assert not Gold.objects.filter(item__article__body=RAW).exists()


@pytest.mark.django_db
def test_a_bad_unlabelled_record_fails_alone():
    project = project_with()
    respaced = RAW.replace("  ", " ")  # same words, other spacing: offsets into it would not match RAW
    lines = [json.dumps({"text": RAW}), "{not json", json.dumps({"text": " \r\n\t "}), json.dumps({"title": "no text"}),
             json.dumps({"text": respaced}), json.dumps({"text": SECOND})]

    result = run(project, "\n".join(lines).encode(), "newsroom", origin="texts.jsonl")

    assert counts(result) == (0, 2, 0, 4)
    assert [error.origin for error in result.errors] == [f"texts.jsonl:{n}" for n in (2, 3, 4, 5)]
    assert "no words" in result.errors[1].message
    assert "different body" in result.errors[3].message
    assert sorted(Item.objects.values_list("article__body", flat=True)) == sorted([RAW, SECOND])


@pytest.mark.django_db
def test_unlabelled_items_are_offered_to_the_projects_predictors(django_capture_on_commit_callbacks):
    project = project_with()
    project.predictors.create(kind="gazetteer", options={"terms": {"Harbour Board": "ORG"}})

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run(project, jsonl({"text": RAW}, {"text": SECOND}), "newsroom")

    run_row = PreannotationRun.objects.get(project=project)
    assert (run_row.predictor, run_row.trigger, run_row.item_count) == ("gazetteer", "import", 2)
    assert callbacks  # the batches are sent after the commit


@pytest.mark.django_db
def test_the_api_reports_unlabelled_texts():
    project = project_with()
    client = APIClient()
    client.force_authenticate(member(project, "manager"))
    person = at(SECOND, "Señora Ñúñez")
    data = jsonl({"text": RAW}, {"text": SECOND, "label": [[*person, "PER"]]}, {"label": []})
    files = {"file": SimpleUploadedFile("mixed.jsonl", data), "format": "doccano"}

    response = client.post(f"/api/projects/{project.pk}/label-imports/", files, format="multipart")

    assert response.status_code == 201, response.data
    assert {key: response.data[key] for key in ("created", "unlabelled", "skipped", "failed")} == {
        "created": 1, "unlabelled": 1, "skipped": 0, "failed": 1}
    assert response.data["errors"][0]["origin"] == "mixed.jsonl:3"
    assert stored(RAW).body == RAW


def test_a_bad_record_among_unlabelled_ones_is_one_error():
    lines = [json.dumps({"text": RAW}), json.dumps({"text": 5}), json.dumps({"text": SECOND, "label": "x"})]

    documents = list(parse_labels("\n".join(lines), fmt="doccano", origin="d.jsonl"))

    assert documents[0].labels is None
    assert [(d.origin, isinstance(d, LabelImportError)) for d in documents[1:]] == [("d.jsonl:2", True),
                                                                                   ("d.jsonl:3", True)]
