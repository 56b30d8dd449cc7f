"""Dashboard numbers: progress per project and annotator, throughput per day, agreement with
names, predictor quality on held-out gold (against PostgreSQL)."""

from datetime import date, datetime, timedelta, timezone as dt_timezone

import pytest
from django.urls import reverse

from annotations.agreement import reports
from annotations.agreement.reports import project_agreement_refresh
from annotations.models import Annotation, Assignment, Gold, GoldSplit, Item, TopicClassifier
from annotations.pages.dashboard import selectors as dashboard
from annotations.preannotation.quality import predictor_quality_report
from annotations.queue import assignment_create, lease_end
from annotations.services import annotation_submit
from annotations.validation import SpanInput
from annotations.gold import gold_accept
from tests.factories import ItemFactory, ProjectFactory, UserFactory, label, member

pytestmark = pytest.mark.django_db


def noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=dt_timezone.utc)


@pytest.fixture
def project():
    return ProjectFactory(name="Elections desk", overlap=2)


def test_progress_counts_items_per_status_for_the_projects_a_user_oversees(project):
    other = ProjectFactory(name="Economy desk")
    annotated_only = ProjectFactory(name="Not mine")
    reviewer = member(project, "reviewer")
    other.memberships.create(user=reviewer, role="manager")
    annotated_only.memberships.create(user=reviewer, role="annotator")
    ItemFactory.create_batch(3, project=project)
    ItemFactory(project=project, status=Item.Status.ANNOTATED)
    ItemFactory(project=project, status=Item.Status.GOLD)

    rows = dashboard.projects_progress(projects=dashboard.projects_overseen(user=reviewer))

    assert [row["name"] for row in rows] == ["Economy desk", "Elections desk"]
    desk = rows[1]
    assert (desk["items"], desk["open"], desk["annotated"], desk["gold"]) == (5, 3, 1, 1)
    assert desk["gold_share"] == pytest.approx(0.2)
    assert rows[0]["items"] == 0 and rows[0]["gold_share"] == 0.0


def test_annotator_progress_counts_assignments_and_lists_idle_annotators(project):
    busy, idle = member(project, "annotator", username="busy"), member(project, "annotator", username="idle")
    first, second = ItemFactory.create_batch(2, project=project)
    label(first, busy, sentiment="positive")
    Assignment.objects.create(item=second, annotator=busy, leased_until=lease_end(project))
    Annotation.objects.filter(annotator=busy).update(lead_time_ms=4000)

    rows = {row["annotator"]: row for row in dashboard.annotator_progress(project=project)}

    assert (rows["busy"]["submitted"], rows["busy"]["active"], rows["busy"]["skipped"]) == (1, 1, 0)
    assert rows["busy"]["mean_lead_seconds"] == pytest.approx(4.0)
    assert rows["idle"]["submitted"] == 0 and rows["idle"]["mean_lead_seconds"] is None


def test_throughput_counts_submits_and_gold_per_day_with_empty_days_as_zero(project):
    annotator = member(project, "annotator")
    items = ItemFactory.create_batch(3, project=project)
    annotations = [label(item, annotator, sentiment="neutral") for item in items]
    gold_accept(item=items[0], reviewer=None, annotation=annotations[0])
    today = date(2025, 3, 10)
    Annotation.objects.filter(pk__in=[a.pk for a in annotations[:2]]).update(created_at=noon(today))
    Annotation.objects.filter(pk=annotations[2].pk).update(created_at=noon(today - timedelta(days=2)))
    Gold.objects.update(created_at=noon(today))

    days = dashboard.throughput(project=project, days=4, today=today)

    assert [row["day"] for row in days] == [today - timedelta(days=n) for n in (3, 2, 1, 0)]
    assert [row["submits"] for row in days] == [0, 1, 0, 2]
    assert [row["gold"] for row in days] == [0, 0, 0, 1]


def test_agreement_summary_names_annotators_labels_and_topics(project):
    ana, ben = member(project, "annotator", username="ana"), member(project, "annotator", username="ben")
    politics = project.topics.get(name="Politics")
    for item in ItemFactory.create_batch(2, project=project):
        label(item, ana, sentiment="positive", topics=[politics.pk], spans=[("Ana Reyes", "PERSON")])
        label(item, ben, sentiment="positive", topics=[politics.pk],
              spans=[("Ana Reyes", "PERSON"), ("Portvale", "GPE")])
    project_agreement_refresh(project_id=project.pk)  # what the worker does after the submits

    summary = dashboard.agreement_summary(project=project)

    assert summary["items"] == 2
    labels = {row["label"]: row["alpha"] for row in summary["labels"]}
    assert {"Sentiment", "Topic: Politics", "Topic: Politics/Elections", "Topic: Economy"} <= set(labels)
    entities = {row["label"]: row for row in summary["entities"]}
    assert entities["PERSON"]["exact"] == pytest.approx(1.0)
    assert entities["GPE"]["exact"] == pytest.approx(0.0)
    annotators = {row["annotator"]: row for row in summary["annotators"]}
    assert set(annotators) == {"ana", "ben"}
    assert annotators["ana"]["items"] == 2
    assert annotators["ana"]["span_f1_exact"] == pytest.approx(2 * 2 / (2 + 4))


def test_agreement_summary_shows_entity_sentiment_alpha_and_labels_taken_from_suggestions():
    project = ProjectFactory(name="Entities desk", overlap=2, entity_sentiment=True)
    ana, ben = member(project, "annotator", username="ana"), member(project, "annotator", username="ben")
    for feelings in (("positive", "negative"), ("positive", "positive")):
        item = ItemFactory(project=project)
        start = item.article.body.index("Ana Reyes")
        item.predictions.create(predictor="spacy-ner", version="3", labels={"spans": [
            {"start": start, "end": start + 9, "label": "PERSON", "text": "Ana Reyes", "score": 0.9}]})
        for annotator, feeling in zip((ana, ben), feelings):
            assert assignment_create(item=item, annotator=annotator)
            annotation_submit(item=item, annotator=annotator,
                              spans=[SpanInput(start, start + 9, "PERSON", "Ana Reyes", feeling)])
    project_agreement_refresh(project_id=project.pk)

    summary = dashboard.agreement_summary(project=project)

    labels = {row["label"]: row["alpha"] for row in summary["labels"]}
    assert labels["Entity sentiment"] is not None and labels["Entity sentiment"] < 1
    annotators = {row["annotator"]: row for row in summary["annotators"]}
    assert annotators["ana"]["accepted_spans"] == annotators["ben"]["accepted_spans"] == 1.0


def _gold_with_ner_prediction(project, side):
    annotator = member(project, "annotator")
    item = ItemFactory(project=project, gold_split=side)
    annotation = label(item, annotator, spans=[("Ana Reyes", "PERSON")])
    portvale = item.article.body.index("Portvale")
    gold_accept(item=item, reviewer=UserFactory(), annotation=annotation)
    item.predictions.create(predictor="spacy-ner", version="3", labels={"spans": [
        {"start": 6, "end": 15, "label": "PERSON"}, {"start": portvale, "end": portvale + 8, "label": "ORG"}]})
    return item


def test_predictor_quality_compares_suggestions_with_held_out_gold_only(project):
    _gold_with_ner_prediction(project, GoldSplit.HELD_OUT)
    _gold_with_ner_prediction(project, GoldSplit.TRAIN)  # never scored

    (row,) = dashboard.predictor_quality(project=project)

    assert (row["predictor"], row["version"], row["items"], row["span_items"]) == ("spacy-ner", "3", 1, 1)
    assert row["span_precision"] == pytest.approx(0.5)
    assert row["span_recall"] == pytest.approx(1.0)


def test_predictor_quality_is_read_as_stored_with_the_agreement_report_until_its_refresh(project, monkeypatch):
    _gold_with_ner_prediction(project, GoldSplit.HELD_OUT)
    (row,) = dashboard.predictor_quality(project=project)  # no worker: the stale report is refreshed on reading
    assert row["span_items"] == 1
    monkeypatch.setattr(reports, "_eager", lambda: False)  # as with a worker: the refresh is sent, not run here

    _gold_with_ner_prediction(project, GoldSplit.HELD_OUT)  # the new gold marks the report stale

    assert [row["span_items"] for row in dashboard.predictor_quality(project=project)] == [1]
    project_agreement_refresh(project_id=project.pk)
    assert [row["span_items"] for row in dashboard.predictor_quality(project=project)] == [2]
    assert dashboard.predictor_quality(project=project) == predictor_quality_report(project=project)


def _cell(html: str, predictor: str, version: str, column: str) -> str:
    row = html.split(f'data-predictor="{predictor}" data-version="{version}"', 1)[1].split("</tr>", 1)[0]
    return row.split(f'data-col="{column}">', 1)[1].split("</td>", 1)[0].strip()


def test_the_page_shows_on_how_many_held_out_gold_items_each_figure_is(client, project):
    for _ in range(2):
        _gold_with_ner_prediction(project, GoldSplit.HELD_OUT)
    TopicClassifier.objects.create(project=project, version=1, gold_count=40, holdout_count=8, model=b"",
                                   trained_on=[], metrics={"held_out": {
                                       "calibrated_on": [], "items": 8, "matched": 6, "suggested": 8, "gold": 9}})
    client.force_login(member(project, "reviewer"))

    html = client.get(reverse("pages:dashboard", args=[project.pk])).content.decode()

    assert "held-out gold" in html
    assert _cell(html, "spacy-ner", "3", "span_items") == "2"
    assert _cell(html, "spacy-ner", "3", "span_precision") == "0.50"
    assert _cell(html, "spacy-ner", "3", "topic_items") == "0"
    assert _cell(html, "topics", "gold-v1", "topic_items") == "8"
    assert _cell(html, "topics", "gold-v1", "topic_precision") == "0.75"
    assert _cell(html, "topics", "gold-v1", "items") == "8"
