"""Suggestions on the labeling page, in Chromium: decided one by one or the rest at once, never
saved as the annotator's own unasked; and undo / redo of the last label actions."""

import pytest
from playwright.sync_api import expect

from annotations.models import Prediction
from tests import factories
from tests.browser.test_labeling import BODY, drag_over, item_on, open_item, saved_spans, span_at, submit_and_wait

pytestmark = pytest.mark.django_db(transaction=True)

COUNCIL = span_at(BODY, "Portvale Council", "ORG")


def suggest(item, **labels):
    return Prediction.objects.create(item=item, predictor="spacy-ner", version="3", labels=labels)


def council_suggestion(score=0.9, **extra):
    return {"start": COUNCIL[0], "end": COUNCIL[1], "label": "ORG", "text": COUNCIL[3], "score": score, **extra}


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
