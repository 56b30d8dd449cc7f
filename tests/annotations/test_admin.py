"""The labeling admin pages render, with the project's schema inline and its members summed up."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from annotations.preannotation import runs as preannotation
from annotations.models import (Annotation, AnnotationSpan, Assignment, EntityType, Gold, GoldSpan, Item, Membership,
                                PreannotationRun, Prediction, PredictionFailure, Project, ProjectPredictor,
                                SuggestionOutcome, Topic, TopicClassifier)
from annotations.queue import assignment_claim_next, lease_end
from annotations.services import annotation_submit
from annotations.gold import gold_accept
from tests.factories import ItemFactory, ProjectFactory, label, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def labelled():
    project = ProjectFactory(overlap=1)
    item = ItemFactory(project=project)
    annotator = member(project, "annotator")
    assignment_claim_next(project=project, annotator=annotator)
    annotation = annotation_submit(item=item, annotator=annotator, sentiment="positive")
    gold_accept(item=item, reviewer=None, annotation=annotation)
    item.predictions.create(predictor="spacy-ner", version="1", labels={"spans": []})
    return project


@pytest.mark.parametrize("model", [Project, Item, Assignment, Annotation, Gold, Prediction])
def test_changelists_render(admin_client, labelled, model):
    response = admin_client.get(reverse(f"admin:annotations_{model._meta.model_name}_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1


def test_annotations_are_read_not_written_in_the_admin(admin_client, labelled):
    annotation = Annotation.objects.get()
    assert admin_client.get(reverse("admin:annotations_annotation_add")).status_code == 403
    page = admin_client.get(reverse("admin:annotations_annotation_change", args=[annotation.pk]))
    assert page.status_code == 200 and b'name="_save"' not in page.content
    response = admin_client.post(reverse("admin:annotations_annotation_change", args=[annotation.pk]),
                                 {"sentiment": "negative"})
    assert response.status_code == 403
    assert Annotation.objects.get().sentiment == "positive"


def test_project_page_shows_schema_and_members(admin_client, labelled):
    page = admin_client.get(reverse("admin:annotations_project_change", args=[labelled.pk])).content.decode()
    for text in ("PERSON", "Elections", "annotator"):
        assert text in page


def test_project_page_sums_members_up_with_links_instead_of_a_form_row_each(admin_client, labelled):
    for _ in range(2):
        member(labelled, "annotator")
    member(labelled, "reviewer")

    page = admin_client.get(reverse("admin:annotations_project_change", args=[labelled.pk])).content.decode()

    assert "3 annotators, 1 reviewer" in page
    assert "memberships-TOTAL_FORMS" not in page
    listed = reverse("admin:annotations_membership_changelist") + f"?project__id__exact={labelled.pk}"
    assert listed in page
    members = admin_client.get(listed)
    assert members.context["cl"].result_count == 4
    added = admin_client.get(reverse("admin:annotations_membership_add") + f"?project={labelled.pk}")
    assert added.context["adminform"].form.initial["project"] == str(labelled.pk)


def test_project_pages_show_item_counts_without_reading_the_items(admin_client, labelled):
    ItemFactory.create_batch(2, project=labelled)
    Membership.objects.create(project=labelled, user=member(ProjectFactory(), "annotator"), role="reviewer")
    pages = [reverse("admin:annotations_project_changelist"), reverse("admin:annotations_project_change",
                                                                      args=[labelled.pk])]
    with CaptureQueriesContext(connection) as queries:
        listed, changed = (admin_client.get(page) for page in pages)

    assert listed.status_code == changed.status_code == 200
    row = listed.context["cl"].result_list.get(pk=labelled.pk)
    assert (row.item_count, row.gold_count) == (3, 1)
    # Counted from the project's counts row; the members' names come with the members.
    assert not [query["sql"] for query in queries.captured_queries if '"annotations_item"' in query["sql"]]
    users = [query for query in queries.captured_queries if query["sql"].startswith('SELECT "auth_user"')]
    assert len(users) <= 2 + Membership.objects.filter(project=labelled).count()  # the session's, raw-id labels


# --- every model, and the managers' bulk actions ---------------------------------

def changelist(model) -> str:
    return reverse(f"admin:annotations_{model._meta.model_name}_changelist")


def act(client, model, action, items, **extra):
    return client.post(changelist(model), {"action": action, "_selected_action": [i.pk for i in items], **extra},
                       follow=True)


def shown_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def pipeline_rows(labelled):
    item = labelled.items.get()
    prediction = item.predictions.get()
    labelled.predictors.create(kind="gazetteer")
    span = {"start": 6, "end": 15, "label": "PERSON", "text": "Ana Reyes"}
    AnnotationSpan.objects.create(annotation=item.annotations.get(), **span)
    GoldSpan.objects.create(gold=item.gold.get(), **span)
    PreannotationRun.objects.create(project=labelled, predictor="gazetteer", version="1", trigger="manual",
                                    item_count=40, done_count=35, failed_count=2)
    PredictionFailure.objects.create(item=item, predictor="http", version="2", error="timed out")
    SuggestionOutcome.objects.create(prediction=prediction, annotation=item.annotations.get(), spans_accepted=1)
    TopicClassifier.objects.create(project=labelled, version=1, gold_count=120, holdout_count=24, micro_f1=0.815,
                                   subset_accuracy=0.5, model=b"weights")
    return labelled


@pytest.mark.parametrize("model", [Membership, EntityType, Topic, ProjectPredictor, AnnotationSpan, GoldSpan,
                                   PreannotationRun, PredictionFailure, SuggestionOutcome, TopicClassifier])
def test_every_model_has_a_changelist(admin_client, pipeline_rows, model):
    response = admin_client.get(changelist(model))
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1


def test_preannotation_runs_show_progress_and_filter_by_status(admin_client, pipeline_rows):
    page = admin_client.get(changelist(PreannotationRun)).content.decode()
    assert "37/40 (2 failed)" in page
    assert admin_client.get(changelist(PreannotationRun), {"status__exact": "done"}).context["cl"].result_count == 0


def test_topic_classifier_page_shows_training_items_held_out_figures_and_thresholds(admin_client, pipeline_rows):
    politics, economy = (pipeline_rows.topics.get(name=name).pk for name in ("Politics", "Economy"))
    classifier = TopicClassifier.objects.get()
    classifier.trained_on = list(range(1000, 1096))
    classifier.thresholds = {str(politics): 0.4213, str(economy): None}
    classifier.metrics = {
        "train": {"positives": {str(politics): 40, str(economy): 31}},
        "held_out": {"items": 24, "micro_precision": 0.8571, "micro_recall": 0.75, "topics": {
            str(politics): {"positives": 9, "suggested": 7, "matched": 6, "precision": 0.8571, "recall": 0.6667}}},
        "rule": {"min_calibration_positives": 5, "min_precision": 0.5, "uncalibrated_min_score": 0.5,
                 "cross_fit_folds": 5}}
    classifier.save()

    listed = admin_client.get(changelist(TopicClassifier)).content.decode()
    page = admin_client.get(reverse("admin:annotations_topicclassifier_change", args=[classifier.pk]))
    content = page.content.decode()

    assert ">96<" in listed and "0.8571" in listed and ">24<" in listed  # trained on, precision, held out
    assert "0.815" in content and "96" in content and "24" in content
    assert "<td>Politics</td><td>40</td><td>0.421</td><td>9</td><td>7</td><td>0.86</td><td>0.67</td>" in content
    assert "<td>Economy</td><td>31</td><td>never (not precise enough)</td>" in content
    assert "weights" not in content and 'name="micro_f1"' not in content


def test_project_page_has_the_predictors_inline(admin_client, pipeline_rows):
    page = admin_client.get(reverse("admin:annotations_project_change", args=[pipeline_rows.pk])).content.decode()
    assert "gazetteer" in page and "predictors-TOTAL_FORMS" in page


def test_assign_gives_open_items_to_an_annotator_within_overlap(admin_client):
    project = ProjectFactory(overlap=1)
    annotator, outsider = member(project, "annotator"), member(ProjectFactory(), "annotator")
    free, full = ItemFactory.create_batch(2, project=project)
    Assignment.objects.create(item=full, annotator=member(project, "annotator"), leased_until=lease_end(project))
    Item.objects.filter(pk=full.pk).update(assigned_count=1)

    response = act(admin_client, Item, "assign", [free, full], annotator=annotator.pk)

    assignment = Assignment.objects.get(annotator=annotator)
    assert assignment.item == free and assignment.status == Assignment.Status.ACTIVE
    assert assignment.leased_until > timezone.now()
    assert Item.objects.get(pk=free.pk).assigned_count == 1
    assert Item.objects.get(pk=full.pk).assigned_count == 1
    assert "Assigned 1 items" in shown_messages(response)[0]
    assert "as many annotators as the project asks for" in shown_messages(response)[1]
    response = act(admin_client, Item, "assign", [free], annotator=outsider.pk)
    assert not Assignment.objects.filter(annotator=outsider).exists()
    assert "1 because they do not annotate its project" in shown_messages(response)[1]


def test_assign_needs_an_annotator(admin_client):
    item = ItemFactory()
    response = act(admin_client, Item, "assign", [item])
    assert "Choose the annotator" in shown_messages(response)[0]
    assert not Assignment.objects.exists()


def test_mark_gold_accepts_unanimous_items_and_says_why_others_were_skipped(admin_client, admin_user):
    project = ProjectFactory(overlap=2)
    ana, ben = member(project, "annotator"), member(project, "annotator")
    agreed, disputed, half_done = ItemFactory.create_batch(3, project=project)
    for annotator in (ana, ben):
        label(agreed, annotator, sentiment="positive", spans=[("Ana Reyes", "PERSON")])
    label(disputed, ana, sentiment="positive")
    label(disputed, ben, sentiment="negative")
    label(half_done, ana, sentiment="neutral")

    response = act(admin_client, Item, "mark_gold", [agreed, disputed, half_done])

    gold = Gold.objects.get()
    assert gold.item == agreed and gold.origin == Gold.Origin.UNANIMOUS and gold.reviewer == admin_user
    assert list(gold.spans.values_list("label", "text")) == [("PERSON", "Ana Reyes")]
    assert "Marked 1 items gold." == shown_messages(response)[0]
    assert "1 because the annotators disagree" in shown_messages(response)[1]
    assert "1 because not every annotator has submitted" in shown_messages(response)[1]


def test_export_selection_downloads_only_the_selected_items_as_jsonl(admin_client, labelled):
    chosen, other = labelled.items.get(), ItemFactory(project=labelled)

    response = act(admin_client, Item, "export_selection", [chosen])

    assert response["Content-Disposition"] == 'attachment; filename="selected-items.jsonl"'
    lines = [json.loads(line) for line in b"".join(response.streaming_content).splitlines()]
    assert [line["article_id"] for line in lines] == [chosen.article_id]
    assert lines[0]["gold"]["sentiment"] == "positive"
    assert other.article_id not in {line["article_id"] for line in lines}


def test_preannotate_actions_enqueue_per_project(admin_client, monkeypatch):
    calls = []

    def enqueue(*, project, items=None, predictors=None, trigger="manual", replace=False):
        calls.append((project, None if items is None else sorted(items.values_list("pk", flat=True)), trigger,
                      replace))
        return []

    monkeypatch.setattr(preannotation, "preannotation_enqueue", enqueue)
    first, second = ProjectFactory(), ProjectFactory()
    a, b, c = ItemFactory(project=first), ItemFactory(project=first), ItemFactory(project=second)

    act(admin_client, Item, "preannotate_replace", [a, b, c])
    act(admin_client, Project, "preannotate_missing", [second])

    assert sorted(calls[:2], key=lambda call: call[0].pk) == [(first, [a.pk, b.pk], "manual", True),
                                                              (second, [c.pk], "manual", True)]
    assert calls[2] == (second, None, "manual", False)
