"""The review page: the items awaiting review, and one item's labels side by side.

Reviewers accept one annotator's labels or compose gold from parts (choosing the sentiment
toward each entity), confirm before gold is accepted, reopen gold with a reason, or send the
item back with a note; the item page shows every gold version. The page's script
(``static/annotations/review.js``) calls the gold, reopen and send-back endpoints of the REST
API, so the rules stay in ``gold``.
"""

from itertools import combinations

from django.db.models import F, Prefetch, Q, QuerySet, prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from newsroom.keyset import InvalidCursor, KeysetPage, keyset_page

from ..agreement import span_prf
from ..counters import project_item_counts
from ..models import Gold, Item, Project
from ..projects import project_topic_paths
from ..review import agreed_parts, disagreeing_parts, disagreements
from ..selectors import annotations_for_review, item_review, review_versions
from .base import ProjectPageMixin, Role

# Rows per page of the review list.
REVIEW_PAGE_SIZE = 50
DISAGREEMENT_FILTERS = {"yes": True, "no": False}
# What the item page's script calls: the API's review actions on the item.
REVIEW_ENDPOINTS = {"gold": "item-gold", "reopen": "item-gold-reopen", "send_back": "item-send-back",
                    "review": "item-review"}
# The list's orders: oldest first (the queue's order), or the items the annotators agree on
# least first (those with fewer than two annotators, whose agreement is unknown, last).
REVIEW_ORDERS = {"oldest": ("id",), "agreement": (F("agreement").asc(nulls_last=True), "id")}


# --- reads the pages need --------------------------------------------------------

def review_queue(*, project: Project, disagreement: bool | None = None, order: str = "oldest") -> QuerySet[Item]:
    """Items awaiting review (all annotators submitted, or gold reopened), in ``order``;
    ``disagreement`` keeps only the items whose annotators disagree (True) or agree (False).

    Filters by the agreement stored at submit (``agreement.services``), in the query: below 1.0
    some part differs; None means fewer than two annotators, so nothing to disagree on.
    """
    items = Item.objects.filter(project=project, status=Item.Status.ANNOTATED).select_related("article")
    if disagreement is True:
        items = items.filter(agreement__lt=1.0)
    elif disagreement is False:
        items = items.filter(Q(agreement__gte=1.0) | Q(agreement__isnull=True))
    return items.order_by(*REVIEW_ORDERS[order])


def review_waiting(*, project: Project) -> int:
    """How many items await review in ``project``."""
    return project_item_counts(project=project).annotated


def review_rows(items: list[Item]) -> list[dict]:
    """The review list's rows for one page of ``items``: each with its annotators, the
    parts they disagree on (entity sentiment included) and, for gold reopened, why (a few
    queries for the whole page)."""
    prefetch_related_objects(items, Prefetch("annotations", queryset=annotations_for_review()))
    reopened = _reopen_reasons([item.pk for item in items])
    rows = []
    for item in items:
        versions = review_versions(item.annotations.all())
        rows.append({"item": item.pk, "title": item.article.title, "agreement": item.agreement,
                     "disagreements": disagreeing_parts(disagreements(versions)),
                     "annotators": [version.annotator for version in versions],
                     "reopened": reopened.get(item.pk)})
    return rows


def _reopen_reasons(item_ids: list[int]) -> dict[int, str]:
    """The reason of each item's latest reopened gold version."""
    reasons: dict[int, str] = {}
    for item_id, reason in (Gold.objects.filter(item_id__in=item_ids, status=Gold.Status.REOPENED)
                            .order_by("item_id", "-version").values_list("item_id", "reopen_reason")):
        reasons.setdefault(item_id, reason)
    return reasons


def review_agreement(review: dict) -> dict:
    """How far an item's annotators agree: the single labels everyone chose (and how many of
    those everyone took from the same suggestion), what they disagree on, and the mean span
    F1 (exact) over pairs of annotators (None with fewer than two)."""
    found = review["disagreements"]
    spans = [{(s["start"], s["end"], s["label"]) for s in a["spans"]} for a in review["annotations"]]
    pair_f1 = [span_prf(left, right).f1 for left, right in combinations(spans, 2)]
    return {**agreed_parts(found, len(review["annotations"])), "disagreements": disagreeing_parts(found),
            "span_f1": sum(pair_f1) / len(pair_f1) if pair_f1 else None}


def review_payload(*, item: Item) -> dict:
    """What the item page's script needs: the text, everyone's labels (entity sentiment and
    provenance included), the disagreements, the item's agreement, gold and its history,
    the schema and the endpoints."""
    review = item_review(item=item)
    project = item.project
    return {
        **review, "body": item.article.body, "agreement": review_agreement(review), "item_agreement": item.agreement,
        "schema": {"sentiment_scale": project.sentiment_scale, "entity_sentiment": project.entity_sentiment,
                   "entity_types": list(project.entity_types.values("name", "colour")),
                   "topics": [{"id": pk, "name": name} for pk, name in project_topic_paths(project).items()]},
        "api": {name: reverse(route, args=[item.pk]) for name, route in REVIEW_ENDPOINTS.items()},
    }


def review_next(*, project: Project, after: Item) -> int | None:
    """The next item awaiting review after ``after`` (wrapping round), or None."""
    waiting = Item.objects.filter(project=project, status=Item.Status.ANNOTATED).exclude(pk=after.pk).order_by("id")
    following = waiting.filter(pk__gt=after.pk).values_list("pk", flat=True).first()
    return following or waiting.values_list("pk", flat=True).first()


# --- pages ------------------------------------------------------------------------

@method_decorator(never_cache, name="dispatch")
class ReviewMixin(ProjectPageMixin):
    roles = (Role.REVIEWER, Role.MANAGER)


class ReviewListPage(ReviewMixin, TemplateView):
    template_name = "pages/review_list.html"
    page_title = "Review"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        shown = self.request.GET.get("disagreement", "")
        order = self.request.GET.get("order", "")
        order = order if order in REVIEW_ORDERS else "oldest"
        items = review_queue(project=self.project, disagreement=DISAGREEMENT_FILTERS.get(shown), order=order)
        page = _keyset_page(items, self.request.GET.get("cursor"))
        context.update(page=page, rows=review_rows(page.rows), order=order, waiting=review_waiting(project=self.project),
                       disagreement=shown if shown in DISAGREEMENT_FILTERS else "")
        return context


def _keyset_page(items: QuerySet[Item], cursor: str | None) -> KeysetPage:
    """The page at ``cursor``; a cursor not made for this list (another order) starts over."""
    try:
        return keyset_page(items, cursor=cursor, size=REVIEW_PAGE_SIZE)
    except InvalidCursor:
        return keyset_page(items, cursor=None, size=REVIEW_PAGE_SIZE)


class ReviewItemPage(ReviewMixin, TemplateView):
    template_name = "pages/review_item.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        item = get_object_or_404(Item.objects.select_related("article__source", "project"), pk=kwargs["item_pk"],
                                 project=self.project)
        next_item = review_next(project=self.project, after=item)
        payload = review_payload(item=item)
        payload["next"] = (reverse("pages:review-item", args=[self.project.pk, next_item]) if next_item
                           else reverse("pages:review-list", args=[self.project.pk]))
        context.update(item=item, article=item.article, title=item.article.title, payload=payload)
        return context


urlpatterns = [
    path("projects/<int:project_pk>/review/", ReviewListPage.as_view(), name="review-list"),
    path("projects/<int:project_pk>/review/<int:item_pk>/", ReviewItemPage.as_view(), name="review-item"),
]
