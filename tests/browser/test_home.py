"""Login and the start page, in Chromium."""

import pytest
from playwright.sync_api import expect

from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def test_annotator_logs_in_and_sees_their_projects_only(page, live_server, login, screenshot):
    mine = factories.ProjectFactory(name="Elections desk")
    factories.ProjectFactory(name="Someone else's desk")
    annotator = factories.member(mine, "annotator")
    login(annotator)
    expect(page.locator("#projects")).to_contain_text("Elections desk")
    expect(page.locator("#projects")).not_to_contain_text("Someone else's desk")
    screenshot("home")


def test_pages_need_a_login(page, live_server):
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/")
