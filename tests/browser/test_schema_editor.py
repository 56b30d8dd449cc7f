"""The schema editor in Chromium: a manager adds, renames and moves topics, sees why a topic in
use is not deleted, sees hotkey conflicts before saving and from the API, edits the sentiment
scale (saved, and there after a reload), previews the guidelines, and a stale edit from a second
tab is refused without overwriting the first; no Content-Security-Policy violation on the way."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests import factories
from tests.browser.test_content_security_policy import WATCH

pytestmark = pytest.mark.django_db(transaction=True)

READY = ".schema-editor[data-schema-ready=true]"


@pytest.fixture
def desk():
    """A project with PERSON (p), ORG (o), GPE (g) and Politics > Elections, Economy."""
    return factories.ProjectFactory(name="Harbour desk")


@pytest.fixture
def editor(page, live_server, login, desk):
    """The editor open for one of the project's managers, with CSP violations recorded."""
    page.add_init_script(WATCH)
    login(factories.member(desk, "manager"))
    return open_editor(page, live_server, desk)


def open_editor(page, live_server, project):
    page.goto(live_server.url + reverse("pages:schema", args=[project.pk]))
    page.wait_for_selector(READY)
    return page


def topic(page, project, name):
    return page.locator(f'li.topic[data-id="{project.topics.get(name=name).pk}"]')


def row_of(li):
    return li.locator(":scope > .topic-row")


def values_of(fields) -> list[str]:
    """The values of the form fields ``fields`` finds, in page order (read once the page said it is done)."""
    return fields.evaluate_all("fields => fields.map((field) => field.value)")


def no_violations(page):
    assert page.evaluate("window.__violations") == []


def test_topics_are_added_renamed_and_moved(editor, desk, screenshot):
    page = editor
    page.fill("#topic-new-name", "Local")
    page.select_option("#topic-new-parent", label="Politics")
    page.click("#topic-add")
    expect(page.locator("#topics-message")).to_have_text("Added “Local”.")
    local = desk.topics.get(name="Local")
    assert local.parent == desk.topics.get(name="Politics")
    assert values_of(topic(page, desk, "Politics").locator("li.topic .topic-name")) == ["Elections", "Local"]

    economy = row_of(topic(page, desk, "Economy"))
    economy.locator(".topic-name").fill("Business")
    economy.get_by_role("button", name="Save").click()
    expect(page.locator("#topics-message")).to_have_text("Saved “Business”.")

    elections = row_of(topic(page, desk, "Elections"))
    elections.locator(".topic-parent").select_option(label="Business")
    elections.get_by_role("button", name="Save").click()
    expect(page.locator("#topics-message")).to_have_text("Saved “Elections”.")
    business = desk.topics.get(name="Business")
    assert desk.topics.get(name="Elections").parent == business
    assert values_of(topic(page, desk, "Business").locator("li.topic .topic-name")) == ["Elections"]
    # Nobody moves a topic under itself: its own subtopics are not offered.
    options = row_of(topic(page, desk, "Business")).locator(".topic-parent option")
    expect(options).to_have_text(["(top level)", "Politics", "Politics / Local"])
    screenshot("schema-topics")
    no_violations(page)


def test_a_topic_in_use_is_not_deleted_and_the_page_says_why(editor, desk):
    page = editor
    elections = desk.topics.get(name="Elections")
    factories.label(factories.ItemFactory(project=desk), factories.member(desk, "annotator"), topics=[elections.pk])

    politics = topic(page, desk, "Politics")
    row_of(politics).get_by_role("button", name="Delete").click()
    row_of(politics).get_by_role("button", name="Really delete").click()

    expect(page.locator("#topics-message")).to_have_text(
        "“Politics” was not deleted: 1 annotations or gold records use this topic or a subtopic; it cannot be deleted.")
    expect(page.locator("#topics-message")).to_have_class("schema-message error")
    expect(politics).to_have_class("topic refused")
    assert desk.topics.filter(name="Politics").exists()

    economy = topic(page, desk, "Economy")
    row_of(economy).get_by_role("button", name="Delete").click()
    row_of(economy).get_by_role("button", name="Really delete").click()
    expect(page.locator("#topics-message")).to_have_text("Deleted “Economy” and its subtopics.")
    assert not desk.topics.filter(name="Economy").exists()
    no_violations(page)


def test_hotkey_conflicts_show_before_saving_and_from_the_api(editor, desk, screenshot):
    page = editor
    new = page.locator("#entity-type-new")
    new.locator(".et-name").fill("EVENT")
    new.locator(".et-hotkey").fill("P")  # PERSON has "p": the labeling page does not tell them apart

    expect(new.locator(".et-problems")).to_have_text("Hotkey “P” is also PERSON's.")
    person = page.locator(f'tr.entity-type[data-id="{desk.entity_types.get(name="PERSON").pk}"]')
    expect(person.locator(".et-problems")).to_have_text("Hotkey “p” is also the new type's.")
    expect(new.get_by_role("button", name="Add")).to_be_disabled()
    expect(new.locator(".et-hotkey")).to_have_attribute("aria-invalid", "true")
    screenshot("schema-hotkey-conflict")

    new.locator(".et-hotkey").fill("1")
    expect(new.locator(".et-problems")).to_have_text("“1” is a key of the labeling page itself.")
    # A hotkey someone took after the page was read: only the API knows, and the row says so.
    desk.entity_types.create(name="LAW", hotkey="e")
    new.locator(".et-hotkey").fill("e")
    expect(person.locator(".et-problems")).to_have_text("")
    new.get_by_role("button", name="Add").click()
    expect(new.locator(".et-problems")).to_have_text("An entity type with this name or hotkey exists in the project.")
    assert not desk.entity_types.filter(name="EVENT").exists()

    new.locator(".et-hotkey").fill("v")
    new.get_by_role("button", name="Add").click()
    expect(new.locator(".et-problems")).to_have_text("Added EVENT.")
    assert desk.entity_types.filter(name="EVENT", hotkey="v").exists()
    no_violations(page)


def test_the_sentiment_scale_is_edited_saved_and_there_after_a_reload(editor, desk, live_server, screenshot):
    page = editor
    factories.label(factories.ItemFactory(project=desk), factories.member(desk, "annotator"), sentiment="neutral")
    values = page.locator(".scale-value")
    assert values_of(values) == ["negative", "neutral", "positive"]

    page.fill("#scale-new", "very positive")
    page.click("#scale-add")
    page.get_by_role("button", name="Move negative down").click()
    page.locator("li.scale-item").filter(has=page.locator('.scale-value[aria-label="Value 3"]')) \
        .get_by_role("button", name="Remove").click()  # positive
    assert values_of(values) == ["neutral", "negative", "very positive"]
    values.nth(2).fill("negative")
    expect(page.locator("#scale-problems")).to_have_text("“negative” is on the scale twice.")
    expect(page.locator("#scale-save")).to_be_disabled()
    values.nth(2).fill("very positive")
    page.click("#scale-save")
    expect(page.locator("#scale-message")).to_have_text("Saved the scale.")
    desk.refresh_from_db()
    assert desk.sentiment_scale == ["neutral", "negative", "very positive"]

    page.locator("li.scale-item").first.get_by_role("button", name="Remove").click()  # neutral: in use
    page.click("#scale-save")
    expect(page.locator("#scale-message")).to_have_text(
        "The scale was not saved: Labels use the sentiment values 'neutral' (1); they cannot leave the scale.")
    screenshot("schema-scale-in-use")

    open_editor(page, live_server, desk)
    assert values_of(page.locator(".scale-value")) == ["neutral", "negative", "very positive"]
    no_violations(page)


def test_the_guidelines_are_previewed_escaped_and_saved(editor, desk, live_server, screenshot):
    page = editor
    page.fill("#guidelines", "# People\n\nLabel **full names**.\n\n- not pronouns\n\n<script>alert(1)</script>")
    page.click("#guidelines-preview")
    preview = page.locator("#guidelines-rendered")
    expect(preview.locator("h3")).to_have_text("People")
    expect(preview.locator("strong")).to_have_text("full names")
    expect(preview.locator("li")).to_have_text(["not pronouns"])
    expect(preview).to_contain_text("<script>alert(1)</script>")  # shown as text, never run
    assert preview.locator("script").count() == 0
    screenshot("schema-guidelines")

    page.click("#guidelines-save")
    expect(page.locator("#guidelines-message")).to_have_text("Saved the guidelines.")
    desk.refresh_from_db()
    assert desk.guidelines.startswith("# People")
    open_editor(page, live_server, desk)
    expect(page.locator("#guidelines-rendered h3")).to_have_text("People")
    no_violations(page)


def test_a_stale_edit_from_a_second_tab_is_refused_and_overwrites_nothing(editor, desk, live_server, screenshot):
    first = editor
    second = open_editor(first.context.new_page(), live_server, desk)

    economy = f'li.topic[data-id="{desk.topics.get(name="Economy").pk}"] > .topic-row'
    first.locator(economy).locator(".topic-name").fill("Business")
    first.locator(economy).get_by_role("button", name="Save").click()
    expect(first.locator("#topics-message")).to_have_text("Saved “Business”.")

    second.locator(economy).locator(".topic-name").fill("Markets")
    second.locator(economy).get_by_role("button", name="Save").click()
    expect(second.locator("#topics-message")).to_contain_text("“Economy” was not saved: Someone changed this since "
                                                              "you opened the page")
    assert desk.topics.filter(name="Business").exists() and not desk.topics.filter(name="Markets").exists()

    first.fill("#guidelines", "Ours.")
    first.click("#guidelines-save")
    expect(first.locator("#guidelines-message")).to_have_text("Saved the guidelines.")
    second.fill("#guidelines", "Theirs.")
    second.click("#guidelines-save")
    expect(second.locator("#guidelines-message")).to_contain_text("nothing was overwritten")
    screenshot("schema-stale")
    desk.refresh_from_db()
    assert desk.guidelines == "Ours."

    first.locator("#scale-new").fill("mixed")  # the first tab's etag moved on with its own save
    first.click("#scale-add")
    first.click("#scale-save")
    expect(first.locator("#scale-message")).to_have_text("Saved the scale.")
    no_violations(first)
