"""The project over the corpus and the labels a working newsroom would have on it, written in
bulk (not through the per-item services): people with tokens and a signed-in session, accepted
gold on a fixed number of items with two annotators' submitted labels behind each, and a
predictor's suggestions on those items. Nothing is pre-annotated over the whole corpus."""

import random
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import timezone
from rest_framework.authtoken.models import Token

from annotations.models import (Annotation, AnnotationSpan, Assignment, Gold, GoldSpan, GoldSplit, Item,
                                Membership, Prediction, Project)
from benchmarks import labeling_data

from .processes import RUN_SECRET_KEY

# Gold items at every checkpoint (fewer in a corpus smaller than 4x this), so that exports at
# each size write the same documents and their speed per document compares.
GOLD_ITEMS = 5000
ANNOTATORS = 50
GOLD_ANNOTATORS = 2  # submitted labels behind each gold item, for agreement and the dashboard
SEED_BATCH = 1000
PREDICTOR, PREDICTOR_VERSION = "spacy-ner", "scale-bench"


def project_create() -> Project:
    """The project every imported article becomes an item of (intake: all)."""
    project = labeling_data.project_create(name="Scale benchmark", overlap=2)
    assert project.intake == Project.Intake.ALL
    return project


def people_create(project: Project) -> dict:
    """Annotators with tokens, and a staff manager with a token and a signed-in session."""
    annotators = labeling_data.members_create(project=project, count=ANNOTATORS, prefix="scale-annotator")
    manager = get_user_model().objects.create_superuser(username="scale-manager", password=None)
    for role in (Membership.Role.MANAGER, Membership.Role.REVIEWER):
        Membership.objects.create(project=project, user=manager, role=role)
    token = Token.objects.create(user=manager)
    return {"annotators": annotators, "manager": manager, "manager_token": token.key,
            "session_cookie": f"{settings.SESSION_COOKIE_NAME}={_session(manager)}"}


def _session(user) -> str:
    """A signed-in session of ``user``, signed with the servers' secret key."""
    with override_settings(SECRET_KEY=RUN_SECRET_KEY):
        return _session_create(user)


def _session_create(user) -> str:
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def gold_target(size: int) -> int:
    return min(GOLD_ITEMS, size // 4)


def labels_seed(*, project: Project, people: dict, size: int, rng: random.Random) -> dict:
    """Top the project's gold up to gold_target(size): open items taken in id order get accepted
    gold, two annotators' submitted labels (the gold's, one sentiment changed) and a prediction."""
    have = Gold.objects.filter(item__project=project).count()
    wanted = gold_target(size) - have
    topic_ids = list(project.topics.values_list("id", flat=True))
    annotator_ids = [user_id for user_id, _ in people["annotators"][:GOLD_ANNOTATORS]]
    done = 0
    while done < wanted:
        items = list(Item.objects.filter(project=project, status=Item.Status.OPEN, assigned_count=0)
                     .select_related("article").order_by("id")[:min(SEED_BATCH, wanted - done)])
        if not items:
            break
        with transaction.atomic():
            _gold_and_labels(items, topic_ids, project.sentiment_scale, people["manager"].pk, annotator_ids, rng)
        done += len(items)
    return {"gold_items": have + done, "annotations": Annotation.objects.filter(item__project=project).count(),
            "predictions": Prediction.objects.filter(item__project=project).count()}


def _gold_and_labels(items, topic_ids, scale, reviewer_id, annotator_ids, rng) -> None:
    now = timezone.now()
    rows, assignments, annotations, spans, predictions = [], [], [], [], []
    for item in items:
        labels = labeling_data.gold_labels(item.article.body, rng, topic_ids, scale)
        rows.append(labeling_data.gold_rows(item, labels, reviewer_id))
        sentiment, topics, gold_spans = labels
        for annotator_id in annotator_ids:
            assignment = Assignment(item=item, project_id=item.project_id, annotator_id=annotator_id,
                                    status=Assignment.Status.SUBMITTED, leased_until=now, submitted_at=now)
            annotation = Annotation(item=item, annotator_id=annotator_id, assignment=assignment, version=1,
                                    sentiment=rng.choice(scale) if rng.random() < 0.2 else sentiment,
                                    topics=topics, lead_time_ms=rng.randint(20_000, 240_000))
            assignments.append(assignment)
            annotations.append(annotation)
            spans += [AnnotationSpan(annotation=annotation, start=s.start, end=s.end, label=s.label, text=s.text)
                      for s in gold_spans]
        predictions.append(Prediction(item=item, predictor=PREDICTOR, version=PREDICTOR_VERSION,
                                      labels=_prediction_labels(gold_spans, sentiment, topics, rng)))
        item.status, item.assigned_count, item.submitted_count = Item.Status.GOLD, 2, 2
        item.agreement, item.gold_split = rng.uniform(0.4, 1.0), GoldSplit.for_item(item.pk)
    Item.objects.bulk_update(items, ["status", "assigned_count", "submitted_count", "agreement", "gold_split"])
    Assignment.objects.bulk_create(assignments)
    for annotation in annotations:
        annotation.assignment_id = annotation.assignment.pk
    Annotation.objects.bulk_create(annotations)
    AnnotationSpan.objects.bulk_create(spans, batch_size=labeling_data.BULK_BATCH)
    Gold.objects.bulk_create([gold for gold, _ in rows])
    GoldSpan.objects.bulk_create([span for _, gold_spans in rows for span in gold_spans],
                                 batch_size=labeling_data.BULK_BATCH)
    Prediction.objects.bulk_create(predictions)
    Assignment.objects.filter(pk__in=[a.pk for a in assignments]).update(created_at=now - timedelta(minutes=5))


def _prediction_labels(spans, sentiment: str, topics: list[int], rng: random.Random) -> dict:
    """A prediction's labels in the shape the predictors store (see predictors/mapping.py)."""
    return {"spans": [{"start": s.start, "end": s.end, "label": s.label, "text": s.text,
                       "score": round(rng.uniform(0.5, 1.0), 4)} for s in spans],
            "sentiment": {"label": sentiment, "polarity": 0.0, "score": round(rng.uniform(0.5, 1.0), 4)},
            "topics": [{"id": pk, "name": "", "score": round(rng.uniform(0.5, 1.0), 4)} for pk in topics]}


def statistics_state() -> dict:
    """How many times the big tables have been analysed (by ANALYZE or autovacuum), and whether
    autovacuum is on: compared before and after an import, it says whether the import itself
    left planner statistics."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('autovacuum')")
        autovacuum = cursor.fetchone()[0]
        cursor.execute("SELECT relname, analyze_count + autoanalyze_count FROM pg_stat_user_tables "
                       "WHERE relname IN ('ingest_article', 'annotations_item')")
        analysed = dict(cursor.fetchall())
    return {"autovacuum": autovacuum, "analyses": analysed}


def analyse() -> None:
    """Planner statistics for every table, as autovacuum keeps them in a deployment (it is off on
    this machine kind): the figures then show a settled system, and ``statistics_state`` says
    beforehand whether the import had left statistics of its own."""
    labeling_data.analyze()
