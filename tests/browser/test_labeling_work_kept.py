"""The labeling page keeps the annotator's work through reloads, new logins and an expired
session, and never shows a stale cached copy after a submit."""

import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from tests import factories
from tests.browser.test_labeling import BODY, READY, drag_over, item_on, open_item, saved_spans, span_at, \
    submit_and_wait

pytestmark = pytest.mark.django_db(transaction=True)

DRAFTS = "Object.keys(localStorage).filter((key) => key.startsWith('newsroom:labeling-draft:'))"
PAYLOAD_VERSION = "(JSON.parse(document.getElementById('labeling-data').textContent).annotation || {}).version"


def leave_freely(page):
    """Accept the 'leave the page?' question: these tests leave with unsaved work on purpose."""
    page.on("dialog", lambda dialog: dialog.accept())


def log_in_on(page, live_server, user):
    page.fill("#id_username", user.username)
    page.fill("#id_password", "secret-pass-123")
    page.click("input[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_a_reload_and_a_new_login_restore_the_unsaved_work_of_that_annotator_only(page, live_server, login):
    project = factories.ProjectFactory(overlap=2)
    economy = project.topics.get(name="Economy")
    item = item_on(project, BODY)
    annotator, colleague = factories.member(project, "annotator"), factories.member(project, "annotator")
    open_item(page, live_server, login, annotator, project)
    item_url = page.url
    leave_freely(page)
    drag_over(page, "Ana Reyes")
    page.keyboard.press("p")
    page.click("#sentiment button[data-value=negative]")
    page.click(f"#topics li[data-id='{economy.pk}'] label")

    page.reload()
    page.wait_for_function(READY)
    expect(page.locator("#draft-note")).to_contain_text("Your unsaved work on this item")
    expect(page.locator("#article .lab")).to_have_text("Ana Reyes")
    expect(page.locator("#sentiment button[data-value=negative]")).to_have_attribute("aria-pressed", "true")
    expect(page.locator(f"#topics li[data-id='{economy.pk}'] input")).to_be_checked()

    page.click("#logout-form button")
    login(colleague)  # another annotator of the same item, in the same browser: not their draft
    factories.ItemFactory(project=project)  # so that the colleague's queue hands out this item
    from annotations import queue
    assert queue.assignment_claim_next(project=project, annotator=colleague).item == item
    page.goto(item_url)
    page.wait_for_function(READY)
    expect(page.locator("#draft-note")).to_be_hidden()
    expect(page.locator("#article .lab")).to_have_count(0)

    page.click("#logout-form button")
    login(annotator)
    page.goto(item_url)
    page.wait_for_function(READY)
    expect(page.locator("#article .lab")).to_have_text("Ana Reyes")
    submit_and_wait(page)

    annotation, spans = saved_spans(item, annotator)
    assert spans == [span_at(BODY, "Ana Reyes", "PERSON")]
    assert (annotation.sentiment, annotation.topics) == ("negative", [economy.pk])
    assert page.evaluate(DRAFTS) == []  # a successful submit drops the draft


def test_an_expired_session_keeps_the_work_and_submit_works_after_a_login_in_another_tab(
        page, live_server, login, screenshot):
    project = factories.ProjectFactory()
    item = item_on(project, BODY)
    annotator = factories.member(project, "annotator")
    open_item(page, live_server, login, annotator, project)
    drag_over(page, "Ana Reyes")
    page.keyboard.press("p")
    Session.objects.all().delete()  # the session ends on the server: expired, or logged out elsewhere

    page.click("#submit")
    expect(page.locator("#session-expired")).to_be_visible()
    expect(page.locator("#status")).to_have_text("Not saved: you are logged out. Your labels are kept.")
    page.click("#submit")  # again: the same one message, no technical text piling up
    expect(page.locator("#status")).to_have_text("Not saved: you are logged out. Your labels are kept.")
    expect(page.locator("[role=alert]:visible")).to_have_count(1)
    screenshot("labeling-logged-out")

    with page.context.expect_page() as opened:
        page.click("#session-login")
    login_tab = opened.value
    login_tab.wait_for_load_state()
    log_in_on(login_tab, live_server, annotator)  # rotates the CSRF token the first tab was rendered with
    expect(login_tab.locator("#signed-in-message")).to_contain_text("You are logged in again")

    page.bring_to_front()
    expect(page.locator("#article .lab")).to_have_text("Ana Reyes")
    submit_and_wait(page)

    assert saved_spans(item, annotator)[1] == [span_at(BODY, "Ana Reyes", "PERSON")]


def test_back_after_submit_shows_the_saved_labels_not_a_cached_copy(page, live_server, login):
    project = factories.ProjectFactory()
    item_on(project, BODY)
    item_on(project, "Another story from Portvale.")
    annotator = factories.member(project, "annotator")
    open_item(page, live_server, login, annotator, project)
    drag_over(page, "Ana Reyes")
    page.keyboard.press("p")
    submit_and_wait(page)
    page.wait_for_function(READY)  # the next item

    page.go_back()
    page.wait_for_function(READY)

    assert page.evaluate(PAYLOAD_VERSION) == 1
    expect(page.locator(".labeling-resubmit")).to_contain_text("you submitted this item")
    expect(page.locator("#article .lab")).to_have_text("Ana Reyes")
    expect(page.locator("#draft-note")).to_be_hidden()


def test_a_restored_draft_can_be_discarded_and_undo_brings_it_back(page, live_server, login, screenshot):
    project = factories.ProjectFactory()
    item = item_on(project, BODY)
    annotator = factories.member(project, "annotator")
    factories.label(item, annotator, spans=[("Portvale Council", "ORG")])
    login(annotator)
    page.goto(f"{live_server.url}/projects/{project.pk}/label/{item.pk}/")
    page.wait_for_function(READY)
    leave_freely(page)
    drag_over(page, "Ana Reyes")
    page.keyboard.press("p")
    page.reload()
    page.wait_for_function(READY)
    expect(page.locator("#article .lab")).to_have_text(["Ana Reyes", "Portvale Council"])
    screenshot("labeling-draft-restored")

    page.click("#draft-discard")
    expect(page.locator("#article .lab")).to_have_text(["Portvale Council"])  # the saved version 1
    assert page.evaluate(DRAFTS) == []
    page.keyboard.press("Control+z")
    expect(page.locator("#article .lab")).to_have_text(["Ana Reyes", "Portvale Council"])
    assert len(page.evaluate(DRAFTS)) == 1
