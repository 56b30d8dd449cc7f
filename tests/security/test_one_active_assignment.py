"""One active assignment per annotator and project, whatever the concurrency: two tabs or a
double click asking for the next item at once get the same item, and the database refuses a
second active assignment."""

import threading

import pytest
import requests
from django.db import IntegrityError, connection, connections, transaction
from rest_framework.authtoken.models import Token

from annotations.gold import item_send_back
from annotations.models import Assignment, Item
from annotations.queue import assignment_claim_next, assignment_create, lease_end
from annotations.services import annotation_submit
from tests.factories import ItemFactory, ProjectFactory, UserFactory, member

PARALLEL = 8


def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite serialises them); CI runs this on PostgreSQL")


def at_once(call, times=PARALLEL):
    """Run ``call`` in ``times`` threads released together, each on its own connection;
    return the results and the errors."""
    barrier = threading.Barrier(times)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(call())
        except Exception as exc:  # surfaced by the caller
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


@pytest.mark.django_db(transaction=True)
def test_parallel_next_calls_of_one_annotator_hand_out_one_item():
    postgresql_only()
    project = ProjectFactory(overlap=2)
    ItemFactory.create_batch(5, project=project)
    annotator = member(project)

    results, errors = at_once(lambda: assignment_claim_next(project=project, annotator=annotator))

    assert errors == []
    assert len({assignment.pk for assignment in results}) == 1
    assert Assignment.objects.filter(annotator=annotator).count() == 1
    assert sum(Item.objects.values_list("assigned_count", flat=True)) == 1


@pytest.mark.django_db(transaction=True)
def test_parallel_next_requests_over_http_answer_the_same_item(live_server):
    postgresql_only()
    project = ProjectFactory(overlap=2)
    ItemFactory.create_batch(5, project=project)
    token = Token.objects.create(user=member(project)).key
    url = f"{live_server.url}/api/projects/{project.pk}/next/"

    def ask():
        response = requests.post(url, headers={"Authorization": f"Token {token}"}, timeout=30)
        return response.status_code, response.json()["id"]

    results, errors = at_once(ask)

    assert errors == []
    assert {status for status, _ in results} == {200}
    assert len({item_id for _, item_id in results}) == 1
    assert Assignment.objects.filter(status=Assignment.Status.ACTIVE).count() == 1


@pytest.mark.django_db(transaction=True)
def test_parallel_next_clicks_on_the_labeling_page_open_one_item(live_server):
    postgresql_only()
    project = ProjectFactory(overlap=2)
    ItemFactory.create_batch(5, project=project)
    annotator = member(project)
    session = requests.Session()
    login = f"{live_server.url}/accounts/login/"
    session.get(login, timeout=30)
    session.post(login, data={"username": annotator.username, "password": "secret-pass-123",
                              "csrfmiddlewaretoken": session.cookies["csrftoken"]}, timeout=30)
    url = f"{live_server.url}/projects/{project.pk}/label/next/"

    def click():
        response = session.post(url, data={"csrfmiddlewaretoken": session.cookies["csrftoken"]},
                                headers={"Referer": url}, allow_redirects=False, timeout=30)
        return response.status_code, response.headers.get("Location")

    results, errors = at_once(click)

    assert errors == []
    assert {status for status, _ in results} == {302}
    assert len({location for _, location in results}) == 1
    assert Assignment.objects.filter(annotator=annotator).count() == 1


@pytest.mark.django_db
def test_the_database_refuses_a_second_active_assignment_in_a_project():
    project = ProjectFactory()
    first, second = ItemFactory.create_batch(2, project=project)
    annotator = member(project)
    Assignment.objects.create(item=first, annotator=annotator, leased_until=lease_end(project))

    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(item=second, annotator=annotator, leased_until=lease_end(project))
    other_project_item = ItemFactory()
    Assignment.objects.create(item=other_project_item, annotator=annotator, leased_until=lease_end(project))


@pytest.mark.django_db
def test_items_a_manager_gives_a_busy_annotator_wait_queued_and_come_next():
    project = ProjectFactory(overlap=2)
    current, given = ItemFactory.create_batch(2, project=project)
    annotator = member(project)
    assert assignment_claim_next(project=project, annotator=annotator).item == current

    queued = assignment_create(item=given, annotator=annotator)

    assert queued.status == Assignment.Status.QUEUED
    assert Item.objects.get(pk=given.pk).assigned_count == 1, "the queued assignment holds its place"
    assert assignment_claim_next(project=project, annotator=annotator).item == current
    annotation_submit(item=current, annotator=annotator, sentiment="positive")
    following = assignment_claim_next(project=project, annotator=annotator)
    assert (following.pk, following.status) == (queued.pk, Assignment.Status.ACTIVE)


@pytest.mark.django_db
def test_an_item_sent_back_to_a_busy_annotator_waits_queued():
    project = ProjectFactory(overlap=1)
    done, current = ItemFactory.create_batch(2, project=project)
    annotator = member(project)
    assignment_claim_next(project=project, annotator=annotator)
    annotation_submit(item=done, annotator=annotator, sentiment="positive")
    assert assignment_claim_next(project=project, annotator=annotator).item == current

    item_send_back(item=done, reviewer=UserFactory(), note="Look at the sentiment again.")

    assert Assignment.objects.get(item=done).status == Assignment.Status.QUEUED
    annotation_submit(item=current, annotator=annotator, sentiment="neutral")
    assert assignment_claim_next(project=project, annotator=annotator).item == done


@pytest.mark.django_db
def test_an_item_sent_back_to_a_free_annotator_is_active_at_once():
    project = ProjectFactory(overlap=1)
    item = ItemFactory(project=project)
    annotator = member(project)
    assignment_claim_next(project=project, annotator=annotator)
    annotation_submit(item=item, annotator=annotator, sentiment="positive")

    item_send_back(item=item, reviewer=UserFactory(), note="Look again.")

    assert Assignment.objects.get(item=item).status == Assignment.Status.ACTIVE
