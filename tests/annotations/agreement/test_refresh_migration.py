"""Migration 0007 recomputes the agreement stored before entity sentiment counted, on the
historical models it runs with."""

import pytest

from tests.migrations import latest_schema_afterwards, migrate  # noqa: F401  (a fixture)

BEFORE = [("annotations", "0006_provenance_gold_history")]
AFTER = [("annotations", "0007_review_item_agreement_entity_sentiment")]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest_schema_afterwards")
def test_opposite_entity_sentiment_stored_as_unanimous_is_refreshed():
    old = migrate(BEFORE)
    User, Article = old.get_model("auth", "User"), old.get_model("ingest", "Article")
    Project, Item = old.get_model("annotations", "Project"), old.get_model("annotations", "Item")
    Annotation, Span = old.get_model("annotations", "Annotation"), old.get_model("annotations", "AnnotationSpan")
    project = Project.objects.create(name="Desk", entity_sentiment=True)
    disputed, single = (Item.objects.create(project=project, agreement=1.0, article=Article.objects.create(
        title=f"A{n}", body="Mara Voss spoke.", raw_text="Mara Voss spoke.", content_hash=f"{n:064x}", minhash=b""))
        for n in range(2))
    for name, toward in (("cara", "positive"), ("dan", "negative")):
        annotator = User.objects.create(username=name)
        for version, sentiment in ((1, "neutral"), (2, toward)):  # only the newest version counts
            annotation = Annotation.objects.create(item=disputed, annotator=annotator, version=version,
                                                   sentiment="neutral")
            Span.objects.create(annotation=annotation, start=0, end=9, label="PERSON", text="Mara Voss",
                                sentiment=sentiment)
    Annotation.objects.create(item=single, annotator=annotator, version=1, sentiment="neutral")

    migrate(AFTER)

    # Sentiment 1, spans 1, entity sentiment 0 (positive against negative): 2/3.
    assert Item.objects.get(pk=disputed.pk).agreement == pytest.approx(2 / 3)
    assert Item.objects.get(pk=single.pk).agreement is None, "one annotator: nothing to agree on"
