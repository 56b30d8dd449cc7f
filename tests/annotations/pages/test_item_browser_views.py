"""The item browser page and its actions: who opens it, what the page links to, and each
action on a selection (permission-checked, CSRF-protected, with a message saying what happened)."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from annotations.models import Assignment, Item, Prediction, PreannotationRun, SendBack
from tests.factories import ItemFactory, ProjectFactory, UserFactory, label, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk():
    """A project with three items: one both annotators submitted, two untouched."""
    project = ProjectFactory(overlap=2, name="City desk")
    ana, ben = member(project, username="ana"), member(project, username="ben")
    done, fresh, other = ItemFactory.create_batch(3, project=project)
    label(done, ana, sentiment="positive")
    label(done, ben, sentiment="negative")
    return {"project": project, "ana": ana, "ben": ben, "done": done, "fresh": fresh, "other": other}


def page_url(project) -> str:
    return reverse("pages:items", args=[project.pk])


def act(client, project, action, items, **fields):
    data = {"action": action, "items": [item.pk for item in items], "next": page_url(project) + "?sort=id", **fields}
    return client.post(reverse("pages:items-actions", args=[project.pk]), data)


def said(client, response) -> list[str]:
    """The messages the page the action went back to shows (reading them uses them up)."""
    assert response.status_code == 302
    return [str(message) for message in client.get(response["Location"]).context["messages"]]


def test_who_opens_the_page(client, desk):
    project = desk["project"]
    assert client.get(page_url(project)).status_code == 302, "to the login page"
    for user, status in [(UserFactory(), 403), (desk["ana"], 200), (member(project, "reviewer"), 200),
                         (member(project, "manager"), 200), (UserFactory(is_staff=True), 200)]:
        client.force_login(user)
        assert client.get(page_url(project)).status_code == status, user
    assert client.get(reverse("pages:items", args=[project.pk + 1000])).status_code == 404


def test_annotators_see_their_items_linked_to_the_labeling_page_and_no_actions(client, desk):
    project, done = desk["project"], desk["done"]
    client.force_login(desk["ana"])
    response = client.get(page_url(project))

    assert [row["item"] for row in response.context["rows"]] == [done.pk]
    assert response.context["actions"] == {}
    assert reverse("pages:labeling-item", args=[project.pk, done.pk]) in response.content.decode()
    assert 'id="item-actions"' not in response.content.decode()
    assert act(client, project, "assign", [desk["fresh"]], annotator=desk["ben"].pk).status_code == 403


def test_reviewers_see_every_item_linked_to_the_review_page_and_page_through_them(client, desk):
    project = desk["project"]
    client.force_login(member(project, "reviewer"))
    first = client.get(page_url(project), {"sort": "id"})
    html = first.content.decode()

    assert [row["item"] for row in first.context["rows"]] == [desk[name].pk for name in ("done", "fresh", "other")]
    assert reverse("pages:review-item", args=[project.pk, desk["done"].pk]) in html
    assert set(first.context["actions"]) == {"assign", "send_back"}
    assert "3 items." in html and 'id="items-all"' in html
    assert first.context["next_url"] is None and first.context["previous_url"] is None


def test_next_and_previous_links_keep_the_filters(client, desk, settings):
    from annotations.pages.items import selectors

    project = desk["project"]
    client.force_login(member(project, "manager"))
    size = selectors.BROWSER_PAGE_SIZE
    ItemFactory.create_batch(size, project=project)
    first = client.get(page_url(project), {"sort": "id", "suggestions": "no"})
    second = client.get(page_url(project) + first.context["next_url"])
    back = client.get(page_url(project) + second.context["previous_url"])

    assert "sort=id" in first.context["next_url"] and "suggestions=no" in first.context["next_url"]
    assert len(first.context["rows"]) == size and len(second.context["rows"]) == 3
    assert [row["item"] for row in back.context["rows"]] == [row["item"] for row in first.context["rows"]]
    assert second.context["next_url"] is None and back.context["previous_url"] is None


def test_assign_gives_the_chosen_items_of_this_project_to_an_annotator(client, desk):
    project = desk["project"]
    elsewhere = ItemFactory()
    client.force_login(member(project, "reviewer"))
    response = act(client, project, "assign", [desk["fresh"], desk["done"], elsewhere], annotator=desk["ana"].pk)

    assert response.status_code == 302 and response["Location"] == page_url(project) + "?sort=id"
    assert Assignment.objects.filter(annotator=desk["ana"], item=desk["fresh"]).exists()
    assert not Assignment.objects.filter(item=elsewhere).exists(), "another project's item is never touched"
    assert said(client, response) == [f"Assigned 1 item to {desk['ana']}.",
                              "Skipped 1: 1 because it is not open for annotation."]


def test_assign_without_an_annotator_says_so(client, desk):
    client.force_login(member(desk["project"], "reviewer"))
    response = act(client, desk["project"], "assign", [desk["fresh"]])

    assert said(client, response) == ["Choose the annotator to assign the items to."]
    assert not Assignment.objects.filter(item=desk["fresh"]).exists()


def test_send_back_returns_submitted_items_with_the_note(client, desk):
    client.force_login(member(desk["project"], "reviewer"))
    refused = said(client, act(client, desk["project"], "send_back", [desk["done"]]))
    assert refused == ["Write the annotators a note: what should they look at again?"]
    assert not SendBack.objects.exists()

    response = act(client, desk["project"], "send_back", [desk["done"], desk["fresh"]], note="Check the names.")
    assert said(client, response) == ["Sent 1 item back to their annotators.",
                              "Skipped 1: 1 because its annotators have not submitted it."]
    assert SendBack.objects.get().note == "Check the names."
    assert Item.objects.get(pk=desk["done"].pk).status == Item.Status.OPEN


def test_reviewers_neither_export_nor_preannotate(client, desk):
    client.force_login(member(desk["project"], "reviewer"))

    assert act(client, desk["project"], "export", [desk["done"]]).status_code == 403
    assert act(client, desk["project"], "preannotate", [desk["done"]]).status_code == 403
    assert not PreannotationRun.objects.exists()


def test_managers_export_the_chosen_items_as_jsonl(client, desk):
    client.force_login(member(desk["project"], "manager"))
    response = act(client, desk["project"], "export", [desk["done"]])

    lines = [json.loads(line) for line in b"".join(response.streaming_content).splitlines()]
    assert response["Content-Disposition"] == 'attachment; filename="selected-items.jsonl"'
    assert {line["article_id"] for line in lines} == {desk["done"].article_id}


def test_managers_preannotate_the_chosen_items_again(client, desk, django_capture_on_commit_callbacks):
    project = desk["project"]
    project.predictors.create(kind="vader-sentiment")
    Prediction.objects.create(item=desk["done"], predictor="vader-sentiment", version="old", labels={})
    client.force_login(member(project, "manager"))
    with django_capture_on_commit_callbacks(execute=True):
        response = act(client, project, "preannotate", [desk["done"], desk["fresh"]])

    run = PreannotationRun.objects.get()
    assert (run.item_count, run.predictor) == (2, "vader-sentiment")
    assert set(Prediction.objects.exclude(version="old").values_list("item", flat=True)) == {
        desk["done"].pk, desk["fresh"].pk}
    assert said(client, response)[0].startswith(f"{project}: queued vader-sentiment")


def test_actions_need_the_csrf_token(desk):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member(desk["project"], "manager"))
    response = act(client, desk["project"], "assign", [desk["fresh"]], annotator=desk["ana"].pk)

    assert response.status_code == 403
    assert not Assignment.objects.filter(item=desk["fresh"]).exists()


def test_going_back_goes_only_to_this_site(client, desk):
    client.force_login(member(desk["project"], "reviewer"))
    response = act(client, desk["project"], "assign", [desk["fresh"]], annotator=desk["ana"].pk,
                   next="https://elsewhere.example/")

    assert response["Location"] == page_url(desk["project"])


def test_the_start_page_and_the_navigation_link_the_browser(client, desk):
    project = desk["project"]
    client.force_login(desk["ana"])

    assert f'href="{page_url(project)}"' in client.get(reverse("pages:home")).content.decode()
    labeling = client.get(reverse("pages:labeling-start", args=[project.pk])).content.decode()
    assert f'<a href="{page_url(project)}" id="nav-items">Items</a>' in labeling
