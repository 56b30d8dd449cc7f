"""Labels made elsewhere become gold: verbatim articles, name mapping, bad documents, re-imports."""

import json
from pathlib import Path

import pytest

from annotations.datasets.label_imports import MAX_REPORTED_ERRORS, labels_import
from annotations.models import Gold, Item
from ingest.cleaning.normalize import content_hash
from ingest.models import Article, StoryBandKey
from ingest.verbatim import VERBATIM_FORMAT, BodyConflict, article_store_verbatim
from newsroom.errors import DomainError
from tests.factories import ArticleFactory, ProjectFactory, UserFactory
from tests.ingest.stories import REWRITE, SAME_EVENT, WIRE

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "export_fixtures"
# Spacing cleaning would change: leading blanks, a double space, a tab, a no-break space, trailing lines.
SPACED = "  Lowmere\u00a0floods  again.\n\n\tMayor Zoë Brandt 🚀 visits.  \n\n"


def project_with(labels=("PER", "ORG", "LOC"), topics=("Weather", "Sport"), **fields):
    """A project whose schema is exactly these entity types and root topics ("A/B" makes B a child of A)."""
    project = ProjectFactory(schema=False, **fields)
    for label in labels:
        project.entity_types.create(name=label)
    for path in topics:
        parent = None
        for name in path.split("/"):
            parent = project.topics.get_or_create(name=name, parent=parent)[0]
    return project


def run(project, data, fmt, **options):
    return labels_import(project=project, data=data, fmt=fmt, user=options.pop("user", None), **options)


def jsonl(*records) -> bytes:
    return "\n".join(json.dumps(record, ensure_ascii=False) for record in records).encode()


def gold_of(project, text):
    return Gold.objects.get(item__project=project, item__article__body=text, status=Gold.Status.ACCEPTED)


def spans_of(gold):
    return [(s.start, s.end, s.label, s.text, s.sentiment) for s in gold.spans.order_by("start")]


def topic_paths(gold):
    names = []
    for topic in gold.item.project.topics.filter(pk__in=gold.topics):
        names.append(f"{topic.parent.name}/{topic.name}" if topic.parent else topic.name)
    return sorted(names)


# --- article_store_verbatim -----------------------------------------------------------

def test_verbatim_article_keeps_the_text_exactly_with_fingerprint_keys_and_source():
    article, created = article_store_verbatim(text=SPACED, source_name="Harbor Ledger", language="en")

    article.refresh_from_db()
    assert created
    assert article.body == SPACED and article.raw_text == SPACED
    assert article.content_hash == content_hash(SPACED)
    assert article.format == VERBATIM_FORMAT
    assert article.title == "Lowmere floods again."  # from the first line, as no title was given
    assert (article.source.name, article.language) == ("Harbor Ledger", "en")
    assert article.shingle_count > 0 and len(bytes(article.minhash)) > 0
    assert StoryBandKey.objects.filter(article=article).count() == 64


def test_same_text_again_is_the_stored_article():
    first, _ = article_store_verbatim(text=SPACED, title="Floods")

    again, created = article_store_verbatim(text=SPACED, title="Another title")

    assert (again.pk, created) == (first.pk, False)
    assert Article.objects.count() == 1 and again.title == "Floods"


def test_an_ingested_article_with_this_exact_body_is_reused():
    ingested = ArticleFactory(body=SPACED, content_hash=content_hash(SPACED))

    article, created = article_store_verbatim(text=SPACED)

    assert (article.pk, created) == (ingested.pk, False)


def test_same_words_with_other_spacing_is_a_conflict_naming_the_article():
    stored, _ = article_store_verbatim(text=SPACED)

    with pytest.raises(BodyConflict, match=f"Article #{stored.pk} has the same words but a different body"):
        article_store_verbatim(text=" ".join(SPACED.split()))
    assert Article.objects.count() == 1


def test_text_without_words_is_refused():
    with pytest.raises(DomainError, match="no words"):
        article_store_verbatim(text=" 🚀 \n")


def test_verbatim_articles_join_the_story_cluster_of_a_rewrite():
    wire, _ = article_store_verbatim(text="\n\n".join(WIRE))
    other, _ = article_store_verbatim(text="\n\n".join(SAME_EVENT))

    rewrite, _ = article_store_verbatim(text="\n\n".join(REWRITE))

    wire.refresh_from_db()
    other.refresh_from_db()
    assert wire.story_cluster_id is not None and rewrite.story_cluster_id == wire.story_cluster_id
    assert other.story_cluster_id is None


# --- labels_import ----------------------------------------------------------------------

def test_doccano_file_becomes_gold_and_bad_lines_are_reported():
    project = project_with()
    data = (FIXTURES / "doccano.jsonl").read_bytes()

    result = run(project, data, "doccano", origin="doccano.jsonl")

    assert (result.created, result.updated, result.unchanged, result.failed) == (3, 0, 0, 2)
    assert [e.origin for e in result.errors] == ["doccano.jsonl:3", "doccano.jsonl:4"]
    fog_text = "Fog delayed 🛳️ the Brackwater ferry again, said skipper Aran Molloy."
    fog = gold_of(project, fog_text)
    assert (fog.sentiment, topic_paths(fog), fog.origin) == ("negative", ["Weather"], Gold.Origin.IMPORT)
    assert spans_of(fog) == [(19, 29, "LOC", "Brackwater", ""), (56, 67, "PER", "Aran Molloy", "")]
    gulls = gold_of(project, "The Gulls lost 3-1 at home.")
    assert (gulls.sentiment, topic_paths(gulls)) == ("negative", ["Sport"])  # "Negative" onto the scale


def test_reimporting_the_same_file_changes_nothing():
    project = project_with()
    data = (FIXTURES / "doccano.jsonl").read_bytes()
    run(project, data, "doccano")
    counts = (Article.objects.count(), Item.objects.count(), Gold.objects.count())

    result = run(project, data, "doccano")

    assert (result.created, result.updated, result.unchanged, result.failed) == (0, 0, 3, 2)
    assert (Article.objects.count(), Item.objects.count(), Gold.objects.count()) == counts


def test_label_studio_unknown_label_is_reported_with_the_known_ones_and_the_rest_imported():
    project = project_with(topics=("Transport", "Local/Harbour"), entity_sentiment=True)
    data = (FIXTURES / "label_studio.json").read_bytes()

    result = run(project, data, "label-studio", origin="label_studio.json")

    # Task 4 has only a cancelled annotation: its text is an item without gold.
    assert (result.created, result.failed, result.unlabelled, result.skipped) == (3, 2, 1, 0)
    vessel, bakery = result.errors
    assert vessel.origin == "label_studio.json:1"
    assert "label 'VESSEL' is not one of the project's entity types: LOC, ORG, PER" in vessel.message
    assert bakery.origin == "label_studio.json:2" and "'Brackwater Bakery'" in bakery.message
    ferry_text = "Harbour pilot Edda Lindqvist 🚢 guided the ferry Saga into Lowmere at dawn."
    assert gold_of(project, ferry_text).sentiment == "neutral"  # the second annotation, the first being broken
    council = gold_of(project, "أعلن مجلس لوميري عن خطة جديدة للميناء.")
    assert spans_of(council) == [(10, 16, "LOC", "لوميري", "")]


def test_label_studio_entity_sentiment_taxonomy_and_one_gold_per_text():
    project = project_with(labels=("PER", "LOC", "VESSEL"), topics=("Transport", "Local/Harbour"),
                           entity_sentiment=True)
    data = (FIXTURES / "label_studio.json").read_bytes()

    result = run(project, data, "label-studio", origin="ls.json")

    ferry = gold_of(project, "Harbour pilot Edda Lindqvist 🚢 guided the ferry Saga into Lowmere at dawn.")
    assert (ferry.sentiment, topic_paths(ferry)) == ("positive", ["Local/Harbour", "Transport"])
    assert spans_of(ferry) == [(14, 28, "PER", "Edda Lindqvist", "positive"), (48, 52, "VESSEL", "Saga", ""),
                               (58, 65, "LOC", "Lowmere", "")]
    second = next(e for e in result.errors if e.origin == "ls.json:1")
    assert second.message.startswith("The same text as ls.json:1, with other labels")
    assert Gold.objects.filter(item=ferry.item).count() == 1
    gold_rows = Gold.objects.count()
    again = run(project, data, "label-studio", origin="ls.json")
    assert (again.created, again.updated, again.unchanged, Gold.objects.count()) == (0, 0, 3, gold_rows)


def test_annotator_labels_are_not_made_gold():
    project = project_with(labels=("PER", "LOC", "VESSEL"), topics=("Transport", "Local/Harbour"))

    result = run(project, (FIXTURES / "label_studio.json").read_bytes(), "label-studio", annotator_labels=True)

    assert (result.created, result.skipped, result.unlabelled) == (0, 4, 1)  # task 4: only a cancelled annotation
    assert not Gold.objects.exists()
    assert list(Item.objects.values_list("article__body", flat=True)) == ["Storm warnings closed the Lowmere ferry terminal on Friday."]


def test_newsroom_gold_is_imported_and_its_annotators_labels_skipped():
    project = project_with()
    text = "Ilse Varga 🏉 scored twice."
    gold = {"sentiment": "positive", "topics": ["Sport"], "spans": [{"start": 0, "end": 10, "label": "PER",
                                                                       "text": "Ilse Varga"}]}
    line = {"text": text, "gold": gold, "annotations": [{"annotator": "ana", "labels": {"sentiment": "neutral"}}]}

    result = run(project, jsonl(line), "newsroom")

    assert (result.created, result.skipped) == (1, 1)
    assert gold_of(project, text).sentiment == "positive"


def test_different_labels_for_stored_gold_supersede_it():
    project = project_with()
    reviewer = UserFactory()
    line = {"text": "Lowmere 🌊 floods.", "gold": {"sentiment": "negative", "topics": ["Weather"]}}
    run(project, jsonl(line), "newsroom")
    line["gold"]["spans"] = [{"start": 0, "end": 7, "label": "LOC", "text": "Lowmere"}]

    result = run(project, jsonl(line), "newsroom", user=reviewer)

    assert (result.created, result.updated) == (0, 1)
    gold = gold_of(project, line["text"])
    assert (spans_of(gold), gold.reviewer) == ([(0, 7, "LOC", "Lowmere", "")], reviewer)
    assert Gold.objects.filter(status=Gold.Status.SUPERSEDED).count() == 1


def test_unknown_topic_and_sentiment_are_reported_and_store_nothing():
    project = project_with(topics=("Politics/Elections",))
    text = "Mayor Zoë Brandt won again."
    line = {"text": text, "gold": {"sentiment": "furious", "topics": ["Sport"]}}

    result = run(project, jsonl(line), "newsroom", origin="old.jsonl")

    (error,) = result.errors
    assert error.origin == "old.jsonl:1"
    assert "sentiment 'furious' is not on the project's scale: negative, neutral, positive" in error.message
    assert "topic 'Sport' is not in the project's taxonomy: Elections, Politics, Politics/Elections" in error.message
    assert not Article.objects.filter(body=text).exists()


def test_topics_by_path_or_unique_leaf_name_and_labels_case_insensitively():
    project = project_with(topics=("Politics/Elections", "Economy"))
    text = "Mayor Zoë Brandt won again."
    spans = [{"start": 6, "end": 16, "label": "per", "text": "Zoë Brandt"}]
    lines = [{"text": text, "gold": {"topics": ["Politics / Elections", "economy"], "spans": spans}},
             {"text": "Ports reopen.", "gold": {"topics": ["Elections"]}}]

    result = run(project, jsonl(*lines), "newsroom")

    assert result.created == 2, result.errors
    assert topic_paths(gold_of(project, text)) == ["Economy", "Politics/Elections"]
    assert spans_of(gold_of(project, text)) == [(6, 16, "PER", "Zoë Brandt", "")]
    assert topic_paths(gold_of(project, "Ports reopen.")) == ["Politics/Elections"]


def test_text_stored_with_other_spacing_is_reported_and_the_rest_imported():
    project = project_with()
    article_store_verbatim(text="Lowmere floods  again.")
    lines = [{"text": "Lowmere floods again.", "gold": {"sentiment": "negative"}},
             {"text": SPACED, "gold": {"sentiment": "negative"}}]

    result = run(project, jsonl(*lines), "newsroom", origin="f.jsonl")

    (error,) = result.errors
    assert error.origin == "f.jsonl:1" and "different body" in error.message
    assert result.created == 1
    assert Article.objects.get(items__project=project).body == SPACED


def test_errors_kept_are_capped_but_counted(monkeypatch):
    monkeypatch.setattr("annotations.datasets.label_imports.MAX_REPORTED_ERRORS", 2)
    data = b"not json\n" * 5

    result = run(project_with(), data, "newsroom")

    assert (result.failed, len(result.errors)) == (5, 2)
    assert MAX_REPORTED_ERRORS >= 100


def test_unknown_format_or_choice_fields_are_refused():
    project = project_with()
    with pytest.raises(DomainError, match="unknown label format"):
        run(project, b"", "brat")
    with pytest.raises(DomainError, match="unknown field"):
        run(project, b"[]", "label-studio", choice_fields={"mood": "tone"})


# --- provenance and tokens --------------------------------------------------------------

def test_gold_from_other_tools_is_imported_in_every_label():
    project = project_with(entity_sentiment=True)
    text = "Aran Molloy praised the Sport club."
    line = {"text": text, "entities": [{"start_offset": 0, "end_offset": 11, "label": "PER"}],
            "cats": ["positive", "Sport"]}

    run(project, jsonl(line), "doccano")

    gold = gold_of(project, text)
    sport = project.topics.get(name="Sport").pk
    imported = {"origin": "imported", "predictor": None, "version": None}
    assert gold.provenance == {"sentiment": imported, "topics": {str(sport): imported}}
    assert [(s.origin, s.sentiment_origin, s.predictor) for s in gold.spans.all()] == [("imported", "", "")]


def test_our_jsonl_provenance_is_kept_on_the_imported_gold():
    project = project_with(entity_sentiment=True)
    text = "Aran Molloy praised the Sport club."
    gold = {"sentiment": "positive", "topics": ["Sport"], "provenance": {
        "sentiment": {"origin": "accepted", "predictor": "vader", "version": "3.3.2"},
        "topics": [{"topic": "Sport", "origin": "changed", "predictor": "topic-model", "version": "4"}]},
        "spans": [{"start": 0, "end": 11, "label": "PER", "text": "Aran Molloy", "sentiment": "positive",
                   "origin": "accepted", "sentiment_origin": "person", "predictor": "spacy-ner",
                   "predictor_version": "3.8"}]}

    run(project, jsonl({"text": text, "gold": gold}), "newsroom")

    stored = gold_of(project, text)
    sport = project.topics.get(name="Sport").pk
    assert stored.provenance == {"sentiment": {"origin": "accepted", "predictor": "vader", "version": "3.3.2"},
                                 "topics": {str(sport): {"origin": "changed", "predictor": "topic-model",
                                                         "version": "4"}}}
    assert [(s.origin, s.sentiment_origin, s.predictor, s.predictor_version) for s in stored.spans.all()] == [
        ("accepted", "person", "spacy-ner", "3.8")]


def test_conll_tokens_are_stored_with_the_article_and_added_to_one_stored_without():
    project = project_with()
    stored, _ = article_store_verbatim(text="Tolvik wins\nOla scores")
    data = b"-DOCSTART- -X- O O\n\nTolvik B-LOC\nwins O\n\nOla B-PER\nscores O\n"

    result = run(project, data, "conll")

    stored.refresh_from_db()
    assert result.created == 1 and stored.tokens == [[[0, 6], [7, 11]], [[12, 15], [16, 22]]]
    assert spans_of(gold_of(project, stored.body)) == [(0, 6, "LOC", "Tolvik", ""), (12, 15, "PER", "Ola", "")]


def test_tokens_that_do_not_fit_the_text_are_refused():
    with pytest.raises(DomainError, match="does not fit the text"):
        article_store_verbatim(text="Tolvik wins", tokens=[[[0, 6], [5, 11]]])
    with pytest.raises(DomainError, match="does not fit the text"):
        article_store_verbatim(text="Tolvik wins", tokens=[[[0, 11]]])  # a token holding a space
