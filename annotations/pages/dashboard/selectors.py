"""Numbers for the dashboard: progress, throughput, agreement and predictor quality.

Reads only, each a handful of aggregate queries (never a query per row). Plain dicts and
lists come out; ``views`` turns them into charts and tables.
"""

from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Avg, Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from ...agreement import ALL_LABELS
from ...agreement.reports import project_agreement_stored
from ...models import Annotation, Assignment, Gold, Item, Membership, Project, ProjectItemCounts
from ...projects import project_topic_paths

Role = Membership.Role

# How the agreement report's pooled row of every entity type is shown.
ALL_TYPES = "All types"
# Days of throughput shown: a month shows the weekly rhythm and recent trend at a glance.
THROUGHPUT_DAYS = 30


def projects_overseen(*, user) -> QuerySet[Project]:
    """Projects the user reviews or manages (staff: every project)."""
    if user.is_staff:
        return Project.objects.all()
    roles = Membership.objects.filter(user=user, role__in=[Role.REVIEWER, Role.MANAGER])
    return Project.objects.filter(pk__in=roles.values("project"))


def projects_progress(*, projects: QuerySet[Project]) -> list[dict]:
    """Items per status for each project, and the share of items that are gold (one query of the
    projects' item counts, kept in step with the items: nothing counts items here)."""
    rows = []
    for project in projects.select_related("item_counts").order_by("name"):
        counts = getattr(project, "item_counts", None) or ProjectItemCounts(project=project)
        rows.append({"project": project.pk, "name": project.name, "items": counts.total,
                     **{status: getattr(counts, status) for status in Item.Status.values},
                     "gold_share": counts.gold / counts.total if counts.total else 0.0})
    return rows


def annotator_progress(*, project: Project) -> list[dict]:
    """Per annotator: assignments by status and mean lead time of first submits, in seconds.

    Annotator members without any assignment are listed too, with zeros: idle people are
    what a manager looks for here.
    """
    statuses = {status: Count("id", filter=Q(status=status)) for status in Assignment.Status.values}
    # Through the assignments' own project (indexed), never a join with every item of the project.
    counts = {row["annotator"]: row for row in Assignment.objects.filter(project=project)
              .values("annotator").annotate(**statuses).order_by()}
    lead = dict(Annotation.objects.filter(assignment__project=project, version=1).values("annotator")
                .annotate(mean=Avg("lead_time_ms")).values_list("annotator", "mean").order_by())
    members = Membership.objects.filter(project=project, role=Role.ANNOTATOR).values_list("user", flat=True)
    names = _usernames(set(counts) | set(members))
    zeros = dict.fromkeys(Assignment.Status.values, 0)
    rows = []
    for user_id, name in sorted(names.items(), key=lambda pair: pair[1]):
        row = counts.get(user_id, zeros)
        mean_ms = lead.get(user_id)
        rows.append({"annotator": name, **{status: row[status] for status in Assignment.Status.values},
                     "mean_lead_seconds": None if mean_ms is None else mean_ms / 1000})
    return rows


def throughput(*, project: Project, days: int = THROUGHPUT_DAYS, today: date | None = None) -> list[dict]:
    """Submits (every saved annotation version) and new gold per day over the last ``days``
    days, oldest first, days without any as zeros. Days are in the project's time zone
    setting (TIME_ZONE)."""
    today = today or timezone.localdate()
    first = today - timedelta(days=days - 1)
    submits = _per_day(Annotation.objects.filter(item__project=project), first)
    gold = _per_day(Gold.objects.filter(item__project=project), first)
    return [{"day": day, "submits": submits.get(day, 0), "gold": gold.get(day, 0)}
            for day in (first + timedelta(days=offset) for offset in range(days))]


def _per_day(rows: QuerySet, first: date) -> dict[date, int]:
    # A range on created_at itself (indexed), not on its date: only the days shown are read.
    since = timezone.make_aware(datetime.combine(first, time.min))
    return dict(rows.filter(created_at__gte=since).annotate(day=TruncDate("created_at"))
                .values("day").annotate(count=Count("id")).values_list("day", "count").order_by())


def agreement_summary(*, project: Project) -> dict:
    """The project's stored agreement report with names instead of ids: ``labels`` (Krippendorff's
    alpha of sentiment, of entity sentiment over spans marked alike, and of each topic), ``entities``
    (span F1 per entity type and of all types pooled, exact and overlapping) and ``annotators``
    (agreement with the others and with gold); ``computed_at`` (None: the first report is being
    computed, and was asked for), ``pending`` (labels changed since: a newer one is on its way)."""
    report = project_agreement_stored(project=project)
    topics = project_topic_paths(project)
    labels = [{"label": "Sentiment", "alpha": report["sentiment_alpha"]},
              {"label": "Entity sentiment", "alpha": report["entity_sentiment_alpha"]}]
    labels += [{"label": f"Topic: {topics.get(int(topic), topic)}", "alpha": alpha}
               for topic, alpha in report["topic_alpha"].items()]
    entities = [{"label": label, "name": ALL_TYPES if label == ALL_LABELS else label, "exact": f1["exact"],
                 "overlap": f1["overlap"]} for label, f1 in report["span_f1"].items()]
    names = _usernames({int(annotator) for annotator in report["per_annotator"]})
    annotators = [_annotator_agreement(names.get(int(annotator), annotator), summary)
                  for annotator, summary in report["per_annotator"].items()]
    return {"items": report["items"], "labels": labels, "entities": entities,
            "annotators": sorted(annotators, key=lambda row: row["annotator"]),
            "computed_at": report["computed_at"], "pending": report["pending"], "stale_since": report["stale_since"]}


def _annotator_agreement(name: str, summary: dict) -> dict:
    gold = summary["gold"] or {}
    accepted = summary.get("accepted_suggestions") or {}
    return {"annotator": name, "items": summary["items"], "sentiment_kappa": summary["sentiment_kappa_mean"],
            "accepted_spans": accepted.get("spans"), "accepted_document_labels": accepted.get("document_labels"),
            "span_f1_exact": summary["span_f1_exact"], "span_f1_overlap": summary["span_f1_overlap"],
            "gold_items": gold.get("items", 0), "gold_sentiment_accuracy": gold.get("sentiment_accuracy"),
            "gold_span_f1": gold.get("span_f1_exact"), "gold_topic_f1": gold.get("topic_f1")}


def predictor_quality(*, project: Project) -> list[dict]:
    """Precision, recall and acceptance of each predictor version against held-out gold it never
    saw and reviews, with the number of items behind each figure: as stored with the agreement
    report (``predictor_quality_report`` reads every held-out gold item and its suggestions, too
    much for each view of the page at a million items), so as of its ``computed_at``."""
    return project_agreement_stored(project=project)["predictors"]


def _usernames(user_ids: set[int]) -> dict[int, str]:
    users = get_user_model().objects.filter(pk__in=user_ids)
    return {pk: name for pk, name in users.values_list("pk", get_user_model().USERNAME_FIELD)}
