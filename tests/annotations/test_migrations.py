"""Migrations that rewrite rows: what existed before them comes out as the new schema expects."""

import pytest

from annotations.models import GoldSplit
from tests.migrations import latest_schema_afterwards, migrate  # noqa: F401  (a fixture)

BEFORE = [("annotations", "0005_item_agreement_backfill"), ("ingest", "0004_article_text_lz4")]
AFTER = [("annotations", "0006_provenance_gold_history"), ("ingest", "0005_article_tokens")]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest_schema_afterwards")
def test_gold_gets_versions_origins_and_a_split_and_outcomes_keep_their_sentiment():
    old = migrate(BEFORE)
    User = old.get_model("auth", "User")
    Article, Project, Item = (old.get_model("ingest", "Article"), old.get_model("annotations", "Project"),
                              old.get_model("annotations", "Item"))
    Gold, GoldSpan = old.get_model("annotations", "Gold"), old.get_model("annotations", "GoldSpan")
    Annotation, Prediction = old.get_model("annotations", "Annotation"), old.get_model("annotations", "Prediction")
    Outcome = old.get_model("annotations", "SuggestionOutcome")
    user = User.objects.create(username="rev")
    project = Project.objects.create(name="Desk")
    items = [Item.objects.create(project=project, article=Article.objects.create(
        title=f"A{n}", body="Mara Voss spoke.", raw_text="Mara Voss spoke.", content_hash=f"{n:064x}", minhash=b""))
        for n in range(3)]
    first, second, unlabelled = items
    old_gold = Gold.objects.create(item=first, status="superseded", reviewer=user)
    new_gold = Gold.objects.create(item=first, status="accepted", reviewer=user)
    imported = Gold.objects.create(item=second, status="accepted", origin="import")
    GoldSpan.objects.create(gold=imported, start=0, end=9, label="PERSON", text="Mara Voss", sentiment="positive")
    annotation = Annotation.objects.create(item=first, annotator=user, version=1)
    prediction = Prediction.objects.create(item=first, predictor="vader-sentiment", version="1")
    Outcome.objects.create(prediction=prediction, annotation=annotation, sentiment_accepted=True)

    new = migrate(AFTER)

    Gold, GoldSpan, Item = new.get_model("annotations", "Gold"), new.get_model("annotations", "GoldSpan"), \
        new.get_model("annotations", "Item")
    assert Gold.objects.get(pk=old_gold.pk).version == 1 and Gold.objects.get(pk=new_gold.pk).version == 2
    assert Gold.objects.get(pk=imported.pk).version == 1
    span = GoldSpan.objects.get(gold=imported.pk)
    assert (span.origin, span.sentiment_origin) == ("imported", "imported")
    assert new.get_model("annotations", "SuggestionOutcome").objects.get().sentiment_outcome == "accepted"
    splits = dict(Item.objects.values_list("pk", "gold_split"))
    assert splits == {first.pk: GoldSplit.for_item(first.pk), second.pk: GoldSplit.for_item(second.pk),
                      unlabelled.pk: ""}


def test_the_split_holds_out_one_item_in_five_spread_over_consecutive_ids():
    sides = [GoldSplit.for_item(pk) for pk in range(1, 1001)]
    assert 190 <= sides.count(GoldSplit.HELD_OUT) <= 210
    assert all(GoldSplit.HELD_OUT in sides[start:start + 20] for start in range(0, 1000, 20))
    assert [GoldSplit.for_item(pk) for pk in range(1, 1001)] == sides
