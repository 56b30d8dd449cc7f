"""What annotators kept of the suggestions (recorded at submit), each predictor's precision
and recall against held-out gold it never saw, and the pre-annotation API."""

from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from annotations import gold, queue, services
from annotations.models import GoldSplit, Prediction, SuggestionOutcome, TopicClassifier
from annotations.preannotation.outcomes import suggestion_acceptance
from annotations.preannotation.quality import predictor_quality_report
from annotations.validation import SpanInput
from tests import factories

pytestmark = pytest.mark.django_db

BODY = "Ana Reyes met the Harbour Board in Portvale on Monday."


def _labelled_item(project, side=GoldSplit.HELD_OUT):
    item = factories.ItemFactory(project=project, article=factories.ArticleFactory(body=BODY), gold_split=side)
    politics = project.topics.get(name="Politics").pk
    economy = project.topics.get(name="Economy").pk
    Prediction.objects.create(item=item, predictor="ner", version="1", labels={
        "spans": [{"start": 0, "end": 9, "label": "PERSON", "text": "Ana Reyes", "score": 0.9},
                  {"start": 18, "end": 30, "label": "GPE", "text": "Harbour Board", "score": 0.4},
                  {"start": 35, "end": 43, "label": "GPE", "text": "Portvale", "score": 0.9}],
        "entities": [], "sentiment": None, "topics": []})
    Prediction.objects.create(item=item, predictor="doc", version="1", labels={
        "spans": [], "entities": [], "sentiment": {"label": "neutral", "polarity": 0.0, "score": 0.5},
        "topics": [{"id": politics, "name": "Politics", "score": 0.5}, {"id": economy, "name": "Economy",
                                                                          "score": 0.3}]})
    return item, politics


def _submit(project, item, spans, *, sentiment, topics, **decisions):
    annotator = factories.member(project, "annotator")
    assert queue.assignment_claim_next(project=project, annotator=annotator).item == item
    spans = [SpanInput(s, e, lab, BODY[s:e], *feeling) for s, e, lab, *feeling in spans]
    return services.annotation_submit(item=item, annotator=annotator, sentiment=sentiment, topics=topics,
                                      spans=spans, **decisions)


def _suggested_item(project):
    """spaCy suggests three spans and a negative sentiment toward Ana Reyes; "doc" a neutral
    document and two topics."""
    item = factories.ItemFactory(project=project, article=factories.ArticleFactory(body=BODY))
    politics, economy = (project.topics.get(name=name).pk for name in ("Politics", "Economy"))
    Prediction.objects.create(item=item, predictor="ner", version="2", labels={
        "spans": [{"start": 0, "end": 9, "label": "PERSON", "text": "Ana Reyes", "score": 0.9, "entity": 0},
                  {"start": 18, "end": 31, "label": "ORG", "text": "Harbour Board", "score": 0.8},
                  {"start": 35, "end": 43, "label": "GPE", "text": "Portvale", "score": 0.9}],
        "entities": [{"name": "Ana Reyes", "label": "PERSON", "mentions": [0], "sentiment": "negative"}]})
    Prediction.objects.create(item=item, predictor="doc", version="1", labels={
        "sentiment": {"label": "neutral", "polarity": 0.0, "score": 0.5},
        "topics": [{"id": politics, "score": 0.5}, {"id": economy, "score": 0.3}]})
    return item, politics


def test_submit_records_what_became_of_each_suggestion_of_each_newest_prediction():
    project = factories.ProjectFactory(overlap=1, entity_sentiment=True)
    item, politics = _suggested_item(project)
    older = Prediction.objects.create(item=item, predictor="ner", version="1", labels={"spans": []})
    Prediction.objects.filter(pk=older.pk).update(created_at=older.created_at - timedelta(days=1))  # ignored

    annotation = _submit(project, item, [(0, 9, "PERSON", "positive"), (18, 25, "ORG")], sentiment="neutral",
                         topics=[politics], rejected=["span:35:43:GPE"], pending="reject")

    outcomes = {o.prediction.predictor: o for o in SuggestionOutcome.objects.filter(annotation=annotation)}
    assert set(outcomes) == {"ner", "doc"} and outcomes["ner"].prediction.version == "2"
    ner, doc = outcomes["ner"], outcomes["doc"]
    assert (ner.spans_accepted, ner.spans_changed, ner.spans_rejected) == (1, 1, 1)
    assert (ner.entity_sentiments_accepted, ner.entity_sentiments_changed, ner.entity_sentiments_rejected) == (0, 1, 0)
    assert (ner.sentiment_outcome, ner.topics_accepted, ner.topics_rejected) == ("", 0, 0)
    assert (doc.sentiment_outcome, doc.topics_accepted, doc.topics_rejected) == ("accepted", 1, 1)
    assert (doc.spans_accepted, doc.spans_changed, doc.spans_rejected) == (0, 0, 0)


def test_acceptance_per_predictor_version_counts_each_annotators_current_labels():
    project = factories.ProjectFactory(overlap=1, entity_sentiment=True)
    item, politics = _suggested_item(project)
    first = _submit(project, item, [(0, 9, "PERSON", "negative"), (18, 25, "ORG")], sentiment="positive",
                    topics=[politics], pending="reject")
    services.annotation_submit(item=item, annotator=first.annotator, sentiment="neutral", topics=[politics],
                               spans=[SpanInput(0, 9, "PERSON", "Ana Reyes", "negative")], base_version=1,
                               pending="accept")  # replaces what the first version decided; rejections stay

    acceptance = suggestion_acceptance(project=project)

    assert set(acceptance) == {("ner", "2"), ("doc", "1")}
    ner, doc = acceptance[("ner", "2")], acceptance[("doc", "1")]
    assert ner["annotations"] == 1
    assert (ner["spans_accepted"], ner["spans_changed"], ner["spans_rejected"]) == (2, 0, 1)
    assert ner["entity_sentiments_accepted"] == 1
    assert ner["acceptance_rate"] == pytest.approx(3 / 4)
    assert (doc["sentiment_accepted"], doc["sentiment_changed"], doc["topics_accepted"],
            doc["topics_rejected"]) == (1, 0, 1, 1)


def test_changed_and_rejected_suggestions_lower_the_acceptance_rate():
    project = factories.ProjectFactory(overlap=1, entity_sentiment=True)
    item, politics = _suggested_item(project)
    _submit(project, item, [(0, 9, "PERSON", "positive"), (18, 25, "ORG")], sentiment="negative", topics=[politics],
            pending="reject")

    report = {row["predictor"]: row for row in predictor_quality_report(project=project)}

    ner = report["ner"]
    assert (ner["spans_accepted"], ner["spans_changed"], ner["spans_rejected"]) == (1, 1, 1)
    assert (ner["entity_sentiments_changed"], ner["acceptance_rate"]) == (1, pytest.approx(1 / 4))
    doc = report["doc"]
    assert (doc["sentiment_changed"], doc["topics_accepted"], doc["topics_rejected"]) == (1, 1, 1)
    assert doc["acceptance_rate"] == pytest.approx(1 / 3)
    assert ner["span_precision"] is None  # no gold yet


def _accept_gold(project, item, politics):
    gold.gold_accept(item=item, reviewer=factories.member(project, "reviewer"), sentiment="neutral",
                     topics=[politics], spans=[
                         SpanInput(start=0, end=9, label="PERSON", text="Ana Reyes"),
                         SpanInput(start=18, end=31, label="ORG", text="Harbour Board"),
                         SpanInput(start=35, end=43, label="GPE", text="Portvale"),
                         SpanInput(start=47, end=53, label="ORG", text="Monday")])


def test_quality_report_against_held_out_gold():
    project = factories.ProjectFactory(overlap=1)
    item, politics = _labelled_item(project)
    _accept_gold(project, item, politics)
    report = {row["predictor"]: row for row in predictor_quality_report(project=project)}
    ner, doc = report["ner"], report["doc"]
    assert ner["items"] == 1 and ner["span_items"] == 1
    assert ner["span_precision"] == pytest.approx(2 / 3) and ner["span_recall"] == pytest.approx(2 / 4)
    assert ner["span_f1"] == pytest.approx(2 * 2 / (3 + 4))
    assert ner["topic_precision"] is None and ner["sentiment_accuracy"] is None
    assert (ner["topic_items"], ner["sentiment_items"]) == (0, 0)
    assert doc["span_precision"] is None and doc["span_items"] == 0
    assert (doc["sentiment_accuracy"], doc["sentiment_items"]) == (1.0, 1)
    assert (doc["topic_precision"], doc["topic_recall"], doc["topic_items"]) == (0.5, 1.0, 1)


def test_train_side_gold_is_not_scored():
    project = factories.ProjectFactory(overlap=1)
    item, politics = _labelled_item(project, side=GoldSplit.TRAIN)
    _accept_gold(project, item, politics)

    assert predictor_quality_report(project=project) == []


def _topic_prediction(item, topic_id, version="gold-v1"):
    return Prediction.objects.create(item=item, predictor="topics", version=version, labels={
        "spans": [], "entities": [], "sentiment": None, "topics": [{"id": topic_id, "name": "x", "score": 0.9}]})


def test_a_trained_version_is_scored_only_on_held_out_gold_it_never_saw():
    project = factories.ProjectFactory(overlap=1)
    economy = project.topics.get(name="Economy").pk
    trained, calibrated, unseen = (_labelled_item(project)[0] for _ in range(3))  # all on the held-out side
    for item in (trained, calibrated, unseen):
        _accept_gold(project, item, project.topics.get(name="Politics").pk)
        _topic_prediction(item, economy)  # wrong on every item
    # As if the version had been fitted on ``trained`` and calibrated on ``calibrated``, where
    # its cross-fitted decisions (counted at training) got 1 of 1 suggestions right.
    TopicClassifier.objects.create(project=project, version=1, gold_count=2, holdout_count=1, model=b"",
                                   trained_on=[trained.pk], metrics={"held_out": {
                                       "calibrated_on": [calibrated.pk], "items": 1, "matched": 1, "suggested": 1,
                                       "gold": 1}})

    [row] = [row for row in predictor_quality_report(project=project) if row["predictor"] == "topics"]

    assert (row["items"], row["topic_items"]) == (2, 2)  # ``unseen`` and the calibration item
    assert row["topic_precision"] == pytest.approx(1 / 2) and row["topic_recall"] == pytest.approx(1 / 2)


def test_a_version_trained_before_its_items_were_recorded_is_scored_on_no_gold():
    project = factories.ProjectFactory(overlap=1)
    item, politics = _labelled_item(project)
    _accept_gold(project, item, politics)
    _topic_prediction(item, politics)
    TopicClassifier.objects.create(project=project, version=1, gold_count=60, holdout_count=12, model=b"",
                                   metrics={"micro_f1": 0.8})

    [row] = [row for row in predictor_quality_report(project=project) if row["predictor"] == "topics"]

    assert (row["items"], row["topic_items"], row["topic_precision"]) == (0, 0, None)


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_item_predictions_endpoint_lists_every_version():
    project = factories.ProjectFactory(overlap=1)
    item, _ = _labelled_item(project)
    reviewer = factories.member(project, "reviewer")
    response = _client(reviewer).get(f"/api/items/{item.pk}/predictions/")
    assert response.status_code == 200
    assert sorted(p["predictor"] for p in response.json()) == ["doc", "ner"]
    outsider = factories.UserFactory()
    assert _client(outsider).get(f"/api/items/{item.pk}/predictions/").status_code == 404


@pytest.mark.parametrize(("role", "list_status", "create_status"), [
    ("annotator", 403, 403), ("reviewer", 200, 403), ("manager", 200, 202)])
def test_preannotation_runs_endpoint_permissions(role, list_status, create_status):
    project = factories.ProjectFactory()
    project.predictors.create(kind="gazetteer", options={"terms": {"Portvale": "GPE"}})
    factories.ItemFactory(project=project, article=factories.ArticleFactory(body=BODY))
    client = _client(factories.member(project, role))
    assert client.get(f"/api/projects/{project.pk}/preannotation-runs/").status_code == list_status
    response = client.post(f"/api/projects/{project.pk}/preannotation-runs/", {}, format="json")
    assert response.status_code == create_status
    if create_status == 202:
        [run] = response.json()
        assert (run["predictor"], run["item_count"]) == ("gazetteer", 1)


def test_enqueueing_an_unknown_predictor_is_a_clear_400():
    project = factories.ProjectFactory()
    project.predictors.create(kind="no-such-model")
    client = _client(factories.member(project, "manager"))
    response = client.post(f"/api/projects/{project.pk}/preannotation-runs/", {}, format="json")
    assert response.status_code == 400
    assert "no-such-model" in response.json()["error"]["message"]


def test_predictor_quality_endpoint_is_for_reviewers():
    project = factories.ProjectFactory()
    assert _client(factories.member(project, "annotator")).get(
        f"/api/projects/{project.pk}/predictor-quality/").status_code == 403
    response = _client(factories.member(project, "reviewer")).get(f"/api/projects/{project.pk}/predictor-quality/")
    assert response.status_code == 200 and response.json() == []


def test_predictor_quality_endpoint_gives_the_items_behind_every_figure():
    project = factories.ProjectFactory(overlap=1)
    item, politics = _labelled_item(project)
    _accept_gold(project, item, politics)
    train_item, _ = _labelled_item(project, side=GoldSplit.TRAIN)
    _accept_gold(project, train_item, politics)

    rows = _client(factories.member(project, "reviewer")).get(f"/api/projects/{project.pk}/predictor-quality/").json()

    doc = next(row for row in rows if row["predictor"] == "doc")
    assert {key: doc[key] for key in ("items", "span_items", "sentiment_items", "topic_items")} == {
        "items": 1, "span_items": 0, "sentiment_items": 1, "topic_items": 1}
