"""The review page, in Chromium: a reviewer compares annotators' labels (entity sentiment
included), composes gold after a confirmation, reopens gold with a reason and sends items back
with a note."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from annotations.models import Assignment, Gold, Item, SendBack
from annotations.queue import assignment_create
from annotations.services import annotation_submit
from annotations.validation import SpanInput
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

# An emoji first: offsets are code points, the browser slices UTF-16, the highlights must still fit.
BODY = "🎉 Mayor Ana Reyes opened the <b>harbour</b> bridge in Portvale on Monday. Crowds cheered."


@pytest.fixture
def disputed():
    """An item two annotators labelled differently: sentiment, topics and one span's type."""
    project = factories.ProjectFactory(name="Harbour desk", overlap=2)
    item = factories.ItemFactory(project=project, article__title="Bridge opens", article__body=BODY)
    politics, economy = project.topics.get(name="Politics"), project.topics.get(name="Economy")
    ana, ben = (factories.member(project, "annotator", username=name) for name in ("ana", "ben"))
    factories.label(item, ana, sentiment="positive", topics=[politics.pk],
                    spans=[("Ana Reyes", "PERSON"), ("Portvale", "GPE")])
    factories.label(item, ben, sentiment="negative", topics=[economy.pk],
                    spans=[("Ana Reyes", "PERSON"), ("Portvale", "ORG")])
    return item


def span(words, label, sentiment=""):
    start = BODY.index(words)
    return SpanInput(start, start + len(words), label, words, sentiment)


@pytest.fixture
def opposite():
    """Two annotators agree on everything but the sentiment toward Ana Reyes."""
    project = factories.ProjectFactory(name="Council desk", overlap=2, entity_sentiment=True)
    item = factories.ItemFactory(project=project, article__title="Mayor opens bridge", article__body=BODY)
    for name, toward in (("cara", "positive"), ("dan", "negative")):
        annotator = factories.member(project, "annotator", username=name)
        assignment_create(item=item, annotator=annotator)
        annotation_submit(item=item, annotator=annotator, sentiment="neutral",
                          spans=[span("Ana Reyes", "PERSON", toward), span("Portvale", "GPE", "neutral")])
    return item


def confirm_gold(page, *, expect_labels: str):
    dialog = page.get_by_role("dialog", name="Accept this as gold?")
    expect(dialog).to_be_visible()
    expect(dialog.locator("#confirm-gold-labels")).to_contain_text(expect_labels)
    dialog.get_by_role("button", name="Yes, accept as gold").click()


def test_reviewer_composes_gold_from_two_disagreeing_annotations(page, live_server, login, disputed, screenshot):
    project = disputed.project
    reviewer = factories.member(project, "reviewer")
    login(reviewer)
    page.goto(live_server.url + reverse("pages:review-list", args=[project.pk]) + "?disagreement=yes")
    row = page.locator(f'#review-items tr[data-item="{disputed.pk}"]')
    expect(row.locator(".disagreement")).to_have_text("sentiment, topics, spans")
    expect(row).to_contain_text("ana, ben")
    screenshot("review-list")

    row.get_by_role("link", name="Bridge opens").click()
    ana = page.locator('.review-column[data-annotator="ana"]')
    expect(ana.locator("mark")).to_have_text(["Ana Reyes", "Portvale"])
    expect(ana.locator("mark.agreed")).to_have_text("Ana Reyes")
    expect(ana.locator("mark.disputed")).to_have_text("Portvale")
    expect(ana.locator(".article-text")).to_contain_text("the <b>harbour</b> bridge")  # text, never markup
    expect(page.locator("#agreement-disputed")).to_have_text("They disagree on: sentiment, topics, spans.")
    expect(page.locator("#agreement-f1")).to_have_text("Span F1 between annotators: 0.50.")

    page.get_by_label("negative — ben").check()
    page.get_by_label("Politics — ana").check()
    page.get_by_label("PERSON «Ana Reyes»", exact=False).check()
    page.get_by_label("GPE «Portvale»", exact=False).check()
    expect(page.locator("#compose-preview mark")).to_have_text(["Ana Reyes", "Portvale"])
    screenshot("review-item")
    page.get_by_role("button", name="Accept composed gold").click()
    confirm_gold(page, expect_labels="Sentiment: negative")
    expect(page.locator("#review-message")).to_contain_text("Gold version 1 accepted.")

    gold = Gold.objects.get(item=disputed)
    politics = project.topics.get(name="Politics")
    assert (gold.status, gold.origin, gold.reviewer, gold.sentiment, gold.topics) == (
        Gold.Status.ACCEPTED, Gold.Origin.REVIEW, reviewer, "negative", [politics.pk])
    assert sorted(gold.spans.values_list("start", "end", "label", "text")) == [
        (BODY.index("Ana Reyes"), BODY.index("Ana Reyes") + 9, "PERSON", "Ana Reyes"),
        (BODY.index("Portvale"), BODY.index("Portvale") + 8, "GPE", "Portvale")]
    assert Item.objects.get(pk=disputed.pk).status == Item.Status.GOLD


def test_opposite_entity_sentiment_is_a_disagreement_the_reviewer_resolves(page, live_server, login, opposite,
                                                                          screenshot):
    project = opposite.project
    reviewer = factories.member(project, "reviewer")
    login(reviewer)
    page.goto(live_server.url + reverse("pages:review-list", args=[project.pk]) + "?disagreement=yes")
    row = page.locator(f'#review-items tr[data-item="{opposite.pk}"]')
    expect(row.locator(".disagreement")).to_have_text("entity sentiment")
    # Sentiment 1, spans 1, entity sentiment 1 of 2 (no topics): (1 + 1 + 0.5) / 3.
    expect(row.locator(".agreement")).to_have_text("0.83")

    row.get_by_role("link", name="Mayor opens bridge").click()
    expect(page.locator("#agreement-disputed")).to_have_text("They disagree on: entity sentiment.")
    expect(page.locator("#agreement-score")).to_have_text("Agreement 0.83.")
    expect(page.locator('.review-column[data-annotator="cara"] mark.disputed')).to_have_text("Ana Reyes")
    expect(page.locator('.review-column[data-annotator="dan"] .span-label').first).to_have_text("PERSON · negative")
    toward_ana = page.get_by_role("group", name="Sentiment toward «Ana Reyes»")
    expect(toward_ana.get_by_role("radio", checked=True)).to_have_count(0)  # split: nothing pre-chosen
    expect(page.get_by_role("group", name="Sentiment toward «Portvale»").get_by_label("neutral — cara, dan")) \
        .to_be_checked()

    page.get_by_role("button", name="Accept composed gold").click()
    expect(page.locator("#review-error")).to_contain_text("Choose the sentiment toward «Ana Reyes» (PERSON) first")
    toward_ana.get_by_label("negative — dan").check()
    expect(page.locator("#compose-preview .span-label").first).to_have_text("PERSON · negative")
    page.get_by_role("button", name="Accept composed gold").click()
    dialog = page.get_by_role("dialog", name="Accept this as gold?")
    expect(dialog).to_contain_text("PERSON «Ana Reyes» (negative)")
    screenshot("review-confirm-gold")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    assert not Gold.objects.filter(item=opposite).exists(), "nothing is gold before the reviewer confirms"

    page.get_by_role("button", name="Accept composed gold").click()
    confirm_gold(page, expect_labels="PERSON «Ana Reyes» (negative), GPE «Portvale» (neutral)")
    expect(page.locator("#review-message")).to_contain_text("Gold version 1 accepted.")

    gold = Gold.objects.get(item=opposite)
    assert sorted(gold.spans.values_list("text", "sentiment")) == [("Ana Reyes", "negative"), ("Portvale", "neutral")]
    assert dict(gold.spans.values_list("text", "sentiment_origin")) == {"Ana Reyes": "person", "Portvale": "person"}


def test_reviewer_reopens_gold_with_a_reason_and_sees_the_history(page, live_server, login, opposite, screenshot):
    project = opposite.project
    login(factories.member(project, "reviewer", username="rita"))
    page.goto(live_server.url + reverse("pages:review-item", args=[project.pk, opposite.pk]))
    page.get_by_role("button", name="Accept cara's labels as gold").click()
    confirm_gold(page, expect_labels="PERSON «Ana Reyes» (positive)")
    expect(page.locator("#gold-history tbody tr")).to_have_count(1)
    expect(page.locator('#gold-history tr[data-version="1"]')).to_contain_text("accepted")
    expect(page.locator("#gold-current")).to_contain_text("Current gold, version 1 (review)")

    page.get_by_role("button", name="Reopen gold").click()
    expect(page.locator("#review-error")).to_have_text("Say why the gold is reopened.")
    page.get_by_label("Why reopen it?").fill("The article criticises the mayor.")
    page.get_by_role("button", name="Reopen gold").click()

    expect(page.locator("#review-message")).to_contain_text("Gold version 1 reopened: the item awaits review again.")
    expect(page.locator("#item-status")).to_have_text("Annotated, awaiting review")
    version_1 = page.locator('#gold-history tr[data-version="1"]')
    expect(version_1).to_contain_text("reopened")
    expect(version_1).to_contain_text("by rita: The article criticises the mayor.")
    expect(page.locator("#gold-current")).to_be_hidden()
    assert Item.objects.get(pk=opposite.pk).status == Item.Status.ANNOTATED

    page.get_by_role("button", name="Accept dan's labels as gold").click()
    confirm_gold(page, expect_labels="PERSON «Ana Reyes» (negative)")
    expect(page.locator("#gold-history tbody tr")).to_have_count(2)
    expect(page.locator('#gold-history tr[data-version="2"]')).to_contain_text("accepted")
    screenshot("review-gold-history")
    assert list(opposite.gold.values_list("version", "status", "reopen_reason")) == [
        (2, "accepted", ""), (1, "reopened", "The article criticises the mayor.")]


def test_reviewer_accepts_one_annotation_or_sends_the_item_back_with_a_note(page, live_server, login, disputed):
    project = disputed.project
    login(factories.member(project, "reviewer"))
    page.goto(live_server.url + reverse("pages:review-item", args=[project.pk, disputed.pk]))
    page.get_by_role("button", name="Accept ben's labels as gold").click()
    confirm_gold(page, expect_labels="Sentiment: negative")
    expect(page.locator("#review-message")).to_contain_text("Gold version 1 accepted.")
    gold = Gold.objects.get(item=disputed)
    assert gold.based_on.annotator.username == "ben" and gold.sentiment == "negative"

    page.reload()
    expect(page.locator("#gold-current")).to_contain_text("Current gold, version 1 (review): sentiment negative")
    page.get_by_role("button", name="Send back to the annotators").click()
    expect(page.locator("#review-error")).to_contain_text("Write the annotators a note first")
    assert Item.objects.get(pk=disputed.pk).status == Item.Status.GOLD
    page.get_by_label("Note to the annotators").fill("Portvale is a place: tag it GPE.")
    page.get_by_role("button", name="Send back to the annotators").click()

    expect(page.locator("#review-message")).to_contain_text("Sent back")
    expect(page.locator("#send-backs")).to_contain_text("Portvale is a place: tag it GPE.")
    assert Item.objects.get(pk=disputed.pk).status == Item.Status.OPEN
    assert not Gold.objects.filter(item=disputed, status=Gold.Status.ACCEPTED).exists()
    assert set(disputed.assignments.values_list("status", flat=True)) == {Assignment.Status.ACTIVE}
    assert SendBack.objects.get(item=disputed).note == "Portvale is a place: tag it GPE."
