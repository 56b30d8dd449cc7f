"""Suggestions on the labeling page, in Chromium: decided one by one or the rest at once, never
saved as the annotator's own unasked; and undo / redo of the last label actions."""

import pytest
from playwright.sync_api import expect

from annotations.models import Annotation, Prediction
from tests import factories
from tests.browser.test_labeling import BODY, drag_over, item_on, open_item, saved_spans, span_at, submit_and_wait

pytestmark = pytest.mark.django_db(transaction=True)

COUNCIL = span_at(BODY, "Portvale Council", "ORG")


def suggest(item, **labels):
    return Prediction.objects.create(item=item, predictor="spacy-ner", version="3", labels=labels)


def council_suggestion(score=0.9, **extra):
    return {"start": COUNCIL[0], "end": COUNCIL[1], "label": "ORG", "text": COUNCIL[3], "score": score, **extra}


def origins_of(annotation):
    return list(annotation.spans.order_by("start").values_list("text", "origin", "sentiment", "sentiment_origin",
                                                               "predictor", "predictor_version"))


def submitted_payload(page, click):
    """Click ``click`` and return the JSON the page posted to the annotations endpoint."""
    with page.expect_request(lambda request: request.method == "POST" and "/annotations/" in request.url) as sent:
        page.click(click)
    return sent.value.post_data_json


def criticised_council_with_mood_and_topic(project, item):
    """spaCy suggests the council (and a negative sentiment toward it); VADER a positive article
    about politics."""
    politics = project.topics.get(name="Politics")
    suggest(item, spans=[council_suggestion(entity=0)],
            entities=[{"name": "Portvale Council", "label": "ORG", "mentions": [0], "sentiment": "negative"}])
    Prediction.objects.create(item=item, predictor="vader", version="1", labels={
        "sentiment": {"label": "positive", "polarity": 0.3, "score": 0.3},
        "topics": [{"id": politics.pk, "name": "Politics", "score": 0.24}]})
    return politics


def test_a_submit_with_open_suggestions_is_refused_then_the_rest_accepted_explicitly(
        page, live_server, login, screenshot):
    project = factories.ProjectFactory(entity_sentiment=True)
    item = item_on(project, BODY)
    politics = criticised_council_with_mood_and_topic(project, item)
    annotator = factories.member(project, "annotator")
    open_item(page, live_server, login, annotator, project)
    drag_over(page, "Ana Reyes")
    page.keyboard.press("p")

    first = submitted_payload(page, "#submit")
    expect(page.locator("#open-suggestions")).to_be_visible()
    expect(page.locator("#open-suggestions-message")).to_contain_text("3 suggestions are still open")
    expect(page.locator("#open-suggestions-list li")).to_have_text([
        "document sentiment positive (vader 1)", "topic Politics (vader 1)",
        "ORG “Portvale Council”, and negative toward it (spacy-ner 3)"])
    expect(page.locator("#status")).to_have_text("Not saved: some suggestions are still open (listed above the text).")
    assert "pending" not in first and first["rejected"] == []
    assert not Annotation.objects.filter(item=item).exists()
    screenshot("labeling-open-suggestions")

    page.click("#open-suggestions-list button >> text=Portvale Council")  # shows where it is
    expect(page.locator("#span-menu")).to_contain_text("Suggested ORG “Portvale Council”")
    second = submitted_payload(page, "#submit-accept-rest")
    page.wait_for_url(f"{live_server.url}/projects/{project.pk}/label/")

    assert second["pending"] == "accept"
    annotation = Annotation.objects.get(item=item, annotator=annotator)
    assert origins_of(annotation) == [("Ana Reyes", "person", "", "", "", ""),
                                      ("Portvale Council", "accepted", "negative", "accepted", "spacy-ner", "3")]
    assert (annotation.sentiment, annotation.topics) == ("positive", [politics.pk])
    assert annotation.provenance == {
        "sentiment": {"origin": "accepted", "predictor": "vader", "version": "1"},
        "topics": {str(politics.pk): {"origin": "accepted", "predictor": "vader", "version": "1"}}}


def test_an_accepted_span_leaves_its_entity_sentiment_a_suggestion_and_the_rest_is_rejected(page, live_server, login):
    project = factories.ProjectFactory(entity_sentiment=True)
    item = item_on(project, BODY)
    politics = criticised_council_with_mood_and_topic(project, item)
    annotator = factories.member(project, "annotator")
    open_item(page, live_server, login, annotator, project)
    keys = page.keyboard

    keys.press("]")
    keys.press("Enter")  # the council, accepted: its sentiment is not
    council = page.locator("#article .lab")
    expect(council).to_have_attribute("data-tag", "ORG (negative?)")
    expect(page.locator("#suggestion-summary")).to_contain_text("Open: 1 entity sentiment, the sentiment, 1 topic")
    keys.press("Shift+R")
    expect(council).to_have_attribute("data-tag", "ORG")
    expect(page.locator(f"#topics li[data-id='{politics.pk}']")).to_have_class("rejected")
    expect(page.locator("#sentiment-suggestion")).to_contain_text("rejected")
    sent = submitted_payload(page, "#submit")
    page.wait_for_url(f"{live_server.url}/projects/{project.pk}/label/")

    start, end = COUNCIL[0], COUNCIL[1]
    assert sent["pending"] == "reject"
    assert sorted(sent["rejected"]) == sorted([f"entity-sentiment:{start}:{end}:ORG", "sentiment",
                                               f"topic:{politics.pk}"])
    annotation = Annotation.objects.get(item=item, annotator=annotator)
    assert origins_of(annotation) == [("Portvale Council", "accepted", "", "", "spacy-ner", "3")]
    assert (annotation.sentiment, annotation.topics, annotation.provenance) == ("", [], {"topics": {}})
    assert [rejection["key"] for rejection in annotation.rejected_suggestions] == sorted(sent["rejected"])


def test_suggestions_are_decided_one_by_one_with_the_keyboard(page, live_server, login):
    project = factories.ProjectFactory(entity_sentiment=True)
    item = item_on(project, BODY)
    politics = criticised_council_with_mood_and_topic(project, item)
    annotator = factories.member(project, "annotator")
    open_item(page, live_server, login, annotator, project)
    keys = page.keyboard

    keys.press("]")
    keys.press("Enter")  # the council
    keys.press("2")  # neutral toward it: the suggested negative, changed
    keys.press("Escape")
    keys.press("0")  # no document sentiment: the suggested positive, rejected
    keys.press("/")
    keys.type("polit")
    keys.press("Enter")  # the suggested topic, accepted
    keys.press("Escape")
    expect(page.locator("#suggestion-summary")).to_contain_text("Nothing open")
    sent = submitted_payload(page, "#submit")
    page.wait_for_url(f"{live_server.url}/projects/{project.pk}/label/")

    assert "pending" not in sent and sent["rejected"] == ["sentiment"]
    annotation = Annotation.objects.get(item=item, annotator=annotator)
    assert origins_of(annotation) == [("Portvale Council", "accepted", "neutral", "changed", "spacy-ner", "3")]
    assert (annotation.sentiment, annotation.topics) == ("", [politics.pk])


def test_undo_and_redo_the_last_label_actions(page, live_server, login):
    project = factories.ProjectFactory()
    item = item_on(project, BODY)
    suggest(item, spans=[council_suggestion()])
    annotator = factories.member(project, "annotator")
    open_item(page, live_server, login, annotator, project)
    status, keys = page.locator("#status"), page.keyboard
    drag_over(page, "Ana Reyes")
    keys.press("p")
    page.click("#article .sug")
    keys.press("Enter")
    page.click("#sentiment button[data-value=negative]")
    negative = page.locator("#sentiment button[data-value=negative]")

    keys.press("Control+z")
    expect(status).to_have_text("Undone: sentiment negative.")
    expect(negative).to_have_attribute("aria-pressed", "false")
    keys.press("Control+z")
    expect(status).to_have_text("Undone: accept ORG “Portvale Council”.")
    expect(page.locator("#article .sug")).to_have_text("Portvale Council")
    expect(page.locator("#article .lab")).to_have_text("Ana Reyes")
    keys.press("Control+Shift+z")
    expect(status).to_have_text("Redone: accept ORG “Portvale Council”.")
    expect(page.locator("#article .sug")).to_have_count(0)
    keys.press("Control+y")
    expect(negative).to_have_attribute("aria-pressed", "true")

    for _ in range(3):
        page.click("#undo")
    expect(page.locator("#article .lab")).to_have_count(0)
    expect(page.locator("#undo")).to_be_disabled()
    for _ in range(3):
        page.click("#redo")
    expect(page.locator("#redo")).to_be_disabled()
    page.click("#article .lab >> text=Portvale Council")
    keys.press("Delete")  # deleting the accepted suggestion rejects it: it does not come back as open
    expect(page.locator("#article .lab")).to_have_count(1)
    expect(page.locator("#article .sug")).to_have_count(0)
    keys.press("Control+z")
    expect(page.locator("#article .lab")).to_have_count(2)
    submit_and_wait(page)

    annotation, spans = saved_spans(item, annotator)
    assert spans == [span_at(BODY, "Ana Reyes", "PERSON"), COUNCIL]
    assert annotation.sentiment == "negative"


def test_overlapping_suggestions_one_taken_the_other_rejected_and_ones_own_span_changes_a_third(
        page, live_server, login):
    project = factories.ProjectFactory()  # spans may not overlap
    item = item_on(project, BODY)
    town = span_at(BODY, "Portvale", "GPE", nth=1)  # the Portvale of "Portvale Council"
    bridge = span_at(BODY, "Harbor Bridge", "ORG")
    suggest(item, spans=[council_suggestion(0.9), {"start": town[0], "end": town[1], "label": "GPE",
                                                   "text": town[3], "score": 0.5},
                         {"start": bridge[0], "end": bridge[1], "label": "ORG", "text": bridge[3], "score": 0.4}])
    annotator = factories.member(project, "annotator")
    open_item(page, live_server, login, annotator, project)

    page.click("#article .sug >> text=Council")
    page.keyboard.press("Enter")  # the council, over the town inside it
    drag_over(page, "Harbor")
    page.keyboard.press("o")  # their own span over the suggested bridge: it changes that suggestion
    expect(page.locator("#article .sug")).to_have_count(0)
    sent = submitted_payload(page, "#submit")
    page.wait_for_url(f"{live_server.url}/projects/{project.pk}/label/")

    assert sent["rejected"] == [f"span:{town[0]}:{town[1]}:GPE"]
    annotation = Annotation.objects.get(item=item, annotator=annotator)
    assert origins_of(annotation) == [("Harbor", "changed", "", "", "spacy-ner", "3"),
                                      ("Portvale Council", "accepted", "", "", "spacy-ner", "3")]
    assert [rejection["key"] for rejection in annotation.rejected_suggestions] == sent["rejected"]
