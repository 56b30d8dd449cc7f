"""One article's whole way through Newsroom, in Chromium, each person in their own browser:
imported and pre-annotated, labelled by one annotator with the mouse (a suggestion accepted),
labelled differently by a second (the suggestion rejected), resolved to gold by a reviewer,
exported by a manager."""

import json

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from annotations.models import Annotation, Gold, Item, Prediction
from ingest.readers import read_records
from ingest.services import import_batch_create, import_batch_run
from tests import factories
from tests.browser.test_labeling import READY, drag_over, span_at

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = ("Mayor Ana Reyes cut the ribbon on the Harbor Bridge in Portvale on Monday. "
        "The Portvale Council said the bridge would carry 9,000 cars a day.")


@pytest.fixture
def log_in(browser, live_server):
    """``log_in(user)``: a page in a browser context of that user's own (closed after the test)."""
    contexts = []

    def open_as(user):
        contexts.append(browser.new_context(viewport={"width": 1200, "height": 900}))
        return _logged_in_page(contexts[-1].new_page(), live_server, user)

    yield open_as
    for context in contexts:
        context.close()


def _logged_in_page(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "secret-pass-123")
    page.click("input[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return page


def _next_item(page, live_server, project):
    page.goto(live_server.url + reverse("pages:labeling-start", args=[project.pk]))
    page.get_by_role("button", name="Next item").click()
    page.wait_for_function(READY)


def test_import_label_disagree_review_export(log_in, live_server, screenshot):
    project = factories.ProjectFactory(overlap=2)
    project.predictors.create(kind="gazetteer", options={"terms": {"Portvale Council": "ORG"}})
    politics = project.topics.get(name="Politics")
    batch = import_batch_create(inputs=[{"name": "request"}], fmt="json", source_name="Portvale Post", total=1)
    import_batch_run(batch=batch, results=read_records([{"title": "Bridge opens", "text": TEXT}]))
    item = Item.objects.get(project=project)
    body = item.article.body
    assert Prediction.objects.filter(item=item, predictor="gazetteer").exists()  # pre-annotated on import
    first, second = factories.member(project, "annotator"), factories.member(project, "annotator")

    page = log_in(first)
    _next_item(page, live_server, project)
    drag_over(page, "Ana Reyes")
    page.click("#span-menu button[data-label=PERSON]")
    drag_over(page, "Portvale", nth=0)
    page.click("#span-menu button[data-label=GPE]")
    page.click("#article .sug")
    page.click("#span-menu button[data-action=accept]")
    page.click("#sentiment button[data-value=positive]")
    page.click(f"#topics li[data-id='{politics.pk}'] label")
    with page.expect_navigation():
        page.click("#submit")
    mine = Annotation.objects.get(item=item, annotator=first)
    expected = [span_at(body, "Ana Reyes", "PERSON"), span_at(body, "Portvale", "GPE"),
                span_at(body, "Portvale Council", "ORG")]
    assert list(mine.spans.order_by("start").values_list("start", "end", "label", "text")) == expected
    assert (mine.sentiment, mine.topics) == ("positive", [politics.pk])

    page = log_in(second)
    _next_item(page, live_server, project)
    drag_over(page, "Ana Reyes")
    page.click("#span-menu button[data-label=PERSON]")
    page.click("#sentiment button[data-value=neutral]")
    page.click("#reject-rest")  # the gazetteer's suggestion: not theirs
    expect(page.locator("#article .sug")).to_have_count(0)
    with page.expect_navigation():
        page.click("#submit")
    theirs = Annotation.objects.get(item=item, annotator=second)
    assert theirs.sentiment == "neutral"
    assert list(theirs.spans.values_list("text", flat=True)) == ["Ana Reyes"]

    page = log_in(factories.member(project, "reviewer"))
    page.goto(live_server.url + reverse("pages:review-item", args=[project.pk, item.pk]))
    screenshot("end-to-end-review")
    page.get_by_role("button", name=f"Accept {first.username}'s labels as gold").click()
    page.get_by_role("dialog").get_by_role("button", name="Yes, accept as gold").click()
    expect(page.locator("#review-message")).to_contain_text("Gold version 1 accepted.")
    gold = Gold.objects.get(item=item, status=Gold.Status.ACCEPTED)
    assert gold.based_on == mine

    page = log_in(factories.member(project, "manager"))
    page.goto(live_server.url + reverse("pages:exports", args=[project.pk]))
    with page.expect_download() as download:
        page.get_by_role("button", name="Download now").click()
    [line] = [json.loads(text) for text in open(download.value.path(), encoding="utf-8")]
    assert [(s["start"], s["end"], s["label"], s["text"]) for s in line["gold"]["spans"]] == \
        [tuple(span) for span in expected]
    assert line["gold"]["sentiment"] == "positive" and line["gold"]["topics"] == ["Politics"]
