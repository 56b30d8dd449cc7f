"""The uncertainty-ordered queue (active learning): the live model's least sure items first, a
share of random claims, held-out gold only from random claims; overlap and locks as ever."""

import math
import random

import pytest
from django.db import IntegrityError, transaction
from rest_framework.test import APIClient

from annotations.models import Assignment, GoldSplit, Item, Project, item_draw
from annotations.queue import assignment_claim_next
from annotations.queue_order import claim_is_random
from tests.factories import ItemFactory, ProjectFactory, UserFactory, member

pytestmark = pytest.mark.django_db

UNCERTAINTY = Project.QueueOrder.UNCERTAINTY


def uncertainty_project(*, share: float, overlap: int = 1) -> Project:
    return ProjectFactory(overlap=overlap, queue_order=UNCERTAINTY, uncertainty_random_share=share)


def claim_and_submit(project, annotator) -> Item | None:
    assignment = assignment_claim_next(project=project, annotator=annotator)
    if assignment is None:
        return None
    Assignment.objects.filter(pk=assignment.pk).update(status=Assignment.Status.SUBMITTED)
    return assignment.item


def held_out(item_id: int) -> bool:
    return GoldSplit.for_item(item_id) == GoldSplit.HELD_OUT


def test_without_a_random_share_the_most_uncertain_train_side_item_comes_first():
    project = uncertainty_project(share=0.0)
    items = ItemFactory.create_batch(30, project=project)
    train_side = [item for item in items if not held_out(item.pk)]
    scores = random.Random(4).sample(range(1, 100), len(train_side))
    scored, unscored = train_side[:-4], train_side[-4:]
    for item, score in zip(scored, scores):
        Item.objects.filter(pk=item.pk).update(uncertainty=score / 100)
    annotator = UserFactory()

    served = [claim_and_submit(project, annotator).pk for _ in range(len(train_side))]

    by_uncertainty = sorted(scored, key=lambda item: -scores[scored.index(item)])
    assert served == [item.pk for item in by_uncertainty + unscored]  # unscored last, oldest first
    # Then the items bound for held-out gold, which an uncertain claim never takes: at random.
    rest = [claim_and_submit(project, annotator).pk for _ in range(len(items) - len(train_side))]
    assert rest == sorted((item.pk for item in items if held_out(item.pk)), key=item_draw)
    assert claim_and_submit(project, annotator) is None


def test_the_random_share_is_kept_over_many_claims_and_only_random_claims_reach_held_out_items():
    share, claims_per_annotator, annotators = 0.2, 25, 8
    project = uncertainty_project(share=share)
    items = ItemFactory.create_batch(500, project=project)
    # Uncertainty grows with the draw: uncertain claims take the highest draws, random ones (draw
    # order) the lowest, so each pick tells which kind of claim made it.
    for item in items:
        if not held_out(item.pk):
            Item.objects.filter(pk=item.pk).update(uncertainty=item_draw(item.pk) / 2**32)
    median = sorted(item_draw(item.pk) for item in items)[len(items) // 2]

    picked = [claim_and_submit(project, annotator)
              for annotator in UserFactory.create_batch(annotators) for _ in range(claims_per_annotator)]

    total = annotators * claims_per_annotator
    at_random = [item for item in picked if item_draw(item.pk) < median]
    # Binomial(200, 0.2): 40 expected, standard deviation 5.7; four of them either way.
    spread = 4 * math.sqrt(total * share * (1 - share))
    assert abs(len(at_random) - total * share) < spread, len(at_random)
    assert all(item_draw(item.pk) < median for item in picked if held_out(item.pk))
    assert any(held_out(item.pk) for item in at_random)  # random claims do reach held-out items


def test_claims_are_random_with_the_share_asked_for():
    project = ProjectFactory(queue_order=UNCERTAINTY, uncertainty_random_share=0.3)
    draws = [claim_is_random(project=project, annotator_id=annotator, claims=claim)
             for annotator in range(1, 41) for claim in range(250)]
    assert abs(sum(draws) / len(draws) - 0.3) < 4 * math.sqrt(0.3 * 0.7 / len(draws))
    # The same claim is decided alike every time.
    assert draws == [claim_is_random(project=project, annotator_id=annotator, claims=claim)
                     for annotator in range(1, 41) for claim in range(250)]


def test_with_a_share_of_one_every_claim_is_random_in_the_fixed_draw_order():
    project = uncertainty_project(share=1.0)
    items = ItemFactory.create_batch(12, project=project)
    Item.objects.filter(project=project).update(uncertainty=0.9)
    annotator = UserFactory()
    assert [claim_and_submit(project, annotator).pk for _ in items] == sorted((i.pk for i in items), key=item_draw)


def test_overlap_current_item_and_leases_are_the_queues_as_ever():
    project = uncertainty_project(share=0.2, overlap=2)
    items = ItemFactory.create_batch(3, project=project)
    Item.objects.filter(pk__in=[item.pk for item in items]).update(uncertainty=0.5)
    annotators = UserFactory.create_batch(7)
    first = assignment_claim_next(project=project, annotator=annotators[0])
    assert assignment_claim_next(project=project, annotator=annotators[0]) == first  # the current item again
    for annotator in annotators:
        claim_and_submit(project, annotator)
    assert set(Item.objects.filter(project=project).values_list("assigned_count", flat=True)) == {2}
    assert Assignment.objects.values("item", "annotator").distinct().count() == Assignment.objects.count() == 6


def test_the_setting_is_validated_in_the_api_and_held_by_the_database():
    project = ProjectFactory()
    manager = member(project, "manager")
    client = APIClient()
    client.force_authenticate(manager)
    url = f"/api/projects/{project.pk}/"
    assert client.patch(url, {"uncertainty_random_share": 1.5}, format="json").status_code == 400
    assert client.patch(url, {"queue_order": "loudest"}, format="json").status_code == 400
    response = client.patch(url, {"queue_order": "uncertainty", "uncertainty_random_share": 0.25}, format="json")
    assert response.status_code == 200
    assert (response.json()["queue_order"], response.json()["uncertainty_random_share"]) == ("uncertainty", 0.25)
    assert client.get(url).json()["queue_order"] == "uncertainty"
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(uncertainty_random_share=-0.1)
