"""Who opens which page, in Chromium: the role matrix of the review, import, export and
dashboard pages, and the links the start page offers each role."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from playwright.sync_api import expect

from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def desk():
    project = factories.ProjectFactory(name="Elections desk")
    item = factories.ItemFactory(project=project)
    return project, item


def page_urls(project, item) -> dict[str, str]:
    return {
        "review": reverse("pages:review-list", args=[project.pk]),
        "review item": reverse("pages:review-item", args=[project.pk, item.pk]),
        "import": reverse("pages:imports"),
        "export": reverse("pages:exports", args=[project.pk]),
        "dashboard": reverse("pages:dashboard", args=[project.pk]),
    }


def statuses(page, live_server, urls: dict[str, str]) -> dict[str, int]:
    return {name: page.goto(live_server.url + url).status for name, url in urls.items()}


def test_annotators_open_none_of_the_overseeing_pages(page, live_server, login, desk, screenshot):
    project, item = desk
    login(factories.member(project, "annotator"))
    links = page.locator(f'.project-links[data-project="{project.pk}"] a')
    expect(links).to_have_text(["Items", "Label"])

    assert statuses(page, live_server, page_urls(project, item)) == dict.fromkeys(page_urls(project, item), 403)
    screenshot("forbidden-annotator")


def test_reviewers_review_and_watch_but_do_not_export_or_import(page, live_server, login, desk):
    project, item = desk
    login(factories.member(project, "reviewer"))
    expect(page.locator(f'.project-links[data-project="{project.pk}"] a')).to_have_text(["Items", "Review", "Dashboard"])

    assert statuses(page, live_server, page_urls(project, item)) == {
        "review": 200, "review item": 200, "import": 403, "export": 403, "dashboard": 200}


def test_managers_open_every_page_and_import_with_the_import_permission(page, live_server, login, desk):
    project, item = desk
    manager = factories.member(project, "manager")
    manager.user_permissions.add(Permission.objects.get(codename="add_importbatch"))
    login(manager)
    expect(page.locator(f'.project-links[data-project="{project.pk}"] a')).to_have_text(
        ["Items", "Review", "Dashboard", "Export"])
    expect(page.get_by_role("link", name="Import articles")).to_be_visible()

    assert set(statuses(page, live_server, page_urls(project, item)).values()) == {200}


def test_other_projects_are_closed_and_unknown_ones_not_found(page, live_server, login, desk):
    project, item = desk
    elsewhere = factories.ProjectFactory(name="Economy desk")
    login(factories.member(elsewhere, "manager"))
    urls = page_urls(project, item)
    del urls["import"]  # not about a project

    assert set(statuses(page, live_server, urls).values()) == {403}
    missing = reverse("pages:dashboard", args=[project.pk + 1000])
    assert page.goto(live_server.url + missing).status == 404
    other_item = factories.ItemFactory(project=elsewhere)
    wrong_project = reverse("pages:review-item", args=[elsewhere.pk, item.pk])
    assert page.goto(live_server.url + wrong_project).status == 404
    assert page.goto(live_server.url + reverse("pages:review-item", args=[elsewhere.pk, other_item.pk])).status == 200


def test_anonymous_visitors_are_sent_to_the_login(page, live_server, desk):
    for url in page_urls(*desk).values():
        page.goto(live_server.url + url)
        expect(page).to_have_url(f"{live_server.url}/accounts/login/?next={url}")
