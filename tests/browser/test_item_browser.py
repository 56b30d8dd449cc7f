"""The item browser, in Chromium: a reviewer searches, filters, pages forward and back, selects
a page of items and assigns them, and opens an item to review it; an annotator of a blind project
sees only their own items, without the others' work, and opens one to label it. No page is
refused anything by the Content-Security-Policy."""

import json
from datetime import datetime, timedelta, timezone

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from annotations.models import Assignment
from tests import factories
from tests.browser.test_content_security_policy import WATCH, header_problems

pytestmark = pytest.mark.django_db(transaction=True)

START = datetime(2025, 5, 1, 8, tzinfo=timezone.utc)
ITEMS = 60  # more than a page (50)


@pytest.fixture
def desk():
    """A blind project of 60 items published a day apart (every third from the wire, one about a
    lighthouse); ana and ben submitted the oldest."""
    project = factories.ProjectFactory(name="Harbour desk", overlap=2, blind=True)
    wire, daily = factories.SourceFactory(name="Wire"), factories.SourceFactory(name="Daily")
    items = [factories.ItemFactory(project=project, article=factories.ArticleFactory(
        title="Lighthouse reopens after storm" if n == 30 else f"Council story {n}",
        source=wire if n % 3 == 0 else daily, published_at=START + timedelta(days=n))) for n in range(ITEMS)]
    ana, ben = (factories.member(project, username=name) for name in ("ana", "ben"))
    factories.label(items[0], ana, sentiment="positive")
    factories.label(items[0], ben, sentiment="negative")
    return {"project": project, "items": items, "ana": ana, "ben": ben,
            "reviewer": factories.member(project, "reviewer", username="rita")}


@pytest.fixture
def policed(page):
    """Records every Content-Security-Policy violation and header problem of the pages opened."""
    page.add_init_script(WATCH)
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text)
            if "Refused to" in message.text or "Content Security Policy" in message.text else None)
    page.on("response", lambda response: refused.extend(header_problems(
        response.headers.get("content-security-policy"))) if response.request.resource_type == "document" else None)

    def problems() -> list[str]:
        """What the current page (and the responses since the last call) had refused."""
        found = refused + page.evaluate("window.__violations")
        refused.clear()
        return found

    return problems


def item_ids(page) -> list[int]:
    return [int(row) for row in page.locator("#items tbody tr").evaluate_all(
        "rows => rows.map(row => row.dataset.item)")]


def test_a_reviewer_searches_filters_pages_assigns_and_opens(page, live_server, login, desk, policed, screenshot):
    project, items = desk["project"], desk["items"]
    newest_first = [item.pk for item in reversed(items)]
    login(desk["reviewer"])
    page.get_by_role("link", name="Items").first.click()

    expect(page.locator("#item-count")).to_have_text("60 items.")
    assert item_ids(page) == newest_first[:50]
    problems = policed()
    page.click("#items-next")
    expect(page.locator("#items tbody tr")).to_have_count(10)
    assert item_ids(page) == newest_first[50:]
    page.click("#items-previous")
    expect(page.locator("#items tbody tr")).to_have_count(50)
    assert item_ids(page) == newest_first[:50]
    problems += policed()

    page.fill("#id_q", "lighthouse")
    page.click("#item-filters-submit")
    expect(page.locator("#items tbody tr")).to_have_count(1)
    expect(page.locator("#items td.title")).to_have_text("Lighthouse reopens after storm")
    expect(page.locator("#item-count")).to_have_text("1 item matches.")
    problems += policed()

    page.click("#item-filters-clear")
    page.select_option("#id_source", label="Wire")
    page.select_option("#id_sort", label="Oldest published first")
    page.click("#item-filters-submit")
    expect(page.locator("#item-count")).to_have_text("20 items match.")
    assert item_ids(page) == [item.pk for item in items[::3]]
    screenshot("item-browser-reviewer")

    page.check("#items-all")
    expect(page.locator("#items tbody input[name=items]:checked")).to_have_count(20)
    page.select_option("#item-action", "assign")
    expect(page.locator("#item-action-note")).to_be_hidden()
    page.select_option("#item-action-annotator", label="ana")
    page.click("#item-action-submit")
    expect(page.locator(".messagelist")).to_contain_text("Assigned 19 items to ana.")
    expect(page.locator(".messagelist")).to_contain_text("Skipped 1")
    expect(page.locator("#id_source")).to_have_value(str(items[0].article.source_id))  # the filters are kept
    assert Assignment.objects.filter(annotator=desk["ana"]).count() == 20
    problems += policed()

    page.locator(f'#items tr[data-item="{items[0].pk}"] td.title a').click()
    page.wait_for_url(f"**{reverse('pages:review-item', args=[project.pk, items[0].pk])}")
    expect(page.locator("h1")).to_have_text(items[0].article.title)
    assert problems + policed() == [], json.dumps(problems, indent=1)


def test_an_annotator_of_a_blind_project_sees_only_their_items(page, live_server, login, desk, policed, screenshot):
    project, items = desk["project"], desk["items"]
    login(desk["ana"])
    expect(page.locator(f'.project-links[data-project="{project.pk}"] a')).to_have_text(["Items", "Label"])
    page.goto(live_server.url + reverse("pages:items", args=[project.pk]))

    assert item_ids(page) == [items[0].pk]
    expect(page.locator("#items thead th")).to_have_text(["Item", "Article", "Source", "Published", "Suggestions",
                                                          "Yours"])
    expect(page.locator("#items td.assignments")).to_have_text("Submitted")
    for hidden in ("#item-actions", "#items-all", "#id_status", "#id_agreement_min", "#id_annotator"):
        expect(page.locator(hidden)).to_have_count(0)
    expect(page.locator("#id_sort option")).to_have_text(["Newest published first", "Oldest published first",
                                                          "Newest item first", "Oldest item first"])
    screenshot("item-browser-annotator")

    page.locator("#items td.title a").click()
    page.wait_for_url(f"**{reverse('pages:labeling-item', args=[project.pk, items[0].pk])}")
    assert page.goto(live_server.url + reverse("pages:items", args=[project.pk]) + "?q=lighthouse").ok
    expect(page.locator("#items-empty")).to_have_text("No item matches these filters.")
    assert policed() == []
