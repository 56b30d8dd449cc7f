"""Reads of the item browser: which items of a project the caller may see, filtered, sorted,
one keyset page at a time, with a count that stays cheap at a million items.

What a role sees: reviewers and managers (staff act as both) every item of the project;
annotators the items assigned to them. In a blind project an annotator learns nothing of the
other annotators' work: no status, agreement or annotators, no filter or sort on them, and the
topic filter matches only their own labels (as the API's item filters do).

Every filter and sort is served by an index on PostgreSQL (migrations ``item_browser_indexes``):
sorts by id and agreement by (project, value, id) on the items; the sort by publication date by
(published_at, id) on the articles, whose id is then the tie (one item per article in a
project); search by the articles' full-text index (``ingest.selectors.article_search``).
"""

import json
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, prefetch_related_objects
from django.urls import reverse

from ingest.models import Article
from ingest.selectors import (FirstMatches, article_search, article_search_first_ids, id_array, search_query,
                              through_search_index)

from ...models import Annotation, Assignment, Gold, Item, Membership, Prediction, Project
from ...selectors import project_roles
from .keyset import Cursor, Order, Page, keyset_page

Role = Membership.Role

# Rows per page.
BROWSER_PAGE_SIZE = 50
# Up to this many matching items the count is exact (counting them reads an index this far);
# beyond, the planner's estimate is shown as "about".
COUNT_EXACT_UP_TO = 5_000
# An annotator's items: those they hold, wait for, or submitted (skipped and expired ones went
# back to the queue for someone else).
ANNOTATOR_SHOWN = (Assignment.Status.ACTIVE, Assignment.Status.QUEUED, Assignment.Status.SUBMITTED)
# Those the labeling page opens (queued ones open once the queue hands them out).
ANNOTATOR_OPENS = (Assignment.Status.ACTIVE, Assignment.Status.SUBMITTED)

# Sorts by name: the value path, the unique tie path, and whether the values are datetimes.
SORTS = {
    "published": ("article__published_at", "article_id", True),
    "id": ("pk", "pk", False),
    "agreement": ("agreement", "pk", False),
}
SORT_LABELS = {"-published": "Newest published first", "published": "Oldest published first",
               "-id": "Newest item first", "id": "Oldest item first",
               "agreement": "Least agreement first", "-agreement": "Most agreement first"}
DEFAULT_SORT = "-published"
# What an annotator of a blind project may not filter or sort by: the others' work.
HIDDEN_WHEN_BLIND = frozenset({"status", "agreement_min", "agreement_max", "annotator"})


@dataclass(frozen=True)
class Viewer:
    """Who browses a project, and what of it they may see."""

    user: object
    project: Project
    roles: frozenset[str]

    @property
    def oversees(self) -> bool:
        """Reviewers and managers (and staff) see every item and everyone's work."""
        return bool(self.roles & {Role.REVIEWER, Role.MANAGER})

    @property
    def blind(self) -> bool:
        return self.project.blind and not self.oversees

    @property
    def hidden_filters(self) -> frozenset[str]:
        if self.oversees:
            return frozenset()
        return HIDDEN_WHEN_BLIND if self.blind else frozenset({"annotator"})

    @property
    def sorts(self) -> dict[str, str]:
        return {key: label for key, label in SORT_LABELS.items() if not (self.blind and "agreement" in key)}


def browser_viewer(*, project: Project, user) -> Viewer:
    return Viewer(user=user, project=project, roles=project_roles(project=project, user=user))


@dataclass(frozen=True)
class Filters:
    """What the caller asks for; empty fields filter nothing."""

    query: str = ""
    status: str = ""
    source: int | None = None
    published_from: datetime | None = None
    published_before: datetime | None = None
    topic: int | None = None
    agreement_min: float | None = None
    agreement_max: float | None = None
    suggestions: bool | None = None
    annotator: int | None = None
    sort: str = DEFAULT_SORT
    given: frozenset[str] = field(default_factory=frozenset)  # names of the filters set, for the page

    @cached_property
    def search(self) -> FirstMatches | None:
        """The first articles matching ``query`` (PostgreSQL; None without a query), read once for
        the page and its count."""
        if not self.query.strip() or connection.vendor != "postgresql":
            return None
        return article_search_first_ids(self.query)


def browser_items(*, viewer: Viewer) -> QuerySet[Item]:
    """The project's items ``viewer`` may see (every one for an overseer, their own otherwise)."""
    items = Item.objects.filter(project=viewer.project)
    if viewer.oversees:
        return items
    mine = Assignment.objects.filter(project=viewer.project, annotator=viewer.user, status__in=ANNOTATOR_SHOWN)
    return items.filter(pk__in=mine.values("item"))


def browser_filtered(*, viewer: Viewer, filters: Filters) -> QuerySet[Item]:
    """``browser_items`` narrowed by ``filters`` (those the viewer may use; others are ignored)."""
    return _filtered(viewer, filters, _matching(filters) if filters.query.strip() else None)


def _filtered(viewer: Viewer, filters: Filters, matching: Q | None) -> QuerySet[Item]:
    """``browser_filtered`` with ``matching`` in place of the search."""
    items = browser_items(viewer=viewer)
    hidden = viewer.hidden_filters
    if matching is not None:
        items = items.filter(matching)
    if filters.status and "status" not in hidden:
        items = items.filter(status=filters.status)
    if filters.source is not None:
        items = items.filter(article__source=filters.source)
    if filters.published_from is not None:
        items = items.filter(article__published_at__gte=filters.published_from)
    if filters.published_before is not None:
        items = items.filter(article__published_at__lt=filters.published_before)
    if filters.agreement_min is not None and "agreement_min" not in hidden:
        items = items.filter(agreement__gte=filters.agreement_min)
    if filters.agreement_max is not None and "agreement_max" not in hidden:
        items = items.filter(agreement__lte=filters.agreement_max)
    if filters.suggestions is not None:
        suggested = Exists(Prediction.objects.filter(item=OuterRef("pk")))
        items = items.filter(suggested if filters.suggestions else ~suggested)
    if filters.annotator is not None and "annotator" not in hidden:
        items = items.filter(Exists(Assignment.objects.filter(item=OuterRef("pk"), annotator=filters.annotator)))
    if filters.topic is not None:
        items = items.filter(_with_topic(viewer, filters.topic))
    return items


def _matching(filters: Filters) -> Q:
    """Items whose article matches the full-text query (PostgreSQL: as ``article_search``,
    in two steps): among the few ids that match, if no more than SEARCH_IDS_UP_TO of the
    corpus do; otherwise by testing the vectors of the items read in the page's sort, where a
    word that common soon fills a page (the project may hold a part of the corpus only: the
    ids, read over the whole corpus, then filter its items)."""
    if filters.search is not None:
        if filters.search.complete:
            return Q(article_id__in=id_array(filters.search.ids))
        return Q(article__search__vector=search_query(filters.query))
    return Q(article__in=article_search(Article.objects.all(), filters.query).values("pk"))


def _with_topic(viewer: Viewer, topic: int) -> Q:
    """Items whose accepted gold or any annotation has ``topic``; a blind annotator's own annotations only.

    One IN over a union, so the planner may start from the labels (their topics' GIN index)
    when the topic is rare, rather than test every item in the sort's order.
    """
    annotations = Annotation.objects.with_topic(topic).order_by()
    if viewer.blind:
        return Q(pk__in=annotations.filter(annotator=viewer.user).values("item"))
    gold = Gold.objects.filter(status=Gold.Status.ACCEPTED).with_topic(topic).order_by()
    return Q(pk__in=annotations.values("item").union(gold.values("item")))


def browser_order(*, viewer: Viewer, sort: str) -> Order:
    """The keyset order of ``sort`` ("published", "-published", ...), or the default one."""
    sort = sort if sort in viewer.sorts else DEFAULT_SORT
    value, tie, _ = SORTS[sort.lstrip("-")]
    return Order(value=value, tie=tie, descending=sort.startswith("-"))


def sort_has_datetimes(sort: str) -> bool:
    return SORTS.get(sort.lstrip("-"), SORTS[DEFAULT_SORT.lstrip("-")])[2]


def browser_page(*, viewer: Viewer, filters: Filters, after: Cursor | None = None,
                 before: Cursor | None = None, size: int = BROWSER_PAGE_SIZE) -> Page:
    """One keyset page of the items ``viewer`` may see, matching ``filters``, in their sort;
    each row with its article and source, whether it has suggestions, and for an overseer its
    annotators (for an annotator, their own assignment)."""
    items = (browser_filtered(viewer=viewer, filters=filters).select_related("article__source")
             .defer("article__body", "article__raw_text", "article__minhash", "article__removed_lines",
                    "article__tokens")
             .annotate(suggested=Exists(Prediction.objects.filter(item=OuterRef("pk")))))
    page = keyset_page(items, order=browser_order(viewer=viewer, sort=filters.sort), size=size, after=after,
                       before=before)
    _attach_assignments(page.rows, viewer)
    return page


def _attach_assignments(items: list[Item], viewer: Viewer) -> None:
    """Each item's ``shown_assignments``: everyone's for an overseer, theirs for an annotator (one query)."""
    assignments = Assignment.objects.select_related("annotator").order_by("annotator__username")
    if not viewer.oversees:
        assignments = assignments.filter(annotator=viewer.user)
    prefetch_related_objects(items, Prefetch("assignments", queryset=assignments, to_attr="shown_assignments"))


@dataclass(frozen=True)
class Count:
    value: int
    exact: bool


def browser_count(*, viewer: Viewer, filters: Filters, exact_up_to: int = COUNT_EXACT_UP_TO) -> Count:
    """How many items match: exact up to ``exact_up_to``, beyond that the planner's estimate."""
    items = browser_filtered(viewer=viewer, filters=filters).order_by()
    counted = _count_up_to(items, exact_up_to + 1, viewer=viewer, filters=filters)
    if counted <= exact_up_to:
        return Count(counted, exact=True)
    return Count(max(planner_row_estimate(items), counted), exact=False)


def _count_up_to(items: QuerySet[Item], cap: int, *, viewer: Viewer, filters: Filters) -> int:
    """How many of ``items`` there are, up to ``cap``. A search's are counted from the full-text
    index (PostgreSQL): a common word's matches are then found at once, where reading the items
    in order and testing each article's vector takes a tenth of a second at a million. When the
    search read more first matches than the cap and as many of them pass the other filters (a
    project over the whole corpus), that is the count, without reading every match again."""
    search = filters.search
    if search is None:
        return items[:cap].count()
    if not search.complete and len(search.ids) >= cap:
        among_first = _filtered(viewer, filters, Q(article_id__in=id_array(search.ids))).order_by()[:cap].count()
        if among_first >= cap:
            return among_first
    with through_search_index():
        return items[:cap].count()


def planner_row_estimate(rows: QuerySet) -> int:
    """The database planner's estimate of how many rows ``rows`` returns, read without running
    it (PostgreSQL's EXPLAIN); where there is no such estimate, the exact count."""
    if connection.vendor != "postgresql":
        return rows.count()
    plan = json.loads(rows.explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])


def browser_annotators(*, viewer: Viewer):
    """The project's annotators, for the annotator filter and the assign action (overseers only)."""
    if not viewer.oversees:
        return get_user_model().objects.none()
    return get_user_model().objects.filter(memberships__project=viewer.project,
                                           memberships__role=Role.ANNOTATOR).order_by("username")


def browser_rows(*, viewer: Viewer, items: list[Item]) -> list[dict]:
    """What the page shows of each item, with where opening it leads: the review page for an
    overseer, the labeling page for an annotator whose assignment it opens (else nowhere)."""
    rows = []
    for item in items:
        assignments = item.shown_assignments
        if viewer.oversees:
            opens = reverse("pages:review-item", args=[viewer.project.pk, item.pk])
        else:
            openable = any(assignment.status in ANNOTATOR_OPENS for assignment in assignments)
            opens = reverse("pages:labeling-item", args=[viewer.project.pk, item.pk]) if openable else None
        rows.append({
            "item": item.pk, "title": item.article.title, "source": item.article.source,
            "published_at": item.article.published_at, "suggested": item.suggested, "opens": opens,
            "status": None if viewer.blind else item.get_status_display(),
            "agreement": None if viewer.blind else item.agreement,
            "assignments": [(a.annotator.get_username(), a.get_status_display()) for a in assignments],
        })
    return rows
