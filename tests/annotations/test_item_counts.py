"""Each project's item counts move with its items (created, submitted, gold, reopened, sent
back, deleted) and equal a fresh count after a mixed workload; a recount squares them."""

import pytest
from django.core.management import call_command
from django.db.models import Count

from annotations.counters import item_counts_recompute, project_item_counts
from annotations.gold import gold_accept, gold_reopen, item_send_back
from annotations.intake import items_create, project_articles_add
from annotations.models import Item, ProjectItemCounts
from ingest.models import Article
from tests.factories import ArticleFactory, ItemFactory, ProjectFactory, label, member

pytestmark = pytest.mark.django_db


def fresh(project) -> dict:
    counted = dict(Item.objects.filter(project=project).values_list("status").annotate(n=Count("pk")).order_by())
    return {status: counted.get(status, 0) for status in Item.Status.values}


def stored(project) -> dict:
    counts = project_item_counts(project=project)
    return {status: getattr(counts, status) for status in Item.Status.values}


def test_counts_follow_a_mixed_workload():
    project, other = ProjectFactory(overlap=2), ProjectFactory(overlap=1, auto_gold_unanimous=True)
    ana, ben, rita = member(project), member(project), member(project, "reviewer")
    articles = [ArticleFactory() for _ in range(6)]
    assert items_create(project=project, articles=articles[:4]) == 4
    assert items_create(project=project, articles=articles) == 2, "the articles already in it are left alone"
    added = project_articles_add(project=other, articles=Article.objects.filter(pk__in=[a.pk for a in articles[:3]]))
    assert added.added == 3
    ItemFactory(project=project)  # one by one
    items = list(project.items.order_by("pk"))
    for item in items[:4]:
        label(item, ana, sentiment="positive")
        label(item, ben, sentiment="negative")
    gold_accept(item=items[0], reviewer=rita, annotation=items[0].annotations.first())
    gold_accept(item=items[1], reviewer=rita, annotation=items[1].annotations.first())
    gold_accept(item=items[1], reviewer=rita, annotation=items[1].annotations.last())  # gold to gold
    gold_reopen(item=items[1], reviewer=rita, reason="Check the sentiment")
    item_send_back(item=items[2], reviewer=rita, note="Look at the names again")
    label(other.items.first(), member(other), sentiment="neutral")  # unanimous with one annotator: gold
    items[5].delete()

    assert stored(project) == fresh(project) == {"open": 3, "annotated": 2, "gold": 1}
    assert stored(other) == fresh(other) == {"open": 2, "annotated": 0, "gold": 1}
    assert item_counts_recompute() == 0


def test_a_recount_squares_counts_a_raw_write_left_behind(capsys):
    project = ProjectFactory()
    ItemFactory(project=project), ItemFactory(project=project)
    Item.objects.filter(project=project).update(status=Item.Status.GOLD)  # bypasses the counts
    assert stored(project) == {"open": 2, "annotated": 0, "gold": 0}

    call_command("item_counts_recompute")
    assert "1 project(s) had counts out of step" in capsys.readouterr().out
    assert stored(project) == fresh(project) == {"open": 0, "annotated": 0, "gold": 2}


def test_a_project_without_items_reads_zeros():
    project = ProjectFactory()
    assert not ProjectItemCounts.objects.filter(project=project).exists()
    assert stored(project) == {"open": 0, "annotated": 0, "gold": 0}


def test_deleting_a_project_takes_its_items_and_counts_along():
    project = ProjectFactory()
    ItemFactory(project=project)
    project.delete()
    assert not ProjectItemCounts.objects.exists()
