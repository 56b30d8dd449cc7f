"""The next-item queue: overlap, one item per person, leases, skips, concurrency."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from annotations.models import Assignment, Item, Project
from annotations.queue import assignment_claim_next, assignment_skip, assignments_expire
from tests.factories import ItemFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db


# Every test of the queue runs in both orders: the order changes which item comes, never how many
# annotators get it, leases or locking. Items of an uncertainty-ordered project get scores.
QUEUE_ORDERS = [Project.QueueOrder.DEFAULT, Project.QueueOrder.UNCERTAINTY]


@pytest.fixture(params=QUEUE_ORDERS)
def queue_order(request):
    return request.param


@pytest.fixture
def project(queue_order):
    return ordered_project(queue_order, overlap=2)


def ordered_project(queue_order, **fields):
    return ProjectFactory(queue_order=queue_order, uncertainty_random_share=0.3, **fields)


def scored(project):
    """Scores in an order of their own (neither id nor draw order), as a live model writes them."""
    for item in Item.objects.filter(project=project):
        Item.objects.filter(pk=item.pk).update(uncertainty=(item.pk * 7919 % 101) / 101)


def test_each_item_goes_to_overlap_distinct_annotators(project):
    items = ItemFactory.create_batch(2, project=project)
    scored(project)
    annotators = UserFactory.create_batch(5)
    got = {}
    for annotator in annotators:
        assignment = assignment_claim_next(project=project, annotator=annotator)
        got[annotator.pk] = assignment.item_id if assignment else None
        if assignment:
            Assignment.objects.filter(pk=assignment.pk).update(status=Assignment.Status.SUBMITTED)
    assert sorted(v for v in got.values() if v) == sorted([items[0].pk] * 2 + [items[1].pk] * 2)
    assert list(got.values()).count(None) == 1
    assert set(Item.objects.values_list("assigned_count", flat=True)) == {2}


def test_an_annotator_resumes_the_active_assignment_and_never_gets_an_item_twice(project):
    item = ItemFactory(project=project)
    annotator = UserFactory()
    first = assignment_claim_next(project=project, annotator=annotator)
    assert assignment_claim_next(project=project, annotator=annotator) == first
    Assignment.objects.filter(pk=first.pk).update(status=Assignment.Status.SUBMITTED)
    assert assignment_claim_next(project=project, annotator=annotator) is None
    assert Assignment.objects.filter(item=item, annotator=annotator).count() == 1


def test_expired_lease_returns_the_item_to_the_pool(project):
    project.overlap = 1
    project.save()
    item = ItemFactory(project=project)
    slow, other = UserFactory(), UserFactory()
    abandoned = assignment_claim_next(project=project, annotator=slow)
    assert assignment_claim_next(project=project, annotator=other) is None
    Assignment.objects.filter(pk=abandoned.pk).update(leased_until=timezone.now() - timedelta(seconds=1))
    taken = assignment_claim_next(project=project, annotator=other)
    assert taken.item_id == item.pk
    abandoned.refresh_from_db()
    assert abandoned.status == Assignment.Status.EXPIRED
    assert assignments_expire(project=project) == 0  # idempotent


def test_skip_frees_the_slot_for_someone_else_but_not_for_the_skipper(project):
    project.overlap = 1
    project.save()
    ItemFactory(project=project)
    skipper, other = UserFactory(), UserFactory()
    assignment = assignment_skip(assignment=assignment_claim_next(project=project, annotator=skipper),
                                 reason="Not in English")
    assert (assignment.status, assignment.skip_reason) == ("skipped", "Not in English")
    assert assignment_claim_next(project=project, annotator=skipper) is None
    assert assignment_claim_next(project=project, annotator=other) is not None


def test_items_of_other_projects_and_closed_items_are_not_handed_out(project):
    ItemFactory(project=ProjectFactory())
    ItemFactory(project=project, status=Item.Status.GOLD)
    assert assignment_claim_next(project=project, annotator=UserFactory()) is None


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_annotators_never_exceed_overlap_or_share_twice(queue_order):
    if connection.vendor != "postgresql":
        pytest.skip("row locks with SKIP LOCKED need PostgreSQL; CI runs this on PostgreSQL")
    project = ordered_project(queue_order, overlap=3)
    ItemFactory.create_batch(10, project=project)
    scored(project)
    annotators = UserFactory.create_batch(20)
    barrier = threading.Barrier(len(annotators))
    results, errors = {}, []

    def ask(annotator):
        try:
            barrier.wait()
            for _ in range(3):  # each asks, submits, asks again
                assignment = assignment_claim_next(project=project, annotator=annotator)
                if assignment is None:
                    break
                results.setdefault(annotator.pk, []).append(assignment.item_id)
                Assignment.objects.filter(pk=assignment.pk).update(status=Assignment.Status.SUBMITTED)
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=ask, args=(a,)) for a in annotators]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for item_ids in results.values():
        assert len(item_ids) == len(set(item_ids)), "an annotator got the same item twice"
    per_item = {}
    for item_ids in results.values():
        for item_id in item_ids:
            per_item[item_id] = per_item.get(item_id, 0) + 1
    assert max(per_item.values()) <= 3
    assert sum(per_item.values()) == 30  # 10 items x overlap 3: every slot filled, none twice
    assert Assignment.objects.count() == 30


@pytest.mark.django_db(transaction=True)
def test_one_annotator_asking_many_times_at_once_gets_one_item(queue_order):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; on SQLite each transaction holds the write lock")
    project = ordered_project(queue_order, overlap=1)
    ItemFactory.create_batch(10, project=project)
    scored(project)
    annotator = UserFactory()
    barrier = threading.Barrier(8)
    claimed, errors = [], []

    def ask():
        try:
            barrier.wait()
            claimed.append(assignment_claim_next(project=project, annotator=annotator).pk)
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(claimed)) == 1 and Assignment.objects.count() == 1  # a double click takes one item


def test_periodic_sweep_expires_run_out_leases(project, settings):
    from annotations.tasks import assignments_expire_task

    ItemFactory(project=project)
    assignment = assignment_claim_next(project=project, annotator=UserFactory())
    Assignment.objects.filter(pk=assignment.pk).update(leased_until=timezone.now() - timedelta(minutes=1))
    assert assignments_expire_task.delay().get() == 1
    assert assignments_expire_task.delay().get() == 0
    assert Item.objects.get().assigned_count == 0
    assert "annotations.assignments_expire" in {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
