"""The labeling page's data: guidelines rendering, suggestions from predictions, the topic tree,
and the reads scoped to the annotator (their items, progress, previous item, story versions)."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.utils import timezone

from annotations import queue, services
from annotations.models import Prediction, SendBack, Topic
from annotations.pages.labeling.guidelines import guidelines_html
from annotations.pages.labeling.selectors import (labeling_assignment_get, labeling_payload, labeling_progress,
                                                  previous_item_id, send_back_latest, story_versions,
                                                  topics_in_tree_order)
from annotations.preannotation.suggestions import predictions_newest, suggestions_from
from annotations.validation import SpanInput
from ingest.models import StoryCluster
from tests import factories

BODY = "Mayor Zoë 🚀 Brandt met the Harbor Council in Portvale."
SCHEMA = {"entity_types": [{"name": "PERSON"}, {"name": "ORG"}], "sentiment_scale": ["negative", "neutral", "positive"],
          "entity_sentiment": True}


def span(text, label, score=0.5, **extra):
    start = BODY.index(text)
    return {"start": start, "end": start + len(text), "label": label, "text": text, "score": score, **extra}


def prediction(predictor="ner", version="1", minutes=0, **labels):
    return Prediction(predictor=predictor, version=version, labels=labels,
                      created_at=timezone.now() + timedelta(minutes=minutes))


# --- pure ------------------------------------------------------------------------

def test_guidelines_are_escaped_then_formatted():
    html = guidelines_html("# Persons\nTag **every** <script>alert(1)</script> name.\n"
                           "Use `<b>` never.\n\n- one *two*\n- [docs](https://example.org/a?b=1&c=2)\n"
                           "1. first\n[bad](javascript:alert(1))")
    assert html == ('<h3>Persons</h3><p>Tag <strong>every</strong> &lt;script&gt;alert(1)&lt;/script&gt; name.<br>'
                    'Use <code>&lt;b&gt;</code> never.</p><ul><li>one <em>two</em></li>'
                    '<li><a href="https://example.org/a?b=1&amp;c=2" rel="noopener noreferrer">docs</a></li></ul>'
                    '<ol><li>first</li></ol><p>[bad](javascript:alert(1))</p>')


def test_guidelines_keep_snake_case_and_lone_asterisks():
    assert guidelines_html("keep entity_type_name and 2 * 3 * 4") == "<p>keep entity_type_name and 2 * 3 * 4</p>"


def test_only_the_newest_prediction_of_each_predictor_counts():
    old, new, other = prediction("ner", "1", minutes=-5), prediction("ner", "2"), prediction("topics", "1", -9)
    assert predictions_newest([new, other, old]) == [new, other]


def test_suggestions_that_do_not_fit_the_body_or_schema_are_dropped():
    stale = {"start": 0, "end": 5, "label": "PERSON", "text": "Major", "score": 0.9}
    suggested = suggestions_from([prediction(spans=[span("Zoë 🚀 Brandt", "PERSON"), span("Portvale", "GPE"), stale,
                                                    {"start": 50, "end": 99, "label": "ORG", "text": "x"}])],
                                 body=BODY, schema=SCHEMA, topics=[])
    assert [(s["text"], s["label"]) for s in suggested["spans"]] == [("Zoë 🚀 Brandt", "PERSON")]


def test_suggested_spans_keep_the_best_score_and_the_entity_sentiment_is_a_suggestion_of_its_own():
    entities = [{"name": "Harbor Council", "label": "ORG", "mentions": [0], "sentiment": "negative"}]
    weak = prediction("ner-a", spans=[span("Harbor Council", "ORG", 0.4, entity=0)], entities=entities)
    strong = prediction("ner-b", spans=[span("Harbor Council", "ORG", 0.8)])
    best = suggestions_from([weak, strong], body=BODY, schema=SCHEMA, topics=[])
    [council] = best["spans"]
    assert (council["score"], council["predictor"], best["entity_sentiments"]) == (0.8, "ner-b", [])
    start = BODY.index("Harbor Council")
    alone = suggestions_from([weak], body=BODY, schema=SCHEMA, topics=[])
    assert (alone["spans"][0]["key"], alone["spans"][0]["entity"]) == (f"span:{start}:{start + 14}:ORG",
                                                                       "Harbor Council")
    assert "sentiment" not in alone["spans"][0], "accepting the span must not carry the sentiment toward it"
    [feeling] = alone["entity_sentiments"]
    assert (feeling["key"], feeling["span"], feeling["value"], feeling["predictor"]) == (
        f"entity-sentiment:{start}:{start + 14}:ORG", f"span:{start}:{start + 14}:ORG", "negative", "ner-a")
    no_entity_sentiment = {**SCHEMA, "entity_sentiment": False}
    assert suggestions_from([weak], body=BODY, schema=no_entity_sentiment, topics=[])["entity_sentiments"] == []


def test_document_sentiment_and_topics_are_suggested_best_first_and_none_preselected():
    politics, economy = Topic(pk=1, name="Politics"), Topic(pk=2, name="Economy")
    topics = prediction("topics", topics=[{"id": 2, "name": "Economy", "score": 0.1},
                                          {"id": 1, "name": "Politics", "score": 0.6}, {"id": 9, "score": 0.9}])
    mood = prediction("vader", sentiment={"label": "positive", "polarity": 0.4, "score": 0.7})
    odd = prediction("other", sentiment={"label": "ecstatic", "score": 0.99})
    suggested = suggestions_from([topics, mood, odd], body=BODY, schema=SCHEMA, topics=[politics, economy])
    assert [(t["name"], t["key"], t["predictor"]) for t in suggested["topics"]] == [
        ("Politics", "topic:1", "topics"), ("Economy", "topic:2", "topics")]
    assert not any("preselect" in topic for topic in suggested["topics"])
    sentiment = suggested["sentiment"]
    assert (sentiment["key"], sentiment["value"], sentiment["predictor"], sentiment["version"]) == (
        "sentiment", "positive", "vader", "1")


def test_topics_come_parents_first_with_their_paths():
    world = Topic(pk=1, name="World")
    europe, asia = Topic(pk=2, name="Europe", parent_id=1), Topic(pk=3, name="Asia", parent_id=1)
    arts = Topic(pk=4, name="Arts")
    ordered = topics_in_tree_order([europe, world, arts, asia])
    assert [(t["path"], t["depth"]) for t in ordered] == [("Arts", 0), ("World", 0), ("World › Asia", 1),
                                                          ("World › Europe", 1)]


# --- reads, scoped to the annotator ---------------------------------------------------

@pytest.mark.django_db
def test_an_annotator_opens_only_items_they_hold_or_submitted():
    project = factories.ProjectFactory(overlap=1)
    factories.ItemFactory.create_batch(2, project=project)
    annotator, other = factories.member(project), factories.member(project)
    mine = queue.assignment_claim_next(project=project, annotator=annotator).item
    skipped = queue.assignment_claim_next(project=project, annotator=other)
    queue.assignment_skip(assignment=skipped, reason="Not news")

    def opens(user, item, in_project=project):
        return labeling_assignment_get(project=in_project, annotator=user, item_pk=item.pk) is not None

    assert opens(annotator, mine) and not opens(other, mine)
    assert not opens(other, skipped.item)
    services.annotation_submit(item=mine, annotator=annotator)
    assert opens(annotator, mine)
    assert not opens(annotator, mine, in_project=factories.ProjectFactory())


@pytest.mark.django_db
def test_progress_and_previous_item_follow_the_annotators_submits():
    project = factories.ProjectFactory(overlap=1, blind=False)
    first, second, _ = (factories.ItemFactory(project=project) for _ in range(3))
    annotator = factories.member(project)
    assert labeling_progress(project=project, annotator=annotator).remaining == 3
    for item in (first, second):
        queue.assignment_claim_next(project=project, annotator=annotator)
        services.annotation_submit(item=item, annotator=annotator)
    progress = labeling_progress(project=project, annotator=annotator)
    assert (progress.done_today, progress.done, progress.remaining) == (2, 2, 1)
    assert (progress.project_done, progress.project_total) == (2, 3)

    assert previous_item_id(project=project, annotator=annotator) == second.pk
    on_second = labeling_assignment_get(project=project, annotator=annotator, item_pk=second.pk)
    assert previous_item_id(project=project, annotator=annotator, current=on_second) == first.pk
    on_first = labeling_assignment_get(project=project, annotator=annotator, item_pk=first.pk)
    assert previous_item_id(project=project, annotator=annotator, current=on_first) is None


@pytest.mark.django_db
def test_remaining_is_counted_up_to_a_bound_and_then_said_to_be_more(monkeypatch):
    from annotations.pages.labeling import selectors

    project = factories.ProjectFactory(overlap=1, blind=False)
    for _ in range(4):
        factories.ItemFactory(project=project)
    annotator = factories.member(project)
    monkeypatch.setattr(selectors, "REMAINING_COUNTED_UP_TO", 4)
    progress = labeling_progress(project=project, annotator=annotator)
    assert (progress.remaining, progress.remaining_more) == (4, False)

    monkeypatch.setattr(selectors, "REMAINING_COUNTED_UP_TO", 3)
    progress = labeling_progress(project=project, annotator=annotator)
    assert (progress.remaining, progress.remaining_more) == (3, True)


@pytest.mark.django_db
def test_payload_has_the_annotators_latest_labels_and_story_versions_link_only_their_items():
    project = factories.ProjectFactory()
    cluster = StoryCluster.objects.create()
    item = factories.ItemFactory(project=project, article=factories.ArticleFactory(body=BODY, story_cluster=cluster))
    sibling = factories.ItemFactory(project=project, article=factories.ArticleFactory(story_cluster=cluster))
    annotator = factories.member(project)
    queue.assignment_claim_next(project=project, annotator=annotator)
    first = services.annotation_submit(item=item, annotator=annotator, sentiment="neutral")
    services.annotation_submit(item=item, annotator=annotator, sentiment="positive", base_version=first.version)

    payload = labeling_payload(item=item, annotator=annotator)
    assert (payload["annotation"]["version"], payload["annotation"]["sentiment"]) == (2, "positive")
    assert [t["name"] for t in payload["schema"]["topics"]] == ["Economy", "Politics", "Elections"]
    [version] = story_versions(item=item, annotator=annotator)
    assert (version.item_id, version.openable) == (sibling.pk, False)


@pytest.mark.django_db
def test_payload_carries_the_provenance_and_rejections_of_the_labels_and_the_keys_of_the_suggestions():
    project = factories.ProjectFactory(entity_sentiment=True)
    item = factories.ItemFactory(project=project, article=factories.ArticleFactory(body=BODY))
    entities = [{"name": "Harbor Council", "label": "ORG", "mentions": [0], "sentiment": "negative"}]
    item.predictions.create(predictor="ner", version="2", labels={
        "spans": [span("Harbor Council", "ORG", entity=0), span("Zoë 🚀 Brandt", "PERSON")], "entities": entities})
    annotator = factories.member(project)
    queue.assignment_claim_next(project=project, annotator=annotator)
    services.annotation_submit(item=item, annotator=annotator, spans=[span_input("Harbor Council", "ORG")],
                               rejected=[key("Zoë 🚀 Brandt", "PERSON")], pending="accept")

    payload = labeling_payload(item=item, annotator=annotator)

    [saved] = payload["annotation"]["spans"]
    assert (saved["origin"], saved["sentiment"], saved["sentiment_origin"], saved["predictor"],
            saved["predictor_version"]) == ("accepted", "negative", "accepted", "ner", "2")
    assert payload["annotation"]["provenance"] == {"topics": {}}
    assert [r["key"] for r in payload["annotation"]["rejected_suggestions"]] == [key("Zoë 🚀 Brandt", "PERSON")]
    suggestions = payload["suggestions"]
    assert [s["key"] for s in suggestions["spans"]] == [key("Zoë 🚀 Brandt", "PERSON"), key("Harbor Council", "ORG")]
    assert [s["key"] for s in suggestions["entity_sentiments"]] == [
        key("Harbor Council", "ORG", "entity-sentiment")]


def span_input(words, label):
    start = BODY.index(words)
    return SpanInput(start, start + len(words), label, words)


def key(words, label, kind="span"):
    start = BODY.index(words)
    return f"{kind}:{start}:{start + len(words)}:{label}"


# --- the item page ----------------------------------------------------------------

def item_page(client, project, item) -> tuple[dict, str]:
    """The item page's endpoints for its script, and its HTML."""
    response = client.get(f"/projects/{project.pk}/label/{item.pk}/")
    assert response.status_code == 200
    return response.context["api"], response.content.decode()


@pytest.mark.django_db
def test_the_page_renews_an_active_lease_three_times_per_lease_and_a_submitted_item_none(client):
    project = factories.ProjectFactory(lease_minutes=12)
    item = factories.ItemFactory(project=project, article=factories.ArticleFactory(body=BODY))
    annotator = factories.member(project, "annotator")
    queue.assignment_claim_next(project=project, annotator=annotator)
    client.force_login(annotator)

    api, _ = item_page(client, project, item)
    assert (api["lease"], api["lease_renew_ms"]) == (f"/api/items/{item.pk}/lease/", 4 * 60_000)

    services.annotation_submit(item=item, annotator=annotator, sentiment="neutral")
    assert item_page(client, project, item)[0]["lease"] is None


@pytest.mark.django_db
def test_the_page_preloads_every_module_of_its_script(client):
    project = factories.ProjectFactory()
    item = factories.ItemFactory(project=project)
    annotator = factories.member(project, "annotator")
    queue.assignment_claim_next(project=project, annotator=annotator)
    client.force_login(annotator)

    _, html = item_page(client, project, item)

    modules = {path.name for path in Path(finders.find("annotations/labeling/main.js")).parent.glob("*.js")}
    preloaded = set(re.findall(r'rel="modulepreload" href="[^"]*/labeling/([\w-]+\.js)"', html))
    assert preloaded == modules - {"main.js"}
    assert re.search(r'<script type="module" src="[^"]*/labeling/main\.js"></script>', html)


@pytest.mark.django_db
def test_the_page_knows_its_annotator_the_login_page_and_the_csrf_cookie(client, settings):
    project = factories.ProjectFactory()
    item = factories.ItemFactory(project=project)
    annotator = factories.member(project, "annotator")
    queue.assignment_claim_next(project=project, annotator=annotator)
    client.force_login(annotator)

    api, html = item_page(client, project, item)

    assert (api["user"], api["login"], api["csrf_cookie"]) == (annotator.pk, "/accounts/login/", "csrftoken")
    assert f'href="/accounts/login/?next=%2Fprojects%2F{project.pk}%2Flabel%2Fsigned-in%2F"' in html
    settings.CSRF_USE_SESSIONS = True  # no cookie to read: the page keeps the token it was rendered with
    assert item_page(client, project, item)[0]["csrf_cookie"] is None


@pytest.mark.django_db
def test_labeling_and_review_pages_are_never_cached(client):
    project = factories.ProjectFactory()
    item = factories.ItemFactory(project=project)
    annotator, reviewer = factories.member(project, "annotator"), factories.member(project, "reviewer")
    queue.assignment_claim_next(project=project, annotator=annotator)

    client.force_login(annotator)
    labeling = [client.get(f"/projects/{project.pk}/label/"), client.get(f"/projects/{project.pk}/label/{item.pk}/"),
                client.get(f"/projects/{project.pk}/label/signed-in/")]
    client.force_login(reviewer)
    review = [client.get(f"/projects/{project.pk}/review/"), client.get(f"/projects/{project.pk}/review/{item.pk}/")]

    for response in labeling + review:
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"], response.request["PATH_INFO"]


@pytest.mark.django_db
def test_the_item_page_shows_the_latest_send_back_note_and_whether_it_was_answered(client):
    project = factories.ProjectFactory()
    item = factories.ItemFactory(project=project)
    annotator, reviewer = factories.member(project, "annotator"), factories.member(project, "reviewer")
    factories.label(item, annotator)
    client.force_login(annotator)
    assert send_back_latest(item=item) is None
    assert 'id="send-back"' not in item_page(client, project, item)[1]

    SendBack.objects.create(item=item, reviewer=reviewer, note="First look again.")
    latest = SendBack.objects.create(item=item, reviewer=reviewer, note="Check <the> dates.")
    assert send_back_latest(item=item) == latest
    response = client.get(f"/projects/{project.pk}/label/{item.pk}/")
    assert (response.context["send_back"], response.context["send_back_answered"]) == (latest, False)
    assert "Check &lt;the&gt; dates." in response.content.decode()

    services.annotation_submit(item=item, annotator=annotator, base_version=1)
    assert client.get(f"/projects/{project.pk}/label/{item.pk}/").context["send_back_answered"] is True
