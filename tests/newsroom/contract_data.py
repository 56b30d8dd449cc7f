"""A project with work in every state, for the API contract test: generated requests meet real
objects (small ids, since the test resets sequences) as well as missing ones."""

from datetime import UTC, datetime

from rest_framework.authtoken.models import Token

from annotations.datasets.exports import ExportFilters
from annotations.datasets.releases import release_create
from annotations.gold import gold_accept, gold_reopen, item_send_back
from annotations.models import Prediction, PreannotationRun
from annotations.queue import assignment_claim_next
from ingest.uploads import import_upload
from tests import factories

BODY = "Mayor Ana Reyes of Portvale met the Harbour Board on Monday. Residents cheered the new ferry."
PREDICTION = {"spans": [{"start": 6, "end": 15, "label": "PERSON", "score": 0.9}],
              "sentiment": {"label": "positive", "score": 0.7}}


def contract_data() -> dict[str, str]:
    """Create the objects and return the API tokens: {"manager": ..., "annotator": ...}."""
    manager = factories.UserFactory(username="manager", is_staff=True)
    annotator = factories.UserFactory(username="annotator")
    project = factories.ProjectFactory(name="Contract", overlap=2, entity_sentiment=True, blind=False)
    project.memberships.create(user=manager, role="manager")
    project.memberships.create(user=annotator, role="annotator")
    second = factories.member(project, "annotator", username="annotator2")
    reviewer = factories.member(project, "reviewer", username="reviewer")
    items = [factories.ItemFactory(project=project, article=factories.ArticleFactory(
        body=BODY, published_at=datetime(2026, 3, day, 9, 30, tzinfo=UTC))) for day in (1, 2, 3)]
    # An article without an outlet or a date: the nullable fields are null somewhere.
    items.append(factories.ItemFactory(project=project, article=factories.ArticleFactory(source=None)))
    _labelled(items, annotator, second, reviewer)
    Prediction.objects.create(item=items[2], predictor="spacy-ner", version="1", labels=PREDICTION)
    PreannotationRun.objects.create(project=project, predictor="spacy-ner", version="1", trigger="manual",
                                    item_count=4, done_count=1)
    assignment_claim_next(project=project, annotator=annotator)  # the annotator has work in hand
    _imports(manager)
    release_create(project=project, user=manager, export_format="jsonl", filters=ExportFilters())
    return {"manager": Token.objects.create(user=manager).key, "annotator": Token.objects.create(user=annotator).key}


def _labelled(items, annotator, second, reviewer) -> None:
    """Two items labelled by both annotators: one with accepted gold, one with gold reopened;
    a third sent back with a note."""
    for item in items[:3]:
        for person, sentiment in ((annotator, "positive"), (second, "neutral")):
            factories.label(item, person, sentiment=sentiment, spans=[("Ana Reyes", "PERSON")],
                            topics=[item.project.topics.get(name="Economy").pk])
    gold_accept(item=items[0], reviewer=reviewer, annotation=items[0].annotations.first(), note="Clear.")
    gold_accept(item=items[1], reviewer=reviewer, sentiment="positive", note="Composed.")
    gold_reopen(item=items[1], reviewer=reviewer, reason="The sentiment is disputed.")
    item_send_back(item=items[2], reviewer=reviewer, note="Mark the harbour board too.")


def _imports(manager) -> None:
    """A batch with a created article, a duplicate and a failure; one by a deleted account."""
    import_upload(user=manager, records=[{"text": "Tomas Lind chaired the Harbour Board meeting on Tuesday.",
                                          "title": "Board meets", "source": "Northwind Wire"},
                                         {"text": "Tomas Lind chaired the Harbour Board meeting on Tuesday."},
                                         {"title": "No text at all"}])
    gone = factories.UserFactory(username="departed", is_staff=True)
    import_upload(user=gone, records=[{"text": "Councillor Idris Mwangi opened the Eastland ferry line."}])
    gone.delete()
