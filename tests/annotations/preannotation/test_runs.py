"""The pre-annotation pipeline in-process (eager Celery): enqueueing in batches, idempotent
storage, failures on record, the sweep, runs with progress, and imports that trigger it.

The gazetteer predictor keeps these tests fast and exact; the spaCy/VADER predictors have
their own tests, and tests/annotations/test_pipeline_worker.py runs them in a real worker.
"""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations.models import GoldSplit, Item, Prediction, PredictionFailure, PreannotationRun, ProjectAgreement
from annotations.preannotation.runs import (items_missing_prediction, preannotation_enqueue, preannotation_run_batch,
                                       preannotation_sweep)
from annotations.preannotation.predictors.registry import predictor_build
from ingest.readers import read_records
from ingest.services import import_batch_create, import_batch_run
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

TERMS = {"Ana Reyes": "PERSON", "Portvale": "GPE", "Harbour Board": "ORG"}


def _project_with_gazetteer(**options):
    project = factories.ProjectFactory()
    project.predictors.create(kind="gazetteer", options={"terms": TERMS, **options})
    return project


def _items(project, count):
    return [factories.ItemFactory(project=project) for _ in range(count)]


def test_enqueue_stores_one_mapped_prediction_per_item_in_batches(settings):
    settings.PREANNOTATION_BATCH_SIZE = 3
    project = _project_with_gazetteer()
    items = _items(project, 7)
    [run] = preannotation_enqueue(project=project)
    run.refresh_from_db()
    assert (run.item_count, run.done_count, run.failed_count, run.status) == (7, 7, 0, "done")
    assert Prediction.objects.filter(item__project=project).count() == 7
    labels = Prediction.objects.get(item=items[0]).labels
    body = items[0].article.body
    assert [(s["label"], s["text"]) for s in labels["spans"]] == [("PERSON", "Ana Reyes"), ("GPE", "Portvale")]
    assert all(body[s["start"]:s["end"]] == s["text"] for s in labels["spans"])


def test_enqueue_skips_items_that_already_have_the_version():
    project = _project_with_gazetteer()
    _items(project, 4)
    preannotation_enqueue(project=project)
    assert preannotation_enqueue(project=project) == []
    assert Prediction.objects.count() == 4


def test_a_repeated_batch_stores_nothing_twice():
    project = _project_with_gazetteer()
    items = _items(project, 3)
    [run] = preannotation_enqueue(project=project)
    ids = [item.pk for item in items]
    result = preannotation_run_batch(run_id=run.pk, item_ids=ids)
    assert (result.stored, result.existing) == (0, 3)
    assert Prediction.objects.count() == 3
    run.refresh_from_db()
    assert run.done_count == 3  # capped at the run's total, never counted past it


def test_suggestions_for_held_out_gold_mark_the_stored_predictor_quality_stale_others_do_not():
    project = _project_with_gazetteer()
    ProjectAgreement.objects.create(project=project, report={}, predictors=[])  # up to date
    _items(project, 2)
    preannotation_enqueue(project=project)
    assert ProjectAgreement.objects.get(pk=project.pk).stale_since is None  # open items: no figure changes

    factories.ItemFactory(project=project, gold_split=GoldSplit.HELD_OUT)
    preannotation_enqueue(project=project)

    assert ProjectAgreement.objects.get(pk=project.pk).stale_since is not None


def test_a_new_version_keeps_the_old_predictions_for_comparison():
    project = _project_with_gazetteer()
    item = factories.ItemFactory(project=project)
    preannotation_enqueue(project=project)
    config = project.predictors.get()
    config.options = {"terms": {**TERMS, "Monday": "ORG"}}
    config.save()
    [run] = preannotation_enqueue(project=project)
    versions = Prediction.objects.filter(item=item).values_list("version", flat=True)
    assert len(set(versions)) == 2 and run.version in versions


def test_replace_overwrites_the_current_version_in_place():
    project = _project_with_gazetteer()
    item = factories.ItemFactory(project=project)
    preannotation_enqueue(project=project)
    config = project.predictors.get()
    config.label_map = {"GPE": "ORG"}
    config.save()
    preannotation_enqueue(project=project, replace=True)
    [prediction] = Prediction.objects.filter(item=item)
    assert [s["label"] for s in prediction.labels["spans"]] == ["PERSON", "ORG"]


def test_unmapped_labels_are_dropped_and_counted():
    project = _project_with_gazetteer(terms={"Portvale": "FAC", "Ana Reyes": "PERSON"})
    item = factories.ItemFactory(project=project)
    preannotation_enqueue(project=project)
    prediction = Prediction.objects.get(item=item)
    assert [s["label"] for s in prediction.labels["spans"]] == ["PERSON"]
    assert prediction.scores["dropped_spans"] == 1


def test_a_failing_predictor_is_recorded_per_item_and_given_up_after_max_attempts(settings):
    settings.PREANNOTATION_MAX_ATTEMPTS = 2
    project = factories.ProjectFactory()
    # Nothing listens on port 9 (discard) on loopback: the HTTP backend fails to connect.
    project.predictors.create(kind="http", options={"url": "http://127.0.0.1:9/predict", "timeout": 0.5})
    items = _items(project, 2)
    [run] = preannotation_enqueue(project=project)
    run.refresh_from_db()
    assert (run.failed_count, run.done_count, run.status) == (2, 0, "done")
    assert "127.0.0.1:9" in run.error or "onnect" in run.error
    assert PredictionFailure.objects.filter(item__in=items, attempts=1).count() == 2
    preannotation_sweep()
    assert set(PredictionFailure.objects.values_list("attempts", flat=True)) == {2}
    assert preannotation_sweep() == []  # given up: the failures stay on record
    assert not Prediction.objects.exists()


def test_success_after_a_failure_clears_the_failure():
    project = _project_with_gazetteer()
    item = factories.ItemFactory(project=project)
    PredictionFailure.objects.create(item=item, predictor="gazetteer", version=_version(project),
                                     error="earlier outage")
    preannotation_enqueue(project=project)
    assert Prediction.objects.filter(item=item).exists()
    assert not PredictionFailure.objects.exists()


def test_sweep_enqueues_only_what_is_missing_and_hands_over_stale_runs(settings):
    project = _project_with_gazetteer()
    items = _items(project, 5)
    # A run whose worker died: it claims the items but nothing was stored.
    stale = PreannotationRun.objects.create(project=project, predictor="gazetteer", version=_version(project),
                                            trigger="import", item_count=5)
    Prediction.objects.create(item=items[0], predictor="gazetteer", version=_version(project), labels={})
    settings.PREANNOTATION_STALE_AFTER = 3600
    assert preannotation_sweep() == []  # the live run is left alone
    settings.PREANNOTATION_STALE_AFTER = 0
    [run] = preannotation_sweep()
    stale.refresh_from_db()
    assert stale.status == "interrupted" and "sweep" in stale.error
    assert run.item_count == 4 and run.trigger == "sweep"
    assert Prediction.objects.filter(item__in=items).count() == 5


def _version(project):
    return predictor_build(project.predictors.get()).version


def test_items_missing_prediction_is_one_query_however_many_items():
    project = _project_with_gazetteer()
    _items(project, 20)
    with CaptureQueriesContext(connection) as queries:
        missing = list(items_missing_prediction(project=project, predictor="gazetteer", version="v"))
    assert len(missing) == 20 and len(queries) == 1


def test_an_import_creates_items_and_pre_annotates_them():
    project = _project_with_gazetteer()
    records = [{"text": f"Ana Reyes spoke in Portvale about the harbour plan number {n}. " * 3,
                "title": f"Harbour plan {n}"} for n in range(3)]
    batch = _import(records)
    items = Item.objects.filter(project=project, article__import_batch=batch)
    assert items.count() == 3
    assert Prediction.objects.filter(item__in=items, predictor="gazetteer").count() == 3
    assert PreannotationRun.objects.get(project=project).trigger == "import"


def _import(records):
    batch = import_batch_create(inputs=[{"name": "request"}], fmt="json", source_name="Test wire", column_map={},
                                total=len(records))
    return import_batch_run(batch=batch, results=read_records(records))


def test_preannotate_command_enqueues_missing_and_prints_runs(capsys):
    project = _project_with_gazetteer()
    _items(project, 3)
    call_command("preannotate", "--project", str(project.pk))
    out = capsys.readouterr().out
    assert "gazetteer" in out and Prediction.objects.count() == 3
    call_command("preannotate", "--project", str(project.pk), "--missing")
    assert "Nothing to do" in capsys.readouterr().out


def test_preannotate_command_refuses_unknown_projects():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="has id"):
        call_command("preannotate", "--project", "999999")
