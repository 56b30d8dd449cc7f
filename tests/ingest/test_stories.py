"""Story clusters through the import service: within a chunk and across chunks, merges,
band keys that outlive their article, and band keys lost in a crash."""

import pytest
from django.db import connection
from django.db.models import Count

from ingest import services
from ingest.cleaning.dedupe import MERGE_MIN_EQUAL, fingerprint, story_agreement
from ingest.models import Article, StoryBandKey, StoryCluster
from ingest.readers import read_records
from ingest.stories import STORY_KEYS_COVERED, band_keys_lost, band_keys_rebuild
from tests.ingest.stories import REWRITE, SAME_EVENT, WIRE, text

pytestmark = pytest.mark.django_db


def paragraphs(first: int, count: int) -> list[str]:
    """``count`` paragraphs of made-up words that no other call shares."""
    return [" ".join(f"w{first + number}x{word}" for word in range(40)) + "." for number in range(count)]


def run(*stories):
    batch = services.import_batch_create()
    return services.import_batch_run(batch=batch, results=read_records(
        [{"title": story[0][:40], "text": text(story)} for story in stories]))


HARBOUR, ELECTION = paragraphs(0, 6), paragraphs(100, 6)
TWO_STORIES = [HARBOUR, HARBOUR[:3] + paragraphs(200, 3), ELECTION, ELECTION[:3] + paragraphs(300, 3)]
BRIDGE = HARBOUR[:3] + ELECTION[:3]


def test_an_article_bridging_two_stories_of_one_size_merges_them_into_the_older():
    run(*TWO_STORIES)
    older, younger = sorted(set(Article.objects.values_list("story_cluster_id", flat=True)))
    batch = run(BRIDGE)
    assert set(Article.objects.values_list("story_cluster_id", flat=True)) == {older}
    assert not StoryCluster.objects.filter(pk=younger).exists()
    assert batch.near_duplicate_count == 1


def test_an_article_bridging_two_stories_merges_the_smaller_into_the_bigger():
    run(HARBOUR, HARBOUR[:3] + paragraphs(200, 3))
    run(ELECTION, ELECTION[:3] + paragraphs(300, 3), ELECTION[:3] + paragraphs(400, 3))
    smaller, bigger = sorted(set(Article.objects.values_list("story_cluster_id", flat=True)))
    run(BRIDGE)
    assert set(Article.objects.values_list("story_cluster_id", flat=True)) == {bigger}
    assert not StoryCluster.objects.filter(pk=smaller).exists()


def test_an_article_bridging_two_stories_of_its_own_chunk_merges_them(settings):
    settings.INGEST_CHUNK_SIZE = 100
    batch = run(*TWO_STORIES, BRIDGE)
    clusters = set(Article.objects.values_list("story_cluster_id", flat=True))
    assert len(clusters) == 1 and None not in clusters
    assert set(StoryCluster.objects.values_list("id", flat=True)) == clusters
    assert batch.near_duplicate_count == 3


def test_an_article_close_to_one_story_and_weakly_matching_another_joins_the_closer_only():
    # It shares three paragraphs with the harbour story and two with the election story: enough
    # to confirm either pair, too little on the election side to say the two stories are one.
    weak_bridge = HARBOUR[:3] + ELECTION[:2] + paragraphs(500, 1)
    fingerprints = {name: fingerprint(text(story))
                    for name, story in {"harbour": HARBOUR, "election": ELECTION, "bridge": weak_bridge}.items()}
    with_harbour = story_agreement(fingerprints["bridge"], fingerprints["harbour"])
    with_election = story_agreement(fingerprints["bridge"], fingerprints["election"])
    assert 0 < with_election < MERGE_MIN_EQUAL <= with_harbour  # what the test is about
    run(*TWO_STORIES)
    harbour, _, election, _ = Article.objects.order_by("id").values_list("story_cluster_id", flat=True)
    batch = run(weak_bridge)
    assert Article.objects.get(body__contains="w500x0").story_cluster_id == harbour
    assert set(Article.objects.values_list("story_cluster_id", flat=True)) == {harbour, election}
    assert batch.near_duplicate_count == 1


def test_a_rewrite_joins_its_story_within_one_chunk_too(settings):
    settings.INGEST_CHUNK_SIZE = 100  # across chunks: test_import_service
    run(WIRE, SAME_EVENT, REWRITE)
    wire, other, rewrite = Article.objects.order_by("id")
    assert rewrite.story_cluster_id == wire.story_cluster_id is not None
    assert other.story_cluster_id is None


def keys_in_common(story, other) -> int:
    return len(set(fingerprint(text(story)).band_keys) & set(fingerprint(text(other)).band_keys))


def test_a_copy_whose_story_holds_a_quarter_of_its_keys_stores_none_and_later_copies_still_join():
    close_copy, rewrite, later = HARBOUR[:5] + paragraphs(500, 1), HARBOUR[:3] + paragraphs(200, 3), HARBOUR[1:5]
    assert keys_in_common(close_copy, HARBOUR) >= STORY_KEYS_COVERED > keys_in_common(rewrite, HARBOUR) > 0
    run(HARBOUR)
    run(close_copy, rewrite)
    original, copy, rewritten = Article.objects.order_by("id")
    assert copy.story_cluster_id == rewritten.story_cluster_id == original.story_cluster_id is not None
    stored = dict(StoryBandKey.objects.values_list("article").annotate(keys=Count("key")))
    # The rewrite stores the keys its story does not hold yet; the close copy stores none.
    assert stored == {original.pk: 64, rewritten.pk: 64 - keys_in_common(rewrite, HARBOUR)}
    batch = run(later)
    assert batch.near_duplicate_count == 1
    assert Article.objects.order_by("id").last().story_cluster_id == original.story_cluster_id


def test_deleting_an_article_deletes_its_band_keys():
    run(WIRE, SAME_EVENT)
    Article.objects.order_by("id").first().delete()
    assert StoryBandKey.objects.count() == 64
    remaining = Article.objects.get()
    assert set(StoryBandKey.objects.values_list("article_id", flat=True)) == {remaining.pk}


def test_band_keys_of_an_article_deleted_outside_the_orm_are_skipped():
    run(WIRE)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Article._meta.db_table}")  # leaves the band keys behind
    batch = run(REWRITE)
    assert (batch.status, batch.created_count, batch.near_duplicate_count) == ("done", 1, 0)
    assert Article.objects.get().story_cluster_id is None


def crash_recovery_empties_the_band_keys():
    """What PostgreSQL does to an unlogged table in crash recovery."""
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {StoryBandKey._meta.db_table}")


def test_the_band_key_table_is_unlogged():
    with connection.cursor() as cursor:
        cursor.execute("SELECT relpersistence FROM pg_class WHERE relname = %s", [StoryBandKey._meta.db_table])
        assert cursor.fetchone() == ("u",)


def test_band_keys_lost_in_a_crash_are_rebuilt_as_the_import_stored_them():
    close_copy = WIRE[:5] + SAME_EVENT[:1]  # its story holds enough of its keys: it stores none
    run(WIRE, SAME_EVENT, REWRITE, close_copy)
    stored = sorted(StoryBandKey.objects.values_list("key", "article_id"))
    assert not StoryBandKey.objects.filter(article=Article.objects.order_by("id").last()).exists()
    assert not band_keys_lost() and band_keys_rebuild() == 0
    crash_recovery_empties_the_band_keys()
    assert band_keys_lost()
    assert band_keys_rebuild() == 4
    assert sorted(StoryBandKey.objects.values_list("key", "article_id")) == stored
    assert not band_keys_lost()


def test_an_import_after_a_crash_finds_stories_through_rebuilt_keys():
    run(WIRE, SAME_EVENT)
    crash_recovery_empties_the_band_keys()
    batch = run(REWRITE)
    assert batch.near_duplicate_count == 1
    wire, _, rewrite = Article.objects.order_by("id")
    assert rewrite.story_cluster_id == wire.story_cluster_id is not None
