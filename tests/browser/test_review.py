"""The review page, in Chromium: a reviewer compares two annotators' labels and composes gold."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from annotations.models import Assignment, Gold, Item
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
    expect(page.locator("#review-message")).to_contain_text("The composed labels are now gold.")

    gold = Gold.objects.get(item=disputed)
    politics = project.topics.get(name="Politics")
    assert (gold.status, gold.origin, gold.reviewer, gold.sentiment, gold.topics) == (
        Gold.Status.ACCEPTED, Gold.Origin.REVIEW, reviewer, "negative", [politics.pk])
    assert sorted(gold.spans.values_list("start", "end", "label", "text")) == [
        (BODY.index("Ana Reyes"), BODY.index("Ana Reyes") + 9, "PERSON", "Ana Reyes"),
        (BODY.index("Portvale"), BODY.index("Portvale") + 8, "GPE", "Portvale")]
    assert Item.objects.get(pk=disputed.pk).status == Item.Status.GOLD


def test_reviewer_accepts_one_annotation_or_sends_the_item_back(page, live_server, login, disputed):
    project = disputed.project
    login(factories.member(project, "reviewer"))
    page.goto(live_server.url + reverse("pages:review-item", args=[project.pk, disputed.pk]))
    page.get_by_role("button", name="Accept ben's labels as gold").click()
    expect(page.locator("#review-message")).to_contain_text("ben's labels are now gold.")
    gold = Gold.objects.get(item=disputed)
    assert gold.based_on.annotator.username == "ben" and gold.sentiment == "negative"

    page.reload()
    expect(page.locator("#gold-current")).to_contain_text("Current gold (review): sentiment negative")
    page.get_by_role("button", name="Send back to the annotators").click()
    expect(page.locator("#review-message")).to_contain_text("Sent back")
    assert Item.objects.get(pk=disputed.pk).status == Item.Status.OPEN
    assert not Gold.objects.filter(item=disputed, status=Gold.Status.ACCEPTED).exists()
    assert set(disputed.assignments.values_list("status", flat=True)) == {Assignment.Status.ACTIVE}
