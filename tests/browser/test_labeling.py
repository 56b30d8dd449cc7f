"""The labeling page in Chromium: mouse and keyboard labeling, suggestions, offsets on any text,
article text shown as text, stale submits, access, and the unsaved-work guard."""

import re
import time
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from annotations import queue, services
from annotations.models import Annotation, Assignment, Prediction, SendBack
from ingest.models import StoryCluster
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

BODY = "Mayor Ana Reyes opened the Harbor Bridge in Portvale on Monday, the Portvale Council said."
# A function, not an expression: Playwright polls an expression with eval, which the page's
# Content-Security-Policy refuses.
READY = "() => performance.getEntriesByName('labeling:ready').length > 0"
# The page coordinates of the first and last characters of the nth occurrence of a text in the
# article (which must lie in one segment, i.e. be unlabelled so far).
CHARACTER_RECTS = """([needle, nth]) => {
  const walker = document.createTreeWalker(document.getElementById("article"), NodeFilter.SHOW_TEXT);
  let seen = 0;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let at = node.textContent.indexOf(needle); at >= 0; at = node.textContent.indexOf(needle, at + 1)) {
      if (seen++ < nth) continue;
      const rect = (i, j) => { const r = document.createRange(); r.setStart(node, i); r.setEnd(node, j);
                               const b = r.getBoundingClientRect(); return {left: b.left, right: b.right,
                               y: b.top + b.height / 2}; };
      return {first: rect(at, at + 1), last: rect(at + needle.length - 1, at + needle.length)};
    }
  }
  return null;
}"""


def item_on(project, body, **article_fields):
    return factories.ItemFactory(project=project, article=factories.ArticleFactory(body=body, **article_fields))


def open_item(page, live_server, login, annotator, project):
    """Log in, take the next item from the queue and open its page; returns the item."""
    item = queue.assignment_claim_next(project=project, annotator=annotator).item
    login(annotator)
    page.goto(f"{live_server.url}/projects/{project.pk}/label/{item.pk}/")
    page.wait_for_function(READY)
    return item


def drag_over(page, text, nth=0, rtl=False):
    """Select ``text`` with the mouse: press on its first character, release on its last."""
    rects = page.evaluate(CHARACTER_RECTS, [text, nth])
    assert rects, f"{text!r} is not an unlabelled run of the article"
    first, last = rects["first"], rects["last"]
    start_x, end_x = (first["right"] - 1, last["left"] + 1) if rtl else (first["left"] + 1, last["right"] - 1)
    page.mouse.move(start_x, first["y"])
    page.mouse.down()
    page.mouse.move(end_x, last["y"], steps=6)
    page.mouse.up()


def submit_and_wait(page):
    """Submit and wait for the page to move on to the next item (or the start screen)."""
    with page.expect_navigation():
        page.click("#submit")


def saved_spans(item, annotator, version=1):
    annotation = Annotation.objects.get(item=item, annotator=annotator, version=version)
    return annotation, list(annotation.spans.order_by("start").values_list("start", "end", "label", "text"))


def span_at(body, text, label, nth=0):
    start = -1
    for _ in range(nth + 1):
        start = body.index(text, start + 1)
    return (start, start + len(text), label, text)


def test_annotator_labels_with_the_mouse_accepts_a_suggestion_and_submits(page, live_server, login, screenshot):
    project = factories.ProjectFactory(guidelines="Label **people** and organisations.")
    politics, elections = project.topics.get(name="Politics"), project.topics.get(name="Elections")
    cluster = StoryCluster.objects.create()
    item = item_on(project, BODY, title="Reyes opens bridge", story_cluster=cluster)
    item_on(project, "Another telling.", title="Bridge opens, says council", story_cluster=cluster)
    factories.ArticleFactory(title="Portvale gets its bridge", story_cluster=cluster)
    council = span_at(BODY, "Portvale Council", "ORG")
    Prediction.objects.create(item=item, predictor="spacy-ner", version="1", labels={
        "spans": [{"start": 0, "end": 5, "label": "PERSON", "text": "Mayor", "score": 0.3}]})
    Prediction.objects.create(item=item, predictor="spacy-ner", version="2", labels={
        "spans": [{"start": council[0], "end": council[1], "label": "ORG", "text": council[3], "score": 0.91}],
        "sentiment": {"label": "positive", "polarity": 0.5, "score": 0.7},
        "topics": [{"id": politics.pk, "name": "Politics", "score": 0.41}]})
    annotator = factories.member(project, "annotator")
    open_item(page, live_server, login, annotator, project)

    expect(page.locator("#article .sug")).to_have_text("Portvale Council")  # only the newest version's
    expect(page.locator("#article .sug")).to_have_attribute("data-tag", "ORG? 0.91")
    expect(page.locator("#sentiment button[data-value=positive]")).to_have_class("suggested")
    expect(page.locator("#sentiment button[aria-pressed=true]")).to_have_count(0)  # a suggestion, not an answer
    expect(page.locator("#topics li.suggested label")).to_have_text("Politics")
    expect(page.locator("#topics li.suggested .labeling-score")).to_have_text("suggested 0.41")
    expect(page.locator("#topics input:checked")).to_have_count(0)
    expect(page.locator("#story-versions")).to_contain_text("Bridge opens, says council")
    expect(page.locator("#story-versions")).to_contain_text("Portvale gets its bridge")
    screenshot("labeling-suggestions")

    drag_over(page, "Ana Reyes")
    page.click("#span-menu button[data-label=PERSON]")
    drag_over(page, "Harbor Bridge")
    page.click("#span-menu button[data-label=ORG]")
    page.click("#article .sug")
    page.click("#span-menu button[data-action=accept]")
    page.click("#sentiment button[data-value=negative]")
    page.click("#topics li[data-id='%d'] label" % politics.pk)  # the suggested topic, accepted
    page.fill("#topic-search", "elec")
    page.click("#topics li[data-id='%d'] label" % elections.pk)
    expect(page.locator("#article .lab")).to_have_count(3)
    expect(page.locator("#entities li")).to_have_count(3)
    screenshot("labeling")
    submit_and_wait(page)

    annotation, spans = saved_spans(item, annotator)
    assert spans == [span_at(BODY, "Ana Reyes", "PERSON"), span_at(BODY, "Harbor Bridge", "ORG"), council]
    assert (annotation.sentiment, annotation.topics) == ("negative", sorted([politics.pk, elections.pk]))


def test_a_partial_word_selection_snaps_to_whole_words(page, live_server, login):
    project = factories.ProjectFactory()
    item = item_on(project, BODY)
    annotator = factories.member(project, "annotator")
    open_item(page, live_server, login, annotator, project)

    drag_over(page, "yor Ana Rey")
    expect(page.locator("#span-menu p")).to_have_text("Label “Mayor Ana Reyes” as:")
    page.keyboard.press("p")
    expect(page.locator("#article .lab")).to_have_text("Mayor Ana Reyes")
    submit_and_wait(page)

    assert saved_spans(item, annotator)[1] == [span_at(BODY, "Mayor Ana Reyes", "PERSON")]


def test_keyboard_only_labeling_with_overlapping_spans_and_entity_sentiment(page, live_server, login):
    project = factories.ProjectFactory(allow_overlapping_spans=True, entity_sentiment=True,
                                       guidelines="- Tag *every* person\n- Skip ads")
    economy = project.topics.get(name="Economy")
    body = "Mayor Ana Reyes visited the Bank of Portvale on Monday."
    item = item_on(project, body)
    ana = span_at(body, "Ana Reyes", "PERSON")
    Prediction.objects.create(item=item, predictor="spacy-ner", version="1", labels={
        "spans": [{"start": ana[0], "end": ana[1], "label": "PERSON", "text": ana[3], "score": 0.8}]})
    annotator = factories.member(project, "annotator")
    open_item(page, live_server, login, annotator, project)
    keys = page.keyboard

    keys.press("]")  # the first suggestion
    keys.press("Enter")  # accepted
    keys.press("1")  # negative toward Ana Reyes, the chosen span
    for key in ["ArrowRight"] * 6:  # Mayor, Ana, Reyes, visited, the, Bank
        keys.press(key)
    keys.press("Shift+ArrowRight")
    keys.press("Shift+ArrowRight")  # Bank of Portvale
    keys.press("o")
    keys.press("ArrowRight")  # on
    keys.press("ArrowLeft")  # Portvale
    keys.press("g")
    keys.press("3")  # positive
    keys.press("/")
    keys.type("econ")
    keys.press("Enter")
    keys.press("Escape")
    keys.press("?")
    expect(page.locator("#guidelines-dialog li").first).to_have_text("Tag every person")
    keys.press("Escape")
    expect(page.locator("#guidelines-dialog")).not_to_be_visible()
    expect(page.locator("#article .overlap")).to_have_text("Portvale")
    expect(page.locator("#sentiment button[data-value=positive]")).to_have_attribute("aria-pressed", "true")
    keys.press("Control+Enter")
    page.wait_for_url(f"{live_server.url}/projects/{project.pk}/label/")

    annotation, spans = saved_spans(item, annotator)
    assert spans == [ana, span_at(body, "Bank of Portvale", "ORG"), span_at(body, "Portvale", "GPE")]
    assert list(annotation.spans.order_by("start").values_list("sentiment", flat=True)) == ["negative", "", ""]
    assert (annotation.sentiment, annotation.topics) == ("positive", [economy.pk])


def test_offsets_are_code_points_after_emoji_astral_letters_and_in_right_to_left_text(page, live_server, login):
    project = factories.ProjectFactory()
    body = ("Fans 🚀🎉 cheered for 𝐙oë Brandt in Portvale.\n\n"
            "وقال محمد إن الجسر 🌉 جاهز.\n\nThe 😀 council of Portvale met.")
    item = item_on(project, body)
    town = span_at(body, "Portvale", "GPE", nth=1)
    Prediction.objects.create(item=item, predictor="spacy-ner", version="1", labels={
        "spans": [{"start": town[0], "end": town[1], "label": "GPE", "text": town[3], "score": 0.77}]})
    annotator = factories.member(project, "annotator")
    open_item(page, live_server, login, annotator, project)

    expect(page.locator("#article .sug")).to_have_text("Portvale")  # code points placed right after 🌉 and 😀
    drag_over(page, "oë Brand")  # snaps over the astral 𝐙 (two UTF-16 units) and the rest of Brandt
    page.click("#span-menu button[data-label=PERSON]")
    drag_over(page, "محمد", rtl=True)
    page.click("#span-menu button[data-label=PERSON]")
    page.click("#article .sug")
    page.keyboard.press("Enter")
    expect(page.locator("#article p").nth(1)).to_have_attribute("dir", "auto")
    submit_and_wait(page)

    assert saved_spans(item, annotator)[1] == sorted([span_at(body, "𝐙oë Brandt", "PERSON"),
                                                      span_at(body, "محمد", "PERSON"), town])


def test_article_html_is_shown_as_text_and_never_runs(page, live_server, login):
    project = factories.ProjectFactory(guidelines="<script>window.__pwned=3</script> **Be careful**")
    body = 'He wrote <script>window.__pwned=1</script> and <b>bold</b> <img src=x onerror="window.__pwned=2">.'
    item_on(project, body, title="<b>Title</b><img src=x onerror=\"window.__pwned=4\">")
    annotator = factories.member(project, "annotator")
    open_item(page, live_server, login, annotator, project)

    expect(page.locator("#article")).to_have_text(body)
    expect(page.locator("#article-title")).to_have_text('<b>Title</b><img src=x onerror="window.__pwned=4">')
    expect(page.locator("#guidelines-dialog")).to_contain_text("<script>window.__pwned=3</script>")
    assert page.locator("#article b, #article img, #article script, #content img").count() == 0
    assert page.evaluate("window.__pwned") is None


def test_a_stale_submit_is_explained_and_the_work_kept(page, live_server, login, screenshot):
    project = factories.ProjectFactory()
    item = item_on(project, BODY)
    annotator = factories.member(project, "annotator")
    open_item(page, live_server, login, annotator, project)
    drag_over(page, "Portvale Council")
    page.keyboard.press("o")
    # Meanwhile another tab of the same annotator saved version 1.
    services.annotation_submit(item=item, annotator=annotator, sentiment="neutral")

    page.click("#submit")
    expect(page.locator("#conflict")).to_be_visible()
    expect(page.locator("#conflict-message")).to_contain_text("version 1 of your labels for this item was saved")
    expect(page.locator("#conflict-detail")).to_contain_text("Version 1 (saved")
    expect(page.locator("#article .lab")).to_have_text("Portvale Council")  # the work is still there
    screenshot("labeling-conflict")
    page.click("#conflict-resubmit")
    page.wait_for_url(f"{live_server.url}/projects/{project.pk}/label/")

    annotation, spans = saved_spans(item, annotator, version=2)
    assert spans == [span_at(BODY, "Portvale Council", "ORG")]
    assert annotation.sentiment == ""


def test_an_annotator_cannot_open_another_annotators_item(page, live_server, login):
    project = factories.ProjectFactory()
    item_on(project, BODY)
    owner, other = factories.member(project, "annotator"), factories.member(project, "annotator")
    reviewer = factories.member(project, "reviewer")
    theirs = queue.assignment_claim_next(project=project, annotator=owner).item

    login(other)
    assert page.goto(f"{live_server.url}/projects/{project.pk}/label/{theirs.pk}/").status == 404
    login(reviewer)
    assert page.goto(f"{live_server.url}/projects/{project.pk}/label/").status == 403
    login(owner)
    assert page.goto(f"{live_server.url}/projects/{project.pk}/label/{theirs.pk}/").status == 200


def test_leaving_with_unsaved_work_asks_first(page, live_server, login):
    project = factories.ProjectFactory()
    item_on(project, BODY)
    annotator = factories.member(project, "annotator")
    open_item(page, live_server, login, annotator, project)
    item_url = page.url
    dialogs = []

    def dismiss(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", dismiss)
    page.click("#article")  # a user gesture, but no change: leaving is free
    page.click(".breadcrumbs a")
    page.wait_for_url(f"{live_server.url}/")
    assert dialogs == []

    page.goto(item_url)
    page.wait_for_function(READY)
    drag_over(page, "Ana Reyes")
    page.keyboard.press("p")
    page.click(".breadcrumbs a")
    expect(page.locator("#article .lab")).to_have_text("Ana Reyes")
    assert dialogs == ["beforeunload"]
    assert page.url == item_url


def test_next_item_skip_and_going_back_to_the_previous_item(page, live_server, login, screenshot):
    project = factories.ProjectFactory()
    first, second = item_on(project, "First story about Portvale."), item_on(project, BODY)
    annotator = factories.member(project, "annotator")
    login(annotator)
    page.goto(f"{live_server.url}/projects/{project.pk}/label/")
    expect(page.locator("#progress-remaining")).to_have_text("2")

    page.click("#next-item")
    page.wait_for_function(READY)
    page.click("#skip-open")
    page.fill("#skip-reason", "Not a news article")
    page.click("#skip-form button[type=submit]")
    page.wait_for_url(f"**/label/{second.pk}/")
    page.wait_for_function(READY)
    drag_over(page, "Ana Reyes")
    page.keyboard.press("p")
    submit_and_wait(page)
    expect(page.locator("#progress-today")).to_have_text("1")
    expect(page.locator(".messagelist")).to_contain_text("Nothing is left for you")
    screenshot("labeling-start")

    page.click("#previous-item")
    page.wait_for_function(READY)
    expect(page.locator("#article .lab")).to_have_text("Ana Reyes")  # version 1, back for an edit
    page.click("#article .lab")
    page.click("#span-menu button[data-label=ORG]")
    submit_and_wait(page)

    assert Assignment.objects.get(item=first, annotator=annotator).skip_reason == "Not a news article"
    assert saved_spans(second, annotator, version=2)[1] == [span_at(BODY, "Ana Reyes", "ORG")]


def renew_lease_every(page, ms):
    """Serve item pages with the lease renewed every ``ms`` rather than every few minutes."""
    def shorten(route):
        response = route.fetch()
        route.fulfill(response=response,
                      body=re.sub(r'"lease_renew_ms": \d+', f'"lease_renew_ms": {ms}', response.text()))

    page.route(re.compile(r".*/label/\d+/$"), shorten)


def wait_until(condition, timeout_s=10):
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_the_open_page_renews_the_lease_until_the_item_is_no_longer_theirs(page, live_server, login):
    project = factories.ProjectFactory()
    item_on(project, BODY)
    annotator = factories.member(project, "annotator")
    renew_lease_every(page, ms=200)
    item = open_item(page, live_server, login, annotator, project)
    assignment = Assignment.objects.get(item=item, annotator=annotator)
    Assignment.objects.filter(pk=assignment.pk).update(leased_until=timezone.now() + timedelta(seconds=30))

    wait_until(lambda: Assignment.objects.get(pk=assignment.pk).leased_until
               > timezone.now() + timedelta(minutes=project.lease_minutes - 1))

    Assignment.objects.filter(pk=assignment.pk).update(leased_until=timezone.now() - timedelta(seconds=1))
    queue.assignments_expire(project=project)  # the item goes back to the queue
    expect(page.locator("#status")).to_contain_text("no longer assigned to you")
    expect(page.locator("#status")).to_contain_text("Your labels are still on this page.")
    assert Assignment.objects.get(pk=assignment.pk).status == Assignment.Status.EXPIRED


def test_an_item_sent_back_shows_the_reviewers_latest_note(page, live_server, login, screenshot):
    project = factories.ProjectFactory()
    item = item_on(project, BODY)
    annotator = factories.member(project, "annotator")
    reviewer = factories.member(project, "reviewer", username="rita")
    factories.label(item, annotator, spans=[("Portvale Council", "GPE")])
    SendBack.objects.create(item=item, reviewer=reviewer, note="An older note.")
    SendBack.objects.create(item=item, reviewer=reviewer,
                            note="Portvale Council is an ORG, not a GPE.\nCheck <b>every</b> name.")

    login(annotator)
    page.goto(f"{live_server.url}/projects/{project.pk}/label/{item.pk}/")
    page.wait_for_function(READY)

    expect(page.locator("#send-back-title")).to_contain_text("Sent back by rita")
    expect(page.locator("#send-back-note")).to_have_text(
        "Portvale Council is an ORG, not a GPE.Check <b>every</b> name.")
    expect(page.locator("#send-back-note br")).to_have_count(1)
    screenshot("labeling-sent-back")
