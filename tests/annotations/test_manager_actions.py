"""What a manager's bulk actions rely on: assigning an item outside the queue's order, gold
where the annotators are unanimous, and exporting a chosen set of items."""

import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from annotations.datasets.exports import ExportFilters, export_items, export_records, selection_export_records
from annotations.models import Assignment, Gold, Item
from annotations.queue import assignment_claim_next, assignment_create, assignment_skip, items_assign
from annotations.gold import gold_accept, item_gold_if_unanimous, items_gold_if_unanimous
from tests.factories import ItemFactory, ProjectFactory, UserFactory, label, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    return ProjectFactory(overlap=2)


# --- assignment_create -------------------------------------------------------------

def test_assignment_create_fills_overlap_with_distinct_annotators_and_leases(project):
    item = ItemFactory(project=project)
    ana, ben, cy = UserFactory.create_batch(3)

    first = assignment_create(item=item, annotator=ana)

    assert (first.item, first.status) == (item, Assignment.Status.ACTIVE)
    assert first.leased_until > timezone.now()
    assert assignment_create(item=item, annotator=ana) is None, "never twice to one annotator"
    assert assignment_create(item=item, annotator=ben) is not None
    assert assignment_create(item=item, annotator=cy) is None, "overlap reached"
    assert Item.objects.get(pk=item.pk).assigned_count == 2
    assert Assignment.objects.count() == 2


def test_assignment_create_refuses_closed_items_and_who_skipped_the_item(project):
    item, closed = ItemFactory(project=project), ItemFactory(project=project, status=Item.Status.ANNOTATED)
    annotator = UserFactory()
    assignment_skip(assignment=assignment_create(item=item, annotator=annotator), reason="Not news")

    assert assignment_create(item=item, annotator=annotator) is None
    assert assignment_create(item=closed, annotator=annotator) is None
    assert [Item.objects.get(pk=pk).assigned_count for pk in (item.pk, closed.pk)] == [0, 0]


def test_an_assigned_item_is_what_the_queue_gives_the_annotator_next(project):
    ItemFactory(project=project)
    chosen = ItemFactory(project=project)
    annotator = UserFactory()

    assignment = assignment_create(item=chosen, annotator=annotator)

    assert assignment_claim_next(project=project, annotator=annotator) == assignment


@pytest.mark.django_db(transaction=True)
def test_assignment_create_waits_for_a_concurrent_change_of_the_item_and_sees_it():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; CI runs this on PostgreSQL")
    item = ItemFactory(project=ProjectFactory(overlap=2))
    locked = threading.Event()

    def close_item_slowly():
        try:
            with transaction.atomic():
                Item.objects.select_for_update().get(pk=item.pk)
                Item.objects.filter(pk=item.pk).update(status=Item.Status.ANNOTATED)
                locked.set()
                time.sleep(0.3)  # assignment_create must wait for this commit, then see the closed item
        finally:
            connections.close_all()

    closer = threading.Thread(target=close_item_slowly)
    closer.start()
    locked.wait(5)
    assignment = assignment_create(item=item, annotator=UserFactory())
    closer.join()

    assert assignment is None
    assert Item.objects.get(pk=item.pk).assigned_count == 0


def test_items_assign_counts_what_it_assigned_and_why_it_skipped_the_rest(project):
    annotator = member(project, "annotator")
    free, full, closed = ItemFactory.create_batch(3, project=project)
    elsewhere = ItemFactory()
    for other in UserFactory.create_batch(2):
        assignment_create(item=full, annotator=other)
    Item.objects.filter(pk=closed.pk).update(status=Item.Status.GOLD)

    assigned, skipped = items_assign(items=Item.objects.all(), annotator=annotator)

    assert assigned == 1 and Assignment.objects.get(annotator=annotator).item == free
    assert skipped == {"it has as many annotators as the project asks for": 1, "it is not open for annotation": 1,
                       "they do not annotate its project": 1}
    assert items_assign(items=Item.objects.filter(pk=free.pk), annotator=annotator) == (0, {"they had it already": 1})
    assert not elsewhere.assignments.exists()


# --- gold where unanimous -------------------------------------------------------------

def test_unanimous_labels_become_gold_with_the_reviewer_once(project):
    item = ItemFactory(project=project)
    for annotator in (member(project), member(project)):
        label(item, annotator, sentiment="positive", spans=[("Ana Reyes", "PERSON")])
    reviewer = member(project, "reviewer")

    gold = item_gold_if_unanimous(item=item, reviewer=reviewer)

    assert (gold.origin, gold.reviewer, gold.sentiment) == (Gold.Origin.UNANIMOUS, reviewer, "positive")
    assert list(gold.spans.values_list("text", flat=True)) == ["Ana Reyes"]
    assert Item.objects.get(pk=item.pk).status == Item.Status.GOLD
    assert item_gold_if_unanimous(item=item, reviewer=reviewer) is None, "idempotent"
    assert Gold.objects.count() == 1


def test_entity_sentiment_counts_towards_unanimity(project):
    project.entity_sentiment = True
    project.save()
    item = ItemFactory(project=project)
    for annotator, toward in ((member(project), "positive"), (member(project), "negative")):
        annotation = label(item, annotator, spans=[("Ana Reyes", "PERSON")])
        annotation.spans.update(sentiment=toward)

    assert item_gold_if_unanimous(item=item) is None
    assert not Gold.objects.exists()


def test_items_gold_if_unanimous_says_why_items_were_left(project):
    ana, ben = member(project), member(project)
    agreed, disputed, half_done, gold_already, untouched = ItemFactory.create_batch(5, project=project)
    for item in (agreed, gold_already):
        label(item, ana, sentiment="neutral")
        label(item, ben, sentiment="neutral")
    gold_accept(item=gold_already, reviewer=None, sentiment="positive")
    label(disputed, ana, sentiment="positive")
    label(disputed, ben, sentiment="negative")
    label(half_done, ana, sentiment="neutral")

    made, skipped = items_gold_if_unanimous(items=Item.objects.all(), reviewer=None)

    assert made == 1 and Gold.objects.get(origin=Gold.Origin.UNANIMOUS).item == agreed
    assert skipped == {"the annotators disagree": 1, "not every annotator has submitted": 1,
                       "it is gold already": 1, "nobody has labelled it": 1}


# --- exporting a selection ---------------------------------------------------------------

def test_the_item_filter_narrows_the_export_in_the_query(project):
    chosen, other = ItemFactory.create_batch(2, project=project)
    label(chosen, member(project), sentiment="positive")
    filters = ExportFilters(gold_only=False, include_annotations=True, items=(chosen.pk,))

    records = list(export_records(project=project, filters=filters))

    assert list(export_items(project=project, filters=filters)) == [chosen]
    assert [r.article_id for r in records] == [chosen.article_id]
    assert records[0].annotations[0][1].sentiment == "positive"
    assert list(export_records(project=project, filters=ExportFilters(gold_only=False, items=()))) == []
    assert {r.article_id for r in export_records(project=project, filters=ExportFilters(gold_only=False))} == {
        chosen.article_id, other.article_id}


def test_a_selection_exports_its_items_of_every_project_and_nothing_else():
    first, second = ProjectFactory(), ProjectFactory()
    a, _, c = ItemFactory(project=first), ItemFactory(project=first), ItemFactory(project=second)

    records = list(selection_export_records(items=Item.objects.filter(pk__in=[a.pk, c.pk])))

    assert [r.article_id for r in records] == [a.article_id, c.article_id]
